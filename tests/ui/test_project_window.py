"""The window on the project file: save and reopen, the unsaved mark, closing, recovery,
bad files, stale marks, promotions, page shortcuts, and the event loop during long jobs."""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFileDialog, QMessageBox

from tests.ui.conftest import REPO, make_history, write_call_log
from tests.ui.test_roster_model import make_agents, make_setup
from ui.forecast_page import forecast_start_after
from ui.main_window import MainWindow, mime_for
from wfm.forecast.model import forecast as make_forecast
from wfm.forecast.overrides import Override, OverrideList
from wfm.io.cleaning import CleaningReport, Finding
from wfm.io.project import (
    Project,
    RosterRecord,
    autosave_path,
    open_project,
    project_digest,
    save_project,
)
from wfm.roster.roster import Break, Roster, Shift
from wfm.scenarios import Scenario, VolumeChange, Where, scenarios_to_text
from wfm.staffing.requirement import StaffingTarget

SAMPLE_PROJECT = REPO / "sample_data" / "sample-centre.wfmp"
MON = dt.date(2026, 11, 2)
Button = QMessageBox.StandardButton


def small_project() -> Project:
    """A plan with every part: five weeks of history, a 7-day forecast with an override, a
    target, six agents, a roster with shifts, leave and a lock, and two scenarios."""
    history = make_history(queues=("Sales", "Support"), days=35, start="2026-09-28")
    forecast = make_forecast(history, MON, 7, method="last-week")
    overrides = OverrideList(
        (
            Override(
                dt.datetime(2026, 11, 3, 9), dt.datetime(2026, 11, 3, 12), "Sales", "percent", 25
            ),
        )
    )
    agents, setup = make_agents(), make_setup()
    roster = Roster(MON, 7, agents, setup)
    for i, day in enumerate((MON, MON + dt.timedelta(days=1))):
        roster.shifts[("Agent 0", day)] = Shift(
            "Agent 0", day, 480 + 30 * i, 990 + 30 * i, "Early", (Break(720, 30, "lunch", False),)
        )
    roster.leave[("Agent 1", MON)] = "leave"
    roster.locks.add(("Agent 0", MON))
    scenarios = (
        Scenario("Busy Monday", volume=(VolumeChange(percent=20, where=Where(weekdays=(0,))),)),
        Scenario("Tighter target", service_level=0.9),
    )
    return Project(
        name="Small plan",
        centre="Test centre",
        history=history,
        source="history.csv",
        forecast=forecast,
        overrides=overrides,
        target=StaffingTarget(service_level=0.85, answer_seconds=15.0, shrinkage=0.25),
        agents=agents,
        setup=setup,
        roster=RosterRecord(roster),
        scenarios_text=scenarios_to_text(scenarios),
        settings={"forecast.method": "last-week", "other.key": [1, 2]},
        stamps={
            "history": "2026-11-01T08:00:00",
            "forecast": "2026-11-01T09:00:00",
            "staffing": "2026-11-01T09:00:01",
            "roster": "2026-11-01T10:00:00",
        },
    )


@pytest.fixture
def window(qtbot, tmp_path):
    w = MainWindow()
    w.autosave_folder = tmp_path / "appdata"
    qtbot.addWidget(w)
    w.show()
    yield w
    w.ask_hook = lambda box: Button.Discard
    w.close()


@pytest.fixture
def plan_file(tmp_path) -> Path:
    return save_project(small_project(), tmp_path / "plan.wfmp")


def open_and_wait(qtbot, window: MainWindow, path: Path) -> None:
    with qtbot.waitSignal(window.projectLoaded, timeout=20000):
        window.open_path(path)


def save_and_wait(qtbot, window: MainWindow, path: Path | None = None) -> None:
    with qtbot.waitSignal(window.projectSaved, timeout=20000):
        assert window.save_as(path) if path is not None else window.save()


def roster_state(roster: Roster):
    return dict(roster.shifts), dict(roster.leave), set(roster.locks)


