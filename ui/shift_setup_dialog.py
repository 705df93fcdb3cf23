"""Shift templates and working-time rules: the list of templates on the left, the selected
template's form on the right, the rules underneath.

Every change rebuilds the template with the :mod:`wfm.scheduling.model` dataclasses, so the
dialog checks exactly what the solver and ``read_shift_setup`` check; their message is shown
under the form and OK stays disabled while any template is invalid.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QTime
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from ui import formatting as fmt
from ui.errors import show_error
from ui.widgets import buddy_label, double_spin, input_form, int_spin
from wfm.errors import WfmError
from wfm.scheduling.loaders import (
    format_number,
    parse_number,
    read_shift_setup,
    write_shift_setup,
)
from wfm.scheduling.model import (
    BreakRule,
    Rules,
    ShiftSetup,
    ShiftTemplate,
    clock,
)

ERROR_STYLE = "color: #a11d1d;"
PREVIEW_STYLE = "color: #444444;"
BAD_COLOUR = QColor("#a11d1d")
BREAK_KINDS = ("short", "lunch")
#: The paid column's choices: None follows the kind (lunches unpaid), or forced either way.
PAID_CHOICES: tuple[bool | None, ...] = (None, True, False)


def _tr(text: str) -> str:
    return QCoreApplication.translate("ShiftSetupDialog", text)


@dataclass
class BreakDraft:
    kind: str = "short"
    minutes: int = 15
    earliest: int = 90
    latest: int = 150
    paid: bool | None = None


@dataclass
class TemplateDraft:
    """One template as typed (possibly invalid): what the form shows."""

    name: str
    days: set[int] = field(default_factory=lambda: {0, 1, 2, 3, 4})
    start_earliest: int = 8 * 60
    start_latest: int = 9 * 60
    start_step: int = 30
    lengths_text: str = "8.5"
    break_step: int = 15
    breaks: list[BreakDraft] = field(default_factory=list)

    @classmethod
    def of(cls, t: ShiftTemplate) -> TemplateDraft:
        return cls(
            name=t.name,
            days=set(t.days),
            start_earliest=t.start_earliest,
            start_latest=t.start_latest,
            start_step=t.start_step_minutes,
            lengths_text=format_lengths(t.lengths_minutes),
            break_step=t.break_step_minutes,
            breaks=[
                BreakDraft(
                    b.kind,
                    b.minutes,
                    b.earliest_after_start_minutes,
                    b.latest_after_start_minutes,
                    b.paid,
                )
                for b in t.breaks
            ],
        )

    def build(self) -> ShiftTemplate:
        """The template (raises :class:`WfmError` with the reason when it is not valid)."""
        name = self.name.strip()
        if not name:
            raise WfmError(_tr("a shift template needs a name"))
        breaks = []
        for b in self.breaks:
            kind = b.kind.strip()
            if not kind:
                raise WfmError(_tr("template '{name}': a break needs a kind").format(name=name))
            try:
                breaks.append(BreakRule(kind, b.minutes, b.earliest, b.latest, b.paid))
            except WfmError as exc:
                raise WfmError(f"template '{name}': {exc}") from None
        return ShiftTemplate(
            name=name,
            days=tuple(sorted(self.days)),
            start_earliest=self.start_earliest,
            start_latest=self.start_latest,
            start_step_minutes=self.start_step,
            lengths_minutes=parse_lengths(self.lengths_text, name),
            breaks=tuple(breaks),
            break_step_minutes=self.break_step,
        )


def format_lengths(minutes: tuple[int, ...]) -> str:
    """``(510, 540)`` -> ``"8.5; 9"`` (hours)."""
    return "; ".join(format_number(m / 60) for m in minutes)


def parse_lengths(text: str, name: str) -> tuple[int, ...]:
    """``"8.5; 9"`` -> ``(510, 540)``: shift lengths in hours, separated by ';'."""
    lengths: list[int] = []
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        try:
            hours = parse_number(part)
        except WfmError:
            raise WfmError(f"template '{name}': length '{part}' is not a number of hours") from None
        minutes = hours * 60
        if hours <= 0 or abs(minutes - round(minutes)) > 1e-6:
            raise WfmError(
                f"template '{name}': length '{part}' must be a positive number of hours "
                "in whole minutes"
            )
        if round(minutes) not in lengths:
            lengths.append(int(round(minutes)))
    if not lengths:
        raise WfmError(f"template '{name}': give at least one shift length in hours (8.5; 9)")
    return tuple(lengths)


def _hours(minutes: float) -> str:
    return f"{fmt.decimal(minutes / 60, 2).rstrip('0').rstrip('.,')} h"


def _span(values: list[int]) -> str:
    low, high = min(values), max(values)
    if low == high:
        return _hours(low)
    return f"{_hours(low)[:-2]}-{_hours(high)}"


def preview(template: ShiftTemplate) -> str:
    """``"Starts 07:30-09:00 every 30 min (4 starts), 8.5 h, paid 8 h, on the phones 7.5 h"``."""
    starts = template.starts()
    lengths = list(template.lengths_minutes)
    window = (
        _tr("Starts {first}-{last} every {step} min ({n} starts)").format(
            first=clock(template.start_earliest),
            last=clock(template.start_latest),
            step=template.start_step_minutes,
            n=len(starts),
        )
        if len(starts) > 1
        else _tr("Starts at {first}").format(first=clock(starts[0]))
    )
    return _tr("{window}, {length}, paid {paid}, on the phones {work}").format(
        window=window,
        length=_span(lengths),
        paid=_span([template.paid_minutes(n) for n in lengths]),
        work=_span([template.work_minutes(n) for n in lengths]),
    )


def _time(minutes: int) -> QTime:
    return QTime(minutes // 60 % 24, minutes % 60)


def _minutes(edit: QTimeEdit) -> int:
    t = edit.time()
    return t.hour() * 60 + t.minute()


def _time_edit() -> QTimeEdit:
    edit = QTimeEdit()
    edit.setDisplayFormat("HH:mm")
    edit.setAlignment(Qt.AlignmentFlag.AlignRight)
    return edit


class ShiftSetupDialog(QDialog):
    """The modal shift-template and rules editor (see the module docs).

    ``drafts`` hold the templates as typed; :meth:`setup` builds the :class:`ShiftSetup`
    (raising :class:`WfmError` while something is invalid); ``error`` is the message shown.
    """

    def __init__(self, setup: ShiftSetup, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Shift templates and rules"))
        self.setModal(True)
        self.drafts: list[TemplateDraft] = []
        self.error: str | None = None
        self.result_setup: ShiftSetup | None = None
        self.last_error_box: QMessageBox | None = None
        self.folder = ""
        self._loading = False
        self._late_minutes = setup.rules.late_shift_ends_after

        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        layout.addLayout(top, 1)
        top.addWidget(self._build_list(), 2)
        top.addWidget(self._build_form(), 3)
        layout.addWidget(self._build_rules())

        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setStyleSheet(ERROR_STYLE)
        layout.addWidget(self.error_label)

        bottom = QHBoxLayout()
        self.import_button = QPushButton(self.tr("&Import TOML…"))
        self.export_button = QPushButton(self.tr("E&xport TOML…"))
        bottom.addWidget(self.import_button)
        bottom.addWidget(self.export_button)
        bottom.addStretch(1)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)

        self.import_button.clicked.connect(lambda: self.import_toml())
        self.export_button.clicked.connect(lambda: self.export_toml())
        self._connect_form()
        self.set_setup(setup)
        self.resize(1080, 760)

    # --- building ------------------------------------------------------------------------------
    def _build_list(self) -> QWidget:
        box = QGroupBox(self.tr("Templates"))
        column = QVBoxLayout(box)
        self.template_list = QListWidget()
        self.template_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.template_list.setWordWrap(True)
        self.template_list.setSpacing(2)
        column.addWidget(self.template_list, 1)
        row = QHBoxLayout()
        self.add_button = QPushButton(self.tr("&Add"))
        self.duplicate_button = QPushButton(self.tr("&Duplicate"))
        self.remove_button = QPushButton(self.tr("&Remove"))
        for button in (self.add_button, self.duplicate_button, self.remove_button):
            row.addWidget(button)
        column.addLayout(row)
        self.template_list.currentRowChanged.connect(self._select)
        self.add_button.clicked.connect(self.add_template)
        self.duplicate_button.clicked.connect(self.duplicate_template)
        self.remove_button.clicked.connect(self.remove_template)
        return box

    def _build_form(self) -> QWidget:
        box, form = input_form(self.tr("Template"))
        self.name_edit = QLineEdit()
        form.addRow(self.tr("&Name:"), self.name_edit)

        days = QHBoxLayout()
        days.setSpacing(6)
        self.day_checks: list[QCheckBox] = []
        for name in fmt.weekday_names():
            check = QCheckBox(name)
            days.addWidget(check)
            self.day_checks.append(check)
        days.addStretch(1)
        form.addRow(buddy_label(self.tr("Da&ys:"), self.day_checks[0]), days)

        self.earliest_edit = _time_edit()
        self.latest_edit = _time_edit()
        self.step_spin = int_spin(1, 720, 30, self.tr(" min"))
        self.step_spin.setToolTip(self.tr("Shifts may start every this many minutes"))
        window = QHBoxLayout()
        window.setSpacing(4)
        for widget in (
            self.earliest_edit,
            QLabel(self.tr("to")),
            self.latest_edit,
            QLabel(self.tr("every")),
            self.step_spin,
        ):
            window.addWidget(widget)
        window.addStretch(1)
        for edit in (self.earliest_edit, self.latest_edit):
            edit.setMinimumWidth(80)
        self.step_spin.setMinimumWidth(90)
        form.addRow(buddy_label(self.tr("&Starts from:"), self.earliest_edit), window)
        self.lengths_edit = QLineEdit()
        self.lengths_edit.setPlaceholderText("8.5; 9")
        self.lengths_edit.setToolTip(
            self.tr("Shift lengths in hours, start to end including breaks, separated by ';'")
        )
        self.lengths_edit.setMaximumWidth(200)
        form.addRow(self.tr("&Lengths (h):"), self.lengths_edit)

        self.break_table = QTableWidget(0, 5)
        self.break_table.setHorizontalHeaderLabels(
            [
                self.tr("Kind"),
                self.tr("Minutes"),
                self.tr("Earliest start"),
                self.tr("Latest start"),
                self.tr("Paid"),
            ]
        )
        self.break_table.verticalHeader().setVisible(False)
        self.break_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.break_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.ResizeToContents)
        self.break_table.verticalHeader().setDefaultSectionSize(30)
        self.break_table.setMinimumHeight(130)
        self.break_table.setToolTip(
            self.tr(
                "Each break starts inside its window, counted in minutes from the shift's start"
            )
        )
        form.addRow(buddy_label(self.tr("&Breaks:"), self.break_table), self.break_table)
        row = QHBoxLayout()
        self.add_break_button = QPushButton(self.tr("Add brea&k"))
        self.remove_break_button = QPushButton(self.tr("Remove break"))
        self.break_step_spin = int_spin(1, 120, 15, self.tr(" min"))
        self.break_step_spin.setToolTip(self.tr("Breaks start on this grid from the shift's start"))
        row.addWidget(self.add_break_button)
        row.addWidget(self.remove_break_button)
        note = QLabel(self.tr("Windows count minutes from the shift's start."))
        note.setStyleSheet("color: #555555;")
        row.addWidget(note)
        row.addStretch(1)
        row.addWidget(buddy_label(self.tr("Break s&tep:"), self.break_step_spin))
        row.addWidget(self.break_step_spin)
        form.addRow("", row)
        self.add_break_button.clicked.connect(self.add_break)
        self.remove_break_button.clicked.connect(self.remove_break)

        self.preview_label = QLabel()
        self.preview_label.setWordWrap(True)
        self.preview_label.setStyleSheet(PREVIEW_STYLE)
        form.addRow(self.tr("Preview:"), self.preview_label)
        self.form_box = box
        return box

    def _build_rules(self) -> QWidget:
        box = QGroupBox(self.tr("Rules"))
        columns = QHBoxLayout(box)
        left_box, left = input_form("")
        right_box, right = input_form("")
        for part in (left_box, right_box):
            part.setFlat(True)
            part.setStyleSheet("QGroupBox { border: none; margin-top: 0; }")
            columns.addWidget(part, 1)
        self.rest_spin = double_spin(0.0, 23.75, 11.0, 0.5, self.tr(" h"), decimals=2)
        self.rest_spin.setToolTip(self.tr("Minimum rest between the end of a shift and the next"))
        left.addRow(self.tr("Minimum &rest:"), self.rest_spin)
        self.consecutive_spin = int_spin(1, 14, 6, self.tr(" days"))
        left.addRow(self.tr("Most days in a ro&w:"), self.consecutive_spin)
        self.days_off_spin = int_spin(0, 7, 2, self.tr(" days"))
        left.addRow(self.tr("Days o&ff per week:"), self.days_off_spin)
        self.day_hours_spin = double_spin(0.25, 24.0, 10.0, 0.5, self.tr(" h"), decimals=2)
        self.day_hours_spin.setToolTip(self.tr("Paid hours"))
        left.addRow(self.tr("Max hours per &day:"), self.day_hours_spin)
        self.week_hours_spin = double_spin(0.25, 168.0, 48.0, 1.0, self.tr(" h"), decimals=2)
        self.week_hours_spin.setToolTip(self.tr("Paid hours per Mon-Sun week"))
        right.addRow(self.tr("Max hours per wee&k:"), self.week_hours_spin)
        self.late_edit = _time_edit()
        self.late_edit.setToolTip(self.tr("A shift ending after this time is a late shift"))
        right.addRow(self.tr("Late shift ends &after:"), self.late_edit)
        self.fair_weekends_check = QCheckBox(self.tr("Share &weekends fairly"))
        right.addRow("", self.fair_weekends_check)
        self.fair_late_check = QCheckBox(self.tr("Share late shifts &fairly"))
        right.addRow("", self.fair_late_check)
        for field_widget in (
            self.rest_spin,
            self.consecutive_spin,
            self.days_off_spin,
            self.day_hours_spin,
            self.week_hours_spin,
            self.late_edit,
        ):
            field_widget.setMaximumWidth(120)
            field_widget.setMinimumWidth(100)
        return box

    def _connect_form(self) -> None:
        self.name_edit.textChanged.connect(self._form_changed)
        for check in self.day_checks:
            check.toggled.connect(self._form_changed)
        self.earliest_edit.timeChanged.connect(self._form_changed)
        self.latest_edit.timeChanged.connect(self._form_changed)
        self.step_spin.valueChanged.connect(self._form_changed)
        self.lengths_edit.textChanged.connect(self._form_changed)
        self.break_step_spin.valueChanged.connect(self._form_changed)
        for spin in (
            self.rest_spin,
            self.consecutive_spin,
            self.days_off_spin,
            self.day_hours_spin,
            self.week_hours_spin,
        ):
            spin.valueChanged.connect(self._validate)
        self.late_edit.timeChanged.connect(self._late_changed)
        self.fair_weekends_check.toggled.connect(self._validate)
        self.fair_late_check.toggled.connect(self._validate)

    # --- the whole setup -----------------------------------------------------------------------
    def set_setup(self, setup: ShiftSetup) -> None:
        """Show ``setup`` (replacing every template and rule)."""
        self._loading = True
        self.drafts = [TemplateDraft.of(t) for t in setup.templates]
        r = setup.rules
        self.rest_spin.setValue(r.min_rest_hours)
        self.consecutive_spin.setValue(r.max_consecutive_days)
        self.days_off_spin.setValue(r.days_off_per_week)
        self.day_hours_spin.setValue(r.max_hours_per_day)
        self.week_hours_spin.setValue(r.max_hours_per_week)
        self.late_edit.setTime(_time(r.late_shift_ends_after))
        self._late_minutes = r.late_shift_ends_after
        self.fair_weekends_check.setChecked(r.fair_weekends)
        self.fair_late_check.setChecked(r.fair_late_shifts)
        self.template_list.clear()
        for _ in self.drafts:
            self.template_list.addItem(QListWidgetItem())
        self._loading = False
        self.template_list.setCurrentRow(0 if self.drafts else -1)
        self._select(self.template_list.currentRow())
        self._validate()

    def rules(self) -> Rules:
        """The rules as the fields hold them (raises :class:`WfmError` when invalid)."""
        return Rules(
            min_rest_hours=self.rest_spin.value(),
            max_consecutive_days=self.consecutive_spin.value(),
            days_off_per_week=self.days_off_spin.value(),
            max_hours_per_day=self.day_hours_spin.value(),
            max_hours_per_week=self.week_hours_spin.value(),
            late_shift_ends_after=self._late_minutes,
            fair_weekends=self.fair_weekends_check.isChecked(),
            fair_late_shifts=self.fair_late_check.isChecked(),
        )

    def setup(self) -> ShiftSetup:
        """The templates and rules as typed (raises :class:`WfmError` with the first
        problem)."""
        if not self.drafts:
            raise WfmError(self.tr("Add at least one shift template."))
        templates = tuple(d.build() for d in self.drafts)
        seen: set[str] = set()
        for t in templates:
            if t.name.casefold() in seen:
                raise WfmError(self.tr("Two templates are called '{name}'.").format(name=t.name))
            seen.add(t.name.casefold())
        return ShiftSetup(templates, self.rules())

    # --- templates -----------------------------------------------------------------------------
    def current(self) -> TemplateDraft | None:
        row = self.template_list.currentRow()
        return self.drafts[row] if 0 <= row < len(self.drafts) else None

    def add_template(self) -> None:
        self._insert(TemplateDraft(name=self._unused_name(self.tr("New shift"))))

    def duplicate_template(self) -> None:
        draft = self.current()
        if draft is None:
            return
        copy = TemplateDraft(
            name=self._unused_name(self.tr("{name} copy").format(name=draft.name.strip())),
            days=set(draft.days),
            start_earliest=draft.start_earliest,
            start_latest=draft.start_latest,
            start_step=draft.start_step,
            lengths_text=draft.lengths_text,
            break_step=draft.break_step,
            breaks=[BreakDraft(**vars(b)) for b in draft.breaks],
        )
        self._insert(copy)

    def remove_template(self) -> None:
        row = self.template_list.currentRow()
        if not 0 <= row < len(self.drafts):
            return
        del self.drafts[row]
        self.template_list.blockSignals(True)
        self.template_list.takeItem(row)
        self.template_list.blockSignals(False)
        self.template_list.setCurrentRow(min(row, len(self.drafts) - 1))
        self._select(self.template_list.currentRow())
        self._validate()

    def _insert(self, draft: TemplateDraft) -> None:
        self.drafts.append(draft)
        self.template_list.addItem(QListWidgetItem())
        self.template_list.setCurrentRow(len(self.drafts) - 1)
        self._validate()
        self.name_edit.setFocus()
        self.name_edit.selectAll()

    def _unused_name(self, base: str) -> str:
        taken = {d.name.strip().casefold() for d in self.drafts}
        name, n = base, 1
        while name.casefold() in taken:
            n += 1
            name = f"{base} {n}"
        return name

    # --- breaks --------------------------------------------------------------------------------
    def add_break(self) -> None:
        draft = self.current()
        if draft is None:
            return
        draft.breaks.append(BreakDraft())
        self._load_breaks(draft)
        self._form_changed()

    def remove_break(self) -> None:
        draft = self.current()
        rows = sorted({i.row() for i in self.break_table.selectedIndexes()}, reverse=True)
        if draft is None:
            return
        if not rows and draft.breaks:
            rows = [len(draft.breaks) - 1]
        for row in rows:
            del draft.breaks[row]
        self._load_breaks(draft)
        self._form_changed()

    def _load_breaks(self, draft: TemplateDraft) -> None:
        table = self.break_table
        table.setRowCount(0)
        table.setRowCount(len(draft.breaks))
        for row, b in enumerate(draft.breaks):
            kind = QComboBox()
            kind.setEditable(True)
            kind.addItems(list(BREAK_KINDS))
            kind.setCurrentText(b.kind)
            table.setCellWidget(row, 0, kind)
            spins = []
            for col, value in ((1, b.minutes), (2, b.earliest), (3, b.latest)):
                spin = int_spin(0 if col > 1 else 1, 24 * 60, value, self.tr(" min"))
                spin.setSingleStep(5)
                table.setCellWidget(row, col, spin)
                spins.append(spin)
            paid = QComboBox()
            for choice in PAID_CHOICES:
                paid.addItem(self._paid_text(choice, b.kind), choice)
            paid.setCurrentIndex(PAID_CHOICES.index(b.paid))
            paid.setToolTip(self.tr("Default: lunches are unpaid, other breaks are paid"))
            table.setCellWidget(row, 4, paid)
            kind.currentTextChanged.connect(self._breaks_changed)
            for spin in spins:
                spin.valueChanged.connect(self._breaks_changed)
            paid.currentIndexChanged.connect(self._breaks_changed)

    def _paid_text(self, choice: bool | None, kind: str) -> str:
        if choice is None:
            default = self.tr("unpaid") if kind.strip().lower() == "lunch" else self.tr("paid")
            return self.tr("Default: {default}").format(default=default)
        return self.tr("Paid") if choice else self.tr("Unpaid")

    def _breaks_changed(self) -> None:
        draft = self.current()
        if draft is None or self._loading:
            return
        table = self.break_table
        for row, b in enumerate(draft.breaks):
            kind = table.cellWidget(row, 0)
            paid = table.cellWidget(row, 4)
            minutes, earliest, latest = (table.cellWidget(row, c) for c in (1, 2, 3))
            assert isinstance(kind, QComboBox) and isinstance(paid, QComboBox)
            assert isinstance(minutes, QSpinBox) and isinstance(earliest, QSpinBox)
            assert isinstance(latest, QSpinBox)
            b.kind = kind.currentText()
            b.minutes, b.earliest, b.latest = minutes.value(), earliest.value(), latest.value()
            b.paid = paid.currentData()
            paid.setItemText(0, self._paid_text(None, b.kind))
        self._validate()

    # --- form <-> draft ------------------------------------------------------------------------
    def _select(self, row: int) -> None:
        draft = self.drafts[row] if 0 <= row < len(self.drafts) else None
        self.form_box.setEnabled(draft is not None)
        self.duplicate_button.setEnabled(draft is not None)
        self.remove_button.setEnabled(draft is not None)
        if draft is None:
            return
        self._loading = True
        self.name_edit.setText(draft.name)
        for i, check in enumerate(self.day_checks):
            check.setChecked(i in draft.days)
        self.earliest_edit.setTime(_time(draft.start_earliest))
        self.latest_edit.setTime(_time(draft.start_latest))
        self.step_spin.setValue(draft.start_step)
        self.lengths_edit.setText(draft.lengths_text)
        self.break_step_spin.setValue(draft.break_step)
        self._load_breaks(draft)
        self._loading = False
        self._validate()

    def _form_changed(self) -> None:
        draft = self.current()
        if draft is None or self._loading:
            return
        draft.name = self.name_edit.text()
        draft.days = {i for i, c in enumerate(self.day_checks) if c.isChecked()}
        draft.start_earliest = _minutes(self.earliest_edit)
        draft.start_latest = _minutes(self.latest_edit)
        draft.start_step = self.step_spin.value()
        draft.lengths_text = self.lengths_edit.text()
        draft.break_step = self.break_step_spin.value()
        self._validate()

    def _late_changed(self) -> None:
        if not self._loading:
            self._late_minutes = _minutes(self.late_edit)
        self._validate()

    def _validate(self) -> None:
        if self._loading:
            return
        problems: list[str] = []
        for row, draft in enumerate(self.drafts):
            item = self.template_list.item(row)
            try:
                template = draft.build()
            except WfmError as exc:
                problems.append(str(exc))
                text = f"{draft.name.strip() or self.tr('(no name)')}\n{exc}"
                item.setForeground(QBrush(BAD_COLOUR))
                item.setText(text)
                item.setToolTip(str(exc))
                if draft is self.current():
                    self.preview_label.setText("–")
                continue
            line = preview(template)
            item.setText(f"{template.name}\n{line}")
            item.setForeground(QBrush(self.palette().text().color()))
            item.setToolTip(line)
            if draft is self.current():
                self.preview_label.setText(line)
        try:
            setup = self.setup()
        except WfmError as exc:
            setup = None
            if not problems or str(exc) not in problems:
                problems.insert(0, str(exc))
        current = self.current()
        if current is not None and problems:
            # the selected template's own problem first: it is the one being typed
            try:
                current.build()
            except WfmError as exc:
                problems.remove(str(exc))
                problems.insert(0, str(exc))
        self.error = problems[0] if problems else None
        more = (
            self.tr(" (and {n} more problems)").format(n=len(problems) - 1)
            if len(problems) > 1
            else ""
        )
        self.error_label.setText((self.error or "") + more)
        self.ok_button.setEnabled(setup is not None)
        self.export_button.setEnabled(setup is not None)

    # --- files and result ----------------------------------------------------------------------
    def import_toml(self, path: str | Path | None = None) -> bool:
        """Replace everything by a ``shift_templates.toml`` (asking for the file without
        ``path``)."""
        if path is None:
            name, _ = QFileDialog.getOpenFileName(
                self,
                self.tr("Import shift templates"),
                self.folder,
                self.tr("Shift templates (*.toml);;All files (*)"),
            )
            if not name:
                return False
            path = name
        try:
            setup = read_shift_setup(path)
        except WfmError as exc:
            self.last_error_box = show_error(
                self, exc, "", self.tr("Could not read the shift templates")
            )
            return False
        self.folder = str(Path(path).parent)
        self.set_setup(setup)
        return True

    def export_toml(self, path: str | Path | None = None) -> Path | None:
        """Write the templates and rules as TOML (asking where without ``path``)."""
        try:
            setup = self.setup()
        except WfmError as exc:
            self.last_error_box = show_error(self, exc, "", self.tr("Fix the templates first"))
            return None
        if path is None:
            suggestion = str(Path(self.folder or Path.home()) / "shift_templates.toml")
            name, _ = QFileDialog.getSaveFileName(
                self,
                self.tr("Export shift templates"),
                suggestion,
                self.tr("Shift templates (*.toml)"),
            )
            if not name:
                return None
            path = name
        try:
            write_shift_setup(setup, path)
        except WfmError as exc:
            self.last_error_box = show_error(
                self, exc, "", self.tr("Could not save the shift templates")
            )
            return None
        self.folder = str(Path(path).parent)
        return Path(path)

    def accept(self) -> None:
        try:
            self.result_setup = self.setup()
        except WfmError:
            return
        super().accept()


def edit_shift_setup(parent: QWidget | None, setup: ShiftSetup) -> ShiftSetup | None:
    """Open the modal shift-template editor; the edited setup on OK, None on Cancel."""
    dialog = ShiftSetupDialog(setup, parent)
    try:
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.result_setup
        return None
    finally:
        dialog.deleteLater()
