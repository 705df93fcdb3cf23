"""Reading a team lead's edited workbook back: changes, unreadable cells, notes, rule checks,
and applying the changes as one undoable edit.

The workbooks are built here with openpyxl following :mod:`wfm.export.layout` (a Summary
sheet, one sheet per team with the header on row 5 and agents from row 6, totals rows, and
the hidden meta sheet), so these tests do not depend on the writer; the round trip through
:func:`wfm.export.workbook.export_roster` is tested at the end.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from tests.wfm.roster import MONDAY, day, early, roster
from wfm.errors import WfmError
from wfm.export import layout
from wfm.export.changes import (
    CellChange,
    UnreadCell,
    changes_batch,
    check_changes,
    read_export_meta,
    read_lead_changes,
)
from wfm.progress import Cancelled
from wfm.roster import commands as cmd
from wfm.roster.editor import RosterEditor, UndoStack
from wfm.roster.roster import Roster

ANA, BO, CY = "Ana Silva", "Bo Chen", "Cy Diaz"
GENERATED = dt.datetime(2026, 10, 30, 14, 5)


# --- a workbook like the exported one --------------------------------------------------------
def build_workbook(path: Path, r: Roster, *, meta: bool = True, days: int | None = None) -> Path:
    """A roster workbook of ``r`` laid out as :mod:`wfm.export.layout` says."""
    book = openpyxl.Workbook()
    summary = book.active
    summary.title = "Summary"
    summary["A1"] = "Contact centre: roster"
    teams = list(dict.fromkeys(a.team for a in r.agents))
    names = layout.sheet_names(teams, reserved=("Summary",))
    dates = r.dates()[: days or r.days]
    exported: list[tuple[str, str, dt.date, str]] = []
    for team in teams:
        ws = book.create_sheet(names[team])
        ws.cell(layout.TITLE_ROW, 1, f"{names[team]}: roster")
        ws.cell(layout.SUBTITLE_ROW, 1, "Contact centre, generated 30 Oct 2026")
        ws.cell(layout.HEADER_ROW, layout.NAME_COLUMN, layout.NAME_HEADER)
        ws.cell(layout.HEADER_ROW, layout.SKILLS_COLUMN, "Skills")
        for j, d in enumerate(dates):
            cell = ws.cell(layout.HEADER_ROW, layout.FIRST_DATE_COLUMN + j, d)
            cell.number_format = "ddd dd mmm"
        ws.cell(layout.HEADER_ROW, layout.FIRST_DATE_COLUMN + len(dates), "Total")
        members = [a for a in r.agents if a.team == team]
        for i, agent in enumerate(members):
            row = layout.FIRST_AGENT_ROW + i
            ws.cell(row, layout.NAME_COLUMN, agent.name)
            ws.cell(row, layout.SKILLS_COLUMN, ", ".join(agent.skills))
            for j, d in enumerate(dates):
                text = layout.cell_text(r, agent, d)
                ws.cell(row, layout.FIRST_DATE_COLUMN + j, text)
                exported.append((ws.title, agent.name, d, text))
            ws.cell(row, layout.FIRST_DATE_COLUMN + len(dates), 42.5)
        totals = layout.FIRST_AGENT_ROW + len(members) + 1
        ws.cell(totals, layout.NAME_COLUMN, "Agents working")
        ws.cell(totals + 1, layout.NAME_COLUMN, "Paid hours")
        for j in range(len(dates)):
            ws.cell(totals, layout.FIRST_DATE_COLUMN + j, 1)
            ws.cell(totals + 1, layout.FIRST_DATE_COLUMN + j, 8.0)
    if meta:
        ws = book.create_sheet(layout.META_SHEET)
        values = {
            "roster_start": r.start.isoformat(),
            "roster_days": str(r.days),
            "generated": GENERATED.isoformat(),
        }
        for row_values in layout.meta_rows(values, exported):
            ws.append(row_values)
        ws.sheet_state = "hidden"
    book.save(path)
    return path


def ref(i: int, row: int = layout.FIRST_AGENT_ROW) -> str:
    """The cell of day ``i`` on a team sheet's agent row."""
    return f"{get_column_letter(layout.FIRST_DATE_COLUMN + i)}{row}"


