"""Heads on the phones per interval, and how well they cover the requirement.

Agents are grouped by the queues of the requirement they can take (their *skill group*;
an agent listing no skills can take every queue). :func:`coverage` counts, per group, day
and interval, the working heads: an agent working 15 minutes of a 30-minute interval (a
break in the other 15) counts as half a head there.

Per queue, heads are allocated the way a routing engine would: agents with one queue take
it; agents with several are shared out in proportion to what each queue still lacks.
Under-coverage is what no allocation can cover; over-coverage is heads left over.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from wfm.roster.roster import Roster, Shift
from wfm.scheduling.model import MINUTES_PER_DAY, Agent
from wfm.scheduling.need import StaffingNeed

Group = tuple[int, ...]  # indices into StaffingNeed.queues


def skill_group(agent: Agent, queues: tuple[str, ...]) -> Group:
    """The queues (by index) ``agent`` can take; every queue when they list no skills."""
    if not agent.skills:
        return tuple(range(len(queues)))
    skills = {s.lower() for s in agent.skills}
    return tuple(i for i, q in enumerate(queues) if q.lower() in skills)


def working_minutes(
    shifts: Iterable[Shift], start_ordinal: int, days: int, interval_minutes: int
) -> np.ndarray:
    """Working heads per interval of ``days`` days from the date with ``start_ordinal``,
    for the given shifts (breaks excluded), as a flat ``days * intervals_per_day`` array."""
    starts: list[int] = []
    ends: list[int] = []
    signs: list[int] = []
    for s in shifts:
        base = (s.day.toordinal() - start_ordinal) * MINUTES_PER_DAY
        starts.append(base + s.start)
        ends.append(base + s.end)
        signs.append(1)
        for b in s.breaks:
            starts.append(base + b.start)
            ends.append(base + b.end)
            signs.append(-1)
    total = days * MINUTES_PER_DAY
    diff = np.zeros(total + 1, dtype=np.int64)
    if starts:
        lo = np.clip(np.asarray(starts), 0, total)
        hi = np.clip(np.asarray(ends), 0, total)
        sign = np.asarray(signs)
        np.add.at(diff, lo, sign)
        np.add.at(diff, hi, -sign)
    per_minute = np.cumsum(diff[:-1])
    return per_minute.reshape(-1, interval_minutes).sum(axis=1) / interval_minutes


@dataclass(frozen=True, eq=False)
class Coverage:
    """Coverage of a need by a roster; arrays are (queue or group, day, interval)."""

    need: StaffingNeed
    groups: tuple[Group, ...]
    heads: np.ndarray  # (group, day, interval) working heads
    allocated: np.ndarray  # (queue, day, interval) heads allocated to each queue

    @property
    def required(self) -> np.ndarray:
        return self.need.required

    @property
    def scheduled(self) -> np.ndarray:
        """Working heads of every skill group, per day and interval."""
        return self.heads.sum(axis=0)

    @property
    def under(self) -> np.ndarray:
        """Heads short per day and interval (over all queues)."""
        return np.clip(self.need.required - self.allocated, 0.0, None).sum(axis=0)

    @property
    def over(self) -> np.ndarray:
        """Heads beyond the requirement per day and interval."""
        covered = np.minimum(self.allocated, self.need.required).sum(axis=0)
        return np.clip(self.scheduled - covered, 0.0, None)

    def hours(self, per_interval: np.ndarray) -> float:
        return float(per_interval.sum() * self.need.interval_minutes / 60.0)

    def coverage_share(self) -> float:
        """Share of required agent-hours covered (1.0 when nothing is required)."""
        required = self.need.required.sum()
        return 1.0 if required <= 0 else float(1.0 - self.under.sum() / required)


def coverage(roster: Roster, need: StaffingNeed) -> Coverage:
    """Working heads of ``roster`` against ``need`` (the need's days and interval grid)."""
    groups: dict[Group, list[Shift]] = {}
    for agent in roster.agents:
        groups.setdefault(skill_group(agent, need.queues), [])
    for s in roster.shifts.values():
        groups[skill_group(roster.agent(s.agent), need.queues)].append(s)
    keys = tuple(g for g in groups if g)  # agents who take none of the queues don't count
    per_day = need.intervals_per_day
    ordinal = need.start.toordinal()
    heads = np.zeros((len(keys), need.days, per_day))
    for k, g in enumerate(keys):
        heads[k] = working_minutes(groups[g], ordinal, need.days, need.interval_minutes).reshape(
            need.days, per_day
        )
    return Coverage(need, keys, heads, allocate(heads, keys, need.required))


def allocate(heads: np.ndarray, groups: tuple[Group, ...], required: np.ndarray) -> np.ndarray:
    """Heads per queue: single-queue groups first, then each multi-queue group shared in
    proportion to what its queues still lack (and, beyond that, to their requirement)."""
    allocated = np.zeros_like(required, dtype=float)
    order = sorted(range(len(groups)), key=lambda k: len(groups[k]))
    for k in order:
        g = list(groups[k])
        h = heads[k]
        if len(g) == 1:
            allocated[g[0]] += h
            continue
        lack = np.clip(required[g] - allocated[g], 0.0, None)
        total_lack = lack.sum(axis=0)
        share_lack = np.divide(lack, total_lack, out=np.zeros_like(lack), where=total_lack > 0)
        filled = np.minimum(h, total_lack)
        allocated[g] += share_lack * filled
        rest = h - filled
        req = required[g]
        total_req = req.sum(axis=0)
        even = np.full_like(req, 1.0 / len(g))
        share_req = np.divide(req, total_req, out=even, where=total_req > 0)
        allocated[g] += share_req * rest
    return allocated
