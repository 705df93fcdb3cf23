"""Tests of the editable roster. Small builders shared by the test modules live here."""

from __future__ import annotations

import datetime as dt

import numpy as np

from wfm.roster.roster import Break, Roster, Shift
from wfm.scheduling.model import Agent, BreakRule, Rules, ShiftSetup, ShiftTemplate
from wfm.scheduling.need import StaffingNeed
from wfm.staffing.requirement import StaffingTarget

MONDAY = dt.date(2026, 11, 2)

EARLY = ShiftTemplate(
    "Early",
    (0, 1, 2, 3, 4),
    7 * 60 + 30,
    9 * 60,
    30,
    (510,),
    (
        BreakRule("short", 15, 90, 150),
        BreakRule("lunch", 30, 180, 300),
        BreakRule("short", 15, 360, 420),
    ),
)
LATE = ShiftTemplate(
    "Late", (0, 1, 2, 3, 4, 5, 6), 12 * 60, 14 * 60, 30, (480,), (BreakRule("lunch", 30, 180, 300),)
)
SETUP = ShiftSetup((EARLY, LATE), Rules())


def day(i: int) -> dt.date:
    return MONDAY + dt.timedelta(days=i)


def agents() -> tuple[Agent, ...]:
    return (
        Agent("Ana Silva", "Sales", ("Sales",), 30.0, 40.0, 20.0),
        Agent("Bo Chen", "Support", ("Support",), 0.0, 40.0, 18.0),
        Agent("Cy Diaz", "Support", ("Sales", "Support"), 0.0, 40.0, None),
    )


def early(agent: str, d: dt.date, start: int = 8 * 60) -> Shift:
    """An Early shift with its three breaks in their windows."""
    return Shift(
        agent,
        d,
        start,
        start + 510,
        "Early",
        (
            Break(start + 120, 15, "short", True),
            Break(start + 240, 30, "lunch", False),
            Break(start + 390, 15, "short", True),
        ),
    )


def roster(days: int = 14, setup: ShiftSetup = SETUP) -> Roster:
    """Ana and Bo on Early shifts Mon-Fri of each week; Cy has none."""
    r = Roster(MONDAY, days, agents(), setup)
    for i in range(days):
        d = day(i)
        if d.weekday() < 5:
            for name in ("Ana Silva", "Bo Chen"):
                r.put((name, d), early(name, d))
    return r


def need(days: int = 14, volume: bool = True, target: StaffingTarget | None = None) -> StaffingNeed:
    """Sales and Support on 30-minute intervals: 1 head each 08:00-16:30 on weekdays."""
    required = np.zeros((2, days, 48))
    for i in range(days):
        if day(i).weekday() < 5:
            required[:, i, 16:33] = 1.0
    vol = aht = None
    if volume:
        vol = required * 5.0
        aht = np.where(required > 0, 180.0, 0.0)
    return StaffingNeed(MONDAY, 30, ("Sales", "Support"), required, vol, aht, target)
