"""File ▸ Import team lead changes…: what a team lead changed in an exported workbook, checked
against the rules, applied as one undoable edit.

:func:`wfm.export.changes.read_lead_changes` does the reading (in the background, through
:mod:`ui.tasks`, since a big workbook takes a moment); the dialog shows its result:

- a header with the file, when it was exported, and how many changes and unread cells;
- the notes of the reader (another roster's workbook, rows of unknown agents skipped, …);
- a table of the changes, each with a checkbox: the cell (``Sales!F7``), agent, day, what
  the roster says now, what the workbook says, and the check: the new rule violations the
  *accepted* changes would bring (:func:`wfm.export.changes.check_changes`, recomputed when a
  box is ticked), or the conflict when the planner changed the cell after the export too.
  Conflicts start unticked, everything else ticked;
- the cells it could not read, by sheet and cell reference.

"Apply N changes" pushes one :class:`~ui.roster_undo.RosterUndoCommand` with
:func:`wfm.export.changes.changes_batch` of the ticked changes, so one Undo takes them all
back. A workbook without changes turns the dialog into an information message (with the
unread cells, if any) rather than an empty table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QCloseEvent, QColor, QFont, QKeyEvent, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui import formatting as fmt
from ui.errors import message_for
from ui.roster_model import VIOLATION_COLOUR
from ui.roster_undo import RosterUndoCommand
from ui.tasks import TaskRunner
from wfm.errors import WfmError
from wfm.export.changes import (
    CellChange,
    LeadChanges,
    changes_batch,
    check_changes,
    read_lead_changes,
)
from wfm.roster.roster import Roster
from wfm.roster.rules import Violation

_Index = QModelIndex | QPersistentModelIndex

CONFLICT_COLOUR = "#b35900"
OK_COLOUR = "#2e7d32"
MUTED_COLOUR = "#777777"
ERROR_STYLE = (
    "QLabel { color: #b71c1c; background: #fdecea; border: 1px solid #f5c6c2;"
    " border-radius: 3px; padding: 6px; }"
)
#: Up to this many changes, rows grow to show the whole Check text.
MAX_WRAPPED_ROWS = 400
#: Check-column states.
OK, VIOLATION, CONFLICT, SKIPPED = "ok", "violation", "conflict", "skipped"
#: The order of the rules in the Check column, the ones a planner must not miss first: a
#: template's start or break window (often broken by any move of a lead's) comes last.
RULE_ORDER = (
    "leave",
    "unavailable",
    "rest",
    "day_hours",
    "week_hours",
    "consecutive",
    "days_off",
    "contract_max",
    "contract_min",
    "skills",
    "template",
)
#: The table's sort keys (the proxy sorts on this role).
SORT_ROLE = Qt.ItemDataRole.UserRole + 1


def rule_rank(violation: Violation) -> int:
    """Where ``violation``'s rule comes in :data:`RULE_ORDER` (unknown rules just before
    ``template``)."""
    try:
        return RULE_ORDER.index(violation.rule)
    except ValueError:
        return len(RULE_ORDER) - 1


def day_text(day: dt.date) -> str:
    """``Tue 03 Nov``."""
    return f"{day:%a %d %b}"


class ChangesModel(QAbstractTableModel):
    """The changes of a workbook with a tick per change and the rule check of the ticked set.

    Column 0 is checkable; :attr:`accepted` says which rows are ticked (conflicts start
    unticked). :meth:`set_violations` takes :func:`check_changes`' result for the ticked set.
    """

    #: Emitted when a tick changes (one or all).
    acceptedChanged = Signal()  # noqa: N815 - Qt naming

    CELL, AGENT, DAY, BEFORE, AFTER, CHECK = range(6)

    def __init__(self, changes: Sequence[CellChange] = (), parent: Any = None) -> None:
        super().__init__(parent)
        self.changes: tuple[CellChange, ...] = ()
        self.accepted: list[bool] = []
        #: Per row: the new violations shown on it (for the ticked set).
        self.violations: list[list[Violation]] = []
        self.check_error = ""
        self._headers = (
            self.tr("Cell"),
            self.tr("Agent"),
            self.tr("Day"),
            self.tr("In the roster"),
            self.tr("In the workbook"),
            self.tr("Check"),
        )
        self.set_changes(changes)

    def set_changes(self, changes: Sequence[CellChange]) -> None:
        """Show ``changes``: conflicts unticked, the rest ticked, no check yet."""
        self.beginResetModel()
        self.changes = tuple(changes)
        self.accepted = [not c.conflict for c in self.changes]
        self.violations = [[] for _ in self.changes]
        self.check_error = ""
        self.endResetModel()

    # --- Qt model ------------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.changes)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == self.CELL:
            base |= Qt.ItemFlag.ItemIsUserCheckable
        return base

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        change = self.changes[row]
        if role == Qt.ItemDataRole.CheckStateRole and col == self.CELL:
            return Qt.CheckState.Checked if self.accepted[row] else Qt.CheckState.Unchecked
        if role == SORT_ROLE:
            return self.sort_key(row, col)
        if col == self.CHECK:
            state, text, tip = self.check(row)
            if role == Qt.ItemDataRole.DisplayRole:
                return text
            if role == Qt.ItemDataRole.ToolTipRole:
                return tip
            if role == Qt.ItemDataRole.ForegroundRole:
                colour = {
                    OK: OK_COLOUR,
                    VIOLATION: VIOLATION_COLOUR,
                    CONFLICT: CONFLICT_COLOUR,
                    SKIPPED: MUTED_COLOUR,
                }[state]
                return QBrush(QColor(colour))
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                change.where,
                change.agent,
                day_text(change.day),
                change.before,
                change.after,
            )[col]
        if role == Qt.ItemDataRole.ToolTipRole:
            return change.describe()
        if role == Qt.ItemDataRole.FontRole and col == self.AFTER:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and not self.accepted[row]:
            return QBrush(QColor(MUTED_COLOUR))
        return None

    def setData(  # noqa: N802
        self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or index.column() != self.CELL:
            return False
        checked = Qt.CheckState(value) == Qt.CheckState.Checked
        self.set_accepted(index.row(), checked)
        return True

    def sort_key(self, row: int, col: int) -> Any:
        """What column ``col`` sorts on: cells by sheet, column and row (F7 before AA7), days
        by date, the check by state (violations, conflicts, OK, not applied)."""
        change = self.changes[row]
        if col == self.CELL:
            letters = change.ref.rstrip("0123456789")
            digits = change.ref[len(letters) :]
            return f"{change.sheet.casefold()}\0{len(letters):02d}{letters}{int(digits or 0):07d}"
        if col == self.AGENT:
            return f"{change.agent.casefold()}\0{change.day.isoformat()}"
        if col == self.DAY:
            return f"{change.day.isoformat()}\0{change.agent.casefold()}"
        if col == self.CHECK:
            state, text, _ = self.check(row)
            rank = {VIOLATION: 0, CONFLICT: 1, OK: 2, SKIPPED: 3}[state]
            return f"{rank}\0{text.casefold()}"
        return (change.before, change.after)[col - self.BEFORE].casefold()

    # --- ticks and checks ----------------------------------------------------------------------
    def check(self, row: int) -> tuple[str, str, str]:
        """``(state, text, tooltip)`` of a row's Check cell."""
        change = self.changes[row]
        conflict = ""
        if change.conflict:
            conflict = self.tr("Conflict: you changed this cell after the export (was %1)").replace(
                "%1", change.exported if change.exported is not None else "?"
            )
        if not self.accepted[row]:
            if conflict:
                return CONFLICT, conflict, conflict + "\n" + self.tr("Tick it to apply it anyway.")
            return SKIPPED, self.tr("Not applied"), self.tr("Tick it to apply this change.")
        found = self.violations[row]
        if found:
            text = "\n".join(v.message for v in found)  # one rule per line
            if conflict:
                text = f"{conflict}\n{text}"
            return VIOLATION, text, text
        if conflict:
            return CONFLICT, conflict, conflict
        return OK, self.tr("OK"), self.tr("Breaks no rule with the other ticked changes")

    def set_accepted(self, row: int, accepted: bool) -> None:
        if self.accepted[row] == accepted:
            return
        self.accepted[row] = accepted
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.CHECK))
        self.acceptedChanged.emit()

    def set_all(self, accepted: bool) -> None:
        """Tick (or untick) every change."""
        if all(a == accepted for a in self.accepted):
            return
        self.accepted = [accepted] * len(self.changes)
        self._all_changed()
        self.acceptedChanged.emit()

    def accepted_changes(self) -> list[CellChange]:
        return [c for c, ok in zip(self.changes, self.accepted, strict=True) if ok]

    def set_violations(self, found: dict[tuple[str, dt.date], list[Violation]]) -> None:
        """Show ``check_changes``' new violations of the ticked set on its rows: on the row of
        the violation's cell, else on the ticked row of the same agent nearest in time (a
        rest violation may land on a day the lead did not touch)."""
        self.violations = [[] for _ in self.changes]
        rows_of: dict[str, list[int]] = {}
        for row, change in enumerate(self.changes):
            if self.accepted[row]:
                rows_of.setdefault(change.agent, []).append(row)
        for (agent, day), violations in sorted(found.items(), key=lambda kv: (kv[0][1], kv[0][0])):
            rows = rows_of.get(agent)
            if not rows or not violations:
                continue
            row = min(rows, key=lambda r: (abs((self.changes[r].day - day).days), r))
            self.violations[row].extend(violations)
        for found_here in self.violations:
            # The rule that matters most on top: a rest or leave clash before a template's
            # window, which nearly every move of a shift breaks.
            found_here.sort(key=lambda v: (rule_rank(v), v.day))
        self._all_changed()

    def violation_count(self) -> int:
        return sum(len(v) for v in self.violations)

    def conflict_count(self) -> int:
        return sum(1 for c in self.changes if c.conflict)

    def _all_changed(self) -> None:
        if self.changes:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.changes) - 1, self.CHECK))


