"""Calendars: holidays by country, special days and events, saved with the plan as TOML."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, heavy_modules_after
from wfm.errors import InputError, WfmError
from wfm.forecast import Calendar, Event, SpecialDay

D = dt.date


def test_importing_the_forecast_package_loads_neither_prophet_nor_pandas():
    assert heavy_modules_after("wfm.forecast, wfm.forecast.commands", ("prophet", "pandas")) == []


@pytest.mark.parametrize("country", ["CN", "US", "GB", "DE", "FR", "IN", "IL", "BR"])
def test_national_holidays_for_the_main_countries(country):
    hol = Calendar(country).holidays(D(2026, 1, 1), D(2026, 12, 31))
    assert len(hol) >= 5
    assert all(D(2026, 1, 1) <= d <= D(2026, 12, 31) for d in hol)


def test_holidays_with_a_subdivision_and_lower_case_codes():
    eng = Calendar("gb", "eng").holidays(D(2025, 1, 1), D(2025, 12, 31))
    assert eng[D(2025, 12, 25)] == "Christmas Day"
    assert D(2025, 8, 25) in eng  # Late Summer Bank Holiday (England only)
    sct = Calendar("GB", "SCT").holidays(D(2025, 1, 1), D(2025, 12, 31))
    assert D(2025, 8, 4) in sct and D(2025, 8, 25) not in sct


def test_unknown_country_or_subdivision_names_the_supported_codes():
    with pytest.raises(WfmError, match=r"unknown holiday country code 'XX'.*GB.*US"):
        Calendar("XX")
    with pytest.raises(WfmError, match=r"unknown holiday subdivision 'ZZZ' for GB; supported: ENG NIR SCT WLS"):
        Calendar("GB", "ZZZ")


def test_event_shape_flat_then_half_life_decay_with_lag():
    e = Event("Mailing", D(2026, 3, 2), D(2026, 3, 4), uplift=0.4, lag_days=2, decay_days=1.0)
    assert e.uplift_on(D(2026, 3, 3)) == 0.0  # before start + lag
    assert e.uplift_on(D(2026, 3, 4)) == 0.4
    assert e.uplift_on(D(2026, 3, 6)) == 0.4  # end + lag
    assert e.uplift_on(D(2026, 3, 7)) == pytest.approx(0.2)
    assert e.uplift_on(D(2026, 3, 8)) == pytest.approx(0.1)
    assert e.uplift_on(D(2026, 3, 6) + dt.timedelta(days=e.effect_days + 1)) == 0.0
    flat = Event("Flat", D(2026, 3, 2), D(2026, 3, 2), uplift=0.3)
    assert flat.uplift_on(D(2026, 3, 3)) == 0.0


def test_events_multiply_and_respect_queues():
    cal = Calendar(
        events=(
            Event("a", D(2026, 3, 2), D(2026, 3, 2), 0.5, queues=("Sales",)),
            Event("b", D(2026, 3, 2), D(2026, 3, 3), 0.2),
        )
    )
    assert cal.impact("Sales", [D(2026, 3, 2), D(2026, 3, 3), D(2026, 3, 4)]) == pytest.approx([1.8, 1.2, 1.0])
    assert cal.impact("Support", [D(2026, 3, 2)]) == pytest.approx([1.2])


def test_bad_values_are_refused():
    with pytest.raises(WfmError, match="before start"):
        Event("x", D(2026, 3, 2), D(2026, 3, 1), 0.1)
    with pytest.raises(WfmError, match="above -1"):
        Event("x", D(2026, 3, 2), D(2026, 3, 2), -1.0)
    with pytest.raises(WfmError, match="cannot also have a volume"):
        SpecialDay(D(2026, 3, 2), "x", closed=True, volume=10.0)


def test_toml_round_trip(tmp_path):
    cal = Calendar(
        "DE",
        "BY",
        events=(
            Event('Sommer "Aktion" – Süd', D(2026, 6, 1), D(2026, 6, 5), 0.25, 1, 2.5, ("Vertrieb", "Service")),
            Event("Mailing", D(2026, 9, 1), D(2026, 9, 1), -0.1),
        ),
        special_days=(
            SpecialDay(D(2026, 12, 24), "Heiligabend", closed=True),
            SpecialDay(D(2026, 12, 31), "Silvester\nhalber Tag", volume=120.0, queues=("Service",)),
        ),
    )
    path = cal.save(tmp_path / "events.toml")
    again = Calendar.load(path)
    assert again == cal
    assert dataclasses.replace(again, country="FR", subdivision=None).country == "FR"
    assert cal.with_events([]).events == () and cal.with_special_days([]).special_days == ()


def test_sample_events_match_the_generator():
    cal = Calendar.load(REPO / "sample_data" / "events.toml")
    assert (cal.country, cal.subdivision) == ("GB", "ENG")
    sys.path.insert(0, str(REPO / "sample_data"))
    try:
        import generate
    finally:
        sys.path.remove(str(REPO / "sample_data"))
    winter, spring = cal.events
    for queue, first, last, uplift, half_life in generate.CAMPAIGNS:
        k = 0
        day = first
        while day <= last:
            expected = uplift * 0.5 ** (k / half_life) if half_life else uplift
            assert cal.impact(queue, [day])[0] == pytest.approx(1 + expected), day
            day += dt.timedelta(days=1)
            k += 1
    assert winter.queues == spring.queues == ("Sales",)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("country = 'GB'\n[[events]\n", r"events.toml: not a valid TOML calendar \(.*line 2"),
        ("country = 'XX'\n", r"events.toml: unknown holiday country code 'XX'"),
        ("colour = 'red'\n", r"events.toml: unknown key\(s\) colour"),
        (
            "[[events]]\nname='ok'\nstart=2026-01-01\nuplift=0.1\n"
            "[[events]]\nname='Spring offer'\nstart=2026-05-11\nend=2026-05-01\nuplift=0.3\n",
            r"events.toml: event 2 \('Spring offer'\): end 2026-05-01 is before start 2026-05-11",
        ),
        ("[[events]]\nname='x'\nstart=2026-05-11\n", r"event 1 \('x'\): missing uplift"),
        ("[[events]]\nname='x'\nstart='11/05/2026'\nuplift=1\n", r"event 1 \('x'\): 'start' must be a date"),
        ("[[special_days]]\nday=2026-12-24\nname='Eve'\nvolume=-5\n", r"special day 1 \('Eve'\): volume must be 0 or more"),
        ("[[special_days]]\nday=2026-12-24\nname='Eve'\nclosed='yes'\n", r"special day 1 \('Eve'\): 'closed' must be true or false"),
    ],
)
def test_bad_files_name_the_file_and_the_entry(tmp_path, text, message):
    path = tmp_path / "events.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        Calendar.load(path)


def test_missing_file():
    with pytest.raises(InputError, match="nope.toml: file not found"):
        Calendar.load(Path("nope.toml"))


def test_huge_lags_and_half_lives_are_refused_naming_the_entry(tmp_path):
    with pytest.raises(WfmError, match=r"event 'x': lag_days must be 0 to 366, not 100000000"):
        Event("x", D(2026, 3, 2), D(2026, 3, 2), 0.1, lag_days=100_000_000)
    with pytest.raises(WfmError, match=r"event 'x': decay_days must be 0 to 366, not 1000000.0"):
        Event("x", D(2026, 3, 2), D(2026, 3, 2), 0.1, decay_days=1e6)
    with pytest.raises(WfmError, match=r"event 'x': its effect would last past the year 9999"):
        Event("x", D(9999, 12, 30), D(9999, 12, 30), 0.1, lag_days=5)
    Event("a year", D(2026, 3, 2), D(2026, 3, 2), 0.1, lag_days=366, decay_days=366.0)
    path = tmp_path / "events.toml"
    path.write_text("[[events]]\nname = 'Long tail'\nstart = 2026-02-01\nuplift = 0.2\ndecay_days = 1e6\n")
    with pytest.raises(InputError, match=r"events.toml: event 1 \('Long tail'\): decay_days must be 0 to 366"):
        Calendar.load(path)


def test_a_calendar_naming_an_unknown_queue_is_refused():
    from tests.wfm.forecast.helpers import MONDAY, make_history
    from wfm.forecast import backtest, forecast

    h = make_history(42, queues=("Sales", "Support"))
    cal = Calendar(
        events=(Event("Promo", D(2026, 2, 17), D(2026, 2, 18), 0.6, queues=("sales",)),),
        special_days=(SpecialDay(D(2026, 2, 19), "Training", closed=True, queues=("Suport", "Sales")),),
    )
    message = (
        r"the calendar names queue\(s\) the history does not have: event 'Promo' names 'sales'; "
        r"special day '2026-02-19 Training' names 'Suport' \(the history's queues: Sales, Support\)"
    )
    with pytest.raises(WfmError, match=message):
        forecast(h, MONDAY + dt.timedelta(days=42), 7, calendar=cal, method="mean-4-weeks")
    with pytest.raises(WfmError, match=message):
        backtest(h, calendar=cal, origins=1, horizon_days=7, methods=("last-week",))
