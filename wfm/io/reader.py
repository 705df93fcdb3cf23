"""Reading a table out of an ACD export: bytes, encoding, delimiter, header, rows.

Everything here is about getting cells out of a file; what the cells mean is
:mod:`wfm.io.columns`' and the importer's business. Row numbers are kept as the user sees them
in a text editor or Excel (the header is row 1 unless title lines precede it), so every
message can point at the row.
"""

from __future__ import annotations

import csv
import datetime
import gzip
import io
import re
import warnings
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from wfm.errors import InputError

#: Encodings a planner can pick; detection chooses among these.
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "gb18030", "cp1252")
DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
EXCEL_SUFFIXES = (".xlsx", ".xlsm")



@dataclass(frozen=True)
class RawTable:
    """Cells of a file as text, with where they came from.

    ``frame`` holds the requested columns as strings (empty string for an empty cell);
    ``row_numbers[i]`` is the file row of ``frame.iloc[i]``.
    """

    frame: pd.DataFrame
    row_numbers: np.ndarray
    columns: tuple[str, ...]
    encoding: str | None
    delimiter: str | None
    sheet: str | None
    header_row: int
    #: File rows the parser could not split into the header's columns (too many fields).
    bad_rows: tuple[int, ...] = ()
    #: All sheet names, for a workbook.
    sheets: tuple[str, ...] = ()
    #: Per row: it repeats an earlier row exactly (judged on the whole row, personal columns
    #: included, before they are dropped).
    duplicates: np.ndarray | None = None
    #: Per row: more fields than the header (a stray delimiter shifts the values).
    extra_fields: np.ndarray | None = None


def read_bytes(path: Path, limit: int | None = None) -> bytes:
    """The file's bytes, gunzipped if it is a ``.gz``; only the first ``limit`` if given
    (workbooks are always read whole: a zip cannot be read from its head)."""
    if not path.exists():
        raise InputError("file not found", file=path)
    if path.is_dir():
        raise InputError("this is a folder, not a file", file=path)
    try:
        with open(path, "rb") as fh:
            data = fh.read() if limit is None else fh.read(limit)
            if limit is not None and data.startswith(b"PK"):
                data += fh.read()
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror})", file=path) from None
    if data[:2] == b"\x1f\x8b":
        try:
            if limit is None:
                data = gzip.decompress(data)
            else:
                with gzip.open(path, "rb") as gz:
                    data = gz.read(limit)
        except (OSError, EOFError) as exc:
            raise InputError(f"damaged gzip file ({exc})", file=path) from None
    if not data.strip():
        raise InputError("the file is empty", file=path)
    return data


def is_excel(path: Path, data: bytes) -> bool:
    if path.suffix.lower() == ".xls" and not data.startswith(b"PK"):
        raise InputError(
            "old Excel 97-2003 (.xls) workbooks are not read; save it as .xlsx or CSV in Excel",
            file=path,
        )
    return data.startswith(b"PK") and (
        path.suffix.lower() in EXCEL_SUFFIXES or _zip_is_workbook(data)
    )


