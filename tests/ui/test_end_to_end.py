"""End to end: the real window, from the bundled sample plan and its per-call log to an
exported roster, a compared scenario and a saved plan that reopens as it was.

One test walks the planner's path in order, as a new user would (the steps share the window,
so they are one test, each step a function below): open the sample plan as the app does
without a file argument, import ``sample_data/calls_2026-10.csv.gz`` through the import
dialog, forecast, staff, generate a roster (a short solve), type a shift and undo it, compare
the sample's scenarios, export the team leads' workbook, save the plan under a new name, close
the window and start the app again on the saved file. Each step asserts on the domain state
and the files, never on pixels, clicks the buttons a user would, and waits on the window's
signals (never a sleep). The whole walk takes about 15-20 s, most of it the solve.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QAbstractButton, QApplication, QMessageBox

from tests.ui.conftest import REPO
from ui.app import create_application, file_arguments, sample_project_path
from ui.main_window import MainWindow, is_bundled_sample
from wfm.export import layout
from wfm.io.history import IntervalHistory
from wfm.io.project import Project, open_project
from wfm.roster.roster import Roster
from wfm.staffing.requirement import required_agents

CALL_LOG = REPO / "sample_data" / "calls_2026-10.csv.gz"
#: October 2026 in the sample history (sample_data/README.md): offered, abandoned per queue.
OCTOBER = {"Sales": (22_569, 1_238), "Support": (48_701, 2_362)}
#: The planted calls the importer keeps (README: an importer that keeps the negative-wait and
#: long-talk calls counts one more answered call in each of these intervals).
KEPT_EXTRA_CALLS = {
    ("Support", "2026-10-05 10:00"),
    ("Sales", "2026-10-13 14:30"),
    ("Support", "2026-10-22 09:00"),
    ("Support", "2026-10-08 16:30"),
    ("Sales", "2026-10-27 11:30"),
}
#: The cleaning report's findings for the planted defects (README's defect table).
FINDINGS = {
    "empty_rows": 2,
    "duplicate_rows": 12,
    "not_calls": 4,
    "bad_timestamp": 5,
    "negative_duration:wait_seconds": 3,
    "absurd_duration:talk_seconds": 2,
}
#: Prophet on the two years takes a few seconds here, so the real model is used.
FORECAST_METHOD = "prophet"
FORECAST_START = dt.date(2026, 11, 2)  # the sample plan's, a Monday after the history
HORIZON_DAYS = 28  # the sample plan's
SOLVE_SECONDS = 5
#: Generous: a loaded 2-core machine is much slower than a desk.
WAIT_MS = 120_000
Button = QMessageBox.StandardButton
Cells = tuple[dict[Any, Any], dict[Any, Any], set[Any]]


def roster_state(roster: Roster) -> Cells:
    return dict(roster.shifts), dict(roster.leave), set(roster.locks)


def click(qtbot, button: QAbstractButton) -> None:
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


class NoQuestions:
    """The window's ask hook for a walk that must never be asked anything: it records the
    question and answers Cancel."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def __call__(self, box: QMessageBox) -> Button:
        self.asked.append(box.text())
        return Button.Cancel


def start_app(qtbot, tmp_path: Path, argv: list[str]) -> MainWindow:
    """The window as ``ui.app.main`` starts it (without entering its event loop): the file
    on the command line, or the bundled sample plan."""
    create_application(argv)
    window = MainWindow()
    window.autosave_folder = tmp_path / "appdata"  # never the user's data folder
    window.ask_hook = NoQuestions()
    qtbot.addWidget(window)
    window.show()
    files = file_arguments(argv)
    path = Path(files[0]) if files else sample_project_path()
    with qtbot.waitSignal(window.projectLoaded, timeout=WAIT_MS):
        QTimer.singleShot(0, lambda: window.open_path(path))
    return window


def no_message_boxes() -> None:
    """No error (or any other) message box came up on the way."""
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
    assert [b.text() for b in boxes if b.isVisible()] == []


