"""The layout of the exported roster workbook that both the writer and the reader rely on.

A team sheet (one per team) is laid out as a team lead would draw it by hand::

    row 1   title            "Sales: roster 02 Nov 2026 - 29 Nov 2026"
    row 2   subtitle         centre, generated at, source plan
    row 3   legend           one filled cell per shift template, then Leave and Off
    row 5   header           Agent | Skills | Mon 02 Nov | Tue 03 Nov | ... | week hours ... | Total
    row 6.. one row per agent: the day cells say "08:00-16:30", "Off" or the leave kind

The header's date cells hold real dates, so a reader finds the day of a column by its
header (a lead may sort or filter the rows, or insert a column, and the workbook still reads
back). A hidden sheet :data:`META_SHEET` records what was exported: the roster's horizon, the
period, the generation time and source, and every exported cell's text, so an import can
tell the cells the team lead changed from the cells the planner changed since.

The meta sheet: row 1 is ``[META_TITLE, META_VERSION]``; then ``key, value`` rows up to a
blank row; then the header row :data:`META_CELL_COLUMNS` and one row per exported day cell
(``sheet, agent, date (ISO), text``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from wfm.roster.roster import Roster
from wfm.scheduling.model import Agent

TITLE_ROW = 1
SUBTITLE_ROW = 2
LEGEND_ROW = 3
HEADER_ROW = 5
FIRST_AGENT_ROW = 6
NAME_COLUMN = 1  # A
SKILLS_COLUMN = 2  # B
FIRST_DATE_COLUMN = 3  # C
NAME_HEADER = "Agent"

OFF_TEXT = "Off"
NO_TEAM_SHEET = "No team"

META_SHEET = "_wfm"
META_TITLE = "wfm roster export"
META_VERSION = 1
META_CELL_COLUMNS = ("sheet", "agent", "date", "text")

_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f\x7f]")  # control characters break the file
_FORMULA_START = ("=", "+", "-", "@")


def is_formula_like(text: str) -> bool:
    """True for user text a spreadsheet could take for a formula (``=``, ``+``, ``-``,
    ``@`` first): such text must be written as a text cell."""
    return text.startswith(_FORMULA_START)


def cell_text(roster: Roster, agent: Agent, day: dt.date) -> str:
    """What an agent's day cell says: the shift (``08:00-16:30``), the leave kind
    (``Leave``, ``Sick``) or :data:`OFF_TEXT`."""
    shift = roster.shift(agent.name, day)
    if shift is not None:
        return shift.label()
    kind = roster.leave.get((agent.name, day))
    if kind is None and day in agent.leave:
        kind = "leave"
    if kind is not None:
        return kind[:1].upper() + kind[1:]
    return OFF_TEXT


def sheet_names(teams: Sequence[str], reserved: Iterable[str] = ()) -> dict[str, str]:
    """A valid, unique Excel sheet name per team (``""`` is :data:`NO_TEAM_SHEET`).

    Excel refuses ``[]:*?/\\`` (and control characters, which the file cannot hold) and
    names over 31 characters, and compares names without regard to case; ``reserved`` names (Summary, Coverage, day sheets) are not reused.
    """
    taken = {name.lower() for name in reserved} | {META_SHEET.lower()}
    out: dict[str, str] = {}
    for team in teams:
        base = _FORBIDDEN.sub("_", team).strip("' ") or NO_TEAM_SHEET
        base = base[:31]
        name, n = base, 2
        while name.lower() in taken:
            suffix = f" ({n})"
            name, n = base[: 31 - len(suffix)] + suffix, n + 1
        taken.add(name.lower())
        out[team] = name
    return out


@dataclass(frozen=True)
class ExportMeta:
    """What the hidden meta sheet of an exported workbook says."""

    version: int
    values: dict[str, str] = field(default_factory=dict)
    #: (agent, date) -> the text exported in that agent's day cell
    exported: dict[tuple[str, dt.date], str] = field(default_factory=dict)
    #: (agent, date) -> the sheet it was exported on
    sheet_of: dict[tuple[str, dt.date], str] = field(default_factory=dict)

    def date(self, key: str) -> dt.date | None:
        try:
            return dt.date.fromisoformat(self.values.get(key, ""))
        except ValueError:
            return None


def meta_rows(
    values: dict[str, str], cells: Iterable[tuple[str, str, dt.date, str]]
) -> Iterator[list[Any]]:
    """The rows of the meta sheet: the key/values, a blank row, then one row per
    ``(sheet, agent, date, text)`` exported day cell."""
    yield [META_TITLE, META_VERSION]
    for key, value in values.items():
        yield [key, value]
    yield []
    yield list(META_CELL_COLUMNS)
    for sheet, agent, day, text in cells:
        yield [sheet, agent, day.isoformat(), text]


def parse_meta(rows: Iterable[Sequence[Any]]) -> ExportMeta | None:
    """An :class:`ExportMeta` from the meta sheet's rows (values), or None when the rows are
    not a meta sheet this version can read."""
    it = iter(rows)
    first = next(it, None)
    if not first or len(first) < 2 or first[0] != META_TITLE:
        return None
    try:
        version = int(first[1])
    except (TypeError, ValueError):
        return None
    if version > META_VERSION:
        return None
    values: dict[str, str] = {}
    for row in it:
        if not row or row[0] in (None, ""):
            break
        values[str(row[0])] = "" if len(row) < 2 or row[1] is None else str(row[1])
    exported: dict[tuple[str, dt.date], str] = {}
    sheet_of: dict[tuple[str, dt.date], str] = {}
    header = next(it, None)
    if header is not None and tuple(str(v) for v in header[:4]) == META_CELL_COLUMNS:
        for row in it:
            if not row or len(row) < 4 or row[1] in (None, ""):
                continue
            try:
                day = dt.date.fromisoformat(str(row[2]))
            except ValueError:
                continue
            key = (str(row[1]), day)
            exported[key] = "" if row[3] is None else str(row[3])
            sheet_of[key] = str(row[0])
    return ExportMeta(version, values, exported, sheet_of)