def test_save_and_reopen_through_the_window_keeps_the_plan(qtbot, window, plan_file, tmp_path):
    original = small_project()
    open_and_wait(qtbot, window, plan_file)
    page = window.forecast_page
    # Shown as saved, not recomputed: the model's forecast, the override on top of it.
    pd.testing.assert_frame_equal(page.model_forecast.frame, original.forecast.frame)
    assert page.forecast.frame["volume"].sum() > original.forecast.frame["volume"].sum()
    assert window.staffing_page.target == original.target
    assert roster_state(window.schedule_page.editor.roster) == roster_state(original.roster.roster)
    assert [s.name for s in window.scenarios_page.scenarios()] == ["Busy Monday", "Tighter target"]
    assert not window.is_modified

    copy = tmp_path / "copy.wfmp"
    save_and_wait(qtbot, window, copy)
    again = open_project(copy)
    pd.testing.assert_frame_equal(again.history.frame, original.history.frame)
    pd.testing.assert_frame_equal(again.forecast.frame, original.forecast.frame)
    assert again.overrides == original.overrides
    assert again.target == original.target
    assert again.agents == original.agents and again.setup == original.setup
    assert roster_state(again.roster.roster) == roster_state(original.roster.roster)
    assert again.scenarios_text == original.scenarios_text
    assert again.stamps == original.stamps
    assert again.settings["other.key"] == [1, 2]  # settings the window does not know are kept
    assert (again.name, again.centre, again.source) == ("Small plan", "Test centre", "history.csv")
    # Opening the copy in a second window and collecting it gives the same content.
    other = MainWindow()
    qtbot.addWidget(other)
    open_and_wait(qtbot, other, copy)
    assert project_digest(other.collect_project()) == project_digest(copy)


def test_an_opened_plan_shows_its_cleaning_report_on_the_data_page(qtbot, window, tmp_path):
    report = CleaningReport(
        "calls.csv",
        "calls",
        "utf-8",
        ",",
        1200,
        (Finding("duplicate_rows", "Duplicate rows", 3, "dropped", "warning", (8, 9, 12)),),
        {"calls_offered": 1190, "first_day": "2026-09-28", "patience_seconds": 95.5},
    )
    project = small_project()
    project.cleaning_report = report.to_dict()
    path = save_project(project, tmp_path / "cleaned.wfmp")
    open_and_wait(qtbot, window, path)
    page = window.data_page
    assert window.report == report and page.report == report
    assert not page.report_box.isHidden() and "calls.csv" in page.report_box.title()
    assert page.report_table.item(0, 0).text() == "Duplicate rows"
    assert window.collect_project().cleaning_report == report.to_dict()
    # A report this version cannot read leaves the history on screen without one.
    project.cleaning_report = {"file": "calls.csv"}
    open_and_wait(qtbot, window, save_project(project, tmp_path / "odd.wfmp"))
    assert window.report is None and page.report_box.isHidden()
    assert window.collect_project().cleaning_report == {"file": "calls.csv"}


def test_title_and_unsaved_mark(qtbot, window, plan_file):
    assert window.windowTitle() == "Untitled[*] — WFM Planner" and not window.isWindowModified()
    open_and_wait(qtbot, window, plan_file)
    assert window.windowTitle() == "plan.wfmp[*] — WFM Planner"
    assert not window.isWindowModified()
    window.staffing_page.sl_spin.setValue(70)  # a new target
    assert window.isWindowModified() and window.is_modified
    save_and_wait(qtbot, window)
    assert not window.isWindowModified()
    assert open_project(plan_file).target.service_level == pytest.approx(0.7)
    assert window.recent_files()[0] == str(plan_file.resolve())


def test_closing_with_unsaved_changes_asks(qtbot, window, plan_file):
    open_and_wait(qtbot, window, plan_file)
    window.staffing_page.sl_spin.setValue(70)
    asked = []

    def answer(button):
        def hook(box):
            asked.append(box.text())
            return button

        return hook

    window.ask_hook = answer(Button.Cancel)
    window.close()
    qtbot.wait(50)
    assert window.isVisible() and asked == ["plan.wfmp has changes that are not saved. Save them?"]
    # Without a hook the question is a window-modal box that does not block.
    window.ask_hook = None
    window.close()
    box = window.question_box
    assert box is not None and box.isVisible() and window.isVisible()
    box.button(Button.Cancel).click()
    qtbot.wait(50)
    assert window.isVisible()
    # Save: the plan is written, then the window closes.
    window.ask_hook = answer(Button.Save)
    window.close()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=20000)
    assert open_project(plan_file).target.service_level == pytest.approx(0.7)


