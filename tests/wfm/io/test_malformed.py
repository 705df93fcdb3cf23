"""A file that cannot be read gets one clear message naming the file, never a traceback."""

from __future__ import annotations

import gzip
import subprocess
import sys

import pytest

from tests.wfm.io.logs import HEADER, ROWS, write_log
from wfm.cli import main
from wfm.errors import WfmError
from wfm.io.importer import import_log, inspect_file
from wfm.io.profile import ImportProfile


def _message(path, profile=None, **kw):
    with pytest.raises(WfmError) as info:
        import_log(path, profile, **kw)
    return str(info.value)


def test_missing_file(tmp_path):
    assert _message(tmp_path / "nope.csv") == "nope.csv: file not found"


def test_empty_file_and_folder(tmp_path):
    (tmp_path / "empty.csv").write_text("\n\n")
    assert _message(tmp_path / "empty.csv") == "empty.csv: the file is empty"
    (tmp_path / "dir.csv").mkdir()
    assert "folder" in _message(tmp_path / "dir.csv")


def test_no_timestamp_column(tmp_path):
    path = tmp_path / "calls.csv"
    path.write_text("Queue,Result,Talk Time\nSales,Answered,100\n")
    msg = _message(path)
    assert msg.startswith("calls.csv: no call time column found")
    assert "'Queue', 'Result', 'Talk Time'" in msg
    assert "arrival" in msg


def test_wrong_delimiter_is_named(tmp_path):
    path = write_log(tmp_path / "log.csv", sep=";")
    msg = _message(path, ImportProfile(delimiter=","))
    assert msg.startswith("log.csv:")
    assert "comma" in msg and "semicolon-separated" in msg


def test_single_column_text(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello\nthis is not a table\nat all\n")
    assert "no delimiter found" in _message(path)


def test_wrong_encoding_override_names_the_row(tmp_path):
    path = write_log(tmp_path / "log.csv", encoding="cp1252",
                     rows=[r[:8] + ["Zoë"] + r[9:] for r in ROWS])
    msg = _message(path, ImportProfile(encoding="utf-8"))
    assert msg.startswith("log.csv, row 2: cannot be read as utf-8")


def test_binary_and_old_excel_and_broken_workbook(tmp_path):
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 40)
    assert "not a text table" in _message(pdf)
    xls = tmp_path / "old.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    assert ".xls" in _message(xls) and "xlsx" in _message(xls)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 this is not really a zip")
    assert "broken.xlsx" in _message(broken)


def test_damaged_gzip(tmp_path):
    path = tmp_path / "log.csv.gz"
    path.write_bytes(gzip.compress(b"a,b\n1,2\n" * 100)[:-6])
    assert "damaged gzip" in _message(path)


def test_no_readable_timestamp_at_all(tmp_path):
    rows = [["yesterday", "Sales", "Answered", "1", "2", "3"]] * 3
    msg = _message(write_log(tmp_path / "log.csv", rows, HEADER[:6]))
    assert msg.startswith("log.csv, column 'Call Start': no row has a readable call time")


def test_profile_column_not_in_file(tmp_path):
    path = write_log(tmp_path / "log.csv")
    msg = _message(path, ImportProfile(columns={"arrival": "Start"}))
    assert "log.csv" in msg and "'Start'" in msg


def test_unknown_time_zone(tmp_path):
    msg = _message(write_log(tmp_path / "log.csv"), ImportProfile(timezone="Mars/Olympus"))
    assert msg.startswith("log.csv:") and "Mars/Olympus" in msg


def test_coarser_report_cannot_be_split(tmp_path):
    path = tmp_path / "hourly.csv"
    path.write_text("Interval,Offered\n2026-03-02 09:00,10\n2026-03-02 10:00,12\n2026-03-02 11:00,9\n")
    msg = _message(path, interval_minutes=30)
    assert "60-minute intervals" in msg and "--interval-minutes 60" in msg


def test_bad_profile_files(tmp_path):
    bad = tmp_path / "p.toml"
    bad.write_text("name = 'x'\ncolour = 'blue'\n")
    with pytest.raises(WfmError, match=r"p.toml: unknown setting\(s\) colour"):
        ImportProfile.load(bad)
    bad.write_text("name = \n")
    with pytest.raises(WfmError, match="p.toml: not a valid profile"):
        ImportProfile.load(bad)
    bad.write_text("[columns]\nphone = 'x'\n")
    with pytest.raises(WfmError, match="unknown column role"):
        ImportProfile.load(bad)


def test_inspect_states_the_problem_and_still_previews(tmp_path):
    """The dialog needs the preview to let the planner pick the missing column."""
    path = tmp_path / "calls.csv"
    path.write_text("Zeit,Result\n2026-03-02 09:00:00,Answered\n")
    preview = inspect_file(path)
    assert preview.problems == (
        "no call time column found among the columns 'Zeit', 'Result'. Choose it in the column "
        'mapping (in a profile: [columns] arrival = "...")',
    )
    assert list(preview.preview.columns) == ["Zeit", "Result"]
    fixed = inspect_file(path, preview.profile.with_columns({**preview.profile.columns, "arrival": "Zeit"}))
    assert fixed.problems == ()
    assert import_log(path, fixed.profile).report.summary["calls_offered"] == 1


