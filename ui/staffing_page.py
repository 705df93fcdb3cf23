"""The Staffing page: service targets on the left, agents required per interval on the right.

Interface the main window relies on:

- ``set_demand(demand: pandas.DataFrame | None, interval_minutes: int, label: str)``: the
  volume to staff, columns ``queue, interval_start, volume, aht_seconds``; ``label`` says
  where it comes from (a forecast, or the history's last weeks);
- ``set_patience_hint(seconds: float | None)``: mean patience estimated from the import;
- ``calculator_action`` (a ``QAction`` for a menu) and ``open_calculator()``.

Every figure comes from ``wfm``: :func:`wfm.staffing.demand.staff` (the requirement per
interval), :func:`~wfm.staffing.demand.daily_summary`, and :mod:`wfm.staffing.curves` (all
queues added up, the headline figures). The page only builds a
:class:`~wfm.staffing.requirement.StaffingTarget` from its controls and draws the results.

A change of any target recomputes at once, on the GUI thread: the engine needs ~10-50 ms for
four weeks of 15-minute intervals, less than a background task's round trip, and the page
keeps its own share small (one model reset per table, ``setData`` on existing chart items).
A target that cannot be met (or is invalid) is reported in a banner on the page, and the last
result that could be computed stays on screen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pyqtgraph as pg
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui import formatting as fmt
from ui.charts import PALETTE, HoverReadout, make_plot, naive_to_epoch
from ui.models import DataFrameModel
from ui.widgets import (
    buddy_label,
    double_spin,
    input_form,
    int_spin,
    on_change,
    pair_row,
    placeholder_label,
)
from wfm.errors import WfmError
from wfm.staffing.curves import StaffingHeadline, headline, interval_totals
from wfm.staffing.demand import daily_summary, staff
from wfm.staffing.requirement import StaffingTarget

_Index = QModelIndex | QPersistentModelIndex

AGENTS_COLOUR = PALETTE[0]
SCHEDULED_COLOUR = PALETTE[1]
VOLUME_COLOUR = "#7f8c99"
#: The queue selector's entry (item data) for all queues added up.
ALL_QUEUES = "\x00all queues"
#: Mean patience offered when the import gave no estimate (a typical inbound figure).
DEFAULT_PATIENCE_SECONDS = 180.0
#: Hours in one FTE day for the daily totals (a 40-hour week over 5 days).
HOURS_PER_FTE_DAY = 8.0


# --- formatting of table cells (presentation only) ----------------------------------------------
def _percent(value: Any) -> str:
    return "–" if fmt.is_missing(value) else f"{fmt.decimal(float(value) * 100, 1)} %"


def _secs(value: Any) -> str:
    if fmt.is_missing(value):
        return "–"
    if not np.isfinite(float(value)):
        return "∞"
    return f"{fmt.decimal(value, 1)} s"


def _interval(value: Any) -> str:
    ts = pd.Timestamp(value)
    return f"{fmt.day(ts, with_weekday=True)} {ts:%H:%M}"


def _date(value: Any) -> str:
    return fmt.day(value, with_weekday=True)


class FormattedFrameModel(DataFrameModel):
    """A :class:`DataFrameModel` showing chosen columns with a header and a formatter each.

    Only the cells on screen are formatted (in :meth:`data`), so replacing thousands of rows
    costs one model reset and no string building.
    """

    def __init__(self, columns: dict[str, tuple[str, Callable[[Any], str]]], parent: Any = None):
        super().__init__(None, parent)
        self._columns = columns
        self._formatters: list[Callable[[Any], str]] = []
        self._labels: list[str] = []

    def set_table(self, frame: pd.DataFrame | None) -> None:
        """Show the known columns of ``frame`` (in the order given to the constructor)."""
        if frame is None:
            shown = pd.DataFrame()
        else:
            shown = frame.loc[:, [c for c in self._columns if c in frame.columns]]
        self._formatters = [self._columns[str(c)][1] for c in shown.columns]
        self._labels = [self._columns[str(c)][0] for c in shown.columns]
        self.set_frame(shown)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._formatters[index.column()](self.frame.iat[index.row(), index.column()])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if index.column() == 0:
                return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._labels[section] if section < len(self._labels) else None
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.TextAlignmentRole:
            left = Qt.AlignmentFlag.AlignLeft if section == 0 else Qt.AlignmentFlag.AlignRight
            return int(left | Qt.AlignmentFlag.AlignVCenter)
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return None
        return super().headerData(section, orientation, role)

    def column_of(self, name: str) -> int:
        return list(self.frame.columns).index(name)


class StaffingPage(QWidget):
    """Targets, the requirement chart, the per-interval and daily tables.

    ``table`` is the staffing table on screen (one queue from
    :func:`~wfm.staffing.demand.staff`, or all queues added up by
    :func:`~wfm.staffing.curves.interval_totals`), ``staffing`` the engine's table for every
    queue computed, ``daily`` the daily totals of ``table``, ``target`` the target in force.
    """

    #: Emitted with the new :class:`StaffingTarget` after a change was computed.
    targetChanged = Signal(object)  # noqa: N815 - Qt naming

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.demand: pd.DataFrame | None = None
        self.interval_minutes = 30
        self.label = ""
        self.target = StaffingTarget()
        self.table: pd.DataFrame | None = None
        self.staffing: pd.DataFrame | None = None
        self.daily: pd.DataFrame | None = None
        self.headline: StaffingHeadline | None = None
        self.error: str | None = None
        self.calculator: Any = None
        self.patience_hint: float | None = None
        self._by_queue: dict[str, pd.DataFrame] = {}
        self._all: pd.DataFrame | None = None
        self._x_starts = np.zeros(0)
        self._patience_typed = False
        self._updating = False

        self.calculator_action = QAction(self.tr("&Erlang calculator…"), self)
        self.calculator_action.setStatusTip(
            self.tr("Service level, ASA and occupancy for a number of agents, in one interval")
        )
        self.calculator_action.triggered.connect(lambda: self.open_calculator())

        # A column so that the window can put its "out of date" strip above the page.
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        outer.setSpacing(6)
        layout = QHBoxLayout()
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        outer.addLayout(layout, 1)
        layout.addWidget(self._build_controls())

        self.stack = QStackedWidget(self)
        layout.addWidget(self.stack, 1)
        self.placeholder = placeholder_label(
            self.tr(
                "Nothing to staff yet.\n\nOpen or import call data: until there is a forecast "
                "this page staffs\nthe last four weeks of history."
            ),
            word_wrap=True,
        )
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(self._build_results())
        self._connect_controls()
        self._model_changed()

    # --- building ------------------------------------------------------------------------------
    def _build_controls(self) -> QWidget:
        panel = QWidget()
        column = QVBoxLayout(panel)
        column.setContentsMargins(0, 0, 0, 0)

        box, form = input_form(self.tr("Targets"))
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setVerticalSpacing(7)
        self.form = form

        self.queue_combo = QComboBox()
        self.queue_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.queue_combo.setMinimumContentsLength(6)
        self.queue_label = buddy_label(self.tr("&Queue:"), self.queue_combo)
        form.addRow(self.queue_label, self.queue_combo)

        self.model_combo = QComboBox()
        self.model_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.model_combo.setMinimumContentsLength(6)
        self.model_combo.addItem(self.tr("Erlang C"), "erlang_c")
        self.model_combo.addItem(self.tr("Erlang A (abandons)"), "erlang_a")
        self.model_combo.setItemData(
            0,
            self.tr("Nobody hangs up: every caller waits until answered"),
            Qt.ItemDataRole.ToolTipRole,
        )
        self.model_combo.setItemData(
            1, self.tr("Callers hang up after their mean patience"), Qt.ItemDataRole.ToolTipRole
        )
        form.addRow(buddy_label(self.tr("&Model:"), self.model_combo), self.model_combo)

        self.sl_spin = double_spin(1.0, 99.9, 80.0, 1.0, " %", decimals=1)
        self.answer_spin = int_spin(0, 3600, 20, " s")
        sl_row = pair_row(self.sl_spin, self.tr("in"), self.answer_spin)
        self.sl_spin.setToolTip(self.tr("Share of calls to answer within the answer time"))
        self.answer_spin.setToolTip(self.tr("Answer time of the service level (the T of 80/20)"))
        form.addRow(buddy_label(self.tr("&Service level:"), self.sl_spin), sl_row)

        self.asa_check = QCheckBox(self.tr("Max AS&A:"))
        self.asa_spin = double_spin(1.0, 3600.0, 30.0, 5.0, " s", decimals=0)
        self.asa_spin.setToolTip(self.tr("Average speed of answer: the mean wait"))
        form.addRow(self.asa_check, self.asa_spin)

        self.occupancy_check = QCheckBox(self.tr("Max &occupancy:"))
        self.occupancy_spin = double_spin(1.0, 100.0, 85.0, 1.0, " %", decimals=1)
        self.occupancy_spin.setToolTip(
            self.tr("Share of logged-in time agents spend on calls; above ~85 % they burn out")
        )
        form.addRow(self.occupancy_check, self.occupancy_spin)

        self.abandon_check = QCheckBox(self.tr("Max a&bandons:"))
        self.abandon_spin = double_spin(0.1, 100.0, 5.0, 0.5, " %", decimals=1)
        self.abandon_spin.setToolTip(self.tr("Share of callers who hang up before an answer"))
        form.addRow(self.abandon_check, self.abandon_spin)

        self.patience_spin = int_spin(1, 7200, int(DEFAULT_PATIENCE_SECONDS), " s")
        self.patience_spin.setToolTip(
            self.tr("Callers' mean patience: how long they wait, on average, before hanging up")
        )
        self.patience_label = buddy_label(self.tr("&Patience:"), self.patience_spin)
        form.addRow(self.patience_label, self.patience_spin)
        self.patience_note = QLabel()
        self.patience_note.setWordWrap(True)
        self.patience_note.setStyleSheet("color: #666666;")
        form.addRow("", self.patience_note)

        self.shrinkage_spin = double_spin(0.0, 90.0, 30.0, 1.0, " %", decimals=1)
        self.shrinkage_spin.setToolTip(
            self.tr("Paid time not on the phones: breaks, meetings, training, absence")
        )
        form.addRow(buddy_label(self.tr("S&hrinkage:"), self.shrinkage_spin), self.shrinkage_spin)

        self.min_agents_spin = int_spin(0, 500, 0, "")
        self.min_agents_spin.setToolTip(
            self.tr("Agents kept on the phones whenever the queue is open, even when it is quiet")
        )
        form.addRow(
            buddy_label(self.tr("M&in. agents:"), self.min_agents_spin), self.min_agents_spin
        )
        column.addWidget(box)

        self.model_note = QLabel()
        self.model_note.setWordWrap(True)
        self.model_note.setStyleSheet("color: #444444;")
        self.model_note.setTextFormat(Qt.TextFormat.RichText)
        column.addWidget(self.model_note)

        self.calculator_button = QPushButton(self.tr("Erlang &calculator…"))
        self.calculator_button.setToolTip(self.calculator_action.statusTip())
        self.calculator_button.clicked.connect(lambda: self.open_calculator())
        column.addWidget(self.calculator_button)
        column.addStretch(1)

        scroll = QScrollArea()
        scroll.setWidget(panel)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Wide enough for the form (no horizontal scrolling), the results get the rest.
        extent = scroll.verticalScrollBar().sizeHint().width()
        scroll.setFixedWidth(max(290, panel.minimumSizeHint().width() + extent + 4))
        return scroll

    def _build_results(self) -> QWidget:
        content = QWidget()
        outer = QVBoxLayout(content)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(6)

        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.setStyleSheet(
            "QLabel { background: #fdecea; color: #8a1c1c; border: 1px solid #e5a5a0;"
            " border-radius: 4px; padding: 6px 8px; }"
        )
        self.banner.setVisible(False)
        outer.addWidget(self.banner)

        self.source_label = QLabel()
        self.source_label.setTextFormat(Qt.TextFormat.RichText)
        self.source_label.setWordWrap(True)
        outer.addWidget(self.source_label)
        self.header_label = QLabel()
        self.header_label.setTextFormat(Qt.TextFormat.RichText)
        self.header_label.setWordWrap(True)
        self.header_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        outer.addWidget(self.header_label)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        outer.addWidget(splitter, 1)

        charts = QWidget()
        chart_layout = QVBoxLayout(charts)
        chart_layout.setContentsMargins(0, 0, 0, 0)
        chart_layout.setSpacing(0)
        note = QLabel(self.tr("Drag to pan, wheel to zoom (both charts), right-click for more"))
        note.setStyleSheet("color: #666666;")
        note.setWordWrap(True)
        chart_layout.addWidget(note)
        self.plot = make_plot(
            self.tr("Agents required per interval"),
            left_label=self.tr("agents"),
            bottom_axis=pg.DateAxisItem(orientation="bottom", utcOffset=0),
        )
        self.agents_curve = self._step_curve(
            self.plot, self.tr("On the phones (net)"), AGENTS_COLOUR
        )
        self.scheduled_curve = self._step_curve(
            self.plot, self.tr("Scheduled (with shrinkage)"), SCHEDULED_COLOUR
        )
        # Top left: the night before the first morning is usually quiet there.
        self.plot.getPlotItem().legend.anchor(itemPos=(0, 0), parentPos=(0, 0), offset=(10, 10))
        self.hover = HoverReadout(
            self.plot, self._describe_interval, lambda: [AGENTS_COLOUR, SCHEDULED_COLOUR]
        )
        chart_layout.addWidget(self.plot, 3)

        self.volume_plot = make_plot(
            "",
            left_label=self.tr("calls"),
            bottom_axis=pg.DateAxisItem(orientation="bottom", utcOffset=0),
        )
        self.volume_plot.getPlotItem().setTitle(None)
        self.volume_plot.getPlotItem().legend.setVisible(False)
        self.volume_plot.setMinimumHeight(110)
        self.volume_plot.setXLink(self.plot)
        self.volume_curve = self._step_curve(
            self.volume_plot, self.tr("Calls offered"), VOLUME_COLOUR, fill=True
        )
        self.volume_hover = HoverReadout(
            self.volume_plot, self._describe_volume, lambda: [VOLUME_COLOUR]
        )
        chart_layout.addWidget(self.volume_plot, 1)
        splitter.addWidget(charts)

        self.tables = QTabWidget()
        self.interval_model = FormattedFrameModel(
            {
                "interval_start": (self.tr("Interval"), _interval),
                "volume": (self.tr("Calls"), lambda v: fmt.decimal(v, 1)),
                "aht_seconds": (self.tr("AHT"), _secs),
                "agents": (self.tr("Agents"), fmt.count),
                "scheduled_agents": (self.tr("Scheduled"), fmt.count),
                "service_level": (self.tr("Service level"), _percent),
                "asa_seconds": (self.tr("ASA"), _secs),
                "occupancy": (self.tr("Occupancy"), _percent),
                "p_abandon": (self.tr("Abandons"), _percent),
            },
            self,
        )
        self.daily_model = FormattedFrameModel(
            {
                "date": (self.tr("Date"), _date),
                "volume": (self.tr("Calls"), fmt.count),
                "agent_hours": (self.tr("Agent-hours (net)"), lambda v: fmt.decimal(v, 1)),
                "scheduled_hours": (self.tr("Scheduled hours"), lambda v: fmt.decimal(v, 1)),
                "fte": (self.tr("FTE"), lambda v: fmt.decimal(v, 1)),
                "service_level": (self.tr("Service level"), _percent),
                "p_abandon": (self.tr("Abandons"), _percent),
            },
            self,
        )
        self.interval_view = self._table_view(self.interval_model)
        self.daily_view = self._table_view(self.daily_model)
        self.tables.addTab(self.interval_view, self.tr("Per &interval"))
        self.tables.addTab(self.daily_view, self.tr("Per &day"))
        splitter.addWidget(self.tables)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([560, 300])
        return content

    def _step_curve(
        self, plot: pg.PlotWidget, name: str, colour: str, fill: bool = False
    ) -> pg.PlotDataItem:
        item = pg.PlotDataItem(
            np.zeros(1),
            np.zeros(0),
            stepMode="center",
            pen=pg.mkPen(colour, width=2 if not fill else 1),
            name=name,
            fillLevel=0 if fill else None,
            brush=pg.mkBrush(127, 140, 153, 70) if fill else None,
        )
        plot.addItem(item)
        item.clear()
        return item

    def _table_view(self, model: FormattedFrameModel) -> QTableView:
        view = QTableView()
        view.setModel(model)
        view.setAlternatingRowColors(True)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setShowGrid(False)
        view.verticalHeader().setVisible(False)
        view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 6)
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setDefaultSectionSize(110)
        header.setStretchLastSection(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return view

    def _connect_controls(self) -> None:
        self.queue_combo.currentIndexChanged.connect(self._queue_changed)
        self.model_combo.currentIndexChanged.connect(self._model_changed)
        on_change(
            self._changed,
            self.sl_spin,
            self.answer_spin,
            self.asa_spin,
            self.occupancy_spin,
            self.abandon_spin,
            self.shrinkage_spin,
            self.min_agents_spin,
        )
        self.patience_spin.valueChanged.connect(self._patience_changed)
        for check, spin in (
            (self.asa_check, self.asa_spin),
            (self.occupancy_check, self.occupancy_spin),
            (self.abandon_check, self.abandon_spin),
        ):
            spin.setEnabled(False)
            check.toggled.connect(lambda on, s=spin: self._check_toggled(s, on))

    # --- inputs ------------------------------------------------------------------------------------
    def set_demand(self, demand: pd.DataFrame | None, interval_minutes: int, label: str) -> None:
        """Staff ``demand`` (``queue, interval_start, volume, aht_seconds``); None clears."""
        self.interval_minutes = int(interval_minutes)
        self.label = label
        if demand is None or demand.empty:
            self.demand = None
            self._by_queue = {}
            self._all = None
            self._clear_results()
            self._fill_queues([])
            self.stack.setCurrentWidget(self.placeholder)
            return
        self.demand = demand
        ordered = demand.sort_values(["queue", "interval_start"], kind="stable")
        self._by_queue = {
            str(queue): frame.reset_index(drop=True)
            for queue, frame in ordered.groupby("queue", sort=False)
        }
        self._all = ordered.reset_index(drop=True)
        self._fill_queues(list(self._by_queue))
        self.stack.setCurrentIndex(1)
        # A result of the previous demand must not pass for this one if this one fails.
        self._clear_results()
        self.source_label.setText(f"<b>{fmt.escape_html(label)}</b>")
        self.recompute(reset_view=True)

    def set_patience_hint(self, seconds: float | None) -> None:
        """The callers' mean patience estimated from the call log; fills the patience box
        unless the planner typed one."""
        self.patience_hint = float(seconds) if seconds and seconds > 0 else None
        if self.patience_hint is not None and not self._patience_typed:
            self._updating = True
            self.patience_spin.setValue(int(round(self.patience_hint)))
            self._updating = False
        self._update_patience_note()
        if self._erlang_a():
            self.recompute()

    def set_target(self, target: StaffingTarget) -> None:
        """Put ``target`` into the controls (e.g. from a project file) and recompute."""
        self._updating = True
        try:
            self.model_combo.setCurrentIndex(self.model_combo.findData(target.model))
            self.sl_spin.setValue((target.service_level or 0.8) * 100)
            self.answer_spin.setValue(int(round(target.answer_seconds)))
            for check, spin, value, scale in (
                (self.asa_check, self.asa_spin, target.max_asa_seconds, 1.0),
                (self.occupancy_check, self.occupancy_spin, target.max_occupancy, 100.0),
                (self.abandon_check, self.abandon_spin, target.max_abandon, 100.0),
            ):
                check.setChecked(value is not None)
                if value is not None:
                    spin.setValue(value * scale)
            if target.patience_seconds:
                self.patience_spin.setValue(int(round(target.patience_seconds)))
                self._patience_typed = True
            self.shrinkage_spin.setValue(target.shrinkage * 100)
            self.min_agents_spin.setValue(target.min_agents)
        finally:
            self._updating = False
        self._model_changed()

    @property
    def selected_queue(self) -> str | None:
        """The queue shown, or :data:`ALL_QUEUES` for all queues added up."""
        return self.queue_combo.currentData()

    def select_queue(self, queue: str) -> None:
        self.queue_combo.setCurrentIndex(self.queue_combo.findData(queue))

    def current_target(self) -> StaffingTarget:
        """The target the controls describe (raises :class:`WfmError` when invalid)."""
        model = self.model_combo.currentData()
        erlang_a = model == "erlang_a"
        return StaffingTarget(
            service_level=round(self.sl_spin.value(), 4) / 100.0,
            answer_seconds=float(self.answer_spin.value()),
            max_asa_seconds=float(self.asa_spin.value()) if self.asa_check.isChecked() else None,
            max_occupancy=self.occupancy_spin.value() / 100.0
            if self.occupancy_check.isChecked()
            else None,
            max_abandon=self.abandon_spin.value() / 100.0
            if erlang_a and self.abandon_check.isChecked()
            else None,
            shrinkage=self.shrinkage_spin.value() / 100.0,
            min_agents=int(self.min_agents_spin.value()),
            model=model,
            patience_seconds=float(self.patience_spin.value()) if erlang_a else None,
        )

    # --- reacting to the controls ------------------------------------------------------------------
    def _changed(self, *_: Any) -> None:
        if not self._updating:
            self.recompute()

    def _check_toggled(self, spin: QWidget, on: bool) -> None:
        spin.setEnabled(on and (spin is not self.abandon_spin or self._erlang_a()))
        self._changed()

    def _patience_changed(self, *_: Any) -> None:
        if not self._updating:
            self._patience_typed = True
            self._update_patience_note()
            if self._erlang_a():
                self.recompute()

    def _erlang_a(self) -> bool:
        return self.model_combo.currentData() == "erlang_a"

    def _model_changed(self, *_: Any) -> None:
        erlang_a = self._erlang_a()
        self.abandon_check.setEnabled(erlang_a)
        self.abandon_spin.setEnabled(erlang_a and self.abandon_check.isChecked())
        for widget in (self.patience_spin, self.patience_label, self.patience_note):
            widget.setEnabled(erlang_a)
        self._update_patience_note()
        self._update_model_note()
        if not self._updating:
            self.recompute()

    def _queue_changed(self, *_: Any) -> None:
        if not self._updating:
            self.recompute(reset_view=True)

    def _fill_queues(self, queues: list[str]) -> None:
        previous = self.queue_combo.currentData()
        self._updating = True
        try:
            self.queue_combo.clear()
            for queue in queues:
                self.queue_combo.addItem(queue, queue)
            if len(queues) > 1:
                self.queue_combo.addItem(self.tr("All queues (added up)"), ALL_QUEUES)
            index = self.queue_combo.findData(previous)
            self.queue_combo.setCurrentIndex(index if index >= 0 and queues else 0)
        finally:
            self._updating = False
        several = len(queues) > 1
        self.form.setRowVisible(self.queue_combo, several)

    def _update_patience_note(self) -> None:
        if not self._erlang_a():
            text = self.tr("Used by Erlang A only.")
        elif self.patience_hint is not None and not self._patience_typed:
            text = self.tr("Estimated from the call log.")
        elif self.patience_hint is not None:
            text = self.tr("The call log suggests %1 s.").replace(
                "%1", fmt.decimal(self.patience_hint, 0)
            )
        elif self._patience_typed:
            text = ""
        else:
            text = self.tr("A typical figure; import a per-call log to estimate it.")
        self.patience_note.setText(text)
        self.patience_note.setVisible(bool(text))

    def _update_model_note(self) -> None:
        if self._erlang_a():
            text = self.tr(
                "<b>Erlang A</b>: callers hang up after waiting %1 s on average (their mean "
                "patience); a caller who hangs up counts as not answered in time. Where "
                "callers do abandon it needs fewer agents than Erlang C."
            ).replace("%1", str(self.patience_spin.value()))
        else:
            text = self.tr(
                "<b>Erlang C</b>: nobody hangs up, every caller waits until answered. Where "
                "callers do abandon, it over-staffs a little; Erlang A uses their mean patience."
            )
        self.model_note.setText(text)

    # --- computing ----------------------------------------------------------------------------------
    def recompute(self, reset_view: bool = False) -> bool:
        """Compute the staffing for the targets on screen; False (and the banner) when it
        cannot, with the last result kept."""
        self._update_model_note()
        try:
            target = self.current_target()
            if self._by_queue:
                queue = self.selected_queue
                frame = self._all if queue == ALL_QUEUES else self._by_queue.get(str(queue))
                if frame is None:
                    frame = next(iter(self._by_queue.values()))
                staffing = staff(frame, self.interval_minutes, target)
                table = (
                    interval_totals(staffing, self.tr("All queues"))
                    if queue == ALL_QUEUES
                    else staffing
                )
                daily = daily_summary(table, self.interval_minutes, HOURS_PER_FTE_DAY)
                summary = headline(table, daily)
        except WfmError as exc:
            self._show_problem(str(exc))
            return False
        self._show_problem(None)
        changed = target != self.target
        self.target = target
        if self._by_queue:
            self.staffing, self.table, self.daily, self.headline = staffing, table, daily, summary
            self._show_results(reset_view)
        if changed:
            self.targetChanged.emit(target)
        return True

    def _show_problem(self, message: str | None) -> None:
        self.error = message
        if message is None:
            self.banner.setVisible(False)
            return
        kept = (
            self.tr("Still showing the result for: %1.").replace("%1", self.target.describe())
            if self.table is not None
            else ""
        )
        self.banner.setText(
            self.tr("<b>Cannot staff with these targets.</b> %1 %2")
            .replace("%1", fmt.escape_html(message.rstrip(".") + "."))
            .replace("%2", fmt.escape_html(kept))
        )
        self.banner.setVisible(True)

    # --- showing ------------------------------------------------------------------------------------
    def _show_results(self, reset_view: bool) -> None:
        table, daily, summary = self.table, self.daily, self.headline
        assert table is not None and daily is not None and summary is not None
        self._show_header(summary)
        x = naive_to_epoch(table["interval_start"])
        self._x_starts = np.asarray(x, dtype=float)
        edges = np.append(self._x_starts, self._x_starts[-1] + self.interval_minutes * 60.0)
        self.agents_curve.setData(edges, table["agents"].to_numpy(dtype=float), stepMode="center")
        self.scheduled_curve.setData(
            edges, table["scheduled_agents"].to_numpy(dtype=float), stepMode="center"
        )
        self.volume_curve.setData(edges, table["volume"].to_numpy(dtype=float), stepMode="center")
        title = self.tr("Agents required per interval — %1").replace(
            "%1", str(table["queue"].iloc[0])
        )
        self.plot.getPlotItem().setTitle(title, size="11pt", color="#222222")
        if reset_view:
            for plot in (self.plot, self.volume_plot):
                plot.getPlotItem().enableAutoRange()
        # No calls, no handle time and no service to measure: the engine's AHT there is a
        # filler and its SL of 100 % a convention, so the table shows "–" (and occupancy
        # only where agents are on duty).
        calls = table["volume"] > 0
        shown = table.assign(
            **{
                column: table[column].where(calls)
                for column in ("aht_seconds", "service_level", "asa_seconds", "p_abandon")
                if column in table
            },
            occupancy=table["occupancy"].where(table["agents"] > 0),
        )
        self.interval_model.set_table(shown)
        self.daily_model.set_table(daily)
        if reset_view:
            self._size_columns()
        self.hover.refresh()

    def _size_columns(self) -> None:
        metrics = self.interval_view.fontMetrics()
        for view, model in (
            (self.interval_view, self.interval_model),
            (self.daily_view, self.daily_model),
        ):
            for col in range(model.columnCount()):
                label = str(model.headerData(col, Qt.Orientation.Horizontal))
                sample = model.data(model.index(0, col)) if model.rowCount() else ""
                width = max(
                    metrics.horizontalAdvance(label), metrics.horizontalAdvance(str(sample))
                )
                view.setColumnWidth(col, max(80, width + 28))

    def _show_header(self, summary: StaffingHeadline) -> None:
        self.source_label.setText(f"<b>{fmt.escape_html(self.label)}</b>")
        parts = [
            self.tr("<b>Scheduled:</b> %1 agent-hours (%2 on the phones)")
            .replace("%1", fmt.count(round(summary.scheduled_hours)))
            .replace("%2", fmt.count(round(summary.agent_hours))),
            self.tr("<b>Average FTE per open day:</b> %1 (%2-hour days, %3 days)")
            .replace("%1", fmt.decimal(summary.mean_fte, 1))
            .replace("%2", fmt.decimal(HOURS_PER_FTE_DAY, 0))
            .replace("%3", fmt.count(summary.open_days)),
            self.tr("<b>Peak:</b> %1 agents (%2 scheduled) %3")
            .replace("%1", fmt.count(summary.peak_agents))
            .replace("%2", fmt.count(summary.peak_scheduled))
            .replace(
                "%3",
                self.tr("at %1").replace("%1", _interval(summary.peak_start).replace(" ", "&nbsp;"))
                if summary.peak_start is not None and summary.peak_agents
                else "",
            ),
            self.tr("<b>Calls:</b> %1, service level %2")
            .replace("%1", fmt.count(round(summary.calls)))
            .replace("%2", _percent(summary.service_level)),
        ]
        if summary.p_abandon is not None:
            parts[-1] += self.tr(", abandons %1").replace("%1", _percent(summary.p_abandon))
        targets = self.tr("<b>Targets:</b> %1").replace(
            "%1", fmt.escape_html(self.target.describe())
        )
        self.header_label.setText(" &nbsp;·&nbsp; ".join(parts) + "<br>" + targets)

    def _clear_results(self) -> None:
        self.table = self.staffing = self.daily = None
        self.headline = None
        self._x_starts = np.zeros(0)
        for curve in (self.agents_curve, self.scheduled_curve, self.volume_curve):
            curve.clear()
        self.hover.hide()
        self.volume_hover.hide()
        self.interval_model.set_table(None)
        self.daily_model.set_table(None)
        self.source_label.clear()
        self.header_label.clear()
        self._show_problem(None)

    def _row_at(self, x: float) -> int | None:
        xs = self._x_starts
        if self.table is None or xs.size == 0:
            return None
        i = int(np.searchsorted(xs, x, side="right")) - 1
        if i < 0 or x >= xs[i] + self.interval_minutes * 60.0:
            return None
        return i

    def _describe_interval(self, x: float) -> str | None:
        i = self._row_at(x)
        if i is None or self.table is None:
            return None
        row = self.table.iloc[i]
        end = pd.Timestamp(row["interval_start"]) + pd.Timedelta(minutes=self.interval_minutes)
        lines = [
            f"{_interval(row['interval_start'])}–{end:%H:%M}",
            self.tr("Agents: %1").replace("%1", fmt.count(row["agents"])),
            self.tr("Scheduled: %1").replace("%1", fmt.count(row["scheduled_agents"])),
            self.tr("Calls: %1").replace("%1", fmt.decimal(row["volume"], 1)),
            self.tr("AHT: %1").replace("%1", _secs(row["aht_seconds"])),
            self.tr("Service level: %1").replace("%1", _percent(row["service_level"])),
            self.tr("ASA: %1").replace("%1", _secs(row["asa_seconds"])),
            self.tr("Occupancy: %1").replace("%1", _percent(row["occupancy"])),
        ]
        if "p_abandon" in row:
            lines.append(self.tr("Abandons: %1").replace("%1", _percent(row["p_abandon"])))
        return "\n".join(lines)

    def _describe_volume(self, x: float) -> str | None:
        i = self._row_at(x)
        if i is None or self.table is None:
            return None
        row = self.table.iloc[i]
        return "\n".join(
            [
                _interval(row["interval_start"]),
                self.tr("Calls: %1, AHT %2")
                .replace("%1", fmt.decimal(row["volume"], 1))
                .replace("%2", _secs(row["aht_seconds"])),
            ]
        )

    # --- the calculator -----------------------------------------------------------------------------
    def open_calculator(self) -> Any:
        """Show the Erlang calculator (one per page, non-modal), set to the page's targets and
        the busiest interval on screen."""
        from ui.erlang_dialog import ErlangCalculatorDialog

        if self.calculator is None:
            self.calculator = ErlangCalculatorDialog(self)
            self.calculator.destroyed.connect(lambda *_: setattr(self, "calculator", None))
            values: dict[str, Any] = {
                "service_level": self.target.service_level or 0.8,
                "answer_seconds": self.target.answer_seconds,
                "patience_seconds": float(self.patience_spin.value()) if self._erlang_a() else None,
                "caps": self.target,
            }
            if self.table is not None and self.headline is not None and self.headline.peak_agents:
                busiest = self.table.iloc[int(np.argmax(self.table["agents"].to_numpy()))]
                values.update(
                    calls=float(busiest["volume"]),
                    aht_seconds=float(busiest["aht_seconds"]),
                    interval_minutes=self.interval_minutes,
                    agents=int(busiest["agents"]),
                )
            self.calculator.set_values(**values)
        self.calculator.show()
        self.calculator.raise_()
        self.calculator.activateWindow()
        return self.calculator
