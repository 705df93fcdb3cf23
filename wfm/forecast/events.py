"""Calendars and events: national holidays, special days and promotions, saved with the plan.

A :class:`Calendar` is plain, editable data (frozen dataclasses, ``dataclasses.replace``
friendly) that the forecaster reads:

- **National holidays** come from the ``holidays`` package for ``country`` (ISO 3166 alpha-2,
  e.g. ``"GB"``) and optionally ``subdivision`` (``"ENG"``). Whether the centre is *closed* on
  a holiday is learned from the history (see :mod:`wfm.forecast.days`); an open holiday gets its
  own effect in the prophet model.
- **Special days** (:class:`SpecialDay`) are the planner's word for one date: closed (zero
  calls all day) or a fixed volume for the day (spread over the day like a normal day of that
  weekday).
- **Events** (:class:`Event`) are promotions and campaigns with an expected uplift on the daily
  volume. Past events are divided out of the history (so they distort neither the daily model
  nor the intraday profiles) and future events are multiplied back in.

Event shape
-----------
For day ``d`` the event's impact factor is ``1 + u(d)`` with, writing ``a = start + lag_days``
and ``b = end + lag_days``:

- ``u(d) = uplift`` for ``a <= d <= b`` (flat);
- after ``b`` the uplift decays exponentially with a *half-life* of ``decay_days``:
  ``u(b + k) = uplift * 0.5 ** (k / decay_days)`` for ``k = 1, 2, ...``; the tail is cut once it
  falls under 1 % of ``uplift`` (about 6.6 half-lives). ``decay_days = 0`` means no tail;
- ``u(d) = 0`` otherwise.

So a campaign that starts strong and fades (``+60 %`` on day one, halving every 3 days) is
``start = end = first day, uplift = 0.6, decay_days = 3``. Several events on the same day
multiply their factors.

File format (TOML, :meth:`Calendar.load` / :meth:`Calendar.save`)::

    country = "GB"
    subdivision = "ENG"

    [[events]]
    name = "Winter tariff campaign"
    start = 2025-11-24
    end = 2025-11-24
    uplift = 0.6
    decay_days = 3.0
    queues = ["Sales"]

    [[special_days]]
    day = 2025-12-24
    name = "Christmas Eve, closing at noon"
    volume = 400.0
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wfm.errors import InputError, WfmError
from wfm.io.atomic import atomic_write
from wfm.io.textfiles import read_toml

#: Countries the project tests and documents; any country of the ``holidays`` package works.
MAIN_COUNTRIES = ("BR", "CN", "DE", "FR", "GB", "IL", "IN", "US")

_DECAY_CUTOFF = 0.01  # the tail stops once the uplift is under 1 % of the event's uplift
#: Longest lag and longest half-life of an event, in days (a year: longer is a typing slip).
MAX_LAG_DAYS = 366
MAX_DECAY_DAYS = 366


@dataclass(frozen=True)
class Event:
    """A promotion or campaign: an expected uplift on the daily volume of some queues.

    Parameters
    ----------
    name
        What the planner calls it.
    start, end
        First and last day of the event (inclusive).
    uplift
        Relative change of the daily volume: 0.4 is +40 %, -0.2 is -20 % (must be > -1).
    lag_days
        Days between the event and its effect on calls (a mailing that lands two days later),
        0 to :data:`MAX_LAG_DAYS`.
    decay_days
        Half-life, in days, of the tail after ``end + lag_days`` (0: the effect stops at once),
        at most :data:`MAX_DECAY_DAYS`.
    queues
        The queues it affects; empty means every queue.
    """

    name: str
    start: dt.date
    end: dt.date
    uplift: float
    lag_days: int = 0
    decay_days: float = 0.0
    queues: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.start, dt.date) or not isinstance(self.end, dt.date):
            raise WfmError(f"event '{self.name}': start and end must be dates")
        if self.end < self.start:
            raise WfmError(f"event '{self.name}': end {self.end} is before start {self.start}")
        if not math.isfinite(self.uplift) or self.uplift <= -1:
            raise WfmError(f"event '{self.name}': uplift {self.uplift} must be a number above -1")
        if not 0 <= self.lag_days <= MAX_LAG_DAYS:
            raise WfmError(f"event '{self.name}': lag_days must be 0 to {MAX_LAG_DAYS}, not {self.lag_days}")
        if not math.isfinite(self.decay_days) or not 0 <= self.decay_days <= MAX_DECAY_DAYS:
            raise WfmError(
                f"event '{self.name}': decay_days must be 0 to {MAX_DECAY_DAYS}, not {self.decay_days}"
            )
        object.__setattr__(self, "queues", tuple(self.queues))
        try:
            self.span()
        except OverflowError:
            raise WfmError(f"event '{self.name}': its effect would last past the year 9999") from None

    def applies_to(self, queue: str) -> bool:
        return not self.queues or queue in self.queues

    @property
    def effect_days(self) -> int:
        """Days of the decaying tail after ``end + lag_days``."""
        if self.decay_days <= 0 or self.uplift == 0:
            return 0
        return math.ceil(self.decay_days * math.log2(1 / _DECAY_CUTOFF))

    def uplift_on(self, day: dt.date) -> float:
        """``u(day)``: the relative uplift this event puts on ``day`` (see the module docs)."""
        first = self.start + dt.timedelta(days=self.lag_days)
        last = self.end + dt.timedelta(days=self.lag_days)
        if first <= day <= last:
            return self.uplift
        k = (day - last).days
        if 0 < k <= self.effect_days:
            return self.uplift * 0.5 ** (k / self.decay_days)
        return 0.0

    def span(self) -> tuple[dt.date, dt.date]:
        """First and last day with an effect."""
        lag = dt.timedelta(days=self.lag_days)
        return self.start + lag, self.end + lag + dt.timedelta(days=self.effect_days)


@dataclass(frozen=True)
class SpecialDay:
    """One date the planner knows is different: closed, or a given volume for the day.

    ``volume`` is the day's total for *each* queue it applies to (empty ``queues``: every
    queue); it is spread over the day like a normal day of that weekday. A special day that is
    neither closed nor has a volume is only a marker: the day is left out of the history the
    models learn from (an outage, a system migration) and forecast as a normal day.
    """

    day: dt.date
    name: str
    closed: bool = False
    volume: float | None = None
    queues: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.day, dt.date):
            raise WfmError(f"special day '{self.name}': day must be a date")
        if self.volume is not None:
            if not math.isfinite(self.volume) or self.volume < 0:
                raise WfmError(f"special day '{self.name}': volume must be 0 or more, not {self.volume}")
            if self.closed:
                raise WfmError(f"special day '{self.name}': a closed day cannot also have a volume")
        object.__setattr__(self, "queues", tuple(self.queues))

    def applies_to(self, queue: str) -> bool:
        return not self.queues or queue in self.queues


def supported_countries() -> dict[str, list[str]]:
    """Two-letter country codes of the ``holidays`` package and their subdivisions."""
    import holidays

    return {c: list(s) for c, s in holidays.list_supported_countries().items() if len(c) == 2}


def check_country(country: str | None, subdivision: str | None = None) -> None:
    """Raise :class:`WfmError` naming the supported codes for an unknown country/subdivision."""
    if country is None:
        if subdivision:
            raise WfmError(f"holiday subdivision '{subdivision}' given without a country")
        return
    codes = supported_countries()
    if country not in codes:
        raise WfmError(
            f"unknown holiday country code '{country}'; use a two-letter code such as "
            f"{', '.join(MAIN_COUNTRIES)} (all supported: {' '.join(sorted(codes))})"
        )
    if subdivision and subdivision not in codes[country]:
        subs = " ".join(codes[country]) or "none"
        raise WfmError(
            f"unknown holiday subdivision '{subdivision}' for {country}; supported: {subs}"
        )


@dataclass(frozen=True)
class Calendar:
    """Holidays, special days and events of a plan (TOML on disk, see the module docs)."""

    country: str | None = None
    subdivision: str | None = None
    events: tuple[Event, ...] = ()
    special_days: tuple[SpecialDay, ...] = ()

    def __post_init__(self) -> None:
        if self.country is not None:
            object.__setattr__(self, "country", self.country.strip().upper() or None)
        if self.subdivision is not None:
            object.__setattr__(self, "subdivision", self.subdivision.strip().upper() or None)
        object.__setattr__(self, "events", tuple(self.events))
        object.__setattr__(self, "special_days", tuple(self.special_days))
        check_country(self.country, self.subdivision)

    # --- editing -------------------------------------------------------------------------
    def with_events(self, events: Iterable[Event]) -> Calendar:
        """A copy with ``events`` instead of the current ones."""
        return dataclasses.replace(self, events=tuple(events))

    def with_special_days(self, special_days: Iterable[SpecialDay]) -> Calendar:
        """A copy with ``special_days`` instead of the current ones."""
        return dataclasses.replace(self, special_days=tuple(special_days))

    # --- reading it ----------------------------------------------------------------------
    def holidays(self, start: dt.date, end: dt.date) -> dict[dt.date, str]:
        """National holidays from ``start`` to ``end`` (inclusive), date -> name.

        Raises
        ------
        WfmError
            For an unknown country or subdivision, naming the supported codes.
        """
        if self.country is None or end < start:
            return {}
        check_country(self.country, self.subdivision)
        import holidays

        found = holidays.country_holidays(
            self.country, subdiv=self.subdivision, years=range(start.year, end.year + 1)
        )
        return {d: str(name) for d, name in sorted(found.items()) if start <= d <= end}

    def impact(self, queue: str, days: Iterable[dt.date]) -> list[float]:
        """The product of ``1 + u(day)`` over the events affecting ``queue``, per day."""
        days = list(days)
        out = [1.0] * len(days)
        for event in self.events:
            if not event.applies_to(queue):
                continue
            first, last = event.span()
            for i, day in enumerate(days):
                if first <= day <= last:
                    out[i] *= 1.0 + event.uplift_on(day)
        return out

    def check_queues(self, known: Iterable[str]) -> None:
        """Raise :class:`WfmError` when an event or special day names a queue not in ``known``.

        Names the entries, the unknown queues and the known ones (a misspelt queue would
        otherwise be silently ignored).
        """
        known = list(known)
        have = set(known)
        bad: list[str] = []
        for kind, entries in (("event", self.events), ("special day", self.special_days)):
            for entry in entries:
                unknown = [q for q in entry.queues if q not in have]
                if unknown:
                    label = entry.name if isinstance(entry, Event) else f"{entry.day} {entry.name}"
                    bad.append(f"{kind} '{label}' names {', '.join(repr(q) for q in unknown)}")
        if bad:
            raise WfmError(
                f"the calendar names queue(s) the history does not have: {'; '.join(bad)} "
                f"(the history's queues: {', '.join(known) or 'none'})"
            )

    def special_days_for(self, queue: str) -> dict[dt.date, SpecialDay]:
        """Special days that apply to ``queue``, by date (the last entry wins for a date)."""
        return {s.day: s for s in self.special_days if s.applies_to(queue)}

    # --- files ---------------------------------------------------------------------------
    @classmethod
    def load(cls, path: str | Path) -> Calendar:
        """Read a calendar TOML file.

        Raises
        ------
        InputError
            Naming the file and the entry ("event 2 ('Spring offer')") of the first problem.
        """
        path = Path(path)
        data = read_toml(path, "TOML calendar")
        return cls.from_dict(data, source=path)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, source: str | Path | None = None) -> Calendar:
        """Build a calendar from parsed TOML (``source`` names the file in messages)."""
        known = {"country", "subdivision", "events", "special_days"}
        unknown = sorted(set(data) - known)
        if unknown:
            raise InputError(
                f"unknown key(s) {', '.join(unknown)} (expected {', '.join(sorted(known))})",
                file=source,
            )
        try:
            country = _opt_str(data, "country", "calendar")
            subdivision = _opt_str(data, "subdivision", "calendar")
            check_country(country.upper() if country else None, subdivision.upper() if subdivision else None)
        except WfmError as exc:
            raise InputError(str(exc), file=source) from None
        events = tuple(
            _entry(source, "event", i, item, _event) for i, item in enumerate(_list(data, "events", source), 1)
        )
        special = tuple(
            _entry(source, "special day", i, item, _special_day)
            for i, item in enumerate(_list(data, "special_days", source), 1)
        )
        return cls(country, subdivision, events, special)

    def to_toml(self) -> str:
        """The calendar as TOML text (what :meth:`save` writes)."""
        lines = ["# Forecast calendar: holidays country, events (promotions) and special days.", ""]
        if self.country:
            lines.append(f"country = {_toml_str(self.country)}")
        if self.subdivision:
            lines.append(f"subdivision = {_toml_str(self.subdivision)}")
        for e in self.events:
            lines += [
                "",
                "[[events]]",
                f"name = {_toml_str(e.name)}",
                f"start = {e.start.isoformat()}",
                f"end = {e.end.isoformat()}",
                f"uplift = {_toml_float(e.uplift)}",
                f"lag_days = {int(e.lag_days)}",
                f"decay_days = {_toml_float(e.decay_days)}",
                f"queues = [{', '.join(_toml_str(q) for q in e.queues)}]",
            ]
        for s in self.special_days:
            lines += [
                "",
                "[[special_days]]",
                f"day = {s.day.isoformat()}",
                f"name = {_toml_str(s.name)}",
                f"closed = {'true' if s.closed else 'false'}",
            ]
            if s.volume is not None:
                lines.append(f"volume = {_toml_float(s.volume)}")
            lines.append(f"queues = [{', '.join(_toml_str(q) for q in s.queues)}]")
        return "\n".join(lines) + "\n"

    def save(self, path: str | Path) -> Path:
        """Write the calendar as TOML, atomically."""
        text = self.to_toml()
        return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


# --- TOML helpers ----------------------------------------------------------------------------
def _toml_str(text: str) -> str:
    # JSON string escapes (\" \\ \n \uXXXX) are valid TOML basic-string escapes.
    return json.dumps(text, ensure_ascii=False)


def _toml_float(value: float) -> str:
    return repr(float(value))


def _list(data: Mapping[str, Any], key: str, source: str | Path | None) -> list[Any]:
    items = data.get(key, [])
    if not isinstance(items, list):
        raise InputError(f"'{key}' must be a list of tables ([[{key}]])", file=source)
    return items


def _opt_str(data: Mapping[str, Any], key: str, where: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise WfmError(f"{where}: '{key}' must be text, not {value!r}")
    return value


def _entry(source: str | Path | None, kind: str, i: int, item: Any, build: Any) -> Any:
    label = f"{kind} {i}"
    if isinstance(item, Mapping) and isinstance(item.get("name"), str):
        label += f" ('{item['name']}')"
    if not isinstance(item, Mapping):
        raise InputError(f"{label}: must be a table", file=source)
    try:
        return build(item)
    except WfmError as exc:
        msg = str(exc)
        # the dataclass checks start with "event 'name': "; keep the planner-facing part
        if msg.startswith(("event '", "special day '")):
            msg = msg.split("': ", 1)[-1]
        raise InputError(f"{label}: {msg}", file=source) from None


def _check_keys(item: Mapping[str, Any], required: set[str], optional: set[str]) -> None:
    missing = sorted(required - set(item))
    if missing:
        raise WfmError(f"missing {', '.join(missing)}")
    unknown = sorted(set(item) - required - optional)
    if unknown:
        raise WfmError(f"unknown key(s) {', '.join(unknown)}")


def _date(item: Mapping[str, Any], key: str) -> dt.date:
    value = item[key]
    if isinstance(value, dt.datetime):
        raise WfmError(f"'{key}' must be a date like 2026-03-01, not a date and time")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise WfmError(f"'{key}' must be a date like 2026-03-01, not {value!r}")


def _number(item: Mapping[str, Any], key: str, default: float | None = None) -> float:
    value = item.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise WfmError(f"'{key}' must be a number, not {value!r}")
    return float(value)


def _queues(item: Mapping[str, Any]) -> tuple[str, ...]:
    value = item.get("queues", [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(q, str) for q in value):
        raise WfmError(f"'queues' must be a list of queue names, not {value!r}")
    return tuple(value)


def _event(item: Mapping[str, Any]) -> Event:
    _check_keys(item, {"name", "start", "uplift"}, {"end", "lag_days", "decay_days", "queues"})
    start = _date(item, "start")
    lag = _number(item, "lag_days", 0)
    if not float(lag).is_integer():
        raise WfmError(f"'lag_days' must be a whole number of days, not {lag}")
    return Event(
        name=str(item["name"]),
        start=start,
        end=_date(item, "end") if "end" in item else start,
        uplift=_number(item, "uplift"),
        lag_days=int(lag),
        decay_days=_number(item, "decay_days", 0.0),
        queues=_queues(item),
    )


def _special_day(item: Mapping[str, Any]) -> SpecialDay:
    _check_keys(item, {"day", "name"}, {"closed", "volume", "queues"})
    closed = item.get("closed", False)
    if not isinstance(closed, bool):
        raise WfmError(f"'closed' must be true or false, not {closed!r}")
    return SpecialDay(
        day=_date(item, "day"),
        name=str(item["name"]),
        closed=closed,
        volume=_number(item, "volume") if "volume" in item else None,
        queues=_queues(item),
    )