class LeadChangesDialog(QDialog):
    """The changes a team lead made in an exported workbook, to tick and apply.

    Parameters
    ----------
    changes
        What :func:`~wfm.export.changes.read_lead_changes` found, or None to read a file
        later with :meth:`read` (the dialog shows a busy state meanwhile).
    roster
        The roster the changes are against (read only; applying goes through the editor).
    parent
        The window (the dialog is window-modal to it).
    editor, undo_stack
        Where "Apply" pushes its one :class:`~ui.roster_undo.RosterUndoCommand`. Without
        them, Apply only accepts the dialog and :meth:`accepted_changes` says what to apply.
    """

    #: Emitted after a read ended (changes shown, or the error).
    loaded = Signal()
    #: Emitted with the number of changes applied (after the undo command was pushed).
    applied = Signal(int)

    def __init__(
        self,
        changes: LeadChanges | None,
        roster: Roster,
        parent: QWidget | None = None,
        *,
        editor: Any = None,
        undo_stack: QUndoStack | None = None,
    ) -> None:
        super().__init__(parent)
        self.roster = roster
        self.editor = editor
        self.undo_stack = undo_stack
        self.lead_changes: LeadChanges | None = None
        self.path: Path | None = None
        self.error: BaseException | None = None
        self.applied_count = 0
        self.model = ChangesModel((), self)
        self._runner = TaskRunner(self)
        self._check_timer = QTimer(self)
        self._check_timer.setSingleShot(True)
        self._check_timer.setInterval(0)
        self._check_timer.timeout.connect(self.refresh_checks)
        self.setWindowTitle(self.tr("Team lead changes"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setSizeGripEnabled(True)

        layout = QVBoxLayout(self)
        layout.setSpacing(6)
        header_row = QHBoxLayout()
        self.icon_label = QLabel()
        icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation)
        self.icon_label.setPixmap(icon.pixmap(32, 32))
        self.icon_label.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.header_label = QLabel()
        self.header_label.setTextFormat(Qt.TextFormat.RichText)
        self.header_label.setWordWrap(True)
        self.header_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        header_row.addWidget(self.icon_label)
        header_row.addWidget(self.header_label, 1)
        layout.addLayout(header_row)
        self.notes_label = QLabel()
        self.notes_label.setTextFormat(Qt.TextFormat.RichText)
        self.notes_label.setWordWrap(True)
        self.notes_label.setStyleSheet(f"color: {MUTED_COLOUR};")
        layout.addWidget(self.notes_label)

        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 1000)
        self.progress_bar.setTextVisible(False)
        layout.addWidget(self.progress_bar)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.error_label)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        table_panel = QWidget()
        table_box = QVBoxLayout(table_panel)
        table_box.setContentsMargins(0, 0, 0, 0)
        # Sorted on a click on a header, through a proxy; rows do not jump while ticking (no
        # dynamic re-sort), so the row under the mouse stays the one just ticked.
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setDynamicSortFilter(False)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Several rows selected: Space ticks or unticks them all (see eventFilter).
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.horizontalHeader().setSortIndicator(
            ChangesModel.DAY, Qt.SortOrder.AscendingOrder
        )
        self.table.setSortingEnabled(True)
        self.table.installEventFilter(self)
        self.table.setAlternatingRowColors(True)
        # The Check column wraps: a change may break several rules.
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft)
        self.table.setToolTip(
            self.tr("Tick the changes to apply (Space ticks the selected rows, Enter applies)")
        )
        table_box.addWidget(self.table, 1)
        tick_row = QHBoxLayout()
        self.all_button = QPushButton(self.tr("Select &all"))
        self.none_button = QPushButton(self.tr("Select &none"))
        self.all_button.clicked.connect(lambda: self.model.set_all(True))
        self.none_button.clicked.connect(lambda: self.model.set_all(False))
        for button in (self.all_button, self.none_button):
            button.setAutoDefault(False)  # Enter applies, whichever button had focus last
        self.check_label = QLabel()
        self.check_label.setWordWrap(True)
        tick_row.addWidget(self.all_button)
        tick_row.addWidget(self.none_button)
        tick_row.addWidget(self.check_label, 1)
        table_box.addLayout(tick_row)
        self.table_panel = table_panel
        self.splitter.addWidget(table_panel)

        unread_panel = QWidget()
        unread_box = QVBoxLayout(unread_panel)
        unread_box.setContentsMargins(0, 4, 0, 0)
        self.unread_heading = QLabel()
        self.unread_list = QListWidget()
        self.unread_list.setToolTip(
            self.tr("Cells whose text is not a shift, Off or leave: they are left as they are")
        )
        unread_box.addWidget(self.unread_heading)
        unread_box.addWidget(self.unread_list, 1)
        self.unread_panel = unread_panel
        self.splitter.addWidget(unread_panel)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        layout.addWidget(self.splitter, 1)

        self.buttons = QDialogButtonBox()
        self.apply_button = self.buttons.addButton(
            self.tr("Apply"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.apply_button.setDefault(True)
        self.apply_button.clicked.connect(lambda: self.apply())
        self.cancel_button.clicked.connect(self.reject)
        layout.addWidget(self.buttons)

        self.model.acceptedChanged.connect(self._accepted_changed)
        self.setTabOrder(self.table, self.all_button)
        self.setTabOrder(self.all_button, self.none_button)
        self.setTabOrder(self.none_button, self.unread_list)
        self.setTabOrder(self.unread_list, self.apply_button)
        self.setMinimumSize(640, 360)
        self.resize(980, 620)
        if changes is not None:
            self.set_changes(changes)
        else:
            self._show_state("empty")

    # --- reading ------------------------------------------------------------------------------
    @property
    def reading(self) -> bool:
        return self._runner.is_busy

    def read(self, path: str | Path) -> None:
        """Read ``path`` in the background, showing a busy state, then show its changes."""
        path = Path(path)
        self.path = path
        self.error = None
        roster = self.roster.copy()
        self.header_label.setText(
            self.tr("Reading <b>%1</b>…").replace("%1", fmt.escape_html(path.name))
        )
        self.progress_bar.setValue(0)
        self._show_state("reading")
        # Bound methods only (no lambdas touching widgets): Qt drops their connections when
        # the dialog is deleted, so a read ending after that reaches nobody.
        self._runner.run(
            lambda progress: read_lead_changes(path, roster, progress=progress),
            name="read lead changes",
            on_progress=self._read_progress,
            on_finished=self._read_finished,
            on_failed=self._read_failed,
        )

    def _read_progress(self, fraction: float, _message: str) -> None:
        self.progress_bar.setValue(int(fraction * 1000))

    def _read_finished(self, changes: LeadChanges) -> None:
        self.set_changes(changes)
        self.loaded.emit()

    def _read_failed(self, exc: BaseException, tb: str) -> None:
        self.error = exc
        name = self.path.name if self.path is not None else ""
        self.header_label.setText(
            self.tr("Could not read <b>%1</b>.").replace("%1", fmt.escape_html(name))
        )
        text = message_for(exc)
        if tb and not isinstance(exc, WfmError):
            self.error_label.setToolTip(tb)
        self.error_label.setText(text)
        self._show_state("failed")
        self.loaded.emit()

    # --- showing ------------------------------------------------------------------------------
    def set_changes(self, changes: LeadChanges) -> None:
        """Show ``changes`` (ticks reset: conflicts unticked, the rest ticked)."""
        self.lead_changes = changes
        self.path = Path(changes.path)
        self.model.set_changes(changes.changes)
        self.unread_list.clear()
        for cell in changes.unread:
            self.unread_list.addItem(cell.message())
        self.unread_heading.setText(
            self.tr(
                "<b>Cells that could not be read (%1)</b> — left as they are in the roster"
            ).replace("%1", fmt.count(len(changes.unread)))
        )
        notes = [fmt.escape_html(n) for n in changes.notes]
        self.notes_label.setText("<br>".join(f"• {n}" for n in notes))
        self.header_label.setText(self.header_text())
        self._show_state("changes" if changes.changes else "none")
        self.refresh_checks()
        self._fit_columns()

    def header_text(self) -> str:
        """``<b>roster.xlsx</b> (exported 22 Nov 2026 14:05): 7 changes, 2 cells could not be
        read`` (rich text)."""
        changes = self.lead_changes
        if changes is None:
            return ""
        name = fmt.escape_html(Path(changes.path).name)
        n, unread = len(changes.changes), len(changes.unread)
        if not n:
            text = self.tr("<b>%1</b> has no changes against the roster").replace("%1", name)
            if unread:
                text += "; " + (
                    self.tr("1 cell could not be read")
                    if unread == 1
                    else self.tr("%1 cells could not be read").replace("%1", fmt.count(unread))
                )
            return text + "."
        text = f"<b>{name}</b>"
        if changes.generated is not None:
            text += " " + self.tr("(exported %1)").replace(
                "%1", f"{changes.generated:%d %b %Y %H:%M}"
            )
        parts = [
            self.tr("1 change") if n == 1 else self.tr("%1 changes").replace("%1", fmt.count(n))
        ]
        conflicts = sum(1 for c in changes.changes if c.conflict)
        if conflicts:
            # Conflicts start unticked: say so, or "Apply 0 changes" looks like a fault.
            if conflicts == n:
                what = (
                    self.tr("it conflicts with your own edit since the export (not ticked)")
                    if n == 1
                    else self.tr(
                        "all in conflict with your own edits since the export (not ticked)"
                    )
                )
            else:
                what = self.tr(
                    "%1 in conflict with your own edits since the export (not ticked)"
                ).replace("%1", fmt.count(conflicts))
            parts.append(what)
        if unread:
            parts.append(
                self.tr("1 cell could not be read")
                if unread == 1
                else self.tr("%1 cells could not be read").replace("%1", fmt.count(unread))
            )
        return text + ": " + ", ".join(parts)

    def _show_state(self, state: str) -> None:
        """``reading``, ``failed``, ``changes``, ``none`` (no changes) or ``empty``."""
        has_changes = state == "changes"
        unread = self.lead_changes is not None and bool(self.lead_changes.unread)
        self.progress_bar.setVisible(state == "reading")
        self.error_label.setVisible(state == "failed")
        self.icon_label.setVisible(state == "none")
        self.notes_label.setVisible(
            state in ("changes", "none") and bool(self.lead_changes and self.lead_changes.notes)
        )
        self.splitter.setVisible(has_changes or (state == "none" and unread))
        self.table_panel.setVisible(has_changes)
        self.unread_panel.setVisible(unread)
        self.apply_button.setVisible(has_changes)
        # Without changes there is nothing to cancel: the one button closes the message.
        closing = not (has_changes or state == "reading")
        self.cancel_button.setText(self.tr("Close") if closing else self.tr("Cancel"))
        self.cancel_button.setDefault(closing)
        self._update_apply()

    def _fit_columns(self) -> None:
        header = self.table.horizontalHeader()
        self.table.resizeColumnsToContents()
        for col in range(self.model.columnCount() - 1):
            # Long agent names or cell texts must not push the Check column out of sight.
            header.resizeSection(col, min(header.sectionSize(col) + 12, 220))
        header.setSectionResizeMode(self.model.CHECK, QHeaderView.ResizeMode.Stretch)
        # Rows as tall as their wrapped Check text, while that stays cheap; past that, one
        # line each (the tooltip has the whole text).
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
            if self.model.rowCount() <= MAX_WRAPPED_ROWS
            else QHeaderView.ResizeMode.Fixed
        )

    # --- ticks and the check --------------------------------------------------------------------
    def _accepted_changed(self) -> None:
        self._update_apply()
        self._check_timer.start()  # one check for "Select all", not one per row

    def refresh_checks(self) -> None:
        """Check the ticked changes against the rules (now) and show what they break."""
        self._check_timer.stop()
        accepted = self.model.accepted_changes()
        self.model.check_error = ""
        try:
            found = check_changes(self.roster, accepted) if accepted else {}
        except WfmError as exc:
            found = {}
            self.model.check_error = str(exc)
        self.model.set_violations(found)
        self._update_check_label()

    def _update_check_label(self) -> None:
        model = self.model
        if model.check_error:
            self.check_label.setText(model.check_error)
            self.check_label.setStyleSheet(f"color: {VIOLATION_COLOUR};")
            return
        n = model.violation_count()
        accepted = sum(model.accepted)
        if not accepted and model.conflict_count() == len(model.changes):
            text = self.tr(
                "Nothing ticked: tick a conflict to let the lead's version replace yours."
            )
            colour = CONFLICT_COLOUR
        elif not accepted:
            text, colour = self.tr("Nothing ticked."), MUTED_COLOUR
        elif n:
            text = (
                self.tr("The ticked changes break 1 rule (red under Check).")
                if n == 1
                else self.tr("The ticked changes break %1 rules (red under Check).").replace(
                    "%1", fmt.count(n)
                )
            )
            colour = VIOLATION_COLOUR
        else:
            text, colour = self.tr("The ticked changes break no rule."), OK_COLOUR
        self.check_label.setText(text)
        self.check_label.setStyleSheet(f"color: {colour};")

    def _update_apply(self) -> None:
        n = sum(self.model.accepted)
        self.apply_button.setText(
            self.tr("&Apply 1 change")
            if n == 1
            else self.tr("&Apply %1 changes").replace("%1", fmt.count(n))
        )
        self.apply_button.setEnabled(n > 0 and not self.reading)

    def accepted_changes(self) -> list[CellChange]:
        """The ticked changes, in the table's order."""
        return self.model.accepted_changes()

    def set_accepted(self, row: int, accepted: bool) -> None:
        """Tick or untick row ``row`` (what a click on its box does)."""
        self.model.set_accepted(row, accepted)

    def selected_rows(self) -> list[int]:
        """The model rows selected in the table (or the current one), in the table's order."""
        indexes = self.table.selectionModel().selectedRows()
        if not indexes and self.table.currentIndex().isValid():
            indexes = [self.table.currentIndex()]
        view_rows = sorted({i.row() for i in indexes})
        return [self.proxy.mapToSource(self.proxy.index(r, 0)).row() for r in view_rows]

    def toggle_selected(self) -> bool:
        """Tick the selected rows, or untick them when the current one is ticked (Space)."""
        rows = self.selected_rows()
        if not rows:
            return False
        current = self.proxy.mapToSource(self.table.currentIndex()).row()
        lead = current if current in rows else rows[0]
        accepted = not self.model.accepted[lead]
        for row in rows:
            self.model.set_accepted(row, accepted)
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        # Space ticks the selected rows whichever column has the focus (the view alone only
        # toggles when the current cell is the box itself).
        if (
            watched is self.table
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Space
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
        ):
            self.toggle_selected()
            return True
        return super().eventFilter(watched, event)

    # --- applying --------------------------------------------------------------------------------
    def batch_text(self, n: int) -> str:
        name = self.path.name if self.path is not None else ""
        return (
            self.tr("Team lead changes from %1 (%2 cells)")
            .replace("%1", name)
            .replace("%2", fmt.count(n))
            if n != 1
            else self.tr("Team lead changes from %1 (1 cell)").replace("%1", name)
        )

    def apply(self) -> bool:
        """Apply the ticked changes as one undo step and close; False when nothing was."""
        accepted = self.accepted_changes()
        if not accepted or self.reading:
            return False
        batch = changes_batch(accepted, text=self.batch_text(len(accepted)))
        if self.editor is not None and self.undo_stack is not None:
            try:
                self.undo_stack.push(RosterUndoCommand(self.editor, batch))
            except WfmError as exc:
                self.error_label.setText(self.tr("Nothing was applied: %1").replace("%1", str(exc)))
                self.error_label.setVisible(True)
                return False
        self.applied_count = len(accepted)
        self.applied.emit(len(accepted))
        self.accept()
        return True

    # --- closing ---------------------------------------------------------------------------------
    def reject(self) -> None:
        self._runner.cancel()
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self._runner.cancel()
        super().closeEvent(event)
