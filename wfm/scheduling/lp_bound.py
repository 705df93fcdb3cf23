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
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from wfm.roster.coverage import Group, skill_group
from wfm.scheduling.model import MINUTES_PER_DAY, Agent, ShiftSetup, ShiftTemplate
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
