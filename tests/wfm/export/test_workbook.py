"""The exported workbook as a team lead opens it: content, types, styles, print settings,
and the safety of the save."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet import _writer as openpyxl_writer

from tests.wfm.export.conftest import GENERATED, SALES, SUPPORT, small_need, small_roster
from tests.wfm.roster import day
from wfm.errors import WfmError
from wfm.export import layout
from wfm.export.styles import BREAK_FILL, LUNCH_FILL
from wfm.export.workbook import ExportOptions, export_roster
from wfm.progress import Cancelled
from wfm.roster.cells import LEAVE_COLOUR, NO_TEMPLATE_COLOUR, template_colour
from wfm.roster.hours import weekly_hours
from wfm.roster.roster import Roster
from wfm.scheduling.model import Agent

DAYS = 14


def rgb(cell: object) -> str | None:
    """The solid fill of a loaded cell as ``#rrggbb`` (None without a fill)."""
    fill = cell.fill  # type: ignore[attr-defined]
    if fill is None or fill.fill_type != "solid":
        return None
    return "#" + str(fill.fgColor.rgb)[-6:].lower()


def rows_by_name(ws: object) -> dict[str, int]:
    """Row number of each label in column A (its first row)."""
    out: dict[str, int] = {}
    for (cell,) in ws.iter_rows(min_col=1, max_col=1):  # type: ignore[attr-defined]
        if cell.value is not None:
            out.setdefault(str(cell.value), cell.row)
    return out


def key_values(ws: object) -> dict[str, object]:
    return {
        str(a): b
        for a, b in ws.iter_rows(min_col=1, max_col=2, values_only=True)  # type: ignore[attr-defined]
        if a is not None
    }


def test_sheets_come_in_order_and_the_meta_sheet_is_hidden(exported) -> None:
    roster, need, path = exported
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Summary", "Sales", "Support", "Coverage", layout.META_SHEET]
    assert wb[layout.META_SHEET].sheet_state == "hidden"
    assert all(wb[n].sheet_state == "visible" for n in wb.sheetnames[:-1])
    meta = layout.parse_meta(wb[layout.META_SHEET].iter_rows(values_only=True))
    assert meta is not None
    assert meta.values["period_start"] == "2026-11-02" and meta.values["period_days"] == "14"
    assert meta.exported[("Cy Diaz", day(2))] == "Leave"
    assert meta.sheet_of[("Ed Fox", day(1))] == "Support"
    assert len(meta.exported) == 8 * DAYS


def test_summary_reports_what_was_exported(tmp_path: Path, fixed_options) -> None:
    roster = small_roster()
    out = export_roster(roster, tmp_path / "r.xlsx", need=small_need(), options=fixed_options)
    assert out.sheets == ("Summary", "Sales", "Support", "Coverage")
    assert (out.agents, out.shifts) == (8, len(roster.shifts))
    ws = openpyxl.load_workbook(out.path)["Summary"]
    assert ws["A1"].value == "Northwind Energy: roster Mon 02 Nov 2026 – Sun 15 Nov 2026"
    values = key_values(ws)
    assert values["Period"] == "Mon 02 Nov 2026 – Sun 15 Nov 2026"
    assert values["Days"] == DAYS and values["Agents"] == 8
    assert values["Generated"] == GENERATED  # a real date-time cell
    assert values["Source plan"] == "plan.wfm"
    assert values["Paid hours"] == pytest.approx(roster.paid_hours())
    assert values["FTE (40 h a week)"] == pytest.approx(roster.paid_hours() / (40.0 * DAYS / 7))
    rows = rows_by_name(ws)
    sales = [c.value for c in ws[rows["Sales"]]][:6]  # the team table comes first
    sales_paid = sum(s.paid_minutes for (a, _), s in roster.shifts.items() if a in SALES) / 60
    assert sales[1:4] == [4, sum(1 for (a, _) in roster.shifts if a in SALES), sales_paid]
    assert sales[4] == pytest.approx(sales_paid / 80.0)
    assert sales[5] == pytest.approx(sales_paid * 20.0)  # the cost at 20 an hour
    all_queues = [c.value for c in ws[rows["All queues"]]]
    assert 0 < all_queues[4] <= 1 and ws.cell(rows["All queues"], 5).number_format == "0.0%"
    # per day: real dates, hours as numbers
    first_day = rows[next(k for k in rows if k.startswith("2026-11-02"))]
    assert ws.cell(first_day, 1).value == dt.datetime(2026, 11, 2)
    assert isinstance(ws.cell(first_day, 2).value, float)


