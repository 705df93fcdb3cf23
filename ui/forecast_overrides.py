"""Manual overrides on the Forecast page: the form, the list, and the undo command.

The overrides themselves and their edit commands live in :mod:`wfm.forecast.overrides`; this
module only lets the planner build them and wraps each edit in :class:`OverrideUndoCommand`,
the one ``QUndoCommand`` subclass of the page (ARCHITECTURE.md, "the editable roster").
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, Signal
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateTimeEdit,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui import formatting as fmt
from wfm.errors import WfmError
from wfm.forecast.overrides import (
    AddOverride,
    Override,
    OverrideCommand,
    OverrideList,
    RemoveOverride,
    ReplaceOverride,
    SetOverrides,
)


def _qdatetime(value: dt.datetime) -> QDateTime:
    return QDateTime(
        QDate(value.year, value.month, value.day), QTime(value.hour, value.minute, value.second)
    )


def _pydatetime(value: QDateTime) -> dt.datetime:
    d, t = value.date(), value.time()
    return dt.datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())


class OverrideTarget(Protocol):
    """What an :class:`OverrideUndoCommand` edits: the page's list of overrides."""

    @property
    def overrides(self) -> OverrideList: ...

    def set_overrides(self, overrides: OverrideList) -> None: ...


class OverrideUndoCommand(QUndoCommand):
    """One edit of the overrides on the undo stack.

    ``redo`` applies the ``wfm`` command and keeps the inverse it returns; ``undo`` applies
    that inverse and keeps *its* inverse for the next redo. So the Qt side holds no state of
    its own and undo restores the list exactly.
    """

    def __init__(self, target: OverrideTarget, command: OverrideCommand, text: str) -> None:
        super().__init__(text)
        self._target = target
        self._command: OverrideCommand = command
        self._inverse: OverrideCommand | None = None

    def redo(self) -> None:
        new, self._inverse = self._command.apply(self._target.overrides)
        self._target.set_overrides(new)

    def undo(self) -> None:
        if self._inverse is None:
            return
        new, self._command = self._inverse.apply(self._target.overrides)
        self._target.set_overrides(new)


