"""The export dialog: teams, period and day sheets reach the workbook; progress, cancel and
errors are handled in the dialog without leaving a file behind."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QWidget

import ui.export_dialog as export_module
from tests.ui.test_roster_model import MON, make_agents, make_need, make_setup, shift
from ui.export_dialog import CENTRE_KEY, FOLDER_KEY, SAMPLE_CENTRE, ExportDialog
from wfm.export.layout import HEADER_ROW, META_SHEET
from wfm.roster import commands as cmd
from wfm.roster.roster import Roster
from wfm.scheduling.loaders import read_agents_csv, read_shift_setup

REPO = Path(__file__).resolve().parents[2]


def small_roster(days: int = 14) -> Roster:
    """Six agents in two teams (Red, Blue) over two weeks, each working Mon-Fri."""
    roster = Roster(MON, days, make_agents(), make_setup())
    for i, agent in enumerate(roster.agents):
        for d in range(days):
            day = MON + dt.timedelta(days=d)
            if day.weekday() < 5:
                start = 8 * 60 if i % 2 else 12 * 60
                template = "Early" if i % 2 else "Late"
                roster.shifts[(agent.name, day)] = shift(
                    agent.name, day, start, start + 510, template
                )
    roster.leave[("Agent 0", MON + dt.timedelta(days=5))] = "leave"
    return roster


@pytest.fixture
def parent(qtbot):
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    return window


def open_dialog(qtbot, parent, roster=None, need="default") -> ExportDialog:
    roster = roster if roster is not None else small_roster()
    dialog = ExportDialog(roster, make_need(14) if need == "default" else need, parent)
    dialog.show()
    return dialog


def close(qtbot, dialog: ExportDialog) -> None:
    dialog._runner.wait(10000)
    dialog.close()


def run_export(qtbot, dialog: ExportDialog) -> None:
    with qtbot.waitSignal(dialog.exported, timeout=20000):
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)


def test_chosen_teams_period_and_day_sheets_reach_the_workbook(qtbot, parent, tmp_path):
    dialog = open_dialog(qtbot, parent)
    assert [i.text() for i in dialog.team_items()] == ["Blue  (3 agents)", "Red  (3 agents)"]
    assert dialog.selected_teams() == ("Blue", "Red")
    dialog.set_team_checked("Blue", False)
    dialog.set_period(MON + dt.timedelta(days=1), MON + dt.timedelta(days=3))
    dialog.day_sheets_check.setChecked(True)
    assert dialog.what_label.text() == (
        "Writes a summary, 1 team sheet (3 agents), 3 day sheets, coverage with the requirement."
    )
    target = tmp_path / "leads.xlsx"
    dialog.set_path(target)
    run_export(qtbot, dialog)

    summary = dialog.summary
    assert summary is not None and summary.path == target and target.is_file()
    book = openpyxl.load_workbook(target)
    visible = [ws.title for ws in book.worksheets if ws.sheet_state == "visible"]
    assert visible == ["Summary", "Red", "Coverage", "Tue 03 Nov", "Wed 04 Nov", "Thu 05 Nov"]
    assert book[META_SHEET].sheet_state == "hidden"
    assert list(summary.sheets) == visible
    # Red's three agents, three weekdays each.
    assert (summary.agents, summary.shifts) == (3, 9)
    assert dialog.done_label.isVisible() and not dialog.error_label.isVisible()
    assert dialog.done_label.text() == "Wrote leads.xlsx (6 sheets, 3 agents, 9 shifts)."
    assert dialog.open_button.isVisible() and dialog.show_button.isVisible()
    assert dialog.export_button.isEnabled() and dialog.close_button.text() == "Close"
    # The folder and the centre's name are remembered for the next export.
    assert QSettings().value(FOLDER_KEY) == str(tmp_path)
    close(qtbot, dialog)


def test_period_is_bounded_to_the_roster_and_from_never_passes_to(qtbot, parent):
    roster = small_roster(days=14)
    dialog = open_dialog(qtbot, parent, roster)
    last = MON + dt.timedelta(days=13)
    for edit in (dialog.from_edit, dialog.to_edit):
        assert edit.minimumDate().toPython() == MON
        assert edit.maximumDate().toPython() == last
    assert dialog.period() == (MON, last)
    assert "roster 2026-11-02 to 2026-11-15.xlsx" in dialog.path_edit.text()
    dialog.from_edit.setDate(dialog.from_edit.date().addDays(-5))  # clamped to the horizon
    assert dialog.period()[0] == MON
    dialog.to_edit.setDate(dialog.to_edit.date().addDays(30))
    assert dialog.period()[1] == last
    # From past To drags To along, and the other way round.
    dialog.to_edit.setDate(dialog.to_edit.date().addDays(-10))  # Thu 05 Nov
    dialog.from_edit.setDate(dialog.from_edit.date().addDays(6))  # Sun 08 Nov
    assert dialog.period() == (MON + dt.timedelta(days=6), MON + dt.timedelta(days=6))
    dialog.to_edit.setDate(dialog.to_edit.date().addDays(-4))
    assert dialog.period() == (MON + dt.timedelta(days=2), MON + dt.timedelta(days=2))
    options = dialog.options()
    assert (options.start, options.days, options.teams) == (MON + dt.timedelta(days=2), 1, None)
    # The suggested name follows the period until the planner names the file.
    assert dialog.path_edit.text().endswith("roster 2026-11-04 to 2026-11-04.xlsx")
    close(qtbot, dialog)


def test_no_team_or_no_file_disables_export_and_no_need_says_coverage_is_left_out(qtbot, parent):
    dialog = open_dialog(qtbot, parent, need=None)
    assert "no requirement: the coverage sheet is left out" in dialog.what_label.text()
    qtbot.mouseClick(dialog.none_button, Qt.MouseButton.LeftButton)
    assert dialog.selected_teams() == ()
    assert not dialog.export_button.isEnabled()
    assert dialog.what_label.text() == "Choose at least one team."
    assert not dialog.export()
    qtbot.mouseClick(dialog.all_button, Qt.MouseButton.LeftButton)
    assert dialog.export_button.isEnabled()
    dialog.path_edit.setText("")
    assert not dialog.export_button.isEnabled()
    close(qtbot, dialog)


def test_a_file_open_in_another_program_is_reported_in_the_dialog(qtbot, parent, tmp_path):
    target = tmp_path / "x.xlsx"
    (tmp_path / ".~lock.x.xlsx#").write_text("someone,host;", encoding="utf-8")
    dialog = open_dialog(qtbot, parent)
    dialog.set_path(target)
    dialog.set_team_checked("Red", False)
    with qtbot.waitSignal(dialog.exportFailed, timeout=20000) as blocker:
        dialog.export()
    assert "x.xlsx is open in another program" in str(blocker.args[0])
    assert dialog.error_label.isVisible()
    assert "Close it there and export again" in dialog.error_label.text()
    assert not target.exists()
    # The form is as it was: the same file, the same teams; Export works again.
    assert dialog.output_path() == target and dialog.selected_teams() == ("Blue",)
    assert dialog.export_button.isEnabled() and dialog.isVisible()
    close(qtbot, dialog)


def test_cancel_during_the_export_leaves_no_file(qtbot, parent, tmp_path, monkeypatch):
    started, go_on = threading.Event(), threading.Event()
    real = export_module.export_roster

    def held_export(roster, path, *, need=None, options=None, progress=None):
        def hook(fraction: float, message: str = "") -> None:
            if fraction > 0.0 and not started.is_set():
                started.set()  # a sheet is being written: hold here until the test cancels
                go_on.wait(10)
            progress(fraction, message)

        return real(roster, path, need=need, options=options, progress=hook)

    monkeypatch.setattr(export_module, "export_roster", held_export)
    target = tmp_path / "cancelled.xlsx"
    dialog = open_dialog(qtbot, parent)
    dialog.set_path(target)
    dialog.day_sheets_check.setChecked(True)
    assert dialog.export()
    qtbot.waitUntil(started.is_set, timeout=10000)
    assert dialog.running
    assert not dialog.export_button.isEnabled() and dialog.close_button.text() == "Cancel"
    assert not dialog.team_list.isEnabled() and dialog.progress_bar.isVisible()
    with qtbot.waitSignal(dialog.exportFailed, timeout=20000) as blocker:
        qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)  # Cancel
        assert dialog.isVisible()  # cancelling is not closing
        go_on.set()
    assert blocker.args == [None]
    assert not target.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["settings"]  # no temp file either
    assert "no file was written" in dialog.error_label.text()
    assert dialog.close_button.text() == "Close" and dialog.export_button.isEnabled()
    assert dialog.summary is None
    close(qtbot, dialog)


def test_an_unexpected_failure_shows_the_error_box_with_details(
    qtbot, parent, tmp_path, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(export_module, "export_roster", broken)
    shown = []
    monkeypatch.setattr(
        export_module, "show_error", lambda parent, exc, tb, title: shown.append((exc, tb))
    )
    dialog = open_dialog(qtbot, parent)
    dialog.set_path(tmp_path / "y.xlsx")
    with qtbot.waitSignal(dialog.exportFailed, timeout=10000):
        dialog.export()
    assert len(shown) == 1 and isinstance(shown[0][0], RuntimeError)
    assert "disk on fire" in shown[0][1]  # the traceback goes to the details
    assert "nothing was written" in dialog.error_label.text()
    close(qtbot, dialog)


def test_centre_name_defaults_to_the_sample_and_is_remembered(qtbot, parent, tmp_path):
    sample = REPO / "sample_data"
    agents = read_agents_csv(sample / "agents.csv")
    setup = read_shift_setup(sample / "shift_templates.toml")
    sample_roster = Roster(MON, 7, agents, setup)
    dialog = open_dialog(qtbot, parent, sample_roster, need=None)
    assert dialog.centre_edit.text() == SAMPLE_CENTRE
    assert [i.text() for i in dialog.team_items()][0].endswith("agents)")
    close(qtbot, dialog)

    other = open_dialog(qtbot, parent)  # not the sample centre: no made-up name
    assert other.centre_edit.text() == ""
    other.centre_edit.setText("Acme Energy")
    other.set_path(tmp_path / "z.xlsx")
    run_export(qtbot, other)
    assert QSettings().value(CENTRE_KEY) == "Acme Energy"
    book = openpyxl.load_workbook(tmp_path / "z.xlsx")
    assert any("Acme Energy" in str(c.value) for row in book["Summary"].iter_rows() for c in row)
    close(qtbot, other)
    again = open_dialog(qtbot, parent, sample_roster, need=None)
    assert again.centre_edit.text() == "Acme Energy"
    assert Path(again.path_edit.text()).parent == tmp_path  # the last folder used
    close(qtbot, again)


def test_window_export_roster_writes_the_file_and_says_so(qtbot, tmp_path):
    from ui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    window.schedule_page.set_roster(small_roster())
    target = tmp_path / "from window.xlsx"
    dialog = window.export_roster(target)
    assert dialog is not None and window.export_dialog is dialog
    assert dialog.windowModality() == Qt.WindowModality.WindowModal
    assert dialog.output_path() == target
    assert "coverage sheet is left out" in dialog.what_label.text()  # the page has no need
    run_export(qtbot, dialog)
    assert target.is_file()
    assert window.statusBar().currentMessage() == (
        "Wrote from window.xlsx (3 sheets, 6 agents, 60 shifts)."
    )
    dialog.close()
    qtbot.waitUntil(lambda: window.export_dialog is None, timeout=5000)  # destroyed
    window.close()


def test_the_window_starts_without_the_workbook_code():
    from tests.conftest import heavy_modules_after

    loaded = heavy_modules_after(
        "ui.app, ui.main_window", ("openpyxl", "wfm.export.workbook", "ui.export_dialog")
    )
    assert loaded == []


# --- review: re-export, the desktop, the roster changing meanwhile, the window -----------------
def held(monkeypatch) -> tuple[threading.Event, threading.Event]:
    """Make the dialog's export stop at its first progress report until ``go_on`` is set."""
    started, go_on = threading.Event(), threading.Event()
    real = export_module.export_roster

    def held_export(roster, path, *, need=None, options=None, progress=None):
        def hook(fraction: float, message: str = "") -> None:
            if not started.is_set():
                started.set()
                go_on.wait(10)
            progress(fraction, message)

        return real(roster, path, need=need, options=options, progress=hook)

    monkeypatch.setattr(export_module, "export_roster", held_export)
    return started, go_on


