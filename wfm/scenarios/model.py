"""What-if scenarios: the base plan plus a few changes a planner wants to try.

A :class:`Scenario` changes the demand (volume and AHT, on some queues, dates, weekdays or
hours), the targets (service level, occupancy cap, shrinkage) or the headcount of the roster
kept. :mod:`wfm.scenarios.evaluate` applies it and measures what it costs.

File format (TOML, :func:`read_scenarios` / :func:`write_scenarios`)::

    [[scenario]]
    name = "Winter promotion"
    description = "Mailing lands on the 11th"

    [[scenario.volume]]          # any number of volume changes, applied in order
    percent = 40                 # +40 % (x1.40); or calls = 20: 20 calls added per interval
    queues = ["Sales"]           # leave out: every queue
    dates = "2026-11-11"         # a date, "2026-11-11..2026-11-13", "a;b", a TOML date or a list
    weekdays = "Mon;Tue"         # leave out: every day of the week
    start = "09:00"              # interval starts from 09:00 ...
    end = "12:00"                # ... and before 12:00

    [[scenario.aht]]
    percent = 10                 # or seconds = 30: 30 s added to the AHT

    [[scenario]]
    name = "SL 90/20"
    service_level = 0.9          # shares, as in the staffing targets
    answer_seconds = 20
    max_occupancy = 0.85
    shrinkage = 0.35
    headcount = 5                # agents added to (or, negative, removed from) the roster kept

Every part of a :class:`Where` that is given must match (queue *and* date *and* weekday *and*
hours). Volume and AHT percentages are percent (``40`` is +40 %); service level, occupancy
and shrinkage are shares (``0.9`` is 90 %), as everywhere else in the planner.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from wfm.errors import InputError, WfmError
from wfm.io.atomic import atomic_write
from wfm.io.textfiles import read_toml
from wfm.scheduling.loaders import format_dates, format_weekdays, parse_dates, parse_weekdays
from wfm.scheduling.model import MINUTES_PER_DAY, WEEKDAYS, clock, parse_clock
from wfm.staffing.requirement import StaffingTarget

__all__ = [
    "AhtChange",
    "Scenario",
    "VolumeChange",
    "Where",
    "read_scenarios",
    "scenarios_from_text",
    "scenarios_to_text",
    "write_scenarios",
]


@dataclass(frozen=True)
class Where:
    """Which intervals a change applies to; every part that is given must match.

    Parameters
    ----------
    queues
        Queue names; empty: every queue.
    dates
        Dates (kept sorted, each once); empty: every date.
    weekdays
        0 = Monday .. 6 = Sunday (kept sorted); empty: every day of the week.
    start, end
        Minutes after midnight: the interval *start* must be ``>= start`` and ``< end``.
        ``None``: from midnight / until midnight.
    """

    queues: tuple[str, ...] = ()
    dates: tuple[dt.date, ...] = ()
    weekdays: tuple[int, ...] = ()
    start: int | None = None
    end: int | None = None

    def __post_init__(self) -> None:
        if any(not isinstance(q, str) or not q.strip() for q in self.queues):
            raise WfmError(f"queues must be names, not {list(self.queues)!r}")
        object.__setattr__(self, "queues", tuple(dict.fromkeys(q.strip() for q in self.queues)))
        for d in self.dates:
            if not isinstance(d, dt.date) or isinstance(d, dt.datetime):
                raise WfmError(f"dates must be dates like 2026-11-11, not {d!r}")
        object.__setattr__(self, "dates", tuple(sorted(set(self.dates))))
        for w in self.weekdays:
            if isinstance(w, bool) or not isinstance(w, int | np.integer) or not 0 <= w <= 6:
                raise WfmError(f"weekdays must be 0 (Monday) to 6 (Sunday), not {w!r}")
        object.__setattr__(self, "weekdays", tuple(sorted({int(w) for w in self.weekdays})))
        for name in ("start", "end"):
            value = getattr(self, name)
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int | np.integer):
                raise WfmError(f"'{name}' must be a time of day like 09:00, not {value!r}")
            if not 0 <= value <= MINUTES_PER_DAY:
                shown = clock(int(value)) if value >= 0 else str(value)
                raise WfmError(f"'{name}' must be a time from 00:00 to 24:00, not {shown}")
            object.__setattr__(self, name, int(value))
        if self.start is not None and self.end is not None and self.end <= self.start:
            raise WfmError(f"'end' {clock(self.end)} must be after 'start' {clock(self.start)}")

    @property
    def everywhere(self) -> bool:
        """True when nothing narrows it: every queue, date and interval."""
        return self == Where()

    def mask(self, demand: pd.DataFrame) -> np.ndarray:
        """A boolean per row of ``demand`` (``queue``, ``interval_start``): the rows it names."""
        out = np.ones(len(demand), dtype=bool)
        if self.queues:
            out &= demand["queue"].astype(str).isin(self.queues).to_numpy()
        stamps = pd.to_datetime(demand["interval_start"])
        if self.dates:
            days = stamps.dt.normalize().to_numpy(dtype="datetime64[ns]")
            wanted = np.array([np.datetime64(d, "ns") for d in self.dates])
            out &= np.isin(days, wanted)
        if self.weekdays:
            out &= stamps.dt.day_of_week.isin(self.weekdays).to_numpy()
        if self.start is not None or self.end is not None:
            minute = (stamps.dt.hour * 60 + stamps.dt.minute).to_numpy()
            if self.start is not None:
                out &= minute >= self.start
            if self.end is not None:
                out &= minute < self.end
        return out

    def describe(self) -> str:
        """In a planner's words, e.g. ``Sales on Wed 11 Nov 2026, 09:00-12:00``."""
        parts = [" and ".join(self.queues) if self.queues else "all queues"]
        if self.dates:
            parts.append("on " + _describe_dates(self.dates))
        if self.weekdays:
            parts.append("on " + ", ".join(WEEKDAYS[w] for w in self.weekdays))
        text = " ".join(parts)
        if self.start is not None and self.end is not None:
            text += f", {clock(self.start)}-{clock(self.end)}"
        elif self.start is not None:
            text += f", from {clock(self.start)}"
        elif self.end is not None:
            text += f", until {clock(self.end)}"
        return text


