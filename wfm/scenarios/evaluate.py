"""Evaluating what-if scenarios against the base plan: requirement, FTE, cost and the
service the current roster would give.

For a :class:`Plan` (demand, interval length, staffing target, optionally the current
roster and an hourly cost) and a :class:`~wfm.scenarios.model.Scenario`:

- **Requirement**: :func:`wfm.staffing.demand.staff` on the scenario's demand and target;
  ``required`` is the scheduled heads (``scheduled_agents``, shrinkage included), per
  interval, and ``change`` is the difference from the base plan's.
- **FTE** = required agent-hours / (``fte_hours_per_week`` x days / 7), days being the
  demand's dates. **Cost** = required agent-hours x the hourly cost of one agent (the
  plan's, else the mean over the roster's agents who have one; unknown otherwise).
- **Roster kept**: the roster does not change; its heads are allocated to the queues of the
  scenario's requirement (:func:`wfm.roster.coverage.coverage`) and the service level (and,
  with an Erlang A target, the abandon rate) is projected exactly as the roster's quality
  report does (:func:`wfm.roster.report.quality_report`: the target's model on the heads
  allocated to each queue rounded down to whole agents, weighted by calls). A headcount
  change of ``k`` agents on a roster of ``N`` working agents scales every interval's heads
  by ``(N + k) / N``: an *average* effect (as if every shift lost or gained the same share),
  not a re-roster; the real effect depends on whom you hire or lose.
- **Simulation** (``simulate=True``): :func:`wfm.staffing.simulate.simulate_day` per queue
  and day on the kept heads rounded down, with the scenario's volume and AHT and the
  target's patience (none under Erlang C); the service level is weighted by the expected
  calls of each queue and day, and its confidence interval combines the days' intervals as
  independent estimates.

Everything is vectorised over intervals; the loops run over queues, days and scenarios.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from wfm.errors import WfmError
from wfm.progress import ProgressCallback, report, wrap_callback
from wfm.roster.coverage import Coverage, coverage
from wfm.roster.roster import Roster
from wfm.scenarios.model import Scenario, Where
from wfm.scheduling.model import MINUTES_PER_DAY
from wfm.scheduling.need import StaffingNeed
from wfm.staffing.demand import DEMAND_COLUMNS, open_intervals, staff
from wfm.staffing.requirement import StaffingTarget

__all__ = [
    "COMPARISON_COLUMNS",
    "Plan",
    "ScenarioResult",
    "SENSITIVITY_COLUMNS",
    "apply_scenario",
    "compare",
    "evaluate",
    "kept_service_level",
    "promote",
    "sensitivity",
]

#: Columns of :func:`compare`, in order.
COMPARISON_COLUMNS = (
    "scenario",
    "changes",
    "calls",
    "aht_seconds",
    "required_hours",
    "change_hours",
    "change_pct",
    "fte",
    "fte_change",
    "cost",
    "cost_change",
    "service_level_kept",
    "abandon_kept",
    "simulated_sl",
    "simulated_sl_low",
    "simulated_sl_high",
)
#: Columns of :func:`sensitivity`, in order.
SENSITIVITY_COLUMNS = ("factor", "step", "value", "fte", "fte_change", "fte_change_pct")
#: The name of the base plan's row in :func:`compare`.
BASE_NAME = "Base"


@dataclass(frozen=True)
class Plan:
    """The base plan a scenario changes.

    Parameters
    ----------
    demand
        ``queue, interval_start, volume, aht_seconds`` (and optionally ``shrinkage``), one
        row per queue and interval; starts are local wall-clock times.
    interval_minutes
        Length of the demand's intervals.
    target
        The staffing target of the base plan.
    roster
        The current roster, kept unchanged in every scenario; ``None``: no projection of the
        service it gives.
    hourly_cost
        Cost of one paid agent-hour; ``None``: the mean hourly cost of the roster's agents
        who have one, else unknown.
    fte_hours_per_week
        Paid hours of one full-time equivalent a week.
    """

    demand: pd.DataFrame
    interval_minutes: int
    target: StaffingTarget
    roster: Roster | None = None
    hourly_cost: float | None = None
    fte_hours_per_week: float = 40.0

    def __post_init__(self) -> None:
        missing = [c for c in DEMAND_COLUMNS if c not in self.demand.columns]
        if missing:
            raise WfmError(f"the plan's demand lacks the column(s) {', '.join(missing)}")
        if self.demand.empty:
            raise WfmError("the plan's demand has no intervals")
        minutes = self.interval_minutes
        if isinstance(minutes, bool) or not isinstance(minutes, int | np.integer):
            raise WfmError(f"the interval length must be whole minutes, not {minutes!r}")
        if minutes <= 0 or MINUTES_PER_DAY % minutes:
            raise WfmError("the interval length must divide the day (15, 30 or 60 minutes)")
        if not (math.isfinite(self.fte_hours_per_week) and self.fte_hours_per_week > 0):
            raise WfmError(
                f"the hours of a full-time week must be above 0, not {self.fte_hours_per_week:g}"
            )
        if self.hourly_cost is not None and not (
            math.isfinite(self.hourly_cost) and self.hourly_cost >= 0
        ):
            raise WfmError(f"the hourly cost must be 0 or more, not {self.hourly_cost:g}")

    @property
    def queues(self) -> tuple[str, ...]:
        """The demand's queues, in order of appearance."""
        return tuple(dict.fromkeys(str(q) for q in self.demand["queue"]))

    @property
    def dates(self) -> tuple[pd.Timestamp, ...]:
        """The demand's dates (midnights), sorted."""
        return tuple(sorted(set(_stamps(self.demand).dt.normalize())))

    @property
    def days(self) -> int:
        """Number of distinct dates in the demand (the FTE's horizon)."""
        return len(self.dates)