def edit(path: Path, sheet: str, cells: dict[str, Any]) -> None:
    """Change cells of a saved workbook as a lead would, and save it."""
    book = openpyxl.load_workbook(path)
    for where, value in cells.items():
        book[sheet][where] = value
    book.save(path)


def with_sheet(path: Path, sheet: str, change: Callable[[Any], None]) -> None:
    book = openpyxl.load_workbook(path)
    change(book[sheet])
    book.save(path)


def late(r: Roster, agent: str, d: dt.date, start: int = 12 * 60) -> None:
    """Give ``agent`` a Late shift (8 h, lunch placed by the template) on ``d``."""
    cmd.AssignShift(agent, d, start, start + 480, "Late").apply(r)


def state(r: Roster) -> tuple[dict, dict]:
    return dict(r.shifts), dict(r.leave)


@pytest.fixture
def book(tmp_path: Path) -> tuple[Roster, Path]:
    """The 14-day test roster (Ana: Sales; Bo, Cy: Support; Bo Late on Monday) and its
    workbook: Sales row 6 is Ana; Support rows 6 and 7 are Bo and Cy; column C is Monday."""
    r = roster()
    late(r, BO, MONDAY)
    return r, build_workbook(tmp_path / "roster.xlsx", r)


def by_cell(changes: tuple[CellChange, ...]) -> dict[tuple[str, str], CellChange]:
    return {(c.sheet, c.ref): c for c in changes}


# --- changes ---------------------------------------------------------------------------------
def test_an_untouched_workbook_has_no_changes(book: tuple[Roster, Path]) -> None:
    r, path = book
    found = read_lead_changes(path, r)
    assert found.changes == () and found.unread == () and found.notes == ()
    assert found.generated == GENERATED and found.path == path


def test_the_usual_edits_are_listed_with_sheet_cell_and_both_texts(
    book: tuple[Roster, Path],
) -> None:
    r, path = book
    edit(path, "Sales", {ref(1): "9:00 - 17:30", ref(2): None, ref(3): "leave"})
    edit(path, "Support", {ref(1, 7): "12:00-20:00", ref(3): "Sick"})
    found = read_lead_changes(path, r)
    got = {(c.sheet, c.ref, c.agent, c.day, c.before, c.after) for c in found.changes}
    assert got == {
        ("Sales", "D6", ANA, day(1), "08:00-16:30", "09:00-17:30"),
        ("Sales", "E6", ANA, day(2), "08:00-16:30", "Off"),
        ("Sales", "F6", ANA, day(3), "08:00-16:30", "Leave"),
        ("Support", "D7", CY, day(1), "Off", "12:00-20:00"),
        ("Support", "F6", BO, day(3), "08:00-16:30", "Sick"),
    }
    assert [(c.day, c.agent) for c in found.changes] == sorted(
        (c.day, c.agent) for c in found.changes
    )
    assert all(c.exported == c.before and not c.conflict for c in found.changes)
    assert found.unread == ()
    cells = by_cell(found.changes)
    assert isinstance(cells[("Sales", "D6")].command, cmd.ResizeShift)
    assert cells[("Sales", "D6")].describe() == "Ana Silva, Tue 03 Nov: 08:00-16:30 -> 09:00-17:30"


def test_applying_the_batch_makes_the_roster_say_the_workbook_and_undo_restores_it(
    book: tuple[Roster, Path],
) -> None:
    r, path = book
    edit(path, "Sales", {ref(1): "09:00-17:30", ref(2): "", ref(3): "leave"})
    edit(path, "Support", {ref(1, 7): "12:00-20:00", ref(3): "sick"})
    found = read_lead_changes(path, r)
    before = state(r)
    old_breaks = r.shifts[(ANA, day(1))].breaks
    editor = RosterEditor(r)
    stack = UndoStack(editor)
    stack.push(changes_batch(found.changes, "Team lead changes from roster.xlsx (5 cells)"))
    agents = {a.name: a for a in r.agents}
    for c in found.changes:
        assert layout.cell_text(r, agents[c.agent], c.day) == c.after
    assert r.shifts[(ANA, day(1))].breaks == old_breaks  # moved times keep the breaks
    new = r.shifts[(CY, day(1))]
    assert new.template == "Late" and [b.kind for b in new.breaks] == ["lunch"]
    assert r.leave[(BO, day(3))] == "sick" and (BO, day(3)) not in r.shifts
    assert stack.undo_text() == "Team lead changes from roster.xlsx (5 cells)"
    stack.undo()
    assert state(r) == before
    assert read_lead_changes(path, r).changes == found.changes  # still listed after undo


