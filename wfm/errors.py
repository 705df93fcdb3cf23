"""The one exception type a planner sees.

Anything raised as :class:`WfmError` carries a message written for the planner (which file,
which row, which column, what is wrong). The command line prints it on one line and exits 2;
the window shows it in a dialog. Anything else escaping is a bug in the planner.
"""

from __future__ import annotations

from pathlib import Path


class WfmError(Exception):
    """A problem with the planner's input or settings, explained in plain words."""


class InputError(WfmError):
    """Bad input, located as precisely as it can be: file, row and column.

    Parameters
    ----------
    message
        What is wrong, e.g. ``"'-35' is not a duration"``.
    file, row, column
        Where. ``row`` is the row number the user sees in a text editor or Excel
        (the header is row 1).
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.message = message
        self.file = Path(file).name if file is not None else None
        self.row = row
        self.column = column
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.row is not None:
            where.append(f"row {self.row:,}")
        if self.column:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}" if where else self.message
