"""The roster solver on tiny centres: rules kept, coverage, pins, stop and cancel."""

from __future__ import annotations

import datetime as dt
import threading

import numpy as np
import pytest

from wfm.progress import Cancelled
from wfm.roster.coverage import coverage
from wfm.roster.roster import Roster, Shift
from wfm.roster.rules import validate
from wfm.scheduling.model import Agent, BreakRule, Rules, ShiftSetup, ShiftTemplate
from wfm.scheduling.need import StaffingNeed
from wfm.scheduling.solver import SolveOptions, solve

MONDAY = dt.date(2026, 11, 2)
FAST = SolveOptions(time_limit_s=3.0, workers=2, lp_bound=False)
ALL_DAYS = tuple(range(7))


def setup(rules: Rules | None = None) -> ShiftSetup:
    day = ShiftTemplate(
        "Day",
        ALL_DAYS,
        8 * 60,
        10 * 60,
        60,
        (8 * 60,),
        (BreakRule("lunch", 30, 180, 270),),
    )
    late = ShiftTemplate("Late", ALL_DAYS, 12 * 60, 13 * 60, 60, (8 * 60,))
    return ShiftSetup((day, late), rules or Rules(days_off_per_week=2))


def need(
    days: int, heads: dict[tuple[int, int], float], queues: tuple[str, ...] = ("Q",)
) -> StaffingNeed:
    """``heads[(h0, h1)]``: heads from hour h0 to h1 on every day, first queue."""
    req = np.zeros((len(queues), days, 48))
    for (h0, h1), n in heads.items():
        req[0, :, h0 * 2 : h1 * 2] = n
    return StaffingNeed(MONDAY, 30, queues, req)


def under_hours(roster: Roster, n: StaffingNeed) -> float:
    c = coverage(roster, n)
    return c.hours(c.under)


def test_coverable_requirement_is_met_without_breaking_rules() -> None:
    agents = [Agent(f"A{i}", max_weekly_hours=40) for i in range(6)]
    n = need(7, {(9, 16): 3})  # 3 heads 09:00-16:00, breaks must be staggered
    result = solve(n, agents, setup(), options=FAST)
    assert result.status in ("optimal", "feasible")
    assert validate(result.roster) == []
    assert under_hours(result.roster, n) == 0
    assert result.shortages == ()


def test_rules_are_kept_when_the_requirement_asks_for_more() -> None:
    rules = Rules(min_rest_hours=11, max_consecutive_days=3, days_off_per_week=2)
    agents = [
        Agent("Ana", max_weekly_hours=24, unavailable_days=(2,)),
        Agent("Ben", leave=(MONDAY + dt.timedelta(days=1),), templates=("Late",)),
        Agent("Cy", unavailable_dates=(MONDAY + dt.timedelta(days=8),)),
        Agent("Di", skills=("Q",)),
        Agent("Ed", skills=("Other",)),
    ]
    n = need(14, {(8, 21): 6})
    result = solve(n, agents, setup(rules), options=FAST)
    roster = result.roster
    assert validate(roster) == []
    shifts = roster.shifts
    assert not any(s.day.weekday() == 2 for s in roster.shifts_of("Ana"))
    assert ("Ben", MONDAY + dt.timedelta(days=1)) not in shifts
    assert all(s.template == "Late" for s in roster.shifts_of("Ben"))
    assert ("Cy", MONDAY + dt.timedelta(days=8)) not in shifts
    assert result.shortages  # 6 heads all day cannot be met by four agents


def test_more_heads_than_needed_gives_no_under_and_little_over() -> None:
    agents = [Agent(f"A{i}") for i in range(8)]
    n = need(7, {(8, 16): 2})
    result = solve(n, agents, setup(), options=FAST)
    c = coverage(result.roster, n)
    assert c.hours(c.under) == 0
    # every agent on a Day shift every day they may would be far worse
    assert c.hours(c.over) < 0.5 * c.hours(n.required)


def test_impossible_evening_names_the_binding_cause() -> None:
    agents = [Agent(f"Day{i}", templates=("Day",)) for i in range(4)] + [
        Agent("Eve", templates=("Late",))
    ]
    n = need(7, {(9, 12): 1, (18, 20): 3})
    result = solve(n, agents, setup(), options=FAST)
    evening = [s for s in result.shortages if s.start >= 17 * 60]
    assert evening
    assert "only 1 agent may work then" in evening[0].reason
    assert evening[0].message().startswith(f"Mon 02 Nov {evening[0].start // 60:02d}:")


