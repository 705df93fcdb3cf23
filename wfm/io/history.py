"""The interval history: the canonical per-queue, per-interval form every later stage reads.

On disk it is a CSV with exactly these columns::

    queue,interval_start,offered,handled,abandoned,aht_seconds

- one row per queue and interval, long format (statsforecast's ``unique_id / ds / y``);
- ``interval_start`` is the local wall-clock start of the interval in ISO 8601. When the
  centre's time zone is known the UTC offset is appended (``2026-10-25T01:00:00+01:00``), so
  the repeated hour of a DST autumn day stays two distinct intervals; days then have 23 or 25
  hours of intervals, never a shifted hour;
- interval length 15, 30 or 60 minutes;
- ``handled``, ``abandoned`` and ``aht_seconds`` are empty when the source lacks them
  (``aht_seconds`` is also empty for an interval with no handled call); a file may also
  leave these three columns out, and they are read as empty.

An interval absent from the file is *unknown* (a gap in the source); an interval present with
``offered = 0`` is a real zero (closed, or nobody called).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from wfm.errors import InputError, WfmError
from wfm.io.atomic import atomic_write
from wfm.io.textfiles import read_csv_table

HISTORY_COLUMNS = ("queue", "interval_start", "offered", "handled", "abandoned", "aht_seconds")
#: Columns a history file may leave out (read as empty: unknown).
OPTIONAL_COLUMNS = ("handled", "abandoned", "aht_seconds")
INTERVAL_CHOICES = (15, 30, 60)


@dataclass(frozen=True, eq=False)
class IntervalHistory:
    """Per-interval aggregates for one or more queues.

    ``frame`` has the columns of :data:`HISTORY_COLUMNS`; ``interval_start`` is naive
    ``datetime64``, the local wall clock. When the centre's time zone is known the frame also
    has ``utc_offset`` (minutes east of UTC, per row), which tells apart the two 01:00 intervals
    of an autumn DST day. Counts are floats so that a missing value can be NaN (counts from
    per-call logs are whole numbers). Rows are sorted by queue and true time.
    """

    frame: pd.DataFrame
    interval_minutes: int = 30

    def __post_init__(self) -> None:
        missing = [c for c in HISTORY_COLUMNS if c not in self.frame.columns]
        if missing:
            raise WfmError(f"Interval history lacks the column(s) {', '.join(missing)}.")
        if self.interval_minutes not in INTERVAL_CHOICES:
            raise WfmError(
                f"Interval length {self.interval_minutes} min is not supported; use 15, 30 or 60."
            )

    # --- what the planner reads off it -------------------------------------------------
    @property
    def queues(self) -> list[str]:
        return sorted(self.frame["queue"].unique().tolist())

    @property
    def start(self) -> pd.Timestamp:
        return self.frame["interval_start"].min()

    @property
    def end(self) -> pd.Timestamp:
        """Start of the last interval."""
        return self.frame["interval_start"].max()

    def __len__(self) -> int:
        return len(self.frame)

    @property
    def has_offsets(self) -> bool:
        return "utc_offset" in self.frame.columns

    def local_start(self) -> pd.Series:
        """Interval starts as naive local wall-clock times."""
        return self.frame["interval_start"]

    def daily_totals(self) -> pd.DataFrame:
        """Offered, handled and abandoned per queue and day, with the day's AHT.

        AHT is the handled-weighted mean of the intervals' AHT.
        """
        return self._totals_by(self.local_start().dt.normalize(), "date")

    def coarser(self, minutes: int) -> IntervalHistory:
        """The history summed into longer intervals (e.g. 30 into 60 minutes), AHT
        handled-weighted. The UTC offsets are not carried over."""
        starts = self.frame["interval_start"].dt.floor(f"{minutes}min")
        out = self._totals_by(starts, "interval_start")
        out["offered"] = out["offered"].fillna(0.0)
        return IntervalHistory(out, minutes)

    def _totals_by(self, key: pd.Series, name: str) -> pd.DataFrame:
        """Offered, handled and abandoned summed per queue and ``key`` (a column called
        ``name``), with the handled-weighted mean AHT."""
        f = self.frame
        weight = aht_weight(f)
        g = pd.DataFrame(
            {
                "queue": f["queue"],
                name: key,
                "offered": f["offered"],
                "handled": f["handled"],
                "abandoned": f["abandoned"],
                "_handle": f["aht_seconds"] * weight,
                "_aht_n": weight.where(f["aht_seconds"].notna()),
            }
        ).groupby(["queue", name], sort=True)
        out = g[["offered", "handled", "abandoned", "_handle", "_aht_n"]].sum(min_count=1)
        out["aht_seconds"] = out["_handle"] / out["_aht_n"].replace(0, np.nan)
        return out.drop(columns=["_handle", "_aht_n"]).reset_index()

    def intraday_profile(self) -> pd.DataFrame:
        """Average offered per interval of the day, by queue and weekday.

        Returns a long frame ``queue, weekday (0=Monday), minute_of_day, offered`` where
        ``offered`` is the mean over the days of that weekday present in the history.
        """
        local = self.local_start()
        f = pd.DataFrame(
            {
                "queue": self.frame["queue"],
                "weekday": local.dt.day_of_week,
                "minute_of_day": local.dt.hour * 60 + local.dt.minute,
                "offered": self.frame["offered"],
            }
        )
        out = f.groupby(["queue", "weekday", "minute_of_day"], sort=True)["offered"].mean()
        return out.reset_index()

    def summary(self) -> dict[str, object]:
        """Totals over the whole history, with the same keys as an import report's summary.

        A count the source lacked (all empty) is ``"unknown"``.
        """
        f = self.frame

        def total(col: str) -> object:
            if not f[col].notna().any():
                return "unknown"
            value = float(f[col].sum())
            return int(value) if value.is_integer() else round(value, 1)

        weight = aht_weight(f).where(f["aht_seconds"].notna())
        n = float(weight.sum())
        local = self.local_start()
        return {
            "calls_offered": total("offered"),
            "handled": total("handled"),
            "abandoned": total("abandoned"),
            "aht_seconds": round(float((f["aht_seconds"] * weight).sum()) / n, 1) if n else "unknown",
            "queues": ", ".join(self.queues),
            "first_day": str(local.min().date()) if len(f) else "",
            "last_day": str(local.max().date()) if len(f) else "",
            "days": int(local.dt.normalize().nunique()),
            "interval_minutes": self.interval_minutes,
        }

    # --- files ---------------------------------------------------------------------------
    def to_csv_text(self) -> str:
        out = self.frame.loc[:, list(HISTORY_COLUMNS)].copy()
        offsets = self.frame["utc_offset"] if self.has_offsets else None
        out["interval_start"] = _iso_strings(out["interval_start"], offsets)
        for col in ("offered", "handled", "abandoned"):
            out[col] = _count_strings(out[col])
        out["aht_seconds"] = out["aht_seconds"].round(1)
        return out.to_csv(index=False, lineterminator="\n")

    def write_csv(self, path: str | Path) -> Path:
        """Save as the canonical CSV, atomically (the old file survives a failed save)."""
        text = self.to_csv_text()
        return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))

    @classmethod
    def read_csv(cls, path: str | Path) -> IntervalHistory:
        """Read a canonical history CSV, checking every row.

        Raises
        ------
        InputError
            Naming the file, row and column of the first bad value.
        """
        path = Path(path)
        raw = read_csv_table(path, "interval history CSV")
        # Only queue, interval_start and offered are required; a source without handled,
        # abandoned or AHT figures leaves those columns empty (or out).
        for optional in OPTIONAL_COLUMNS:
            if optional not in raw.columns:
                raw[optional] = ""
        missing = [c for c in HISTORY_COLUMNS if c not in raw.columns]
        if missing:
            raise InputError(
                f"not an interval history: missing column(s) {', '.join(missing)} "
                f"(expected {','.join(HISTORY_COLUMNS)})",
                file=path,
            )
        frame = pd.DataFrame({"queue": raw["queue"].astype(str)})
        frame["interval_start"], offsets = _parse_starts(raw["interval_start"], path)
        for col in ("offered", "handled", "abandoned", "aht_seconds"):
            values = pd.to_numeric(raw[col].str.strip().replace("", np.nan), errors="coerce")
            bad = values.isna() & raw[col].str.strip().ne("")
            if col == "offered":
                bad |= values.isna()
            bad |= values < 0
            if bad.any():
                i = int(np.flatnonzero(bad.to_numpy())[0])
                raise InputError(
                    f"'{raw[col].iloc[i]}' is not a valid {col} value", file=path, row=i + 2, column=col
                )
            frame[col] = values.astype(float)
        if offsets is not None:
            frame["utc_offset"] = offsets
        dup = frame.assign(_t=_true_time(frame)).duplicated(["queue", "_t"])
        if dup.any():
            i = int(np.flatnonzero(dup.to_numpy())[0])
            raise InputError(
                "interval listed twice for the same queue", file=path, row=i + 2, column="interval_start"
            )
        frame = sort_history(frame)
        minutes = infer_interval_minutes(frame)
        if minutes not in INTERVAL_CHOICES:
            raise InputError(
                f"intervals are {minutes} minutes apart; the history must use 15, 30 or 60",
                file=path,
                column="interval_start",
            )
        return cls(frame, minutes)


def _true_time(frame: pd.DataFrame) -> pd.Series:
    if "utc_offset" in frame.columns:
        return frame["interval_start"] - pd.to_timedelta(frame["utc_offset"], unit="min")
    return frame["interval_start"]


def sort_history(frame: pd.DataFrame) -> pd.DataFrame:
    """Sort by queue and true time (the repeated DST hour stays in order)."""
    order = frame.assign(_t=_true_time(frame)).sort_values(["queue", "_t"], kind="stable").index
    return frame.loc[order].reset_index(drop=True)


def aht_weight(frame: pd.DataFrame) -> pd.Series:
    """Calls an interval's AHT stands for: handled, or offered where handled is unknown."""
    return frame["handled"].where(frame["handled"].notna(), frame["offered"])