def _zip_is_workbook(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "xl/workbook.xml" in z.namelist()
    except zipfile.BadZipFile:
        return False


# --- encoding ------------------------------------------------------------------------------
def detect_encoding(data: bytes) -> tuple[str, str]:
    """Pick the encoding of a text file among :data:`ENCODINGS`; returns (encoding, why).

    Byte-order marks decide first. Otherwise UTF-16 shows as NUL bytes in every other
    position, valid UTF-8 is UTF-8, and of the legacy code pages GB18030 is chosen when the
    text it gives is mostly Chinese characters, cp1252 otherwise.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig", "UTF-8 byte-order mark"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16", "UTF-16 byte-order mark"
    head = data[:4096]
    if len(head) >= 4:
        even_nul = head[0::2].count(0) / len(head[0::2])
        odd_nul = head[1::2].count(0) / len(head[1::2])
        if odd_nul > 0.3 and even_nul < 0.05:
            return "utf-16-le", "UTF-16 (little-endian, no byte-order mark)"
        if even_nul > 0.3 and odd_nul < 0.05:
            return "utf-16-be", "UTF-16 (big-endian, no byte-order mark)"
    try:
        data.decode("utf-8")
        return "utf-8", "plain ASCII" if data.isascii() else "valid UTF-8"
    except UnicodeDecodeError:
        pass
    first = re.search(rb"[\x80-\xff]", data)
    window = data[max(first.start() - 64, 0) : first.start() + 200_000] if first else data[:200_000]
    if _mostly_gb2312_pairs(window):
        try:
            window.decode("gb18030", errors="strict")
            return "gb18030", "Chinese text (GB18030/GBK)"
        except UnicodeDecodeError:
            pass
    return "cp1252", "Western European (Windows-1252)"


_GB2312_PAIR = re.compile(rb"[\xa1-\xf7][\xa1-\xfe]")
_HIGH = re.compile(rb"[\x80-\xff]")


def _mostly_gb2312_pairs(window: bytes) -> bool:
    """True when the high bytes come as GB2312 pairs (both bytes >= 0xA1), as in Chinese.

    GB18030 decodes almost any bytes, so "it decodes" proves nothing: an accented letter
    in cp1252 followed by an ASCII letter ("ä" + "h") is a valid GB18030 pair too. Real Chinese
    text is dominated by the 6,763 GB2312 characters, whose two bytes are both >= 0xA1.
    """
    high = len(_HIGH.findall(window))
    if high == 0:
        return False
    paired = 2 * len(_GB2312_PAIR.findall(window))
    return paired / high >= 0.8


def decode(data: bytes, encoding: str, path: Path) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        row = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"cannot be read as {encoding}: byte {data[exc.start]:#04x} is not valid there. "
            "Choose the file's encoding (utf-8, utf-16, gb18030, cp1252) in the import profile",
            file=path,
            row=row,
        ) from None
    except LookupError:
        raise InputError(f"unknown encoding '{encoding}'", file=path) from None


# --- delimiter and header -------------------------------------------------------------------
def sniff_layout(text: str, delimiter: str | None, skip_rows: int | None) -> tuple[str, int]:
    """Find the delimiter and the number of title lines above the header.

    The delimiter is the candidate that splits the first lines into the same number (more
    than one) of fields most consistently.
    """
    lines = text[: 1 << 20].splitlines()[:200]
    best: tuple[float, str] | None = None
    for cand in (delimiter,) if delimiter else DELIMITERS:
        counts = [len(r) for r in csv.reader(lines, delimiter=cand)]
        nonblank = [c for c, ln in zip(counts, lines, strict=False) if ln.strip()]
        if not nonblank:
            continue
        mode, freq = Counter(nonblank).most_common(1)[0]
        if mode < 2:
            continue
        score = freq / len(nonblank) * (1 + 0.01 * mode)
        if best is None or score > best[0]:
            best = (score, cand)
    if best is None:
        if delimiter:
            raise _one_column_error(text, delimiter)
        raise InputError(
            "no delimiter found: every row is a single column. The file is not a table "
            "separated by commas, semicolons, tabs or pipes"
        )
    sep = best[1]
    if skip_rows is not None:
        return sep, skip_rows
    counts = [len(r) for r in csv.reader(lines, delimiter=sep)]
    mode = Counter(c for c, ln in zip(counts, lines, strict=False) if ln.strip()).most_common(1)[0][0]
    skip = next((i for i, c in enumerate(counts) if c == mode), 0)
    return sep, skip


def _one_column_error(text: str, delimiter: str) -> InputError:
    name = DELIMITER_NAMES.get(delimiter, repr(delimiter))
    lines = text[: 1 << 20].splitlines()[:50]
    for cand in DELIMITERS:
        if cand != delimiter and sum(ln.count(cand) for ln in lines) >= len(lines):
            return InputError(
                f"with the {name} as delimiter every row is one column; the file looks "
                f"{DELIMITER_NAMES[cand]}-separated. Change the delimiter"
            )
    return InputError(f"with the {name} as delimiter every row is one column. Wrong delimiter?")


_SKIP_LINE = re.compile(r"Skipping line (\d+)")


def read_text_table(
    text: str,
    path: Path,
    *,
    encoding: str,
    delimiter: str | None,
    skip_rows: int | None,
    usecols: list[str] | None = None,
    nrows: int | None = None,
) -> RawTable:
    """Parse delimited text into a :class:`RawTable` of strings."""
    head = text[: 1 << 16]
    if "\r" in head and "\n" not in head:
        text = text.replace("\r", "\n")  # old Mac line ends (Excel's "CSV (Macintosh)")
    try:
        sep, skip = sniff_layout(text, delimiter, skip_rows)
    except InputError as exc:
        raise InputError(exc.message, file=path) from None
    header_row = skip + 1
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            # The C tokenizer reads UTF-8 bytes; a StringIO would be re-encoded in chunks.
            frame = pd.read_csv(
                io.BytesIO(text.encode("utf-8")),
                encoding="utf-8",
                sep=sep,
                skiprows=skip,
                dtype=str,
                keep_default_na=False,
                na_filter=False,
                skip_blank_lines=False,
                on_bad_lines="warn",
                # Header names are compared stripped: "queue " in the file is "queue".
                usecols=None if usecols is None else (lambda c, wanted=set(usecols): str(c).strip() in wanted),
                nrows=nrows,
                engine="c",
            )
        except pd.errors.EmptyDataError:
            raise InputError("the file has no rows", file=path) from None
        except (pd.errors.ParserError, ValueError) as exc:
            raise InputError(f"cannot be split into columns ({_short(exc)})", file=path) from None
    bad = sorted(int(n) for w in caught for n in _SKIP_LINE.findall(str(w.message)))
    header_line = next(iter(text[: 1 << 16].splitlines()[skip : skip + 1]), "")
    columns = tuple(c.strip() for c in next(csv.reader([header_line], delimiter=sep), []))
    frame.columns = [str(c).strip() for c in frame.columns]
    records = _records(text, sep, header_row, len(columns))
    # Rows pandas skipped (too many fields, only without usecols) have no frame row.
    chosen = ~np.isin(records.lines, bad) if bad else np.ones(len(records.lines), dtype=bool)
    index = np.flatnonzero(chosen)[: len(frame)]
    return RawTable(
        frame, records.lines[index], columns, encoding, sep, None, header_row, tuple(bad),
        duplicates=records.duplicates[index], extra_fields=records.extra_fields[index],
    )


@dataclass(frozen=True)
class _Records:
    lines: np.ndarray  # file row where each record starts
    duplicates: np.ndarray  # the record repeats an earlier one exactly
    extra_fields: np.ndarray  # more fields than the header


def _records(text: str, sep: str, header_row: int, width: int) -> _Records:
    """Where each record starts, and the record-level checks, for the text after the header.

    Without quotes a record is a line, and plain string operations are fast. With quotes a
    field may hold the delimiter or a line break, so the csv module splits the records.
    """
    start = 0
    for _ in range(header_row):
        start = text.find("\n", start) + 1
        if start == 0:
            start = len(text)
            break
    body = text[start:]
    if '"' not in body:
        lines = body.split("\n")
        if lines and lines[-1] in ("", "\r"):
            lines.pop()  # the file's last line break ends a record, it does not start one
        lengths = np.fromiter(map(len, lines), dtype=np.int64, count=len(lines))
        blank = lengths == 0
        short = np.flatnonzero(lengths == 1)
        blank[short] = [lines[i] == "\r" for i in short]
        dup = np.array(pd.Series(lines, dtype=object).duplicated(), dtype=bool) & ~blank
        extra = np.zeros(len(lines), dtype=bool)
        # In a clean file every record has exactly width - 1 delimiters: one C-level count
        # tells; only otherwise are lines counted one by one.
        if body.count(sep) != (width - 1) * int((~blank).sum()):
            extra = np.fromiter((ln.count(sep) for ln in lines), dtype=np.int64, count=len(lines)) > width - 1
        numbers = np.arange(header_row + 1, header_row + 1 + len(lines))
        return _Records(numbers, dup, extra)
    reader_ = csv.reader(io.StringIO(body, newline=""), delimiter=sep)
    starts: list[int] = []
    keys: list[str] = []
    widths: list[int] = []
    previous = 0
    for row in reader_:
        starts.append(header_row + previous + 1)
        previous = reader_.line_num
        keys.append("\x1f".join(row))
        widths.append(len(row))
    w = np.asarray(widths, dtype=np.int64)
    dup = np.array(pd.Series(keys, dtype=object).duplicated(), dtype=bool) & (w > 0)
    return _Records(np.asarray(starts, dtype=np.int64), dup, w > width)


def read_excel_table(
    data: bytes,
    path: Path,
    *,
    sheet: str | None,
    skip_rows: int | None,
    usecols: list[str] | None = None,
    nrows: int | None = None,
) -> RawTable:
    """Read one sheet of an .xlsx workbook as strings (dates in ISO form)."""
    try:
        import openpyxl

        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged workbook
        raise InputError(f"not a readable Excel workbook ({_short(exc)})", file=path) from None
    try:
        if sheet is None:
            ws = wb.worksheets[0]
        elif sheet in wb.sheetnames:
            ws = wb[sheet]
        else:
            raise InputError(
                f"no sheet named '{sheet}'; the workbook has {', '.join(wb.sheetnames)}", file=path
            )
        limit = None if nrows is None else (skip_rows or 0) + nrows + 30
        rows = [list(r) for r in ws.iter_rows(values_only=True, max_row=limit)]
        sheet_name = ws.title
        sheets = tuple(wb.sheetnames)
    finally:
        wb.close()
    if not rows:
        raise InputError(f"sheet '{sheet_name}' is empty", file=path)
    widths = [sum(v is not None for v in r) for r in rows[:200]]
    if not any(widths):
        raise InputError(f"sheet '{sheet_name}' is empty", file=path)
    if skip_rows is None:
        mode = Counter(w for w in widths if w).most_common(1)[0][0]
        skip_rows = next(i for i, w in enumerate(widths) if w >= mode)
    header = _unique_names(
        [str(v).strip() if v is not None else f"column {i + 1}" for i, v in enumerate(rows[skip_rows])]
    )
    body = rows[skip_rows + 1 :]
    if nrows is not None:
        body = body[:nrows]
    frame = pd.DataFrame(body, columns=header, dtype=object)
    duplicates = np.array(frame.duplicated(), dtype=bool) & frame.notna().any(axis=1).to_numpy()
    if usecols is not None:
        frame = frame[[c for c in usecols if c in frame.columns]]
    frame = frame.apply(_excel_cells_to_text)
    numbers = np.arange(skip_rows + 2, skip_rows + 2 + len(frame))
    return RawTable(frame, numbers, tuple(header), None, None, sheet_name, skip_rows + 1, sheets=sheets,
                    duplicates=duplicates, extra_fields=np.zeros(len(frame), dtype=bool))


def _unique_names(names: list[str]) -> list[str]:
    """Repeated header names get .1, .2 ... as pandas does for text files."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        if name in seen:
            seen[name] += 1
            out.append(f"{name}.{seen[name]}")
        else:
            seen[name] = 0
            out.append(name)
    return out


def _excel_cells_to_text(col: pd.Series) -> pd.Series:
    def one(v: object) -> str:
        if v is None:
            return ""
        if isinstance(v, datetime.datetime):
            return v.isoformat(sep=" ")
        if isinstance(v, datetime.date | datetime.time):
            return v.isoformat()
        if isinstance(v, datetime.timedelta):
            return str(v.total_seconds())
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return str(v)

    return col.map(one).astype(str)


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__
