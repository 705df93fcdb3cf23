"""Reading and writing the scheduling inputs: ``agents.csv`` and ``shift_templates.toml``.

Every reader raises :class:`InputError` naming the file and, for a CSV, the row (the header
is row 1) and the column of the first bad value; for TOML, the template (and break) and
the key. Every writer saves atomically and writes what its reader reads back to an equal
value (hours compactly, ``37.5`` and ``40``; times ``HH:MM``; dates ISO, runs of three or
more consecutive days as ``2026-11-03..2026-11-05``).

The per-field parsers and formatters (:func:`agent_from_fields`, :func:`agent_to_fields`,
:func:`check_agent_fields`, :func:`parse_weekdays` ...) are public so that the agents
table in the window validates a cell exactly as the loader would.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import json
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from wfm.errors import InputError, WfmError
from wfm.io.atomic import atomic_write
from wfm.io.textfiles import read_csv_table, read_toml
from wfm.scheduling.model import (
    MINUTES_PER_DAY,
    WEEKDAYS,
    Agent,
    BreakRule,
    Rules,
    ShiftSetup,
    ShiftTemplate,
    clock,
    parse_clock,
    unique,
)

AGENT_COLUMNS = (
    "name",
    "team",
    "skills",
    "min_weekly_hours",
    "max_weekly_hours",
    "hourly_cost",
    "unavailable_days",
    "unavailable_dates",
    "leave",
    "preferred_shift",
    "preferred_days_off",
    "templates",
)
"""The columns of ``agents.csv`` in the order the writer puts them; only ``name`` is
required."""

TEMPLATE_KEYS = (
    "name",
    "days",
    "start_earliest",
    "start_latest",
    "start_step_minutes",
    "lengths_hours",
    "break_step_minutes",
    "break",
)
BREAK_KEYS = (
    "kind",
    "minutes",
    "earliest_after_start_minutes",
    "latest_after_start_minutes",
    "paid",
)
RULE_KEYS = (
    "min_rest_hours",
    "max_consecutive_days",
    "days_off_per_week",
    "max_hours_per_day",
    "max_hours_per_week",
    "late_shift_ends_after",
    "fair_weekends",
    "fair_late_shifts",
)

_DEFAULT_AGENT = Agent(name="x")
_DAY_NAMES = {
    **{d.lower(): i for i, d in enumerate(WEEKDAYS)},
    **{
        name: i
        for i, name in enumerate(
            ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
        )
    },
}
_MAX_RANGE_DAYS = 3660  # a range longer than ten years is surely a typo


# --- field parsers and formatters (shared with the agents table in the window) ---------------
def format_number(value: float) -> str:
    """Hours or money compactly: ``40``, ``37.5``, ``15.95`` (reads back to the same float)."""
    value = float(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def parse_number(text: str) -> float:
    """A finite number; raises :class:`WfmError` ("'4O' is not a number")."""
    try:
        value = float(text.strip())
    except ValueError:
        raise WfmError(f"'{text}' is not a number") from None
    if not math.isfinite(value):
        raise WfmError(f"'{text}' is not a number")
    return value


def parse_weekdays(text: str) -> tuple[int, ...]:
    """``"Sat;Sun"`` -> ``(5, 6)`` (short or full names, any case, in the order given)."""
    days: list[int] = []
    for part in _split(text):
        index = _DAY_NAMES.get(part.lower())
        if index is None:
            raise WfmError(f"'{part}' is not a day of the week (Mon, Tue, ... Sun)")
        if index not in days:
            days.append(index)
    return tuple(days)


def format_weekdays(days: Iterable[int]) -> str:
    return ";".join(WEEKDAYS[d] for d in days)


def parse_dates(text: str) -> tuple[dt.date, ...]:
    """``"2026-11-03..2026-11-05;2026-12-24"`` -> every date, in the order given, once."""
    seen: dict[dt.date, None] = {}
    for part in _split(text):
        first_text, sep, last_text = part.partition("..")
        first = _parse_date(first_text)
        last = _parse_date(last_text) if sep else first
        if last < first:
            raise WfmError(f"the range '{part}' runs backwards")
        if (last - first).days > _MAX_RANGE_DAYS:
            raise WfmError(f"the range '{part}' is longer than ten years")
        for i in range((last - first).days + 1):
            seen.setdefault(first + dt.timedelta(days=i), None)
    return tuple(seen)


def format_dates(dates: Sequence[dt.date]) -> str:
    """ISO dates separated by ';', runs of three or more consecutive days as ranges."""
    parts: list[str] = []
    i = 0
    while i < len(dates):
        j = i
        while j + 1 < len(dates) and dates[j + 1] == dates[j] + dt.timedelta(days=1):
            j += 1
        if j - i >= 2:
            parts.append(f"{dates[i].isoformat()}..{dates[j].isoformat()}")
        else:
            parts.extend(d.isoformat() for d in dates[i : j + 1])
        i = j + 1
    return ";".join(parts)


def parse_names(text: str) -> tuple[str, ...]:
    """``"Sales; Support"`` -> ``("Sales", "Support")`` (blanks and repeats dropped)."""
    return unique(text.split(";"))


def _split(text: str) -> list[str]:
    return [p.strip() for p in text.split(";") if p.strip()]


def _parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise WfmError(f"'{text.strip()}' is not a date like 2026-11-03") from None


def _field_parsers() -> dict[str, Callable[[str], Any]]:
    def hours(text: str) -> float:
        value = parse_number(text)
        if value < 0:
            raise WfmError(f"'{text}' is negative: hours must be 0 or more")
        return value

    def cost(text: str) -> float | None:
        if not text.strip():
            return None
        value = parse_number(text)
        if value < 0:
            raise WfmError(f"'{text}' is negative: the hourly cost must be 0 or more")
        return value

    return {
        "name": str.strip,
        "team": str.strip,
        "skills": parse_names,
        "min_weekly_hours": hours,
        "max_weekly_hours": hours,
        "hourly_cost": cost,
        "unavailable_days": parse_weekdays,
        "unavailable_dates": parse_dates,
        "leave": parse_dates,
        "preferred_shift": str.strip,
        "preferred_days_off": parse_weekdays,
        "templates": parse_names,
    }


_PARSERS = _field_parsers()


def check_agent_fields(fields: Mapping[str, str]) -> dict[str, str]:
    """Every problem of one agent's texts, keyed by column (empty when the agent is good).

    Missing or empty hour columns take the :class:`Agent` defaults.
    """
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for column, parse in _PARSERS.items():
        text = fields.get(column, "")
        if column in ("min_weekly_hours", "max_weekly_hours") and not text.strip():
            continue
        try:
            values[column] = parse(text)
        except WfmError as exc:
            errors[column] = str(exc)
    if "name" not in errors and not values.get("name"):
        errors["name"] = "an agent needs a name"
    low = values.get("min_weekly_hours", _DEFAULT_AGENT.min_weekly_hours)
    high = values.get("max_weekly_hours", _DEFAULT_AGENT.max_weekly_hours)
    if not errors.keys() & {"min_weekly_hours", "max_weekly_hours"} and low > high:
        column = (
            "max_weekly_hours" if fields.get("max_weekly_hours", "").strip() else "min_weekly_hours"
        )
        errors[column] = (
            f"the weekly hours run from {format_number(low)} to {format_number(high)}: "
            "the minimum is above the maximum"
        )
    return errors


def agent_from_fields(fields: Mapping[str, str]) -> Agent:
    """The agent of one row's texts (keys from :data:`AGENT_COLUMNS`; missing keys are
    empty). Raises :class:`InputError` with ``column`` set (no file or row)."""
    errors = check_agent_fields(fields)
    if errors:
        column = next(c for c in AGENT_COLUMNS if c in errors)
        raise InputError(errors[column], column=column)
    values: dict[str, Any] = {}
    for column, parse in _PARSERS.items():
        text = fields.get(column, "")
        if column in ("min_weekly_hours", "max_weekly_hours") and not text.strip():
            continue
        values[column] = parse(text)
    try:
        return Agent(**values)
    except WfmError as exc:  # pragma: no cover - check_agent_fields covers the checks
        raise InputError(str(exc), column="name") from None


def agent_to_fields(agent: Agent) -> dict[str, str]:
    """The texts of one agent, keyed by :data:`AGENT_COLUMNS` (what the writer writes)."""
    return {
        "name": agent.name,
        "team": agent.team,
        "skills": ";".join(agent.skills),
        "min_weekly_hours": format_number(agent.min_weekly_hours),
        "max_weekly_hours": format_number(agent.max_weekly_hours),
        "hourly_cost": "" if agent.hourly_cost is None else format_number(agent.hourly_cost),
        "unavailable_days": format_weekdays(agent.unavailable_days),
        "unavailable_dates": format_dates(agent.unavailable_dates),
        "leave": format_dates(agent.leave),
        "preferred_shift": agent.preferred_shift,
        "preferred_days_off": format_weekdays(agent.preferred_days_off),
        "templates": ";".join(agent.templates),
    }


# --- row numbers -----------------------------------------------------------------------------
def csv_row_number(path: Path, index: int) -> int:
    """The row number in the file (header = row 1, blank lines counted) of data row ``index``
    (0-based) of :func:`~wfm.io.textfiles.read_csv_table`, which skips blank lines. Only
    called to name a bad row, so the file is read again just then."""
    number = index + 2  # no blank lines: the header is row 1
    try:
        with path.open(newline="", encoding="utf-8-sig", errors="replace") as handle:
            seen = -1  # the header is data row -1
            for number, fields in enumerate(csv.reader(handle), start=1):
                if not fields or (len(fields) == 1 and not fields[0].strip()):
                    continue  # a blank line: pandas skips it, a spreadsheet counts it
                if seen == index:
                    return number
                seen += 1
    except (OSError, csv.Error):
        pass
    return index + 2


# --- agents.csv ------------------------------------------------------------------------------
def read_agents_csv(path: str | Path) -> tuple[Agent, ...]:
    """The agents of an ``agents.csv`` (columns :data:`AGENT_COLUMNS`; only ``name`` is
    required, missing columns take the :class:`Agent` defaults).

    Raises
    ------
    InputError
        Naming the file, row (header = row 1) and column: a bad number, an unknown weekday
        or date, weekly hours whose minimum is above the maximum, a negative cost, an agent
        listed twice (the second row), or a column that looks like a misspelt known
        one (other extra columns are ignored).
    """
    path = Path(path)
    raw = read_csv_table(path, "agents CSV")
    raw.columns = [str(c).strip().lower() for c in raw.columns]
    # Extra columns (an employee number, a site) are allowed and ignored; one that looks
    # like a misspelt known column is refused, so a typo never silently drops a contract.
    for column in raw.columns:
        if column in AGENT_COLUMNS:
            continue
        close = difflib.get_close_matches(column, AGENT_COLUMNS, n=1, cutoff=0.8)
        if close:
            raise InputError(f"unknown column '{column}': did you mean '{close[0]}'?", file=path)
    raw = raw[[c for c in raw.columns if c in AGENT_COLUMNS]]
    if "name" not in raw.columns:
        raise InputError(f"has no 'name' column (expected {', '.join(AGENT_COLUMNS)})", file=path)
    if len(set(raw.columns)) != len(raw.columns):
        raise InputError("has the same column twice", file=path)
    agents: list[Agent] = []
    rows_of: dict[str, int] = {}
    for i, record in enumerate(raw.to_dict("records")):
        fields = {str(k): str(v) for k, v in record.items()}
        if not any(v.strip() for v in fields.values()):
            continue  # a row of empty cells, as spreadsheets leave at the end
        try:
            agent = agent_from_fields(fields)
        except InputError as exc:
            row = csv_row_number(path, i)
            raise InputError(exc.message, file=path, row=row, column=exc.column) from None
        key = agent.name.casefold()
        if key in rows_of:
            raise InputError(
                f"'{agent.name}' is listed twice (first on row "
                f"{csv_row_number(path, rows_of[key])})",
                file=path,
                row=csv_row_number(path, i),
                column="name",
            )
        rows_of[key] = i
        agents.append(agent)
    if not agents:
        raise InputError("has no agents", file=path)
    return tuple(agents)


def agents_csv_text(agents: Iterable[Agent]) -> str:
    """The text :func:`write_agents_csv` writes."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(AGENT_COLUMNS)
    for agent in agents:
        fields = agent_to_fields(agent)
        writer.writerow([fields[c] for c in AGENT_COLUMNS])
    return out.getvalue()


