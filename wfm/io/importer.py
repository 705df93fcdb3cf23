"""Importing a call log: detect what the file is, read it, clean it, aggregate to intervals.

Two entry points:

- :func:`inspect_file` reads the head of a file and returns a :class:`FilePreview`: the
  encoding, delimiter, shape and column mapping detected, and the first rows with personal
  columns masked. The window shows it so the planner can correct the mapping.
- :func:`import_log` reads the whole file with a profile (detected where silent) and returns
  an :class:`ImportResult`: the :class:`~wfm.io.history.IntervalHistory` and the
  :class:`~wfm.io.cleaning.CleaningReport`.

Privacy: columns recognised as caller number, customer id or agent are never loaded, except
the agent column when the profile needs to tell named from unnamed agents; it is reduced to
one true/false per row at once. Only per-interval aggregates leave this module.
"""

from __future__ import annotations

import codecs
import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from wfm.errors import InputError, WfmError
from wfm.io import reader
from wfm.io.cleaning import CleaningReport, Finding, finding
from wfm.io.columns import detect_columns
from wfm.io.history import INTERVAL_CHOICES, IntervalHistory, sort_history
from wfm.io.profile import CALL_ROLES, INTERVAL_ROLES, PERSONAL_ROLES, ImportProfile
from wfm.progress import ProgressCallback, report

MASK = "•••"
_PREVIEW_BYTES = 1 << 20


@dataclass(frozen=True)
class FilePreview:
    """What :func:`inspect_file` found at the head of a file."""

    path: Path
    encoding: str | None
    delimiter: str | None
    sheet: str | None
    shape: str
    columns: tuple[str, ...]
    mapping: dict[str, str]
    preview: pd.DataFrame
    personal_columns: tuple[str, ...]
    profile: ImportProfile
    notes: tuple[str, ...] = ()
    #: File row number of each preview row (the header is row 1, after any title lines).
    row_numbers: tuple[int, ...] = ()
    #: All sheet names, for a workbook.
    sheets: tuple[str, ...] = ()
    #: The first readable call time (or interval start) in the preview rows.
    first_time: dt.datetime | None = None
    #: What stops an import until the planner fixes it (e.g. no call time column chosen).
    problems: tuple[str, ...] = ()
    #: Per-call logs: each outcome value in the preview rows, how it will be read
    #: ("answered", "abandoned", "drop" or "unknown", which counts as answered) and how
    #: many preview rows have it; most frequent first.
    outcomes: tuple[tuple[str, str, int], ...] = ()


@dataclass(frozen=True)
class ImportResult:
    history: IntervalHistory
    report: CleaningReport
    profile: ImportProfile


# --- detection -----------------------------------------------------------------------------
def _roles_for(shape: str) -> list[str]:
    """Roles detection may fill, in the order it tries them. The fallback arrival and the
    day reference are never guessed: they only make sense when a planner names them."""
    if shape == "intervals":
        return list(INTERVAL_ROLES)
    return [r for r in CALL_ROLES if r not in ("arrival_fallback", "day_reference")]


def detect_shape(columns: tuple[str, ...]) -> str:
    """'intervals' when the header has count columns (offered, handled...), else 'calls'."""
    counts = detect_columns(columns, ["offered", "handled", "abandoned", "aht_seconds"])
    per_call = detect_columns(columns, ["outcome", "wait_seconds", "talk_seconds", "call_id"])
    return "intervals" if counts and len(counts) >= len(per_call) else "calls"


