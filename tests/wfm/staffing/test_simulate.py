"""The simulation check: the queue mechanics, agreement with Erlang C and A, and its inputs."""

from __future__ import annotations

import math

import numpy as np
import pytest

from wfm.errors import WfmError
from wfm.progress import Cancelled
from wfm.staffing.erlang import QueueMetrics, erlang_a, erlang_c
from wfm.staffing.simulate import SimulationResult, _serve, _t_quantile, _tally, simulate_day

# DOMAIN.md's reference case: 100 calls per 30 min, AHT 180 s (10 Erlangs), T = 20 s.
CALLS, AHT, INTERVAL_S, ANSWER_S, PATIENCE_S = 100.0, 180.0, 1800.0, 20.0, 300.0
DAY = 48  # 24 h of 30-minute intervals
STEADY_REPLICATIONS = 150  # 720,000 calls: tight day CIs in about 0.2 s


def steady_day(agents: int, patience: float | None = None, **kwargs: object) -> SimulationResult:
    options: dict[str, object] = {"replications": STEADY_REPLICATIONS, "confidence": 0.99}
    options.update(kwargs)
    return simulate_day(
        [CALLS] * DAY,
        AHT,
        [agents] * DAY,
        answer_seconds=ANSWER_S,
        patience_seconds=patience,
        **options,  # type: ignore[arg-type]
    )


@pytest.fixture(scope="module")
def erlang_c_day() -> SimulationResult:
    return steady_day(14)


@pytest.fixture(scope="module")
def erlang_a_day() -> SimulationResult:
    return steady_day(14, PATIENCE_S)


# --- agreement with the analytic engine on steady traffic --------------------------------


def test_erlang_c_lies_inside_the_simulated_day(erlang_c_day: SimulationResult) -> None:
    analytic = erlang_c(CALLS, AHT, INTERVAL_S, 14, ANSWER_S)
    day = erlang_c_day.day
    # The published values (DOMAIN.md), so that the comparison is against the right numbers.
    assert analytic.service_level[0] == pytest.approx(0.88835, abs=1e-5)
    assert analytic.asa_seconds[0] == pytest.approx(7.836, abs=1e-3)

    assert analytic.service_level[0] in day.service_level
    assert analytic.asa_seconds[0] in day.asa_seconds
    assert analytic.p_wait[0] in day.wait_probability
    assert analytic.occupancy[0] in day.occupancy
    assert day.abandon_rate.value == 0.0
    # Without abandons, the two ASAs are the same number.
    assert day.answered_asa_seconds.value == pytest.approx(day.asa_seconds.value)
    # Narrow enough to catch a real error: one agent less or more is far outside.
    assert day.service_level.half_width < 0.01
    assert day.asa_seconds.half_width < 1.0
    assert day.wait_probability.half_width < 0.015
    for agents in (13, 15):
        other = erlang_c(CALLS, AHT, INTERVAL_S, agents, ANSWER_S)
        assert other.service_level[0] not in day.service_level
        assert other.asa_seconds[0] not in day.asa_seconds


def test_erlang_a_lies_inside_the_simulated_day(erlang_a_day: SimulationResult) -> None:
    analytic = erlang_a(CALLS, AHT, INTERVAL_S, 14, ANSWER_S, PATIENCE_S)
    assert analytic.p_abandon is not None
    day = erlang_a_day.day
    assert analytic.p_wait[0] == pytest.approx(0.14526, abs=1e-5)
    assert analytic.p_abandon[0] == pytest.approx(0.013984, abs=1e-6)
    assert analytic.asa_seconds[0] == pytest.approx(4.195, abs=1e-3)

    assert analytic.service_level[0] in day.service_level
    assert analytic.asa_seconds[0] in day.asa_seconds
    assert analytic.p_wait[0] in day.wait_probability
    assert analytic.p_abandon[0] in day.abandon_rate
    assert analytic.occupancy[0] in day.occupancy
    assert day.service_level.half_width < 0.006
    assert day.asa_seconds.half_width < 0.3
    assert day.abandon_rate.half_width < 0.001
    # Erlang C's answer for the same staffing is clearly worse than what the queue achieves.
    erlang_c_sl = erlang_c(CALLS, AHT, INTERVAL_S, 14, ANSWER_S).service_level[0]
    assert erlang_c_sl < day.service_level.low
    # Answered callers waited less on average than all callers (abandons waited longest).
    assert day.answered_asa_seconds.value < day.asa_seconds.value