def _day_text(d: dt.date) -> str:
    return f"{WEEKDAYS[d.weekday()]} {d.day} {d.strftime('%b %Y')}"


def _describe_dates(dates: Sequence[dt.date]) -> str:
    runs: list[str] = []
    i = 0
    while i < len(dates):
        j = i
        while j + 1 < len(dates) and dates[j + 1] == dates[j] + dt.timedelta(days=1):
            j += 1
        runs.append(
            _day_text(dates[i]) if i == j else f"{_day_text(dates[i])} to {_day_text(dates[j])}"
        )
        i = j + 1
    return ", ".join(runs)


def _check_one_of(kind: str, a: tuple[str, float | None], b: tuple[str, float | None]) -> None:
    given = [(name, v) for name, v in (a, b) if v is not None]
    if len(given) != 1:
        raise WfmError(f"a {kind} change needs exactly one of '{a[0]}' and '{b[0]}'")
    name, value = given[0]
    if isinstance(value, bool) or not isinstance(value, int | float | np.number):
        raise WfmError(f"'{name}' must be a number, not {value!r}")
    if not math.isfinite(float(value)):
        raise WfmError(f"'{name}' must be a finite number, not {value!r}")
    if name == "percent" and value <= -100:
        raise WfmError(f"'percent' must be above -100 (-100 % would leave nothing), not {value:g}")


def _signed(value: float, unit: str) -> str:
    return f"{value:+g}{unit}"


@dataclass(frozen=True)
class VolumeChange:
    """More or fewer calls where ``where`` matches.

    Exactly one of ``percent`` (``+40``: the volume x 1.40; must be above -100) and ``calls``
    (calls added to each matching interval; negative removes, never below 0 calls). Added
    calls go to the intervals where the queue is open that day (from its first to its last
    interval with calls), unless ``where`` names hours: then to every interval it names.
    """

    percent: float | None = None
    calls: float | None = None
    where: Where = field(default_factory=Where)

    def __post_init__(self) -> None:
        _check_one_of("volume", ("percent", self.percent), ("calls", self.calls))

    def describe(self) -> str:
        if self.percent is not None:
            what = f"Volume {_signed(self.percent, ' %')}"
        else:
            assert self.calls is not None
            what = f"Volume {_signed(self.calls, ' calls')} per interval"
        return f"{what} for {self.where.describe()}"


@dataclass(frozen=True)
class AhtChange:
    """A longer or shorter AHT where ``where`` matches.

    Exactly one of ``percent`` (``+10``: the AHT x 1.10; must be above -100) and ``seconds``
    (added to the AHT; the result must stay above 0 s where there are calls).
    """

    percent: float | None = None
    seconds: float | None = None
    where: Where = field(default_factory=Where)

    def __post_init__(self) -> None:
        _check_one_of("AHT", ("percent", self.percent), ("seconds", self.seconds))

    def describe(self) -> str:
        if self.percent is not None:
            what = f"AHT {_signed(self.percent, ' %')}"
        else:
            assert self.seconds is not None
            what = f"AHT {_signed(self.seconds, ' s')}"
        return f"{what} for {self.where.describe()}"


