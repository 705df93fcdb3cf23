"""Tests of the what-if scenarios. Small builders shared by the test modules live here."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from wfm.roster.roster import Roster, Shift
from wfm.scheduling.model import Agent, Rules, ShiftSetup, ShiftTemplate

MONDAY = dt.date(2026, 11, 2)
DAY = ShiftTemplate("Day", (0, 1, 2, 3, 4, 5, 6), 8 * 60, 8 * 60, 30, (480,), ())
SETUP = ShiftSetup((DAY,), Rules())


def demand(
    days: int = 7,
    queues: tuple[str, ...] = ("Sales", "Support"),
    calls: float = 20.0,
    aht: float = 180.0,
    first: int = 16,
    last: int = 32,
) -> pd.DataFrame:
    """Every queue open from interval ``first`` to ``last`` (inclusive) with ``calls`` calls
    of ``aht`` seconds each half hour, closed (0 calls) otherwise."""
    starts = pd.date_range(pd.Timestamp(MONDAY), periods=days * 48, freq="30min")
    slot = np.arange(days * 48) % 48
    volume = np.where((slot >= first) & (slot <= last), calls, 0.0)
    frames = [
        pd.DataFrame({"queue": q, "interval_start": starts, "volume": volume, "aht_seconds": aht})
        for q in queues
    ]
    return pd.concat(frames, ignore_index=True)


def roster(
    n: int = 10, days: int = 7, start: int = 8 * 60, end: int = 16 * 60 + 30, cost: float = 20.0
) -> Roster:
    """``n`` agents who take every queue, each on ``start``-``end`` every day, no breaks."""
    agents = tuple(Agent(f"Agent {i:02d}", "Team", (), 0.0, 60.0, cost) for i in range(n))
    r = Roster(MONDAY, days, agents, SETUP)
    for a in agents:
        for i in range(days):
            d = MONDAY + dt.timedelta(days=i)
            r.put((a.name, d), Shift(a.name, d, start, end, "Day"))
    return r