def test_without_a_requirement_coverage_is_left_out_and_the_summary_says_why(
    tmp_path: Path,
) -> None:
    out = export_roster(small_roster(), tmp_path / "r.xlsx")
    wb = openpyxl.load_workbook(out.path)
    assert wb.sheetnames == ["Summary", "Sales", "Support", layout.META_SHEET]
    assert "No requirement was given" in str(key_values(wb["Summary"])["Service-level target"])


def test_team_sheet_cells_say_the_shifts_leave_and_days_off(exported) -> None:
    roster, _, path = exported
    ws = openpyxl.load_workbook(path)["Sales"]
    h = layout.HEADER_ROW
    assert ws.cell(h, 1).value == layout.NAME_HEADER and ws.cell(h, 2).value == "Skills"
    dates = [ws.cell(h, layout.FIRST_DATE_COLUMN + i).value for i in range(DAYS)]
    assert dates == [dt.datetime.combine(day(i), dt.time()) for i in range(DAYS)]
    assert ws.cell(h, layout.FIRST_DATE_COLUMN).number_format == "ddd dd mmm"
    names = [ws.cell(layout.FIRST_AGENT_ROW + i, 1).value for i in range(4)]
    assert names == sorted(SALES)
    for i, name in enumerate(names):
        agent = roster.agent(name)
        for j in range(DAYS):
            cell = ws.cell(layout.FIRST_AGENT_ROW + i, layout.FIRST_DATE_COLUMN + j)
            assert cell.value == layout.cell_text(roster, agent, day(j))
            assert cell.data_type == "s"
    row = {n: layout.FIRST_AGENT_ROW + i for i, n in enumerate(names)}
    col = layout.FIRST_DATE_COLUMN
    assert ws.cell(row["Ana Silva"], col).value == "08:00-16:30"
    assert ws.cell(row["Cy Diaz"], col + 2).value == "Leave"
    assert ws.cell(row["Di Evans"], col + 4).value == "Off"  # Fridays off
    assert ws.cell(row["Ana Silva"], col + 5).value == "Off"  # Saturday


def test_fills_are_the_template_colours_and_leave_is_marked(exported) -> None:
    _, _, path = exported
    wb = openpyxl.load_workbook(path)
    sales, support = wb["Sales"], wb["Support"]
    r, c = layout.FIRST_AGENT_ROW, layout.FIRST_DATE_COLUMN
    assert rgb(sales.cell(r, c)) == template_colour(0)  # Early
    assert rgb(support.cell(r, c)) == template_colour(1)  # Ed Fox: Late
    assert rgb(support.cell(r, c + 1)) == NO_TEMPLATE_COLOUR  # Ed's shift without a template
    assert rgb(sales.cell(r + 2, c + 2)) == LEAVE_COLOUR  # Cy on leave
    assert support.cell(r + 3, c + 3).value == "Sick"  # Hana
    assert rgb(support.cell(r + 3, c + 3)) == LEAVE_COLOUR
    off = sales.cell(r + 3, c + 4)  # Di Evans, Friday
    assert rgb(off) is None and str(off.font.color.rgb).endswith("808080")  # grey, no fill
    assert rgb(sales.cell(r, c + 5)) == "#f2f2f2"  # a weekend day off: lightly shaded
    assert rgb(sales.cell(layout.HEADER_ROW, c + 5)) != rgb(sales.cell(layout.HEADER_ROW, c))
    legend = [sales.cell(layout.LEGEND_ROW, k).value for k in range(1, 20)]
    assert "Early 07:30-09:00 start, 8.5 h" in legend
    assert any(str(v).startswith("Leave") for v in legend if v)


