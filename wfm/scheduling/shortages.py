"""Why a roster is short: under-covered spans and the rule or shortage that binds.

:func:`explain_shortages` merges a day's consecutive intervals short by half a head or more
into spans. For each span it takes the interval where the shortfall is largest and counts
the agents who could possibly be on the phones then (a queue that is short among their
skills, available that day, a template they may use with a shift covering that interval).
Those who are not on it are put in one bucket each, in this order: working a shift that
does not cover it, on a break, on leave or unavailable, at their weekly hours limit, on a
day off the days-off rule needs, on a day off the days-in-a-row rule needs, held back by the
rest after (or before) a neighbouring shift, or simply off (the solver's choice). The reason
names the dominant cause: "only 12 agents may work then (skills, availability, templates)"
when even all of them would not be enough, else a breakdown like "14 agents may work then:
9 are on it, 3 are at their weekly hours limit, 2 are on a required day off".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from wfm.roster.coverage import coverage, skill_group
from wfm.roster.roster import Roster, Shift
from wfm.scheduling.lp_bound import Shape, all_shapes, day_shapes
from wfm.scheduling.model import MINUTES_PER_DAY, WEEKDAYS, Agent, ShiftSetup, clock, weeks_of
from wfm.scheduling.need import StaffingNeed

SHORT_HEADS = 0.5  # an interval short by this many heads or more is reported


@dataclass(frozen=True)
class Shortage:
    """A span of one day left short, and why."""

    day: dt.date
    start: int  # minutes after midnight
    end: int
    short_by: float  # heads, the most over the span
    queue: str | None  # the one queue short, or None when several are
    reason: str

    def message(self) -> str:
        """``Tue 03 Nov 18:00-20:00 short by 3: only 12 agents may work then (...)``."""
        where = f" ({self.queue})" if self.queue else ""
        return (
            f"{WEEKDAYS[self.day.weekday()]} {self.day:%d %b} {clock(self.start)}-"
            f"{clock(self.end)}{where} short by {_num(self.short_by)}: {self.reason}"
        )


def _num(value: float) -> str:
    return f"{round(value, 1):g}"


def explain_shortages(
    roster: Roster, need: StaffingNeed, agents: Sequence[Agent], setup: ShiftSetup
) -> tuple[Shortage, ...]:
    """Every under-covered span of ``roster`` against ``need``, with its binding cause."""
    cov = coverage(roster, need)
    under = cov.under
    per_queue = np.clip(need.required - cov.allocated, 0.0, None)
    interval = need.interval_minutes
    shapes = all_shapes(setup, interval)
    out: list[Shortage] = []
    for d, day in enumerate(need.dates()):
        row = under[d]
        t = 0
        n = row.size
        while t < n:
            if row[t] < SHORT_HEADS:
                t += 1
                continue
            t1 = t
            while t1 < n and row[t1] >= SHORT_HEADS:
                t1 += 1
            peak = t + int(np.argmax(row[t:t1]))
            short_queues = tuple(
                q for q in range(len(need.queues)) if per_queue[q, d, t:t1].max() >= SHORT_HEADS
            ) or tuple(range(len(need.queues)))
            reason = _reason(
                roster, need, agents, setup, shapes, day, peak * interval, short_queues, d
            )
            out.append(
                Shortage(
                    day,
                    t * interval,
                    t1 * interval,
                    float(row[t:t1].max()),
                    need.queues[short_queues[0]] if len(short_queues) == 1 else None,
                    reason,
                )
            )
            t = t1
    return tuple(out)


def _reason(
    roster: Roster,
    need: StaffingNeed,
    agents: Sequence[Agent],
    setup: ShiftSetup,
    shapes: list[Shape],
    day: dt.date,
    minute: int,
    short_queues: tuple[int, ...],
    d: int,
) -> str:
    rules = setup.rules
    interval = need.interval_minutes
    lo, hi = minute, minute + interval
    required = float(need.required[list(short_queues), d, minute // interval].sum())
    eligible: list[Agent] = []
    for a in agents:
        if not set(skill_group(a, need.queues)) & set(short_queues):
            continue
        ks = day_shapes(shapes, a, day, setup)
        if any(shapes[k].start < hi and shapes[k].end > lo for k in ks):
            eligible.append(a)
    buckets: dict[str, int] = {}

    def count(what: str) -> None:
        buckets[what] = buckets.get(what, 0) + 1

    available = 0
    weeks = weeks_of(roster.start, roster.days)
    for a in eligible:
        if not a.can_work(day) or (a.name, day) in roster.leave:
            count("on leave or unavailable")
            continue
        available += 1
        s = roster.shifts.get((a.name, day))
        if s is not None:
            if s.start < hi and s.end > lo:
                if any(b.start < hi and b.end > lo for b in s.breaks):
                    count("on a break")
                else:
                    count("on it")
            else:
                count("working a shift that does not cover it")
            continue
        count(_why_off(roster, a, day, weeks, rules.days_off_per_week, rules.min_rest_minutes))
    n = len(eligible)
    if available < required or n == 0:
        people = "agent may" if available == 1 else "agents may"
        text = f"only {available} {people} work then (skills, availability, templates)"
        on_leave = buckets.get("on leave or unavailable", 0)
        if on_leave:
            text += f"; {on_leave} more are on leave or unavailable"
        return text
    order = sorted(((k, v) for k, v in buckets.items() if k != "on it"), key=lambda kv: -kv[1])
    on_it = buckets.get("on it", 0)
    parts = [f"{on_it} {'is' if on_it == 1 else 'are'} on it"] + [
        f"{v} {'is' if v == 1 else 'are'} {k}" for k, v in order
    ]
    return f"{n} agents may work then: " + ", ".join(parts)


def _why_off(
    roster: Roster,
    a: Agent,
    day: dt.date,
    weeks: list[list[int]],
    days_off: int,
    rest: int,
) -> str:
    rules = roster.setup.rules
    d = roster.day_index(day)
    week = next((w for w in weeks if d in w), [d])
    worked = [roster.shifts.get((a.name, roster.start + dt.timedelta(days=i))) for i in week]
    shifts = [s for s in worked if s is not None]
    need_off = max(0, days_off - (7 - len(week)))
    cap = min(a.max_weekly_hours, rules.max_hours_per_week) * 60
    if sum(s.paid_minutes for s in shifts) + 4 * 60 > cap:
        return "at their weekly hours limit"
    if len(week) - len(shifts) <= need_off:
        return "on a required day off"
    run_before = 0
    i = d - 1
    while i >= 0 and (a.name, roster.start + dt.timedelta(days=i)) in roster.shifts:
        run_before += 1
        i -= 1
    run_after = 0
    i = d + 1
    while i < roster.days and (a.name, roster.start + dt.timedelta(days=i)) in roster.shifts:
        run_after += 1
        i += 1
    if run_before + run_after + 1 > rules.max_consecutive_days:
        return "off to keep within the days-in-a-row rule"
    prev: Shift | None = roster.shifts.get((a.name, day - dt.timedelta(days=1)))
    nxt: Shift | None = roster.shifts.get((a.name, day + dt.timedelta(days=1)))
    if prev is not None and prev.end - MINUTES_PER_DAY + rest > 0 and prev.end > 20 * 60:
        return "held back by the rest after the previous shift"
    if nxt is not None and nxt.start + MINUTES_PER_DAY - rest < 24 * 60 and nxt.start < 8 * 60:
        return "held back by the rest before the next shift"
    return "off (the solver's choice)"
