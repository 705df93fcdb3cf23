"""The editor: live violations of touched agents, cached coverage, the headless undo stack."""

from __future__ import annotations

import pytest

from tests.wfm.roster import day, early, need, roster
from wfm.errors import WfmError
from wfm.roster.commands import AssignShift, DeleteShift, MoveShift, ResizeShift
from wfm.roster.coverage import coverage
from wfm.roster.editor import RosterEditor, UndoStack
from wfm.roster.rules import validate

ANA, BO, CY = "Ana Silva", "Bo Chen", "Cy Diaz"


def test_violations_follow_edits_and_subscribers_hear_moved_ones() -> None:
    editor = RosterEditor(roster(), need())
    heard: list[frozenset] = []
    editor.subscribe(heard.append)
    assert editor.violations == {}
    # a late Monday shift breaks the rest before Tuesday's: shown on Tuesday's cell
    editor.apply(AssignShift(ANA, day(0), 14 * 60, 22 * 60))
    assert [v.rule for v in editor.violations_of(ANA, day(1))] == ["rest"]
    assert heard[-1] == frozenset({(ANA, day(0)), (ANA, day(1))})
    inverse = editor.apply(DeleteShift(ANA, day(1)))
    assert editor.violations_of(ANA, day(1)) == []
    editor.apply(inverse)
    assert [v.rule for v in editor.violations_of(ANA, day(1))] == ["rest"]
    # always the same as validating from scratch
    found: dict = {}
    for v in validate(editor.roster):
        found.setdefault((v.agent, v.day), []).append(v)
    assert editor.violations == found
    assert editor.violation_count() == 1


def test_coverage_is_cached_until_an_edit() -> None:
    editor = RosterEditor(roster(), need())
    first = editor.coverage
    assert first is not None and editor.coverage is first
    editor.apply(MoveShift(ANA, day(0), 60))
    second = editor.coverage
    assert second is not None and second is not first
    expected = coverage(editor.roster, need())
    assert (second.allocated == expected.allocated).all()
    assert RosterEditor(roster()).coverage is None
    editor.set_need(None)
    assert editor.coverage is None and editor.report() is None


def test_report_is_kept_until_an_edit() -> None:
    editor = RosterEditor(roster(), need())
    report = editor.report()
    assert report is not None and editor.report() is report
    editor.apply(DeleteShift(ANA, day(0)))
    after = editor.report()
    assert after is not None and after.under_hours > report.under_hours


def test_a_refused_edit_changes_nothing_and_is_not_on_the_stack() -> None:
    editor = RosterEditor(roster(), need())
    stack = UndoStack(editor)
    with pytest.raises(WfmError):
        stack.push(MoveShift(CY, day(0), 15))
    assert not stack.can_undo()


def test_undo_redo_and_merged_drags() -> None:
    r = roster()
    editor = RosterEditor(r, need())
    stack = UndoStack(editor)
    original = dict(r.shifts)
    for _ in range(4):  # one drag, four steps of 15 minutes
        stack.push(MoveShift(ANA, day(0), 15))
    stack.seal()  # the mouse is released
    stack.push(MoveShift(ANA, day(0), 15))  # a new drag
    stack.push(ResizeShift(BO, day(0), 8 * 60, 16 * 60))
    assert r.shifts[(ANA, day(0))] == early(ANA, day(0), 8 * 60 + 75)
    assert stack.undo_text() == "Change Bo Chen's shift on Mon 02 Nov"
    stack.undo()
    stack.undo()
    assert r.shifts[(ANA, day(0))] == early(ANA, day(0), 9 * 60)
    stack.undo()  # the whole first drag
    assert r.shifts == original and not stack.can_undo()
    assert stack.undo() is None
    stack.redo()
    assert r.shifts[(ANA, day(0))] == early(ANA, day(0), 9 * 60)
    stack.redo()
    stack.redo()
    bo = r.shifts[(BO, day(0))]
    assert bo.label() == "08:00-16:00" and bo.breaks == early(BO, day(0)).breaks
    assert not stack.can_redo() and stack.redo() is None
    # a new edit after an undo drops the redo steps
    stack.undo()
    stack.push(DeleteShift(CY, day(0)))
    assert not stack.can_redo()
    # Ana's shift now starts at 09:15, after Early's window
    assert [v.rule for v in editor.violations_of(ANA, day(0))] == ["template"]