def test_discard_closes_without_saving(qtbot, window, plan_file):
    open_and_wait(qtbot, window, plan_file)
    before = plan_file.read_bytes()
    window.staffing_page.sl_spin.setValue(70)
    window.ask_hook = lambda box: Button.Discard
    window.close()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)
    assert plan_file.read_bytes() == before


def make_autosave(qtbot, window: MainWindow, plan_file: Path) -> Path:
    open_and_wait(qtbot, window, plan_file)
    window.staffing_page.sl_spin.setValue(70)
    with qtbot.waitSignal(window.autosaved, timeout=20000) as blocker:
        assert window.autosave()
    path = blocker.args[0]
    assert path == autosave_path(plan_file) and path.is_file()
    assert not window.autosave()  # nothing new since
    window._saved_changes = window._changes  # leave without the close question or a discard
    window._closing = True
    return path


def test_an_autosave_newer_than_the_plan_is_recovered(qtbot, window, plan_file):
    make_autosave(qtbot, window, plan_file)
    again = MainWindow()
    again.autosave_folder = window.autosave_folder
    qtbot.addWidget(again)
    questions = []
    again.ask_hook = lambda box: questions.append(box.text()) or Button.Yes
    open_and_wait(qtbot, again, plan_file)
    assert questions and questions[0].startswith("plan.wfmp was not saved when WFM Planner closed")
    assert questions[0].endswith("Recover the autosaved plan?")
    assert again.staffing_page.target.service_level == pytest.approx(0.7)
    assert again.is_modified and again.project_path == plan_file
    # Saving makes the autosave unnecessary.
    save_and_wait(qtbot, again)
    assert not autosave_path(plan_file).exists()
    assert open_project(plan_file).target.service_level == pytest.approx(0.7)


def test_a_declined_recovery_is_discarded(qtbot, window, plan_file):
    make_autosave(qtbot, window, plan_file)
    again = MainWindow()
    again.autosave_folder = window.autosave_folder
    qtbot.addWidget(again)
    again.ask_hook = lambda box: Button.Discard
    open_and_wait(qtbot, again, plan_file)
    assert again.staffing_page.target.service_level == pytest.approx(0.85)
    assert not again.is_modified
    assert not autosave_path(plan_file).exists()


@pytest.mark.parametrize("kind", ["newer", "damaged"])
def test_a_file_that_cannot_be_opened_leaves_the_plan_alone(
    qtbot, window, plan_file, tmp_path, kind
):
    open_and_wait(qtbot, window, plan_file)
    history = window.history
    bad = tmp_path / "bad.wfmp"
    if kind == "newer":
        save_project(Project(name="future"), bad)
        with sqlite3.connect(bad) as conn:
            conn.execute("UPDATE meta SET value='9' WHERE key='schema_version'")
        conn.close()
        expected = "bad.wfmp was saved by a newer WFM Planner"
    else:
        bad.write_bytes(plan_file.read_bytes()[:3000])
        expected = "bad.wfmp is damaged or is not a WFM Planner project"
    before = bad.read_bytes()
    window.open_path(bad)
    qtbot.waitUntil(lambda: window.last_error_box is not None, timeout=20000)
    box = window.last_error_box
    assert box.text().startswith(expected) and box.detailedText() == ""
    assert window.project_path == plan_file and window.history is history
    assert not window.is_modified and bad.read_bytes() == before


def test_a_failed_save_says_why_and_keeps_the_changes(qtbot, window, plan_file, tmp_path):
    open_and_wait(qtbot, window, plan_file)
    window.staffing_page.sl_spin.setValue(70)
    assert window.save_as(tmp_path / "no such folder" / "plan.wfmp")
    qtbot.waitUntil(lambda: window.last_error_box is not None, timeout=20000)
    assert "no such folder" in window.last_error_box.text() or "does not exist" in (
        window.last_error_box.text()
    )
    assert window.is_modified and window.project_path == plan_file


