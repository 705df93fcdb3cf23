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
            "service_level": self.service_level,
            "abandon_rate": self.abandon_rate,
            "notes": list(self.notes),
        }
        out = {k: _json(v) for k, v in out.items()}
        out["per_day"] = _records(self.per_day)
        out["per_interval"] = _records(self.per_interval)
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
    sl, abandon, calls = _projected_sl(cov, need, notes)

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
    service_level = abandon_rate = None
    if sl is not None and calls is not None:
        per_interval["calls"] = calls.ravel()
        per_interval["service_level"] = sl.ravel()
        per_day["calls"] = calls.sum(axis=1)
        per_day["service_level"] = _weighted(sl, calls, axis=1)
        service_level = _scalar(_weighted(sl, calls, axis=None))
        if abandon is not None:
            per_interval["abandon_rate"] = abandon.ravel()
            per_day["abandon_rate"] = _weighted(abandon, calls, axis=1)
            abandon_rate = _scalar(_weighted(abandon, calls, axis=None))

    lp = lp_bound_paid_hours
    gap = None if lp is None or lp <= 0 else paid / lp - 1.0
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
        cost=_cost(roster),
        service_level=service_level,
        abandon_rate=abandon_rate,
        per_interval=per_interval,
        per_day=per_day,
        notes=tuple(notes),
    )


def _cost(roster: Roster) -> float | None:
    rates = {a.name: a.hourly_cost for a in roster.agents if a.hourly_cost is not None}
    if not rates:
        return None
    return sum(s.paid_minutes / 60.0 * rates.get(s.agent, 0.0) for s in roster.shifts.values())


def _scalar(value: np.ndarray | float) -> float | None:
    v = float(value)
    return v if math.isfinite(v) else None


def _weighted(values: np.ndarray, weights: np.ndarray, axis: int | None) -> np.ndarray:
    """Weighted mean (NaN where the weights sum to 0)."""
    num = np.nansum(values * weights, axis=axis)
    den = np.sum(np.where(np.isnan(values), 0.0, weights), axis=axis)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def _projected_sl(
    cov: Coverage, need: StaffingNeed, notes: list[str]
) -> tuple[np.ndarray | None, np.ndarray | None, np.ndarray | None]:
    """Service level and abandon rate per (day, interval), weighted over queues by calls,
    and the calls; ``None`` without volume and AHT."""
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
        try:
            m = queue_metrics(calls[mask], aht[mask], interval_s, heads[q][mask], target)
        except WfmError as exc:
            notes.append(f"No projected service level for {need.queues[q]}: {exc}")
            continue
        sl[q][mask] = m.service_level
        if ab is not None and m.p_abandon is not None:
            ab[q][mask] = m.p_abandon
    volume = need.volume
    calls_total = volume.sum(axis=0)
    sl_total = _weighted(sl, volume, axis=0)
    ab_total = None if ab is None else _weighted(ab, volume, axis=0)
    notes.append(SL_NOTE)
    return sl_total, ab_total, calls_total
