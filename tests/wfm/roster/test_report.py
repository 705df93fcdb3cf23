"""The quality report: consistent hours, projected service level on whole agents, JSON."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from tests.wfm.roster import day, early, need, roster
from wfm.roster.coverage import coverage
from wfm.roster.report import quality_report
from wfm.staffing.requirement import StaffingTarget, queue_metrics

ANA, BO, CY = "Ana Silva", "Bo Chen", "Cy Diaz"


def test_hours_are_consistent_with_coverage() -> None:
    r, n = roster(), need()
    r.put((BO, day(2)), None)  # Support uncovered on Wednesday
    report = quality_report(r, n, lp_bound_paid_hours=70.0)
    cov = coverage(r, n)
    assert report.required_hours == pytest.approx(n.required_hours())
    assert report.required_hours == pytest.approx(2 * 10 * 8.5)
    assert report.under_hours == pytest.approx(cov.hours(cov.under))
    assert report.over_hours == pytest.approx(cov.hours(cov.over))
    assert report.scheduled_work_hours == pytest.approx(cov.hours(cov.scheduled))
    assert report.scheduled_work_hours == pytest.approx(19 * 7.5)  # 8.5 h less 1 h of breaks
    assert report.paid_hours == pytest.approx(r.paid_hours()) == pytest.approx(19 * 8.0)
    assert report.coverage == pytest.approx(cov.coverage_share())
    assert report.gap_to_lp == pytest.approx(152.0 / 70.0 - 1.0)
    assert report.cost == pytest.approx(10 * 8 * 20.0 + 9 * 8 * 18.0)  # Cy has no rate
    assert report.violations == 0
    per_day = report.per_day
    assert per_day["under_hours"].sum() == pytest.approx(report.under_hours)
    assert per_day["required_hours"].sum() == pytest.approx(report.required_hours)
    wed = per_day.iloc[2]
    assert wed["under_hours"] == pytest.approx(8.5 + 1.0)  # + Sales' breaks
    assert wed["coverage"] == pytest.approx(1 - 9.5 / 17.0)
    assert len(report.per_interval) == 14 * 48


def test_service_level_uses_whole_agents_and_is_weighted_by_calls() -> None:
    r, n = roster(), need()
    report = quality_report(r, n)
    target = StaffingTarget()  # the need has none: 80/20 Erlang C
    one = queue_metrics(5, 180, 1800, 1, target).service_level[0]
    frame = report.per_interval
    monday = frame[frame["date"] == day(0)].reset_index(drop=True)
    assert monday.loc[16, "service_level"] == pytest.approx(one)  # 08:00: one agent each
    # 10:00-10:30: a 15-minute break leaves half a head, rounded down to none
    assert monday.loc[20, "service_level"] == pytest.approx(0.0)
    assert math.isnan(monday.loc[0, "service_level"])  # no calls at midnight
    calls = monday["calls"].to_numpy()
    sl = np.nan_to_num(monday["service_level"].to_numpy())
    assert report.per_day.loc[0, "service_level"] == pytest.approx((calls * sl).sum() / calls.sum())
    assert 0 < report.service_level < one
    assert report.abandon_rate is None and "abandon_rate" not in frame


def test_erlang_a_projects_the_abandon_rate() -> None:
    target = StaffingTarget(model="erlang_a", patience_seconds=60.0)
    report = quality_report(roster(), need(target=target))
    assert report.abandon_rate is not None and 0 < report.abandon_rate < 1
    assert "abandon_rate" in report.per_interval and "abandon_rate" in report.per_day


def test_without_volume_there_is_no_service_level() -> None:
    report = quality_report(roster(), need(volume=False))
    assert report.service_level is None and "service_level" not in report.per_day
    assert report.gap_to_lp is None and report.lp_bound_paid_hours is None


def test_to_dict_is_json_without_nan() -> None:
    r = roster()
    r.put((ANA, day(0)), None)
    r.put((ANA, day(1)), None)
    data = quality_report(r, need(), 100.0).to_dict()
    text = json.dumps(data, allow_nan=False)
    back = json.loads(text)
    assert back["per_day"][5]["service_level"] is None  # Saturday: no calls
    assert back["per_day"][0]["date"] == "2026-11-02"
    assert back["per_interval"][16]["interval_start"] == "2026-11-02T08:00:00"
    assert back["under_hours"] == pytest.approx(data["under_hours"])
    assert back["violations"] == 1  # Ana's contract minimum in the first week


def test_cost_says_when_some_agents_have_no_hourly_cost() -> None:
    r = roster()
    report = quality_report(r, need())
    assert report.cost_partial is False  # Cy (no rate) has no shift
    r.put((CY, day(0)), early(CY, day(0)))
    report = quality_report(r, need())
    assert report.cost == pytest.approx(10 * 8 * 20.0 + 10 * 8 * 18.0)  # not Cy's 8 h
    assert report.cost_partial is True
    assert any("Cy Diaz" in note and "no hourly cost" in note for note in report.notes)
    assert report.to_dict()["cost_partial"] is True


def test_day_and_horizon_service_level_weigh_only_calls_with_a_projection() -> None:
    n = need(days=1)
    assert n.volume is not None and n.aht_seconds is not None
    n.volume[0, 0, 16], n.volume[0, 0, 17] = 2.0, 20.0
    n.volume[1, 0, 17], n.aht_seconds[1, 0, 17] = 100.0, 0.0  # Support: calls, no AHT
    report = quality_report(roster(days=1), n)
    frame = report.per_interval
    known = frame["service_level"].notna().to_numpy()
    sales = n.volume[0, 0]
    sl = np.nan_to_num(frame["service_level"].to_numpy())
    # Support's 100 calls at 08:30 have no projection: they must not weigh Sales' figure
    assert frame.loc[17, "service_level"] == pytest.approx(
        queue_metrics(20, 180, 1800, 1, StaffingTarget()).service_level[0]
    )
    weights = np.where(known, n.volume[:, 0].sum(axis=0), 0.0)
    weights[17] = sales[17]
    expected = (weights * sl).sum() / weights.sum()
    assert report.per_day.loc[0, "service_level"] == pytest.approx(expected)
    assert report.service_level == pytest.approx(expected)


def test_an_interval_erlang_a_cannot_describe_loses_only_itself() -> None:
    target = StaffingTarget(model="erlang_a", patience_seconds=1e7)
    n = need(days=1, target=target)
    assert n.volume is not None
    n.volume[0, 0, 20] = 4000.0  # 10:00 Sales: 400 Erlangs on one agent, callers never leave
    report = quality_report(roster(days=1), n)
    frame = report.per_interval
    assert frame.loc[16, "service_level"] > 0  # Sales' other intervals keep their projection
    # 10:00 is Support's alone (both agents are on a break: no whole head)
    assert frame.loc[20, "service_level"] == pytest.approx(
        queue_metrics(5, 180, 1800, 0, target).service_level[0]
    )
    assert any("1 interval" in note and "Sales" in note for note in report.notes)


def test_per_queue_day_splits_the_hours_and_service_level_by_queue() -> None:
    r, n = roster(), need()
    r.put((BO, day(2)), None)  # Support uncovered on Wednesday
    report = quality_report(r, n)
    frame = report.per_queue_day
    assert list(frame.columns) == [
        "queue", "date", "required_hours", "scheduled_hours", "under_hours", "calls",
        "service_level",
    ]  # fmt: skip
    assert len(frame) == 2 * 14 and list(frame["queue"][:2]) == ["Sales", "Sales"]
    assert frame["required_hours"].sum() == pytest.approx(report.required_hours)
    assert frame["scheduled_hours"].sum() == pytest.approx(report.scheduled_work_hours)
    assert frame["under_hours"].sum() == pytest.approx(report.under_hours)
    wed = frame[frame["date"] == day(2)].set_index("queue")
    assert wed.loc["Support", "scheduled_hours"] == pytest.approx(0.0)
    assert wed.loc["Support", "under_hours"] == pytest.approx(8.5)
    assert wed.loc["Sales", "scheduled_hours"] == pytest.approx(7.5)  # Ana, breaks excluded
    assert wed.loc["Sales", "calls"] == pytest.approx(17 * 5.0)
    mon = report.per_interval[report.per_interval["date"] == day(0)]
    sales_mon = frame[(frame["queue"] == "Sales") & (frame["date"] == day(0))].iloc[0]
    sl = np.nan_to_num(mon["service_level"].to_numpy())  # one agent per queue: same per queue
    calls = mon["calls"].to_numpy()
    assert sales_mon["service_level"] == pytest.approx((sl * calls).sum() / calls.sum())
    assert math.isnan(frame[frame["date"] == day(5)]["service_level"].iloc[0])  # Saturday
    data = report.to_dict()["per_queue_day"]
    assert data[5]["service_level"] is None and data[0]["date"] == "2026-11-02"


def test_per_queue_day_without_volume_and_with_erlang_a() -> None:
    frame = quality_report(roster(), need(volume=False)).per_queue_day
    assert frame["service_level"].isna().all() and "abandon_rate" not in frame
    target = StaffingTarget(model="erlang_a", patience_seconds=60.0)
    frame = quality_report(roster(), need(target=target)).per_queue_day
    monday = frame[frame["date"] == day(0)]
    assert ((monday["abandon_rate"] > 0) & (monday["abandon_rate"] < 1)).all()
