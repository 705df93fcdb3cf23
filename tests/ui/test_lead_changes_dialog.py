"""The team lead changes dialog: a workbook exported, edited with openpyxl as a lead would,
read back; the table, the rule check of the ticked set, conflicts, unread cells, and applying
the ticked changes as one undo step that undo takes back exactly."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QCoreApplication, QItemSelectionModel, Qt, QThreadPool
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from tests.ui.test_export_dialog import small_roster
from tests.ui.test_roster_model import MON, make_need
from ui.lead_changes_dialog import (
    CONFLICT,
    OK,
    SKIPPED,
    VIOLATION,
    ChangesModel,
    LeadChangesDialog,
)
from ui.roster_undo import RosterUndoCommand
from wfm.export.changes import read_lead_changes
from wfm.export.layout import FIRST_AGENT_ROW, HEADER_ROW, NAME_COLUMN
from wfm.export.workbook import ExportOptions, export_roster
from wfm.roster import commands as cmd
from wfm.roster.editor import RosterEditor
from wfm.roster.roster import Roster

TUE, WED, THU = (MON + dt.timedelta(days=d) for d in (1, 2, 3))
CHECK = Qt.ItemDataRole.CheckStateRole


def export(roster: Roster, path: Path) -> Path:
    export_roster(
        roster,
        path,
        need=make_need(14),
        options=ExportOptions(generated=dt.datetime(2026, 11, 22, 14, 5)),
    )
    return path


def edit_cells(path: Path, edits: dict[tuple[str, str, dt.date], str]) -> dict[tuple, str]:
    """Type ``edits[(sheet, agent, day)]`` into the workbook as a lead would; returns the
    cell reference of each edit."""
    book = openpyxl.load_workbook(path)
    refs = {}
    for (sheet, agent, day), text in edits.items():
        ws = book[sheet]
        row = next(
            r
            for r in range(FIRST_AGENT_ROW, ws.max_row + 1)
            if ws.cell(r, NAME_COLUMN).value == agent
        )
        col = next(
            c
            for c in range(1, ws.max_column + 1)
            if isinstance(ws.cell(HEADER_ROW, c).value, dt.datetime)
            and ws.cell(HEADER_ROW, c).value.date() == day
        )
        ws.cell(row, col).value = text
        refs[(sheet, agent, day)] = ws.cell(row, col).coordinate
    book.save(path)
    return refs


@pytest.fixture
def parent(qtbot):
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    return window


class Setup:
    def __init__(self, roster: Roster) -> None:
        self.roster = roster
        self.editor = RosterEditor(roster, make_need(14))
        self.stack = QUndoStack()


@pytest.fixture
def edited(tmp_path):
    """A roster, its workbook with a lead's edits, and the edits' cell references."""
    roster = small_roster()
    path = export(roster, tmp_path / "roster.xlsx")
    refs = edit_cells(
        path,
        {
            ("Red", "Agent 1", TUE): "09:00-17:30",  # a time changed
            ("Red", "Agent 2", WED): "leave",  # a day marked as leave
            ("Red", "Agent 0", THU): "8.30",  # garbage
            ("Blue", "Agent 3", MON): "Off",  # a day off
        },
    )
    return Setup(roster), path, refs


def make_dialog(parent, setup: Setup, path: Path) -> LeadChangesDialog:
    changes = read_lead_changes(path, setup.roster)
    dialog = LeadChangesDialog(
        changes, setup.roster, parent, editor=setup.editor, undo_stack=setup.stack
    )
    dialog.show()
    return dialog


def rows(dialog: LeadChangesDialog) -> list[tuple[str, ...]]:
    model = dialog.model
    return [
        tuple(str(model.index(r, c).data()) for c in range(model.columnCount()))
        for r in range(model.rowCount())
    ]


def test_table_lists_the_changes_and_the_unread_cells(qtbot, parent, edited):
    setup, path, refs = edited
    dialog = make_dialog(parent, setup, path)
    assert rows(dialog) == [
        (
            f"Blue!{refs[('Blue', 'Agent 3', MON)]}",
            "Agent 3",
            "Mon 02 Nov",
            "08:00-16:30",
            "Off",
            "OK",
        ),
        (
            f"Red!{refs[('Red', 'Agent 1', TUE)]}",
            "Agent 1",
            "Tue 03 Nov",
            "08:00-16:30",
            "09:00-17:30",
            "OK",
        ),
        (
            f"Red!{refs[('Red', 'Agent 2', WED)]}",
            "Agent 2",
            "Wed 04 Nov",
            "12:00-20:30",
            "Leave",
            "OK",
        ),
    ]
    header = dialog.header_label.text()
    assert "roster.xlsx" in header and "exported 22 Nov 2026 14:05" in header
    assert "3 changes, 1 cell could not be read" in header
    unread = [dialog.unread_list.item(i).text() for i in range(dialog.unread_list.count())]
    assert len(unread) == 1 and unread[0].startswith(f"Red!{refs[('Red', 'Agent 0', THU)]} '8.30'")
    assert dialog.unread_panel.isVisible() and dialog.apply_button.isVisible()
    assert dialog.apply_button.text() == "&Apply 3 changes"
    assert all(dialog.model.index(r, 0).data(CHECK) == Qt.CheckState.Checked for r in range(3))
    assert dialog.check_label.text() == "The ticked changes break no rule."
    dialog.close()


def test_apply_without_one_is_one_undo_step_and_undo_restores_the_roster(qtbot, parent, edited):
    setup, path, _ = edited
    roster = setup.roster
    shifts, leave = dict(roster.shifts), dict(roster.leave)
    dialog = make_dialog(parent, setup, path)
    # Untick Agent 1's new times, as a click on the box does.
    assert dialog.model.setData(dialog.model.index(1, 0), Qt.CheckState.Unchecked.value, CHECK)
    assert dialog.apply_button.text() == "&Apply 2 changes"
    assert dialog.model.check(1)[0] == SKIPPED
    with qtbot.waitSignal(dialog.applied) as blocker:
        qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [2]
    assert setup.stack.count() == 1
    assert setup.stack.text(0) == "Team lead changes from roster.xlsx (2 cells)"
    assert isinstance(setup.stack.command(0), RosterUndoCommand)
    assert ("Agent 3", MON) not in roster.shifts  # Off
    assert roster.leave[("Agent 2", WED)] == "leave" and ("Agent 2", WED) not in roster.shifts
    assert roster.shifts[("Agent 1", TUE)].label() == "08:00-16:30"  # not ticked: unchanged
    assert not dialog.isVisible() and dialog.result() == LeadChangesDialog.DialogCode.Accepted
    setup.stack.undo()
    assert roster.shifts == shifts and roster.leave == leave
    setup.stack.redo()
    assert ("Agent 3", MON) not in roster.shifts


def test_a_cell_both_changed_is_a_conflict_and_starts_unticked(qtbot, parent, tmp_path):
    roster = small_roster()
    path = export(roster, tmp_path / "roster.xlsx")
    # After the export the planner moves Agent 1's Thursday; the lead changes it too.
    cmd.ResizeShift("Agent 1", THU, 7 * 60, 15 * 60 + 30).apply(roster)
    edit_cells(path, {("Red", "Agent 1", THU): "09:00-17:30"})
    setup = Setup(roster)
    dialog = make_dialog(parent, setup, path)
    assert len(dialog.model.changes) == 1
    change = dialog.model.changes[0]
    assert (change.before, change.after, change.conflict) == ("07:00-15:30", "09:00-17:30", True)
    assert dialog.model.index(0, 0).data(CHECK) == Qt.CheckState.Unchecked
    state, text, _ = dialog.model.check(0)
    assert state == CONFLICT
    assert text == "Conflict: you changed this cell after the export (was 08:00-16:30)"
    assert dialog.model.index(0, 5).data() == text
    assert not dialog.apply_button.isEnabled() and dialog.apply_button.text() == "&Apply 0 changes"
    # Select all ticks it: the lead's version wins when applied.
    qtbot.mouseClick(dialog.all_button, Qt.MouseButton.LeftButton)
    assert dialog.apply()
    assert roster.shifts[("Agent 1", THU)].label() == "09:00-17:30"
    assert setup.stack.count() == 1


def test_check_column_shows_a_new_rest_violation_of_the_ticked_changes(qtbot, parent, tmp_path):
    roster = small_roster()  # Agent 0 works 12:00-20:30 on weekdays
    path = export(roster, tmp_path / "roster.xlsx")
    edit_cells(
        path,
        {("Red", "Agent 0", TUE): "07:00-15:30", ("Red", "Agent 1", WED): "09:00-17:30"},
    )
    setup = Setup(roster)
    dialog = make_dialog(parent, setup, path)
    model = dialog.model
    assert [c.agent for c in model.changes] == ["Agent 0", "Agent 1"]
    state, text, tip = model.check(0)
    assert state == VIOLATION
    assert "Only 10.5 h rest after Mon 02 Nov's shift ending 20:30" in text
    assert model.index(0, 5).data(Qt.ItemDataRole.ToolTipRole) == tip
    assert model.index(0, 5).data(Qt.ItemDataRole.ForegroundRole).color().name() == "#c0392b"
    assert model.check(1)[0] == OK
    assert "break 1 rule" in dialog.check_label.text()
    # Unticking the early Tuesday takes its violation away (rechecked on the ticked set).
    dialog.set_accepted(0, False)
    qtbot.waitUntil(lambda: model.violation_count() == 0, timeout=2000)
    assert model.check(0)[0] == SKIPPED and model.check(1)[0] == OK
    assert dialog.check_label.text() == "The ticked changes break no rule."
    dialog.close()


def test_a_workbook_without_changes_is_an_information_message(qtbot, parent, tmp_path):
    roster = small_roster()
    path = export(roster, tmp_path / "roster.xlsx")
    edit_cells(path, {("Red", "Agent 0", THU): "banana"})
    setup = Setup(roster)
    dialog = make_dialog(parent, setup, path)
    assert dialog.model.rowCount() == 0
    assert "<b>roster.xlsx</b> has no changes against the roster" in dialog.header_label.text()
    assert "1 cell could not be read" in dialog.header_label.text()
    assert not dialog.apply_button.isVisible() and dialog.icon_label.isVisible()
    assert dialog.unread_panel.isVisible() and not dialog.table.isVisible()
    assert dialog.unread_list.item(0).text().startswith("Red!")
    assert dialog.cancel_button.text() == "Close"
    assert not dialog.apply()
    assert setup.stack.count() == 0
    dialog.close()


def test_reading_in_the_background_then_showing_or_reporting(qtbot, parent, edited, tmp_path):
    setup, path, _ = edited
    dialog = LeadChangesDialog(
        None, setup.roster, parent, editor=setup.editor, undo_stack=setup.stack
    )
    dialog.show()
    with qtbot.waitSignal(dialog.loaded, timeout=20000):
        dialog.read(path)
        assert "Reading <b>roster.xlsx</b>" in dialog.header_label.text()
        assert dialog.progress_bar.isVisible() and not dialog.apply_button.isVisible()
    assert dialog.model.rowCount() == 3 and dialog.apply_button.isEnabled()
    assert not dialog.progress_bar.isVisible()
    dialog.close()

    bad = tmp_path / "notes.xlsx"
    bad.write_text("not a workbook", encoding="utf-8")
    other = LeadChangesDialog(None, setup.roster, parent)
    other.show()
    with qtbot.waitSignal(other.loaded, timeout=20000):
        other.read(bad)
    assert other.error is not None and other.error_label.isVisible()
    assert "notes.xlsx" in other.error_label.text()
    assert other.cancel_button.text() == "Close" and not other.apply_button.isVisible()
    other.close()


# --- the window: File ▸ Import team lead changes… -------------------------------------------
@pytest.fixture
def window(qtbot):
    from ui.main_window import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    yield w
    w.close()


def test_file_menu_actions_follow_the_schedule_pages_roster(qtbot, window):
    texts = [a.text() for a in window.file_menu.actions()]
    at = texts.index("&Save history as…")
    assert texts[at + 1 : at + 4] == ["", "&Export roster…", "Import team &lead changes…"]
    assert window.export_roster_action.shortcut().toString() == "Ctrl+E"
    page = window.schedule_page
    assert page.editor is None
    for action in (window.export_roster_action, window.import_changes_action):
        assert not action.isEnabled()
    assert window.export_roster() is None and window.import_lead_changes("x.xlsx") is None
    page.set_roster(small_roster())
    for action in (window.export_roster_action, window.import_changes_action):
        assert action.isEnabled()


def test_import_lead_changes_applies_one_undo_step_on_the_schedule_page(qtbot, window, tmp_path):
    page = window.schedule_page
    window.tabs.setCurrentWidget(page)  # the page takes the (empty) Staffing need first
    page.set_roster(small_roster())
    page.set_need(make_need(14))
    roster = page.editor.roster
    shifts, leave = dict(roster.shifts), dict(roster.leave)
    path = export(roster, tmp_path / "roster.xlsx")
    edit_cells(
        path,
        {
            ("Red", "Agent 1", TUE): "09:00-17:30",
            ("Red", "Agent 2", WED): "sick",
            ("Blue", "Agent 3", MON): "Off",
        },
    )
    window.tabs.setCurrentWidget(window.data_page)
    dialog = window.import_lead_changes(path)
    assert dialog is not None and window.lead_changes_dialog is dialog
    qtbot.waitUntil(lambda: dialog.lead_changes is not None, timeout=20000)
    assert dialog.isVisible()
    assert dialog.windowModality() == Qt.WindowModality.WindowModal
    assert dialog.model.rowCount() == 3
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.lead_changes_dialog is None, timeout=5000)  # destroyed
    assert window.tabs.currentWidget() is page
    assert page.undo_stack.count() == 1
    assert window.statusBar().currentMessage() == (
        "Applied 3 changes from roster.xlsx (Ctrl+Z undoes them)."
    )
    assert roster.leave[("Agent 2", WED)] == "sick"
    assert roster.shifts[("Agent 1", TUE)].label() == "09:00-17:30"
    assert window.undo_action.isEnabled()
    assert window.undo_action.text() == "&Undo Team lead changes from roster.xlsx (3 cells)"
    window.undo_action.trigger()  # Edit ▸ Undo
    assert roster.shifts == shifts and roster.leave == leave
    assert window.redo_action.text() == "&Redo Team lead changes from roster.xlsx (3 cells)"


def test_import_is_refused_while_the_solver_works(qtbot, window, tmp_path, monkeypatch):
    page = window.schedule_page
    page.set_roster(small_roster())
    monkeypatch.setattr(type(page), "solving", property(lambda self: True))
    assert window.import_lead_changes(tmp_path / "roster.xlsx") is None
    assert "solver is working" in window.last_error_box.text()
    window.last_error_box.close()


def test_closing_while_the_workbook_is_read_changes_nothing(qtbot, window, tmp_path):
    page = window.schedule_page
    page.set_roster(small_roster())
    roster = page.editor.roster
    path = export(roster, tmp_path / "roster.xlsx")
    edit_cells(path, {("Red", "Agent 1", TUE): "09:00-17:30"})
    dialog = window.import_lead_changes(path)
    assert dialog is not None and dialog.reading
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.lead_changes_dialog is None, timeout=5000)  # destroyed
    # The read ends on its own; its queued reports reach nobody.
    assert QThreadPool.globalInstance().waitForDone(20000)
    QCoreApplication.processEvents()
    assert page.undo_stack.count() == 0
    assert roster.shifts[("Agent 1", TUE)].label() == "08:00-16:30"


# --- review: what a planner sees and does first -----------------------------------------------
def test_the_check_column_puts_the_rest_rule_before_the_template_window(qtbot, parent, tmp_path):
    roster = small_roster()  # Agent 1 works 08:00-16:30 on weekdays (Early)
    path = export(roster, tmp_path / "roster.xlsx")
    # A late Wednesday: outside Early's start window (Wed) and too little rest before Thursday.
    edit_cells(path, {("Red", "Agent 1", WED): "14:00-22:30"})
    dialog = make_dialog(parent, Setup(roster), path)
    state, text, _ = dialog.model.check(0)
    assert state == VIOLATION
    lines = text.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("Only 9.5 h rest after Wed 04 Nov's shift ending 22:30")
    assert lines[1] == "The shift starts at 14:00, outside Early's start window 07:00-09:00"
    dialog.close()


def test_space_ticks_the_selected_rows_from_any_column_and_enter_applies(qtbot, parent, edited):
    setup, path, _ = edited
    dialog = make_dialog(parent, setup, path)
    table = dialog.table
    table.setFocus()
    # The Agent cell of the second row is current: the view alone ignores Space there.
    table.setCurrentIndex(dialog.proxy.index(1, ChangesModel.AGENT))
    qtbot.keyClick(table, Qt.Key.Key_Space)
    assert dialog.model.accepted == [True, False, True]
    assert dialog.apply_button.text() == "&Apply 2 changes"
    qtbot.keyClick(table, Qt.Key.Key_Space)
    assert dialog.model.accepted == [True, True, True]
    # Two rows selected: one Space unticks both.
    table.selectRow(0)
    table.selectionModel().select(
        dialog.proxy.index(2, 0),
        QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
    )
    qtbot.keyClick(table, Qt.Key.Key_Space)
    assert dialog.model.accepted == [False, True, False]
    # "Select all" clicked last must not take Enter from Apply.
    qtbot.mouseClick(dialog.all_button, Qt.MouseButton.LeftButton)
    dialog.set_accepted(0, False)
    assert not dialog.all_button.autoDefault() and dialog.apply_button.isDefault()
    with qtbot.waitSignal(dialog.applied, timeout=5000) as blocker:
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert blocker.args == [2] and setup.stack.count() == 1


def test_sorting_by_a_column_keeps_the_ticks_on_their_changes(qtbot, parent, edited):
    setup, path, refs = edited
    dialog = make_dialog(parent, setup, path)
    view = dialog.proxy

    def column(col: int) -> list[str]:
        return [view.index(r, col).data() for r in range(view.rowCount())]

    assert column(ChangesModel.DAY) == ["Mon 02 Nov", "Tue 03 Nov", "Wed 04 Nov"]
    dialog.table.sortByColumn(ChangesModel.AFTER, Qt.SortOrder.AscendingOrder)
    assert column(ChangesModel.AFTER) == ["09:00-17:30", "Leave", "Off"]
    dialog.table.sortByColumn(ChangesModel.AGENT, Qt.SortOrder.DescendingOrder)
    assert column(ChangesModel.AGENT) == ["Agent 3", "Agent 2", "Agent 1"]
    # Unticking the top row (Agent 3, through the view) unticks Agent 3's change.
    assert view.setData(view.index(0, 0), Qt.CheckState.Unchecked.value, CHECK)
    assert [c.agent for c in dialog.accepted_changes()] == ["Agent 1", "Agent 2"]
    # The rows do not jump while ticking; the ticked state sorts with the Check column.
    dialog.table.sortByColumn(ChangesModel.CHECK, Qt.SortOrder.AscendingOrder)
    assert column(ChangesModel.AGENT)[-1] == "Agent 3"
    dialog.close()


def test_when_every_change_is_a_conflict_the_header_says_why_nothing_is_ticked(
    qtbot, parent, tmp_path
):
    roster = small_roster()
    path = export(roster, tmp_path / "roster.xlsx")
    for agent in ("Agent 1", "Agent 3"):
        cmd.ResizeShift(agent, THU, 7 * 60, 15 * 60 + 30).apply(roster)
    edit_cells(path, {("Red", "Agent 1", THU): "09:00-17:30", ("Blue", "Agent 3", THU): "Off"})
    dialog = make_dialog(parent, Setup(roster), path)
    assert dialog.model.conflict_count() == 2 and not any(dialog.model.accepted)
    assert dialog.header_label.text().endswith(
        ": 2 changes, all in conflict with your own edits since the export (not ticked)"
    )
    assert "tick a conflict to let the lead's version replace yours" in dialog.check_label.text()
    assert not dialog.apply_button.isEnabled()
    dialog.set_accepted(1, True)
    assert dialog.apply_button.isEnabled() and dialog.apply_button.text() == "&Apply 1 change"
    dialog.close()


def test_a_dialog_deleted_while_reading_takes_no_late_report(
    qtbot, qapp, parent, edited, monkeypatch
):
    import ui.lead_changes_dialog as module

    setup, path, _ = edited
    started, go_on = threading.Event(), threading.Event()

    def held_read(path, roster, progress=None):
        started.set()
        go_on.wait(10)
        progress(0.5, "half way")  # reaches a dialog that is gone
        return read_lead_changes(path, roster)

    monkeypatch.setattr(module, "read_lead_changes", held_read)
    dialog = LeadChangesDialog(None, setup.roster, parent)
    dialog.show()
    dialog.read(path)
    qtbot.waitUntil(started.is_set, timeout=10000)
    gone = []
    dialog.destroyed.connect(lambda *_: gone.append(True))
    dialog.deleteLater()  # as when its window goes: no reject(), no cancel
    qtbot.waitUntil(lambda: gone == [True], timeout=5000)
    go_on.set()
    assert QThreadPool.globalInstance().waitForDone(20000)
    qapp.processEvents()  # deliver the worker's queued reports (an error would fail the test)


def test_importing_again_replaces_the_open_dialog(qtbot, window, tmp_path):
    page = window.schedule_page
    page.set_roster(small_roster())
    path = export(page.editor.roster, tmp_path / "roster.xlsx")
    edit_cells(path, {("Red", "Agent 1", TUE): "09:00-17:30"})
    first = window.import_lead_changes(path)
    gone = []
    first.destroyed.connect(lambda *_: gone.append(True))
    second = window.import_lead_changes(path)
    qtbot.waitUntil(lambda: gone == [True], timeout=5000)  # closed and deleted, not hidden
    assert window.lead_changes_dialog is second and second.parent() is window
    qtbot.waitUntil(lambda: second.lead_changes is not None, timeout=20000)
    assert second.model.rowCount() == 1
    second.close()
    qtbot.waitUntil(lambda: window.lead_changes_dialog is None, timeout=5000)
