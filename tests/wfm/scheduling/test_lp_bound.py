"""The LP lower bound on paid hours."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from wfm.roster.coverage import coverage
from wfm.scheduling.lp_bound import lp_bound
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
        ShiftTemplate("Late", tuple(range(7)), 11 * 60, 12 * 60, 60, (8 * 60,)),
    )
    s = ShiftSetup(templates, Rules(days_off_per_week=1))
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
