"""The quality report: consistent hours, projected service level on whole agents, JSON."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from tests.wfm.roster import day, need, roster
from wfm.roster.coverage import coverage
from wfm.roster.report import quality_report
from wfm.staffing.requirement import StaffingTarget, queue_metrics

ANA, BO = "Ana Silva", "Bo Chen"


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
