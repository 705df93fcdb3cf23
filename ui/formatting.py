"""Turning ``wfm`` values into text for the screen, in the user's locale.

Only presentation: rounding for display, thousands separators, date names. No number a
planner reads is computed here.
"""

from __future__ import annotations

import html
import math
from typing import Any

import pandas as pd
from PySide6.QtCore import QDate, QLocale


def locale() -> QLocale:
    """The user's locale; English when the system reports the bare "C" locale (containers,
    CI), which would print 1571311 without thousands separators."""
    loc = QLocale()
    if loc.language() == QLocale.Language.C:
        return QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    return loc


def is_missing(value: Any) -> bool:
    """None, NaN, or wfm's "unknown" (a count the source did not have)."""
    if value is None or (isinstance(value, str) and value == "unknown"):
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def count(value: Any) -> str:
    """A count with thousands separators; fractional counts keep one decimal."""
    if is_missing(value):
        return "–"
    v = float(value)
    decimals = 0 if math.isclose(v, round(v)) else 1
    return locale().toString(v, "f", decimals)


def decimal(value: Any, decimals: int = 1) -> str:
    if is_missing(value):
        return "–"
    return locale().toString(float(value), "f", decimals)


def percent(value: Any) -> str:
    """A share as a percentage with one decimal: 0.8884 is ``88.8 %``."""
    return f"{decimal(float(value) * 100, 1)} %"


def escape_html(text: str) -> str:
    """``text`` made safe inside a rich-text label: ``&``, ``<`` and ``>`` escaped."""
    return html.escape(text, quote=False)


def seconds(value: Any) -> str:
    """A duration in seconds as e.g. ``179 s (2:59)``."""
    if is_missing(value):
        return "–"
    s = int(round(float(value)))
    return f"{locale().toString(s)} s ({s // 60}:{s % 60:02d})"


def qdate(value: Any) -> QDate:
    ts = pd.Timestamp(value)
    return QDate(ts.year, ts.month, ts.day)


def day(value: Any, with_weekday: bool = False) -> str:
    """A date such as ``5 Jan 2026`` (``Mon 5 Jan 2026`` with the weekday)."""
    if is_missing(value):
        return "–"
    fmt = "ddd d MMM yyyy" if with_weekday else "d MMM yyyy"
    return locale().toString(qdate(value), fmt)


def weekday_names() -> list[str]:
    """Short weekday names, Monday first, in the user's locale."""
    loc = locale()
    return [loc.dayName(d, QLocale.FormatType.ShortFormat) for d in range(1, 8)]


def value(v: Any) -> str:
    """Any summary value: counts get separators, text and dates are shown as they are."""
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, int | float):
        return count(v)
    if isinstance(v, pd.Timestamp):
        return day(v)
    if is_missing(v):
        return "–"
    return str(v)
