"""The Schedule page: keyboard edits as single undo steps, clipboard, locks, the day view's
drags, the live summary, and generating a roster in the background."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QItemSelection, QItemSelectionModel, QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit

from tests.ui.test_roster_model import MON, TUE, make_agents, make_need, make_setup, shift
from ui.roster_day_view import ROW_HEIGHT
from ui.roster_page import SchedulePage


@pytest.fixture
def page(qtbot):
    p = SchedulePage(load_sample=False)
    qtbot.addWidget(p)
    p.set_inputs(make_agents(), make_setup())
    p.set_need(make_need())
    p.resize(1200, 700)
    p.show()
    yield p
    p.shutdown()
    p.runner.wait(10000)


def put(page: SchedulePage, agent: str, day: dt.date, start: int, end: int) -> None:
    roster = page.editor.roster
    roster.shifts[(agent, day)] = shift(agent, day, start, end)
    roster.notify({(agent, day)})


def select(page: SchedulePage, top: int, left: int, bottom: int, right: int) -> None:
    model, grid = page.model, page.grid
    grid.setCurrentIndex(model.index(top, left))
    selection = QItemSelection(model.index(top, left), model.index(bottom, right))
    grid.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    grid.setFocus()


def test_page_starts_with_the_sample_centre_and_says_what_to_do(qtbot):
    p = SchedulePage()
    qtbot.addWidget(p)
    assert len(p.agents) == 100 and p.setup is not None
    assert p.stack.currentWidget() is p.placeholder
    assert "Forecast and staff first" in p.placeholder.text()
    assert not p.generate_button.isEnabled()


def test_delete_on_a_selection_is_one_undo_step(qtbot, page):
    for agent in ("Agent 0", "Agent 1"):
        for day in (MON, TUE):
            put(page, agent, day, 480, 990)
    before = dict(page.editor.roster.shifts)
    select(page, 0, 0, 1, 1)
    QTest.keyClick(page.grid, Qt.Key.Key_Delete)
    assert page.editor.roster.shifts == {}
    assert page.undo_stack.count() == 1
    page.undo_stack.undo()
    assert page.editor.roster.shifts == before


def test_ctrl_v_pastes_a_tsv_block_as_one_undo_step(qtbot, page):
    QGuiApplication.clipboard().setText("08:00-16:30\toff\t09:00-17:00\nleave\t11:00-19:00\t\n")
    select(page, 2, 1, 2, 1)
    QTest.keyClick(page.grid, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    roster = page.editor.roster
    wed, thu = MON + dt.timedelta(days=2), MON + dt.timedelta(days=3)
    assert roster.shifts[("Agent 2", TUE)].label() == "08:00-16:30"
    assert roster.shifts[("Agent 2", thu)].label() == "09:00-17:00"
    assert roster.leave[("Agent 3", TUE)] == "leave"
    assert roster.shifts[("Agent 3", wed)].label() == "11:00-19:00"
    assert page.undo_stack.count() == 1
    page.undo_stack.undo()
    assert roster.shifts == {} and roster.leave == {}


def test_a_paste_with_unreadable_text_changes_nothing(qtbot, page):
    select(page, 0, 0, 0, 0)
    with qtbot.waitSignal(page.statusMessage) as blocker:
        assert not page.paste("08:00-16:30\tsoon")
    assert "soon" in blocker.args[0]
    assert page.editor.roster.shifts == {} and page.undo_stack.count() == 0


def test_ctrl_c_copies_the_selection_as_tsv(qtbot, page):
    put(page, "Agent 0", MON, 480, 990)
    select(page, 0, 0, 1, 1)
    QGuiApplication.clipboard().clear()
    QTest.keyClick(page.grid, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == "08:00-16:30\tOff\nOff\tOff"


def test_ctrl_l_locks_and_unlocks_the_selection(qtbot, page):
    select(page, 0, 0, 0, 2)
    QTest.keyClick(page.grid, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    cells = {("Agent 0", MON + dt.timedelta(days=i)) for i in range(3)}
    assert page.editor.roster.locks == cells
    QTest.keyClick(page.grid, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert page.editor.roster.locks == set()
    assert page.undo_stack.count() == 2


def test_typing_in_the_grid_goes_through_the_editor(qtbot, page):
    select(page, 4, 0, 4, 0)
    QTest.keyClick(page.grid, Qt.Key.Key_F2)
    editor = page.grid.viewport().findChild(QLineEdit)
    assert editor is not None and editor.isVisible()
    editor.selectAll()
    QTest.keyClicks(editor, "09:00-17:30")
    QTest.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits on a queued call
    qtbot.waitUntil(lambda: ("Agent 4", MON) in page.editor.roster.shifts, timeout=2000)
    assert page.editor.roster.shifts[("Agent 4", MON)].label() == "09:00-17:30"
    assert page.undo_stack.count() == 1


def test_the_team_filter_hides_rows_in_the_grid_and_the_day_view(qtbot, page):
    page.set_team_filter("Blue")
    assert page.model.rowCount() == 3
    assert [a.name for a in page.day_view.agents] == ["Agent 3", "Agent 4", "Agent 5"]
    page.set_queue_filter("Support")
    assert [a.name for a in page.model.agents] == ["Agent 4"]


def test_dragging_a_shift_in_the_day_view_moves_it_as_one_undo_step(qtbot, page):
    put(page, "Agent 0", MON, 480, 990)
    original = page.editor.roster.shifts[("Agent 0", MON)]
    view = page.day_view
    view.set_day(MON)
    view.begin_drag("Agent 0", "move")
    for minutes in (8, 20, 33, 47, 61):  # snapped to 15-minute steps: 15, 30, 30, 45, 60
        view.drag_by(minutes)
    view.end_drag()
    assert page.editor.roster.shifts[("Agent 0", MON)] == original.moved(60)
    assert page.undo_stack.count() == 1
    page.undo_stack.undo()
    assert page.editor.roster.shifts[("Agent 0", MON)] == original


def test_mouse_drags_stretch_a_shift_and_move_a_break(qtbot, page):
    put(page, "Agent 0", MON, 480, 990)
    page.tabs.setCurrentIndex(1)
    view = page.day_view
    view.set_day(MON)
    qtbot.waitUntil(lambda: view.view.isVisible())
    s = page.editor.roster.shifts[("Agent 0", MON)]
    ppm = view.pixels_per_minute
    viewport = view.view.viewport()

    def point(minutes: float) -> QPoint:
        scene = view.view.mapFromScene(view.x_of(minutes), ROW_HEIGHT / 2)
        return QPoint(scene.x(), scene.y())

    # Stretch the end by an hour.
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, pos=point(s.end))
    QTest.mouseMove(viewport, point(s.end + 30))
    QTest.mouseMove(viewport, point(s.end + 60 + 2 / ppm))
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=point(s.end + 60))
    stretched = page.editor.roster.shifts[("Agent 0", MON)]
    assert (stretched.start, stretched.end) == (s.start, s.end + 60)
    # Move the lunch half an hour later.
    lunch = stretched.breaks[0]
    middle = lunch.start + lunch.minutes / 2
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, pos=point(middle))
    QTest.mouseMove(viewport, point(middle + 30))
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=point(middle + 30))
    assert page.editor.roster.shifts[("Agent 0", MON)].breaks[0].start == lunch.start + 30
    assert page.undo_stack.count() == 2
    # The curve under the bars follows the roster.
    assert view.scheduled_heads().sum() > 0


def test_the_summary_strip_follows_an_edit(qtbot, page):
    page.refresh_summary()
    before = page.summary_label.text()
    under_before = page.report.under_hours
    with qtbot.waitSignal(page.summaryUpdated, timeout=2000):
        page.model.setData(page.model.index(0, 0), "08:00-16:30")
    assert page.report.under_hours < under_before
    assert page.summary_label.text() != before
    assert "Coverage" in page.summary_label.text()


def test_generate_fills_the_grid_as_one_undo_step(qtbot, page):
    page.time_limit_spin.setValue(2)
    with qtbot.waitSignal(page.summaryUpdated, timeout=30000):
        assert page.generate()
        qtbot.waitUntil(lambda: not page.solving, timeout=30000)
    roster = page.editor.roster
    assert roster.shifts and page.undo_stack.count() == 1
    assert page.result.status in ("optimal", "feasible", "stopped")
    assert page.model.data(page.model.index(0, 0)) is not None
    assert page.shortage_toggle.text().startswith("Shortages")
    page.undo_stack.undo()
    assert roster.shifts == {}


def test_stop_keeps_the_best_roster_found(qtbot, page):
    page.time_limit_spin.setValue(60)
    assert page.generate()
    assert page.stop_button.isEnabled() and not page.generate_button.isEnabled()
    page.stop_solve()
    qtbot.waitUntil(lambda: not page.solving, timeout=30000)
    assert page.result is not None  # finished (not cancelled) with what it had
    assert page.result.wall_seconds < 30
    assert page.undo_stack.count() == (1 if page.editor.roster.shifts else 0)


def test_cancel_changes_nothing(qtbot, page):
    page.time_limit_spin.setValue(60)
    assert page.generate()
    with qtbot.waitSignal(page.runner.current.cancelled, timeout=30000):
        page.cancel_solve()
    assert page.result is None and page.editor.roster.shifts == {}
    assert page.undo_stack.count() == 0


def test_resolving_a_day_keeps_every_other_day(qtbot, page):
    for i in range(7):
        day = MON + dt.timedelta(days=i)
        put(page, "Agent 0", day, 480, 990) if i % 2 else None
    kept = {c: s for c, s in page.editor.roster.shifts.items() if c[1] != TUE}
    page.time_limit_spin.setValue(2)
    assert page.resolve_day(TUE)
    qtbot.waitUntil(lambda: not page.solving, timeout=30000)
    roster = page.editor.roster
    assert {c: s for c, s in roster.shifts.items() if c[1] != TUE} == kept
    assert any(c[1] == TUE and c[0] != "Agent 0" for c in roster.shifts)


def test_new_inputs_keep_the_shifts_of_agents_still_present(qtbot, page):
    put(page, "Agent 0", MON, 480, 990)
    put(page, "Agent 5", MON, 480, 990)
    page.set_inputs(make_agents(4), make_setup())
    assert set(page.editor.roster.shifts) == {("Agent 0", MON)}
    assert page.model.rowCount() == 4