def test_a_full_disk_is_said_plainly_and_the_plan_file_is_kept(
    qtbot, window, plan_file, monkeypatch
):
    import wfm.io.project as project_module

    open_and_wait(qtbot, window, plan_file)
    before = plan_file.read_bytes()
    window.staffing_page.sl_spin.setValue(70)
    copy = plan_file.with_name("copy.wfmp")

    write_tables = project_module._write_tables

    def full(conn, *args, **kwargs):  # SQLite's own "disk full" after a few pages
        conn.execute("PRAGMA max_page_count=8")
        return write_tables(conn, *args, **kwargs)

    monkeypatch.setattr(project_module, "_write_tables", full)
    assert window.save_as(copy)  # a new file: written beside, then renamed into place
    qtbot.waitUntil(lambda: window.last_error_box is not None, timeout=20000)
    box = window.last_error_box
    assert box.text() == "Cannot save copy.wfmp: the disk is full (database or disk is full)."
    assert not copy.exists() and window.project_path == plan_file
    assert window.is_modified and plan_file.read_bytes() == before
    assert not window.busy_bar.isVisible()


def test_the_sample_plan_opens_and_is_never_written(qtbot, window, tmp_path, monkeypatch):
    before = SAMPLE_PROJECT.read_bytes()
    open_and_wait(qtbot, window, SAMPLE_PROJECT)
    assert len(window.history) == 70_080 and len(window.schedule_page.agents) == 100
    assert window.staffing_page.target.service_level == pytest.approx(0.8)
    assert len(window.scenarios_page.scenarios()) >= 1
    assert window.forecast_page.horizon_days == 28
    assert window.forecast_page.start == MON
    # The override form offers the forecast's first day, not the day after the history.
    span = window.forecast_page.override_panel.span()
    assert span == (dt.datetime(2026, 11, 2), dt.datetime(2026, 11, 3))
    assert not window.is_modified
    window.staffing_page.sl_spin.setValue(85)
    target = tmp_path / "mine.wfmp"
    asked = []

    def save_dialog(*args, **kwargs):
        asked.append(args[1])
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    with qtbot.waitSignal(window.projectSaved, timeout=20000):
        assert window.save()  # Save on the sample is Save as
    assert asked == ["Save plan"] and window.project_path == target
    assert SAMPLE_PROJECT.read_bytes() == before
    assert open_project(target).target.service_level == pytest.approx(0.85)
    # Its autosave never goes beside the sample either.
    assert not autosave_path(SAMPLE_PROJECT).exists()


def test_dropping_a_plan_opens_it(qtbot, window, plan_file):
    with qtbot.waitSignal(window.projectLoaded, timeout=20000):
        assert window.drop_mime_data(mime_for(plan_file))
    assert window.project_path == plan_file.resolve() or window.project_path == plan_file
    assert window.history is not None


def test_ctrl_1_to_6_switch_pages(window):
    pages = [window.tabs.widget(i) for i in range(window.tabs.count())]
    assert len(pages) == 6 and pages[4] is window.scenarios_page and pages[5] is window.export_page
    for i, action in enumerate(window.page_actions):
        assert action.shortcut().toString() == f"Ctrl+{i + 1}"
        action.trigger()
        assert window.tabs.currentWidget() is pages[i]


def test_new_project_starts_empty(qtbot, window, plan_file):
    open_and_wait(qtbot, window, plan_file)
    window.ask_hook = lambda box: Button.Discard
    window.staffing_page.sl_spin.setValue(70)
    with qtbot.waitSignal(window.projectLoaded, timeout=5000):
        window.new_action.trigger()
    assert window.history is None and window.project_path is None
    assert window.forecast_page.forecast is None and window.schedule_page.editor is None
    assert window.scenarios_page.scenarios() == () and not window.is_modified


def test_stale_roster_banner_and_recompute(qtbot, window, plan_file):
    open_and_wait(qtbot, window, plan_file)
    banner = window.banners["roster"]
    assert not banner.is_stale  # saved after its requirement
    window.tabs.setCurrentWidget(window.schedule_page)
    window.staffing_page.sl_spin.setValue(70)  # the requirement changes
    assert banner.is_stale and "requirement changed since this roster" in banner.text()
    index = window.tabs.indexOf(window.schedule_page)
    assert window.tabs.tabText(index) == "Sc&hedule •"
    assert window.tabs.tabToolTip(index) == banner.text()
    window.schedule_page.time_limit_spin.setValue(2)
    with qtbot.waitSignal(window.schedule_page.rosterGenerated, timeout=60000):
        banner.button.click()
    assert not banner.is_stale and window.tabs.tabText(index) == "Sc&hedule"
    assert ("Agent 0", MON) in window.schedule_page.editor.roster.locks  # locks kept