def test_from_call_log_to_exported_roster_compared_scenarios_and_saved_plan(qtbot, tmp_path):
    window = open_the_sample(qtbot, tmp_path)
    sample = window.history
    import_the_call_log(qtbot, window, sample)
    no_message_boxes()
    forecast = make_the_forecast(qtbot, window)
    staff_the_forecast(window)
    no_message_boxes()
    solved = generate_the_roster(qtbot, window)
    edit_a_shift_and_undo_it(window, solved)
    no_message_boxes()
    compare_the_scenarios(qtbot, window, solved)
    workbook = export_the_roster(qtbot, window, tmp_path)
    no_message_boxes()
    saved, plan = save_and_close(qtbot, window, tmp_path)
    assert window.last_error_box is None
    reopen(qtbot, tmp_path, saved, plan, forecast, solved, workbook)


# --- the steps ---------------------------------------------------------------------------------
def open_the_sample(qtbot, tmp_path: Path) -> MainWindow:
    """1. Started without a file, the app opens the bundled sample plan (read-only)."""
    window = start_app(qtbot, tmp_path, ["wfm-planner"])
    assert window.project_path == sample_project_path()
    assert is_bundled_sample(window.project_path) and not window.is_modified
    assert window.project_name == "Northwind Energy sample"
    assert len(window.schedule_page.agents) == 100
    history = window.history
    assert len(history) == 70_080 and history.queues == ["Sales", "Support"]
    assert window.data_page.history is history
    for curve in window.data_page.daily_curves.values():
        assert len(curve.getData()[0]) == 730  # a point per day of the two years
    assert sorted(window.data_page.daily_curves) == ["Sales", "Support"]
    assert window.forecast_page.forecast is None and window.schedule_page.need is None
    assert len(window.scenarios_page.scenarios()) == 5
    return window


def import_the_call_log(qtbot, window: MainWindow, sample: IntervalHistory) -> None:
    """2. The per-call log through the import dialog, added to the plan's history (the
    default): October 2026 from the log replaces the same days of the two years."""
    dialog = window.import_file(CALL_LOG)
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=WAIT_MS)
    assert not dialog.preview.problems and dialog.error_text == ""
    with qtbot.waitSignal(window.historyChanged, timeout=WAIT_MS):
        click(qtbot, dialog.import_button)
    qtbot.waitUntil(lambda: window.import_dialog is None, timeout=WAIT_MS)  # closed itself
    history, report = window.history, window.report
    assert dialog.adds_to_history and history is dialog.merged
    assert window.source_path == CALL_LOG
    # Merged, not replaced: still the two years, October now the log's intervals.
    assert len(history) == 70_080 and (history.start, history.end) == (sample.start, sample.end)
    assert history.queues == ["Sales", "Support"] and history.interval_minutes == 30
    october_1 = pd.Timestamp("2026-10-01")
    before = history.frame[history.frame["interval_start"] < october_1].reset_index(drop=True)
    kept = sample.frame[sample.frame["interval_start"] < october_1].reset_index(drop=True)
    pd.testing.assert_frame_equal(before, kept)
    frame = history.frame[history.frame["interval_start"] >= october_1]
    pd.testing.assert_frame_equal(
        frame.reset_index(drop=True), dialog.result.history.frame, check_dtype=False
    )
    summary = dialog.merge_summary
    assert (summary.days_replaced, summary.days_added, summary.queues_added) == (31, 0, ())
    message = window.statusBar().currentMessage()
    assert "October 2026 (31 days) replaced for Sales and Support; 70,080 intervals" in message
    assert "6 findings, 5 to check" in message
    # Interval by interval the sample history's October, plus the five planted calls the
    # importer keeps (with their bad duration left out).
    october = sample.frame[sample.frame["interval_start"] >= october_1]
    both = october.merge(frame, on=["queue", "interval_start"], suffixes=("_history", "_log"))
    assert len(both) == len(october) == len(frame) == 2 * 31 * 48
    more = both["offered_log"] - both["offered_history"]
    where = both.loc[more != 0, ["queue", "interval_start"]].itertuples(index=False)
    assert {(q, f"{t:%Y-%m-%d %H:%M}") for q, t in where} == KEPT_EXTRA_CALLS
    assert set(more[more != 0]) == {1}
    np.testing.assert_array_equal(both["abandoned_log"], both["abandoned_history"])
    for queue, (offered, abandoned) in OCTOBER.items():
        mine = frame[frame["queue"] == queue]
        kept = sum(1 for q, _ in KEPT_EXTRA_CALLS if q == queue)
        assert mine["offered"].sum() == offered + kept
        assert mine["abandoned"].sum() == abandoned
    # The cleaning report names every planted defect and is on the Data page.
    assert report is not None and {f.code: f.count for f in report.findings} == FINDINGS
    assert report.summary["first_day"] == "2026-10-01"
    data = window.data_page
    assert data.history is history and data.report is report
    assert not data.report_box.isHidden() and data.report_table.rowCount() == len(FINDINGS)
    assert data.report_box.title().endswith("6 findings, 5 to check")
    for curve in data.daily_curves.values():
        assert len(curve.getData()[0]) == 730
    # What the window does with a new history: the Forecast page (no forecast in the sample
    # plan) keeps the plan's start, Monday 2 November (after the history), the Staffing page
    # staffs the history's last four weeks until there is a forecast; nothing is marked out
    # of date.
    page, staffing = window.forecast_page, window.staffing_page
    assert page.forecast is None and page.history is history
    assert (page.start, page.horizon_days) == (FORECAST_START, HORIZON_DAYS)
    assert staffing.label.startswith("Actual volume of the last 4 weeks")
    demand = staffing.demand["interval_start"]
    assert (demand.min(), demand.max()) == (
        pd.Timestamp("2026-10-04 00:00"),
        pd.Timestamp("2026-10-31 23:30"),
    )
    assert window.stale_reasons() == {} and window.is_modified
    assert window.windowTitle().startswith("sample-centre.wfmp[*]")