def test_two_agents_shifts_swapped_on_a_day_apply_as_two_changes(
    book: tuple[Roster, Path],
) -> None:
    r, path = book
    ana, bo = r.shifts[(ANA, MONDAY)], r.shifts[(BO, MONDAY)]
    assert (ana.label(), bo.label()) == ("08:00-16:30", "12:00-20:00")
    edit(path, "Sales", {ref(0): "12:00-20:00"})
    edit(path, "Support", {ref(0): "08:00-16:30"})
    found = read_lead_changes(path, r)
    assert [(c.agent, c.after) for c in found.changes] == [
        (ANA, "12:00-20:00"),
        (BO, "08:00-16:30"),
    ]
    before = state(r)
    inverse = changes_batch(found.changes).apply(r)
    # each gets the other's shift with its template and breaks
    assert r.shifts[(ANA, MONDAY)] == ana.__class__(
        ANA, MONDAY, bo.start, bo.end, bo.template, bo.breaks
    )
    assert r.shifts[(BO, MONDAY)] == ana.__class__(
        BO, MONDAY, ana.start, ana.end, ana.template, ana.breaks
    )
    inverse.apply(r)
    assert state(r) == before


def test_leave_kinds_off_words_and_past_midnight_are_normalised(
    book: tuple[Roster, Path],
) -> None:
    r, path = book
    r.leave[(CY, day(2))] = "course"  # a kind of the planner's own reads back as itself
    path = build_workbook(path, r)
    edit(
        path,
        "Support",
        {ref(0, 7): "leave:Training day", ref(1, 7): "22:00-06:00", ref(2, 7): "COURSE"},
    )
    edit(path, "Sales", {ref(4): "day off", ref(3): "Holiday"})
    found = read_lead_changes(path, r)
    assert {(c.agent, c.day, c.after) for c in found.changes} == {
        (CY, day(0), "Training day"),
        (CY, day(1), "22:00-30:00"),
        (ANA, day(4), "Off"),
        (ANA, day(3), "Holiday"),
    }
    changes_batch(found.changes).apply(r)
    assert r.leave[(CY, day(0))] == "training day"
    assert r.shifts[(CY, day(1))].end == 30 * 60


def test_rows_sorted_by_the_lead_inserted_rows_and_columns_still_map(
    book: tuple[Roster, Path],
) -> None:
    r, path = book

    def rearrange(ws: Any) -> None:
        ws["A6"], ws["A7"] = CY, BO  # names swapped: the rows are sorted differently
        for i in range(r.days):
            c = layout.FIRST_DATE_COLUMN + i
            a, b = ws.cell(6, c).value, ws.cell(7, c).value
            ws.cell(6, c).value, ws.cell(7, c).value = b, a
        ws.insert_cols(layout.FIRST_DATE_COLUMN)  # a notes column before Monday
        ws.cell(layout.HEADER_ROW, layout.FIRST_DATE_COLUMN, "Notes")
        ws.cell(6, layout.FIRST_DATE_COLUMN, "new starter")
        ws.insert_rows(1, 2)  # two rows above the title

    with_sheet(path, "Support", rearrange)
    # Cy is now on row 8 (6 + 2 inserted), Tuesday in column E (D + 1 inserted)
    edit(path, "Support", {"E8": "12:30-20:30"})
    found = read_lead_changes(path, r)
    assert [(c.ref, c.agent, c.day, c.after) for c in found.changes] == [
        ("E8", CY, day(1), "12:30-20:30")
    ]
    assert found.unread == () and found.notes == ()


