"""Turning text cells into timestamps and durations, vectorised, with the bad cells marked.

Formats are inferred from a sample of the column unless a profile gives them. When a date
could be read day-first or month-first (every day <= 12 in the sample), the reading that
keeps the file in time order wins, and the choice is stated in a note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

DATETIME_FORMATS = (
    "ISO8601",
    "%d/%m/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%m/%d/%Y %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y%m%d %H:%M:%S",
    "%Y%m%d%H%M%S",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
    "%d/%m/%Y %I:%M:%S %p",
    "%Y年%m月%d日 %H:%M:%S",
    "%Y年%m月%d日 %H:%M",
)
DATE_FORMATS = (
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%m/%d/%Y",
    "%d.%m.%Y",
    "%d-%m-%Y",
    "%Y/%m/%d",
    "%Y%m%d",
    "%y%m%d",
    "%d/%m/%y",
    "%m/%d/%y",
    "%Y年%m月%d日",
)
TIME_FORMATS = ("%H:%M:%S", "%H:%M", "%H:%M:%S.%f", "%I:%M:%S %p", "%I:%M %p", "%H%M%S")

_TZ_MARK = re.compile(r"(?:Z|[+-]\d\d:?\d\d)$")
_SAMPLE = 3000


@dataclass(frozen=True)
class Parsed:
    """Parsed values, which non-empty cells could not be parsed, and what was assumed."""

    values: pd.Series
    bad: np.ndarray
    empty: np.ndarray
    fmt: str | None = None
    note: str | None = None


def _sample(text: pd.Series) -> pd.Series:
    nonempty = text[text.ne("")]
    if len(nonempty) <= _SAMPLE:
        return nonempty
    idx = np.linspace(0, len(nonempty) - 1, _SAMPLE).astype(int)
    return nonempty.iloc[idx]


def _score(sample: pd.Series, fmt: str) -> tuple[float, pd.Series]:
    parsed = pd.to_datetime(sample, format=fmt, errors="coerce")
    return float(parsed.notna().mean()) if len(sample) else 0.0, parsed


def infer_format(text: pd.Series, candidates: tuple[str, ...], dayfirst: bool | None) -> tuple[str | None, str | None]:
    """The format that reads most of a sample; (format, note about an ambiguity)."""
    sample = _sample(text)
    if sample.empty:
        return None, None
    scored = []
    for fmt in candidates:
        score, parsed = _score(sample, fmt)
        if score > 0:
            scored.append((score, fmt, parsed))
    if not scored:
        return None, None
    top = max(s for s, _, _ in scored)
    best = [(f, p) for s, f, p in scored if s >= top - 1e-9]
    if len(best) == 1:
        return best[0][0], None
    day_first = [(f, p) for f, p in best if f.startswith("%d")]
    month_first = [(f, p) for f, p in best if f.startswith("%m")]
    if day_first and month_first:
        if dayfirst is not None:
            chosen = day_first[0] if dayfirst else month_first[0]
            return chosen[0], None
        # Exports are written in time order: the reading with fewer backward jumps is right.
        def backward(p: pd.Series) -> int:
            return int((p.dropna().diff() < pd.Timedelta(0)).sum())

        d, m = day_first[0], month_first[0]
        chosen = d if backward(d[1]) <= backward(m[1]) else m
        which = "day first" if chosen is d else "month first"
        return chosen[0], (
            f"dates could be day-first or month-first; read as {which} because that keeps the "
            "file in time order. Set dayfirst in the import profile if that is wrong"
        )
    return best[0][0], None


def parse_datetimes(
    text: pd.Series,
    *,
    fmt: str | None,
    null_values: tuple[str, ...] = (),
    dayfirst: bool | None = None,
    candidates: tuple[str, ...] = DATETIME_FORMATS,
) -> Parsed:
    """Parse a column of timestamps (or dates, or times with ``candidates``)."""
    text = text.astype(str).str.strip()
    empty = text.eq("")
    if null_values:
        empty |= text.isin(null_values)
    note = None
    head = _sample(text[~empty])
    if len(head) and head.str.contains(_TZ_MARK).mean() > 0.5:
        text = text.str.replace(_TZ_MARK, "", regex=True)
        note = "time-zone markers (Z or +hh:mm) were ignored: times are read as local clock times"
    if fmt is None:
        fmt, ambiguity = infer_format(text[~empty], candidates, dayfirst)
        note = "; ".join(n for n in (note, ambiguity) if n) or None
    if fmt is None:
        values = pd.Series(pd.NaT, index=text.index, dtype="datetime64[s]")
    else:
        values = pd.to_datetime(text.where(~empty), format=fmt, errors="coerce")
    bad = (values.isna() & ~empty).to_numpy()
    return Parsed(values, bad, empty.to_numpy(), fmt, note)


def parse_durations(text: pd.Series, *, unit: str = "s", null_values: tuple[str, ...] = ()) -> Parsed:
    """Seconds from numbers (in ``unit``) or clock text (``4:05``, ``0:04:05``)."""
    text = text.astype(str).str.strip()
    empty = text.eq("")
    if null_values:
        empty |= text.isin(null_values)
    values = pd.to_numeric(text.where(~empty), errors="coerce").astype(float)
    if unit == "min":
        values = values * 60.0
    todo = values.isna() & ~empty
    if todo.any():
        sub = text[todo]
        comma = sub.str.fullmatch(r"-?\d+,\d+")
        if comma.any():
            values[comma[comma].index] = pd.to_numeric(sub[comma].str.replace(",", ".")) * (
                60.0 if unit == "min" else 1.0
            )
        clock = sub.str.fullmatch(r"-?\d+(?::\d{1,2}){1,2}(?:\.\d+)?")
        if clock.any():
            c = sub[clock]
            neg = c.str.startswith("-")
            parts = c.str.lstrip("-").str.split(":", expand=True).astype(float)
            secs = parts[0] * 60 + parts[1] if parts.shape[1] == 2 else None
            if parts.shape[1] == 3:
                three = parts[2].notna()
                secs = np.where(three, parts[0] * 3600 + parts[1] * 60 + parts[2], parts[0] * 60 + parts[1])
            secs = pd.Series(secs, index=c.index, dtype=float)
            values[c.index] = np.where(neg, -secs, secs)
    bad = (values.isna() & ~empty).to_numpy()
    return Parsed(values, bad, empty.to_numpy())


def assemble_timestamps(
    frame: pd.DataFrame,
    column: str,
    *,
    date_column: str | None,
    datetime_format: str | None,
    date_format: str | None,
    time_format: str | None,
    null_values: tuple[str, ...],
    dayfirst: bool | None,
) -> Parsed:
    """Timestamps from one column, or from a date column plus a time column.

    With a date column, ``column`` may hold times only (``7:02:47``); when it holds full
    timestamps the date column is ignored.
    """
    if date_column is None:
        return parse_datetimes(frame[column], fmt=datetime_format, null_values=null_values, dayfirst=dayfirst)
    times = parse_datetimes(
        frame[column], fmt=time_format, null_values=null_values, candidates=TIME_FORMATS
    )
    full = None
    if times.fmt is None or times.bad.mean() > 0.5:
        full = parse_datetimes(frame[column], fmt=datetime_format, null_values=null_values, dayfirst=dayfirst)
        if full.fmt is not None and full.bad.mean() < 0.5:
            return full
    dates = parse_datetimes(
        frame[date_column], fmt=date_format, null_values=null_values, dayfirst=dayfirst, candidates=DATE_FORMATS
    )
    tod = times.values - times.values.dt.normalize()
    values = dates.values.dt.normalize() + tod
    bad = times.bad | (dates.bad & ~times.empty)
    empty = times.empty | (dates.empty & ~times.bad)
    fmt = f"{dates.fmt} + {times.fmt}"
    note = "; ".join(n for n in (dates.note, times.note) if n) or None
    return Parsed(values, bad, empty, fmt, note)


def localise(
    values: pd.Series, *, source_timezone: str | None, timezone: str | None
) -> tuple[pd.Series, pd.Series | None, int, int]:
    """Local wall-clock times and UTC offsets (minutes) for naive timestamps.

    Returns (local, offsets or None, ambiguous count, nonexistent count). Timestamps written
    in ``source_timezone`` (e.g. UTC) are converted to the centre's ``timezone``. Wall-clock
    times in the repeated autumn hour are taken as the first pass (summer time); times in the
    skipped spring hour are moved forward. Both are counted for the report.
    """
    if not source_timezone and not timezone:
        return values, None, 0, 0
    zone = source_timezone or timezone
    assert zone is not None
    try:
        strict = values.dt.tz_localize(zone, ambiguous="NaT", nonexistent="NaT")
    except Exception as exc:  # unknown zone names raise from zoneinfo/pytz
        raise ValueError(f"unknown time zone '{zone}'") from exc
    lenient = values.dt.tz_localize(zone, ambiguous=True, nonexistent="shift_forward")
    problem = strict.isna() & values.notna()
    if problem.any():
        shifted = lenient[problem].dt.tz_localize(None) != values[problem]
        nonexistent = int(shifted.sum())
        ambiguous = int(problem.sum()) - nonexistent
    else:
        ambiguous = nonexistent = 0
    aware = lenient.dt.tz_convert(timezone) if timezone else lenient
    local = aware.dt.tz_localize(None)
    utc = aware.dt.tz_convert("UTC").dt.tz_localize(None)
    offsets = ((local - utc) // pd.Timedelta(minutes=1)).astype("Int64")
    return local, offsets, ambiguous, nonexistent
