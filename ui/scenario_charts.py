"""The Scenarios page's charts on pyqtgraph: scenarios side by side, the requirement per
interval, and the sensitivity tornado.

They draw what ``wfm.scenarios`` computed (:func:`~wfm.scenarios.evaluate.comparison_frame`,
the results' per-interval tables, :func:`~wfm.scenarios.evaluate.sensitivity`); the only
arithmetic here is adding queues up for the "All queues" view of a chart.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape
from typing import Any

import numpy as np
import pandas as pd
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ui import formatting as fmt
from ui.charts import PALETTE, HoverReadout, make_plot, naive_to_epoch

BASE_COLOUR = "#7f8c99"
KEPT_COLOUR = "#222222"
MINUS_COLOUR = PALETTE[0]
PLUS_COLOUR = PALETTE[1]
SL_COLOUR = PALETTE[4]
SIM_COLOUR = PALETTE[6]
#: The per-interval chart's choice for all queues added up (item data).
ALL_QUEUES = "\x00all queues"


def scenario_colour(i: int) -> str:
    """Colour of the i-th scenario (0 is the base)."""
    return BASE_COLOUR if i == 0 else PALETTE[(i - 1) % len(PALETTE)]


def _signed(value: float, decimals: int = 1) -> str:
    if not np.isfinite(value):
        return "–"
    text = fmt.decimal(abs(value), decimals)
    return ("+" if value > 0 else "−" if value < 0 else "±") + text


class CategoryAxis(pg.AxisItem):
    """An axis with a name at each whole position (0, 1, 2 ...)."""

    def __init__(self, orientation: str, **kwargs: Any) -> None:
        super().__init__(orientation, **kwargs)
        self.names: list[str] = []

    def set_names(self, names: Sequence[str]) -> None:
        self.names = list(names)
        self.setTicks([[(float(i), n) for i, n in enumerate(self.names)]])


class PointHover:
    """A text box at the mouse with what ``describe(x, y)`` says about the point under it."""

    def __init__(self, plot: pg.PlotWidget, describe: Callable[[float, float], str | None]):
        self._plot = plot
        self._describe = describe
        self.text = ""
        self.label = pg.TextItem(
            anchor=(0, 1),
            color="#222222",
            fill=pg.mkBrush(255, 255, 255, 230),
            border=pg.mkPen("#bbbbbb"),
        )
        self.label.setZValue(100)
        self.label.setVisible(False)
        plot.addItem(self.label, ignoreBounds=True)
        plot.scene().sigMouseMoved.connect(self._moved)

    def show_at(self, x: float, y: float) -> str | None:
        """Show the read-out for the data point (x, y); returns its text."""
        text = self._describe(x, y)
        self.text = text or ""
        if not text:
            self.label.setVisible(False)
            return None
        lines = text.splitlines()
        html = f"<b>{escape(lines[0])}</b>" + "".join(f"<br>{escape(t)}" for t in lines[1:])
        self.label.setHtml(f"<div style='color:#222222; font-size:9pt'>{html}</div>")
        (x0, x1), _ = self._plot.getPlotItem().getViewBox().viewRange()
        self.label.setAnchor((1, 1) if x > x0 + 0.55 * (x1 - x0) else (0, 1))
        self.label.setPos(x, y)
        self.label.setVisible(True)
        return text

    def hide(self) -> None:
        self.label.setVisible(False)

    def _moved(self, pos: QPointF) -> None:
        view = self._plot.getPlotItem().getViewBox()
        if not view.sceneBoundingRect().contains(pos):
            self.hide()
            return
        point = view.mapSceneToView(pos)
        self.show_at(point.x(), point.y())


def _bar_plot(title: str, left_label: str) -> tuple[pg.PlotWidget, CategoryAxis]:
    axis = CategoryAxis("bottom")
    plot = make_plot(title, left_label=left_label, bottom_axis=axis)
    plot.getPlotItem().legend.setVisible(False)
    plot.getPlotItem().showGrid(x=False, y=True, alpha=0.15)
    return plot, axis


class SideBySideChart(QWidget):
    """FTE (or required hours, or cost) per scenario as bars with the base as a line, and
    the service level the current roster would give per scenario below."""

    MEASURES = ("fte", "required_hours", "cost")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.frame: pd.DataFrame | None = None
        self.target_sl: float | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Show:")))
        self.measure_combo = QComboBox()
        self.measure_combo.addItem(self.tr("FTE"), "fte")
        self.measure_combo.addItem(self.tr("Required hours"), "required_hours")
        self.measure_combo.addItem(self.tr("Cost"), "cost")
        row.addWidget(self.measure_combo)
        row.addStretch(1)
        layout.addLayout(row)
        self.plot, self.axis = _bar_plot(self.tr("Scenarios side by side"), self.tr("FTE"))
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.6, brushes=[])
        self.plot.addItem(self.bars)
        self.base_line = pg.InfiniteLine(
            angle=0, movable=False, pen=pg.mkPen(BASE_COLOUR, width=1.5, style=Qt.PenStyle.DashLine)
        )
        self.plot.addItem(self.base_line, ignoreBounds=True)
        self.value_labels: list[tuple[pg.PlotWidget, pg.TextItem]] = []
        self.hover = HoverReadout(self.plot, self.describe)
        layout.addWidget(self.plot, 3)

        self.sl_plot, self.sl_axis = _bar_plot(
            self.tr("Service level with the current roster"), self.tr("SL %")
        )
        self.sl_plot.setXLink(self.plot)
        self.sl_bars = pg.BarGraphItem(x=[], height=[], width=0.6, brush=SL_COLOUR)
        self.sl_plot.addItem(self.sl_bars)
        self.sim_points = pg.ScatterPlotItem(
            size=9, symbol="d", brush=pg.mkBrush(SIM_COLOUR), pen=pg.mkPen("#ffffff")
        )
        self.sim_errors = pg.ErrorBarItem(x=np.zeros(0), y=np.zeros(0), pen=pg.mkPen(SIM_COLOUR))
        self.sl_plot.addItem(self.sim_errors)
        self.sl_plot.addItem(self.sim_points)
        self.target_line = pg.InfiniteLine(
            angle=0, movable=False, pen=pg.mkPen("#c62828", width=1, style=Qt.PenStyle.DashLine)
        )
        self.sl_plot.addItem(self.target_line, ignoreBounds=True)
        self.sl_hover = HoverReadout(self.sl_plot, self.describe)
        layout.addWidget(self.sl_plot, 2)
        self.measure_combo.currentIndexChanged.connect(lambda *_: self._draw())

    @property
    def measure(self) -> str:
        return str(self.measure_combo.currentData())

    def set_data(self, frame: pd.DataFrame | None, target_sl: float | None = None) -> None:
        """Show a :func:`~wfm.scenarios.evaluate.comparison_frame` (base first)."""
        self.frame = frame
        self.target_sl = target_sl
        self._draw()

    def values(self) -> np.ndarray:
        """The bar heights on screen (one per scenario, base first)."""
        return np.asarray(self.bars.opts.get("height", []), dtype=float)

    def _draw(self) -> None:
        for plot, label in self.value_labels:
            plot.removeItem(label)
        self.value_labels = []
        frame = self.frame
        if frame is None or frame.empty:
            self.bars.setOpts(x=[], height=[], brushes=[])
            self.sl_bars.setOpts(x=[], height=[])
            self.sim_points.setData([], [])
            self.base_line.setVisible(False)
            self.target_line.setVisible(False)
            self.hover.hide()
            return
        names = [str(n) for n in frame["scenario"]]
        x = np.arange(len(frame), dtype=float)
        heights = frame[self.measure].to_numpy(dtype=float)
        shown = np.nan_to_num(heights, nan=0.0)
        self.bars.setOpts(
            x=x,
            height=shown,
            width=0.6,
            brushes=[pg.mkBrush(scenario_colour(i)) for i in range(len(x))],
            pens=[pg.mkPen("#ffffff") for _ in x],
        )
        short = [n if len(n) <= 18 else n[:17].rstrip() + "…" for n in names]
        self.axis.set_names(short)
        self.sl_axis.set_names(short)
        label = self.measure_combo.currentText()
        self.plot.getPlotItem().setLabel("left", label, color="#333333")
        self.base_line.setPos(float(shown[0]))
        self.base_line.setVisible(bool(np.isfinite(heights[0])))
        for xi, h in zip(x, heights, strict=True):
            if np.isfinite(h):
                text = pg.TextItem(fmt.decimal(h, 1), color="#222222", anchor=(0.5, 1))
                text.setPos(float(xi), float(h))
                self.plot.addItem(text)
                self.value_labels.append((self.plot, text))
        sl = frame["service_level_kept"].to_numpy(dtype=float) * 100.0
        self.sl_bars.setOpts(x=x, height=np.nan_to_num(sl, nan=0.0), width=0.6)
        for xi, v in zip(x, sl, strict=True):
            if np.isfinite(v):
                text = pg.TextItem(f"{fmt.decimal(v, 1)} %", color="#222222", anchor=(0.5, 1))
                text.setPos(float(xi), float(v))
                self.sl_plot.addItem(text)
                self.value_labels.append((self.sl_plot, text))
        sim = frame["simulated_sl"].to_numpy(dtype=float) * 100.0
        has_sim = np.isfinite(sim)
        self.sim_points.setData(x[has_sim], sim[has_sim])
        low = frame["simulated_sl_low"].to_numpy(dtype=float) * 100.0
        high = frame["simulated_sl_high"].to_numpy(dtype=float) * 100.0
        has_ci = has_sim & np.isfinite(low) & np.isfinite(high)
        self.sim_errors.setData(
            x=x[has_ci],
            y=sim[has_ci],
            top=high[has_ci] - sim[has_ci],
            bottom=sim[has_ci] - low[has_ci],
            beam=0.15,
        )
        if self.target_sl is not None:
            self.target_line.setPos(self.target_sl * 100.0)
        self.target_line.setVisible(self.target_sl is not None)
        top = float(np.nanmax(shown)) if shown.size else 1.0
        # a quarter above the tallest bar: room for the value labels over the bars
        self.plot.getPlotItem().setYRange(0.0, max(top, 1e-9) * 1.25, padding=0)
        self.sl_plot.getPlotItem().setYRange(0.0, 125.0, padding=0)
        self.plot.getPlotItem().setXRange(-0.6, len(x) - 0.4, padding=0)
        self.hover.refresh()

    def describe(self, x: float) -> str | None:
        """The read-out for the bar nearest to ``x``."""
        frame = self.frame
        if frame is None or frame.empty:
            return None
        i = int(round(x))
        if not 0 <= i < len(frame) or abs(x - i) > 0.4:
            return None
        row = frame.iloc[i]
        lines = [
            str(row["scenario"]),
            self.tr("FTE: %1 (%2)")
            .replace("%1", fmt.decimal(row["fte"], 1))
            .replace("%2", _signed(row["fte_change"])),
            self.tr("Required hours: %1 (%2 %)")
            .replace("%1", fmt.decimal(row["required_hours"], 1))
            .replace("%2", _signed(row["change_pct"])),
        ]
        if not fmt.is_missing(row["cost"]):
            lines.append(
                self.tr("Cost: %1 (%2)")
                .replace("%1", fmt.decimal(row["cost"], 0))
                .replace("%2", _signed(row["cost_change"], 0))
            )
        if not fmt.is_missing(row["service_level_kept"]):
            lines.append(
                self.tr("SL with the current roster: %1").replace(
                    "%1", fmt.percent(row["service_level_kept"])
                )
            )
        if not fmt.is_missing(row["simulated_sl"]):
            lines.append(
                self.tr("Simulated SL: %1").replace("%1", fmt.percent(row["simulated_sl"]))
            )
        return "\n".join(lines)


def interval_series(table: pd.DataFrame, queue: str) -> pd.DataFrame:
    """``interval_start, required, heads_kept`` of one queue, or all queues added up."""
    if queue != ALL_QUEUES:
        part = table[table["queue"].astype(str) == queue]
        return part[["interval_start", "required", "heads_kept"]].reset_index(drop=True)
    grouped = table.groupby("interval_start", sort=True)
    return pd.DataFrame(
        {
            "required": grouped["required"].sum(),
            "heads_kept": grouped["heads_kept"].sum(min_count=1),
        }
    ).reset_index()


class PerIntervalChart(QWidget):
    """Required heads per interval for the base and the chosen scenarios, and the heads of
    the current roster (dashed) where there is one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.results: list[Any] = []
        self.shown: list[str] = []
        self.interval_minutes = 30
        self.series: dict[str, pd.DataFrame] = {}
        self.curves: dict[str, pg.PlotDataItem] = {}
        self._x = np.zeros(0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Queue:")))
        self.queue_combo = QComboBox()
        row.addWidget(self.queue_combo)
        self.hint = QLabel(
            self.tr("Select rows in the table to draw those scenarios; drag to pan, wheel to zoom")
        )
        self.hint.setStyleSheet("color: #666666;")
        row.addWidget(self.hint, 1)
        layout.addLayout(row)
        self.plot = make_plot(
            self.tr("Agents required per interval (scheduled, with shrinkage)"),
            left_label=self.tr("agents"),
            bottom_axis=pg.DateAxisItem(orientation="bottom", utcOffset=0),
        )
        self.plot.getPlotItem().legend.anchor(itemPos=(0, 0), parentPos=(0, 0), offset=(10, 10))
        self.hover = HoverReadout(self.plot, self.describe, self._colours)
        layout.addWidget(self.plot, 1)
        self.queue_combo.currentIndexChanged.connect(lambda *_: self._draw())

    @property
    def queue(self) -> str:
        data = self.queue_combo.currentData()
        return ALL_QUEUES if data is None else str(data)

    def set_results(
        self, results: Sequence[Any], shown: Sequence[str], interval_minutes: int
    ) -> None:
        """``results`` (base first) and the names of the scenarios to draw besides the base."""
        self.results = list(results)
        self.shown = [s for s in shown if s != self._base_name()]
        self.interval_minutes = interval_minutes
        queues: list[str] = []
        if self.results:
            queues = list(dict.fromkeys(str(q) for q in self.results[0].table["queue"]))
        current = self.queue_combo.currentData()
        self.queue_combo.blockSignals(True)
        self.queue_combo.clear()
        if len(queues) > 1:
            self.queue_combo.addItem(self.tr("All queues (added up)"), ALL_QUEUES)
        for q in queues:
            self.queue_combo.addItem(q, q)
        index = self.queue_combo.findData(current)
        self.queue_combo.setCurrentIndex(max(index, 0))
        self.queue_combo.blockSignals(False)
        self._draw()

    def _base_name(self) -> str:
        return str(self.results[0].name) if self.results else ""

    def _draw(self) -> None:
        plot = self.plot.getPlotItem()
        for curve in self.curves.values():
            plot.removeItem(curve)
        self.curves = {}
        self.series = {}
        self._x = np.zeros(0)
        if not self.results:
            self.hover.hide()
            return
        queue = self.queue
        by_name = {r.name: (i, r) for i, r in enumerate(self.results)}
        base = self.results[0]
        base_series = interval_series(base.table, queue)
        self._x = np.asarray(naive_to_epoch(base_series["interval_start"]), dtype=float)
        if self._x.size == 0:
            return
        edges = np.append(self._x, self._x[-1] + self.interval_minutes * 60.0)

        def step(name: str, y: np.ndarray, colour: str, dashed: bool = False) -> None:
            style = Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine
            item = pg.PlotDataItem(
                edges,
                np.asarray(y, dtype=float),
                stepMode="center",
                pen=pg.mkPen(colour, width=2, style=style),
                name=name,
                connect="finite",
            )
            plot.addItem(item)
            self.curves[name] = item

        self.series[base.name] = base_series
        step(
            self.tr("%1 (required)").replace("%1", base.name), base_series["required"], BASE_COLOUR
        )
        for name in self.shown:
            if name not in by_name:
                continue
            i, result = by_name[name]
            series = interval_series(result.table, queue)
            self.series[name] = series
            short = name if len(name) <= 28 else name[:27].rstrip() + "…"
            step(short, series["required"].to_numpy(dtype=float), scenario_colour(i))
        kept = base_series["heads_kept"].to_numpy(dtype=float)
        if np.isfinite(kept).any():
            self.series[self.tr("Current roster")] = base_series
            step(self.tr("Current roster (heads)"), kept, KEPT_COLOUR, dashed=True)
        plot.enableAutoRange()
        self.hover.refresh()

    def _colours(self) -> list[str | None]:
        return [str(c.opts["pen"].color().name()) for c in self.curves.values()]

    def describe(self, x: float) -> str | None:
        """The read-out for the interval under ``x``: every curve's value there."""
        xs = self._x
        if xs.size == 0:
            return None
        i = int(np.searchsorted(xs, x, side="right")) - 1
        if i < 0 or x >= xs[i] + self.interval_minutes * 60.0:
            return None
        start = pd.Timestamp(self.series[self._base_name()]["interval_start"].iloc[i])
        end = start + pd.Timedelta(minutes=self.interval_minutes)
        lines = [f"{fmt.day(start, with_weekday=True)} {start:%H:%M}–{end:%H:%M}"]
        for label, curve in self.curves.items():
            y = curve.yData
            value = float(y[i]) if y is not None and i < len(y) else float("nan")
            lines.append(f"{label}: {fmt.decimal(value, 1) if np.isfinite(value) else '–'}")
        return "\n".join(lines)


class SensitivityChart(QWidget):
    """A tornado: FTE change for −10 % and +10 % of volume, AHT and shrinkage."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.frame: pd.DataFrame | None = None
        self.factors: list[str] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.axis = CategoryAxis("left")
        self.plot = pg.PlotWidget(axisItems={"left": self.axis})
        item = self.plot.getPlotItem()
        item.setTitle(
            self.tr("Sensitivity: FTE change for −10 % / +10 %"), size="11pt", color="#222222"
        )
        item.showGrid(x=True, y=False, alpha=0.15)
        item.setLabel("bottom", self.tr("FTE change against the base"), color="#333333")
        self.axis.setWidth(90)
        legend = item.addLegend(offset=(-10, 10), labelTextSize="9pt", labelTextColor="#222222")
        legend.setBrush(pg.mkBrush(255, 255, 255, 215))
        self.minus_bars = pg.BarGraphItem(
            x0=[], y=[], width=[], height=0.35, brush=MINUS_COLOUR, name=self.tr("−10 %")
        )
        self.plus_bars = pg.BarGraphItem(
            x0=[], y=[], width=[], height=0.35, brush=PLUS_COLOUR, name=self.tr("+10 %")
        )
        item.addItem(self.minus_bars)
        item.addItem(self.plus_bars)
        self.zero_line = pg.InfiniteLine(angle=90, pos=0, movable=False, pen=pg.mkPen("#555555"))
        item.addItem(self.zero_line, ignoreBounds=True)
        self.value_labels: list[pg.TextItem] = []
        self.hover = PointHover(self.plot, self.describe)
        layout.addWidget(self.plot)
        #: FTE change per factor (rows in :attr:`factors` order) for the step down and up.
        self.changes: dict[str, np.ndarray] = {"minus": np.zeros(0), "plus": np.zeros(0)}

    def factor_name(self, factor: str) -> str:
        return {
            "volume": self.tr("Volume"),
            "aht": self.tr("AHT"),
            "shrinkage": self.tr("Shrinkage"),
        }.get(factor, factor)

    def set_data(self, frame: pd.DataFrame | None) -> None:
        """Show a :func:`~wfm.scenarios.evaluate.sensitivity` frame."""
        self.frame = frame
        item = self.plot.getPlotItem()
        for label in self.value_labels:
            item.removeItem(label)
        self.value_labels = []
        if frame is None or frame.empty:
            self.factors = []
            for bars in (self.minus_bars, self.plus_bars):
                bars.setOpts(x0=[], y=[], width=[])
            self.changes = {"minus": np.zeros(0), "plus": np.zeros(0)}
            return
        factors = list(dict.fromkeys(str(f) for f in frame["factor"]))
        swing = {
            f: float(frame.loc[frame["factor"] == f, "fte_change"].abs().max()) for f in factors
        }
        # The widest swing on top, as a tornado is read.
        factors.sort(key=lambda f: swing[f])
        self.factors = factors
        y = np.arange(len(factors), dtype=float)
        for key, sign, bars, offset in (
            ("minus", -1, self.minus_bars, 0.19),
            ("plus", 1, self.plus_bars, -0.19),
        ):
            values = np.array(
                [
                    float(
                        frame.loc[
                            (frame["factor"] == f) & (np.sign(frame["step"]) == sign), "fte_change"
                        ].iloc[0]
                    )
                    for f in factors
                ]
            )
            self.changes[key] = values
            bars.setOpts(
                x0=np.minimum(values, 0.0), y=y + offset, width=np.abs(values), height=0.35
            )
            for yi, v in zip(y + offset, values, strict=True):
                text = pg.TextItem(
                    _signed(v), color="#222222", anchor=(0, 0.5) if v >= 0 else (1, 0.5)
                )
                text.setPos(float(v), float(yi))
                item.addItem(text)
                self.value_labels.append(text)
        self.axis.set_names([self.factor_name(f) for f in factors])
        reach = max(1e-9, float(np.nanmax(np.abs(np.concatenate(list(self.changes.values()))))))
        item.setXRange(-reach * 1.35, reach * 1.35)
        item.setYRange(-0.7, len(factors) - 0.3)

    def describe(self, x: float, y: float) -> str | None:
        """The read-out for the factor at height ``y``: both steps' FTE change."""
        frame = self.frame
        i = int(round(y))
        if frame is None or not 0 <= i < len(self.factors) or abs(y - i) > 0.45:
            return None
        factor = self.factors[i]
        rows = frame[frame["factor"] == factor].sort_values("step")
        lines = [self.factor_name(factor)]
        for row in rows.itertuples(index=False):
            step = f"{row.step * 100:+.0f} %".replace("-", "−")
            lines.append(
                self.tr("%1: %2 FTE (%3 %), %4 FTE in all")
                .replace("%1", step)
                .replace("%2", _signed(row.fte_change))
                .replace("%3", _signed(row.fte_change_pct))
                .replace("%4", fmt.decimal(row.fte, 1))
            )
        return "\n".join(lines)