def write_agents_csv(agents: Iterable[Agent], path: str | Path) -> None:
    """Write ``agents`` as UTF-8 CSV with every column of :data:`AGENT_COLUMNS`, atomically."""
    text = agents_csv_text(agents)
    atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8", newline=""))


# --- shift_templates.toml --------------------------------------------------------------------
def read_shift_setup(path: str | Path) -> ShiftSetup:
    """The shift templates (``[[template]]`` blocks with ``[[template.break]]``) and the
    optional ``[rules]`` table of a ``shift_templates.toml``.

    Raises
    ------
    InputError
        Naming the file, the template (and break) and the key: an unknown key, a time that
        is not ``HH:MM``, a window that runs backwards, a break that ends after the shift...
    """
    path = Path(path)
    data = read_toml(path, "shift templates TOML")
    _check_keys(data, ("template", "rules"), path, "")
    return setup_from_dict(data, source=path)


def setup_from_dict(data: Mapping[str, Any], *, source: str | Path | None = None) -> ShiftSetup:
    """A :class:`ShiftSetup` from parsed TOML (``source`` names the file in messages)."""
    items = data.get("template", [])
    if not isinstance(items, list):
        raise InputError("'template' must be a list of tables ([[template]])", file=source)
    if not items:
        raise InputError("has no shift templates ([[template]] blocks)", file=source)
    templates: list[ShiftTemplate] = []
    seen: set[str] = set()
    for i, item in enumerate(items, 1):
        template = _template(item, i, source)
        if template.name.casefold() in seen:
            raise InputError(f"template '{template.name}' is defined twice", file=source)
        seen.add(template.name.casefold())
        templates.append(template)
    rules = Rules()
    if "rules" in data:
        rules = _rules(data["rules"], source, "[rules]: ")
    return ShiftSetup(tuple(templates), rules)


