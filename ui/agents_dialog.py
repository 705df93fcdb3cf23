"""The agents table: every agent's team, skills, contract, availability and preferences,
edited in place, with the same checks and texts as ``agents.csv``.

A cell holds the text the CSV would hold (``Sat;Sun``, ``2026-11-03..2026-11-05``); each
edit is checked at once with :func:`wfm.scheduling.loaders.check_agent_fields`, the checks
``read_agents_csv`` makes, so a table the dialog accepts is one the loader would read. A bad
cell turns red with the reason in its tooltip and under the table; OK stays disabled until
every cell is good.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.errors import show_error
from ui.widgets import buddy_label
from wfm.errors import WfmError
from wfm.scheduling.loaders import (
    AGENT_COLUMNS,
    agent_from_fields,
    agent_to_fields,
    check_agent_fields,
    read_agents_csv,
    write_agents_csv,
)
from wfm.scheduling.model import Agent

_Index = QModelIndex | QPersistentModelIndex

BAD_BRUSH = QBrush(QColor("#f6c9c9"))
ERROR_STYLE = "color: #a11d1d;"
NUMBER_COLUMNS = frozenset({"min_weekly_hours", "max_weekly_hours", "hourly_cost"})
ALL_TEAMS = object()  # the team filter's "All teams" entry


def _headers() -> dict[str, tuple[str, str]]:
    """Column -> (header, header tooltip: what to type)."""

    def tr(text: str) -> str:
        return QCoreApplication.translate("AgentsTableModel", text)

    return {
        "name": (tr("Name"), tr("The agent's name (each agent once)")),
        "team": (tr("Team"), tr("The team they belong to")),
        "skills": (tr("Skills"), tr("Queues they can take, separated by ';' (Sales;Support)")),
        "min_weekly_hours": (tr("Min h/week"), tr("Contracted paid hours per week, at least")),
        "max_weekly_hours": (tr("Max h/week"), tr("Contracted paid hours per week, at most")),
        "hourly_cost": (tr("Cost/h"), tr("Hourly cost (optional)")),
        "unavailable_days": (
            tr("Unavailable days"),
            tr("Weekdays they never work, separated by ';' (Sat;Sun)"),
        ),
        "unavailable_dates": (
            tr("Unavailable dates"),
            tr(
                "Dates they cannot work: 2026-11-03 or ranges 2026-11-03..2026-11-05, "
                "separated by ';'"
            ),
        ),
        "leave": (
            tr("Leave"),
            tr("Approved leave: dates or ranges like 2026-12-21..2026-12-24, separated by ';'"),
        ),
        "preferred_shift": (tr("Preferred shift"), tr("A shift template name (optional)")),
        "preferred_days_off": (
            tr("Preferred days off"),
            tr("Weekdays they would rather have off, separated by ';'"),
        ),
        "templates": (
            tr("Templates"),
            tr("Shift templates they may work, separated by ';' (empty: every template)"),
        ),
    }


class AgentsTableModel(QAbstractTableModel):
    """One row per agent, one column per ``agents.csv`` column, the cells as text.

    ``setData`` stores the text typed and re-checks the row (and the names of every row,
    for repeats); ``errors`` maps ``(row, column)`` to the reason a cell is bad.
    """

    validityChanged = Signal(bool)

    def __init__(self, agents: tuple[Agent, ...] = (), parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[dict[str, str]] = []
        self.errors: dict[tuple[int, str], str] = {}
        self._headers = _headers()
        self.set_agents(agents)

    # --- the data ------------------------------------------------------------------------------
    def set_agents(self, agents: tuple[Agent, ...] | list[Agent]) -> None:
        self.beginResetModel()
        self._rows = [agent_to_fields(a) for a in agents]
        self._check_all()
        self.endResetModel()
        self.validityChanged.emit(self.is_valid())

    def fields(self, row: int) -> dict[str, str]:
        return dict(self._rows[row])

    def is_valid(self) -> bool:
        return not self.errors

    def agents(self) -> tuple[Agent, ...]:
        """The agents of the table (raises :class:`WfmError` while a cell is bad)."""
        if self.errors:
            (row, column), message = min(self.errors.items(), key=self._error_order)
            raise WfmError(f"Row {row + 1}, {self._headers[column][0]}: {message}")
        return tuple(agent_from_fields(r) for r in self._rows)

    def first_error(self) -> str | None:
        """``"Row 7, Max h/week: '4O' is not a number"`` for the first bad cell, or None."""
        if not self.errors:
            return None
        (row, column), message = min(self.errors.items(), key=self._error_order)
        return self.tr("Row {row}, {column}: {message}").format(
            row=row + 1, column=self._headers[column][0], message=message
        )

    def teams(self) -> list[str]:
        return sorted({r["team"].strip() for r in self._rows if r["team"].strip()}, key=str.lower)

    def insert_agent(self, row: int, fields: dict[str, str]) -> None:
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.insert(row, {c: fields.get(c, "") for c in AGENT_COLUMNS})
        self.endInsertRows()
        self._refresh_checks()

    def remove_agents(self, rows: list[int]) -> None:
        for row in sorted(set(rows), reverse=True):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()
        self._refresh_checks()

    def unused_name(self, base: str) -> str:
        taken = {r["name"].strip().casefold() for r in self._rows}
        name, n = base, 1
        while name.casefold() in taken:
            n += 1
            name = f"{base} {n}"
        return name

    @staticmethod
    def _error_order(item: tuple[tuple[int, str], str]) -> tuple[int, int]:
        (row, column), _ = item
        return row, AGENT_COLUMNS.index(column)

    def _check_all(self) -> None:
        errors: dict[tuple[int, str], str] = {}
        first_row: dict[str, int] = {}
        for row, fields in enumerate(self._rows):
            for column, message in check_agent_fields(fields).items():
                errors[(row, column)] = message
            key = fields["name"].strip().casefold()
            if not key:
                continue
            if key in first_row:
                errors.setdefault(
                    (row, "name"),
                    self.tr("'{name}' is listed twice (also row {row})").format(
                        name=fields["name"].strip(), row=first_row[key] + 1
                    ),
                )
            else:
                first_row[key] = row
        self.errors = errors

    def _refresh_checks(self) -> None:
        before = set(self.errors)
        self._check_all()
        changed = before ^ set(self.errors)
        for row, column in changed:
            if row < len(self._rows):
                index = self.index(row, AGENT_COLUMNS.index(column))
                self.dataChanged.emit(index, index)
        self.validityChanged.emit(self.is_valid())

    # --- Qt model --------------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(AGENT_COLUMNS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = AGENT_COLUMNS[index.column()]
        text = self._rows[index.row()][column]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return text
        error = self.errors.get((index.row(), column))
        if role == Qt.ItemDataRole.BackgroundRole and error:
            return BAD_BRUSH
        if role == Qt.ItemDataRole.ToolTipRole:
            return error or self._headers[column][1]
        if role == Qt.ItemDataRole.TextAlignmentRole and column in NUMBER_COLUMNS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        column = AGENT_COLUMNS[index.column()]
        text = "" if value is None else str(value).strip()
        if self._rows[index.row()][column] == text:
            return True
        self._rows[index.row()][column] = text
        self.dataChanged.emit(index, index)
        self._refresh_checks()
        return True

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if index.isValid() else base

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(AGENT_COLUMNS):
            header, tip = self._headers[AGENT_COLUMNS[section]]
            if role == Qt.ItemDataRole.DisplayRole:
                return header
            if role == Qt.ItemDataRole.ToolTipRole:
                return tip
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None


class _TeamFilter(QSortFilterProxyModel):
    """Only the rows of one team (every row while ``team`` is None)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.team: str | None = None

    def set_team(self, team: str | None) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.9+; invalidateFilter is deprecated
            self.beginFilterChange()
            self.team = team
            self.endFilterChange()
        else:  # pragma: no cover - older Qt
            self.team = team
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        if self.team is None:
            return True
        model = self.sourceModel()
        text = model.index(source_row, AGENT_COLUMNS.index("team"), source_parent).data()
        return str(text).strip().casefold() == self.team.casefold()


