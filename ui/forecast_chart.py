"""The forecast chart: recent history and the forecast of one queue on one time axis.

Draws what ``wfm`` hands over and nothing else: the history's offered calls, the forecast's
volume with its P10-P90 band (``volume_low``/``volume_high``), the model's own volume where the
planner overrode it (``volume_model``/``overridden`` from
:func:`wfm.forecast.overrides.apply_overrides`), and the calendar's holidays, events and
special days as shaded days. Daily totals come from :meth:`IntervalHistory.daily_totals` and
:meth:`Forecast.daily_totals`.

Mouse: drag to pan, wheel to zoom, double-click a day to zoom to it; the read-out follows the
cursor. With :meth:`ForecastChart.set_picking` a green region appears whose edges the planner
drags to choose the span of an override (snapped to whole intervals, or days in the daily
view).
"""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any

import numpy as np
import pandas as pd
import pyqtgraph as pg
from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ui import formatting as fmt
from ui.charts import HoverReadout, add_curve, make_plot, naive_to_epoch

#: Weeks of history drawn before the forecast.
HISTORY_WEEKS = 4
DAY = 86400.0

ACTUAL_COLOUR = "#3b3b3b"
FORECAST_COLOUR = "#4e79a7"
BAND_BRUSH = (78, 121, 167, 55)
OVERRIDE_COLOUR = "#e15759"
MODEL_COLOUR = "#8c8c8c"
REGION_BRUSHES = {
    "holiday": (225, 87, 89, 38),
    "event": (242, 142, 43, 40),
    "special": (176, 122, 161, 40),
}
REGION_TEXT = {"holiday": "#a23b3d", "event": "#b0600f", "special": "#7d4f72"}
PICK_BRUSH = (89, 161, 79, 70)


def _epoch(value: Any) -> float:
    return float(naive_to_epoch(pd.DatetimeIndex([pd.Timestamp(value)]))[0])


def _pydate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def _from_epoch(x: float) -> pd.Timestamp:
    return pd.Timestamp("1970-01-01") + pd.Timedelta(seconds=float(x))


