"""The cleaning report counts every problem, with row numbers and what was done."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from tests.conftest import REPO
from tests.wfm.io.logs import HEADER, ROWS, write_log
from wfm.errors import WfmError
from wfm.io.cleaning import CleaningReport, Finding
from wfm.io.history import IntervalHistory
from wfm.io.importer import import_log
from wfm.io.profile import ImportProfile


def test_sample_centre_calls_file_report_matches_its_documented_defects():
    result = import_log(REPO / "sample_data" / "calls_2026-10.csv.gz")
    r = result.report
    assert (r.encoding, r.delimiter) == ("cp1252", ";")
    assert r.count("empty_rows") == 2
    assert r.finding("empty_rows").rows == (26_060, 29_212)
    assert r.count("duplicate_rows") == 12
    assert r.finding("duplicate_rows").rows[:2] == (12_633, 14_110)
    assert r.count("not_calls") == 4  # "Test call"
    assert r.finding("bad_timestamp").rows == (14_074, 21_664, 29_382, 32_823, 68_265)
    assert r.finding("negative_duration:wait_seconds").rows == (8_001, 27_834, 48_308)
    assert r.finding("absurd_duration:talk_seconds").rows == (17_962, 59_586)
    # The clean calls reproduce the committed history for October 2026 (+5 planted calls).
    hist = IntervalHistory.read_csv(REPO / "sample_data" / "history.csv").frame
    october = hist[hist["interval_start"].between("2026-10-01", "2026-10-31 23:30")]
    assert result.history.frame["offered"].sum() == october["offered"].sum() + 5
    assert result.history.frame["abandoned"].sum() == october["abandoned"].sum()


def _rows_with(*extra):
    return ROWS + [list(e) for e in extra]


def test_duplicates_by_row_and_by_call_id(tmp_path):
    again = list(ROWS[0])
    same_id = list(ROWS[1])
    same_id[3] = "46"  # a re-exported call: same id, a field changed
    path = write_log(tmp_path / "log.csv", _rows_with(again, same_id))
    r = import_log(path).report
    assert r.finding("duplicate_rows").rows == (8,)
    assert r.finding("duplicate_call_id").rows == (9,)
    assert r.summary["calls_offered"] == 6


def test_bad_and_empty_rows_are_counted_with_their_row_numbers(tmp_path):
    bad_time = ["2026-02-30 09:00:00", "Sales", "Answered", "1", "10", "1", "", "", "", "90"]
    no_time = ["", "Sales", "Answered", "1", "10", "1", "", "", "", "91"]
    neg = ["2026-03-02 09:40:00", "Sales", "Answered", "1", "-35", "1", "", "", "", "92"]
    huge = ["2026-03-02 09:41:00", "Sales", "Answered", "1", "99999", "1", "", "", "", "93"]
    text_dur = ["2026-03-02 09:42:00", "Sales", "Answered", "1", "long", "1", "", "", "", "94"]
    path = write_log(tmp_path / "log.csv", _rows_with(bad_time, no_time, neg, huge, text_dur))
    with path.open("a") as fh:
        fh.write("\n,,,,,,,,,\n2026-03-02 09:43:00,Sales,Answered,1,10,1,x,y,z,95,EXTRA\n")
    r = import_log(path).report
    assert r.finding("bad_timestamp").rows == (8,)
    assert "'2026-02-30 09:00:00'" in r.finding("bad_timestamp").title
    assert r.finding("missing_timestamp").rows == (9,)
    assert r.finding("negative_duration:talk_seconds").rows == (10,)
    assert r.finding("absurd_duration:talk_seconds").rows == (11,)
    assert r.finding("bad_duration:talk_seconds").rows == (12,)
    assert r.finding("empty_rows").rows == (13, 14)
    assert r.finding("bad_field_count").rows == (15,)
    # The three calls with bad durations still count as offered; their AHT is left out.
    assert r.summary["calls_offered"] == 9
    assert r.summary["aht_based_on_calls"] == 5
    text = r.to_text()
    assert (
        "Negative 'Talk Time': 1. call kept; this duration ignored (left out of AHT). Rows 10."
        in text
    )


def test_date_range_and_unknown_outcomes(tmp_path):
    early = ["2026-03-01 23:59:00", "Sales", "Answered", "1", "10", "1", "", "", "", "80"]
    odd = ["2026-03-02 10:00:00", "Sales", "Voicemail", "1", "10", "1", "", "", "", "81"]
    path = write_log(tmp_path / "log.csv", _rows_with(early, odd))
    import datetime as dt

    result = import_log(path, start=dt.date(2026, 3, 2), end=dt.date(2026, 3, 2))
    r = result.report
    assert r.finding("out_of_range").rows == (8,)
    assert r.finding("unknown_outcome").rows == (9,)
    assert "'Voicemail'" in r.finding("unknown_outcome").title
    assert result.history.start == pd.Timestamp("2026-03-02")
    mapped = ImportProfile(abandoned_values=("Voicemail",))
    assert import_log(path, mapped).report.count("unknown_outcome") == 0


def test_outages_and_unusual_days_are_flagged_not_removed(tmp_path):
    # Four Mondays of 10 calls per half hour 09:00-12:00; on the last one 10:00-11:00 is empty
    # and the day is small.
    rows = []
    for day in ("02", "09", "16", "23"):
        for hour in (9, 10, 11):
            for half in (0, 30):
                if day == "23" and hour == 10:
                    continue
                n = 10 if day != "23" else 3
                rows += [
                    [
                        f"2026-03-{day} {hour:02d}:{half + i:02d}:00",
                        "Sales",
                        "Answered",
                        "1",
                        "60",
                        "5",
                    ]
                    for i in range(n)
                ]
    r = import_log(write_log(tmp_path / "log.csv", rows, HEADER[:6])).report
    gaps = r.finding("possible_gaps")
    assert gaps.count == 2 and gaps.examples[0] == "Mon 2026-03-23 10:00 (Sales)"
    odd = r.finding("unusual_days")
    assert odd.count == 1 and odd.examples[0].startswith(
        "Mon 2026-03-23 (Sales): 12 calls, usually 60"
    )


def test_interval_report_missing_vs_closed_and_duplicates(tmp_path):
    lines = ["Interval,Queue,Offered,Handled,Abandoned,AHT"]
    for day in ("02", "03", "04"):  # Mon..Wed, open 09:00-10:00 in 15-minute rows
        for minute in (0, 15, 30, 45):
            if day == "03" and minute == 30:
                continue  # a gap inside opening hours
            lines.append(f"2026-03-{day} 09:{minute:02d},Sales,10,9,1,200")
    lines.append("2026-03-02 09:00,Sales,10,9,1,200")  # listed twice
    path = tmp_path / "report.csv"
    path.write_text("\n".join(lines) + "\n")
    result = import_log(path, interval_minutes=15)
    r = result.report
    assert r.finding("duplicate_intervals").rows == (13,)
    assert r.finding("missing_intervals").examples == ("Tue 2026-03-03 09:30 (Sales)",)
    assert r.count("closed_intervals") == 3 * 96 - 3 * 4  # everything but 09:00-10:00
    f = result.history.frame.set_index("interval_start")
    assert pd.Timestamp("2026-03-03 09:30") not in f.index  # unknown, not zero
    assert f.loc["2026-03-03 09:15", "offered"] == 10
    assert f.loc["2026-03-02 09:00", "aht_seconds"] == 200
    assert f.loc["2026-03-02 20:00", "offered"] == 0  # closed: zero
    # At 30 minutes the gap leaves 09:30 on Tuesday half covered: kept, and said so.
    half = import_log(path).report.finding("partial_intervals")
    assert half.examples == ("Tue 2026-03-03 09:30 (Sales)",)


def test_report_json_round_trips(tmp_path):
    r = import_log(write_log(tmp_path / "log.csv")).report
    data = json.loads(r.to_json())
    assert data["summary"]["calls_offered"] == 6
    assert data["file"] == "log.csv"
    assert isinstance(data["findings"], list)


def test_report_reads_back_from_its_dict_and_its_json():
    r = import_log(REPO / "sample_data" / "calls_2026-10.csv.gz").report
    assert any(f.rows for f in r.findings) and r.summary
    assert CleaningReport.from_dict(r.to_dict()) == r
    # As a project file keeps it: through JSON (tuples become lists).
    again = CleaningReport.from_dict(json.loads(r.to_json()))
    assert again == r and again.to_text() == r.to_text()


def test_interval_findings_keep_their_examples_through_a_dict(tmp_path):
    r = CleaningReport(
        "report.csv",
        "intervals",
        None,
        None,
        3,
        (Finding("partial_intervals", "Partly covered", 2, "kept", "info", (), ("Tue", "Wed")),),
    )
    assert CleaningReport.from_dict(json.loads(r.to_json())) == r


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "must be a JSON object"),
        ({"shape": "calls", "rows_read": 1}, "has no 'file'"),
        ({"file": "a", "shape": "calls", "rows_read": "many"}, "cannot be read"),
        ({"file": "a", "shape": "calls", "rows_read": 1, "findings": {}}, "must be a list"),
        (
            {"file": "a", "shape": "calls", "rows_read": 1, "findings": [{"code": "x"}]},
            "has no 'title'",
        ),
        (
            {
                "file": "a",
                "shape": "calls",
                "rows_read": 1,
                "findings": [
                    {"code": "x", "title": "X", "count": 1, "action": "kept", "severity": "?"}
                ],
            },
            "unknown severity",
        ),
    ],
)
def test_a_damaged_report_dict_is_said_plainly(data, message):
    with pytest.raises(WfmError, match=message):
        CleaningReport.from_dict(data)


@pytest.mark.parametrize("short", [0, 50])
def test_short_abandons_setting(tmp_path, short):
    r = import_log(
        write_log(tmp_path / "log.csv"), ImportProfile(short_abandon_seconds=short)
    ).report
    assert r.summary["calls_offered"] == (6 if short == 0 else 5)


def test_log_with_arrival_times_only_leaves_outcomes_unknown(tmp_path):
    path = tmp_path / "arrivals.csv"
    path.write_text("Arrival Time,Skill\n2026-03-02 09:01:00,A\n2026-03-02 09:02:00,A\n")
    result = import_log(path)
    assert result.report.summary["handled"] == "unknown"
    line = next(ln for ln in result.history.to_csv_text().splitlines() if "09:00:00" in ln)
    assert line == "A,2026-03-02T09:00:00,2,,,"


def test_quoted_line_breaks_keep_row_numbers_and_duplicates_right(tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text(
        'start time,queue,outcome,talk time,note\n2026-03-02 09:01:00,A,answered,100,"two\nlines"\n'
        "2026-03-02 09:03:00,A,answered,100,x\n2026-03-02 09:03:00,A,answered,100,x\n"
        '2026-03-02 10:04:00,A,answered,100,"a, b"\n2026-03-02 10:05:00,A,answered,100,"q",extra\n'
    )
    result = import_log(path)
    f = result.history.frame.set_index("interval_start")
    assert (f.loc["2026-03-02 09:00", "offered"], f.loc["2026-03-02 10:00", "offered"]) == (2, 1)
    assert result.report.finding("duplicate_rows").rows == (5,)  # the record starting on line 5
    assert result.report.finding("bad_field_count").rows == (7,)  # quotes do not excuse it


def test_old_mac_line_ends(tmp_path):
    path = tmp_path / "mac.csv"
    path.write_bytes(
        b"start time,queue,outcome\r2026-03-02 09:01:00,A,answered\r"
        b"2026-03-02 09:01:00,A,answered\r2026-03-02 09:05:00,A,answered\r"
    )
    r = import_log(path).report
    assert r.summary["calls_offered"] == 2
    assert r.finding("duplicate_rows").rows == (3,)


def test_workbook_duplicates_are_judged_on_whole_rows(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["Call Start", "Queue", "Caller Number"])
    for caller in ("07700 900001", "07700 900002", "07700 900002"):
        wb.active.append(["2026-03-02 09:00:00", "A", caller])
    path = tmp_path / "calls.xlsx"
    wb.save(path)
    r = import_log(path).report
    assert r.summary["calls_offered"] == 2  # different callers at the same second are two calls
    assert r.finding("duplicate_rows").rows == (4,)


def test_interval_report_counts_that_look_like_thousands(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("Interval;Offered\n2026-03-02 09:00;1.234\n2026-03-02 09:30;12\n")
    assert import_log(path).report.finding("fractional_count:offered").rows == (2,)


def test_report_interval_is_judged_on_all_readable_rows(tmp_path):
    # A bad count at 09:30 must not make a 30-minute report look like a 60-minute one.
    path = tmp_path / "r.csv"
    path.write_text(
        "Interval,Offered\n2026-03-02 09:00,5\n2026-03-02 09:30,-3\n2026-03-02 10:00,5\n"
    )
    r = import_log(path, interval_minutes=30)
    assert r.report.summary["report_interval_minutes"] == 30
