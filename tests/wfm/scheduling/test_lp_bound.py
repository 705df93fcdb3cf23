"""The LP lower bound on paid hours."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from wfm.roster.coverage import coverage
from wfm.scheduling.lp_bound import agent_bounds, lp_bound
from wfm.scheduling.model import Agent, BreakRule, Rules, ShiftSetup, ShiftTemplate
from wfm.scheduling.need import StaffingNeed
from wfm.scheduling.solver import SolveOptions, solve

MONDAY = dt.date(2026, 11, 2)


def test_bound_equals_a_hand_computed_value() -> None:
    # one 4-hour shape 08:00-12:00, paid 4 h; 2 heads 08:00-12:00 on 3 days -> 24 paid hours
    t = ShiftTemplate("Four", tuple(range(7)), 8 * 60, 8 * 60, 60, (4 * 60,))
    req = np.zeros((1, 3, 48))
    req[0, :, 16:24] = 2
    n = StaffingNeed(MONDAY, 30, ("Q",), req)
    assert lp_bound(n, [Agent("A")], ShiftSetup((t,))) == pytest.approx(24.0)


def test_breaks_and_fractional_shapes() -> None:
    # 1 head 08:00-12:30 with a 4.5 h shift whose unpaid 30-min lunch must be covered by a
    # second shift: the LP splits the lunch over its two positions
    t = ShiftTemplate(
        "Half",
        tuple(range(7)),
        8 * 60,
        8 * 60,
        30,
        (270,),
        (BreakRule("lunch", 30, 60, 90),),
    )
    req = np.zeros((1, 1, 48))
    req[0, 0, 16:25] = 1
    n = StaffingNeed(MONDAY, 30, ("Q",), req)
    # two shifts (4 h paid each) are needed: each covers only 4 of the 4.5 h
    assert lp_bound(n, [Agent("A")], ShiftSetup((t,))) == pytest.approx(8.0)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_bound_is_below_every_covering_roster(seed: int) -> None:
    rng = np.random.default_rng(seed)
    s = _day_and_late(late_days=7, days_off=1)
    req = np.zeros((2, 7, 48))
    req[0, :, 18:34] = rng.integers(0, 3, size=(7, 1))  # a level per day, 09:00-17:00
    req[1, :, 20:36] = rng.integers(2, 4, size=(7, 1))  # 10:00-18:00
    n = StaffingNeed(MONDAY, 30, ("Sales", "Support"), req)
    agents = [Agent(f"A{i}", skills=("Sales", "Support")) for i in range(6)] + [
        Agent(f"S{i}", skills=("Support",)) for i in range(4)
    ]
    bound = lp_bound(n, agents, s)
    result = solve(
        n, agents, s, options=SolveOptions(time_limit_s=2, lp_bound=False, under_weight=1000)
    )
    c = coverage(result.roster, n)
    assert c.hours(c.under) == 0  # ample staff: the roster covers everything
    assert bound <= result.roster.paid_hours() + 1e-6
    assert bound > 0


def _eight_hours() -> ShiftSetup:
    t = ShiftTemplate("Eight", tuple(range(7)), 8 * 60, 8 * 60, 60, (8 * 60,))
    return ShiftSetup((t,), Rules(days_off_per_week=2))


def test_agent_bound_counts_heads_hand_computed() -> None:
    # 2 heads 08:00-16:00 on one day and a single agent: 8 h cannot be covered, and the
    # agent's 8 h shift is the only paid time
    req = np.zeros((1, 1, 48))
    req[0, 0, 16:32] = 2
    n = StaffingNeed(MONDAY, 30, ("Q",), req)
    b = agent_bounds(n, [Agent("A")], _eight_hours())
    assert b.min_under_hours == pytest.approx(8.0)
    assert b.min_paid_hours == pytest.approx(8.0)
    assert b.min_under_share == pytest.approx(0.5)


def test_agent_bound_days_off_and_contracts_hand_computed() -> None:
    # 1 head 08:00-16:00 all week: one agent may work 5 days (2 days off), so 2 days are
    # short (16 h); with two agents nothing is short and 7 shifts (56 h) suffice, unless
    # their 40 h contracts force 10 shifts (80 h)
    req = np.zeros((1, 7, 48))
    req[0, :, 16:32] = 1
    n = StaffingNeed(MONDAY, 30, ("Q",), req)
    one = agent_bounds(n, [Agent("A")], _eight_hours())
    assert (one.min_under_hours, one.min_paid_hours) == pytest.approx((16.0, 40.0))
    two = [Agent("A"), Agent("B")]
    assert agent_bounds(n, two, _eight_hours()).min_paid_hours == pytest.approx(56.0)
    hired = [Agent("A", min_weekly_hours=40), Agent("B", min_weekly_hours=40)]
    b = agent_bounds(n, hired, _eight_hours())
    assert (b.min_under_hours, b.min_paid_hours) == pytest.approx((0.0, 80.0))
    assert agent_bounds(n, hired, _eight_hours(), contracts=False).min_paid_hours == (
        pytest.approx(56.0)
    )


@pytest.mark.parametrize("seed", [4, 5, 6])
def test_agent_bound_is_below_the_solver(seed: int) -> None:
    rng = np.random.default_rng(seed)
    s = _day_and_late(late_days=5, days_off=2)
    req = np.zeros((2, 7, 48))
    req[0, :, 18:34] = rng.integers(1, 4, size=(7, 1))
    req[1, :, 20:40] = rng.integers(1, 4, size=(7, 1))
    n = StaffingNeed(MONDAY, 30, ("Sales", "Support"), req)
    agents = [
        Agent(
            f"A{i}",
            skills=("Sales", "Support") if i % 2 else ("Support",),
            min_weekly_hours=float(rng.choice([0, 20, 32])),
            unavailable_days=(int(rng.integers(0, 7)),),
        )
        for i in range(5)
    ]
    b = agent_bounds(n, agents, s)
    result = solve(n, agents, s, options=SolveOptions(time_limit_s=2, lp_bound=False))
    c = coverage(result.roster, n)
    under = c.hours(c.under)
    assert b.min_under_hours > 0  # 5 agents cannot cover this: the bound is not trivial
    assert b.min_under_hours <= under + 1e-6
    if under <= b.min_under_hours + 1e-6:  # the solver reached the least under-coverage
        assert b.min_paid_hours <= result.roster.paid_hours() + 1e-6


def _day_and_late(late_days: int, days_off: int) -> ShiftSetup:
    """A Day template (8 or 6 h with a lunch, starts 08:00-10:00) and a Late one (8 h, starts
    11:00-12:00, on the first ``late_days`` weekdays)."""
    templates = (
        ShiftTemplate(
            "Day",
            tuple(range(7)),
            8 * 60,
            10 * 60,
            30,
            (8 * 60, 6 * 60),
            (BreakRule("lunch", 30, 150, 240),),
        ),
        ShiftTemplate("Late", tuple(range(late_days)), 11 * 60, 12 * 60, 60, (8 * 60,)),
    )
    return ShiftSetup(templates, Rules(days_off_per_week=days_off))
