"""Erlang C and Erlang A queue metrics, vectorised over intervals.

Every function takes arrays (one value per interval, or scalars that broadcast) and loops in
Python only over the *agent count* (the Erlang B recursion), never over intervals.

Erlang C (M/M/N, nobody hangs up)
    Traffic ``A = calls x AHT / interval length`` in Erlangs. The Erlang B recursion
    ``B(0) = 1, B(n) = A B(n-1) / (n + A B(n-1))`` stays in (0, 1] whatever the traffic, so it
    is stable to thousands of Erlangs with no factorial, overflow or warning. Then
    ``P(wait) = C = N B / (N - A (1 - B))``, ``SL(T) = 1 - C exp(-(N - A) T / AHT)``,
    ``ASA = C AHT / (N - A)`` and occupancy ``A / N``. With ``N <= A`` the queue grows
    without bound: P(wait) 1, SL 0, ASA infinite, occupancy 1.

Erlang A (M/M/N+M, Palm): callers hang up after an exponential patience with mean ``theta``.
    A birth-death chain: arrival rate ``lam``, service ``mu = 1/AHT``, abandonment ``1/theta``
    per waiting caller. With ``r_j = prod_{i<=j} lam / (N mu + i / theta)`` for ``j`` callers
    waiting, and ``S = sum_j r_j``:

    - ``P(wait) = S B / (1 - B + S B)`` (PASTA: an arrival finds all agents busy);
    - mean queue ``Lq = sum_j j r_j B / (1 - B + S B)``; ``ASA = Lq / lam``, the mean wait of
      *all* arrivals (answered or not), by Little's law; ``P(abandon) = ASA / theta``;
    - occupancy = carried traffic / N = ``A (1 - P(abandon)) / N``;
    - service level = P(answered within T) over all arrivals: an arrival that finds ``j``
      waiting is answered after a sum of exponentials with rates ``N mu + m / theta``
      (m = 0..j), if its own patience lasts. That probability has a closed form, the tail of
      a negative binomial: ``c/(c+j+1) x P(NB(c+1, 1-exp(-T/theta)) >= j+1)`` with
      ``c = N mu theta``. An abandoned call counts as not answered within T.

    The sums over ``j`` stop where the terms have fallen below e^-40 of the largest (see
    :func:`_queue_states`); a queue that would need more than 50,000 states is refused.
    These are the values of pyworkforce's later ErlangA (DOMAIN.md's reference case) to 1e-6.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import numpy.typing as npt
import pandas as pd

from wfm.errors import WfmError

ArrayLike = npt.ArrayLike
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: Exponents are clipped here so that exp() never overflows (e^700 ~ 1e304).
_EXP_CLIP = 700.0


@dataclass(frozen=True)
class QueueMetrics:
    """What a queue achieves per interval with a given number of agents on the phones.

    Attributes are arrays of the same length (one per interval). ``p_abandon`` is ``None``
    for Erlang C. ``asa_seconds`` is infinite where agents cannot keep up (Erlang C with
    ``agents <= traffic``).
    """

    traffic: FloatArray
    agents: IntArray
    p_wait: FloatArray
    service_level: FloatArray
    asa_seconds: FloatArray
    occupancy: FloatArray
    p_abandon: FloatArray | None = None

    def __len__(self) -> int:
        return int(self.traffic.size)

    def to_frame(self) -> pd.DataFrame:
        """One row per interval, one column per metric."""
        return pd.DataFrame(
            {
                f.name: getattr(self, f.name)
                for f in fields(self)
                if getattr(self, f.name) is not None
            }
        )


def traffic_erlangs(
    calls: ArrayLike, aht_seconds: ArrayLike, interval_seconds: ArrayLike
) -> FloatArray:
    """Offered traffic in Erlangs: calls x AHT / interval length."""
    calls_, aht, interval = np.broadcast_arrays(
        np.asarray(calls, dtype=float),
        np.asarray(aht_seconds, dtype=float),
        np.asarray(interval_seconds, dtype=float),
    )
    return np.asarray(calls_ / interval * aht, dtype=float)


def erlang_b(traffic: ArrayLike, agents: ArrayLike) -> FloatArray:
    """Erlang B blocking probability B(N, A), by the stable recursion (vectorised)."""
    a, n_agents = np.broadcast_arrays(np.asarray(traffic, dtype=float), np.asarray(agents))
    n_agents = n_agents.astype(np.int64)
    b = np.ones(a.shape)
    top = int(n_agents.max()) if n_agents.size else 0
    for n in range(1, top + 1):
        ab = a * b
        b = np.where(n <= n_agents, ab / (n + ab), b)
        if not b.any():  # every value has underflowed to 0: it stays 0
            break
    return b


def _log_erlang_b(traffic: FloatArray, agents: IntArray) -> FloatArray:
    """log B(N, A): -inf where B underflows (N far above A), which Erlang A reads as no wait."""
    with np.errstate(divide="ignore"):
        return np.log(erlang_b(traffic, agents))


def _check(name: str, values: FloatArray, *, minimum: float = 0.0, strict: bool = False) -> None:
    bad = ~np.isfinite(values) | ((values <= minimum) if strict else (values < minimum))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        rule = "greater than" if strict else "at least"
        raise WfmError(
            f"{name} must be a number {rule} {minimum:g}; interval {i + 1} has {values[i]:g}"
        )


def _inputs(
    calls: ArrayLike,
    aht_seconds: ArrayLike,
    interval_seconds: ArrayLike,
    agents: ArrayLike,
    answer_seconds: ArrayLike,
) -> tuple[FloatArray, FloatArray, FloatArray, IntArray, FloatArray]:
    arrays = np.broadcast_arrays(
        np.atleast_1d(np.asarray(calls, dtype=float)),
        np.atleast_1d(np.asarray(aht_seconds, dtype=float)),
        np.atleast_1d(np.asarray(interval_seconds, dtype=float)),
        np.atleast_1d(np.asarray(agents, dtype=float)),
        np.atleast_1d(np.asarray(answer_seconds, dtype=float)),
    )
    calls_, aht, interval, agents_f, answer = (np.array(a, dtype=float).ravel() for a in arrays)
    _check("The number of calls", calls_)
    _check("The average handle time", aht, strict=True)
    _check("The interval length", interval, strict=True)
    _check("The answer time", answer)
    _check("The number of agents", agents_f)
    if np.any(agents_f != np.round(agents_f)) or np.any(agents_f > 1e7):
        raise WfmError("The number of agents must be a whole number, at most 10 million")
    with np.errstate(over="ignore"):
        traffic = calls_ / interval * aht
    _check("The traffic (calls x AHT / interval)", traffic)
    return calls_, aht, interval, agents_f.astype(np.int64), answer


def _patience(patience_seconds: ArrayLike, shape: tuple[int, ...]) -> FloatArray:
    """Mean patience per interval: finite and above 0."""
    values = np.atleast_1d(np.asarray(patience_seconds, dtype=float)).ravel()
    if values.size not in (1, shape[0]):
        raise WfmError(
            f"Give one mean patience, or one per interval ({shape[0]}); got {values.size}"
        )
    patience = np.array(np.broadcast_to(values, shape), dtype=float)
    _check("The mean patience", patience, strict=True)
    return patience


def erlang_c(
    calls: ArrayLike,
    aht_seconds: ArrayLike,
    interval_seconds: ArrayLike,
    agents: ArrayLike,
    answer_seconds: ArrayLike = 20.0,
) -> QueueMetrics:
    """Erlang C metrics per interval (see the module docs for the formulas).

    Parameters
    ----------
    calls : array_like
        Calls offered in each interval.
    aht_seconds : array_like
        Average handle time, seconds.
    interval_seconds : array_like
        Interval length, seconds (1800 for 30 minutes).
    agents : array_like
        Agents on the phones in each interval (whole numbers).
    answer_seconds : array_like
        The service-level answer time T, seconds.
    """
    calls_, aht, interval, n, answer = _inputs(
        calls, aht_seconds, interval_seconds, agents, answer_seconds
    )
    a = calls_ / interval * aht
    return _erlang_c_from(a, n, aht, answer, erlang_b(a, n))


def _erlang_c_from(
    a: FloatArray, n: IntArray, aht: FloatArray, answer: FloatArray, b: FloatArray
) -> QueueMetrics:
    stable = n > a
    idle = a == 0
    # Values for the stable intervals; the others are filled in below without dividing by 0.
    nf = n.astype(float)
    gap = np.where(stable, nf - a, 1.0)
    denom = np.where(stable, nf - a * (1.0 - b), 1.0)
    p_wait = np.where(stable, nf * b / denom, 1.0)
    p_wait = np.where(idle, 0.0, p_wait)
    decay = np.exp(-np.minimum(gap * answer / aht, _EXP_CLIP))
    service_level = np.where(stable, np.maximum(0.0, 1.0 - p_wait * decay), 0.0)
    service_level = np.where(idle, 1.0, service_level)
    asa = np.where(stable, p_wait * aht / gap, np.inf)
    asa = np.where(idle, 0.0, asa)
    occupancy = np.where(n > 0, np.minimum(a / np.maximum(nf, 1.0), 1.0), np.where(idle, 0.0, 1.0))
    return QueueMetrics(a, n, p_wait, service_level, asa, occupancy)


def erlang_a(
    calls: ArrayLike,
    aht_seconds: ArrayLike,
    interval_seconds: ArrayLike,
    agents: ArrayLike,
    answer_seconds: ArrayLike = 20.0,
    patience_seconds: ArrayLike = 300.0,
) -> QueueMetrics:
    """Erlang A (M/M/N+M) metrics per interval (see the module docs for the model).

    Parameters are those of :func:`erlang_c` plus ``patience_seconds``, the callers' mean
    patience (how long they wait on average before hanging up if nobody answers).
    """
    calls_, aht, interval, n, answer = _inputs(
        calls, aht_seconds, interval_seconds, agents, answer_seconds
    )
    patience = _patience(patience_seconds, calls_.shape)
    a = calls_ / interval * aht
    log_b = _log_erlang_b(a, n)
    metrics = _erlang_a_from(calls_ / interval, a, n, aht, answer, patience, log_b)
    _refuse_endless_queues(metrics)
    return metrics


def _refuse_endless_queues(metrics: QueueMetrics) -> None:
    endless = np.isnan(metrics.service_level)
    if endless.any():
        i = int(np.flatnonzero(endless)[0])
        raise WfmError(
            f"Erlang A cannot describe interval {i + 1}: with {metrics.agents[i]} agents for "
            f"{metrics.traffic[i]:.1f} Erlangs and callers that patient, the queue would hold "
            f"more than {MAX_QUEUE_STATES:,} callers. Add agents or use Erlang C"
        )


def _erlang_a_from(
    lam: FloatArray,
    a: FloatArray,
    n: IntArray,
    aht: FloatArray,
    answer: FloatArray,
    patience: FloatArray,
    log_b: FloatArray,
) -> QueueMetrics:
    size = a.size
    p_wait = np.zeros(size)
    p_abandon = np.zeros(size)
    service_level = np.ones(size)
    asa = np.zeros(size)
    states = _queue_states(lam * patience, n * patience / aht)
    busy = (a > 0) & (states <= MAX_QUEUE_STATES)
    # Group the intervals by how many queue states their sums need (multiples of 32), and
    # cut each group into chunks of bounded size, so that one long queue neither makes every
    # row long nor takes much memory.
    buckets = np.where(busy, np.ceil(states / 32.0), -1).astype(np.int64)
    for bucket in np.unique(buckets[buckets >= 0]):
        width = int(bucket) * 32
        group = np.flatnonzero(buckets == bucket)
        chunk = max(1, _CELLS_PER_CHUNK // width)
        for first in range(0, group.size, chunk):
            rows = group[first : first + chunk]
            pw, pab, sl, w = _erlang_a_rows(
                lam[rows] * patience[rows],
                n[rows] * patience[rows] / aht[rows],
                answer[rows] / patience[rows],
                log_b[rows],
                width,
            )
            p_wait[rows], p_abandon[rows], service_level[rows] = pw, pab, sl
            asa[rows] = w * patience[rows]
    # A queue longer than MAX_QUEUE_STATES callers (very long patience, far too few agents):
    # not computed; the public functions refuse it, the requirement search skips such counts.
    too_long = (a > 0) & ~busy
    for values in (p_wait, p_abandon, service_level, asa):
        values[too_long] = np.nan
    occupancy = np.where(n > 0, np.minimum(a * (1.0 - p_abandon) / np.maximum(n, 1), 1.0), 0.0)
    return QueueMetrics(a, n, p_wait, service_level, asa, occupancy, p_abandon)


#: The most queue states (callers waiting) the Erlang A sums will hold for one interval.
MAX_QUEUE_STATES = 50_000
#: Cells (intervals x states) per block of the Erlang A sums: bounds their memory (~10 MB).
_CELLS_PER_CHUNK = 1_250_000


def _queue_states(y: FloatArray, c: FloatArray) -> FloatArray:
    """How many queue states (0..J-1 callers waiting) carry all but e^-40 of the mass.

    ``y``: arrivals per mean patience; ``c``: N mu theta. The terms are
    ``r_j = prod_{i<=j} y / (c + i)``: they rise while ``c + j < y`` and then fall at least
    as fast as ``y / (c + j)``. Past the peak ``j* = max(y - c, 0)``, 40 nats of decay take at
    most ``sqrt(160 y)`` more states (log(1 + i/y) >= i / 2y), and at most
    ``40 / log(c / y)`` when ``c > y`` (every ratio is below y / c).
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        peak = np.maximum(y - c, 0.0)
        gaussian = np.sqrt(160.0 * (y + 1.0))
        geometric = np.where(
            c > y, 40.0 / np.log(np.maximum(c, 1e-300) / np.maximum(y, 1e-300)), np.inf
        )
    return np.ceil(peak + np.minimum(gaussian, geometric) + 40.0)