class ForecastChart(QWidget):
    """Chart of history + forecast for the queue picked in its own toolbar."""

    #: The queue picked in the toolbar.
    queueChanged = Signal(str)  # noqa: N815 - Qt naming
    #: The span of the pick region changed: (start, end) as naive datetimes, end exclusive.
    rangePicked = Signal(object, object)  # noqa: N815 - Qt naming

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.history: Any = None
        self.forecast: Any = None
        self.calendar: Any = None
        self.interval_minutes = 30
        self.daily = False
        #: The table behind the read-out: x, when, actual, forecast, low, high, model, overridden.
        self.table = pd.DataFrame()
        self.curves: dict[str, pg.PlotDataItem] = {}
        self.band: pg.FillBetweenItem | None = None
        self.regions: list[tuple[str, str, pg.LinearRegionItem]] = []  # kind, label, item
        self._decor: list[Any] = []
        self._hover_colours: list[str | None] = []

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        bar = QHBoxLayout()
        bar.setSpacing(6)
        queue_label = QLabel(self.tr("&Queue:"))
        self.queue_combo = QComboBox()
        self.queue_combo.setMinimumContentsLength(10)
        self.queue_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        queue_label.setBuddy(self.queue_combo)
        bar.addWidget(queue_label)
        bar.addWidget(self.queue_combo)
        bar.addSpacing(12)
        self.interval_radio = QRadioButton(self.tr("&Intervals"))
        self.daily_radio = QRadioButton(self.tr("Dail&y totals"))
        self.interval_radio.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.interval_radio)
        group.addButton(self.daily_radio)
        bar.addWidget(self.interval_radio)
        bar.addWidget(self.daily_radio)
        bar.addSpacing(12)
        self.day_edit = QDateEdit()
        self.day_edit.setCalendarPopup(True)
        self.day_edit.setDisplayFormat("ddd d MMM yyyy")
        self.day_edit.setToolTip(self.tr("The day to zoom to"))
        self.zoom_day_button = QPushButton(self.tr("&Zoom to day"))
        self.zoom_day_button.setToolTip(
            self.tr("Show one day (or double-click a day on the chart)")
        )
        self.show_all_button = QPushButton(self.tr("Show &all"))
        self.show_all_button.setToolTip(self.tr("Show the recent history and the whole forecast"))
        bar.addWidget(self.day_edit)
        bar.addWidget(self.zoom_day_button)
        bar.addWidget(self.show_all_button)
        bar.addStretch(1)
        layout.addLayout(bar)

        # The legend is a line of text above the plot, not pyqtgraph's box inside it: the box
        # would hide the peaks, the day labels and the read-out at the top of the chart.
        keys = QHBoxLayout()
        self.legend_label = QLabel()
        self.legend_label.setTextFormat(Qt.TextFormat.RichText)
        keys.addWidget(self.legend_label, 1)
        self.hint_label = QLabel(
            self.tr("Drag to pan · wheel to zoom · double-click a day to zoom to it")
        )
        self.hint_label.setStyleSheet("color: #666666;")
        keys.addWidget(self.hint_label)
        layout.addLayout(keys)

        self.plot = make_plot(
            "",
            left_label=self.tr("calls per interval"),
            bottom_axis=pg.DateAxisItem(orientation="bottom", utcOffset=0),
        )
        self.plot.getPlotItem().setTitle(None)
        self.plot.setMinimumHeight(260)
        self.legend = self.plot.getPlotItem().legend
        self.legend.setVisible(False)
        self._keys: list[tuple[str, str]] = []  # (swatch html, name)
        self.hover = HoverReadout(self.plot, self.describe, lambda: self._hover_colours)
        layout.addWidget(self.plot, 1)

        self.pick_region = pg.LinearRegionItem(
            brush=pg.mkBrush(*PICK_BRUSH),
            pen=pg.mkPen("#2e7d32", width=2),
            movable=True,
        )
        self.pick_region.setZValue(50)
        self.pick_region.setVisible(False)
        self.plot.addItem(self.pick_region, ignoreBounds=True)
        self.pick_region.sigRegionChangeFinished.connect(self._pick_changed)

        self.queue_combo.currentTextChanged.connect(self._queue_selected)
        self.daily_radio.toggled.connect(self.set_daily)
        self.zoom_day_button.clicked.connect(
            lambda: self.zoom_to_day(_pydate(self.day_edit.date()))
        )
        self.show_all_button.clicked.connect(self.show_all)
        self.plot.scene().sigMouseClicked.connect(self._clicked)

    # --- state -------------------------------------------------------------------------------
    @property
    def selected_queue(self) -> str:
        return self.queue_combo.currentText()

    def set_queues(self, queues: list[str]) -> None:
        previous = self.queue_combo.currentText()
        self.queue_combo.blockSignals(True)
        self.queue_combo.clear()
        self.queue_combo.addItems(queues)
        if previous in queues:
            self.queue_combo.setCurrentText(previous)
        self.queue_combo.blockSignals(False)

    def set_data(
        self, history: Any, forecast: Any, calendar: Any, *, keep_view: bool = False
    ) -> None:
        """Show ``history`` (IntervalHistory), ``forecast`` (Forecast with overrides) and
        ``calendar``; ``keep_view`` keeps the zoom (after an override, not after a refit)."""
        self.history = history
        self.forecast = forecast
        self.calendar = calendar
        if history is not None:
            self.interval_minutes = history.interval_minutes
        elif forecast is not None:
            self.interval_minutes = forecast.interval_minutes
        self.redraw(keep_view=keep_view)

    def set_daily(self, daily: bool) -> None:
        if daily != self.daily_radio.isChecked():
            self.daily_radio.setChecked(daily)  # comes back here through toggled
            return
        self.daily = daily
        self.plot.getPlotItem().setLabel(
            "left", self.tr("calls per day") if daily else self.tr("calls per interval")
        )
        self.redraw()

    def _queue_selected(self, queue: str) -> None:
        if queue:
            self.redraw()
            self.queueChanged.emit(queue)

    # --- drawing -----------------------------------------------------------------------------
    def _clear(self) -> None:
        item = self.plot.getPlotItem()
        for curve in self.curves.values():
            item.removeItem(curve)
        self.curves.clear()
        if self.band is not None:
            item.removeItem(self.band)
            self.band = None
        for _, _, region in self.regions:
            item.removeItem(region)
        self.regions.clear()
        for extra in self._decor:
            item.removeItem(extra)
        self._decor.clear()
        self.legend.clear()
        self._keys = []
        self.legend_label.clear()
        self.table = pd.DataFrame()
        self.hover.hide()

    def redraw(self, keep_view: bool = False) -> None:
        view = self.plot.getPlotItem().getViewBox()
        previous = view.viewRange()
        self._clear()
        queue = self.selected_queue
        if not queue or (self.history is None and self.forecast is None):
            return
        table = self._build_table(queue)
        self.table = table
        if table.empty:
            return
        x = table["x"].to_numpy(dtype=float)
        self.curves["actual"] = add_curve(
            self.plot,
            x,
            table["actual"].to_numpy(dtype=float),
            name=self.tr("Actual"),
            colour=ACTUAL_COLOUR,
        )
        self.curves["actual"].setZValue(10)
        self._key_line(ACTUAL_COLOUR, self.tr("Actual"))
        if table["forecast"].notna().any():
            clear = pg.mkPen((0, 0, 0, 0))  # drawn, so that auto-range sees them, but unseen
            low = pg.PlotDataItem(
                x, table["low"].to_numpy(dtype=float), pen=clear, connect="finite"
            )
            high = pg.PlotDataItem(
                x, table["high"].to_numpy(dtype=float), pen=clear, connect="finite"
            )
            self.curves["low"], self.curves["high"] = low, high
            # The bounds come from the (invisible) P10/P90 curves: the fill item reports an
            # empty rectangle at the origin, which would stretch auto-range back to 1970.
            self.plot.addItem(low)
            self.plot.addItem(high)
            self.band = pg.FillBetweenItem(low, high, brush=pg.mkBrush(*BAND_BRUSH))
            self.band.setZValue(5)
            self.plot.addItem(self.band, ignoreBounds=True)
            self.curves["forecast"] = add_curve(
                self.plot,
                x,
                table["forecast"].to_numpy(dtype=float),
                name=self.tr("Forecast"),
                colour=FORECAST_COLOUR,
            )
            self.curves["forecast"].setZValue(20)
            self._key_line(FORECAST_COLOUR, self.tr("Forecast"))
            self._key_box(BAND_BRUSH, self.tr("P10–P90"))
            marked = table["overridden"].to_numpy(dtype=bool)
            if marked.any():
                # Overridden stretches in red over the forecast, the model's value dashed; dots
                # too (unless there are very many) so that a single interval is visible.
                y_over = np.where(marked, table["forecast"].to_numpy(dtype=float), np.nan)
                y_model = np.where(marked, table["model"].to_numpy(dtype=float), np.nan)
                dots = int(marked.sum()) <= 400
                self.curves["model"] = add_curve(
                    self.plot,
                    x,
                    y_model,
                    name=self.tr("Model (before override)"),
                    colour=MODEL_COLOUR,
                    dashed=True,
                )
                if dots:
                    self.curves["model"].setSymbol("o")
                    self.curves["model"].setSymbolSize(6)
                    self.curves["model"].setSymbolPen(pg.mkPen(MODEL_COLOUR))
                    self.curves["model"].setSymbolBrush(pg.mkBrush(255, 255, 255))
                self.curves["model"].setZValue(15)
                over = self.plot.plot(
                    x,
                    y_over,
                    pen=pg.mkPen(OVERRIDE_COLOUR, width=3),
                    name=self.tr("Overridden"),
                    connect="finite",
                    symbol="o" if dots else None,
                    symbolSize=6,
                    symbolBrush=OVERRIDE_COLOUR,
                    symbolPen=None,
                )
                over.setZValue(25)
                self._key_line(OVERRIDE_COLOUR, self.tr("Overridden"), mark="●")
                self._key_line(MODEL_COLOUR, self.tr("Model (before override)"), dashed=True)
                self.curves["overridden"] = over
            start = self.forecast.start if self.forecast is not None else None
            if start is not None:
                line = pg.InfiniteLine(
                    pos=_epoch(start),
                    angle=90,
                    movable=False,
                    pen=pg.mkPen("#4e79a7", width=1, style=Qt.PenStyle.DashLine),
                    label=self.tr("forecast ▸"),
                    labelOpts={"position": 0.96, "color": "#4e79a7", "anchors": [(0, 0), (0, 0)]},
                )
                self.plot.addItem(line, ignoreBounds=True)
                self._decor.append(line)
        self._draw_calendar(queue, x.min() - (DAY / 2 if self.daily else 0), x.max() + DAY / 2)
        self._show_keys()
        if keep_view:
            view.setRange(xRange=previous[0], yRange=previous[1], padding=0)
        else:
            self.show_all()

    def _build_table(self, queue: str) -> pd.DataFrame:
        """History and forecast of ``queue`` side by side, one row per interval (or day)."""
        fc = self.forecast
        hist = self.history
        cols = ["when", "actual", "forecast", "low", "high", "model", "overridden"]
        if fc is not None:
            first = pd.Timestamp(fc.start) - pd.Timedelta(weeks=HISTORY_WEEKS)
        elif hist is not None:
            first = hist.end.normalize() - pd.Timedelta(weeks=HISTORY_WEEKS) + pd.Timedelta(days=1)
        else:
            return pd.DataFrame(columns=["x", *cols])
        parts = []
        if hist is not None:
            if self.daily:
                d = hist.daily_totals()
                d = d[(d["queue"] == queue) & (d["date"] >= first.normalize())]
                parts.append(
                    pd.DataFrame({"when": d["date"], "actual": d["offered"].to_numpy(dtype=float)})
                )
            else:
                f = hist.frame
                f = f[(f["queue"] == queue) & (f["interval_start"] >= first)]
                parts.append(
                    pd.DataFrame(
                        {
                            "when": f["interval_start"].to_numpy(),
                            "actual": f["offered"].to_numpy(dtype=float),
                        }
                    )
                )
        frame = (
            parts[0]
            if parts
            else pd.DataFrame({"when": pd.Series(dtype="datetime64[ns]"), "actual": []})
        )
        frame["when"] = pd.to_datetime(frame["when"]).astype("datetime64[ns]")
        if fc is not None:
            ff = fc.frame[fc.frame["queue"] == queue]
            has_model = "volume_model" in ff.columns
            if self.daily:
                d = fc.daily_totals()
                d = d[d["queue"] == queue]
                model = (
                    ff.assign(date=ff["interval_start"].dt.normalize())
                    .groupby("date", sort=True)
                    .agg(model=("volume_model", "sum"), overridden=("overridden", "any"))
                    if has_model
                    else None
                )
                fpart = pd.DataFrame(
                    {
                        "when": d["date"].to_numpy(),
                        "forecast": d["volume"].to_numpy(dtype=float),
                        "low": d["volume_low"].to_numpy(dtype=float),
                        "high": d["volume_high"].to_numpy(dtype=float),
                    }
                )
                if model is not None:
                    fpart["model"] = (
                        model["model"].reindex(pd.DatetimeIndex(fpart["when"])).to_numpy()
                    )
                    fpart["overridden"] = (
                        model["overridden"]
                        .reindex(pd.DatetimeIndex(fpart["when"]))
                        .fillna(False)
                        .to_numpy()
                    )
            else:
                fpart = pd.DataFrame(
                    {
                        "when": ff["interval_start"].to_numpy(),
                        "forecast": ff["volume"].to_numpy(dtype=float),
                        "low": ff["volume_low"].to_numpy(dtype=float),
                        "high": ff["volume_high"].to_numpy(dtype=float),
                    }
                )
                if has_model:
                    fpart["model"] = ff["volume_model"].to_numpy(dtype=float)
                    fpart["overridden"] = ff["overridden"].to_numpy(dtype=bool)
            fpart["when"] = pd.to_datetime(fpart["when"]).astype("datetime64[ns]")
            frame = frame.merge(fpart, on="when", how="outer")
        for col in cols:
            if col not in frame.columns:
                frame[col] = np.nan
        frame["overridden"] = frame["overridden"].astype("boolean").fillna(False).astype(bool)
        frame = frame.sort_values("when").reset_index(drop=True)
        x = naive_to_epoch(frame["when"])
        if self.daily:
            x = x + DAY / 2  # a day's total sits in the middle of its day
        frame.insert(0, "x", np.asarray(x, dtype=float))
        return frame[["x", *cols]]

    def _draw_calendar(self, queue: str, x0: float, x1: float) -> None:
        """Shade holidays, events and special days that fall in [x0, x1]."""
        cal = self.calendar
        if cal is None:
            return
        first = _from_epoch(x0).date()
        last = _from_epoch(x1).date()
        marks: list[tuple[str, str, dt.date, dt.date]] = []
        try:
            holidays = cal.holidays(first, last)
        except Exception:  # noqa: BLE001 - an unknown country is reported where it is chosen
            holidays = {}
        marks += [("holiday", name, day, day) for day, name in holidays.items()]
        for event in cal.events:
            if not event.applies_to(queue):
                continue
            a, b = event.span()
            if b >= first and a <= last:
                marks.append(("event", event.name, a, b))
        for special in cal.special_days:
            if special.applies_to(queue) and first <= special.day <= last:
                marks.append(("special", special.name, special.day, special.day))
        seen: set[str] = set()
        # Labels of days close together (Christmas, Boxing Day, its substitute) go on
        # staggered heights so that they do not print over each other.
        marks.sort(key=lambda m: m[2])
        level, previous = 0, None
        for kind, name, a, b in marks:
            level = (level + 1) % 3 if previous is not None and (a - previous).days < 7 else 0
            previous = a
            left = _epoch(a)
            right = _epoch(b) + DAY
            region = pg.LinearRegionItem(
                values=(left, right),
                movable=False,
                brush=pg.mkBrush(*REGION_BRUSHES[kind]),
                pen=pg.mkPen(None),
            )
            region.setZValue(-10)
            for line in region.lines:
                line.setPen(pg.mkPen(None))
                line.setHoverPen(pg.mkPen(None))
            self.plot.addItem(region, ignoreBounds=True)
            self.regions.append((kind, name, region))
            label = pg.InfiniteLine(
                pos=left,
                angle=90,
                movable=False,
                pen=pg.mkPen(None),
                label=name,
                labelOpts={
                    "position": 0.89 - 0.07 * level,
                    "color": REGION_TEXT[kind],
                    "anchors": [(0, 0.5), (0, 0.5)],
                    "fill": pg.mkBrush(255, 255, 255, 170),
                },
            )
            self.plot.addItem(label, ignoreBounds=True)
            self._decor.append(label)
            if kind not in seen:
                seen.add(kind)
                names = {
                    "holiday": self.tr("Holiday"),
                    "event": self.tr("Event"),
                    "special": self.tr("Special day"),
                }
                self._key_box(REGION_BRUSHES[kind][:3] + (110,), names[kind])

    # --- legend -------------------------------------------------------------------------------
    def _key_line(self, colour: str, name: str, *, dashed: bool = False, mark: str = "") -> None:
        line = "╌╌" if dashed else "━━"
        if mark:
            line = f"━{mark}━"
        self._keys.append((f"<span style='color:{colour}; font-weight:bold'>{line}</span>", name))

    def _key_box(self, rgba: tuple[int, ...], name: str) -> None:
        r, g, b, a = rgba
        alpha = a / 255.0
        mixed = "#" + "".join(f"{round(c * alpha + 255 * (1 - alpha)):02x}" for c in (r, g, b))
        swatch = f"<span style='background-color:{mixed}'>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;</span>"
        self._keys.append((swatch, name))

    @property
    def legend_names(self) -> list[str]:
        """The names in the legend line, in order (for tests and screen readers)."""
        return [name for _, name in self._keys]

    def _show_keys(self) -> None:
        self.legend_label.setText(
            " &nbsp;&nbsp; ".join(f"{swatch}&nbsp;{escape(name)}" for swatch, name in self._keys)
        )

    # --- view ----------------------------------------------------------------------------------
    def show_all(self) -> None:
        item = self.plot.getPlotItem()
        item.getViewBox().setAutoVisible(y=True)
        item.enableAutoRange()

    def zoom_to_day(self, day: dt.date) -> None:
        """Show ``day`` from 00:00 to 24:00 (the week around it in the daily view)."""
        left = _epoch(day)
        view = self.plot.getPlotItem().getViewBox()
        view.setAutoVisible(y=True)
        if self.daily:
            view.setXRange(left - 3 * DAY, left + 4 * DAY, padding=0)
        else:
            view.setXRange(left, left + DAY, padding=0)
        view.enableAutoRange(axis=pg.ViewBox.YAxis)
        self.day_edit.setDate(fmt.qdate(day))

    @property
    def _step(self) -> float:
        """Seconds between two points: a day in the daily view, else an interval."""
        return DAY if self.daily else self.interval_minutes * 60.0

    def visible_range(self) -> tuple[float, float]:
        (x0, x1), _ = self.plot.getPlotItem().getViewBox().viewRange()
        return float(x0), float(x1)

    def _clicked(self, event: Any) -> None:
        if not event.double() or event.button() != Qt.MouseButton.LeftButton:
            return
        view = self.plot.getPlotItem().getViewBox()
        if not view.sceneBoundingRect().contains(event.scenePos()):
            return
        x = view.mapSceneToView(event.scenePos()).x()
        self.zoom_to_day(_from_epoch(x).date())
        event.accept()

    # --- picking a span -------------------------------------------------------------------------
    def set_picking(self, on: bool, start: Any = None, end: Any = None) -> None:
        """Show (or hide) the draggable region; put it on [start, end) or mid-view."""
        if on:
            if start is not None and end is not None:
                a, b = _epoch(start), _epoch(end)
            else:
                x0, x1 = self.visible_range()
                step = self._step
                a = np.floor((x0 + (x1 - x0) * 0.4) / step) * step
                b = a + max(step, np.floor((x1 - x0) * 0.2 / step) * step)
            self.pick_region.blockSignals(True)
            self.pick_region.setRegion((a, b))
            self.pick_region.blockSignals(False)
        self.pick_region.setVisible(on)
        if on:
            self._pick_changed()

    def picked_span(self) -> tuple[pd.Timestamp, pd.Timestamp]:
        """The pick region snapped to whole intervals (whole days in the daily view)."""
        a, b = self.pick_region.getRegion()
        step = self._step
        left = np.round(a / step) * step
        right = max(left + step, np.round(b / step) * step)
        return _from_epoch(left), _from_epoch(right)

    def _pick_changed(self) -> None:
        if not self.pick_region.isVisible():
            return
        start, end = self.picked_span()
        self.pick_region.blockSignals(True)
        self.pick_region.setRegion((_epoch(start), _epoch(end)))
        self.pick_region.blockSignals(False)
        self.rangePicked.emit(start.to_pydatetime(), end.to_pydatetime())

    # --- read-out -------------------------------------------------------------------------------
    def describe(self, x: float) -> str | None:
        table = self.table
        if table.empty:
            return None
        xs = table["x"].to_numpy(dtype=float)
        i = int(np.argmin(np.abs(xs - x)))
        step = self._step
        if abs(xs[i] - x) > step:
            return None
        row = table.iloc[i]
        when = pd.Timestamp(row["when"])
        if self.daily:
            head = fmt.day(when, with_weekday=True)
        else:
            end = when + pd.Timedelta(minutes=self.interval_minutes)
            head = f"{fmt.day(when, with_weekday=True)} {when:%H:%M}–{end:%H:%M}"
        lines = [head]
        colours: list[str | None] = []

        def add(label: str, value: Any, colour: str | None) -> None:
            lines.append(f"{label}: {fmt.decimal(value)}")
            colours.append(colour)

        if pd.notna(row["actual"]):
            add(self.tr("Actual"), row["actual"], ACTUAL_COLOUR)
        if pd.notna(row["forecast"]):
            add(
                self.tr("Forecast"),
                row["forecast"],
                OVERRIDE_COLOUR if row["overridden"] else FORECAST_COLOUR,
            )
            add(self.tr("P10"), row["low"], None)
            add(self.tr("P90"), row["high"], None)
            if row["overridden"]:
                add(self.tr("Model (before override)"), row["model"], MODEL_COLOUR)
        for kind, name, region in self.regions:
            a, b = region.getRegion()
            if a <= xs[i] < b or (self.daily and a <= xs[i] - DAY / 2 < b):
                lines.append(name)
                colours.append(REGION_TEXT[kind])
        self._hover_colours = colours
        return "\n".join(lines)