@dataclass(frozen=True, eq=False)
class ScenarioResult:
    """What a scenario needs and what the kept roster would give.

    Attributes
    ----------
    scenario
        The scenario; ``None`` for the base plan.
    table
        Per interval: ``queue, interval_start, volume, aht_seconds, required`` (scheduled
        heads, with shrinkage), ``base_required``, ``change``, ``heads_kept`` (heads of the
        kept roster allocated to the queue, scaled by the headcount change; NaN without a
        roster or outside its days), ``service_level_kept`` and ``abandon_kept`` (NaN where
        not projected; the abandon rate only under Erlang A).
    required_hours, base_required_hours
        Scheduled agent-hours of the scenario and of the base plan.
    fte, cost
        Full-time equivalents and cost of ``required_hours`` (cost ``None`` when unknown).
    service_level_kept, abandon_kept
        Projected over the horizon, weighted by calls; ``None`` when not projected.
    simulated_sl, simulated_sl_ci
        Simulated service level and its confidence interval (``simulate=True`` only).
    notes
        What a planner should know about the figures.
    """

    scenario: Scenario | None
    table: pd.DataFrame
    required_hours: float
    base_required_hours: float
    fte: float
    cost: float | None
    service_level_kept: float | None
    abandon_kept: float | None
    simulated_sl: float | None
    simulated_sl_ci: tuple[float, float] | None
    notes: tuple[str, ...] = field(default=())
    #: the targets the requirement was computed for
    target: StaffingTarget | None = None

    @property
    def name(self) -> str:
        """The scenario's name, or ``Base`` for the base plan."""
        return BASE_NAME if self.scenario is None else self.scenario.name

    @property
    def change_hours(self) -> float:
        return self.required_hours - self.base_required_hours


# --- applying ---------------------------------------------------------------------------------
def _stamps(demand: pd.DataFrame) -> pd.Series:
    stamps = pd.to_datetime(demand["interval_start"])
    if isinstance(stamps.dtype, pd.DatetimeTZDtype):
        stamps = stamps.dt.tz_localize(None)
    return stamps


