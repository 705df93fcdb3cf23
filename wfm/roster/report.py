"""The quality report of a roster: how well it covers the need, what it costs, what it breaks.

All hours are agent-hours over the need's days:

- ``required_hours``: the need (on-phone heads x interval length);
- ``scheduled_work_hours``: heads on the phones (breaks excluded) of agents who can take
  at least one queue of the need;
- ``paid_hours``: the roster's paid hours (every shift, unpaid breaks excluded);
- ``under_hours`` / ``over_hours``: what no allocation of heads to queues covers, and heads
  beyond the requirement (:class:`~wfm.roster.coverage.Coverage`);
- ``coverage``: share of the required hours covered;
- ``gap_to_lp``: paid hours over the LP-relaxation lower bound, minus 1 (0.04 is 4 % above
  the bound), when the bound is known.

``per_queue_day`` splits the hours by queue: a queue's scheduled hours are the heads
allocated to it (an agent taking two queues is shared out as in
:func:`wfm.roster.coverage.allocate`), so the queues' hours add up to the centre's
scheduled hours of agents who take a queue of the need.

The projected service level is computed per queue and interval with
:func:`wfm.staffing.requirement.queue_metrics` (the need's target, or the default
:class:`StaffingTarget` 80/20 Erlang C when it has none) on the heads allocated to the queue
*rounded down to whole agents* (a half head from a break does not answer calls at the
Erlang rate), then averaged over queues, days and the horizon weighted by calls. With an
Erlang A target the abandon rate is projected the same way. It needs the need's volume and
AHT; without them the service-level figures are ``None``.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from wfm.errors import WfmError
from wfm.roster.coverage import Coverage, coverage
from wfm.roster.roster import Roster
from wfm.scheduling.need import StaffingNeed
from wfm.staffing.requirement import StaffingTarget, queue_metrics

SL_NOTE = (
    "Projected service level: Erlang on each queue's allocated heads rounded down to whole "
    "agents, weighted by calls."
)


@dataclass(frozen=True, eq=False)
class QualityReport:
    """Quality figures of a roster against a need (see the module docs for definitions)."""

    required_hours: float
    scheduled_work_hours: float
    paid_hours: float
    under_hours: float
    over_hours: float
    coverage: float
    violations: int
    lp_bound_paid_hours: float | None
    gap_to_lp: float | None
    cost: float | None
    service_level: float | None
    abandon_rate: float | None
    per_interval: pd.DataFrame
    per_day: pd.DataFrame
    notes: tuple[str, ...] = field(default=())
    cost_partial: bool = False  # some paid hours are of agents without an hourly cost
    #: queue, date, required_hours, scheduled_hours, under_hours, calls, service_level (NaN
    #: where not projected), and abandon_rate with an Erlang A target
    per_queue_day: pd.DataFrame = field(default_factory=pd.DataFrame)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe figures (no NaN: ``None``); dates and times as ISO text."""
        out: dict[str, Any] = {
            "required_hours": self.required_hours,
            "scheduled_work_hours": self.scheduled_work_hours,
            "paid_hours": self.paid_hours,
            "under_hours": self.under_hours,
            "over_hours": self.over_hours,
            "coverage": self.coverage,
            "violations": self.violations,
            "lp_bound_paid_hours": self.lp_bound_paid_hours,
            "gap_to_lp": self.gap_to_lp,
            "cost": self.cost,
            "cost_partial": self.cost_partial,
            "service_level": self.service_level,
            "abandon_rate": self.abandon_rate,
            "notes": list(self.notes),
        }
        out = {k: _json(v) for k, v in out.items()}
        out["per_day"] = _records(self.per_day)
        out["per_interval"] = _records(self.per_interval)
        out["per_queue_day"] = _records(self.per_queue_day)
        return out


def _json(value: object) -> Any:
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return None if not math.isfinite(float(value)) else float(value)
    if isinstance(value, list):
        return [_json(v) for v in value]
    return value


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    columns = list(frame.columns)
    values = [frame[c].tolist() for c in columns]
    return [
        {c: _json(v[i]) for c, v in zip(columns, values, strict=True)} for i in range(len(frame))
    ]


