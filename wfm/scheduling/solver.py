"""The roster solver: shifts for every agent and day, with OR-Tools CP-SAT.

The model
---------
- One boolean per agent, day and *shape* (template, start, length; see
  :mod:`wfm.scheduling.lp_bound`) the agent may work that day (template days and permission,
  availability, leave, daily and weekly maximum hours); at most one per agent and day.
- Coverage without per-agent break variables: agents are grouped by skill group, and an
  integer count per (day, group, shape) is linked to the group's booleans by one equality,
  so the per-interval constraints stay short. A shape's working minutes per interval spread
  each break evenly over its allowed starts (the *expected* minutes); the breaks themselves
  are placed afterwards by :func:`wfm.scheduling.breaks.place_breaks`, which can only do
  better than the even spread where heads are short. This was chosen over exact anonymous
  break-position counts because it keeps the model a third of the size, and the greedy
  placement recovers the difference on the sample centre.
- Several queues: for every non-empty set of queues (all subsets up to 5 queues) the
  under-coverage of an interval is at least the set's requirement less the heads of the
  groups that can take any of its queues (Hall's condition), which is exactly the shortfall
  of the best fractional routing. Over-coverage is the heads beyond what is covered.
- Units are head-minutes per interval, so every coefficient is an integer.
- Objective: under-coverage (heaviest) + over-coverage + a small cost per paid minute +
  preferences (a template other than the preferred one, work on a preferred day off) +
  fairness (the most weekend days and the most late shifts any agent gets) + a heavy
  penalty per minute below an agent's contracted weekly minimum (soft, so an unreachable
  contract never makes the model infeasible; the notes name it).
- Hard rules: rest between consecutive days (for every end time E on day d, the shifts of
  day d ending at E or later and those of day d+1 starting before E + rest exclude each
  other), at most ``max_consecutive_days`` working days in any window one day longer, the
  days off of every Mon-Sun week (a partial week of k days needs
  ``max(0, days_off - (7 - k))``), the weekly maximum of paid hours, and the same rules
  across the edges with the fixed shifts of ``base`` (outside the horizon or pinned inside).
  Constraints that involve only fixed cells are dropped (a note says so) so pins that
  already break a rule cannot make the model infeasible.

Decomposition
-------------
The whole four weeks of the sample centre (100 agents, ~60 shapes a day: ~150,000 booleans)
is too big for CP-SAT to bring near optimal in 60 s on two cores; it is solved week by week
instead (``SolveOptions.decompose = "auto"`` when the model has more than
``MONOLITH_LIMIT`` booleans), each week with the earlier weeks fixed and every rule across
the boundary kept, the time split evenly over the weeks (time a week does not use goes to
the next). Contracts, days off and weekly hours are per Mon-Sun week, so little is lost:
only fairness and rest/consecutive days across a boundary see the earlier weeks as given.

Search on big parts (more than ``GUIDE_LIMIT`` candidate booleans; both can be forced with
``SolveOptions.lp_guide`` / ``lns``), measured on the sample centre's weeks:

- The agent-level LP (:func:`wfm.scheduling.lp_bound.agent_bounds`, ~2.5 s a week) guides
  the candidates: an agent-day keeps only the shapes the LP optimum uses for the agent's
  skill group that day and their neighbours (same template and length, one start step
  either side), a third of the booleans. Without it the same search ended with about 50 %
  more under-coverage on the first week (3 seeds, 12 s each).
- CP-SAT on a whole week from the greedy hint improves it only slowly (a week's model has
  ~37,000 booleans; its own LNS neighbourhoods rarely free all of an agent's week, which a
  day off moved from a peak day needs). Instead, from the greedy roster, an agent LNS
  (:func:`_improve_by_agents`) re-solves ``LNS_AGENTS`` agents' whole week at a time with
  everyone else fixed (alternately at random and among agents on and off a day with
  under-coverage), each a small CP-SAT model solved in at most ``LNS_STEP_S``, kept when
  better. Three agents and 0.3 s gave the most improvement per second (2-5 agents and
  0.2-1 s tried). The fixed agents count with their breaks placed by
  :func:`~wfm.scheduling.breaks.place_breaks`, the free ones with the expected break
  minutes (measured better than both counting everyone with expected minutes and
  anonymous break-position counts for the free agents, which made each re-solve slower).
- Robustness: if CP-SAT finds nothing in a part's time (a tiny limit, a loaded machine),
  the part keeps the greedy rule-keeping roster, so a solve never returns less than it.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from wfm.errors import WfmError
from wfm.progress import Cancelled, ProgressCallback
from wfm.roster.coverage import Group, skill_group, working_minutes
from wfm.roster.roster import Roster, Shift
from wfm.scheduling.breaks import place_breaks
from wfm.scheduling.lp_bound import (
    AgentBounds,
    Shape,
    agent_bounds,
    all_shapes,
    day_shapes,
    hall_sets,
    lp_bound,
)
from wfm.scheduling.model import MINUTES_PER_DAY, WEEKDAYS, Agent, ShiftSetup, clock, weeks_of
from wfm.scheduling.need import StaffingNeed
from wfm.scheduling.shortages import Shortage, explain_shortages

__all__ = ["Shortage", "SolveOptions", "SolveResult", "solve"]

MONOLITH_LIMIT = 40_000  # booleans; above this "auto" solves week by week
GUIDE_LIMIT = 5_000  # booleans; above this the agent LP guides the candidates by default
GUIDE_SECONDS_PER_WEEK = 5.0  # ... when the time limit allows this much per week
LNS_AGENTS = 3  # agents re-solved together by the agent LNS
LNS_STEP_S = 0.3  # time limit of one re-solve


@dataclass(frozen=True)
class SolveOptions:
    """Time limit, threads, seed and the objective's weights.

    Weights are per head-minute (under, over), per shift or day against a preference, and
    per weekend day or late shift of the agent who has the most. ``decompose``: ``"auto"``,
    ``"none"`` (one model) or ``"weeks"``.

    Under-coverage weighs 100 times over-coverage, so a planner's preference holds: an
    isolated short half-hour is covered even when that takes a whole extra 8 h shift (7.5 h
    of over-coverage and 8 paid hours cost less than 30 short head-minutes).
    """

    time_limit_s: float = 60.0
    workers: int = 0  # 0: every core
    seed: int = 0
    under_weight: int = 1000
    over_weight: int = 10
    preference_weight: int = 300
    fairness_weight: int = 300
    decompose: str = "auto"
    # re-solve the days of a few agents at a time with everyone else fixed, from the greedy
    # roster (see _improve_by_agents): None = when a part has more than GUIDE_LIMIT booleans
    lns: bool | None = None
    lp_bound: bool = True  # compute the LP bound on paid hours for the result
    # restrict candidates to the agent LP's shapes (and neighbours): None = when the model
    # has more than GUIDE_LIMIT booleans and the limit gives GUIDE_SECONDS_PER_WEEK a week
    lp_guide: bool | None = None
    guide_neighbours: int = 1  # start steps either side of an LP shape kept as candidates

    def __post_init__(self) -> None:
        if self.time_limit_s <= 0:
            raise WfmError("the time limit must be more than 0 seconds")
        if min(self.under_weight, self.over_weight, self.preference_weight) < 0:
            raise WfmError("the solver's weights cannot be negative")
        if self.fairness_weight < 0:
            raise WfmError("the solver's weights cannot be negative")
        if self.decompose not in ("auto", "none", "weeks"):
            raise WfmError("decompose must be 'auto', 'none' or 'weeks'")


@dataclass(frozen=True)
class SolveResult:
    """A roster and how it was found."""

    roster: Roster
    status: str  # "optimal" | "feasible" | "stopped" | "no solution"
    objective: float | None
    best_bound: float | None
    wall_seconds: float
    shortages: tuple[Shortage, ...]
    lp_bound_paid_hours: float | None
    notes: tuple[str, ...] = field(default_factory=tuple)
    # the agent-level LP (lp_bound.agent_bounds): the least under-coverage these agents can
    # reach, and the fewest paid hours at it; None when not computed
    min_under_hours: float | None = None
    agent_lp_paid_hours: float | None = None


# A day's state for one agent: a shift, a day off, or not known (outside what is solved).
_UNKNOWN = "unknown"
_Fixed = Shift | None | str


def solve(
    need: StaffingNeed,
    agents: Sequence[Agent],
    setup: ShiftSetup,
    *,
    start: dt.date | None = None,
    days: int | None = None,
    base: Roster | None = None,
    free_days: Collection[dt.date] | None = None,
    options: SolveOptions = SolveOptions(),  # noqa: B008 - frozen, safe to share
    progress: ProgressCallback | None = None,
    stop: threading.Event | None = None,
) -> SolveResult:
    """Assign shifts and place breaks for ``agents`` over ``start .. start + days`` (the
    need's days by default) to cover ``need`` under ``setup``'s rules.

    Locked cells of ``base`` are kept exactly; with ``free_days`` every other day of
    ``base`` is kept too. ``progress`` is called about every 0.25 s, always on the calling
    thread (raise :class:`~wfm.progress.Cancelled` to abandon); setting ``stop`` ends the
    search and returns the best roster found. Never raises for a requirement that cannot be
    met: the shortfall is listed in ``shortages``.
    """
    t0 = time.perf_counter()
    start = need.start if start is None else start
    days = need.days if days is None else days
    if days <= 0:
        raise WfmError("the roster needs at least one day")
    need_w = need.window(start, days)
    dates = need_w.dates()
    roster = Roster(start, days, tuple(agents), setup)
    notes: list[str] = []
    fixed: dict[tuple[int, int], Shift | None] = {}
    if base is not None:
        names = {a.name for a in agents}
        for cell, kind in base.leave.items():
            if cell[0] in names and roster.in_horizon(cell[1]):
                roster.leave[cell] = kind
        roster.locks = {c for c in base.locks if c[0] in names and roster.in_horizon(c[1])}
        free = set(dates) if free_days is None else set(free_days)
        for ai, a in enumerate(agents):
            for d, day in enumerate(dates):
                cell = (a.name, day)
                if cell in base.locks or day not in free:
                    fixed[ai, d] = base.shifts.get(cell) if base.in_horizon(day) else None
    lp_hours: float | None = None
    if options.lp_bound:
        try:
            lp_hours = lp_bound(need_w, agents, setup)
        except RuntimeError:  # pragma: no cover - GLOP always solves this LP
            notes.append("The LP bound on paid hours could not be computed.")
    shapes = all_shapes(setup, need_w.interval_minutes)
    free_idx = [d for d in range(days) if any((ai, d) not in fixed for ai in range(len(agents)))]
    size = sum(
        len(day_shapes(shapes, a, day, setup))
        for a in agents
        for d, day in enumerate(dates)
        if d in set(free_idx)
    )
    chunks: list[list[int]]
    if options.decompose == "weeks" or (options.decompose == "auto" and size > MONOLITH_LIMIT):
        chunks = [[d for d in w if d in set(free_idx)] for w in weeks_of(start, days)]
        chunks = [c for c in chunks if c]
        if len(chunks) > 1:
            notes.append(f"Solved week by week ({len(chunks)} parts, earlier weeks fixed).")
    else:
        chunks = [free_idx] if free_idx else []
    guide: AgentBounds | None = None
    if options.lp_guide is not None:
        use_guide = options.lp_guide
    else:  # the LP takes 1-2 s a week on the sample centre: worth it with time to search
        n_weeks = len(weeks_of(start, days))
        use_guide = size > GUIDE_LIMIT and options.time_limit_s >= GUIDE_SECONDS_PER_WEEK * n_weeks
    if use_guide and chunks:
        try:
            guide = agent_bounds(need_w, agents, setup)
        except RuntimeError:  # pragma: no cover - GLOP always solves this LP
            notes.append("The agent LP could not be computed; every shape is a candidate.")
    elapsed_lp = time.perf_counter() - t0
    budget = max(options.time_limit_s - elapsed_lp, 0.5)
    statuses: list[str] = []
    objective = 0.0
    bound = 0.0
    state = _State(fixed)
    # keep time for break placement and the shortage report inside the limit
    deadline = t0 + options.time_limit_s * 0.97 - 0.5
    for ci, chunk in enumerate(chunks):
        remaining = max(deadline - time.perf_counter(), 0.2)
        limit = remaining / (len(chunks) - ci) if len(chunks) > 1 else max(remaining, 0.2)
        if len(chunks) == 1:
            limit = max(min(budget, remaining), 0.2)
        done = sum(len(c) for c in chunks[:ci])
        total_days = sum(len(c) for c in chunks)
        chunk_end = time.perf_counter() + limit
        span = (t0, options.time_limit_s, done / total_days, len(chunk) / total_days)
        model = _Model(need_w, agents, setup, shapes, roster, base, state, chunk, options, guide)
        size_part = sum(len(xs) for xs in model.x.values())
        use_lns = options.lns if options.lns is not None else size_part > GUIDE_LIMIT
        obj: float | None
        bnd: float | None
        if use_lns and model.hint_objective is not None:
            # straight to the agent LNS from the greedy roster: on the sample centre a first
            # CP-SAT search of the whole week gains less in the same time (measured)
            model._keep_hint()
            status, obj, bnd = "feasible", model.hint_objective, None
        else:
            status, obj, bnd = model.run(
                max(chunk_end - time.perf_counter(), 0.05), options, progress, stop, span
            )
            use_lns = use_lns and status == "feasible"
        if use_lns and obj is not None:
            status, gained = _improve_by_agents(
                model,
                need_w,
                agents,
                setup,
                shapes,
                roster,
                base,
                state,
                chunk,
                options,
                guide,
                chunk_end,
                progress,
                stop,
                span,
            )
            obj -= gained
        notes.extend(model.notes)
        statuses.append(status)
        if obj is not None:
            objective += obj
            bound += bnd if bnd is not None else 0.0
        if status == "stopped":
            break
    for ai, a in enumerate(agents):
        for d, day in enumerate(dates):
            s = state.fixed.get((ai, d))
            if isinstance(s, Shift):
                roster.shifts[a.name, day] = s
    solved_days = {dates[d] for c in chunks for d in c}
    place_breaks(roster, need_w, days=solved_days)
    shortages = explain_shortages(roster, need_w, agents, setup)
    if "stopped" in statuses:
        status = "stopped"
    elif not chunks:
        status = "optimal"
    elif "no solution" in statuses and len(set(statuses)) == 1:
        status = "no solution"
    elif all(s == "optimal" for s in statuses):
        status = "optimal"
    else:
        status = "feasible"
    return SolveResult(
        roster,
        status,
        objective if chunks and status != "no solution" else None,
        bound if chunks and status != "no solution" else None,
        time.perf_counter() - t0,
        shortages,
        lp_hours,
        tuple(dict.fromkeys(notes)),
        guide.min_under_hours if guide is not None else None,
        guide.min_paid_hours if guide is not None else None,
    )


def _improve_by_agents(
    model: _Model,
    need: StaffingNeed,
    agents: Sequence[Agent],
    setup: ShiftSetup,
    shapes: list[Shape],
    roster: Roster,
    base: Roster | None,
    state: _State,
    chunk: list[int],
    options: SolveOptions,
    guide: AgentBounds | None,
    deadline: float,
    progress: ProgressCallback | None,
    stop: threading.Event | None,
    span: tuple[float, float, float, float],
) -> tuple[str, float]:
    """Large-neighbourhood search by agents: repeatedly free every solved day of a few
    agents, fix everyone else to the current roster, and solve that small model exactly
    from the current roster as its hint; keep it when it is better. A day off moved from a
    peak day to a quiet one needs all of an agent's week to move at once, which CP-SAT's own
    neighbourhoods rarely free together. Returns the status and the objective gained."""
    rng = np.random.default_rng(options.seed + chunk[0])
    movable = sorted({ai for (ai, _d), xs in model.x.items() if xs})
    gained = 0.0
    status = "feasible"
    per_day = need.intervals_per_day
    req_day = need.total()  # (days, intervals) heads
    key_of = {(sh.template.name, sh.start, sh.length): sh for sh in shapes}
    chunk_days = {need.dates()[d] for d in chunk}

    def place(only: Collection[int] | None = None) -> None:
        """Give the current roster's shifts of the part their breaks, so the fixed agents of
        each re-solve count with real breaks."""
        tmp = Roster(roster.start, roster.days, tuple(agents), setup)
        for (ai, d), sft in state.fixed.items():
            if isinstance(sft, Shift):
                tmp.shifts[agents[ai].name, need.dates()[d]] = sft
        names = None if only is None else {agents[ai].name for ai in only}
        place_breaks(tmp, need, days=chunk_days, agents=names)
        for (ai, d), sft in state.fixed.items():
            if isinstance(sft, Shift) and d in chunk:
                state.fixed[ai, d] = tmp.shifts[agents[ai].name, need.dates()[d]]

    place()
    it = 0
    while deadline - time.perf_counter() > 0.3 and movable:
        size = min(LNS_AGENTS, len(movable))
        it += 1
        if it % 2:
            picked = {int(a) for a in rng.choice(movable, size=size, replace=False)}
        else:  # aim at a day with under-coverage: agents off that day and agents on it
            heads = np.zeros(req_day.shape)
            for (_ai, d), sft in state.fixed.items():
                if isinstance(sft, Shift) and d in chunk:
                    sh = key_of.get((sft.template, sft.start, sft.end - sft.start))
                    if sh is not None:
                        heads[d] += sh.expected[:per_day] / need.interval_minutes
            short = np.clip(req_day - heads, 0, None).sum(axis=1)[chunk] + 1e-3
            d = chunk[int(rng.choice(len(chunk), p=short / short.sum()))]
            off = [
                ai for ai in movable if model.x.get((ai, d)) and state.fixed.get((ai, d)) is None
            ]
            on = [ai for ai in movable if isinstance(state.fixed.get((ai, d)), Shift)]
            n_off = min(len(off), (size + 1) // 2)
            n_on = min(len(on), size - n_off)
            picked = (
                {int(a) for a in rng.choice(off, size=n_off, replace=False)} if n_off else set()
            )
            if n_on:
                picked |= {int(a) for a in rng.choice(on, size=n_on, replace=False)}
            if not picked:
                continue
        fixed = {k: v for k, v in state.fixed.items() if not (k[0] in picked and k in model.x)}
        hint = {k: state.fixed.get(k) for k in model.x if k[0] in picked}
        sub_state = _State(fixed)
        sub = _Model(
            need, agents, setup, shapes, roster, base, sub_state, chunk, options, guide, hint=hint
        )
        limit = min(LNS_STEP_S, deadline - time.perf_counter())
        if limit <= 0.05:
            break
        st, obj, _ = sub.run(limit, options, progress, stop, span)
        if st == "stopped":
            status = "stopped"
        if obj is not None and sub.hint_objective is not None:
            gain = sub.hint_objective - obj
            if gain > 1e-6:
                for k in hint:
                    state.fixed[k] = sub_state.fixed.get(k)
                gained += gain
                place(picked)
        if status == "stopped":
            break
    return status, gained


class _State:
    """The fixed cells so far: pins from ``base`` and the weeks already solved."""

    def __init__(self, fixed: dict[tuple[int, int], Shift | None]) -> None:
        self.fixed: dict[tuple[int, int], Shift | None] = dict(fixed)


class _Model:
    def __init__(
        self,
        need: StaffingNeed,
        agents: Sequence[Agent],
        setup: ShiftSetup,
        shapes: list[Shape],
        roster: Roster,
        base: Roster | None,
        state: _State,
        active: list[int],
        options: SolveOptions,
        guide: AgentBounds | None = None,
        hint: dict[tuple[int, int], Shift | None] | None = None,
    ) -> None:
        from ortools.sat.python import cp_model

        self.cp: Any = cp_model
        self.m: Any = cp_model.CpModel()
        self.need, self.agents, self.setup, self.shapes = need, agents, setup, shapes
        self.roster, self.base, self.state = roster, base, state
        self.active = sorted(active)
        self.options = options
        self.guide = guide
        self.given_hint = hint
        self.notes: list[str] = []
        self.dates = need.dates()
        self.x: dict[tuple[int, int], dict[int, Any]] = {}
        self.under_terms: list[Any] = []
        self._build()

    # --- what is known about a day -----------------------------------------------------
    def _known(self, ai: int, d: int) -> _Fixed:
        """A shift or None (day off) when day ``d`` (may be outside the horizon) is fixed;
        "var" when it is being solved; _UNKNOWN otherwise."""
        if 0 <= d < len(self.dates):
            if (ai, d) in self.state.fixed:
                return self.state.fixed[ai, d]
            if d in self._active_set:
                return "var"
            return _UNKNOWN
        if self.base is None:
            return _UNKNOWN
        day = self.roster.start + dt.timedelta(days=d)
        if not self.base.in_horizon(day):
            return _UNKNOWN
        return self.base.shifts.get((self.agents[ai].name, day))

    def _build(self) -> None:
        m = self.m
        need, setup, rules = self.need, self.setup, self.setup.rules
        self._active_set = set(self.active)
        per_day = need.intervals_per_day
        interval = need.interval_minutes
        rest = rules.min_rest_minutes
        groups_of = [skill_group(a, need.queues) for a in self.agents]
        objective: list[Any] = []
        names = [a.name for a in self.agents]

        # candidates; with the agent LP as a guide, only the shapes its optimum uses for the
        # agent's skill group that day and their neighbours (same template and length, a
        # start within guide_neighbours steps)
        near: dict[int, set[int]] = {}
        if self.guide is not None:
            reach = self.options.guide_neighbours
            for k, s in enumerate(self.shapes):
                step = s.template.start_step_minutes
                near[k] = {
                    j
                    for j, o in enumerate(self.shapes)
                    if o.template_index == s.template_index
                    and o.length == s.length
                    and abs(o.start - s.start) <= reach * step
                }
        for ai, a in enumerate(self.agents):
            for d in self.active:
                if (ai, d) in self.state.fixed:
                    continue
                day = self.dates[d]
                if not a.can_work(day) or (a.name, day) in self.roster.leave:
                    self.x[ai, d] = {}
                    continue
                ks = day_shapes(self.shapes, a, day, setup)
                if self.guide is not None and groups_of[ai]:
                    used = self.guide.support.get((day, groups_of[ai]))
                    if used:
                        kept = [k for k in ks if near[k] & used]
                        ks = kept or ks
                prev, nxt = self._known(ai, d - 1), self._known(ai, d + 1)
                if isinstance(prev, Shift):
                    ks = [
                        k for k in ks if self.shapes[k].start + MINUTES_PER_DAY >= prev.end + rest
                    ]
                if isinstance(nxt, Shift):
                    ks = [k for k in ks if nxt.start + MINUTES_PER_DAY >= self.shapes[k].end + rest]
                self.x[ai, d] = {k: m.NewBoolVar(f"x{ai}_{d}_{k}") for k in ks}
                if len(ks) > 1:
                    m.AddAtMostOne(self.x[ai, d].values())
                elif len(ks) == 1:
                    pass
                pref_off = day.weekday() in a.preferred_days_off
                for k, v in self.x[ai, d].items():
                    s = self.shapes[k]
                    cost = s.paid
                    if not a.prefers(s.template.name):
                        cost += self.options.preference_weight
                    if pref_off:
                        cost += self.options.preference_weight
                    objective.append(cost * v)

        def work(ai: int, d: int) -> tuple[list[Any], int] | None:
            """(variables, constant) of 'works on day d'; None when unknown."""
            k = self._known(ai, d)
            if k == "var":
                return list(self.x[ai, d].values()), 0
            if k == _UNKNOWN:
                return None
            return [], 1 if isinstance(k, Shift) else 0

        n_dates = len(self.dates)
        free_agents = {ai for (ai, _d) in self.x}
        for ai in range(len(self.agents)):
            if ai not in free_agents:
                continue  # every day fixed: no rule to add
            # rest between two solved days
            for d in self.active:
                if d + 1 not in self._active_set or (ai, d + 1) in self.state.fixed:
                    continue
                if (ai, d) in self.state.fixed:
                    continue
                today, tomorrow = self.x[ai, d], self.x[ai, d + 1]
                if not today or not tomorrow:
                    continue
                ends = sorted({self.shapes[k].end for k in today})
                for e in ends:
                    late = [v for k, v in today.items() if self.shapes[k].end >= e]
                    early = [
                        v
                        for k, v in tomorrow.items()
                        if self.shapes[k].start + MINUTES_PER_DAY < e + rest
                    ]
                    if early:
                        m.Add(sum(late) + sum(early) <= 1)
            # consecutive days
            span = rules.max_consecutive_days
            for first in range(min(self.active) - span, max(self.active) + 1):
                window = range(first, first + span + 1)
                if not any(d in self._active_set for d in window):
                    continue
                parts = [work(ai, d) for d in window]
                if any(p is None for p in parts):
                    continue
                vs = [v for p in parts if p for v in p[0]]
                const = sum(p[1] for p in parts if p)
                if not vs:
                    continue
                if const > span:
                    self.notes.append(
                        f"{names[ai]}: the pinned shifts already exceed {span} days in a row."
                    )
                    continue
                if len(vs) + const > span:
                    m.Add(sum(vs) <= span - const)
        # weeks: days off, weekly hours, contracts
        week_short: list[tuple[int, list[int], Any, int]] = []
        for week in weeks_of(self.roster.start, n_dates):
            if not any(d in self._active_set for d in week):
                continue
            k = len(week)
            allowed_days = k - max(0, rules.days_off_per_week - (7 - k))
            for ai, a in enumerate(self.agents):
                if ai not in free_agents:
                    continue
                vs = []
                paid: list[Any] = []
                const_days = 0
                const_paid = 0
                for d in week:
                    known = self._known(ai, d)
                    if known == "var":
                        vs.extend(self.x[ai, d].values())
                        paid.extend(self.shapes[kk].paid * v for kk, v in self.x[ai, d].items())
                    elif isinstance(known, Shift):
                        const_days += 1
                        const_paid += known.paid_minutes
                if not vs:
                    continue
                if const_days > allowed_days:
                    self.notes.append(
                        f"{names[ai]}: the pinned shifts already leave fewer days off than "
                        f"{rules.days_off_per_week} in the week of {self.dates[week[0]]:%d %b}."
                    )
                elif len(vs) + const_days > allowed_days:
                    m.Add(sum(vs) <= allowed_days - const_days)
                max_paid = int(min(a.max_weekly_hours, rules.max_hours_per_week) * 60)
                if const_paid > max_paid:
                    self.notes.append(
                        f"{names[ai]}: the pinned shifts already exceed the weekly maximum in "
                        f"the week of {self.dates[week[0]]:%d %b}."
                    )
                else:
                    m.Add(sum(paid) <= max_paid - const_paid)
                leave_weekdays = sum(
                    1
                    for d in week
                    if self.dates[d].weekday() < 5
                    and (self.dates[d] in a.leave or (a.name, self.dates[d]) in self.roster.leave)
                )
                target = a.min_weekly_hours * 60 * k / 7 - a.min_weekly_hours * 12 * leave_weekdays
                target_min = int(round(max(target, 0.0))) - const_paid
                if target_min > 0:
                    short = m.NewIntVar(0, target_min, f"short{ai}_{week[0]}")
                    m.Add(short >= target_min - sum(paid))
                    objective.append(20 * self.options.under_weight * short)
                    week_short.append((ai, week, short, target_min + const_paid))
        self.week_short = week_short

        # fairness: the most weekend days / late shifts anyone has
        if rules.fair_weekends or rules.fair_late_shifts:
            for kind in ("weekend", "late"):
                if kind == "weekend" and not rules.fair_weekends:
                    continue
                if kind == "late" and not rules.fair_late_shifts:
                    continue
                counts: list[Any] = []
                floor = 0  # the most any agent with nothing to solve already has
                for ai in range(len(self.agents)):
                    vs = []
                    const = 0
                    for d in range(n_dates):
                        known = self._known(ai, d)
                        is_weekend = self.dates[d].weekday() >= 5
                        if known == "var":
                            for kk, v in self.x[ai, d].items():
                                hit = (
                                    is_weekend
                                    if kind == "weekend"
                                    else self.shapes[kk].end > rules.late_shift_ends_after
                                )
                                if hit:
                                    vs.append(v)
                        elif isinstance(known, Shift):
                            hit = (
                                is_weekend
                                if kind == "weekend"
                                else known.end > rules.late_shift_ends_after
                            )
                            const += int(hit)
                    if vs:
                        counts.append((vs, const))
                    else:
                        floor = max(floor, const)
                if len(counts) > 1 or (counts and floor > 0):
                    top = m.NewIntVar(floor, n_dates, f"most_{kind}")
                    for vs, const in counts:
                        m.Add(top >= sum(vs) + const)
                    objective.append(self.options.fairness_weight * top)

        # coverage
        group_keys: list[Group] = sorted({g for g in groups_of if g})
        group_size = {g: sum(1 for h in groups_of if h == g) for g in group_keys}
        counts_by: dict[tuple[int, Group, int], Any] = {}
        for d in self.active:
            members: dict[tuple[Group, int], list[Any]] = {}
            for ai in range(len(self.agents)):
                g = groups_of[ai]
                if not g:
                    continue
                for k, v in self.x.get((ai, d), {}).items():
                    members.setdefault((g, k), []).append(v)
            for (g, k), vs in members.items():
                if len(vs) == 1:
                    counts_by[d, g, k] = vs[0]
                else:
                    n = m.NewIntVar(0, len(vs), f"n{d}_{k}")
                    m.Add(n == sum(vs))
                    counts_by[d, g, k] = n
        total = n_dates * per_day
        const_heads = {g: np.zeros(total) for g in group_keys}
        ordinal = need.start.toordinal()
        by_group: dict[Group, list[Shift]] = {g: [] for g in group_keys}
        for (ai, _d), fs in self.state.fixed.items():
            if isinstance(fs, Shift) and groups_of[ai]:
                by_group[groups_of[ai]].append(fs)
        if self.base is not None:
            before = self.roster.start - dt.timedelta(days=1)
            for ai, a in enumerate(self.agents):
                bs = (
                    self.base.shifts.get((a.name, before)) if self.base.in_horizon(before) else None
                )
                if bs is not None and groups_of[ai]:
                    by_group[groups_of[ai]].append(bs)
        # shifts the solver fixed (earlier parts, other agents in the LNS) have no breaks
        # yet: count them with the same expected break minutes as the variables
        shape_of = {(sh.template.name, sh.start, sh.length): sh for sh in self.shapes}
        for g in group_keys:
            placed = []
            for fs in by_group[g]:
                sh = shape_of.get((fs.template, fs.start, fs.end - fs.start))
                if fs.breaks or sh is None or not sh.template.breaks:
                    placed.append(fs)
                    continue
                lo = (fs.day.toordinal() - ordinal) * per_day
                first, last = max(lo, 0), min(lo + 2 * per_day, total)
                if first < last:
                    const_heads[g][first:last] += sh.expected[first - lo : last - lo]
            const_heads[g] += working_minutes(placed, ordinal, n_dates, interval) * interval
        # per (group, interval): list of (var, minutes)
        terms: dict[Group, dict[int, list[tuple[Any, int]]]] = {g: {} for g in group_keys}

        def cover(g: Group, d: int, var: Any, minutes: np.ndarray) -> None:
            for i in np.flatnonzero(minutes):
                tau = d * per_day + int(i)
                if tau < total:
                    terms[g].setdefault(tau, []).append((var, int(minutes[i])))

        for (d, g, k), v in counts_by.items():
            sh = self.shapes[k]
            cover(g, d, v, np.rint(sh.expected).astype(int))
        req = np.rint(need.required.reshape(len(need.queues), total) * interval).astype(int)
        sets = hall_sets(len(need.queues))
        req_total = req.sum(axis=0)
        for d in self.active:
            for tau in range(d * per_day, (d + 1) * per_day):
                has_var = any(tau in terms[g] for g in group_keys)
                if not has_var:
                    continue
                heads: dict[Group, Any] = {}
                for g in group_keys:
                    gt = terms[g].get(tau, [])
                    const = int(round(const_heads[g][tau]))
                    if not gt:
                        heads[g] = const
                        continue
                    hv = m.NewIntVar(0, interval * group_size[g] + const, "")
                    m.Add(hv == sum(c * v for v, c in gt) + const)
                    heads[g] = hv
                big = int(req_total[tau])
                under = None
                if big > 0:
                    under = m.NewIntVar(0, big, f"u{tau}")
                    for qs in sets:
                        demand = int(req[list(qs)].sum(axis=0)[tau])
                        if demand <= 0:
                            continue
                        supply = [heads[g] for g in group_keys if set(g) & set(qs)]
                        m.Add(under + sum(supply) >= demand)
                    self.under_terms.append(under)
                    objective.append(self.options.under_weight * under)
                cap = interval * len(self.agents) + int(
                    sum(const_heads[g][tau] for g in group_keys)
                )
                over = m.NewIntVar(0, cap, f"o{tau}")
                all_heads = sum(heads.values())
                if under is not None:
                    m.Add(over >= all_heads - big + under)
                else:
                    m.Add(over >= all_heads)
                objective.append(self.options.over_weight * over)
        m.Minimize(sum(objective))
        self._greedy_hint(groups_of, const_heads, req)

    def _greedy_hint(
        self, groups_of: list[Group], const_heads: dict[Group, np.ndarray], req: np.ndarray
    ) -> None:
        """A complete, rule-abiding first roster as the search's hint: in rounds, every
        agent in turn takes the shift that covers most of what is still short, while below
        their contract or while it pays for itself."""
        m, rules, need = self.m, self.setup.rules, self.need
        per_day = need.intervals_per_day
        n_dates = len(self.dates)
        total = n_dates * per_day
        residual = req.astype(float).copy()  # (queue, tau) head-minutes still short
        for g, h in const_heads.items():
            _take(residual, list(g), np.rint(h[:total]))
        pad = np.zeros((residual.shape[0], per_day))
        work = {k: np.rint(s.expected) for k, s in enumerate(self.shapes)}
        chosen: dict[tuple[int, int], int | None] = dict.fromkeys(self.x)
        weeks = weeks_of(self.roster.start, n_dates)
        week_of = {d: w for w in weeks for d in w}
        rest = rules.min_rest_minutes
        w_under, w_over = self.options.under_weight, self.options.over_weight

        def shift_at(ai: int, d: int) -> tuple[int, int] | None:
            if (ai, d) in chosen:
                k = chosen[ai, d]
                return None if k is None else (self.shapes[k].start, self.shapes[k].end)
            known = self._known(ai, d)
            return (known.start, known.end) if isinstance(known, Shift) else None

        def run_through(ai: int, d: int) -> int:
            n = 1
            i = d - 1
            while shift_at(ai, i) is not None:
                n, i = n + 1, i - 1
            i = d + 1
            while shift_at(ai, i) is not None:
                n, i = n + 1, i + 1
            return n

        targets: dict[tuple[int, int], tuple[int, int, int]] = {}  # (ai, week0): target, cap, days
        for ai, week, _short, target in self.week_short:
            targets[ai, week[0]] = (target, 0, 0)
        rng = np.random.default_rng(self.options.seed)
        order = list(range(len(self.agents)))
        rng.shuffle(order)
        active = self.given_hint is None
        while active:
            active = False
            for ai in order:
                a = self.agents[ai]
                gq = list(groups_of[ai])
                best: tuple[float, int, int] | None = None
                for d in self.active:
                    cands = self.x.get((ai, d))
                    if not cands or chosen.get((ai, d)) is not None:
                        continue
                    week = week_of[d]
                    k_days = len(week)
                    allowed = k_days - max(0, rules.days_off_per_week - (7 - k_days))
                    shifts = [shift_at(ai, i) for i in week]
                    if sum(1 for x in shifts if x is not None) >= allowed:
                        continue
                    paid = 0
                    for i in week:
                        ck = chosen.get((ai, i))
                        known = self._known(ai, i)
                        if ck is not None:
                            paid += self.shapes[ck].paid
                        elif isinstance(known, Shift):
                            paid += known.paid_minutes
                    cap = int(min(a.max_weekly_hours, rules.max_hours_per_week) * 60)
                    target = targets.get((ai, week[0]), (0, 0, 0))[0]
                    if run_through(ai, d) > rules.max_consecutive_days:
                        continue
                    prev, nxt = shift_at(ai, d - 1), shift_at(ai, d + 1)
                    lo, hi = d * per_day, min((d + 2) * per_day, total)
                    span = residual[:, lo:hi]
                    if hi - lo < 2 * per_day:
                        span = np.concatenate([span, pad], axis=1)[:, : 2 * per_day]
                    avail = span[gq].sum(axis=0) if gq else np.zeros(2 * per_day)
                    for k in cands:
                        s = self.shapes[k]
                        if paid + s.paid > cap:
                            continue
                        if prev is not None and s.start + MINUTES_PER_DAY < prev[1] + rest:
                            continue
                        if nxt is not None and nxt[0] + MINUTES_PER_DAY < s.end + rest:
                            continue
                        useful = float(np.minimum(work[k], np.clip(avail, 0, None)).sum())
                        gain = w_under * useful - w_over * (float(work[k].sum()) - useful)
                        gain -= s.paid
                        if not a.prefers(s.template.name):
                            gain -= self.options.preference_weight
                        if paid < target:
                            gain += 20 * w_under * min(s.paid, target - paid)
                        if gain > 0 and (best is None or gain > best[0]):
                            best = (gain, d, k)
                if best is not None:
                    _, d, k = best
                    chosen[ai, d] = k
                    lo, hi = d * per_day, min((d + 2) * per_day, total)
                    if groups_of[ai]:
                        _take(residual[:, lo:hi], list(groups_of[ai]), work[k][: hi - lo])
                    active = True
        if self.given_hint is not None:
            chosen = self._shape_hint(self.given_hint)
        self.hint = chosen
        # complete the hint (counts, heads, under, over...) by solving with every choice fixed
        fixed = m.Clone()
        for (ai, d), xs in self.x.items():
            for k, v in xs.items():
                fixed.Add(v == (1 if chosen.get((ai, d)) == k else 0))
        solver = self.cp.CpSolver()
        solver.parameters.max_time_in_seconds = 10.0
        solver.parameters.num_workers = 1
        self.hint_objective: float | None = None
        if solver.Solve(fixed) in (self.cp.OPTIMAL, self.cp.FEASIBLE):
            self.hint_objective = solver.ObjectiveValue()
            values = solver.ResponseProto().solution
            for i in range(len(m.Proto().variables)):
                m.AddHint(m.GetIntVarFromProtoIndex(i), values[i])
        else:  # pragma: no cover - the greedy keeps every hard rule
            for (ai, d), xs in self.x.items():
                for k, v in xs.items():
                    m.AddHint(v, 1 if chosen.get((ai, d)) == k else 0)

    def _shape_hint(
        self, given: dict[tuple[int, int], Shift | None]
    ) -> dict[tuple[int, int], int | None]:
        """The candidate index of each given shift (None for a day off or no candidate)."""
        out: dict[tuple[int, int], int | None] = dict.fromkeys(self.x)
        for key, xs in self.x.items():
            s = given.get(key)
            if s is None:
                continue
            for k in xs:
                sh = self.shapes[k]
                if sh.start == s.start and sh.end == s.end and sh.template.name == s.template:
                    out[key] = k
                    break
        return out

    def _keep_hint(self) -> None:
        """Fix the solved days to the greedy roster (and report its contract gaps)."""
        for (ai, d), k in self.hint.items():
            if k is None:
                self.state.fixed[ai, d] = None
                continue
            s = self.shapes[k]
            self.state.fixed[ai, d] = Shift(
                self.agents[ai].name, self.dates[d], s.start, s.end, s.template.name
            )

    # --- solving -----------------------------------------------------------------------
    def run(
        self,
        limit: float,
        options: SolveOptions,
        progress: ProgressCallback | None,
        stop: threading.Event | None,
        span: tuple[float, float, float, float],
    ) -> tuple[str, float | None, float | None]:
        cp = self.cp
        solver = cp.CpSolver()
        solver.parameters.num_workers = options.workers or os.cpu_count() or 1
        solver.parameters.max_time_in_seconds = float(limit)
        solver.parameters.random_seed = options.seed
        # probing and symmetry detection cost seconds of presolve on a week of the sample
        # centre and bought nothing measurable; the search starts from the greedy hint
        solver.parameters.cp_model_probing_level = 0
        solver.parameters.symmetry_level = 0
        under = sum(self.under_terms) if self.under_terms else 0
        best: dict[str, float] = {}

        recorder = _recorder(cp, best, under if self.under_terms else None)
        cancelled: list[Cancelled] = []
        stopped = threading.Event()
        finished = threading.Event()
        t0, total_limit, _frac0, _frac_span = span
        interval_h = 1.0 / 60.0

        if stop is not None and stop.is_set():
            return "stopped", None, None
        # CP-SAT searches in a plain thread that never calls back into Python beyond the
        # recorder; this (the caller's) thread watches the clock, the stop event and the
        # progress callback. The callback therefore always runs on the caller's thread:
        # a window's task relays it with Qt signals, which must not be emitted from
        # short-lived foreign threads (seen: hangs and a glibc abort in the GUI).
        outcome: dict[str, object] = {}

        def search() -> None:
            try:
                outcome["status"] = solver.Solve(self.m, recorder)
            except BaseException as exc:  # pragma: no cover - re-raised below
                outcome["error"] = exc
            finally:
                finished.set()

        searcher = threading.Thread(target=search, name="cp-sat search", daemon=True)
        searcher.start()
        try:
            while not finished.wait(0.25):
                if stop is not None and stop.is_set() and not stopped.is_set():
                    stopped.set()
                    solver.stop_search()
                if progress is not None and not cancelled:
                    # the whole solve's elapsed share of its time limit
                    done = (time.perf_counter() - t0) / max(total_limit, 1e-9)
                    if "under" in best:
                        msg = f"Best so far: under-coverage {best['under'] * interval_h:.1f} h"
                    else:
                        msg = "Looking for a first roster..."
                    try:
                        progress(min(done, 1.0), msg)
                    except Cancelled as exc:
                        cancelled.append(exc)
                        solver.stop_search()
        finally:
            if not finished.is_set():  # an unexpected error in this thread: end the search
                solver.stop_search()
            searcher.join()
        if "error" in outcome:
            raise outcome["error"]  # type: ignore[misc]
        status = outcome["status"]
        if cancelled:
            raise cancelled[0]
        found = status in (cp.OPTIMAL, cp.FEASIBLE)
        span_text = f"{self.dates[self.active[0]]:%d %b}-{self.dates[self.active[-1]]:%d %b}"
        objective = solver.ObjectiveValue() if found else None
        if not found and status != cp.INFEASIBLE and status != cp.MODEL_INVALID:
            # never less than the greedy roster: it keeps every hard rule by construction
            self._keep_hint()
            self.notes.append(
                f"CP-SAT found no roster in its time for {span_text}; the greedy rule-keeping "
                "roster is kept for those days (allow more time for a better one)."
            )
            if stopped.is_set():
                return "stopped", self.hint_objective, None
            return "feasible", self.hint_objective, None
        if (
            found
            and self.hint_objective is not None
            and solver.ObjectiveValue() > self.hint_objective + 1e-6
        ):  # pragma: no cover - CP-SAT starts from the hint; kept for safety under load
            self._keep_hint()
            self.notes.append(f"The greedy roster was better than CP-SAT's for {span_text}.")
            name = "stopped" if stopped.is_set() else "feasible"
            return name, self.hint_objective, None
        if found:
            for (ai, d), xs in self.x.items():
                shift: Shift | None = None
                for k, v in xs.items():
                    if solver.BooleanValue(v):
                        s = self.shapes[k]
                        shift = Shift(
                            self.agents[ai].name, self.dates[d], s.start, s.end, s.template.name
                        )
                        break
                self.state.fixed[ai, d] = shift
            for ai, week, short, target in self.week_short:
                gap = solver.Value(short)
                if gap > 0:
                    self.notes.append(
                        f"{self.agents[ai].name}'s contract minimum of {target / 60:g} h in the "
                        f"week of {self.dates[week[0]]:%a %d %b} cannot be met "
                        f"({gap / 60:g} h short: availability, leave or rules)."
                    )
        else:
            for key in self.x:
                self.state.fixed[key] = None
            if status == cp.INFEASIBLE or status == cp.MODEL_INVALID:
                self.notes.append(
                    "The solver found the rules and pins contradictory for "
                    f"{self.dates[self.active[0]]:%d %b}-{self.dates[self.active[-1]]:%d %b}; "
                    "those days are left empty."
                )
            else:
                self.notes.append(
                    f"No roster was found in the time for {self.dates[self.active[0]]:%d %b}-"
                    f"{self.dates[self.active[-1]]:%d %b}; those days are left empty "
                    "(allow more time)."
                )
        if stopped.is_set():
            return "stopped", objective, None
        if not found:
            return "no solution", None, None
        name = "optimal" if status == cp.OPTIMAL else "feasible"
        return name, solver.ObjectiveValue(), solver.BestObjectiveBound()


def _take(residual: np.ndarray, queues: list[int], minutes: np.ndarray) -> None:
    """Take working minutes off the queues' residual need, the shortest-covered first."""
    left = np.asarray(minutes, dtype=float).copy()
    for _ in range(len(queues)):
        if not queues:
            break
        rows = residual[queues]
        pick = np.argmax(rows, axis=0)
        idx = np.asarray(queues)[pick]
        cols = np.arange(residual.shape[1])
        take = np.minimum(left, np.clip(residual[idx, cols], 0, None))
        residual[idx, cols] -= take
        left -= take
        if not left.any():
            break


def describe(day: dt.date, start: int, end: int) -> str:
    """``Tue 03 Nov 18:00-20:00``."""
    return f"{WEEKDAYS[day.weekday()]} {day:%d %b} {clock(start)}-{clock(end)}"


_RECORDER_CLASS: type | None = None


def _recorder(cp: Any, best: dict[str, float], under: Any) -> Any:
    """A CP-SAT solution callback writing the objective (and the under-coverage, when
    ``under`` is given) of each new solution into ``best``."""
    global _RECORDER_CLASS
    if _RECORDER_CLASS is None:

        class Recorder(cp.CpSolverSolutionCallback):
            def __init__(self, best: dict[str, float], under: Any) -> None:
                super().__init__()
                self.best, self.under = best, under

            def on_solution_callback(self) -> None:
                self.best["objective"] = self.ObjectiveValue()
                self.best["under"] = (
                    float(self.Value(self.under)) if self.under is not None else 0.0
                )

        _RECORDER_CLASS = Recorder
    return _RECORDER_CLASS(best, under)