def test_text_date_headers_are_read_when_the_dates_became_text(
    book: tuple[Roster, Path],
) -> None:
    r, path = book

    def as_text(ws: Any) -> None:
        for i, d in enumerate(r.dates()):
            text = f"{d:%a %d %b}" if i % 2 else d.isoformat()
            ws.cell(layout.HEADER_ROW, layout.FIRST_DATE_COLUMN + i, text)

        # a week's column is no day's, whatever it starts with
        ws.cell(layout.HEADER_ROW, layout.FIRST_DATE_COLUMN + r.days, "Week 09 Nov")

    with_sheet(path, "Sales", as_text)
    edit(path, "Sales", {ref(1): "08:30-17:00", ref(2): "08:30-17:00"})
    found = read_lead_changes(path, r)
    assert [(c.ref, c.day) for c in found.changes] == [("D6", day(1)), ("E6", day(2))]
    assert found.unread == () and found.notes == ()


def test_a_shift_moved_to_times_no_template_allows_moves_its_breaks_along(
    book: tuple[Roster, Path],
) -> None:
    r, path = book
    edit(path, "Sales", {ref(1): "14:00-22:30", ref(2): "08:30-17:00"})
    found = read_lead_changes(path, r)
    changes_batch(found.changes).apply(r)
    moved, resized = r.shifts[(ANA, day(1))], r.shifts[(ANA, day(2))]
    assert moved.label() == "14:00-22:30" and moved.template == "Early"
    assert [b.label() for b in moved.breaks] == ["16:00-16:15", "18:00-18:30", "20:30-20:45"]
    # a small change keeps the breaks where they were (as typing in the grid does)
    assert resized.breaks == early(ANA, day(2)).breaks


# --- the three-way rule ----------------------------------------------------------------------
def test_a_cell_the_planner_changed_after_the_export_is_not_a_change(
    book: tuple[Roster, Path],
) -> None:
    r, path = book
    cmd.ResizeShift(ANA, day(1), 9 * 60, 17 * 60 + 30).apply(r)  # the planner, after export
    cmd.MarkLeave(BO, day(2), "sick").apply(r)
    assert read_lead_changes(path, r).changes == ()


def test_a_cell_both_changed_is_a_conflict(book: tuple[Roster, Path]) -> None:
    r, path = book
    cmd.ResizeShift(ANA, day(1), 9 * 60, 17 * 60 + 30).apply(r)  # the planner
    edit(path, "Sales", {ref(1): "08:30-17:00", ref(2): "08:30-17:00"})  # the lead
    found = read_lead_changes(path, r)
    cells = by_cell(found.changes)
    both, lead_only = cells[("Sales", "D6")], cells[("Sales", "E6")]
    assert (both.before, both.exported, both.after, both.conflict) == (
        "09:00-17:30",
        "08:00-16:30",
        "08:30-17:00",
        True,
    )
    assert not lead_only.conflict
    assert found.conflicts == (both,)


def test_without_an_export_record_every_difference_is_listed(tmp_path: Path) -> None:
    r = roster()
    path = build_workbook(tmp_path / "roster.xlsx", r, meta=False)
    cmd.ResizeShift(ANA, day(1), 9 * 60, 17 * 60 + 30).apply(r)  # the planner, after export
    found = read_lead_changes(path, r)
    assert [(c.agent, c.before, c.after, c.exported, c.conflict) for c in found.changes] == [
        (ANA, "09:00-17:30", "08:00-16:30", None, False)
    ]
    assert any("no export record" in n for n in found.notes)
    assert found.generated is None
    assert read_export_meta(path) is None


def test_a_workbook_from_another_horizon_says_so(tmp_path: Path) -> None:
    r = roster()
    path = build_workbook(tmp_path / "roster.xlsx", r)
    shorter = Roster(r.start, 7, r.agents, r.setup, dict(r.shifts))
    shorter.shifts = {k: v for k, v in r.shifts.items() if shorter.in_horizon(k[1])}
    found = read_lead_changes(path, shorter)
    assert found.changes == ()
    assert any("2026-11-02 (14 days)" in n and "(7 days)" in n for n in found.notes)
    assert any("columns for 09 Nov - 15 Nov are outside the roster" in n for n in found.notes)


