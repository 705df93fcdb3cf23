"""The canonical interval history: format, DST days, aggregation to 15/30/60 minutes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.wfm.io.logs import HEADER, write_log
from wfm.errors import InputError
from wfm.io.history import HISTORY_COLUMNS, IntervalHistory
from wfm.io.importer import import_log
from wfm.io.profile import ImportProfile


def _report(path, minutes, days=2, queues=("Sales",), start="2026-03-02"):
    """An interval report every ``minutes`` with offered = 1 per row, AHT 100 (handled 1)."""
    t = pd.date_range(start, periods=days * 24 * 60 // minutes, freq=f"{minutes}min")
    rows = [f"{q},{x:%Y-%m-%d %H:%M},6,5,1,100" for q in queues for x in t]
    path.write_text("queue,interval start,offered,handled,abandoned,aht\n" + "\n".join(rows) + "\n")
    return path


@pytest.mark.parametrize(("source", "target"), [(5, 15), (5, 30), (5, 60), (15, 30), (30, 60), (6, 30), (6, 60)])
def test_aggregation_of_finer_reports_keeps_totals(tmp_path, source, target):
    result = import_log(_report(tmp_path / "r.csv", source), interval_minutes=target)
    f = result.history.frame
    per = target // source
    assert len(f) == 2 * 24 * 60 // target
    assert (f["offered"] == 6 * per).all()
    assert (f["aht_seconds"] == 100).all()
    assert result.report.summary["report_interval_minutes"] == source


def test_six_minute_rows_split_in_proportion_into_15_minutes(tmp_path):
    result = import_log(_report(tmp_path / "r.csv", 6), interval_minutes=15)
    f = result.history.frame
    assert f["offered"].sum() == pytest.approx(6 * 2 * 240)
    # 15 minutes = 2.5 six-minute rows: 15 offered each.
    assert np.allclose(f["offered"], 15.0)
    assert result.report.count("split_intervals") > 0
    text = result.history.to_csv_text()
    assert ",15," in text and ",15.0," not in text


def test_write_read_round_trip(tmp_path):
    result = import_log(write_log(tmp_path / "log.csv"))
    path = result.history.write_csv(tmp_path / "history.csv")
    lines = path.read_text().splitlines()
    assert lines[0] == ",".join(HISTORY_COLUMNS)
    assert "Sales,2026-03-02T09:00:00,3,2,1,165.0" in lines
    assert "Sales,2026-03-02T08:00:00,0,0,0," in lines  # empty AHT where nobody was handled
    back = IntervalHistory.read_csv(path)
    assert back.interval_minutes == 30
    pd.testing.assert_frame_equal(back.frame, result.history.frame, check_dtype=False)


def test_history_missing_columns_are_allowed_empty(tmp_path):
    path = tmp_path / "h.csv"
    path.write_text("queue,interval_start,offered,handled,abandoned,aht_seconds\n"
                    "A,2026-01-05T09:00:00,10,,,\nA,2026-01-05T09:30:00,12,,,\n")
    h = IntervalHistory.read_csv(path)
    assert h.frame["handled"].isna().all()
    assert h.daily_totals()["offered"].tolist() == [22]


@pytest.mark.parametrize(
    ("text", "row", "column"),
    [
        ("A,2026-01-05T09:00:00,-1,,,", 2, "offered"),
        ("A,2026-01-05T09:00:00,ten,,,", 2, "offered"),
        ("A,5 Jan 2026,1,,,", 2, "interval_start"),
        ("A,2026-01-05T09:00:00,1,x,,", 2, "handled"),
    ],
)
def test_history_read_errors_name_row_and_column(tmp_path, text, row, column):
    path = tmp_path / "h.csv"
    path.write_text("queue,interval_start,offered,handled,abandoned,aht_seconds\n" + text + "\n")
    with pytest.raises(InputError) as info:
        IntervalHistory.read_csv(path)
    assert (info.value.file, info.value.row, info.value.column) == ("h.csv", row, column)


def test_history_rejects_a_non_history_file(tmp_path):
    path = write_log(tmp_path / "log.csv")
    with pytest.raises(InputError, match="not an interval history: missing column"):
        IntervalHistory.read_csv(path)


def _utc_calls(tmp_path, day):
    """One call every 10 minutes of real time across a local day in London, logged in UTC."""
    local_midnight = pd.Timestamp(day).tz_localize("Europe/London")
    t = pd.date_range(local_midnight - pd.Timedelta(hours=2), local_midnight + pd.Timedelta(hours=28), freq="10min")
    utc = t.tz_convert("UTC").tz_localize(None)
    rows = [[f"{x:%Y-%m-%dT%H:%M:%S}Z", "Sales", "Answered", "5", "60", "0"] for x in utc]
    return write_log(tmp_path / f"calls-{day}.csv", rows, HEADER[:6])


@pytest.mark.parametrize(("day", "hours"), [("2026-03-29", 23), ("2026-10-25", 25), ("2026-06-10", 24)])
def test_dst_days_have_23_or_25_hours(tmp_path, day, hours):
    profile = ImportProfile(source_timezone="UTC", timezone="Europe/London")
    import datetime as dt

    d = dt.date.fromisoformat(day)
    result = import_log(_utc_calls(tmp_path, day), profile, start=d, end=d)
    f = result.history.frame
    assert len(f) == hours * 2
    assert (f["offered"] == 3).all()  # every real half hour has its 3 calls: none lost or doubled
    text = result.history.to_csv_text()
    if hours == 25:  # the repeated hour appears twice, told apart by its offset
        assert "2026-10-25T01:00:00+01:00" in text and "2026-10-25T01:00:00+00:00" in text
    back = IntervalHistory.read_csv(result.history.write_csv(tmp_path / "h.csv"))
    assert len(back) == hours * 2
    assert back.daily_totals()["offered"].tolist() == [hours * 6]


def test_local_clock_dst_ambiguity_is_reported(tmp_path):
    rows = [["2026-10-25 01:10:00", "Sales", "Answered", "5", "60", "0"],
            ["2026-03-29 01:30:00", "Sales", "Answered", "5", "60", "0"]]
    r = import_log(write_log(tmp_path / "log.csv", rows, HEADER[:6]), ImportProfile(timezone="Europe/London")).report
    assert r.count("dst_ambiguous") == 1
    assert r.count("dst_nonexistent") == 1


def test_intraday_profile_by_weekday(tmp_path):
    result = import_log(write_log(tmp_path / "log.csv"))
    prof = result.history.intraday_profile()
    sales = prof[(prof["queue"] == "Sales") & (prof["weekday"] == 0)].set_index("minute_of_day")
    assert sales.loc[9 * 60, "offered"] == 3
    assert sales.loc[9 * 60 + 30, "offered"] == 1
    assert len(sales) == 48


def test_summary_and_history_file_check(tmp_path):
    result = import_log(write_log(tmp_path / "log.csv"))
    s = result.history.summary()
    assert (s["calls_offered"], s["handled"], s["abandoned"]) == (6, 5, 1)
    assert s["aht_seconds"] == result.report.summary["aht_seconds"]
    assert s["queues"] == "Sales, Support" and s["days"] == 1
    path = result.history.write_csv(tmp_path / "h.csv")
    from wfm.io.history import looks_like_history

    assert looks_like_history(path)
    assert not looks_like_history(tmp_path / "log.csv")
    assert not looks_like_history(tmp_path / "missing.csv")


def test_interval_report_lists_the_repeated_autumn_hour_twice(tmp_path):
    # 30-minute rows through the night of 2026-10-25 in Berlin: 02:00 and 02:30 come twice.
    rows = ["00:00", "00:30", "01:00", "01:30", "02:00", "02:30", "02:00", "02:30", "03:00", "03:30"]
    path = tmp_path / "autumn.csv"
    path.write_text("Interval,Offered\n" + "".join(f"2026-10-25 {t},50\n" for t in rows))
    r = import_log(path, ImportProfile(timezone="Europe/Berlin"), start=None)
    f = r.history.frame
    busy = f[f["offered"] > 0]
    assert busy["offered"].sum() == 500  # nothing dropped as a "duplicate"
    assert r.report.count("duplicate_intervals") == 0
    assert r.report.count("dst_ambiguous") == 4
    text = r.history.to_csv_text()
    assert "2026-10-25T02:00:00+02:00,50" in text and "2026-10-25T02:00:00+01:00,50" in text


def test_interval_report_rows_in_the_skipped_spring_hour_are_dropped_and_reported(tmp_path):
    rows = ["01:00,20", "01:30,20", "02:00,99", "02:30,99", "03:00,30", "03:30,30"]
    path = tmp_path / "spring.csv"
    path.write_text("Interval,Offered\n" + "".join(f"2026-03-29 {r}\n" for r in rows))
    r = import_log(path, ImportProfile(timezone="Europe/Berlin"))
    f = r.history.frame.set_index("interval_start")
    assert f.loc["2026-03-29 03:00", "offered"] == 30  # the real 03:00, not the 02:00 row
    assert r.report.finding("dst_nonexistent").rows == (4, 5)


def test_call_in_the_skipped_hour_moves_one_hour_on(tmp_path):
    rows = [["2026-03-29 02:45:00", "Sales", "Answered", "5", "60", "0"]]
    result = import_log(write_log(tmp_path / "log.csv", rows, HEADER[:6]), ImportProfile(timezone="Europe/Berlin"))
    f = result.history.frame
    assert f.loc[f["offered"] > 0, "interval_start"].tolist() == [pd.Timestamp("2026-03-29 03:30")]


def test_a_history_with_only_the_offered_column_reads_with_the_rest_unknown(tmp_path):
    path = tmp_path / "offered_only.csv"
    path.write_text(
        "queue,interval_start,offered\n"
        "A,2026-03-02T09:00:00,12\n"
        "A,2026-03-02T09:30:00,7\n"
    )
    history = IntervalHistory.read_csv(path)
    assert history.frame["offered"].tolist() == [12.0, 7.0]
    for column in ("handled", "abandoned", "aht_seconds"):
        assert history.frame[column].isna().all()


def test_a_folder_instead_of_a_history_is_a_clear_input_error(tmp_path):
    with pytest.raises(InputError, match="folder"):
        IntervalHistory.read_csv(tmp_path)