def resolve_profile(
    columns: tuple[str, ...], profile: ImportProfile, problems: list[str] | None = None
) -> tuple[ImportProfile, list[str]]:
    """Fill in the shape and the columns the profile leaves open; check the ones it names.

    A missing time or count column raises :class:`InputError`, unless ``problems`` is given:
    then the message is appended to it (the import dialog shows it above the mapping table,
    where the planner can pick the column).
    """
    notes: list[str] = []

    def problem(message: str) -> None:
        if problems is None:
            raise InputError(message)
        problems.append(message)

    none = {r for r, c in profile.columns.items() if not c}
    missing = [c for c in profile.columns.values() if c and c not in columns]
    if missing:
        raise InputError(
            f"the profile names column(s) {', '.join(repr(m) for m in missing)} that the file "
            f"does not have; its columns are {', '.join(columns)}"
        )
    shape = profile.shape if profile.shape != "auto" else detect_shape(columns)
    taken = set(profile.columns.values())
    free = [c for c in columns if c not in taken]
    wanted = [r for r in _roles_for(shape) + list(PERSONAL_ROLES) if r not in profile.columns]
    detected = detect_columns(free, wanted)
    if shape == "calls" and "arrival" not in profile.columns and "date" in detected and "arrival" not in detected:
        # A lone "date" column may be the full timestamp.
        detected["arrival"] = detected.pop("date")
    if shape == "intervals" and "interval_start" not in profile.columns and "interval_start" not in detected:
        alt = detect_columns(free, ["arrival"])
        if "arrival" in alt:
            detected["interval_start"] = alt["arrival"]
        elif "date" in detected:
            detected["interval_start"] = detected.pop("date")
    mapping = {r: c for r, c in {**detected, **profile.columns}.items() if r not in none}
    time_role = "interval_start" if shape == "intervals" else "arrival"
    if time_role not in mapping:
        problem(
            f"no {'interval start' if shape == 'intervals' else 'call time'} column found among "
            f"the columns {', '.join(repr(c) for c in columns)}. Choose it in the column mapping "
            f"(in a profile: [columns] {time_role} = \"...\")"
        )
    if shape == "intervals" and not {"offered", "handled"} & set(mapping):
        problem(
            "interval report without an offered or handled calls column. Choose one in the "
            "column mapping (in a profile: [columns] offered = \"...\")"
        )
    if detected:
        notes.append(
            "recognised columns: "
            + ", ".join(f"{c} = {r.replace('_', ' ')}" for r, c in detected.items())
        )
    # Keep the "no such column" markers so the resolved profile, saved or reused, does not
    # let detection guess those roles again.
    resolved = {**mapping, **dict.fromkeys(none, "")}
    return dataclasses.replace(profile, shape=shape, columns=resolved), notes  # type: ignore[arg-type]


def _load_table(path: Path, data: bytes, profile: ImportProfile, *, nrows: int | None,
                usecols: list[str] | None, head_only: bool = False
                ) -> tuple[reader.RawTable, str | None, str | None]:
    """Read the file's bytes (or their head) as a table of strings; (table, encoding, why)."""
    if reader.is_excel(path, data):
        table = reader.read_excel_table(data, path, sheet=profile.sheet, skip_rows=profile.skip_rows or None,
                                        usecols=usecols, nrows=nrows)
        return table, None, None
    encoding, why = (profile.encoding, "set in the profile") if profile.encoding else reader.detect_encoding(data)
    if not encoding.startswith("utf-16") and (data[:5] == b"%PDF-" or data[:4096].count(b"\x00") > 8):
        raise InputError("not a text table or an Excel workbook (it looks like a binary file)", file=path)
    if head_only and len(data) > _PREVIEW_BYTES:
        # Cut the text, not the bytes: a UTF-16 newline is two bytes, a GB18030 character up to four.
        try:
            text = codecs.getincrementaldecoder(encoding)().decode(data[:_PREVIEW_BYTES], final=False)
        except UnicodeDecodeError:
            text = reader.decode(data[:_PREVIEW_BYTES], encoding, path)  # raises, naming the row
        text = text[: text.rfind("\n") + 1] or text
    else:
        text = reader.decode(data, encoding, path)
    if text.startswith("\ufeff"):
        text = text[1:]
    table = reader.read_text_table(text, path, encoding=encoding, delimiter=profile.delimiter,
                                   skip_rows=profile.skip_rows or None, usecols=usecols, nrows=nrows)
    return table, encoding, why