def read_rules(path: str | Path) -> Rules:
    """The working-time rules of a TOML file: a ``[rules]`` table (a whole
    ``shift_templates.toml`` will do; its templates are ignored) or the keys at the top
    level. Missing keys take the :class:`Rules` defaults."""
    path = Path(path)
    data = read_toml(path, "rules TOML")
    if "rules" in data:
        _check_keys(data, ("template", "rules"), path, "")
        return _rules(data["rules"], path, "[rules]: ")
    return _rules(data, path, "")


def shift_setup_toml(setup: ShiftSetup) -> str:
    """The text :func:`write_shift_setup` writes."""
    lines = [
        "# Shift templates and working-time rules (written by WFM Planner).",
        "#",
        "# A template says when a shift may start (start_earliest .. start_latest, every",
        "# start_step_minutes), how long it may be (lengths_hours), on which days it is used, "
        "and its",
        "# breaks: each break has a kind, a length and a window counted from the shift's start.",
    ]
    for t in setup.templates:
        lines += [
            "",
            "[[template]]",
            f"name = {_toml_str(t.name)}",
            f"days = [{', '.join(_toml_str(WEEKDAYS[d]) for d in t.days)}]",
            f"start_earliest = {_toml_str(clock(t.start_earliest))}",
            f"start_latest = {_toml_str(clock(t.start_latest))}",
            f"start_step_minutes = {t.start_step_minutes}",
            f"lengths_hours = [{', '.join(format_number(m / 60) for m in t.lengths_minutes)}]",
        ]
        if t.break_step_minutes != ShiftTemplate.break_step_minutes:
            lines.append(f"break_step_minutes = {t.break_step_minutes}")
        for b in t.breaks:
            lines += [
                "[[template.break]]",
                f"kind = {_toml_str(b.kind)}",
                f"minutes = {b.minutes}",
                f"earliest_after_start_minutes = {b.earliest_after_start_minutes}",
                f"latest_after_start_minutes = {b.latest_after_start_minutes}",
            ]
            if b.paid is not None:
                lines.append(f"paid = {_toml_bool(b.paid)}")
    r = setup.rules
    lines += [
        "",
        "[rules]",
        f"min_rest_hours = {format_number(r.min_rest_hours)}",
        f"max_consecutive_days = {r.max_consecutive_days}",
        f"days_off_per_week = {r.days_off_per_week}",
        f"max_hours_per_day = {format_number(r.max_hours_per_day)}",
        f"max_hours_per_week = {format_number(r.max_hours_per_week)}",
        f"late_shift_ends_after = {_toml_str(clock(r.late_shift_ends_after))}",
        f"fair_weekends = {_toml_bool(r.fair_weekends)}",
        f"fair_late_shifts = {_toml_bool(r.fair_late_shifts)}",
    ]
    return "\n".join(lines) + "\n"


