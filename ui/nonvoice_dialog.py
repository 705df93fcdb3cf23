"""The non-voice work calculator: chat with a concurrency factor, and deferred work (email,
back office) staffed by workload and a deadline.

Two tabs, both computed by :mod:`wfm.staffing.nonvoice` and nothing else:

Chat
    One interval's chats, handle time (measured while the agent shares the chat) and
    concurrency ``k`` in; :func:`wfm.staffing.nonvoice.chat_requirement` gives the slots
    (Erlang C over the slots, each agent offering ``k``), the agents ``ceil(slots / k)``, the
    scheduled agents after shrinkage, and the service level and occupancy per slot.

Email / back office
    One day's items arriving evenly over the opening hours, a handle time, a deadline and
    the productive share of the agents' time; :func:`wfm.staffing.nonvoice.deferred_requirement`
    spreads each interval's work over the deadline and gives the agents per interval, including
    the tail after closing where the last items are finished.

Each tab states its model in plain words. The dialog is non-modal and stores nothing;
unusable inputs (:class:`wfm.errors.WfmError`) are shown in a red line under the inputs
while the last good figures stay on screen.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui import formatting as fmt
from ui.charts import PALETTE, HoverReadout, TimeOfDayAxis, format_minutes, make_plot
from ui.widgets import (
    buddy_label,
    close_buttons,
    double_spin,
    input_form,
    interval_combo,
    on_change,
    pair_row,
    result_box,
    rich_label,
    select_interval,
    summary_label,
    value_rows,
)
from wfm.errors import WfmError
from wfm.staffing.nonvoice import (
    ChatRequirement,
    DeferredRequirement,
    chat_requirement,
    deferred_requirement,
)
from wfm.staffing.requirement import StaffingTarget

INTERVALS = (15, 30, 60)
#: The deferred tab works in half hours.
DEFERRED_INTERVAL = 30
#: Concurrencies compared on the chat tab's chart.
CONCURRENCIES = tuple(np.arange(1.0, 6.01, 0.5))
OPEN_COLOUR = PALETTE[0]
TAIL_COLOUR = "#a9c1da"
FLUID_COLOUR = PALETTE[1]
CURRENT_COLOUR = PALETTE[4]
OTHER_COLOUR = "#b8c7d9"

_ERROR_STYLE = "color: #b00020; font-weight: 600;"
_NOTE_STYLE = (
    "QLabel { color: #333333; background: #f5f6f8; border: 1px solid #dde1e6;"
    " border-radius: 4px; padding: 6px 8px; }"
)


class NonVoiceDialog(QDialog):
    """The non-voice work calculator (see the module docs).

    After each change ``chat`` / ``deferred`` hold the engine's results on screen (with
    ``chat_target`` and ``deferred_items`` they were computed from); ``chat_error`` /
    ``deferred_error`` hold the message shown when a tab's inputs are unusable, in which
    case the previous results stay.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Non-voice work calculator"))
        self.setModal(False)
        self.chat: ChatRequirement | None = None
        self.chat_target: StaffingTarget | None = None
        self.chat_error: str | None = None
        self.deferred: DeferredRequirement | None = None
        self.deferred_items: np.ndarray | None = None
        self.deferred_error: str | None = None
        self._open_minutes = (8 * 60, 18 * 60)
        self._updating = False

        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_chat_tab(), self.tr("&Chat"))
        self.tabs.addTab(self._build_deferred_tab(), self.tr("&Email / back office"))
        layout.addWidget(self.tabs, 1)

        layout.addWidget(close_buttons(self))

        on_change(
            self._chat_changed,
            self.chats_spin,
            self.chat_handle_spin,
            self.concurrency_spin,
            self.chat_sl_spin,
            self.chat_answer_spin,
            self.chat_shrinkage_spin,
            self.chat_interval_combo,
        )
        on_change(
            self._deferred_changed,
            self.items_spin,
            self.item_handle_spin,
            self.deadline_spin,
            self.utilisation_spin,
            self.items_unit_combo,
            self.open_combo,
            self.close_combo,
        )
        self.resize(900, 660)
        self.recompute()

    # --- building: chat ---------------------------------------------------------------------
    def _build_chat_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        top = QHBoxLayout()
        layout.addLayout(top)

        box, form = input_form(self.tr("One interval"))
        self.chats_spin = double_spin(0.0, 1_000_000.0, 60.0, 1.0, "", decimals=1)
        form.addRow(self.tr("C&hats offered:"), self.chats_spin)
        self.chat_interval_combo = interval_combo(INTERVALS, 30)
        form.addRow(self.tr("&Interval:"), self.chat_interval_combo)
        self.chat_handle_spin = double_spin(1.0, 36_000.0, 900.0, 30.0, " s", decimals=0)
        self.chat_handle_spin.setToolTip(
            self.tr(
                "The length of a chat as measured while the agent shares it with others: "
                "it already includes the slow-down of multitasking"
            )
        )
        form.addRow(self.tr("Chat &handle time:"), self.chat_handle_spin)
        self.concurrency_spin = double_spin(1.0, 6.0, 2.0, 0.5, "", decimals=1)
        self.concurrency_spin.setToolTip(self.tr("Chats one agent holds at once (1 to 6)"))
        self.concurrency_spin.setSuffix(self.tr(" chats/agent"))
        form.addRow(self.tr("C&oncurrency:"), self.concurrency_spin)

        self.chat_sl_spin = double_spin(1.0, 99.9, 80.0, 1.0, " %", decimals=1)
        self.chat_answer_spin = double_spin(0.0, 3600.0, 60.0, 5.0, " s", decimals=0)
        form.addRow(
            buddy_label(self.tr("&Target:"), self.chat_sl_spin),
            pair_row(self.chat_sl_spin, self.tr("in"), self.chat_answer_spin),
        )
        self.chat_shrinkage_spin = double_spin(0.0, 95.0, 30.0, 1.0, " %", decimals=1)
        self.chat_shrinkage_spin.setToolTip(
            self.tr("Paid time away from chats: breaks, meetings, training, absence")
        )
        form.addRow(self.tr("&Shrinkage:"), self.chat_shrinkage_spin)
        self.chat_error_label = _error_label()
        form.addRow(self.chat_error_label)
        top.addWidget(box)

        results, grid = result_box(self.tr("Result"))
        self.chat_values = value_rows(
            grid,
            (
                ("traffic", self.tr("Traffic")),
                ("slots", self.tr("Slots needed")),
                ("agents", self.tr("Agents (net)")),
                ("scheduled", self.tr("Scheduled agents")),
                ("sl", self.tr("Service level achieved")),
                ("asa", self.tr("ASA (mean wait)")),
                ("occupancy", self.tr("Occupancy per slot")),
            ),
        )
        self.slots_value = self.chat_values["slots"]
        self.agents_value = self.chat_values["agents"]
        self.scheduled_value = self.chat_values["scheduled"]
        self.chat_sl_value = self.chat_values["sl"]
        self.chat_occupancy_value = self.chat_values["occupancy"]
        self.chat_summary = summary_label()
        grid.addWidget(self.chat_summary, len(self.chat_values), 0, 1, 2)
        grid.setRowStretch(len(self.chat_values) + 1, 1)
        self.chat_results = results
        top.addWidget(results, 1)

        self.chat_model_note = rich_label(_NOTE_STYLE)
        layout.addWidget(self.chat_model_note)

        self.concurrency_plot = make_plot(
            self.tr("Agents (net) against concurrency, same chats and target"),
            left_label=self.tr("agents"),
        )
        item = self.concurrency_plot.getPlotItem()
        item.setLabel("bottom", self.tr("chats per agent"), color="#333333")
        item.setMouseEnabled(x=False, y=False)
        item.legend.setVisible(False)
        self.concurrency_bars = pg.BarGraphItem(x=[], height=[], width=0.38, brushes=[])
        self.concurrency_plot.addItem(self.concurrency_bars)
        self.concurrency_texts: list[pg.TextItem] = []
        self.concurrency_plot.setMinimumHeight(190)
        layout.addWidget(self.concurrency_plot, 1)
        return page

    # --- building: deferred -----------------------------------------------------------------
    def _build_deferred_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        top = QHBoxLayout()
        layout.addLayout(top)

        box, form = input_form(self.tr("One day"))
        self.items_spin = double_spin(0.0, 10_000_000.0, 400.0, 10.0, "", decimals=0)
        self.items_unit_combo = QComboBox()
        self.items_unit_combo.addItem(self.tr("per day"), "day")
        self.items_unit_combo.addItem(self.tr("per hour open"), "hour")
        form.addRow(
            buddy_label(self.tr("I&tems arriving:"), self.items_spin),
            pair_row(self.items_spin, None, self.items_unit_combo),
        )

        self.open_combo = QComboBox()
        self.close_combo = QComboBox()
        for minutes in range(0, 24 * 60, DEFERRED_INTERVAL):
            self.open_combo.addItem(format_minutes(minutes), minutes)
        for minutes in range(DEFERRED_INTERVAL, 24 * 60 + 1, DEFERRED_INTERVAL):
            self.close_combo.addItem(format_minutes(minutes), minutes)
        self.open_combo.setCurrentIndex(self.open_combo.findData(8 * 60))
        self.close_combo.setCurrentIndex(self.close_combo.findData(18 * 60))
        self.open_combo.setToolTip(self.tr("Items arrive evenly over the opening hours"))
        form.addRow(
            buddy_label(self.tr("&Arriving from:"), self.open_combo),
            pair_row(self.open_combo, self.tr("to"), self.close_combo, stretch=(1, 1)),
        )

        self.item_handle_spin = double_spin(0.1, 600.0, 6.0, 0.5, " min", decimals=1)
        self.item_handle_spin.setToolTip(self.tr("Working time per item, all steps included"))
        form.addRow(self.tr("&Handle time per item:"), self.item_handle_spin)
        self.deadline_spin = double_spin(0.0, 168.0, 4.0, 0.5, " h", decimals=2)
        self.deadline_spin.setToolTip(
            self.tr("Every item must be finished within this many hours of arriving")
        )
        form.addRow(self.tr("&Deadline:"), self.deadline_spin)
        self.utilisation_spin = double_spin(1.0, 100.0, 85.0, 1.0, " %", decimals=0)
        self.utilisation_spin.setToolTip(
            self.tr(
                "The share of the agents' working time spent on the items "
                "(the rest: reading, system waits, short pauses)"
            )
        )
        form.addRow(self.tr("&Productive share:"), self.utilisation_spin)
        interval = QLabel(self.tr("%1 minutes").replace("%1", str(DEFERRED_INTERVAL)))
        interval.setStyleSheet("color: #555555;")
        form.addRow(self.tr("Interval:"), interval)
        self.deferred_error_label = _error_label()
        form.addRow(self.deferred_error_label)
        top.addWidget(box)

        results, grid = result_box(self.tr("Result"))
        self.deferred_values = value_rows(
            grid,
            (
                ("items", self.tr("Items in the day")),
                ("workload", self.tr("Work arriving")),
                ("peak", self.tr("Peak agents needed")),
                ("paid", self.tr("Agent-hours paid")),
                ("finished", self.tr("Last items finished by")),
            ),
        )
        self.workload_value = self.deferred_values["workload"]
        self.peak_value = self.deferred_values["peak"]
        self.deferred_summary = summary_label()
        grid.addWidget(self.deferred_summary, len(self.deferred_values), 0, 1, 2)
        grid.setRowStretch(len(self.deferred_values) + 1, 1)
        self.deferred_results = results
        top.addWidget(results, 1)

        self.deferred_model_note = rich_label(_NOTE_STYLE)
        layout.addWidget(self.deferred_model_note)

        self.deferred_plot = make_plot(
            self.tr("Agents needed per half hour"),
            left_label=self.tr("agents"),
            bottom_axis=_ClockAxis(orientation="bottom"),
        )
        item = self.deferred_plot.getPlotItem()
        self.open_bars = pg.BarGraphItem(
            x=[], height=[], width=DEFERRED_INTERVAL * 0.86, brush=OPEN_COLOUR, pen=None
        )
        self.tail_bars = pg.BarGraphItem(
            x=[], height=[], width=DEFERRED_INTERVAL * 0.86, brush=TAIL_COLOUR, pen=None
        )
        self.fluid_curve = pg.PlotDataItem(
            [],
            [],
            pen=pg.mkPen(FLUID_COLOUR, width=2),
            stepMode="center",
        )
        for extra in (self.open_bars, self.tail_bars, self.fluid_curve):
            self.deferred_plot.addItem(extra)
        legend = item.legend
        legend.setColumnCount(3)
        # One row, top left, in a band above the bars (see _show_deferred's y range).
        legend.anchor(itemPos=(0, 0), parentPos=(0, 0), offset=(8, 2))
        legend.setZValue(-1)  # under the hover read-out, which shares the band
        legend.addItem(self.open_bars, self.tr("Agents (open)"))
        legend.addItem(self.tail_bars, self.tr("Agents (after closing)"))
        legend.addItem(self.fluid_curve, self.tr("Unrounded need"))
        self.close_line = pg.InfiniteLine(
            angle=90,
            movable=False,
            pen=pg.mkPen("#666666", width=1, style=Qt.PenStyle.DashLine),
            label=self.tr("closing"),
            labelOpts={"position": 0.8, "color": "#444444", "fill": (255, 255, 255, 220)},
        )
        self.deferred_plot.addItem(self.close_line, ignoreBounds=True)
        self.deferred_hover = HoverReadout(
            self.deferred_plot, self._describe_interval, lambda: [OPEN_COLOUR, FLUID_COLOUR, None]
        )
        self.deferred_plot.setMinimumHeight(220)
        layout.addWidget(self.deferred_plot, 1)
        return page

    # --- inputs -----------------------------------------------------------------------------
    def set_chat_values(
        self,
        *,
        chats: float | None = None,
        interval_minutes: int | None = None,
        handle_seconds: float | None = None,
        concurrency: float | None = None,
        service_level: float | None = None,
        answer_seconds: float | None = None,
        shrinkage: float | None = None,
    ) -> None:
        """Fill some chat inputs (``service_level`` and ``shrinkage`` as shares, 0.8 for
        80 %) and recompute once."""
        self._updating = True
        try:
            if chats is not None:
                self.chats_spin.setValue(chats)
            if interval_minutes is not None:
                select_interval(self.chat_interval_combo, interval_minutes)
            if handle_seconds is not None:
                self.chat_handle_spin.setValue(handle_seconds)
            if concurrency is not None:
                self.concurrency_spin.setValue(concurrency)
            if service_level is not None:
                self.chat_sl_spin.setValue(service_level * 100)
            if answer_seconds is not None:
                self.chat_answer_spin.setValue(answer_seconds)
            if shrinkage is not None:
                self.chat_shrinkage_spin.setValue(shrinkage * 100)
        finally:
            self._updating = False
        self.recompute_chat()

    def set_deferred_values(
        self,
        *,
        items_per_day: float | None = None,
        open_from: str | None = None,
        open_to: str | None = None,
        handle_minutes: float | None = None,
        deadline_hours: float | None = None,
        utilisation: float | None = None,
    ) -> None:
        """Fill some deferred-work inputs (times as ``"08:00"``, on the half hour;
        ``utilisation`` as a share, 0.85 for 85 %) and recompute once."""
        self._updating = True
        try:
            if items_per_day is not None:
                self.items_unit_combo.setCurrentIndex(self.items_unit_combo.findData("day"))
                self.items_spin.setValue(items_per_day)
            for combo, text in ((self.open_combo, open_from), (self.close_combo, open_to)):
                if text is not None:
                    index = combo.findText(text)
                    if index < 0:
                        raise ValueError(f"{text!r} is not a half-hour time of day")
                    combo.setCurrentIndex(index)
            if handle_minutes is not None:
                self.item_handle_spin.setValue(handle_minutes)
            if deadline_hours is not None:
                self.deadline_spin.setValue(deadline_hours)
            if utilisation is not None:
                self.utilisation_spin.setValue(utilisation * 100)
        finally:
            self._updating = False
        self.recompute_deferred()

    def _chat_changed(self, *_: Any) -> None:
        if not self._updating:
            self.recompute_chat()

    def _deferred_changed(self, *_: Any) -> None:
        if not self._updating:
            self.recompute_deferred()

    # --- computing --------------------------------------------------------------------------
    def recompute(self) -> None:
        self.recompute_chat()
        self.recompute_deferred()

    def recompute_chat(self) -> bool:
        """Recompute the chat tab; False (message shown, last figures kept) when unusable."""
        chats = self.chats_spin.value()
        handle = self.chat_handle_spin.value()
        interval = float(self.chat_interval_combo.currentData()) * 60.0
        concurrency = self.concurrency_spin.value()
        try:
            target = StaffingTarget(
                service_level=round(self.chat_sl_spin.value(), 4) / 100.0,
                answer_seconds=self.chat_answer_spin.value(),
                shrinkage=round(self.chat_shrinkage_spin.value(), 4) / 100.0,
            )
            result = chat_requirement([chats], [handle], interval, concurrency, target)
            others = [
                int(chat_requirement([chats], [handle], interval, k, target).agents[0])
                for k in CONCURRENCIES
            ]
        except WfmError as exc:
            self.chat_error = str(exc)
            _show_error(self.chat_error_label, self.chat_results, self.chat_error)
            return False
        self.chat_error = None
        _show_error(self.chat_error_label, self.chat_results, None)
        self.chat, self.chat_target = result, target
        self._show_chat(result, target, others)
        return True

    def _day_items(self) -> np.ndarray:
        start, end = int(self.open_combo.currentData()), int(self.close_combo.currentData())
        if end <= start:
            raise WfmError(
                self.tr("Deferred work: closing (%2) must be after opening (%1)")
                .replace("%1", format_minutes(start))
                .replace("%2", format_minutes(end))
            )
        n = (end - start) // DEFERRED_INTERVAL
        per_day = self.items_spin.value()
        if self.items_unit_combo.currentData() == "hour":
            per_day *= (end - start) / 60.0
        return np.full(n, per_day / n)

    def recompute_deferred(self) -> bool:
        """Recompute the deferred tab; False (message shown, last figures kept) when unusable."""
        try:
            items = self._day_items()
            result = deferred_requirement(
                items,
                self.item_handle_spin.value() * 60.0,
                DEFERRED_INTERVAL,
                self.deadline_spin.value(),
                max_utilisation=round(self.utilisation_spin.value(), 4) / 100.0,
            )
        except WfmError as exc:
            self.deferred_error = str(exc)
            _show_error(self.deferred_error_label, self.deferred_results, self.deferred_error)
            return False
        self.deferred_error = None
        _show_error(self.deferred_error_label, self.deferred_results, None)
        self.deferred, self.deferred_items = result, items
        self._open_minutes = (
            int(self.open_combo.currentData()),
            int(self.close_combo.currentData()),
        )
        self._show_deferred(result, items)
        return True

    # --- showing: chat ----------------------------------------------------------------------
    def _show_chat(
        self, result: ChatRequirement, target: StaffingTarget, others: Sequence[int]
    ) -> None:
        m = result.metrics
        k = fmt.decimal(result.concurrency, 1).rstrip("0").rstrip(".,")
        answer = fmt.decimal(target.answer_seconds, 0)
        sl_goal = fmt.decimal((target.service_level or 0) * 100, 1)
        v = self.chat_values
        v["traffic"].setText(self.tr("%1 Erlangs").replace("%1", fmt.decimal(m.traffic[0], 2)))
        v["slots"].setText(fmt.count(result.slots[0]))
        v["agents"].setText(fmt.count(result.agents[0]))
        v["scheduled"].setText(
            self.tr("%1 (shrinkage %2 %)")
            .replace("%1", fmt.count(result.scheduled[0]))
            .replace("%2", fmt.decimal(target.shrinkage * 100, 1))
        )
        v["sl"].setText(
            self.tr("%1 within %2 s")
            .replace("%1", fmt.percent(m.service_level[0]))
            .replace("%2", answer)
        )
        asa = float(m.asa_seconds[0])
        v["asa"].setText(f"{fmt.decimal(asa, 1)} s" if np.isfinite(asa) else "–")
        v["occupancy"].setText(fmt.percent(m.occupancy[0]))
        self.chat_summary.setText(
            self.tr(
                "<b>%1 agents</b> on chat (%2 scheduled) hold %3 slots at concurrency %4, for %5 % within %6 s"
            )
            .replace("%1", fmt.count(result.agents[0]))
            .replace("%2", fmt.count(result.scheduled[0]))
            .replace("%3", fmt.count(result.slots[0]))
            .replace("%4", k)
            .replace("%5", sl_goal)
            .replace("%6", answer)
        )
        self.chat_model_note.setText(
            self.tr(
                "<b>Model: Erlang C over chat slots.</b> Each agent holds up to k chats at once "
                "(here k = %1), so offers k <i>slots</i>. The chats queue for slots, nobody leaving the queue, "
                "and Erlang C gives the fewest slots meeting %2 % within %3 s. The handle time is "
                "the chat's length measured while shared, so it already carries the slow-down of "
                "multitasking. Agents = slots ÷ k, rounded up; scheduled = agents ÷ (1 − "
                "shrinkage). Service level and occupancy are those of the slots."
            )
            .replace("%1", k)
            .replace("%2", sl_goal)
            .replace("%3", answer)
        )

        x = np.asarray(CONCURRENCIES, dtype=float)
        heights = np.asarray(others, dtype=float)
        current = np.isclose(x, result.concurrency)
        brushes = [pg.mkBrush(CURRENT_COLOUR if c else OTHER_COLOUR) for c in current]
        self.concurrency_bars.setOpts(x=x, height=heights, width=0.38, brushes=brushes, pen=None)
        for text in self.concurrency_texts:
            self.concurrency_plot.removeItem(text)
        self.concurrency_texts = []
        for xi, hi, c in zip(x, heights, current, strict=True):
            text = pg.TextItem(fmt.count(hi), anchor=(0.5, 1), color="#222222" if c else "#666666")
            text.setPos(xi, hi)
            self.concurrency_plot.addItem(text, ignoreBounds=True)
            self.concurrency_texts.append(text)
        item = self.concurrency_plot.getPlotItem()
        item.getAxis("bottom").setTicks([[(float(k_), f"{k_:g}") for k_ in x]])
        item.setXRange(x[0] - 0.4, x[-1] + 0.4, padding=0)
        item.setYRange(0, max(1.0, heights.max()) * 1.18, padding=0)

    # --- showing: deferred ------------------------------------------------------------------
    def _show_deferred(self, result: DeferredRequirement, items: np.ndarray) -> None:
        start, end = self._open_minutes
        n_open = items.size
        hours = DEFERRED_INTERVAL / 60.0
        needed = result.agents_needed
        deadline = fmt.decimal(result.deadline_hours, 2).rstrip("0").rstrip(".,")
        utilisation = fmt.decimal(self.utilisation_spin.value(), 0)
        workload = float(result.workload_hours.sum())
        finish = start + needed.size * DEFERRED_INTERVAL
        last_busy = np.flatnonzero(needed > 0)
        finished_by = (
            start + (int(last_busy[-1]) + 1) * DEFERRED_INTERVAL if last_busy.size else end
        )
        v = self.deferred_values
        v["items"].setText(
            self.tr("%1 (%2 per half hour)")
            .replace("%1", fmt.count(round(float(items.sum()), 1)))
            .replace("%2", fmt.decimal(items[0] if items.size else 0, 1))
        )
        v["workload"].setText(self.tr("%1 agent-hours").replace("%1", fmt.decimal(workload, 1)))
        v["peak"].setText(fmt.count(int(needed.max()) if needed.size else 0))
        v["paid"].setText(
            self.tr("%1 agent-hours").replace("%1", fmt.decimal(needed.sum() * hours, 1))
        )
        v["finished"].setText(_clock(finished_by))
        self.deferred_summary.setText(
            self.tr(
                "<b>Peak %1 agents</b>; work arriving %2–%3 is all done by %4 within a %5 h deadline"
            )
            .replace("%1", fmt.count(int(needed.max()) if needed.size else 0))
            .replace("%2", format_minutes(start))
            .replace("%3", format_minutes(end))
            .replace("%4", _clock(finished_by))
            .replace("%5", deadline)
        )
        self.deferred_model_note.setText(
            self.tr(
                "<b>Model: workload spread over the deadline.</b> Items need not be answered at "
                "once, only within %1 h. The work arriving in each half hour (items × handle "
                "time) is done at a steady rate over the %1 h from its arrival, so every item is "
                "finished by its deadline. The agents in a half hour are the sum of the shares "
                "of all work still within its deadline, divided by the productive share (%2 %), "
                "rounded up. Work arriving near closing is finished after it (light bars). One "
                "day only: the next day's arrivals are not included."
            )
            .replace("%1", deadline)
            .replace("%2", utilisation)
        )

        centres = start + DEFERRED_INTERVAL * (np.arange(needed.size) + 0.5)
        heights = needed.astype(float)
        self.open_bars.setOpts(x=centres[:n_open], height=heights[:n_open])
        self.tail_bars.setOpts(x=centres[n_open:], height=heights[n_open:])
        edges = start + DEFERRED_INTERVAL * np.arange(needed.size + 1, dtype=float)
        self.fluid_curve.setData(edges, result.agents)
        self.close_line.setValue(float(end))
        item = self.deferred_plot.getPlotItem()
        item.setXRange(start - 15, finish + 15, padding=0)
        top = float(max(1.0, heights.max() if heights.size else 1.0))
        item.setYRange(0, top * 1.45 + 0.5, padding=0)
        # Whole agents on the axis while the counts are small (no 0.5 agent ticks).
        step = next((s for s in (1, 2, 5, 10) if top / s <= 8), None)
        ticks = (
            [[(float(v), str(v)) for v in range(0, int(top * 1.45) + 1, step)]] if step else None
        )
        item.getAxis("left").setTicks(ticks)
        self.deferred_hover.refresh()

    def _describe_interval(self, x: float) -> str | None:
        result = self.deferred
        if result is None or result.agents_needed.size == 0:
            return None
        start, end = self._open_minutes
        i = int(np.floor((x - start) / DEFERRED_INTERVAL))
        if not 0 <= i < result.agents_needed.size:
            return None
        begin = start + i * DEFERRED_INTERVAL
        lines = [
            f"{_clock(begin)}–{_clock(begin + DEFERRED_INTERVAL)}"
            + (self.tr(" (closed)") if begin >= end else ""),
            self.tr("Agents needed: %1").replace("%1", fmt.count(result.agents_needed[i])),
            self.tr("Unrounded need: %1").replace("%1", fmt.decimal(result.agents[i], 2)),
            self.tr("Work arriving: %1 agent-hours").replace(
                "%1", fmt.decimal(result.workload_hours[i], 2)
            ),
        ]
        return "\n".join(lines)


def open_nonvoice_dialog(parent: QWidget | None = None) -> NonVoiceDialog:
    """Create and show a non-modal calculator (for a Tools menu action); the dialog is
    deleted when closed."""
    dialog = NonVoiceDialog(parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog


class _ClockAxis(TimeOfDayAxis):
    """Time of day; past midnight (the tail of a late deadline) marked ``+1d``."""

    def tickStrings(self, values: Sequence[float], scale: float, spacing: float) -> list[str]:  # noqa: N802
        return [_clock(v) for v in values]


def _clock(minutes: float) -> str:
    m = int(round(minutes))
    days, rest = divmod(m, 24 * 60)
    if days and rest == 0:
        days, rest = days - 1, 24 * 60
    text = format_minutes(rest)
    return f"{text} +{days}d" if days else text


def _show_error(label: QLabel, results: QWidget, message: str | None) -> None:
    """Show ``message`` under a tab's inputs and grey its results out (the figures there
    are the last good ones, no longer the inputs'); ``None`` hides it and enables them."""
    if message is not None:
        label.setText(message)
    label.setVisible(message is not None)
    results.setEnabled(message is None)


def _error_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet(_ERROR_STYLE)
    label.setVisible(False)
    return label
