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

from wfm.errors import InputError
from wfm.io.profile import ImportProfile

DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
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

#: Pseudo-format for Excel's date serial numbers (days since 1899-12-30, time as a fraction).
EXCEL_SERIAL = "excel-serial"
#: Serial numbers for 1950..2100: anything else numeric is not taken for a date.
_SERIAL_RANGE = (18264.0, 73051.0)

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
            "file in time order. If that is wrong, choose the date order (Dates in the import "
            "dialog, dayfirst in a profile)"
        )
    return best[0][0], None


def text_array(values: pd.Series | np.ndarray) -> np.ndarray:
    """Cells as a stripped numpy unicode array (numpy's C string ufuncs work on it)."""
    arr = np.asarray(values.to_numpy(dtype=object) if isinstance(values, pd.Series) else values, dtype=str)
    return np.strings.strip(arr)


def blank_rows(frame: pd.DataFrame) -> np.ndarray:
    """Rows whose every cell is empty (or only spaces)."""
    blank = np.ones(len(frame), dtype=bool)
    for col in frame.columns:
        cells = frame[col].to_numpy(dtype=object)
        blank &= cells == ""
        if not blank.any():
            break
    return blank


def categories(values: pd.Series) -> np.ndarray:
    """Stripped text per row, stripping each distinct value once (queues, outcomes...)."""
    codes, uniques = pd.factorize(values.to_numpy(dtype=object))
    stripped = np.asarray([str(u).strip() for u in uniques], dtype=object)
    out = stripped[codes] if len(stripped) else np.full(len(codes), "", dtype=object)
    out[codes < 0] = ""
    return out


def to_float(arr: np.ndarray) -> np.ndarray:
    """Numbers from an array of text; NaN where a cell is not a number."""
    cells = arr.astype(object)
    try:
        return np.array(cells, dtype=float)  # float() per cell, in C: the fast path
    except ValueError:
        return np.array(pd.to_numeric(pd.Series(cells, dtype=object), errors="coerce"), dtype=float)


_FIELDS = {"%Y": 4, "%y": 2, "%m": 2, "%d": 2, "%H": 2, "%M": 2, "%S": 2}


def _layout(fmt: str) -> list[tuple[str, int]] | None:
    """[(field or literal, width)] for a fixed-width numeric format, else None."""
    out: list[tuple[str, int]] = []
    i = 0
    while i < len(fmt):
        if fmt[i] == "%":
            tok = fmt[i : i + 2]
            if tok not in _FIELDS:
                return None
            out.append((tok, _FIELDS[tok]))
            i += 2
        else:
            out.append((fmt[i], 1))
            i += 1
    return out


def _fast_strptime(arr: np.ndarray, fmt: str) -> tuple[np.ndarray, np.ndarray] | None:
    """Vectorised strptime for fixed-width numeric formats (``%d/%m/%Y %H:%M:%S``...).

    Returns (datetime64[s] values, parsed mask) or None when the format is not fixed-width.
    Rows of another length are left unparsed for the general parser.
    """
    layout = _layout(fmt)
    if layout is None:
        return None
    width = sum(w for _, w in layout)
    n = len(arr)
    values = np.full(n, np.datetime64("NaT"), dtype="datetime64[s]")
    fits = np.strings.str_len(arr) == width
    if not fits.any():
        return values, np.zeros(n, dtype=bool)
    codes = np.asarray(arr[fits], dtype=f"U{width}").view(np.uint32).reshape(-1, width)
    ok = np.ones(len(codes), dtype=bool)
    fields: dict[str, np.ndarray] = {}
    pos = 0
    for tok, w in layout:
        block = codes[:, pos : pos + w].astype(np.int64)
        if tok in _FIELDS:
            digits = block - 48
            ok &= ((digits >= 0) & (digits <= 9)).all(axis=1)
            fields[tok] = (digits * (10 ** np.arange(w - 1, -1, -1))).sum(axis=1)
        else:
            ok &= block[:, 0] == ord(tok)
        pos += w
    zeros = np.zeros(len(codes), dtype=np.int64)
    if "%Y" in fields:
        year = fields["%Y"]
    elif "%y" in fields:  # POSIX: 69-99 are 1900s, 00-68 are 2000s
        year = fields["%y"] + np.where(fields["%y"] < 69, 2000, 1900)
    else:
        year = zeros + 1970
    month = fields.get("%m", zeros + 1)
    day = fields.get("%d", zeros + 1)
    hour, minute, second = (fields.get(k, zeros) for k in ("%H", "%M", "%S"))
    ok &= (month >= 1) & (month <= 12) & (day >= 1) & (day <= 31)
    ok &= (hour < 24) & (minute < 60) & (second < 60)
    months = np.where(ok, (year - 1970) * 12 + month - 1, 0).astype("datetime64[M]")
    date = months.astype("datetime64[D]") + np.where(ok, day - 1, 0).astype("timedelta64[D]")
    ok &= date.astype("datetime64[M]") == months  # 31 April rolls into May: not a date
    stamp = date.astype("datetime64[s]") + (hour * 3600 + minute * 60 + second).astype("timedelta64[s]")
    sub = np.full(len(codes), np.datetime64("NaT"), dtype="datetime64[s]")
    sub[ok] = stamp[ok]
    values[fits] = sub
    parsed = np.zeros(n, dtype=bool)
    parsed[np.flatnonzero(fits)[ok]] = True
    return values, parsed


