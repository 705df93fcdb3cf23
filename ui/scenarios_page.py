"""The Scenarios page: what-if scenarios against the base plan, side by side.

Interface the main window relies on (it owns the base plan and the project):

- ``set_plan(plan, label)``: the base :class:`wfm.scenarios.Plan` (``None``: a placeholder
  says what is missing, and ``baseRequested`` asks the window for the Staffing page);
- ``set_scenarios(scenarios)`` / ``scenarios()``: the project's list (setting it clears the
  undo stack); every edit of the list goes on :attr:`undo_stack` and emits
  ``scenariosChanged``;
- ``run(simulate=None)``: :func:`wfm.scenarios.evaluate_all` and
  :func:`wfm.scenarios.sensitivity` on a :class:`ui.tasks.TaskRunner` task, with progress and
  Cancel; ``computed`` follows a completed run, ``results()`` holds it;
- ``promoteRequested(scenario)``: the planner confirmed "Promote to base…"; the window
  applies it (:func:`wfm.scenarios.promote`) and calls ``set_plan`` again;
- ``statusMessage(text, ms)`` for the window's status bar.

Every figure is ``wfm``'s (:func:`~wfm.scenarios.evaluate.comparison_frame`, the results'
tables, the sensitivity frame); the page formats and draws them. Results older than the plan
or the list are kept on screen and marked stale, with a Recompute button.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QItemSelection,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QBrush,
    QColor,
    QFont,
    QGuiApplication,
    QKeySequence,
    QUndoCommand,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui import formatting as fmt
from ui.errors import show_error
from ui.scenario_charts import PerIntervalChart, SensitivityChart, SideBySideChart
from ui.scenario_editor import ScenarioEditor
from ui.tasks import Task, TaskRunner
from ui.widgets import placeholder_label, show_progress
from wfm.errors import WfmError
from wfm.progress import report, wrap_callback
from wfm.scenarios.evaluate import (
    Plan,
    ScenarioResult,
    apply_scenario,
    comparison_frame,
    evaluate_all,
    promote_notes,
    sensitivity,
)
from wfm.scenarios.model import Scenario, read_scenarios, replace_scenario, write_scenarios

_Index = QModelIndex | QPersistentModelIndex

#: The role the comparison model answers with the raw value (what the table sorts by).
SORT_ROLE = int(Qt.ItemDataRole.UserRole) + 1
WORSE = QColor("#c62828")
BETTER = QColor("#2e7d32")


def _tr(text: str) -> str:
    return QCoreApplication.translate("ScenariosPage", text)


# --- formatting (presentation only) --------------------------------------------------------------
def _number(decimals: int) -> Callable[[Any], str]:
    return lambda v: fmt.decimal(v, decimals)


def _signed(decimals: int, suffix: str = "") -> Callable[[Any], str]:
    def show(v: Any) -> str:
        if fmt.is_missing(v):
            return "–"
        v = float(v)
        text = fmt.decimal(abs(v), decimals)
        if text.strip("0.,") == "":
            return f"±{text}{suffix}"
        return ("+" if v > 0 else "−") + text + suffix

    return show


def _share(v: Any) -> str:
    return "–" if fmt.is_missing(v) else fmt.percent(v)


def _aht(v: Any) -> str:
    return "–" if fmt.is_missing(v) else f"{fmt.decimal(v, 0)} s"


def _text(v: Any) -> str:
    return "" if fmt.is_missing(v) else str(v)


#: Shown columns: frame column -> (header, formatter, colour rule). Colour rules: "more" is
#: red when above the base (more hours, FTE, cost), "sl" is red when below the base's.
COLUMNS: dict[str, tuple[str, Callable[[Any], str], str]] = {
    "scenario": ("Scenario", _text, ""),
    "changes": ("Changes", _text, ""),
    "calls": ("Calls", _number(0), ""),
    "aht_seconds": ("AHT", _aht, ""),
    "required_hours": ("Required hours", _number(1), ""),
    "change_hours": ("Change (h)", _signed(1), "more"),
    "change_pct": ("Change %", _signed(1, " %"), "more"),
    "fte": ("FTE", _number(1), ""),
    "fte_change": ("FTE change", _signed(1), "more"),
    "cost": ("Cost", _number(0), ""),
    "cost_change": ("Cost change", _signed(0), "more"),
    "service_level_kept": ("SL, current roster", _share, "sl"),
    "abandon_kept": ("Abandons, current roster", _share, "abandon"),
    "simulated_sl": ("Simulated SL", _share, "sl"),
}
HEADER_TIPS = {
    "required_hours": "Scheduled agent-hours (shrinkage included) over the plan's days",
    "change_pct": "Required hours against the base plan",
    "fte": "Full-time equivalents: required hours over the paid hours of a full-time week",
    "service_level_kept": "Service level the current roster would give (Erlang), by calls",
    "abandon_kept": "Abandon rate the current roster would give (Erlang A targets only)",
    "simulated_sl": "Service level of the current roster in the simulation (Check with "
    "simulation); the tooltip gives its confidence interval",
}


class ComparisonModel(QAbstractTableModel):
    """The comparison table (:func:`~wfm.scenarios.evaluate.comparison_frame`), formatted for
    a planner; the raw values under :data:`SORT_ROLE`."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.frame = pd.DataFrame(columns=list(COLUMNS))
        self.keys = list(COLUMNS)

    def set_frame(self, frame: pd.DataFrame | None) -> None:
        self.beginResetModel()
        self.frame = (
            frame.reset_index(drop=True)
            if frame is not None
            else pd.DataFrame(columns=list(COLUMNS))
        )
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.frame)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.keys)

    def value(self, row: int, key: str) -> Any:
        return self.frame[key].iloc[row]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        key = self.keys[index.column()]
        value = self.value(index.row(), key)
        header, show, rule = COLUMNS[key]
        if role == Qt.ItemDataRole.DisplayRole:
            return show(value)
        if role == SORT_ROLE:
            if isinstance(value, str):
                return value
            return -math.inf if fmt.is_missing(value) else float(value)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(index.row(), key, show(value))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            left = key in ("scenario", "changes")
            flag = Qt.AlignmentFlag.AlignLeft if left else Qt.AlignmentFlag.AlignRight
            return int(flag | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and rule and index.row() > 0:
            return self._colour(index.row(), key, rule)
        if role == Qt.ItemDataRole.FontRole and index.row() == 0 and key == "scenario":
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _colour(self, row: int, key: str, rule: str) -> QBrush | None:
        value = self.value(row, key)
        if fmt.is_missing(value):
            return None
        if rule == "more":
            delta = float(value)
        else:
            base = self.value(0, key)
            if fmt.is_missing(base):
                return None
            delta = float(value) - float(base)
            if rule == "sl":
                delta = -delta  # a lower service level is the bad direction
        if abs(delta) < 1e-9:
            return None
        return QBrush(WORSE if delta > 0 else BETTER)

    def _tooltip(self, row: int, key: str, shown: str) -> str:
        if key == "simulated_sl" and not fmt.is_missing(self.value(row, key)):
            low, high = self.value(row, "simulated_sl_low"), self.value(row, "simulated_sl_high")
            if not (fmt.is_missing(low) or fmt.is_missing(high)):
                return (
                    _tr("%1 (95 % confidence interval %2 to %3)")
                    .replace("%1", shown)
                    .replace("%2", _share(low))
                    .replace("%3", _share(high))
                )
        if key == "changes":
            return "\n".join(str(self.value(row, key)).split("; "))
        return shown

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or section >= len(self.keys):
            return None
        key = self.keys[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return _tr(COLUMNS[key][0])
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tr(HEADER_TIPS.get(key, COLUMNS[key][0]))
        return None

    def as_tsv(self, rows: Sequence[int] | None = None) -> str:
        """The shown text of ``rows`` (all without), with the header, tab-separated."""
        rows = range(self.rowCount()) if rows is None else rows
        lines = ["\t".join(_tr(COLUMNS[k][0]) for k in self.keys)]
        for r in rows:
            lines.append(
                "\t".join(
                    str(self.data(self.index(r, c))).replace("\t", " ")
                    for c in range(len(self.keys))
                )
            )
        return "\n".join(lines) + "\n"


class _ListEdit(QUndoCommand):
    """One edit of the scenario list: the list before and after, and the row to select."""

    def __init__(
        self,
        page: ScenariosPage,
        before: tuple[Scenario, ...],
        after: tuple[Scenario, ...],
        text: str,
        select: int | None,
    ) -> None:
        super().__init__(text)
        self.page = page
        self.before = before
        self.after = after
        self.select = select
        self.select_before = page.current_index()

    def redo(self) -> None:
        self.page._show_list(self.after, self.select)

    def undo(self) -> None:
        self.page._show_list(self.before, self.select_before)


class ScenariosPage(QWidget):
    """The scenario list on the left; the comparison, its charts and notes on the right."""

    scenariosChanged = Signal()  # noqa: N815 - Qt naming
    promoteRequested = Signal(object)  # noqa: N815
    statusMessage = Signal(str, int)  # noqa: N815
    baseRequested = Signal()  # noqa: N815
    #: A run finished and its results are on screen.
    computed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan: Plan | None = None
        self.label = ""
        self._scenarios: tuple[Scenario, ...] = ()
        self._results: list[ScenarioResult] | None = None
        #: The comparison and sensitivity frames on screen (``None`` before a run).
        self.comparison: pd.DataFrame | None = None
        self.sensitivity_frame: pd.DataFrame | None = None
        #: Scenarios left out of the last run, with why.
        self.skipped: list[str] = []
        self._plan_version = 0
        self._results_key: tuple[int, tuple[Scenario, ...]] | None = None
        self.editor: ScenarioEditor | None = None
        self.last_box: QMessageBox | None = None
        self.last_error_box: QMessageBox | None = None
        self.undo_stack = QUndoStack(self)
        self._runner = TaskRunner(self)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self._runner.cancel)

        #: Show the page's own "out of date" strip (the window turns it off when it puts its
        #: stage banner on top: :meth:`set_stale_row_shown`).
        self.stale_row_shown = True
        # A column, so that the window's stage banner can sit on top as on the other pages.
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        outer.setSpacing(6)
        layout = QHBoxLayout()
        layout.setSpacing(8)
        outer.addLayout(layout, 1)
        layout.addWidget(self._build_list_panel())
        self.stack = QStackedWidget()
        layout.addWidget(self.stack, 1)
        self.stack.addWidget(self._build_placeholder())
        self.stack.addWidget(self._build_results())
        self._show_list((), None)
        self._update_state()

    # --- building ------------------------------------------------------------------------------
    def _build_list_panel(self) -> QWidget:
        panel = QWidget()
        panel.setFixedWidth(270)
        column = QVBoxLayout(panel)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(QLabel(self.tr("<b>Scenarios</b>")))
        self.list_widget = QListWidget()
        self.list_widget.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list_widget.setWordWrap(True)
        column.addWidget(self.list_widget, 1)

        def button(text: str, tip: str, slot: Callable[[], object]) -> QPushButton:
            b = QPushButton(text)
            b.setToolTip(tip)
            b.clicked.connect(lambda: slot())
            return b

        self.new_button = button(
            self.tr("&New…"), self.tr("Add a scenario (Insert)"), self.new_scenario
        )
        self.duplicate_button = button(
            self.tr("D&uplicate"), self.tr("Copy the selected scenario"), self.duplicate_selected
        )
        self.edit_button = button(
            self.tr("&Edit…"), self.tr("Edit the selected scenario (Enter, F2)"), self.edit_selected
        )
        self.delete_button = button(
            self.tr("&Delete"), self.tr("Delete the selected scenario (Del)"), self.delete_selected
        )
        self.up_button = button(self.tr("Move up"), self.tr("Move it up the list"), self.move_up)
        self.down_button = button(
            self.tr("Move down"), self.tr("Move it down the list"), self.move_down
        )
        self.load_button = button(
            self.tr("&Load from file…"),
            self.tr("Add the scenarios of a TOML file (same name: replaced)"),
            self.load_scenarios,
        )
        self.save_button = button(
            self.tr("&Save to file…"),
            self.tr("Write the scenarios to a TOML file"),
            self.save_scenarios,
        )
        self.promote_button = button(
            self.tr("&Promote to base…"),
            self.tr("Make the selected scenario's demand and targets the new base plan"),
            self.promote_selected,
        )
        grid = QGridLayout()
        grid.setSpacing(4)
        for i, b in enumerate(
            (
                self.new_button,
                self.duplicate_button,
                self.edit_button,
                self.delete_button,
                self.up_button,
                self.down_button,
            )
        ):
            grid.addWidget(b, i // 2, i % 2)
        grid.addWidget(self.load_button, 3, 0, 1, 2)
        grid.addWidget(self.save_button, 4, 0, 1, 2)
        grid.addWidget(self.promote_button, 5, 0, 1, 2)
        column.addLayout(grid)

        def shortcut(keys: list[QKeySequence], slot: Callable[[], object]) -> QAction:
            action = QAction(self.list_widget)
            action.setShortcuts(keys)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(lambda: slot())
            self.list_widget.addAction(action)
            return action

        self.new_action = shortcut([QKeySequence(Qt.Key.Key_Insert)], self.new_scenario)
        self.delete_action = shortcut(
            [QKeySequence(QKeySequence.StandardKey.Delete)], self.delete_selected
        )
        self.edit_action = shortcut(
            [
                QKeySequence(Qt.Key.Key_Return),
                QKeySequence(Qt.Key.Key_Enter),
                QKeySequence(Qt.Key.Key_F2),
            ],
            self.edit_selected,
        )
        self.list_widget.itemDoubleClicked.connect(lambda *_: self.edit_selected())
        self.list_widget.currentRowChanged.connect(lambda *_: self._list_selection_changed())
        return panel

    def _build_placeholder(self) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.addStretch(1)
        self.placeholder = placeholder_label(
            self.tr(
                "No base plan to compare against yet.\n\nScenarios change the base plan: the "
                "demand to staff (a forecast, or the history's last weeks) and the staffing "
                "targets. Set them on the Staffing page first."
            ),
            word_wrap=True,
        )
        column.addWidget(self.placeholder)
        self.base_button = QPushButton(self.tr("Go to the &Staffing page"))
        self.base_button.clicked.connect(self.baseRequested.emit)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.base_button)
        row.addStretch(1)
        column.addLayout(row)
        column.addStretch(2)
        return box

    def _build_results(self) -> QWidget:
        content = QWidget()
        outer = QVBoxLayout(content)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(6)

        top = QHBoxLayout()
        self.base_label = QLabel()
        self.base_label.setTextFormat(Qt.TextFormat.RichText)
        self.base_label.setWordWrap(True)
        top.addWidget(self.base_label, 1)
        self.simulate_check = QCheckBox(self.tr("Check with si&mulation (slower)"))
        self.simulate_check.setToolTip(
            self.tr("Also simulate the current roster's service level in every scenario")
        )
        top.addWidget(self.simulate_check)
        self.compare_button = QPushButton(self.tr("&Compare"))
        self.compare_button.setToolTip(
            self.tr("Compute every scenario's requirement, FTE, cost and service")
        )
        self.compare_button.clicked.connect(lambda: self.run())
        top.addWidget(self.compare_button)
        outer.addLayout(top)

        self.job_row = QWidget()
        row = QHBoxLayout(self.job_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 1000)
        self.progress_bar.setFormat("%p %")
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.cancel)
        row.addWidget(self.progress_bar, 1)
        row.addWidget(self.cancel_button)
        self.job_row.setVisible(False)
        outer.addWidget(self.job_row)

        self.stale_row = QFrame()
        self.stale_row.setStyleSheet(
            "QFrame { background: #fff4e5; border: 1px solid #f0c27b; border-radius: 4px; }"
            " QLabel { border: none; color: #6d4c00; }"
        )
        row = QHBoxLayout(self.stale_row)
        row.setContentsMargins(8, 4, 8, 4)
        self.stale_label = QLabel()
        self.stale_label.setWordWrap(True)
        row.addWidget(self.stale_label, 1)
        self.recompute_button = QPushButton(self.tr("&Recompute"))
        self.recompute_button.clicked.connect(lambda: self.run())
        row.addWidget(self.recompute_button)
        self.stale_row.setVisible(False)
        outer.addWidget(self.stale_row)

        self.hint_label = placeholder_label(
            self.tr("Press Compare to see the scenarios side by side."), word_wrap=True
        )
        outer.addWidget(self.hint_label, 1)

        self.results_area = QSplitter(Qt.Orientation.Vertical)
        self.results_area.setChildrenCollapsible(False)
        table_box = QWidget()
        column = QVBoxLayout(table_box)
        column.setContentsMargins(0, 0, 0, 0)
        self.model = ComparisonModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        self.copy_action = QAction(self.tr("&Copy"), self.table)
        self.copy_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Copy))
        self.copy_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.copy_action.triggered.connect(lambda: self.copy_table())
        self.table.addAction(self.copy_action)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.table.selectionModel().selectionChanged.connect(self._table_selection_changed)
        column.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        note = QLabel(
            self.tr("Red: more hours, FTE or cost, or a lower service level than the base.")
        )
        note.setStyleSheet("color: #666666;")
        buttons.addWidget(note, 1)
        self.copy_button = QPushButton(self.tr("Copy table"))
        self.copy_button.setToolTip(self.tr("Copy the table (or the selected rows) (Ctrl+C)"))
        self.copy_button.clicked.connect(lambda: self.copy_table())
        self.export_button = QPushButton(self.tr("E&xport CSV…"))
        self.export_button.clicked.connect(lambda: self.export_csv())
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.export_button)
        column.addLayout(buttons)
        self.results_area.addWidget(table_box)

        self.tabs = QTabWidget()
        self.side_chart = SideBySideChart()
        self.interval_chart = PerIntervalChart()
        self.sensitivity_chart = SensitivityChart()
        self.tabs.addTab(self.side_chart, self.tr("Side by side"))
        self.tabs.addTab(self.interval_chart, self.tr("Per interval"))
        self.tabs.addTab(self.sensitivity_chart, self.tr("Sensitivity"))
        self.results_area.addWidget(self.tabs)
        self.results_area.setStretchFactor(0, 2)
        self.results_area.setStretchFactor(1, 3)
        outer.addWidget(self.results_area, 1)

        self.notes_label = QLabel()
        self.notes_label.setWordWrap(True)
        self.notes_label.setTextFormat(Qt.TextFormat.RichText)
        self.notes_label.setStyleSheet("color: #444444;")
        self.notes_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        outer.addWidget(self.notes_label)
        return content

    # --- the window's interface ------------------------------------------------------------
    def set_plan(self, plan: Plan | None, label: str = "") -> None:
        """The base plan; the results on screen (if any) become stale."""
        self.plan = plan
        self.label = label
        self._plan_version += 1
        if plan is None:
            self._drop_job()
        self._update_state()

    def set_scenarios(self, scenarios: Sequence[Scenario]) -> None:
        """The project's scenarios (clears the undo stack; emits nothing)."""
        self.undo_stack.clear()
        self._show_list(tuple(scenarios), None, emit=False)

    def scenarios(self) -> tuple[Scenario, ...]:
        return self._scenarios

    def results(self) -> list[ScenarioResult] | None:
        """The last completed run's results, the base first (``None`` before one)."""
        return self._results

    @property
    def is_stale(self) -> bool:
        """True when the results on screen are older than the plan or the scenarios."""
        return self._results is not None and self._results_key != self._key()

    @property
    def stale_cause(self) -> str | None:
        """Why the results on screen are out of date: ``"plan"`` (the base plan changed),
        ``"scenarios"`` (the list changed) or None (they are not)."""
        if not self.is_stale or self._results_key is None:
            return None
        return "plan" if self._results_key[0] != self._plan_version else "scenarios"

    def set_stale_row_shown(self, shown: bool) -> None:
        """Show or hide the page's own "out of date" strip (the window hides it when its
        stage banner says the same)."""
        self.stale_row_shown = shown
        self._update_stale()

    @property
    def is_running(self) -> bool:
        return self._runner.is_busy

    def _key(self) -> tuple[int, tuple[Scenario, ...]]:
        return (self._plan_version, self._scenarios)

    # --- the list ----------------------------------------------------------------------------
    def current_index(self) -> int | None:
        """The selected scenario's position in :meth:`scenarios` (``None``: the base or none)."""
        row = self.list_widget.currentRow()
        return row - 1 if 1 <= row <= len(self._scenarios) else None

    def select(self, index: int | None) -> None:
        """Select scenario ``index`` (``None``: the base plan's row)."""
        self.list_widget.setCurrentRow(0 if index is None else index + 1)

    def _show_list(
        self, scenarios: tuple[Scenario, ...], select: int | None, emit: bool = True
    ) -> None:
        self._scenarios = scenarios
        self.list_widget.blockSignals(True)
        self.list_widget.clear()
        base = QListWidgetItem(self.tr("Base plan") + (f" — {self.label}" if self.label else ""))
        font = base.font()
        font.setItalic(True)
        base.setFont(font)
        base.setForeground(QBrush(QColor("#555555")))
        base.setToolTip(self.tr("The plan every scenario changes (not editable here)"))
        self.list_widget.addItem(base)
        for s in scenarios:
            item = QListWidgetItem(s.name)
            lines = s.describe() or [self.tr("No change")]
            tip = "\n".join(([s.description] if s.description else []) + lines)
            item.setToolTip(tip)
            self.list_widget.addItem(item)
        if select is not None and scenarios:
            self.list_widget.setCurrentRow(min(select, len(scenarios) - 1) + 1)
        self.list_widget.blockSignals(False)
        self._update_buttons()
        self._update_stale()
        if emit:
            self.scenariosChanged.emit()

    def _push(self, after: Sequence[Scenario], text: str, select: int | None) -> None:
        after = tuple(after)
        if after == self._scenarios:
            return
        self.undo_stack.push(_ListEdit(self, self._scenarios, after, text, select))

    def add_scenario(self, scenario: Scenario, index: int | None = None) -> None:
        """Insert ``scenario`` at ``index`` (the end without), as one undo step."""
        items = list(self._scenarios)
        at = len(items) if index is None else max(0, min(index, len(items)))
        items.insert(at, scenario)
        self._push(items, self.tr("Add scenario '%1'").replace("%1", scenario.name), at)

    def replace_scenario(self, index: int, scenario: Scenario) -> None:
        items = list(self._scenarios)
        old = items[index].name
        items[index] = scenario
        self._push(items, self.tr("Edit scenario '%1'").replace("%1", old), index)

    def remove_scenario(self, index: int) -> None:
        items = list(self._scenarios)
        gone = items.pop(index)
        select = min(index, len(items) - 1) if items else None
        self._push(items, self.tr("Delete scenario '%1'").replace("%1", gone.name), select)

    def duplicate_scenario(self, index: int) -> Scenario:
        """A copy named "… (copy)" (numbered when taken) just after the original."""
        original = self._scenarios[index]
        taken = {s.name for s in self._scenarios}
        name = self.tr("%1 (copy)").replace("%1", original.name)
        n = 2
        while name in taken:
            name = self.tr("%1 (copy %2)").replace("%1", original.name).replace("%2", str(n))
            n += 1
        copy = dataclasses.replace(original, name=name)
        items = list(self._scenarios)
        items.insert(index + 1, copy)
        self._push(
            items, self.tr("Duplicate scenario '%1'").replace("%1", original.name), index + 1
        )
        return copy

    def move_scenario(self, index: int, delta: int) -> None:
        items = list(self._scenarios)
        to = index + delta
        if not (0 <= index < len(items) and 0 <= to < len(items)):
            return
        items.insert(to, items.pop(index))
        self._push(items, self.tr("Move scenario '%1'").replace("%1", items[to].name), to)

    # --- list actions (buttons and keys) --------------------------------------------------------
    def new_scenario(self) -> ScenarioEditor:
        """Open the editor for a new scenario; OK adds it after the selected one."""
        return self._open_editor(None)

    def edit_selected(self) -> ScenarioEditor | None:
        index = self.current_index()
        return None if index is None else self._open_editor(index)

    def duplicate_selected(self) -> None:
        index = self.current_index()
        if index is not None:
            self.duplicate_scenario(index)

    def delete_selected(self) -> None:
        index = self.current_index()
        if index is not None:
            self.remove_scenario(index)

    def move_up(self) -> None:
        index = self.current_index()
        if index is not None:
            self.move_scenario(index, -1)

    def move_down(self) -> None:
        index = self.current_index()
        if index is not None:
            self.move_scenario(index, 1)

    def _open_editor(self, index: int | None) -> ScenarioEditor:
        scenario = None if index is None else self._scenarios[index]
        taken = [s.name for i, s in enumerate(self._scenarios) if i != index]
        editor = ScenarioEditor(self, scenario, plan=self.plan, taken_names=taken)
        if scenario is None:
            editor.name_edit.setText(self._free_name(self.tr("Scenario %1")))

        def done() -> None:
            result = editor.result_scenario()
            if result is None:
                return
            if index is None:
                current = self.current_index()
                self.add_scenario(result, None if current is None else current + 1)
            else:
                self.replace_scenario(index, result)

        editor.accepted.connect(done)
        editor.finished.connect(lambda *_: editor.deleteLater())
        self.editor = editor
        editor.open()
        return editor

    def _free_name(self, pattern: str) -> str:
        taken = {s.name for s in self._scenarios}
        n = len(self._scenarios) + 1
        while pattern.replace("%1", str(n)) in taken:
            n += 1
        return pattern.replace("%1", str(n))

    def load_scenarios(self, path: str | Path | None = None) -> bool:
        """Add the scenarios of a TOML file (one of the same name is replaced), one undo step."""
        if path is None:
            name, _ = QFileDialog.getOpenFileName(
                self, self.tr("Load scenarios"), "", self.tr("Scenarios (*.toml);;All files (*)")
            )
            if not name:
                return False
            path = name
        try:
            loaded = read_scenarios(path)
        except WfmError as exc:
            self.last_error_box = show_error(self, exc, "", self.tr("Could not read the scenarios"))
            return False
        items: tuple[Scenario, ...] = self._scenarios
        for s in loaded:
            items = replace_scenario(items, s)
        self._push(items, self.tr("Load scenarios from %1").replace("%1", Path(path).name), None)
        self.statusMessage.emit(
            self.tr("%1 scenario(s) read from %2")
            .replace("%1", str(len(loaded)))
            .replace("%2", Path(path).name),
            5000,
        )
        return True

    def save_scenarios(self, path: str | Path | None = None) -> Path | None:
        """Write the scenarios as TOML (asking where without ``path``)."""
        if path is None:
            name, _ = QFileDialog.getSaveFileName(
                self, self.tr("Save scenarios"), "scenarios.toml", self.tr("Scenarios (*.toml)")
            )
            if not name:
                return None
            path = name
        try:
            saved = write_scenarios(self._scenarios, path)
        except WfmError as exc:
            self.last_error_box = show_error(self, exc, "", self.tr("Could not save the scenarios"))
            return None
        self.statusMessage.emit(self.tr("Scenarios saved to %1").replace("%1", str(saved)), 5000)
        return Path(saved)

    def promote_selected(self) -> QMessageBox | None:
        """Ask to make the selected scenario the base plan; Yes emits ``promoteRequested``."""
        index = self.current_index()
        if index is None:
            return None
        scenario = self._scenarios[index]
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Promote to base"))
        box.setText(
            self.tr("Make '%1' the new base plan?").replace("%1", fmt.escape_html(scenario.name))
        )
        lines = [
            self.tr(
                "Its demand and targets replace the base plan's; every scenario is then "
                "compared with the new base."
            ),
            *promote_notes(scenario),
        ]
        box.setInformativeText("\n\n".join(lines))
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered(button: Any) -> None:
            if box.standardButton(button) == QMessageBox.StandardButton.Yes:
                self.promoteRequested.emit(scenario)
                self.statusMessage.emit(
                    self.tr("'%1' promoted to the base plan").replace("%1", scenario.name), 5000
                )

        box.buttonClicked.connect(answered)
        self.last_box = box
        box.open()
        return box

    def _update_buttons(self) -> None:
        index = self.current_index()
        chosen = index is not None
        for b in (
            self.duplicate_button,
            self.edit_button,
            self.delete_button,
            self.promote_button,
        ):
            b.setEnabled(chosen)
        self.up_button.setEnabled(chosen and index is not None and index > 0)
        self.down_button.setEnabled(
            chosen and index is not None and index < len(self._scenarios) - 1
        )
        self.promote_button.setEnabled(chosen and self.plan is not None)
        self.save_button.setEnabled(bool(self._scenarios))

    # --- running ------------------------------------------------------------------------------
    def run(self, simulate: bool | None = None) -> Task | None:
        """Evaluate the base and every scenario, and the sensitivity, in the background.

        ``simulate`` (``None``: the check box) also simulates the current roster's service
        level (only with a roster). Returns the task, or ``None`` without a plan.
        """
        plan = self.plan
        if plan is None:
            return None
        if simulate is None:
            simulate = self.simulate_check.isChecked()
        simulate = bool(simulate) and plan.roster is not None
        scenarios = self._scenarios
        key = self._key()

        def work(progress: Any) -> Any:
            usable, skipped = [], []
            for s in scenarios:
                try:
                    apply_scenario(plan, s)
                except WfmError as exc:
                    skipped.append(str(exc))
                else:
                    usable.append(s)
            results = evaluate_all(
                plan, usable, simulate=simulate, progress=wrap_callback(progress, 0.0, 0.92)
            )
            report(progress, 0.93, "Sensitivity to volume, AHT and shrinkage")
            sens = sensitivity(plan)
            frame = comparison_frame(results)
            report(progress, 1.0, "Done")
            return key, results, frame, sens, skipped

        self.progress_bar.setValue(0)
        self.progress_bar.setFormat("%p %")
        self.cancel_button.setEnabled(True)
        self.job_row.setVisible(True)
        self.compare_button.setEnabled(False)
        self.recompute_button.setEnabled(False)
        return self._runner.run(
            work,
            name="scenarios",
            on_finished=self._finished,
            on_failed=self._failed,
            on_cancelled=self._cancelled,
            on_progress=self._progress,
        )

    def cancel(self) -> None:
        """Cancel the running comparison; the previous results stay."""
        if self._runner.is_busy:
            self.cancel_button.setEnabled(False)
            self.progress_bar.setFormat(self.tr("Cancelling…"))
            self._runner.cancel()

    def _drop_job(self) -> None:
        self._runner.drop()
        self._job_ended()

    def _progress(self, fraction: float, message: str) -> None:
        show_progress(self.progress_bar, fraction, message, self.cancel_button.isEnabled())

    def _job_ended(self) -> None:
        self.job_row.setVisible(False)
        self.compare_button.setEnabled(self.plan is not None)
        self.recompute_button.setEnabled(True)

    def _finished(self, value: Any) -> None:
        self._job_ended()
        key, results, frame, sens, skipped = value
        self._results = results
        self._results_key = key
        self.comparison = frame
        self.sensitivity_frame = sens
        self.skipped = list(skipped)
        self._show_results()
        self._update_state()
        self.statusMessage.emit(
            self.tr("Compared %1 scenario(s) with the base plan").replace(
                "%1", str(len(results) - 1)
            ),
            5000,
        )
        self.computed.emit()

    def _failed(self, exc: BaseException, tb: str) -> None:
        self._job_ended()
        self.last_error_box = show_error(self, exc, tb, self.tr("Could not compare the scenarios"))

    def _cancelled(self) -> None:
        self._job_ended()
        self.statusMessage.emit(self.tr("Comparison cancelled; the previous figures stay."), 5000)

    # --- showing ------------------------------------------------------------------------------
    def _update_state(self) -> None:
        has_plan = self.plan is not None
        self.stack.setCurrentIndex(1 if has_plan else 0)
        self.compare_button.setEnabled(has_plan and not self._runner.is_busy)
        roster = has_plan and self.plan is not None and self.plan.roster is not None
        self.simulate_check.setEnabled(roster)
        self.simulate_check.setToolTip(
            self.tr("Also simulate the current roster's service level in every scenario")
            if roster
            else self.tr("Needs a roster: the simulation plays the current roster's heads")
        )
        if self.plan is not None:
            plan = self.plan
            parts = [
                self.tr("<b>Base plan</b>%1").replace(
                    "%1", f": {fmt.escape_html(self.label)}" if self.label else ""
                ),
                fmt.escape_html(plan.target.describe()),
                self.tr("%1 queue(s), %2 days")
                .replace("%1", str(len(plan.queues)))
                .replace("%2", str(plan.days)),
                self.tr("roster kept")
                if plan.roster is not None
                else self.tr("no roster (no projected service level)"),
            ]
            self.base_label.setText(" &nbsp;·&nbsp; ".join(parts))
        has_results = self._results is not None
        self.hint_label.setVisible(not has_results)
        self.results_area.setVisible(has_results)
        self.notes_label.setVisible(has_results)
        self._show_list_base_label()
        self._update_stale()
        self._update_buttons()

    def _show_list_base_label(self) -> None:
        item = self.list_widget.item(0)
        if item is not None:
            item.setText(self.tr("Base plan") + (f" — {self.label}" if self.label else ""))

    def _update_stale(self) -> None:
        if not hasattr(self, "stale_row"):
            return
        cause = self.stale_cause
        self.stale_row.setVisible(cause is not None and self.stale_row_shown)
        if cause is not None:
            if cause == "plan":
                text = self.tr("The base plan changed since these figures.")
            else:
                text = self.tr("The scenarios changed since these figures.")
            self.stale_label.setText(text + " " + self.tr("Press Recompute to update them."))

    def _show_results(self) -> None:
        frame = self.comparison
        results = self._results or []
        self.model.set_frame(frame)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.proxy.sort(-1)
        keys = self.model.keys
        for col, key in enumerate(keys):
            empty = frame is None or frame[key].isna().all()
            optional = key in ("abandon_kept", "simulated_sl", "service_level_kept", "cost")
            self.table.setColumnHidden(col, bool(optional and empty))
        self._size_columns()
        self._size_table()
        target = self.plan.target.service_level if self.plan is not None else None
        self.side_chart.set_data(frame, target)
        self.interval_chart.set_results(
            results,
            self._chosen_names(),
            self.plan.interval_minutes if self.plan is not None else 30,
        )
        self.sensitivity_chart.set_data(self.sensitivity_frame)
        notes = list(dict.fromkeys(n for r in results for n in r.notes))
        html = [f"• {fmt.escape_html(n)}" for n in notes]
        html += [
            "<span style='color:#c62828'>• "
            + fmt.escape_html(self.tr("Left out: %1").replace("%1", s))
            + "</span>"
            for s in self.skipped
        ]
        self.notes_label.setText("<br>".join(html))

    def _size_table(self) -> None:
        """Tall enough for every row (up to ten), the charts take the rest."""
        rows = min(self.model.rowCount(), 10)
        height = (
            self.table.horizontalHeader().height()
            + sum(self.table.rowHeight(r) for r in range(rows))
            + self.table.horizontalScrollBar().sizeHint().height()
            + 2 * self.table.frameWidth()
            + 2
        )
        self.table.setMinimumHeight(height)
        total = max(self.results_area.height(), height + 300)
        buttons = self.copy_button.sizeHint().height() + 8
        self.results_area.setSizes([height + buttons, total - height - buttons])

    def _size_columns(self) -> None:
        metrics = self.table.fontMetrics()
        for col, key in enumerate(self.model.keys):
            label = str(self.model.headerData(col, Qt.Orientation.Horizontal))
            widest = metrics.horizontalAdvance(label) + 24
            for row in range(self.model.rowCount()):
                text = str(self.model.data(self.model.index(row, col)))
                widest = max(widest, metrics.horizontalAdvance(text) + 16)
            cap = {"changes": 300, "scenario": 200}.get(key, 160)
            self.table.setColumnWidth(col, min(widest, cap))

    def _chosen_names(self) -> list[str]:
        rows = {self.proxy.mapToSource(i).row() for i in self.table.selectionModel().selectedRows()}
        if self.comparison is None:
            return []
        names = [str(n) for n in self.comparison["scenario"]]
        if not rows:
            # Nothing chosen in the table: the scenario selected in the list, else the first.
            index = self.current_index()
            if index is not None and self._scenarios[index].name in names:
                return [self._scenarios[index].name]
            return names[1:2]
        return [names[r] for r in sorted(rows) if 0 < r < len(names)]

    def _list_selection_changed(self) -> None:
        self._update_buttons()
        self._table_selection_changed()

    def _table_selection_changed(self, *_: QItemSelection) -> None:
        if self._results is not None:
            self.interval_chart.set_results(
                self._results,
                self._chosen_names(),
                self.plan.interval_minutes if self.plan is not None else 30,
            )

    def copy_table(self) -> str:
        """Copy the selected rows (all without a selection) as tab-separated text."""
        rows = sorted(
            {self.proxy.mapToSource(i).row() for i in self.table.selectionModel().selectedRows()}
        )
        text = self.model.as_tsv(rows or None)
        QGuiApplication.clipboard().setText(text)
        self.statusMessage.emit(self.tr("Comparison copied"), 3000)
        return text

    def export_csv(self, path: str | Path | None = None) -> Path | None:
        """Write the comparison (wfm's columns, as ``wfm whatif`` writes them) as CSV."""
        if self.comparison is None:
            return None
        if path is None:
            name, _ = QFileDialog.getSaveFileName(
                self,
                self.tr("Export the comparison"),
                "scenario-comparison.csv",
                self.tr("CSV (*.csv)"),
            )
            if not name:
                return None
            path = name
        from wfm.io.atomic import atomic_write

        text = self.comparison.to_csv(index=False, float_format="%.6g")
        try:
            saved = atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
        except WfmError as exc:
            self.last_error_box = show_error(self, exc, "", self.tr("Could not export"))
            return None
        self.statusMessage.emit(self.tr("Comparison written to %1").replace("%1", str(saved)), 5000)
        return Path(saved)
