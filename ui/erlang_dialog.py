"""The Erlang calculator: one interval's calls, handle time and agents in; service level, ASA,
occupancy (and abandons) out, with the number of agents a target needs and the curve of
service level against agents around it.

All figures come from ``wfm``: :func:`wfm.staffing.requirement.queue_metrics` for the agents
typed, :func:`wfm.staffing.curves.agent_curve` for the requirement and the curve. The dialog
is non-modal (the planner keeps it open beside the Staffing page) and stores nothing.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ui import formatting as fmt
from ui.charts import PALETTE, HoverReadout, make_plot
from ui.widgets import (
    buddy_label,
    close_buttons,
    double_spin,
    input_form,
    interval_combo,
    on_change,
    pair_row,
    result_box,
    select_interval,
    summary_label,
    value_rows,
)
from wfm.errors import WfmError
from wfm.staffing.curves import AgentCurve, agent_curve
from wfm.staffing.erlang import QueueMetrics
from wfm.staffing.requirement import StaffingTarget, queue_metrics

SL_COLOUR = PALETTE[0]
OCCUPANCY_COLOUR = PALETTE[1]
ABANDON_COLOUR = PALETTE[2]
REQUIRED_COLOUR = PALETTE[4]
INTERVALS = (15, 30, 60)
#: Top of the chart's y axis (%): the band above 100 holds the legend.
_Y_TOP = 122


class ErlangCalculatorDialog(QDialog):
    """The planner's everyday Erlang calculator (see the module docs).

    After each change ``target``, ``metrics`` (for the agents typed) and ``curve`` hold
    what is on screen; ``error`` is the message shown when the inputs are unusable.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Erlang calculator"))
        self.setModal(False)
        self.target: StaffingTarget | None = None
        self.metrics: QueueMetrics | None = None
        self.curve: AgentCurve | None = None
        self.error: str | None = None
        self._updating = False

        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        layout.addLayout(top)
        top.addWidget(self._build_inputs())
        top.addWidget(self._build_results(), 1)

        self.model_note = QLabel()
        self.model_note.setWordWrap(True)
        self.model_note.setStyleSheet("color: #555555;")
        layout.addWidget(self.model_note)

        self.plot = make_plot(self.tr("Service level against agents"), left_label=self.tr("%"))
        item = self.plot.getPlotItem()
        item.setLabel("bottom", self.tr("agents on the phones"), color="#333333")
        # The band above 100 % holds the legend, in one row, clear of the curves.
        item.setYRange(-4, _Y_TOP, padding=0)
        item.getAxis("left").setTicks([[(v, str(v)) for v in range(0, 101, 20)]])
        legend = item.legend
        legend.setColumnCount(4)
        legend.anchor(itemPos=(0.5, 0), parentPos=(0.5, 0), offset=(0, 2))
        self.sl_curve = self.plot.plot(
            [],
            [],
            pen=pg.mkPen(SL_COLOUR, width=2),
            symbol="o",
            symbolSize=6,
            symbolBrush=SL_COLOUR,
            symbolPen=None,
            name=self.tr("Service level"),
        )
        self.occupancy_curve = self.plot.plot(
            [],
            [],
            pen=pg.mkPen(OCCUPANCY_COLOUR, width=2, style=Qt.PenStyle.DashLine),
            name=self.tr("Occupancy"),
        )
        self.abandon_curve = self.plot.plot(
            [],
            [],
            pen=pg.mkPen(ABANDON_COLOUR, width=2, style=Qt.PenStyle.DotLine),
            name=self.tr("Abandons"),
        )
        self.target_line = pg.InfiniteLine(
            angle=0,
            movable=False,
            pen=pg.mkPen("#888888", width=1, style=Qt.PenStyle.DashLine),
            label=self.tr("target"),
            labelOpts={"position": 0.03, "color": "#555555"},
        )
        self.agents_line = pg.InfiniteLine(
            angle=90,
            movable=False,
            pen=pg.mkPen("#222222", width=1),
            label=self.tr("{value:.0f} agents"),
            labelOpts={"position": 0.1, "color": "#222222", "fill": (255, 255, 255, 220)},
        )
        self.required_marker = pg.ScatterPlotItem(
            size=13,
            symbol="star",
            brush=pg.mkBrush(REQUIRED_COLOUR),
            pen=pg.mkPen("#ffffff"),
        )
        for extra in (self.target_line, self.agents_line, self.required_marker):
            self.plot.addItem(extra, ignoreBounds=True)
        self.plot.getPlotItem().legend.addItem(self.required_marker, self.tr("Required"))
        self.hover = HoverReadout(
            self.plot, self._describe, lambda: [SL_COLOUR, OCCUPANCY_COLOUR, ABANDON_COLOUR]
        )
        self.plot.setMinimumHeight(240)
        layout.addWidget(self.plot, 1)

        layout.addWidget(close_buttons(self))

        on_change(
            self._changed,
            self.calls_spin,
            self.aht_spin,
            self.answer_spin,
            self.agents_spin,
            self.patience_spin,
            self.sl_spin,
            self.interval_combo,
            self.caps_check,
        )
        self.patience_check.toggled.connect(self._patience_toggled)
        self.resize(860, 640)
        self.recompute()

    # --- building ------------------------------------------------------------------------------
    def _build_inputs(self) -> QWidget:
        box, form = input_form(self.tr("One interval"))
        self.calls_spin = double_spin(0.0, 1_000_000.0, 100.0, 1.0, "", decimals=1)
        form.addRow(self.tr("&Calls offered:"), self.calls_spin)
        self.interval_combo = interval_combo(INTERVALS, 30)
        form.addRow(self.tr("&Interval:"), self.interval_combo)
        self.aht_spin = double_spin(1.0, 36_000.0, 180.0, 5.0, " s", decimals=0)
        self.aht_spin.setToolTip(self.tr("Average handle time: talk + hold + after-call work"))
        form.addRow(self.tr("&AHT:"), self.aht_spin)
        self.agents_spin = QSpinBox()
        self.agents_spin.setRange(0, 10_000)
        self.agents_spin.setValue(14)
        self.agents_spin.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.agents_spin.setToolTip(self.tr("Agents on the phones in the interval"))
        form.addRow(self.tr("A&gents:"), self.agents_spin)

        self.sl_spin = double_spin(1.0, 99.9, 80.0, 1.0, " %", decimals=1)
        self.answer_spin = double_spin(0.0, 3600.0, 20.0, 5.0, " s", decimals=0)
        form.addRow(
            buddy_label(self.tr("&Target:"), self.sl_spin),
            pair_row(self.sl_spin, self.tr("in"), self.answer_spin),
        )

        self.patience_check = QCheckBox(self.tr("Callers hang &up (Erlang A)"))
        form.addRow("", self.patience_check)
        self.patience_spin = double_spin(1.0, 36_000.0, 180.0, 10.0, " s", decimals=0)
        self.patience_spin.setToolTip(
            self.tr("Callers' mean patience: how long they wait, on average, before hanging up")
        )
        self.patience_spin.setEnabled(False)
        form.addRow(self.tr("Mean &patience:"), self.patience_spin)
        # The Staffing page's other targets (ASA, occupancy, abandons), when it passed some.
        self.caps_check = QCheckBox()
        self.caps_check.setChecked(True)
        self.caps_check.setVisible(False)
        self.caps_check.setToolTip(self.tr("The Staffing page's other targets"))
        form.addRow("", self.caps_check)
        self.caps: dict[str, float | None] = {}
        return box

    def _build_results(self) -> QWidget:
        box, grid = result_box(self.tr("Result"))
        names = (
            ("traffic", self.tr("Traffic")),
            ("p_wait", self.tr("Calls that wait")),
            ("sl", self.tr("Service level")),
            ("asa", self.tr("ASA (mean wait)")),
            ("occupancy", self.tr("Occupancy")),
            ("abandon", self.tr("Abandons")),
        )
        self.value_labels = value_rows(grid, names)
        self.traffic_value = self.value_labels["traffic"]
        self.p_wait_value = self.value_labels["p_wait"]
        self.sl_value = self.value_labels["sl"]
        self.asa_value = self.value_labels["asa"]
        self.occupancy_value = self.value_labels["occupancy"]
        self.abandon_value = self.value_labels["abandon"]
        self.required_label = summary_label()
        grid.addWidget(self.required_label, len(names), 0, 1, 2)
        return box

    # --- inputs ----------------------------------------------------------------------------------
    def set_values(
        self,
        *,
        calls: float | None = None,
        interval_minutes: int | None = None,
        aht_seconds: float | None = None,
        answer_seconds: float | None = None,
        agents: int | None = None,
        service_level: float | None = None,
        patience_seconds: float | None = None,
        caps: StaffingTarget | None = None,
    ) -> None:
        """Fill some inputs (``service_level`` as a share, 0.8 for 80 %; a patience switches
        Erlang A on, ``patience_seconds=None`` leaves the model as it is) and recompute once.

        ``caps``: a target whose ASA, occupancy and abandon caps also apply (the Staffing
        page's), offered as a check box so that the requirement matches the page's.
        """
        self._updating = True
        try:
            if caps is not None:
                self._set_caps(caps)
            if calls is not None:
                self.calls_spin.setValue(calls)
            if interval_minutes is not None:
                select_interval(self.interval_combo, interval_minutes)
            if aht_seconds is not None:
                self.aht_spin.setValue(aht_seconds)
            if answer_seconds is not None:
                self.answer_spin.setValue(answer_seconds)
            if agents is not None:
                self.agents_spin.setValue(agents)
            if service_level is not None:
                self.sl_spin.setValue(service_level * 100)
            if patience_seconds is not None:
                self.patience_spin.setValue(patience_seconds)
                self.patience_check.setChecked(True)
        finally:
            self._updating = False
        self.recompute()

    def _set_caps(self, target: StaffingTarget) -> None:
        self.caps = {
            "max_asa_seconds": target.max_asa_seconds,
            "max_occupancy": target.max_occupancy,
            "max_abandon": target.max_abandon,
        }
        text = self._caps_text(target)
        self.caps_check.setText(self.tr("Also %1").replace("%1", text))
        self.caps_check.setVisible(bool(text))

    def _caps_text(self, target: StaffingTarget) -> str:
        parts = []
        if target.max_asa_seconds is not None:
            parts.append(
                self.tr("ASA ≤ %1 s").replace("%1", fmt.decimal(target.max_asa_seconds, 0))
            )
        if target.max_occupancy is not None:
            parts.append(
                self.tr("occupancy ≤ %1 %").replace(
                    "%1", fmt.decimal(target.max_occupancy * 100, 1)
                )
            )
        if target.max_abandon is not None:
            parts.append(
                self.tr("abandons ≤ %1 %").replace("%1", fmt.decimal(target.max_abandon * 100, 1))
            )
        return ", ".join(parts)

    def _patience_toggled(self, on: bool) -> None:
        self.patience_spin.setEnabled(on)
        self._changed()

    def _changed(self, *_: Any) -> None:
        if not self._updating:
            self.recompute()

    # --- computing -------------------------------------------------------------------------------
    def recompute(self) -> bool:
        """Recompute from the inputs; False (with the message shown) when they are unusable."""
        erlang_a = self.patience_check.isChecked()
        calls = self.calls_spin.value()
        aht = self.aht_spin.value()
        interval = float(self.interval_combo.currentData()) * 60.0
        agents = self.agents_spin.value()
        try:
            caps = self.caps if self.caps_check.isChecked() else {}
            target = StaffingTarget(
                service_level=round(self.sl_spin.value(), 4) / 100.0,
                answer_seconds=self.answer_spin.value(),
                max_asa_seconds=caps.get("max_asa_seconds"),
                max_occupancy=caps.get("max_occupancy"),
                max_abandon=caps.get("max_abandon") if erlang_a else None,
                model="erlang_a" if erlang_a else "erlang_c",
                patience_seconds=self.patience_spin.value() if erlang_a else None,
            )
            metrics = queue_metrics(calls, aht, interval, agents, target)
            curve = agent_curve(calls, aht, interval, target, current=agents)
        except WfmError as exc:
            self.error = str(exc)
            self.required_label.setText(fmt.escape_html(self.error))
            return False
        self.error = None
        self.target, self.metrics, self.curve = target, metrics, curve
        self._show(target, metrics, curve)
        return True

    # --- showing --------------------------------------------------------------------------------
    def _show(self, target: StaffingTarget, metrics: QueueMetrics, curve: AgentCurve) -> None:
        answer = fmt.decimal(target.answer_seconds, 0)
        self.traffic_value.setText(
            self.tr("%1 Erlangs").replace("%1", fmt.decimal(metrics.traffic[0], 2))
        )
        self.p_wait_value.setText(fmt.percent(metrics.p_wait[0]))
        self.sl_value.setText(
            self.tr("%1 within %2 s")
            .replace("%1", fmt.percent(metrics.service_level[0]))
            .replace("%2", answer)
        )
        asa = float(metrics.asa_seconds[0])
        self.asa_value.setText(
            f"{fmt.decimal(asa, 1)} s"
            if np.isfinite(asa)
            else self.tr("∞ (too few agents: the queue grows without end)")
        )
        self.occupancy_value.setText(fmt.percent(metrics.occupancy[0]))
        abandon = metrics.p_abandon
        self.abandon_value.setText(
            fmt.percent(abandon[0]) if abandon is not None else self.tr("– (Erlang C)")
        )
        goal = (
            self.tr("%1 % within %2 s")
            .replace(
                "%1", fmt.decimal(target.service_level * 100 if target.service_level else 0, 1)
            )
            .replace("%2", answer)
        )
        caps = self._caps_text(target)
        if caps:
            goal += ", " + caps
        if curve.required is None:
            self.required_label.setText(
                self.tr("No number of agents reaches %1.").replace("%1", fmt.escape_html(goal))
            )
        else:
            self.required_label.setText(
                self.tr("<b>%1 agents</b> needed for %2 (%3)")
                .replace("%1", fmt.count(curve.required))
                .replace("%2", fmt.escape_html(goal))
                .replace("%3", fmt.escape_html(self._model_name(target)))
            )
        self.model_note.setText(
            self.tr(
                "Erlang A: callers hang up after %1 s on average; a caller who hangs up counts "
                "as not answered in time, and needs no agent."
            ).replace("%1", fmt.decimal(target.patience_seconds, 0))
            if target.model == "erlang_a"
            else self.tr(
                "Erlang C: nobody hangs up, every caller waits until answered. Where callers do "
                "abandon it over-staffs a little; tick 'Callers hang up' to use their patience."
            )
        )

        x = curve.agents.astype(float)
        m = curve.metrics
        self.sl_curve.setData(x, m.service_level * 100)
        self.occupancy_curve.setData(x, m.occupancy * 100)
        if m.p_abandon is not None:
            self.abandon_curve.setData(x, m.p_abandon * 100)
        else:
            self.abandon_curve.setData([], [])
        self._show_in_legend(self.abandon_curve, self.tr("Abandons"), m.p_abandon is not None)
        self.target_line.setValue((target.service_level or 0) * 100)
        self.agents_line.setValue(float(metrics.agents[0]))
        if curve.required is not None:
            i = int(np.searchsorted(curve.agents, curve.required))
            self.required_marker.setData([float(curve.required)], [m.service_level[i] * 100])
        else:
            self.required_marker.setData([], [])
        item = self.plot.getPlotItem()
        item.setXRange(x[0] - 0.5, x[-1] + 0.5, padding=0)
        item.setYRange(-4, _Y_TOP, padding=0)
        self.hover.refresh()

    def _show_in_legend(self, curve: pg.PlotDataItem, name: str, on: bool) -> None:
        legend = self.plot.getPlotItem().legend
        listed = any(sample.item is curve for sample, _ in legend.items)
        if on and not listed:
            legend.addItem(curve, name)
        elif not on and listed:
            legend.removeItem(curve)
        curve.setVisible(on)

    def _model_name(self, target: StaffingTarget) -> str:
        return self.tr("Erlang A") if target.model == "erlang_a" else self.tr("Erlang C")

    def _describe(self, x: float) -> str | None:
        curve = self.curve
        if curve is None or curve.agents.size == 0:
            return None
        i = int(np.argmin(np.abs(curve.agents - x)))
        if abs(curve.agents[i] - x) > 0.5:
            return None
        m = curve.metrics
        lines = [
            self.tr("%1 agents").replace("%1", fmt.count(curve.agents[i])),
            self.tr("Service level: %1").replace("%1", fmt.percent(m.service_level[i])),
            self.tr("Occupancy: %1").replace("%1", fmt.percent(m.occupancy[i])),
        ]
        if m.p_abandon is not None:
            lines.append(self.tr("Abandons: %1").replace("%1", fmt.percent(m.p_abandon[i])))
        asa = float(m.asa_seconds[i])
        lines.append(
            self.tr("ASA: %1").replace(
                "%1", f"{fmt.decimal(asa, 1)} s" if np.isfinite(asa) else "∞"
            )
        )
        return "\n".join(lines)