def inspect_file(path: str | Path, profile: ImportProfile | None = None, rows: int = 50) -> FilePreview:
    """Read the head of ``path`` and say what it is. Fast: reads at most 1 MB of text."""
    path = Path(path)
    profile = profile or ImportProfile()
    data = reader.read_bytes(path, limit=4 * _PREVIEW_BYTES)
    table, encoding, why = _load_table(path, data, profile, nrows=rows, usecols=None, head_only=True)
    problems: list[str] = []
    try:
        resolved, notes = resolve_profile(table.columns, profile, problems)
    except InputError as exc:
        raise InputError(exc.message, file=path) from None
    if encoding:
        notes.insert(0, f"encoding {encoding} ({why})")
    if table.delimiter:
        notes.insert(1, f"{reader.DELIMITER_NAMES.get(table.delimiter, table.delimiter)}-separated")
    if table.header_row > 1:
        notes.append(f"{table.header_row - 1} title line(s) above the header skipped")
    time_notes, first_time = _time_reading(table, resolved)
    notes += time_notes
    outcomes = _outcome_reading(table, resolved)
    personal = tuple(c for r, c in resolved.mapped.items() if r in PERSONAL_ROLES)
    preview = table.frame.copy()
    for col in personal:
        preview[col] = np.where(preview[col].astype(str).str.strip().eq(""), "", MASK)
    resolved = dataclasses.replace(resolved, encoding=encoding, delimiter=table.delimiter, sheet=table.sheet)
    return FilePreview(path, encoding, table.delimiter, table.sheet, resolved.shape, table.columns,
                       resolved.mapped, preview, personal, resolved, tuple(notes),
                       tuple(int(r) for r in table.row_numbers), table.sheets, first_time,
                       tuple(problems), outcomes)


def _time_reading(table: reader.RawTable, profile: ImportProfile) -> tuple[list[str], dt.datetime | None]:
    """Say how the time column of the preview rows is read, with one worked example;
    and the first time read."""
    from wfm.io.parsing import EXCEL_SERIAL, assemble_timestamps

    role = "arrival" if profile.shape == "calls" else "interval_start"
    column = profile.mapped.get(role)
    if column is None or column not in table.frame.columns:
        return [], None
    date_col = profile.mapped.get("date")
    if date_col is not None and date_col not in table.frame.columns:
        date_col = None
    parsed = assemble_timestamps(table.frame, column, date_column=date_col, profile=profile)
    ok = np.flatnonzero(~parsed.bad & ~parsed.empty)
    if parsed.empty.all():
        return [f"'{column}' is empty in the first {len(parsed.empty)} rows"], None
    if len(ok) == 0:
        return [f"'{column}': no date and time format fits the first rows; set one in the profile"], None
    i = int(ok[0])
    raw = str(table.frame[column].iloc[i]).strip()
    if date_col:
        raw = f"{str(table.frame[date_col].iloc[i]).strip()} {raw}"
    value = parsed.values.iloc[i]
    how = "Excel serial number" if parsed.fmt == EXCEL_SERIAL else f"format {parsed.fmt}"
    notes = [f"'{column}' is read as: '{raw}' = {value:%a %d %b %Y %H:%M:%S} ({how})"]
    if parsed.note:
        notes.append(parsed.note)
    if parsed.bad.any():
        notes.append(f"{int(parsed.bad.sum())} of the first {len(parsed.bad)} rows have a time that does not fit")
    return notes, value.to_pydatetime()


