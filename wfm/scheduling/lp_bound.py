"""Shift shapes and the LP lower bound on paid hours.

A *shape* is one way to work a day: a template, a start and a length. The solver
(:mod:`wfm.scheduling.solver`) and the bound below use the same shapes, so the bound is a
fair yardstick for a roster's paid hours.

:func:`lp_bound` is the linear relaxation of covering the requirement with anonymous shifts:
per day and skill group, a continuous number of shifts of every shape the group's agents may
work that day, with every break's position a continuous split of those shifts over the
break's allowed starts. Every interval's requirement must be covered, for every set of queues
at once (Hall's condition: the heads of the groups that can take any queue of the set cover
the set's requirement), which is exactly what fractional routing can achieve. It minimises
paid hours. Agents' individual rules (rest, days off, weekly hours, contracts) and their
numbers are relaxed, so the bound is below the paid hours of any roster that covers the whole
requirement with these shapes; a roster that leaves some requirement uncovered can be below
it. Intervals no shape can reach are left out (no roster can cover them).

Contracts can force more paid hours than the requirement needs; the bound ignores them on
purpose (it measures the requirement, not the contracts), and the solver's notes say when
contract minimums are what sets the paid hours.

:func:`agent_bounds` is the stronger, agent-level relaxation: the same shapes and break
splits, but worked by the actual agents (one continuous variable per agent, day and shape
they may work, their days off, weekly maximum and contract minimum per week) with
under-coverage allowed. It answers what the headcount forces: the least under-coverage any
roster of these agents can reach, and the fewest paid hours at that under-coverage. On the
sample centre the coverage-only bound is 12,222 paid hours while the contracts alone sum to
13,102 h, so only the agent bound is a fair yardstick there.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from wfm.roster.coverage import Group, skill_group
from wfm.scheduling.model import MINUTES_PER_DAY, Agent, ShiftSetup, ShiftTemplate, weeks_of
from wfm.scheduling.need import StaffingNeed

MAX_HALL_QUEUES = 5  # beyond this many queues, only single queues and the total are checked


@dataclass(frozen=True, eq=False)
class Shape:
    """A template, start and length; minute arrays are over two days from the shift day's
    midnight (``2 * intervals_per_day`` intervals), so shifts past midnight spill over."""

    template_index: int
    template: ShiftTemplate
    start: int
    length: int
    paid: int  # paid minutes
    span: np.ndarray  # minutes of the shift in each interval (breaks included)
    expected: np.ndarray  # working minutes per interval, each break spread over its starts

    @property
    def end(self) -> int:
        return self.start + self.length


def minutes_in_intervals(lo: int, hi: int, interval: int, n: int) -> np.ndarray:
    """Minutes of ``[lo, hi)`` falling in each of ``n`` intervals of ``interval`` minutes."""
    edges = np.arange(n) * interval
    return np.clip(np.minimum(edges + interval, hi) - np.maximum(edges, lo), 0, None)


def all_shapes(setup: ShiftSetup, interval: int) -> list[Shape]:
    """Every (template, start, length) of ``setup``."""
    n = 2 * (MINUTES_PER_DAY // interval)
    out: list[Shape] = []
    for ti, t in enumerate(setup.templates):
        for length in t.lengths_minutes:
            for start in t.starts():
                span = minutes_in_intervals(start, start + length, interval, n)
                expected = span.astype(float)
                for rule in t.breaks:
                    starts = t.break_starts(rule, start)
                    for p in starts:
                        expected = expected - minutes_in_intervals(
                            p, p + rule.minutes, interval, n
                        ) / len(starts)
                out.append(Shape(ti, t, start, length, t.paid_minutes(length), span, expected))
    return out


def day_shapes(shapes: Sequence[Shape], agent: Agent, day: dt.date, setup: ShiftSetup) -> list[int]:
    """Indices of the shapes ``agent`` may work on ``day`` (template days and permission,
    daily and weekly maximum hours); availability is not checked here."""
    max_day = setup.rules.max_hours_per_day * 60
    max_week = min(agent.max_weekly_hours, setup.rules.max_hours_per_week) * 60
    wd = day.weekday()
    return [
        k
        for k, s in enumerate(shapes)
        if wd in s.template.days
        and s.paid <= max_day + 1e-9
        and s.paid <= max_week + 1e-9
        and agent.may_use(s.template)
    ]


def hall_sets(n_queues: int) -> list[tuple[int, ...]]:
    """The sets of queues whose joint requirement is checked (all non-empty subsets when
    there are few queues)."""
    queues = range(n_queues)
    if n_queues <= MAX_HALL_QUEUES:
        return [c for r in range(1, n_queues + 1) for c in itertools.combinations(queues, r)]
    singles = [(q,) for q in queues]
    return singles + [tuple(queues)]


def lp_bound(need: StaffingNeed, agents: Sequence[Agent], setup: ShiftSetup) -> float:
    """The LP-relaxation lower bound on the paid hours needed to cover ``need`` with the
    shift shapes of ``setup`` worked by ``agents``' skill groups (see the module notes).

    Solved with OR-Tools' GLOP.
    """
    from ortools.linear_solver import pywraplp

    interval = need.interval_minutes
    per_day = need.intervals_per_day
    shapes = all_shapes(setup, interval)
    solver = pywraplp.Solver.CreateSolver("GLOP")
    if solver is None:  # pragma: no cover - GLOP ships with OR-Tools
        raise RuntimeError("OR-Tools' GLOP solver is not available")
    groups: dict[Group, list[Agent]] = {}
    for a in agents:
        g = skill_group(a, need.queues)
        if g:
            groups.setdefault(g, []).append(a)
    total = need.days * per_day
    # coverage[g][tau] = list of (variable, minutes)
    cover: dict[Group, list[list[tuple[object, float]]]] = {
        g: [[] for _ in range(total)] for g in groups
    }
    objective = solver.Objective()
    for d, day in enumerate(need.dates()):
        for g, members in groups.items():
            allowed: set[int] = set()
            for a in members:
                if a.can_work(day):
                    allowed.update(day_shapes(shapes, a, day, setup))
            for k in sorted(allowed):
                s = shapes[k]
                y = solver.NumVar(0.0, solver.infinity(), "")
                objective.SetCoefficient(y, s.paid / 60.0)
                base = d * per_day
                for i in np.flatnonzero(s.span):
                    if base + i < total:
                        cover[g][base + i].append((y, float(s.span[i])))
                for rule in s.template.breaks:
                    positions = s.template.break_starts(rule, s.start)
                    zs = [solver.NumVar(0.0, solver.infinity(), "") for _ in positions]
                    split = solver.Constraint(0.0, 0.0)
                    split.SetCoefficient(y, -1.0)
                    for z, p in zip(zs, positions, strict=True):
                        split.SetCoefficient(z, 1.0)
                        m = minutes_in_intervals(p, p + rule.minutes, interval, 2 * per_day)
                        for i in np.flatnonzero(m):
                            if base + i < total:
                                cover[g][base + i].append((z, -float(m[i])))
    objective.SetMinimization()
    req = need.required.reshape(len(need.queues), total) * interval
    for qs in hall_sets(len(need.queues)):
        members_of = [g for g in groups if set(g) & set(qs)]
        demand = req[list(qs)].sum(axis=0)
        for tau in np.flatnonzero(demand > 1e-9):
            terms = [t for g in members_of for t in cover[g][tau]]
            if not any(c > 0 for _, c in terms):
                continue  # no shape reaches this interval: no roster can cover it
            con = solver.Constraint(float(demand[tau]), solver.infinity())
            coef: dict[object, float] = {}
            for v, c in terms:
                coef[v] = coef.get(v, 0.0) + c
            for v, c in coef.items():
                con.SetCoefficient(v, c)
    status = solver.Solve()
    if status != pywraplp.Solver.OPTIMAL:  # pragma: no cover - always feasible
        raise RuntimeError("the LP bound could not be computed")
    return float(objective.Value())


@dataclass(frozen=True)
class WeekBound:
    """The agent-level LP of one Mon-Sun week (or part week) of the horizon."""

    first_day: dt.date
    days: int
    min_under_hours: float
    min_paid_hours: float


@dataclass(frozen=True)
class AgentBounds:
    """Lower bounds from the agent-level LP relaxation (see :func:`agent_bounds`).

    ``min_under_hours``: the under-coverage (agent-hours) no roster of these agents can go
    below; ``min_paid_hours``: the fewest paid hours of a roster with that under-coverage.
    ``classes``: agents with identical candidates and contracts are one LP class.
    """

    min_under_hours: float
    min_paid_hours: float
    required_hours: float
    weeks: tuple[WeekBound, ...]
    classes: int
    wall_seconds: float
    # (day, skill group) -> indices (into all_shapes) of the shapes the LP optimum uses
    support: dict[tuple[dt.date, Group], frozenset[int]] = field(default_factory=dict)

    @property
    def min_under_share(self) -> float:
        """``min_under_hours`` as a share of the required hours."""
        return self.min_under_hours / self.required_hours if self.required_hours else 0.0


def agent_bounds(
    need: StaffingNeed,
    agents: Sequence[Agent],
    setup: ShiftSetup,
    start: dt.date | None = None,
    days: int | None = None,
    *,
    contracts: bool = True,
) -> AgentBounds:
    """The agent-level LP relaxation of rostering ``agents`` on ``need``: lexicographically
    the least under-coverage, then the fewest paid hours at that under-coverage.

    Per agent, day and shape the agent may work that day (the solver's candidates: template
    days and permission, availability, leave, daily and weekly maximum) a continuous
    ``x`` in [0, 1], at most 1 per agent-day; per Mon-Sun week at most the working days the
    days-off rule allows (prorated like the solver), paid hours at most the weekly maximum
    and, with ``contracts``, at least the contract minimum (prorated, less 1/5 per leave
    weekday, and lowered to what the agent's available days can reach, so it never makes
    the LP infeasible). Breaks are anonymous continuous splits per (day, skill group, shape,
    break, position), as in :func:`lp_bound`; coverage per interval and set of queues is
    Hall's condition with an under-coverage variable.

    It is a valid relaxation of every roster meeting the contracts where reachable: rest
    and consecutive days, which couple days across weeks, are dropped, so it is solved week
    by week (a shift's spill past midnight into the next week is not counted, and the
    intervals such spills could reach on a week's first day are not required). Agents with
    the same skill group, candidates and weekly limits are merged into one class with their
    count as the bound (exact for the LP: the average of the members' values is feasible).
    Solved with GLOP; a few tenths of a second a week on the sample centre.
    """
    import time

    from ortools.linear_solver import pywraplp

    t0 = time.perf_counter()
    start = need.start if start is None else start
    days = need.days if days is None else days
    need_w = need.window(start, days)
    dates = need_w.dates()
    interval = need_w.interval_minutes
    per_day = need_w.intervals_per_day
    shapes = all_shapes(setup, interval)
    rules = setup.rules
    req = need_w.required.reshape(len(need_w.queues), days * per_day) * interval
    # intervals of a day the shifts of the day before can reach (past midnight)
    spill = -(-max([s.end - MINUTES_PER_DAY for s in shapes] + [0]) // interval)
    weeks: list[WeekBound] = []
    support: dict[tuple[dt.date, Group], frozenset[int]] = {}
    n_classes = 0
    for week in weeks_of(start, days):
        k_days = len(week)
        allowed_days = k_days - max(0, rules.days_off_per_week - (7 - k_days))
        # classes of identical agents
        classes: dict[tuple[object, ...], int] = {}
        for a in agents:
            g = skill_group(a, need_w.queues)
            if not g:
                continue
            cands = tuple(
                tuple(day_shapes(shapes, a, dates[d], setup)) if a.can_work(dates[d]) else ()
                for d in week
            )
            if not any(cands):
                continue
            max_paid = int(min(a.max_weekly_hours, rules.max_hours_per_week) * 60)
            floor = 0.0
            if contracts:
                leave_weekdays = sum(
                    1 for d in week if dates[d].weekday() < 5 and dates[d] in a.leave
                )
                target = (
                    a.min_weekly_hours * 60 * k_days / 7 - a.min_weekly_hours * 12 * leave_weekdays
                )
                best = sorted((max(shapes[k].paid for k in c) for c in cands if c), reverse=True)
                reach = min(float(sum(best[:allowed_days])), float(max_paid))
                floor = min(max(target, 0.0), reach)
            key = (g, cands, max_paid, round(floor, 6))
            classes[key] = classes.get(key, 0) + 1
        n_classes = max(n_classes, len(classes))
        under, paid, used = _agent_week_lp(
            pywraplp,
            classes,
            week,
            shapes,
            req,
            per_day,
            interval,
            allowed_days,
            len(need_w.queues),
            spill if week[0] > 0 else 0,
        )
        weeks.append(WeekBound(dates[week[0]], k_days, under, paid))
        for (p, g), ks in used.items():
            support[dates[week[p]], g] = frozenset(ks)
    return AgentBounds(
        sum(w.min_under_hours for w in weeks),
        sum(w.min_paid_hours for w in weeks),
        need_w.required_hours(),
        tuple(weeks),
        n_classes,
        time.perf_counter() - t0,
        support,
    )


def _agent_week_lp(
    pywraplp: Any,
    classes: dict[tuple[Any, ...], int],
    week: list[int],
    shapes: list[Shape],
    req: np.ndarray,
    per_day: int,
    interval: int,
    allowed_days: int,
    n_queues: int,
    spill_in: int,
) -> tuple[float, float, dict[tuple[int, Group], set[int]]]:
    """(least under-coverage hours, fewest paid hours at it, the shapes used per day
    position and group) of one week's agent LP."""
    solver = pywraplp.Solver.CreateSolver("GLOP")
    if solver is None:  # pragma: no cover - GLOP ships with OR-Tools
        raise RuntimeError("OR-Tools' GLOP solver is not available")
    inf = solver.infinity()
    lo, hi = week[0] * per_day, (week[-1] + 1) * per_day
    width = hi - lo
    # per (day position, group, shape): the LP count of such shifts, linked to the classes
    counts: dict[tuple[int, Group, int], Any] = {}
    links: dict[tuple[int, Group, int], Any] = {}
    paid_terms: list[tuple[Any, float]] = []
    for (g, cands, max_paid, floor), mult in classes.items():
        week_days = solver.Constraint(-inf, float(allowed_days * mult))
        week_paid = solver.Constraint(float(floor * mult), float(max_paid * mult))
        for p, ks in enumerate(cands):
            if not ks:
                continue
            one = solver.Constraint(-inf, float(mult))
            for k in ks:
                x = solver.NumVar(0.0, float(mult), "")
                one.SetCoefficient(x, 1.0)
                week_days.SetCoefficient(x, 1.0)
                week_paid.SetCoefficient(x, float(shapes[k].paid))
                paid_terms.append((x, shapes[k].paid / 60.0))
                key = (p, g, k)
                if key not in counts:
                    counts[key] = solver.NumVar(0.0, inf, "")
                    links[key] = solver.Constraint(0.0, 0.0)
                    links[key].SetCoefficient(counts[key], -1.0)
                links[key].SetCoefficient(x, 1.0)
    groups = sorted({g for (_p, g, _k) in counts})
    cover: dict[Group, list[dict[Any, float]]] = {g: [{} for _ in range(width)] for g in groups}

    def add(g: Group, base: int, var: Any, minutes: np.ndarray) -> None:
        for i in np.flatnonzero(minutes):
            if base + i < width:
                row = cover[g][base + int(i)]
                row[var] = row.get(var, 0.0) + float(minutes[i])

    for (p, g, k), n in counts.items():
        s = shapes[k]
        base = p * per_day
        add(g, base, n, s.span)
        for rule in s.template.breaks:
            positions = s.template.break_starts(rule, s.start)
            split = solver.Constraint(0.0, 0.0)
            split.SetCoefficient(n, -1.0)
            for pos in positions:
                z = solver.NumVar(0.0, inf, "")
                split.SetCoefficient(z, 1.0)
                add(
                    g,
                    base,
                    z,
                    -minutes_in_intervals(pos, pos + rule.minutes, interval, 2 * per_day),
                )
    unders: list[Any] = []
    for t in range(spill_in, width):  # spill-in intervals: not required (see above)
        if not req[:, lo + t].any():
            continue
        u = solver.NumVar(0.0, inf, "")
        unders.append(u)
        for qs in hall_sets(n_queues):
            demand = float(req[list(qs), lo + t].sum())
            if demand <= 1e-9:
                continue
            con = solver.Constraint(demand, inf)
            con.SetCoefficient(u, 1.0)
            for g in groups:
                if set(g) & set(qs):
                    for v, c in cover[g][t].items():
                        con.SetCoefficient(v, c)
    objective = solver.Objective()
    for u in unders:
        objective.SetCoefficient(u, 1.0)
    objective.SetMinimization()
    if solver.Solve() != pywraplp.Solver.OPTIMAL:  # pragma: no cover - always feasible
        raise RuntimeError("the agent LP bound could not be computed")
    least = objective.Value()
    cap = solver.Constraint(-inf, least + 1e-7 * max(least, 1.0) + 1e-6)
    for u in unders:
        cap.SetCoefficient(u, 1.0)
    objective.Clear()
    for x, c in paid_terms:
        objective.SetCoefficient(x, objective.GetCoefficient(x) + c)
    objective.SetMinimization()
    if solver.Solve() != pywraplp.Solver.OPTIMAL:  # pragma: no cover - stage 1 is feasible
        raise RuntimeError("the agent LP bound could not be computed")
    used: dict[tuple[int, Group], set[int]] = {}
    for (p, g, k), n in counts.items():
        if n.solution_value() > 1e-6:
            used.setdefault((p, g), set()).add(k)
    return least / 60.0, objective.Value(), used
