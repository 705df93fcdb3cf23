"""Edits of a roster as small commands, each returning its exact inverse.

Every edit a planner makes (typing a shift, dragging it, swapping two agents, marking
leave, pasting a block, applying a solver result) is a frozen dataclass with
``apply(roster) -> inverse``. ``apply`` first works out the new state of every cell it
touches, checking the structure (a known agent, a date inside the horizon, a shift that
ends after it starts and keeps its breaks inside); only then does it change the roster,
through :meth:`Roster.put`, :meth:`Roster.set_leave` and :meth:`Roster.set_lock`, and
tell the roster's listeners which cells changed. A structural error raises
:class:`~wfm.errors.WfmError` and leaves the roster untouched.

Rule breaches (too little rest, too many hours) are *not* refused: a planner may need to
break a rule for a day, and :mod:`wfm.roster.rules` reports it.

The inverse of every command is a :class:`RestoreCells` holding the exact earlier state
(shift, leave, lock) of the cells the command touched, so undo is exact whatever the
command did. This also makes merging drags simple: when ``a.merge(b)`` returns a command,
the inverse returned by applying ``a`` is still the inverse of the merged command (both act
on the same cell), and the inverse returned by ``b`` can be dropped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from wfm.errors import WfmError
from wfm.roster.roster import Break, Cell, Roster, Shift
from wfm.scheduling.model import MINUTES_PER_DAY, WEEKDAYS, ShiftTemplate, clock

__all__ = [
    "AssignShift",
    "Batch",
    "CellState",
    "Command",
    "DeleteShift",
    "MarkLeave",
    "MoveBreak",
    "MoveShift",
    "ResizeShift",
    "RestoreCells",
    "SetLocks",
    "SetShift",
    "SwapShifts",
    "day_label",
    "fit_breaks",
    "replace_roster_commands",
    "template_breaks",
]


def day_label(day: dt.date) -> str:
    """``Tue 03 Nov`` (how commands and violations name a day)."""
    return f"{WEEKDAYS[day.weekday()]} {day:%d %b}"


@dataclass(frozen=True)
class CellState:
    """Everything a roster holds for one cell: its shift, its leave kind and its lock."""

    cell: Cell
    shift: Shift | None
    leave: str | None
    locked: bool


def cell_state(roster: Roster, cell: Cell) -> CellState:
    """The current state of ``cell``."""
    return CellState(cell, roster.shifts.get(cell), roster.leave.get(cell), cell in roster.locks)


def _check_cell(roster: Roster, agent: str, day: dt.date) -> Cell:
    roster.agent(agent)  # raises WfmError for an unknown agent
    if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
        raise WfmError(f"'{day}' is not a date")
    if not roster.in_horizon(day):
        last = roster.start + dt.timedelta(days=roster.days - 1)
        raise WfmError(
            f"{day_label(day)} {day.year} is outside the roster "
            f"({day_label(roster.start)} - {day_label(last)} {last.year})"
        )
    return (agent, day)


def _check_shift(roster: Roster, cell: Cell, shift: Shift | None) -> None:
    if shift is None:
        return
    if (shift.agent, shift.day) != cell:
        raise WfmError(
            f"a shift of {shift.agent} on {day_label(shift.day)} cannot be put in "
            f"{cell[0]}'s cell on {day_label(cell[1])}"
        )
    if not 0 <= shift.start < MINUTES_PER_DAY:
        raise WfmError(
            f"{shift.agent} on {day_label(shift.day)}: a shift must start on its own day "
            f"(00:00-23:59), not at {clock(shift.start) if shift.start >= 0 else shift.start}"
        )
    if shift.length > MINUTES_PER_DAY:
        raise WfmError(
            f"{shift.agent} on {day_label(shift.day)}: a shift cannot last more than 24 hours"
        )


def _make_shift(
    agent: str,
    day: dt.date,
    start: int,
    end: int,
    template: str = "",
    breaks: tuple[Break, ...] = (),
) -> Shift:
    """A Shift, with a planner's message when the times make no sense."""
    if start < 0:
        raise WfmError(f"{agent} on {day_label(day)}: a shift cannot start before midnight")
    if end <= start:
        raise WfmError(
            f"{agent} on {day_label(day)}: the shift must end after it starts "
            f"({clock(start)}-{clock(max(end, 0))})"
        )
    ordered = sorted(breaks, key=lambda b: b.start)
    for a, b in zip(ordered, ordered[1:], strict=False):
        if b.start < a.end:
            raise WfmError(
                f"{agent} on {day_label(day)}: the breaks {a.label()} and {b.label()} overlap"
            )
    return Shift(agent, day, int(start), int(end), template, tuple(breaks))