def _outcome_reading(table: reader.RawTable, profile: ImportProfile) -> tuple[tuple[str, str, int], ...]:
    column = profile.mapped.get("outcome")
    if profile.shape != "calls" or column is None or column not in table.frame.columns:
        return ()
    from wfm.io.calls import classify_outcomes
    from wfm.io.parsing import categories

    text = pd.Series(categories(table.frame[column]), dtype=object)
    text = text[text.ne("")]
    classes, _ = classify_outcomes(text, profile)
    counts = text.value_counts(sort=True)
    meaning = dict(zip(text.to_numpy(), classes, strict=True))
    return tuple((str(v), str(meaning[v]), int(n)) for v, n in counts.items())


# --- import --------------------------------------------------------------------------------
def import_log(
    path: str | Path,
    profile: ImportProfile | None = None,
    *,
    interval_minutes: int = 30,
    start: dt.date | None = None,
    end: dt.date | None = None,
    progress: ProgressCallback | None = None,
) -> ImportResult:
    """Import a per-call log or an interval report into an interval history.

    Parameters
    ----------
    path
        CSV/TSV/any-delimiter text (optionally gzipped) or an .xlsx workbook.
    profile
        How to read it; anything not set is detected.
    interval_minutes
        15, 30 or 60.
    start, end
        Keep only calls on these dates (inclusive); others are counted in the report.
    progress
        ``progress(fraction, message)``; raise :class:`~wfm.progress.Cancelled` in it to stop.

    Raises
    ------
    WfmError
        For a file that cannot be read at all, with one message naming the file.
    """
    from wfm.io import calls, intervals  # noqa: PLC0415 - keeps the module graph simple

    path = Path(path)
    if interval_minutes not in INTERVAL_CHOICES:
        raise WfmError(f"interval length must be 15, 30 or 60 minutes, not {interval_minutes}")
    if start and end and start > end:
        raise WfmError(f"the start date {start} is after the end date {end}")
    profile = profile or ImportProfile()
    report(progress, 0.0, f"Reading {path.name}")
    data = reader.read_bytes(path)
    head, encoding, _ = _load_table(path, data, profile, nrows=5, usecols=None, head_only=True)
    try:
        resolved, _ = resolve_profile(head.columns, profile)
    except InputError as exc:
        raise InputError(exc.message, file=path) from None
    keep_agent = bool(resolved.unnamed_agent_values)
    usecols = [c for r, c in resolved.mapped.items() if r not in PERSONAL_ROLES or (r == "agent" and keep_agent)]
    resolved = dataclasses.replace(resolved, encoding=encoding, delimiter=head.delimiter, skip_rows=head.header_row - 1)
    table, encoding, _ = _load_table(path, data, resolved, nrows=None, usecols=usecols)
    del data
    resolved = dataclasses.replace(resolved, encoding=encoding, delimiter=table.delimiter, sheet=table.sheet)
    report(progress, 0.35, "Checking rows")
    # With usecols pandas keeps rows that have extra fields (it skips them only without), so
    # the reader's record check is what finds them.
    common: list[Finding] = []
    if table.extra_fields is not None and table.extra_fields.any():
        stray = finding("bad_field_count", "Rows with more fields than the header (a stray "
                        "delimiter shifts the values)", table.extra_fields, table.row_numbers, "dropped", "error")
        common += [stray] if stray else []
    shape_module = calls if resolved.shape == "calls" else intervals
    frame, findings, summary = shape_module.build(
        table, resolved, path=path, interval_minutes=interval_minutes, start=start, end=end,
        progress=progress,
    )
    history = IntervalHistory(sort_history(frame), interval_minutes)
    cleaning = CleaningReport(
        file=path.name,
        shape=resolved.shape,
        encoding=encoding,
        delimiter=table.delimiter,
        rows_read=len(table.frame),
        findings=tuple(common + findings),
        summary=summary,
    )
    report(progress, 1.0, "Done")
    return ImportResult(history, cleaning, resolved)


def roles_for_shape(shape: str) -> dict[str, str]:
    """Role -> label for the mapping table of the window."""
    return CALL_ROLES if shape == "calls" else INTERVAL_ROLES
