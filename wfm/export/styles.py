"""Cell looks of the exported workbook, made once per workbook and shared by every cell.

openpyxl's write-only mode streams rows to disk, which keeps a 150-agent, 28-day export
with day sheets fast; but giving each cell its own ``Font``/``PatternFill`` objects costs a
lookup per attribute per cell. A :class:`StyleBook` builds the style of each :class:`Look`
once (on a throw-away cell) and hands its style array to every cell that looks the same,
which is what openpyxl itself does when it copies a style (``copy(cell._style)``).

Text from user data goes through :func:`text`: a name starting with ``=`` would otherwise
be written as a formula, and characters XML cannot hold would make the file unreadable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from wfm.export.layout import is_formula_like

GRID = "BFBFBF"
HEADER_FILL = "DDE4EE"
WEEKEND_FILL = "B8C4D6"
TOTAL_FILL = "F2F2F2"
OFF_COLOUR = "808080"
NOTE_COLOUR = "595959"
BREAK_FILL = "8C8C8C"
LUNCH_FILL = "5F5F5F"
UNDER_FILL = "FFC7CE"
UNDER_FONT = "9C0006"
LOW_SL_FILL = "FFEB9C"
LOW_SL_FONT = "9C5700"

HOURS = "0.0"
FTE = "0.00"
PERCENT = "0.0%"
COST = "#,##0.00"
DATE = "ddd dd mmm yyyy"
DAY_HEADER = "ddd dd mmm"
TIME = "hh:mm"
DATETIME = "ddd dd mmm yyyy hh:mm"
HEADS = "0.0"


@dataclass(frozen=True)
class Look:
    """How a cell looks: fill and font colour (``rrggbb``), border, alignment, format."""

    fill: str | None = None
    bold: bool = False
    italic: bool = False
    colour: str | None = None
    size: float | None = None
    border: bool = False
    align: str | None = None  # "left", "center", "right"
    vertical: str | None = None
    wrap: bool = False
    rotate: int = 0
    fmt: str = "General"


def hex_colour(colour: str) -> str:
    """``#a6cee3`` -> ``A6CEE3`` (what openpyxl takes)."""
    return colour.lstrip("#").upper()


def text(value: str) -> str:
    """User text made safe to store: characters an XML file cannot hold removed."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)


class StyleBook:
    """Cells of a write-only workbook, one shared style per :class:`Look`."""

    def __init__(self) -> None:
        self._arrays: dict[Look, Any] = {}

    def _array(self, ws: Any, look: Look) -> Any:
        array = self._arrays.get(look)
        if array is None:
            cell = WriteOnlyCell(ws)
            if look.fill:
                cell.fill = PatternFill("solid", fgColor=look.fill)
            if look.bold or look.italic or look.colour or look.size:
                cell.font = Font(
                    bold=look.bold, italic=look.italic, color=look.colour, size=look.size
                )
            if look.border:
                side = Side(style="thin", color=GRID)
                cell.border = Border(left=side, right=side, top=side, bottom=side)
            if look.align or look.vertical or look.wrap or look.rotate:
                cell.alignment = Alignment(
                    horizontal=look.align,
                    vertical=look.vertical,
                    wrap_text=look.wrap or None,
                    text_rotation=look.rotate,
                )
            if look.fmt != "General":
                cell.number_format = look.fmt
            array = cell._style  # noqa: SLF001 - shared, never changed (see module docs)
            self._arrays[look] = array
        return array

    def cell(self, ws: Any, value: Any, look: Look | None = None) -> WriteOnlyCell:
        """A cell of ``ws`` holding ``value``; a formula-like text stays text."""
        if isinstance(value, str):
            value = text(value)
        cell = WriteOnlyCell(ws, value)
        if isinstance(value, str) and is_formula_like(value):
            cell.data_type = "s"  # "=HYPERLINK(...)" from a name is text, never a formula
        if look is not None:
            cell._style = self._array(ws, look)  # noqa: SLF001
        return cell

    def plain(self, ws: Any, value: Any) -> Any:
        """``value`` as it can go in a row: user text that looks like a formula as a text
        cell, anything else unchanged."""
        if isinstance(value, str) and (
            is_formula_like(value) or ILLEGAL_CHARACTERS_RE.search(value)
        ):
            return self.cell(ws, value)
        return value