@pytest.mark.parametrize("model", ["C", "A"])
def test_analytic_values_lie_inside_the_simulated_intervals(
    model: str, erlang_c_day: SimulationResult, erlang_a_day: SimulationResult
) -> None:
    def formula(agents: int) -> QueueMetrics:
        if model == "C":
            return erlang_c(CALLS, AHT, INTERVAL_S, agents, ANSWER_S)
        return erlang_a(CALLS, AHT, INTERVAL_S, agents, ANSWER_S, PATIENCE_S)

    result = erlang_c_day if model == "C" else erlang_a_day
    right, wrong = formula(14), formula(12)
    for metric, attribute in [
        ("service_level", "service_level"),
        ("asa_seconds", "asa_seconds"),
        ("wait_probability", "p_wait"),
        ("occupancy", "occupancy"),
    ]:
        # Interval 1 starts with an empty centre, not in the steady state of the formulas.
        low = getattr(result, metric + "_low")[1:]
        high = getattr(result, metric + "_high")[1:]

        right_value, wrong_value = getattr(right, attribute)[0], getattr(wrong, attribute)[0]
        right_cover = np.mean((low <= right_value) & (right_value <= high))
        wrong_cover = np.mean((low <= wrong_value) & (wrong_value <= high))
        assert right_cover >= 0.85, f"{metric}: 99 % intervals cover the formula too rarely"
        # ... and the intervals are narrow enough to tell 14 agents from 12.
        assert wrong_cover <= 0.1, f"{metric}: intervals too wide to tell 14 agents from 12"


def test_more_agents_give_better_service() -> None:
    fewer, more = steady_day(13, replications=40), steady_day(15, replications=40)
    assert fewer.day.service_level.high < more.day.service_level.low
    assert fewer.day.asa_seconds.low > more.day.asa_seconds.high
    assert fewer.day.occupancy.value > more.day.occupancy.value
    assert np.nanmean(fewer.service_level) < np.nanmean(more.service_level)


# --- carry-over, closing time, quiet intervals -------------------------------------------


def test_waiting_calls_carry_over_an_interval_without_agents() -> None:
    calls, agents = [CALLS, CALLS, 0.0], [14, 0, 14]
    gap = simulate_day(calls, AHT, agents, replications=40)
    steady = simulate_day(calls, AHT, [14, 14, 14], replications=40)
    # Nobody hangs up in Erlang C: the calls of the empty interval are answered later, by the
    # next interval's agents, and still count in the interval they arrived in.
    assert np.all(gap.abandon_rate[:2] == 0.0)
    assert gap.offered[1] == pytest.approx(CALLS, rel=0.1)
    assert gap.service_level[1] == pytest.approx(0.0, abs=0.02)
    assert gap.asa_seconds[1] > 900  # they waited for 01:00, about half an interval on average
    assert gap.occupancy[2] > 0.3  # the 01:00 agents work off the queue without new calls
    assert math.isnan(gap.occupancy[1])  # nobody on duty
    assert math.isnan(gap.service_level[2])  # nobody called
    # The 00:00 callers still waiting at 00:30 lost their agents too.
    assert gap.asa_seconds[0] > steady.asa_seconds[0]


