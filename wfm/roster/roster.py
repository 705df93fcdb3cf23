"""The roster: who works when, with breaks, over a horizon of days.

A :class:`Roster` is the one mutable object of scheduling. It holds at most one
:class:`Shift` per agent and day, the days marked as leave, and the locked (pinned) cells a
re-solve must keep. It is changed only through the edit commands of
:mod:`wfm.roster.commands` (which validate and return their inverse); listeners registered
with :meth:`Roster.subscribe` hear of every change with the cells it touched, so a view can
refresh just those.

Times are minutes after midnight of the shift's own day; a shift past midnight ends after
1440 and its working minutes count on the next day's intervals.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace

from wfm.errors import WfmError
from wfm.scheduling.model import Agent, ShiftSetup, ShiftTemplate, clock

Cell = tuple[str, dt.date]  # (agent name, date)
Listener = Callable[[frozenset[Cell]], None]


@dataclass(frozen=True)
class Break:
    """A break inside a shift: start (minutes after the shift day's midnight), length."""

    start: int
    minutes: int
    kind: str = "short"
    paid: bool = True

    @property
    def end(self) -> int:
        return self.start + self.minutes

    def label(self) -> str:
        return f"{clock(self.start)}-{clock(self.end)}"


@dataclass(frozen=True)
class Shift:
    """One agent's shift on one day."""

    agent: str
    day: dt.date
    start: int
    end: int
    template: str = ""
    breaks: tuple[Break, ...] = ()

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end:
            raise WfmError(f"{self.agent} on {self.day}: a shift must end after it starts")
        for b in self.breaks:
            if b.start < self.start or b.end > self.end:
                raise WfmError(
                    f"{self.agent} on {self.day}: the break {b.label()} is outside the shift "
                    f"{self.label()}"
                )

    @property
    def length(self) -> int:
        return self.end - self.start

    @property
    def paid_minutes(self) -> int:
        return self.length - sum(b.minutes for b in self.breaks if not b.paid)

    @property
    def work_minutes(self) -> int:
        return self.length - sum(b.minutes for b in self.breaks)

    @property
    def start_at(self) -> dt.datetime:
        return dt.datetime.combine(self.day, dt.time()) + dt.timedelta(minutes=self.start)

    @property
    def end_at(self) -> dt.datetime:
        return dt.datetime.combine(self.day, dt.time()) + dt.timedelta(minutes=self.end)

    def label(self) -> str:
        """``08:00-16:30`` (what a roster cell shows)."""
        return f"{clock(self.start)}-{clock(self.end)}"

    def breaks_label(self) -> str:
        """``10:00-10:15;12:30-13:00`` (the roster CSV's ``breaks`` field)."""
        return ";".join(b.label() for b in sorted(self.breaks, key=lambda b: b.start))

    def moved(self, delta_minutes: int) -> Shift:
        """The same shift and breaks, ``delta_minutes`` later."""
        return replace(
            self,
            start=self.start + delta_minutes,
            end=self.end + delta_minutes,
            breaks=tuple(replace(b, start=b.start + delta_minutes) for b in self.breaks),
        )


@dataclass
class Roster:
    """Shifts of named agents over ``start .. start + days``.

    ``agents`` and ``setup`` are the inputs the roster was made with; ``shifts`` maps
    ``(agent, date)`` to a :class:`Shift`; ``leave`` maps ``(agent, date)`` to a kind of
    leave ("leave", "sick", ...); ``locks`` are cells a re-solve keeps as they are.
    """

    start: dt.date
    days: int
    agents: tuple[Agent, ...]
    setup: ShiftSetup
    shifts: dict[Cell, Shift] = field(default_factory=dict)
    leave: dict[Cell, str] = field(default_factory=dict)
    locks: set[Cell] = field(default_factory=set)
    _listeners: list[Listener] = field(default_factory=list, repr=False, compare=False)

    def __post_init__(self) -> None:
        names = [a.name for a in self.agents]
        if len(set(names)) != len(names):
            raise WfmError("two agents have the same name")
        self._by_name = {a.name: a for a in self.agents}

    # --- reading ---------------------------------------------------------------------------
    def dates(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=i) for i in range(self.days)]

    def day_index(self, day: dt.date) -> int:
        return (day - self.start).days

    def in_horizon(self, day: dt.date) -> bool:
        return 0 <= self.day_index(day) < self.days

    def agent(self, name: str) -> Agent:
        try:
            return self._by_name[name]
        except KeyError:
            raise WfmError(f"there is no agent '{name}' in this roster") from None

    def template(self, name: str) -> ShiftTemplate | None:
        for t in self.setup.templates:
            if t.name.lower() == name.lower():
                return t
        return None

    def shift(self, agent: str, day: dt.date) -> Shift | None:
        return self.shifts.get((agent, day))

    def shifts_of(self, agent: str) -> list[Shift]:
        """The agent's shifts in date order."""
        return sorted((s for (a, _), s in self.shifts.items() if a == agent), key=lambda s: s.day)

    def iter_shifts(self) -> Iterator[Shift]:
        return iter(sorted(self.shifts.values(), key=lambda s: (s.day, s.start, s.agent)))

    def is_locked(self, agent: str, day: dt.date) -> bool:
        return (agent, day) in self.locks

    def paid_hours(self) -> float:
        return sum(s.paid_minutes for s in self.shifts.values()) / 60.0

    def copy(self) -> Roster:
        """An independent copy (no listeners)."""
        return Roster(
            self.start,
            self.days,
            self.agents,
            self.setup,
            dict(self.shifts),
            dict(self.leave),
            set(self.locks),
        )

    # --- changing (only wfm.roster.commands calls these) -------------------------------------
    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(cells)`` after every change; returns a function that unsubscribes."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def put(self, cell: Cell, shift: Shift | None) -> None:
        """Set or clear the shift of a cell (no validation: use the edit commands)."""
        if shift is None:
            self.shifts.pop(cell, None)
        else:
            if (shift.agent, shift.day) != cell:
                raise WfmError("a shift must be stored under its own agent and day")
            self.shifts[cell] = shift

    def set_leave(self, cell: Cell, kind: str | None) -> None:
        if kind is None:
            self.leave.pop(cell, None)
        else:
            self.leave[cell] = kind

    def set_lock(self, cell: Cell, locked: bool) -> None:
        if locked:
            self.locks.add(cell)
        else:
            self.locks.discard(cell)

    def notify(self, cells: Iterable[Cell]) -> None:
        touched = frozenset(cells)
        for listener in list(self._listeners):
            listener(touched)