# --- what cannot be read -------------------------------------------------------------------
def test_unreadable_cells_are_listed_with_sheet_cell_and_text(book: tuple[Roster, Path]) -> None:
    r, path = book
    edit(
        path,
        "Sales",
        {
            ref(0): "8.30",
            ref(1): dt.time(8, 0),
            ref(2): 8.5,
            ref(3): True,
            ref(4): "25:00-26:00",
            ref(7): "08:00-16:30 (swap w/ Bo)",
            ref(8): dt.datetime(2026, 9, 17),  # "9-17" as Excel reads it
        },
    )
    found = read_lead_changes(path, r)
    assert found.changes == ()
    unread = {u.ref: u for u in found.unread}
    assert set(unread) == {"C6", "D6", "E6", "F6", "G6", "J6", "K6"}
    assert unread["C6"] == UnreadCell(
        "Sales", "C6", "8.30", "not a shift like 08:00-16:30, 'off' or 'leave'"
    )
    assert unread["C6"].message() == (
        "Sales!C6 '8.30': not a shift like 08:00-16:30, 'off' or 'leave'"
    )
    assert unread["D6"].text == "08:00" and "a single time" in unread["D6"].reason
    assert unread["E6"].text == "8.5" and "08:00-16:30" in unread["E6"].reason
    assert unread["F6"].text == "TRUE"
    assert "before midnight" in unread["G6"].reason
    assert unread["K6"].text == "2026-09-17" and "Excel turns 9-17 into a date" in (
        unread["K6"].reason
    )


def test_a_shift_too_short_for_its_breaks_is_unread_not_a_failing_change(
    book: tuple[Roster, Path],
) -> None:
    r, path = book
    edit(path, "Sales", {ref(1): "08:00-08:30"})  # 60 minutes of breaks do not fit
    found = read_lead_changes(path, r)
    assert found.changes == ()
    assert [(u.ref, u.text) for u in found.unread] == [("D6", "08:00-08:30")]
    assert "too short" in found.unread[0].reason


def test_unknown_names_repeated_agents_and_nameless_rows(book: tuple[Roster, Path]) -> None:
    r, path = book

    def rows(ws: Any) -> None:
        ws.insert_rows(8, 3)  # below Cy, above the totals
        ws["A8"] = "Zed Unknown"
        ws[ref(0, 8)] = "08:00-16:30"
        ws["A9"] = "  ana   SILVA "  # Ana again (case and spaces differ): the second row
        ws[ref(0, 9)] = "Off"
        ws[ref(1, 10)] = "09:00-17:30"  # no name

    with_sheet(path, "Support", rows)
    edit(path, "Support", {"A13": "Notes: call Bo"})  # under the totals: not an agent
    found = read_lead_changes(path, r)
    assert found.changes == ()
    assert [u.message() for u in found.unread] == [
        "Support!A9 'ana SILVA': Ana Silva appears again on row 9 (first on Sales row 6); "
        "this row was skipped"
    ]
    assert "1 row of names not in the roster was skipped: Zed Unknown (Support row 8)" in (
        found.notes
    )
    assert any("no agent name" in n and "Support row 10" in n for n in found.notes)
    assert not any("Notes" in n for n in found.notes)


def test_a_deleted_agent_row_is_no_change_but_a_note(book: tuple[Roster, Path]) -> None:
    r, path = book
    with_sheet(path, "Support", lambda ws: ws.delete_rows(7))  # Cy's row
    found = read_lead_changes(path, r)
    assert found.changes == () and found.unread == ()
    assert found.notes == (
        "1 exported agent has no row in the workbook any more, so their days were not "
        "compared: Cy Diaz",
    )


def test_names_match_ignoring_case_and_spaces(book: tuple[Roster, Path]) -> None:
    r, path = book
    edit(path, "Sales", {"A6": "ana  silva", ref(1): "off"})
    found = read_lead_changes(path, r)
    assert [(c.agent, c.after) for c in found.changes] == [(ANA, "Off")]


