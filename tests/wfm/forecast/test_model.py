"""The prophet forecaster: what a planner relies on in every forecast."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from tests.conftest import REPO
from tests.wfm.forecast.helpers import MONDAY, day_rows, make_history
from wfm.errors import InputError, WfmError
from wfm.forecast import FORECAST_COLUMNS, Calendar, Event, Forecast, SpecialDay, forecast
from wfm.forecast.days import build_days
from wfm.forecast.engine import predict
from wfm.io.history import IntervalHistory

D = dt.timedelta


def shape(day: dt.date, slot: int) -> float:
    """A weekday level with a midday peak."""
    level = (1.3, 1.1, 1.0, 1.0, 0.9, 0.5, 0.0)[day.weekday()]
    return 30.0 * level * (1.0 + 0.5 * np.sin(np.pi * (slot - 16) / 20))


@pytest.fixture(scope="module")
def history() -> IntervalHistory:
    return make_history(112, rate=shape, poisson=True, queues=("A", "B"))


@pytest.fixture(scope="module")
def fc(history) -> Forecast:
    return forecast(history, MONDAY + D(days=112), 21, method="prophet", processes=0)


def test_one_row_per_queue_and_interval_sorted_with_the_exact_columns(fc):
    assert tuple(fc.frame.columns) == FORECAST_COLUMNS
    assert len(fc.frame) == 2 * 21 * 48
    assert fc.frame.equals(fc.frame.sort_values(["queue", "interval_start"]).reset_index(drop=True))
    assert fc.method == "prophet" and fc.days == 21 and fc.interval_minutes == 30


def test_never_negative_and_bounds_hold(fc):
    f = fc.frame
    assert (f["volume_low"] >= 0).all()
    assert (f["volume_low"] <= f["volume"]).all() and (f["volume"] <= f["volume_high"]).all()
    assert (f["volume_high"] > f["volume"]).sum() > 0.3 * len(f)


def test_closed_hours_and_closed_weekdays_forecast_zero(fc):
    f = fc.frame
    hour = f["interval_start"].dt.hour
    closed = (hour < 8) | (hour >= 18) | (f["interval_start"].dt.day_of_week == 6)
    assert (f.loc[closed, ["volume", "volume_high"]] == 0).all().all()
    assert (f.loc[~closed, "volume"] > 0).all()


def test_intervals_add_up_to_the_day_and_the_level_is_right(fc, history):
    # the day totals the daily model gave before they were spread over the intervals
    start = MONDAY + D(days=112)
    qdays = build_days(history, Calendar(), start + D(days=20))
    jobs = [(q, d.row(start), 21) for q, d in qdays.items()]
    preds = predict(qdays, jobs, ["prophet"], processes=0)
    daily = fc.daily_totals()
    for q, o, _ in jobs:
        model_days = preds[(q, o, "prophet")].day_totals
        assert model_days is not None and model_days[6] == 0.0  # Sunday: closed
        got = daily[daily["queue"] == q]["volume"].to_numpy()
        assert got == pytest.approx(model_days, rel=1e-9), q
    monday = daily[(daily["queue"] == "A") & (daily["date"].dt.day_of_week == 0)]["volume"]
    expected = sum(shape(MONDAY, s) for s in range(16, 36))
    assert monday.to_numpy() == pytest.approx(expected, rel=0.06)


def test_aht_is_forecast_per_interval_and_empty_without_history(fc):
    assert fc.frame["aht_seconds"].between(299, 301).all()
    h = make_history(35, aht=None)
    f = forecast(h, MONDAY + D(days=35), 2, method="mean-4-weeks", processes=0)
    assert f.frame["aht_seconds"].isna().all()


def test_aht_follows_time_of_day_and_trend():
    def aht(day: dt.date, slot: int) -> float:
        return 300.0 + 5.0 * (slot - 16) + 0.5 * (day - MONDAY).days

    h = make_history(84, rate=10.0)
    frame = h.frame.copy()
    t = frame["interval_start"]
    days = (t.dt.normalize() - pd.Timestamp(MONDAY)).dt.days
    slots = (t.dt.hour * 2 + t.dt.minute // 30)
    frame["aht_seconds"] = np.where(frame["offered"] > 0, 300.0 + 5.0 * (slots - 16) + 0.5 * days, np.nan)
    start = MONDAY + D(days=84)
    f = forecast(IntervalHistory(frame, 30), start, 14, method="mean-4-weeks", processes=0)
    rows = day_rows(f.frame, start + D(days=9))
    got = rows["aht_seconds"].to_numpy()[16:36]
    want = np.array([aht(start + D(days=9), s) for s in range(16, 36)])
    assert got == pytest.approx(want, rel=0.01)


def test_holidays_the_centre_closes_on_forecast_zero_and_special_days_apply():
    # Easter Monday 2026-04-06 closed in the history (GB): next year's Easter Monday is zero.
    first = dt.date(2026, 2, 2)
    h = make_history(413, first=first, rate=10.0, closed_days=[dt.date(2026, 4, 6)])
    cal = Calendar(
        "GB",
        "ENG",
        special_days=(
            SpecialDay(dt.date(2027, 3, 24), "Strike", closed=True),
            SpecialDay(dt.date(2027, 3, 25), "Open day", volume=1000.0),
        ),
    )
    start = dt.date(2027, 3, 22)
    f = forecast(h, start, 21, calendar=cal, method="prophet", processes=0)
    daily = f.daily_totals().set_index("date")["volume"]
    assert daily[pd.Timestamp("2027-03-29")] == 0.0  # Easter Monday 2027
    assert daily[pd.Timestamp("2027-03-24")] == 0.0
    assert daily[pd.Timestamp("2027-03-25")] == pytest.approx(1000.0)
    assert daily[pd.Timestamp("2027-03-22")] == pytest.approx(200.0, rel=0.05)


def test_a_future_event_raises_the_forecast_by_its_uplift(history):
    start = MONDAY + D(days=112)
    promo = start + D(days=2)
    cal = Calendar(events=(Event("Promo", promo, promo, 0.4, queues=("A",)),))
    with_event = forecast(history, start, 7, calendar=cal, method="prophet", processes=0)
    plain = forecast(history, start, 7, method="prophet", processes=0)
    a = with_event.daily_totals().set_index(["queue", "date"])["volume"]
    b = plain.daily_totals().set_index(["queue", "date"])["volume"]
    assert a[("A", pd.Timestamp(promo))] / b[("A", pd.Timestamp(promo))] == pytest.approx(1.4)
    assert a[("B", pd.Timestamp(promo))] == pytest.approx(b[("B", pd.Timestamp(promo))])


def test_past_events_are_normalised_out_of_the_history():
    # Two weeks at +100 % shortly before the start: declared, they leave the forecast alone.
    boom = {MONDAY + D(days=k) for k in range(63, 77)}
    h = make_history(84, rate=lambda d, s: shape(d, s) * (2.0 if d in boom else 1.0), poisson=True)
    start = MONDAY + D(days=84)
    cal = Calendar(events=(Event("TV campaign", min(boom), max(boom), 1.0),))
    declared = forecast(h, start, 7, calendar=cal, method="prophet", processes=0).daily_totals()["volume"].sum()
    ignored = forecast(h, start, 7, method="prophet", processes=0).daily_totals()["volume"].sum()
    truth = sum(shape(start + D(days=k), s) for k in range(7) for s in range(16, 36))
    assert declared == pytest.approx(truth, rel=0.06)
    assert ignored > truth * 1.1


def test_missing_days_are_unknown_not_zero():
    gone = {MONDAY + D(days=k) for k in range(50, 55)}
    h = make_history(63, rate=10.0, missing=gone)
    f = forecast(h, MONDAY + D(days=63), 7, method="prophet", processes=0)
    daily = f.daily_totals()["volume"].to_numpy()
    assert daily[:6] == pytest.approx(200.0, rel=0.03)


def test_too_little_history_and_gaps_are_clear_errors():
    with pytest.raises(WfmError, match=r"queue A: too little history before 2026-01-26 \(21 days"):
        forecast(make_history(21), MONDAY + D(days=21), 7, method="mean-4-weeks")
    gap = {MONDAY + D(days=k) for k in range(40, 50)}
    with pytest.raises(WfmError, match=r"gap of 10 days \(2026-02-14 to 2026-02-23\)"):
        forecast(make_history(63, missing=gap), MONDAY + D(days=63), 7, method="mean-4-weeks")
    with pytest.raises(WfmError, match="unknown forecast method 'magic'"):
        forecast(make_history(35), MONDAY + D(days=35), 7, method="magic")
    with pytest.raises(WfmError, match=r"queue\(s\) Z not in the history"):
        forecast(make_history(35), MONDAY + D(days=35), 7, queues=["Z"])


def test_csv_round_trip(fc, tmp_path):
    path = fc.write_csv(tmp_path / "forecast.csv")
    assert path.read_text().splitlines()[0] == ",".join(FORECAST_COLUMNS)
    again = Forecast.read_csv(path)
    assert again.interval_minutes == 30 and again.start == fc.start and again.days == 21
    assert again.frame["volume"].to_numpy() == pytest.approx(fc.frame["volume"].to_numpy(), abs=1e-3)
    assert again.frame["interval_start"].equals(fc.frame["interval_start"])


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("A,2026-05-01T08:00:00,-1,0,2,300", r"f.csv, row 3, column 'volume': '-1' is not a valid volume value"),
        ("A,yesterday,1,0,2,300", r"f.csv, row 3, column 'interval_start': 'yesterday' is not an ISO date"),
        ("A,2026-05-01T08:00:00,5,0,2,", r"f.csv, row 3, column 'volume': volume is not between"),
    ],
)
def test_read_csv_names_file_row_and_column(tmp_path, row, message):
    path = tmp_path / "f.csv"
    path.write_text(",".join(FORECAST_COLUMNS) + "\nA,2026-05-01T07:30:00,1,0,2,300\n" + row + "\n")
    with pytest.raises(InputError, match=message):
        Forecast.read_csv(path)


def test_the_sample_centre(tmp_path):
    history = IntervalHistory.read_csv(REPO / "sample_data" / "history.csv")
    cal = Calendar.load(REPO / "sample_data" / "events.toml")
    f = forecast(history, dt.date(2026, 11, 1), 63, calendar=cal, method="prophet", processes=0)
    daily = f.daily_totals().set_index(["queue", "date"])["volume"]
    for day in ("2026-12-25", "2026-12-28", "2027-01-01"):  # Christmas, Boxing Day (substitute), New Year
        assert daily[("Support", pd.Timestamp(day))] == 0.0
    sundays = daily.loc["Sales"][daily.loc["Sales"].index.day_of_week == 6]
    assert (sundays == 0).all()
    # a normal Wednesday: around the generator's level (1,840 x season x trend ~ 2,000)
    assert 1700 < daily[("Support", pd.Timestamp("2026-12-16"))] < 2400
    # the day after Boxing Day's substitute: catch-up, above a normal Tuesday
    assert daily[("Support", pd.Timestamp("2026-12-29"))] > 1.1 * daily[("Support", pd.Timestamp("2026-12-15"))]


def test_a_forecast_csv_with_utc_offsets_reads_on_the_wall_clock(tmp_path):
    from wfm.forecast.model import Forecast

    path = tmp_path / "offsets.csv"
    path.write_text(
        "queue,interval_start,volume,volume_low,volume_high,aht_seconds\n"
        "A,2026-03-29T00:00:00+00:00,3,2,4,100\n"
        "A,2026-03-29T00:30:00+00:00,5,4,6,100\n"
    )
    frame = Forecast.read_csv(path).frame
    assert frame["interval_start"].dt.strftime("%H:%M").tolist() == ["00:00", "00:30"]
    assert frame["volume"].tolist() == [3.0, 5.0]
