"""What a plan gives the later stages: demand (forecast + overrides + promoted scenarios),
target, requirement and the what-if base plan."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from wfm.errors import WfmError
from wfm.forecast.model import forecast
from wfm.forecast.overrides import Override, OverrideList, apply_overrides
from wfm.io.history import IntervalHistory
from wfm.io.project import Project
from wfm.io.project_inputs import (
    PROMOTED_KEY,
    PROMOTED_TARGET_KEY,
    apply_promotions,
    missing_part,
    project_demand,
    project_need,
    project_notes,
    project_plan,
    project_target,
    promoted_scenarios,
)
from wfm.scenarios.evaluate import Plan, apply_scenario
from wfm.scenarios.model import scenarios_from_text
from wfm.scheduling.loaders import read_shift_setup
from wfm.scheduling.model import Agent
from wfm.scheduling.need import StaffingNeed
from wfm.staffing.demand import demand_from_forecast, demand_from_history, staff
from wfm.staffing.requirement import StaffingTarget

REPO = Path(__file__).resolve().parents[3]
HISTORY_START = dt.date(2026, 9, 28)  # a Monday; 5 weeks to Sun 1 Nov
FORECAST_START = dt.date(2026, 11, 2)
TARGET = StaffingTarget(service_level=0.8, answer_seconds=20.0, shrinkage=0.1)
SCENARIOS = """
[[scenario]]
name = "Busy Tuesday"
[[scenario.volume]]
percent = 50
queues = ["Sales"]
dates = "2026-11-03"

