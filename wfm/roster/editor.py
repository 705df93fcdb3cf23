"""The one place roster edits go through, and a Qt-free undo stack.

:class:`RosterEditor` wraps a :class:`Roster` and the :class:`StaffingNeed` it should
cover. Every edit is a command (:mod:`wfm.roster.commands`) applied with
:meth:`RosterEditor.apply`; the editor listens to the roster, so after each change it
re-validates only the agents whose cells changed, forgets its cached coverage (recomputed
on the next read) and then tells its own subscribers which cells changed: the edited cells
plus any cell whose list of violations changed (a rest breach moves to the next day).

:class:`UndoStack` is the headless twin of ``QUndoStack``: push, undo, redo and merging of
drags, for scripts and tests. The window wraps the same commands in ``QUndoCommand``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from wfm.roster.commands import Command
from wfm.roster.coverage import Coverage, coverage
from wfm.roster.roster import Cell, Roster
from wfm.roster.rules import Violation, validate
from wfm.scheduling.need import StaffingNeed

if TYPE_CHECKING:
    import datetime as dt

    from wfm.roster.report import QualityReport

Listener = Callable[[frozenset[Cell]], None]


class RosterEditor:
    """A roster with its live violations and (lazily computed) coverage."""

    def __init__(self, roster: Roster, need: StaffingNeed | None = None) -> None:
        self.roster = roster
        self.need = need
        self._coverage: Coverage | None = None
        self._report: tuple[float | None, QualityReport] | None = None
        self._listeners: list[Listener] = []
        self._violations: dict[Cell, list[Violation]] = {}
        self._agent_cells: dict[str, set[Cell]] = {}
        self._store(validate(roster), [a.name for a in roster.agents])
        self._unsubscribe = roster.subscribe(self._changed)

    # --- editing -----------------------------------------------------------------------------
    def apply(self, command: Command) -> Command:
        """Apply ``command`` (raising WfmError, roster untouched, on a structural error) and
        return its inverse. Violations and coverage are refreshed and subscribers told."""
        return command.apply(self.roster)

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(cells)`` after every change, once violations are up to date;
        returns a function that unsubscribes."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def set_need(self, need: StaffingNeed | None) -> None:
        """Cover another requirement (coverage is recomputed on the next read)."""
        self.need = need
        self._coverage = None
        self._report = None
        self._notify(frozenset())

    def close(self) -> None:
        """Stop listening to the roster."""
        self._unsubscribe()

    # --- reading ------------------------------------------------------------------------------
    @property
    def coverage(self) -> Coverage | None:
        """Coverage of the need by the roster (None without a need), cached until an edit."""
        if self.need is None:
            return None
        if self._coverage is None:
            self._coverage = coverage(self.roster, self.need)
        return self._coverage

    @property
    def violations(self) -> dict[Cell, list[Violation]]:
        """Violations by the cell they are shown on (only cells with some)."""
        return self._violations

    def violations_of(self, agent: str, day: dt.date) -> list[Violation]:
        return self._violations.get((agent, day), [])

    def violation_count(self) -> int:
        return sum(len(v) for v in self._violations.values())

    def report(self, lp_bound_paid_hours: float | None = None) -> QualityReport | None:
        """The quality report of the roster (None without a need), cached until an edit."""
        if self.need is None:
            return None
        if self._report is not None and self._report[0] == lp_bound_paid_hours:
            return self._report[1]
        from wfm.roster.report import quality_report

        cov = self.coverage
        result = quality_report(
            self.roster,
            self.need,
            lp_bound_paid_hours,
            violations=self.violation_count(),
            cover=cov,
        )
        self._report = (lp_bound_paid_hours, result)
        return result

    # --- internals -------------------------------------------------------------------------------
    def _store(self, found: list[Violation], agents: list[str]) -> set[Cell]:
        """Replace the violations of ``agents`` with ``found``; return the cells whose
        violations changed."""
        before: dict[Cell, list[Violation]] = {}
        for name in agents:
            for cell in self._agent_cells.pop(name, set()):
                before[cell] = self._violations.pop(cell, [])
        for v in found:
            cell = (v.agent, v.day)
            self._violations.setdefault(cell, []).append(v)
            self._agent_cells.setdefault(v.agent, set()).add(cell)
        changed = {c for c, old in before.items() if self._violations.get(c, []) != old}
        changed |= {(v.agent, v.day) for v in found if (v.agent, v.day) not in before}
        return changed

    def _changed(self, cells: frozenset[Cell]) -> None:
        self._coverage = None
        self._report = None
        agents = sorted({agent for agent, _ in cells})
        moved = self._store(validate(self.roster, agents), agents) if agents else set()
        self._notify(cells | moved)

    def _notify(self, cells: frozenset[Cell]) -> None:
        for listener in list(self._listeners):
            listener(cells)


class UndoStack:
    """Undo and redo of commands applied through an editor, without Qt.

    Consecutive mergeable commands (drags: :meth:`Command.merge`) become one step unless
    :meth:`seal` was called in between (a drag ended)."""

    def __init__(self, editor: RosterEditor) -> None:
        self.editor = editor
        self._done: list[tuple[Command, Command]] = []  # (command, its inverse)
        self._undone: list[tuple[Command, Command]] = []  # (command to redo, redo it exactly)
        self._sealed = True

    def push(self, command: Command, merge: bool = True) -> None:
        """Apply ``command`` and put it on the stack (merged into the last step when it
        can be)."""
        inverse = self.editor.apply(command)
        self._undone.clear()
        if merge and not self._sealed and self._done:
            last, last_inverse = self._done[-1]
            merged = last.merge(command)
            if merged is not None:
                # The first inverse restores the cell as it was before the whole drag.
                self._done[-1] = (merged, last_inverse)
                return
        self._done.append((command, inverse))
        self._sealed = False

    def seal(self) -> None:
        """The next push starts a new step even when it could merge."""
        self._sealed = True

    def undo(self) -> Command | None:
        """Undo the last step; returns the command undone (None when there is none)."""
        if not self._done:
            return None
        command, inverse = self._done.pop()
        redo = self.editor.apply(inverse)
        self._undone.append((command, redo))
        self._sealed = True
        return command

    def redo(self) -> Command | None:
        """Redo the last undone step; returns the command redone."""
        if not self._undone:
            return None
        command, redo = self._undone.pop()
        inverse = self.editor.apply(redo)
        self._done.append((command, inverse))
        self._sealed = True
        return command

    def can_undo(self) -> bool:
        return bool(self._done)

    def can_redo(self) -> bool:
        return bool(self._undone)

    def undo_text(self) -> str:
        return self._done[-1][0].text if self._done else ""

    def redo_text(self) -> str:
        return self._undone[-1][0].text if self._undone else ""

    def clear(self) -> None:
        self._done.clear()
        self._undone.clear()
        self._sealed = True