def looks_like_history(path: str | Path) -> bool:
    """True when the file's first line is the interval history header (cheap: one line)."""
    try:
        with open(path, encoding="utf-8-sig") as fh:
            header = fh.readline().strip()
    except (OSError, UnicodeDecodeError):
        return False
    return [c.strip() for c in header.split(",")][: len(HISTORY_COLUMNS)] == list(HISTORY_COLUMNS)


def infer_interval_minutes(frame: pd.DataFrame) -> int:
    """The most common gap between consecutive intervals of a queue, in minutes."""
    starts = _true_time(frame)
    gaps = starts.groupby(frame["queue"]).diff().dropna()
    gaps = gaps[gaps > pd.Timedelta(0)]
    if gaps.empty:
        return 30
    return int(round(gaps.mode().iloc[0].total_seconds() / 60))


def _parse_starts(text: pd.Series, path: Path) -> tuple[pd.Series, pd.Series | None]:
    """Local wall-clock starts, and the UTC offsets in minutes when the file carries them."""
    text = text.str.strip()
    offsets = text.str.extract(r"([+-])(\d\d):?(\d\d)$")
    has_offset = offsets[0].notna()
    if has_offset.any() and not has_offset.all():
        i = int(np.flatnonzero((~has_offset).to_numpy())[0])
        raise InputError(
            "some interval starts carry a UTC offset and others do not",
            file=path,
            row=i + 2,
            column="interval_start",
        )
    wall = text.str.replace(r"(?:[+-]\d\d:?\d\d|Z)$", "", regex=True)
    parsed = pd.to_datetime(wall, errors="coerce", format="ISO8601")
    if parsed.isna().any():
        i = int(np.flatnonzero(parsed.isna().to_numpy())[0])
        raise InputError(
            f"'{text.iloc[i]}' is not an ISO date and time",
            file=path,
            row=i + 2,
            column="interval_start",
        )
    if not has_offset.any():
        return parsed, None
    sign = np.where(offsets[0] == "-", -1, 1)
    minutes = sign * (offsets[1].astype(int) * 60 + offsets[2].astype(int))
    return parsed, pd.Series(minutes, index=text.index, dtype="int64")


def _iso_strings(starts: pd.Series, offsets: pd.Series | None) -> pd.Series:
    text = starts.dt.strftime("%Y-%m-%dT%H:%M:%S")
    if offsets is None:
        return text
    a = offsets.abs()
    sign = pd.Series(np.where(offsets < 0, "-", "+"), index=offsets.index)
    return text + sign + (a // 60).map("{:02d}".format) + ":" + (a % 60).map("{:02d}".format)


def _count_strings(values: pd.Series) -> pd.Series:
    """Whole counts without '.0'; fractional counts (from splitting 6-minute reports) kept."""
    v = values.to_numpy(dtype=float)
    missing = np.isnan(v)
    whole = ~missing & (v == np.round(v))
    text = np.full(len(v), "", dtype=object)
    text[whole] = v[whole].astype(np.int64).astype(str)
    frac = ~missing & ~whole
    text[frac] = [f"{x:.3f}".rstrip("0") for x in v[frac]]
    return pd.Series(text, index=values.index)