def test_a_forecast_older_than_its_history_is_marked(qtbot, window, tmp_path):
    project = small_project()
    project.stamps["history"] = "2026-11-01T11:00:00"  # e.g. `wfm project update --history`
    path = save_project(project, tmp_path / "old.wfmp")
    open_and_wait(qtbot, window, path)
    banner = window.banners["forecast"]
    assert banner.is_stale and "history changed since this forecast" in banner.text()
    with qtbot.waitSignal(window.forecast_page.forecastChanged, timeout=60000):
        banner.button.click()
    assert not banner.is_stale
    # The new forecast makes the roster's requirement newer than the roster.
    assert window.banners["roster"].is_stale


def test_promoting_a_scenario_changes_the_staffing_demand(qtbot, window, plan_file):
    open_and_wait(qtbot, window, plan_file)
    staffing = window.staffing_page
    before = staffing.demand["volume"].sum()
    scenario = Scenario("Winter promotion", volume=(VolumeChange(percent=50),), service_level=0.9)
    window.promote_scenario(scenario)
    assert staffing.demand["volume"].sum() == pytest.approx(before * 1.5)
    assert "promoted: 'Winter promotion'" in staffing.label
    assert staffing.target.service_level == pytest.approx(0.9)
    assert window.is_modified and window.revert_promotions_action.isEnabled()
    saved = window.collect_project()
    assert len(saved.settings["promoted"]) == 1
    # The promotion is part of the plan: it comes back when the plan is opened.
    copy = plan_file.with_name("promoted.wfmp")
    save_and_wait(qtbot, window, copy)
    other = MainWindow()
    qtbot.addWidget(other)
    open_and_wait(qtbot, other, copy)
    assert other.staffing_page.demand["volume"].sum() == pytest.approx(before * 1.5)
    assert other.staffing_page.target.service_level == pytest.approx(0.9)
    # Reverting restores the forecast's demand and the target before the promotion.
    window.revert_promotions_action.trigger()
    assert staffing.demand["volume"].sum() == pytest.approx(before)
    assert staffing.target.service_level == pytest.approx(0.85)


def test_a_promoted_plan_needs_the_same_staff_in_the_window_and_from_the_command_line(
    qtbot, window, plan_file
):
    from wfm.io.project_inputs import project_need
    from wfm.scheduling.need import StaffingNeed

    open_and_wait(qtbot, window, plan_file)
    staffing = window.staffing_page
    promotion = Scenario(
        "Winter promotion",
        volume=(VolumeChange(percent=30, where=Where(queues=("Sales",))),),
        service_level=0.9,
    )
    window.promote_scenario(promotion)
    staffing.sl_spin.setValue(88)  # the planner's own change after the promotion
    copy = plan_file.with_name("promoted.wfmp")
    save_and_wait(qtbot, window, copy)
    # The Staffing page's table, queue by queue, as the Schedule page gets it.
    tables = []
    for queue in ("Sales", "Support"):
        staffing.select_queue(queue)
        assert staffing.selected_queue == queue and staffing.staffing is not None
        tables.append(staffing.staffing)
    minutes = staffing.interval_minutes
    shown = StaffingNeed.from_table(pd.concat(tables), minutes, target=staffing.target)
    headless = project_need(open_project(copy))
    assert headless.target == staffing.target
    assert headless.target.service_level == pytest.approx(0.88)
    assert (headless.start, headless.queues) == (shown.start, shown.queues)
    np.testing.assert_array_equal(headless.required, shown.required)
    np.testing.assert_allclose(headless.volume, shown.volume)
    window.update_schedule_need()
    np.testing.assert_array_equal(window.schedule_page.need.required, headless.required)


def test_the_scenarios_page_gets_the_base_plan(qtbot, window, plan_file):
    open_and_wait(qtbot, window, plan_file)
    page = window.scenarios_page
    window.tabs.setCurrentWidget(page)
    qtbot.waitUntil(lambda: page.plan is not None, timeout=5000)
    plan = page.plan
    assert plan.target == window.staffing_page.target
    assert plan.demand is window.staffing_page.demand
    assert (
        plan.roster is not None and plan.roster.shifts == window.schedule_page.editor.roster.shifts
    )
    window.staffing_page.sl_spin.setValue(70)
    qtbot.waitUntil(lambda: page.plan.target.service_level == pytest.approx(0.7), timeout=5000)


