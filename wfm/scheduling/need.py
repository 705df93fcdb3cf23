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
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from wfm.errors import InputError, WfmError
from wfm.io.textfiles import read_csv_table
from wfm.scheduling.loaders import csv_row_number
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

        Intervals are placed by their local wall-clock start (a tz-aware or offset start is
        read as the wall clock it names); days without rows need nobody. A start given twice
        (the hour a DST change repeats on a 25-hour day) needs the larger requirement, and
        its calls add up. A table on a finer grid than ``interval_minutes`` (15-minute rows
        on 30-minute intervals) is averaged over each interval (calls add up, AHT weighted
        by calls); a coarser one (hourly rows) fills every interval it spans.
        """
        stamps = _wall_clock(table["interval_start"])
        queues = tuple(dict.fromkeys(str(q) for q in table["queue"]))
        frame = pd.DataFrame(
            {
                "queue": table["queue"].astype(str).to_numpy(),
                "stamp": stamps.to_numpy(),
                "required": _numbers(table[column]),
            }
        )
        aggregate = {"required": "max"}
        if "volume" in table:
            frame["volume"] = _numbers(table["volume"])
            aht = _numbers(table["aht_seconds"]) if "aht_seconds" in table else 0.0
            frame["work"] = frame["volume"] * aht
            aggregate.update(volume="sum", work="sum")
        frame = frame.dropna(subset=["stamp"])
        if frame.empty:
            raise WfmError("the requirement has no intervals")
        frame = frame.groupby(["queue", "stamp"], sort=False, as_index=False).agg(aggregate)
        stamps = frame["stamp"]
        minute = (stamps.dt.hour * 60 + stamps.dt.minute).to_numpy()
        weight, copies = 1.0, 1
        source = _grid(minute)
        if source is not None and source < interval_minutes and interval_minutes % source == 0:
            weight = source / interval_minutes
        elif source is not None and source > interval_minutes and source % interval_minutes == 0:
            copies = source // interval_minutes
        dates = stamps.dt.normalize()
        first = dates.min().date() if start is None else start
        n_days = (dates.max().date() - first).days + 1 if days is None else days
        per_day = MINUTES_PER_DAY // interval_minutes
        q_index = pd.Index(queues).get_indexer(frame["queue"])
        d_index = ((dates - pd.Timestamp(first)).dt.days).to_numpy()
        t_index = minute // interval_minutes
        keep = (d_index >= 0) & (d_index < n_days)
        at = (q_index[keep], d_index[keep], t_index[keep])

        def grid(values: np.ndarray, share: float) -> np.ndarray:
            out = np.zeros((len(queues), n_days, per_day), dtype=float)
            for k in range(copies):
                np.add.at(out, (at[0], at[1], at[2] + k), values[keep] * share)
            return out

        required = grid(frame["required"].to_numpy(), weight)
        volume = aht_grid = None
        if "volume" in frame:
            volume = grid(frame["volume"].to_numpy(), 1.0 / copies)
            if "aht_seconds" in table:
                work = grid(frame["work"].to_numpy(), 1.0 / copies)
                safe = np.where(volume > 0, volume, 1.0)
                aht_grid = np.where(volume > 0, work / safe, 0.0)
        return cls(first, interval_minutes, queues, required, volume, aht_grid, target)


def _numbers(values: pd.Series) -> np.ndarray:
    return np.nan_to_num(pd.to_numeric(values, errors="coerce").to_numpy(dtype=float))


_OFFSET = re.compile(r"(\d\d:\d\d(?::\d\d(?:\.\d*)?)?)\s*(?:Z|[+-]\d\d(?::?\d\d)?)$")


def _wall_clock(values: pd.Series) -> pd.Series:
    """Naive timestamps of the local wall clock of ``values`` (datetimes, tz-aware ones,
    or ISO texts whose UTC offsets may differ from row to row across a DST change)."""
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        return values.dt.tz_localize(None)
    if pd.api.types.is_datetime64_dtype(values.dtype):
        return values

    def wall(value: object) -> object:
        if isinstance(value, str):
            return pd.Timestamp(_OFFSET.sub(r"\1", value.strip()))
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            return value.replace(tzinfo=None)
        return value

    return pd.Series(pd.to_datetime(values.map(wall)), index=values.index)


def _grid(minutes: np.ndarray) -> int | None:
    """The interval length (60, 30, 15, 10 or 5 minutes) the starts are on, or None."""
    step = int(np.gcd.reduce(np.append(minutes.astype(np.int64), MINUTES_PER_DAY)))
    return next((c for c in (60, 30, 15, 10, 5) if step % c == 0), None)


def read_requirements_csv(
    path: str | Path, column: str = "scheduled_agents", interval_minutes: int | None = None
) -> StaffingNeed:
    """A requirements CSV as ``wfm staff`` writes it (``queue, interval_start, volume,
    aht_seconds, agents, scheduled_agents, ...``); only ``queue``, ``interval_start`` and
    ``column`` are required. Starts are read by their wall clock (see
    :meth:`StaffingNeed.from_table`).

    Raises :class:`InputError` naming the file, row (header = row 1, blank lines counted)
    and column of the first bad value.
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

    def fail_at(bad: np.ndarray, name: str, what: str) -> None:
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise InputError(
                f"'{raw[name].iloc[row]}' is not {what}",
                file=path,
                row=csv_row_number(path, row),
                column=name,
            )

    wall = raw["interval_start"].astype(str).str.strip().str.replace(_OFFSET, r"\1", regex=True)
    stamps = pd.to_datetime(wall, errors="coerce", format="ISO8601")
    fail_at(stamps.isna().to_numpy(), "interval_start", "a date and time")
    table = pd.DataFrame({"queue": raw["queue"], "interval_start": stamps})
    numeric = [column] + [c for c in ("volume", "aht_seconds") if c in raw and c != column]
    for name in numeric:
        values = pd.to_numeric(raw[name].replace("", "nan"), errors="coerce")
        bad = (values < 0).to_numpy() | (values.isna().to_numpy() & (name == column))
        fail_at(bad, name, "a number of 0 or more")
        table[name] = values
    if interval_minutes is None:
        interval_minutes = _infer_interval(table)
    return StaffingNeed.from_table(table, interval_minutes, column=column)


def _infer_interval(table: pd.DataFrame) -> int:
    starts = _wall_clock(table["interval_start"])
    found = _grid((starts.dt.hour * 60 + starts.dt.minute).to_numpy())
    if found is None:
        raise WfmError("the requirement's interval starts are not on a 5-minute grid")
    return found
