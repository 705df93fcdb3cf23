"""What a roster cell says, as a planner or a team lead writes it, and its colour.

One reading of cell text for the Schedule grid (typing) and for a team lead's edited Excel
workbook (:mod:`wfm.export.changes`):

- ``08:00-16:30`` (also ``8-16:30``, ``0800-1630``, ``22:00-06:00`` past midnight): a shift;
- empty, ``off`` or ``-``: a day off; ``leave``, ``sick`` (or any ``leave:kind``): leave.

:func:`parse_cell_text` turns such a text into the edit command it asks for against the
current roster (None when it asks for no change).

The template colours are shared by the grid and the exported workbook, so a team lead sees
the planner's colours.
"""

from __future__ import annotations

import datetime as dt
import re

from wfm.errors import WfmError
from wfm.roster import commands as cmd
from wfm.roster.io import infer_template
from wfm.roster.roster import Roster
from wfm.scheduling.model import MINUTES_PER_DAY, Agent, clock

#: Template fills, keyed by the template's position in the setup: Okabe-Ito's colour-blind
#: safe hues, lightened so black text stays readable on them.
TEMPLATE_COLOURS = (
    "#a6cee3",  # sky blue
    "#f6c28b",  # orange
    "#9fd8c4",  # bluish green
    "#f2e394",  # yellow
    "#c8b3dc",  # reddish purple (light)
    "#e9b7a0",  # vermillion (light)
    "#b9c9e8",  # blue (light)
    "#d9d9d9",  # grey
)
NO_TEMPLATE_COLOUR = "#eeeeee"
LEAVE_COLOUR = "#d6ecd2"

OFF_WORDS = frozenset({"", "off", "-", "–", "day off", "rest"})
LEAVE_WORDS = frozenset({"leave", "sick", "holiday", "vacation", "training"})

_TIME = r"(\d{1,2})(?::?(\d{2}))?"
_SPAN = re.compile(rf"^\s*{_TIME}\s*[-–—to ]+\s*{_TIME}\s*$")


def template_colour(index: int) -> str:
    """The fill (``#rrggbb``) of the setup's ``index``-th template; grey for -1 (none)."""
    return TEMPLATE_COLOURS[index % len(TEMPLATE_COLOURS)] if index >= 0 else NO_TEMPLATE_COLOUR


def _minutes(hours: str, minutes: str | None) -> int:
    h, m = int(hours), int(minutes or 0)
    if len(hours) > 2 or h > 48 or m >= 60:
        raise WfmError(f"'{hours}:{minutes}' is not a time of day")
    return h * 60 + m


def parse_span(text: str) -> tuple[int, int] | None:
    """``(start, end)`` minutes of a typed ``08:00-16:30``; an end at or before the start is
    the next day's (``22:00-06:00`` ends at 30:00). None when ``text`` is not a span."""
    compact = text.strip().replace(" ", "")
    match = re.fullmatch(r"(\d{3,4})-(\d{3,4})", compact)
    if match:  # 0800-1630
        parts = [(g[:-2], g[-2:]) for g in match.groups()]
        start, end = (_minutes(h, m) for h, m in parts)
    else:
        match = _SPAN.match(text)
        if not match:
            return None
        h1, m1, h2, m2 = match.groups()
        start, end = _minutes(h1, m1), _minutes(h2, m2)
    if start >= MINUTES_PER_DAY:
        raise WfmError(f"a shift must start before midnight ({clock(start)})")
    if end <= start:
        end += MINUTES_PER_DAY
    return start, end


def leave_kind(text: str) -> str | None:
    """The kind of leave a cell text means (``leave``, ``sick``, ``leave:course`` ->
    ``course``), or None when it is not leave."""
    word = text.strip().lower()
    if word.startswith("leave:"):
        return word.split(":", 1)[1].strip() or "leave"
    return word if word in LEAVE_WORDS else None


def choose_template(roster: Roster, agent: Agent, day: dt.date, start: int, end: int) -> str:
    """The template a typed shift belongs to: one the agent may work that allows this weekday,
    start and length, their preferred one first; ``""`` when none fits."""
    template = infer_template(roster.setup, agent, day, start, end)
    return template.name if template is not None and agent.may_use(template) else ""


def parse_cell_text(roster: Roster, agent: str, day: dt.date, text: str) -> cmd.Command | None:
    """The :mod:`wfm.roster.commands` command a typed cell text asks for, or None for no change.

    A new shift gets one of the agent's templates that allows those times (their preferred
    one first) with its breaks; a day with a shift has that shift resized (keeping its
    breaks) while its own template still allows the new times.

    Raises :class:`WfmError` with a planner's message for text it cannot read.
    """
    word = text.strip().lower()
    shift = roster.shift(agent, day)
    leave = roster.leave.get((agent, day))
    if word in OFF_WORDS:
        if shift is None and leave is None:
            return None
        if shift is None:
            return cmd.MarkLeave(agent=agent, day=day, kind=None)
        return cmd.DeleteShift(agent=agent, day=day)
    kind = leave_kind(text)
    if kind is not None:
        if leave == kind and shift is None:
            return None
        return cmd.MarkLeave(agent=agent, day=day, kind=kind)
    span = parse_span(text)
    if span is None:
        raise WfmError(f"'{text}' is not a shift like 08:00-16:30, 'off' or 'leave'")
    start, end = span
    if shift is not None and (shift.start, shift.end) == (start, end):
        return None
    template = choose_template(roster, roster.agent(agent), day, start, end)
    if shift is not None and (not template or _fits(roster, shift.template, day, start, end)):
        # The shift's own template still allows the new times (or none does): keep the
        # shift and its breaks, only its times change.
        return cmd.ResizeShift(agent=agent, day=day, start=start, end=end)
    # A new shift, or times only another template allows (08:00-16:30 typed over a late
    # shift): that template's shift with its breaks.
    return cmd.AssignShift(agent=agent, day=day, start=start, end=end, template=template)


def _fits(roster: Roster, name: str, day: dt.date, start: int, end: int) -> bool:
    template = roster.template(name) if name else None
    return (
        template is not None
        and day.weekday() in template.days
        and template.start_earliest <= start <= template.start_latest
        and end - start in template.lengths_minutes
    )