class OverridePanel(QWidget):
    """The override form and the list of overrides.

    It does not change anything itself: it emits ``commandRequested(command, text)`` with a
    ``wfm`` command and the text for the undo menu, and the page pushes it.
    """

    commandRequested = Signal(object, str)  # noqa: N815 - Qt naming
    #: The "Pick on chart" button was toggled.
    pickToggled = Signal(bool)  # noqa: N815 - Qt naming

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.interval_minutes = 30
        self.overrides = OverrideList()

        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)

        form_box = QWidget()
        form = QFormLayout(form_box)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.queue_combo = QComboBox()
        self.queue_combo.setMinimumContentsLength(12)
        form.addRow(self.tr("Queue:"), self.queue_combo)
        self.from_edit = QDateTimeEdit()
        self.to_edit = QDateTimeEdit()
        for edit in (self.from_edit, self.to_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("ddd yyyy-MM-dd HH:mm")
        span = QHBoxLayout()
        span.addWidget(self.from_edit)
        span.addWidget(QLabel(self.tr("to")))
        span.addWidget(self.to_edit)
        self.whole_day_button = QPushButton(self.tr("Whole day"))
        self.whole_day_button.setToolTip(
            self.tr("From 00:00 of the start day to 00:00 of the next day")
        )
        self.pick_button = QPushButton(self.tr("Pick on chart"))
        self.pick_button.setCheckable(True)
        self.pick_button.setToolTip(
            self.tr("Drag the edges of the green region on the chart to choose the span")
        )
        form.addRow(self.tr("From:"), span)
        span_tools = QHBoxLayout()
        span_tools.addWidget(self.whole_day_button)
        span_tools.addWidget(self.pick_button)
        span_tools.addStretch(1)
        form.addRow("", span_tools)
        change = QHBoxLayout()
        self.kind_combo = QComboBox()
        self.kind_combo.addItem(self.tr("Change by percent"), "percent")
        self.kind_combo.addItem(self.tr("Set total calls"), "absolute")
        self.kind_combo.setToolTip(
            self.tr(
                "Percent: scale the forecast (closed intervals stay closed).\n"
                "Total calls: the calls over the whole span, per queue, spread in the "
                "forecast's shape."
            )
        )
        self.value_spin = QDoubleSpinBox()
        self.value_spin.setDecimals(1)
        self.value_spin.setMinimumWidth(110)
        change.addWidget(self.kind_combo)
        change.addWidget(self.value_spin)
        change.addStretch(1)
        form.addRow(self.tr("Change:"), change)
        self.note_edit = QLineEdit()
        self.note_edit.setPlaceholderText(self.tr("Why (optional)"))
        self.note_edit.setMinimumWidth(320)
        form.addRow(self.tr("Note:"), self.note_edit)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(self.tr("Add override"))
        self.add_button.setDefault(True)
        self.replace_button = QPushButton(self.tr("Update selected"))
        self.replace_button.setToolTip(
            self.tr("Replace the selected override with the form's values")
        )
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.replace_button)
        buttons.addStretch(1)
        form.addRow("", buttons)
        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.message_label.setStyleSheet("color: #c62828;")
        form.addRow("", self.message_label)
        layout.addWidget(form_box)

        right = QVBoxLayout()
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Queue"), self.tr("From"), self.tr("To"), self.tr("Change"), self.tr("Note")]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setMinimumWidth(320)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        right.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.summary_label = QLabel()
        self.summary_label.setStyleSheet("color: #666666;")
        row.addWidget(self.summary_label, 1)
        self.remove_button = QPushButton(self.tr("Remove"))
        self.clear_button = QPushButton(self.tr("Remove all"))
        row.addWidget(self.remove_button)
        row.addWidget(self.clear_button)
        right.addLayout(row)
        layout.addLayout(right, 1)

        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()
        self.whole_day_button.clicked.connect(self._whole_day)
        self.pick_button.toggled.connect(self.pickToggled)
        self.add_button.clicked.connect(self.add_from_form)
        self.replace_button.clicked.connect(self.replace_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.clear_button.clicked.connect(self.remove_all)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.itemDoubleClicked.connect(lambda item: self.load_into_form(item.row()))
        self._selection_changed()

    # --- form ----------------------------------------------------------------------------------
    def set_queues(self, queues: list[str]) -> None:
        previous = self.queue_combo.currentData()
        self.queue_combo.clear()
        self.queue_combo.addItem(self.tr("All queues"), None)
        for q in queues:
            self.queue_combo.addItem(q, q)
        index = self.queue_combo.findData(previous)
        self.queue_combo.setCurrentIndex(max(index, 0))

    def set_span(self, start: dt.datetime, end: dt.datetime) -> None:
        self.from_edit.setDateTime(_qdatetime(start))
        self.to_edit.setDateTime(_qdatetime(end))

    def span(self) -> tuple[dt.datetime, dt.datetime]:
        return _pydatetime(self.from_edit.dateTime()), _pydatetime(self.to_edit.dateTime())

    def _kind_changed(self) -> None:
        if self.kind_combo.currentData() == "percent":
            self.value_spin.setRange(-99.9, 10000.0)
            self.value_spin.setSuffix(" %")
            self.value_spin.setSingleStep(5.0)
        else:
            self.value_spin.setRange(0.0, 10_000_000.0)
            self.value_spin.setSuffix(self.tr(" calls"))
            self.value_spin.setSingleStep(10.0)

    def _whole_day(self) -> None:
        day = _pydatetime(self.from_edit.dateTime()).date()
        start = dt.datetime.combine(day, dt.time())
        self.set_span(start, start + dt.timedelta(days=1))

    def override_from_form(self) -> Override:
        """The override the form describes (raises WfmError with ``wfm``'s message)."""
        start, end = self.span()
        return Override(
            start=start,
            end=end,
            queue=self.queue_combo.currentData(),
            kind=self.kind_combo.currentData(),
            value=self.value_spin.value(),
            note=self.note_edit.text().strip(),
        )

    def load_into_form(self, index: int) -> None:
        o = self.overrides[index]
        self.queue_combo.setCurrentIndex(max(self.queue_combo.findData(o.queue), 0))
        self.set_span(o.start, o.end)
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(o.kind))
        self.value_spin.setValue(o.value)
        self.note_edit.setText(o.note)

    def _checked_form(self) -> Override | None:
        """The form's override, or None with ``wfm``'s message shown under the form."""
        try:
            override = self.override_from_form()
        except WfmError as exc:
            self.message_label.setText(str(exc))
            return None
        self.message_label.clear()
        return override

    def add_from_form(self) -> None:
        override = self._checked_form()
        if override is not None:
            self.commandRequested.emit(
                AddOverride(override),
                self.tr("Add override %1").replace("%1", self.describe(override)),
            )

    def replace_selected(self) -> None:
        index = self.selected_index()
        if index is None:
            return
        override = self._checked_form()
        if override is not None:
            self.commandRequested.emit(
                ReplaceOverride(index, override),
                self.tr("Change override %1").replace("%1", self.describe(override)),
            )

    def remove_selected(self) -> None:
        index = self.selected_index()
        if index is not None:
            self.commandRequested.emit(
                RemoveOverride(index),
                self.tr("Remove override %1").replace("%1", self.describe(self.overrides[index])),
            )

    def remove_all(self) -> None:
        if len(self.overrides):
            self.commandRequested.emit(SetOverrides(()), self.tr("Remove all overrides"))

    # --- list ----------------------------------------------------------------------------------
    def selected_index(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def _selection_changed(self) -> None:
        selected = self.selected_index() is not None
        self.remove_button.setEnabled(selected)
        self.replace_button.setEnabled(selected)
        self.clear_button.setEnabled(len(self.overrides) > 0)

    def change_text(self, o: Override) -> str:
        if o.kind == "percent":
            return f"{'+' if o.value >= 0 else ''}{fmt.decimal(o.value, 1 if o.value % 1 else 0)} %"
        return self.tr("= %1 calls").replace("%1", fmt.count(o.value))

    def describe(self, o: Override) -> str:
        queue = o.queue or self.tr("all queues")
        return f"{queue} {self._span_text(o)} {self.change_text(o)}"

    def _span_text(self, o: Override) -> str:
        start, end = o.start, o.end
        if start.time() == dt.time() and end.time() == dt.time():
            last = end.date() - dt.timedelta(days=1)
            if last == start.date():
                return fmt.day(start, with_weekday=True)
            return f"{fmt.day(start)} – {fmt.day(last)}"
        return (
            f"{fmt.day(start)} {start:%H:%M}–{end:%H:%M}"
            if start.date() == end.date()
            else (f"{fmt.day(start)} {start:%H:%M} – {fmt.day(end)} {end:%H:%M}")
        )

    def set_overrides(self, overrides: OverrideList, affected: list[int] | None = None) -> None:
        """Show ``overrides``; ``affected[i]`` is how many forecast intervals override i touches."""
        selected = self.selected_index()
        self.overrides = overrides
        self.table.setRowCount(len(overrides))
        for row, o in enumerate(overrides):
            cells = [
                o.queue or self.tr("All queues"),
                f"{fmt.day(o.start, with_weekday=True)} {o.start:%H:%M}",
                f"{fmt.day(o.end, with_weekday=True)} {o.end:%H:%M}",
                self.change_text(o),
                o.note,
            ]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if affected is not None and affected[row] == 0:
                    item.setForeground(Qt.GlobalColor.gray)
                    item.setToolTip(self.tr("Touches no interval of the current forecast"))
                self.table.setItem(row, col, item)
        if selected is not None and selected < len(overrides):
            self.table.selectRow(selected)
        text = self.tr("%n override(s)", "", len(overrides))
        idle = sum(1 for a in affected if a == 0) if affected is not None else 0
        if idle:
            text += " · " + self.tr("%n outside the forecast (grey)", "", idle)
        self.summary_label.setText(
            text if len(overrides) else self.tr("No overrides: the forecast is the model's.")
        )
        self._selection_changed()
