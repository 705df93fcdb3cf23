"""The Export page: what the team leads' roster workbook would contain, and the way out.

It does not export by itself: "Export roster…" opens the export dialog
(:class:`~ui.export_dialog.ExportDialog`, where teams, period and extras are chosen) and
"Import team lead changes…" the dialog that reads an edited workbook back; the window owns
both flows (File ▸ Export roster… / Import team lead changes…). This page shows the roster's
teams, period and size, whether the requirement goes with it (coverage sheet and service
levels), and the last export's file, time and message, which the plan keeps.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui import formatting as fmt
from ui.stage_banner import when_label

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
        layout.addWidget(box)

        last = QGroupBox(self.tr("Last export"))
        last_form = QFormLayout(last)
        self.last_file_label = QLabel()
        self.last_file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.last_time_label = QLabel()
        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        last_form.addRow(self.tr("File:"), self.last_file_label)
        last_form.addRow(self.tr("When:"), self.last_time_label)
        last_form.addRow(self.tr("Result:"), self.message_label)
        layout.addWidget(last)

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
        layout.addLayout(buttons)
        layout.addStretch(1)
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

    def set_last_export(self, path: str | Path, when: str, message: str) -> None:
        """Record the latest export (its file, ISO time and the dialog's message)."""
        self.last_file = str(path)
        self.last_time = when
        self.last_message = message
        self._show_last()

    def _show_last(self) -> None:
        if not self.last_file:
            self.last_file_label.setText(self.tr("– (not exported yet)"))
            self.last_time_label.setText("–")
            self.message_label.setText("–")
            return
        self.last_file_label.setText(self.last_file)
        self.last_time_label.setText(when_label(self.last_time) or self.last_time)
        self.message_label.setText(self.last_message or "–")

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
        self.set_last_export(
            str(settings.get("export.last_file", "") or ""),
            str(settings.get("export.last_time", "") or ""),
            str(settings.get("export.message", "") or ""),
        )