def test_a_hidden_team_sheet_is_skipped_with_a_note(book: tuple[Roster, Path]) -> None:
    r, path = book
    edit(path, "Support", {ref(1, 7): "12:00-20:00"})

    def hide(ws: Any) -> None:
        ws.sheet_state = "hidden"

    with_sheet(path, "Support", hide)
    found = read_lead_changes(path, r)
    assert found.changes == ()
    assert any("hidden sheet Support was skipped" in n for n in found.notes)


# --- files that are not roster workbooks ------------------------------------------------------
def test_files_that_are_not_workbooks_are_refused_naming_the_file(tmp_path: Path) -> None:
    r = roster()
    text = tmp_path / "lead.xlsx"
    text.write_text("agent,date\nAna,2026-11-02\n", encoding="utf-8")
    with pytest.raises(WfmError, match=r"^lead\.xlsx: cannot be read as an Excel workbook"):
        read_lead_changes(text, r)
    old = tmp_path / "lead.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    with pytest.raises(WfmError, match=r"^lead\.xls: .*save it as \.xlsx"):
        read_lead_changes(old, r)
    secret = tmp_path / "secret.xlsx"
    secret.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    with pytest.raises(WfmError, match=r"^secret\.xlsx: .*password-protected"):
        read_lead_changes(secret, r)
    with pytest.raises(WfmError, match=r"^gone\.xlsx: there is no such file"):
        read_lead_changes(tmp_path / "gone.xlsx", r)


