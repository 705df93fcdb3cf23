"""The main window: opening the sample centre, importing, drag and drop, errors, settings."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDropEvent, QKeySequence
from PySide6.QtWidgets import QMessageBox, QPlainTextEdit

from tests.conftest import heavy_modules_after
from tests.ui.conftest import SAMPLE_HISTORY, make_history
from ui.app import create_application, sample_history_path
from ui.main_window import MainWindow, mime_for
from wfm.io.history import IntervalHistory


@pytest.fixture
def window(qtbot):
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    yield w
    w.close()


def open_and_wait(qtbot, window: MainWindow, path: Path) -> None:
    window.open_path(path)
    qtbot.waitUntil(
        lambda: window.history is not None and window.source_path == path, timeout=20000
    )


def import_and_wait(qtbot, window: MainWindow, path: Path):
    dialog = window.import_file(path)
    assert dialog is not None and window.import_dialog is dialog
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=10000)
    dialog.set_adds_to_history(False)  # these tests look at the imported file alone
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.report is not None, timeout=20000)
    return dialog


def test_sample_history_is_bundled_where_the_app_looks():
    assert sample_history_path() == SAMPLE_HISTORY
    assert SAMPLE_HISTORY.is_file()


def test_main_window_opens_the_sample_history_and_draws_it(qtbot, window):
    open_and_wait(qtbot, window, SAMPLE_HISTORY)
    history = window.history
    page = window.data_page
    # A history opened by itself becomes the history of the (untitled) plan on screen.
    assert window.windowTitle() == "Untitled[*] — WFM Planner"
    assert window.isWindowModified() and window.source_path == SAMPLE_HISTORY

    days = history.daily_totals()
    n_days = (days["date"].max() - days["date"].min()).days + 1
    # Chart 1: a line per queue over every day of the history.
    items = page.daily_plot.getPlotItem().listDataItems()
    assert len(items) == len(history.queues) == 2
    assert sorted(page.daily_curves) == history.queues
    for queue, curve in page.daily_curves.items():
        x, y = curve.getData()
        assert len(x) == len(y) == n_days
        expected = days.loc[days["queue"] == queue, "offered"].to_numpy()
        np.testing.assert_allclose(np.nansum(y), expected.sum())
    # Chart 2: a line per weekday, one point per interval of the day, for the chosen queue.
    assert len(page.intraday_plot.getPlotItem().listDataItems()) == 7
    for curve in page.intraday_curves.values():
        x, y = curve.getData()
        assert len(x) == len(y) == 24 * 60 // history.interval_minutes
        assert x[0] == 0 and x[-1] == 24 * 60 - history.interval_minutes
    # The header names the queues and the totals come from wfm's daily totals.
    header = page.header_label.text()
    assert "Sales, Support" in header
    assert f"{int(days['offered'].sum()):,}" in header
    # No import, no report panel.
    assert page.report_box.isHidden()


def test_intraday_chart_follows_the_queue_selector(qtbot, window):
    open_and_wait(qtbot, window, SAMPLE_HISTORY)
    page = window.data_page
    profile = window.history.intraday_profile()
    for queue in ("Sales", "Support"):
        page.select_queue(queue)
        monday = profile[(profile["queue"] == queue) & (profile["weekday"] == 0)]
        _, y = page.intraday_curves[0].getData()
        np.testing.assert_allclose(y, monday["offered"].to_numpy())
    # Sales is closed on Sundays in the sample centre; Support is not.
    page.select_queue("Sales")
    assert np.nansum(page.intraday_curves[6].getData()[1]) == 0
    page.select_queue("Support")
    assert np.nansum(page.intraday_curves[6].getData()[1]) > 0


def test_hover_readout_shows_the_values_under_the_cursor(qtbot, window):
    open_and_wait(qtbot, window, SAMPLE_HISTORY)
    page = window.data_page
    x, y = page.daily_curves["Support"].getData()
    text = page.daily_hover.show_at(x[10] + 3600)  # a bit off the point: nearest day is used
    assert text is not None and "Support: " + f"{int(y[10]):,}" in text
    assert page.daily_hover.label.isVisible()
    page.select_queue("Support")
    text = page.intraday_hover.show_at(9 * 60 + 5)
    assert text.splitlines()[0] == "09:00"
    assert len(text.splitlines()) == 8  # the time and the seven weekdays


def test_importing_a_call_log_through_the_dialog_updates_the_window(qtbot, window, call_log):
    open_and_wait(qtbot, window, SAMPLE_HISTORY)
    dialog = import_and_wait(qtbot, window, call_log)
    assert dialog.result is not None
    assert window.history is dialog.result.history
    assert window.history.queues == ["Sales", "Support"]
    assert window.source_path == call_log.resolve() and window.isWindowModified()
    # The charts now show the three imported days.
    x, _ = window.data_page.daily_curves["Sales"].getData()
    assert len(x) == 3
    # The report panel lists every finding of the cleaning report, with its count and action.
    page = window.data_page
    assert not page.report_box.isHidden()
    table = page.report_table
    findings = window.report.findings
    assert table.rowCount() == len(findings) > 0
    rows = {table.item(r, 0).text(): r for r in range(table.rowCount())}
    for finding in findings:
        row = rows[finding.title]
        assert table.item(row, 1).text() == f"{finding.count:,}"
        assert table.item(row, 3).text() == finding.action
        assert table.item(row, 0).data(Qt.ItemDataRole.UserRole) == finding.code
    codes = {f.code for f in findings}
    assert {"not_calls", "bad_timestamp", "duplicate_rows"} <= codes
    bad = window.report.finding("bad_timestamp")
    assert table.item(rows[bad.title], 2).text().startswith(f"{bad.rows[0]:,}")
    # Summary figures come from report.summary.
    summary = page.summary_label.text()
    offered = window.report.summary.get("calls_offered", window.report.summary.get("offered"))
    assert f"{offered:,}" in summary
    # The file joins the recent files.
    assert window.recent_files()[0] == str(call_log.resolve())
    # The full report dialog shows the wfm text report.
    full = page.show_full_report()
    qtbot.addWidget(full)
    assert full.findChild(QPlainTextEdit).toPlainText() == window.report.to_text()


def test_drop_of_a_call_log_starts_the_import_flow(qtbot, window, call_log):
    mime = mime_for(call_log)
    event = QDropEvent(
        QPointF(20, 20),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)
    assert event.isAccepted()
    dialog = window.import_dialog
    assert dialog is not None and dialog.path == call_log.resolve()
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=10000)
    assert dialog.preview.shape == "calls"


def test_drop_of_a_history_csv_opens_it_directly(qtbot, window, history_csv):
    assert window.drop_mime_data(mime_for(history_csv))
    qtbot.waitUntil(lambda: window.history is not None, timeout=10000)
    assert window.import_dialog is None
    assert window.source_path == history_csv.resolve()
    assert window.history.queues == ["North", "South"]


def test_drop_without_a_local_file_is_ignored(window):
    mime = QMimeData()
    mime.setUrls([QUrl("https://example.com/calls.csv")])
    assert not window.drop_mime_data(mime)
    mime = QMimeData()
    mime.setText("just text")
    assert not window.drop_mime_data(mime)
    assert window.import_dialog is None and window.history is None


def test_an_unreadable_history_shows_the_planner_message(qtbot, window, tmp_path):
    bad = tmp_path / "broken_history.csv"
    bad.write_text(
        "queue,interval_start,offered,handled,abandoned,aht_seconds\n"
        "A,2026-03-02T09:00:00,12,11,1,200\n"
        "A,2026-03-02T09:30:00,-4,11,1,200\n",
        encoding="utf-8",
    )
    window.open_path(bad)
    qtbot.waitUntil(lambda: window.last_error_box is not None, timeout=10000)
    box = window.last_error_box
    assert box.isVisible()
    assert (
        box.text()
        == "broken_history.csv, row 3, column 'offered': '-4' is not a valid offered value"
    )
    assert box.detailedText() == ""  # a planner message, not a bug: no traceback
    assert window.history is None


def test_a_bug_shows_its_traceback_in_the_details(qtbot, window, monkeypatch, history_csv):
    def broken(path):
        raise KeyError("interval_start")

    monkeypatch.setattr(IntervalHistory, "read_csv", staticmethod(broken))
    window.open_history(history_csv)
    qtbot.waitUntil(lambda: window.last_error_box is not None, timeout=10000)
    box = window.last_error_box
    assert "KeyError" in box.text() and "bug" in box.text()
    assert "Traceback" in box.detailedText() and "broken" in box.detailedText()
    box.close()


def test_save_history_as_writes_a_history_that_reads_back(qtbot, window, history_csv, tmp_path):
    open_and_wait(qtbot, window, history_csv)
    target = tmp_path / "out" / "saved.csv"
    target.parent.mkdir()
    saved = window.save_history_as(target)
    assert saved == target and target.is_file()
    again = IntervalHistory.read_csv(target)
    assert again.queues == window.history.queues and len(again) == len(window.history)
    assert window.source_path == target
    assert window.recent_files()[0] == str(target.resolve())


def test_save_into_a_missing_folder_is_reported(qtbot, window, history_csv, tmp_path):
    open_and_wait(qtbot, window, history_csv)
    assert window.save_history_as(tmp_path / "no such folder" / "x.csv") is None
    assert "does not exist" in window.last_error_box.text()


def test_recent_files_menu_and_geometry_live_in_the_isolated_settings(
    qtbot, window, history_csv, isolated_settings
):
    open_and_wait(qtbot, window, history_csv)
    actions = [a for a in window.recent_menu.actions() if not a.isSeparator()]
    assert actions[0].text().endswith("small_history.csv")
    window.resize(900, 700)
    size = (window.width(), window.height())  # what the window could take on this screen
    window.ask_hook = lambda box: QMessageBox.StandardButton.Discard  # the unsaved history
    window.close()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)
    settings = QSettings()
    assert Path(settings.fileName()).is_relative_to(isolated_settings)
    assert settings.value("recent_files") in (
        [str(history_csv.resolve())],
        str(history_csv.resolve()),
    )
    assert settings.value("main_window/geometry") is not None
    # A new window comes back at the saved size.
    again = MainWindow()
    qtbot.addWidget(again)
    screen_width = again.screen().availableGeometry().width()  # 800 on the offscreen platform
    assert again.height() == size[1]
    assert abs(again.width() - min(size[0], screen_width)) <= 2


def test_import_action_has_the_ctrl_i_shortcut(window):
    assert window.import_action.shortcut().toString() == "Ctrl+I"
    menu_titles = [a.text() for a in window.menuBar().actions()]
    assert menu_titles == ["&File", "&Edit", "&View", "&Tools", "&Help"]


def test_about_box_opens_without_blocking(qtbot, window):
    box = window.show_about()
    assert isinstance(box, QMessageBox) and box.isVisible()
    box.close()


def test_create_application_sets_the_names_settings_are_filed_under(qapp):
    app = create_application([])
    assert app is qapp
    assert app.applicationName() == "WFM Planner"
    assert app.organizationName() == "wfm-planner"


def test_the_window_starts_without_heavy_imports():
    assert heavy_modules_after("ui.app, ui.main_window", ("prophet", "ortools", "cmdstanpy")) == []


def test_tools_menu_opens_the_calculators(qtbot, window):
    window.staffing_page.calculator_action.trigger()
    calculator = window.staffing_page.open_calculator()
    assert calculator.isVisible() and not calculator.isModal()
    calculator.close()
    dialog = window.open_nonvoice_calculator()
    assert dialog.isVisible() and not dialog.isModal()
    dialog.close()


def test_staffing_follows_the_history_then_the_forecast(qtbot, window, tmp_path):
    history_csv = make_history(days=35).write_csv(tmp_path / "five_weeks.csv")
    open_and_wait(qtbot, window, history_csv)
    staffing = window.staffing_page
    history = window.history
    assert staffing.table is not None
    assert staffing.table["interval_start"].max() == history.frame["interval_start"].max()
    page = window.forecast_page
    page.set_method("last-week")
    with qtbot.waitSignal(page.forecastChanged, timeout=60000):
        page.run_forecast()
    forecast = page.forecast
    assert forecast is not None
    # The Staffing tab now staffs the forecast's days, not the history's.
    shown = forecast.frame[forecast.frame["queue"] == staffing.selected_queue]
    assert staffing.table["interval_start"].min() == shown["interval_start"].min()
    assert staffing.table["volume"].sum() == pytest.approx(shown["volume"].sum())


def test_schedule_tab_follows_staffing_and_gets_its_requirement(qtbot, window, history_csv):
    tabs = window.tabs
    assert [tabs.tabText(i) for i in range(tabs.count())] == [
        "&Data",
        "&Forecast",
        "&Staffing",
        "Sc&hedule",
        "S&cenarios",
        "E&xport",
    ]
    assert tabs.widget(3) is window.schedule_page
    open_and_wait(qtbot, window, history_csv)
    assert window.schedule_page.need is None  # handed over when the tab is shown
    tabs.setCurrentWidget(window.schedule_page)
    need = window.schedule_page.need
    assert need is not None and need.queues == ("North", "South")
    assert need.days == 14 and need.interval_minutes == 30  # the history's last 4 weeks
    assert window.schedule_page.editor is not None
    assert need.required.sum() > 0


def test_edit_menu_undo_acts_on_the_current_page(qtbot, window, history_csv):
    import datetime as dt

    from wfm.forecast.overrides import Override, OverrideList

    open_and_wait(qtbot, window, history_csv)
    forecast = window.forecast_page
    forecast.set_overrides(OverrideList(()))
    panel = forecast.override_panel
    panel.value_spin.setValue(25)
    panel.set_span(dt.datetime(2026, 3, 10), dt.datetime(2026, 3, 11))
    panel.add_button.click()
    assert len(forecast.overrides) == 1
    assert isinstance(forecast.overrides[0], Override)

    tabs = window.tabs
    tabs.setCurrentWidget(window.schedule_page)
    schedule = window.schedule_page
    model = schedule.model
    assert model.setData(model.index(0, 0), "08:00-16:30")
    assert schedule.editor.roster.shifts
    assert "Undo" in window.undo_action.text()
    window.undo_action.trigger()  # Edit ▸ Undo on the Schedule page
    assert not schedule.editor.roster.shifts
    assert len(forecast.overrides) == 1
    window.redo_action.trigger()
    assert schedule.editor.roster.shifts
    assert QKeySequence("Ctrl+Y") in window.redo_action.shortcuts()
    assert QKeySequence("Ctrl+Shift+Z") in window.redo_action.shortcuts()

    tabs.setCurrentWidget(forecast)
    window.undo_action.trigger()  # now on the Forecast page
    assert len(forecast.overrides) == 0
    assert schedule.editor.roster.shifts


def schedule_with_small_need(window: MainWindow):
    from tests.ui.test_roster_model import make_agents, make_need, make_setup

    window.tabs.setCurrentWidget(window.schedule_page)  # before the need: the tab hands one
    page = window.schedule_page
    page.set_inputs(make_agents(), make_setup())
    page.set_need(make_need())
    return page


def test_ctrl_z_in_an_open_cell_editor_undoes_the_typing_not_the_roster(qtbot, window):
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QLineEdit

    page = schedule_with_small_need(window)
    model, grid = page.model, page.grid
    assert model.setData(model.index(0, 0), "08:00-16:30")
    window.activateWindow()
    grid.setCurrentIndex(model.index(1, 0))
    grid.setFocus()
    QTest.keyClick(grid, Qt.Key.Key_F2)
    editor = grid.viewport().findChild(QLineEdit)
    assert editor is not None and editor.isVisible()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is editor, timeout=2000)
    QTest.keyClicks(editor, "09:00")
    QTest.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.text() == ""  # the editor's own undo took the key
    assert ("Agent 0", model.dates[0]) in page.editor.roster.shifts  # not the roster's
    assert page.undo_stack.count() == 1 and page.undo_stack.index() == 1
    QTest.keyClick(editor, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is grid, timeout=2000)
    QTest.keyClick(grid, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert page.editor.roster.shifts == {}  # with the editor closed, Ctrl+Z is the roster's


def test_undo_is_out_of_reach_while_a_solve_runs_and_undoes_the_generate_after(qtbot, window):
    page = schedule_with_small_need(window)
    page.model.setData(page.model.index(0, 0), "08:00-16:30")
    assert window.undo_action.isEnabled()
    page.time_limit_spin.setValue(60)
    assert page.generate()
    assert not window.undo_action.isEnabled()
    window.tabs.setCurrentWidget(window.forecast_page)
    window.tabs.setCurrentWidget(page)
    assert not window.undo_action.isEnabled()  # coming back during the solve: still off
    page.stop_solve()
    qtbot.waitUntil(lambda: not page.solving, timeout=30000)
    assert window.undo_action.isEnabled()
    assert page.undo_stack.count() == 2  # the typed shift, then the whole Generate
    window.undo_action.trigger()  # undo the Generate: only the typed shift is left
    assert set(page.editor.roster.shifts) == {("Agent 0", page.model.dates[0])}
