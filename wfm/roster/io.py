"""The roster CSV: one row per agent and working day.

Columns ``agent,team,date,start,end,paid_hours,breaks``: times are ``HH:MM`` of the shift's
own day, so a shift past midnight ends after ``24:00`` (``24:30``); ``paid_hours`` has two
decimals; ``breaks`` lists ``HH:MM-HH:MM`` spans separated by ``;``. Rows are sorted by
date, then agent. Days off and leave have no row.

Reading it back needs the agents and the shift setup: the template of each shift is the
one whose weekdays, start window and lengths match (the agent's preferred one first), and
each break takes its kind and paid flag from that template's break of the same length.
Without a template, breaks are unpaid lunches when the file's ``paid_hours`` says so (else
paid short breaks).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path

from wfm.errors import InputError, WfmError
from wfm.io.atomic import atomic_write
from wfm.io.textfiles import read_csv_table
from wfm.roster.roster import Break, Cell, Roster, Shift
from wfm.scheduling.loaders import csv_row_number
from wfm.scheduling.model import MINUTES_PER_DAY, Agent, ShiftSetup, ShiftTemplate, clock
from wfm.scheduling.model import parse_clock as _parse_clock

ROSTER_COLUMNS = ("agent", "team", "date", "start", "end", "paid_hours", "breaks")


def write_roster_csv(roster: Roster, path: str | Path) -> Path:
    """Write the roster's shifts (UTF-8, atomically: a failed save keeps the old file)."""
    shifts = sorted(roster.shifts.values(), key=lambda s: (s.day, s.agent))
    teams = {a.name: a.team for a in roster.agents}

    def write(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            out = csv.writer(fh, lineterminator="\n")
            out.writerow(ROSTER_COLUMNS)
            for s in shifts:
                out.writerow(
                    (
                        s.agent,
                        teams.get(s.agent, ""),
                        s.day.isoformat(),
                        clock(s.start),
                        clock(s.end),
                        f"{s.paid_minutes / 60:.2f}",
                        s.breaks_label(),
                    )
                )

    return atomic_write(path, write)


def read_roster_csv(
    path: str | Path,
    agents: Sequence[Agent],
    setup: ShiftSetup,
    start: dt.date | None = None,
    days: int | None = None,
) -> Roster:
    """A roster from a roster CSV (the horizon: ``start``/``days``, else the file's dates).

    Raises :class:`InputError` naming the file, row (header = row 1) and column of the first
    problem: an unknown agent, a bad date or time, a date outside the horizon, a break
    outside its shift, or two rows for one agent and day.
    """
    path = Path(path)
    raw = read_csv_table(path, "roster CSV")
    missing = [c for c in ("agent", "date", "start", "end") if c not in raw.columns]
    if missing:
        raise InputError(
            f"missing column(s) {', '.join(missing)} (expected {','.join(ROSTER_COLUMNS)})",
            file=path,
        )
    by_name = {a.name: a for a in agents}
    has_breaks = "breaks" in raw.columns
    has_paid = "paid_hours" in raw.columns
    rows: list[tuple[int, Agent, dt.date, int, int, list[tuple[int, int]], float | None]] = []
    seen: dict[Cell, int] = {}
    for i, rec in enumerate(raw.to_dict("records")):
        if not any(str(v).strip() for v in rec.values()):
            continue  # a row of empty cells, as spreadsheets leave at the end
        row = i  # data row index until something is wrong: then the file's row number

        def fail(message: str, column: str, i: int = i) -> InputError:
            return InputError(message, file=path, row=csv_row_number(path, i), column=column)

        name = str(rec["agent"]).strip()
        if name not in by_name:
            raise fail(f"'{name}' is not one of the agents", "agent")
        try:
            day = dt.date.fromisoformat(str(rec["date"]).strip())
        except ValueError:
            raise fail(f"'{rec['date']}' is not a date like 2026-11-02", "date") from None
        if (name, day) in seen:
            raise fail(
                f"a second row for {name} on {day.isoformat()} (the first is row "
                f"{csv_row_number(path, seen[(name, day)])})",
                "date",
            )
        seen[(name, day)] = row
        s_start = _time(str(rec["start"]), fail, "start")
        s_end = _time(str(rec["end"]), fail, "end")
        if s_start >= MINUTES_PER_DAY:
            raise fail(f"'{rec['start']}': a shift must start before 24:00", "start")
        if s_end == s_start:
            raise fail(f"the shift {clock(s_start)}-{clock(s_end)} must end after it starts", "end")
        if s_end < s_start:  # "22:00-06:00" written by hand: ends the next day
            s_end += MINUTES_PER_DAY
        if s_end - s_start > MINUTES_PER_DAY:
            raise fail("a shift cannot last more than 24 hours", "end")
        spans: list[tuple[int, int]] = []
        text = str(rec["breaks"]).strip() if has_breaks else ""
        for part in filter(None, (p.strip() for p in text.split(";"))):
            b_from, sep, b_to = part.partition("-")
            if not sep:
                raise fail(f"'{part}' is not a break like 12:00-12:30", "breaks")
            b0 = _time(b_from, fail, "breaks")
            b1 = _time(b_to, fail, "breaks")
            if b0 < s_start:
                b0 += MINUTES_PER_DAY
            if b1 <= b0:
                b1 += MINUTES_PER_DAY
            if b0 < s_start or b1 > s_end:
                raise fail(
                    f"the break {part} is outside the shift {clock(s_start)}-{clock(s_end)}",
                    "breaks",
                )
            for o0, o1 in spans:
                if o0 < b1 and b0 < o1:
                    raise fail(f"the breaks {clock(o0)}-{clock(o1)} and {part} overlap", "breaks")
            spans.append((b0, b1))
        paid: float | None = None
        if has_paid and str(rec["paid_hours"]).strip():
            try:
                paid = float(str(rec["paid_hours"]).strip())
            except ValueError:
                raise fail(
                    f"'{rec['paid_hours']}' is not a number of hours", "paid_hours"
                ) from None
        rows.append((row, by_name[name], day, s_start, s_end, sorted(spans), paid))

    if start is None:
        if not rows:
            raise InputError("has no shifts, and no start date was given", file=path)
        start = min(r[2] for r in rows)
    if days is None:
        last = max((r[2] for r in rows), default=start)
        days = max((last - start).days + 1, 1)
    roster = Roster(start, days, tuple(agents), setup)
    for row, agent, day, s_start, s_end, spans, paid in rows:
        if not roster.in_horizon(day):
            raise InputError(
                f"{day.isoformat()} is outside the roster's {days} days from {start.isoformat()}",
                file=path,
                row=csv_row_number(path, row),
                column="date",
            )
        template = infer_template(setup, agent, day, s_start, s_end)
        breaks = _breaks(template, spans, s_end - s_start, paid)
        try:
            shift = Shift(
                agent.name, day, s_start, s_end, template.name if template else "", breaks
            )
        except WfmError as exc:
            row_number = csv_row_number(path, row)
            raise InputError(str(exc), file=path, row=row_number, column="breaks") from None
        roster.put((agent.name, day), shift)
    return roster


def _time(text: str, fail: Callable[..., InputError], column: str) -> int:
    try:
        return _parse_clock(text, column)
    except WfmError:
        raise fail(f"'{text.strip()}' is not a time like 07:30", column) from None


def infer_template(
    setup: ShiftSetup, agent: Agent, day: dt.date, start: int, end: int
) -> ShiftTemplate | None:
    """The template a shift was made from: one running that weekday whose start window and
    lengths fit it (the agent's preferred template first, then those they may use)."""
    fits = [
        t
        for t in setup.templates
        if day.weekday() in t.days
        and t.start_earliest <= start <= t.start_latest
        and (end - start) in t.lengths_minutes
    ]
    if not fits:
        return None
    fits.sort(key=lambda t: (not agent.may_use(t), not agent.prefers(t.name)))
    return fits[0]


def _breaks(
    template: ShiftTemplate | None,
    spans: list[tuple[int, int]],
    length: int,
    paid_hours: float | None,
) -> tuple[Break, ...]:
    out = []
    rules = list(template.breaks) if template else []
    unpaid_left = None
    if template is None and paid_hours is not None:
        unpaid_left = length - int(round(paid_hours * 60))
    # Longest breaks first: a file's unpaid minutes go to its lunch, not a short break.
    for b0, b1 in sorted(spans, key=lambda s: (-(s[1] - s[0]), s[0])):
        minutes = b1 - b0
        rule = next((r for r in rules if r.minutes == minutes), None)
        if rule is not None:
            rules.remove(rule)
            out.append(Break(b0, minutes, rule.kind, rule.is_paid))
        elif unpaid_left is not None and 0 < minutes <= unpaid_left:
            unpaid_left -= minutes
            out.append(Break(b0, minutes, "lunch", False))
        elif unpaid_left is None and minutes >= 30:
            out.append(Break(b0, minutes, "lunch", False))
        else:
            out.append(Break(b0, minutes, "short", True))
    return tuple(sorted(out, key=lambda b: b.start))
