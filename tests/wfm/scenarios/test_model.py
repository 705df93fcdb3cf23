"""Scenarios and their TOML files: which intervals a change names, round trips, messages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from tests.wfm.scenarios import demand
from wfm.errors import InputError, WfmError
from wfm.scenarios import (
    AhtChange,
    Scenario,
    VolumeChange,
    Where,
    read_scenarios,
    scenarios_from_text,
    scenarios_to_text,
    write_scenarios,
)
from wfm.staffing.requirement import StaffingTarget

REPO = Path(__file__).resolve().parents[3]
WED = dt.date(2026, 11, 4)


def test_where_masks_queue_date_weekday_and_hours_together() -> None:
    frame = demand(days=14)
    stamps = frame["interval_start"]
    minute = stamps.dt.hour * 60 + stamps.dt.minute
    where = Where(queues=("Sales",), dates=(WED, WED + dt.timedelta(days=7)), start=540, end=720)
    expected = (
        (frame["queue"] == "Sales")
        & stamps.dt.date.isin([WED, WED + dt.timedelta(days=7)])
        & (minute >= 540)
        & (minute < 720)
    ).to_numpy()
    assert np.array_equal(where.mask(frame), expected)
    assert where.mask(frame).sum() == 2 * 6  # two Wednesdays, six half hours 09:00-12:00
    weekend = Where(weekdays=(5, 6)).mask(frame)
    assert weekend.sum() == 2 * 2 * 2 * 48  # two queues, two weekends, two days
    assert Where().mask(frame).all()


def test_where_describes_itself_in_a_planners_words() -> None:
    where = Where(queues=("Sales",), dates=(dt.date(2026, 11, 11),), start=540, end=720)
    assert where.describe() == "Sales on Wed 11 Nov 2026, 09:00-12:00"
    assert Where(weekdays=(0, 1)).describe() == "all queues on Mon, Tue"
    run = Where(dates=(dt.date(2026, 11, 13), dt.date(2026, 11, 11), dt.date(2026, 11, 12)))
    assert run.dates == (dt.date(2026, 11, 11), dt.date(2026, 11, 12), dt.date(2026, 11, 13))
    assert run.describe() == "all queues on Wed 11 Nov 2026 to Fri 13 Nov 2026"
    assert Where(start=17 * 60).describe() == "all queues, from 17:00"


def test_bad_changes_are_refused() -> None:
    with pytest.raises(WfmError, match="exactly one of 'percent' and 'calls'"):
        VolumeChange(percent=10, calls=5)
    with pytest.raises(WfmError, match="exactly one"):
        AhtChange()
    with pytest.raises(WfmError, match="above -100"):
        VolumeChange(percent=-100)
    with pytest.raises(WfmError, match="after 'start'"):
        Where(start=600, end=540)
    with pytest.raises(WfmError, match="weekdays"):
        Where(weekdays=(7,))
    with pytest.raises(WfmError, match="scenario 'Too good': .*service level"):
        Scenario("Too good", service_level=1.0)
    with pytest.raises(WfmError, match="scenario 'Half': .*whole number"):
        Scenario("Half", headcount=2.5)  # type: ignore[arg-type]


def test_target_replaces_only_what_the_scenario_sets() -> None:
    base = StaffingTarget(0.8, 20, max_occupancy=0.9, shrinkage=0.3)
    changed = Scenario("x", service_level=0.9, shrinkage=0.35).target(base)
    assert changed == StaffingTarget(0.9, 20, max_occupancy=0.9, shrinkage=0.35)
    assert Scenario("y").target(base) is base


def _full() -> tuple[Scenario, ...]:
    return (
        Scenario(
            "Promotion",
            'Mailing "A"\non the 11th',
            volume=(
                VolumeChange(percent=40.0, where=Where(("Sales",), (dt.date(2026, 11, 11),))),
                VolumeChange(
                    calls=-5.0,
                    where=Where(
                        dates=tuple(dt.date(2026, 11, d) for d in (3, 4, 5, 9)),
                        weekdays=(1, 2),
                        start=9 * 60,
                        end=24 * 60,
                    ),
                ),
            ),
            aht=(AhtChange(seconds=30.0, where=Where(("Support", "Sales"))),),
            service_level=0.85,
            answer_seconds=30.0,
            max_occupancy=0.9,
            shrinkage=0.25,
            headcount=-3,
        ),
        Scenario("Zoë's plain case"),
    )


def test_text_and_file_round_trip(tmp_path: Path) -> None:
    scenarios = _full()
    assert scenarios_from_text(scenarios_to_text(scenarios)) == scenarios
    path = write_scenarios(scenarios, tmp_path / "s.toml")
    assert read_scenarios(path) == scenarios


def test_the_sample_file_reads() -> None:
    scenarios = read_scenarios(REPO / "sample_data" / "scenarios.toml")
    assert [s.name for s in scenarios] == [
        "Winter promotion: +40 % Sales calls on 2026-11-11",
        "AHT +10 %",
        "SL 90/20",
        "Shrinkage 35 %",
        "Hire 5 agents",
    ]
    promo = scenarios[0].volume[0]
    assert promo.percent == 40.0
    assert promo.where == Where(("Sales",), (dt.date(2026, 11, 11),))
    assert scenarios[4].headcount == 5
    assert scenarios[0].describe() == ["Volume +40 % for Sales on Wed 11 Nov 2026"]


def test_file_formats_for_dates_weekdays_and_hours() -> None:
    text = """
