"""The derived staffing figures the screens show: the SL-vs-agents curve, all queues added up,
the headline figures."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from wfm.errors import WfmError
from wfm.staffing.curves import CURVE_MAX_POINTS, agent_curve, headline, interval_totals
from wfm.staffing.demand import daily_summary, staff
from wfm.staffing.erlang import erlang_c
from wfm.staffing.requirement import StaffingTarget, required_agents

# DOMAIN.md's reference case: 100 calls in 30 minutes, AHT 180 s (10 Erlangs).
CALLS, AHT, INTERVAL = 100.0, 180.0, 1800.0


def test_curve_of_the_reference_case_matches_erlang_c_and_the_requirement():
    curve = agent_curve(CALLS, AHT, INTERVAL, StaffingTarget(service_level=0.8))
    assert curve.required == 14 and curve.problem is None
    assert curve.agents[0] == 10 and curve.agents[-1] == 14 + 8
    expected = erlang_c(CALLS, AHT, INTERVAL, curve.agents, 20.0)
    np.testing.assert_allclose(curve.metrics.service_level, expected.service_level)
    row = {int(n): i for i, n in enumerate(curve.agents)}
    assert curve.metrics.service_level[row[13]] == pytest.approx(0.7956, abs=1e-4)
    assert curve.metrics.service_level[row[14]] == pytest.approx(0.88835, abs=1e-5)


def test_curve_under_erlang_a_needs_fewer_agents_and_reports_abandons():
    target = StaffingTarget(model="erlang_a", patience_seconds=300.0)
    curve = agent_curve(CALLS, AHT, INTERVAL, target, current=14)
    assert curve.required == int(required_agents(CALLS, AHT, INTERVAL, target).agents[0]) == 13
    assert curve.metrics.p_abandon is not None
    i = int(np.flatnonzero(curve.agents == 14)[0])
    assert curve.metrics.p_abandon[i] == pytest.approx(0.013984, abs=1e-5)
    assert np.all(np.diff(curve.metrics.service_level) >= 0)


def test_curve_ignores_shrinkage_and_minimum_staff_and_keeps_the_current_count():
    target = StaffingTarget(shrinkage=0.3, min_agents=40)
    curve = agent_curve(CALLS, AHT, INTERVAL, target, current=30)
    assert curve.required == 14
    assert curve.agents[-1] == 30 + 8 and 30 in curve.agents


def test_an_unreachable_target_is_not_an_error_but_has_no_requirement(monkeypatch):
    # The engine meets any valid target on ordinary traffic; make it give up as it does
    # past its search limit.
    def give_up(*args, **kwargs):
        raise WfmError("No number of agents meets the targets (80/20, Erlang C); relax a target")

    monkeypatch.setattr("wfm.staffing.curves.required_agents", give_up)
    curve = agent_curve(CALLS, AHT, INTERVAL, StaffingTarget(), current=12)
    assert curve.required is None
    assert "relax a target" in (curve.problem or "")
    assert curve.agents[0] == 10 and curve.agents[-1] == 12 + 8


def test_bad_input_raises_the_engines_message():
    with pytest.raises(WfmError, match="handle time"):
        agent_curve(CALLS, 0.0, INTERVAL, StaffingTarget())


def test_a_huge_current_count_does_not_draw_thousands_of_points():
    curve = agent_curve(CALLS, AHT, INTERVAL, StaffingTarget(), current=5000)
    assert curve.agents.size <= CURVE_MAX_POINTS
    assert 14 in curve.agents


def _two_queue_table(target: StaffingTarget) -> pd.DataFrame:
    starts = pd.date_range("2026-03-02 08:00", periods=4, freq="30min")
    demand = pd.concat(
        [
            pd.DataFrame(
                {
                    "queue": "A",
                    "interval_start": starts,
                    "volume": [0.0, 50, 100, 20],
                    "aht_seconds": 180.0,
                }
            ),
            pd.DataFrame(
                {
                    "queue": "B",
                    "interval_start": starts,
                    "volume": [10.0, 0, 40, 20],
                    "aht_seconds": 300.0,
                }
            ),
        ],
        ignore_index=True,
    )
    return staff(demand, 30, target)


def test_interval_totals_add_agents_and_weight_rates_by_calls():
    table = _two_queue_table(StaffingTarget(shrinkage=0.25, model="erlang_a", patience_seconds=120))
    totals = interval_totals(table)
    assert list(totals["queue"].unique()) == ["All queues"] and len(totals) == 4
    by_start = table.groupby("interval_start")
    np.testing.assert_array_equal(totals["agents"], by_start["agents"].sum().to_numpy())
    np.testing.assert_array_equal(
        totals["scheduled_agents"], by_start["scheduled_agents"].sum().to_numpy()
    )
    last = table[table["interval_start"] == table["interval_start"].max()]
    assert totals["service_level"].iloc[-1] == pytest.approx(
        (last["service_level"] * last["volume"]).sum() / last["volume"].sum()
    )
    assert totals["aht_seconds"].iloc[-1] == pytest.approx(240.0)  # 20 calls of 180 s, 20 of 300 s
    busy = (last["occupancy"] * last["agents"]).sum() / last["agents"].sum()
    assert totals["occupancy"].iloc[-1] == pytest.approx(busy)
    assert "p_abandon" in totals


def test_headline_figures_of_one_queue():
    table = _two_queue_table(StaffingTarget(shrinkage=0.3))
    one = table[table["queue"] == "A"].reset_index(drop=True)
    daily = daily_summary(one, 30)
    figures = headline(one, daily)
    assert figures.calls == 170
    assert figures.scheduled_hours == pytest.approx(one["scheduled_agents"].sum() / 2)
    assert figures.agent_hours == pytest.approx(one["agents"].sum() / 2)
    assert figures.peak_agents == one["agents"].max()
    assert figures.peak_start == pd.Timestamp("2026-03-02 09:00")
    assert figures.mean_fte == pytest.approx(figures.scheduled_hours / 8)
    assert figures.open_days == 1 and figures.p_abandon is None
    with pytest.raises(WfmError, match="one queue"):
        headline(table, daily_summary(table, 30))
