"""Break placement: put every shift's breaks where heads can best be spared.

Greedy and iterated (two passes by default): shifts are taken in order of day and start;
each shift's breaks are taken out, then placed one by one, in the template's order, at the
allowed start (on the template's break grid, inside its window, after the previous break)
that creates the fewest minutes of under-coverage and, among those, takes heads where the
surplus over the requirement is largest. The surplus an agent's break draws on is that of
the queues they take: the working heads of every skill group sharing a queue with them,
less those queues' requirement. Minute resolution, so a 15-minute break in a 30-minute
interval counts as half a head.

A small CP-SAT per day would be exact, but on the sample centre the greedy leaves no
under-coverage that a break could avoid, and it takes a fraction of a second for four
weeks, which also suits the roster editor.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

import numpy as np

from wfm.roster.coverage import Group, skill_group
from wfm.roster.roster import Break, Roster, Shift
from wfm.scheduling.model import MINUTES_PER_DAY
from wfm.scheduling.need import StaffingNeed


def place_breaks(
    roster: Roster,
    need: StaffingNeed,
    days: Collection[dt.date] | None = None,
    passes: int = 2,
    agents: Collection[str] | None = None,
) -> None:
    """Place the breaks of ``roster``'s shifts on ``days`` (every day when ``None``), in place.

    Shifts of locked cells and shifts without a known template keep their breaks; with
    ``agents``, so do the shifts of every other agent. Listeners are notified once with the
    cells changed.
    """
    total = (need.days + 1) * MINUTES_PER_DAY
    per_minute_req = np.zeros((len(need.queues), total))
    per_minute_req[:, : need.days * MINUTES_PER_DAY] = np.repeat(
        need.required, need.interval_minutes, axis=2
    ).reshape(len(need.queues), -1)
    group_of = {a.name: skill_group(a, need.queues) for a in roster.agents}
    groups: list[Group] = sorted({g for g in group_of.values() if g})
    index = {g: i for i, g in enumerate(groups)}
    heads = np.zeros((len(groups), total))
    ordinal = need.start.toordinal()

    def offset(s: Shift) -> int:
        return (s.day.toordinal() - ordinal) * MINUTES_PER_DAY

    def add(g: Group, lo: int, hi: int, sign: int) -> None:
        if g:
            heads[index[g], max(lo, 0) : max(min(hi, total), 0)] += sign

    chosen: list[Shift] = []
    for s in roster.shifts.values():
        base = offset(s)
        g = group_of.get(s.agent, ())
        add(g, base + s.start, base + s.end, 1)
        template = roster.template(s.template) if s.template else None
        movable = (
            (days is None or s.day in days)
            and (agents is None or s.agent in agents)
            and (s.agent, s.day) not in roster.locks
            and template is not None
            and template.breaks
        )
        if movable:
            chosen.append(s)
        else:
            for b in s.breaks:
                add(g, base + b.start, base + b.end, -1)
    if not chosen:
        return
    chosen.sort(key=lambda s: (s.day, s.start, s.agent))
    neighbours = {g: [index[h] for h in groups if set(h) & set(g)] for g in groups}
    req_of = {g: per_minute_req[list(g)].sum(axis=0) for g in groups}
    current: dict[tuple[str, dt.date], tuple[Break, ...]] = {}
    for _ in range(max(passes, 1)):
        for s in chosen:
            cell = (s.agent, s.day)
            g = group_of.get(s.agent, ())
            base = offset(s)
            for b in current.get(cell, ()):
                add(g, base + b.start, base + b.end, 1)
            template = roster.template(s.template)
            assert template is not None
            rules = template.breaks
            placed: list[Break] = []
            earliest = s.start
            for i, rule in enumerate(rules):
                options = [p for p in template.break_starts(rule, s.start) if p >= earliest]
                # leave room for the breaks still to come
                room = sum(r.minutes for r in rules[i + 1 :])
                later = [max(template.break_starts(r, s.start)) for r in rules[i + 1 : i + 2]]
                if later:
                    options = [p for p in options if p + rule.minutes <= later[0]] or options
                options = [p for p in options if p + rule.minutes + room <= s.end] or options
                if not options:
                    options = [max(earliest, s.start + rule.earliest_after_start_minutes)]
                best = _best_start(options, rule.minutes, base, g, heads, neighbours, req_of)
                brk = Break(best, rule.minutes, rule.kind, rule.is_paid)
                placed.append(brk)
                add(g, base + brk.start, base + brk.end, -1)
                earliest = brk.end
            current[cell] = tuple(placed)
    changed: list[tuple[str, dt.date]] = []
    for s in chosen:
        cell = (s.agent, s.day)
        breaks = current[cell]
        if breaks != s.breaks:
            roster.put(cell, Shift(s.agent, s.day, s.start, s.end, s.template, breaks))
            changed.append(cell)
    if changed:
        roster.notify(changed)


def _best_start(
    options: list[int],
    minutes: int,
    base: int,
    g: Group,
    heads: np.ndarray,
    neighbours: dict[Group, list[int]],
    req_of: dict[Group, np.ndarray],
) -> int:
    if not g:
        return options[len(options) // 2]
    rows = neighbours[g]
    lo = base + min(options)
    hi = base + max(options) + minutes
    hi = min(hi, heads.shape[1])
    surplus = heads[rows, lo:hi].sum(axis=0) - req_of[g][lo:hi]
    best, best_score = options[len(options) // 2], None
    middle = (min(options) + max(options)) / 2
    for p in options:
        w = surplus[p + base - lo : p + base - lo + minutes]
        # a minute with no surplus becomes under-covered; else prefer the largest surplus
        score = (
            -1000.0 * float((w < 1.0).sum()) + float(np.minimum(w, 50.0).sum()),
            -abs(p - middle),
        )
        if best_score is None or score > best_score:
            best, best_score = p, score
    return best
