"""Chart building blocks on pyqtgraph: a light look, axes for dates and time of day, and a
hover read-out.

Charts only draw what ``wfm`` hands over; the x values are converted for pyqtgraph here
(naive local timestamps become seconds on a UTC axis, so the axis shows the wall clock the
centre sees without applying this computer's time zone).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

import numpy as np
import pandas as pd
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QFont

pg.setConfigOptions(antialias=True, background="w", foreground="#333333")

#: A qualitative palette readable on white (Tableau 10).
PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
)

#: One colour per weekday, Monday first; the weekend is drawn dashed as well.
WEEKDAY_COLOURS = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1", "#9c755f", "#76b7b2")


def colour(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


def naive_to_epoch(values: pd.Series | pd.DatetimeIndex) -> np.ndarray:
    """Naive wall-clock timestamps as float seconds, read as UTC (see the module docs)."""
    stamps = pd.DatetimeIndex(values)
    return (stamps - pd.Timestamp("1970-01-01")) / pd.Timedelta(seconds=1)


class TimeOfDayAxis(pg.AxisItem):
    """An x axis in minutes after midnight, labelled hh:mm, ticks on whole hours."""

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list:  # noqa: N802, N803
        span = maxVal - minVal
        if span <= 0:
            return []
        major = next((step for step in (60, 120, 180, 240, 360) if span / step <= 12), 720)
        minor = 30 if major <= 120 else 60
        first = np.ceil(minVal / major) * major
        majors = list(np.arange(first, maxVal + 1e-9, major))
        first_minor = np.ceil(minVal / minor) * minor
        minors = [v for v in np.arange(first_minor, maxVal + 1e-9, minor) if v % major]
        return [(major, majors), (minor, minors)]

    def tickStrings(self, values: Sequence[float], scale: float, spacing: float) -> list[str]:  # noqa: N802
        return [format_minutes(v) for v in values]


def format_minutes(minutes: float) -> str:
    """Minutes after midnight as hh:mm (24:00 for the end of the day)."""
    m = int(round(minutes))
    return f"{m // 60:02d}:{m % 60:02d}"


def make_plot(
    title: str,
    *,
    left_label: str,
    bottom_axis: pg.AxisItem | None = None,
) -> pg.PlotWidget:
    """A white plot with grid, readable axes, a legend and mouse zoom/pan (drag, wheel)."""
    axis_items = {"bottom": bottom_axis} if bottom_axis is not None else None
    plot = pg.PlotWidget(axisItems=axis_items)
    item = plot.getPlotItem()
    item.setTitle(title, size="11pt", color="#222222")
    item.showGrid(x=True, y=True, alpha=0.15)
    font = QFont()
    font.setPointSize(9)
    for name in ("left", "bottom"):
        axis = item.getAxis(name)
        axis.setTickFont(font)
        axis.setPen(pg.mkPen("#888888"))
        axis.setTextPen(pg.mkPen("#333333"))
    item.getAxis("left").setWidth(56)
    item.setLabel("left", left_label, color="#333333")
    item.setMenuEnabled(True)
    item.setMouseEnabled(x=True, y=True)
    plot.setMinimumHeight(150)
    legend = item.addLegend(offset=(-10, 10), labelTextSize="9pt", labelTextColor="#222222")
    legend.setBrush(pg.mkBrush(255, 255, 255, 215))
    legend.setPen(pg.mkPen("#cccccc"))
    return plot


def add_curve(
    plot: pg.PlotWidget,
    x: np.ndarray,
    y: np.ndarray,
    *,
    name: str,
    colour: str,
    dashed: bool = False,
) -> pg.PlotDataItem:
    pen = pg.mkPen(colour, width=2, style=Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine)
    # connect="finite" leaves a gap where wfm reports no data (NaN) rather than a fake line.
    return plot.plot(
        np.asarray(x, dtype=float), np.asarray(y, dtype=float), pen=pen, name=name, connect="finite"
    )


class HoverReadout:
    """A vertical cursor line and a text box showing the values under the mouse.

    ``describe(x)`` returns the text for the data point nearest to ``x`` (in data
    coordinates), or ``None`` when there is nothing to show.
    """

    def __init__(
        self,
        plot: pg.PlotWidget,
        describe: Callable[[float], str | None],
        colours: Callable[[], Sequence[str | None]] | None = None,
    ) -> None:
        self._plot = plot
        self._describe = describe
        # colours()[i] is the line colour of the read-out's line i + 1 (line 0 is the x value).
        self._colours = colours
        self.line = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen("#999999", width=1))
        self.label = pg.TextItem(
            anchor=(0, 0),
            color="#222222",
            fill=pg.mkBrush(255, 255, 255, 230),
            border=pg.mkPen("#bbbbbb"),
        )
        self.label.setZValue(100)
        self.line.setZValue(90)
        self.text = ""
        for item in (self.line, self.label):
            item.setVisible(False)
            plot.addItem(item, ignoreBounds=True)
        plot.scene().sigMouseMoved.connect(self._moved)

    def hide(self) -> None:
        self.line.setVisible(False)
        self.label.setVisible(False)

    def show_at(self, x: float) -> str | None:
        """Show the read-out for data x (also what a mouse move does); returns the text."""
        text = self._describe(x)
        if not text:
            self.hide()
            self.text = ""
            return None
        self.text = text
        view = self._plot.getPlotItem().getViewBox()
        (x0, x1), (y0, y1) = view.viewRange()
        self.line.setPos(x)
        self.label.setHtml(self._html(text))
        # Keep the box inside the view: flip it to the left of the cursor in the right half.
        right_half = x > x0 + 0.55 * (x1 - x0)
        self.label.setAnchor((1, 0) if right_half else (0, 0))
        self.label.setPos(x, y1)
        self.line.setVisible(True)
        self.label.setVisible(True)
        return text

    def refresh(self) -> None:
        """Redraw a visible read-out where it stands, after the data under it changed."""
        if self.line.isVisible():
            self.show_at(self.line.value())

    def _html(self, text: str) -> str:
        lines = text.splitlines()
        colours = list(self._colours()) if self._colours else []
        out = [f"<b>{escape(lines[0])}</b>"]
        for i, line in enumerate(lines[1:]):
            colour = colours[i] if i < len(colours) else None
            mark = f"<span style='color:{colour}'>&#9632;</span> " if colour else ""
            out.append(mark + escape(line))
        return "<div style='color:#222222; font-size:9pt'>" + "<br>".join(out) + "</div>"

    def _moved(self, pos: QPointF) -> None:
        view = self._plot.getPlotItem().getViewBox()
        if not view.sceneBoundingRect().contains(pos):
            self.hide()
            return
        self.show_at(view.mapSceneToView(pos).x())
