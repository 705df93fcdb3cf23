"""The volume to staff ("demand") and the staffing table computed from it.

A demand frame has one row per queue and interval: ``queue, interval_start, volume,
aht_seconds`` and optionally ``shrinkage`` (one figure per interval). It comes from a
forecast (:func:`demand_from_forecast`), from the history's last weeks
(:func:`demand_from_history`: what the centre would have needed) or from a CSV
(:func:`read_demand_csv`, the ``wfm staff`` input).

:func:`staff` adds the requirement columns; :func:`daily_summary` adds them up per day.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from wfm.errors import InputError, WfmError
from wfm.io.history import IntervalHistory, _iso_strings, _parse_starts, aht_weight
from wfm.io.textfiles import read_csv_table
from wfm.staffing.requirement import StaffingTarget, required_agents

DEMAND_COLUMNS = ("queue", "interval_start", "volume", "aht_seconds")
STAFFING_COLUMNS = (
    *DEMAND_COLUMNS,
    "agents",
    "scheduled_agents",
    "service_level",
    "asa_seconds",
    "occupancy",
)
#: AHT assumed for a queue whose source has none at all (a planner's common default).
DEFAULT_AHT_SECONDS = 300.0


def demand_from_forecast(frame: pd.DataFrame) -> pd.DataFrame:
    """The demand of a forecast frame (``volume`` and ``aht_seconds`` columns)."""
    return _fill_aht(frame.loc[:, list(DEMAND_COLUMNS)].copy())


def demand_from_history(history: IntervalHistory, days: int = 28) -> pd.DataFrame:
    """The offered volume and AHT of the history's last ``days`` days, as demand."""
    frame = history.frame
    last_day = frame["interval_start"].max().normalize()
    first_day = last_day - pd.Timedelta(days=days - 1)
    recent = frame.loc[frame["interval_start"] >= first_day]
    demand = pd.DataFrame(
        {
            "queue": recent["queue"].to_numpy(),
            "interval_start": recent["interval_start"].to_numpy(),
            "volume": recent["offered"].fillna(0.0).to_numpy(dtype=float),
            "aht_seconds": recent["aht_seconds"].to_numpy(dtype=float),
        }
    )
    # The queue's handled-weighted mean AHT where an interval has calls but no AHT.
    weights = aht_weight(recent).to_numpy(dtype=float)
    aht = demand["aht_seconds"].to_numpy(dtype=float)
    for queue in demand["queue"].unique():
        rows = (demand["queue"] == queue).to_numpy() & np.isfinite(aht)
        w = np.where(rows, np.nan_to_num(weights), 0.0)
        if w.sum() > 0:
            mean = float((np.nan_to_num(aht) * w).sum() / w.sum())
            gap = (demand["queue"] == queue).to_numpy() & ~np.isfinite(aht)
            demand.loc[gap, "aht_seconds"] = mean
    return _fill_aht(demand)


def _fill_aht(demand: pd.DataFrame) -> pd.DataFrame:
    """Give every interval a usable AHT: the queue's mean, else the default."""
    aht = demand["aht_seconds"].astype(float)
    by_queue = aht.groupby(demand["queue"]).transform("mean")
    demand["aht_seconds"] = aht.fillna(by_queue).fillna(DEFAULT_AHT_SECONDS)
    return demand.reset_index(drop=True)


def read_demand_csv(path: str | Path) -> pd.DataFrame:
    """Read ``queue,interval_start,volume,aht_seconds`` (a forecast CSV), checking values.

    Raises :class:`InputError` naming the file, row (header = row 1) and column of the first
    bad value.
    """
    path = Path(path)
    raw = read_csv_table(path, "forecast CSV")
    missing = [c for c in DEMAND_COLUMNS if c not in raw.columns]
    if missing:
        raise InputError(
            f"lacks the column(s) {', '.join(missing)}; a forecast has " + ",".join(DEMAND_COLUMNS),
            file=path,
        )
    # Local wall-clock starts; a UTC offset (…T01:00:00+01:00, as histories are written on
    # DST days) is kept, so the two 01:00 intervals of an autumn day stay apart.
    starts, offsets = _parse_starts(raw["interval_start"], path)
    demand = pd.DataFrame({"queue": raw["queue"], "interval_start": starts})
    if offsets is not None:
        demand["utc_offset"] = offsets
    for column, rule, ok in (
        ("volume", "the volume must be a number of calls, 0 or more", lambda v: v >= 0),
        ("aht_seconds", "the AHT must be more than 0 seconds", lambda v: v > 0),
    ):
        text = raw[column].str.strip()
        values = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)
        empty = text.eq("").to_numpy()
        if column == "volume":
            bad = empty | ~np.isfinite(values) | ~ok(np.nan_to_num(values, nan=-1))
        else:  # an empty AHT is allowed (no history of it); a given one must be valid
            bad = ~empty & (~np.isfinite(values) | ~ok(np.nan_to_num(values, nan=-1)))
        _first_bad(path, raw, column, bad, rule)
        demand[column] = values
    if "shrinkage" in raw.columns:
        values = pd.to_numeric(raw["shrinkage"].str.strip(), errors="coerce").to_numpy(dtype=float)
        bad = ~np.isfinite(values) | (values < 0) | (values >= 1)
        _first_bad(
            path, raw, "shrinkage", bad, "shrinkage must be at least 0 and below 1 (0.3 for 30 %)"
        )
        demand["shrinkage"] = values
    if demand.empty:
        raise InputError("has no intervals", file=path)
    keys = ["queue", "interval_start"] + (["utc_offset"] if offsets is not None else [])
    duplicated = demand.duplicated(keys).to_numpy()
    _first_bad(path, raw, "interval_start", duplicated, "the same queue and interval appear twice")
    counted = demand.groupby("queue")["aht_seconds"].transform("count")
    no_aht = counted.eq(0) & demand["volume"].gt(0)
    if no_aht.any():
        i = int(np.flatnonzero(no_aht.to_numpy())[0])
        raise InputError(
            f"queue {demand['queue'].iloc[i]!r} has calls but no handle time in any interval; "
            "fill in aht_seconds (requirement = volume x AHT)",
            file=path,
            row=i + 2,
            column="aht_seconds",
        )
    return _fill_aht(demand)


