"""Editing the forecast calendar's events (promotions) and special days.

The editor shows a :class:`wfm.forecast.events.Calendar` in two tables. Every edit builds
the edited :class:`~wfm.forecast.events.Event` or :class:`~wfm.forecast.events.SpecialDay`
with ``wfm``'s own validation; a valid edit replaces the calendar (frozen: a new one is made
with :meth:`Calendar.with_events` / :meth:`Calendar.with_special_days`) and emits
``calendarChanged``; an invalid one is explained under the tables and the cell goes back to
its last valid value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QDate, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui import formatting as fmt
from wfm.errors import WfmError
from wfm.forecast.events import Calendar, Event, SpecialDay

_Index = QModelIndex | QPersistentModelIndex


class _DateDelegate(QStyledItemDelegate):
    """A date cell edited with a calendar pop-up; stores ISO text."""

    def createEditor(  # noqa: N802
        self, parent: QWidget, option: QStyleOptionViewItem, index: _Index
    ) -> QWidget:
        editor = QDateEdit(parent)
        editor.setCalendarPopup(True)
        editor.setDisplayFormat("yyyy-MM-dd")
        return editor

    def setEditorData(self, editor: QWidget, index: _Index) -> None:  # noqa: N802
        text = str(index.data(Qt.ItemDataRole.EditRole) or "")
        date = QDate.fromString(text, "yyyy-MM-dd")
        if isinstance(editor, QDateEdit):
            editor.setDate(date if date.isValid() else QDate.currentDate())

    def setModelData(self, editor: QWidget, model: Any, index: _Index) -> None:  # noqa: N802
        if isinstance(editor, QDateEdit):
            model.setData(index, editor.date().toString("yyyy-MM-dd"), Qt.ItemDataRole.EditRole)


def _parse_queues(text: str) -> tuple[str, ...]:
    return tuple(q.strip() for q in text.split(",") if q.strip())


class EventEditor(QWidget):
    """Two tables (events, special days) over a calendar, with add and remove."""

    #: The new :class:`Calendar` after a valid edit.
    calendarChanged = Signal(object)  # noqa: N815 - Qt naming

    EVENT_COLUMNS = ("name", "start", "end", "uplift", "lag_days", "decay_days", "queues")
    SPECIAL_COLUMNS = ("day", "name", "closed", "volume", "queues")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.calendar = Calendar()
        #: The day a new event or special day starts on (the forecast's first day).
        self.default_day = dt.date.today()
        self._filling = False

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        columns = QHBoxLayout()
        layout.addLayout(columns, 1)

        left = QVBoxLayout()
        head = QHBoxLayout()
        title = QLabel(self.tr("<b>Events</b> (promotions, campaigns: uplift on the daily volume)"))
        head.addWidget(title, 1)
        self.add_event_button = QPushButton(self.tr("Add event"))
        self.remove_event_button = QPushButton(self.tr("Remove"))
        head.addWidget(self.add_event_button)
        head.addWidget(self.remove_event_button)
        left.addLayout(head)
        self.events_table = self._table(
            [
                self.tr("Name"),
                self.tr("Start"),
                self.tr("End"),
                self.tr("Uplift %"),
                self.tr("Lag (days)"),
                self.tr("Half-life (days)"),
                self.tr("Queues"),
            ],
            [
                self.tr("What the planner calls it"),
                self.tr("First day of the event"),
                self.tr("Last day of the event"),
                self.tr("Expected change of the daily volume, e.g. 40 for +40 %"),
                self.tr("Days between the event and its effect on calls"),
                self.tr(
                    "After the event the uplift halves every this many days (0: stops at once)"
                ),
                self.tr("Queues it affects, separated by commas; empty: every queue"),
            ],
            date_columns=(1, 2),
            stretch=0,
        )
        left.addWidget(self.events_table, 1)
        columns.addLayout(left, 3)

        right = QVBoxLayout()
        head = QHBoxLayout()
        head.addWidget(QLabel(self.tr("<b>Special days</b> (closed, or a known volume)")), 1)
        self.add_special_button = QPushButton(self.tr("Add day"))
        self.remove_special_button = QPushButton(self.tr("Remove"))
        head.addWidget(self.add_special_button)
        head.addWidget(self.remove_special_button)
        right.addLayout(head)
        self.special_table = self._table(
            [
                self.tr("Date"),
                self.tr("Name"),
                self.tr("Closed"),
                self.tr("Volume"),
                self.tr("Queues"),
            ],
            [
                self.tr("The day"),
                self.tr("What it is"),
                self.tr("No calls all day"),
                self.tr("The day's total calls per queue (empty: forecast as usual)"),
                self.tr("Queues it applies to, separated by commas; empty: every queue"),
            ],
            date_columns=(0,),
            stretch=1,
        )
        right.addWidget(self.special_table, 1)
        columns.addLayout(right, 2)

        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.message_label.setStyleSheet("color: #c62828;")
        layout.addWidget(self.message_label)

        self.add_event_button.clicked.connect(self.add_event)
        self.remove_event_button.clicked.connect(self.remove_selected_events)
        self.add_special_button.clicked.connect(self.add_special_day)
        self.remove_special_button.clicked.connect(self.remove_selected_special_days)
        self.events_table.itemChanged.connect(self._event_edited)
        self.special_table.itemChanged.connect(self._special_edited)

    def _table(
        self, headers: list[str], tips: list[str], date_columns: tuple[int, ...], stretch: int
    ) -> QTableWidget:
        table = QTableWidget(0, len(headers))
        table.setHorizontalHeaderLabels(headers)
        for i, tip in enumerate(tips):
            item = table.horizontalHeaderItem(i)
            if item is not None:
                item.setToolTip(tip)
        table.verticalHeader().setVisible(False)
        table.setAlternatingRowColors(True)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        delegate = _DateDelegate(table)
        for col in date_columns:
            table.setItemDelegateForColumn(col, delegate)
        return table

    # --- showing -------------------------------------------------------------------------------
    def set_calendar(self, calendar: Calendar) -> None:
        """Show ``calendar`` (does not emit ``calendarChanged``)."""
        self.calendar = calendar
        self._fill()

    def _fill(self) -> None:
        self._filling = True
        try:
            table = self.events_table
            table.setRowCount(len(self.calendar.events))
            for row, e in enumerate(self.calendar.events):
                values = [
                    e.name,
                    e.start.isoformat(),
                    e.end.isoformat(),
                    fmt.decimal(e.uplift * 100, 1 if (e.uplift * 100) % 1 else 0),
                    str(e.lag_days),
                    fmt.decimal(e.decay_days, 1 if e.decay_days % 1 else 0),
                    ", ".join(e.queues),
                ]
                for col, text in enumerate(values):
                    table.setItem(row, col, self._item(text, numeric=col in (3, 4, 5)))
            table = self.special_table
            table.setRowCount(len(self.calendar.special_days))
            for row, s in enumerate(self.calendar.special_days):
                table.setItem(row, 0, self._item(s.day.isoformat()))
                table.setItem(row, 1, self._item(s.name))
                closed = QTableWidgetItem()
                closed.setFlags(
                    Qt.ItemFlag.ItemIsUserCheckable
                    | Qt.ItemFlag.ItemIsEnabled
                    | Qt.ItemFlag.ItemIsSelectable
                )
                closed.setCheckState(Qt.CheckState.Checked if s.closed else Qt.CheckState.Unchecked)
                table.setItem(row, 2, closed)
                table.setItem(
                    row,
                    3,
                    self._item("" if s.volume is None else fmt.decimal(s.volume, 0), numeric=True),
                )
                table.setItem(row, 4, self._item(", ".join(s.queues)))
        finally:
            self._filling = False

    @staticmethod
    def _item(text: str, numeric: bool = False) -> QTableWidgetItem:
        item = QTableWidgetItem(text)
        if numeric:
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return item

    def _text(self, table: QTableWidget, row: int, col: int) -> str:
        item = table.item(row, col)
        return item.text() if item is not None else ""

    # --- editing -------------------------------------------------------------------------------
    def _commit(self, calendar: Calendar) -> None:
        self.message_label.clear()
        self.calendar = calendar
        self._fill()
        self.calendarChanged.emit(calendar)

    def _reject(self, exc: WfmError) -> None:
        self._fill()  # back to the last valid values
        self.message_label.setText(str(exc))

    def _event_from_row(self, row: int) -> Event:
        t = self.events_table
        name = self._text(t, row, 0).strip() or self.tr("Event")
        return Event(
            name=name,
            start=self._parse_date(self._text(t, row, 1), self.tr("start")),
            end=self._parse_date(self._text(t, row, 2), self.tr("end")),
            uplift=self._parse_number(self._text(t, row, 3), self.tr("uplift")) / 100.0,
            lag_days=int(
                self._parse_number(self._text(t, row, 4) or "0", self.tr("lag"), integer=True)
            ),
            decay_days=self._parse_number(self._text(t, row, 5) or "0", self.tr("half-life")),
            queues=_parse_queues(self._text(t, row, 6)),
        )

    def _special_from_row(self, row: int) -> SpecialDay:
        t = self.special_table
        volume_text = self._text(t, row, 3).strip()
        closed_item = t.item(row, 2)
        return SpecialDay(
            day=self._parse_date(self._text(t, row, 0), self.tr("date")),
            name=self._text(t, row, 1).strip() or self.tr("Special day"),
            closed=closed_item is not None and closed_item.checkState() == Qt.CheckState.Checked,
            volume=self._parse_number(volume_text, self.tr("volume")) if volume_text else None,
            queues=_parse_queues(self._text(t, row, 4)),
        )

    def _event_edited(self, item: QTableWidgetItem) -> None:
        self._row_edited(item, self._event_from_row, self.calendar.events, self.calendar.with_events)

    def _special_edited(self, item: QTableWidgetItem) -> None:
        self._row_edited(
            item, self._special_from_row, self.calendar.special_days, self.calendar.with_special_days
        )

    def _row_edited(
        self,
        item: QTableWidgetItem,
        build: Callable[[int], Any],
        entries: Sequence[Any],
        replace: Callable[[list[Any]], Calendar],
    ) -> None:
        """Rebuild the edited row's entry with ``build`` and put it in the calendar."""
        if self._filling:
            return
        row = item.row()
        try:
            changed = list(entries)
            changed[row] = build(row)
            calendar = replace(changed)
        except WfmError as exc:
            self._reject(exc)
            return
        self._commit(calendar)

    def add_event(self) -> None:
        day = self.default_day
        event = Event(self.tr("New event"), day, day, 0.1)
        self._commit(self.calendar.with_events([*self.calendar.events, event]))
        self.events_table.setCurrentCell(len(self.calendar.events) - 1, 0)

    def add_special_day(self) -> None:
        special = SpecialDay(self.default_day, self.tr("Closed"), closed=True)
        self._commit(self.calendar.with_special_days([*self.calendar.special_days, special]))
        self.special_table.setCurrentCell(len(self.calendar.special_days) - 1, 1)

    def _selected_rows(self, table: QTableWidget) -> set[int]:
        return {i.row() for i in table.selectionModel().selectedRows()} or (
            {table.currentRow()} if table.currentRow() >= 0 else set()
        )

    def remove_selected_events(self) -> None:
        self._remove_rows(self.events_table, self.calendar.events, self.calendar.with_events)

    def remove_selected_special_days(self) -> None:
        self._remove_rows(
            self.special_table, self.calendar.special_days, self.calendar.with_special_days
        )

    def _remove_rows(
        self,
        table: QTableWidget,
        entries: Sequence[Any],
        replace: Callable[[list[Any]], Calendar],
    ) -> None:
        rows = self._selected_rows(table)
        if rows:
            self._commit(replace([e for i, e in enumerate(entries) if i not in rows]))

    # --- parsing cells ----------------------------------------------------------------------
    def _parse_date(self, text: str, what: str) -> dt.date:
        try:
            return dt.date.fromisoformat(text.strip())
        except ValueError:
            raise WfmError(
                self.tr("%1: '%2' is not a date like 2026-11-02")
                .replace("%1", what)
                .replace("%2", text)
            ) from None

    def _parse_number(self, text: str, what: str, *, integer: bool = False) -> float:
        cleaned = text.strip().replace("%", "").replace("+", "")
        value = fmt.locale().toDouble(cleaned)
        number, ok = value if isinstance(value, tuple) else (value, True)
        if not ok:
            try:
                number = float(cleaned)
            except ValueError:
                raise WfmError(
                    self.tr("%1: '%2' is not a number").replace("%1", what).replace("%2", text)
                ) from None
        if integer and not float(number).is_integer():
            raise WfmError(
                self.tr("%1: '%2' must be a whole number").replace("%1", what).replace("%2", text)
            )
        return float(number)