def make_the_forecast(qtbot, window: MainWindow) -> Any:
    """3. The Forecast page's Forecast button: both queues over the page's horizon."""
    page = window.forecast_page
    window.tabs.setCurrentWidget(page)
    page.set_method(FORECAST_METHOD)
    with qtbot.waitSignal(page.forecastChanged, timeout=WAIT_MS):
        click(qtbot, page.forecast_button)
    forecast = page.forecast
    assert forecast is not None and forecast.method == FORECAST_METHOD
    assert (forecast.start, forecast.days) == (FORECAST_START, HORIZON_DAYS)
    frame = forecast.frame
    assert sorted(frame["queue"].unique()) == ["Sales", "Support"]
    assert frame["interval_start"].min() == pd.Timestamp(FORECAST_START)
    assert frame["interval_start"].max() == pd.Timestamp("2026-11-29 23:30")
    assert len(frame) == 2 * HORIZON_DAYS * 48
    assert frame["volume"].sum() > 0 and (frame["volume"] >= 0).all()
    # No overrides: what is shown is the model's forecast.
    model = page.model_forecast.frame
    pd.testing.assert_frame_equal(frame[list(model.columns)], model)
    # The Staffing page now staffs the forecast.
    assert window.staffing_page.label.startswith("Forecast 02 Nov 2026 to 29 Nov 2026")
    assert "forecast" in window.stamps and window.stale_reasons() == {}
    return forecast


def staff_the_forecast(window: MainWindow) -> None:
    """4. The Staffing page's requirement, one interval checked against wfm directly."""
    page = window.staffing_page
    window.tabs.setCurrentWidget(page)
    target = page.target
    assert (target.service_level, target.answer_seconds) == pytest.approx((0.8, 20.0))
    assert target.shrinkage == pytest.approx(0.3) and target.model == "erlang_c"
    for queue in ("Sales", "Support"):
        page.select_queue(queue)
        table = page.table
        assert (table["queue"] == queue).all()
        assert table["interval_start"].min() == pd.Timestamp(FORECAST_START)
        calls = table["volume"] > 0
        assert calls.any() and (table.loc[calls, "scheduled_agents"] > 0).all()
        assert (table.loc[~calls, "scheduled_agents"] == 0).all()
    row = table.loc[table["interval_start"] == pd.Timestamp("2026-11-02 10:00")].iloc[0]
    direct = required_agents([row["volume"]], [row["aht_seconds"]], 1800.0, target)
    assert row["agents"] == direct.agents[0]
    assert row["scheduled_agents"] == direct.scheduled[0] > direct.agents[0] > 0