def test_a_workbook_without_a_team_sheet_is_not_a_roster_workbook(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active["A1"] = "Agent"
    book.active["B1"] = "Total"  # no date columns
    book.create_sheet("Budget")["A5"] = "Cost"
    path = tmp_path / "budget.xlsx"
    book.save(path)
    with pytest.raises(WfmError, match=r"^budget\.xlsx: not a roster workbook"):
        read_lead_changes(path, roster())


def test_cancelling_stops_the_reading(book: tuple[Roster, Path]) -> None:
    r, path = book
    seen: list[float] = []

    def progress(fraction: float, message: str) -> None:
        seen.append(fraction)
        if fraction >= 0.5:
            raise Cancelled()

    with pytest.raises(Cancelled):
        read_lead_changes(path, r, progress)
    assert seen[0] == 0.0 and max(seen) >= 0.5


# --- rule checks ---------------------------------------------------------------------------
def test_check_changes_reports_new_violations_only(book: tuple[Roster, Path]) -> None:
    r, path = book
    late(r, BO, day(2), 14 * 60)  # Bo already breaks the rest rule: Wed 22:00 -> Thu 08:00
    path = build_workbook(path, r)
    edit(path, "Sales", {ref(0): "14:00-22:00"})  # Ana: Mon ends 22:00, Tue starts 08:00
    edit(path, "Support", {ref(4): "08:30-17:00"})  # Bo: touched, nothing new
    found = read_lead_changes(path, r)
    assert len(found.changes) == 2
    before = state(r)
    checked = check_changes(r, found.changes)
    assert state(r) == before  # the roster is not touched
    assert list(checked) == [(ANA, day(1))]
    assert [v.rule for v in checked[(ANA, day(1))]] == ["rest"]
    assert "10 h rest" in checked[(ANA, day(1))][0].message
    assert check_changes(r, [c for c in found.changes if c.agent == BO]) == {}
    assert check_changes(r, []) == {}


def test_changes_batch_names_itself_and_undoes_all(book: tuple[Roster, Path]) -> None:
    r, path = book
    edit(path, "Sales", {ref(1): "Off", ref(2): "Off"})
    found = read_lead_changes(path, r)
    batch = changes_batch(found.changes)
    assert batch.text == "Team lead changes (2 cells)"
    assert changes_batch(found.changes[:1]).text == "Team lead changes (1 cell)"
    before = state(r)
    inverse = batch.apply(r)
    assert (ANA, day(1)) not in r.shifts and (ANA, day(2)) not in r.shifts
    inverse.apply(r)
    assert state(r) == before


def test_off_on_a_shift_over_leave_clears_both(tmp_path: Path) -> None:
    r = roster()
    r.leave[(ANA, day(1))] = "leave"  # a shift on a day of leave: the cell shows the shift
    path = build_workbook(tmp_path / "roster.xlsx", r)
    edit(path, "Sales", {ref(1): "off"})
    found = read_lead_changes(path, r)
    assert [(c.before, c.after) for c in found.changes] == [("08:00-16:30", "Off")]
    changes_batch(found.changes).apply(r)
    assert (ANA, day(1)) not in r.shifts and (ANA, day(1)) not in r.leave


def test_agents_file_leave_cannot_be_cleared_from_the_workbook(tmp_path: Path) -> None:
    import dataclasses

    r = roster()
    agents = tuple(dataclasses.replace(a, leave=(day(2),)) if a.name == CY else a for a in r.agents)
    r = Roster(r.start, r.days, agents, r.setup, dict(r.shifts))
    path = build_workbook(tmp_path / "roster.xlsx", r)
    edit(path, "Support", {ref(2, 7): "Off"})
    found = read_lead_changes(path, r)
    assert found.changes == ()
    assert [u.ref for u in found.unread] == ["E7"]
    assert "agents file" in found.unread[0].reason


# --- a centre-sized workbook ----------------------------------------------------------------
def test_a_centre_sized_workbook_with_many_team_sheets_maps_every_row(tmp_path: Path) -> None:
    # 150 agents x 28 days read in about 0.3 s (measured by hand; no timing asserted here).
    from wfm.scheduling.model import Agent

    agents = tuple(Agent(f"Agent {i:03d}", f"Team {i % 6}") for i in range(150))
    r = Roster(MONDAY, 28, agents, roster().setup)
    for a in agents:
        for d in r.dates():
            if d.weekday() < 5:
                r.put((a.name, d), early(a.name, d))
    path = build_workbook(tmp_path / "big.xlsx", r)
    # Team 1's agents are 1, 7, 13, ...: its last row is Agent 145 (row 6 + 24)
    edit(path, "Team 1", {ref(3): "09:00-17:30", ref(27, 30): "Sick"})
    found = read_lead_changes(path, r)
    assert [(c.agent, c.day, c.after) for c in found.changes] == [
        ("Agent 001", day(3), "09:00-17:30"),
        ("Agent 145", day(27), "Sick"),
    ]
    assert found.unread == () and found.notes == ()


# --- the round trip through the real export ------------------------------------------------
def test_the_shared_export_reads_back_without_changes_or_notes(
    exported: tuple[Roster, Any, Path],
) -> None:
    r, _need, path = exported
    found = read_lead_changes(path, r)
    assert (found.changes, found.unread, found.notes) == ((), (), ())


def test_an_exported_workbook_reads_back_without_changes(tmp_path: Path) -> None:
    workbook = pytest.importorskip("wfm.export.workbook")
    r = roster()
    late(r, BO, MONDAY)
    r.leave[(CY, day(2))] = "sick"
    path = tmp_path / "roster.xlsx"
    workbook.export_roster(r, path, options=workbook.ExportOptions(generated=GENERATED))
    found = read_lead_changes(path, r)
    assert found.changes == () and found.unread == ()
    assert found.generated == GENERATED
    meta = read_export_meta(path)
    assert meta is not None and meta.exported[(ANA, MONDAY)] == "08:00-16:30"


def test_an_exported_workbook_edited_by_a_lead_reads_back(tmp_path: Path) -> None:
    workbook = pytest.importorskip("wfm.export.workbook")
    r = roster()
    path = tmp_path / "roster.xlsx"
    workbook.export_roster(r, path, options=workbook.ExportOptions(day_sheets=True))
    book = openpyxl.load_workbook(path)
    sales = book["Sales"]
    header = [c.value for c in sales[layout.HEADER_ROW]]
    tuesday = next(
        i + 1
        for i, v in enumerate(header)
        if isinstance(v, dt.datetime | dt.date) and v.day == 3 and v.month == 11
    )
    ana_row = next(
        row[0].row for row in sales.iter_rows(min_col=1, max_col=1) if row[0].value == ANA
    )
    sales.cell(ana_row, tuesday, "sick")
    book.save(path)
    found = read_lead_changes(path, r)
    assert [(c.sheet, c.agent, c.day, c.after) for c in found.changes] == [
        ("Sales", ANA, day(1), "Sick")
    ]
    assert found.unread == ()
