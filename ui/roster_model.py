"""The roster grid's Qt model: agents down, days across, then one "week hours" column per
Mon-Sun week of the horizon.

:class:`RosterTableModel` is an adapter over a :class:`wfm.roster.editor.RosterEditor`
(Anki's browser ``DataModel``): it reads the roster for every role, and :meth:`setData`
turns typed text into a ``wfm.roster.commands`` command that it *pushes* on the undo stack;
it never changes the roster itself. The editor's change events (the cells an edit touched)
become ``dataChanged`` for those agents' rows only, so a refresh costs what the edit touched,
not the size of the roster.

What a cell may be typed as (:func:`parse_cell_text`):

- ``08:00-16:30`` (also ``8-16:30``, ``0800-1630``, ``22:00-06:00`` past midnight): a shift.
  An empty day gets one of the agent's templates that allows those times (their preferred
  one first) with its breaks; a day with a shift has that shift resized;
- empty, ``off`` or ``-``: a day off; ``leave``, ``sick`` (or any ``leave:kind``): leave.

Filtering is done in the model (team and queue): rows are the agents that pass, so the
grid, copy and paste and the day view all share one row order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QUndoStack

from ui.roster_undo import RosterUndoCommand
from wfm.errors import WfmError
from wfm.roster.cells import (  # noqa: F401 - re-exported for the page and the day view
    LEAVE_COLOUR,
    NO_TEMPLATE_COLOUR,
    TEMPLATE_COLOURS,
    parse_cell_text,
    parse_span,
    template_colour,
)
from wfm.roster.coverage import skill_group
from wfm.roster.hours import weekly_hours
from wfm.scheduling.model import Agent, weeks_of

_Index = QModelIndex | QPersistentModelIndex

OFF_TEXT_COLOUR = "#9a9a9a"
VIOLATION_COLOUR = "#c0392b"
WEEK_COLOUR = "#f4f4f4"

#: Extra roles for the delegate and the tests.
LockedRole = Qt.ItemDataRole.UserRole + 1
ViolationsRole = Qt.ItemDataRole.UserRole + 2
CellRole = Qt.ItemDataRole.UserRole + 3

#: Violations about a week's paid hours: they also mark the agent's week-hours cell.
WEEK_RULES = frozenset({"week_hours", "contract_max", "contract_min"})


class RosterTableModel(QAbstractTableModel):
    """The roster grid. ``agents`` are the rows shown (after the filters), ``dates`` the day
    columns, ``weeks`` the day indices of each week column.

    Signals: ``editRejected(str)`` when typed text cannot be read or the edit is refused
    (the page shows it); ``rowsFiltered()`` after the filters changed the rows.
    """

    editRejected = Signal(str)  # noqa: N815 - Qt naming
    rowsFiltered = Signal()  # noqa: N815

    def __init__(self, editor: Any, undo_stack: QUndoStack, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.undo_stack = undo_stack
        self.editor: Any = None
        self.agents: list[Agent] = []
        self.dates: list[dt.date] = []
        self.weeks: list[list[int]] = []
        self.team: str | None = None
        self.queue: str | None = None
        self._row_of: dict[str, int] = {}
        self._unsubscribe: Callable[[], None] | None = None
        self._template_index: dict[str, int] = {}
        #: Paid hours per week of the agents read so far (``wfm.roster.hours``); the rows an
        #: edit touches are recomputed, the rest kept.
        self._hours: dict[str, list[float]] = {}
        #: Why edits are refused right now ("" = they are not): set while a solve runs.
        self.read_only_reason = ""
        self._bold = QFont()
        self._bold.setBold(True)
        self._italic = QFont()
        self._italic.setItalic(True)
        self.set_editor(editor)

    # --- the roster behind it --------------------------------------------------------------
    def set_editor(self, editor: Any) -> None:
        """Show ``editor``'s roster (None: an empty grid)."""
        self.beginResetModel()
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self.editor = editor
        self._hours = {}
        if editor is not None:
            roster = editor.roster
            self.dates = roster.dates()
            self.weeks = weeks_of(roster.start, roster.days)
            self._template_index = {t.name.lower(): i for i, t in enumerate(roster.setup.templates)}
            self._unsubscribe = editor.subscribe(self._cells_changed)
        else:
            self.dates, self.weeks, self._template_index = [], [], {}
        self._filter_rows()
        self.endResetModel()

    @property
    def roster(self) -> Any:
        return None if self.editor is None else self.editor.roster

    def set_filter(self, team: str | None = None, queue: str | None = None) -> None:
        """Show only the agents of ``team`` who can take ``queue`` (None: any)."""
        self.beginResetModel()
        self.team, self.queue = team, queue
        self._filter_rows()
        self.endResetModel()
        self.rowsFiltered.emit()

    def _filter_rows(self) -> None:
        agents = list(self.roster.agents) if self.roster is not None else []
        if self.team:
            agents = [a for a in agents if a.team == self.team]
        if self.queue:
            q = self.queue.lower()
            agents = [a for a in agents if not a.skills or q in {s.lower() for s in a.skills}]
        self.agents = agents
        self._row_of = {a.name: i for i, a in enumerate(agents)}

    def row_of(self, agent: str) -> int | None:
        return self._row_of.get(agent)

    def cell_at(self, index: _Index) -> tuple[str, dt.date] | None:
        """``(agent, date)`` of a day cell; None for a week-hours cell."""
        if not index.isValid() or index.column() >= len(self.dates):
            return None
        return self.agents[index.row()].name, self.dates[index.column()]

    def is_week_column(self, column: int) -> bool:
        return column >= len(self.dates)

    def _week_span(self, week: int) -> tuple[dt.date, dt.date]:
        days = self.weeks[week]
        return self.dates[days[0]], self.dates[days[-1]]

    def takes_a_queue(self, agent: Agent) -> bool:
        """False when the requirement is known and the agent can take none of its queues
        (an agent without skills takes every queue)."""
        need = self.editor.need if self.editor is not None else None
        return need is None or bool(skill_group(agent, need.queues))

    def template_index(self, name: str) -> int:
        return self._template_index.get(name.lower(), -1)

    # --- edits -----------------------------------------------------------------------------
    def push(self, command: Any, session: int | None = None) -> bool:
        """Push ``command`` on the undo stack (which applies it); False when it is refused."""
        if command is None or self.editor is None:
            return False
        if self.read_only_reason:
            self.editRejected.emit(self.read_only_reason)
            return False
        try:
            self.undo_stack.push(RosterUndoCommand(self.editor, command, session))
        except WfmError as exc:
            self.editRejected.emit(str(exc))
            return False
        return True

    def command_for(self, index: _Index, text: str) -> Any:
        """The command typing ``text`` in a day cell asks for (raises WfmError)."""
        cell = self.cell_at(index)
        if cell is None:
            return None
        return parse_cell_text(self.roster, cell[0], cell[1], str(text))

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or self.cell_at(index) is None:
            return False
        try:
            command = self.command_for(index, "" if value is None else str(value))
        except WfmError as exc:
            self.editRejected.emit(str(exc))
            return False
        if command is None:
            return True
        return self.push(command)

    def _cells_changed(self, cells: frozenset[tuple[str, dt.date]]) -> None:
        # A change of one day can change the rule checks of the agent's other days (rest,
        # days in a row, week hours), so the agent's whole row is refreshed.
        for agent in {agent for agent, _ in cells}:
            self._hours.pop(agent, None)
        rows = sorted({r for agent, _ in cells if (r := self._row_of.get(agent)) is not None})
        last = self.columnCount() - 1
        if not rows or last < 0:
            return
        first = rows[0]
        previous = first
        for row in rows[1:] + [None]:
            if row is not None and row == previous + 1:
                previous = row
                continue
            self.dataChanged.emit(self.index(first, 0), self.index(previous, last))
            if row is not None:
                first = previous = row

    # --- reading ---------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.agents)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.dates) + len(self.weeks)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() < len(self.dates) and not self.read_only_reason:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def week_hours(self, agent: str, week: int) -> float:
        """Paid hours of ``agent`` in week column ``week`` (``wfm.roster.hours``)."""
        hours = self._hours.get(agent)
        if hours is None:
            if not self._hours:  # the first read: every agent at once
                frame = weekly_hours(self.roster)
            else:
                frame = weekly_hours(self.roster, [agent])
            for name, row in zip(frame.index, frame.to_numpy().tolist(), strict=True):
                self._hours[name] = row
            hours = self._hours.get(agent, [0.0] * len(self.weeks))
        return hours[week]

    def week_violations(self, agent: str, week: int) -> list[Any]:
        """The agent's weekly-hours violations (rules ``week_hours``, ``contract_max``,
        ``contract_min``) reported on a day of week column ``week``."""
        if self.editor is None:
            return []
        out = []
        for i in self.weeks[week]:
            for v in self.editor.violations_of(agent, self.dates[i]):
                if v.rule in WEEK_RULES:
                    out.append(v)
        return out

    def cell_text(self, agent: str, day: dt.date) -> str:
        """What a day cell shows and what copy puts on the clipboard."""
        roster = self.roster
        shift = roster.shifts.get((agent, day))
        if shift is not None:
            return str(shift.label())
        kind = roster.leave.get((agent, day))
        if kind is not None:
            return "Leave" if kind.lower() == "leave" else kind.title()
        return "Off"

    def violations(self, agent: str, day: dt.date) -> list[Any]:
        """The violations a day cell shows: all but the weekly-hours ones, which belong to
        the week's hours cell (:meth:`week_violations`)."""
        if self.editor is None:
            return []
        return [v for v in self.editor.violations_of(agent, day) if v.rule not in WEEK_RULES]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.editor is None:
            return None
        agent = self.agents[index.row()]
        column = index.column()
        if column >= len(self.dates):
            return self._week_data(agent, column - len(self.dates), role)
        day = self.dates[column]
        roster = self.roster
        cell = (agent.name, day)
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell_text(agent.name, day)
        if role == Qt.ItemDataRole.EditRole:
            shift = roster.shifts.get(cell)
            if shift is not None:
                return shift.label()
            kind = roster.leave.get(cell)
            return kind if kind is not None else ""
        if role == Qt.ItemDataRole.BackgroundRole:
            shift = roster.shifts.get(cell)
            if shift is not None:
                return QBrush(QColor(template_colour(self.template_index(shift.template))))
            if cell in roster.leave:
                return QBrush(QColor(LEAVE_COLOUR))
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            if self.violations(*cell):
                return QBrush(QColor(VIOLATION_COLOUR))
            if cell not in roster.shifts and cell not in roster.leave:
                return QBrush(QColor(OFF_TEXT_COLOUR))
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(agent, day)
        if role == LockedRole:
            return cell in roster.locks
        if role == ViolationsRole:
            return [v.message for v in self.violations(*cell)]
        if role == CellRole:
            return cell
        return None

    def _week_data(self, agent: Agent, week: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{round(self.week_hours(agent.name, week), 2):g} h"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(QColor(WEEK_COLOUR))
        if role == Qt.ItemDataRole.ForegroundRole:
            if self.week_violations(agent.name, week):
                return QBrush(QColor(VIOLATION_COLOUR))
            return None
        if role == Qt.ItemDataRole.FontRole:
            return self._bold if self.week_violations(agent.name, week) else None
        if role == Qt.ItemDataRole.ToolTipRole:
            days = [self.dates[i] for i in self.weeks[week]]
            lines = [
                self.tr("%1: %2 paid hours, %3 to %4 (contract %5-%6 h a week)")
                .replace("%1", agent.name)
                .replace("%2", f"{round(self.week_hours(agent.name, week), 2):g}")
                .replace("%3", days[0].strftime("%a %d %b"))
                .replace("%4", days[-1].strftime("%a %d %b"))
                .replace("%5", f"{agent.min_weekly_hours:g}")
                .replace("%6", f"{agent.max_weekly_hours:g}")
            ]
            lines += ["⚠ " + v.message for v in self.week_violations(agent.name, week)]
            return "\n".join(lines)
        return None

    def _tooltip(self, agent: Agent, day: dt.date) -> str:
        roster = self.roster
        cell = (agent.name, day)
        lines = [f"{agent.name} · {day:%a %d %b %Y}"]
        shift = roster.shifts.get(cell)
        if shift is not None:
            template = f" ({shift.template})" if shift.template else ""
            lines.append(
                self.tr("Shift %1%2, %3 h paid")
                .replace("%1", shift.label())
                .replace("%2", template)
                .replace("%3", f"{shift.paid_minutes / 60:g}")
            )
            for b in sorted(shift.breaks, key=lambda b: b.start):
                lines.append(f"  {b.kind}: {b.label()}")
        elif cell in roster.leave:
            lines.append(self.tr("On leave (%1)").replace("%1", roster.leave[cell]))
        else:
            lines.append(self.tr("Day off"))
        if cell in roster.locks:
            lines.append(self.tr("Locked: a re-solve keeps this day as it is"))
        for v in self.violations(agent.name, day):
            lines.append("⚠ " + v.message)
        return "\n".join(lines)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Vertical:
            if section >= len(self.agents):
                return None
            agent = self.agents[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return agent.name
            idle = not self.takes_a_queue(agent)
            if role == Qt.ItemDataRole.ForegroundRole and idle:
                return QBrush(QColor(OFF_TEXT_COLOUR))
            if role == Qt.ItemDataRole.FontRole and idle:
                return self._italic
            if role == Qt.ItemDataRole.ToolTipRole:
                skills = ", ".join(agent.skills) or self.tr("every queue")
                text = (
                    f"{agent.name}\n{self.tr('Team')}: {agent.team or '–'}\n"
                    f"{self.tr('Queues')}: {skills}\n"
                    f"{self.tr('Contract')}: {agent.min_weekly_hours:g}-"
                    f"{agent.max_weekly_hours:g} h a week"
                )
                if idle:
                    text += "\n" + self.tr(
                        "Takes none of the requirement's queues (%1): their shifts cover "
                        "nothing. Change their skills with “Agents…”."
                    ).replace("%1", ", ".join(self.editor.need.queues))
                return text
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if section < len(self.dates):
                day = self.dates[section]
                return f"{day:%a}\n{day.day} {day:%b}"
            first, last = self._week_span(section - len(self.dates))
            if (last - first).days == 6:
                return self.tr("Week\n%1").replace("%1", f"{first:%d %b}")
            span = f"{first:%d}–{last:%d %b}" if last != first else f"{first:%d %b}"
            return self.tr("Part week\n%1").replace("%1", span)
        if role == Qt.ItemDataRole.ToolTipRole and section >= len(self.dates):
            first, last = self._week_span(section - len(self.dates))
            text = (
                self.tr("Paid hours from %1 to %2")
                .replace("%1", f"{first:%a %d %b}")
                .replace("%2", f"{last:%a %d %b}")
            )
            if (last - first).days < 6:
                text += self.tr(" (the horizon cuts this Mon-Sun week)")
            return text
        weekend = section < len(self.dates) and self.dates[section].weekday() >= 5
        if role == Qt.ItemDataRole.ForegroundRole and weekend:
            return QBrush(QColor("#7a4b00"))
        return None

    # --- copy and paste ----------------------------------------------------------------------
    def copy_text(self, indexes: Iterable[_Index]) -> str:
        """The selected cells' texts as tab-separated rows (the bounding box of the selection,
        as Excel expects it; cells outside the selection are left empty)."""
        chosen = {(i.row(), i.column()) for i in indexes if i.isValid()}
        if not chosen:
            return ""
        rows = range(min(r for r, _ in chosen), max(r for r, _ in chosen) + 1)
        cols = range(min(c for _, c in chosen), max(c for _, c in chosen) + 1)
        lines = []
        for r in rows:
            fields = []
            for c in cols:
                text = ""
                if (r, c) in chosen:
                    text = str(self.data(self.index(r, c)) or "")
                fields.append(text)
            lines.append("\t".join(fields))
        return "\n".join(lines)

    def paste_commands(self, top: int, left: int, text: str) -> list[Any]:
        """The commands that pasting TSV ``text`` with its top-left at (top, left) asks for.

        Cells beyond the grid's day columns are ignored; text that cannot be read raises
        :class:`WfmError` naming the cell, before anything changes.
        """
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        if lines and lines[-1] == "":
            lines.pop()  # Excel ends the block with a newline
        out = []
        for dr, line in enumerate(lines):
            row = top + dr
            if row >= len(self.agents):
                break
            for dc, field in enumerate(line.split("\t")):
                col = left + dc
                if col >= len(self.dates):
                    break
                agent, day = self.agents[row].name, self.dates[col]
                try:
                    command = parse_cell_text(self.roster, agent, day, field)
                except WfmError as exc:
                    raise WfmError(f"{agent}, {day:%a %d %b}: {exc}") from None
                if command is not None:
                    out.append(command)
        return out

    def selected_cells(self, indexes: Sequence[_Index]) -> list[tuple[str, dt.date]]:
        return [c for i in indexes if (c := self.cell_at(i)) is not None]