def generate_the_roster(qtbot, window: MainWindow) -> Cells:
    """5. The Schedule tab takes the requirement; Generate with a short time limit."""
    page = window.schedule_page
    window.tabs.setCurrentWidget(page)
    need = page.need
    assert need is not None and need.queues == ("Sales", "Support")
    assert (need.start, need.days) == (FORECAST_START, HORIZON_DAYS)
    page.time_limit_spin.setValue(SOLVE_SECONDS)
    with qtbot.waitSignal(page.rosterGenerated, timeout=WAIT_MS):
        click(qtbot, page.generate_button)
    qtbot.waitUntil(lambda: not page.solving, timeout=WAIT_MS)
    editor = page.editor
    roster = editor.roster
    assert page.result.status in ("optimal", "feasible")
    assert [a.name for a in roster.agents] == [a.name for a in page.agents]
    working = {agent for agent, _ in roster.shifts}
    assert len(working) >= 90 and len(roster.shifts) > 40 * HORIZON_DAYS
    assert editor.violation_count() == 0, list(editor.violations.values())[:3]
    quality = editor.report(page.lp_bound)
    assert 0.5 < quality.coverage <= 1.0 and quality.paid_hours > 0
    assert quality.violations == 0
    assert window.export_roster_action.isEnabled() and "roster" in window.stamps
    assert window.stale_reasons() == {}
    # The solve is one undoable step on the Schedule page's stack.
    assert page.undo_stack.count() == 1 and window.undo_action.isEnabled()
    return roster_state(roster)


def edit_a_shift_and_undo_it(window: MainWindow, solved: Cells) -> None:
    """6. Type a shift into a day off in the grid, then Edit > Undo."""
    page = window.schedule_page
    model, roster = page.model, page.editor.roster
    agent = model.agents[0].name
    column = next(i for i, day in enumerate(model.dates) if (agent, day) not in roster.shifts)
    day = model.dates[column]
    index = model.index(0, column)
    assert model.cell_at(index) == (agent, day)
    assert model.setData(index, "09:00-17:30")
    assert roster.shifts[(agent, day)].label() == "09:00-17:30"
    assert str(model.data(index)).startswith("09:00-17:30")
    assert roster_state(roster) != solved and page.undo_stack.count() == 2
    assert window.undo_action.isEnabled() and window.undo_action.text().startswith("&Undo")
    window.undo_action.trigger()
    assert (agent, day) not in roster.shifts
    assert roster_state(roster) == solved
    assert page.undo_stack.index() == 1 and window.redo_action.isEnabled()


def compare_the_scenarios(qtbot, window: MainWindow, solved: Cells) -> None:
    """7. The sample plan's five scenarios against the base plan (with the roster)."""
    page = window.scenarios_page
    window.tabs.setCurrentWidget(page)
    qtbot.waitUntil(lambda: page.plan is not None and page.plan.roster is not None)
    plan = page.plan
    assert dict(plan.roster.shifts) == solved[0]
    assert plan.target == window.staffing_page.target and plan.days == HORIZON_DAYS
    names = [s.name for s in page.scenarios()]
    assert "AHT +10 %" in names and len(names) == 5
    with qtbot.waitSignal(page.computed, timeout=WAIT_MS):
        click(qtbot, page.compare_button)
    comparison = page.comparison.set_index("scenario")
    assert list(comparison.index) == [page.results()[0].name, *names] and not page.skipped
    base = comparison.iloc[0]
    assert base["required_hours"] > 0 and base["change_hours"] == 0
    aht = comparison.loc["AHT +10 %"]
    assert aht["required_hours"] > base["required_hours"]
    assert aht["change_hours"] == pytest.approx(aht["required_hours"] - base["required_hours"])
    assert aht["aht_seconds"] == pytest.approx(1.1 * base["aht_seconds"], rel=1e-6)
    assert comparison.loc["SL 90/20", "required_hours"] > base["required_hours"]
    assert comparison.loc["Shrinkage 35 %", "fte"] > base["fte"]
    assert page.model.rowCount() == 1 + len(names)  # the table on screen
    assert "scenarios" in window.stamps and not page.is_stale
    assert window.stale_reasons() == {}


