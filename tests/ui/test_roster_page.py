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
    assert p.stack.currentWidget() is p.empty_panel
    assert "Forecast and staff first" in p.placeholder.text()
    assert not p.generate_button.isEnabled()
    # Both ways forward are buttons on the empty page.
    with qtbot.waitSignal(p.staffingRequested, timeout=1000):
        p.go_staffing_button.click()
    assert not p.open_requirement_button.isHidden()


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


def test_while_solving_the_roster_is_read_only_and_says_why(qtbot, page):
    page.time_limit_spin.setValue(60)
    assert page.generate()
    assert not page.lock_button.isEnabled() and not page.unlock_button.isEnabled()
    with qtbot.waitSignal(page.statusMessage) as blocker:
        assert not page.model.setData(page.model.index(0, 0), "08:00-16:30")
    assert "Stop (keep best)" in blocker.args[0]
    select(page, 0, 0, 0, 0)
    assert not page.clear_selection() and not page.set_locks(True)
    assert page.undo_stack.count() == 0
    page.cancel_solve()
    qtbot.waitUntil(lambda: not page.solving, timeout=30000)
    assert page.lock_button.isEnabled()
    assert page.model.setData(page.model.index(0, 0), "08:00-16:30")


def test_the_team_table_shows_wfm_team_hours(qtbot, page):
    from wfm.roster.hours import team_hours

    put(page, "Agent 0", MON, 480, 990)
    put(page, "Agent 4", TUE, 480, 990)
    page.refresh_summary()
    table, frame = page.team_table, team_hours(page.editor.roster)
    assert table.rowCount() == len(frame) == 2
    assert [table.item(r, 0).text() for r in range(2)] == list(frame.index)
    assert table.horizontalHeaderItem(2).text() == "Week of 02 Nov"
    assert [table.item(r, 2).text() for r in range(2)] == ["8.0", "8.0"]


def test_new_inputs_say_what_was_kept_and_that_undo_starts_again(qtbot, page):
    page.model.setData(page.model.index(5, 0), "08:00-16:30")
    with qtbot.waitSignal(page.statusMessage) as blocker:
        page.set_inputs(make_agents(4), make_setup())
    assert "1 shifts of agents no longer listed were dropped" in blocker.args[0]
    assert "undo history starts again" in blocker.args[0]
    assert page.undo_stack.count() == 0


def test_the_filters_say_how_many_agents_are_shown(qtbot, page):
    assert page.shown_label.text() == ""
    page.set_team_filter("Blue")
    assert page.shown_label.text() == "3 of 6 agents"


def test_shortages_wrap_and_carry_their_text_as_tooltip(qtbot, page):
    class Result:
        shortages = ()
        notes = ("A long note " * 20,)

    page.result = Result()
    page._show_shortages()
    item = page.shortage_list.item(0)
    assert page.shortage_list.wordWrap() and item.toolTip() == item.text()


def test_a_result_without_a_roster_changes_nothing_and_points_to_the_notes(qtbot, page):
    from wfm.roster.roster import Roster

    put(page, "Agent 0", MON, 480, 990)
    before = dict(page.editor.roster.shifts)

    class Result:
        status = "no solution"
        roster = Roster(MON, 7, make_agents(), make_setup())
        shortages = ()
        notes = ("Agent 0's lock on Mon conflicts with the rest rule",)
        lp_bound_paid_hours = None
        wall_seconds = 0.1

    with qtbot.waitSignal(page.statusMessage) as blocker:
        page._solve_finished(Result())
    assert page.editor.roster.shifts == before and page.undo_stack.count() == 0
    assert "no roster found" in blocker.args[0] and "Shortages" in blocker.args[0]
    assert page.shortage_list.item(0).text() == Result.notes[0]


def test_a_paid_total_below_the_lp_bound_is_not_shown_as_a_negative_gap(qtbot, page):
    put(page, "Agent 0", MON, 480, 990)
    page.lp_bound = 1000.0
    page.refresh_summary()
    text = page.summary_label.text()
    assert "Below the LP bound" in text and "-" not in text.split("LP bound")[1][:20]
    page.lp_bound = 1.0
    page.refresh_summary()
    assert "Gap to LP bound" in page.summary_label.text()


def test_the_day_view_widens_its_hours_for_a_shift_typed_outside_them(qtbot, page):
    page.tabs.setCurrentIndex(1)
    view = page.day_view
    view.set_day(MON)
    assert view.lo > 5 * 60
    page.model.setData(page.model.index(0, 0), "05:00-13:30")
    assert view.lo <= 5 * 60
    bar_left = min(
        item.rect().left() for item in view._items["Agent 0"] if hasattr(item, "rect")
    )
    assert bar_left >= view.x_of(view.lo)  # never over the names


def test_the_curve_lines_up_with_the_bars(qtbot, page):
    from PySide6.QtCore import QPoint, QPointF

    page.tabs.setCurrentIndex(1)
    view = page.day_view
    view.set_day(MON)

    def offsets() -> tuple[int, int]:
        box = view.plot.getPlotItem().getViewBox().sceneBoundingRect()
        port = view.view.viewport()
        edges = []
        for minutes, x in ((view.lo, box.left()), (view.hi, box.right())):
            bars = port.mapTo(view, view.view.mapFromScene(QPointF(view.x_of(minutes), 0)))
            edges.append(abs(bars.x() - view.plot.mapTo(view, QPoint(round(x), 0)).x()))
        return edges[0], edges[1]

    qtbot.waitUntil(lambda: max(offsets()) <= 1, timeout=3000)