@dataclass(frozen=True)
class Scenario:
    """The base plan plus changes (see the module docs).

    Parameters
    ----------
    name
        What the planner calls it (unique within a file).
    description
        Free text.
    volume, aht
        Changes to the demand, applied in order.
    service_level, answer_seconds
        Replace the base target's service level (a share) and answer time (seconds).
    max_occupancy
        Replaces the base target's occupancy cap (a share).
    shrinkage
        Replaces the base shrinkage (a share), also a per-interval shrinkage of the demand.
    headcount
        Agents added to (+) or removed from (-) the roster kept; an average effect, see
        :func:`wfm.scenarios.evaluate.evaluate`.
    """

    name: str
    description: str = ""
    volume: tuple[VolumeChange, ...] = ()
    aht: tuple[AhtChange, ...] = ()
    service_level: float | None = None
    answer_seconds: float | None = None
    max_occupancy: float | None = None
    shrinkage: float | None = None
    headcount: int = 0

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise WfmError("a scenario needs a name")
        object.__setattr__(self, "name", self.name.strip())
        object.__setattr__(self, "volume", tuple(self.volume))
        object.__setattr__(self, "aht", tuple(self.aht))

        def bad(text: str) -> WfmError:
            return WfmError(f"scenario '{self.name}': {text}")

        if not all(isinstance(c, VolumeChange) for c in self.volume):
            raise bad("'volume' must hold volume changes")
        if not all(isinstance(c, AhtChange) for c in self.aht):
            raise bad("'aht' must hold AHT changes")
        if isinstance(self.headcount, bool) or not isinstance(self.headcount, int | np.integer):
            raise bad(
                f"the headcount change must be a whole number of agents, not {self.headcount!r}"
            )
        object.__setattr__(self, "headcount", int(self.headcount))
        try:
            self.target(StaffingTarget())
        except WfmError as exc:
            raise bad(str(exc).removeprefix("Staffing target: ")) from None

    def target(self, base: StaffingTarget) -> StaffingTarget:
        """``base`` with this scenario's service level, answer time, occupancy cap and
        shrinkage (where given)."""
        changes: dict[str, object] = {}
        for name in ("service_level", "answer_seconds", "max_occupancy", "shrinkage"):
            value = getattr(self, name)
            if value is not None:
                if isinstance(value, bool) or not isinstance(value, int | float | np.number):
                    raise WfmError(f"'{name}' must be a number, not {value!r}")
                changes[name] = float(value)
        return base.with_changes(**changes) if changes else base

    @property
    def changes_target(self) -> bool:
        """True when it changes the targets or shrinkage."""
        fields = (self.service_level, self.answer_seconds, self.max_occupancy, self.shrinkage)
        return any(v is not None for v in fields)

    def describe(self) -> list[str]:
        """One line per change, for the window and the comparison CSV."""
        lines = [c.describe() for c in self.volume]
        lines += [c.describe() for c in self.aht]
        if self.service_level is not None or self.answer_seconds is not None:
            if self.service_level is not None and self.answer_seconds is not None:
                lines.append(
                    f"Service level {self.service_level * 100:g} % in {self.answer_seconds:g} s"
                )
            elif self.service_level is not None:
                lines.append(f"Service level {self.service_level * 100:g} %")
            else:
                assert self.answer_seconds is not None
                lines.append(f"Answer time {self.answer_seconds:g} s")
        if self.max_occupancy is not None:
            lines.append(f"Occupancy at most {self.max_occupancy * 100:g} %")
        if self.shrinkage is not None:
            lines.append(f"Shrinkage {self.shrinkage * 100:g} %")
        if self.headcount:
            n = abs(self.headcount)
            verb = "added" if self.headcount > 0 else "removed"
            lines.append(f"{n} agent{'s' if n != 1 else ''} {verb}")
        return lines


# --- files -----------------------------------------------------------------------------------
_SCENARIO_KEYS = (
    "name",
    "description",
    "volume",
    "aht",
    "service_level",
    "answer_seconds",
    "max_occupancy",
    "shrinkage",
    "headcount",
)
_WHERE_KEYS = ("queues", "dates", "weekdays", "start", "end")
_CHANGE_KEYS = {"volume": ("percent", "calls"), "aht": ("percent", "seconds")}


