"""Paid hours per agent and team by Mon-Sun week (what the Schedule page shows)."""

from __future__ import annotations

import datetime as dt

import pytest

from wfm.roster.hours import NO_TEAM, roster_weeks, team_hours, team_totals, weekly_hours
from wfm.roster.roster import Break, Roster, Shift
from wfm.scheduling.model import Agent, Rules, ShiftSetup, ShiftTemplate

WED = dt.date(2026, 11, 4)  # a Wednesday: the horizon starts mid-week


def make_roster(days: int = 12) -> Roster:
    template = ShiftTemplate("Day", tuple(range(7)), 480, 600, 30, (510,), ())
    agents = (
        Agent("Ana", team="Red"),
        Agent("Bo", team="Blue"),
        Agent("Cy", team="Red"),
        Agent("Di"),
    )
    return Roster(WED, days, agents, ShiftSetup((template,), Rules()))


def put(roster: Roster, agent: str, day: dt.date, start: int, end: int, unpaid: int = 0) -> None:
    breaks = (Break(start + 240, unpaid, "lunch", paid=False),) if unpaid else ()
    roster.shifts[(agent, day)] = Shift(agent, day, start, end, "Day", breaks)


def test_weeks_are_cut_by_the_horizon():
    weeks = roster_weeks(make_roster(12))  # Wed 04 .. Sun 15 Nov
    assert weeks == [
        (WED, dt.date(2026, 11, 8)),
        (dt.date(2026, 11, 9), dt.date(2026, 11, 15)),
    ]


def test_weekly_hours_sum_paid_minutes_per_agent_and_week():
    roster = make_roster()
    put(roster, "Ana", WED, 480, 990, unpaid=30)  # 8 paid hours
    put(roster, "Ana", dt.date(2026, 11, 8), 480, 990)  # Sunday: same week, 8.5 h
    put(roster, "Ana", dt.date(2026, 11, 9), 600, 840)  # Monday: next week, 4 h
    put(roster, "Bo", dt.date(2026, 11, 15), 1320, 1830)  # past midnight counts on its day
    frame = weekly_hours(roster)
    first, second = (w for w, _ in roster_weeks(roster))
    assert list(frame.index) == ["Ana", "Bo", "Cy", "Di"]
    assert list(frame.columns) == [first, second]
    assert frame.loc["Ana", first] == pytest.approx(16.5)
    assert frame.loc["Ana", second] == pytest.approx(4.0)
    assert frame.loc["Bo", second] == pytest.approx(8.5)
    assert frame.loc["Cy"].sum() == 0.0


def test_weekly_hours_of_some_agents_only():
    roster = make_roster()
    put(roster, "Cy", WED, 480, 960)
    frame = weekly_hours(roster, ["Cy", "Nobody", "Ana"])
    assert list(frame.index) == ["Cy", "Ana"]
    assert frame.loc["Cy"].tolist() == [8.0, 0.0]


def test_an_empty_roster_has_zero_hours():
    frame = weekly_hours(make_roster())
    assert frame.shape == (4, 2) and float(frame.to_numpy().sum()) == 0.0


def test_team_hours_sum_their_agents_with_head_counts():
    roster = make_roster()
    put(roster, "Ana", WED, 480, 960)
    put(roster, "Cy", WED, 480, 990, unpaid=30)
    put(roster, "Di", dt.date(2026, 11, 10), 480, 720)
    frame = team_hours(roster)
    first, second = (w for w, _ in roster_weeks(roster))
    assert list(frame.index) == [NO_TEAM, "Blue", "Red"]
    assert frame["agents"].tolist() == [1, 1, 2]
    assert frame.loc["Red", first] == pytest.approx(16.0)
    assert frame.loc["Blue", first] == 0.0
    assert frame.loc[NO_TEAM, second] == pytest.approx(4.0)
    assert frame[[first, second]].to_numpy().sum() == pytest.approx(
        weekly_hours(roster).to_numpy().sum()
    )


def test_team_totals_count_agents_shifts_leave_paid_hours_and_cost_in_the_period():
    roster = make_roster(12)
    agents = tuple(
        Agent(a.name, team=a.team, hourly_cost=20.0 if a.name == "Ana" else None)
        for a in roster.agents
    )
    roster = Roster(roster.start, roster.days, agents, roster.setup)
    put(roster, "Ana", WED, 480, 990, unpaid=30)  # 8 h paid
    put(roster, "Cy", WED, 480, 990)  # 8.5 h
    put(roster, "Cy", WED + dt.timedelta(days=7), 480, 990)  # outside a 7-day period
    put(roster, "Di", WED, 600, 900)  # 5 h, no team
    roster.leave[("Bo", WED + dt.timedelta(days=1))] = "sick"

    week = team_totals(roster, WED, 7)
    assert list(week.index) == sorted(["Red", "Blue", NO_TEAM])
    assert week.loc["Red"].to_dict() == {
        "agents": 2, "shifts": 2, "leave_days": 0, "paid_hours": 16.5, "cost": 160.0,
    }  # fmt: skip
    assert week.loc["Blue", "leave_days"] == 1 and week.loc["Blue", "shifts"] == 0
    assert week.loc[NO_TEAM, "paid_hours"] == 5.0 and week.loc[NO_TEAM, "cost"] == 0.0
    assert team_totals(roster).loc["Red", "shifts"] == 3  # the whole horizon
