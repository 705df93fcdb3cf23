"""A small two-team roster and its export, shared by the export and lead-changes tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from tests.wfm.roster import MONDAY, SETUP, day, early
from wfm.export.workbook import ExportOptions, export_roster
from wfm.roster.commands import template_breaks
from wfm.roster.roster import Roster, Shift
from wfm.scheduling.model import Agent
from wfm.scheduling.need import StaffingNeed
from wfm.staffing.requirement import StaffingTarget

SALES = ("Ana Silva", "Bo Chen", "Cy Diaz", "Di Evans")
SUPPORT = ("Ed Fox", "Flo Gray", "Gus Hill", "Hana Ito")
GENERATED = dt.datetime(2026, 10, 30, 14, 5)


def late(agent: str, d: dt.date, start: int = 12 * 60) -> Shift:
    """A Late shift (8 h) with its lunch."""
    template = SETUP.template("Late")
    return Shift(
        agent, d, start, start + 480, "Late", template_breaks(template, start, start + 480)
    )


def small_roster(days: int = 14) -> Roster:
    """Sales on Early shifts, Support on Late shifts, Mon-Fri; Cy on leave on Wednesday of
    the first week, Hana sick on Thursday, Di off on Fridays, and one shift without a
    template (Ed, first Tuesday)."""
    agents = tuple(
        [Agent(n, "Sales", ("Sales",), 0.0, 40.0, 20.0) for n in SALES]
        + [Agent(n, "Support", ("Support", "Sales"), 0.0, 40.0, 18.0) for n in SUPPORT]
    )
    r = Roster(MONDAY, days, agents, SETUP)
    for i in range(days):
        d = day(i)
        if d.weekday() >= 5:
            continue
        for k, name in enumerate(SALES):
            if name == "Di Evans" and d.weekday() == 4:
                continue
            r.put((name, d), early(name, d, 8 * 60 + 30 * (k % 2)))
        for k, name in enumerate(SUPPORT):
            r.put((name, d), late(name, d, 12 * 60 + 30 * (k % 3)))
    r.put(("Cy Diaz", day(2)), None)
    r.set_leave(("Cy Diaz", day(2)), "leave")
    r.put(("Hana Ito", day(3)), None)
    r.set_leave(("Hana Ito", day(3)), "sick")
    r.put(("Ed Fox", day(1)), Shift("Ed Fox", day(1), 10 * 60, 15 * 60))
    return r


def small_need(days: int = 14, target: StaffingTarget | None = None) -> StaffingNeed:
    """Sales and Support on 30-minute intervals, weekdays: Sales 3 heads 08:00-16:30,
    Support 3 heads 12:00-20:00 (a shortfall where the lates are on lunch)."""
    required = np.zeros((2, days, 48))
    for i in range(days):
        if day(i).weekday() < 5:
            required[0, i, 16:33] = 3.0
            required[1, i, 24:40] = 3.0
    volume = required * 6.0
    aht = np.where(required > 0, 240.0, 0.0)
    return StaffingNeed(MONDAY, 30, ("Sales", "Support"), required, volume, aht, target)


EVIL_NAME = '=HYPERLINK("http://x","y")'


def formula_named_roster(days: int = 7) -> Roster:
    """The small roster with Ana Silva renamed to a formula and moved to the team "+Sales":
    text that must stay text in Excel and LibreOffice."""
    base = small_roster(days)
    agents = tuple(
        Agent(EVIL_NAME, "+Sales", ("Sales",)) if a.name == "Ana Silva" else a for a in base.agents
    )
    roster = Roster(base.start, base.days, agents, base.setup)
    for (name, d), s in base.shifts.items():
        name = EVIL_NAME if name == "Ana Silva" else name
        roster.put((name, d), Shift(name, d, s.start, s.end, s.template, s.breaks))
    roster.leave.update(base.leave)
    return roster


@pytest.fixture
def exported(tmp_path: Path) -> tuple[Roster, StaffingNeed, Path]:
    """The small roster (2 teams, 8 agents, 14 days) and its requirement, exported with the
    default options to ``tmp_path / "roster.xlsx"``."""
    roster, need = small_roster(), small_need()
    path = tmp_path / "roster.xlsx"
    export_roster(roster, path, need=need, options=ExportOptions())
    return roster, need, path


@pytest.fixture
def fixed_options() -> ExportOptions:
    return ExportOptions(centre="Northwind Energy", source="plan.wfm", generated=GENERATED)