def write_shift_setup(setup: ShiftSetup, path: str | Path) -> None:
    """Write ``setup`` as a ``shift_templates.toml``, atomically."""
    if not setup.templates:
        raise WfmError("There are no shift templates to save.")
    text = shift_setup_toml(setup)
    atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8", newline="\n"))


# --- TOML helpers ----------------------------------------------------------------------------
def _toml_str(text: str) -> str:
    # JSON string escapes (\" \\ \n \uXXXX) are valid TOML basic-string escapes.
    return json.dumps(text, ensure_ascii=False)


def _toml_bool(value: bool) -> str:
    return "true" if value else "false"


def _check_keys(
    item: Mapping[str, Any], known: Sequence[str], source: str | Path | None, label: str
) -> None:
    unknown = [str(k) for k in item if k not in known]
    if unknown:
        s = "s" if len(unknown) > 1 else ""
        raise InputError(
            f"{label}unknown key{s} {', '.join(repr(k) for k in unknown)} "
            f"(expected {', '.join(known)})",
            file=source,
        )


def _template(item: Any, index: int, source: str | Path | None) -> ShiftTemplate:
    label = f"template {index}: "
    if not isinstance(item, Mapping):
        raise InputError(f"{label}must be a table ([[template]])", file=source)
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        raise InputError(f'{label}needs a name (name = "Early")', file=source)
    label = f"template '{name}': "
    _check_keys(item, TEMPLATE_KEYS, source, label)

    def fail(message: str) -> InputError:
        return InputError(label + message, file=source)

    for key in ("days", "start_earliest", "start_latest", "start_step_minutes", "lengths_hours"):
        if key not in item:
            raise fail(f"'{key}' is missing")
    days_value = item["days"]
    if not isinstance(days_value, list) or not all(isinstance(d, str) for d in days_value):
        raise fail('days must be a list of weekday names like ["Mon", "Tue"]')
    try:
        days = parse_weekdays(";".join(days_value))
    except WfmError as exc:
        raise fail(f"days: {exc}") from None
    starts = [_start_time(item[key], key, fail) for key in ("start_earliest", "start_latest")]
    step = _whole(item["start_step_minutes"], "start_step_minutes", fail)
    break_step = _whole(
        item.get("break_step_minutes", ShiftTemplate.break_step_minutes), "break_step_minutes", fail
    )
    lengths = item["lengths_hours"]
    if not isinstance(lengths, list):
        lengths = [lengths]
    length_minutes = tuple(_length_minutes(v, fail) for v in lengths)
    breaks_value = item.get("break", [])
    if not isinstance(breaks_value, list):
        raise fail("'break' must be a list of tables ([[template.break]])")
    breaks = tuple(
        _break(b, f"template '{name}', break {i}: ", source) for i, b in enumerate(breaks_value, 1)
    )
    try:
        return ShiftTemplate(
            name=name.strip(),
            days=days,
            start_earliest=starts[0],
            start_latest=starts[1],
            start_step_minutes=step,
            lengths_minutes=length_minutes,
            breaks=breaks,
            break_step_minutes=break_step,
        )
    except WfmError as exc:
        raise fail(_drop_prefix(str(exc), f"shift template '{name.strip()}': ")) from None


