"""StaffingNeed.from_table and read_requirements_csv: grids, DST days, bad rows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from wfm.errors import InputError
from wfm.scheduling.need import StaffingNeed, read_requirements_csv

MONDAY = dt.date(2026, 11, 2)


def table(starts: list[str], heads: list[float], volume: list[float] | None = None) -> pd.DataFrame:
    frame = pd.DataFrame(
        {"queue": "Sales", "interval_start": pd.to_datetime(starts), "scheduled_agents": heads}
    )
    if volume is not None:
        frame["volume"] = volume
        frame["aht_seconds"] = 300.0
    return frame


def test_a_15_minute_requirement_on_a_30_minute_grid_is_averaged_not_added() -> None:
    starts = ["2026-11-02 08:00", "2026-11-02 08:15", "2026-11-02 08:30", "2026-11-02 08:45"]
    need = StaffingNeed.from_table(table(starts, [10, 10, 10, 6], [5, 5, 5, 5]), 30)
    assert need.required[0, 0, 16:18].tolist() == [10.0, 8.0]  # heads, time-weighted
    assert need.volume is not None and need.aht_seconds is not None
    assert need.volume[0, 0, 16:18].tolist() == [10.0, 10.0]  # calls add up
    assert need.aht_seconds[0, 0, 16:18].tolist() == [300.0, 300.0]
    assert need.required_hours() == pytest.approx((10 + 10 + 10 + 6) * 0.25)


def test_an_hourly_requirement_on_a_30_minute_grid_fills_both_halves() -> None:
    starts = ["2026-11-02 08:00", "2026-11-02 09:00"]
    need = StaffingNeed.from_table(table(starts, [4, 6], [10, 20]), 30)
    assert need.required[0, 0, 16:20].tolist() == [4.0, 4.0, 6.0, 6.0]
    assert need.volume is not None and need.volume[0, 0, 16:20].tolist() == [5, 5, 10, 10]
    assert need.required_hours() == pytest.approx(10.0)


def test_the_hour_a_dst_change_repeats_needs_the_larger_requirement(tmp_path: Path) -> None:
    # 25 October 2026 in Paris: 02:00-03:00 happens twice (+02:00, then +01:00)
    rows = [
        ("2026-10-25T01:30:00+02:00", 3, 10),
        ("2026-10-25T02:00:00+02:00", 4, 10),
        ("2026-10-25T02:30:00+02:00", 4, 10),
        ("2026-10-25T02:00:00+01:00", 6, 20),
        ("2026-10-25T02:30:00+01:00", 2, 20),
        ("2026-10-25T03:00:00+01:00", 5, 10),
    ]
    path = tmp_path / "req.csv"
    path.write_text(
        "queue,interval_start,scheduled_agents,volume,aht_seconds\n"
        + "".join(f"Sales,{s},{h},{v},300\n" for s, h, v in rows),
        encoding="utf-8",
    )
    need = read_requirements_csv(path)
    assert (need.start, need.interval_minutes) == (dt.date(2026, 10, 25), 30)
    assert need.required[0, 0, 3:7].tolist() == [3.0, 6.0, 4.0, 5.0]  # by wall-clock start
    assert need.volume is not None and need.volume[0, 0, 4:6].tolist() == [30.0, 30.0]


def test_tz_aware_starts_are_placed_by_their_wall_clock(tmp_path: Path) -> None:
    path = tmp_path / "req.csv"
    path.write_text(
        "queue,interval_start,scheduled_agents\r\n"
        "Sales,2026-11-02T08:00:00-05:00,3\r\nSales,2026-11-02T08:30:00-05:00,4\r\n",
        encoding="utf-8",
    )
    need = read_requirements_csv(path)
    assert need.start == MONDAY and need.required[0, 0, 16:18].tolist() == [3.0, 4.0]


def test_bad_rows_name_the_row_counting_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "req.csv"
    path.write_text(
        "queue,interval_start,scheduled_agents\nSales,2026-11-02 08:00,3\n\n"
        "Sales,2026-11-02 08:30,x\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as info:
        read_requirements_csv(path)
    assert (info.value.row, info.value.column) == (4, "scheduled_agents")
    path.write_text(
        "queue,interval_start,scheduled_agents\n\n\nSales,08:30 Monday,3\n", encoding="utf-8"
    )
    with pytest.raises(InputError) as info:
        read_requirements_csv(path)
    assert (info.value.row, info.value.column) == (4, "interval_start")


def test_a_window_that_does_not_start_on_the_requirement() -> None:
    starts = ["2026-11-02 08:00", "2026-11-03 08:00"]
    need = StaffingNeed.from_table(table(starts, [4, 6]), 60, start=MONDAY + dt.timedelta(1))
    assert need.start == MONDAY + dt.timedelta(1) and need.days == 1
    assert need.required[0, 0, 8] == 6.0
    early = need.window(MONDAY - dt.timedelta(days=1), 3)
    assert early.required[0, :, 8].tolist() == [0.0, 0.0, 6.0]
    assert np.all(early.required[:, 0] == 0)
