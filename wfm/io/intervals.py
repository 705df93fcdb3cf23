"""Interval reports -> the planner's interval grid.

A report row gives counts for one interval (often 5, 6, 15 or 30 minutes). Rows are summed
into the planner's 15, 30 or 60-minute intervals. When the report's interval does not divide
the planner's (6-minute rows into 15 minutes) each row is split in proportion to its overlap,
so counts may be fractional. A report coarser than the planner's interval cannot be split
and is refused with a message.

AHT is carried as total handle time: AHT x handled (or the total handle time column), so
the aggregated AHT is the handled-weighted mean.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from wfm.errors import InputError
from wfm.io import checks
from wfm.io.cleaning import Finding, RowLedger
from wfm.io.history import IntervalHistory, sort_history
from wfm.io.parsing import assemble_timestamps, blank_rows, categories, localise, parse_durations
from wfm.io.profile import ImportProfile
from wfm.io.reader import RawTable
from wfm.progress import ProgressCallback, report

COUNT_ROLES = ("offered", "handled", "abandoned")


def build(
    table: RawTable,
    profile: ImportProfile,
    *,
    path: Path,
    interval_minutes: int,
    start: dt.date | None,
    end: dt.date | None,
    progress: ProgressCallback | None,
) -> tuple[pd.DataFrame, list[Finding], dict[str, object]]:
    cols = profile.mapped
    f = table.frame
    rows = table.row_numbers
    ledger = RowLedger(rows, blank_rows(f), table.extra_fields)
    keep, add, findings = ledger.keep, ledger.add, ledger.findings  # keep is updated in place

    start_col = cols["interval_start"]
    ts = assemble_timestamps(f, start_col, date_column=cols.get("date"), profile=profile)
    sample = f[start_col][ts.bad & keep].head(1).tolist()
    add("bad_timestamp", f"Unreadable interval start in '{start_col}'" + (f" (e.g. '{sample[0]}')" if sample else ""),
        ts.bad & keep, "dropped", "error")
    add("missing_timestamp", f"No interval start in '{start_col}'", ts.empty & ~ts.bad & keep, "dropped", "error")
    keep &= ~ts.bad & ~ts.empty
    if keep.sum() == 0:
        raise InputError("no row has a readable interval start; set datetime_format in the import profile",
                         file=path, column=start_col)

    report(progress, 0.5, "Reading counts")
    counts: dict[str, pd.Series] = {}
    for role in COUNT_ROLES:
        if role not in cols:
            continue
        text = f[cols[role]].str.strip().str.replace(r"[\s,](?=\d{3}\b)", "", regex=True)
        v = pd.to_numeric(text.where(text.ne("")), errors="coerce").astype(float)
        bad = (v.isna() & text.ne("")).to_numpy() | (v < 0).to_numpy()
        add(f"bad_count:{role}", f"Unreadable or negative '{cols[role]}'", bad & keep,
            "row dropped" if role == "offered" else "value ignored", "error" if role == "offered" else "warning")
        if role == "offered":
            keep &= ~bad
        fractional = (v.notna() & (v != v.round())).to_numpy() & ~bad & keep
        add(f"fractional_count:{role}", f"Fractional '{cols[role]}' (a thousands separator read as a "
            "decimal point?)", fractional, "kept as written; check the number format")
        counts[role] = v.where(~bad)
    if "offered" not in counts:
        if "handled" in counts and "abandoned" in counts:
            counts["offered"] = counts["handled"] + counts["abandoned"]
        else:
            counts["offered"] = counts["handled"]
    missing_offered = counts["offered"].isna().to_numpy() & keep
    add("missing_offered", "Rows without an offered count", missing_offered, "dropped", "error")
    keep &= ~missing_offered

    # AHT travels as total handle time and the calls it covers (handled, or offered when the
    # report has no handled column), so every aggregation is a weighted mean.
    weight = counts["handled"] if "handled" in counts else counts["offered"]
    handle_total = pd.Series(np.nan, index=f.index)
    source_col = cols.get("handle_seconds_total") or cols.get("aht_seconds")
    if source_col is not None:
        parsed = parse_durations(f[source_col], unit=profile.duration_unit, null_values=profile.null_values)
        bad = parsed.bad | (parsed.values < 0).to_numpy()
        if "handle_seconds_total" not in cols:
            bad |= (parsed.values > profile.max_duration_seconds).to_numpy()
        add("bad_aht", f"Unreadable, negative or absurd '{source_col}'", bad & keep, "row kept; its AHT ignored")
        per_row = parsed.values.where(~bad)
        handle_total = per_row if "handle_seconds_total" in cols else per_row * weight
    covered = weight.where(handle_total.notna())
    handle_total = handle_total.where(covered.notna())

    values = ts.values
    if "queue" in cols:
        q = categories(f[cols["queue"]])
        queue = pd.Series(np.where(q == "", "(no queue)", q), index=f.index)
    else:
        queue = pd.Series("All", index=f.index)

    # A report lists the repeated autumn hour twice: the first listing (per queue) is the
    # summer-time pass, the second the winter-time one.
    pass_no = pd.DataFrame({"q": queue, "t": values}).groupby(["q", "t"], sort=False).cumcount().to_numpy()
    try:
        loc = localise(values.where(keep), source_timezone=profile.source_timezone, timezone=profile.timezone,
                       first_pass=pass_no == 0, drop_nonexistent=True)
    except InputError as exc:
        raise InputError(exc.message, file=path) from None
    add("dst_ambiguous", "Intervals in the repeated autumn DST hour", loc.ambiguous & keep,
        "first listing taken as summer time, the second as winter time", "info")
    add("dst_nonexistent", "Intervals inside the skipped spring DST hour (they cannot exist)",
        loc.nonexistent & keep, "dropped", "error")
    keep &= ~loc.nonexistent
    local_all, offsets_all = loc.local, loc.offsets
    ledger.drop_outside_dates(local_all, start, end, "Intervals")
    if keep.sum() == 0:
        raise InputError(f"no interval left between {start or '...'} and {end or '...'}", file=path)
    when = local_all if offsets_all is None else local_all - pd.to_timedelta(offsets_all.astype(float), unit="min")
    rep = pd.DataFrame({"q": queue, "t": when}).where(pd.Series(keep, index=f.index), axis=0).duplicated() & keep
    add("duplicate_intervals", "Intervals listed twice for the same queue", rep.to_numpy(), "first row kept, repeat dropped")
    keep &= ~rep.to_numpy()
    local = local_all[keep]
    offsets = offsets_all[keep] if offsets_all is not None else None
    src = pd.DataFrame(
        {
            "queue": queue[keep].to_numpy(),
            "t": local.astype("datetime64[s]").to_numpy(),
            "offered": counts["offered"][keep].to_numpy(),
            "handled": counts["handled"][keep].to_numpy() if "handled" in counts else np.nan,
            "abandoned": counts["abandoned"][keep].to_numpy() if "abandoned" in counts else np.nan,
            "_handle": handle_total[keep].to_numpy(),
            "_aht_n": covered[keep].to_numpy(),
        }
    )
    if offsets is not None:
        src["utc_offset"] = offsets.to_numpy().astype("int64")
    # The report's own interval, judged on every readable row (a dropped row must not make a
    # 30-minute report look like a 60-minute one).
    readable = ~ts.bad & ~ts.empty
    source_minutes = _source_minutes(pd.DataFrame({"queue": queue[readable].to_numpy(), "t": values[readable].to_numpy()}))
    if source_minutes > interval_minutes:
        raise InputError(
            f"the report has {source_minutes}-minute intervals; they cannot be split into "
            f"{interval_minutes}-minute intervals. Import with --interval-minutes {_coarser(source_minutes)}",
            file=path, column=start_col,
        )
    report(progress, 0.7, "Adding up intervals")
    found, split, partial = _to_intervals(src, source_minutes, interval_minutes)
    if len(partial):
        findings.append(Finding(
            "partial_intervals",
            f"{interval_minutes}-minute intervals only partly covered by the report's rows",
            len(partial), "kept as the sum of the rows present (may undercount)", "warning",
            examples=checks.interval_examples(partial)))
    if split:
        findings.append(Finding(
            "split_intervals",
            f"{source_minutes}-minute report rows spanning two {interval_minutes}-minute intervals",
            split, "split in proportion to the overlap (counts may be fractional)", "info"))
    data_first, data_last = found["interval_start"].min().date(), found["interval_start"].max().date()
    first_day = max(start, data_first) if start else data_first
    last_day = min(end, data_last) if end else data_last
    grid = checks.full_grid(sorted(found["queue"].unique()), first_day, last_day, interval_minutes, profile.timezone or profile.source_timezone)
    frame, grid_findings = checks.complete_intervals(found, grid, zeros_are_observed=False)
    findings += grid_findings
    report(progress, 0.9, "Checking days")
    findings += checks.unusual_days(frame)

    summary = IntervalHistory(sort_history(frame), interval_minutes).summary()
    summary["report_interval_minutes"] = source_minutes
    if ts.note:
        summary["notes"] = ts.note
    return frame, [x for x in findings if x is not None], summary


def _coarser(minutes: int) -> int:
    return next((m for m in (15, 30, 60) if m >= minutes and m % minutes == 0), 60)


def _source_minutes(src: pd.DataFrame) -> int:
    t = src["t"] - pd.to_timedelta(src["utc_offset"], unit="min") if "utc_offset" in src else src["t"]
    order = np.lexsort((t.to_numpy(), src["queue"].to_numpy()))
    ts = t.to_numpy()[order]
    q = src["queue"].to_numpy()[order]
    gaps = np.diff(ts)[q[1:] == q[:-1]]
    gaps = gaps[gaps > np.timedelta64(0, "s")]
    if gaps.size == 0:
        return 30
    mins = (gaps / np.timedelta64(1, "m")).round().astype(int)
    vals, freq = np.unique(mins, return_counts=True)
    return int(vals[np.argmax(freq)])


def _to_intervals(src: pd.DataFrame, source: int, target: int) -> tuple[pd.DataFrame, int, pd.DataFrame]:
    keys = ["queue", "interval_start"] + (["utc_offset"] if "utc_offset" in src else [])
    measures = ["offered", "handled", "abandoned", "_handle", "_aht_n"]
    freq = f"{target}min"
    start = src["t"]
    label = start.dt.floor(freq)
    end_ = start + pd.Timedelta(minutes=source)
    crosses = (end_ > label + pd.Timedelta(minutes=target)).to_numpy()
    parts = [src.assign(interval_start=label, _w=1.0)]
    n_split = int(crosses.sum())
    if n_split:
        boundary = label + pd.Timedelta(minutes=target)
        w_first = ((boundary - start) / pd.Timedelta(minutes=source)).where(crosses, 1.0)
        parts = [
            src.assign(interval_start=label, _w=w_first.to_numpy()),
            src[crosses].assign(interval_start=boundary[crosses], _w=(1.0 - w_first[crosses]).to_numpy()),
        ]
    allp = pd.concat(parts, ignore_index=True)
    for m in measures:
        allp[m] = allp[m] * allp["_w"]
    g = allp.groupby(keys, sort=False)[measures].sum(min_count=1)
    coverage = allp.groupby(keys, sort=False)["_w"].sum() * source / target
    partial = coverage[coverage < 1 - 1e-9].reset_index()
    g["aht_seconds"] = g["_handle"] / g["_aht_n"].where(g["_aht_n"] > 0)
    out = g.drop(columns=["_handle", "_aht_n"]).reset_index()
    out["interval_start"] = out["interval_start"].astype("datetime64[s]")
    return out, n_split, partial
