"""Edit commands: structure checked before anything changes, exact inverses, merging."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace

import pytest

from tests.wfm.roster import MONDAY, day, early, roster
from wfm.errors import WfmError
from wfm.roster.commands import (
    AssignShift,
    Batch,
    Command,
    DeleteShift,
    MarkLeave,
    MoveBreak,
    MoveShift,
    ResizeShift,
    SetLocks,
    SetShift,
    SwapShifts,
    replace_roster_commands,
)
from wfm.roster.roster import Break, Roster, Shift

ANA, BO, CY = "Ana Silva", "Bo Chen", "Cy Diaz"
TUE = day(1)


def state(r: Roster) -> tuple[dict, dict, set]:
    return dict(r.shifts), dict(r.leave), set(r.locks)


def prepared() -> Roster:
    r = roster()
    r.put((BO, TUE), early(BO, TUE, 9 * 60))
    r.leave[(BO, day(3))] = "leave"
    r.locks.add((BO, day(4)))
    return r


def every_kind() -> list[Command]:
    return [
        SetShift((CY, TUE), early(CY, TUE, 9 * 60)),
        SetShift((ANA, TUE), None),
        AssignShift(CY, TUE, 12 * 60, 20 * 60, "late"),
        AssignShift(ANA, TUE, 6 * 60, 12 * 60),
        MoveShift(ANA, TUE, 30),
        ResizeShift(ANA, TUE, 9 * 60, 15 * 60),
        SwapShifts(TUE, ANA, CY),
        SwapShifts(TUE, ANA, BO),
        MoveBreak(ANA, TUE, 1, 12 * 60 + 15),
        DeleteShift(ANA, TUE),
        MarkLeave(ANA, TUE, "sick"),
        SetLocks(frozenset({(ANA, TUE), (BO, day(2))}), True),
        Batch(
            (MoveShift(ANA, TUE, 15), MarkLeave(BO, TUE), SetLocks(frozenset({(CY, TUE)}), True))
        ),
    ]


@pytest.mark.parametrize("command", every_kind(), ids=lambda c: type(c).__name__)
def test_apply_then_inverse_restores_exactly_and_redo_repeats(command: Command) -> None:
    r = prepared()
    before = state(r)
    inverse = command.apply(r)
    after = state(r)
    assert after != before  # every example changes something
    redo = inverse.apply(r)
    assert state(r) == before
    redo.apply(r)
    assert state(r) == after
    # applying the command again from the start gives the same after-state
    r2 = prepared()
    command.apply(r2)
    assert state(r2) == after


def test_commands_say_what_they_do() -> None:
    assert MoveShift(ANA, TUE, 15).text == "Move Ana Silva's shift on Tue 03 Nov"
    assert MarkLeave(ANA, TUE).text == "Mark Ana Silva leave on Tue 03 Nov"
    assert SetLocks(frozenset({(ANA, TUE), (BO, TUE)}), False).text == "Unlock 2 cells"
    assert MoveShift(ANA, TUE, 15, "Drag").text == "Drag"


def test_move_carries_the_breaks() -> None:
    r = roster()
    MoveShift(ANA, TUE, 45).apply(r)
    assert r.shifts[(ANA, TUE)] == early(ANA, TUE, 8 * 60 + 45)


def test_assign_places_template_breaks_mid_window_and_clears_leave() -> None:
    r = roster()
    r.leave[(CY, TUE)] = "leave"
    AssignShift(CY, TUE, 8 * 60, 16 * 60 + 30, "EARLY").apply(r)
    s = r.shifts[(CY, TUE)]
    assert s.template == "Early"
    # windows 90-150, 180-300, 360-420 min after the start, middle on the 15-min grid
    assert [(b.start - s.start, b.minutes, b.kind, b.paid) for b in s.breaks] == [
        (120, 15, "short", True),
        (240, 30, "lunch", False),
        (390, 15, "short", True),
    ]
    assert (CY, TUE) not in r.leave


def test_resize_keeps_breaks_inside_and_pulls_the_others_in() -> None:
    r = roster()
    ResizeShift(ANA, TUE, 8 * 60, 14 * 60).apply(r)  # the 14:30 break no longer fits
    s = r.shifts[(ANA, TUE)]
    assert s.label() == "08:00-14:00"
    assert [b.label() for b in s.breaks] == ["10:00-10:15", "12:00-12:30", "13:45-14:00"]


def test_swap_with_an_empty_cell_moves_the_shift() -> None:
    r = roster()
    SwapShifts(TUE, ANA, CY).apply(r)
    assert (ANA, TUE) not in r.shifts
    assert r.shifts[(CY, TUE)] == replace(early(ANA, TUE), agent=CY)


def test_mark_leave_removes_the_shift_and_undo_restores_both() -> None:
    r = roster()
    r.leave[(ANA, TUE)] = "training"  # an odd but possible state: a shift on a leave mark
    inverse = MarkLeave(ANA, TUE, "sick").apply(r)
    assert (ANA, TUE) not in r.shifts and r.leave[(ANA, TUE)] == "sick"
    inverse.apply(r)
    assert r.shifts[(ANA, TUE)] == early(ANA, TUE) and r.leave[(ANA, TUE)] == "training"


@pytest.mark.parametrize(
    "command",
    [
        MoveShift("Nobody", TUE, 15),
        MoveShift(ANA, MONDAY - dt.timedelta(days=1), 15),
        MoveShift(ANA, day(14), 15),
        MoveShift(ANA, TUE, -9 * 60),  # before midnight
        MoveShift(CY, TUE, 15),  # no shift to move
        AssignShift(CY, TUE, 10 * 60, 9 * 60),  # ends before it starts
        AssignShift(CY, TUE, 8 * 60, 16 * 60, "Night"),  # no such template
        AssignShift(CY, TUE, 8 * 60, 9 * 60, breaks=(Break(9 * 60, 15),)),  # break outside
        SetShift((CY, TUE), early(ANA, TUE)),  # someone else's shift
        SetShift((CY, TUE), Shift(CY, TUE, 23 * 60, 49 * 60)),  # longer than a day
        ResizeShift(ANA, TUE, 9 * 60, 9 * 60 + 20),  # too short for the lunch
        MoveBreak(ANA, TUE, 5, 10 * 60),
        MoveBreak(ANA, TUE, 0, 16 * 60 + 20),  # would end after the shift
        SetLocks(frozenset({(ANA, day(20))}), True),
        Batch((MoveShift(ANA, TUE, 15), DeleteShift(BO, TUE), MoveShift(CY, TUE, 15))),
    ],
    ids=lambda c: c.text,
)
def test_structural_errors_leave_the_roster_untouched(command: Command) -> None:
    r = roster()
    heard: list[frozenset] = []
    r.subscribe(heard.append)
    before = state(r)
    with pytest.raises(WfmError):
        command.apply(r)
    assert state(r) == before
    assert heard == []


def test_listeners_hear_the_changed_cells_once_per_command() -> None:
    r = roster()
    heard: list[frozenset] = []
    r.subscribe(heard.append)
    Batch((MoveShift(ANA, TUE, 15), DeleteShift(BO, day(2)))).apply(r)
    assert heard == [frozenset({(ANA, TUE), (BO, day(2))})]
    DeleteShift(CY, TUE).apply(r)  # nothing to delete: nothing changed
    assert len(heard) == 1


def test_merge_of_drags() -> None:
    r = roster()
    first, second = MoveShift(ANA, TUE, 15), MoveShift(ANA, TUE, 30)
    inverse = first.apply(r)
    second.apply(r)
    merged = first.merge(second)
    assert merged == MoveShift(ANA, TUE, 45, first.text)
    assert r.shifts[(ANA, TUE)] == early(ANA, TUE, 8 * 60 + 45)
    inverse.apply(r)  # the first inverse undoes the whole drag
    assert r.shifts[(ANA, TUE)] == early(ANA, TUE)
    assert first.merge(MoveShift(BO, TUE, 15)) is None
    assert first.merge(ResizeShift(ANA, TUE, 8 * 60, 16 * 60)) is None
    resize = ResizeShift(ANA, TUE, 8 * 60, 15 * 60).merge(ResizeShift(ANA, TUE, 9 * 60, 17 * 60))
    assert isinstance(resize, ResizeShift) and (resize.start, resize.end) == (540, 1020)
    moved = MoveBreak(ANA, TUE, 1, 700).merge(MoveBreak(ANA, TUE, 1, 720))
    assert isinstance(moved, MoveBreak) and moved.start == 720
    assert MoveBreak(ANA, TUE, 1, 700).merge(MoveBreak(ANA, TUE, 0, 720)) is None


def test_replace_roster_commands_turns_one_roster_into_the_other() -> None:
    r = roster()
    r.leave[(BO, day(3))] = "leave"
    r.locks.add((ANA, TUE))
    target = roster()
    target.put((ANA, TUE), early(ANA, TUE, 9 * 60))
    target.put((CY, day(2)), early(CY, day(2)))
    target.put((BO, day(4)), None)
    target.leave[(ANA, day(7))] = "leave"
    target.put((ANA, day(7)), None)
    batch = replace_roster_commands(r, target)
    # 3 shifts, a new leave (its shift goes with it), a leave cleared (and its shift put back)
    assert len(batch.commands) == 6
    before = state(r)
    inverse = batch.apply(r)
    assert r.shifts == target.shifts and r.leave == target.leave
    assert r.locks == {(ANA, TUE)}  # locks are left alone
    inverse.apply(r)
    assert state(r) == before


def random_command(rng: random.Random, r: Roster) -> Command:
    names = [a.name for a in r.agents]
    a, d = rng.choice(names), day(rng.randrange(r.days))
    kind = rng.randrange(9)
    if kind == 0:
        return AssignShift(a, d, rng.randrange(6, 12) * 60, rng.randrange(13, 22) * 60, "Early")
    if kind == 1:
        return MoveShift(a, d, rng.choice([-60, -15, 15, 30, 90]))
    if kind == 2:
        return ResizeShift(a, d, rng.randrange(6, 10) * 60, rng.randrange(15, 20) * 60)
    if kind == 3:
        return SwapShifts(d, a, rng.choice(names))
    if kind == 4:
        return MoveBreak(a, d, rng.randrange(3), rng.randrange(9, 15) * 60)
    if kind == 5:
        return DeleteShift(a, d)
    if kind == 6:
        return MarkLeave(a, d, rng.choice(["leave", "sick", None]))
    if kind == 7:
        return SetLocks(frozenset({(a, d)}), rng.random() < 0.5)
    return Batch((MoveShift(a, d, 15), SwapShifts(d, a, rng.choice(names))))


@pytest.mark.parametrize("seed", range(5))
def test_random_sequences_undo_back_to_the_start(seed: int) -> None:
    rng = random.Random(seed)
    r = roster()
    start = state(r)
    inverses: list[Command] = []
    states = [start]
    applied = 0
    for _ in range(200):
        command = random_command(rng, r)
        try:
            inverses.append(command.apply(r))
        except WfmError:
            assert state(r) == states[-1]
            continue
        applied += 1
        states.append(state(r))
    assert applied > 50
    for inverse in reversed(inverses):
        states.pop()
        inverse.apply(r)
        assert state(r) == states[-1]
    assert state(r) == start


def test_a_merged_resize_drag_gives_exactly_what_its_steps_gave() -> None:
    # shrinking pulls the 14:30 break in; growing again leaves it where it was pulled
    steps = [ResizeShift(ANA, TUE, 8 * 60, 14 * 60), ResizeShift(ANA, TUE, 8 * 60, 16 * 60 + 30)]
    stepped = roster()
    for step in steps:
        step.apply(stepped)
    merged = steps[0].merge(steps[1])
    assert merged is not None
    once = roster()
    inverse = merged.apply(once)
    assert once.shifts[(ANA, TUE)] == stepped.shifts[(ANA, TUE)]
    inverse.apply(once)
    assert state(once) == state(roster())


def test_breaks_never_overlap_after_a_resize_or_a_break_move() -> None:
    r = roster()
    # 08:00-12:30: the last short break (14:30) is pulled in, and the lunch (12:00-12:30)
    # makes room for it rather than sharing its minutes
    ResizeShift(ANA, TUE, 8 * 60, 12 * 60 + 30).apply(r)
    labels = [b.label() for b in r.shifts[(ANA, TUE)].breaks]
    assert labels == ["10:00-10:15", "11:45-12:15", "12:15-12:30"]
    before = state(r)
    with pytest.raises(WfmError, match="would overlap the lunch break 11:45-12:15"):
        MoveBreak(ANA, TUE, 0, 11 * 60 + 50).apply(r)
    assert state(r) == before
    with pytest.raises(WfmError, match="too short for the shift's 60 minutes of breaks"):
        ResizeShift(ANA, TUE, 8 * 60, 8 * 60 + 50).apply(r)
    overlapping = (Break(10 * 60, 30, "lunch", False), Break(10 * 60 + 15, 15))
    with pytest.raises(WfmError, match="the breaks 10:00-10:30 and 10:15-10:30 overlap"):
        AssignShift(CY, TUE, 8 * 60, 16 * 60, breaks=overlapping).apply(r)
    assert state(r) == before
