"""Evaluating scenarios: requirement and its change, FTE, cost, the kept roster's service."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from tests.wfm.scenarios import MONDAY, demand, roster
from wfm.errors import WfmError
from wfm.progress import Cancelled
from wfm.roster.report import quality_report
from wfm.scenarios import (
    COMPARISON_COLUMNS,
    AhtChange,
    Plan,
    Scenario,
    VolumeChange,
    Where,
    apply_scenario,
    compare,
    evaluate,
    promote,
    sensitivity,
)
from wfm.scheduling.need import StaffingNeed
from wfm.staffing.demand import staff
from wfm.staffing.requirement import StaffingTarget, required_agents

WED = dt.date(2026, 11, 4)
TARGET = StaffingTarget(0.8, 20)


def scheduled(calls: float, aht: float, target: StaffingTarget = TARGET) -> int:
    """The requirement of one interval, straight from the Erlang search."""
    return int(required_agents(calls, aht, 1800, target).scheduled[0])


def rows(result_table: pd.DataFrame, queue: str, day: dt.date) -> np.ndarray:
    stamps = result_table["interval_start"]
    return ((result_table["queue"] == queue) & (stamps.dt.date == day)).to_numpy()


def test_percent_uplift_on_one_date_and_queue_changes_only_those_rows() -> None:
    plan = Plan(demand(), 30, TARGET)
    where = Where(queues=("Sales",), dates=(WED,))
    result = evaluate(plan, Scenario("Promo", volume=(VolumeChange(percent=40, where=where),)))
    table = result.table
    hit = rows(table, "Sales", WED)
    base_volume = plan.demand["volume"].to_numpy()
    assert np.array_equal(table["volume"].to_numpy()[hit], base_volume[hit] * 1.4)
    assert np.array_equal(table["volume"].to_numpy()[~hit], base_volume[~hit])
    busy = hit & (base_volume > 0)
    assert (table["required"].to_numpy()[busy] == scheduled(28, 180)).all()
    assert (table["base_required"].to_numpy()[busy] == scheduled(20, 180)).all()
    assert scheduled(28, 180) > scheduled(20, 180)
    assert (table["change"].to_numpy()[busy] > 0).all()
    assert (table["change"].to_numpy()[~busy] == 0).all()
    extra = 17 * (scheduled(28, 180) - scheduled(20, 180)) * 0.5  # 17 open half hours
    assert result.required_hours - result.base_required_hours == pytest.approx(extra)


def test_absolute_calls_go_to_open_intervals_and_never_below_zero() -> None:
    plan = Plan(demand(), 30, TARGET)
    more = apply_scenario(plan, Scenario("More", volume=(VolumeChange(calls=10),)))
    volume = more.demand["volume"].to_numpy()
    base = plan.demand["volume"].to_numpy()
    assert np.array_equal(volume, np.where(base > 0, base + 10, 0.0))  # nights stay closed
    late = Where(queues=("Support",), start=17 * 60, end=18 * 60)
    opened = apply_scenario(plan, Scenario("Late", volume=(VolumeChange(calls=4, where=late),)))
    named = late.mask(plan.demand)
    assert np.array_equal(opened.demand["volume"].to_numpy()[named], np.full(2 * 7, 4.0))
    fewer = apply_scenario(plan, Scenario("Fewer", volume=(VolumeChange(calls=-100),)))
    assert (fewer.demand["volume"] == 0).all()


def test_aht_change_in_percent_and_seconds() -> None:
    plan = Plan(demand(), 30, TARGET)
    sales = Where(queues=("Sales",))
    result = evaluate(
        plan, Scenario("Longer", aht=(AhtChange(percent=50, where=sales), AhtChange(seconds=-30)))
    )
    t = result.table
    is_sales = (t["queue"] == "Sales").to_numpy()
    assert np.allclose(t["aht_seconds"][is_sales], 180 * 1.5 - 30)
    assert np.allclose(t["aht_seconds"][~is_sales], 150.0)
    open_ = (t["volume"] > 0).to_numpy()
    assert (t["required"][is_sales & open_] == scheduled(20, 240)).all()
    assert (t["required"][~is_sales & open_] == scheduled(20, 150)).all()
    with pytest.raises(WfmError, match="scenario 'Too short': AHT change 1 leaves an AHT of -20 s"):
        apply_scenario(plan, Scenario("Too short", aht=(AhtChange(seconds=-200),)))


def test_a_stricter_service_level_needs_more_agents() -> None:
    plan = Plan(demand(), 30, TARGET)
    result = evaluate(plan, Scenario("SL 95/20", service_level=0.95))
    open_ = (result.table["volume"] > 0).to_numpy()
    expected = scheduled(20, 180, StaffingTarget(0.95, 20))
    assert expected > scheduled(20, 180)
    assert (result.table["required"][open_] == expected).all()
    assert result.required_hours > result.base_required_hours
    assert result.target == StaffingTarget(0.95, 20)


def test_shrinkage_scales_the_scheduled_agents() -> None:
    plan = Plan(demand(calls=60), 30, TARGET.with_changes(shrinkage=0.2))
    net = staff(plan.demand, 30, plan.target)["agents"].to_numpy()
    result = evaluate(plan, Scenario("Sick", shrinkage=0.4))
    assert np.array_equal(result.table["required"], np.ceil(net / 0.6 - 1e-9).astype(int))
    assert np.array_equal(result.table["base_required"], np.ceil(net / 0.8 - 1e-9).astype(int))
    # a per-interval shrinkage column gives way to the scenario's figure
    per_interval = dataclasses.replace(plan, demand=plan.demand.assign(shrinkage=0.1))
    assert "shrinkage" not in apply_scenario(per_interval, Scenario("S", shrinkage=0.4)).demand


def test_compare_puts_the_base_first_and_counts_fte_by_hand() -> None:
    # one queue, two days, two busy half hours a day
    frame = demand(days=2, queues=("Sales",), first=18, last=19, calls=30)
    plan = Plan(frame, 30, TARGET, hourly_cost=20.0)
    scenario = Scenario("Double", volume=(VolumeChange(percent=100),))
    table = compare(plan, [scenario])
    assert list(table.columns) == list(COMPARISON_COLUMNS)
    assert list(table["scenario"]) == ["Base", "Double"]
    base, double = table.iloc[0], table.iloc[1]
    assert base["change_hours"] == 0 and base["fte_change"] == 0 and base["cost_change"] == 0
    hours = 2 * 2 * scheduled(30, 180) * 0.5
    assert base["required_hours"] == pytest.approx(hours)
    assert base["fte"] == pytest.approx(hours / (40 * 2 / 7))
    assert base["cost"] == pytest.approx(hours * 20.0)
    assert base["calls"] == pytest.approx(120) and base["aht_seconds"] == pytest.approx(180)
    hours2 = 2 * 2 * scheduled(60, 180) * 0.5
    assert double["required_hours"] == pytest.approx(hours2)
    assert double["change_pct"] == pytest.approx((hours2 - hours) / hours * 100)
    assert double["fte_change"] == pytest.approx((hours2 - hours) / (40 * 2 / 7))
    assert double["changes"] == "Volume +100 % for all queues"
    assert math.isnan(base["service_level_kept"]) and math.isnan(base["simulated_sl"])


def test_cost_comes_from_the_roster_agents_or_is_unknown() -> None:
    plan = Plan(demand(days=1), 30, TARGET, roster(days=1, cost=18.0))
    result = evaluate(plan)
    assert result.cost == pytest.approx(result.required_hours * 18.0)
    unknown = evaluate(dataclasses.replace(plan, roster=None))
    assert unknown.cost is None
    assert any("Cost unknown" in note for note in unknown.notes)


def test_kept_service_level_is_the_quality_reports_projection() -> None:
    target = StaffingTarget(0.8, 20, model="erlang_a", patience_seconds=120)
    r = roster(n=3, end=14 * 60)  # short of heads in the afternoon
    plan = Plan(demand(calls=25), 30, target, r)
    result = evaluate(plan)
    table = staff(plan.demand, 30, target)
    need = StaffingNeed.from_table(table, 30, target=target, start=r.start, days=r.days)
    report = quality_report(r, need)
    assert result.service_level_kept == pytest.approx(report.service_level)
    assert result.abandon_kept == pytest.approx(report.abandon_rate)
    assert report.service_level is not None and report.service_level < 0.8
    # the per-interval figures agree too
    mon = result.table[rows(result.table, "Sales", MONDAY)]
    assert mon["heads_kept"].iloc[16] == pytest.approx(1.5)  # three heads, shared by two queues


def test_removing_agents_lowers_the_kept_service_level() -> None:
    plan = Plan(demand(calls=30), 30, TARGET, roster(n=10))
    base = evaluate(plan)
    cut = evaluate(plan, Scenario("Leavers", headcount=-1))
    assert np.allclose(cut.table["heads_kept"], base.table["heads_kept"] * 0.9)
    assert cut.service_level_kept is not None and base.service_level_kept is not None
    assert cut.service_level_kept < base.service_level_kept
    assert cut.required_hours == base.required_hours
    assert any("9/10" in note for note in cut.notes)
    hire = evaluate(plan, Scenario("Hire", headcount=2))
    assert hire.service_level_kept is not None and hire.service_level_kept > base.service_level_kept


def test_the_roster_days_bound_the_projection() -> None:
    plan = Plan(demand(days=7), 30, TARGET, roster(days=3))
    result = evaluate(plan)
    later = (result.table["interval_start"].dt.date >= MONDAY + dt.timedelta(days=3)).to_numpy()
    assert result.table["heads_kept"][later].isna().all()
    assert result.table["heads_kept"][~later].notna().all()
    assert any("only part" in note for note in result.notes)


def test_scenarios_that_do_not_fit_the_plan_name_themselves() -> None:
    plan = Plan(demand(), 30, TARGET)
    chat = Scenario("Chat", volume=(VolumeChange(percent=5, where=Where(queues=("Chat",))),))
    with pytest.raises(WfmError, match="scenario 'Chat': volume change 1 names the queue 'Chat'"):
        evaluate(plan, chat)
    xmas = Scenario(
        "Xmas", aht=(AhtChange(percent=5, where=Where(dates=(dt.date(2026, 12, 24),))),)
    )
    with pytest.raises(WfmError, match="scenario 'Xmas': AHT change 1 names 2026-12-24, outside"):
        compare(plan, [xmas])


def test_sensitivity_moves_fte_with_each_factor() -> None:
    plan = Plan(demand(calls=300), 30, TARGET.with_changes(shrinkage=0.3))
    table = sensitivity(plan)
    assert list(table["factor"]) == ["volume", "volume", "aht", "aht", "shrinkage", "shrinkage"]
    assert list(table["step"]) == pytest.approx([-0.1, 0.1] * 3)
    base_fte = evaluate(plan).fte
    for factor in ("volume", "aht", "shrinkage"):
        down, up = table[table["factor"] == factor]["fte"]
        assert down < base_fte < up
    down, up = table[table["factor"] == "shrinkage"]["value"]
    assert (down, up) == pytest.approx((0.27, 0.33))  # relative: 30 % +/- 3 points
    volume_up = table.iloc[1]
    assert volume_up["fte_change"] == pytest.approx(volume_up["fte"] - base_fte)
    assert volume_up["fte_change_pct"] == pytest.approx(volume_up["fte_change"] / base_fte * 100)


def test_promote_makes_the_scenario_the_base() -> None:
    plan = Plan(demand(), 30, TARGET, roster())
    scenario = Scenario("Promo", volume=(VolumeChange(percent=40),), service_level=0.9, headcount=3)
    new = promote(plan, scenario)
    assert np.allclose(new.demand["volume"], plan.demand["volume"] * 1.4)
    assert new.target == StaffingTarget(0.9, 20)
    assert new.roster is plan.roster
    again = evaluate(new)
    assert again.required_hours == evaluate(plan, scenario).required_hours


def test_simulation_agrees_with_erlang_on_a_steady_day() -> None:
    # one queue, 08:00-16:30 with 100 calls each half hour and 14 agents all day
    frame = demand(days=1, queues=("Support",), calls=100)
    plan = Plan(frame, 30, TARGET, roster(n=14, days=1))
    result = evaluate(plan, simulate=True, replications=8)
    assert result.simulated_sl is not None and result.simulated_sl_ci is not None
    assert result.service_level_kept is not None
    assert result.simulated_sl == pytest.approx(result.service_level_kept, abs=0.04)
    low, high = result.simulated_sl_ci
    assert low < result.simulated_sl < high and high - low < 0.1
    again = evaluate(plan, simulate=True, replications=8)
    assert again.simulated_sl == result.simulated_sl  # seeded


def test_simulation_reports_progress_and_can_be_cancelled() -> None:
    plan = Plan(demand(days=2, calls=40), 30, TARGET, roster(n=6, days=2))
    seen: list[float] = []

    def stop_half_way(fraction: float, message: str) -> None:
        seen.append(fraction)
        if fraction > 0.5:
            raise Cancelled

    with pytest.raises(Cancelled):
        compare(plan, [Scenario("Same")], simulate=True, progress=stop_half_way)
    assert seen == sorted(seen) and seen[0] == 0.0
