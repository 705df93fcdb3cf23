"""Histories as they come: queues without calls, new and retired queues, a lead time, a cut-off
last day, a weekday the centre stopped opening, DST, long horizons, and the noise floor."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from tests.wfm.forecast.helpers import MONDAY, day_rows, make_history
from wfm.errors import WfmError
from wfm.forecast import Calendar, backtest, forecast
from wfm.forecast.days import build_days
from wfm.io.history import IntervalHistory

D = dt.timedelta


def combine(*histories: IntervalHistory) -> IntervalHistory:
    frame = pd.concat([h.frame for h in histories], ignore_index=True)
    return IntervalHistory(frame.sort_values(["queue", "interval_start"], kind="stable").reset_index(drop=True), 30)


# --- 2: a queue without calls, or with very few days with calls ------------------------------
@pytest.mark.parametrize("method", ["prophet", "auto"])
def test_a_queue_without_calls_gets_zeros_and_a_note_not_a_prophet_crash(method):
    h = combine(make_history(63, queues=("A",), poisson=True), make_history(63, queues=("Quiet",), rate=0.0))
    f = forecast(h, MONDAY + D(days=63), 7, method=method, processes=0)
    assert f.queues == ["A", "Quiet"]
    quiet = f.frame[f.frame["queue"] == "Quiet"]
    assert (quiet[["volume", "volume_low", "volume_high"]] == 0).all().all()
    assert f.frame[f.frame["queue"] == "A"]["volume"].sum() > 0
    assert any(n.startswith("queue Quiet: no calls") for n in f.notes), f.notes
    r = backtest(h, origins=2, horizon_days=7, processes=0)
    assert any(n.startswith("queue Quiet: no calls") for n in r.notes), r.notes


def test_a_queue_with_few_days_with_calls_is_forecast_by_mean_4_weeks_not_prophet():
    busy = {MONDAY + D(days=k) for k in (29, 31, 36, 38, 43)}  # 5 days with calls in 7 weeks
    h = make_history(49, rate=lambda d, s: 10.0 if d in busy else 0.0)
    start = MONDAY + D(days=49)
    f = forecast(h, start, 7, method="prophet", processes=0)
    base = forecast(h, start, 7, method="mean-4-weeks", processes=0)
    assert f.frame["volume"].to_numpy() == pytest.approx(base.frame["volume"].to_numpy())
    assert len(f.notes) == 1 and "only 5 days with calls" in f.notes[0] and "mean-4-weeks" in f.notes[0]


# --- 4: a lead time between the history and the forecast -------------------------------------
def test_a_forecast_may_start_up_to_8_weeks_after_the_history():
    h = make_history(63, rate=10.0)
    end = MONDAY + D(days=62)
    start = end + D(days=29)  # a Monday, four weeks later
    for method in ("prophet", "mean-4-weeks"):
        f = forecast(h, start, 7, method=method, processes=0)
        daily = f.daily_totals()["volume"].to_numpy()
        assert daily[:6] == pytest.approx(200.0, rel=0.03), method  # no catch-up bump on day one
        assert daily[6] == 0.0
    forecast(h, end + D(days=57), 1, method="mean-4-weeks", processes=0)  # 56 days between: fine
    with pytest.raises(WfmError, match=r"57 days after the history ends \(2026-03-08\).*at most 8 weeks"):
        forecast(h, end + D(days=58), 1, method="mean-4-weeks", processes=0)


def test_a_start_before_the_history_or_far_in_the_future_is_a_clear_error():
    h = make_history(35)
    with pytest.raises(WfmError, match="the forecast must start after the history, which ends 2026-02-08"):
        forecast(h, MONDAY - D(days=35), 7, method="mean-4-weeks")
    with pytest.raises(WfmError, match="after the history ends"):
        forecast(h, dt.date(9999, 12, 30), 7, method="mean-4-weeks")


# --- 5: new and discontinued queues are skipped, the rest forecast ----------------------------
def test_new_and_discontinued_queues_are_skipped_with_a_note():
    a = make_history(84, queues=("A",), poisson=True)
    new = make_history(20, queues=("New",), first=MONDAY + D(days=64))
    old = make_history(54, queues=("Old",))
    h = combine(a, new, old)
    start = MONDAY + D(days=84)
    f = forecast(h, start, 7, method="mean-4-weeks", processes=0)
    assert f.queues == ["A"]
    assert any(n.startswith("queue New skipped: too little history") for n in f.notes), f.notes
    assert any(n.startswith("queue Old skipped: no data for the last 30 days") for n in f.notes), f.notes
    r = backtest(h, origins=2, horizon_days=7, methods=("mean-4-weeks",), processes=0)
    assert set(r.frame["queue"]) == {"A", "all"}
    assert sum("skipped" in n for n in r.notes) == 2
    with pytest.raises(WfmError, match="queue New: too little history"):
        forecast(h, start, 7, method="mean-4-weeks", queues=["New"])
    with pytest.raises(WfmError, match="no queue can be forecast: queue New: .*; queue Old: "):
        forecast(h, start, 7, method="mean-4-weeks", queues=["New", "Old"])


# --- 6: an export cut at noon -----------------------------------------------------------------
def test_incomplete_first_and_last_days_are_left_out():
    full = make_history(68, rate=10.0)  # Monday 2026-01-05 .. Friday 2026-03-13
    f = full.frame
    first, last = MONDAY, MONDAY + D(days=67)
    hour = f["interval_start"].dt.hour
    day = f["interval_start"].dt.date
    cut = IntervalHistory(f[~((day == last) & (hour >= 12)) & ~((day == first) & (hour < 12))].reset_index(drop=True), 30)
    start = last + D(days=1)
    fc = forecast(cut, start, 7, method="last-week", processes=0)
    friday = day_rows(fc.frame, start + D(days=6))
    assert friday["volume"].sum() == pytest.approx(200.0)  # last full Friday, not the half day
    assert any("last day 2026-03-13 stops after the 11:30 interval" in n and "incomplete" in n for n in fc.notes)
    assert any("first day 2026-01-05 starts at the 12:00 interval" in n for n in fc.notes), fc.notes
    # a backtest does not score the half day as an actual
    r = backtest(cut, origins=1, horizon_days=7, methods=("last-week",), processes=0)
    row = r.frame[(r.frame["queue"] == "all") & (r.frame["level"] == "daily") & (r.frame["method"] == "last-week")]
    assert float(row["wape"].iloc[0]) == pytest.approx(0.0)


def test_complete_edge_days_are_kept():
    h = make_history(63, rate=10.0, poisson=True, seed=4)
    days = build_days(h, Calendar(), MONDAY + D(days=62))["A"]
    assert days.present.all() and days.notes == []


# --- 7: a weekday the centre stopped opening --------------------------------------------------
def test_a_recently_closed_weekday_forecasts_zero_in_every_method():
    saturdays = [MONDAY + D(days=5 + 7 * k) for k in range(12)]
    h = make_history(84, rate=10.0, closed_days=saturdays[-3:], poisson=True)
    start = MONDAY + D(days=84)
    for method in ("prophet", "last-week", "mean-4-weeks"):
        f = forecast(h, start, 14, method=method, processes=0)
        daily = f.daily_totals().set_index("date")["volume"]
        assert daily[daily.index.day_of_week == 5].sum() == 0.0, method
        assert (daily[daily.index.day_of_week < 5] > 100).all(), method


@pytest.mark.parametrize(
    ("saturdays_with_calls", "closed"),
    [
        (range(9), False),  # open every week
        (range(6), True),  # the last 3 without calls: closed
        (range(5), True),
        ((*range(5), 8), True),  # one stray Saturday with calls does not reopen it
        ((*range(5), 7, 8), False),  # two in a row do
        ((0, 1, 2, 3, 4, 5, 7), False),  # one Saturday without calls is an unexpected closure
    ],
)
def test_the_closed_weekday_rule(saturdays_with_calls, closed):
    sats = [MONDAY + D(days=5 + 7 * k) for k in range(9)]
    h = make_history(63, rate=10.0, closed_days=[d for k, d in enumerate(sats) if k not in set(saturdays_with_calls)])
    days = build_days(h, Calendar(), MONDAY + D(days=62))["A"]
    assert bool(days.weekday_closed(63)[5]) is closed
    assert bool(days.weekday_closed(63)[6]) is True


# --- 9: long horizons do not explode ----------------------------------------------------------
def test_a_growing_queue_two_years_ahead_stays_within_twice_its_level():
    def growing(day: dt.date, slot: int) -> float:
        return 10.0 * 1.8 ** ((day - MONDAY).days / 365.0)  # +80 % a year

    h = make_history(210, rate=growing, closed_weekdays=(5, 6))
    start = MONDAY + D(days=210)
    f = forecast(h, start, 730, method="prophet", processes=0)
    daily = f.daily_totals().set_index("date")["volume"]
    recent = np.mean([growing(start - D(days=k), 0) * 20 for k in range(1, 29)])
    open_days = daily[daily.index.day_of_week < 5]
    assert open_days.max() < 2.0 * recent
    assert open_days.iloc[-20:].mean() > recent  # the trend is followed for a while, then held


# --- 12: DST ---------------------------------------------------------------------------------
def dst_history() -> IntervalHistory:
    """A flat 10 calls per half-hour, 24/7, across the 2025 autumn change in London."""
    utc = pd.date_range("2025-08-31T23:00Z", "2025-11-16T23:30Z", freq="30min")
    local = utc.tz_convert("Europe/London")
    offsets = (local.tz_localize(None) - utc.tz_localize(None)).total_seconds() // 60
    frame = pd.DataFrame(
        {
            "queue": "A",
            "interval_start": local.tz_localize(None).astype("datetime64[s]"),
            "offered": 10.0,
            "handled": 10.0,
            "abandoned": 0.0,
            "aht_seconds": 300.0,
            "utc_offset": offsets.astype("int64"),
        }
    )
    return IntervalHistory(frame, 30)


def test_the_repeated_autumn_hour_is_averaged_not_summed():
    h = dst_history()
    assert (h.frame["interval_start"].dt.date == dt.date(2025, 10, 26)).sum() == 50
    f = forecast(h, dt.date(2025, 11, 17), 7, method="mean-4-weeks", processes=0)
    assert f.frame["volume"].to_numpy() == pytest.approx(10.0)
    assert len(f.frame) == 7 * 48  # nominal 24-hour wall-clock days


# --- 13: the noise floor ----------------------------------------------------------------------
@pytest.mark.parametrize(("rate", "tolerance"), [(0.5, 0.12), (10.0, 0.02)])
def test_the_noise_floor_matches_a_simulated_poisson_floor(rate, tolerance):
    # The floor's rate is the day's calls x the 8-week weekday profile: at 0.5 calls per
    # interval the profile's own noise leaves it ~9 % low (the actual count as the rate: 46 %).
    h = make_history(84, rate=rate, poisson=True, seed=11)
    r = backtest(h, origins=2, horizon_days=14, methods=("mean-4-weeks",), processes=0)
    rng = np.random.default_rng(3)
    simulated = np.abs(rng.poisson(rate, 400_000) - rate).mean() / rate
    assert r.noise_floor == pytest.approx(simulated, rel=tolerance)
