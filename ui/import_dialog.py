"""The import dialog: look at a call log before importing it, correct what was misread.

It shows what :func:`wfm.io.importer.inspect_file` found (encoding, delimiter, shape, which
column is which, notes) over a preview of the first rows; every choice the user changes is an
override on an :class:`~wfm.io.profile.ImportProfile`, and the file is inspected again with it.
"Import" runs :func:`wfm.io.importer.import_log` through :mod:`ui.tasks`, with a progress bar
and Cancel. When the window already has a history (``base``), the dialog offers to add the file
to it (:func:`wfm.io.merge.merge_history`: the file's days replace the same days; the default)
or to replace it; the merge runs in the same background task. A :class:`~wfm.errors.WfmError` is shown in the dialog in red; nothing the user
set is lost, so they can fix the choice and try again.
"""

from __future__ import annotations

import dataclasses
import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QCloseEvent, QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui import formatting as fmt
from ui.errors import message_for, show_error
from ui.models import DataFrameModel
from ui.tasks import TaskRunner
from wfm.errors import WfmError
from wfm.io.importer import import_log, inspect_file
from wfm.io.merge import merge_history
from wfm.io.profile import (
    CALL_ROLES,
    INTERVAL_ROLES,
    PERSONAL_ROLES,
    ImportProfile,
    bundled_profiles,
)
from wfm.io.reader import DELIMITERS, ENCODINGS

INTERVAL_CHOICES = (15, 30, 60)
PREVIEW_ROWS = 50
_NONE = ""  # the "(none)" entry of a role's column combo

_ERROR_STYLE = (
    "QLabel { color: #b71c1c; background: #fdecea; border: 1px solid #f5c6c2;"
    " border-radius: 3px; padding: 6px; }"
)