def _check_where(plan: Plan, scenario: Scenario, what: str, where: Where) -> None:
    queues = plan.queues
    unknown = [q for q in where.queues if q not in queues]
    if unknown:
        raise WfmError(
            f"scenario '{scenario.name}': {what} names the queue "
            f"{', '.join(repr(q) for q in unknown)}, which the demand does not have "
            f"(it has {', '.join(queues)})"
        )
    if where.dates:
        have = {d.date() for d in plan.dates}
        outside = [d for d in where.dates if d not in have]
        if outside:
            first, last = min(have), max(have)
            raise WfmError(
                f"scenario '{scenario.name}': {what} names {outside[0].isoformat()}, outside "
                f"the demand ({first.isoformat()} to {last.isoformat()})"
            )


def apply_scenario(plan: Plan, scenario: Scenario) -> Plan:
    """The plan with the scenario's demand and target (its headcount change is not part
    of a plan: :func:`evaluate` applies it to the kept roster).

    Raises
    ------
    WfmError
        Naming the scenario, for a change naming a queue the demand does not have or a date
        outside it, or an AHT change leaving an AHT of 0 s or less where there are calls.
    """
    demand = plan.demand.copy()
    volume = demand["volume"].to_numpy(dtype=float).copy()
    is_open = open_intervals(demand) if any(c.calls is not None for c in scenario.volume) else None
    for i, change in enumerate(scenario.volume, 1):
        _check_where(plan, scenario, f"volume change {i}", change.where)
        rows = change.where.mask(demand)
        if change.percent is not None:
            volume[rows] *= 1.0 + change.percent / 100.0
        else:
            assert change.calls is not None and is_open is not None
            named_hours = change.where.start is not None or change.where.end is not None
            if not named_hours:
                rows &= is_open
            volume[rows] = np.maximum(volume[rows] + change.calls, 0.0)
    aht = demand["aht_seconds"].to_numpy(dtype=float).copy()
    for i, a_change in enumerate(scenario.aht, 1):
        _check_where(plan, scenario, f"AHT change {i}", a_change.where)
        rows = a_change.where.mask(demand)
        if a_change.percent is not None:
            aht[rows] *= 1.0 + a_change.percent / 100.0
        else:
            assert a_change.seconds is not None
            aht[rows] += a_change.seconds
        bad = rows & (aht <= 0) & (volume > 0)
        if bad.any():
            j = int(np.flatnonzero(bad)[0])
            raise WfmError(
                f"scenario '{scenario.name}': AHT change {i} leaves an AHT of {aht[j]:g} s for "
                f"{demand['queue'].iloc[j]} at {_stamps(demand).iloc[j]:%Y-%m-%d %H:%M}; "
                "it must stay above 0 s"
            )
    demand["volume"] = volume
    demand["aht_seconds"] = np.where(aht > 0, aht, 1.0)  # quiet intervals: any positive AHT
    if scenario.shrinkage is not None and "shrinkage" in demand:
        demand = demand.drop(columns="shrinkage")  # the scenario's one figure wins
    try:
        target = scenario.target(plan.target)
    except WfmError as exc:
        raise WfmError(f"scenario '{scenario.name}': {exc}") from None
    return dataclasses.replace(plan, demand=demand, target=target)


def promote(plan: Plan, scenario: Scenario) -> Plan:
    """The scenario made the new base: its demand and target replace the plan's.

    The roster, hourly cost and FTE week are kept. A headcount change is not part of a
    plan (it changes the roster, which the planner edits or re-solves), so it is dropped;
    :func:`promote_notes` says so.
    """
    return apply_scenario(plan, scenario)


def promote_notes(scenario: Scenario) -> tuple[str, ...]:
    """What promoting ``scenario`` leaves out, in a planner's words."""
    if not scenario.headcount:
        return ()
    n = abs(scenario.headcount)
    verb = "adding" if scenario.headcount > 0 else "removing"
    return (
        f"The base plan takes the scenario's demand and targets; {verb} {n} agent"
        f"{'s' if n != 1 else ''} is a roster change: edit or re-solve the roster for it.",
    )


# --- evaluating -------------------------------------------------------------------------------
def _staff(plan: Plan) -> pd.DataFrame:
    return staff(plan.demand, plan.interval_minutes, plan.target)


def _hours(table: pd.DataFrame, interval_minutes: int) -> float:
    return float(table["scheduled_agents"].to_numpy(dtype=float).sum() * interval_minutes / 60.0)