def read_scenarios(path: str | Path) -> tuple[Scenario, ...]:
    """Read a scenarios TOML file (``[[scenario]]`` blocks, see the module docs).

    Raises
    ------
    InputError
        Naming the file, the scenario and the key of the first problem; an unknown key is
        refused (with the nearest known key).
    """
    path = Path(path)
    data = read_toml(path, "scenarios TOML file")
    return _from_dict(data, path)


def scenarios_from_text(text: str, source: str = "scenarios") -> tuple[Scenario, ...]:
    """Scenarios from TOML text (as the project file stores it); ``source`` names it in
    messages."""
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"not a valid scenarios TOML file ({exc})", file=source) from None
    return _from_dict(data, source)


def _near(key: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(key, list(known), n=1)
    return f"; did you mean '{close[0]}'?" if close else f" (known: {', '.join(known)})"


def _from_dict(data: Mapping[str, Any], source: str | Path) -> tuple[Scenario, ...]:
    for key in data:
        if key != "scenario":
            raise InputError(f"unknown key '{key}'{_near(key, ['scenario'])}", file=source)
    items = data.get("scenario", [])
    if not isinstance(items, list):
        raise InputError("'scenario' must be a list of tables ([[scenario]])", file=source)
    out: list[Scenario] = []
    names: set[str] = set()
    for i, item in enumerate(items, 1):
        label = f"scenario {i}"
        if isinstance(item, Mapping) and isinstance(item.get("name"), str):
            label = f"scenario {i} ('{item['name']}')"
        if not isinstance(item, Mapping):
            raise InputError(f"{label}: must be a table", file=source)
        scenario = _scenario(item, label, source)
        if scenario.name in names:
            raise InputError(f"{label}: the name '{scenario.name}' is used twice", file=source)
        names.add(scenario.name)
        out.append(scenario)
    return tuple(out)


def _scenario(item: Mapping[str, Any], label: str, source: str | Path) -> Scenario:
    def fail(key: str, text: str) -> InputError:
        return InputError(f"{label}, '{key}': {text}", file=source)

    for key in item:
        if key not in _SCENARIO_KEYS:
            raise fail(key, f"unknown key{_near(key, _SCENARIO_KEYS)}")
    if "name" not in item:
        raise fail("name", "missing; every scenario needs a name")
    if not isinstance(item["name"], str) or not item["name"].strip():
        raise fail("name", f"must be text, not {item['name']!r}")
    description = item.get("description", "")
    if not isinstance(description, str):
        raise fail("description", f"must be text, not {description!r}")
    numbers: dict[str, float | None] = {}
    for key in ("service_level", "answer_seconds", "max_occupancy", "shrinkage"):
        value = item.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise fail(key, f"must be a number, not {value!r}")
        numbers[key] = None if value is None else float(value)
        if value is not None:
            try:
                StaffingTarget().with_changes(**{key: float(value)})
            except WfmError as exc:
                raise fail(key, str(exc).removeprefix("Staffing target: ")) from None
    headcount = item.get("headcount", 0)
    if isinstance(headcount, bool) or not isinstance(headcount, int):
        raise fail("headcount", f"must be a whole number of agents, not {headcount!r}")
    changes: dict[str, list[Any]] = {}
    for kind in ("volume", "aht"):
        blocks = item.get(kind, [])
        if isinstance(blocks, Mapping):
            blocks = [blocks]
        if not isinstance(blocks, list):
            raise fail(kind, f"must be a list of tables ([[scenario.{kind}]])")
        changes[kind] = [
            _change(kind, block, f"{kind}[{j}]", fail) for j, block in enumerate(blocks, 1)
        ]
    try:
        return Scenario(
            name=item["name"],
            description=description,
            volume=tuple(changes["volume"]),
            aht=tuple(changes["aht"]),
            headcount=headcount,
            **numbers,
        )
    except WfmError as exc:
        raise InputError(f"{label}: {exc}", file=source) from None


def _change(kind: str, block: Any, where_key: str, fail: Any) -> VolumeChange | AhtChange:
    if not isinstance(block, Mapping):
        raise fail(where_key, "must be a table")
    amounts = _CHANGE_KEYS[kind]
    known = (*amounts, *_WHERE_KEYS)
    for key in block:
        if key not in known:
            raise fail(f"{where_key}.{key}", f"unknown key{_near(key, known)}")
    try:
        where = Where(
            queues=_names(block.get("queues", ())),
            dates=_dates(block.get("dates", ())),
            weekdays=_weekdays(block.get("weekdays", ())),
            start=_time(block, "start"),
            end=_time(block, "end"),
        )
    except WfmError as exc:
        raise fail(where_key, str(exc)) from None
    args = {key: block.get(key) for key in amounts}
    for key, value in args.items():
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise fail(f"{where_key}.{key}", f"must be a number, not {value!r}")
    try:
        if kind == "volume":
            return VolumeChange(where=where, **args)
        return AhtChange(where=where, **args)
    except WfmError as exc:
        given = [k for k in amounts if args[k] is not None]
        key = f"{where_key}.{given[0]}" if len(given) == 1 else where_key
        raise fail(key, str(exc)) from None


def _names(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple) or not all(isinstance(q, str) for q in value):
        raise WfmError(f"'queues' must be a list of queue names, not {value!r}")
    return tuple(value)


def _dates(value: Any) -> tuple[dt.date, ...]:
    values = value if isinstance(value, list | tuple) else [value]
    out: list[dt.date] = []
    for v in values:
        if isinstance(v, dt.datetime):
            raise WfmError(f"'dates' must be dates like 2026-11-11, not a date and time ({v})")
        if isinstance(v, dt.date):
            out.append(v)
        elif isinstance(v, str):
            try:
                out.extend(parse_dates(v))
            except WfmError as exc:
                raise WfmError(f"'dates': {exc}") from None
        else:
            raise WfmError(f"'dates' must be dates like 2026-11-11, not {v!r}")
    return tuple(out)


def _weekdays(value: Any) -> tuple[int, ...]:
    values = value if isinstance(value, list | tuple) else [value]
    if not all(isinstance(v, str) for v in values):
        raise WfmError(f"'weekdays' must be day names like \"Mon;Tue\", not {value!r}")
    try:
        return parse_weekdays(";".join(values))
    except WfmError as exc:
        raise WfmError(f"'weekdays': {exc}") from None


def _time(block: Mapping[str, Any], key: str) -> int | None:
    value = block.get(key)
    if value is None:
        return None
    if isinstance(value, dt.time):
        return value.hour * 60 + value.minute
    if not isinstance(value, str):
        raise WfmError(f"'{key}' must be a time like \"09:00\", not {value!r}")
    return parse_clock(value, f"'{key}'")


def scenarios_to_text(scenarios: Iterable[Scenario]) -> str:
    """The scenarios as TOML text (what :func:`write_scenarios` writes; it reads back to
    equal scenarios)."""
    lines = ["# What-if scenarios: the base plan plus changes (see wfm.scenarios.model)."]
    for s in scenarios:
        lines += ["", "[[scenario]]", f"name = {_toml_str(s.name)}"]
        if s.description:
            lines.append(f"description = {_toml_str(s.description)}")
        for key in ("service_level", "answer_seconds", "max_occupancy", "shrinkage"):
            value = getattr(s, key)
            if value is not None:
                lines.append(f"{key} = {_toml_float(value)}")
        if s.headcount:
            lines.append(f"headcount = {int(s.headcount)}")
        for kind, changes in (("volume", s.volume), ("aht", s.aht)):
            for change in changes:
                lines += ["", f"[[scenario.{kind}]]"]
                for key in _CHANGE_KEYS[kind]:
                    value = getattr(change, key)
                    if value is not None:
                        lines.append(f"{key} = {_toml_float(value)}")
                lines += _where_lines(change.where)
    return "\n".join(lines) + "\n"


def _where_lines(where: Where) -> list[str]:
    lines = []
    if where.queues:
        lines.append(f"queues = [{', '.join(_toml_str(q) for q in where.queues)}]")
    if where.dates:
        lines.append(f"dates = {_toml_str(format_dates(where.dates))}")
    if where.weekdays:
        lines.append(f"weekdays = {_toml_str(format_weekdays(where.weekdays))}")
    if where.start is not None:
        lines.append(f"start = {_toml_str(clock(where.start))}")
    if where.end is not None:
        lines.append(f"end = {_toml_str(clock(where.end))}")
    return lines


def write_scenarios(scenarios: Iterable[Scenario], path: str | Path) -> Path:
    """Write the scenarios as TOML, atomically; returns the path."""
    text = scenarios_to_text(scenarios)
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def _toml_str(text: str) -> str:
    # JSON string escapes (\" \\ \n \uXXXX) are valid TOML basic-string escapes.
    return json.dumps(text, ensure_ascii=False)


def _toml_float(value: float) -> str:
    return repr(float(value))


def replace_scenario(scenarios: Sequence[Scenario], scenario: Scenario) -> tuple[Scenario, ...]:
    """``scenarios`` with the one of the same name replaced by ``scenario`` (or it added)."""
    out = [scenario if s.name == scenario.name else s for s in scenarios]
    if all(s.name != scenario.name for s in scenarios):
        out.append(scenario)
    return tuple(out)
