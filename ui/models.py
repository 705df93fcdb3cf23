"""Qt item models over ``wfm`` data (adapters only: no logic, no copies of the data)."""

from __future__ import annotations

from typing import Any

import pandas as pd
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

_Index = QModelIndex | QPersistentModelIndex


class DataFrameModel(QAbstractTableModel):
    """A read-only table over a DataFrame, e.g. the preview of a file about to be imported.

    Cells are shown as text; missing values as an empty cell. Columns listed in
    ``dimmed_columns`` (personal data, already masked by ``wfm``) are drawn grey.
    """

    def __init__(self, frame: pd.DataFrame | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._frame = frame if frame is not None else pd.DataFrame()
        self._dimmed: set[str] = set()
        self._headers: dict[str, str] = {}
        self._row_numbers: list[Any] | None = None

    @property
    def frame(self) -> pd.DataFrame:
        return self._frame

    def set_frame(
        self,
        frame: pd.DataFrame | None,
        dimmed_columns: tuple[str, ...] | set[str] = (),
        header_notes: dict[str, str] | None = None,
        row_numbers: Any = None,
    ) -> None:
        """Replace the data.

        ``header_notes`` maps a column to a tooltip for its header; ``row_numbers`` are the
        rows' numbers in the user's file, shown as the row headers (plain 1, 2, 3... without).
        """
        self.beginResetModel()
        self._row_numbers = list(row_numbers) if row_numbers is not None else None
        self._frame = frame if frame is not None else pd.DataFrame()
        self._dimmed = set(dimmed_columns)
        self._headers = dict(header_notes or {})
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._frame)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._frame.columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            value = self._frame.iat[index.row(), index.column()]
            if value is None or (not isinstance(value, str) and pd.isna(value)):
                return ""
            return str(value)
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and str(self._frame.columns[index.column()]) in self._dimmed
        ):
            return QBrush(QColor("#9e9e9e"))
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if section >= len(self._frame.columns):
                return None
            name = str(self._frame.columns[section])
            if role == Qt.ItemDataRole.DisplayRole:
                return name
            if role == Qt.ItemDataRole.ToolTipRole:
                return self._headers.get(name, name)
            if role == Qt.ItemDataRole.ForegroundRole and name in self._dimmed:
                return QBrush(QColor("#9e9e9e"))
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if self._row_numbers is not None and section < len(self._row_numbers):
                return str(self._row_numbers[section])
            return str(section + 1)
        return None
