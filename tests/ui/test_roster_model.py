"""The roster grid's model: what the cells show, typing into them, undo, copy and paste,
filters, and refreshing only what an edit touched. No view needed."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack

from ui.roster_model import (
    LEAVE_COLOUR,
    VIOLATION_COLOUR,
    LockedRole,
    RosterTableModel,
    ViolationsRole,
    template_colour,
)
from ui.roster_undo import RosterUndoCommand, new_session
from wfm.roster import commands as cmd
from wfm.roster.editor import RosterEditor
from wfm.roster.roster import Break, Roster, Shift
from wfm.scheduling.model import Agent, BreakRule, Rules, ShiftSetup, ShiftTemplate
from wfm.scheduling.need import StaffingNeed

MON = dt.date(2026, 11, 2)  # a Monday
TUE, WED = MON + dt.timedelta(days=1), MON + dt.timedelta(days=2)
DISPLAY = Qt.ItemDataRole.DisplayRole


def make_setup() -> ShiftSetup:
    lunch = (BreakRule("lunch", 30, 180, 300),)
    early = ShiftTemplate("Early", tuple(range(7)), 7 * 60, 9 * 60, 30, (480, 510), lunch)
    late = ShiftTemplate("Late", tuple(range(7)), 11 * 60, 13 * 60, 30, (480, 510), lunch)
    return ShiftSetup((early, late), Rules())


def make_agents(n: int = 6) -> tuple[Agent, ...]:
    return tuple(
        Agent(
            f"Agent {i}",
            team="Red" if i < n // 2 else "Blue",
            skills=("Sales",) if i % 2 else ("Sales", "Support"),
            max_weekly_hours=40,
        )
        for i in range(n)
    )


def make_need(days: int = 7) -> StaffingNeed:
    required = np.zeros((2, days, 24))
    required[0, :, 8:18] = 2
    required[1, :5, 9:17] = 1
    return StaffingNeed(MON, 60, ("Sales", "Support"), required)


def make_roster(days: int = 7) -> Roster:
    return Roster(MON, days, make_agents(), make_setup())


def shift(agent: str, day: dt.date, start: int, end: int, template: str = "Early") -> Shift:
    return Shift(agent, day, start, end, template, (Break(start + 240, 30, "lunch", False),))


@pytest.fixture
def model(qapp):
    roster = make_roster()
    roster.shifts[("Agent 0", MON)] = shift("Agent 0", MON, 8 * 60, 16 * 60 + 30)
    roster.shifts[("Agent 1", MON)] = shift("Agent 1", MON, 12 * 60, 20 * 60 + 30, "Late")
    roster.leave[("Agent 2", MON)] = "leave"
    editor = RosterEditor(roster, make_need())
    stack = QUndoStack()
    m = RosterTableModel(editor, stack)
    m.test_stack = stack  # keep the stack alive with the model
    return m


def test_cells_show_shift_times_template_colours_off_and_leave(model):
    assert model.rowCount() == 6
    assert model.columnCount() == 7 + 1  # seven days and one week-hours column
    assert model.data(model.index(0, 0), DISPLAY) == "08:00-16:30"
    assert model.data(model.index(1, 0), DISPLAY) == "12:00-20:30"
    assert model.data(model.index(2, 0), DISPLAY) == "Leave"
    assert model.data(model.index(3, 0), DISPLAY) == "Off"
    background = Qt.ItemDataRole.BackgroundRole
    assert model.data(model.index(0, 0), background).color().name() == template_colour(0)
    assert model.data(model.index(1, 0), background).color().name() == template_colour(1)
    assert template_colour(0) != template_colour(1)
    assert model.data(model.index(2, 0), background).color().name() == LEAVE_COLOUR
    assert model.data(model.index(3, 0), background) is None
    # Week hours: 8.5 h span less the unpaid 30-minute lunch.
    assert model.data(model.index(0, 7), DISPLAY) == "8 h"
    assert "Week" in model.headerData(7, Qt.Orientation.Horizontal, DISPLAY)
    assert model.headerData(0, Qt.Orientation.Vertical, DISPLAY) == "Agent 0"


def test_typing_a_shift_pushes_one_command_and_undo_redo_restore_exactly(model):
    roster = model.roster
    before = dict(roster.shifts)
    index = model.index(3, 1)  # Agent 3, Tuesday, a day off
    assert model.setData(index, "09:00-17:30")
    assert model.test_stack.count() == 1
    new = roster.shifts[("Agent 3", TUE)]
    assert (new.start, new.end) == (9 * 60, 17 * 60 + 30)
    # The template that allows a 09:00 start and 8.5 hours, with its lunch placed.
    assert new.template == "Early" and [b.kind for b in new.breaks] == ["lunch"]
    assert model.data(index, DISPLAY) == "09:00-17:30"
    after = dict(roster.shifts)
    model.test_stack.undo()
    assert roster.shifts == before
    assert model.data(index, DISPLAY) == "Off"
    model.test_stack.redo()
    assert roster.shifts == after


def test_typing_over_a_shift_resizes_it_and_off_or_leave_replace_it(model):
    roster = model.roster
    assert model.setData(model.index(0, 0), "8-15:30")
    assert (roster.shifts[("Agent 0", MON)].start, roster.shifts[("Agent 0", MON)].end) == (
        480,
        930,
    )
    assert model.setData(model.index(0, 0), "off")
    assert ("Agent 0", MON) not in roster.shifts
    assert model.setData(model.index(1, 0), "sick")
    assert ("Agent 1", MON) not in roster.shifts and roster.leave[("Agent 1", MON)] == "sick"
    assert model.data(model.index(1, 0), DISPLAY) == "Sick"
    assert model.test_stack.count() == 3
    for _ in range(3):
        model.test_stack.undo()
    assert roster.shifts[("Agent 0", MON)].end == 16 * 60 + 30
    assert ("Agent 1", MON) in roster.shifts and ("Agent 1", MON) not in roster.leave


def test_unreadable_text_changes_nothing_and_says_why(qtbot, model):
    with qtbot.waitSignal(model.editRejected) as blocker:
        assert not model.setData(model.index(3, 0), "after lunch")
    assert "08:00-16:30" in blocker.args[0]
    assert model.test_stack.count() == 0 and ("Agent 3", MON) not in model.roster.shifts


def test_a_rule_violation_is_red_with_the_rule_in_the_tooltip(model):
    # Agent 1 ends Monday at 20:30; a 07:00 start on Tuesday leaves 10.5 h of rest (rule: 11).
    assert model.setData(model.index(1, 1), "07:00-15:00")
    tue = model.index(1, 1)
    tooltip = model.data(tue, Qt.ItemDataRole.ToolTipRole)
    messages = [v.message for v in model.editor.violations_of("Agent 1", TUE)]
    assert any(v.rule == "rest" for v in model.editor.violations_of("Agent 1", TUE))
    for message in messages:
        assert message in tooltip
    assert model.data(tue, Qt.ItemDataRole.ForegroundRole).color().name() == VIOLATION_COLOUR
    model.test_stack.undo()
    assert model.editor.violations_of("Agent 1", TUE) == []
    assert model.data(tue, Qt.ItemDataRole.ForegroundRole).color().name() != VIOLATION_COLOUR


def test_team_and_queue_filters_hide_rows(model):
    model.set_filter(team="Blue")
    assert [a.team for a in model.agents] == ["Blue"] * 3
    assert model.rowCount() == 3
    model.set_filter(queue="Support")
    assert [a.name for a in model.agents] == ["Agent 0", "Agent 2", "Agent 4"]
    model.set_filter(team="Red", queue="Support")
    assert [a.name for a in model.agents] == ["Agent 0", "Agent 2"]
    model.set_filter()
    assert model.rowCount() == 6


def test_copy_gives_tab_separated_rows_and_paste_reads_them_back(model):
    selection = [model.index(r, c) for r in range(3) for c in range(2)]
    text = model.copy_text(selection)
    assert text == "08:00-16:30\tOff\n12:00-20:30\tOff\nLeave\tOff"
    commands = model.paste_commands(3, 2, text)
    # The shifts and the leave; Off onto an empty day is no change.
    assert len(commands) == 3
    assert isinstance(commands[0], cmd.AssignShift)
    assert isinstance(commands[2], cmd.MarkLeave)


def test_an_edit_refreshes_only_its_agents_row(qtbot, model):
    changed = []
    model.dataChanged.connect(lambda a, b, *_: changed.append((a.row(), b.row())))
    model.setData(model.index(4, 3), "09:00-17:00")
    assert changed == [(4, 4)]


def test_lock_role_follows_the_roster(model):
    assert model.push(cmd.SetLocks(frozenset({("Agent 0", MON)}), True))
    assert model.data(model.index(0, 0), LockedRole) is True
    assert "Locked" in model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole)
    assert model.data(model.index(0, 1), LockedRole) is False


def test_steps_of_one_drag_merge_into_one_undo_entry_and_two_drags_do_not(model):
    roster, stack, editor = model.roster, model.test_stack, model.editor
    original = roster.shifts[("Agent 0", MON)]
    session = new_session()
    for _ in range(3):
        stack.push(RosterUndoCommand(editor, cmd.MoveShift("Agent 0", MON, 15), session))
    assert stack.count() == 1
    assert roster.shifts[("Agent 0", MON)] == original.moved(45)
    stack.push(RosterUndoCommand(editor, cmd.MoveShift("Agent 0", MON, 15), new_session()))
    assert stack.count() == 2
    stack.undo()
    stack.undo()
    assert roster.shifts[("Agent 0", MON)] == original
    stack.redo()
    assert roster.shifts[("Agent 0", MON)] == original.moved(45)


def test_typing_times_of_another_template_over_a_shift_takes_that_template(model):
    roster = model.roster
    # Agent 0 works Early 08:00-16:30; 12:00-20:30 is a Late shift (Late's start window).
    assert model.setData(model.index(0, 0), "12:00-20:30")
    late = roster.shifts[("Agent 0", MON)]
    assert late.template == "Late" and late.label() == "12:00-20:30"
    assert model.editor.violations_of("Agent 0", MON) == []  # its breaks are Late's own
    # Times the shift's own template still allows keep the shift (a resize).
    assert model.setData(model.index(0, 0), "12:30-21:00")
    assert roster.shifts[("Agent 0", MON)].template == "Late"
    model.test_stack.undo()
    model.test_stack.undo()
    assert roster.shifts[("Agent 0", MON)].template == "Early"


def test_week_hours_come_from_wfm_and_weekly_breaches_sit_on_the_week_column(model):
    from wfm.roster.hours import weekly_hours

    roster = model.roster
    # Agent 5 (max 40 h a week) works 8 paid hours a day, six days: 48 h.
    for col in range(6):
        assert model.setData(model.index(5, col), "08:00-16:30")
    expected = weekly_hours(roster).loc["Agent 5"].iloc[0]
    assert model.data(model.index(5, 7), DISPLAY) == f"{expected:g} h" == "48 h"
    week_rules = {v.rule for vs in model.editor.violations.values() for v in vs}
    assert week_rules & {"contract_max", "week_hours"}
    week_cell = model.index(5, 7)
    assert model.data(week_cell, Qt.ItemDataRole.ForegroundRole).color().name() == (
        VIOLATION_COLOUR
    )
    assert "at most 40 h" in model.data(week_cell, Qt.ItemDataRole.ToolTipRole)
    # ...and not on the day it was reported on: that day is not red for a weekly total.
    # (a day-by-day breach, six days in a week, stays on its day).
    shown = [m for col in range(6) for m in model.data(model.index(5, col), ViolationsRole)]
    assert shown and not any("paid hours" in m for m in shown)
    model.test_stack.undo()  # back to 40 h: the week cell is no longer red
    assert model.data(week_cell, Qt.ItemDataRole.ForegroundRole) is None
    assert model.data(week_cell, DISPLAY) == "40 h"


def test_a_week_the_horizon_cuts_is_labelled_as_a_part_week(qapp):
    roster = Roster(MON + dt.timedelta(days=6), 3, make_agents(), make_setup())  # Sun-Tue
    m = RosterTableModel(RosterEditor(roster, None), QUndoStack())
    headers = [m.headerData(c, Qt.Orientation.Horizontal, DISPLAY) for c in range(3, 5)]
    assert headers == ["Part week\n08 Nov", "Part week\n09–10 Nov"]
    assert "cuts" in m.headerData(3, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)


def test_an_agent_taking_none_of_the_queues_is_greyed_with_the_reason(qapp):
    agents = make_agents(2) + (Agent("Chat only", team="Red", skills=("Chat",)),)
    roster = Roster(MON, 7, agents, make_setup())
    m = RosterTableModel(RosterEditor(roster, make_need()), QUndoStack())
    vertical = Qt.Orientation.Vertical
    tip = m.headerData(2, vertical, Qt.ItemDataRole.ToolTipRole)
    assert "none of the requirement's queues (Sales, Support)" in tip
    assert m.headerData(2, vertical, Qt.ItemDataRole.ForegroundRole) is not None
    assert m.headerData(0, vertical, Qt.ItemDataRole.ForegroundRole) is None
    assert "none of" not in m.headerData(0, vertical, Qt.ItemDataRole.ToolTipRole)


def test_a_read_only_model_refuses_edits_and_says_why(qtbot, model):
    model.read_only_reason = "busy solving"
    assert not model.flags(model.index(3, 0)) & Qt.ItemFlag.ItemIsEditable
    with qtbot.waitSignal(model.editRejected) as blocker:
        assert not model.setData(model.index(3, 0), "09:00-17:30")
    assert blocker.args == ["busy solving"]
    assert ("Agent 3", MON) not in model.roster.shifts and model.test_stack.count() == 0
