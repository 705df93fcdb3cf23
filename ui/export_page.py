"""The Export page: what the team leads' roster workbook would contain, and the way out.

It does not export by itself: "Export roster…" opens the export dialog
(:class:`~ui.export_dialog.ExportDialog`, where teams, period and extras are chosen) and
"Import team lead changes…" the dialog that reads an edited workbook back; the window owns
both flows (File ▸ Export roster… / Import team lead changes…). This page shows the roster's
teams, period and size, what each team's sheet will hold (agents, shifts, leave days, paid
hours in the period), whether the requirement goes with it (coverage sheet and service
levels), and the exports of this session (file, time, message) with "Open folder"; the plan
keeps the last one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui import formatting as fmt
from ui.stage_banner import when_label
from wfm.roster.hours import NO_TEAM, team_totals

if TYPE_CHECKING:
    from wfm.roster.roster import Roster
    from wfm.scheduling.need import StaffingNeed


class ExportPage(QWidget):
    """A summary of the roster workbook, with buttons for the export and import dialogs."""

    #: "Export roster…" was pressed.
    exportRequested = Signal()  # noqa: N815 - Qt naming
    #: "Import team lead changes…" was pressed.
    importChangesRequested = Signal()  # noqa: N815

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.last_file = ""
        self.last_time = ""
        self.last_message = ""
        #: The exports shown in the list, newest first: (file, ISO time, message).
        self.exports: list[tuple[str, str, str]] = []
        #: Opens a folder (the system file manager; tests replace it).
        self.open_folder_hook = lambda folder: QDesktopServices.openUrl(
            QUrl.fromLocalFile(str(folder))
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(10)
        intro = QLabel(
            self.tr(
                "<b>The roster for the team leads</b>: one Excel workbook with a sheet per "
                "team and per day, the agents' weekly hours and, with a requirement, the "
                "coverage. Team leads edit it; their changes come back with <i>Import team "
                "lead changes…</i>, checked against the rules before anything is applied."
            )
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(intro)

        box = QGroupBox(self.tr("What the workbook would contain"))
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.teams_label = QLabel()
        self.teams_label.setWordWrap(True)
        self.period_label = QLabel()
        self.size_label = QLabel()
        self.requirement_label = QLabel()
        self.requirement_label.setWordWrap(True)
        form.addRow(self.tr("Teams:"), self.teams_label)
        form.addRow(self.tr("Period:"), self.period_label)
        form.addRow(self.tr("Roster:"), self.size_label)
        form.addRow(self.tr("Requirement:"), self.requirement_label)
        self.teams_table = _table(
            [
                self.tr("Team sheet"),
                self.tr("Agents"),
                self.tr("Shifts"),
                self.tr("Leave days"),
                self.tr("Paid hours"),
            ]
        )
        form.addRow(self.teams_table)
        layout.addWidget(box, 3)

        last = QGroupBox(self.tr("Exports"))
        last_layout = QVBoxLayout(last)
        self.exports_table = _table([self.tr("File"), self.tr("When"), self.tr("Result")])
        self.exports_table.horizontalHeader().setSectionResizeMode(
            2, QHeaderView.ResizeMode.Stretch
        )
        self.exports_table.itemSelectionChanged.connect(self._update_open_button)
        last_layout.addWidget(self.exports_table)
        folder_row = QHBoxLayout()
        self.open_folder_button = QPushButton(self.tr("Open &folder"))
        self.open_folder_button.setToolTip(self.tr("Show the chosen export in its folder"))
        self.open_folder_button.clicked.connect(self.open_folder)
        folder_row.addWidget(self.open_folder_button)
        folder_row.addStretch(1)
        last_layout.addLayout(folder_row)
        layout.addWidget(last, 2)

        buttons = QHBoxLayout()
        self.export_button = QPushButton(self.tr("&Export roster…"))
        self.export_button.setToolTip(
            self.tr("Choose teams, period and extras, then write the workbook (Ctrl+E)")
        )
        self.import_button = QPushButton(self.tr("&Import team lead changes…"))
        self.import_button.setToolTip(
            self.tr("Read back a workbook a team lead edited and apply their changes")
        )
        self.export_button.clicked.connect(self.exportRequested)
        self.import_button.clicked.connect(self.importChangesRequested)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.import_button)
        buttons.addStretch(1)
        layout.insertLayout(1, buttons)
        self.set_roster(None, None)
        self._show_last()

    # --- what is on screen -----------------------------------------------------------------
    def set_roster(self, roster: Roster | None, need: StaffingNeed | None) -> None:
        """Describe ``roster`` (None: nothing to export yet) and the requirement ``need``."""
        has_roster = roster is not None
        self.export_button.setEnabled(has_roster)
        self.import_button.setEnabled(has_roster)
        if roster is None:
            none = self.tr("– (no roster yet: make one on the Schedule page)")
            for label in (self.teams_label, self.period_label, self.size_label):
                label.setText(none)
            self.requirement_label.setText("–")
            self.teams_table.setRowCount(0)
            return
        teams = sorted({a.team for a in roster.agents if a.team})
        self.teams_label.setText(
            self.tr("%1 (%2)")
            .replace("%1", fmt.count(len(teams)))
            .replace("%2", ", ".join(teams) or self.tr("no team names"))
            if teams
            else self.tr("one sheet for every agent (no team names)")
        )
        last = roster.start + dt.timedelta(days=roster.days - 1)
        self.period_label.setText(
            self.tr("%1 – %2 (%3 days)")
            .replace("%1", fmt.day(roster.start, with_weekday=True))
            .replace("%2", fmt.day(last, with_weekday=True))
            .replace("%3", str(roster.days))
        )
        self.size_label.setText(
            self.tr("%1 agents, %2 shifts, %3 leave day(s)")
            .replace("%1", fmt.count(len(roster.agents)))
            .replace("%2", fmt.count(len(roster.shifts)))
            .replace("%3", fmt.count(len(roster.leave)))
        )
        self.requirement_label.setText(
            self.tr("yes: the coverage sheet and service levels are included")
            if need is not None
            else self.tr("no: without a requirement the coverage sheet is left out")
        )
        self._fill_teams(roster)

    def team_rows(self, roster: Roster) -> list[tuple[str, int, int, int, float]]:
        """Per team sheet: (team, agents, shifts, leave days, paid hours in the period);
        agents without a team share one sheet ("No team")."""
        totals = team_totals(roster)
        return [
            (
                self.tr("No team") if team == NO_TEAM else str(team),
                int(t["agents"]),
                int(t["shifts"]),
                int(t["leave_days"]),
                float(t["paid_hours"]),
            )
            for team, t in totals.iterrows()
        ]

    def _fill_teams(self, roster: Roster) -> None:
        rows = self.team_rows(roster)
        total = (
            self.tr("All teams"),
            sum(r[1] for r in rows),
            sum(r[2] for r in rows),
            sum(r[3] for r in rows),
            sum(r[4] for r in rows),
        )
        table = self.teams_table
        table.setRowCount(0)
        table.setRowCount(len(rows) + (len(rows) > 1))
        for i, row in enumerate(rows + ([total] if len(rows) > 1 else [])):
            texts = [row[0], *(fmt.count(v) for v in row[1:4]), fmt.decimal(row[4])]
            for col, text in enumerate(texts):
                item = QTableWidgetItem(text)
                if col:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if i == len(rows):
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                table.setItem(i, col, item)

    def set_last_export(self, path: str | Path, when: str, message: str) -> None:
        """Record the latest export (its file, ISO time and the dialog's message); it goes
        on top of the list (an empty ``path``: none)."""
        self.last_file = str(path)
        self.last_time = when
        self.last_message = message
        if self.last_file:
            entry = (self.last_file, when, message)
            self.exports = [entry] + [e for e in self.exports if e != entry]
        self._show_last()

    def _show_last(self) -> None:
        table = self.exports_table
        table.setRowCount(0)
        if not self.exports:
            table.setRowCount(1)
            table.setItem(0, 0, QTableWidgetItem(self.tr("– (not exported yet)")))
            self._update_open_button()
            return
        table.setRowCount(len(self.exports))
        for row, (file, when, message) in enumerate(self.exports):
            name = QTableWidgetItem(Path(file).name)
            name.setToolTip(file)
            name.setData(Qt.ItemDataRole.UserRole, file)
            table.setItem(row, 0, name)
            table.setItem(row, 1, QTableWidgetItem(when_label(when) or when or "–"))
            result = QTableWidgetItem(message or "–")
            result.setToolTip(message)
            table.setItem(row, 2, result)
        table.selectRow(0)
        self._update_open_button()

    def selected_export(self) -> str:
        """The file of the export chosen in the list (the newest when none is), or ""."""
        rows = self.exports_table.selectionModel().selectedRows()
        row = rows[0].row() if rows else 0
        return self.exports[row][0] if row < len(self.exports) else ""

    def _update_open_button(self) -> None:
        self.open_folder_button.setEnabled(bool(self.selected_export()))

    def open_folder(self) -> Path | None:
        """Open the folder of the chosen export in the file manager (None: no export, or
        its folder is gone)."""
        file = self.selected_export()
        if not file or not Path(file).parent.is_dir():
            return None
        folder = Path(file).parent
        self.open_folder_hook(folder)
        return folder

    # --- the project file ------------------------------------------------------------------
    def settings(self) -> dict[str, Any]:
        """The last export, for ``Project.settings`` (``export.*`` keys)."""
        if not self.last_file:
            return {}
        return {
            "export.last_file": self.last_file,
            "export.last_time": self.last_time,
            "export.message": self.last_message,
        }

    def restore(self, settings: Mapping[str, Any]) -> None:
        """Show the last export a plan recorded (or none)."""
        self.exports = []
        self.set_last_export(
            str(settings.get("export.last_file", "") or ""),
            str(settings.get("export.last_time", "") or ""),
            str(settings.get("export.message", "") or ""),
        )


def _table(headers: list[str]) -> QTableWidget:
    """A read-only table, first column stretched, rows selected whole."""
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for col in range(1, len(headers)):
        header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
    return table