def cell_text(path: Path, sheet: str, agent: str, day: dt.date) -> object:
    ws = openpyxl.load_workbook(path)[sheet]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == agent)
    col = next(
        c
        for c in range(1, ws.max_column + 1)
        if isinstance(ws.cell(HEADER_ROW, c).value, dt.datetime)
        and ws.cell(HEADER_ROW, c).value.date() == day
    )
    return ws.cell(row, col).value


def test_exporting_again_to_the_same_file_replaces_it_and_says_so_first(qtbot, parent, tmp_path):
    target = tmp_path / "leads.xlsx"
    dialog = open_dialog(qtbot, parent)
    dialog.set_path(target)
    assert "exists" not in dialog.what_label.text()
    run_export(qtbot, dialog)
    assert dialog.what_label.text().endswith(" The file exists already: exporting replaces it.")
    dialog.set_team_checked("Blue", False)
    run_export(qtbot, dialog)
    book = openpyxl.load_workbook(target)
    assert [ws.title for ws in book.worksheets if ws.sheet_state == "visible"] == [
        "Summary",
        "Red",
        "Coverage",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["leads.xlsx", "settings"]  # no temp
    close(qtbot, dialog)


def test_open_and_show_in_folder_without_a_desktop_say_where_the_file_is(
    qtbot, parent, tmp_path, monkeypatch
):
    asked = []

    def no_handler(url):
        asked.append(url.toLocalFile())
        return False

    monkeypatch.setattr(export_module.QDesktopServices, "openUrl", no_handler)
    dialog = open_dialog(qtbot, parent)
    target = tmp_path / "leads.xlsx"
    dialog.set_path(target)
    run_export(qtbot, dialog)
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    assert asked == [str(target)]
    assert dialog.error_label.isVisible()
    assert (
        dialog.error_label.text()
        == f"No program here opens leads.xlsx; the workbook is at {target}"
    )
    qtbot.mouseClick(dialog.show_button, Qt.MouseButton.LeftButton)
    assert asked[-1] == str(tmp_path)
    assert f"the workbook is at {target}" in dialog.error_label.text()
    assert dialog.done_label.isVisible()  # the file was written all the same
    close(qtbot, dialog)


def test_a_bare_file_name_goes_to_the_suggested_folder(qtbot, parent, tmp_path, monkeypatch):
    QSettings().setValue(FOLDER_KEY, str(tmp_path))
    monkeypatch.chdir(tmp_path / "settings")  # not where the file should go
    dialog = open_dialog(qtbot, parent)
    dialog.path_edit.setText("for leads")
    assert dialog.output_path() == tmp_path / "for leads.xlsx"
    run_export(qtbot, dialog)
    assert (tmp_path / "for leads.xlsx").is_file()
    close(qtbot, dialog)


def test_the_file_has_the_roster_as_it_was_when_export_was_pressed(
    qtbot, parent, tmp_path, monkeypatch
):
    started, go_on = held(monkeypatch)
    roster = small_roster()
    dialog = open_dialog(qtbot, parent, roster)
    target = tmp_path / "leads.xlsx"
    dialog.set_path(target)
    assert dialog.export()
    qtbot.waitUntil(started.is_set, timeout=10000)
    # The grid changes the roster while the workbook is being written.
    cmd.DeleteShift("Agent 1", MON).apply(roster)
    cmd.ResizeShift("Agent 4", MON, 9 * 60, 17 * 60 + 30).apply(roster)
    with qtbot.waitSignal(dialog.exported, timeout=20000):
        go_on.set()
    assert cell_text(target, "Red", "Agent 1", MON) == "08:00-16:30"
    assert cell_text(target, "Blue", "Agent 4", MON) == "12:00-20:30"
    close(qtbot, dialog)


def test_enter_exports_even_after_a_team_button_was_clicked(qtbot, parent, tmp_path):
    dialog = open_dialog(qtbot, parent)
    dialog.set_path(tmp_path / "leads.xlsx")
    qtbot.mouseClick(dialog.all_button, Qt.MouseButton.LeftButton)
    for button in (dialog.all_button, dialog.none_button, dialog.choose_button):
        assert not button.autoDefault()
    assert dialog.export_button.isDefault()
    with qtbot.waitSignal(dialog.exported, timeout=20000):
        qtbot.keyClick(dialog.path_edit, Qt.Key.Key_Return)
    assert (tmp_path / "leads.xlsx").is_file()
    close(qtbot, dialog)


def test_the_window_keeps_one_export_dialog_and_closing_it_cancels_the_export(
    qtbot, tmp_path, monkeypatch
):
    from ui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    window.schedule_page.set_roster(small_roster())
    first = window.export_roster(tmp_path / "first.xlsx")
    gone = []
    first.destroyed.connect(lambda *_: gone.append(True))
    second = window.export_roster(tmp_path / "second.xlsx")
    qtbot.waitUntil(lambda: gone == [True], timeout=5000)  # the old one is deleted
    assert window.export_dialog is second
    started, go_on = held(monkeypatch)
    assert second.export()
    qtbot.waitUntil(started.is_set, timeout=10000)
    # Ctrl+E again while it writes: the running dialog comes to the front, no second one.
    assert window.export_roster() is second and second.running
    with qtbot.waitSignal(second.exportFailed, timeout=20000) as blocker:
        window.close()  # quitting: the export is cancelled, nothing is left half-written
        go_on.set()
    assert blocker.args == [None]
    assert not (tmp_path / "second.xlsx").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["settings"]