def test_abandons_empty_the_queue_while_nobody_is_on_duty() -> None:
    result = simulate_day([CALLS, CALLS, 0.0], AHT, [14, 0, 14], patience_seconds=60)
    # Mean patience 60 s in a 30-minute gap: almost every caller of the gap hangs up.
    assert result.abandon_rate[1] > 0.9
    assert result.asa_seconds[1] == pytest.approx(60, rel=0.15)


def test_closed_hours_after_the_last_staffed_interval() -> None:
    # 00:00-01:00 open, then closed with nobody on duty and nobody expected.
    result = simulate_day([CALLS, CALLS, 0.0, 0.0], AHT, [14, 14, 0, 0], replications=40)
    # The 00:30 callers still waiting at 01:00 are answered by agents who stay on.
    assert np.all(result.abandon_rate[:2] == 0.0)
    assert result.service_level[1] > 0.8
    # Calls into closed hours are never answered.
    closed = simulate_day([CALLS, 10.0], AHT, [14, 0], replications=5)
    assert closed.abandon_rate[1] == 1.0
    assert closed.service_level[1] == 0.0


@pytest.mark.filterwarnings("error")
def test_intervals_without_calls_give_nan_rates_and_no_warning() -> None:
    result = simulate_day([0, 0, CALLS, 0], AHT, [0, 5, 14, 14], replications=5)
    frame = result.to_frame()
    for metric in ("service_level", "asa_seconds", "abandon_rate", "wait_probability"):
        assert frame[metric].isna().tolist() == [True, True, False, True], metric
    assert frame["offered"].tolist()[:2] == [0.0, 0.0]
    assert math.isnan(result.occupancy[0])  # nobody on duty
    assert result.occupancy[1] == 0.0  # on duty, nothing to do
    assert 0.8 < result.day.service_level.value <= 1.0
    assert result.day.offered.value == pytest.approx(result.offered.sum())

    nothing = simulate_day([0, 0], AHT, [0, 0], replications=3)
    assert math.isnan(nothing.day.service_level.value)
    assert math.isnan(nothing.day.occupancy.value)
    assert nothing.day.offered.value == 0.0


def test_aht_is_ignored_where_no_call_is_expected() -> None:
    result = simulate_day([0, CALLS], [math.nan, AHT], [0, 14], replications=3)
    assert result.day.service_level.value > 0.5


# --- handle times, seeds, progress, one replication --------------------------------------


def test_empirical_handle_times_are_rescaled_to_the_aht() -> None:
    # Constant handle times (M/D/N) from a sample whose mean (90 s) is half the AHT.
    fixed = steady_day(14, handle_times=[90.0, 90.0], replications=40, confidence=0.95)
    analytic = erlang_c(CALLS, AHT, INTERVAL_S, 14, ANSWER_S)
    # The load is the AHT's: occupancy agrees with A / N although the sample's mean is 90 s.
    assert analytic.occupancy[0] in fixed.day.occupancy
    # Less variable handle times queue less than Erlang C's exponential ones.
    assert fixed.day.asa_seconds.high < analytic.asa_seconds[0]
    assert fixed.day.service_level.low > analytic.service_level[0]


def test_a_skewed_handle_time_sample_queues_more() -> None:
    rng = np.random.default_rng(1)
    skewed = rng.lognormal(0.0, 1.2, 5000)  # coefficient of variation about 1.8
    result = steady_day(14, handle_times=skewed, replications=40, confidence=0.95)
    analytic = erlang_c(CALLS, AHT, INTERVAL_S, 14, ANSWER_S)
    assert result.day.asa_seconds.low > analytic.asa_seconds[0]


def test_the_same_seed_gives_the_same_day() -> None:
    first = simulate_day([20, 30], 180, [4, 5], replications=5, seed=7)
    again = simulate_day([20, 30], 180, [4, 5], replications=5, seed=7)
    other = simulate_day([20, 30], 180, [4, 5], replications=5, seed=8)
    assert first.to_frame().equals(again.to_frame())
    assert first.day == again.day
    assert not first.to_frame().equals(other.to_frame())
    fresh = simulate_day([20, 30], 180, [4, 5], replications=2, seed=None)
    assert fresh.day.offered.value > 0


