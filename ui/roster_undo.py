"""The roster's edits on a ``QUndoStack``: one ``QUndoCommand`` subclass for every edit.

The edit itself is a ``wfm.roster.commands`` command; :class:`RosterUndoCommand` only
holds it and the inverse the editor returns, so undo is exact and testable without Qt
(``wfm.roster.editor.UndoStack`` does the same headless). ``redo`` applies the command
through :meth:`wfm.roster.editor.RosterEditor.apply` and keeps the inverse; ``undo``
applies the inverse and keeps *its* inverse for the next redo.

Drags: every snap step of a drag is pushed at once (so the grid, the curve and the summary
follow the mouse) with the same ``session`` number; Qt then merges the steps into one undo
entry through :meth:`mergeWith`, which asks the command's own ``merge``. Two separate drags
have different sessions and stay two undo steps.
"""

from __future__ import annotations

import itertools
from typing import Any

from PySide6.QtGui import QUndoCommand

#: Qt merge ids per mergeable command type (``QUndoCommand.id``); -1 never merges.
_MERGE_IDS = {"MoveShift": 1001, "ResizeShift": 1002, "MoveBreak": 1003}
_sessions = itertools.count(1)


def new_session() -> int:
    """A fresh drag session number for :class:`RosterUndoCommand`."""
    return next(_sessions)


class RosterUndoCommand(QUndoCommand):
    """One roster edit on the undo stack.

    Parameters
    ----------
    editor
        The :class:`wfm.roster.editor.RosterEditor` every edit goes through.
    command
        A ``wfm.roster.commands`` command (``apply(roster) -> inverse``, ``text``).
    session
        Steps of one drag share a session and merge into one undo entry; ``None`` (typing,
        paste, generate) never merges.
    """

    def __init__(self, editor: Any, command: Any, session: int | None = None) -> None:
        super().__init__(str(getattr(command, "text", "") or "Edit roster"))
        self.editor = editor
        self.command = command
        self.inverse: Any = None
        self.session = session

    def redo(self) -> None:
        self.inverse = self.editor.apply(self.command)

    def undo(self) -> None:
        if self.inverse is not None:
            self.command = self.editor.apply(self.inverse)

    def id(self) -> int:
        if self.session is None:
            return -1
        return _MERGE_IDS.get(type(self.command).__name__, -1)

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt's name
        """Fold ``other`` (already applied, pushed just after this one) into this entry."""
        if not isinstance(other, RosterUndoCommand) or other.session != self.session:
            return False
        merge = getattr(self.command, "merge", None)
        merged = merge(other.command) if merge is not None else None
        if merged is None:
            return False
        from wfm.roster.commands import Batch

        # Undo must bring back the state before the first step: undo the later step first.
        self.inverse = Batch(commands=(other.inverse, self.inverse), text=merged.text)
        self.command = merged
        self.setText(str(merged.text))
        return True