def _fte(hours: float, plan: Plan) -> float:
    weeks = plan.days / 7.0
    return hours / (plan.fte_hours_per_week * weeks) if weeks > 0 else math.nan


def _hourly_cost(plan: Plan, notes: list[str]) -> float | None:
    if plan.hourly_cost is not None:
        return float(plan.hourly_cost)
    rates = [a.hourly_cost for a in plan.roster.agents] if plan.roster is not None else []
    known = [r for r in rates if r is not None]
    if not known:
        notes.append(
            "Cost unknown: give an hourly cost per agent (no agent of the roster has one)."
            if plan.roster is not None
            else "Cost unknown: give an hourly cost per agent."
        )
        return None
    mean = float(np.mean(known))
    notes.append(f"Cost at {mean:.2f} per agent-hour, the mean hourly cost of the roster's agents.")
    return mean


def _working_agents(roster: Roster) -> int:
    return len({s.agent for s in roster.shifts.values()})


def kept_service_level(
    roster: Roster,
    table: pd.DataFrame,
    interval_minutes: int,
    target: StaffingTarget,
    headcount: int = 0,
    notes: list[str] | None = None,
) -> tuple[StaffingNeed, Coverage, np.ndarray | None, np.ndarray | None]:
    """The kept roster's heads and projected service against a staffing table.

    Parameters
    ----------
    roster
        The roster kept; its days are the projection's days.
    table
        A staffing table as :func:`wfm.staffing.demand.staff` returns it.
    interval_minutes, target
        The table's interval length and target.
    headcount
        Agents added (+) or removed (-): every interval's heads are scaled by
        ``(N + headcount) / N`` with ``N`` the roster's working agents.
    notes
        Notes are appended here.

    Returns
    -------
    need, cover, service_level, abandon
        The need on the roster's days (from the table's ``scheduled_agents``, with its
        volume and AHT), the (scaled) coverage, and the projected service level and abandon
        rate per (queue, day, interval) as :func:`wfm.roster.report.quality_report` projects
        them (NaN where not projected; abandon ``None`` without Erlang A).
    """
    from wfm.roster.report import projected_sl

    notes = [] if notes is None else notes
    need = StaffingNeed.from_table(
        table,
        interval_minutes,
        column="scheduled_agents",
        target=target,
        start=roster.start,
        days=roster.days,
    )
    cov = coverage(roster, need)
    if headcount:
        working = _working_agents(roster)
        if working == 0:
            notes.append("The headcount change is ignored: the roster has no shifts.")
        else:
            factor = max(0.0, (working + headcount) / working)
            cov = Coverage(need, cov.groups, cov.heads * factor, cov.allocated * factor)
            notes.append(
                f"Headcount {headcount:+d}: the roster's heads are scaled by "
                f"{working + headcount}/{working} in every interval (an average effect, "
                "not a re-roster)."
            )
    sl, abandon, _ = projected_sl(cov, need, notes)
    return need, cov, sl, abandon