@pytest.mark.parametrize(
    "content",
    [b"", b"Queue,Result\nSales,Answered\n", b"%PDF-1.4\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"],
)
def test_cli_bad_input_exits_2_with_one_line(tmp_path, capsys, content):
    path = tmp_path / "in.csv"
    path.write_bytes(content)
    code = main(["import", str(path), "-o", str(tmp_path / "out.csv")])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("wfm: in.csv")
    assert "Traceback" not in err
    assert not (tmp_path / "out.csv").exists()


def test_cli_usage_errors_exit_2_without_traceback(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "wfm.cli", "import", "x.csv", "-o", str(tmp_path / "h.csv"),
         "--interval-minutes", "20"],
        capture_output=True, text=True,
    )
    assert proc.returncode == 2
    assert "invalid choice" in proc.stderr and "Traceback" not in proc.stderr


def test_cli_refuses_to_overwrite_its_input(tmp_path, capsys):
    path = write_log(tmp_path / "log.csv")
    before = path.read_bytes()
    assert main(["import", str(path), "-o", str(path)]) == 2
    assert path.read_bytes() == before
    assert "overwrite" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("skip_rows = '2'", "'skip_rows' must be a whole number"),
        ("datetime_format = '%Q'", "datetime_format '%Q' is not a valid date/time format"),
        ("duration_unit = 'h'", "duration_unit must be 's' or 'min'"),
        ("delimiter = ';;'", "the delimiter must be one character"),
    ],
)
def test_bad_profile_settings_are_named(tmp_path, setting, message):
    path = tmp_path / "p.toml"
    path.write_text(setting + "\n")
    with pytest.raises(WfmError, match=message):
        ImportProfile.load(path)


def test_odd_but_readable_files_import(tmp_path):
    # Offsets on some rows only, an impossible year, padded header names.
    mixed = tmp_path / "mixed.csv"
    mixed.write_text("Call Start,Queue\n2026-03-02T09:00:00,A\n2026-03-02T09:01:00Z,A\n"
                     "2026-03-02T09:02:00+01:00,A\n-5,A\n")
    r = import_log(mixed)
    assert r.report.summary["calls_offered"] == 3 and r.report.count("bad_timestamp") == 1
    padded = tmp_path / "padded.csv"
    padded.write_text("start time , queue ,outcome\n2026-03-02 09:00:00,A,answered\n")
    assert import_log(padded).report.summary["calls_offered"] == 1
    # UTC timestamps with only source_timezone set: the grid is in that zone.
    utc = tmp_path / "utc.csv"
    utc.write_text("Call Start,Queue\n2026-03-02T09:00:00Z,A\n")
    h = import_log(utc, ImportProfile(source_timezone="UTC")).history
    assert "2026-03-02T09:00:00+00:00,1" in h.to_csv_text()


def test_workbook_problems_are_messages(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append([None, None])
    empty = tmp_path / "empty.xlsx"
    wb.save(empty)
    assert "is empty" in _message(empty)
    wb = openpyxl.Workbook()
    wb.active.append(["Call Start", "Queue", "Queue"])
    wb.active.append(["2026-03-02 09:00:00", "A", "B"])
    twice = tmp_path / "twice.xlsx"
    wb.save(twice)
    assert import_log(twice).report.summary["queues"] == "A"


def test_large_utf16_file_previews_and_imports(tmp_path):
    rows = [f"2026-03-02 {9 + i // 3600:02d}:{i // 60 % 60:02d}:{i % 60:02d}\tSales\tAnswered\t120" for i in range(30000)]
    path = tmp_path / "big.txt"
    path.write_bytes(("Call Start\tQueue\tResult\tTalk Time\r\n" + "\r\n".join(rows) + "\r\n").encode("utf-16"))
    assert path.stat().st_size > 2_000_000
    assert inspect_file(path).encoding == "utf-16"
    assert import_log(path).report.summary["calls_offered"] == 30000


def test_total_handle_time_without_handled_count_does_not_inflate_aht(tmp_path):
    path = tmp_path / "tot.csv"
    path.write_text("Interval,Offered,Handled,Total handle time\n2026-03-02 09:00,10,10,1000\n"
                    "2026-03-02 09:15,10,,1000\n2026-03-02 09:30,10,10,1000\n")
    r = import_log(path)
    assert r.report.summary["aht_seconds"] == 100
    assert (r.history.frame["aht_seconds"].dropna() == 100).all()


def test_date_range_wider_than_the_log_invents_no_days(tmp_path):
    import datetime as dt

    path = write_log(tmp_path / "log.csv")
    h = import_log(path, start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31)).history
    assert h.local_start().dt.normalize().nunique() == 1