def test_progress_reports_each_replication_and_cancel_stops() -> None:
    seen: list[tuple[float, str]] = []
    simulate_day([20] * 4, 180, [4] * 4, replications=4, progress=lambda f, m: seen.append((f, m)))
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions)
    assert fractions[0] == 0.0 and fractions[-1] == 1.0
    assert len(seen) == 5

    def cancel_after_two(fraction: float, message: str) -> None:
        if fraction >= 0.5:
            raise Cancelled

    with pytest.raises(Cancelled):
        simulate_day([20] * 4, 180, [4] * 4, replications=4, progress=cancel_after_two)


def test_one_replication_has_values_but_no_limits() -> None:
    result = simulate_day([CALLS] * 4, AHT, [14] * 4, replications=1)
    assert 0 < result.day.service_level.value <= 1
    assert math.isnan(result.day.service_level.low)
    assert np.all(np.isnan(result.service_level_high))


def test_result_is_read_only_and_has_a_frame() -> None:
    result = simulate_day([10, 20, 30], 180, [3, 4, 5], replications=3, interval_minutes=15)
    with pytest.raises(ValueError):
        result.service_level[0] = 1.0
    frame = result.to_frame()
    assert len(frame) == 3
    assert frame["start_minute"].tolist() == [0, 15, 30]
    assert frame["agents"].tolist() == [3, 4, 5]
    for metric in SimulationResult.METRICS:
        for suffix in ("", "_low", "_high"):
            np.testing.assert_array_equal(frame[metric + suffix], getattr(result, metric + suffix))


# --- the queue, call by call --------------------------------------------------------------


def serve(
    arrivals: list[float],
    handles: list[float],
    staffing: list[int],
    interval: float = 100.0,
    patience: list[float] | None = None,
) -> tuple[list[float], list[bool]]:
    patiences = [math.inf] * len(arrivals) if patience is None else patience
    waits, answered = _serve(
        np.array(arrivals, dtype=float),
        np.array(handles, dtype=float),
        np.array(patiences, dtype=float),
        staffing,
        interval,
        interval * len(staffing),
    )
    return waits.tolist(), answered.tolist()


def test_first_come_first_served_on_the_first_free_agent() -> None:
    waits, answered = serve([0, 10, 20, 30], [100, 100, 100, 5], [2], interval=1800)
    assert waits == [0, 0, 80, 80]
    assert all(answered)


def test_a_staffing_drop_sends_home_the_first_agent_free() -> None:
    # 2 agents, then 1 from t = 100. At 100 one agent is idle (free since 60): she leaves,
    # the busy one stays, so the call at 120 waits for her colleague until 150.
    waits, _ = serve([0, 50, 120], [150, 10, 10], [2, 1])
    assert waits == [0, 0, 30]


def test_a_staffing_drop_never_cuts_a_call() -> None:
    # Both agents busy at 100 (free at 150 and 110). The one free at 110 finishes her call,
    # then leaves instead of taking the waiting call, which waits for 150.
    waits, answered = serve([0, 10, 95, 96], [150, 100, 10, 10], [2, 1])
    assert waits == [0, 0, 55, 64]
    assert all(answered)


def test_agents_joining_at_a_boundary_take_the_waiting_calls() -> None:
    # One agent busy until 500; a second joins at 100 and works off the queue.
    waits, _ = serve([0, 10, 20, 30], [500, 10, 10, 10], [1, 2])
    assert waits == [0, 90, 90, 90]


def test_calls_wait_through_intervals_without_agents() -> None:
    waits, _ = serve([10, 120], [10, 10], [0, 0, 1])
    assert waits == [190, 90]