def quality_report(
    roster: Roster,
    need: StaffingNeed,
    lp_bound_paid_hours: float | None = None,
    *,
    violations: int | None = None,
    cover: Coverage | None = None,
) -> QualityReport:
    """The quality figures of ``roster`` against ``need``.

    ``violations`` (a count) and ``cover`` may be passed when already known (the editor
    keeps both); otherwise they are computed.
    """
    if violations is None:
        from wfm.roster.rules import validate

        violations = len(validate(roster))
    cov = cover if cover is not None else coverage(roster, need)
    hours = need.interval_minutes / 60.0
    required = need.required.sum(axis=0)  # (day, interval)
    scheduled = cov.scheduled
    under = cov.under
    over = cov.over
    paid = roster.paid_hours()
    notes: list[str] = []
    sl, abandon, calls = projected_sl(cov, need, notes)

    dates = need.dates()
    per_day_n = need.intervals_per_day
    day_index = np.repeat(np.arange(need.days), per_day_n)
    minutes = np.tile(np.arange(per_day_n) * need.interval_minutes, need.days)
    stamps = pd.to_datetime([d.isoformat() for d in dates]).repeat(per_day_n) + pd.to_timedelta(
        minutes, unit="min"
    )
    per_interval = pd.DataFrame(
        {
            "date": [dates[i] for i in day_index],
            "interval_start": stamps,
            "required": required.ravel(),
            "scheduled": scheduled.ravel(),
            "under": under.ravel(),
            "over": over.ravel(),
        }
    )
    req_day = required.sum(axis=1) * hours
    under_day = under.sum(axis=1) * hours
    per_day = pd.DataFrame(
        {
            "date": dates,
            "required_hours": req_day,
            "scheduled_hours": scheduled.sum(axis=1) * hours,
            "under_hours": under_day,
            "over_hours": over.sum(axis=1) * hours,
            "coverage": np.where(
                req_day > 0, 1.0 - under_day / np.where(req_day > 0, req_day, 1.0), 1.0
            ),
        }
    )
    per_queue_day = _per_queue_day(cov, sl, abandon, calls)
    service_level = abandon_rate = None
    if sl is not None and calls is not None:
        # sl, abandon and calls are per (queue, day, interval): every figure is weighted by
        # the calls of the queues and intervals that have a projection
        per_interval["calls"] = calls.sum(axis=0).ravel()
        per_interval["service_level"] = weighted_mean(sl, calls, axis=0).ravel()
        per_day["calls"] = calls.sum(axis=(0, 2))
        per_day["service_level"] = weighted_mean(sl, calls, axis=(0, 2))
        service_level = finite_or_none(weighted_mean(sl, calls, axis=None))
        if abandon is not None:
            per_interval["abandon_rate"] = weighted_mean(abandon, calls, axis=0).ravel()
            per_day["abandon_rate"] = weighted_mean(abandon, calls, axis=(0, 2))
            abandon_rate = finite_or_none(weighted_mean(abandon, calls, axis=None))

    lp = lp_bound_paid_hours
    gap = None if lp is None or lp <= 0 else paid / lp - 1.0
    cost, unpriced = _cost(roster)
    if cost is not None and unpriced:
        names = ", ".join(unpriced[:3]) + (
            f" and {len(unpriced) - 3} more" if len(unpriced) > 3 else ""
        )
        notes.append(
            f"The cost is partial: {names} {'have' if len(unpriced) > 1 else 'has'} no hourly "
            "cost, so their paid hours are not in it."
        )
    return QualityReport(
        required_hours=need.required_hours(),
        scheduled_work_hours=cov.hours(scheduled),
        paid_hours=paid,
        under_hours=cov.hours(under),
        over_hours=cov.hours(over),
        coverage=cov.coverage_share(),
        violations=int(violations),
        lp_bound_paid_hours=lp,
        gap_to_lp=gap,
        cost=cost,
        service_level=service_level,
        abandon_rate=abandon_rate,
        per_interval=per_interval,
        per_day=per_day,
        notes=tuple(notes),
        cost_partial=bool(cost is not None and unpriced),
        per_queue_day=per_queue_day,
    )


def _per_queue_day(
    cov: Coverage,
    sl: np.ndarray | None,
    abandon: np.ndarray | None,
    calls: np.ndarray | None,
) -> pd.DataFrame:
    """Hours, calls and the projected service level per queue and day (queue-major rows)."""
    need = cov.need
    hours = need.interval_minutes / 60.0
    n_queues, n_days = len(need.queues), need.days
    required = need.required.sum(axis=2) * hours
    allocated = cov.allocated.sum(axis=2) * hours
    under = np.clip(need.required - cov.allocated, 0.0, None).sum(axis=2) * hours
    dates = need.dates()
    frame = pd.DataFrame(
        {
            "queue": pd.Series(
                np.repeat(np.asarray(need.queues, dtype=object), n_days), dtype=object
            ),
            "date": pd.Series([d for _ in range(n_queues) for d in dates], dtype=object),
            "required_hours": required.ravel(),
            "scheduled_hours": allocated.ravel(),
            "under_hours": under.ravel(),
        }
    )
    nan = np.full(n_queues * n_days, np.nan)
    if sl is not None and calls is not None:
        frame["calls"] = calls.sum(axis=2).ravel()
        frame["service_level"] = weighted_mean(sl, calls, axis=2).ravel()
        if abandon is not None:
            frame["abandon_rate"] = weighted_mean(abandon, calls, axis=2).ravel()
    else:
        frame["calls"] = nan
        frame["service_level"] = nan
    return frame


