"""Inputs the roster benchmarks share (imported by the ``bench_*.py`` scripts beside it)."""

from __future__ import annotations

import datetime as dt

import numpy as np

from wfm.scheduling.need import StaffingNeed


def two_queue_need(start: dt.date, days: int) -> StaffingNeed:
    """Sales and Support on 30-minute intervals, open 08:00-20:00 every day with a midday
    peak, 300 s AHT and the heads that volume needs (+15 %), so a quality report can project
    the service level."""
    t = np.arange(48)
    shape = np.where((t >= 16) & (t < 40), 1.0 + np.exp(-((t - 26) ** 2) / 40.0), 0.0)
    volume = np.stack([np.tile(shape * 120, (days, 1)), np.tile(shape * 80, (days, 1))])
    aht = np.where(volume > 0, 300.0, 0.0)
    required = np.ceil(volume * 300 / 1800 * 1.15)
    return StaffingNeed(start, 30, ("Sales", "Support"), required, volume, aht)