def test_the_export_page_describes_the_workbook(qtbot, window, plan_file):
    open_and_wait(qtbot, window, plan_file)
    window.tabs.setCurrentWidget(window.export_page)
    page = window.export_page
    assert page.teams_label.text() == "2 (Blue, Red)"
    assert "7 days" in page.period_label.text()
    assert page.size_label.text().startswith("6 agents, 2 shifts")
    assert page.export_button.isEnabled()
    page.set_last_export("/x/roster.xlsx", "2026-11-01T10:00:00", "Wrote roster.xlsx.")
    assert page.settings()["export.last_file"] == "/x/roster.xlsx"


def test_the_event_loop_keeps_serving_while_a_forecast_and_a_solve_run(qtbot, window, plan_file):
    open_and_wait(qtbot, window, plan_file)
    window.tabs.setCurrentWidget(window.schedule_page)
    schedule, forecast = window.schedule_page, window.forecast_page
    schedule.time_limit_spin.setValue(3)
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start()
    start = time.monotonic()
    forecast.set_method("prophet")
    assert forecast.run_forecast() is not None
    assert schedule.generate()
    qtbot.waitUntil(lambda: not forecast.is_busy and not schedule.solving, timeout=120000)
    end = time.monotonic()
    timer.stop()
    assert forecast.model_forecast.method == "prophet"
    assert schedule.result is not None and schedule.result.status != "no solution"
    expected = (end - start) / 0.020
    gaps = [b - a for a, b in zip([start, *ticks], [*ticks, end], strict=True)]
    assert len(ticks) >= 0.5 * expected, (len(ticks), expected)
    assert max(gaps) < 0.5, max(gaps)


def test_autosave_runs_on_its_timer_and_an_untitled_plan_is_recovered_at_start(
    qtbot, window, tmp_path
):
    assert window.autosave_timer.interval() == 3 * 60_000  # the default: every 3 minutes
    history_csv = make_history(days=14).write_csv(tmp_path / "h.csv")
    window.open_path(history_csv)
    qtbot.waitUntil(lambda: window.history is not None, timeout=20000)
    assert window.is_modified and window.project_path is None
    with qtbot.waitSignal(window.autosaved, timeout=20000) as blocker:
        window.set_autosave_minutes(0.005)  # 300 ms
    assert blocker.args[0] == window.autosave_folder / ".untitled.wfmp~autosave"
    window.set_autosave_minutes(3)
    window._saved_changes = window._changes  # leave the autosave behind, as a crash would
    window._closing = True
    again = MainWindow()
    again.autosave_folder = window.autosave_folder
    qtbot.addWidget(again)
    again.ask_hook = lambda box: Button.Yes
    with qtbot.waitSignal(again.projectLoaded, timeout=20000):
        again.check_untitled_recovery()
    assert again.project_path is None and again.is_modified
    assert again.history is not None and len(again.history) == len(window.history)


def test_scenarios_are_run_from_the_window_and_marked_when_the_base_changes(
    qtbot, window, plan_file
):
    open_and_wait(qtbot, window, plan_file)
    page = window.scenarios_page
    index = window.tabs.indexOf(page)
    window.tabs.setCurrentWidget(page)
    with qtbot.waitSignal(page.computed, timeout=60000):
        window.recompute_stage("scenarios")
    results = page.results()
    assert results[0].scenario is None  # the base
    assert [r.scenario.name for r in results[1:]] == ["Busy Monday", "Tighter target"]
    assert window.tabs.tabText(index) == "S&cenarios" and "scenarios" in window.stamps
    banner = window.banners["scenarios"]
    assert banner.parent() is page and not banner.is_stale
    window.staffing_page.sl_spin.setValue(70)  # the base plan changes
    assert window.tabs.tabText(index) == "S&cenarios •"
    assert banner.isVisibleTo(page) and "base plan changed" in banner.text()
    qtbot.waitUntil(lambda: page.is_stale, timeout=5000)  # the page's too, once the plan is in
    assert page.plan.target.service_level == pytest.approx(0.7)
    # One strip says so: the window's banner on top of the page, not the page's own as well.
    assert banner.isVisibleTo(page) and not page.stale_row.isVisibleTo(page)
    with qtbot.waitSignal(page.computed, timeout=60000):
        banner.button.click()
    assert not banner.is_stale and not page.is_stale
    assert window.tabs.tabText(index) == "S&cenarios"
    page.remove_scenario(0)  # the list changes: said as such
    assert page.stale_cause == "scenarios"
    assert banner.is_stale and "scenarios changed since they were compared" in banner.text()
    assert not page.stale_row.isVisibleTo(page)


