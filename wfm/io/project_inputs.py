"""What a ``.wfmp`` plan gives the later stages: the demand it staffs, its target, the
requirement a roster covers and the what-if base plan.

The window and the ``wfm`` subcommands' ``--project`` option read a plan the same way, so a
plan made in the window reruns headless with the same figures:

- **Demand** (:func:`project_demand`): the forecast with the planner's overrides applied
  (:func:`wfm.forecast.overrides.apply_overrides`), then every *promoted* scenario, in the
  order it was promoted (:func:`apply_promotions`, which the window's Staffing page calls
  too). Without a forecast, the actual volume of the history's last four weeks
  (:func:`wfm.staffing.demand.demand_from_history`), as the Staffing page shows it.
- **Target** (:func:`project_target`): the plan's staffing target (the default 80/20 when it
  has none) with the promoted scenarios' target changes applied in the same order. A plan
  the window saved with promotions also keeps the target from before them
  (:data:`PROMOTED_TARGET_KEY`); its target is then used as it is, since the window applied
  the promotions to it when they were made (and the planner may have changed it since).
- **Requirement** (:func:`project_need`): :func:`wfm.staffing.demand.staff` on that demand
  and target, turned into a :class:`~wfm.scheduling.need.StaffingNeed` in memory with
  :meth:`StaffingNeed.from_table` (what ``wfm schedule`` does with a requirements CSV).
- **What-if base** (:func:`project_plan`): a :class:`wfm.scenarios.Plan` of the demand, its
  interval, the target and the plan's roster (kept unchanged in every scenario).

Promoted scenarios are kept in ``project.settings["promoted"]`` (:data:`PROMOTED_KEY`): a list
of TOML texts, each holding ONE scenario in the scenarios file format
(:func:`wfm.scenarios.scenarios_from_text`). A headcount change is not part of a promotion
(:func:`wfm.scenarios.evaluate.promote_notes`).

:func:`project_notes` says in a planner's words where the figures came from when that is not
the obvious (no forecast yet, no target, promotions); :func:`missing_part` is the one-line
message of a plan without what a command needs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from wfm.errors import WfmError
from wfm.staffing.requirement import StaffingTarget

if TYPE_CHECKING:
    from wfm.io.project import Project
    from wfm.scenarios.evaluate import Plan
    from wfm.scenarios.model import Scenario
    from wfm.scheduling.need import StaffingNeed

__all__ = [
    "HISTORY_DAYS",
    "PROMOTED_KEY",
    "PROMOTED_TARGET_KEY",
    "apply_promotions",
    "missing_part",
    "project_demand",
    "project_need",
    "project_notes",
    "project_plan",
    "project_target",
    "promoted_scenarios",
]

#: ``Project.settings`` key of the promoted scenarios (a list of TOML texts, in order).
PROMOTED_KEY = "promoted"
#: ``Project.settings`` key of the target before the first promotion (the window keeps it to
#: revert the promotions). When it is there, ``Project.target`` is the target in force: the
#: promotions' target changes are in it, and any change the planner made after them.
PROMOTED_TARGET_KEY = "promoted.target"
#: Days of history staffed when the plan has no forecast (the Staffing page's choice).
HISTORY_DAYS = 28


def promoted_scenarios(project: Project) -> tuple[Scenario, ...]:
    """The scenarios promoted to the base plan, in the order they were promoted.

    Parameters
    ----------
    project
        The plan; ``project.settings["promoted"]`` holds one TOML text per promotion.

    Returns
    -------
    tuple of Scenario
        The first scenario of each text (empty when nothing was promoted).

    Raises
    ------
    WfmError
        The setting is not a list of texts, or a text is not a valid scenario (naming
        which promotion).
    """
    from wfm.scenarios.model import scenarios_from_text

    texts = project.settings.get(PROMOTED_KEY) or []
    if isinstance(texts, str) or not isinstance(texts, Sequence):
        raise WfmError(
            f"the plan's promoted scenarios must be a list of scenario texts, not {texts!r}"
        )
    out: list[Scenario] = []
    for i, text in enumerate(texts, 1):
        if not isinstance(text, str):
            raise WfmError(f"the plan's promoted scenario {i} is not a scenario text: {text!r}")
        found = scenarios_from_text(text, source=f"the plan's promoted scenario {i}")
        if not found:
            raise WfmError(f"the plan's promoted scenario {i} holds no [[scenario]]")
        out.append(found[0])
    return tuple(out)


def _base_demand(project: Project) -> tuple[pd.DataFrame, int, str]:
    """The forecast with its overrides (or the history's last weeks), before promotions."""
    from wfm.staffing.demand import demand_from_forecast, demand_from_history

    forecast = project.forecast
    if forecast is not None:
        frame = forecast.frame
        if len(project.overrides):
            from wfm.forecast.overrides import apply_overrides

            frame = apply_overrides(frame, project.overrides.items)
        starts = forecast.frame["interval_start"]
        label = f"Forecast {starts.min():%d %b %Y} to {starts.max():%d %b %Y} ({forecast.method})"
        if len(project.overrides):
            n = len(project.overrides)
            label += f" with {n} override{'s' if n != 1 else ''}"
        return demand_from_forecast(frame), forecast.interval_minutes, label
    history = project.history
    if history is not None and len(history.frame):
        demand = demand_from_history(history, days=HISTORY_DAYS)
        label = "Actual volume of the last 4 weeks of history (no forecast yet)"
        return demand, history.interval_minutes, label
    raise WfmError("the plan has no forecast and no history to staff")


def apply_promotions(
    demand: pd.DataFrame,
    interval_minutes: int,
    target: StaffingTarget,
    scenarios: Sequence[Scenario],
    label: str,
    *,
    on_misfit: Callable[[Scenario, WfmError], None] | None = None,
) -> tuple[pd.DataFrame, StaffingTarget, str]:
    """The demand and target with every promoted scenario applied, in order: what the
    window's Staffing page and the ``--project`` commands staff.

    Parameters
    ----------
    demand
        The base demand (``queue, interval_start, volume, aht_seconds``, ...).
    interval_minutes
        Its interval length.
    target
        The base target.
    scenarios
        The promoted scenarios, in the order they were promoted.
    label
        What the base demand is; `` + promoted: 'A', 'B'`` is added for the scenarios
        applied.
    on_misfit
        Called with a scenario that does not fit the demand (a queue it lacks, a date
        outside it) and why; that scenario is then left out. ``None``: raise.

    Returns
    -------
    demand : DataFrame
        The demand with the scenarios' volume and AHT changes (``demand`` itself when
        there is no scenario).
    target : StaffingTarget
        ``target`` with the scenarios' target changes.
    label : str

    Raises
    ------
    WfmError
        A scenario does not fit and ``on_misfit`` is None (naming the scenario).
    """
    from wfm.scenarios.evaluate import Plan, apply_scenario

    plan = Plan(demand, int(interval_minutes), target)
    applied: list[str] = []
    for scenario in scenarios:
        try:
            plan = apply_scenario(plan, scenario)
        except WfmError as exc:
            if on_misfit is None:
                raise
            on_misfit(scenario, exc)
            continue
        applied.append(f"'{scenario.name}'")
    if applied:
        label += " + promoted: " + ", ".join(applied)
    return plan.demand, plan.target, label


def _promoted_plan(project: Project) -> tuple[Plan, str]:
    """The base demand and the plan's target, every promoted scenario applied in order."""
    from wfm.scenarios.evaluate import Plan

    demand, minutes, label = _base_demand(project)
    demand, _, label = apply_promotions(
        demand, minutes, project.target or StaffingTarget(), promoted_scenarios(project), label
    )
    return Plan(demand, minutes, project_target(project)), label


def project_demand(project: Project) -> tuple[pd.DataFrame, int, str]:
    """The demand the plan staffs, its interval length and a label saying what it is.

    Parameters
    ----------
    project
        The plan.

    Returns
    -------
    demand : DataFrame
        ``queue, interval_start, volume, aht_seconds`` (and ``shrinkage`` when a source has
        it): the forecast with its overrides and then every promoted scenario applied, in
        order; without a forecast, the history's last :data:`HISTORY_DAYS` days.
    interval_minutes : int
        The demand's interval length.
    label : str
        E.g. ``"Forecast 02 Nov 2026 to 29 Nov 2026 (prophet) + promoted: 'Winter promotion'"``
        or ``"Actual volume of the last 4 weeks of history (no forecast yet)"``.

    Raises
    ------
    WfmError
        The plan has neither a forecast nor a history, or a promoted scenario does not fit
        the demand (a queue it lacks, a date outside it).
    """
    plan, label = _promoted_plan(project)
    return plan.demand, plan.interval_minutes, label


def project_target(project: Project) -> StaffingTarget:
    """The staffing target of the plan, with the promoted scenarios' target changes.

    Parameters
    ----------
    project
        The plan. Without a target, the default :class:`StaffingTarget` (80 % in 20 s,
        Erlang C) is the base; :func:`project_notes` says so.

    Returns
    -------
    StaffingTarget
        The target the plan's requirement is computed for.

    Raises
    ------
    WfmError
        A promoted scenario's target change is invalid (naming the scenario).
    """
    target = project.target or StaffingTarget()
    if PROMOTED_TARGET_KEY in project.settings:
        return target  # the window's plan: its target already has the promotions
    for scenario in promoted_scenarios(project):
        try:
            target = scenario.target(target)
        except WfmError as exc:
            raise WfmError(f"scenario '{scenario.name}': {exc}") from None
    return target


def project_need(
    project: Project,
    start: dt.date | None = None,
    days: int | None = None,
    column: str = "scheduled_agents",
    *,
    target: StaffingTarget | None = None,
) -> StaffingNeed:
    """The requirement a roster of the plan covers: :func:`wfm.staffing.demand.staff` on
    :func:`project_demand` and :func:`project_target`, per queue, day and interval.

    Parameters
    ----------
    project
        The plan.
    start, days
        The days to cover (days outside the demand need nobody); ``None``: the demand's
        first day / to its last day.
    column
        The staffing table's column of heads: ``scheduled_agents`` (with shrinkage, the
        default) or ``agents`` (on the phones, without shrinkage).
    target
        A target to use instead of :func:`project_target` (e.g. changed on the command
        line).

    Returns
    -------
    StaffingNeed
        With the demand's volume and AHT and the target, so that a roster's quality report
        can project its service level.

    Raises
    ------
    WfmError
        As :func:`project_demand`; an unknown ``column``; ``days`` below 1.
    """
    from wfm.scheduling.need import StaffingNeed
    from wfm.staffing.demand import staff

    if days is not None and days < 1:
        raise WfmError(f"the requirement needs at least one day, not {days}")
    plan, _ = _promoted_plan(project)
    target = plan.target if target is None else target
    table = staff(plan.demand, plan.interval_minutes, target)
    if column not in table.columns or column in ("queue", "interval_start"):
        heads = ", ".join(c for c in ("agents", "scheduled_agents") if c in table.columns)
        raise WfmError(f"the requirement has no column '{column}' (use {heads})")
    return StaffingNeed.from_table(
        table, plan.interval_minutes, column=column, target=target, start=start, days=days
    )


def project_plan(
    project: Project, *, hourly_cost: float | None = None, fte_hours_per_week: float = 40.0
) -> Plan:
    """The what-if base plan: the plan's demand, interval, target and roster.

    Parameters
    ----------
    project
        The plan.
    hourly_cost
        Cost of one paid agent-hour; ``None``: the mean over the roster's agents who have
        one.
    fte_hours_per_week
        Paid hours of one full-time equivalent a week.

    Returns
    -------
    wfm.scenarios.Plan
        Demand and target with the promoted scenarios applied; the roster kept is the plan's
        current roster (``None`` when it has none).

    Raises
    ------
    WfmError
        As :func:`project_demand`.
    """
    import dataclasses

    plan, _ = _promoted_plan(project)
    roster = project.roster.roster if project.roster is not None else None
    return dataclasses.replace(
        plan, roster=roster, hourly_cost=hourly_cost, fte_hours_per_week=fte_hours_per_week
    )


def project_notes(project: Project, *, demand: bool = True, target: bool = True) -> tuple[str, ...]:
    """What a planner should know about the figures the plan gives (one line each).

    Parameters
    ----------
    project
        The plan.
    demand, target
        Include the notes on the demand (no forecast yet, promoted scenarios) and on the
        target (no target, promoted target changes); a command that takes either from
        elsewhere leaves them out.

    Returns
    -------
    tuple of str
        E.g. that the demand is the history's (no forecast yet), that the default target
        is used, which scenarios are promoted and what a promotion leaves out.
    """
    from wfm.scenarios.evaluate import promote_notes

    notes: list[str] = []
    if demand and project.forecast is None and project.history is not None:
        notes.append(
            "the plan has no forecast yet: the demand is the actual volume of the history's "
            f"last {HISTORY_DAYS} days"
        )
    if target and project.target is None:
        notes.append(
            f"the plan has no staffing target: the default {StaffingTarget().describe()} is used"
        )
    try:
        promoted = promoted_scenarios(project)
    except WfmError:
        promoted = ()  # the commands that use them say why
    if not demand:
        promoted = tuple(s for s in promoted if target and s.changes_target)
    if promoted:
        names = ", ".join(f"'{s.name}'" for s in promoted)
        what = "base plan" if demand else "target"
        notes.append(f"the {what} includes the promoted scenario(s) {names}")
        if demand:
            for scenario in promoted:
                notes += [n[0].lower() + n[1:] for n in promote_notes(scenario)]
    return tuple(notes)


#: What to tell a planner whose plan lacks a part: ``{part: (what it lacks, how to add it)}``.
_MISSING = {
    "history": ("no history yet", "add it with: wfm project update {path} --history history.csv"),
    "forecast": ("no forecast yet", "run wfm forecast --project {path} first"),
    "demand": (
        "no forecast and no history yet",
        "add the history with: wfm project update {path} --history history.csv, then run "
        "wfm forecast --project {path}",
    ),
    "agents": ("no agents yet", "add them with: wfm project update {path} --agents agents.csv"),
    "setup": (
        "no shift templates yet",
        "add them with: wfm project update {path} --shifts shift_templates.toml",
    ),
    "roster": ("no roster yet", "run wfm schedule --project {path} first"),
    "scenarios": (
        "no what-if scenarios yet",
        "give --scenarios scenarios.toml or add them with: wfm project update {path} "
        "--scenarios scenarios.toml",
    ),
}


def missing_part(path: str | Path, part: str) -> WfmError:
    """The one-line error of a plan without ``part``, saying how to add it.

    Parameters
    ----------
    path
        The plan's file (as the user wrote it: it is shown in the command to run).
    part
        One of ``history``, ``forecast``, ``demand`` (neither forecast nor history),
        ``agents``, ``setup``, ``roster``, ``scenarios``.

    Returns
    -------
    WfmError
        E.g. ``plan.wfmp has no forecast yet: run wfm forecast --project plan.wfmp first``.
    """
    what, how = _MISSING[part]
    return WfmError(f"{Path(path).name} has {what}: {how.format(path=path)}")