def _break(item: Any, label: str, source: str | Path | None) -> BreakRule:
    if not isinstance(item, Mapping):
        raise InputError(f"{label}must be a table ([[template.break]])", file=source)
    _check_keys(item, BREAK_KEYS, source, label)

    def fail(message: str) -> InputError:
        return InputError(label + message, file=source)

    for key in BREAK_KEYS[:4]:
        if key not in item:
            raise fail(f"'{key}' is missing")
    kind = item["kind"]
    if not isinstance(kind, str) or not kind.strip():
        raise fail('kind must be a name like "lunch" or "short"')
    paid = item.get("paid")
    if paid is not None and not isinstance(paid, bool):
        raise fail(f"paid must be true or false, not {paid!r}")
    try:
        return BreakRule(
            kind=kind.strip(),
            minutes=_whole(item["minutes"], "minutes", fail),
            earliest_after_start_minutes=_whole(
                item["earliest_after_start_minutes"], "earliest_after_start_minutes", fail
            ),
            latest_after_start_minutes=_whole(
                item["latest_after_start_minutes"], "latest_after_start_minutes", fail
            ),
            paid=paid,
        )
    except WfmError as exc:
        if isinstance(exc, InputError):
            raise
        raise fail(str(exc)) from None


def _rules(item: Any, source: str | Path | None, label: str) -> Rules:
    if not isinstance(item, Mapping):
        raise InputError(f"{label}must be a table", file=source)
    _check_keys(item, RULE_KEYS, source, label)

    def fail(message: str) -> InputError:
        return InputError(label + message, file=source)

    values: dict[str, Any] = {}
    for key in ("min_rest_hours", "max_hours_per_day", "max_hours_per_week"):
        if key in item:
            values[key] = _float(item[key], key, fail)
    for key in ("max_consecutive_days", "days_off_per_week"):
        if key in item:
            values[key] = _whole(item[key], key, fail)
    for key in ("fair_weekends", "fair_late_shifts"):
        if key in item:
            if not isinstance(item[key], bool):
                raise fail(f"{key} must be true or false, not {item[key]!r}")
            values[key] = item[key]
    if "late_shift_ends_after" in item:
        value = item["late_shift_ends_after"]
        text = value.strftime("%H:%M") if isinstance(value, dt.time) else value
        if not isinstance(text, str):
            raise fail(f'late_shift_ends_after must be a time like "19:00", not {value!r}')
        try:
            values["late_shift_ends_after"] = parse_clock(text, "late_shift_ends_after")
        except WfmError as exc:
            raise fail(str(exc)) from None
    try:
        return Rules(**values)
    except WfmError as exc:
        raise fail(str(exc)) from None


