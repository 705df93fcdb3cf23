"""Hand-built interval histories for the forecast tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

from wfm.io.history import IntervalHistory

MONDAY = dt.date(2026, 1, 5)


def make_history(
    days: int = 70,
    *,
    first: dt.date = MONDAY,
    queues: Iterable[str] = ("A",),
    minutes: int = 30,
    hours: tuple[int, int] = (8, 18),
    closed_weekdays: Iterable[int] = (6,),
    rate: float | Callable[[dt.date, int], float] = 10.0,
    poisson: bool = False,
    missing: Iterable[dt.date] = (),
    closed_days: Iterable[dt.date] = (),
    aht: float | None = 300.0,
    seed: int = 1,
) -> IntervalHistory:
    """Every interval of ``days`` days; ``rate`` per open interval (or ``rate(day, slot)``).

    Days in ``missing`` have no rows at all; ``closed_days`` have rows with 0 calls.
    """
    rng = np.random.default_rng(seed)
    slots = 1440 // minutes
    missing, closed_days, closed_weekdays = set(missing), set(closed_days), set(closed_weekdays)
    rows = []
    for q in queues:
        for k in range(days):
            day = first + dt.timedelta(days=k)
            if day in missing:
                continue
            for s in range(slots):
                minute = s * minutes
                is_open = (
                    day not in closed_days
                    and day.weekday() not in closed_weekdays
                    and hours[0] * 60 <= minute < hours[1] * 60
                )
                lam = (rate(day, s) if callable(rate) else rate) if is_open else 0.0
                n = float(rng.poisson(lam)) if poisson else float(lam)
                rows.append(
                    (q, pd.Timestamp(day) + pd.Timedelta(minutes=minute), n, n, 0.0,
                     aht if (aht is not None and n > 0) else np.nan)
                )
    frame = pd.DataFrame(rows, columns=["queue", "interval_start", "offered", "handled", "abandoned", "aht_seconds"])
    frame["interval_start"] = frame["interval_start"].astype("datetime64[s]")
    return IntervalHistory(frame, minutes)


def day_rows(frame: pd.DataFrame, day: dt.date, queue: str = "A") -> pd.DataFrame:
    return frame[(frame["queue"] == queue) & (frame["interval_start"].dt.date == day)]