class ImportDialog(QDialog):
    """Inspect a file, adjust how it is read, and import it.

    After ``accepted``, :attr:`result` holds the :class:`~wfm.io.importer.ImportResult`;
    when the file was added to ``base``, :attr:`merged` holds the merged history and
    :attr:`merge_summary` the :class:`~wfm.io.merge.MergeSummary` (both None on "Replace").
    """

    #: Emitted each time a new preview is shown (after every inspection).
    previewChanged = Signal()  # noqa: N815 - Qt naming

    def __init__(
        self,
        path: str | Path | None = None,
        parent: QWidget | None = None,
        profile: ImportProfile | None = None,
        base: Any = None,
    ) -> None:
        super().__init__(parent)
        #: The plan's history the file may be added to (None: the file becomes the history).
        self.base: Any = base if base is not None and len(base) else None
        self.merged: Any = None
        self.merge_summary: Any = None
        self.setWindowTitle(self.tr("Import call log"))
        self.setSizeGripEnabled(True)
        self.path: Path | None = Path(path) if path else None
        self.preview: Any = None  # FilePreview of the last successful inspection
        self._result: Any = None
        self._base_profile: ImportProfile | None = profile
        self._overrides: dict[str, Any] = {}
        self._loaded_profiles: dict[str, ImportProfile] = {}
        self.role_combos: dict[str, QComboBox] = {}
        self._populating = False
        self._inspector = TaskRunner(self)
        self._importer = TaskRunner(self)
        self._build()
        if self.base is not None and self.base.interval_minutes in INTERVAL_CHOICES:
            # Added to the history, the file must be counted in the history's intervals.
            self.interval_combo.setCurrentIndex(INTERVAL_CHOICES.index(self.base.interval_minutes))
        screen = self.screen().availableGeometry()
        self.resize(min(1160, int(screen.width() * 0.92)), min(820, int(screen.height() * 0.92)))
        if self.path is not None:
            self.path_edit.setText(str(self.path))
            self.reinspect()

    # --- public state --------------------------------------------------------------------------
    @property
    def result(self) -> Any:  # type: ignore[override]
        """The ImportResult once the import succeeded (replaces ``QDialog.result()``, which
        this dialog does not use: accepted/rejected say how it closed)."""
        return self._result

    @property
    def is_importing(self) -> bool:
        return self._importer.is_busy

    @property
    def is_inspecting(self) -> bool:
        return self._inspector.is_busy

    @property
    def error_text(self) -> str:
        return self.error_label.text() if not self.error_label.isHidden() else ""

    def effective_profile(self) -> ImportProfile:
        """The chosen profile with the user's overrides (what ``inspect_file`` is given)."""
        profile = self._base_profile or ImportProfile()
        overrides = dict(self._overrides)
        columns = overrides.pop("columns", None)
        if overrides:
            profile = dataclasses.replace(profile, **overrides)
        if columns is not None:
            # An empty name ("(none)") tells wfm the file has no such column.
            profile = profile.with_columns(columns)
        return profile

    def import_profile(self) -> ImportProfile | None:
        """What ``import_log`` is given: everything detected, with the user's choices
        (roles set to "(none)" stay empty in the inspected profile)."""
        return self.preview.profile if self.preview is not None else None

    # --- layout --------------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)

        file_row = QHBoxLayout()
        file_label = QLabel(self.tr("&File:"))
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText(
            self.tr("A per-call log or an interval report (CSV, TXT, XLSX)")
        )
        file_label.setBuddy(self.path_edit)
        self.browse_button = QPushButton(self.tr("Browse…"))
        file_row.addWidget(file_label)
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(self.browse_button)
        layout.addLayout(file_row)

        profile_row = QHBoxLayout()
        profile_label = QLabel(self.tr("&Profile:"))
        self.profile_combo = QComboBox()
        self.profile_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        profile_label.setBuddy(self.profile_combo)
        self.save_profile_button = QPushButton(self.tr("Save as profile…"))
        self.save_profile_button.setToolTip(
            self.tr("Save how this file is read (columns, formats) to reuse for the next export")
        )
        profile_row.addWidget(profile_label)
        profile_row.addWidget(self.profile_combo)
        profile_row.addWidget(self.save_profile_button)
        profile_row.addStretch(1)
        layout.addLayout(profile_row)
        self._fill_profile_combo()

        found = QGroupBox(self.tr("How the file is read"))
        grid = QGridLayout(found)
        self.encoding_combo = QComboBox()
        for enc in ENCODINGS:
            self.encoding_combo.addItem(enc, enc)
        self.delimiter_combo = QComboBox()
        delimiter_names = {
            ",": self.tr("Comma  ,"),
            ";": self.tr("Semicolon  ;"),
            "\t": self.tr("Tab"),
            "|": self.tr("Pipe  |"),
        }
        for d in DELIMITERS:
            self.delimiter_combo.addItem(delimiter_names.get(d, d), d)
        self.shape_combo = QComboBox()
        self.shape_combo.addItem(self.tr("Per-call records (one row per call)"), "calls")
        self.shape_combo.addItem(
            self.tr("Interval report (one row per queue and interval)"), "intervals"
        )
        self.dates_combo = QComboBox()
        self.dates_combo.addItem(self.tr("Detect"), "detect")
        self.dates_combo.addItem(self.tr("Day first (31/01)"), "day")
        self.dates_combo.addItem(self.tr("Month first (01/31)"), "month")
        self.dates_combo.setToolTip(
            self.tr(
                "How dates like 02/03/2026 are read: 2 March (day first) or February 3 (month first)"
            )
        )
        self.interval_combo = QComboBox()
        for minutes in INTERVAL_CHOICES:
            self.interval_combo.addItem(self.tr("%1 minutes").replace("%1", str(minutes)), minutes)
        self.interval_combo.setCurrentIndex(INTERVAL_CHOICES.index(30))
        self.interval_combo.setToolTip(self.tr("Length of the intervals the calls are counted in"))
        self.sheet_label = QLabel()
        for col, (text, widget) in enumerate(
            (
                (self.tr("&Encoding:"), self.encoding_combo),
                (self.tr("&Delimiter:"), self.delimiter_combo),
                (self.tr("&Shape:"), self.shape_combo),
                (self.tr("Da&tes:"), self.dates_combo),
                (self.tr("&Intervals:"), self.interval_combo),
            )
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            grid.addWidget(label, 0, 2 * col)
            grid.addWidget(widget, 0, 2 * col + 1)
        grid.setColumnStretch(8, 1)
        grid.addWidget(self.sheet_label, 1, 0, 1, 8)
        self.notes_label = QLabel()
        self.notes_label.setWordWrap(True)
        self.notes_label.setTextFormat(Qt.TextFormat.RichText)
        self.notes_label.setStyleSheet("color: #37474f;")
        grid.addWidget(self.notes_label, 2, 0, 1, 8)
        layout.addWidget(found)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        preview_box = QGroupBox(self.tr("First rows of the file"))
        preview_layout = QVBoxLayout(preview_box)
        self.preview_model = DataFrameModel(parent=self)
        self.preview_view = QTableView()
        self.preview_view.setModel(self.preview_model)
        self.preview_view.setAlternatingRowColors(True)
        self.preview_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.preview_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview_view.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft)
        self.preview_view.verticalHeader().setDefaultSectionSize(22)
        preview_layout.addWidget(self.preview_view)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(preview_box, 1)
        self.outcome_box = QGroupBox(self.tr("What the outcome values mean"))
        outcome_layout = QVBoxLayout(self.outcome_box)
        self.outcome_table = QTableWidget(0, 3)
        self.outcome_table.setHorizontalHeaderLabels(
            [self.tr("Value in the file"), self.tr("Rows shown"), self.tr("Means")]
        )
        self.outcome_table.verticalHeader().setVisible(False)
        self.outcome_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.outcome_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        outcome_header = self.outcome_table.horizontalHeader()
        outcome_header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        outcome_header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        outcome_header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.outcome_table.setMaximumHeight(150)
        outcome_layout.addWidget(self.outcome_table)
        self.outcome_box.hide()
        self.outcome_combos: dict[str, QComboBox] = {}
        left_layout.addWidget(self.outcome_box)
        splitter.addWidget(left)

        mapping_box = QGroupBox(self.tr("Which column is which"))
        mapping_layout = QVBoxLayout(mapping_box)
        self.mapping_table = QTableWidget(0, 2)
        self.mapping_table.setHorizontalHeaderLabels(
            [self.tr("Meaning"), self.tr("Column in the file")]
        )
        self.mapping_table.verticalHeader().setVisible(False)
        self.mapping_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.mapping_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.mapping_table.setWordWrap(True)
        header = self.mapping_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, 210)
        mapping_layout.addWidget(self.mapping_table)
        splitter.addWidget(mapping_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([540, 580])
        layout.addWidget(splitter, 1)

        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(_ERROR_STYLE)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()
        layout.addWidget(self.error_label)

        dates_row = QHBoxLayout()
        self.range_check = QCheckBox(self.tr("Only &calls from"))
        self.range_check.setToolTip(
            self.tr(
                "Keep only calls on these dates (inclusive); the others are counted in the report"
            )
        )
        self.range_start = QDateEdit()
        self.range_end = QDateEdit()
        for edit in (self.range_start, self.range_end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
        self.range_check.toggled.connect(self.range_start.setEnabled)
        self.range_check.toggled.connect(self.range_end.setEnabled)
        dates_row.addWidget(self.range_check)
        dates_row.addWidget(self.range_start)
        dates_row.addWidget(QLabel(self.tr("to")))
        dates_row.addWidget(self.range_end)
        dates_row.addStretch(1)
        layout.addLayout(dates_row)

        # Only offered when there is a history to add to.
        self.mode_box = QGroupBox(self.tr("The plan's history"))
        mode_layout = QHBoxLayout(self.mode_box)
        self.add_radio = QRadioButton(
            self.tr("&Add to the plan's history (the file's days replace the same days)")
        )
        self.replace_radio = QRadioButton(self.tr("&Replace the history with this file"))
        self.add_radio.setChecked(True)
        self._add = True  # mirrors the radio buttons (read after the dialog is gone)
        self.add_radio.toggled.connect(lambda on: setattr(self, "_add", bool(on)))
        if self.base is not None:
            self.add_radio.setToolTip(
                self.tr(
                    "The history holds %1 to %2; the file's days are added, or replace "
                    "the same days of it"
                )
                .replace("%1", fmt.day(self.base.start.date()))
                .replace("%2", fmt.day(self.base.end.date()))
            )
        self.replace_radio.setToolTip(self.tr("The history becomes this file only"))
        mode_layout.addWidget(self.add_radio)
        mode_layout.addWidget(self.replace_radio)
        mode_layout.addStretch(1)
        self.mode_box.setVisible(self.base is not None)
        layout.addWidget(self.mode_box)

        bottom = QHBoxLayout()
        self.status_label = QLabel()
        self.status_label.setStyleSheet("color: #555555;")
        self.status_label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 1000)
        self.progress_bar.setTextVisible(True)
        self.progress_bar.setMinimumWidth(260)
        self.progress_bar.hide()
        self.import_button = QPushButton(self.tr("&Import"))
        self.import_button.setDefault(True)
        self.import_button.setEnabled(False)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        bottom.addWidget(self.status_label, 1)
        bottom.addWidget(self.progress_bar)
        bottom.addWidget(self.import_button)
        bottom.addWidget(self.cancel_button)
        layout.addLayout(bottom)

        self.browse_button.clicked.connect(self._browse)
        self.path_edit.editingFinished.connect(self._path_edited)
        self.profile_combo.currentIndexChanged.connect(self._profile_chosen)
        self.save_profile_button.clicked.connect(self._save_profile_clicked)
        self.encoding_combo.currentIndexChanged.connect(
            lambda: self._override("encoding", self.encoding_combo.currentData())
        )
        self.delimiter_combo.currentIndexChanged.connect(
            lambda: self._override("delimiter", self.delimiter_combo.currentData())
        )
        self.shape_combo.currentIndexChanged.connect(
            lambda: self._override("shape", self.shape_combo.currentData())
        )
        self.dates_combo.currentIndexChanged.connect(self._dates_chosen)
        self.import_button.clicked.connect(self.start_import)
        self.cancel_button.clicked.connect(self._cancel_clicked)
        self._update_buttons()

    def _fill_profile_combo(self, select: str | None = None) -> None:
        self._populating = True
        try:
            self.profile_combo.clear()
            self.profile_combo.addItem(self.tr("Detect automatically"), ("auto", None))
            for name, path in bundled_profiles().items():
                self.profile_combo.addItem(name, ("bundled", str(path)))
            for name in self._loaded_profiles:
                self.profile_combo.addItem(name, ("loaded", name))
            self.profile_combo.addItem(self.tr("Load profile…"), ("load", None))
            if select is not None:
                i = self.profile_combo.findText(select)
                self.profile_combo.setCurrentIndex(max(i, 0))
        finally:
            self._populating = False

    # --- inspecting ----------------------------------------------------------------------------
    def set_path(self, path: str | Path) -> None:
        """Look at another file (user choices that depend on the file are reset)."""
        self.path = Path(path)
        self.path_edit.setText(str(self.path))
        self._overrides.clear()
        self.reinspect()

    def _path_edited(self) -> None:
        text = self.path_edit.text().strip()
        if text and (self.path is None or Path(text) != self.path):
            self.set_path(text)

    def _browse(self) -> None:
        start = str(self.path.parent) if self.path else ""
        name, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose a call log or interval report"),
            start,
            self.tr("Call data (*.csv *.txt *.tsv *.gz *.xlsx *.xlsm);;All files (*)"),
        )
        if name:
            self.set_path(name)

    def reinspect(self) -> None:
        """Run ``inspect_file`` again with the current profile and overrides."""
        if self.path is None:
            return
        path, profile = self.path, self.effective_profile()
        self._hide_error()
        self.status_label.setText(self.tr("Reading the first rows…"))
        self._inspector.run(
            lambda progress: inspect_file(path, profile, rows=PREVIEW_ROWS),
            name="inspect",
            on_finished=self._inspected,
            on_failed=self._inspect_failed,
        )
        self._update_buttons()

    def _inspected(self, preview: Any) -> None:
        self.preview = preview
        if preview.problems:
            # Shown in red above the mapping table, where the planner can fix it.
            self.error_label.setText("\n".join(preview.problems))
            self.error_label.show()
            self.status_label.setText(self.tr("Choose the missing column below to import."))
        else:
            self.status_label.setText(
                self.tr("Ready to import %1.").replace("%1", Path(preview.path).name)
            )
        self._show_preview(preview)
        self._update_buttons()
        self.previewChanged.emit()

    def _inspect_failed(self, exc: BaseException, tb: str) -> None:
        self.preview = None
        self.preview_model.set_frame(None)
        self.mapping_table.setRowCount(0)
        self.role_combos = {}
        self.notes_label.clear()
        self.status_label.setText(self.tr("The file could not be read."))
        self._show_error(exc, tb)
        self._update_buttons()
        self.previewChanged.emit()

    def _show_preview(self, preview: Any) -> None:
        self._populating = True
        if preview.first_time is not None and not self.range_check.isChecked():
            first = QDate(preview.first_time.year, preview.first_time.month, preview.first_time.day)
            self.range_start.setDate(first)
            self.range_end.setDate(first.addMonths(1).addDays(-1))
        try:
            if preview.encoding:
                _select_data(self.encoding_combo, preview.encoding)
            if preview.delimiter is None:
                self.delimiter_combo.setEnabled(False)
            else:
                self.delimiter_combo.setEnabled(True)
                _select_data(self.delimiter_combo, preview.delimiter, label=repr(preview.delimiter))
            self.encoding_combo.setEnabled(preview.delimiter is not None)
            _select_data(self.shape_combo, preview.shape)
            dayfirst = preview.profile.dayfirst
            _select_data(
                self.dates_combo, "detect" if dayfirst is None else ("day" if dayfirst else "month")
            )
        finally:
            self._populating = False
        if preview.sheet:
            self.sheet_label.setText(self.tr("Worksheet: %1").replace("%1", preview.sheet))
            self.sheet_label.show()
        else:
            self.sheet_label.hide()
        notes = [fmt.escape_html(n) for n in preview.notes]
        self.notes_label.setText(
            "<ul style='margin:0; -qt-list-indent:1'>"
            + "".join(f"<li>{n}</li>" for n in notes)
            + "</ul>"
            if notes
            else ""
        )
        role_of = {col: role for role, col in preview.mapping.items()}
        header_notes = {}
        all_roles = {**CALL_ROLES, **INTERVAL_ROLES, **PERSONAL_ROLES}
        for col in preview.columns:
            if col in preview.personal_columns:
                header_notes[col] = self.tr("Personal data: dropped, never kept")
            elif col in role_of:
                header_notes[col] = all_roles.get(role_of[col], role_of[col])
        self.preview_model.set_frame(
            preview.preview,
            preview.personal_columns,
            header_notes,
            row_numbers=preview.row_numbers,
        )
        self.preview_view.resizeColumnsToContents()
        for c in range(self.preview_model.columnCount()):
            if self.preview_view.columnWidth(c) > 220:
                self.preview_view.setColumnWidth(c, 220)
        self._fill_mapping(preview)
        self._fill_outcomes(preview)

    def _fill_outcomes(self, preview: Any) -> None:
        """One row per outcome value seen, with what it will be read as (changeable)."""
        table = self.outcome_table
        table.setRowCount(0)
        self.outcome_combos = {}
        self.outcome_box.setVisible(bool(preview.outcomes))
        meanings = (
            ("answered", self.tr("Answered")),
            ("abandoned", self.tr("Abandoned")),
            ("drop", self.tr("Not a call (dropped)")),
        )
        amber = QColor("#b26a00")
        table.setRowCount(len(preview.outcomes))
        for row, (value, meaning, count) in enumerate(preview.outcomes):
            name = QTableWidgetItem(value)
            table.setItem(row, 0, name)
            shown = QTableWidgetItem(fmt.count(count))
            shown.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(row, 1, shown)
            combo = QComboBox()
            for data, label in meanings:
                combo.addItem(label, data)
            _select_data(combo, "answered" if meaning == "unknown" else meaning)
            if meaning == "unknown":
                tip = self.tr(
                    "Not a value the planner knows: counted as answered unless you choose"
                )
                name.setForeground(amber)
                name.setToolTip(tip)
                combo.setToolTip(tip)
            combo.currentIndexChanged.connect(self._outcomes_changed)
            table.setCellWidget(row, 2, combo)
            self.outcome_combos[value] = combo
        table.resizeRowsToContents()

    def set_outcome_meaning(self, value: str, meaning: str) -> None:
        """Read ``value`` as "answered", "abandoned" or "drop", as choosing it does."""
        _select_data(self.outcome_combos[value], meaning)

    def _outcomes_changed(self) -> None:
        if self._populating:
            return
        base = self.effective_profile()
        lists = {
            "answered": list(base.answered_values),
            "abandoned": list(base.abandoned_values),
            "drop": list(base.drop_values),
        }
        for value, combo in self.outcome_combos.items():
            for values in lists.values():
                if value in values:
                    values.remove(value)
            lists[combo.currentData()].append(value)
        self._overrides["answered_values"] = tuple(lists["answered"])
        self._overrides["abandoned_values"] = tuple(lists["abandoned"])
        self._overrides["drop_values"] = tuple(lists["drop"])
        self.reinspect()  # the columns stay as they are

    def _fill_mapping(self, preview: Any) -> None:
        roles = CALL_ROLES if preview.shape == "calls" else INTERVAL_ROLES
        table = self.mapping_table
        table.setRowCount(0)
        table.setRowCount(len(roles) + len(PERSONAL_ROLES))
        self.role_combos = {}
        for row, (role, label) in enumerate(roles.items()):
            item = QTableWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, role)
            item.setToolTip(label)
            table.setItem(row, 0, item)
            combo = QComboBox()
            combo.addItem(self.tr("(none)"), _NONE)
            for col in preview.columns:
                if col not in preview.personal_columns:
                    combo.addItem(col, col)
            _select_data(combo, preview.mapping.get(role, _NONE))
            combo.currentIndexChanged.connect(self._mapping_changed)
            table.setCellWidget(row, 1, combo)
            self.role_combos[role] = combo
        grey = QColor("#9e9e9e")
        for i, (role, label) in enumerate(PERSONAL_ROLES.items()):
            row = len(roles) + i
            column = preview.mapping.get(role)
            name = QTableWidgetItem(label)
            name.setData(Qt.ItemDataRole.UserRole, role)
            value = QTableWidgetItem(
                self.tr("%1 — dropped, never kept").replace("%1", column)
                if column
                else self.tr("(not in this file)")
            )
            for item in (name, value):
                item.setForeground(grey)
                item.setFlags(Qt.ItemFlag.NoItemFlags)
                item.setToolTip(self.tr("Personal data is read only to be thrown away."))
            table.setItem(row, 0, name)
            table.setItem(row, 1, value)
        table.resizeRowsToContents()
        for row in range(table.rowCount()):
            table.setRowHeight(row, max(table.rowHeight(row), 28))

    def current_mapping(self) -> dict[str, str]:
        """The role -> column mapping as the table shows it.

        Every role of the shape is listed, ``""`` for "(none)"; personal roles keep the
        column detected for them, so it stays recognised (and dropped).
        """
        mapping = {role: combo.currentData() or _NONE for role, combo in self.role_combos.items()}
        if self.preview is not None:
            for role in PERSONAL_ROLES:
                if role in self.preview.mapping:
                    mapping[role] = self.preview.mapping[role]
        return mapping

    def set_role_column(self, role: str, column: str | None) -> None:
        """Map ``role`` to ``column`` (None for none), as picking it in the table does."""
        _select_data(self.role_combos[role], column or _NONE)

    def _mapping_changed(self) -> None:
        if self._populating:
            return
        self._overrides["columns"] = self.current_mapping()
        self.reinspect()

    def _dates_chosen(self) -> None:
        if self._populating:
            return
        choice = self.dates_combo.currentData()
        self._overrides["dayfirst"] = {"detect": None, "day": True, "month": False}[choice]
        self.reinspect()  # the columns stay as they are: only the reading of dates changes

    def _override(self, field: str, value: Any) -> None:
        if self._populating or value is None:
            return
        self._overrides[field] = value
        # Column names depend on encoding, delimiter and shape: let them be detected again.
        self._overrides.pop("columns", None)
        self.reinspect()

    # --- profiles -------------------------------------------------------------------------------
    def _profile_chosen(self, index: int) -> None:
        if self._populating or index < 0:
            return
        kind, ref = self.profile_combo.itemData(index)
        if kind == "load":
            name, _ = QFileDialog.getOpenFileName(
                self, self.tr("Load import profile"), "", self.tr("Import profiles (*.toml *.json)")
            )
            if name:
                self.load_profile(name)
            else:
                self._fill_profile_combo(select=self._base_profile_label())
            return
        try:
            if kind == "auto":
                profile = None
            elif kind == "bundled":
                profile = ImportProfile.load(ref)
            else:
                profile = self._loaded_profiles[ref]
        except WfmError as exc:
            self._show_error(exc, "")
            return
        self._use_profile(profile)

    def _base_profile_label(self) -> str | None:
        if self._base_profile is None:
            return None
        return self._base_profile.name or None

    def load_profile(self, path: str | Path) -> ImportProfile | None:
        """Read a profile file, add it to the picker and inspect the file with it."""
        try:
            profile = ImportProfile.load(path)
        except WfmError as exc:
            self._show_error(exc, "")
            self._fill_profile_combo(select=self._base_profile_label())
            return None
        label = profile.name or Path(path).stem
        self._loaded_profiles[label] = profile
        self._fill_profile_combo(select=label)
        self._use_profile(profile)
        return profile

    def _use_profile(self, profile: ImportProfile | None) -> None:
        self._base_profile = profile
        self._overrides.clear()
        self.reinspect()

    def _save_profile_clicked(self) -> None:
        if self.preview is None:
            return
        start = (self.path.stem + ".toml") if self.path else "profile.toml"
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save import profile"), start, self.tr("Import profiles (*.toml)")
        )
        if name:
            self.save_profile(name)

    def save_profile(self, path: str | Path) -> Path | None:
        """Write how this file is being read as a TOML profile."""
        profile = self.import_profile()
        if profile is None:
            return None
        path = Path(path)
        if not profile.name:
            profile = dataclasses.replace(profile, name=path.stem)
        try:
            saved = profile.save(path)
        except WfmError as exc:
            self._show_error(exc, "")
            return None
        self.status_label.setText(self.tr("Profile saved to %1.").replace("%1", str(saved)))
        return saved

    # --- importing --------------------------------------------------------------------------------
    def date_range(self) -> tuple[datetime.date | None, datetime.date | None]:
        """The dates to keep, or (None, None) for the whole file."""
        if not self.range_check.isChecked():
            return None, None
        return self.range_start.date().toPython(), self.range_end.date().toPython()

    @property
    def adds_to_history(self) -> bool:
        """True when the file will be added to the plan's history (not replace it)."""
        return self.base is not None and self._add

    def set_adds_to_history(self, add: bool) -> None:
        """Choose "Add to the plan's history" (True) or "Replace the history" (False)."""
        (self.add_radio if add else self.replace_radio).setChecked(True)

    def start_import(self) -> None:
        """Import the file with what is shown, in the background."""
        profile = self.import_profile()
        if profile is None or self.path is None or self.is_importing or self.is_inspecting:
            return
        if self.preview is not None and self.preview.problems:
            return  # the red message says what to choose first
        path = self.path
        minutes = int(self.interval_combo.currentData())
        start, end = self.date_range()
        self._hide_error()
        self.progress_bar.setValue(0)
        self.progress_bar.setFormat(self.tr("Starting…"))
        self.progress_bar.show()
        self.status_label.setText(self.tr("Importing %1…").replace("%1", path.name))
        base = self.base if self.adds_to_history else None

        def work(progress: Any) -> tuple[Any, Any]:
            result = import_log(
                path, profile, interval_minutes=minutes, start=start, end=end, progress=progress
            )
            return result, merge_history(base, result.history) if base is not None else None

        self._importer.run(
            work,
            name="import",
            on_progress=self._import_progress,
            on_finished=self._import_finished,
            on_failed=self._import_failed,
            on_cancelled=self._import_cancelled,
        )
        self._update_buttons()

    def _import_progress(self, fraction: float, message: str) -> None:
        self.progress_bar.setValue(int(round(fraction * 1000)))
        percent = f"{fraction:.0%}"
        self.progress_bar.setFormat(f"{message} — {percent}" if message else percent)

    def _import_finished(self, outcome: Any) -> None:
        result, merge = outcome
        self._result = result
        self.merged, self.merge_summary = merge if merge is not None else (None, None)
        self.progress_bar.setValue(1000)
        self._update_buttons()
        self.accept()

    def _import_failed(self, exc: BaseException, tb: str) -> None:
        self.progress_bar.hide()
        self.status_label.setText(self.tr("The import failed; nothing was changed."))
        self._show_error(exc, tb)
        self._update_buttons()

    def _import_cancelled(self) -> None:
        self.progress_bar.hide()
        self.status_label.setText(self.tr("Import cancelled; nothing was changed."))
        self._update_buttons()

    def cancel_import(self) -> None:
        self._importer.cancel()
        self.status_label.setText(self.tr("Cancelling…"))

    def _cancel_clicked(self) -> None:
        if self.is_importing:
            self.cancel_import()
        else:
            self.reject()

    # --- closing ------------------------------------------------------------------------------------
    def reject(self) -> None:
        # Esc during an import cancels the import; a second Esc closes the dialog.
        if self.is_importing:
            self.cancel_import()
            return
        self._inspector.cancel()
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self._importer.cancel()
        self._inspector.cancel()
        super().closeEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        # Enter in the path field re-reads the file instead of starting the import.
        if self.path_edit.hasFocus() and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._path_edited()
            return
        super().keyPressEvent(event)

    # --- helpers --------------------------------------------------------------------------------------
    def _show_error(self, exc: BaseException, tb: str) -> None:
        self.error_label.setText(message_for(exc))
        self.error_label.show()
        if not isinstance(exc, WfmError):
            # A bug, not bad input: also offer the traceback for a bug report.
            show_error(self, exc, tb)

    def _hide_error(self) -> None:
        self.error_label.clear()
        self.error_label.hide()

    def _update_buttons(self) -> None:
        importing = self.is_importing
        ready = (
            self.preview is not None
            and not self.preview.problems
            and not self.is_inspecting
            and not importing
        )
        self.import_button.setEnabled(ready)
        self.save_profile_button.setEnabled(self.preview is not None and not importing)
        for widget in (
            self.path_edit,
            self.browse_button,
            self.profile_combo,
            self.encoding_combo,
            self.delimiter_combo,
            self.shape_combo,
            self.dates_combo,
            self.interval_combo,
            self.range_check,
            self.mode_box,
            self.mapping_table,
            self.outcome_table,
        ):
            widget.setEnabled(not importing)
        if not importing and self.preview is not None:
            self.delimiter_combo.setEnabled(self.preview.delimiter is not None)
            self.encoding_combo.setEnabled(self.preview.delimiter is not None)
        self.cancel_button.setText(self.tr("Cancel import") if importing else self.tr("Cancel"))


def _select_data(combo: QComboBox, data: Any, label: str | None = None) -> None:
    """Select the item holding ``data``, adding it when the list lacks it."""
    i = combo.findData(data)
    if i < 0:
        combo.addItem(label or str(data), data)
        i = combo.count() - 1
    combo.setCurrentIndex(i)
