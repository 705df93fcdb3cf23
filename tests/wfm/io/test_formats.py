"""Any common encoding, delimiter or workbook gives the same history."""

from __future__ import annotations

import gzip

import openpyxl
import pytest

from tests.wfm.io.logs import HEADER, ROWS, write_log
from wfm.io.importer import import_log, inspect_file
from wfm.io.profile import ImportProfile


def _key(result):
    f = result.history.frame
    busy = f[f["offered"] > 0]
    return busy[["queue", "interval_start", "offered", "handled", "abandoned", "aht_seconds"]].to_dict("records")


@pytest.fixture
def expected(tmp_path):
    return _key(import_log(write_log(tmp_path / "plain.csv")))


def test_known_answer(tmp_path):
    r = import_log(write_log(tmp_path / "log.csv"))
    f = r.history.frame.set_index(["queue", "interval_start"])
    sales9 = f.loc[("Sales", "2026-03-02 09:00")]
    assert (sales9["offered"], sales9["handled"], sales9["abandoned"]) == (3, 2, 1)
    assert sales9["aht_seconds"] == pytest.approx(165.0)
    assert f.loc[("Sales", "2026-03-02 09:30"), "aht_seconds"] == pytest.approx(300.0)
    assert f.loc[("Support", "2026-03-02 09:00"), "aht_seconds"] == pytest.approx(90.0)
    assert len(r.history) == 2 * 48  # the whole day, zeros where nobody called
    assert r.report.summary["calls_offered"] == 6


@pytest.mark.parametrize(
    ("encoding", "sep", "detected"),
    [
        ("utf-8", ",", "utf-8"),
        ("utf-8-sig", ";", "utf-8-sig"),
        ("utf-16", "\t", "utf-16"),  # Excel "Unicode text"
        ("cp1252", ";", "cp1252"),
        ("gb18030", "|", "gb18030"),
    ],
)
def test_encodings_and_delimiters_are_detected(tmp_path, expected, encoding, sep, detected):
    rows = ROWS
    if encoding == "cp1252":  # cp1252 cannot hold Chinese; keep the accents
        rows = [r[:8] + ["Agent X" if r[8] == "李伟" else r[8]] + r[9:] for r in ROWS]
    if encoding == "gb18030":  # a Chinese ACD: Chinese headers and outcome values
        header = ["来电时间", "技能组", "呼叫结果", "等待时长(秒)", "通话时长", "话后处理时长",
                  "主叫号码", "客户编号", "坐席姓名", "呼叫编号"]
        outcome = {"Answered": "接通", "Abandoned": "放弃"}
        rows = [r[:2] + [outcome[r[2]]] + r[3:] for r in ROWS]
        path = write_log(tmp_path / "log.csv", rows, header, sep=sep, encoding=encoding)
    else:
        path = write_log(tmp_path / "log.csv", rows, sep=sep, encoding=encoding, newline="\r\n")
    preview = inspect_file(path)
    assert preview.encoding == detected
    assert preview.delimiter == sep
    assert preview.shape == "calls"
    assert _key(import_log(path)) == expected


def test_utf16_without_bom_and_encoding_override(tmp_path, expected):
    path = write_log(tmp_path / "log.txt", sep="\t", encoding="utf-16-le")
    assert inspect_file(path).encoding == "utf-16-le"
    forced = ImportProfile(encoding="utf-16-le")
    assert _key(import_log(path, forced)) == expected


def test_gzip_and_title_lines_above_header(tmp_path, expected):
    text = "Call detail report\nExported 2026-03-03 by ACD\n" + (tmp_path / "x").name
    plain = write_log(tmp_path / "log.csv").read_text(encoding="utf-8")
    data = ("Call detail report\nExported 2026-03-03\n" + plain).encode()
    path = tmp_path / "log.csv.gz"
    path.write_bytes(gzip.compress(data))
    preview = inspect_file(path)
    assert "title line" in " ".join(preview.notes)
    assert _key(import_log(path)) == expected
    assert text  # (the title text itself is irrelevant)


def test_xlsx_with_real_datetime_cells(tmp_path, expected):
    import datetime as dt

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Calls"
    ws.append(HEADER)
    for r in ROWS:
        ws.append([dt.datetime.fromisoformat(r[0]), r[1], r[2], int(r[3]), int(r[4]) if r[4] else None,
                   int(r[5]) if r[5] else None, r[6], r[7], r[8], int(r[9])])
    path = tmp_path / "log.xlsx"
    wb.save(path)
    preview = inspect_file(path)
    assert preview.sheet == "Calls"
    assert preview.encoding is None
    assert _key(import_log(path)) == expected