def test_abandoned_calls_occupy_nobody() -> None:
    waits, answered = serve([0, 1, 2], [100, 100, 100], [1], patience=[1e9, 50, 1e9])
    assert answered == [True, False, True]
    assert waits == [0, 50, 98]  # the caller who hung up waited 50 s


def test_agents_stay_after_the_close_for_the_calls_waiting() -> None:
    waits, answered = serve([0, 50, 150], [80, 80, 10], [1, 0])
    # The 50 s call is answered at 80 and talks past the close at 100; the call at 150
    # arrives after the close and is never answered (it "waits" until the end of the day).
    assert answered == [True, True, False]
    assert waits == [0, 30, 50]


def test_a_wait_equal_to_the_target_counts_as_within() -> None:
    totals = np.zeros((1, 9))
    _tally(
        totals,
        np.zeros(4, dtype=np.intp),
        waits=np.array([0.0, 20.0, 20.5, 30.0]),
        answered=np.array([True, True, True, False]),
        arrivals=np.zeros(4),
        handles=np.full(4, 10.0),
        answer_seconds=20.0,
        boundaries=np.array([0.0, 1800.0]),
    )
    offered, answered, within = totals[0, :3]
    assert (offered, answered, within) == (4, 3, 2)


# --- inputs --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"calls": [10, -1]}, "interval 2 (00:30): expected calls are -1"),
        ({"calls": [10, math.nan]}, "expected calls are nan"),
        ({"agents": [3, -2]}, "interval 2 (00:30): -2 agents"),
        ({"agents": [3, 2.5]}, "whole number"),
        ({"aht_seconds": 0}, "AHT is 0 s"),
        ({"aht_seconds": [180, -5]}, "interval 2 (00:30): AHT is -5 s"),
        ({"aht_seconds": [180, 180, 180]}, "2 intervals of calls but 3 AHT values"),
        ({"agents": [3]}, "2 intervals of calls but 1 of agents"),
        ({"calls": [], "agents": []}, "no intervals"),
        ({"calls": [[1, 2]], "agents": [[1, 2]]}, "one value per interval"),
        ({"calls": ["ten", 20]}, "must be numbers"),
        ({"patience_seconds": 0}, "Mean patience"),
        ({"handle_times": []}, "empty"),
        ({"handle_times": [100, -3]}, "-3 s (value 2 of the sample)"),
        ({"handle_times": [0, 0]}, "all 0 s"),
        ({"replications": 0}, "at least 1"),
        ({"replications": 2.5}, "whole number"),
        ({"confidence": 1.5}, "between 0 and 1"),
        ({"interval_minutes": 0}, "must be positive"),
        ({"answer_seconds": -1}, "answer target"),
    ],
)
def test_bad_input_is_explained(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {"calls": [10, 20], "aht_seconds": 180, "agents": [3, 4]}
    args.update(kwargs)
    with pytest.raises(WfmError, match=message.replace("(", r"\(").replace(")", r"\)")):
        simulate_day(**args)  # type: ignore[arg-type]


def test_patience_infinite_means_nobody_hangs_up() -> None:
    result = simulate_day([CALLS], AHT, [9], patience_seconds=math.inf, replications=3)
    assert result.patience_seconds is None
    assert result.day.abandon_rate.value == 0.0


@pytest.mark.parametrize(
    ("p", "dof", "expected"),
    [
        (0.975, 1, 12.706204736),
        (0.975, 2, 4.302652730),
        (0.975, 4, 2.776445105),
        (0.975, 29, 2.045229642),
        (0.995, 3, 5.840909310),
        (0.995, 10, 3.169272673),
        (0.95, 149, 1.655144534),
        (0.975, 5000, 1.960438552),
    ],
)
def test_student_t_quantiles(p: float, dof: int, expected: float) -> None:
    assert _t_quantile(p, dof) == pytest.approx(expected, rel=1e-8)