def test_two_queues_with_a_multi_skilled_group() -> None:
    queues = ("Sales", "Support")
    req = np.zeros((2, 7, 48))
    req[0, :, 18:32] = 1
    req[1, :, 18:32] = 2
    n = StaffingNeed(MONDAY, 30, queues, req)
    agents = [Agent(f"S{i}", skills=("Support",)) for i in range(3)] + [
        Agent(f"B{i}", skills=("Sales", "Support")) for i in range(3)
    ]
    result = solve(n, agents, setup(), options=FAST)
    assert validate(result.roster) == []
    assert under_hours(result.roster, n) == 0


def test_locked_cells_and_days_outside_free_days_are_kept() -> None:
    agents = [Agent(f"A{i}") for i in range(5)]
    n = need(7, {(9, 16): 2})
    first = solve(n, agents, setup(), options=FAST).roster
    base = first.copy()
    tuesday = MONDAY + dt.timedelta(days=1)
    base.put(("A0", tuesday), Shift("A0", tuesday, 12 * 60, 20 * 60, "Late"))
    base.set_lock(("A0", tuesday), True)
    base.put(("A1", tuesday), None)
    base.set_lock(("A1", tuesday), True)
    again = solve(n, agents, setup(), base=base, free_days=[tuesday], options=FAST).roster
    assert again.shifts[("A0", tuesday)] == base.shifts[("A0", tuesday)]
    assert ("A1", tuesday) not in again.shifts
    for cell, s in base.shifts.items():
        if cell[1] != tuesday:
            assert again.shifts.get(cell) == s
    assert {c for c in again.shifts if c[1] != tuesday} == {
        c for c in base.shifts if c[1] != tuesday
    }


def test_stop_event_returns_a_roster_marked_stopped() -> None:
    agents = [Agent(f"A{i}") for i in range(8)]
    n = need(14, {(8, 21): 5})
    stop = threading.Event()
    timer = threading.Timer(0.6, stop.set)
    timer.start()
    try:
        result = solve(
            n, agents, setup(), options=SolveOptions(time_limit_s=30, lp_bound=False), stop=stop
        )
    finally:
        timer.cancel()
    assert result.status == "stopped"
    assert result.wall_seconds < 20
    assert validate(result.roster) == []


def test_progress_raising_cancelled_propagates() -> None:
    agents = [Agent(f"A{i}") for i in range(8)]
    n = need(14, {(8, 21): 5})
    seen: list[str] = []

    def progress(fraction: float, message: str) -> None:
        seen.append(message)
        raise Cancelled

    with pytest.raises(Cancelled):
        solve(n, agents, setup(), options=SolveOptions(time_limit_s=30), progress=progress)
    assert seen


def test_preferred_shift_honoured_when_free_to() -> None:
    agents = [Agent("Lark", preferred_shift="Day"), Agent("Owl", preferred_shift="late")]
    n = need(7, {(14, 16): 2})  # a Day shift from 10:00 and a Late shift both cover it
    options = SolveOptions(time_limit_s=3.0, workers=2, lp_bound=False, preference_weight=2000)
    result = solve(n, agents, setup(), options=options)
    assert result.roster.shifts_of("Lark") and result.roster.shifts_of("Owl")
    assert all(s.template == "Day" for s in result.roster.shifts_of("Lark"))
    assert all(s.template == "Late" for s in result.roster.shifts_of("Owl"))


def test_weekends_are_spread_evenly() -> None:
    req = np.zeros((1, 14, 48))
    req[0, [5, 6, 12, 13], 26:34] = 1  # one head on Sat and Sun only (a Late, no lunch)
    n = StaffingNeed(MONDAY, 30, ("Q",), req)
    agents = [Agent(f"A{i}", max_weekly_hours=40) for i in range(4)]
    result = solve(n, agents, setup(), options=FAST)
    counts = [
        sum(1 for s in result.roster.shifts_of(a.name) if s.day.weekday() >= 5) for a in agents
    ]
    assert sum(counts) == 4
    assert max(counts) == 1


def test_contract_minimum_is_met_and_reported_when_unreachable() -> None:
    agents = [
        Agent("Full", min_weekly_hours=37.5, max_weekly_hours=40),
        Agent("Blocked", min_weekly_hours=30, unavailable_days=(0, 1, 2, 3, 4)),
    ]
    n = need(7, {(9, 12): 1})
    result = solve(n, agents, setup(), options=FAST)
    full = result.roster.shifts_of("Full")
    assert sum(s.paid_minutes for s in full) >= 37.5 * 60
    assert any("Blocked" in note and "contract minimum" in note for note in result.notes)