def test_weekly_hours_and_day_totals_are_numbers(exported) -> None:
    roster, _, path = exported
    ws = openpyxl.load_workbook(path)["Support"]
    h, first_week = layout.HEADER_ROW, layout.FIRST_DATE_COLUMN + DAYS
    assert [ws.cell(h, first_week + k).value for k in range(3)] == [
        "Week from 02 Nov",
        "Week from 09 Nov",
        "Total hours",
    ]
    expected = weekly_hours(roster, sorted(SUPPORT))
    for i, name in enumerate(sorted(SUPPORT)):
        r = layout.FIRST_AGENT_ROW + i
        got = [ws.cell(r, first_week + k).value for k in range(3)]
        assert all(ws.cell(r, first_week + k).data_type == "n" for k in range(3))
        assert got[:2] == pytest.approx(list(expected.loc[name]))
        assert got[2] == pytest.approx(expected.loc[name].sum())
        assert ws.cell(r, first_week).number_format == "0.0"
    rows = rows_by_name(ws)
    working = [
        ws.cell(rows["Agents working"], layout.FIRST_DATE_COLUMN + j).value for j in range(7)
    ]
    assert working == [4, 4, 4, 3, 4, 0, 0]  # Hana sick on Thursday
    paid = ws.cell(rows["Paid hours"], layout.FIRST_DATE_COLUMN + 1).value
    assert paid == pytest.approx(3 * 7.5 + 5.0)  # three lates (30 min unpaid lunch) and Ed's 5 h
    assert rows["Agents working"] == layout.FIRST_AGENT_ROW + 4 + 1  # after a blank row


def test_frozen_panes_filter_and_print_settings(exported) -> None:
    _, _, path = exported
    ws = openpyxl.load_workbook(path)["Sales"]
    assert ws.freeze_panes == "C6"
    last_col = openpyxl.utils.get_column_letter(layout.FIRST_DATE_COLUMN + DAYS + 2)
    assert ws.auto_filter.ref == f"A5:{last_col}9"
    setup = ws.page_setup
    assert setup.orientation == "landscape" and int(setup.paperSize) == 9
    assert int(setup.fitToWidth) == 1 and int(setup.fitToHeight) == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.print_title_rows == "$1:$5"
    assert ws.print_title_cols == "$A:$B"
    assert "Sales" in ws.oddHeader.center.text and "02 Nov 2026" in ws.oddHeader.center.text
    assert ws.oddFooter.center.text == "Page &P of &N"
    assert ws.column_dimensions["C"].width >= 11


def test_coverage_sheet_is_typed_flags_shortfalls_and_has_a_line_chart(exported) -> None:
    _, need, path = exported
    ws = openpyxl.load_workbook(path)["Coverage"]
    header = [c.value for c in ws[1]]
    assert header[:9] == [
        "Date", "Day", "Start", "Required", "Scheduled", "Difference", "Under", "Over",
        "Projected SL",
    ]  # fmt: skip
    first = [c.value for c in ws[2]]
    assert first[0] == dt.datetime(2026, 11, 2) and first[1] == "Mon"
    assert isinstance(first[2], dt.time) and ws["C2"].number_format == "hh:mm"
    assert all(isinstance(v, float | int) for v in first[3:8])
    assert ws["I2"].number_format == "0.0%"
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    eight = next(r for r in rows if r[0] == dt.datetime(2026, 11, 2) and r[2] == dt.time(8, 0))
    assert eight[3:7] == (3, 2, -1, 1)  # only Ana and Cy start at 08:00
    rules = {str(cf.sqref): [r.operator for r in cf.rules] for cf in ws.conditional_formatting}
    assert rules[f"G2:G{len(rows) + 1}"] == ["greaterThan"]
    # an interval without calls has a blank SL, which must not be flagged as below target
    (sl_rule,) = next(cf.rules for cf in ws.conditional_formatting if str(cf.sqref).startswith("I"))
    assert sl_rule.formula == ["AND(ISNUMBER(I2),I2<0.8)"]
    assert ws.freeze_panes == "A2"
    with zipfile.ZipFile(path) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 1
        xml = z.read(charts[0]).decode()
    assert "<c:lineChart>" in xml or "lineChart" in xml
    assert "Coverage!$D$2" in xml.replace("'", "") and "Coverage!$E$2" in xml.replace("'", "")