def export_the_roster(qtbot, window: MainWindow, tmp_path: Path) -> Path:
    """8. The Export page's button opens the export dialog; Export writes the workbook."""
    window.tabs.setCurrentWidget(window.export_page)
    click(qtbot, window.export_page.export_button)
    dialog = window.export_dialog
    assert dialog is not None and dialog.isVisible()
    workbook = tmp_path / "out" / "roster November.xlsx"
    workbook.parent.mkdir()
    dialog.set_path(workbook)  # what the file chooser does
    with qtbot.waitSignal(dialog.exported, timeout=WAIT_MS) as exported:
        click(qtbot, dialog.export_button)
    roster = window.schedule_page.editor.roster
    summary = exported.args[0]
    assert Path(summary.path) == workbook and workbook.is_file()
    assert summary.agents == 100 and summary.shifts == len(roster.shifts)
    assert window.export_page.last_file == str(workbook)
    check_workbook(workbook, roster, window.schedule_page.editor.report())
    click(qtbot, dialog.close_button)
    qtbot.waitUntil(lambda: window.export_dialog is None)
    return workbook


def save_and_close(qtbot, window: MainWindow, tmp_path: Path) -> tuple[Path, Project]:
    """9a. Save as a new file (the sample is read-only), then close: nothing is asked."""
    saved = tmp_path / "plans" / "Northwind November.wfmp"
    saved.parent.mkdir()
    plan = window.collect_project()
    with qtbot.waitSignal(window.projectSaved, timeout=WAIT_MS):
        assert window.save_as(saved)  # the path the save dialog would give
    assert window.project_path == saved and not window.is_modified
    assert window.windowTitle().startswith("Northwind November.wfmp[*]")
    assert window.recent_files()[0] == str(saved.resolve())
    on_disk = open_project(saved)
    assert_same_plan(on_disk, plan)
    assert on_disk.source == CALL_LOG.name
    assert on_disk.cleaning_report["summary"]["first_day"] == "2026-10-01"
    assert set(on_disk.stamps) == {"history", "forecast", "staffing", "roster", "scenarios"}
    window.close()
    qtbot.waitUntil(lambda: not window.isVisible())
    assert window.ask_hook.asked == []
    return saved, plan


def reopen(
    qtbot,
    tmp_path: Path,
    saved: Path,
    plan: Project,
    forecast: Any,
    solved: Cells,
    workbook: Path,
) -> None:
    """9b. The app started again on the saved file shows the plan as it was saved."""
    window = start_app(qtbot, tmp_path, ["wfm-planner", str(saved)])
    try:
        assert window.project_path == saved and not window.is_modified
        assert_same_plan(window.collect_project(), plan)
        pd.testing.assert_frame_equal(window.history.frame, plan.history.frame)
        page = window.forecast_page
        pd.testing.assert_frame_equal(page.forecast.frame, forecast.frame)
        assert page.forecast.method == FORECAST_METHOD
        assert window.staffing_page.target == plan.target
        roster = window.schedule_page.editor.roster
        assert roster_state(roster) == solved  # the solve's roster: the typed shift undone
        assert window.schedule_page.editor.violation_count() == 0
        assert window.scenarios_page.scenarios() == _scenarios(plan.scenarios_text)
        assert window.report_dict is not None and window.source_name == CALL_LOG.name
        assert window.export_page.last_file == str(workbook)
        assert window.stale_reasons() == {}  # nothing out of date after a reopen
        assert window.ask_hook.asked == [] and window.last_error_box is None
        no_message_boxes()
    finally:
        window.ask_hook = lambda box: Button.Discard
        window.close()


