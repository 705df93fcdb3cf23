"""Reading the project's own small text files (histories, forecasts, calendars) with one
set of messages: a missing, unreadable or malformed file is an :class:`InputError` naming
the file (and the row, for a row with more fields than the header), never a traceback.

ACD exports, which can be in any encoding and shape, go through :mod:`wfm.io.reader`.
"""

from __future__ import annotations

import csv
import tomllib
import warnings
from pathlib import Path
from typing import Any

import pandas as pd

from wfm.errors import InputError


def read_csv_table(path: Path, what: str) -> pd.DataFrame:
    """Every cell of a UTF-8 CSV as text ('' where empty); the header is row 1.

    ``what`` names the kind of file in messages ("interval history CSV").
    """
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", pd.errors.ParserWarning)
            raw = pd.read_csv(
                path, dtype=str, keep_default_na=False, encoding="utf-8-sig", index_col=False
            )
    except FileNotFoundError:
        raise InputError("file not found", file=path) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a file", file=path) from None
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"not a readable {what} ({exc})", file=path) from None
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror or exc})", file=path) from None
    if any(issubclass(w.category, pd.errors.ParserWarning) for w in caught):
        _raise_for_ragged_row(path)
    return raw


def _raise_for_ragged_row(path: Path) -> None:
    """Raise for the first row with more fields than the header (pandas would drop them)."""
    with path.open(newline="", encoding="utf-8-sig", errors="replace") as handle:
        reader = csv.reader(handle)
        width = len(next(reader, []))
        for row_number, fields in enumerate(reader, start=2):
            if len(fields) > width:
                raise InputError(
                    f"has {len(fields)} fields where the header has {width}",
                    file=path,
                    row=row_number,
                )


def read_toml(path: Path, what: str) -> dict[str, Any]:
    """A TOML file as a dict; ``what`` names the kind of file in messages."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("file not found", file=path) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a file", file=path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot be read ({exc})", file=path) from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"not a valid {what} ({exc})", file=path) from None