# --- importing into a plan --------------------------------------------------------------------
def october_call_log(tmp_path: Path) -> Path:
    """The 3-day call log of the UI tests, moved to Mon 12 - Wed 14 Oct 2026, with an empty
    line (an informational finding besides the three problems)."""
    path = write_call_log(tmp_path / "calls.csv")
    text = path.read_text(encoding="utf-8").replace("2026-03-0", "2026-10-1")
    path.write_text(text.replace("\n", "\n,,,,,,\n", 1), "utf-8")
    return path


def import_into(qtbot, window: MainWindow, path: Path, add: bool | None = None):
    dialog = window.import_file(path)
    qtbot.waitUntil(lambda: dialog.preview is not None and not dialog.is_inspecting, timeout=10000)
    if add is not None:
        dialog.set_adds_to_history(add)
    with qtbot.waitSignal(window.historyChanged, timeout=20000):
        dialog.import_button.click()
    return dialog


def test_an_imported_log_is_added_to_the_plans_history(qtbot, window, plan_file, tmp_path):
    open_and_wait(qtbot, window, plan_file)
    base = window.history
    dialog = import_into(qtbot, window, october_call_log(tmp_path))
    assert dialog.mode_box.isVisibleTo(dialog) and dialog.adds_to_history  # the default
    result, summary, history = dialog.result, dialog.merge_summary, window.history
    # The three days of the log replace the same days; the other 32 days are the plan's.
    days = base.frame["interval_start"].dt.normalize()
    kept = base.frame[~days.between(pd.Timestamp("2026-10-12"), pd.Timestamp("2026-10-14"))]
    expected = pd.concat([kept, result.history.frame]).sort_values(["queue", "interval_start"])
    pd.testing.assert_frame_equal(history.frame, expected.reset_index(drop=True))
    assert history is dialog.merged and history.start == base.start and history.end == base.end
    assert (summary.days_replaced, summary.days_added, summary.queues_added) == (3, 0, ())
    assert summary.text == (
        f"12 Oct 2026 - 14 Oct 2026 (3 days) replaced for Sales and Support; "
        f"{len(history):,} intervals in the history"
    )
    # The status bar says what was merged and counts the report's lines as the Data page does.
    report = window.report
    assert report is result.report and len(report.findings) > len(report.problems) > 0
    message = window.statusBar().currentMessage()
    counted = f"{len(report.findings)} findings, {len(report.problems)} to check"
    assert summary.text in message and counted in message and "kind(s)" not in message
    data = window.data_page
    assert data.history is history and data.report is report
    assert data.report_table.rowCount() == len(report.findings)
    assert data.report_box.title().endswith(counted)
    # Unsaved; as after any new history the forecast is dropped and the roster out of date.
    assert window.is_modified and window.forecast_page.forecast is None
    assert "roster" in window.stale_reasons()
    # The plan's forecast start (after the history) is kept.
    assert window.forecast_page.start == MON


def test_replace_makes_the_file_the_history(qtbot, window, plan_file, tmp_path):
    open_and_wait(qtbot, window, plan_file)
    dialog = import_into(qtbot, window, october_call_log(tmp_path), add=False)
    assert window.history is dialog.result.history and dialog.merged is None
    assert window.history.start == pd.Timestamp("2026-10-12")
    assert "replaced for" not in window.statusBar().currentMessage()
    assert window.forecast_page.start == MON  # still after the (shorter) history