class AgentsDialog(QDialog):
    """The modal agents editor (see the module docs); ``result_agents`` holds what OK
    returned."""

    def __init__(self, agents: tuple[Agent, ...] | list[Agent], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Agents"))
        self.setModal(True)
        self.result_agents: tuple[Agent, ...] | None = None
        self.last_error_box: QMessageBox | None = None
        self.folder = ""

        self.model = AgentsTableModel(tuple(agents), self)
        self.proxy = _TeamFilter(self)
        self.proxy.setSourceModel(self.model)

        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        layout.addLayout(top)
        self.team_combo = QComboBox()
        self.team_combo.setMinimumContentsLength(14)
        top.addWidget(buddy_label(self.tr("&Team:"), self.team_combo))
        top.addWidget(self.team_combo)
        self.count_label = QLabel()
        self.count_label.setStyleSheet("color: #555555;")
        top.addWidget(self.count_label)
        top.addStretch(1)
        self.add_button = QPushButton(self.tr("&Add agent"))
        self.remove_button = QPushButton(self.tr("&Remove agent"))
        self.import_button = QPushButton(self.tr("&Import CSV…"))
        self.export_button = QPushButton(self.tr("E&xport CSV…"))
        for button in (self.add_button, self.remove_button, self.import_button, self.export_button):
            top.addWidget(button)

        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setDefaultSectionSize(24)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        widths = {
            "name": 160,
            "team": 80,
            "skills": 110,
            "unavailable_days": 120,
            "unavailable_dates": 140,
            "leave": 140,
            "preferred_days_off": 125,
        }
        for i, column in enumerate(AGENT_COLUMNS):
            self.view.setColumnWidth(i, widths.get(column, 80 if column in NUMBER_COLUMNS else 105))
        layout.addWidget(self.view, 1)

        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setStyleSheet(ERROR_STYLE)
        layout.addWidget(self.error_label)
        hint = QLabel(
            self.tr(
                "Double-click a cell to edit it. Separate several skills, days or dates with "
                "';'; date ranges are written 2026-11-03..2026-11-05."
            )
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555555;")
        layout.addWidget(hint)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        self.team_combo.currentIndexChanged.connect(self._team_chosen)
        self.add_button.clicked.connect(self.add_agent)
        self.remove_button.clicked.connect(self.remove_selected)
        self.import_button.clicked.connect(lambda: self.import_csv())
        self.export_button.clicked.connect(lambda: self.export_csv())
        self.model.validityChanged.connect(lambda _valid: self._show_state())
        self.model.dataChanged.connect(lambda *_: self._refresh_teams())
        self.model.rowsInserted.connect(lambda *_: self._show_state())
        self.model.rowsRemoved.connect(lambda *_: self._show_state())
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._show_state())
        self._refresh_teams()
        self._show_state()
        self.resize(1400, 640)

    # --- actions -------------------------------------------------------------------------------
    def agents(self) -> tuple[Agent, ...]:
        """The agents as the table holds them (raises :class:`WfmError` while a cell is bad)."""
        return self.model.agents()

    def add_agent(self) -> int:
        """Add an agent (in the filtered team, if any) below the last row and start editing
        its name; returns its row in the model."""
        team = self.proxy.team or ""
        fields = agent_to_fields(Agent(self.model.unused_name(self.tr("New agent")), team=team))
        row = self.model.rowCount()
        self.model.insert_agent(row, fields)
        proxy_index = self.proxy.mapFromSource(self.model.index(row, 0))
        if proxy_index.isValid():
            self.view.setCurrentIndex(proxy_index)
            self.view.scrollTo(proxy_index)
            if self.isVisible():
                self.view.edit(proxy_index)
        return row

    def selected_rows(self) -> list[int]:
        """Model rows of the selected agents."""
        rows = {self.proxy.mapToSource(i).row() for i in self.view.selectionModel().selectedRows()}
        return sorted(rows)

    def remove_selected(self) -> None:
        rows = self.selected_rows()
        if rows:
            self.model.remove_agents(rows)

    def import_csv(self, path: str | Path | None = None) -> bool:
        """Replace the table by an ``agents.csv`` (asking for the file without ``path``)."""
        if path is None:
            name, _ = QFileDialog.getOpenFileName(
                self, self.tr("Import agents"), self.folder, self.tr("CSV (*.csv);;All files (*)")
            )
            if not name:
                return False
            path = name
        try:
            agents = read_agents_csv(path)
        except WfmError as exc:
            self.last_error_box = show_error(self, exc, "", self.tr("Could not read the agents"))
            return False
        self.folder = str(Path(path).parent)
        self.model.set_agents(agents)
        self.team_combo.setCurrentIndex(0)
        self._refresh_teams()
        return True

    def export_csv(self, path: str | Path | None = None) -> Path | None:
        """Write the agents as ``agents.csv`` (asking where without ``path``)."""
        try:
            agents = self.agents()
        except WfmError as exc:
            self.last_error_box = show_error(self, exc, "", self.tr("Fix the table first"))
            return None
        if path is None:
            suggestion = str(Path(self.folder or Path.home()) / "agents.csv")
            name, _ = QFileDialog.getSaveFileName(
                self, self.tr("Export agents"), suggestion, self.tr("CSV (*.csv)")
            )
            if not name:
                return None
            path = name
        try:
            write_agents_csv(agents, path)
        except WfmError as exc:
            self.last_error_box = show_error(self, exc, "", self.tr("Could not save the agents"))
            return None
        self.folder = str(Path(path).parent)
        return Path(path)

    def accept(self) -> None:
        try:
            self.result_agents = self.agents()
        except WfmError:
            return  # OK is disabled while a cell is bad; Enter in a cell may still get here
        super().accept()

    # --- state ---------------------------------------------------------------------------------
    def _team_chosen(self) -> None:
        data = self.team_combo.currentData()
        self.proxy.set_team(data if isinstance(data, str) else None)
        self._show_state()

    def _refresh_teams(self) -> None:
        teams = self.model.teams()
        current = self.team_combo.currentData()
        shown = [self.team_combo.itemData(i) for i in range(1, self.team_combo.count())]
        if shown == teams and self.team_combo.count():
            return
        self.team_combo.blockSignals(True)
        self.team_combo.clear()
        self.team_combo.addItem(self.tr("All teams"), None)
        for team in teams:
            self.team_combo.addItem(team, team)
        index = self.team_combo.findData(current) if isinstance(current, str) else 0
        self.team_combo.setCurrentIndex(max(index, 0))
        self.team_combo.blockSignals(False)
        # Keep showing the chosen team's rows even when its last agent moved to another team.
        self.proxy.set_team(current if isinstance(current, str) and index >= 0 else None)

    def _show_state(self) -> None:
        valid = self.model.is_valid()
        self.ok_button.setEnabled(valid)
        self.export_button.setEnabled(valid)
        self.remove_button.setEnabled(bool(self.view.selectionModel().selectedRows()))
        bad = len(self.model.errors)
        message = self.model.first_error()
        if message is None:
            self.error_label.clear()
        else:
            more = self.tr(" (and {n} more bad cells)").format(n=bad - 1) if bad > 1 else ""
            self.error_label.setText(message + more)
        total, shown = self.model.rowCount(), self.proxy.rowCount()
        self.count_label.setText(
            self.tr("{total} agents").format(total=total)
            if shown == total
            else self.tr("{shown} of {total} agents").format(shown=shown, total=total)
        )


def edit_agents(parent: QWidget | None, agents: tuple[Agent, ...]) -> tuple[Agent, ...] | None:
    """Open the modal agents editor; the edited agents on OK, None on Cancel."""
    dialog = AgentsDialog(agents, parent)
    try:
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.result_agents
        return None
    finally:
        dialog.deleteLater()
