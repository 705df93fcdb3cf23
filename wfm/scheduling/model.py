"""The scheduling inputs: agents, shift templates and working-time rules.

All are frozen dataclasses, checked when built (a bad value raises :class:`WfmError`). Times
of day are whole minutes after midnight (``450`` is 07:30); a shift that runs past midnight
ends after ``1440``. Weekdays are numbered like :meth:`datetime.date.weekday` (0 = Monday).

Hours, throughout scheduling:

- a shift's *length* is its span from start to end;
- its *paid* minutes are the length minus its unpaid breaks (the lunch, by default);
- its *working* minutes (on the phones) are the length minus every break.

Contracted weekly hours, the daily and weekly maximums and the LP bound count *paid* hours;
coverage counts *working* minutes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from wfm.errors import WfmError

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MINUTES_PER_DAY = 24 * 60


def clock(minutes: int) -> str:
    """``HH:MM`` for minutes after midnight (``1470`` -> ``24:30``, the next day's 00:30)."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def parse_clock(text: str, what: str = "time") -> int:
    """Minutes after midnight of an ``HH:MM`` text (up to ``48:00`` for the next day)."""
    parts = text.strip().split(":")
    try:
        if len(parts) != 2:
            raise ValueError
        hours, minutes = int(parts[0]), int(parts[1])
    except ValueError:
        raise WfmError(f"{what} '{text}' is not a time of day like 07:30") from None
    if not (0 <= hours <= 48 and 0 <= minutes < 60):
        raise WfmError(f"{what} '{text}' is not a time of day like 07:30")
    return hours * 60 + minutes


def parse_weekday(text: str) -> int:
    """0-6 for ``Mon``..``Sun`` (any case, full names too)."""
    key = text.strip()[:3].title()
    if key not in WEEKDAYS:
        raise WfmError(f"'{text}' is not a day of the week (Mon, Tue, ... Sun)")
    return WEEKDAYS.index(key)


@dataclass(frozen=True)
class BreakRule:
    """A break of a shift template: its length and the window, counted from the shift's
    start, in which it must *start*."""

    kind: str  # "lunch" or "short" (any name is allowed; lunches are unpaid by default)
    minutes: int
    earliest_after_start_minutes: int
    latest_after_start_minutes: int
    paid: bool | None = None  # None: paid unless the kind is "lunch"

    def __post_init__(self) -> None:
        if self.minutes <= 0:
            raise WfmError(f"a {self.kind} break must last more than 0 minutes")
        if not 0 <= self.earliest_after_start_minutes <= self.latest_after_start_minutes:
            raise WfmError(
                f"a {self.kind} break's window must run forwards from the shift's start "
                f"({self.earliest_after_start_minutes}-{self.latest_after_start_minutes} min)"
            )

    @property
    def is_paid(self) -> bool:
        return self.paid if self.paid is not None else self.kind.lower() != "lunch"


@dataclass(frozen=True)
class ShiftTemplate:
    """When a shift may start, how long it may be, on which weekdays, and its breaks."""

    name: str
    days: tuple[int, ...]
    start_earliest: int
    start_latest: int
    start_step_minutes: int
    lengths_minutes: tuple[int, ...]
    breaks: tuple[BreakRule, ...] = ()
    break_step_minutes: int = 15  # breaks start on this grid from the shift's start

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise WfmError("a shift template needs a name")
        if not self.days or any(not 0 <= d <= 6 for d in self.days):
            raise WfmError(f"shift template '{self.name}': days must be weekdays Mon-Sun")
        if self.start_step_minutes <= 0 or self.break_step_minutes <= 0:
            raise WfmError(f"shift template '{self.name}': steps must be positive minutes")
        if not 0 <= self.start_earliest <= self.start_latest < MINUTES_PER_DAY:
            raise WfmError(
                f"shift template '{self.name}': the start window "
                f"{clock(self.start_earliest)}-{clock(self.start_latest)} must run forwards "
                "within the day"
            )
        if not self.lengths_minutes or any(n <= 0 for n in self.lengths_minutes):
            raise WfmError(f"shift template '{self.name}': lengths must be positive")
        for length in self.lengths_minutes:
            for rule in self.breaks:
                if rule.latest_after_start_minutes + rule.minutes > length:
                    raise WfmError(
                        f"shift template '{self.name}': a {rule.kind} break starting "
                        f"{rule.latest_after_start_minutes} min after the start would end "
                        f"after a {length / 60:g} h shift"
                    )

    def starts(self) -> tuple[int, ...]:
        """Every allowed start time, minutes after midnight."""
        return tuple(range(self.start_earliest, self.start_latest + 1, self.start_step_minutes))

    def unpaid_break_minutes(self) -> int:
        return sum(b.minutes for b in self.breaks if not b.is_paid)

    def break_minutes(self) -> int:
        return sum(b.minutes for b in self.breaks)

    def paid_minutes(self, length: int) -> int:
        return length - self.unpaid_break_minutes()

    def work_minutes(self, length: int) -> int:
        return length - self.break_minutes()

    def break_starts(self, rule: BreakRule, shift_start: int) -> tuple[int, ...]:
        """Allowed start times (minutes after midnight) of ``rule`` in a shift starting at
        ``shift_start``."""
        first = shift_start + rule.earliest_after_start_minutes
        last = shift_start + rule.latest_after_start_minutes
        return tuple(range(first, last + 1, self.break_step_minutes))


@dataclass(frozen=True)
class Rules:
    """Working-time rules. The first six are hard rules for the solver and the validator;
    the fairness flags ask the solver to spread weekends and late shifts evenly."""

    min_rest_hours: float = 11.0
    max_consecutive_days: int = 6
    days_off_per_week: int = 2
    max_hours_per_day: float = 10.0
    max_hours_per_week: float = 48.0
    late_shift_ends_after: int = 19 * 60  # a shift ending after this is a late shift
    fair_weekends: bool = True
    fair_late_shifts: bool = True

    def __post_init__(self) -> None:
        if not 0 <= self.min_rest_hours < 24:
            raise WfmError("the minimum rest between shifts must be 0-24 hours")
        if not 1 <= self.max_consecutive_days <= 14:
            raise WfmError("the most days in a row must be 1-14")
        if not 0 <= self.days_off_per_week <= 7:
            raise WfmError("days off per week must be 0-7")
        if not 0 < self.max_hours_per_day <= 24 or not 0 < self.max_hours_per_week <= 168:
            raise WfmError("the daily and weekly maximum hours must be positive")

    @property
    def min_rest_minutes(self) -> int:
        return int(round(self.min_rest_hours * 60))


@dataclass(frozen=True)
class Agent:
    """A named agent and their contract, availability and preferences."""

    name: str
    team: str = ""
    skills: tuple[str, ...] = ()  # the queues they can take
    min_weekly_hours: float = 0.0  # paid hours per Mon-Sun week (contract)
    max_weekly_hours: float = 40.0
    hourly_cost: float | None = None
    unavailable_days: tuple[int, ...] = ()  # weekdays they never work
    unavailable_dates: tuple[dt.date, ...] = ()  # single dates they cannot work
    leave: tuple[dt.date, ...] = ()  # approved leave (counts towards contracted hours)
    preferred_shift: str = ""  # a template name (any case); '' for no preference
    preferred_days_off: tuple[int, ...] = ()
    templates: tuple[str, ...] = ()  # templates they may work; () for all

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise WfmError("an agent needs a name")
        if not 0 <= self.min_weekly_hours <= self.max_weekly_hours:
            raise WfmError(
                f"agent '{self.name}': weekly hours {self.min_weekly_hours:g}-"
                f"{self.max_weekly_hours:g} must run from a minimum to a larger maximum"
            )
        if self.hourly_cost is not None and self.hourly_cost < 0:
            raise WfmError(f"agent '{self.name}': the hourly cost cannot be negative")

    def can_work(self, day: dt.date) -> bool:
        """Not an unavailable weekday or date, and not on leave."""
        return (
            day.weekday() not in self.unavailable_days
            and day not in self.unavailable_dates
            and day not in self.leave
        )

    def may_use(self, template: ShiftTemplate) -> bool:
        allowed = {t.lower() for t in self.templates}
        return not allowed or template.name.lower() in allowed

    def prefers(self, template_name: str) -> bool:
        return not self.preferred_shift or self.preferred_shift.lower() == template_name.lower()


@dataclass(frozen=True)
class ShiftSetup:
    """The shift templates and rules of a centre (one ``shift_templates.toml``)."""

    templates: tuple[ShiftTemplate, ...]
    rules: Rules = field(default_factory=Rules)

    def __post_init__(self) -> None:
        names = [t.name.lower() for t in self.templates]
        if len(set(names)) != len(names):
            raise WfmError("two shift templates have the same name")

    def template(self, name: str) -> ShiftTemplate:
        for t in self.templates:
            if t.name.lower() == name.lower():
                return t
        raise WfmError(f"there is no shift template '{name}'")


def weeks_of(start: dt.date, days: int) -> list[list[int]]:
    """Day indices of ``start .. start + days`` grouped by Mon-Sun calendar week."""
    weeks: dict[int, list[int]] = {}
    for i in range(days):
        day = start + dt.timedelta(days=i)
        monday = (day - dt.timedelta(days=day.weekday())).toordinal()
        weeks.setdefault(monday, []).append(i)
    return [weeks[k] for k in sorted(weeks)]


def unique(values: Iterable[str]) -> tuple[str, ...]:
    """Values in first-seen order, without repeats or blanks."""
    seen: dict[str, None] = {}
    for v in values:
        v = v.strip()
        if v:
            seen.setdefault(v, None)
    return tuple(seen)