def _strptime(arr: np.ndarray, empty: np.ndarray, fmt: str) -> pd.Series:
    """Parse the non-empty cells; the fixed-width fast path first, pandas for the rest."""
    todo = ~empty
    values = np.full(len(arr), np.datetime64("NaT"), dtype="datetime64[s]")
    fast = _fast_strptime(arr, fmt) if fmt != "ISO8601" else None
    if fast is not None:
        values, parsed = fast
        todo &= ~parsed
    if todo.any():
        cells = pd.Series(arr[todo], dtype=object)
        try:
            rest = pd.to_datetime(cells, format=fmt, errors="coerce")
        except ValueError:  # offsets on a few rows only (the sample had none): local clock
            rest = pd.to_datetime(cells.str.replace(_TZ_MARK, "", regex=True), format=fmt, errors="coerce")
        values[todo] = rest.to_numpy(dtype="datetime64[s]")
    # A planner's calls happen in this century or the last; "-5" read as year -5 is not a time.
    values[(values < np.datetime64("1900-01-01")) | (values > np.datetime64("2100-12-31"))] = np.datetime64("NaT")
    return pd.Series(values)


def _looks_like_excel_serials(cells: np.ndarray, *, time_only: bool) -> bool:
    if len(cells) == 0:
        return False
    numbers = to_float(np.asarray(_sample(pd.Series(cells, dtype=object)), dtype=str))
    if np.isnan(numbers).mean() > 0.1:
        return False
    numbers = numbers[~np.isnan(numbers)]
    lo, hi = (0.0, 1.0) if time_only else _SERIAL_RANGE
    return bool(((numbers >= lo) & (numbers < hi)).mean() > 0.9)


def parse_datetimes(
    text: pd.Series,
    *,
    fmt: str | None,
    null_values: tuple[str, ...] = (),
    dayfirst: bool | None = None,
    candidates: tuple[str, ...] = DATETIME_FORMATS,
) -> Parsed:
    """Parse a column of timestamps (or dates, or times with ``candidates``)."""
    arr = text_array(text)
    empty = arr == ""
    if null_values:
        empty |= np.isin(arr, list(null_values))
    note = None
    head = _sample(pd.Series(arr[~empty], dtype=object))
    if len(head) and head.str.contains(_TZ_MARK).any():
        arr = np.asarray(pd.Series(arr, dtype=object).str.replace(_TZ_MARK, "", regex=True), dtype=str)
        note = "time-zone markers (Z or +hh:mm) were ignored: times are read as local clock times"
    # Serials first: 46083 would otherwise pass for %y%m%d (2046-08-03). Compact date
    # formats (990201, 20260302) lie far outside the serial range.
    if fmt is None and _looks_like_excel_serials(arr[~empty], time_only=candidates is TIME_FORMATS):
        fmt = EXCEL_SERIAL
        note = "; ".join(n for n in (note, "dates are Excel serial numbers (days since 1899-12-30)") if n)
    if fmt is None:
        fmt, ambiguity = infer_format(pd.Series(arr[~empty], dtype=object), candidates, dayfirst)
        note = "; ".join(n for n in (note, ambiguity) if n) or None
    if fmt is None:
        values = pd.Series(np.full(len(arr), np.datetime64("NaT"), dtype="datetime64[s]"))
    elif fmt == EXCEL_SERIAL:
        days = np.full(len(arr), np.nan)
        days[~empty] = to_float(arr[~empty])
        seconds = np.round(days * 86400.0)
        ok = np.isfinite(seconds)
        stamp = np.full(len(arr), np.datetime64("NaT"), dtype="datetime64[s]")
        stamp[ok] = np.datetime64("1899-12-30T00:00:00") + seconds[ok].astype("timedelta64[s]")
        values = pd.Series(stamp)
    else:
        values = _strptime(arr, empty, fmt)
    values.index = text.index
    bad = values.isna().to_numpy() & ~empty
    return Parsed(values, bad, empty, fmt, note)


