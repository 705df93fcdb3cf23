"""Checks on the aggregated intervals: the complete grid, opening hours, gaps, odd days.

These run on per-interval data, whatever the source shape, so per-call logs and interval
reports get the same report.

- Opening hours are inferred per queue, weekday and time of day: a slot is *open* when at
  least half of that weekday's days have calls in it.
- A slot absent from an interval report is *missing* when it is inside opening hours (left
  out of the history: unknown, not zero) and *closed* otherwise (filled with 0).
- In a per-call log a slot with no call is a real zero, but an open slot that usually has
  5 or more calls and has none this time (Poisson chance below 1 %) is flagged as a possible
  recording gap.
- A day whose total is below half or above 1.5 times the median of the same weekday is
  flagged (not removed): holidays, promotions, outages.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from wfm.io.cleaning import MAX_EXAMPLES, Finding

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
BUSY_SLOT_CALLS = 5.0
LOW_DAY, HIGH_DAY = 0.5, 1.5


def full_grid(
    queues: list[str], first_day: dt.date, last_day: dt.date, minutes: int, timezone: str | None
) -> pd.DataFrame:
    """Every interval of every queue from ``first_day`` 00:00 to the end of ``last_day``.

    With a time zone the grid steps in real time, so DST days have 23 or 25 hours and carry
    ``utc_offset``; without one it steps in wall-clock time.
    """
    start = pd.Timestamp(first_day)
    stop = pd.Timestamp(last_day) + pd.Timedelta(days=1)
    if timezone:
        a = start.tz_localize(timezone, ambiguous=True, nonexistent="shift_forward")
        b = stop.tz_localize(timezone, ambiguous=True, nonexistent="shift_forward")
        idx = pd.date_range(a, b, freq=f"{minutes}min", inclusive="left")
        local = idx.tz_localize(None)
        offset = ((local - idx.tz_convert("UTC").tz_localize(None)) // pd.Timedelta(minutes=1)).astype("int64")
        one = pd.DataFrame({"interval_start": local, "utc_offset": offset})
    else:
        idx = pd.date_range(start, stop, freq=f"{minutes}min", inclusive="left")
        one = pd.DataFrame({"interval_start": idx})
    one["interval_start"] = one["interval_start"].astype("datetime64[s]")
    parts = [one.assign(queue=q) for q in queues]
    grid = pd.concat(parts, ignore_index=True) if parts else one.assign(queue="")
    return grid[["queue", *one.columns]]


def _keys(frame: pd.DataFrame) -> list[str]:
    return ["queue", "interval_start"] + (["utc_offset"] if "utc_offset" in frame.columns else [])


def opening_slots(frame: pd.DataFrame) -> pd.DataFrame:
    """Per queue, weekday and minute of day: share of days with calls, and mean offered."""
    local = frame["interval_start"]
    f = pd.DataFrame(
        {
            "queue": frame["queue"].to_numpy(),
            "weekday": local.dt.day_of_week.to_numpy(),
            "minute": (local.dt.hour * 60 + local.dt.minute).to_numpy(),
            "busy": (frame["offered"] > 0).to_numpy(),
            "offered": frame["offered"].to_numpy(),
        }
    )
    g = f.groupby(["queue", "weekday", "minute"])
    out = pd.DataFrame({"share": g["busy"].mean(), "usual": g["offered"].mean()})
    out["open"] = out["share"] >= 0.5
    return out


def _slot_index(frame: pd.DataFrame) -> pd.MultiIndex:
    local = frame["interval_start"]
    return pd.MultiIndex.from_arrays(
        [frame["queue"], local.dt.day_of_week, local.dt.hour * 60 + local.dt.minute],
        names=["queue", "weekday", "minute"],
    )


def _label(queue: str, ts: pd.Timestamp, with_time: bool = True) -> str:
    fmt = "%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d"
    return f"{_DAYS[ts.weekday()]} {ts.strftime(fmt)} ({queue})"


def interval_examples(frame: pd.DataFrame, with_time: bool = True) -> tuple[str, ...]:
    head = frame.head(MAX_EXAMPLES)
    return tuple(_label(q, t, with_time) for q, t in zip(head["queue"], head["interval_start"], strict=True))


def complete_intervals(
    found: pd.DataFrame, grid: pd.DataFrame, *, zeros_are_observed: bool
) -> tuple[pd.DataFrame, list[Finding]]:
    """Put the aggregated intervals on the full grid and report what had to be filled.

    ``zeros_are_observed`` is True for per-call logs (no call = zero calls) and False for
    interval reports (no row = unknown).
    """
    keys = _keys(grid)
    # Outer: an interval off the grid (a zone whose DST shift is 30 minutes, with 60-minute
    # intervals) is kept, not lost.
    merged = grid.merge(found, on=keys, how="outer", indicator=True, sort=False)
    present = merged["_merge"].isin(["both", "right_only"]).to_numpy()
    merged = merged.drop(columns="_merge")
    findings: list[Finding] = []
    if zeros_are_observed:
        merged["offered"] = merged["offered"].fillna(0.0)
        for col in ("handled", "abandoned"):
            if col in found.columns and found[col].notna().any():
                merged[col] = merged[col].fillna(0.0)
        return merged, findings

    slots = opening_slots(merged[present])
    day = merged["interval_start"].dt.normalize()
    day_present = pd.Series(present).groupby([merged["queue"], day]).transform("any").to_numpy()
    is_open = slots["open"].reindex(_slot_index(merged)).fillna(False).to_numpy(dtype=bool)
    weekday_seen = (
        pd.Series(present)
        .groupby([merged["queue"], merged["interval_start"].dt.day_of_week])
        .transform("any")
        .to_numpy()
    )

    # A day with no row at all, on a weekday the queue is open: the whole day is unknown.
    weekday_open = (
        pd.Series(is_open).groupby([merged["queue"], merged["interval_start"].dt.day_of_week]).transform("any").to_numpy()
    )
    whole_day_missing = ~present & ~day_present & weekday_seen & weekday_open
    # Inside opening hours: an open slot for that weekday, or between two rows of the day.
    t = merged["interval_start"].where(present)
    by_day = t.groupby([merged["queue"], day])
    within = (merged["interval_start"] > by_day.transform("min")) & (merged["interval_start"] < by_day.transform("max"))
    gap = ~present & day_present & (is_open | within.to_numpy())
    closed = ~present & ~whole_day_missing & ~gap

    if whole_day_missing.any():
        days = merged.loc[whole_day_missing, ["queue", "interval_start"]].copy()
        days["interval_start"] = days["interval_start"].dt.normalize()
        days = days.drop_duplicates()
        findings.append(
            Finding(
                "missing_days",
                "Days missing from the file (no rows at all on a normally open weekday)",
                len(days),
                "left out of the history as unknown, not zero; mark them as holidays or closed "
                "days in the forecast calendar if that is what they were",
                "warning",
                examples=interval_examples(days, with_time=False),
            )
        )
    if gap.any():
        findings.append(
            Finding(
                "missing_intervals",
                "Intervals missing inside opening hours",
                int(gap.sum()),
                "left out of the history as unknown, not zero",
                "warning",
                examples=interval_examples(merged.loc[gap]),
            )
        )
    if closed.any():
        findings.append(
            Finding(
                "closed_intervals",
                "Intervals outside opening hours with no rows (closed)",
                int(closed.sum()),
                "filled with 0 calls",
                "info",
            )
        )
    merged.loc[closed, "offered"] = 0.0
    for col in ("handled", "abandoned"):
        if col in found.columns and found[col].notna().any():
            merged.loc[closed, col] = 0.0
    merged = merged[present | closed].reset_index(drop=True)
    return merged, findings


def possible_gaps(frame: pd.DataFrame) -> Finding | None:
    """Per-call logs: usually busy open slots with no call at all, on days that had calls."""
    slots = opening_slots(frame)
    idx = _slot_index(frame)
    usual = slots["usual"].reindex(idx).to_numpy()
    is_open = slots["open"].reindex(idx).fillna(False).to_numpy(dtype=bool)
    day_total = frame.groupby([frame["queue"], frame["interval_start"].dt.normalize()])["offered"].transform("sum")
    mask = (frame["offered"].to_numpy() == 0) & is_open & (usual >= BUSY_SLOT_CALLS) & (day_total.to_numpy() > 0)
    if not mask.any():
        return None
    return Finding(
        "possible_gaps",
        f"Open intervals with no call where {BUSY_SLOT_CALLS:.0f} or more are usual (possible recording gaps)",
        int(mask.sum()),
        "kept as 0 calls; check the ACD for an outage and correct the history if it was one",
        "warning",
        examples=interval_examples(frame.loc[mask]),
    )


def unusual_days(frame: pd.DataFrame) -> list[Finding]:
    """Days far off the median of the same weekday, per queue (flagged, never removed)."""
    day = frame["interval_start"].dt.normalize()
    totals = frame.groupby([frame["queue"], day])["offered"].sum(min_count=1).dropna()
    totals.index = totals.index.set_names(["queue", "day"])
    t = totals.reset_index(name="offered")
    t["weekday"] = t["day"].dt.day_of_week
    open_days = t[t["offered"] > 0]
    median = open_days.groupby(["queue", "weekday"])["offered"].median()
    t["usual"] = median.reindex(pd.MultiIndex.from_frame(t[["queue", "weekday"]])).to_numpy()
    t = t[t["usual"].fillna(0) >= 20]
    ratio = t["offered"] / t["usual"]
    findings = []
    closed = t[t["offered"] == 0]
    if len(closed):
        findings.append(
            Finding(
                "empty_days",
                "Days with no calls on a weekday that is normally open (holidays or closures?)",
                len(closed),
                "kept as 0; mark them as holidays or closed days in the forecast calendar",
                "info",
                examples=tuple(
                    f"{_DAYS[d.weekday()]} {d:%Y-%m-%d} ({q}): 0 calls, usually {u:,.0f}"
                    for q, d, u in closed[["queue", "day", "usual"]].head(MAX_EXAMPLES).itertuples(index=False)
                ),
            )
        )
    odd = t[((ratio < LOW_DAY) | (ratio > HIGH_DAY)) & (t["offered"] > 0)]
    if len(odd):
        findings.append(
            Finding(
                "unusual_days",
                f"Days far off their usual volume (below {LOW_DAY:.0%} or above {HIGH_DAY:.0%} "
                "of the median of the same weekday)",
                len(odd),
                "flagged, not changed; a promotion, a holiday or an outage? Add it to the forecast "
                "events so it does not distort the profiles",
                "warning",
                examples=tuple(
                    f"{_DAYS[d.weekday()]} {d:%Y-%m-%d} ({q}): {o:,.0f} calls, usually {u:,.0f}"
                    for q, d, o, u in odd[["queue", "day", "offered", "usual"]].head(MAX_EXAMPLES).itertuples(index=False)
                ),
            )
        )
    return findings
