"""What a roster must cover: required heads per queue, day and interval.

:class:`StaffingNeed` is the bridge from the staffing engine to scheduling. Its ``required``
array holds the heads that must be *on the phones* (not on a break) in each interval,
normally the staffing table's ``scheduled_agents`` (the net requirement grossed up by
shrinkage). Breaks are placed explicitly by the scheduler, so the shrinkage used for the
requirement should cover absence, training and meetings, not breaks.

When the volume and AHT are known, the projected service level of a roster can be computed
per interval with :func:`wfm.staffing.requirement.queue_metrics`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from wfm.errors import InputError, WfmError
from wfm.io.textfiles import read_csv_table
from wfm.scheduling.model import MINUTES_PER_DAY
from wfm.staffing.requirement import StaffingTarget

REQUIREMENT_COLUMNS = ("queue", "interval_start")


@dataclass(frozen=True, eq=False)
class StaffingNeed:
    """Required on-phone heads per queue (axis 0), day (axis 1) and interval (axis 2).

    ``volume`` and ``aht_seconds`` (same shape, or ``None``) let the quality report project
    the service level; ``target`` is the staffing target that produced ``required``.
    """

    start: dt.date
    interval_minutes: int
    queues: tuple[str, ...]
    required: np.ndarray
    volume: np.ndarray | None = None
    aht_seconds: np.ndarray | None = None
    target: StaffingTarget | None = None

    def __post_init__(self) -> None:
        if self.interval_minutes <= 0 or MINUTES_PER_DAY % self.interval_minutes:
            raise WfmError("the interval length must divide the day (15, 30 or 60 minutes)")
        shape = (len(self.queues), self.required.shape[1], self.intervals_per_day)
        if self.required.ndim != 3 or self.required.shape != shape:
            raise WfmError(f"the requirement must have the shape {shape}")
        for extra in (self.volume, self.aht_seconds):
            if extra is not None and extra.shape != shape:
                raise WfmError(f"volume and AHT must have the shape {shape}")

    @property
    def days(self) -> int:
        return int(self.required.shape[1])

    @property
    def intervals_per_day(self) -> int:
        return MINUTES_PER_DAY // self.interval_minutes

    def dates(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=i) for i in range(self.days)]

    def total(self) -> np.ndarray:
        """Required heads over all queues, per day and interval."""
        return self.required.sum(axis=0)

    def required_hours(self) -> float:
        return float(self.required.sum() * self.interval_minutes / 60.0)

    def window(self, start: dt.date, days: int) -> StaffingNeed:
        """The need for ``start .. start + days`` (days outside the data need nobody)."""
        offset = (start - self.start).days

        def cut(a: np.ndarray | None) -> np.ndarray | None:
            if a is None:
                return None
            out = np.zeros((a.shape[0], days, a.shape[2]), dtype=float)
            lo, hi = max(offset, 0), min(offset + days, a.shape[1])
            if lo < hi:
                out[:, lo - offset : hi - offset] = a[:, lo:hi]
            return out

        required = cut(self.required)
        assert required is not None
        return StaffingNeed(
            start,
            self.interval_minutes,
            self.queues,
            required,
            cut(self.volume),
            cut(self.aht_seconds),
            self.target,
        )

    @classmethod
    def from_table(
        cls,
        table: pd.DataFrame,
        interval_minutes: int,
        column: str = "scheduled_agents",
        target: StaffingTarget | None = None,
        start: dt.date | None = None,
        days: int | None = None,
    ) -> StaffingNeed:
        """From a staffing table (``queue, interval_start, <column>`` and, when present,
        ``volume, aht_seconds``), as :func:`wfm.staffing.demand.staff` returns it.

        Intervals are placed by their local wall-clock start; days without rows need nobody.
        """
        stamps = pd.to_datetime(table["interval_start"])
        if getattr(stamps.dt, "tz", None) is not None:
            stamps = stamps.dt.tz_localize(None)
        dates = stamps.dt.normalize()
        first = dates.min().date() if start is None else start
        n_days = (dates.max().date() - first).days + 1 if days is None else days
        queues = tuple(dict.fromkeys(str(q) for q in table["queue"]))
        per_day = MINUTES_PER_DAY // interval_minutes
        q_index = pd.Index(queues).get_indexer(table["queue"].astype(str))
        d_index = ((dates - pd.Timestamp(first)).dt.days).to_numpy()
        t_index = ((stamps.dt.hour * 60 + stamps.dt.minute) // interval_minutes).to_numpy()
        keep = (d_index >= 0) & (d_index < n_days)

        def grid(values: pd.Series) -> np.ndarray:
            out = np.zeros((len(queues), n_days, per_day), dtype=float)
            v = values.to_numpy(dtype=float)
            np.add.at(out, (q_index[keep], d_index[keep], t_index[keep]), np.nan_to_num(v[keep]))
            return out

        volume = grid(table["volume"]) if "volume" in table else None
        aht = None
        if volume is not None and "aht_seconds" in table:
            # AHT weighted by calls when two rows fall in one interval (a 15-min table on a
            # 30-min grid)
            work = grid(table["volume"] * table["aht_seconds"].fillna(0.0))
            with np.errstate(invalid="ignore", divide="ignore"):
                aht = np.where(volume > 0, work / np.where(volume > 0, volume, 1.0), 0.0)
        return cls(first, interval_minutes, queues, grid(table[column]), volume, aht, target)


def read_requirements_csv(
    path: str | Path, column: str = "scheduled_agents", interval_minutes: int | None = None
) -> StaffingNeed:
    """A requirements CSV as ``wfm staff`` writes it (``queue, interval_start, volume,
    aht_seconds, agents, scheduled_agents, ...``); only ``queue``, ``interval_start`` and
    ``column`` are required.

    Raises :class:`InputError` naming the file, row (header = row 1) and column of the
    first bad value.
    """
    path = Path(path)
    raw = read_csv_table(path, "requirements CSV")
    missing = [c for c in (*REQUIREMENT_COLUMNS, column) if c not in raw.columns]
    if missing:
        raise InputError(
            f"missing column(s) {', '.join(missing)} (expected queue,interval_start,{column})",
            file=path,
        )
    if raw.empty:
        raise InputError("has no rows", file=path)
    stamps = pd.to_datetime(raw["interval_start"], errors="coerce", format="ISO8601", utc=False)
    bad = stamps.isna().to_numpy()
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise InputError(
            f"'{raw['interval_start'].iloc[row]}' is not a date and time",
            file=path,
            row=row + 2,
            column="interval_start",
        )
    table = pd.DataFrame({"queue": raw["queue"], "interval_start": stamps})
    numeric = [column] + [c for c in ("volume", "aht_seconds") if c in raw and c != column]
    for name in numeric:
        values = pd.to_numeric(raw[name].replace("", "nan"), errors="coerce")
        bad = (values < 0).to_numpy() | (values.isna().to_numpy() & (name == column))
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise InputError(
                f"'{raw[name].iloc[row]}' is not a number of 0 or more",
                file=path,
                row=row + 2,
                column=name,
            )
        table[name] = values
    if interval_minutes is None:
        interval_minutes = _infer_interval(table)
    return StaffingNeed.from_table(table, interval_minutes, column=column)


def _infer_interval(table: pd.DataFrame) -> int:
    starts = table["interval_start"]
    if getattr(starts.dt, "tz", None) is not None:
        starts = starts.dt.tz_localize(None)
    minutes = (starts.dt.hour * 60 + starts.dt.minute).to_numpy()
    step = int(np.gcd.reduce(np.append(minutes, MINUTES_PER_DAY)))
    for candidate in (60, 30, 15, 10, 5):
        if step % candidate == 0:
            return candidate
    raise WfmError("the requirement's interval starts are not on a 5-minute grid")