def _first_bad(path: Path, raw: pd.DataFrame, column: str, bad: np.ndarray, rule: str) -> None:
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        value = raw[column].iloc[i]
        raise InputError(f"{rule}; found {value!r}", file=path, row=i + 2, column=column)


def open_intervals(demand: pd.DataFrame) -> np.ndarray:
    """Where the centre is open: from each queue's first to its last interval with calls,
    day by day (a quiet interval inside the day is open; the night is not)."""
    day = demand["interval_start"].dt.normalize()
    has_calls = demand["volume"].to_numpy(dtype=float) > 0
    keys = [demand["queue"], day]
    stamps = demand["interval_start"]
    first = stamps.where(has_calls).groupby(keys).transform("min")
    last = stamps.where(has_calls).groupby(keys).transform("max")
    return ((stamps >= first) & (stamps <= last)).to_numpy()


def staff(
    demand: pd.DataFrame,
    interval_minutes: int,
    target: StaffingTarget,
) -> pd.DataFrame:
    """The staffing table: the demand plus ``agents, scheduled_agents, service_level,
    asa_seconds, occupancy`` (and ``p_abandon`` under Erlang A) per interval.

    A ``shrinkage`` column in ``demand`` overrides the target's single figure.
    """
    if interval_minutes <= 0:
        raise WfmError("The interval length must be a positive number of minutes")
    shrinkage = demand["shrinkage"].to_numpy(dtype=float) if "shrinkage" in demand else None
    requirement = required_agents(
        demand["volume"].to_numpy(dtype=float),
        demand["aht_seconds"].to_numpy(dtype=float),
        interval_minutes * 60.0,
        target,
        shrinkage=shrinkage,
        open_mask=open_intervals(demand) if target.min_agents else None,
    )
    table = demand.loc[:, list(DEMAND_COLUMNS)].copy()
    if "utc_offset" in demand:
        table["utc_offset"] = demand["utc_offset"].to_numpy()
    metrics = requirement.metrics
    table["agents"] = requirement.agents
    table["scheduled_agents"] = requirement.scheduled
    table["service_level"] = metrics.service_level
    table["asa_seconds"] = metrics.asa_seconds
    table["occupancy"] = metrics.occupancy
    if metrics.p_abandon is not None:
        table["p_abandon"] = metrics.p_abandon
    return table


def daily_summary(
    table: pd.DataFrame, interval_minutes: int, hours_per_fte_day: float = 8.0
) -> pd.DataFrame:
    """Per queue and day: calls, net and scheduled agent-hours, FTE, and the day's service
    level (and abandon rate) weighted by calls.

    FTE = scheduled agent-hours / ``hours_per_fte_day`` (8 h: a 40-hour week over 5 days).
    """
    hours = interval_minutes / 60.0
    frame = pd.DataFrame(
        {
            "queue": table["queue"],
            "date": table["interval_start"].dt.normalize(),
            "volume": table["volume"],
            "agent_hours": table["agents"] * hours,
            "scheduled_hours": table["scheduled_agents"] * hours,
            "_sl_calls": table["service_level"] * table["volume"],
        }
    )
    if "p_abandon" in table:
        frame["_ab_calls"] = table["p_abandon"] * table["volume"]
    daily = frame.groupby(["queue", "date"], sort=True).sum().reset_index()
    calls = daily["volume"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        daily["service_level"] = np.where(calls > 0, daily.pop("_sl_calls") / calls, np.nan)
        if "_ab_calls" in daily:
            daily["p_abandon"] = np.where(calls > 0, daily.pop("_ab_calls") / calls, np.nan)
    daily["fte"] = daily["scheduled_hours"] / hours_per_fte_day
    return daily


def staffing_csv_text(table: pd.DataFrame) -> str:
    """The staffing table as ``wfm staff`` writes it: the input columns as given, the
    interval start in ISO 8601 (with its UTC offset when the input had one), and the
    achieved metrics to nine significant digits."""
    out = table.drop(columns="utc_offset", errors="ignore").copy()
    offsets = table.get("utc_offset", None)
    out["interval_start"] = _iso_strings(table["interval_start"], offsets)
    for column in ("service_level", "asa_seconds", "occupancy", "p_abandon"):
        if column in out:
            out[column] = out[column].map(lambda v: f"{v:.9g}")
    return out.to_csv(index=False)