# --- checks ------------------------------------------------------------------------------------
def check_workbook(path: Path, roster: Roster, quality: Any) -> None:
    """The team sheets, the Coverage sheet, and every agent's day cells as the roster says."""
    import openpyxl

    from wfm.export.workbook import COVERAGE_SHEET, SUMMARY_SHEET

    book = openpyxl.load_workbook(path, read_only=True)
    try:
        teams = sorted({a.team for a in roster.agents})
        assert teams == ["Sales", "Support Day", "Support Early", "Support Late"]
        sheets = layout.sheet_names(teams, (SUMMARY_SHEET, COVERAGE_SHEET))
        assert {SUMMARY_SHEET, COVERAGE_SHEET, *sheets.values()} <= set(book.sheetnames)
        assert book[layout.META_SHEET].sheet_state == "hidden"
        # The Coverage sheet: a row per interval with heads required or scheduled.
        coverage = [r for r in book[COVERAGE_SHEET].iter_rows(values_only=True) if r and r[0]]
        assert list(coverage[0][:5]) == ["Date", "Day", "Start", "Required", "Scheduled"]
        per_interval = quality.per_interval
        busy = per_interval[(per_interval["required"] > 0) | (per_interval["scheduled"] > 0)]
        assert len(coverage) - 1 == len(busy)
        assert sum(r[3] for r in coverage[1:]) == pytest.approx(busy["required"].sum())
        assert sum(r[4] for r in coverage[1:]) == pytest.approx(busy["scheduled"].sum())
        first = layout.FIRST_DATE_COLUMN - 1
        checked = 0
        for team, name in sheets.items():
            rows = list(book[name].iter_rows(values_only=True))
            header = rows[layout.HEADER_ROW - 1][first : first + roster.days]
            days = [v.date() if isinstance(v, dt.datetime) else v for v in header]
            assert days == roster.dates()
            by_name = {
                r[layout.NAME_COLUMN - 1]: r for r in rows[layout.FIRST_AGENT_ROW - 1 :] if r
            }
            for agent in (a for a in roster.agents if a.team == team):
                cells = by_name[agent.name][first : first + roster.days]
                for day, value in zip(days, cells, strict=True):
                    assert value == layout.cell_text(roster, agent, day), (agent.name, day)
                    shift = roster.shift(agent.name, day)
                    if shift is not None:
                        assert value == shift.label()
                        checked += 1
        assert checked == len(roster.shifts)
        # A known agent (an accented name) by hand: her first shift's cell.
        zoe = next(a for a in roster.agents if a.name == "Zoë Brontë")
        day = min(d for n, d in roster.shifts if n == zoe.name)
        shift = roster.shifts[(zoe.name, day)]
        rows = list(book[sheets[zoe.team]].iter_rows(values_only=True))
        row = next(r for r in rows if r and r[layout.NAME_COLUMN - 1] == zoe.name)
        assert row[first + (day - roster.start).days] == shift.label()
    finally:
        book.close()


def _scenarios(text: str) -> tuple[Any, ...]:
    from wfm.scenarios import scenarios_from_text

    return tuple(scenarios_from_text(text, "the plan"))


def assert_same_plan(project: Project, expected: Project) -> None:
    """The parts of a plan the walk made: history, forecast, target, roster, scenarios."""
    pd.testing.assert_frame_equal(project.history.frame, expected.history.frame)
    pd.testing.assert_frame_equal(project.forecast.frame, expected.forecast.frame)
    assert project.forecast.method == expected.forecast.method
    assert project.target == expected.target
    assert roster_state(project.roster.roster) == roster_state(expected.roster.roster)
    assert project.agents == expected.agents and project.setup == expected.setup
    assert project.scenarios_text == expected.scenarios_text
    assert project.stamps == expected.stamps
