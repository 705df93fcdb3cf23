"""Reading a team lead's edited roster workbook back: what they changed, cell by cell.

A team lead gets the workbook of :mod:`wfm.export.workbook`, changes some times, swaps two
agents' shifts, marks a day as leave, and sends it back. :func:`read_lead_changes` compares
every day cell of its team sheets with the roster as it is now and lists

- the cells the lead changed, each with the :mod:`wfm.roster.commands` edit that makes the
  roster say the same (:class:`CellChange`);
- the cells it cannot read, with their sheet and cell reference (:class:`UnreadCell`);
- notes on the whole file (rows of names not in the roster, columns outside the roster).

The workbook is read the way a lead may have left it: rows found by the agent's name (sorted,
filtered, moved to another sheet), days found by the date in the column header (a column
inserted), the header row found in the first rows (rows inserted above it). A cell's text
is read with :mod:`wfm.roster.cells`, as the Schedule grid reads typing.

Three-way comparison: the hidden meta sheet (:mod:`wfm.export.layout`) records what was
exported in each cell. A cell that still says what was exported was not touched by the
lead, even when the planner has changed the roster since: it is not a change. A cell that
differs from both the export and the roster now is a change both made: a conflict.

:func:`check_changes` reports the rule violations (:mod:`wfm.roster.rules`) the changes
would add, and :func:`changes_batch` makes them one undoable edit.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wfm.errors import WfmError
from wfm.export import layout
from wfm.progress import ProgressCallback, report
from wfm.roster import commands as cmd
from wfm.roster.cells import OFF_WORDS, leave_kind, parse_cell_text, parse_span
from wfm.roster.roster import Roster
from wfm.roster.rules import Violation, validate
from wfm.scheduling.model import Agent, clock

__all__ = [
    "CellChange",
    "LeadChanges",
    "UnreadCell",
    "changes_batch",
    "check_changes",
    "iter_violations",
    "read_export_meta",
    "read_lead_changes",
]

#: Labels of the rows under the agents (totals) that are not agents.
TOTAL_LABELS = frozenset(
    {"agents working", "working", "paid hours", "hours", "total", "totals", "heads", "agents"}
)
#: Rows searched for the header row (a lead may insert rows above it).
HEADER_SEARCH_ROWS = 10
#: Columns searched for the "Agent" header (a lead may insert a column before it).
HEADER_SEARCH_COLUMNS = 5
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_MONTH = re.compile(
    r"^(?:(?P<wd>[a-z]{3,9})\.?,?\s+)?(?P<d>\d{1,2})\.?[\s/-]+(?P<m>[a-z]{3,9})\.?"
    r"(?:[\s/-]+(?P<y>\d{4}))?$"
)
_SINGLE_TIME = "a single time: write the shift as 08:00-16:30"
_A_DATE = "a date, not a shift (Excel turns 9-17 into a date): write the shift as 09:00-17:00"
_NOT_A_SHIFT = "not a shift like 08:00-16:30, 'off' or 'leave'"
# Excel's serial day numbers of 1954-10-03 .. 2119-03-27: a plausible header date.
_SERIAL_RANGE = (20000, 80000)


@dataclass(frozen=True)
class CellChange:
    """One day cell the team lead changed, and the edit that makes the roster say it."""

    sheet: str
    ref: str  # e.g. "F7"
    agent: str
    day: dt.date
    before: str  # the roster's cell now (layout.cell_text)
    after: str  # what the workbook says, normalised ("08:00-16:30", "Off", "Leave", "Sick")
    exported: str | None  # what was exported in that cell (meta sheet); None if unknown
    conflict: bool  # the planner changed the cell since the export, and the lead did too
    command: cmd.Command  # the edit turning ``before`` into ``after``

    @property
    def where(self) -> str:
        """``Sales!F7`` (Excel's way of naming a cell)."""
        return _where(self.sheet, self.ref)

    def describe(self) -> str:
        """``Ana Silva, Tue 03 Nov: 08:00-16:30 -> 09:00-17:30``."""
        return f"{self.agent}, {cmd.day_label(self.day)}: {self.before} -> {self.after}"


@dataclass(frozen=True)
class UnreadCell:
    """A cell of the workbook that could not be read as a roster cell, and why."""

    sheet: str
    ref: str
    text: str
    reason: str

    @property
    def where(self) -> str:
        """``Sales!F7``."""
        return _where(self.sheet, self.ref)

    def message(self) -> str:
        """``Sales!F7 '8.30': not a shift like 08:00-16:30, 'off' or 'leave'``."""
        return f"{self.where} '{self.text}': {self.reason}"


@dataclass(frozen=True)
class LeadChanges:
    """What :func:`read_lead_changes` found in a team lead's workbook."""

    path: Path
    changes: tuple[CellChange, ...]  # sorted by day, then agent
    unread: tuple[UnreadCell, ...]  # in sheet, row, column order
    notes: tuple[str, ...]
    generated: dt.datetime | None  # when the workbook was exported (meta), if known

    @property
    def conflicts(self) -> tuple[CellChange, ...]:
        """The changes the planner also made a (different) change to since the export."""
        return tuple(c for c in self.changes if c.conflict)


def _where(sheet: str, ref: str) -> str:
    # Excel quotes a sheet name that is not a plain word ('No team'!F7).
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", sheet):
        return f"{sheet}!{ref}"
    return "'" + sheet.replace("'", "''") + f"'!{ref}"


# --- opening ---------------------------------------------------------------------------------
def _unreadable(name: str, exc: Exception) -> WfmError:
    detail = str(exc).strip().splitlines()[0][:120] if str(exc).strip() else ""
    reason = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
    return WfmError(f"{name}: cannot be read as an Excel workbook ({reason})")


def _open(path: Path) -> Any:
    """The workbook (openpyxl, values only), or a WfmError naming the file."""
    import zipfile

    import openpyxl

    name = path.name
    if path.suffix.lower() not in WORKBOOK_SUFFIXES:
        hint = (
            "an old .xls file: open it in Excel and save it as .xlsx"
            if path.suffix.lower() == ".xls"
            else "choose the .xlsx file the roster was exported to"
        )
        raise WfmError(f"{name}: cannot be read as an Excel workbook ({hint})")
    if not path.is_file():
        raise WfmError(f"{name}: there is no such file in {path.parent}")
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise WfmError(f"{name}: cannot be read ({exc.strerror or exc})") from exc
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise WfmError(
            f"{name}: cannot be read as an Excel workbook (it is password-protected or an old "
            ".xls file: save it in Excel as a plain .xlsx workbook)"
        )
    try:
        # Read-only: sheets are parsed only when read, so the day sheets and the Coverage
        # sheet cost only their first rows. Each sheet's <dimension> is ignored (see
        # _rows), as programs other than Excel may write it wrongly.
        return openpyxl.load_workbook(path, data_only=True, read_only=True)
    except PermissionError as exc:
        raise WfmError(f"{name}: cannot be read: it is locked by another program") from exc
    except zipfile.BadZipFile as exc:
        raise WfmError(f"{name}: cannot be read as an Excel workbook (not an .xlsx file)") from exc
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise _unreadable(name, exc) from exc


def read_export_meta(path: str | Path) -> layout.ExportMeta | None:
    """The export record (hidden meta sheet) of a roster workbook, or None without one.

    Raises :class:`WfmError` naming the file when it cannot be read as a workbook.
    """
    path = Path(path)
    book = _open(path)
    try:
        return _meta(book)
    except WfmError:
        raise
    except Exception as exc:  # a damaged sheet shows only when it is read
        raise _unreadable(path.name, exc) from exc
    finally:
        book.close()


def _meta(book: Any) -> layout.ExportMeta | None:
    if layout.META_SHEET not in book.sheetnames:
        return None
    sheet = book[layout.META_SHEET]
    if not hasattr(sheet, "iter_rows"):
        return None
    return layout.parse_meta(_rows(sheet))


def _rows(sheet: Any, last: int | None = None) -> list[tuple[Any, ...]]:
    """The values of a sheet's rows (up to row ``last``); row r is item r - 1, of any length."""
    if hasattr(sheet, "reset_dimensions"):  # read-only: every row, whatever <dimension> says
        sheet.reset_dimensions()
    return [tuple(row) for row in sheet.iter_rows(max_row=last, values_only=True)]


# --- finding the team sheets ---------------------------------------------------------------
@dataclass(frozen=True)
class _TeamSheet:
    title: str
    rows: list[tuple[Any, ...]]  # all rows, values only (row r is rows[r - 1])
    header_row: int  # 1-based
    name_column: int  # 1-based
    date_columns: tuple[tuple[int, dt.date], ...]  # (1-based column, day), in column order


def _name_key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def _header_date(value: Any, roster: Roster) -> dt.date | None:
    """The day a header cell names: a date cell, an Excel serial day number, or text like
    ``2026-11-02``, ``Mon 02 Nov`` or ``02 Nov 2026`` (without a year: the year that puts
    it on its weekday, nearest the roster)."""
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time() else None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value).is_integer() and _SERIAL_RANGE[0] <= value <= _SERIAL_RANGE[1]:
            return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
        return None
    if not isinstance(value, str):
        return None
    text = " ".join(value.split()).lower()
    if re.fullmatch(r"\d{4}-\d\d-\d\d", text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return None
    match = _DAY_MONTH.match(text)
    if not match or match["m"][:3] not in _MONTHS:
        return None
    month, day_of_month = _MONTHS.index(match["m"][:3]) + 1, int(match["d"])
    wd = (match["wd"] or "")[:3]
    if wd and wd not in _WEEKDAYS:  # "Week 02 Nov" is a week's column, not a day's
        return None
    weekday = _WEEKDAYS.index(wd) if wd else None
    years = [int(match["y"])] if match["y"] else [roster.start.year + k for k in (-1, 0, 1)]
    middle = roster.start + dt.timedelta(days=roster.days // 2)
    candidates = []
    for year in years:
        try:
            candidates.append(dt.date(year, month, day_of_month))
        except ValueError:
            continue
    candidates.sort(
        key=lambda d: (weekday is not None and d.weekday() != weekday, abs((d - middle).days))
    )
    return candidates[0] if candidates else None


def _find_header(
    rows: list[tuple[Any, ...]], roster: Roster
) -> tuple[int, int, list[tuple[int, dt.date]]] | None:
    """(header row, name column, date columns) of a team sheet, or None."""
    for r, row in enumerate(rows[:HEADER_SEARCH_ROWS], start=1):
        for c, value in enumerate(row[:HEADER_SEARCH_COLUMNS], start=1):
            if not (isinstance(value, str) and value.strip().casefold() == "agent"):
                continue
            dates: list[tuple[int, dt.date]] = []
            for c2 in range(c + 1, len(row) + 1):
                day = _header_date(row[c2 - 1], roster)
                if day is not None:
                    dates.append((c2, day))
            if dates:
                return r, c, dates
    return None


# --- reading a cell ------------------------------------------------------------------------
def _value_text(value: Any) -> tuple[str, str | None]:
    """(the cell's text, None) or (what it shows, why it is not roster text)."""
    if value is None:
        return "", None
    if isinstance(value, str):
        return value.replace("\xa0", " ").strip(), None
    if isinstance(value, bool):
        return ("TRUE" if value else "FALSE"), _NOT_A_SHIFT
    if isinstance(value, dt.datetime):
        if value.time() == dt.time():
            return value.date().isoformat(), _A_DATE
        return f"{value:%Y-%m-%d %H:%M}", _SINGLE_TIME
    if isinstance(value, dt.time):
        return f"{value:%H:%M}", _SINGLE_TIME
    if isinstance(value, dt.date):
        return value.isoformat(), _A_DATE
    if isinstance(value, dt.timedelta):
        minutes = int(value.total_seconds() // 60)
        return clock(minutes), _SINGLE_TIME
    if isinstance(value, (int, float)):
        if 0 <= value < 1:  # a time of day Excel stored as a fraction of a day
            return clock(int(round(value * 24 * 60))), _SINGLE_TIME
        return f"{value:g}", "a number, not a shift: write the shift as 08:00-16:30"
    return str(value), _NOT_A_SHIFT


def _normalise(text: str, known: Sequence[str]) -> str:
    """The layout's text for a lead's cell text: ``08:00-16:30``, ``Off`` or the leave kind
    (``Leave``, ``Sick``). A text equal (but for case) to one of ``known`` (the roster's cell
    and the exported one) is that text, so a leave kind of the planner's own reads back.

    Raises WfmError (a planner's message) for text that is none of these.
    """
    folded = " ".join(text.split()).casefold()
    for k in known:
        if folded == " ".join(k.split()).casefold():
            return k
    if folded in OFF_WORDS:
        return layout.OFF_TEXT
    kind = leave_kind(text)
    if kind is not None:
        return kind[:1].upper() + kind[1:]
    span = parse_span(text)
    if span is None:
        raise WfmError(_NOT_A_SHIFT)
    start, end = span
    return f"{clock(start)}-{clock(end)}"


def _typed(after: str) -> str:
    """What :func:`parse_cell_text` reads as the normalised text ``after`` (a leave kind of
    any name as ``leave:kind``)."""
    if after == layout.OFF_TEXT:
        return after
    try:
        return after if parse_span(after) is not None else f"leave:{after}"
    except WfmError:
        return f"leave:{after}"


def _cell_command(
    work: Roster, agent: Agent, day: dt.date, after: str
) -> tuple[cmd.Command | None, str]:
    """The edit making ``agent``'s cell on ``day`` say ``after`` (None, reason when no edit
    can). Tried on ``work`` (a copy of the roster) and undone at once."""
    try:
        command = parse_cell_text(work, agent.name, day, _typed(after))
    except WfmError as exc:
        return None, str(exc)
    if command is None and after == layout.OFF_TEXT:
        command = cmd.MarkLeave(agent.name, day, None)
    shift = work.shift(agent.name, day)
    if (
        isinstance(command, cmd.ResizeShift)
        and shift is not None
        and any(b.start < command.start or b.end > command.end for b in shift.breaks)
    ):
        # Times far from the old ones (and no template for them): the grid's resize would
        # squeeze the breaks to an edge; a lead moved the shift, so its breaks move along.
        command = cmd.Batch(
            (
                cmd.MoveShift(agent.name, day, command.start - shift.start),
                cmd.ResizeShift(agent.name, day, command.start, command.end),
            ),
            command.text,
        )
    tries = [command] if command is not None else []
    if after == layout.OFF_TEXT and not isinstance(command, cmd.MarkLeave):
        # A shift on a day marked as leave: deleting it leaves "Leave", clearing both is Off.
        tries.append(cmd.MarkLeave(agent.name, day, None))
    shows = ""
    for attempt in tries:
        try:
            inverse = attempt.apply(work)
        except WfmError as exc:
            return None, str(exc)
        shows = layout.cell_text(work, agent, day)
        inverse.apply(work)
        if shows == after:
            return attempt, ""
    if after == layout.OFF_TEXT and day in agent.leave:
        return None, (
            f"{agent.name}'s leave on {cmd.day_label(day)} comes from the agents file: "
            "change it there"
        )
    return None, f"the roster cannot show '{after}' here (it would show '{shows}')"


# --- the whole workbook ---------------------------------------------------------------------
def read_lead_changes(
    path: str | Path, roster: Roster, progress: ProgressCallback | None = None
) -> LeadChanges:
    """The changes a team lead made in an exported roster workbook, against ``roster`` now.

    Parameters
    ----------
    path
        The workbook (.xlsx) the lead sent back.
    roster
        The roster as it is now; it is not changed.
    progress
        Called with the fraction done; raising :class:`wfm.progress.Cancelled` stops.

    Returns
    -------
    LeadChanges
        The changed cells with their edits, the unreadable cells and notes. Only cells whose
        (normalised) text differs from the roster's are changes; a cell that still says what
        was exported is not a change (the planner edited it after the export).

    Raises
    ------
    WfmError
        Naming the file, when it is not an .xlsx workbook, cannot be read, or has no team
        sheet (an "Agent" header with dates to its right). Anything wrong in a cell is an
        :class:`UnreadCell` or a note instead.
    """
    path = Path(path)
    report(progress, 0.0, f"Opening {path.name}")
    book = _open(path)
    try:
        report(progress, 0.2, f"Reading {path.name}")
        meta = _meta(book)
        sheets, hidden = _team_sheets(book, roster)
    except WfmError:
        raise
    except Exception as exc:  # a damaged sheet shows only when it is read
        raise _unreadable(path.name, exc) from exc
    finally:
        book.close()
    if not sheets:
        raise WfmError(
            f"{path.name}: not a roster workbook (no sheet has an '{layout.NAME_HEADER}' "
            "column header with dates to its right)"
        )
    reader = _Reader(roster, meta)
    for i, sheet in enumerate(sheets):
        report(progress, 0.5 + 0.5 * i / len(sheets), f"Comparing {sheet.title}")
        reader.read_sheet(sheet)
    notes = _meta_notes(meta, roster, path) + reader.notes()
    if hidden:
        notes.append(
            f"hidden sheet{'s' if len(hidden) > 1 else ''} {', '.join(hidden)} "
            f"{'were' if len(hidden) > 1 else 'was'} skipped: show "
            f"{'them' if len(hidden) > 1 else 'it'} in Excel to import "
            f"{'their' if len(hidden) > 1 else 'its'} changes"
        )
    report(progress, 1.0, "")
    changes = sorted(reader.changes, key=lambda c: (c.day, c.agent))
    return LeadChanges(
        path=path,
        changes=tuple(changes),
        unread=tuple(reader.unread),
        notes=tuple(notes),
        generated=_generated(meta),
    )


def _team_sheets(book: Any, roster: Roster) -> tuple[list[_TeamSheet], list[str]]:
    out: list[_TeamSheet] = []
    hidden: list[str] = []
    for sheet in book.worksheets:
        if sheet.title == layout.META_SHEET:
            continue
        found = _find_header(_rows(sheet, HEADER_SEARCH_ROWS), roster)
        if found is None:
            continue
        if sheet.sheet_state != "visible":
            hidden.append(sheet.title)
            continue
        header_row, name_column, dates = found
        out.append(_TeamSheet(sheet.title, _rows(sheet), header_row, name_column, tuple(dates)))
    return out, hidden


def _meta_notes(meta: layout.ExportMeta | None, roster: Roster, path: Path) -> list[str]:
    if meta is None:
        return [
            "This workbook has no export record, so every difference from the roster is "
            "listed, including your own edits since"
        ]
    start, days = meta.date("roster_start"), meta.values.get("roster_days", "")
    notes = []
    if start is not None and (start != roster.start or days not in ("", str(roster.days))):
        length = f" ({days} days)" if days else ""
        notes.append(
            f"{path.name} was exported from a roster starting {start.isoformat()}{length}; "
            f"this roster starts {roster.start.isoformat()} ({roster.days} days)"
        )
    return notes


def _generated(meta: layout.ExportMeta | None) -> dt.datetime | None:
    if meta is None:
        return None
    for key in ("generated", "generated_at", "exported"):
        try:
            return dt.datetime.fromisoformat(meta.values.get(key, "").strip())
        except ValueError:
            continue
    return None


def _ranges(days: Sequence[dt.date]) -> str:
    """``30 Nov - 06 Dec, 14 Dec`` for a set of days."""
    parts: list[str] = []
    ordered = sorted(set(days))
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and (ordered[j + 1] - ordered[j]).days == 1:
            j += 1
        first, last = ordered[i], ordered[j]
        parts.append(f"{first:%d %b}" if i == j else f"{first:%d %b} - {last:%d %b}")
        i = j + 1
    return ", ".join(parts)


def _listing(items: Sequence[str], most: int = 5) -> str:
    shown = ", ".join(items[:most])
    return shown + (f" and {len(items) - most} more" if len(items) > most else "")


class _Reader:
    """Compares the team sheets' cells with the roster, one sheet at a time."""

    def __init__(self, roster: Roster, meta: layout.ExportMeta | None) -> None:
        self.roster = roster
        self.meta = meta
        self.work = roster.copy()  # commands are tried here, never on the roster
        self.exact = {a.name: a for a in roster.agents}
        keys: dict[str, list[Agent]] = {}
        for a in roster.agents:
            keys.setdefault(_name_key(a.name), []).append(a)
        self.loose = {k: v[0] for k, v in keys.items() if len(v) == 1}
        self.seen: dict[str, str] = {}  # agent -> "Sales row 7"
        self.changes: list[CellChange] = []
        self.unread: list[UnreadCell] = []
        self.unknown: list[str] = []
        self.outside: set[dt.date] = set()
        self.nameless: list[str] = []
        self.repeated: list[str] = []

    def notes(self) -> list[str]:
        out = []
        if self.unknown:
            n = len(self.unknown)
            out.append(
                f"{n} row{'s' if n != 1 else ''} of names not in the roster "
                f"{'were' if n != 1 else 'was'} skipped: {_listing(self.unknown)}"
            )
        if self.outside:
            out.append(
                f"columns for {_ranges(sorted(self.outside))} are outside the roster "
                f"({self.roster.start:%d %b} - "
                f"{self.roster.start + dt.timedelta(days=self.roster.days - 1):%d %b %Y}) "
                "and were skipped"
            )
        if self.repeated:
            out.append(
                f"columns repeating a day already read were skipped: {_listing(self.repeated)}"
            )
        if self.meta is not None:
            exported = {agent for agent, _ in self.meta.exported}
            gone = [a.name for a in self.roster.agents if a.name in exported - set(self.seen)]
            if gone:
                n = len(gone)
                out.append(
                    f"{n} exported agent{'s have' if n != 1 else ' has'} no row in the workbook "
                    "any more, so their days were not compared: "
                    f"{_listing(gone)}"
                )
        if self.nameless:
            n = len(self.nameless)
            out.append(
                f"{n} row{'s' if n != 1 else ''} with day cells but no agent name "
                f"{'were' if n != 1 else 'was'} skipped: {_listing(self.nameless)}"
            )
        return out

    def _agent(self, name: str) -> Agent | None:
        return self.exact.get(name) or self.loose.get(_name_key(name))

    def _columns(self, sheet: _TeamSheet) -> list[tuple[int, dt.date]]:
        from openpyxl.utils import get_column_letter

        columns: list[tuple[int, dt.date]] = []
        taken: set[dt.date] = set()
        for column, day in sheet.date_columns:
            if not self.roster.in_horizon(day):
                self.outside.add(day)
            elif day in taken:
                where = _where(sheet.title, f"{get_column_letter(column)}{sheet.header_row}")
                self.repeated.append(f"{where} ({day:%d %b})")
            else:
                taken.add(day)
                columns.append((column, day))
        return columns

    def read_sheet(self, sheet: _TeamSheet) -> None:
        from openpyxl.utils import get_column_letter

        columns = self._columns(sheet)
        letters = {c: get_column_letter(c) for c, _ in columns}
        name_letter = get_column_letter(sheet.name_column)
        below_totals = False
        for r in range(sheet.header_row + 1, len(sheet.rows) + 1):
            row = sheet.rows[r - 1]
            value = row[sheet.name_column - 1] if len(row) >= sheet.name_column else None
            name = "" if value is None else " ".join(str(value).split())
            if not name:
                if any(_filled(row, c) for c, _ in columns):
                    self.nameless.append(f"{sheet.title} row {r}")
                continue
            if name.casefold() in TOTAL_LABELS:
                below_totals = True
                continue
            agent = self._agent(name)
            if agent is None:
                if not below_totals:  # notes or a legend under the totals are no agents
                    self.unknown.append(f"{name} ({sheet.title} row {r})")
                continue
            here = f"{sheet.title} row {r}"
            if agent.name in self.seen:
                self.unread.append(
                    UnreadCell(
                        sheet.title,
                        f"{name_letter}{r}",
                        name,
                        f"{agent.name} appears again on row {r} (first on {self.seen[agent.name]});"
                        " this row was skipped",
                    )
                )
                continue
            self.seen[agent.name] = here
            for column, day in columns:
                self._cell(sheet.title, f"{letters[column]}{r}", agent, day, _at(row, column))

    def _cell(self, sheet: str, ref: str, agent: Agent, day: dt.date, value: Any) -> None:
        text, reason = _value_text(value)
        if reason is not None:
            self.unread.append(UnreadCell(sheet, ref, text, reason))
            return
        before = layout.cell_text(self.roster, agent, day)
        exported = None if self.meta is None else self.meta.exported.get((agent.name, day))
        known = [before] if exported is None else [before, exported]
        try:
            after = _normalise(text, known)
        except WfmError as exc:
            self.unread.append(UnreadCell(sheet, ref, text, str(exc)))
            return
        if after == before or (exported is not None and after == exported):
            return  # unchanged, or the lead left what was exported (the planner edited since)
        command, reason = _cell_command(self.work, agent, day, after)
        if command is None:
            self.unread.append(UnreadCell(sheet, ref, text, reason))
            return
        conflict = exported is not None and exported != before
        self.changes.append(
            CellChange(sheet, ref, agent.name, day, before, after, exported, conflict, command)
        )


def _at(row: tuple[Any, ...], column: int) -> Any:
    return row[column - 1] if len(row) >= column else None


def _filled(row: tuple[Any, ...], column: int) -> bool:
    value = _at(row, column)
    return value is not None and str(value).strip() != ""


# --- checking and applying ------------------------------------------------------------------
def check_changes(
    roster: Roster, changes: Sequence[CellChange]
) -> dict[tuple[str, dt.date], list[Violation]]:
    """The rule violations the changes would add, by the cell they show on.

    The changes are applied to a copy of ``roster`` (which stays as it is); the touched
    agents are validated (:func:`wfm.roster.rules.validate`) and the violations they already
    had are left out. A violation's cell may be a neighbour of the changed one (too little
    rest shows on the next shift's day).

    Raises :class:`WfmError` when the changes cannot all be applied (two for one cell that
    conflict structurally, or a roster that has changed since they were read).
    """
    if not changes:
        return {}
    copy = roster.copy()
    changes_batch(changes).apply(copy)
    agents = sorted({c.agent for c in changes})
    already = set(validate(roster, agents))
    out: dict[tuple[str, dt.date], list[Violation]] = {}
    for v in validate(copy, agents):
        if v not in already:
            out.setdefault((v.agent, v.day), []).append(v)
    return out


def changes_batch(changes: Sequence[CellChange], text: str = "") -> cmd.Batch:
    """One undoable edit applying ``changes`` (``text`` is the undo menu's label; by default
    ``Team lead changes (5 cells)``)."""
    n = len(changes)
    label = text or f"Team lead changes ({n} cell{'s' if n != 1 else ''})"
    return cmd.Batch(tuple(c.command for c in changes), label)


def iter_violations(
    checked: dict[tuple[str, dt.date], list[Violation]],
) -> Iterator[Violation]:
    """Every violation of a :func:`check_changes` result, by day then agent."""
    for key in sorted(checked, key=lambda k: (k[1], k[0])):
        yield from checked[key]
