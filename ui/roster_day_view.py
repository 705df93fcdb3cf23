"""The roster's day view: one row per agent with their shift as a bar and its breaks inside,
and under it the required against the scheduled heads per interval of that day.

Bars are drawn in a ``QGraphicsScene``; the mouse is handled by the view, not the items, so
the bars can be redrawn from the roster after every step of a drag without losing the drag:

- drag a bar's body to move the shift (``MoveShift``), an edge to stretch it
  (``ResizeShift``), a break to move the break (``MoveBreak``); every move snaps to
  :data:`SNAP_MINUTES`;
- each snap step is pushed at once (the grid, the curve and the summary follow the mouse),
  and all steps of one drag share a session so the undo stack merges them into one entry.

:meth:`RosterDayView.begin_drag`, :meth:`~RosterDayView.drag_by` and
:meth:`~RosterDayView.end_drag` are what the mouse calls; tests and keyboard code can call
them too. The curve comes from ``editor.coverage`` (``wfm.roster.coverage``): nothing is
computed here but the drawing.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QFont, QMouseEvent, QPainter, QPen, QResizeEvent
from PySide6.QtWidgets import (
    QGraphicsScene,
    QGraphicsView,
    QLabel,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ui.charts import HoverReadout, TimeOfDayAxis, format_minutes, make_plot
from ui.roster_model import LEAVE_COLOUR, VIOLATION_COLOUR, WEEK_RULES, template_colour
from ui.roster_undo import new_session
from wfm.scheduling.model import Agent

SNAP_MINUTES = 15
ROW_HEIGHT = 22
LABEL_WIDTH = 150
EDGE_PIXELS = 6
BREAK_COLOUR = "#5f6b76"
REQUIRED_COLOUR = "#222222"
SCHEDULED_COLOUR = "#4e79a7"

PushFn = Callable[[Any, "int | None"], bool]


class _Drag:
    """One drag in progress: what is dragged and how far it has been applied."""

    def __init__(self, agent: str, part: str, index: int, shift: Any) -> None:
        self.agent = agent
        self.part = part  # "move" | "start" | "end" | "break"
        self.index = index
        self.shift = shift  # the shift as it was when the drag began
        self.applied = 0  # minutes already pushed
        self.session = new_session()


class _BarsView(QGraphicsView):
    """The bars; forwards mouse drags to its :class:`RosterDayView`."""

    def __init__(self, owner: RosterDayView) -> None:
        super().__init__()
        self.owner = owner
        self.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMouseTracking(True)
        self._press_x = 0.0

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.owner.relayout()
        QTimer.singleShot(0, self.owner.align_curve)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            pos = self.mapToScene(event.position().toPoint())
            hit = self.owner.hit(pos)
            if hit is not None:
                self._press_x = pos.x()
                self.owner.begin_drag(*hit)
                event.accept()
                return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        pos = self.mapToScene(event.position().toPoint())
        if self.owner.drag is not None:
            self.owner.drag_by((pos.x() - self._press_x) / self.owner.pixels_per_minute)
            event.accept()
            return
        hit = self.owner.hit(pos)
        cursor = Qt.CursorShape.ArrowCursor
        if hit is not None:
            cursor = (
                Qt.CursorShape.SizeHorCursor
                if hit[1] in ("start", "end")
                else Qt.CursorShape.OpenHandCursor
            )
        self.viewport().setCursor(cursor)
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self.owner.drag is not None:
            self.owner.end_drag()
            event.accept()
            return
        super().mouseReleaseEvent(event)


class RosterDayView(QWidget):
    """Agents x time of day for one date, and the day's required vs scheduled curve.

    ``push(command, session)`` is how an edit reaches the undo stack (the page's
    :meth:`~ui.roster_model.RosterTableModel.push`).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor: Any = None
        self.push: PushFn | None = None
        self.day: dt.date | None = None
        self.agents: list[Agent] = []
        self.drag: _Drag | None = None
        self.lo, self.hi = 7 * 60, 21 * 60
        self.pixels_per_minute = 1.0
        self._items: dict[str, list[Any]] = {}
        self._row_of: dict[str, int] = {}
        self._grid_items: list[Any] = []
        self._required = np.zeros(0)
        self._scheduled = np.zeros(0)
        self._interval = 30

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.title)
        splitter = QSplitter(Qt.Orientation.Vertical)
        self.scene = QGraphicsScene(self)
        self.view = _BarsView(self)
        self.view.setScene(self.scene)
        splitter.addWidget(self.view)
        self.plot = make_plot(
            "", left_label=self.tr("Heads"), bottom_axis=TimeOfDayAxis(orientation="bottom")
        )
        # Line the curve's time axis up under the bars: the axis takes the names' width and
        # the right margin the bars' scroll bar.
        item = self.plot.getPlotItem()
        item.getAxis("left").setWidth(LABEL_WIDTH - 8)
        item.layout.setContentsMargins(0, 4, self.view.verticalScrollBar().sizeHint().width(), 4)
        if item.legend is not None:
            # Top right: the evening tail of a day's curve is low, the morning ramp is not.
            item.legend.anchor((1, 0), (1, 0), offset=(-8, 4))
        item.setMouseEnabled(x=False, y=False)
        self.plot.setMinimumHeight(170)
        item.hideButtons()
        self.required_curve = self.plot.plot(
            pen=pg.mkPen(REQUIRED_COLOUR, width=2), name=self.tr("Required")
        )
        self.scheduled_curve = self.plot.plot(
            pen=pg.mkPen(SCHEDULED_COLOUR, width=2),
            fillLevel=0,
            brush=pg.mkBrush(78, 121, 167, 50),
            name=self.tr("Scheduled"),
        )
        self.hover = HoverReadout(
            self.plot, self._describe, lambda: (REQUIRED_COLOUR, SCHEDULED_COLOUR)
        )
        splitter.addWidget(self.plot)
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 2)
        if item.legend is not None:
            item.legend.setColumnCount(2)  # one line: less of the curve hidden under it
        layout.addWidget(splitter, 1)

    # --- inputs ------------------------------------------------------------------------------
    def set_editor(self, editor: Any, push: PushFn) -> None:
        self.editor = editor
        self.push = push
        self.drag = None
        self._set_range()
        self.redraw()

    def set_day(self, day: dt.date | None) -> None:
        if day == self.day:
            return
        self.day = day
        self.drag = None
        self._set_range()
        self.redraw()

    def set_agents(self, agents: Iterable[Agent]) -> None:
        self.agents = list(agents)
        self._row_of = {a.name: i for i, a in enumerate(self.agents)}
        self.redraw()

    def refresh(self, cells: Iterable[tuple[str, dt.date]] | None = None) -> None:
        """Redraw after an edit of ``cells`` (all rows when None)."""
        if cells is None:
            self.redraw()
            return
        touched = {agent for agent, day in cells if day == self.day}
        if touched and self.drag is None and self._outside(touched):
            # A shift now starts or ends beyond the hours shown (typed in the grid):
            # widen the hours. Not during a drag, or the bar would jump under the mouse.
            self._set_range()
            self.redraw()
            return
        for agent in touched:
            self._draw_row(agent)
        self._draw_curve()

    def _outside(self, agents: Iterable[str]) -> bool:
        roster = self.editor.roster if self.editor is not None else None
        if roster is None or self.day is None:
            return False
        for agent in agents:
            s = roster.shift(agent, self.day)
            if s is not None and (s.start < self.lo or s.end > self.hi):
                return True
        return False

    # --- geometry ------------------------------------------------------------------------------
    def _set_range(self) -> None:
        """The hours shown: the day's requirement and shifts, an hour either side."""
        lo, hi = 24 * 60, 0
        roster = self.editor.roster if self.editor is not None else None
        if roster is not None and self.day is not None:
            for (_, d), s in roster.shifts.items():
                if d == self.day:
                    lo, hi = min(lo, s.start), max(hi, s.end)
            need = self.editor.need
            if need is not None:
                i = (self.day - need.start).days
                if 0 <= i < need.days:
                    open_ = np.flatnonzero(need.total()[i] > 0)
                    if open_.size:
                        lo = min(lo, int(open_[0]) * need.interval_minutes)
                        hi = max(hi, int(open_[-1] + 1) * need.interval_minutes)
        if lo >= hi:
            lo, hi = 7 * 60, 21 * 60
        self.lo = max(0, (lo // 60 - 1) * 60)
        self.hi = min(48 * 60, (math.ceil(hi / 60) + 1) * 60)
        self.pixels_per_minute = self._fit()

    def _fit(self) -> float:
        """Pixels per minute that fit ``lo .. hi`` in the view's width."""
        width = max(200, self.view.viewport().width() - LABEL_WIDTH - 4)
        return width / max(60, self.hi - self.lo)

    def relayout(self) -> None:
        ppm = self._fit()
        if not math.isclose(ppm, self.pixels_per_minute):
            self.pixels_per_minute = ppm
            self.redraw()

    def align_curve(self) -> None:
        """Line the curve's time axis up with the bars' (their frames and scroll bar differ
        with the style, so it is measured, not assumed)."""
        item = self.plot.getPlotItem()
        box = item.getViewBox().sceneBoundingRect()
        if not self.isVisible() or box.width() <= 0:
            return
        left = self.plot.mapTo(self, QPoint(round(box.left()), 0)).x()
        right = self.plot.mapTo(self, QPoint(round(box.right()), 0)).x()
        port = self.view.viewport()
        bars_left = port.mapTo(self, self.view.mapFromScene(QPointF(self.x_of(self.lo), 0))).x()
        bars_right = port.mapTo(self, self.view.mapFromScene(QPointF(self.x_of(self.hi), 0))).x()
        dl, dr = bars_left - left, bars_right - right
        if dl == 0 and dr == 0:
            return
        axis = item.getAxis("left")
        axis.setWidth(max(20, int(axis.width()) + dl))
        ml, mt, mr, mb = item.layout.getContentsMargins()
        item.layout.setContentsMargins(ml, mt, max(0.0, mr - dr), mb)

    def x_of(self, minutes: float) -> float:
        return LABEL_WIDTH + (minutes - self.lo) * self.pixels_per_minute

    def minutes_at(self, x: float) -> float:
        return self.lo + (x - LABEL_WIDTH) / self.pixels_per_minute

    def hit(self, pos: QPointF) -> tuple[str, str, int] | None:
        """``(agent, part, break index)`` under a scene point, or None."""
        if self.editor is None or self.day is None or pos.x() < LABEL_WIDTH:
            return None
        row = int(pos.y() // ROW_HEIGHT)
        if not 0 <= row < len(self.agents):
            return None
        agent = self.agents[row].name
        shift = self.editor.roster.shift(agent, self.day)
        if shift is None:
            return None
        x0, x1 = self.x_of(shift.start), self.x_of(shift.end)
        if not x0 - EDGE_PIXELS <= pos.x() <= x1 + EDGE_PIXELS:
            return None
        if abs(pos.x() - x0) <= EDGE_PIXELS:
            return agent, "start", -1
        if abs(pos.x() - x1) <= EDGE_PIXELS:
            return agent, "end", -1
        minute = self.minutes_at(pos.x())
        for i, b in enumerate(shift.breaks):
            if b.start <= minute <= b.end:
                return agent, "break", i
        return agent, "move", -1

    # --- dragging ------------------------------------------------------------------------------
    def begin_drag(self, agent: str, part: str, index: int = -1) -> None:
        """Start dragging ``agent``'s shift on the view's day: ``part`` is ``move``,
        ``start``, ``end`` or ``break`` (with the break's ``index``)."""
        if self.editor is None or self.day is None:
            return
        shift = self.editor.roster.shift(agent, self.day)
        if shift is None:
            return
        self.drag = _Drag(agent, part, index, shift)

    def drag_by(self, minutes: float) -> bool:
        """Move the dragged part to ``minutes`` from where the drag began (snapped); True
        when the roster changed."""
        drag = self.drag
        if drag is None or self.push is None or self.day is None:
            return False
        offset = int(round(minutes / SNAP_MINUTES)) * SNAP_MINUTES
        if offset == drag.applied:
            return False
        from wfm.roster import commands as cmd

        s, day = drag.shift, self.day
        if drag.part == "move":
            command: Any = cmd.MoveShift(
                agent=drag.agent, day=day, delta_minutes=offset - drag.applied
            )
        elif drag.part == "start":
            start = min(s.start + offset, s.end - SNAP_MINUTES)
            command = cmd.ResizeShift(agent=drag.agent, day=day, start=start, end=s.end)
        elif drag.part == "end":
            end = max(s.end + offset, s.start + SNAP_MINUTES)
            command = cmd.ResizeShift(agent=drag.agent, day=day, start=s.start, end=end)
        else:
            b = s.breaks[drag.index]
            command = cmd.MoveBreak(
                agent=drag.agent, day=day, index=drag.index, start=b.start + offset
            )
        if self.push(command, drag.session):
            drag.applied = offset
            return True
        return False

    def end_drag(self) -> None:
        self.drag = None

    # --- drawing -------------------------------------------------------------------------------
    def redraw(self) -> None:
        self.scene.clear()
        self._items = {}
        self._grid_items = []
        roster = self.editor.roster if self.editor is not None else None
        height = max(1, len(self.agents)) * ROW_HEIGHT
        right = self.x_of(self.hi)
        self.scene.setSceneRect(QRectF(0, 0, right + 2, height))
        if roster is None or self.day is None:
            self.title.setText(self.tr("No day chosen."))
            self._draw_curve()
            return
        self.title.setText(
            self.tr(
                "<b>%1</b> — drag a shift to move it, its edge to stretch it, a break to "
                "move the break (15-minute steps)"
            ).replace("%1", f"{self.day:%A %d %B %Y}")
        )
        grid_pen = QPen(QColor("#e3e3e3"))
        label_font = QFont()
        label_font.setPointSize(8)
        for hour in range(self.lo, self.hi + 1, 60):
            x = self.x_of(hour)
            line = self.scene.addLine(x, 0, x, height, grid_pen)
            line.setZValue(-2)
        for row, _agent in enumerate(self.agents):
            if row % 2:
                stripe = self.scene.addRect(
                    QRectF(0, row * ROW_HEIGHT, right, ROW_HEIGHT),
                    QPen(Qt.PenStyle.NoPen),
                    QBrush(QColor("#f7f7f7")),
                )
                stripe.setZValue(-3)
        for agent in self.agents:
            self._draw_row(agent.name)
        self._draw_curve()

    def _draw_row(self, agent: str) -> None:
        for item in self._items.pop(agent, []):
            self.scene.removeItem(item)
        row = self._row_of.get(agent)
        if row is None or self.editor is None or self.day is None:
            return
        roster = self.editor.roster
        y = row * ROW_HEIGHT
        items: list[Any] = []
        font = QFont()
        font.setPointSize(8)
        label = self.scene.addSimpleText(agent, font)
        label.setPos(4, y + (ROW_HEIGHT - label.boundingRect().height()) / 2)
        items.append(label)
        cell = (agent, self.day)
        shift = roster.shift(agent, self.day)
        violations = self.editor.violations_of(agent, self.day) if shift is not None else []
        day_rules = [v for v in violations if v.rule not in WEEK_RULES]
        if shift is not None:
            colour = QColor(template_colour(self._template_index(shift.template)))
            pen = QPen(QColor(VIOLATION_COLOUR), 2) if day_rules else QPen(colour.darker(140))
            if cell in roster.locks:
                pen = QPen(QColor("#222222"), 2)
            # Clipped to the hours shown, never over the names.
            x0 = self.x_of(max(shift.start, self.lo))
            x1 = max(x0 + 2, self.x_of(min(shift.end, self.hi)))
            bar = self.scene.addRect(QRectF(x0, y + 3, x1 - x0, ROW_HEIGHT - 6), pen, colour)
            tip = [f"{agent}: {shift.label()}" + (f" ({shift.template})" if shift.template else "")]
            tip += [f"{b.kind} {b.label()}" for b in shift.breaks]
            tip += ["⚠ " + v.message for v in violations]
            bar.setToolTip("\n".join(tip))
            items.append(bar)
            for b in shift.breaks:
                bx0, bx1 = self.x_of(b.start), self.x_of(b.end)
                rect = self.scene.addRect(
                    QRectF(bx0, y + 5, bx1 - bx0, ROW_HEIGHT - 10),
                    QPen(Qt.PenStyle.NoPen),
                    QBrush(QColor(BREAK_COLOUR)),
                )
                rect.setToolTip(f"{b.kind} {b.label()}")
                items.append(rect)
            text = self.scene.addSimpleText(shift.label(), font)
            text.setBrush(QBrush(QColor("#222222")))
            text.setPos(x1 + 4, y + (ROW_HEIGHT - text.boundingRect().height()) / 2)
            items.append(text)
        elif cell not in roster.leave:
            text = self.scene.addSimpleText(self.tr("Off"), font)
            text.setBrush(QBrush(QColor("#9a9a9a")))
            text.setPos(self.x_of(self.lo) + 4, y + (ROW_HEIGHT - text.boundingRect().height()) / 2)
            items.append(text)
        else:
            rect = self.scene.addRect(
                QRectF(
                    self.x_of(self.lo),
                    y + 3,
                    self.x_of(self.hi) - self.x_of(self.lo),
                    ROW_HEIGHT - 6,
                ),
                QPen(Qt.PenStyle.NoPen),
                QBrush(QColor(LEAVE_COLOUR)),
            )
            items.append(rect)
            text = self.scene.addSimpleText(roster.leave[cell].title(), font)
            text.setPos(self.x_of(self.lo) + 4, y + 4)
            items.append(text)
        self._items[agent] = items

    def _template_index(self, name: str) -> int:
        if self.editor is None:
            return -1
        for i, t in enumerate(self.editor.roster.setup.templates):
            if t.name.lower() == name.lower():
                return i
        return -1

    def _draw_curve(self) -> None:
        editor = self.editor
        need = editor.need if editor is not None else None
        if need is None or self.day is None or not 0 <= (self.day - need.start).days < need.days:
            self.required_curve.clear()
            self.scheduled_curve.clear()
            self._required = self._scheduled = np.zeros(0)
            self.plot.getPlotItem().setTitle(self.tr("No requirement for this day"), size="10pt")
            return
        i = (self.day - need.start).days
        cov = editor.coverage
        self._interval = need.interval_minutes
        self._required = need.total()[i]
        self._scheduled = cov.scheduled[i] if cov is not None else np.zeros_like(self._required)
        edges = np.arange(need.intervals_per_day + 1, dtype=float) * need.interval_minutes
        self.required_curve.setData(edges, self._required, stepMode="center")
        self.scheduled_curve.setData(edges, self._scheduled, stepMode="center")
        self.plot.getPlotItem().setTitle(
            self.tr("Required vs scheduled heads on the phones"), size="10pt", color="#222222"
        )
        self.plot.setXRange(self.lo, self.hi, padding=0)
        self.hover.refresh()

    def _describe(self, x: float) -> str | None:
        if self._required.size == 0:
            return None
        i = int(x // self._interval)
        if not 0 <= i < self._required.size:
            return None
        start = i * self._interval
        return "\n".join(
            [
                f"{format_minutes(start)}-{format_minutes(start + self._interval)}",
                self.tr("Required: %1").replace("%1", f"{self._required[i]:.1f}"),
                self.tr("Scheduled: %1").replace("%1", f"{self._scheduled[i]:.1f}"),
            ]
        )

    def scheduled_heads(self) -> np.ndarray:
        """The scheduled curve on screen (for tests)."""
        return self._scheduled