[[scenario]]
name = "SL 90/20"
service_level = 0.9
"""
PROMO = """
[[scenario]]
name = "Promo"
shrinkage = 0.2
[[scenario.volume]]
percent = 40
queues = ["Sales"]
dates = "2026-11-04"
start = "09:00"
end = "12:00"
"""
AHT_UP = '[[scenario]]\nname = "AHT up"\nheadcount = 2\n[[scenario.aht]]\npercent = 10\n'


def make_history(weeks: int = 5) -> IntervalHistory:
    """Two queues, 30-minute intervals, open 08:00-18:00 with a midday peak."""
    starts = pd.date_range(HISTORY_START, periods=weeks * 7 * 48, freq="30min")
    hour = starts.hour.to_numpy() + starts.minute.to_numpy() / 60
    open_ = (hour >= 8) & (hour < 18)
    shape = np.where(open_, 6 + 4 * np.sin(np.pi * (hour - 8) / 10), 0.0)
    weekend = starts.day_of_week.to_numpy() >= 5
    frames = []
    for queue, scale, aht in (("Sales", 1.0, 300.0), ("Support", 0.6, 420.0)):
        offered = np.round(shape * scale * np.where(weekend, 0.5, 1.0))
        frames.append(
            pd.DataFrame(
                {
                    "queue": queue,
                    "interval_start": starts,
                    "offered": offered,
                    "handled": offered,
                    "abandoned": 0.0,
                    "aht_seconds": np.where(offered > 0, aht, np.nan),
                }
            )
        )
    return IntervalHistory(pd.concat(frames, ignore_index=True), 30)


def make_agents() -> tuple[Agent, ...]:
    names = ("Ana", "Bo", "Cy", "Di", "Ed", "Flo")
    return tuple(
        Agent(
            name,
            "Sales" if i < 3 else "Support",
            skills=("Sales", "Support"),
            max_weekly_hours=40.0,
            hourly_cost=20.0,
        )
        for i, name in enumerate(names)
    )


def make_project(*, with_forecast: bool = True, days: int = 7) -> Project:
    """A small plan: 5 weeks of history, 6 agents, the sample shift templates, a target,
    two scenarios and (by default) a last-week forecast of ``days`` days."""
    history = make_history()
    project = Project(
        name="Test plan",
        centre="Northwind",
        history=history,
        source="history.csv",
        target=TARGET,
        agents=make_agents(),
        setup=read_shift_setup(REPO / "sample_data" / "shift_templates.toml"),
        scenarios_text=SCENARIOS,
        settings={
            "forecast.start": FORECAST_START.isoformat(),
            "forecast.days": days,
            "forecast.method": "last-week",
        },
        stamps={"history": "2026-11-01T12:00:00"},
    )
    if with_forecast:
        project.forecast = forecast(history, FORECAST_START, days, method="last-week")
        project.stamps["forecast"] = "2026-11-01T12:05:00"
    return project


def test_demand_is_the_forecast_with_its_overrides():
    project = make_project()
    project.overrides = OverrideList(
        (Override.for_days(FORECAST_START, queue="Sales", value=25.0),)
    )
    demand, minutes, label = project_demand(project)
    expected = demand_from_forecast(apply_overrides(project.forecast.frame, project.overrides))
    pd.testing.assert_frame_equal(demand, expected)
    assert minutes == 30
    assert label == "Forecast 02 Nov 2026 to 08 Nov 2026 (last-week) with 1 override"
    monday = demand["interval_start"].dt.date == FORECAST_START
    sales = demand["queue"] == "Sales"
    plain = demand_from_forecast(project.forecast.frame)
    ratio = demand.loc[monday & sales, "volume"].sum() / plain.loc[monday & sales, "volume"].sum()
    assert ratio == pytest.approx(1.25)
    assert demand.loc[~monday, "volume"].equals(plain.loc[~monday, "volume"])


def test_promoted_scenarios_change_the_demand_and_target_as_apply_scenario_does():
    project = make_project()
    project.settings[PROMOTED_KEY] = [PROMO, AHT_UP]
    demand, minutes, label = project_demand(project)
    plan = Plan(demand_from_forecast(project.forecast.frame), 30, TARGET)
    for text in (PROMO, AHT_UP):
        plan = apply_scenario(plan, scenarios_from_text(text)[0])
    pd.testing.assert_frame_equal(demand, plan.demand)
    assert label.endswith(" + promoted: 'Promo', 'AHT up'")
    assert project_target(project) == plan.target == dataclasses.replace(TARGET, shrinkage=0.2)
    base = demand_from_forecast(project.forecast.frame)
    changed = ~np.isclose(demand["volume"], base["volume"])
    assert changed.any()  # Sales on Wed 4 Nov, 09:00-12:00 only
    rows = demand.loc[changed]
    assert set(rows["queue"]) == {"Sales"}
    assert set(rows["interval_start"].dt.date) == {dt.date(2026, 11, 4)}
    assert rows["interval_start"].dt.hour.between(9, 11).all()
    np.testing.assert_allclose(demand["aht_seconds"], base["aht_seconds"] * 1.1)
    # the requirement and the what-if base follow
    need = project_need(project)
    table = staff(plan.demand, 30, plan.target)
    assert need.required_hours() == pytest.approx(table["scheduled_agents"].sum() / 2)
    assert need.target == plan.target
    whatif = project_plan(project)
    pd.testing.assert_frame_equal(whatif.demand, plan.demand)
    assert whatif.target == plan.target
    notes = project_notes(project)
    assert "the base plan includes the promoted scenario(s) 'Promo', 'AHT up'" in notes
    assert any("adding 2 agents is a roster change" in n for n in notes)


def test_apply_promotions_applies_in_order_and_can_leave_out_a_misfit():
    project = make_project()
    base = demand_from_forecast(project.forecast.frame)
    promo, aht_up = (scenarios_from_text(t)[0] for t in (PROMO, AHT_UP))
    misfit = scenarios_from_text(PROMO.replace("2026-11-04", "2027-01-04").replace("Promo", "Late"))
    with pytest.raises(WfmError, match="scenario 'Late'"):
        apply_promotions(base, 30, TARGET, [promo, misfit[0], aht_up], "Forecast")
    left_out: list[str] = []
    demand, target, label = apply_promotions(
        base,
        30,
        TARGET,
        [promo, misfit[0], aht_up],
        "Forecast",
        on_misfit=lambda s, exc: left_out.append(f"{s.name}: {exc}"),
    )
    plan = apply_scenario(apply_scenario(Plan(base, 30, TARGET), promo), aht_up)
    pd.testing.assert_frame_equal(demand, plan.demand)
    assert target == plan.target == dataclasses.replace(TARGET, shrinkage=0.2)
    assert label == "Forecast + promoted: 'Promo', 'AHT up'"
    assert len(left_out) == 1 and left_out[0].startswith("Late: scenario 'Late'")
    same, kept, text = apply_promotions(base, 30, TARGET, (), "Forecast")
    assert same is base and (kept, text) == (TARGET, "Forecast")


def test_a_plan_the_window_promoted_keeps_its_own_target():
    project = make_project()
    project.settings[PROMOTED_KEY] = [PROMO]
    # The window applied the promotion (shrinkage 20 %) and the planner then chose 15 %.
    project.settings[PROMOTED_TARGET_KEY] = dataclasses.asdict(TARGET)
    project.target = dataclasses.replace(TARGET, shrinkage=0.15)
    assert project_target(project) == project.target
    assert project_need(project).target == project.target
    assert project_plan(project).target == project.target
    # The demand still has the promotion.
    assert project_demand(project)[2].endswith(" + promoted: 'Promo'")


def test_a_bad_promotion_names_itself():
    project = make_project()
    project.settings[PROMOTED_KEY] = [PROMO, "[[scenario]]\nnam = 'x'\n"]
    with pytest.raises(WfmError, match="promoted scenario 2"):
        promoted_scenarios(project)
    project.settings[PROMOTED_KEY] = [PROMO.replace("2026-11-04", "2027-01-04")]
    with pytest.raises(WfmError, match="scenario 'Promo': volume change 1 names 2027-01-04"):
        project_demand(project)
    project.settings[PROMOTED_KEY] = "not a list"
    with pytest.raises(WfmError, match="must be a list"):
        project_target(project)


def test_without_a_forecast_the_history_is_staffed_and_without_either_it_fails():
    project = make_project(with_forecast=False)
    project.target = None
    demand, minutes, label = project_demand(project)
    pd.testing.assert_frame_equal(demand, demand_from_history(project.history, days=28))
    assert (minutes, label) == (
        30,
        "Actual volume of the last 4 weeks of history (no forecast yet)",
    )
    assert project_target(project) == StaffingTarget()
    notes = project_notes(project)
    assert notes[0].startswith("the plan has no forecast yet")
    assert notes[1] == "the plan has no staffing target: the default 80/20, Erlang C is used"
    assert project_notes(project, demand=False, target=False) == ()
    project.history = None
    with pytest.raises(WfmError, match="no forecast and no history"):
        project_demand(project)


def test_need_is_the_staffing_table_of_the_plan():
    project = make_project()
    need = project_need(project)
    table = staff(demand_from_forecast(project.forecast.frame), 30, TARGET)
    expected = StaffingNeed.from_table(table, 30, target=TARGET)
    assert (need.start, need.days, need.queues) == (FORECAST_START, 7, ("Sales", "Support"))
    np.testing.assert_array_equal(need.required, expected.required)
    np.testing.assert_allclose(need.volume, expected.volume)
    week = project_need(project, dt.date(2026, 11, 4), 2, column="agents")
    assert (week.start, week.days) == (dt.date(2026, 11, 4), 2)
    net = StaffingNeed.from_table(table, 30, column="agents", target=TARGET)
    np.testing.assert_array_equal(week.required, net.required[:, 2:4])
    assert (week.required <= need.required[:, 2:4]).all()
    with pytest.raises(WfmError, match="no column 'heads'"):
        project_need(project, column="heads")


def test_plan_keeps_the_roster():
    from wfm.io.project import RosterRecord
    from wfm.roster.roster import Roster

    project = make_project()
    roster = Roster(FORECAST_START, 7, project.agents, project.setup)
    project.roster = RosterRecord(roster)
    plan = project_plan(project, hourly_cost=25.0, fte_hours_per_week=37.5)
    assert plan.roster is roster
    assert (plan.hourly_cost, plan.fte_hours_per_week, plan.interval_minutes) == (25.0, 37.5, 30)
    assert plan.target == TARGET


def test_missing_part_says_what_to_run():
    assert str(missing_part(Path("work/plan.wfmp"), "forecast")) == (
        "plan.wfmp has no forecast yet: run wfm forecast --project work/plan.wfmp first"
    )
    assert "wfm project update p.wfmp --agents agents.csv" in str(missing_part("p.wfmp", "agents"))
