"""The baselines on hand-built histories: exact numbers, missing and closed days skipped."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from tests.wfm.forecast.helpers import MONDAY, day_rows, make_history
from wfm.forecast import Calendar, Event, SpecialDay, forecast

D = dt.timedelta


def weekly(day: dt.date, slot: int) -> float:
    """Rate that identifies the week (1..), the weekday and the interval."""
    week = (day - MONDAY).days // 7 + 1
    return 100.0 * week + 10.0 * day.weekday() + (slot - 16)


def test_last_week_copies_the_same_interval_of_the_last_normal_same_weekday():
    h = make_history(28, rate=weekly)  # 4 weeks, Mon..Sat open 08:00-18:00
    start = MONDAY + D(days=28)
    f = forecast(h, start, 14, method="last-week", processes=0)
    assert f.method == "last-week"
    for k in range(14):
        day = start + D(days=k)
        rows = day_rows(f.frame, day)
        expected = [weekly(day - D(days=7 * (1 + k // 7)), s) if 16 <= s < 36 and day.weekday() != 6 else 0.0 for s in range(48)]
        assert rows["volume"].tolist() == pytest.approx(expected), day


def test_mean_4_weeks_skips_a_missing_day_and_a_holiday():
    christmas_like = MONDAY + D(days=35)  # Monday of week 6, closed in the history
    h = make_history(49, rate=weekly, missing=[MONDAY + D(days=42)], closed_days=[christmas_like])
    cal = Calendar(special_days=(SpecialDay(christmas_like, "Closed for stocktaking", closed=True),))
    start = MONDAY + D(days=49)
    f = forecast(h, start, 7, calendar=cal, method="mean-4-weeks", processes=0)
    monday = day_rows(f.frame, start)
    # Mondays of weeks 1..7: week 7 missing, week 6 special (closed) -> weeks 2..5
    expected = np.mean([[weekly(MONDAY + D(days=7 * w), s) for s in range(16, 36)] for w in (1, 2, 3, 4)], axis=0)
    assert monday["volume"].to_numpy()[16:36] == pytest.approx(expected)
    tuesday = day_rows(f.frame, start + D(days=1))
    expected = np.mean([[weekly(MONDAY + D(days=7 * w + 1), s) for s in range(16, 36)] for w in (3, 4, 5, 6)], axis=0)
    assert tuesday["volume"].to_numpy()[16:36] == pytest.approx(expected)


def test_baselines_are_zero_on_closed_days_and_intervals_and_follow_events():
    h = make_history(35, rate=10.0)
    start = MONDAY + D(days=35)
    cal = Calendar(
        events=(Event("Promo", start + D(days=1), start + D(days=1), 0.5),),
        special_days=(SpecialDay(start + D(days=2), "Closed", closed=True), SpecialDay(start + D(days=3), "Half", volume=50.0)),
    )
    f = forecast(h, start, 7, calendar=cal, method="mean-4-weeks", processes=0)
    daily = f.daily_totals().set_index("date")["volume"]
    assert daily.iloc[0] == pytest.approx(200.0)  # 20 open half-hours x 10
    assert daily.iloc[1] == pytest.approx(300.0)  # +50 %
    assert daily.iloc[2] == 0.0
    assert daily.iloc[3] == pytest.approx(50.0)
    assert daily.iloc[6] == 0.0  # Sunday: closed weekday
    night = f.frame[f.frame["interval_start"].dt.hour < 8]
    assert (night["volume"] == 0).all() and (night["volume_high"] == 0).all()


def test_past_events_are_normalised_out_of_the_baselines():
    last_monday = MONDAY + D(days=28)
    h = make_history(35, rate=lambda d, s: 20.0 if d == last_monday else 10.0)
    start = MONDAY + D(days=35)
    cal = Calendar(events=(Event("Promo", last_monday, last_monday, 1.0),))
    with_event = forecast(h, start, 1, calendar=cal, method="last-week", processes=0)
    assert with_event.frame["volume"].max() == pytest.approx(10.0)
    without = forecast(h, start, 1, method="last-week", processes=0)
    assert without.frame["volume"].max() == pytest.approx(20.0)
