"""Agent requirements per interval: the smallest head count meeting every target, then
shrinkage.

The requirement of an interval is the smallest number of agents on the phones ("net") for
which every target the planner set holds at once: service level X % within T seconds, ASA
at most S seconds, occupancy at most M, and (Erlang A) abandon rate at most Q. All of these
improve as agents are added, so the first count that meets them all is the answer. Then
``scheduled = ceil(net / (1 - shrinkage))``, with shrinkage one figure or one per interval.

An interval with no calls needs no agent, unless the planner keeps a minimum staffing
whenever the centre is open (``min_agents`` on the intervals marked open).

Erlang C is searched in one pass of the Erlang B recursion over all intervals at once: at
each agent count ``n`` the intervals not yet satisfied are tested, and leave the search as
soon as they are. Erlang A starts from the Erlang C answer (callers who hang up make the
queue shorter, so it is usually at or a little above the Erlang A answer) and steps down
while the targets still hold, or up where the abandon cap needs more agents.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Literal

import numpy as np
import numpy.typing as npt

from wfm.errors import WfmError
from wfm.staffing.erlang import (
    FloatArray,
    IntArray,
    QueueMetrics,
    _erlang_a_from,
    _erlang_c_from,
    _inputs,
    _refuse_endless_queues,
    erlang_b,
)

Model = Literal["erlang_c", "erlang_a"]
MODELS: dict[str, str] = {"erlang_c": "Erlang C", "erlang_a": "Erlang A (with abandonment)"}

#: Beyond this many agents above the traffic, a target that is still not met never will be.
_SEARCH_MARGIN = 60


@dataclass(frozen=True)
class StaffingTarget:
    """The service targets and planning factors a requirement is computed for.

    Any target left ``None`` is not applied. ``service_level`` is a share (0.8 for 80 %) of
    calls answered within ``answer_seconds``. ``max_abandon`` needs the Erlang A model,
    which needs ``patience_seconds`` (the callers' mean patience).
    """

    service_level: float | None = 0.8
    answer_seconds: float = 20.0
    max_asa_seconds: float | None = None
    max_occupancy: float | None = None
    max_abandon: float | None = None
    shrinkage: float = 0.0
    min_agents: int = 0
    model: Model = "erlang_c"
    patience_seconds: float | None = None

    def __post_init__(self) -> None:
        def bad(text: str) -> WfmError:
            return WfmError(f"Staffing target: {text}")

        if self.service_level is not None and not 0.0 <= self.service_level <= 1.0:
            raise bad(
                f"the service level must be between 0 and 1 (80 % is 0.8), not {self.service_level:g}"
            )
        if self.service_level is not None and self.service_level >= 1.0:
            raise bad(
                "a service level of 100 % can never be promised (some caller always waits); use at most 0.999"
            )
        if not (np.isfinite(self.answer_seconds) and self.answer_seconds >= 0):
            raise bad(f"the answer time must be 0 seconds or more, not {self.answer_seconds:g}")
        if self.max_asa_seconds is not None and not self.max_asa_seconds > 0:
            raise bad(f"the ASA target must be more than 0 seconds, not {self.max_asa_seconds:g}")
        if self.max_occupancy is not None and not 0.0 < self.max_occupancy <= 1.0:
            raise bad(
                f"the occupancy cap must be above 0 and at most 1 (85 % is 0.85), not {self.max_occupancy:g}"
            )
        if self.max_abandon is not None and not 0.0 < self.max_abandon <= 1.0:
            raise bad(
                f"the abandon cap must be above 0 and at most 1 (5 % is 0.05), not {self.max_abandon:g}"
            )
        if not 0.0 <= self.shrinkage < 1.0:
            raise bad(
                f"shrinkage must be at least 0 and below 1 (30 % is 0.3), not {self.shrinkage:g}"
            )
        if self.service_level is not None and self.service_level <= 0.0:
            raise bad("a service level target must be above 0 (leave it out to use other targets)")
        if not isinstance(self.min_agents, int | np.integer) or isinstance(self.min_agents, bool):
            raise bad(
                f"the minimum staffing must be a whole number of agents, not {self.min_agents!r}"
            )
        if self.min_agents < 0:
            raise bad(f"the minimum staffing must be 0 or more, not {self.min_agents}")
        if self.model not in MODELS:
            raise bad(f"unknown model {self.model!r}; use one of {', '.join(MODELS)}")
        if self.model == "erlang_a":
            patience = self.patience_seconds
            if patience is None or not (np.isfinite(patience) and patience > 0):
                raise bad("Erlang A needs the callers' mean patience: a number of seconds above 0")
        elif self.max_abandon is not None:
            raise bad("an abandon-rate cap needs the Erlang A model and the callers' patience")

    def with_changes(self, **changes: object) -> StaffingTarget:
        """A copy with some fields changed (validated again)."""
        return replace(self, **changes)  # type: ignore[arg-type]

    def describe(self) -> str:
        """The targets in a planner's words, e.g. ``80/20, occupancy ≤ 85 %, Erlang C``."""
        parts = []
        if self.service_level is not None:
            parts.append(f"{self.service_level * 100:g}/{self.answer_seconds:g}")
        if self.max_asa_seconds is not None:
            parts.append(f"ASA ≤ {self.max_asa_seconds:g} s")
        if self.max_occupancy is not None:
            parts.append(f"occupancy ≤ {self.max_occupancy * 100:g} %")
        if self.max_abandon is not None:
            parts.append(f"abandons ≤ {self.max_abandon * 100:g} %")
        if self.shrinkage:
            parts.append(f"shrinkage {self.shrinkage * 100:g} %")
        if self.min_agents:
            parts.append(f"at least {self.min_agents} while open")
        model = MODELS[self.model]
        if self.model == "erlang_a":
            model += f", patience {self.patience_seconds:g} s"
        parts.append(model)
        return ", ".join(parts)


@dataclass(frozen=True)
class Requirement:
    """Agents needed per interval and what they achieve.

    ``agents`` are on the phones (net); ``scheduled`` adds shrinkage; ``metrics`` are the
    queue's figures with ``agents`` on the phones.
    """

    agents: IntArray
    scheduled: IntArray
    metrics: QueueMetrics
    target: StaffingTarget


def required_agents(
    calls: npt.ArrayLike,
    aht_seconds: npt.ArrayLike,
    interval_seconds: npt.ArrayLike,
    target: StaffingTarget,
    *,
    shrinkage: npt.ArrayLike | None = None,
    open_mask: npt.ArrayLike | None = None,
) -> Requirement:
    """The requirement per interval for ``target`` (see the module docs).

    Parameters
    ----------
    calls, aht_seconds, interval_seconds : array_like
        Volume, average handle time (s) and interval length (s) per interval. AHT only
        matters where there are calls; give any positive value elsewhere.
    target : StaffingTarget
        The targets, the model and the planning factors.
    shrinkage : array_like, optional
        Shrinkage per interval, overriding ``target.shrinkage``.
    open_mask : array_like of bool, optional
        Where the centre is open, for ``target.min_agents``; default: where there are calls.

    Raises
    ------
    WfmError
        For a bad input or a target that no number of agents can meet.
    """
    calls_, aht, interval, _, answer = _inputs(
        calls, aht_seconds, interval_seconds, 0, target.answer_seconds
    )
    shrink = _shrinkage(shrinkage, target, calls_.size)
    traffic = calls_ / interval * aht
    is_open = None
    if target.min_agents:
        is_open = calls_ > 0 if open_mask is None else np.asarray(open_mask, dtype=bool)
        if is_open.shape != calls_.shape:
            raise WfmError("The open-hours mask must have one value per interval")
    net = np.zeros(traffic.size, dtype=np.int64)
    parts: list[tuple[npt.NDArray[np.intp], QueueMetrics]] = []
    for rows in _groups(traffic):
        floor = None if is_open is None else np.where(is_open[rows], target.min_agents, 0)
        net[rows], part = _requirement(
            calls_[rows] / interval[rows], traffic[rows], aht[rows], answer[rows], target, floor
        )
        parts.append((rows, part))
    metrics = _assemble(parts, traffic.size)
    # The small tolerance keeps 14 / (1 - 0.3) = 20.000000000000004 at 20.
    scheduled = np.ceil(net / (1.0 - shrink) - 1e-9).astype(np.int64)
    return Requirement(net, np.maximum(scheduled, net), metrics, target)


def queue_metrics(
    calls: npt.ArrayLike,
    aht_seconds: npt.ArrayLike,
    interval_seconds: npt.ArrayLike,
    agents: npt.ArrayLike,
    target: StaffingTarget,
) -> QueueMetrics:
    """The metrics of the target's model with ``agents`` on the phones."""
    calls_, aht, interval, n, answer = _inputs(
        calls, aht_seconds, interval_seconds, agents, target.answer_seconds
    )
    traffic = calls_ / interval * aht
    return _metrics(traffic, aht, answer, n, target, erlang_b(traffic, n))


def _metrics(
    traffic: FloatArray,
    aht: FloatArray,
    answer: FloatArray,
    agents: IntArray,
    target: StaffingTarget,
    b: FloatArray,
) -> QueueMetrics:
    """The target model's metrics with ``agents`` on the phones, given Erlang B for them."""
    if target.model == "erlang_a":
        patience = np.full(traffic.shape, float(target.patience_seconds or 0.0))
        with np.errstate(divide="ignore"):  # log 0 = -inf: B underflowed, nobody waits
            log_b = np.log(b)
        metrics = _erlang_a_from(traffic / aht, traffic, agents, aht, answer, patience, log_b)
        _refuse_endless_queues(metrics)
        return metrics
    return _erlang_c_from(traffic, agents, aht, answer, b)


def _shrinkage(shrinkage: npt.ArrayLike | None, target: StaffingTarget, size: int) -> FloatArray:
    if shrinkage is None:
        return np.full(size, target.shrinkage)
    values = np.array(np.broadcast_to(np.asarray(shrinkage, dtype=float), (size,)), dtype=float)
    bad = ~np.isfinite(values) | (values < 0) | (values >= 1)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise WfmError(
            f"Shrinkage must be at least 0 and below 1 (30 % is 0.3); interval {i + 1} has {values[i]:g}"
        )
    return values


def _meets(metrics: QueueMetrics, target: StaffingTarget) -> npt.NDArray[np.bool_]:
    ok = np.ones(metrics.traffic.shape, dtype=bool)
    # A hair of tolerance so that a target met exactly (SL 80 % at 0.79999999999) counts.
    if target.service_level is not None:
        ok &= metrics.service_level >= target.service_level - 1e-12
    if target.max_asa_seconds is not None:
        ok &= metrics.asa_seconds <= target.max_asa_seconds * (1 + 1e-12)
    if target.max_occupancy is not None:
        ok &= metrics.occupancy <= target.max_occupancy + 1e-12
    if target.max_abandon is not None and metrics.p_abandon is not None:
        ok &= metrics.p_abandon <= target.max_abandon + 1e-12
    return ok


def _impossible(traffic: FloatArray, index: int, target: StaffingTarget) -> WfmError:
    return WfmError(
        f"No number of agents meets the targets ({target.describe()}) in interval "
        f"{index + 1} ({traffic[index]:.1f} Erlangs); relax a target"
    )


class _ErlangBTable:
    """B(n, A) for every n from 0 up, per interval, grown on demand (one recursion step per
    row of the table, vectorised over the intervals)."""

    def __init__(self, traffic: FloatArray) -> None:
        self.traffic = traffic
        self.table = np.empty((64, traffic.size))
        self.table[0] = 1.0
        self.top = 0
        self._den = np.empty(traffic.size)

    def upto(self, top: int) -> FloatArray:
        """The table as an array ``[n, interval]``, filled for n = 0..top at least."""
        if top >= self.table.shape[0]:
            grown = np.empty((max(top + 1, 2 * self.table.shape[0]), self.traffic.size))
            grown[: self.top + 1] = self.table[: self.top + 1]
            self.table = grown
        table, a, den = self.table, self.traffic, self._den
        for n in range(self.top + 1, top + 1):
            ab = np.multiply(a, table[n - 1], out=table[n])
            np.add(ab, n, out=den)
            np.divide(ab, den, out=table[n])
        self.top = max(self.top, top)
        return table


def _erlang_c_requirement(
    traffic: FloatArray, aht: FloatArray, answer: FloatArray, target: StaffingTarget
) -> tuple[IntArray, _ErlangBTable | None]:
    """Smallest N > A meeting the SL, ASA and occupancy targets (Erlang C).

    Every interval is tested on a window of candidate counts at once (a 2-D gather from the
    Erlang B table), starting at the first count that could work (above the traffic, and
    within the occupancy cap); intervals not served by the window try the next, wider one.
    """
    result = np.zeros(traffic.size, dtype=np.int64)
    c_target = replace(target, max_abandon=None, model="erlang_c", patience_seconds=None)
    rows = np.flatnonzero(traffic > 0)
    if rows.size == 0:
        return result, None
    a, h, t = traffic[rows], aht[rows], answer[rows]
    lowest = np.floor(a).astype(np.int64) + 1
    if target.max_occupancy is not None:
        lowest = np.maximum(lowest, np.floor(a / target.max_occupancy).astype(np.int64))
    limit = np.ceil(a + 10.0 * np.sqrt(a) + _SEARCH_MARGIN).astype(np.int64)
    if (lowest > limit).any():
        raise _impossible(traffic, int(rows[np.argmax(lowest > limit)]), target)
    table = _ErlangBTable(a)
    pending = np.arange(rows.size)
    width = 16
    while pending.size:
        counts = lowest[pending, None] + np.arange(width)[None, :]
        b = table.upto(int(counts.max()))[counts, pending[:, None]]
        metrics = _erlang_c_from(
            np.broadcast_to(a[pending, None], counts.shape),
            counts,
            h[pending, None],
            t[pending, None],
            b,
        )
        ok = _meets(metrics, c_target)
        found = ok.any(axis=1)
        first = np.argmax(ok, axis=1)
        result[rows[pending[found]]] = counts[found, first[found]]
        pending = pending[~found]
        lowest[pending] += width
        over = pending[lowest[pending] > limit[pending]]
        if over.size:
            raise _impossible(traffic, int(rows[over[0]]), target)
        width *= 2
    return result, table


#: Cells (agent counts x intervals) of Erlang B table one search may hold (~32 MB).
_TABLE_CELLS = 4_000_000


def _groups(traffic: FloatArray) -> list[npt.NDArray[np.intp]]:
    """The intervals cut into groups, by traffic, whose Erlang B tables stay small.

    One group in the common case; a huge interval among many small ones gets a group of
    its own instead of making every interval's table as tall as its own.
    """
    order = np.argsort(traffic, kind="stable")
    height = np.ceil(traffic[order] + 10.0 * np.sqrt(traffic[order]) + _SEARCH_MARGIN)
    groups, first = [], 0
    while first < order.size:
        # The largest group from `first` whose tallest table x width fits the budget.
        width = np.arange(1, order.size - first + 1)
        fits = height[first:] * width <= _TABLE_CELLS
        size = max(1, int(np.flatnonzero(fits)[-1]) + 1 if fits.any() else 1)
        groups.append(order[first : first + size])
        first += size
    return groups


def _assemble(parts: list[tuple[npt.NDArray[np.intp], QueueMetrics]], size: int) -> QueueMetrics:
    """One QueueMetrics from the metrics of groups of intervals."""
    if len(parts) == 1 and np.array_equal(parts[0][0], np.arange(size)):
        return parts[0][1]
    names = [f.name for f in fields(QueueMetrics)]
    out: dict[str, npt.NDArray[np.float64] | npt.NDArray[np.int64] | None] = {}
    for name in names:
        pieces = [getattr(metrics, name) for _, metrics in parts]
        if any(piece is None for piece in pieces):
            out[name] = None
            continue
        values = np.empty(size, dtype=pieces[0].dtype)
        for (rows, _), piece in zip(parts, pieces, strict=True):
            values[rows] = piece
        out[name] = values
    return QueueMetrics(**out)  # type: ignore[arg-type]


def _requirement(
    lam: FloatArray,
    traffic: FloatArray,
    aht: FloatArray,
    answer: FloatArray,
    target: StaffingTarget,
    floor: IntArray | None,
) -> tuple[IntArray, QueueMetrics]:
    """Net agents and their metrics for one group of intervals."""
    net, table = _erlang_c_requirement(traffic, aht, answer, target)
    if target.model == "erlang_a" and table is not None:
        net = _erlang_a_requirement(lam, traffic, aht, answer, target, net, table)
    if floor is not None:
        net = np.maximum(net, floor)
    busy = traffic > 0
    b = np.ones(traffic.size)
    if table is not None:
        # The Erlang B values of the search serve the metrics too (intervals without calls
        # have B = 1 and give the quiet-queue figures).
        b[busy] = table.upto(int(net.max()))[net[busy], np.arange(int(busy.sum()))]
    return net, _metrics(traffic, aht, answer, net, target, b)


def _erlang_a_requirement(
    lam: FloatArray,
    traffic: FloatArray,
    aht: FloatArray,
    answer: FloatArray,
    target: StaffingTarget,
    start: IntArray,
    table: _ErlangBTable,
) -> IntArray:
    """Smallest N >= 1 meeting every target under Erlang A.

    Every metric improves with N, so a bisection between 0 (never enough when there are
    calls: somebody must answer) and a count that meets the targets finds it. The Erlang C
    answer is the usual upper end; where an abandon cap needs more, the upper end is pushed
    up by doubling steps first. Erlang B comes from the Erlang C search's table.
    """
    patience = np.full(traffic.size, float(target.patience_seconds or 0.0))
    busy = np.flatnonzero(traffic > 0)  # the table's columns, in order
    result = start.copy()
    if busy.size == 0:
        return result

    def meets(cols: npt.NDArray[np.intp], agents: IntArray) -> npt.NDArray[np.bool_]:
        rows = busy[cols]
        with np.errstate(divide="ignore"):
            log_b = np.log(table.upto(int(agents.max()))[agents, cols])
        metrics = _erlang_a_from(
            lam[rows], traffic[rows], agents, aht[rows], answer[rows], patience[rows], log_b
        )
        return _meets(metrics, target)  # NaN (a queue too long to compute) never meets

    cols = np.arange(busy.size)
    hi = start[busy].copy()
    lo = np.zeros(busy.size, dtype=np.int64)
    limit = np.ceil(traffic[busy] + 10.0 * np.sqrt(traffic[busy]) + _SEARCH_MARGIN).astype(np.int64)
    pending = cols[~meets(cols, hi)]
    step = 1
    while pending.size:  # an abandon cap that binds: find a count that meets everything
        lo[pending] = hi[pending]
        hi[pending] = np.minimum(hi[pending] + step, limit[pending])
        failing = ~meets(pending, hi[pending])
        stuck = pending[failing & (hi[pending] >= limit[pending])]
        if stuck.size:
            raise _impossible(traffic, int(busy[stuck[0]]), target)
        pending = pending[failing]
        step *= 2
    open_ = cols[hi - lo > 1]
    while open_.size:
        mid = (lo[open_] + hi[open_]) // 2
        ok = meets(open_, mid)
        hi[open_[ok]] = mid[ok]
        lo[open_[~ok]] = mid[~ok]
        open_ = open_[hi[open_] - lo[open_] > 1]
    result[busy] = hi
    return result