def _grid_index(
    table: pd.DataFrame, need: StaffingNeed
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per table row: queue, day and interval index in ``need``, and whether it is inside."""
    stamps = _stamps(table)
    q = pd.Index(need.queues).get_indexer(table["queue"].astype(str))
    d = (stamps.dt.normalize() - pd.Timestamp(need.start)).dt.days.to_numpy()
    t = ((stamps.dt.hour * 60 + stamps.dt.minute) // need.interval_minutes).to_numpy()
    inside = (q >= 0) & (d >= 0) & (d < need.days)
    return np.where(inside, q, 0), np.where(inside, d, 0), t, inside


def _weighted(values: np.ndarray, weights: np.ndarray) -> float | None:
    """The horizon's figure, weighted by calls exactly as the quality report weights it."""
    from wfm.roster.report import finite_or_none
    from wfm.roster.report import weighted_mean as report_weighted

    return finite_or_none(report_weighted(values, weights, axis=None))


def evaluate(
    plan: Plan,
    scenario: Scenario | None = None,
    *,
    simulate: bool = False,
    replications: int = 10,
    progress: ProgressCallback | None = None,
) -> ScenarioResult:
    """Evaluate ``scenario`` (``None``: the base plan) against the plan (see the module docs).

    Parameters
    ----------
    plan
        The base plan.
    scenario
        The changes; ``None`` evaluates the base plan itself.
    simulate
        Also simulate the kept roster's service level (slower; needs a roster).
    replications
        Simulated days per queue and day.
    progress
        ``progress(fraction, message)``; raising :class:`~wfm.progress.Cancelled` stops.

    Raises
    ------
    WfmError
        For a scenario that does not fit the plan, or targets nobody can meet.
    """
    return _evaluate(plan, scenario, None, simulate, replications, progress)


def _evaluate(
    plan: Plan,
    scenario: Scenario | None,
    base_table: pd.DataFrame | None,
    simulate: bool,
    replications: int,
    progress: ProgressCallback | None,
) -> ScenarioResult:
    report(progress, 0.0, f"Requirement of {scenario.name if scenario else BASE_NAME}")
    if base_table is None:
        base_table = _staff(plan)
    changed = plan if scenario is None else apply_scenario(plan, scenario)
    try:
        table = base_table if scenario is None else _staff(changed)
    except WfmError as exc:
        if scenario is None:
            raise
        raise WfmError(f"scenario '{scenario.name}': {exc}") from None
    notes: list[str] = []
    im = plan.interval_minutes
    out = pd.DataFrame(
        {
            "queue": table["queue"].to_numpy(),
            "interval_start": table["interval_start"].to_numpy(),
            "volume": table["volume"].to_numpy(dtype=float),
            "aht_seconds": table["aht_seconds"].to_numpy(dtype=float),
            "required": table["scheduled_agents"].to_numpy(dtype=np.int64),
            "base_required": base_table["scheduled_agents"].to_numpy(dtype=np.int64),
        }
    )
    out["change"] = out["required"] - out["base_required"]
    nan = np.full(len(out), np.nan)
    out["heads_kept"], out["service_level_kept"], out["abandon_kept"] = nan, nan, nan.copy()
    sl_kept = ab_kept = sim_sl = None
    sim_ci: tuple[float, float] | None = None
    headcount = scenario.headcount if scenario is not None else 0
    if plan.roster is not None:
        report(progress, 0.05, "Projecting the roster kept")
        need, cov, sl, ab = kept_service_level(
            plan.roster, table, im, changed.target, headcount, notes
        )
        q, d, t, inside = _grid_index(table, need)
        out["heads_kept"] = np.where(inside, cov.allocated[q, d, t], np.nan)
        calls = need.volume if need.volume is not None else np.zeros(need.required.shape)
        if sl is not None:
            out["service_level_kept"] = np.where(inside, sl[q, d, t], np.nan)
            sl_kept = _weighted(sl.ravel(), calls.ravel())
        if ab is not None:
            out["abandon_kept"] = np.where(inside, ab[q, d, t], np.nan)
            ab_kept = _weighted(ab.ravel(), calls.ravel())
        if (~inside).any():
            notes.append(
                "The roster covers only part of the demand's days; the service it gives is "
                "projected on its own days."
            )
        if simulate:
            sim_sl, sim_ci = _simulate(
                need, cov, changed.target, replications, wrap_callback(progress, 0.1, 1.0)
            )
    elif headcount:
        notes.append("The headcount change needs a roster to apply to; it is ignored.")
    if simulate and plan.roster is None:
        notes.append("No simulation: it needs the roster kept.")
    hours = _hours(table, im)
    base_hours = _hours(base_table, im)
    rate = _hourly_cost(plan, notes)
    report(progress, 1.0, "Done")
    return ScenarioResult(
        scenario=scenario,
        table=out,
        required_hours=hours,
        base_required_hours=base_hours,
        fte=_fte(hours, plan),
        cost=None if rate is None else hours * rate,
        service_level_kept=sl_kept,
        abandon_kept=ab_kept,
        simulated_sl=sim_sl,
        simulated_sl_ci=sim_ci,
        notes=tuple(dict.fromkeys(notes)),
        target=changed.target,
    )


def _simulate(
    need: StaffingNeed,
    cov: Coverage,
    target: StaffingTarget,
    replications: int,
    progress: ProgressCallback | None,
) -> tuple[float | None, tuple[float, float] | None]:
    """Call-weighted simulated service level over the need's queues and days, and its
    confidence interval (``None`` with one replication)."""
    from wfm.staffing.simulate import simulate_day

    if need.volume is None or need.aht_seconds is None:
        return None, None
    heads = np.floor(cov.allocated + 1e-6)
    patience = target.patience_seconds if target.model == "erlang_a" else None
    daily = need.volume.sum(axis=2)
    tasks = [(q, d) for q in range(len(need.queues)) for d in range(need.days) if daily[q, d] > 0]
    values, halves, weights = [], [], []
    for k, (q, d) in enumerate(tasks):
        name = f"{need.queues[q]} {need.dates()[d]:%a %d %b}"
        sub = wrap_callback(progress, k / len(tasks), (k + 1) / len(tasks))
        report(sub, 0.0, f"Simulating {name}")
        result = simulate_day(
            need.volume[q, d],
            np.where(need.volume[q, d] > 0, need.aht_seconds[q, d], 1.0),
            heads[q, d],
            interval_minutes=need.interval_minutes,
            answer_seconds=target.answer_seconds,
            patience_seconds=patience,
            replications=replications,
            seed=1_000 * q + d,
            progress=sub,
        )
        sl = result.day.service_level
        if math.isfinite(sl.value):
            values.append(sl.value)
            halves.append(sl.half_width)
            weights.append(float(daily[q, d]))
    if not values:
        return None, None
    w = np.asarray(weights) / float(np.sum(weights))
    value = float(np.dot(w, values))
    # Independent days: the half-widths (same t quantile) combine as a weighted sum of variances.
    half = float(np.sqrt(np.sum((w * np.asarray(halves)) ** 2)))
    if not math.isfinite(half):
        return value, None
    return value, (max(0.0, value - half), min(1.0, value + half))


def compare(
    plan: Plan,
    scenarios: Sequence[Scenario],
    *,
    simulate: bool = False,
    replications: int = 10,
    progress: ProgressCallback | None = None,
) -> pd.DataFrame:
    """Scenarios side by side, the base plan first (see :data:`COMPARISON_COLUMNS`).

    ``changes`` lists the scenario's changes ("; "-separated; the targets for the base);
    ``calls`` is the horizon's volume and ``aht_seconds`` its call-weighted AHT;
    ``change_hours``, ``fte_change`` and ``cost_change`` are against the base, and
    ``change_pct`` is ``change_hours`` in percent of the base's hours. The kept roster's
    figures are NaN without a roster; the simulated ones NaN unless ``simulate``.
    """
    return comparison_frame(
        evaluate_all(
            plan, scenarios, simulate=simulate, replications=replications, progress=progress
        )
    )


def evaluate_all(
    plan: Plan,
    scenarios: Sequence[Scenario],
    *,
    simulate: bool = False,
    replications: int = 10,
    progress: ProgressCallback | None = None,
) -> list[ScenarioResult]:
    """:func:`evaluate` of the base plan and of each scenario (base first), sharing the
    base's requirement."""
    base_table = _staff(plan)
    n = len(scenarios) + 1
    results = []
    for k, scenario in enumerate([None, *scenarios]):
        sub = wrap_callback(progress, k / n, (k + 1) / n)
        results.append(_evaluate(plan, scenario, base_table, simulate, replications, sub))
    return results


def comparison_frame(results: Sequence[ScenarioResult]) -> pd.DataFrame:
    """The comparison table of results whose first is the base (see :func:`compare`)."""
    base = results[0]
    rows = []
    for r in results:
        calls = float(r.table["volume"].sum())
        aht = (
            float((r.table["volume"] * r.table["aht_seconds"]).sum() / calls)
            if calls > 0
            else math.nan
        )
        if r.scenario is None:
            changes = "Base plan: " + (r.target.describe() if r.target is not None else "")
        else:
            changes = "; ".join(r.scenario.describe()) or "No change"
        lo, hi = r.simulated_sl_ci if r.simulated_sl_ci is not None else (math.nan, math.nan)
        rows.append(
            {
                "scenario": r.name,
                "changes": changes,
                "calls": calls,
                "aht_seconds": aht,
                "required_hours": r.required_hours,
                "change_hours": r.required_hours - base.required_hours,
                "change_pct": _pct(r.required_hours - base.required_hours, base.required_hours),
                "fte": r.fte,
                "fte_change": r.fte - base.fte,
                "cost": _num(r.cost),
                "cost_change": math.nan
                if r.cost is None or base.cost is None
                else r.cost - base.cost,
                "service_level_kept": _num(r.service_level_kept),
                "abandon_kept": _num(r.abandon_kept),
                "simulated_sl": _num(r.simulated_sl),
                "simulated_sl_low": lo,
                "simulated_sl_high": hi,
            }
        )
    return pd.DataFrame(rows, columns=list(COMPARISON_COLUMNS))


def _num(value: float | None) -> float:
    return math.nan if value is None else float(value)


def _pct(change: float, base: float) -> float:
    return change / base * 100.0 if base > 0 else math.nan


def sensitivity(plan: Plan, step: float = 0.10) -> pd.DataFrame:
    """FTE change for ``-step`` and ``+step`` of the volume, the AHT and the shrinkage.

    Rows are ``volume``, ``aht`` and ``shrinkage``, each at ``-step`` then ``+step``
    (see :data:`SENSITIVITY_COLUMNS`): ``value`` is the factor's new figure (its total
    calls, call-weighted AHT or mean shrinkage), ``fte_change`` is against the base plan
    and ``fte_change_pct`` in percent of the base's FTE.

    Shrinkage moves *relatively*, like the other two: ``+10 %`` of a 30 % shrinkage is 33 %,
    not 40 % (a per-interval shrinkage column moves the same way). A plan without
    shrinkage therefore shows no change for it.
    """
    if not (math.isfinite(step) and 0 < step < 1):
        raise WfmError(f"the sensitivity step must be between 0 and 1 (0.1 for 10 %), not {step:g}")
    base_fte = _fte(_hours(_staff(plan), plan.interval_minutes), plan)
    demand = plan.demand
    calls = demand["volume"].to_numpy(dtype=float)
    aht = demand["aht_seconds"].to_numpy(dtype=float)
    rows = []
    for factor in ("volume", "aht", "shrinkage"):
        for sign in (-1.0, 1.0):
            scale = 1.0 + sign * step
            changed = demand.copy()
            target = plan.target
            if factor == "volume":
                changed["volume"] = calls * scale
                value = float(calls.sum() * scale)
            elif factor == "aht":
                changed["aht_seconds"] = aht * scale
                value = (
                    float((calls * aht).sum() / calls.sum() * scale) if calls.sum() else math.nan
                )
            else:
                top = 0.999
                if "shrinkage" in changed:
                    changed["shrinkage"] = np.minimum(
                        changed["shrinkage"].to_numpy(dtype=float) * scale, top
                    )
                    value = float(changed["shrinkage"].mean())
                else:
                    target = target.with_changes(shrinkage=min(target.shrinkage * scale, top))
                    value = target.shrinkage
            hours = _hours(staff(changed, plan.interval_minutes, target), plan.interval_minutes)
            fte = _fte(hours, plan)
            rows.append(
                {
                    "factor": factor,
                    "step": sign * step,
                    "value": value,
                    "fte": fte,
                    "fte_change": fte - base_fte,
                    "fte_change_pct": _pct(fte - base_fte, base_fte),
                }
            )
    return pd.DataFrame(rows, columns=list(SENSITIVITY_COLUMNS))


def details_frame(results: Sequence[ScenarioResult]) -> pd.DataFrame:
    """Every result's per-interval table, one after the other, with a ``scenario`` column
    first (what ``wfm whatif --details`` writes)."""
    frames = [r.table.assign(scenario=r.name) for r in results]
    out = pd.concat(frames, ignore_index=True)
    return out[["scenario", *[c for c in out.columns if c != "scenario"]]]