def test_day_first_dates_and_clock_durations(tmp_path):
    rows = [
        ["13/03/2026 09:01:10", "Sales", "Answered", "12", "3:20", "0:20"],
        ["13/03/2026 09:10:00", "Sales", "Answered", "45", "1:00:00", "0"],
        ["01/04/2026 09:00:00", "Sales", "Answered", "1", "60", "0"],
    ]
    path = write_log(tmp_path / "log.csv", rows, HEADER[:6], sep=";")
    r = import_log(path)
    f = r.history.frame.set_index(["queue", "interval_start"])
    assert f.loc[("Sales", "2026-03-13 09:00"), "aht_seconds"] == pytest.approx((220 + 3600) / 2)
    assert f.loc[("Sales", "2026-04-01 09:00"), "offered"] == 1


def test_ambiguous_dates_are_read_in_file_order_with_a_note(tmp_path):
    # Every day <= 12: day-first reads 1 Feb, 2 Feb... month-first reads 2 Jan, 2 Feb... out of order.
    rows = [[f"{d:02d}/02/2026 09:00:00", "Sales", "Answered", "1", "60", "0"] for d in range(1, 12)]
    path = write_log(tmp_path / "log.csv", rows, HEADER[:6])
    r = import_log(path)
    assert r.history.start.month == 2 and r.history.end.day == 11
    assert "day first" in r.report.summary["notes"]


def test_excel_serial_dates_and_times(tmp_path):
    # 46083.375 is 2026-03-02 09:00; a workbook cell that lost its date format shows it so.
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Call Start", "Queue", "Result", "Talk Time"])
    ws.append([46083.375, "Sales", "Answered", 100])
    ws.append([46083.3958333, "Sales", "Answered", 200])
    path = tmp_path / "serial.xlsx"
    wb.save(path)
    r = import_log(path)
    f = r.history.frame.set_index("interval_start")
    assert f.loc["2026-03-02 09:00", "offered"] == 1
    assert f.loc["2026-03-02 09:30", "offered"] == 1
    assert "Excel serial" in r.report.summary["notes"]
    # Separate date and time columns as serials too.
    sep = tmp_path / "sep.csv"
    sep.write_text("Date,Time,Queue,Result\n46083,0.375,Sales,Answered\n")
    f2 = import_log(sep).history.frame
    assert f2.set_index("interval_start").loc["2026-03-02 09:00", "offered"] == 1


def test_plain_numbers_are_not_taken_for_dates(tmp_path):
    path = tmp_path / "n.csv"
    path.write_text("Call Start,Queue\n12,Sales\n13,Sales\n")
    with pytest.raises(Exception, match="no row has a readable call time"):
        import_log(path)


def test_preview_says_how_times_are_read(tmp_path):
    rows = [["13/03/2026 09:01:10", "Sales", "Answered", "12", "200", "5"]]
    preview = inspect_file(write_log(tmp_path / "log.csv", rows, HEADER[:6]))
    assert "'Call Start' is read as: '13/03/2026 09:01:10' = Fri 13 Mar 2026 09:01:10" in " ".join(preview.notes)
    bad = [["soon", "Sales", "Answered", "12", "200", "5"]]
    preview = inspect_file(write_log(tmp_path / "bad.csv", bad, HEADER[:6]))
    assert "'Call Start': no date and time format fits the first rows" in " ".join(preview.notes)


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Zeitpunkt;Gesprächsdauer\n02.03.2026 09:00;120\n", "cp1252"),  # "äh" is a GB18030 pair too
        ("Heure;Durée;Résultat\n02/03/2026 09:00;120;répondu\n", "cp1252"),
        ("来电时间,通话时长,呼叫结果\n2026-03-02 09:00:00,120,接通\n", "gb18030"),
        ("日期,时段,来电量\n2026-03-02,09:00,15\n", "gb18030"),
    ],
)
def test_legacy_code_pages_are_told_apart(tmp_path, text, encoding):
    from wfm.io.reader import detect_encoding

    assert detect_encoding(text.encode(encoding))[0] == encoding
