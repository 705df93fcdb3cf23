"""merge_history: an imported file's days replace the same days of the plan's history."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from wfm.errors import WfmError
from wfm.io.history import HISTORY_COLUMNS, IntervalHistory
from wfm.io.merge import merge_history


def _history(rows: list[tuple], minutes: int = 60, offsets: bool = False) -> IntervalHistory:
    """``rows``: (queue, start, offered[, utc_offset]); handled = offered, AHT 200 s."""
    frame = pd.DataFrame(
        {
            "queue": [r[0] for r in rows],
            "interval_start": pd.to_datetime([r[1] for r in rows]),
            "offered": [float(r[2]) for r in rows],
        }
    )
    frame["handled"] = frame["offered"]
    frame["abandoned"] = 0.0
    frame["aht_seconds"] = 200.0
    if offsets:
        frame["utc_offset"] = np.array([r[3] for r in rows], dtype="int64")
    return IntervalHistory(frame, minutes)


def _rows(h: IntervalHistory) -> list[tuple]:
    f = h.frame
    starts = f["interval_start"].dt.strftime("%m-%d %H:%M")
    return list(zip(f["queue"], starts, f["offered"], strict=True))


BASE = _history(
    [
        ("Sales", "2026-10-01 08:00", 1),
        ("Sales", "2026-10-01 09:00", 2),
        ("Sales", "2026-10-02 08:00", 3),
        ("Sales", "2026-10-02 09:00", 4),
        ("Support", "2026-10-01 08:00", 5),
        ("Support", "2026-10-02 08:00", 6),
    ]
)


def test_the_files_days_replace_the_same_days_and_the_rest_is_kept():
    new = _history(
        [
            ("Sales", "2026-10-02 10:00", 30),  # a partial day replaces the whole day
            ("Sales", "2026-10-03 08:00", 40),  # a day the history lacked: added
            ("Chat", "2026-10-02 08:00", 50),  # a new queue: added
        ]
    )
    merged, summary = merge_history(BASE, new)
    assert _rows(merged) == [
        ("Chat", "10-02 08:00", 50.0),
        ("Sales", "10-01 08:00", 1.0),
        ("Sales", "10-01 09:00", 2.0),
        ("Sales", "10-02 10:00", 30.0),
        ("Sales", "10-03 08:00", 40.0),
        ("Support", "10-01 08:00", 5.0),  # Support is not in the file: all kept
        ("Support", "10-02 08:00", 6.0),
    ]
    assert list(merged.frame.columns) == list(HISTORY_COLUMNS)
    assert merged.interval_minutes == 60 and merged.frame["handled"].tolist()[3] == 30.0
    assert (summary.days_replaced, summary.days_added) == (1, 1)
    assert summary.queues == ("Chat", "Sales") and summary.queues_added == ("Chat",)
    assert (summary.rows_before, summary.rows_after) == (6, 7)
    assert (summary.first_day, summary.last_day) == (dt.date(2026, 10, 2), dt.date(2026, 10, 3))
    assert summary.text == (
        "2 Oct 2026 - 3 Oct 2026 (2 days: 1 replaced, 1 added) for Chat and Sales "
        "(new queue: Chat); 7 intervals in the history"
    )
    # The inputs are untouched.
    assert len(BASE) == 6 and len(new) == 3


def test_a_whole_month_is_named_and_the_row_count_stays_when_every_day_is_replaced():
    days = pd.date_range("2026-10-01", "2026-10-31 23:00", freq="60min")
    base = _history([(q, t, 1) for q in ("Sales", "Support") for t in days])
    new = _history([(q, t, 2) for q in ("Sales", "Support") for t in days])
    merged, summary = merge_history(base, new)
    assert len(merged) == len(base) and merged.frame["offered"].eq(2.0).all()
    assert summary.text == (
        "October 2026 (31 days) replaced for Sales and Support; 1,488 intervals in the history"
    )


def test_a_different_interval_length_is_refused_in_plain_words():
    new = _history([("Sales", "2026-10-02 08:00", 1)], minutes=30)
    with pytest.raises(WfmError) as err:
        merge_history(BASE, new)
    assert str(err.value) == (
        "the file has 30-minute intervals and the plan's history 60-minute ones: import it "
        "into a new plan, or re-import with --interval-minutes 60"
    )


def test_utc_offsets_keep_the_repeated_autumn_hour_and_a_mix_is_refused():
    base = _history(
        [
            ("Sales", "2026-10-24 01:00", 1, 120),
            ("Sales", "2026-10-25 01:00", 2, 120),
            ("Sales", "2026-10-25 01:00", 3, 60),
            ("Sales", "2026-10-26 01:00", 4, 60),
        ],
        offsets=True,
    )
    new = _history(
        [("Sales", "2026-10-25 01:00", 20, 120), ("Sales", "2026-10-25 01:00", 30, 60)],
        offsets=True,
    )
    merged, summary = merge_history(base, new)
    assert _rows(merged) == [
        ("Sales", "10-24 01:00", 1.0),
        ("Sales", "10-25 01:00", 20.0),
        ("Sales", "10-25 01:00", 30.0),
        ("Sales", "10-26 01:00", 4.0),
    ]
    assert merged.frame["utc_offset"].tolist() == [120, 120, 60, 60]
    assert summary.days_replaced == 1 and summary.text.startswith("25 Oct 2026 (1 day) replaced")
    with pytest.raises(WfmError, match="UTC offset"):
        merge_history(BASE, new)


def test_an_empty_history_takes_the_file_and_an_empty_file_changes_nothing():
    empty = IntervalHistory(BASE.frame.iloc[0:0].copy(), 60)
    merged, summary = merge_history(empty, BASE)
    pd.testing.assert_frame_equal(merged.frame, BASE.frame)
    assert (summary.days_replaced, summary.days_added) == (0, 2)
    assert summary.queues_added == ("Sales", "Support")
    same, nothing = merge_history(BASE, empty)
    assert same is BASE and nothing.rows_after == 6 and nothing.text.startswith("Nothing")