def parse_durations(text: pd.Series, *, unit: str = "s", null_values: tuple[str, ...] = ()) -> Parsed:
    """Seconds from numbers (in ``unit``), decimal commas, or clock text (``4:05``, ``0:04:05``)."""
    cells = text.to_numpy(dtype=object)
    empty = cells == ""
    if null_values:
        empty |= np.isin(cells, list(null_values))
    try:  # the common case, a column of plain numbers: float() per cell in C
        values = np.full(len(cells), np.nan)
        values[~empty] = np.array(cells[~empty], dtype=float) * (60.0 if unit == "min" else 1.0)
        return Parsed(pd.Series(values, index=text.index), np.zeros(len(cells), dtype=bool), empty)
    except (ValueError, TypeError):
        pass
    arr = text_array(text)  # stripped: a cell of spaces is empty here
    empty = arr == ""
    if null_values:
        empty |= np.isin(arr, list(null_values))
    values = np.full(len(arr), np.nan)
    colon = np.strings.find(arr, ":") >= 0
    plain = ~empty & ~colon
    if plain.any():
        nums = to_float(arr[plain])
        missing = np.isnan(nums)
        if missing.any():  # decimal commas: "12,5"
            nums[missing] = to_float(np.strings.replace(arr[plain][missing], ",", "."))
        values[plain] = nums * (60.0 if unit == "min" else 1.0)
    clock = colon & ~empty
    if clock.any():
        c = arr[clock]
        neg = np.strings.startswith(c, "-")
        c = np.strings.lstrip(c, "-")
        first, _, rest = np.strings.partition(c, ":")
        second, sep2, third = np.strings.partition(rest, ":")
        three = sep2 != ""
        a, b = to_float(first), to_float(second)
        cc = to_float(np.where(three, third, "0"))
        ok = (b < 60) & (cc < 60) & (np.strings.find(third, ":") < 0)
        secs = np.where(three, a * 3600 + b * 60 + cc, a * 60 + b)
        values[clock] = np.where(ok, np.where(neg, -secs, secs), np.nan)
    series = pd.Series(values, index=text.index)
    bad = np.isnan(values) & ~empty
    return Parsed(series, bad, empty)


def assemble_timestamps(
    frame: pd.DataFrame, column: str, *, date_column: str | None, profile: ImportProfile
) -> Parsed:
    """Timestamps from one column, or from a date column plus a time column.

    With a date column, ``column`` may hold times only (``7:02:47``); when it holds full
    timestamps the date column is ignored.
    """
    datetime_format, null_values, dayfirst = profile.datetime_format, profile.null_values, profile.dayfirst
    date_format, time_format = profile.date_format, profile.time_format
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


@dataclass(frozen=True)
class Localised:
    """Local wall-clock times, their UTC offsets (minutes; None without a zone), and which
    rows fell in the repeated autumn hour or the skipped spring hour."""

    local: pd.Series
    offsets: pd.Series | None
    ambiguous: np.ndarray
    nonexistent: np.ndarray


def localise(
    values: pd.Series,
    *,
    source_timezone: str | None,
    timezone: str | None,
    first_pass: np.ndarray | None = None,
    drop_nonexistent: bool = False,
) -> Localised:
    """Local wall-clock times and UTC offsets for naive timestamps.

    Timestamps written in ``source_timezone`` (e.g. UTC) are converted to the centre's
    ``timezone``. A wall-clock time in the repeated autumn hour is the first (summer-time)
    pass where ``first_pass`` is true (default: always). A time in the skipped spring hour is
    moved on by an hour, as a clock that missed the change would show it, or becomes NaT
    with ``drop_nonexistent``.

    Raises
    ------
    InputError
        For an unknown zone name.
    """
    none = np.zeros(len(values), dtype=bool)
    if not source_timezone and not timezone:
        return Localised(values, None, none, none)
    zone = source_timezone or timezone
    assert zone is not None
    try:
        gap = np.array(values.dt.tz_localize(zone, ambiguous=True, nonexistent="NaT").isna(), dtype=bool)
    except Exception:  # unknown zone names raise from zoneinfo / pytz, in several types
        raise InputError(f"unknown time zone '{zone}'") from None
    present = values.notna().to_numpy()
    gap &= present
    twice = np.array(values.dt.tz_localize(zone, ambiguous="NaT", nonexistent=pd.Timedelta(hours=1)).isna(), dtype=bool)
    twice &= present
    aware = values.dt.tz_localize(
        zone,
        ambiguous=first_pass if first_pass is not None else True,
        nonexistent="NaT" if drop_nonexistent else pd.Timedelta(hours=1),
    )
    aware = aware.dt.tz_convert(timezone) if timezone else aware
    local = aware.dt.tz_localize(None)
    utc = aware.dt.tz_convert("UTC").dt.tz_localize(None)
    offsets = ((local - utc) // pd.Timedelta(minutes=1)).astype("Int64")
    return Localised(local, offsets, twice, gap)
