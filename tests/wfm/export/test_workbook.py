"""The exported workbook as a team lead opens it: content, types, styles, print settings,
and the safety of the save."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from openpyxl.worksheet import _writer as openpyxl_writer

from tests.wfm.export.conftest import (
    EVIL_NAME,
    GENERATED,
    SALES,
    SUPPORT,
    formula_named_roster,
    small_need,
    small_roster,
)
from tests.wfm.roster import day
from wfm.errors import WfmError
from wfm.export import layout
from wfm.export.styles import BREAK_FILL, LUNCH_FILL
from wfm.export.workbook import ExportOptions, export_roster
from wfm.progress import Cancelled
from wfm.roster.cells import LEAVE_COLOUR, NO_TEMPLATE_COLOUR, template_colour
from wfm.roster.hours import weekly_hours
from wfm.roster.roster import Break, Roster, Shift
from wfm.scheduling.model import Agent
from wfm.scheduling.need import StaffingNeed

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
    evil, roster = EVIL_NAME, formula_named_roster(days=7)
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


# --- edges found in review ---------------------------------------------------------------------


def test_day_cells_are_text_cells_so_a_lead_typing_9_17_keeps_text(exported) -> None:
    """In a General cell Excel turns a typed "9-17" into a date and "8:00" into a time; the
    day cells are formatted as text ("@") so what a lead types stays what they typed."""
    _, _, path = exported
    ws = openpyxl.load_workbook(path)["Sales"]
    r, c = layout.FIRST_AGENT_ROW, layout.FIRST_DATE_COLUMN
    cells = {ws.cell(r + i, c + j).value: ws.cell(r + i, c + j) for i in range(4) for j in range(7)}
    assert {"08:00-16:30", "Off", "Leave"} <= set(cells)  # a shift, a day off, leave
    assert {cell.number_format for cell in cells.values()} == {"@"}
    assert ws.cell(layout.HEADER_ROW, c).number_format == "ddd dd mmm"  # dates stay dates
    assert ws.cell(r, c + DAYS).number_format == "0.0"  # hours stay numbers


def night_roster(days: int = 3, on: int = 2) -> tuple[Roster, StaffingNeed]:
    """Nina works 22:00-06:00 (a lunch at 02:00) on day ``on``; one head is required
    22:00-06:00 every night, on 60-minute intervals, also the night after the roster."""
    nina = Agent("Nina Night", "Nights", ("Sales",))
    roster = Roster(day(0), days, (nina,), small_roster().setup)
    d = day(on)
    roster.put(
        (nina.name, d),
        Shift(nina.name, d, 22 * 60, 30 * 60, "", (Break(26 * 60, 30, "lunch", False),)),
    )
    required = np.zeros((1, days + 1, 24))
    required[0, :, :6] = 1.0
    required[0, :, 22:] = 1.0
    return roster, StaffingNeed(day(0), 60, ("Sales",), required)


def test_a_shift_past_midnight_on_the_last_day(tmp_path: Path) -> None:
    roster, need = night_roster()
    out = export_roster(
        roster, tmp_path / "r.xlsx", need=need, options=ExportOptions(day_sheets=True)
    )
    wb = openpyxl.load_workbook(out.path)
    team = wb["Nights"]
    assert team.cell(layout.FIRST_AGENT_ROW, layout.FIRST_DATE_COLUMN + 2).value == "22:00-30:00"
    assert team.cell(layout.FIRST_AGENT_ROW, layout.FIRST_DATE_COLUMN + 3).value == 7.5  # week
    ws = wb["Wed 04 Nov"]
    header = [c.value for c in ws[2]]
    # the day sheet runs from 00:00 (required) to the shift's end, 06:00 the next morning
    assert header[3] == dt.time(0, 0) and header[-1] == dt.time(5, 45)
    assert len(header) == 3 + 30 * 4
    rows = rows_by_name(ws)
    after_midnight = 3 + (24 + 3) * 4 + 1  # the column of 03:00 the next morning
    assert header[after_midnight - 1] == dt.time(3, 0)
    assert ws.cell(rows["Nina Night"], after_midnight).fill.fill_type == "solid"
    # required after midnight is the next night's requirement, not 0 past the period
    assert ws.cell(rows["Required"], after_midnight).value == 1
    assert ws.cell(rows["Scheduled"], after_midnight).value == 1
    assert ws.cell(rows["Difference"], after_midnight).value == 0


def test_a_night_shift_counts_on_the_next_days_coverage(tmp_path: Path) -> None:
    roster, need = night_roster(days=4, on=1)
    out = export_roster(
        roster, tmp_path / "r.xlsx", need=need, options=ExportOptions(day_sheets=True)
    )
    wb = openpyxl.load_workbook(out.path)
    coverage = {
        (r[0].date(), r[2]): r[4]
        for r in wb["Coverage"].iter_rows(min_row=2, values_only=True)
        if r[0] is not None
    }
    assert coverage[(day(1), dt.time(23, 0))] == 1
    assert coverage[(day(2), dt.time(1, 0))] == 1  # the next day's 01:00
    assert coverage[(day(2), dt.time(2, 0))] == 0.5  # the lunch at 02:00-02:30
    next_day = wb["Wed 04 Nov"]
    rows = rows_by_name(next_day)
    assert "Nina Night" not in rows  # her row is on the day her shift starts
    header = [c.value for c in next_day[2]]
    one_am = header.index(dt.time(1, 0)) + 1
    assert next_day.cell(rows["Scheduled"], one_am).value == 1


def test_required_per_quarter_hour_from_15_and_60_minute_needs(tmp_path: Path) -> None:
    roster = small_roster(days=7)
    for minutes in (15, 60):
        per_day = 24 * 60 // minutes
        required = np.zeros((1, 7, per_day))
        required[0, 2, 9 * 60 // minutes : 10 * 60 // minutes] = 4.0  # Wed 09:00-10:00
        if minutes == 15:
            required[0, 2, 9 * 4 + 1] = 2.0  # 09:15-09:30 only 2
        need = StaffingNeed(day(0), minutes, ("Sales",), required)
        out = export_roster(
            roster, tmp_path / f"r{minutes}.xlsx", need=need, options=ExportOptions(day_sheets=True)
        )
        ws = openpyxl.load_workbook(out.path)["Wed 04 Nov"]
        header = [c.value for c in ws[2]]
        rows = rows_by_name(ws)
        got = [
            ws.cell(rows["Required"], header.index(dt.time(9, m)) + 1).value
            for m in (0, 15, 30, 45)
        ]
        assert got == ([4, 2, 4, 4] if minutes == 15 else [4, 4, 4, 4])
        assert ws.cell(rows["Required"], header.index(dt.time(10, 0)) + 1).value == 0


def test_a_period_starting_mid_week_labels_and_sums_its_part_weeks(tmp_path: Path) -> None:
    roster = small_roster()
    out = export_roster(roster, tmp_path / "r.xlsx", options=ExportOptions(start=day(2), days=9))
    ws = openpyxl.load_workbook(out.path)["Sales"]
    h, first_week = layout.HEADER_ROW, layout.FIRST_DATE_COLUMN + 9
    assert [ws.cell(h, first_week + k).value for k in range(3)] == [
        "Week from 04 Nov",  # Wed-Sun
        "Week from 09 Nov",  # Mon-Thu
        "Total hours",
    ]
    rows = rows_by_name(ws)
    ana = [ws.cell(rows["Ana Silva"], first_week + k).value for k in range(3)]
    assert ana == [3 * 8.0, 4 * 8.0, 7 * 8.0]  # Early: 8.5 h with a 30 min unpaid lunch
    di = [ws.cell(rows["Di Evans"], first_week + k).value for k in range(2)]
    assert di == [2 * 8.0, 4 * 8.0]  # Di is off on Fridays
    paid = [ws.cell(rows["Paid hours"], first_week + k).value for k in range(3)]
    sales_week_one = sum(
        s.paid_minutes
        for (a, d), s in roster.shifts.items()
        if a in SALES and day(2) <= d <= day(6)
    )
    assert paid[0] == pytest.approx(sales_week_one / 60) and paid[2] == pytest.approx(sum(paid[:2]))


def test_one_day_one_agent_no_shifts_and_leave_from_the_agents_file(tmp_path: Path) -> None:
    solo = Agent("Solo Lee", "Solo team", ("Sales",), leave=frozenset({day(1)}))
    roster = Roster(day(0), 7, (solo,), small_roster().setup)
    options = ExportOptions(start=day(1), days=1, day_sheets=True)
    out = export_roster(roster, tmp_path / "r.xlsx", need=small_need(7), options=options)
    assert out.sheets == ("Summary", "Solo team", "Coverage", "Tue 03 Nov")
    assert (out.agents, out.shifts) == (1, 0)
    wb = openpyxl.load_workbook(out.path)
    ws = wb["Solo team"]
    r, c = layout.FIRST_AGENT_ROW, layout.FIRST_DATE_COLUMN
    assert ws.cell(r, c).value == "Leave" and rgb(ws.cell(r, c)) == LEAVE_COLOUR
    assert [ws.cell(layout.HEADER_ROW, c + k).value for k in (1, 2)] == [
        "Week from 03 Nov",
        "Total hours",
    ]
    assert [ws.cell(r, c + k).value for k in (1, 2)] == [0, 0]
    rows = rows_by_name(ws)
    assert ws.cell(rows["Agents working"], c).value == 0
    day_sheet = wb["Tue 03 Nov"]
    assert day_sheet["A1"].value == "Tue 03 Nov 2026: 0 agents working"
    assert rows_by_name(day_sheet)["Scheduled"] > 2


def test_long_names_and_ampersands_keep_headers_valid(tmp_path: Path) -> None:
    """Excel repairs a page header over 255 characters, and reads '&' there as a code."""
    long_team = "Customer Care & Retention " * 6
    base = small_roster(days=7)
    agents = tuple(
        Agent("A" * 60 if a.name == "Ana Silva" else a.name, long_team, a.skills)
        for a in base.agents
    )
    roster = Roster(base.start, base.days, agents, base.setup)
    options = ExportOptions(centre="Smith & Sons " * 30)
    out = export_roster(roster, tmp_path / "r.xlsx", options=options)
    wb = openpyxl.load_workbook(out.path)
    team = wb[out.sheets[1]]
    assert len(out.sheets[1]) <= 31
    for ws in (wb["Summary"], team):
        header = ws.oddHeader.center.text
        assert 0 < len(header) <= 253  # with its "&C" code: Excel's 255
        assert "&&" in header and "& " not in header.replace("&&", "")
    assert team.oddHeader.center.text.startswith("Customer Care && Retention")
    assert team.column_dimensions["A"].width <= 34  # a long name does not push the days away


def test_messages_name_the_file_and_quote_plainly(tmp_path: Path) -> None:
    with pytest.raises(WfmError) as caught:
        export_roster(small_roster(), tmp_path / "r.xlsx", options=ExportOptions(teams=("O'Neil",)))
    message = str(caught.value)
    assert message.startswith("Cannot export r.xlsx: there is no team 'O'Neil' in the roster")
    assert '"' not in message and "\\" not in message


def test_control_characters_in_names_do_not_break_the_file(tmp_path: Path) -> None:
    """A control character (from a pasted name) is not allowed in the file's XML: in a sheet
    name, page header or the file's title it made a workbook nothing could open."""
    base = small_roster(days=7)
    agents = tuple(
        Agent(a.name, "Sa\x07les" if a.team == "Sales" else a.team, a.skills) for a in base.agents
    )
    roster = Roster(base.start, base.days, agents, base.setup, dict(base.shifts))
    options = ExportOptions(centre="North\x01wind", source="plan\x02.csv")
    out = export_roster(roster, tmp_path / "r.xlsx", options=options)
    assert out.sheets == ("Summary", "Sa_les", "Support")
    wb = openpyxl.load_workbook(out.path)  # raised a parse error before
    assert wb.properties.title.startswith("Northwind: roster")
    assert wb["Sa_les"].oddHeader.center.text.startswith("Sales – ")
    assert key_values(wb["Summary"])["Source plan"] == "plan.csv"