def test_day_sheets_show_quarter_hours_breaks_and_heads(tmp_path: Path) -> None:
    roster = small_roster()
    out = export_roster(
        roster, tmp_path / "r.xlsx", need=small_need(), options=ExportOptions(day_sheets=True)
    )
    assert out.sheets[4:6] == ("Mon 02 Nov", "Tue 03 Nov") and len(out.sheets) == 4 + DAYS
    ws = openpyxl.load_workbook(out.path)["Mon 02 Nov"]
    header = [c.value for c in ws[2]]
    assert header[:3] == ["Agent", "Team", "Shift"]
    assert header[3] == dt.time(8, 0) and ws["D2"].number_format == "hh:mm"
    col = {t: i + 1 for i, t in enumerate(header) if isinstance(t, dt.time)}
    rows = rows_by_name(ws)
    ana = rows["Ana Silva"]
    assert ana == 3  # sorted by start: Ana and Cy start at 08:00
    assert [ws.cell(r, 1).value for r in (3, 4)] == ["Ana Silva", "Cy Diaz"]
    shift = roster.shift("Ana Silva", day(0))
    assert shift is not None
    short, lunch = shift.breaks[0], shift.breaks[1]
    work = ws.cell(ana, col[dt.time(8, 0)])
    assert rgb(work) == template_colour(0) and work.value is None
    b = ws.cell(ana, col[dt.time(short.start // 60, short.start % 60)])
    assert b.value == "B" and rgb(b) == "#" + BREAK_FILL.lower()
    lu = ws.cell(ana, col[dt.time(lunch.start // 60, lunch.start % 60)])
    assert lu.value == "L" and rgb(lu) == "#" + LUNCH_FILL.lower()
    required = [
        ws.cell(rows["Required"], c).value for c in (col[dt.time(8, 0)], col[dt.time(12, 0)])
    ]
    assert required == [3, 6]
    assert ws.cell(rows["Scheduled"], col[dt.time(8, 0)]).value == 2  # Ana and Cy
    diff = ws.cell(rows["Difference"], col[dt.time(8, 0)]).value
    assert diff == -1
    assert ws.freeze_panes == "D3"


def test_teams_and_period_options(tmp_path: Path) -> None:
    roster = small_roster()
    options = ExportOptions(teams=("Support",), start=day(7), days=5, day_sheets=True)
    out = export_roster(roster, tmp_path / "r.xlsx", need=small_need(), options=options)
    assert out.sheets == (
        "Summary", "Support", "Coverage", "Mon 09 Nov", "Tue 10 Nov", "Wed 11 Nov",
        "Thu 12 Nov", "Fri 13 Nov",
    )  # fmt: skip
    assert (out.agents, out.shifts) == (4, 20)
    ws = openpyxl.load_workbook(out.path)["Support"]
    h = layout.HEADER_ROW
    assert ws.cell(h, layout.FIRST_DATE_COLUMN).value == dt.datetime(2026, 11, 9)
    assert ws.cell(h, layout.FIRST_DATE_COLUMN + 4).value == dt.datetime(2026, 11, 13)
    assert ws.cell(h, layout.FIRST_DATE_COLUMN + 5).value == "Week from 09 Nov"
    coverage = openpyxl.load_workbook(out.path)["Coverage"]
    assert coverage["A2"].value == dt.datetime(2026, 11, 9)


def test_formula_like_names_are_written_as_text(tmp_path: Path) -> None:
    base = small_roster(days=7)
    evil = '=HYPERLINK("http://x","y")'
    agents = tuple(
        Agent(evil, "+Sales", ("Sales",)) if a.name == "Ana Silva" else a for a in base.agents
    )
    roster = Roster(base.start, base.days, agents, base.setup)
    for (name, d), s in base.shifts.items():
        name = evil if name == "Ana Silva" else name
        roster.put((name, d), s.__class__(name, d, s.start, s.end, s.template, s.breaks))
    options = ExportOptions(day_sheets=True, centre="@centre", source="-plan")
    out = export_roster(roster, tmp_path / "r.xlsx", options=options)
    wb = openpyxl.load_workbook(out.path)
    assert "+Sales" in wb.sheetnames
    cell = wb["+Sales"]["A6"]
    assert cell.value == evil and cell.data_type == "s"
    day_sheet = wb["Mon 02 Nov"]
    found = [c for row in day_sheet.iter_rows(max_col=1) for c in row if c.value == evil]
    assert found and found[0].data_type == "s"
    summary = key_values(wb["Summary"])
    assert summary["Centre"] == "@centre" and summary["Source plan"] == "-plan"
    meta = layout.parse_meta(wb[layout.META_SHEET].iter_rows(values_only=True))
    assert meta is not None and (evil, day(0)) in meta.exported
    with zipfile.ZipFile(out.path) as z:
        sheets = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets"))
    assert "<f>" not in sheets  # no formula anywhere


def test_a_failed_save_keeps_the_old_file_and_leaves_no_temporary_files(
    tmp_path: Path, monkeypatch
) -> None:
    path = tmp_path / "roster.xlsx"
    path.write_bytes(b"the old workbook")
    temp_files = list(openpyxl_writer.ALL_TEMP_FILES)

    def full_disk(self: object, filename: object) -> None:
        Path(str(filename)).write_bytes(b"half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("openpyxl.workbook.workbook.Workbook.save", full_disk)
    with pytest.raises(WfmError, match="roster.xlsx.*No space left"):
        export_roster(
            small_roster(), path, need=small_need(), options=ExportOptions(day_sheets=True)
        )
    assert path.read_bytes() == b"the old workbook"
    assert [p.name for p in tmp_path.iterdir()] == ["roster.xlsx"]
    assert temp_files == openpyxl_writer.ALL_TEMP_FILES
    assert all(Path(p).exists() for p in temp_files)


@pytest.mark.parametrize("lock", ["~$roster.xlsx", ".~lock.roster.xlsx#"])
def test_a_workbook_open_elsewhere_gives_a_clear_message(tmp_path: Path, lock: str) -> None:
    path = tmp_path / "roster.xlsx"
    path.write_bytes(b"open in Excel")
    (tmp_path / lock).write_text("owner")
    with pytest.raises(WfmError, match=r"roster.xlsx is open in another program .*Close it there"):
        export_roster(small_roster(), path)
    assert path.read_bytes() == b"open in Excel"


def test_cancelling_leaves_nothing(tmp_path: Path) -> None:
    temp_files = list(openpyxl_writer.ALL_TEMP_FILES)
    messages: list[str] = []

    def progress(fraction: float, message: str) -> None:
        messages.append(message)
        if "Tue 03 Nov" in message:
            raise Cancelled()

    with pytest.raises(Cancelled):
        export_roster(
            small_roster(),
            tmp_path / "roster.xlsx",
            need=small_need(),
            options=ExportOptions(day_sheets=True),
            progress=progress,
        )
    assert list(tmp_path.iterdir()) == []
    assert temp_files == openpyxl_writer.ALL_TEMP_FILES
    assert "Writing Sales…" in messages


@pytest.mark.parametrize(
    ("name", "options", "message"),
    [
        ("roster.csv", ExportOptions(), "must end in .xlsx"),
        ("r.xlsx", ExportOptions(start=day(-1)), "outside the roster's days"),
        ("r.xlsx", ExportOptions(start=day(10), days=7), "past the end of the roster's days"),
        ("r.xlsx", ExportOptions(days=0), "at least one day"),
        ("r.xlsx", ExportOptions(teams=("Billing",)), "no team 'Billing'.*Sales, Support"),
    ],
)
def test_bad_requests_are_refused(tmp_path: Path, name: str, options, message: str) -> None:
    with pytest.raises(WfmError, match=message):
        export_roster(small_roster(), tmp_path / name, options=options)
    assert list(tmp_path.iterdir()) == []


def test_a_missing_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(WfmError, match="does not exist"):
        export_roster(small_roster(), tmp_path / "nowhere" / "r.xlsx")


def test_agents_without_a_team_get_their_own_sheet(tmp_path: Path) -> None:
    base = small_roster(days=7)
    agents = tuple(Agent(a.name, "", a.skills) if a.name == "Bo Chen" else a for a in base.agents)
    roster = Roster(base.start, base.days, agents, base.setup, dict(base.shifts))
    out = export_roster(roster, tmp_path / "r.xlsx", options=ExportOptions(teams=("", "Sales")))
    assert out.sheets == ("Summary", "Sales", layout.NO_TEAM_SHEET)
    assert out.agents == 4
    ws = openpyxl.load_workbook(out.path)[layout.NO_TEAM_SHEET]
    assert ws.cell(layout.FIRST_AGENT_ROW, 1).value == "Bo Chen"
    assert ws.cell(layout.FIRST_AGENT_ROW + 1, 1).value is None  # then the blank row