def template_breaks(template: ShiftTemplate, start: int, end: int) -> tuple[Break, ...]:
    """The template's breaks for a shift ``start``-``end``, each placed at the middle of its
    window (on the template's break grid), pulled inside the shift when it is shorter than
    the template's lengths. A break longer than the whole shift is left out."""
    out: list[Break] = []
    step = template.break_step_minutes
    for rule in template.breaks:
        span = rule.latest_after_start_minutes - rule.earliest_after_start_minutes
        offset = rule.earliest_after_start_minutes + (span // 2) // step * step
        b_start = min(start + offset, end - rule.minutes)
        if b_start < start:
            continue
        out.append(Break(b_start, rule.minutes, rule.kind, rule.is_paid))
    out.sort(key=lambda b: b.start)
    while sum(b.minutes for b in out) > end - start:  # too short for them all: drop the last
        out.pop()
    return fit_breaks(out, start, end)


def fit_breaks(breaks: Sequence[Break], start: int, end: int) -> tuple[Break, ...]:
    """``breaks`` inside ``start``-``end`` without overlapping one another: each stays where
    it is when it can, else moves the least (in time order, keeping room for the later
    ones). The result keeps the order of ``breaks``; their minutes must fit the span."""
    order = sorted(range(len(breaks)), key=lambda i: breaks[i].start)
    remaining = sum(b.minutes for b in breaks)
    earliest = start
    placed: dict[int, Break] = {}
    for i in order:
        b = breaks[i]
        remaining -= b.minutes
        new_start = max(min(b.start, end - remaining - b.minutes), earliest)
        placed[i] = b if new_start == b.start else replace(b, start=new_start)
        earliest = new_start + b.minutes
    return tuple(placed[i] for i in range(len(breaks)))


class Command:
    """An edit of a roster. Subclasses are frozen dataclasses with a ``text`` field (the
    undo menu's label, made up when not given)."""

    text: str

    def __post_init__(self) -> None:
        if not self.text:
            object.__setattr__(self, "text", self._default_text())

    def _default_text(self) -> str:
        return "Edit the roster"

    # --- the public interface --------------------------------------------------------------
    def apply(self, roster: Roster) -> Command:
        """Change ``roster`` and return the command that restores it exactly.

        Raises :class:`WfmError` (leaving the roster untouched) on a structural error."""
        inverse, touched = self._do(roster)
        if touched:
            roster.notify(touched)
        return inverse

    def cells(self) -> frozenset[Cell]:
        """The cells this command may change."""
        raise NotImplementedError

    def merge(self, other: Command) -> Command | None:
        """One command doing ``self`` then ``other``, when they merge (drags); else None."""
        return None

    # --- for subclasses -------------------------------------------------------------------
    def plan(self, roster: Roster) -> list[CellState]:
        """The new state of every touched cell; raises WfmError on a structural error and
        must not change the roster."""
        raise NotImplementedError

    def _do(self, roster: Roster) -> tuple[Command, frozenset[Cell]]:
        """Apply without notifying; returns the inverse and the cells changed."""
        return _commit(roster, self.plan(roster), self.text)


def _commit(roster: Roster, states: list[CellState], text: str) -> tuple[Command, frozenset[Cell]]:
    before: dict[Cell, CellState] = {}
    for state in states:
        before.setdefault(state.cell, cell_state(roster, state.cell))
    for state in states:
        roster.put(state.cell, state.shift)
        roster.set_leave(state.cell, state.leave)
        roster.set_lock(state.cell, state.locked)
    changed = frozenset(c for c, old in before.items() if cell_state(roster, c) != old)
    return RestoreCells(tuple(before.values()), text), changed


@dataclass(frozen=True)
class RestoreCells(Command):
    """Put cells back exactly as they were (the inverse of every command)."""

    states: tuple[CellState, ...]
    text: str = ""

    def _default_text(self) -> str:
        return "Restore cells"

    def cells(self) -> frozenset[Cell]:
        return frozenset(s.cell for s in self.states)

    def plan(self, roster: Roster) -> list[CellState]:
        for s in self.states:
            _check_cell(roster, *s.cell)
            _check_shift(roster, s.cell, s.shift)
        return list(self.states)


@dataclass(frozen=True)
class SetShift(Command):
    """Set, replace or clear (``shift=None``) the shift of a cell; leave and lock stay."""

    cell: Cell
    shift: Shift | None
    text: str = ""

    def _default_text(self) -> str:
        agent, day = self.cell
        verb = "Clear" if self.shift is None else "Set"
        return f"{verb} {agent}'s shift on {day_label(day)}"

    def cells(self) -> frozenset[Cell]:
        return frozenset({self.cell})

    def plan(self, roster: Roster) -> list[CellState]:
        cell = _check_cell(roster, *self.cell)
        _check_shift(roster, cell, self.shift)
        old = cell_state(roster, cell)
        return [replace(old, shift=self.shift)]


@dataclass(frozen=True)
class AssignShift(Command):
    """Give ``agent`` a shift on ``day`` (replacing any shift, clearing a leave mark).

    ``breaks=None`` places the template's breaks at the middle of their windows (no breaks
    without a template)."""

    agent: str
    day: dt.date
    start: int
    end: int
    template: str = ""
    breaks: tuple[Break, ...] | None = None
    text: str = ""

    def _default_text(self) -> str:
        return (
            f"Assign {self.agent} {clock(max(self.start, 0))}-{clock(max(self.end, 0))} "
            f"on {day_label(self.day)}"
        )

    def cells(self) -> frozenset[Cell]:
        return frozenset({(self.agent, self.day)})

    def plan(self, roster: Roster) -> list[CellState]:
        cell = _check_cell(roster, self.agent, self.day)
        name = ""
        template = None
        if self.template:
            template = roster.template(self.template)
            if template is None:
                raise WfmError(f"there is no shift template '{self.template}'")
            name = template.name
        breaks = self.breaks
        if breaks is None:
            breaks = () if template is None else template_breaks(template, self.start, self.end)
        shift = _make_shift(self.agent, self.day, self.start, self.end, name, tuple(breaks))
        _check_shift(roster, cell, shift)
        return [replace(cell_state(roster, cell), shift=shift, leave=None)]


def _existing(roster: Roster, agent: str, day: dt.date, what: str) -> tuple[Cell, Shift]:
    cell = _check_cell(roster, agent, day)
    shift = roster.shifts.get(cell)
    if shift is None:
        raise WfmError(f"{agent} has no shift on {day_label(day)} to {what}")
    return cell, shift


@dataclass(frozen=True)
class MoveShift(Command):
    """Move a shift (with its breaks) ``delta_minutes`` later (earlier when negative)."""

    agent: str
    day: dt.date
    delta_minutes: int
    text: str = ""

    def _default_text(self) -> str:
        return f"Move {self.agent}'s shift on {day_label(self.day)}"

    def cells(self) -> frozenset[Cell]:
        return frozenset({(self.agent, self.day)})

    def plan(self, roster: Roster) -> list[CellState]:
        cell, shift = _existing(roster, self.agent, self.day, "move")
        if shift.start + self.delta_minutes < 0:
            raise WfmError(
                f"{self.agent}'s shift on {day_label(self.day)} cannot start before midnight"
            )
        moved = shift.moved(int(self.delta_minutes))
        _check_shift(roster, cell, moved)
        return [replace(cell_state(roster, cell), shift=moved)]

    def merge(self, other: Command) -> Command | None:
        if isinstance(other, MoveShift) and other.cells() == self.cells():
            return MoveShift(
                self.agent, self.day, self.delta_minutes + other.delta_minutes, self.text
            )
        return None


@dataclass(frozen=True)
class ResizeShift(Command):
    """Give a shift new start and end times; breaks stay where they are when still inside
    (and apart), else they are moved the least to fit (breaks longer than the new shift
    are an error).

    ``via`` lists earlier targets the shift is resized to first, in order: a merged drag
    keeps them so that applying it gives exactly what the steps gave (a break pulled in by
    a shrink stays where it was pulled when the shift grows again)."""

    agent: str
    day: dt.date
    start: int
    end: int
    text: str = ""
    via: tuple[tuple[int, int], ...] = ()

    def _default_text(self) -> str:
        return f"Change {self.agent}'s shift on {day_label(self.day)}"

    def cells(self) -> frozenset[Cell]:
        return frozenset({(self.agent, self.day)})

    def plan(self, roster: Roster) -> list[CellState]:
        cell, shift = _existing(roster, self.agent, self.day, "change")
        for start, end in (*self.via, (self.start, self.end)):
            shift = self._resized(shift, start, end)
            _check_shift(roster, cell, shift)
        return [replace(cell_state(roster, cell), shift=shift)]

    def _resized(self, shift: Shift, start: int, end: int) -> Shift:
        if end <= start or start < 0:
            _make_shift(self.agent, self.day, start, end)  # raises the message
        minutes = sum(b.minutes for b in shift.breaks)
        if minutes > end - start:
            raise WfmError(
                f"{self.agent} on {day_label(self.day)}: {clock(start)}-{clock(end)} is too "
                f"short for the shift's {minutes} minutes of breaks"
            )
        breaks = fit_breaks(shift.breaks, start, end)
        return _make_shift(self.agent, self.day, start, end, shift.template, breaks)

    def merge(self, other: Command) -> Command | None:
        if isinstance(other, ResizeShift) and other.cells() == self.cells():
            via = (*self.via, (self.start, self.end), *other.via)
            return ResizeShift(self.agent, self.day, other.start, other.end, self.text, via)
        return None


@dataclass(frozen=True)
class SwapShifts(Command):
    """Swap two agents' shifts on one day (either may have none)."""

    day: dt.date
    agent_a: str
    agent_b: str
    text: str = ""

    def _default_text(self) -> str:
        return f"Swap {self.agent_a}'s and {self.agent_b}'s shifts on {day_label(self.day)}"

    def cells(self) -> frozenset[Cell]:
        return frozenset({(self.agent_a, self.day), (self.agent_b, self.day)})

    def plan(self, roster: Roster) -> list[CellState]:
        a = _check_cell(roster, self.agent_a, self.day)
        b = _check_cell(roster, self.agent_b, self.day)
        if a == b:
            return []
        shift_a, shift_b = roster.shifts.get(a), roster.shifts.get(b)
        new_a = None if shift_b is None else replace(shift_b, agent=self.agent_a)
        new_b = None if shift_a is None else replace(shift_a, agent=self.agent_b)
        return [
            replace(cell_state(roster, a), shift=new_a),
            replace(cell_state(roster, b), shift=new_b),
        ]


@dataclass(frozen=True)
class MoveBreak(Command):
    """Move break number ``index`` (in the shift's ``breaks`` order) to start at ``start``."""

    agent: str
    day: dt.date
    index: int
    start: int
    text: str = ""

    def _default_text(self) -> str:
        return f"Move {self.agent}'s break on {day_label(self.day)}"

    def cells(self) -> frozenset[Cell]:
        return frozenset({(self.agent, self.day)})

    def plan(self, roster: Roster) -> list[CellState]:
        cell, shift = _existing(roster, self.agent, self.day, "move a break in")
        if not 0 <= self.index < len(shift.breaks):
            raise WfmError(
                f"{self.agent}'s shift on {day_label(self.day)} has no break number "
                f"{self.index + 1}"
            )
        old = shift.breaks[self.index]
        if self.start < shift.start or self.start + old.minutes > shift.end:
            raise WfmError(
                f"{self.agent} on {day_label(self.day)}: a break at "
                f"{clock(max(self.start, 0))}-{clock(max(self.start + old.minutes, 0))} "
                f"would be outside the shift {shift.label()}"
            )
        for i, other in enumerate(shift.breaks):
            if (
                i != self.index
                and other.start < self.start + old.minutes
                and self.start < other.end
            ):
                raise WfmError(
                    f"{self.agent} on {day_label(self.day)}: a break at "
                    f"{clock(self.start)}-{clock(self.start + old.minutes)} would overlap the "
                    f"{other.kind} break {other.label()}"
                )
        breaks = list(shift.breaks)
        breaks[self.index] = replace(old, start=int(self.start))
        new = replace(shift, breaks=tuple(breaks))
        return [replace(cell_state(roster, cell), shift=new)]

    def merge(self, other: Command) -> Command | None:
        if (
            isinstance(other, MoveBreak)
            and other.cells() == self.cells()
            and other.index == self.index
        ):
            return MoveBreak(self.agent, self.day, self.index, other.start, self.text)
        return None


@dataclass(frozen=True)
class DeleteShift(Command):
    """Remove an agent's shift on a day (a day off); nothing happens when there is none."""

    agent: str
    day: dt.date
    text: str = ""

    def _default_text(self) -> str:
        return f"Delete {self.agent}'s shift on {day_label(self.day)}"

    def cells(self) -> frozenset[Cell]:
        return frozenset({(self.agent, self.day)})

    def plan(self, roster: Roster) -> list[CellState]:
        cell = _check_cell(roster, self.agent, self.day)
        return [replace(cell_state(roster, cell), shift=None)]


@dataclass(frozen=True)
class MarkLeave(Command):
    """Mark a day as leave of some kind ("leave", "sick", ...), removing any shift;
    ``kind=None`` clears the leave mark (the day is then an ordinary day off)."""

    agent: str
    day: dt.date
    kind: str | None = "leave"
    text: str = ""

    def _default_text(self) -> str:
        if self.kind is None:
            return f"Clear {self.agent}'s leave on {day_label(self.day)}"
        return f"Mark {self.agent} {self.kind} on {day_label(self.day)}"

    def cells(self) -> frozenset[Cell]:
        return frozenset({(self.agent, self.day)})

    def plan(self, roster: Roster) -> list[CellState]:
        cell = _check_cell(roster, self.agent, self.day)
        kind = None if self.kind is None else (self.kind.strip() or "leave")
        return [replace(cell_state(roster, cell), shift=None, leave=kind)]


@dataclass(frozen=True)
class SetLocks(Command):
    """Lock (pin) or unlock cells: a re-solve keeps locked cells exactly as they are."""

    cells_: frozenset[Cell] = field(default_factory=frozenset)
    locked: bool = True
    text: str = ""

    def __init__(self, cells: frozenset[Cell], locked: bool, text: str = "") -> None:
        object.__setattr__(self, "cells_", frozenset(cells))
        object.__setattr__(self, "locked", bool(locked))
        object.__setattr__(self, "text", text)
        self.__post_init__()

    def _default_text(self) -> str:
        n = len(self.cells_)
        return f"{'Lock' if self.locked else 'Unlock'} {n} cell{'s' if n != 1 else ''}"

    def cells(self) -> frozenset[Cell]:
        return self.cells_

    def plan(self, roster: Roster) -> list[CellState]:
        out = []
        for agent, day in sorted(self.cells_, key=lambda c: (c[1], c[0])):
            cell = _check_cell(roster, agent, day)
            out.append(replace(cell_state(roster, cell), locked=self.locked))
        return out


@dataclass(frozen=True)
class Batch(Command):
    """Several commands as one edit (a paste, a solver result): applied in order, undone
    in reverse. When one fails, those already applied are undone before the error is
    raised, so the roster is left untouched. Listeners hear once, of every cell."""

    commands: tuple[Command, ...]
    text: str = ""

    def _default_text(self) -> str:
        n = len(self.commands)
        return f"{n} edit{'s' if n != 1 else ''}"

    def cells(self) -> frozenset[Cell]:
        out: set[Cell] = set()
        for c in self.commands:
            out |= c.cells()
        return frozenset(out)

    def _do(self, roster: Roster) -> tuple[Command, frozenset[Cell]]:
        inverses: list[Command] = []
        touched: set[Cell] = set()
        try:
            for c in self.commands:
                inverse, cells = c._do(roster)
                inverses.append(inverse)
                touched |= cells
        except BaseException:
            for inverse in reversed(inverses):
                inverse._do(roster)
            raise
        return Batch(tuple(reversed(inverses)), self.text), frozenset(touched)


def replace_roster_commands(
    roster: Roster, new_roster: Roster, text: str = "Apply the new roster"
) -> Batch:
    """The fewest :class:`SetShift` / :class:`MarkLeave` edits turning ``roster``'s shifts
    and leave into ``new_roster``'s (e.g. a solver result applied as one undoable edit).

    Locks are left as they are: a re-solve keeps the locked cells anyway."""
    commands: list[Command] = []
    cells = set(roster.shifts) | set(new_roster.shifts) | set(roster.leave) | set(new_roster.leave)
    for cell in sorted(cells, key=lambda c: (c[1], c[0])):
        old_shift, new_shift = roster.shifts.get(cell), new_roster.shifts.get(cell)
        old_leave, new_leave = roster.leave.get(cell), new_roster.leave.get(cell)
        if old_leave != new_leave:
            commands.append(MarkLeave(cell[0], cell[1], new_leave))
            if new_shift is not None:
                commands.append(SetShift(cell, new_shift))
        elif old_shift != new_shift:
            commands.append(SetShift(cell, new_shift))
    return Batch(tuple(commands), text)