def test_a_different_interval_length_is_said_in_the_dialog_and_changes_nothing(
    qtbot, window, tmp_path
):
    window.set_history(make_history(queues=("Sales", "Support"), minutes=60, days=14))
    before = window.history
    dialog = window.import_file(october_call_log(tmp_path))
    qtbot.waitUntil(lambda: dialog.preview is not None and not dialog.is_inspecting, timeout=10000)
    assert dialog.interval_combo.currentData() == 60  # the history's, offered first
    dialog.interval_combo.setCurrentIndex(dialog.interval_combo.findData(30))
    qtbot.waitUntil(lambda: not dialog.is_inspecting, timeout=10000)
    dialog.import_button.click()
    qtbot.waitUntil(lambda: dialog.error_text != "", timeout=20000)
    assert "30-minute intervals and the plan's history 60-minute ones" in dialog.error_text
    assert window.history is before and dialog.isVisible()
    dialog.reject()


def test_the_forecast_starts_on_the_monday_after_a_new_history():
    assert forecast_start_after(dt.date(2026, 10, 31)) == MON  # a Saturday
    assert forecast_start_after(dt.date(2026, 11, 1)) == MON  # a Sunday
    assert forecast_start_after(dt.date(2026, 11, 2)) == dt.date(2026, 11, 9)  # a Monday
    # The plan's start stays when it is after the history, even mid-week.
    assert forecast_start_after(dt.date(2026, 10, 31), dt.date(2026, 11, 4)) == dt.date(2026, 11, 4)
    assert forecast_start_after(dt.date(2026, 10, 31), dt.date(2026, 10, 31)) == MON


def test_a_new_history_moves_the_start_and_the_override_form_into_the_forecast(window):
    page = window.forecast_page
    window.set_history(make_history(days=12))  # Mon 2 - Fri 13 Mar 2026
    assert page.start == dt.date(2026, 3, 16)
    assert page.override_panel.span() == (dt.datetime(2026, 3, 16), dt.datetime(2026, 3, 17))
    window.set_history(make_history(days=14))  # a history up to Sun 15 Mar: start kept
    assert page.start == dt.date(2026, 3, 16)
    window.set_history(make_history(days=17))  # up to Wed 18 Mar: the next Monday
    assert page.start == dt.date(2026, 3, 23)
    # A start the planner picks brings the override form along.
    page.start_edit.setDate(dt.date(2026, 4, 6))
    assert page.override_panel.span() == (dt.datetime(2026, 4, 6), dt.datetime(2026, 4, 7))
    # A new plan forgets the start: its first history picks the Monday after itself.
    window.set_history(None)
    window.set_history(make_history(days=12))
    assert page.start == dt.date(2026, 3, 16)


def test_the_export_page_lists_the_team_sheets_and_the_exports(qtbot, window, plan_file, tmp_path):
    open_and_wait(qtbot, window, plan_file)
    window.tabs.setCurrentWidget(window.export_page)
    page = window.export_page
    roster = window.schedule_page.editor.roster
    rows = page.team_rows(roster)
    assert [r[0] for r in rows] == ["Blue", "Red"]
    assert sum(r[1] for r in rows) == 6 and sum(r[2] for r in rows) == 2
    assert sum(r[3] for r in rows) == 1 and sum(r[4] for r in rows) == roster.paid_hours() == 16.0
    table = page.teams_table
    assert table.rowCount() == 3 and table.item(2, 0).text() == "All teams"
    assert table.item(2, 2).text() == "2"
    # Every export of the session, newest first, file name shown and the folder one click away.
    assert not page.open_folder_button.isEnabled()
    opened = []
    page.open_folder_hook = opened.append
    first, second = tmp_path / "week1.xlsx", tmp_path / "week2.xlsx"
    page.set_last_export(first, "2026-11-01T10:00:00", "Wrote week1.xlsx.")
    page.set_last_export(second, "2026-11-01T11:00:00", "Wrote week2.xlsx.")
    names = [page.exports_table.item(r, 0).text() for r in range(page.exports_table.rowCount())]
    assert names == ["week2.xlsx", "week1.xlsx"]
    assert page.exports_table.item(0, 0).toolTip() == str(second)
    assert page.exports_table.item(1, 2).text() == "Wrote week1.xlsx."
    assert page.open_folder_button.isEnabled() and page.open_folder() == tmp_path
    assert opened == [tmp_path] and page.settings()["export.last_file"] == str(second)
