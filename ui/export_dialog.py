"""File ▸ Export roster…: write the roster as an Excel workbook for the team leads.

The dialog gathers :class:`wfm.export.workbook.ExportOptions` (teams, period, day sheets,
the centre's name) and a file name, then runs :func:`wfm.export.workbook.export_roster` off
the GUI thread through :mod:`ui.tasks`, with a progress bar; while it runs, Export is off
and Close becomes Cancel (cancelling leaves no file behind: the engine writes atomically).

A :class:`~wfm.errors.WfmError` (the file is open in Excel, a period outside the roster, …)
is shown in red in the dialog and the form stays as it was, so the planner can fix it and
export again; anything else is a bug and goes to :func:`ui.errors.show_error` with its
traceback. On success the dialog says what it wrote and offers to open the file or its
folder; :attr:`ExportDialog.exported` carries the :class:`~wfm.export.workbook.ExportSummary`.

QSettings holds only UI preferences here: the last folder (``export/folder``) and the
centre's name (``export/centre``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QSettings, Qt, QUrl, Signal
from PySide6.QtGui import QCloseEvent, QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui import formatting as fmt
from ui.errors import show_error
from ui.tasks import TaskRunner
from wfm.errors import WfmError
from wfm.export.workbook import ExportOptions, ExportSummary, export_roster
from wfm.roster.roster import Roster
from wfm.scheduling.need import StaffingNeed

FOLDER_KEY = "export/folder"
CENTRE_KEY = "export/centre"
#: The bundled sample centre's name (sample_data/README.md).
SAMPLE_CENTRE = "Northwind Energy"

ERROR_STYLE = (
    "QLabel { color: #b71c1c; background: #fdecea; border: 1px solid #f5c6c2;"
    " border-radius: 3px; padding: 6px; }"
)
DONE_STYLE = "QFrame#done { background: #eef5ec; border: 1px solid #b9d7b1; border-radius: 3px; }"
WHAT_STYLE = (
    "QLabel { color: #333333; background: #f4f6f8; border: 1px solid #dde3e8;"
    " border-radius: 3px; padding: 6px; }"
)
HINT_STYLE = "color: #555555;"
_TEAM_ROLE = Qt.ItemDataRole.UserRole


def is_sample_roster(roster: Roster) -> bool:
    """True when the roster's agents are the bundled sample centre's (by name)."""
    from ui.roster_page import sample_folder
    from wfm.scheduling.loaders import read_agents_csv

    try:
        sample = read_agents_csv(sample_folder() / "agents.csv")
    except (WfmError, OSError):
        return False
    return {a.name for a in sample} == {a.name for a in roster.agents}


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


class ExportDialog(QDialog):
    """Choose teams, period and extras, then write the roster workbook.

    Parameters
    ----------
    roster
        The roster to export (a copy is written, so the grid stays editable meanwhile).
    need
        The requirement it covers, for the coverage sheet and service levels (None: left out).
    parent
        The window (the dialog is window-modal to it).
    """

    #: Emitted with the :class:`~wfm.export.workbook.ExportSummary` after a file was written.
    exported = Signal(object)
    #: Emitted when an export failed (the exception) or was cancelled (None).
    exportFailed = Signal(object)  # noqa: N815 - Qt naming

    def __init__(
        self, roster: Roster, need: StaffingNeed | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.roster = roster
        self.need = need
        self.summary: ExportSummary | None = None
        self.last_error: BaseException | None = None
        #: The file and options of the export running now.
        self._pending: tuple[Path, ExportOptions] | None = None
        self._path_is_default = True
        self._runner = TaskRunner(self)
        self.setWindowTitle(self.tr("Export roster"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setSizeGripEnabled(True)
        settings = QSettings()
        self._folder = str(settings.value(FOLDER_KEY, "") or "") or str(Path.home())

        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        intro = QLabel(
            self.tr(
                "An Excel workbook for the team leads: a summary, one sheet per team with "
                "every agent's days, and the coverage against the requirement."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        layout.addLayout(form)

        # Teams
        self.team_list = QListWidget()
        self.team_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.team_list.setToolTip(self.tr("The teams that get a sheet"))
        self._fill_teams()
        self.all_button = QPushButton(self.tr("&All"))
        self.none_button = QPushButton(self.tr("&None"))
        self.all_button.clicked.connect(lambda: self.set_all_teams(True))
        self.none_button.clicked.connect(lambda: self.set_all_teams(False))
        for button in (self.all_button, self.none_button):
            button.setAutoDefault(False)  # Enter exports, whichever button had focus last
        team_buttons = QVBoxLayout()
        team_buttons.addWidget(self.all_button)
        team_buttons.addWidget(self.none_button)
        team_buttons.addStretch(1)
        team_row = QHBoxLayout()
        team_row.addWidget(self.team_list, 1)
        team_row.addLayout(team_buttons)
        teams_label = QLabel(self.tr("&Teams:"))
        teams_label.setBuddy(self.team_list)
        form.addRow(teams_label, team_row)

        # Period
        first, last = roster.start, roster.start + dt.timedelta(days=roster.days - 1)
        self.from_edit = QDateEdit(_qdate(first))
        self.to_edit = QDateEdit(_qdate(last))
        for edit in (self.from_edit, self.to_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("ddd d MMM yyyy")
            edit.setDateRange(_qdate(first), _qdate(last))
        self.from_edit.setToolTip(self.tr("The first day in the workbook"))
        self.to_edit.setToolTip(self.tr("The last day in the workbook"))
        self.from_edit.dateChanged.connect(self._from_changed)
        self.to_edit.dateChanged.connect(self._to_changed)
        self.days_label = QLabel()
        self.days_label.setStyleSheet(HINT_STYLE)
        period_row = QHBoxLayout()
        period_row.addWidget(self.from_edit)
        period_row.addWidget(QLabel(self.tr("to")))
        period_row.addWidget(self.to_edit)
        period_row.addWidget(self.days_label)
        period_row.addStretch(1)
        period_label = QLabel(self.tr("&Period:"))
        period_label.setBuddy(self.from_edit)
        form.addRow(period_label, period_row)

        # Day sheets
        self.day_sheets_check = QCheckBox(self.tr("&Day sheets (one per day, agents × 15 minutes)"))
        self.day_sheets_check.setToolTip(
            self.tr("Who works, breaks and leave per 15 minutes, one sheet per day")
        )
        self.day_sheets_check.toggled.connect(self._update_what)
        day_hint = QLabel(self.tr("They make the file bigger and slower to write."))
        day_hint.setStyleSheet(HINT_STYLE)
        day_box = QVBoxLayout()
        day_box.setSpacing(2)
        day_box.addWidget(self.day_sheets_check)
        day_box.addWidget(day_hint)
        form.addRow(self.tr("Extras:"), day_box)

        # Centre name
        saved_centre = settings.value(CENTRE_KEY)
        if saved_centre is None:
            centre = SAMPLE_CENTRE if is_sample_roster(roster) else ""
        else:
            centre = str(saved_centre)
        self.centre_edit = QLineEdit(centre)
        self.centre_edit.setPlaceholderText(self.tr("Contact centre"))
        self.centre_edit.setToolTip(self.tr("The centre's name in the workbook's titles"))
        centre_label = QLabel(self.tr("&Centre name:"))
        centre_label.setBuddy(self.centre_edit)
        form.addRow(centre_label, self.centre_edit)

        # File
        self.path_edit = QLineEdit()
        self.path_edit.setToolTip(self.tr("The workbook to write (.xlsx)"))
        self.path_edit.textEdited.connect(self._path_edited)
        self.path_edit.textChanged.connect(self._update_state)
        self.choose_button = QPushButton(self.tr("C&hoose…"))
        self.choose_button.clicked.connect(lambda: self.choose_file())
        self.choose_button.setAutoDefault(False)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(self.choose_button)
        file_label = QLabel(self.tr("&File:"))
        file_label.setBuddy(self.path_edit)
        form.addRow(file_label, file_row)

        self.what_label = QLabel()
        self.what_label.setWordWrap(True)
        self.what_label.setStyleSheet(WHAT_STYLE)
        layout.addWidget(self.what_label)
        layout.addStretch(1)

        # Progress, outcome
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 1000)
        self.progress_bar.setTextVisible(False)
        self.progress_label = QLabel()
        self.progress_label.setStyleSheet(HINT_STYLE)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress_bar, 1)
        progress_row.addWidget(self.progress_label, 2)
        layout.addLayout(progress_row)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.error_label)
        # The outcome, with what to do with the file next to it.
        self.done_frame = QFrame()
        self.done_frame.setObjectName("done")
        self.done_frame.setStyleSheet(DONE_STYLE)
        done_row = QHBoxLayout(self.done_frame)
        done_row.setContentsMargins(8, 4, 4, 4)
        self.done_label = QLabel()
        self.done_label.setWordWrap(True)
        self.done_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_button = QPushButton(self.tr("&Open"))
        self.show_button = QPushButton(self.tr("&Show in folder"))
        done_row.addWidget(self.done_label, 1)
        done_row.addWidget(self.open_button)
        done_row.addWidget(self.show_button)
        layout.addWidget(self.done_frame)

        self.buttons = QDialogButtonBox()
        self.export_button = self.buttons.addButton(
            self.tr("&Export"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.open_button.setToolTip(self.tr("Open the workbook in the spreadsheet program"))
        self.show_button.setToolTip(self.tr("Open the folder that holds the workbook"))
        self.export_button.setDefault(True)
        self.open_button.clicked.connect(self.open_file)
        self.show_button.clicked.connect(self.show_folder)
        for button in (self.open_button, self.show_button):
            button.setAutoDefault(False)
        # Not the box's accepted(): Export starts work, it does not close the dialog.
        self.export_button.clicked.connect(lambda: self.export())
        self.close_button.clicked.connect(self.reject)
        layout.addWidget(self.buttons)

        self.setTabOrder(self.team_list, self.all_button)
        self.setTabOrder(self.all_button, self.none_button)
        self.setTabOrder(self.none_button, self.from_edit)
        self.setTabOrder(self.from_edit, self.to_edit)
        self.setTabOrder(self.to_edit, self.day_sheets_check)
        self.setTabOrder(self.day_sheets_check, self.centre_edit)
        self.setTabOrder(self.centre_edit, self.path_edit)
        self.setTabOrder(self.path_edit, self.choose_button)
        self.setTabOrder(self.choose_button, self.export_button)

        self._set_default_path()
        self._show_outcome()
        self._update_days()
        self._update_state()
        self.setMinimumWidth(560)
        self.resize(660, self.sizeHint().height())

    # --- the form ------------------------------------------------------------------------------
    def _fill_teams(self) -> None:
        counts: dict[str, int] = {}
        for agent in self.roster.agents:
            counts[agent.team] = counts.get(agent.team, 0) + 1
        for team in sorted(counts, key=lambda t: (t == "", t.lower())):
            n = counts[team]
            name = team or self.tr("No team")
            agents = self.tr("1 agent") if n == 1 else self.tr("%1 agents").replace("%1", str(n))
            item = QListWidgetItem(f"{name}  ({agents})")
            item.setData(_TEAM_ROLE, team)
            item.setFlags(
                Qt.ItemFlag.ItemIsUserCheckable
                | Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsSelectable
            )
            item.setCheckState(Qt.CheckState.Checked)
            self.team_list.addItem(item)
        self.team_list.itemChanged.connect(self._update_state)
        # Tall enough for the teams (up to 8 without scrolling), no taller.
        rows = min(max(self.team_list.count(), 3), 8)
        self.team_list.setFixedHeight(rows * self.team_list.sizeHintForRow(0) + 8)

    def team_items(self) -> list[QListWidgetItem]:
        return [self.team_list.item(i) for i in range(self.team_list.count())]

    def set_all_teams(self, checked: bool) -> None:
        """Check (or uncheck) every team."""
        state = Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        self.team_list.blockSignals(True)
        for item in self.team_items():
            item.setCheckState(state)
        self.team_list.blockSignals(False)
        self._update_state()

    def set_team_checked(self, team: str, checked: bool) -> None:
        """Check or uncheck one team by name (``""`` for agents without a team)."""
        for item in self.team_items():
            if item.data(_TEAM_ROLE) == team:
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def selected_teams(self) -> tuple[str, ...]:
        return tuple(
            str(item.data(_TEAM_ROLE))
            for item in self.team_items()
            if item.checkState() == Qt.CheckState.Checked
        )

    def period(self) -> tuple[dt.date, dt.date]:
        """The first and last day chosen."""
        return _pydate(self.from_edit.date()), _pydate(self.to_edit.date())

    def set_period(self, first: dt.date, last: dt.date) -> None:
        self.from_edit.setDate(_qdate(first))
        self.to_edit.setDate(_qdate(last))

    def _from_changed(self, day: QDate) -> None:
        if day > self.to_edit.date():
            self.to_edit.setDate(day)  # From <= To: the end follows the start
        self._update_days()

    def _to_changed(self, day: QDate) -> None:
        if day < self.from_edit.date():
            self.from_edit.setDate(day)
        self._update_days()

    def _update_days(self) -> None:
        first, last = self.period()
        n = (last - first).days + 1
        self.days_label.setText(
            self.tr("(1 day)") if n == 1 else self.tr("(%1 days)").replace("%1", str(n))
        )
        if self._path_is_default:
            self._set_default_path()
        self._update_what()

    def options(self) -> ExportOptions:
        """The export options the form describes."""
        first, last = self.period()
        teams = self.selected_teams()
        everyone = len(teams) == self.team_list.count()
        return ExportOptions(
            teams=None if everyone else teams,
            start=first,
            days=(last - first).days + 1,
            day_sheets=self.day_sheets_check.isChecked(),
            centre=self.centre_edit.text().strip(),
            source=self.tr("WFM Planner roster"),
        )

    def _update_what(self, *_: Any) -> None:
        teams = self.selected_teams()
        if not teams:
            self.what_label.setText(self.tr("Choose at least one team."))
            return
        agents = sum(1 for a in self.roster.agents if a.team in teams)
        first, last = self.period()
        n_days = (last - first).days + 1
        parts = [
            (
                self.tr("1 team sheet")
                if len(teams) == 1
                else self.tr("%1 team sheets").replace("%1", str(len(teams)))
            )
            + " "
            + self.tr("(%1 agents)").replace("%1", fmt.count(agents))
        ]
        if self.day_sheets_check.isChecked():
            parts.append(
                self.tr("1 day sheet")
                if n_days == 1
                else self.tr("%1 day sheets").replace("%1", str(n_days))
            )
        if self.need is not None:
            parts.append(self.tr("coverage with the requirement"))
        else:
            parts.append(self.tr("no requirement: the coverage sheet is left out"))
        text = self.tr("Writes a summary, ") + ", ".join(parts) + "."
        path = self.output_path()
        if path is not None and path.is_file():
            # The last export, or a workbook a lead sent back: say it before it is gone.
            text += " " + self.tr("The file exists already: exporting replaces it.")
        self.what_label.setText(text)

    # --- the file -------------------------------------------------------------------------------
    def default_name(self) -> str:
        first, last = self.period()
        return f"roster {first:%Y-%m-%d} to {last:%Y-%m-%d}.xlsx"

    def _set_default_path(self) -> None:
        self.path_edit.setText(str(Path(self._folder) / self.default_name()))
        self._path_is_default = True

    def _path_edited(self, _text: str) -> None:
        self._path_is_default = False

    def set_path(self, path: str | Path) -> None:
        """Write to ``path`` (what the file chooser does)."""
        self.path_edit.setText(str(path))
        self._path_is_default = False

    def output_path(self) -> Path | None:
        """The file to write: the field's path, with ``.xlsx`` added when it has no suffix."""
        text = self.path_edit.text().strip()
        if not text:
            return None
        path = Path(text).expanduser()
        if not path.is_absolute():
            # A bare name goes to the folder the suggestion was in, not the program's
            # working directory.
            path = Path(self._folder) / path
        if not path.suffix:
            path = path.with_name(path.name + ".xlsx")
        return path

    def choose_file(self) -> Path | None:
        """Ask for the workbook's name."""
        current = self.output_path()
        start = str(current) if current is not None else str(Path(self._folder))
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export roster"), start, self.tr("Excel workbook (*.xlsx)")
        )
        if not name:
            return None
        path = Path(name)
        if path.suffix.lower() != ".xlsx":
            path = path.with_name(path.name + ".xlsx")
        self.set_path(path)
        return path

    # --- running -------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._runner.is_busy

    def export(self) -> bool:
        """Start writing the workbook; False when the form is not ready or one is running."""
        path = self.output_path()
        if self.running or path is None or not self.selected_teams():
            return False
        options = self.options()
        # The worker writes a copy: the grid may change the roster meanwhile (a solve
        # finishing, an undo) and must not change the file half-way through.
        roster, need = self.roster.copy(), self.need
        self.summary = None
        self.last_error = None
        self._pending = (path, options)
        self._show_outcome()
        self.progress_bar.setValue(0)
        self.progress_label.setText(self.tr("Starting…"))
        # Bound methods only (no lambdas touching widgets): Qt drops their connections when
        # the dialog is deleted, so an export ending after that reaches nobody.
        self._runner.run(
            lambda progress: export_roster(
                roster, path, need=need, options=options, progress=progress
            ),
            name="export roster",
            on_progress=self._progress,
            on_finished=self._finished,
            on_failed=self._failed,
            on_cancelled=self._cancelled,
        )
        self._update_state()
        return True

    def cancel(self) -> None:
        """Stop the running export; nothing is written."""
        self._runner.cancel()
        if self.running:
            self.progress_label.setText(self.tr("Cancelling…"))

    def _progress(self, fraction: float, message: str) -> None:
        self.progress_bar.setValue(int(fraction * 1000))
        self.progress_label.setText(message or f"{fraction:.0%}")

    def _finished(self, summary: ExportSummary) -> None:
        self.summary = summary
        settings = QSettings()
        self._folder = str(Path(summary.path).parent)
        settings.setValue(FOLDER_KEY, self._folder)
        if self._pending is not None:
            settings.setValue(CENTRE_KEY, self._pending[1].centre)
        self._pending = None
        self.progress_bar.setValue(1000)
        self._show_outcome(done=self.message_for(summary))
        self._update_state()
        self.exported.emit(summary)

    def message_for(self, summary: ExportSummary) -> str:
        """``Wrote roster.xlsx (6 sheets, 100 agents, 1,950 shifts).``"""
        return (
            self.tr("Wrote %1 (%2 sheets, %3 agents, %4 shifts).")
            .replace("%1", Path(summary.path).name)
            .replace("%2", fmt.count(len(summary.sheets)))
            .replace("%3", fmt.count(summary.agents))
            .replace("%4", fmt.count(summary.shifts))
        )

    def _failed(self, exc: BaseException, tb: str) -> None:
        self.last_error = exc
        if isinstance(exc, WfmError):
            self._show_outcome(error=str(exc))
        else:  # a bug: the details go to the error box
            self._show_outcome(error=self.tr("The export failed; nothing was written."))
            show_error(self, exc, tb, self.tr("Could not export the roster"))
        self._update_state()
        self.exportFailed.emit(exc)

    def _cancelled(self) -> None:
        self._show_outcome(error=self.tr("Export cancelled; no file was written."))
        self._update_state()
        self.exportFailed.emit(None)

    def _show_outcome(self, done: str = "", error: str = "") -> None:
        self.done_label.setText(done)
        self.done_frame.setVisible(bool(done))
        self.error_label.setText(error)
        self.error_label.setVisible(bool(error))

    def _update_state(self, *_: Any) -> None:
        running = self.running
        self._update_what()
        ready = bool(self.selected_teams()) and self.output_path() is not None
        self.export_button.setEnabled(ready and not running)
        self.close_button.setText(self.tr("Cancel") if running else self.tr("Close"))
        self.progress_bar.setVisible(running)
        self.progress_label.setVisible(running)
        for widget in (
            self.team_list,
            self.all_button,
            self.none_button,
            self.from_edit,
            self.to_edit,
            self.day_sheets_check,
            self.centre_edit,
            self.path_edit,
            self.choose_button,
        ):
            widget.setEnabled(not running)

    def open_file(self) -> bool:
        """Open the written workbook in the desktop's spreadsheet program."""
        if self.summary is None:
            return False
        return self._open_url(
            Path(self.summary.path),
            self.tr("No program here opens %1; the workbook is at %2"),
        )

    def show_folder(self) -> bool:
        """Open the folder holding the written workbook."""
        if self.summary is None:
            return False
        return self._open_url(
            Path(self.summary.path).parent,
            self.tr("The folder could not be opened here (%1); the workbook is at %2"),
        )

    def _open_url(self, target: Path, failure: str) -> bool:
        """Ask the desktop to open ``target``; where it cannot (no handler, no desktop), say
        where the file is instead of doing nothing."""
        opened = QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))
        if not opened and self.summary is not None:
            self.error_label.setText(
                failure.replace("%1", target.name).replace("%2", str(self.summary.path))
            )
            self.error_label.setVisible(True)
        return bool(opened)

    # --- closing --------------------------------------------------------------------------------
    def reject(self) -> None:
        """Close, or (while exporting) cancel the export and stay open."""
        if self.running:
            self.cancel()
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self.running:
            self.cancel()
            event.ignore()
            return
        super().closeEvent(event)
