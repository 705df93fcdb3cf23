"""The dialog that edits one what-if scenario.

Every field change rebuilds the :class:`wfm.scenarios.Scenario` with ``wfm``'s own
validation (and, when the page gave the base plan, :func:`wfm.scenarios.apply_scenario`, so a
queue or date outside the plan is caught here); a :class:`~wfm.errors.WfmError` is shown in
red under the form and disables OK. The preview line is :meth:`Scenario.describe`.

A change's "where" is edited in one table row: the amount and its unit, the queues (a menu of
the plan's queues; none ticked means every queue), the dates (from-to; off means every date),
the weekdays (none ticked means every day) and the hours (``—`` means from / until midnight).
Dates that are not one run (``2026-11-03;2026-11-10`` from a file) are kept as they are until
the planner changes the from-to dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ui import formatting as fmt
from ui.widgets import buddy_label, double_spin, int_spin
from wfm.errors import WfmError
from wfm.scenarios.evaluate import Plan, apply_scenario
from wfm.scenarios.model import AhtChange, Scenario, VolumeChange, Where
from wfm.scheduling.model import MINUTES_PER_DAY, clock
from wfm.staffing.requirement import StaffingTarget

#: The unit of a change as stored in the unit combo's item data.
PERCENT = "percent"


def _tr(text: str) -> str:
    return QCoreApplication.translate("ScenarioEditor", text)


def _qdate(d: dt.date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> dt.date:
    return dt.date(q.year(), q.month(), q.day())


def _one_run(dates: Sequence[dt.date]) -> bool:
    return all(b - a == dt.timedelta(days=1) for a, b in zip(dates, dates[1:], strict=False))


class ChangeRow:
    """The widgets of one change (one table row); :meth:`change` builds it."""

    def __init__(
        self,
        kind: str,
        queues: Sequence[str],
        date_range: tuple[dt.date, dt.date] | None,
        interval_minutes: int,
        on_change: Any,
    ) -> None:
        self.kind = kind
        self._on_change = on_change
        self.amount = QDoubleSpinBox()
        self.amount.setRange(-1_000_000.0, 1_000_000.0)
        self.amount.setDecimals(1)
        self.amount.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.amount.setValue(10.0)
        self.unit = QComboBox()
        self.unit.addItem("%", PERCENT)
        if kind == "volume":
            self.unit.addItem(_tr("calls / interval"), "calls")
        else:
            self.unit.addItem(_tr("seconds"), "seconds")

        self.queues_button = QToolButton()
        self.queues_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.queues_menu = QMenu(self.queues_button)
        self.queue_actions: dict[str, QAction] = {}
        for q in queues:
            self._add_queue(q)
        self.queues_button.setMenu(self.queues_menu)

        self.dates_check = QCheckBox()
        self.dates_check.setToolTip(_tr("Only on these dates (off: every date)"))
        self.date_from = QDateEdit()
        self.date_to = QDateEdit()
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            if date_range is not None:
                edit.setDateRange(_qdate(date_range[0]), _qdate(date_range[1]))
                edit.setDate(_qdate(date_range[0]))
        #: Dates from a file that are not one run, kept until the from-to dates change.
        self.exact_dates: tuple[dt.date, ...] | None = None

        self.weekday_checks: list[QCheckBox] = []
        names = fmt.weekday_names()
        for name in names:
            check = QCheckBox(name[:2])
            check.setToolTip(_tr("Only on %1 (none ticked: every day)").replace("%1", name))
            self.weekday_checks.append(check)

        self.start_combo = QComboBox()
        self.end_combo = QComboBox()
        self.start_combo.addItem("—", None)
        self.end_combo.addItem("—", None)
        step = interval_minutes if interval_minutes > 0 else 30
        for m in range(0, MINUTES_PER_DAY, step):
            self.start_combo.addItem(clock(m), m)
        for m in range(step, MINUTES_PER_DAY + 1, step):
            self.end_combo.addItem(clock(m), m)
        for combo in (self.start_combo, self.end_combo):
            combo.setMinimumContentsLength(5)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.start_combo.setToolTip(_tr("Intervals starting from this time (—: midnight)"))
        self.end_combo.setToolTip(_tr("Intervals starting before this time (—: midnight)"))

        self.amount.valueChanged.connect(on_change)
        self.unit.currentIndexChanged.connect(on_change)
        self.dates_check.toggled.connect(lambda on: self._dates_toggled(on, on_change))
        self.date_from.dateChanged.connect(lambda *_: self._dates_edited(on_change))
        self.date_to.dateChanged.connect(lambda *_: self._dates_edited(on_change))
        for check in self.weekday_checks:
            check.toggled.connect(on_change)
        self.start_combo.currentIndexChanged.connect(on_change)
        self.end_combo.currentIndexChanged.connect(on_change)
        self._dates_toggled(False, None)
        self._show_queues()

    # --- cells ------------------------------------------------------------------------------
    def cells(self) -> list[QWidget]:
        """One widget per table column."""
        dates = QWidget()
        row = QHBoxLayout(dates)
        row.setContentsMargins(2, 0, 2, 0)
        row.setSpacing(3)
        row.addWidget(self.dates_check)
        row.addWidget(self.date_from)
        row.addWidget(QLabel("–"))
        row.addWidget(self.date_to)
        days = QWidget()
        row = QHBoxLayout(days)
        row.setContentsMargins(2, 0, 2, 0)
        row.setSpacing(2)
        for check in self.weekday_checks:
            row.addWidget(check)
        hours = QWidget()
        row = QHBoxLayout(hours)
        row.setContentsMargins(2, 0, 2, 0)
        row.setSpacing(3)
        row.addWidget(self.start_combo)
        row.addWidget(QLabel("–"))
        row.addWidget(self.end_combo)
        row.addStretch(1)
        return [self.amount, self.unit, self.queues_button, dates, days, hours]

    def _add_queue(self, name: str) -> QAction:
        action = self.queues_menu.addAction(name)
        action.setCheckable(True)
        action.toggled.connect(self._queue_toggled)
        self.queue_actions[name] = action
        return action

    def _queue_toggled(self, *_: Any) -> None:
        self._show_queues()
        self._on_change()

    def _show_queues(self) -> None:
        chosen = self.queues()
        self.queues_button.setText(", ".join(chosen) if chosen else _tr("All queues"))

    def _dates_toggled(self, on: bool, on_change: Any) -> None:
        self.date_from.setEnabled(on)
        self.date_to.setEnabled(on)
        if on_change is not None:
            on_change()

    def _dates_edited(self, on_change: Any) -> None:
        self.exact_dates = None
        self.dates_check.setToolTip(_tr("Only on these dates (off: every date)"))
        on_change()

    # --- values -----------------------------------------------------------------------------
    def queues(self) -> tuple[str, ...]:
        return tuple(q for q, a in self.queue_actions.items() if a.isChecked())

    def set_queues(self, queues: Iterable[str]) -> None:
        wanted = set(queues)
        for q in wanted - set(self.queue_actions):
            self._add_queue(q)  # a queue the plan does not have: kept, and reported
        for q, action in self.queue_actions.items():
            action.setChecked(q in wanted)
        self._show_queues()

    def set_dates(self, first: dt.date, last: dt.date) -> None:
        self.date_from.setDate(_qdate(first))
        self.date_to.setDate(_qdate(last))
        self.dates_check.setChecked(True)

    def where(self) -> Where:
        dates: tuple[dt.date, ...] = ()
        if self.dates_check.isChecked():
            if self.exact_dates is not None:
                dates = self.exact_dates
            else:
                first, last = _pydate(self.date_from.date()), _pydate(self.date_to.date())
                if last < first:
                    raise WfmError(
                        f"the dates run backwards ({first.isoformat()} to {last.isoformat()})"
                    )
                dates = tuple(first + dt.timedelta(days=i) for i in range((last - first).days + 1))
        return Where(
            queues=self.queues(),
            dates=dates,
            weekdays=tuple(i for i, c in enumerate(self.weekday_checks) if c.isChecked()),
            start=self.start_combo.currentData(),
            end=self.end_combo.currentData(),
        )

    def change(self) -> VolumeChange | AhtChange:
        value = float(self.amount.value())
        unit = self.unit.currentData()
        where = self.where()
        if self.kind == "volume":
            if unit == PERCENT:
                return VolumeChange(percent=value, where=where)
            return VolumeChange(calls=value, where=where)
        if unit == PERCENT:
            return AhtChange(percent=value, where=where)
        return AhtChange(seconds=value, where=where)

    def load(self, change: VolumeChange | AhtChange) -> None:
        if change.percent is not None:
            self.unit.setCurrentIndex(0)
            self.amount.setValue(float(change.percent))
        else:
            amount = change.calls if isinstance(change, VolumeChange) else change.seconds
            self.unit.setCurrentIndex(1)
            self.amount.setValue(float(amount or 0.0))
        where = change.where
        self.set_queues(where.queues)
        if where.dates:
            for edit in (self.date_from, self.date_to):
                low = min(edit.minimumDate(), _qdate(where.dates[0]))
                high = max(edit.maximumDate(), _qdate(where.dates[-1]))
                edit.setDateRange(low, high)
            self.set_dates(where.dates[0], where.dates[-1])
            if not _one_run(where.dates):
                self.exact_dates = where.dates
                self.dates_check.setToolTip(
                    _tr("Only on %1; change the dates to replace them").replace(
                        "%1", ", ".join(d.isoformat() for d in where.dates)
                    )
                )
        for i, check in enumerate(self.weekday_checks):
            check.setChecked(i in where.weekdays)
        for combo, value in ((self.start_combo, where.start), (self.end_combo, where.end)):
            index = combo.findData(value)
            if index < 0:
                combo.addItem(clock(int(value or 0)), value)
                index = combo.count() - 1
            combo.setCurrentIndex(index)


class ChangeTable(QWidget):
    """A titled table of volume or AHT changes, with Add and Remove."""

    changed = Signal()

    def __init__(
        self,
        kind: str,
        title: str,
        queues: Sequence[str],
        date_range: tuple[dt.date, dt.date] | None,
        interval_minutes: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.kind = kind
        self._queues = tuple(queues)
        self._date_range = date_range
        self._interval = interval_minutes
        self.rows: list[ChangeRow] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        head.addWidget(QLabel(f"<b>{title}</b>"), 1)
        self.add_button = QPushButton(self.tr("Add"))
        self.remove_button = QPushButton(self.tr("Remove"))
        head.addWidget(self.add_button)
        head.addWidget(self.remove_button)
        layout.addLayout(head)
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Change"),
                self.tr("Unit"),
                self.tr("Queues"),
                self.tr("Dates (from – to)"),
                self.tr("Weekdays"),
                self.tr("Hours"),
            ]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMinimumHeight(96)
        # A light selection: the row's widgets stay readable on it.
        self.table.setStyleSheet(
            "QTableWidget::item:selected { background: #dce8f6; color: #222222; }"
        )
        layout.addWidget(self.table)
        self.add_button.clicked.connect(lambda: self.add_row())
        self.remove_button.clicked.connect(lambda: self.remove_row(self.table.currentRow()))

    def add_row(self, change: VolumeChange | AhtChange | None = None) -> ChangeRow:
        row = ChangeRow(
            self.kind, self._queues, self._date_range, self._interval, self._emit_changed
        )
        if change is not None:
            row.load(change)
        self.rows.append(row)
        i = self.table.rowCount()
        self.table.insertRow(i)
        for col, widget in enumerate(row.cells()):
            self.table.setCellWidget(i, col, widget)
        self.table.resizeRowToContents(i)
        self.table.setCurrentCell(i, 0)
        self.changed.emit()
        return row

    def _emit_changed(self, *_: Any) -> None:
        self.changed.emit()

    def remove_row(self, i: int) -> None:
        if 0 <= i < len(self.rows):
            del self.rows[i]
            self.table.removeRow(i)
            self.changed.emit()

    def changes(self) -> tuple[Any, ...]:
        """The changes, in order; a bad one raises :class:`WfmError` naming its row."""
        what = self.tr("volume change") if self.kind == "volume" else self.tr("AHT change")
        out = []
        for i, row in enumerate(self.rows, 1):
            try:
                out.append(row.change())
            except WfmError as exc:
                raise WfmError(f"{what} {i}: {exc}") from None
        return tuple(out)


class ScenarioEditor(QDialog):
    """Edit (or create, without ``scenario``) one scenario; :meth:`result_scenario` after OK.

    Parameters
    ----------
    scenario
        The scenario to edit; ``None``: a new one.
    plan
        The base plan: its queues, dates, interval length and target fill the choices and
        the defaults, and every edit is checked against it.
    taken_names
        Names of the other scenarios (a name must be unique).
    """

    def __init__(
        self,
        parent: QWidget | None = None,
        scenario: Scenario | None = None,
        *,
        plan: Plan | None = None,
        taken_names: Iterable[str] = (),
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Edit scenario") if scenario else self.tr("New scenario"))
        self.plan = plan
        self.taken_names = {n.strip() for n in taken_names}
        self.error: str | None = None
        self._scenario: Scenario | None = None
        base = plan.target if plan is not None else StaffingTarget()
        queues = plan.queues if plan is not None else ()
        date_range = None
        if plan is not None and plan.dates:
            date_range = (plan.dates[0].date(), plan.dates[-1].date())
        minutes = plan.interval_minutes if plan is not None else 30

        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText(self.tr("e.g. Winter promotion"))
        form.addRow(buddy_label(self.tr("&Name:"), self.name_edit), self.name_edit)
        self.description_edit = QLineEdit()
        form.addRow(
            buddy_label(self.tr("&Description:"), self.description_edit), self.description_edit
        )
        layout.addLayout(form)

        self.volume_table = ChangeTable(
            "volume", self.tr("Volume changes"), queues, date_range, minutes, self
        )
        self.aht_table = ChangeTable(
            "aht", self.tr("AHT changes"), queues, date_range, minutes, self
        )
        layout.addWidget(self.volume_table, 1)
        layout.addWidget(self.aht_table, 1)

        box = QGroupBox(self.tr("Targets and roster (ticked: replaces the base plan's)"))
        grid = QFormLayout(box)
        self.sl_check = QCheckBox(self.tr("&Service level:"))
        self.sl_spin = double_spin(1.0, 99.9, (base.service_level or 0.8) * 100, 1.0, " %")
        self.answer_check = QCheckBox(self.tr("&in"))
        self.answer_spin = int_spin(0, 3600, int(base.answer_seconds), " s")
        row = QHBoxLayout()
        row.addWidget(self.sl_spin, 1)
        row.addWidget(self.answer_check)
        row.addWidget(self.answer_spin, 1)
        grid.addRow(self.sl_check, row)
        self.occupancy_check = QCheckBox(self.tr("Max &occupancy:"))
        self.occupancy_spin = double_spin(1.0, 100.0, (base.max_occupancy or 0.85) * 100, 1.0, " %")
        grid.addRow(self.occupancy_check, self.occupancy_spin)
        self.shrinkage_check = QCheckBox(self.tr("S&hrinkage:"))
        self.shrinkage_spin = double_spin(0.0, 95.0, base.shrinkage * 100, 1.0, " %")
        grid.addRow(self.shrinkage_check, self.shrinkage_spin)
        self.headcount_spin: QSpinBox = int_spin(-10_000, 10_000, 0, "")
        self.headcount_spin.setToolTip(
            self.tr("Agents added to (+) or removed from (−) the current roster")
        )
        grid.addRow(
            buddy_label(self.tr("Head&count +/−:"), self.headcount_spin), self.headcount_spin
        )
        layout.addWidget(box)

        self.preview_label = QLabel()
        self.preview_label.setWordWrap(True)
        self.preview_label.setStyleSheet("color: #333333;")
        layout.addWidget(self.preview_label)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #c62828;")
        layout.addWidget(self.error_label)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        for check, spin in (
            (self.sl_check, self.sl_spin),
            (self.answer_check, self.answer_spin),
            (self.occupancy_check, self.occupancy_spin),
            (self.shrinkage_check, self.shrinkage_spin),
        ):
            spin.setEnabled(False)
            check.toggled.connect(lambda on, s=spin: (s.setEnabled(on), self.validate()))
            spin.valueChanged.connect(lambda *_: self.validate())
        self.headcount_spin.valueChanged.connect(lambda *_: self.validate())
        self.name_edit.textChanged.connect(lambda *_: self.validate())
        self.description_edit.textChanged.connect(lambda *_: self.validate())
        self.volume_table.changed.connect(self.validate)
        self.aht_table.changed.connect(self.validate)

        if scenario is not None:
            self.load(scenario)
        self.resize(1080, 660)
        self.validate()

    # --- values -----------------------------------------------------------------------------
    def load(self, scenario: Scenario) -> None:
        self.name_edit.setText(scenario.name)
        self.description_edit.setText(scenario.description)
        for change in scenario.volume:
            self.volume_table.add_row(change)
        for a_change in scenario.aht:
            self.aht_table.add_row(a_change)
        pairs: list[tuple[QCheckBox, Any, float | None, float]] = [
            (self.sl_check, self.sl_spin, scenario.service_level, 100.0),
            (self.answer_check, self.answer_spin, scenario.answer_seconds, 1.0),
            (self.occupancy_check, self.occupancy_spin, scenario.max_occupancy, 100.0),
            (self.shrinkage_check, self.shrinkage_spin, scenario.shrinkage, 100.0),
        ]
        for check, spin, value, scale in pairs:
            check.setChecked(value is not None)
            if value is not None:
                spin.setValue(value * scale if scale != 1.0 else int(round(value)))
        self.headcount_spin.setValue(scenario.headcount)

    def build(self) -> Scenario:
        """The scenario the fields describe; raises :class:`WfmError` when they are invalid."""
        name = self.name_edit.text().strip()
        if name in self.taken_names:
            raise WfmError(
                self.tr("There is already a scenario named '%1'; choose another name.").replace(
                    "%1", name
                )
            )

        def share(check: QCheckBox, spin: QDoubleSpinBox) -> float | None:
            return round(spin.value(), 4) / 100.0 if check.isChecked() else None

        scenario = Scenario(
            name=name,
            description=self.description_edit.text().strip(),
            volume=self.volume_table.changes(),
            aht=self.aht_table.changes(),
            service_level=share(self.sl_check, self.sl_spin),
            answer_seconds=float(self.answer_spin.value())
            if self.answer_check.isChecked()
            else None,
            max_occupancy=share(self.occupancy_check, self.occupancy_spin),
            shrinkage=share(self.shrinkage_check, self.shrinkage_spin),
            headcount=int(self.headcount_spin.value()),
        )
        if self.plan is not None:
            apply_scenario(self.plan, scenario)  # names outside the plan, AHT of 0 s
        return scenario

    def validate(self) -> bool:
        """Rebuild the scenario; show the preview or the problem; OK only when valid."""
        try:
            scenario = self.build()
        except WfmError as exc:
            self._scenario = None
            self.error = str(exc)
            self.error_label.setText(self.error)
            self.preview_label.clear()
        else:
            self._scenario = scenario
            self.error = None
            self.error_label.clear()
            lines = scenario.describe() or [self.tr("No change: the base plan as it is.")]
            self.preview_label.setText(
                self.tr("Preview: %1").replace("%1", fmt.escape_html("; ".join(lines)))
            )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(self._scenario is not None)
        return self._scenario is not None

    def result_scenario(self) -> Scenario | None:
        """The scenario the fields describe, or ``None`` while they are invalid."""
        return self._scenario

    def accept(self) -> None:
        if self.validate():
            super().accept()
