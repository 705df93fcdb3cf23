"""The Data page: what is in the current interval history, and what the last import did.

Everything shown comes from ``wfm``: :meth:`IntervalHistory.daily_totals`,
:meth:`IntervalHistory.intraday_profile` and the :class:`CleaningReport` of the import.
The page only reshapes those frames for drawing (one line per queue or weekday) and
formats them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyqtgraph as pg
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui import formatting as fmt
from ui.charts import (
    WEEKDAY_COLOURS,
    HoverReadout,
    TimeOfDayAxis,
    add_curve,
    colour,
    format_minutes,
    make_plot,
    naive_to_epoch,
)
from ui.widgets import placeholder_label
from wfm.io.cleaning import CleaningReport
from wfm.io.history import IntervalHistory

#: Example rows shown in the table cell; the tooltip lists all the report gives.
_EXAMPLES_IN_CELL = 3
_SEVERITY_COLOURS = {"info": "#2f6fb0", "warning": "#b26b00", "error": "#c62828"}


class DataPage(QWidget):
    """Header, daily chart, intraday chart by weekday and the import report."""

    #: Emitted when the user picks another queue in the selector.
    queueChanged = Signal(str)  # noqa: N815 - Qt naming

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.history: IntervalHistory | None = None
        self.report: CleaningReport | None = None
        self._daily_wide: pd.DataFrame | None = None  # date x queue, offered
        self._intraday_wide: pd.DataFrame | None = None  # minute_of_day x weekday, offered
        self._profile: pd.DataFrame | None = None  # wfm's intraday_profile()
        self.daily_curves: dict[str, pg.PlotDataItem] = {}
        self.intraday_curves: dict[int, pg.PlotDataItem] = {}

        self.stack = QStackedWidget(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

        self.placeholder = placeholder_label(
            self.tr(
                "No call data yet.\n\nImport a call log or an interval report (File ▸ Import "
                "call log…, Ctrl+I),\nopen an interval history, or drop a file on this window."
            )
        )
        self.stack.addWidget(self.placeholder)

        content = QWidget()
        self.stack.addWidget(content)
        outer = QVBoxLayout(content)
        outer.setContentsMargins(10, 8, 10, 8)
        outer.setSpacing(6)

        self.header_label = QLabel()
        self.header_label.setTextFormat(Qt.TextFormat.RichText)
        self.header_label.setWordWrap(True)
        self.header_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        outer.addWidget(self.header_label)

        # The daily chart spans the width (years of days need it); below it the intraday
        # shape, and beside that the report of the last import when there is one.
        splitter = self._main_split = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        outer.addWidget(splitter, 1)
        lower = self._lower = QSplitter(Qt.Orientation.Horizontal)
        lower.setChildrenCollapsible(False)

        daily_box = QWidget()
        daily_layout = QVBoxLayout(daily_box)
        daily_layout.setContentsMargins(0, 0, 0, 0)
        daily_note = QLabel(
            self.tr("All queues · drag to pan, wheel to zoom, right-click for more")
        )
        daily_note.setStyleSheet("color: #666666;")
        daily_note.setMinimumHeight(26)
        daily_layout.addWidget(daily_note)
        self.daily_plot = make_plot(
            self.tr("Calls offered per day"),
            left_label=self.tr("calls"),
            bottom_axis=pg.DateAxisItem(orientation="bottom", utcOffset=0),
        )
        self.daily_hover = HoverReadout(
            self.daily_plot,
            self._describe_day,
            lambda: [c.opts["pen"].color().name() for c in self.daily_curves.values()],
        )
        daily_layout.addWidget(self.daily_plot, 1)
        splitter.addWidget(daily_box)
        splitter.addWidget(lower)

        intraday_box = QWidget()
        intraday_layout = QVBoxLayout(intraday_box)
        intraday_layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        queue_label = QLabel(self.tr("&Queue:"))
        self.queue_combo = QComboBox()
        self.queue_combo.setMinimumContentsLength(12)
        self.queue_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        queue_label.setBuddy(self.queue_combo)
        row.addWidget(queue_label)
        row.addWidget(self.queue_combo)
        row.addStretch(1)
        intraday_layout.addLayout(row)
        self.intraday_plot = make_plot(
            self.tr("Average calls per interval, by weekday"),
            left_label=self.tr("calls per interval"),
            bottom_axis=TimeOfDayAxis(orientation="bottom"),
        )
        self.intraday_hover = HoverReadout(
            self.intraday_plot,
            self._describe_minute,
            lambda: (
                [WEEKDAY_COLOURS[int(d)] for d in self._intraday_wide.columns]
                if self._intraday_wide is not None
                else []
            ),
        )
        intraday_layout.addWidget(self.intraday_plot, 1)
        lower.addWidget(intraday_box)

        self.report_box = self._build_report_box()
        lower.addWidget(self.report_box)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)

        self.queue_combo.currentTextChanged.connect(self._queue_selected)

    # --- building ------------------------------------------------------------------------
    def _build_report_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Last import"))
        layout = QVBoxLayout(box)
        self.summary_label = QLabel()
        self.summary_label.setTextFormat(Qt.TextFormat.RichText)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary_label)

        # A table rather than a tree: QTableView re-measures wrapped rows reliably.
        self.report_table = QTableWidget(0, 4)
        self.report_table.setHorizontalHeaderLabels(
            [self.tr("Finding"), self.tr("Count"), self.tr("Examples"), self.tr("What was done")]
        )
        self.report_table.verticalHeader().setVisible(False)
        self.report_table.setAlternatingRowColors(True)
        self.report_table.setWordWrap(True)
        self.report_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.report_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.report_table.setShowGrid(False)
        self.report_table.setIconSize(QSize(16, 16))
        header = self.report_table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.sectionResized.connect(lambda *_: self.report_table.resizeRowsToContents())
        layout.addWidget(self.report_table, 1)

        row = QHBoxLayout()
        row.addStretch(1)
        self.full_report_button = QPushButton(self.tr("Full report…"))
        self.full_report_button.clicked.connect(self.show_full_report)
        row.addWidget(self.full_report_button)
        layout.addLayout(row)
        return box

    # --- state ---------------------------------------------------------------------------
    def set_history(
        self, history: IntervalHistory | None, report: CleaningReport | None = None
    ) -> None:
        """Show ``history`` (and the report of the import that made it, if any)."""
        self.history = history
        self.report = report
        if history is None or len(history) == 0:
            self.stack.setCurrentWidget(self.placeholder)
            self._clear_plots()
            self.queue_combo.clear()
            return
        self.stack.setCurrentIndex(1)
        daily = history.daily_totals()
        self._show_header(history, daily)
        self._show_daily(history, daily)
        self._profile = history.intraday_profile()
        previous = self.queue_combo.currentText()
        self.queue_combo.blockSignals(True)
        self.queue_combo.clear()
        self.queue_combo.addItems(history.queues)
        if previous in history.queues:
            self.queue_combo.setCurrentText(previous)
        self.queue_combo.blockSignals(False)
        self._show_intraday(self.queue_combo.currentText())
        self._show_report(report)

    @property
    def selected_queue(self) -> str:
        return self.queue_combo.currentText()

    def select_queue(self, queue: str) -> None:
        self.queue_combo.setCurrentText(queue)

    def _queue_selected(self, queue: str) -> None:
        if self.history is not None and queue:
            self._show_intraday(queue)
            self.queueChanged.emit(queue)

    # --- header ----------------------------------------------------------------------------
    def _show_header(self, history: IntervalHistory, daily: pd.DataFrame) -> None:
        queues = ", ".join(history.queues)
        days = daily["date"].nunique()
        totals = history.summary()
        parts = [
            self.tr("<b>Queues:</b> %1").replace("%1", fmt.escape_html(queues)),
            self.tr("<b>Dates:</b> %1 – %2 (%3 days with data)")
            .replace("%1", fmt.day(history.start))
            .replace("%2", fmt.day(history.end))
            .replace("%3", fmt.count(days)),
            self.tr("<b>Intervals:</b> %1 min").replace("%1", str(history.interval_minutes)),
            self.tr("<b>Offered:</b> %1").replace("%1", fmt.count(totals["calls_offered"])),
        ]
        if not fmt.is_missing(totals["handled"]):
            parts.append(self.tr("<b>Handled:</b> %1").replace("%1", fmt.count(totals["handled"])))
        if not fmt.is_missing(totals["abandoned"]):
            parts.append(
                self.tr("<b>Abandoned:</b> %1").replace("%1", fmt.count(totals["abandoned"]))
            )
        self.header_label.setText(" &nbsp;·&nbsp; ".join(parts))

    # --- chart 1: offered per day, a line per queue ----------------------------------------
    def _show_daily(self, history: IntervalHistory, daily: pd.DataFrame) -> None:
        plot = self.daily_plot
        self._clear(plot, self.daily_curves, self.daily_hover)
        wide = daily.pivot_table(index="date", columns="queue", values="offered", aggfunc="first")
        # Days absent from the history are unknown, not zero: reindex so they show as gaps.
        all_days = pd.date_range(wide.index.min(), wide.index.max(), freq="D")
        wide = wide.reindex(all_days)
        self._daily_wide = wide
        x = naive_to_epoch(wide.index)
        for i, queue in enumerate(history.queues):
            if queue in wide.columns:
                y = wide[queue].to_numpy(dtype=float)
                self.daily_curves[queue] = add_curve(plot, x, y, name=queue, colour=colour(i))
        plot.getPlotItem().enableAutoRange()

    def _describe_day(self, x: float) -> str | None:
        wide = self._daily_wide
        if wide is None or wide.empty:
            return None
        xs = naive_to_epoch(wide.index)
        i = int(np.argmin(np.abs(xs - x)))
        if abs(xs[i] - x) > 86400:
            return None
        lines = [fmt.day(wide.index[i], with_weekday=True)]
        for queue in self.daily_curves:  # the curves' order, which the colours follow
            lines.append(f"{queue}: {fmt.count(wide[queue].iloc[i])}")
        return "\n".join(lines)

    # --- chart 2: intraday shape by weekday, for one queue ---------------------------------
    def _show_intraday(self, queue: str) -> None:
        plot = self.intraday_plot
        self._clear(plot, self.intraday_curves, self.intraday_hover)
        if self._profile is None:
            return
        profile = self._profile[self._profile["queue"] == queue]
        if profile.empty:
            self._intraday_wide = None
            return
        wide = profile.pivot_table(
            index="minute_of_day", columns="weekday", values="offered", aggfunc="first"
        ).sort_index()
        self._intraday_wide = wide
        names = fmt.weekday_names()
        x = wide.index.to_numpy(dtype=float)
        for weekday in range(7):
            if weekday in wide.columns:
                self.intraday_curves[weekday] = add_curve(
                    plot,
                    x,
                    wide[weekday].to_numpy(dtype=float),
                    name=names[weekday],
                    colour=WEEKDAY_COLOURS[weekday],
                    dashed=weekday >= 5,
                )
        plot.getPlotItem().setTitle(
            self.tr("%1: average calls per interval, by weekday").replace("%1", queue),
            size="11pt",
            color="#222222",
        )
        plot.getPlotItem().enableAutoRange()

    def _describe_minute(self, x: float) -> str | None:
        wide = self._intraday_wide
        if wide is None or wide.empty:
            return None
        xs = wide.index.to_numpy(dtype=float)
        i = int(np.argmin(np.abs(xs - x)))
        if abs(xs[i] - x) > (self.history.interval_minutes if self.history else 30):
            return None
        names = fmt.weekday_names()
        lines = [format_minutes(xs[i])]
        for weekday in wide.columns:
            lines.append(f"{names[int(weekday)]}: {fmt.decimal(wide[weekday].iloc[i])}")
        return "\n".join(lines)

    # --- report -----------------------------------------------------------------------------
    def _show_report(self, report: CleaningReport | None) -> None:
        table = self.report_table
        table.setRowCount(0)
        if report is None:
            self.report_box.setVisible(False)
            return
        self.report_box.setVisible(True)
        self._lower.setSizes([4000, 5000])
        self._main_split.setSizes([4000, 5000])
        self.report_box.setTitle(
            self.tr("Last import: %1 — %2")
            .replace("%1", str(report.file))
            .replace("%2", self.findings_text(report, short=True))
        )
        self.summary_label.setText(self._summary_html(report))
        style = self.style()
        icons = {
            "info": style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation),
            "warning": style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning),
            "error": style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical),
        }
        severity_names = {
            "info": self.tr("Information"),
            "warning": self.tr("Warning"),
            "error": self.tr("Error"),
        }
        if not report.findings:
            table.setRowCount(1)
            item = QTableWidgetItem(icons["info"], self.tr("No problems found"))
            table.setItem(0, 0, item)
        table.setRowCount(max(table.rowCount(), len(report.findings)))
        for row, finding in enumerate(report.findings):
            # Example rows of the file; for findings about intervals or days, examples of them.
            known = [
                fmt.count(r) if isinstance(r, int) else str(r)
                for r in (finding.rows or getattr(finding, "examples", ()))
            ]
            examples = ", ".join(known[:_EXAMPLES_IN_CELL])
            if examples and finding.count > min(len(known), _EXAMPLES_IN_CELL):
                examples += ", …"
            severity = finding.severity if finding.severity in icons else "info"
            cells = [
                QTableWidgetItem(icons[severity], finding.title),
                QTableWidgetItem(fmt.count(finding.count)),
                QTableWidgetItem(examples),
                QTableWidgetItem(finding.action),
            ]
            cells[0].setForeground(QBrush(QColor(_SEVERITY_COLOURS[severity])))
            cells[0].setData(Qt.ItemDataRole.UserRole, finding.code)
            cells[0].setToolTip(f"{severity_names[severity]}: {finding.title}")
            cells[1].setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            cells[2].setToolTip(", ".join(known))
            cells[3].setToolTip(finding.action)
            for col, cell in enumerate(cells):
                if col != 1:
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
                table.setItem(row, col, cell)
        table.setColumnWidth(0, 230)
        table.setColumnWidth(2, 150)
        table.resizeRowsToContents()

    def findings_text(self, report: CleaningReport | None, short: bool = False) -> str:
        """ "6 findings, 5 to check; see the import report on the Data page." — the lines the
        report table shows, and how many are warnings or errors (the rest are information).
        ``short`` leaves out the pointer to the report; "" without a report."""
        if report is None:
            return ""
        n, problems = len(report.findings), len(report.problems)
        if not n:
            return self.tr("no findings") if short else self.tr("No findings in the import.")
        text = (
            self.tr("%1 findings").replace("%1", fmt.count(n)) if n != 1 else self.tr("1 finding")
        )
        if problems:
            text += self.tr(", %1 to check").replace("%1", fmt.count(problems))
        if short:
            return text
        return text + self.tr("; see the import report on the Data page.")

    def _summary_html(self, report: CleaningReport) -> str:
        labels = {
            "offered": self.tr("Calls offered"),
            "calls_offered": self.tr("Calls offered"),
            "aht_based_on_calls": self.tr("AHT measured on (calls)"),
            "interval_minutes": self.tr("Interval (minutes)"),
            "patience_seconds": self.tr("Average patience"),
            "handled": self.tr("Handled"),
            "abandoned": self.tr("Abandoned"),
            "queues": self.tr("Queues"),
            "first_day": self.tr("First day"),
            "last_day": self.tr("Last day"),
            "aht_seconds": self.tr("Average handle time"),
            "rows_read": self.tr("Rows read"),
        }
        items: list[tuple[str, str]] = [
            (labels["rows_read"], fmt.count(report.rows_read)),
        ]
        for key, value in report.summary.items():
            label = labels.get(key, key.replace("_", " ").capitalize())
            text = fmt.seconds(value) if key.endswith("_seconds") else fmt.value(value)
            items.append((label, text))
        # Two label/value pairs per line keep the figures compact above the findings.
        cells = [
            f"<td style='color:#555555; padding-right:8px'>{fmt.escape_html(k)}</td>"
            f"<td style='padding-right:22px'><b>{fmt.escape_html(v)}</b></td>"
            for k, v in items
        ]
        rows = "".join(f"<tr>{''.join(cells[i : i + 2])}</tr>" for i in range(0, len(cells), 2))
        return f"<table cellspacing='0' cellpadding='1'>{rows}</table>"

    def show_full_report(self) -> QDialog | None:
        """Open the plain-language report (``CleaningReport.to_text``) in a dialog."""
        if self.report is None:
            return None
        dialog = QDialog(self)
        dialog.setWindowTitle(self.tr("Import report — %1").replace("%1", str(self.report.file)))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        layout = QVBoxLayout(dialog)
        text = QPlainTextEdit(self.report.to_text())
        text.setReadOnly(True)
        text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        layout.addWidget(text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(dialog.reject)
        layout.addWidget(buttons)
        dialog.resize(760, 520)
        dialog.open()
        return dialog

    # --- helpers ------------------------------------------------------------------------------
    def _clear(
        self, plot: pg.PlotWidget, curves: dict[Any, pg.PlotDataItem], hover: HoverReadout
    ) -> None:
        item = plot.getPlotItem()
        for curve in curves.values():
            item.removeItem(curve)
        curves.clear()
        if item.legend is not None:
            item.legend.clear()
        hover.hide()

    def _clear_plots(self) -> None:
        self._clear(self.daily_plot, self.daily_curves, self.daily_hover)
        self._clear(self.intraday_plot, self.intraday_curves, self.intraday_hover)
        self._daily_wide = self._intraday_wide = None
