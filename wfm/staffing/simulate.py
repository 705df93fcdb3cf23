"""Simulation check: replay a day of intervals with a given staffing, call by call.

Erlang C and Erlang A assume each interval is a steady state of its own. A real day is not:
calls still waiting at 10:00 carry over into 10:00-10:30, an agent finishing a call at the
end of her shift is still busy after it, and a short-staffed interval hurts the next one.
:func:`simulate_day` plays the day out as a discrete-event simulation and reports service
level, speed of answer and abandon rate per interval and for the day, with confidence
intervals from independent replications, so a planner can check a staffing plan (or the
analytic engine) against the queue it describes.

The model
---------
- Arrivals: Poisson at each interval's rate; ``calls[i]`` is the *expected* number of calls in
  interval ``i``.
- Handle times: exponential with the interval's AHT (the call's arrival interval), or
  resampled from an empirical sample of handle times, rescaled to the interval's AHT.
- Patience: exponential with mean ``patience_seconds`` (Erlang A); none (Erlang C) when it
  is ``None``. A caller hangs up when the wait exceeds the patience.
- One queue, first come first served. ``agents[i]`` agents are on duty in interval ``i``.
  When staffing rises at an interval start the new agents are free at that instant. When it
  falls, the agents who become free first at or after the boundary go home; no call is ever
  cut, and nobody takes a new call once the drop is due.
- The day starts with nobody waiting and every agent idle (the centre opens). Waiting calls
  carry over into the next interval, also across intervals without agents.
- The centre closes at the end of the last interval with agents on duty (later intervals
  without agents are closed hours). Those agents stay until every call that arrived before
  the close is answered or has hung up, so every call gets an outcome. Calls arriving after
  the close are never answered: they count as abandoned, hanging up when their patience runs
  out or at the end of the day, whichever comes first.

Conventions
-----------
- Every metric of a call belongs to the interval in which the call *arrived* (the WFM and
  ACD convention), even when it is answered or abandoned in a later one.
- ``service_level`` = calls answered with a wait <= ``answer_seconds`` / calls offered. Calls
  that abandon count as not answered within the target whenever they hang up, as in the Erlang
  A service level P(answered and wait <= T). Without patience this is Erlang C's SL(T).
- ``asa_seconds`` = mean time in queue of *all* offered calls, abandoned calls counted up to
  the moment they hang up: Lq / lambda, what :func:`wfm.staffing.erlang.erlang_a` (and
  pyworkforce's Erlang A, DOMAIN.md's reference case) calls ASA.
  ``answered_asa_seconds`` = mean wait of *answered* calls only, what most ACD reports call
  ASA; compare it with real reports. Without abandons the two are equal (Erlang C's ASA).
- ``wait_probability`` = share of offered calls that wait at all (find every agent busy).
- ``abandon_rate`` = abandoned / offered.
- ``occupancy`` = agent-seconds spent on calls inside the interval / (agents x interval
  length): what the agents actually did in that half hour, whichever interval the calls came
  from (the one exception to the arrival rule). It can slightly exceed 1 right after staffing
  falls (agents finishing calls) and is NaN for an interval without agents. For the day it is
  all talk time of the day's calls, including talk after the close / agent time on duty, so
  the work that spills past the end of the day is not lost (Erlang's A (1 - P(abandon)) / N).
- An interval nobody called in any replication has NaN rates and wait times ("no calls, no
  service level"), never a warning. Day totals pool all intervals.

Confidence intervals
--------------------
Each replication is one independent day. A rate such as service level is a ratio of two
per-replication totals (answered within T, offered), so the point estimate is the pooled
ratio sum(X) / sum(Y) over replications (the long-run fraction Erlang formulas describe, and
well defined for quiet intervals where some replications get no call), and its confidence
interval is the classical ratio-estimator interval
``R +/- t * sqrt(sum((X_r - R Y_r)^2) / (n (n - 1))) / mean(Y)`` with Student's t on
``n - 1`` degrees of freedom (n = replications). Offered calls and occupancy use the plain
t interval of the replication means. Rates are clipped to [0, 1] and times to >= 0. With one
replication the limits are NaN.

Speed
-----
Calls are served in arrival order with a heap of the agents' next-free times (the Lindley
recursion for a multi-server FCFS queue with abandons): a call starts at the later of its
arrival and the earliest free time, or abandons if that wait exceeds its patience and then
occupies nobody. Random numbers and all bookkeeping are numpy; only the heap walk is a Python
loop, about half a microsecond per call: a 24-hour day of 48 intervals at 500 calls each with
30 replications (720,000 calls) takes about 0.4 s.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field
from numbers import Real
from statistics import NormalDist
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from wfm.errors import WfmError
from wfm.progress import ProgressCallback, report

if TYPE_CHECKING:
    import pandas as pd

FloatArray = NDArray[np.float64]
_Triple = tuple[FloatArray, FloatArray, FloatArray]  # value, low, high

# Per-replication totals kept for every interval: the last axis of the `totals` array.
_OFFERED = 0  # calls arrived
_ANSWERED = 1
_WITHIN = 2  # answered within the target time
_WAITED = 3  # found every agent busy
_ABANDONED = 4
_WAIT_ANSWERED = 5  # seconds waited by answered calls
_WAIT_ALL = 6  # seconds waited by all calls, abandoned ones until they hung up
_BUSY = 7  # agent-seconds on calls inside the interval (whatever interval the calls came from)
_TALK = 8  # handle seconds of the answered calls that arrived in the interval
_N_TOTALS = 9


@dataclass(frozen=True)
class Estimate:
    """A simulated value with its confidence interval.

    Attributes
    ----------
    value
        Point estimate (pooled over replications).
    low, high
        Limits of the confidence interval; NaN with a single replication.
    """

    value: float
    low: float
    high: float

    def __contains__(self, x: object) -> bool:
        """``x in estimate``: whether ``x`` lies inside the confidence interval."""
        return isinstance(x, Real) and self.low <= float(x) <= self.high

    @property
    def half_width(self) -> float:
        """Half the width of the confidence interval."""
        return (self.high - self.low) / 2


@dataclass(frozen=True)
class DayTotals:
    """The whole simulated day, all intervals pooled. See the module notes for definitions.

    Attributes
    ----------
    offered
        Calls offered in the day (mean over replications).
    service_level, asa_seconds, answered_asa_seconds, wait_probability, abandon_rate, occupancy
        As per interval, over the whole day.
    """

    offered: Estimate
    service_level: Estimate
    asa_seconds: Estimate
    answered_asa_seconds: Estimate
    wait_probability: Estimate
    abandon_rate: Estimate
    occupancy: Estimate


def _frozen(values: FloatArray) -> FloatArray:
    values.setflags(write=False)
    return values


@dataclass(frozen=True, eq=False)
class SimulationResult:
    """What :func:`simulate_day` found, per interval and for the day.

    Per-interval attributes are float arrays with one value per interval; each metric ``m``
    comes with ``m_low`` and ``m_high``, the limits of its confidence interval. The arrays are
    read-only. Definitions are in the module notes: metrics belong to the interval in which
    the call arrived; rates of intervals without any call are NaN.

    Attributes
    ----------
    interval_minutes, answer_seconds, patience_seconds, replications, confidence
        The settings the day was simulated with.
    agents
        Agents on duty per interval.
    offered
        Mean calls offered per interval.
    service_level
        Share of offered calls answered within ``answer_seconds``.
    asa_seconds
        Mean time in queue of all offered calls, abandoned ones up to their hang-up (the
        analytic engine's ASA).
    answered_asa_seconds
        Mean wait of answered calls (an ACD report's ASA).
    wait_probability
        Share of offered calls that had to wait.
    abandon_rate
        Share of offered calls that hung up before being answered.
    occupancy
        Busy agent time in the interval / agent time on duty (NaN without agents).
    day
        The same metrics for the whole day, as :class:`Estimate` values.
    """

    interval_minutes: int
    answer_seconds: float
    patience_seconds: float | None
    replications: int
    confidence: float
    agents: FloatArray
    offered: FloatArray
    offered_low: FloatArray
    offered_high: FloatArray
    service_level: FloatArray
    service_level_low: FloatArray
    service_level_high: FloatArray
    asa_seconds: FloatArray
    asa_seconds_low: FloatArray
    asa_seconds_high: FloatArray
    answered_asa_seconds: FloatArray
    answered_asa_seconds_low: FloatArray
    answered_asa_seconds_high: FloatArray
    wait_probability: FloatArray
    wait_probability_low: FloatArray
    wait_probability_high: FloatArray
    abandon_rate: FloatArray
    abandon_rate_low: FloatArray
    abandon_rate_high: FloatArray
    occupancy: FloatArray
    occupancy_low: FloatArray
    occupancy_high: FloatArray
    day: DayTotals = field(repr=False)

    METRICS = (
        "offered",
        "service_level",
        "asa_seconds",
        "answered_asa_seconds",
        "wait_probability",
        "abandon_rate",
        "occupancy",
    )

    def to_frame(self) -> pd.DataFrame:
        """Per-interval results as a DataFrame, one row per interval.

        Returns
        -------
        pandas.DataFrame
            Index ``interval`` (0-based position in the day); columns ``start_minute``
            (minutes from the start of the day), ``agents``, then for every metric the value
            and its ``_low`` / ``_high`` limits.
        """
        import pandas as pd

        n = len(self.agents)
        columns: dict[str, Any] = {
            "start_minute": np.arange(n) * self.interval_minutes,
            "agents": self.agents.astype(np.int64),
        }
        for name in self.METRICS:
            for suffix in ("", "_low", "_high"):
                columns[name + suffix] = np.array(getattr(self, name + suffix))
        return pd.DataFrame(columns, index=pd.RangeIndex(n, name="interval"))


def simulate_day(
    calls: ArrayLike,
    aht_seconds: float | ArrayLike,
    agents: ArrayLike,
    *,
    interval_minutes: int = 30,
    answer_seconds: float = 20,
    patience_seconds: float | None = None,
    handle_times: ArrayLike | None = None,
    replications: int = 30,
    seed: int | None = 0,
    confidence: float = 0.95,
    progress: ProgressCallback | None = None,
) -> SimulationResult:
    """Simulate a day of intervals with the given staffing and measure the service.

    Parameters
    ----------
    calls
        Expected calls per interval (Poisson mean), one value per interval, >= 0.
    aht_seconds
        Average handle time in seconds: one value for the day or one per interval. It must be
        positive wherever calls are expected; it is ignored in intervals with no calls
        (NaN is fine there).
    agents
        Agents on duty (on the phones, after shrinkage) per interval: whole numbers >= 0.
    interval_minutes
        Length of an interval.
    answer_seconds
        Service-level target time T ("80/20" -> 20).
    patience_seconds
        Mean patience of callers (exponential), for abandons as in Erlang A. ``None``: nobody
        hangs up (Erlang C).
    handle_times
        Optional sample of real handle times in seconds. Handle times are then drawn from it
        with replacement and rescaled so that their mean is the interval's AHT (the sample
        gives the shape, the forecast the level). Default: exponential with the interval's AHT.
    replications
        Independent simulated days; confidence intervals come from their spread.
    seed
        Seed of the random numbers: the same seed gives the same result. ``None``: fresh
        randomness each call.
    confidence
        Confidence level of the intervals, e.g. 0.95.
    progress
        ``progress(fraction, message)``, called after each replication; raise
        :class:`~wfm.progress.Cancelled` in it to stop.

    Returns
    -------
    SimulationResult
        Per-interval and day metrics with confidence intervals.

    Raises
    ------
    WfmError
        When an input is invalid (negative calls or agents, AHT <= 0, lengths that differ).

    Examples
    --------
    >>> result = simulate_day([100] * 48, 180, [14] * 48, replications=10)
    >>> round(result.day.service_level.value, 2)
    0.89
    """
    interval_seconds, calls_a, aht_a, agents_a, sample, patience = _validate(
        calls,
        aht_seconds,
        agents,
        interval_minutes=interval_minutes,
        answer_seconds=answer_seconds,
        patience_seconds=patience_seconds,
        handle_times=handle_times,
        replications=replications,
        confidence=confidence,
    )
    n_intervals = len(calls_a)
    rng = np.random.default_rng(seed)
    sample_scale = 1.0 if sample is None else 1.0 / float(sample.mean())
    staffing = [int(n) for n in agents_a]
    boundaries = np.arange(n_intervals + 1, dtype=np.float64) * interval_seconds

    totals = np.zeros((replications, n_intervals, _N_TOTALS))
    report(progress, 0.0, "Simulating the day")
    for r in range(replications):
        counts = rng.poisson(calls_a)
        interval_of_call = np.repeat(np.arange(n_intervals), counts)
        arrivals = np.sort(interval_of_call + rng.random(interval_of_call.size)) * interval_seconds
        call_aht = aht_a[interval_of_call]
        if sample is None:
            handles = rng.exponential(1.0, arrivals.size) * call_aht
        else:
            handles = rng.choice(sample, arrivals.size) * (call_aht * sample_scale)
        if patience is None:
            patiences = np.full(arrivals.size, math.inf)
        else:
            patiences = rng.exponential(patience, arrivals.size)

        waits, answered = _serve(
            arrivals, handles, patiences, staffing, interval_seconds, float(boundaries[-1])
        )
        _tally(
            totals[r],
            interval_of_call,
            waits,
            answered,
            arrivals,
            handles,
            answer_seconds,
            boundaries,
        )
        report(progress, (r + 1) / replications, f"Simulated day {r + 1} of {replications}")

    return _summarise(
        totals,
        agents_a,
        interval_seconds=interval_seconds,
        interval_minutes=interval_minutes,
        answer_seconds=float(answer_seconds),
        patience_seconds=patience,
        confidence=confidence,
    )


# --- input checks --------------------------------------------------------------------------


def _where(i: int, interval_minutes: int) -> str:
    minutes = i * interval_minutes
    return f"interval {i + 1} ({minutes // 60:02d}:{minutes % 60:02d})"


def _as_1d(values: ArrayLike, what: str) -> FloatArray:
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise WfmError(f"The {what} must be numbers.") from None
    if array.ndim != 1:
        raise WfmError(f"The {what} must be a list with one value per interval.")
    return array


def _validate(
    calls: ArrayLike,
    aht_seconds: float | ArrayLike,
    agents: ArrayLike,
    *,
    interval_minutes: int,
    answer_seconds: float,
    patience_seconds: float | None,
    handle_times: ArrayLike | None,
    replications: int,
    confidence: float,
) -> tuple[float, FloatArray, FloatArray, FloatArray, FloatArray | None, float | None]:
    if isinstance(interval_minutes, bool) or not isinstance(interval_minutes, int | np.integer):
        raise WfmError(
            f"The interval length must be a whole number of minutes, not {interval_minutes!r}."
        )
    if interval_minutes <= 0:
        raise WfmError(f"The interval length must be positive, not {interval_minutes} min.")
    calls_a = _as_1d(calls, "expected calls")
    n = len(calls_a)
    if n == 0:
        raise WfmError("There are no intervals to simulate.")
    agents_a = _as_1d(agents, "agents")
    if len(agents_a) != n:
        raise WfmError(f"There are {n} intervals of calls but {len(agents_a)} of agents.")
    aht_a = _as_1d(
        np.broadcast_to(aht_seconds, n) if np.ndim(aht_seconds) == 0 else aht_seconds, "AHT values"
    )
    if len(aht_a) != n:
        raise WfmError(f"There are {n} intervals of calls but {len(aht_a)} AHT values.")

    def first_bad(ok: NDArray[np.bool_]) -> int | None:
        bad = np.flatnonzero(~ok)
        return int(bad[0]) if bad.size else None

    with np.errstate(invalid="ignore"):
        if (i := first_bad(np.isfinite(calls_a) & (calls_a >= 0))) is not None:
            raise WfmError(
                f"{_where(i, interval_minutes)}: expected calls are {calls_a[i]:g}; "
                "they must be a number >= 0."
            )
        whole = np.isfinite(agents_a) & (agents_a >= 0)
        whole[whole] = agents_a[whole] == np.round(agents_a[whole])
        if (i := first_bad(whole)) is not None:
            raise WfmError(
                f"{_where(i, interval_minutes)}: {agents_a[i]:g} agents; "
                "agents must be a whole number >= 0."
            )
        aht_ok = (calls_a == 0) | (np.isfinite(aht_a) & (aht_a > 0))
        if (i := first_bad(aht_ok)) is not None:
            raise WfmError(
                f"{_where(i, interval_minutes)}: AHT is {aht_a[i]:g} s; "
                "it must be more than 0 s where calls are expected."
            )

    if not (math.isfinite(answer_seconds) and answer_seconds >= 0):
        raise WfmError(f"The answer target must be 0 s or more, not {answer_seconds:g} s.")
    patience = None
    if patience_seconds is not None and not math.isinf(patience_seconds):
        if not (patience_seconds > 0):
            raise WfmError(
                f"Mean patience must be more than 0 s, not {patience_seconds:g} s "
                "(leave it empty if callers never hang up)."
            )
        patience = float(patience_seconds)
    sample = None
    if handle_times is not None:
        sample = _as_1d(handle_times, "handle times")
        if sample.size == 0:
            raise WfmError("The sample of handle times is empty.")
        bad = ~(np.isfinite(sample) & (sample >= 0))
        if bad.any():
            raise WfmError(
                f"Handle time {sample[bad][0]:g} s (value {int(np.argmax(bad)) + 1} of the "
                "sample) is not a duration >= 0."
            )
        if not sample.mean() > 0:
            raise WfmError("The handle times in the sample are all 0 s.")
    if isinstance(replications, bool) or not isinstance(replications, int | np.integer):
        raise WfmError(f"Replications must be a whole number, not {replications!r}.")
    if replications < 1:
        raise WfmError(f"Replications must be at least 1, not {replications}.")
    if not 0 < confidence < 1:
        raise WfmError(f"Confidence must be between 0 and 1 (e.g. 0.95), not {confidence:g}.")
    aht_a = np.where(calls_a > 0, aht_a, 1.0)  # unused where no call comes; keeps NaN out
    return float(interval_minutes * 60), calls_a, aht_a, agents_a, sample, patience


# --- the queue -----------------------------------------------------------------------------


def _serve(
    arrivals: FloatArray,
    handles: FloatArray,
    patiences: FloatArray,
    staffing: list[int],
    interval_seconds: float,
    day_end: float,
) -> tuple[FloatArray, NDArray[np.bool_]]:
    """Serve sorted arrivals FCFS; return each call's time in queue and whether answered.

    ``free`` is a heap of the next-free times of the agents on duty (an idle agent's entry may
    lie in the past). A staffing change at boundary ``b`` is applied just before the first call
    that would start at or after ``b``; since start times never decrease in arrival order,
    every later call also starts at or after ``b``, so the change is never applied too early
    or too late. Agents joining at ``b`` enter free at ``b``; agents leaving are the heap's
    smallest entries: idle ones first, then those who finish their call first.

    The centre closes at the end of the last interval with agents; those agents stay until
    every call that arrived before the close is answered or has hung up. Calls arriving after
    the close are never answered.
    """
    n_calls = arrivals.size
    waits = np.empty(n_calls)
    answered = np.zeros(n_calls, dtype=bool)
    staffed = [k for k, n in enumerate(staffing) if n > 0]
    n_intervals = staffed[-1] + 1 if staffed else 0
    close = n_intervals * interval_seconds
    n_open = int(np.searchsorted(arrivals, close))  # calls that arrive while the centre is open

    if n_open:
        arr = arrivals[:n_open].tolist()
        hnd = handles[:n_open].tolist()
        pat = patiences[:n_open].tolist()
        wait_list = [0.0] * n_open
        answered_list = [True] * n_open
        inf = math.inf
        heappush, heappop, heapreplace = heapq.heappush, heapq.heappop, heapq.heapreplace
        free = [0.0] * staffing[0]
        on_duty = staffing[0]
        k = 1  # next interval whose staffing is not yet applied
        boundary = interval_seconds if n_intervals > 1 else inf
        for i in range(n_open):
            a = arr[i]
            start = free[0] if free else inf
            if start < a:
                start = a
            while start >= boundary:
                wanted = staffing[k]
                if wanted > on_duty:
                    for _ in range(wanted - on_duty):
                        heappush(free, boundary)
                else:
                    for _ in range(on_duty - wanted):
                        heappop(free)
                on_duty = wanted
                k += 1
                boundary = k * interval_seconds if k < n_intervals else inf
                start = free[0] if free else inf
                if start < a:
                    start = a
            wait = start - a
            if wait > pat[i]:
                answered_list[i] = False
                wait_list[i] = pat[i]
            else:
                wait_list[i] = wait
                heapreplace(free, start + hnd[i])
        waits[:n_open] = wait_list
        answered[:n_open] = answered_list

    # After the close nobody answers: callers hang up when their patience runs out or at the
    # end of the day, whichever comes first.
    waits[n_open:] = np.minimum(patiences[n_open:], day_end - arrivals[n_open:])
    return waits, answered


def _busy_before(times: FloatArray, starts: FloatArray, ends: FloatArray) -> FloatArray:
    """Agent-seconds of talk before each of ``times``: sum over calls of clip(t - s, 0, h)."""
    starts = np.sort(starts)
    ends = np.sort(ends)
    cum_s = np.concatenate(([0.0], np.cumsum(starts)))
    cum_e = np.concatenate(([0.0], np.cumsum(ends)))
    n_s = np.searchsorted(starts, times)
    n_e = np.searchsorted(ends, times)
    busy: FloatArray = (n_s * times - cum_s[n_s]) - (n_e * times - cum_e[n_e])
    return busy


def _tally(
    totals: FloatArray,
    interval_of_call: NDArray[np.intp],
    waits: FloatArray,
    answered: NDArray[np.bool_],
    arrivals: FloatArray,
    handles: FloatArray,
    answer_seconds: float,
    boundaries: FloatArray,
) -> None:
    """Add one replication's calls to ``totals`` (intervals x totals), by arrival interval."""
    n = totals.shape[0]

    def per_interval(weights: FloatArray | NDArray[np.bool_] | None) -> FloatArray:
        counts = np.bincount(interval_of_call, weights=weights, minlength=n)
        return counts.astype(np.float64, copy=False)

    totals[:, _OFFERED] = per_interval(None)
    totals[:, _ANSWERED] = per_interval(answered)
    totals[:, _WITHIN] = per_interval(answered & (waits <= answer_seconds))
    totals[:, _WAITED] = per_interval(waits > 0)
    totals[:, _ABANDONED] = totals[:, _OFFERED] - totals[:, _ANSWERED]
    totals[:, _WAIT_ANSWERED] = per_interval(np.where(answered, waits, 0.0))
    totals[:, _WAIT_ALL] = per_interval(waits)
    starts = (arrivals + waits)[answered]
    busy = _busy_before(boundaries, starts, starts + handles[answered])
    totals[:, _BUSY] = np.diff(busy)
    totals[:, _TALK] = per_interval(np.where(answered, handles, 0.0))


# --- statistics ----------------------------------------------------------------------------


def _t_quantile(p: float, dof: int) -> float:
    """Quantile ``p`` (> 0.5) of Student's t with ``dof`` degrees of freedom.

    The Cornish-Fisher expansion (Abramowitz and Stegun 26.7.5) as a start, polished by Newton
    steps on the exact distribution function for whole degrees of freedom (26.7.3 and 26.7.4):
    accurate to about 1e-12, and keeps scipy out of the planner's dependencies.
    """
    if dof == 1:
        return math.tan(math.pi * (p - 0.5))
    z = NormalDist().inv_cdf(p)
    z2 = z * z
    v = float(dof)
    t = z + sum(
        g / v**j
        for j, g in enumerate(
            (
                (z2 + 1) * z / 4,
                ((5 * z2 + 16) * z2 + 3) * z / 96,
                (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384,
                ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160,
            ),
            start=1,
        )
    )
    if dof > 1000:
        return t
    log_density_scale = math.lgamma((v + 1) / 2) - math.lgamma(v / 2) - 0.5 * math.log(v * math.pi)
    for _ in range(4):
        density = math.exp(log_density_scale - (v + 1) / 2 * math.log1p(t * t / v))
        t -= (_t_cdf(t, dof) - p) / density
    return t


def _t_cdf(t: float, dof: int) -> float:
    """P(T <= t) for Student's t with ``dof`` (>= 2) degrees of freedom, t >= 0."""
    theta = math.atan(t / math.sqrt(dof))
    c2 = math.cos(theta) ** 2
    term = 1.0
    if dof % 2 == 0:
        total = 1.0
        for k in range(1, dof // 2):
            term *= c2 * (2 * k - 1) / (2 * k)
            total += term
        within = math.sin(theta) * total
    else:
        total = 0.0 if dof == 1 else 1.0
        for k in range(1, (dof - 1) // 2):
            term *= c2 * (2 * k) / (2 * k + 1)
            total += term
        within = 2 / math.pi * (theta + math.sin(theta) * math.cos(theta) * total)
    return 0.5 + within / 2


def _ratio(num: FloatArray, den: FloatArray, t: float, lower: float, upper: float) -> _Triple:
    """Pooled ratio sum(num)/sum(den) over replications (axis 0) and its t interval."""
    n = num.shape[0]
    total = den.sum(axis=0)
    has = total > 0
    safe = np.where(has, total, 1.0)
    value = np.where(has, num.sum(axis=0) / safe, np.nan)
    if n < 2:
        nan = np.full_like(value, np.nan)
        return value, nan, nan.copy()
    resid = num - np.where(has, value, 0.0) * den
    se = np.sqrt((resid**2).sum(axis=0) / (n * (n - 1))) / (safe / n)
    se = np.where(has, se, np.nan)
    return value, np.clip(value - t * se, lower, upper), np.clip(value + t * se, lower, upper)


def _mean(values: FloatArray, t: float) -> _Triple:
    """Mean over replications (axis 0) and its t interval, clipped at 0."""
    n = values.shape[0]
    value = values.mean(axis=0)
    if n < 2:
        nan = np.full_like(value, np.nan)
        return value, nan, nan.copy()
    se = values.std(axis=0, ddof=1) / math.sqrt(n)
    return value, np.maximum(value - t * se, 0.0), value + t * se


def _summarise(
    totals: FloatArray,
    agents: FloatArray,
    *,
    interval_seconds: float,
    interval_minutes: int,
    answer_seconds: float,
    patience_seconds: float | None,
    confidence: float,
) -> SimulationResult:
    replications = totals.shape[0]
    t = _t_quantile((1 + confidence) / 2, max(replications - 1, 1))
    inf = math.inf
    capacity = agents * interval_seconds
    day_capacity = float(capacity.sum())
    with np.errstate(divide="ignore", invalid="ignore"):
        # NaN where nobody is on duty: occupancy is undefined there, not 0 or infinite.
        busy_share = totals[..., _BUSY] / np.where(capacity > 0, capacity, np.nan)
        day_busy_share = totals[..., _TALK].sum(axis=1) / (day_capacity or np.nan)

    def metrics(tot: FloatArray, busy_share: FloatArray) -> dict[str, _Triple]:
        offered = tot[..., _OFFERED]
        return {
            "offered": _mean(offered, t),
            "service_level": _ratio(tot[..., _WITHIN], offered, t, 0.0, 1.0),
            "asa_seconds": _ratio(tot[..., _WAIT_ALL], offered, t, 0.0, inf),
            "answered_asa_seconds": _ratio(
                tot[..., _WAIT_ANSWERED], tot[..., _ANSWERED], t, 0.0, inf
            ),
            "wait_probability": _ratio(tot[..., _WAITED], offered, t, 0.0, 1.0),
            "abandon_rate": _ratio(tot[..., _ABANDONED], offered, t, 0.0, 1.0),
            "occupancy": _mean(busy_share, t),
        }

    per_interval = metrics(totals, busy_share)
    day = metrics(totals.sum(axis=1), day_busy_share)

    fields: dict[str, Any] = {}
    for name, (value, low, high) in per_interval.items():
        fields[name] = _frozen(np.asarray(value, dtype=np.float64))
        fields[name + "_low"] = _frozen(np.asarray(low, dtype=np.float64))
        fields[name + "_high"] = _frozen(np.asarray(high, dtype=np.float64))
    day_totals = DayTotals(
        **{
            name: Estimate(float(value), float(low), float(high))
            for name, (value, low, high) in day.items()
        }
    )
    return SimulationResult(
        interval_minutes=interval_minutes,
        answer_seconds=answer_seconds,
        patience_seconds=patience_seconds,
        replications=replications,
        confidence=confidence,
        agents=_frozen(agents.copy()),
        day=day_totals,
        **fields,
    )