[[scenario]]
name = "A"
[[scenario.volume]]
calls = 10
dates = ["2026-11-02..2026-11-04", 2026-11-09]
weekdays = ["Mon", "wednesday"]
start = "08:30"
end = 12:00:00
"""
    (scenario,) = scenarios_from_text(text)
    where = scenario.volume[0].where
    assert where.dates == tuple(dt.date(2026, 11, d) for d in (2, 3, 4, 9))
    assert where.weekdays == (0, 2)
    assert (where.start, where.end) == (510, 720)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            'name = "A"\nheadcont = 3',
            r"scenario 1 \('A'\), 'headcont': unknown key; did you mean 'headcount'\?",
        ),
        (
            'name = "A"\n[[scenario.volume]]\npercnt = 3',
            r"scenario 1 \('A'\), 'volume\[1\]\.percnt': unknown key; did you mean 'percent'\?",
        ),
        (
            'name = "A"\n[[scenario.volume]]\npercent = -120',
            r"scenario 1 \('A'\), 'volume\[1\]\.percent': .*above -100",
        ),
        (
            'name = "A"\n[[scenario.aht]]\npercent = 5\ndates = "2026-13-01"',
            r"scenario 1 \('A'\), 'aht\[1\]': 'dates': '2026-13-01' is not a date",
        ),
        ('name = "A"\nshrinkage = 1.5', r"scenario 1 \('A'\), 'shrinkage': shrinkage must be"),
        (
            'name = "A"\nheadcount = "five"',
            r"scenario 1 \('A'\), 'headcount': must be a whole number",
        ),
        ('description = "no name"', r"scenario 1, 'name': missing"),
        (
            'name = "A"\n[[scenario.volume]]\npercent = 5\nstart = "25:00"',
            r"scenario 1 \('A'\), 'volume\[1\]': 'start' must be a time from 00:00 to 24:00",
        ),
    ],
)
def test_errors_name_the_file_the_scenario_and_the_key(
    tmp_path: Path, body: str, expected: str
) -> None:
    path = tmp_path / "whatif.toml"
    path.write_text("[[scenario]]\n" + body + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"^whatif\.toml: " + expected):
        read_scenarios(path)


def test_file_level_errors(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text('[[scenarios]]\nname = "A"\n', encoding="utf-8")
    with pytest.raises(InputError, match="unknown key 'scenarios'; did you mean 'scenario'"):
        read_scenarios(path)
    path.write_text('[[scenario]]\nname = "A"\n[[scenario]]\nname = "A"\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"scenario 2 \('A'\): the name 'A' is used twice"):
        read_scenarios(path)
    path.write_text("[[scenario]\n", encoding="utf-8")
    with pytest.raises(InputError, match="s.toml: not a valid scenarios TOML"):
        read_scenarios(path)
    with pytest.raises(InputError, match="file not found"):
        read_scenarios(tmp_path / "none.toml")
