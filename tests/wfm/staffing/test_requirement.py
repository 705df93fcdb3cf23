"""Requirements: every target at once, shrinkage, minimum staffing, Erlang A, the tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.wfm.staffing.helpers import STAFF_COLUMNS
from wfm.errors import WfmError
from wfm.io.history import IntervalHistory
from wfm.staffing import StaffingTarget, erlang_a, erlang_c, required_agents
from wfm.staffing.demand import daily_summary, demand_from_history, open_intervals, staff


def _brute_force_c(calls, aht, interval_s, target):
    """The smallest N meeting every target, by trying N = 0, 1, 2, ... (slow, obvious)."""
    if calls == 0:
        return 0
    for n in range(1, 10_000):
        m = erlang_c(calls, aht, interval_s, n, target.answer_seconds)
        ok = m.service_level[0] >= (target.service_level or 0) - 1e-12
        if target.max_asa_seconds is not None:
            ok &= m.asa_seconds[0] <= target.max_asa_seconds
        if target.max_occupancy is not None:
            ok &= m.occupancy[0] <= target.max_occupancy
        if ok and n > m.traffic[0]:
            return n
    raise AssertionError("no requirement")


def _brute_force_a(calls, aht, interval_s, target):
    for n in range(0, 10_000):
        m = erlang_a(calls, aht, interval_s, n, target.answer_seconds, target.patience_seconds)
        ok = m.service_level[0] >= (target.service_level or 0) - 1e-12
        if target.max_asa_seconds is not None:
            ok &= m.asa_seconds[0] <= target.max_asa_seconds
        if target.max_occupancy is not None:
            ok &= m.occupancy[0] <= target.max_occupancy
        if target.max_abandon is not None:
            ok &= m.p_abandon[0] <= target.max_abandon
        if ok:
            return n
    raise AssertionError("no requirement")


TARGETS = [
    StaffingTarget(0.8, 20),
    StaffingTarget(0.9, 15, max_asa_seconds=10),
    StaffingTarget(None, 20, max_asa_seconds=30),
    StaffingTarget(0.7, 60, max_occupancy=0.8),
    StaffingTarget(0.95, 30, max_asa_seconds=5, max_occupancy=0.9),
]


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.describe())
def test_requirement_is_the_smallest_count_meeting_every_target(target):
    rng = np.random.default_rng(3)
    calls = np.concatenate([[0.0, 0.5, 1.0, 3.0], rng.uniform(0, 400, 60)])
    aht = rng.uniform(60, 600, calls.size)
    req = required_agents(calls, aht, 1800, target)
    expected = [_brute_force_c(c, h, 1800, target) for c, h in zip(calls, aht, strict=True)]
    assert list(req.agents) == expected


@pytest.mark.parametrize(
    "target",
    [
        StaffingTarget(0.8, 20, model="erlang_a", patience_seconds=300),
        StaffingTarget(0.8, 20, model="erlang_a", patience_seconds=60, max_abandon=0.02),
        StaffingTarget(
            0.9, 10, model="erlang_a", patience_seconds=120, max_asa_seconds=8, max_occupancy=0.9
        ),
        StaffingTarget(None, 20, model="erlang_a", patience_seconds=30, max_abandon=0.05),
    ],
    ids=lambda t: t.describe(),
)
def test_erlang_a_requirement_is_the_smallest_count_meeting_every_target(target):
    rng = np.random.default_rng(5)
    calls = np.concatenate([[0.0, 1.0, 4.0], rng.uniform(0, 300, 40)])
    aht = rng.uniform(60, 600, calls.size)
    req = required_agents(calls, aht, 1800, target)
    expected = [
        _brute_force_a(c, h, 1800, target) if c > 0 else 0 for c, h in zip(calls, aht, strict=True)
    ]
    assert list(req.agents) == expected
    assert req.metrics.p_abandon is not None


def test_erlang_a_staffs_fewer_than_erlang_c_when_callers_hang_up():
    calls = np.array([100.0, 250.0, 600.0])
    c = required_agents(calls, 300, 1800, StaffingTarget(0.8, 20))
    a = required_agents(
        calls, 300, 1800, StaffingTarget(0.8, 20, model="erlang_a", patience_seconds=120)
    )
    assert np.all(a.agents <= c.agents) and np.any(a.agents < c.agents)
    # Reference case: 13 agents under Erlang A (SL 85.8 %) where Erlang C needs 14.
    ref = required_agents(
        100, 180, 1800, StaffingTarget(0.8, 20, model="erlang_a", patience_seconds=300)
    )
    assert ref.agents[0] == 13 and ref.metrics.service_level[0] == pytest.approx(0.8582, abs=1e-4)


def test_zero_volume_needs_zero_agents_unless_a_minimum_is_kept_while_open():
    calls = np.array([0.0, 0.0, 2.0, 0.0, 50.0, 0.0])
    open_ = np.array([False, True, True, True, True, False])
    none = required_agents(calls, 240, 1800, StaffingTarget(0.8, 20))
    assert list(none.agents[[0, 1, 3, 5]]) == [0, 0, 0, 0]
    kept = required_agents(calls, 240, 1800, StaffingTarget(0.8, 20, min_agents=2), open_mask=open_)
    assert list(kept.agents[[0, 5]]) == [0, 0]  # closed: nobody
    assert list(kept.agents[[1, 3]]) == [2, 2]  # open and quiet: the minimum
    assert kept.agents[4] == none.agents[4]  # busy: the queue's own need
    assert kept.metrics.service_level[1] == 1.0 and kept.metrics.occupancy[1] == 0.0


def test_shrinkage_one_figure_or_one_per_interval():
    target = StaffingTarget(0.8, 20, shrinkage=0.3)
    req = required_agents([100, 100, 100], 180, 1800, target, shrinkage=[0.0, 0.3, 0.5])
    assert list(req.agents) == [14, 14, 14]
    assert list(req.scheduled) == [14, 20, 28]
    assert list(required_agents([100], 180, 1800, target).scheduled) == [20]
    with pytest.raises(WfmError, match="interval 2"):
        required_agents([100, 100], 180, 1800, target, shrinkage=[0.1, 1.0])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"service_level": 1.2}, "between 0 and 1"),
        ({"service_level": 1.0}, "100 %"),
        ({"max_occupancy": 0.0}, "occupancy cap"),
        ({"shrinkage": 1.0}, "shrinkage"),
        ({"max_asa_seconds": 0.0}, "ASA target"),
        ({"model": "erlang_a"}, "patience"),
        ({"max_abandon": 0.05}, "Erlang A"),
        ({"min_agents": -1}, "minimum staffing"),
    ],
)
def test_bad_targets_are_refused_with_a_reason(kwargs, message):
    with pytest.raises(WfmError, match=message):
        StaffingTarget(**kwargs)


def test_a_target_no_staffing_can_meet_is_reported_not_looped_forever():
    with pytest.raises(WfmError, match="No number of agents meets"):
        required_agents([100], 180, 1800, StaffingTarget(0.8, 20, max_asa_seconds=1e-300))


def _history(days=14, start="2026-03-02"):
    stamps = pd.date_range(start, periods=days * 48, freq="30min")
    hour = stamps.hour + stamps.minute / 60
    open_ = (hour >= 8) & (hour < 18)
    offered = np.where(open_, 20.0 + 10 * (hour < 12), 0.0)
    offered[(hour == 13)] = 0.0  # a quiet interval inside the day
    frame = pd.DataFrame(
        {
            "queue": "Support",
            "interval_start": stamps,
            "offered": offered,
            "handled": offered,
            "abandoned": 0.0,
            "aht_seconds": np.where(offered > 0, 300.0, np.nan),
        }
    )
    return IntervalHistory(frame, 30)


def test_staffing_table_and_daily_totals_from_history():
    demand = demand_from_history(_history(), days=7)
    assert demand["interval_start"].dt.normalize().nunique() == 7
    assert (demand["aht_seconds"] > 0).all()
    target = StaffingTarget(0.8, 20, shrinkage=0.25, min_agents=1)
    table = staff(demand, 30, target)
    assert list(table.columns) == STAFF_COLUMNS
    quiet = table["interval_start"].dt.hour.eq(13) & table["interval_start"].dt.minute.eq(0)
    assert (table.loc[quiet, "agents"] == 1).all()  # open but quiet: the minimum
    night = table["interval_start"].dt.hour < 8
    assert (table.loc[night, "agents"] == 0).all()
    daily = daily_summary(table, 30)
    assert len(daily) == 7
    day = table[table["interval_start"].dt.normalize() == daily["date"].iloc[0]]
    assert daily["agent_hours"].iloc[0] == pytest.approx(day["agents"].sum() / 2)
    assert daily["fte"].iloc[0] == pytest.approx(day["scheduled_agents"].sum() / 2 / 8)
    sl = (day["service_level"] * day["volume"]).sum() / day["volume"].sum()
    assert daily["service_level"].iloc[0] == pytest.approx(sl)


def test_open_intervals_span_each_day_from_first_to_last_call():
    demand = demand_from_history(_history(days=2), days=2)
    is_open = open_intervals(demand)
    hours = demand["interval_start"].dt.hour + demand["interval_start"].dt.minute / 60
    assert (is_open == ((hours >= 8) & (hours < 18)).to_numpy()).all()


def test_a_busy_interval_never_gets_zero_agents_under_erlang_a():
    # Every caller's wait is at most the patience, so an ASA target above it holds even with
    # nobody answering; somebody must still answer the calls.
    target = StaffingTarget(None, 20, max_asa_seconds=60, model="erlang_a", patience_seconds=30)
    assert required_agents([100, 0], 180, 1800, target).agents.tolist() == [1, 0]


def test_erlang_a_search_is_fast_and_right_for_a_very_large_queue():
    target = StaffingTarget(0.8, 20, model="erlang_a", patience_seconds=300)
    req = required_agents(60_000, 300, 1800, target)  # 10,000 Erlangs
    n = int(req.agents[0])
    below = erlang_a(60_000, 300, 1800, n - 1, 20, 300)
    assert req.metrics.service_level[0] >= 0.8 > below.service_level[0]


def test_one_huge_interval_among_small_ones_is_searched_on_its_own():
    calls = np.concatenate([np.full(3000, 50.0), [2_000_000.0]])  # the last: 200,000 Erlangs
    together = required_agents(calls, 18, 1800 * 0 + 180, StaffingTarget(0.8, 20))
    alone = required_agents(calls[-1:], 18, 180, StaffingTarget(0.8, 20))
    small = required_agents(calls[:1], 18, 180, StaffingTarget(0.8, 20))
    assert (
        together.agents[-1] == alone.agents[0] and (together.agents[:-1] == small.agents[0]).all()
    )
    assert together.metrics.service_level[-1] == pytest.approx(alone.metrics.service_level[0])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"model": "erlang_a", "patience_seconds": float("inf")}, "patience"),
        ({"service_level": 0.0}, "above 0"),
        ({"min_agents": 2.5}, "whole number"),
    ],
)
def test_more_bad_targets(kwargs, message):
    with pytest.raises(WfmError, match=message):
        StaffingTarget(**kwargs)


def test_erlang_a_refuses_a_queue_too_long_to_describe_and_mismatched_patience():
    with pytest.raises(WfmError, match="Add agents or use Erlang C"):
        erlang_a(100, 180, 1800, 5, 20, patience_seconds=1e9)
    with pytest.raises(WfmError, match="one per interval"):
        erlang_a([100, 100, 100], 180, 1800, 14, 20, patience_seconds=[300, 60])