def _erlang_a_rows(
    y: FloatArray, c: FloatArray, t: FloatArray, log_b: FloatArray, states: int
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """P(wait), P(abandon), SL and mean wait (in units of the mean patience) for some rows.

    In units of the mean patience: ``y`` arrivals, ``c`` = N mu theta, ``t`` = T / theta.
    """
    j = np.arange(states, dtype=float)[None, :]  # callers waiting ahead: 0..states-1
    y2, c2 = y[:, None], c[:, None]
    # log r_j = sum_{i=1..j} log(y / (c + i)); r_0 = 1.
    steps = np.log(y2) - np.log(c2 + j[:, 1:])
    log_r = np.concatenate([np.zeros((y.size, 1)), np.cumsum(steps, axis=1)], axis=1)
    top = log_r.max(axis=1, keepdims=True)
    r = np.exp(log_r - top)  # scaled by e^-top
    s = r.sum(axis=1)
    log_s = np.log(s) + top[:, 0]
    # P(wait) = S B / (1 - B + S B) = 1 / (1 + (1 - B) / (S B)).
    b = np.exp(log_b)
    ratio = np.exp(np.clip(-(log_s + log_b), -_EXP_CLIP, _EXP_CLIP))
    p_wait = 1.0 / (1.0 + (1.0 - b) * ratio)
    # Share of arrivals that find j waiting: pi_{N+j} = P(wait) r_j / S.
    pi = p_wait[:, None] * r / s[:, None]
    # Mean wait of all arrivals, Lq / lam, in units of theta; P(abandon) = Lq / (lam theta).
    mean_queue = (pi * j).sum(axis=1) / y
    p_abandon = mean_queue
    # Answered within T after finding j waiting: c/(c+j+1) * P(NB(c+1, x) >= j+1).
    x = -np.expm1(-t)[:, None]
    with np.errstate(divide="ignore"):
        log_x = np.log(x)
    i = j[:, 1:]
    log_q = np.concatenate(
        [
            -(c2 + 1.0) * t[:, None],
            -(c2 + 1.0) * t[:, None] + np.cumsum(log_x + np.log((i + c2) / i), axis=1),
        ],
        axis=1,
    )
    cdf = np.minimum(np.cumsum(np.exp(log_q), axis=1), 1.0)
    tail = 1.0 - cdf  # P(NB >= j + 1)
    answered = (pi * (c2 / (c2 + j + 1.0)) * tail).sum(axis=1)
    service_level = np.clip(1.0 - p_wait + answered, 0.0, 1.0)
    return p_wait, p_abandon, service_level, mean_queue