def _cost(roster: Roster) -> tuple[float | None, list[str]]:
    """Paid hours x hourly cost (None when no agent has a cost), and the agents with paid
    hours but no cost (in roster order)."""
    rates = {a.name: a.hourly_cost for a in roster.agents if a.hourly_cost is not None}
    if not rates:
        return None, []
    working = {s.agent for s in roster.shifts.values() if s.paid_minutes > 0}
    unpriced = [a.name for a in roster.agents if a.name in working and a.name not in rates]
    total = sum(s.paid_minutes / 60.0 * rates.get(s.agent, 0.0) for s in roster.shifts.values())
    return total, unpriced


def finite_or_none(value: np.ndarray | float) -> float | None:
    """``value`` as a float, or None when it is NaN or infinite."""
    v = float(value)
    return v if math.isfinite(v) else None


def weighted_mean(
    values: np.ndarray, weights: np.ndarray, axis: int | tuple[int, ...] | None
) -> np.ndarray:
    """Weighted mean of ``values`` over ``axis`` (NaN values carry no weight; NaN where the
    weights sum to 0)."""
    num = np.nansum(values * weights, axis=axis)
    den = np.sum(np.where(np.isnan(values), 0.0, weights), axis=axis)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def projected_sl(
    cov: Coverage, need: StaffingNeed, notes: list[str]
) -> tuple[np.ndarray | None, np.ndarray | None, np.ndarray | None]:
    """Service level, abandon rate (NaN where not projected) and calls per (queue, day,
    interval); ``None`` without volume and AHT. Calls with no projection (no AHT, or an
    interval Erlang A cannot describe) get no weight."""
    if need.volume is None or need.aht_seconds is None:
        return None, None, None
    target = need.target or StaffingTarget()
    erlang_a = target.model == "erlang_a"
    interval_s = need.interval_minutes * 60.0
    heads = np.floor(cov.allocated + 1e-6)
    sl = np.full(need.required.shape, np.nan)
    ab = np.full(need.required.shape, np.nan) if erlang_a else None
    for q in range(len(need.queues)):
        calls = need.volume[q]
        aht = need.aht_seconds[q]
        mask = (calls > 0) & (aht > 0)
        if not mask.any():
            continue
        args = (calls[mask], aht[mask], interval_s, heads[q][mask])
        try:
            m_sl, m_ab = _metrics(*args, target)
        except WfmError:
            # one interval Erlang A cannot describe (a queue without end) must not cost
            # the queue its other intervals: project them one by one
            m_sl, m_ab, failed = _metrics_each(*args, target)
            notes.append(
                f"No projected service level for {need.queues[q]} in {failed} interval"
                f"{'s' if failed != 1 else ''}: too few agents for callers that patient."
            )
        sl[q][mask] = m_sl
        if ab is not None and m_ab is not None:
            ab[q][mask] = m_ab
    notes.append(SL_NOTE)
    return sl, ab, need.volume


def _metrics(
    calls: np.ndarray, aht: np.ndarray, interval_s: float, heads: np.ndarray, target: StaffingTarget
) -> tuple[np.ndarray, np.ndarray | None]:
    m = queue_metrics(calls, aht, interval_s, heads, target)
    return m.service_level, m.p_abandon


def _metrics_each(
    calls: np.ndarray, aht: np.ndarray, interval_s: float, heads: np.ndarray, target: StaffingTarget
) -> tuple[np.ndarray, np.ndarray, int]:
    """Like :func:`_metrics` one interval at a time, NaN where it fails; and the failures."""
    sl = np.full(calls.shape, np.nan)
    ab = np.full(calls.shape, np.nan)
    failed = 0
    for i in range(calls.size):
        try:
            one_sl, one_ab = _metrics(
                calls[i : i + 1], aht[i : i + 1], interval_s, heads[i : i + 1], target
            )
        except WfmError:
            failed += 1
            continue
        sl[i] = one_sl[0]
        if one_ab is not None:
            ab[i] = one_ab[0]
    return sl, ab, failed
