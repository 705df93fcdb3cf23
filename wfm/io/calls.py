"""Per-call records -> per-interval aggregates, with every doubtful row counted.

Rules (each one shows up in the cleaning report when it applies):

- offered = answered + abandoned calls that reached the queue; rows whose outcome marks
  them as not a call (test calls, phantoms) are dropped; abandons shorter than the profile's
  ``short_abandon_seconds`` are not offered;
- when the profile gives a fallback arrival column (e.g. voice-menu exit for calls that went
  straight to an agent), an abandoned call that needed it never queued: it hung up in the
  voice menu and is not offered;
- a negative, unreadable or absurd duration is left out of AHT; the call still counts;
- answered calls without a named agent (``unnamed_agent_values``) count as handled but
  their handle time is left out of AHT;
- rows repeated exactly, or repeating a call id, count once.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from wfm.errors import InputError
from wfm.io import checks
from wfm.io.cleaning import Finding, RowLedger
from wfm.io.columns import classify_outcome
from wfm.io.parsing import assemble_timestamps, blank_rows, categories, localise, parse_durations
from wfm.io.profile import ImportProfile
from wfm.io.reader import RawTable
from wfm.progress import ProgressCallback, report

DURATION_ROLES = ("wait_seconds", "talk_seconds", "hold_seconds", "acw_seconds", "handle_seconds", "ivr_seconds")


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
    n = len(f)
    # ``rows_seen`` (below) is every row that is a row at all: duration problems are
    # reported on all of them, even rows dropped for another reason.
    ledger = RowLedger(rows, blank_rows(f), table.extra_fields)
    keep, add, findings = ledger.keep, ledger.add, ledger.findings  # keep is updated in place

    # Exact repeats of a whole row (judged by the reader on the whole row).
    if table.duplicates is not None:
        dup = table.duplicates & keep
        add("duplicate_rows", "Rows repeating an earlier row exactly", dup, "counted once (the repeat dropped)")
        keep &= ~dup
    rows_seen = keep.copy()

    # Outcomes.
    outcome = np.full(n, "answered", dtype=object)
    unknown_values: list[str] = []
    if "outcome" in cols:
        outcome, unknown_values = classify_outcomes(f[cols["outcome"]], profile)
        dropped = (outcome == "drop") & keep
        values = sorted(set(categories(f[cols["outcome"]])[dropped]))
        add("not_calls", f"Rows that are not calls (outcome {', '.join(values[:5])})", dropped, "dropped")
        keep &= outcome != "drop"
        unknown = (outcome == "unknown") & keep
        add(
            "unknown_outcome",
            f"Outcome not recognised ({', '.join(repr(v) for v in unknown_values[:5])})",
            unknown,
            "counted as answered; list the value under answered_values, abandoned_values or "
            "drop_values in the import profile",
        )
        outcome = np.where(outcome == "unknown", "answered", outcome)

    report(progress, 0.45, "Reading times")
    # Arrival.
    arrival_col = cols["arrival"]
    date_col = cols.get("date")
    arrival = assemble_timestamps(f, arrival_col, date_column=date_col, profile=profile)
    notes = [arrival.note] if arrival.note else []
    values = arrival.values
    used_fallback = np.zeros(n, dtype=bool)
    bad_ts = arrival.bad.copy()
    empty_ts = arrival.empty.copy()
    if "arrival_fallback" in cols:
        fb = assemble_timestamps(f, cols["arrival_fallback"], date_column=date_col, profile=profile)
        used_fallback = arrival.empty & ~fb.empty & ~fb.bad
        values = values.where(~used_fallback, fb.values)
        empty_ts = arrival.empty & fb.empty
        bad_ts = arrival.bad | (arrival.empty & fb.bad)
    if "day_reference" in cols:
        ref = assemble_timestamps(f, cols["day_reference"], date_column=date_col, profile=profile)
        # Hours apart, not seconds: a clock a minute off is not a call crossing midnight.
        crossed = (ref.values - values > pd.Timedelta(hours=12)).to_numpy() & ~ref.bad & ~ref.empty
        values = values.where(~crossed, values + pd.Timedelta(days=1))
        add("crossed_midnight", "Calls that crossed midnight before reaching the queue", crossed & keep,
            "dated to the next day", "info")
    sample = f[arrival_col][bad_ts & keep].head(1).tolist()
    add("bad_timestamp", f"Unreadable call time in '{arrival_col}'" + (f" (e.g. '{sample[0]}')" if sample else ""),
        bad_ts & keep, "dropped", "error")
    add("missing_timestamp", f"No call time in '{arrival_col}'", empty_ts & ~bad_ts & keep, "dropped", "error")
    keep &= ~bad_ts & ~empty_ts

    if keep.sum() == 0:
        fmt_hint = f" (read as {arrival.fmt})" if arrival.fmt else ""
        raise InputError(
            f"no row has a readable call time{fmt_hint}; set datetime_format (or date_format and "
            "time_format) in the import profile",
            file=path,
            column=arrival_col,
        )

    # Abandoned in the voice menu: never reached the queue.
    if "arrival_fallback" in cols:
        ivr = used_fallback & (outcome == "abandoned") & keep
        add("ivr_abandon", "Callers who hung up in the voice menu before queueing", ivr,
            "not offered (they never reached an agent queue)", "info")
        keep &= ~ivr

    # Durations.
    report(progress, 0.55, "Reading durations")
    secs: dict[str, pd.Series] = {}
    untrusted = np.zeros(n, dtype=bool)
    for role in DURATION_ROLES:
        if role not in cols:
            continue
        parsed = parse_durations(f[cols[role]], unit=profile.duration_unit, null_values=profile.null_values)
        v = parsed.values
        neg = (v < 0).to_numpy()
        big = (v > profile.max_duration_seconds).to_numpy()
        name = cols[role]
        add(f"bad_duration:{role}", f"Unreadable '{name}'", parsed.bad & rows_seen,
            "call kept; this duration ignored", "warning")
        add(f"negative_duration:{role}", f"Negative '{name}'", neg & rows_seen,
            "call kept; this duration ignored" + (" (left out of AHT)" if role != "ivr_seconds" and role != "wait_seconds" else ""),
            "warning")
        add(f"absurd_duration:{role}", f"'{name}' over {profile.max_duration_seconds / 3600:g} hours", big & rows_seen,
            "call kept; this duration ignored" + (" (left out of AHT)" if role not in ("ivr_seconds", "wait_seconds") else ""),
            "warning")
        broken = parsed.bad | neg | big
        if role not in ("ivr_seconds", "wait_seconds"):
            untrusted |= broken
        secs[role] = v.where(~broken)

    answered = outcome == "answered"
    abandoned = outcome == "abandoned"
    if "outcome" not in cols:
        talk = secs.get("handle_seconds", secs.get("talk_seconds"))
        if talk is not None:
            answered = (talk.fillna(0) > 0).to_numpy()
            abandoned = ~answered
            notes.append("no outcome column: calls with talk or handle time count as answered, others as abandoned")
        else:
            abandoned = np.zeros(n, dtype=bool)

    if "handle_seconds" in secs:
        handle = secs["handle_seconds"]
    else:
        parts = [secs[r] for r in ("talk_seconds", "hold_seconds", "acw_seconds") if r in secs]
        handle = sum(p.fillna(0) for p in parts[1:]) + parts[0] if parts else pd.Series(np.nan, index=f.index)
    aht_ok = answered & handle.notna().to_numpy() & ~untrusted

    if profile.unnamed_agent_values and "agent" in cols:
        unnamed = np.isin(categories(f[cols["agent"]]), list(profile.unnamed_agent_values)) & answered
        add("unnamed_agent", f"Answered calls without a named agent ({', '.join(profile.unnamed_agent_values)})",
            unnamed & keep, "counted as handled; handle time left out of AHT", "info")
        aht_ok &= ~unnamed

    if profile.short_abandon_seconds > 0 and "wait_seconds" in secs:
        short = abandoned & (secs["wait_seconds"] < profile.short_abandon_seconds).to_numpy() & keep
        add("short_abandon", f"Abandons within {profile.short_abandon_seconds:g} s", short,
            "not offered (short-abandon setting)", "info")
        keep &= ~short

    # Same call id twice.
    if "call_id" in cols:
        ids = f[cols["call_id"]].to_numpy(dtype=object)  # ids are not stripped: millions of them
        candidates = keep & (ids != "")
        rep_mask = np.zeros(n, dtype=bool)
        rep_mask[np.flatnonzero(candidates)[pd.Series(ids[candidates]).duplicated().to_numpy()]] = True
        add("duplicate_call_id", f"Rows repeating an earlier '{cols['call_id']}'", rep_mask,
            "counted once (the repeat dropped)")
        keep &= ~rep_mask

    report(progress, 0.7, "Adding up intervals")
    try:
        loc = localise(values.where(keep), source_timezone=profile.source_timezone, timezone=profile.timezone)
    except InputError as exc:
        raise InputError(exc.message, file=path) from None
    add("dst_ambiguous", "Call times in the repeated autumn DST hour", loc.ambiguous & keep,
        "taken as the first (summer-time) pass of that hour", "info")
    add("dst_nonexistent", "Call times inside the skipped spring DST hour", loc.nonexistent & keep,
        "moved one hour on, as a clock that missed the change would read", "warning")
    local_all, offsets_all = loc.local, loc.offsets

    # Date range, on the centre's local dates.
    ledger.drop_outside_dates(local_all, start, end, "Calls")
    if keep.sum() == 0:
        raise InputError(f"no call left between {start or '...'} and {end or '...'}", file=path)
    local = local_all[keep]
    offsets = offsets_all[keep] if offsets_all is not None else None

    if "queue" in cols:
        q = categories(f[cols["queue"]])
        queue = np.where(q == "", "(no queue)", q)[keep]
    else:
        queue = np.full(int(keep.sum()), "All", dtype=object)
    label = local.dt.floor(f"{interval_minutes}min").astype("datetime64[s]")
    kept_handle = handle[keep].where(aht_ok[keep])
    agg = pd.DataFrame(
        {
            "queue": queue,
            "interval_start": label.to_numpy(),
            "offered": 1.0,
            "handled": answered[keep].astype(float),
            "abandoned": abandoned[keep].astype(float),
            "_handle": kept_handle.to_numpy(),
            "_aht_n": aht_ok[keep].astype(float),
        }
    )
    keys = ["queue", "interval_start"]
    if offsets is not None:
        agg["utc_offset"] = offsets.to_numpy()
        keys.append("utc_offset")
    grouped = agg.groupby(keys, sort=False).sum(min_count=1)
    grouped["aht_seconds"] = grouped["_handle"] / grouped["_aht_n"].where(grouped["_aht_n"] > 0)
    found = grouped.drop(columns=["_handle", "_aht_n"]).reset_index()
    outcome_known = "outcome" in cols or "talk_seconds" in cols or "handle_seconds" in cols
    if not outcome_known:
        found["handled"] = np.nan
        found["abandoned"] = np.nan

    # The grid covers the data, within the dates asked for: days beyond the log are not
    # zero calls, they are days the log does not cover.
    first_day = max(start, local.min().date()) if start else local.min().date()
    last_day = min(end, local.max().date()) if end else local.max().date()
    grid = checks.full_grid(sorted(found["queue"].unique()), first_day, last_day, interval_minutes, profile.timezone or profile.source_timezone)
    if offsets is not None:
        found["utc_offset"] = found["utc_offset"].astype("int64")
    frame, grid_findings = checks.complete_intervals(found, grid, zeros_are_observed=True)
    frame["aht_seconds"] = frame["aht_seconds"].astype(float)
    report(progress, 0.9, "Checking days")
    findings += grid_findings
    gaps = checks.possible_gaps(frame)
    if gaps is not None:
        findings.append(gaps)
    findings += checks.unusual_days(frame)

    total_handle = float(np.nansum(kept_handle.to_numpy()))
    n_aht = int(aht_ok[keep].sum())
    summary: dict[str, object] = {
        "calls_offered": int(keep.sum()),
        "handled": int(answered[keep].sum()) if outcome_known else "unknown",
        "abandoned": int(abandoned[keep].sum()) if outcome_known else "unknown",
        "aht_seconds": round(total_handle / n_aht, 1) if n_aht else "unknown",
        "aht_based_on_calls": n_aht,
        "queues": ", ".join(sorted(found["queue"].unique())),
        "first_day": str(first_day),
        "last_day": str(last_day),
        "interval_minutes": interval_minutes,
    }
    if "wait_seconds" in secs and abandoned[keep].sum() > 0:
        waited = float(np.nansum(secs["wait_seconds"][keep].to_numpy()))
        summary["patience_seconds"] = round(waited / float(abandoned[keep].sum()), 1)
    if notes:
        summary["notes"] = "; ".join(notes)
    return frame, [x for x in findings if x is not None], summary


def classify_outcomes(values: pd.Series, profile: ImportProfile) -> tuple[np.ndarray, list[str]]:
    """Outcome class per row: 'answered', 'abandoned', 'drop' or 'unknown'; and the values
    not recognised. The profile's lists win over the words :mod:`wfm.io.columns` knows."""
    text = categories(values)
    codes, uniques = pd.factorize(text)
    lookup: dict[str, str] = {}
    unknown = []
    for u in uniques:
        if u in profile.drop_values:
            lookup[u] = "drop"
        elif u in profile.abandoned_values:
            lookup[u] = "abandoned"
        elif u in profile.answered_values:
            lookup[u] = "answered"
        else:
            cls = classify_outcome(u) if u else None
            lookup[u] = cls or "unknown"
            if cls is None:
                unknown.append(u)
    classes = np.asarray([lookup[u] for u in uniques], dtype=object)
    return classes[codes], unknown