def _start_time(value: Any, key: str, fail: Callable[[str], InputError]) -> int:
    if isinstance(value, dt.time):
        value = value.strftime("%H:%M")
    if not isinstance(value, str):
        raise fail(f'{key} must be a time like "07:30", not {value!r}')
    try:
        minutes = parse_clock(value, key)
    except WfmError:
        minutes = -1
    if not 0 <= minutes < MINUTES_PER_DAY:
        raise fail(f"{key} '{value}' is not a time of day (00:00-23:59)")
    return minutes


def _whole(value: Any, key: str, fail: Callable[[str], InputError]) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise fail(f"{key} must be a whole number, not {value!r}")
    if isinstance(value, float) and not value.is_integer():
        raise fail(f"{key} must be a whole number, not {value!r}")
    return int(value)


def _float(value: Any, key: str, fail: Callable[[str], InputError]) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise fail(f"{key} must be a number, not {value!r}")
    return float(value)


def _length_minutes(value: Any, fail: Callable[[str], InputError]) -> int:
    hours = _float(value, "lengths_hours", fail)
    minutes = hours * 60
    if abs(minutes - round(minutes)) > 1e-6:
        raise fail(f"lengths_hours: {value!r} h is not a whole number of minutes")
    return int(round(minutes))


def _drop_prefix(text: str, prefix: str) -> str:
    return text[len(prefix) :] if text.startswith(prefix) else text
