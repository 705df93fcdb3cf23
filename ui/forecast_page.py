"""The Forecast page: fit a forecast, compare methods by backtest, edit events and overrides.

Interface the main window relies on:

- ``set_history(history: IntervalHistory | None, report: CleaningReport | None = None)``;
- signal ``forecastChanged(object)`` carrying the :class:`wfm.forecast.model.Forecast` with the
  planner's overrides applied (``volume`` adjusted; ``volume_model`` and ``overridden`` added
  by :func:`wfm.forecast.overrides.apply_overrides`), or None; attribute ``forecast``;
- ``undo_stack`` (the overrides' ``QUndoStack``) and ``undo_action`` / ``redo_action`` for the
  Edit menu.

Everything a planner reads comes from ``wfm``: :func:`wfm.forecast.model.forecast`,
:func:`wfm.forecast.backtest.backtest` (run off the GUI thread through :mod:`ui.tasks`; the
prophet fits run in worker processes that Cancel terminates), the calendar of
:mod:`wfm.forecast.events` and the overrides of :mod:`wfm.forecast.overrides`. The model's
forecast (``model_forecast``) is kept apart from the overrides (``overrides``); every edit of
the overrides re-applies them (cheap, no refit) and emits ``forecastChanged``.

Calendar file: when the history is opened from a folder that holds an ``events.toml`` (the
sample centre's ``sample_data/events.toml``), the page loads it. The main window hands over
only the history, so the page reads the window's ``source_path``; an imported call log's
folder counts the same way.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui import formatting as fmt
from ui.errors import show_error
from ui.event_editor import EventEditor
from ui.forecast_chart import ForecastChart
from ui.forecast_overrides import OverridePanel, OverrideUndoCommand
from ui.formatting import escape_html
from ui.tasks import Task, TaskRunner
from ui.widgets import placeholder_label, rich_label, show_progress
from wfm.errors import WfmError
from wfm.forecast.events import MAIN_COUNTRIES, Calendar
from wfm.forecast.overrides import OverrideCommand, OverrideList, apply_overrides

#: The calendar file the page looks for beside the history.
CALENDAR_FILE = "events.toml"
DEFAULT_HORIZON_DAYS = 28
METHODS = ("auto", "prophet", "last-week", "mean-4-weeks")
BASELINES = ("last-week", "mean-4-weeks")
_RECOMMENDED_BRUSH = QBrush(QColor("#e3f1e0"))


def _engine() -> tuple[Any, Any]:
    """``forecast`` and ``backtest`` (imported when first used: they bring pandas in)."""
    from wfm.forecast import backtest, forecast

    return forecast, backtest


class ForecastPage(QWidget):
    """Controls, chart, and tabs for overrides, events and the backtest."""

    forecastChanged = Signal(object)  # noqa: N815 - Qt naming
    #: The start, horizon, method or calendar changed (the plan has unsaved changes).
    settingsChanged = Signal()  # noqa: N815
    #: ``stale`` changed (the window's banner follows it).
    staleChanged = Signal(bool)  # noqa: N815

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.history: Any = None
        self.report: Any = None
        #: The model's forecast, without overrides.
        self.model_forecast: Any = None
        #: The forecast with the overrides applied (what ``forecastChanged`` carries).
        self.forecast: Any = None
        self.overrides = OverrideList()
        self.calendar = Calendar()
        #: The file the calendar was read from or saved to, if any.
        self.calendar_path: Path | None = None
        #: The calendar was read by itself from the history's folder (not chosen by the planner).
        self._calendar_auto = False
        self.backtest_result: Any = None
        #: True when the settings or calendar changed since the forecast was fitted.
        self.stale = False
        self.last_error_box: Any = None
        self._job_kind = ""

        self.undo_stack = QUndoStack(self)
        self.undo_action = self.undo_stack.createUndoAction(self, self.tr("&Undo"))
        self.undo_action.setShortcut("Ctrl+Z")
        self.redo_action = self.undo_stack.createRedoAction(self, self.tr("&Redo"))
        self.redo_action.setShortcut("Ctrl+Shift+Z")
        self._runner = TaskRunner(self)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self._runner.cancel)

        self.stack = QStackedWidget(self)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)
        self.placeholder = placeholder_label(
            self.tr(
                "No history to forecast yet.\n\nImport a call log or open an interval history "
                "(File menu), then come back here."
            )
        )
        self.stack.addWidget(self.placeholder)
        content = QWidget()
        self.stack.addWidget(content)
        layout = QVBoxLayout(content)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(6)

        layout.addLayout(self._build_controls())
        layout.addWidget(self._build_job_row())
        self.info_label = rich_label("")
        layout.addWidget(self.info_label)
        self.stale_label = QLabel()
        self.stale_label.setStyleSheet(
            "background: #fff4d6; color: #6b4e00; border: 1px solid #e6c66b; padding: 3px 6px;"
        )
        self.stale_label.setVisible(False)
        layout.addWidget(self.stale_label)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        layout.addWidget(splitter, 1)
        self.chart = ForecastChart()
        splitter.addWidget(self.chart)
        self.tabs = QTabWidget()
        self.override_panel = OverridePanel()
        self.event_editor = EventEditor()
        self.tabs.addTab(self.override_panel, self.tr("&Overrides"))
        calendar_tab = QWidget()
        calendar_layout = QVBoxLayout(calendar_tab)
        calendar_layout.setContentsMargins(4, 6, 4, 0)
        calendar_layout.addLayout(self._holidays_row)
        calendar_layout.addWidget(self.event_editor, 1)
        self.tabs.addTab(calendar_tab, self.tr("&Holidays and events"))
        self.tabs.addTab(self._build_backtest_tab(), self.tr("&Backtest"))
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([560, 300])

        self.chart.rangePicked.connect(self.override_panel.set_span)
        self.override_panel.commandRequested.connect(self.push_override_command)
        self.override_panel.pickToggled.connect(self._pick_toggled)
        self.event_editor.calendarChanged.connect(self._calendar_edited)
        self.override_panel.set_overrides(self.overrides)

    # --- building ------------------------------------------------------------------------------
    def _build_controls(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(6)
        start_label = QLabel(self.tr("&Start:"))
        self.start_edit = QDateEdit()
        self.start_edit.setCalendarPopup(True)
        self.start_edit.setDisplayFormat("ddd d MMM yyyy")
        self.start_edit.setToolTip(self.tr("The first day to forecast (history before it is used)"))
        start_label.setBuddy(self.start_edit)
        self.horizon_spin = QSpinBox()
        self.horizon_spin.setRange(1, 366)
        self.horizon_spin.setValue(DEFAULT_HORIZON_DAYS)
        self.horizon_spin.setSuffix(self.tr(" days"))
        self.horizon_spin.setToolTip(self.tr("How many days to forecast"))
        horizon_label = QLabel(self.tr("&Horizon:"))
        horizon_label.setBuddy(self.horizon_spin)
        self.method_combo = QComboBox()
        for method in METHODS:
            self.method_combo.addItem(self.method_label(method), method)
        self.method_combo.setToolTip(
            self.tr(
                "Automatic: the most accurate method in a short backtest.\n"
                "Prophet: daily totals (trend, weekdays, holidays, events) spread by each "
                "weekday's intraday profile.\nThe two baselines repeat recent weeks."
            )
        )
        method_label = QLabel(self.tr("&Method:"))
        method_label.setBuddy(self.method_combo)
        for widget in (start_label, self.start_edit, horizon_label, self.horizon_spin):
            row.addWidget(widget)
        row.addSpacing(8)
        row.addWidget(method_label)
        row.addWidget(self.method_combo)
        holidays_row = self._holidays_row = QHBoxLayout()
        holidays_label = QLabel(self.tr("Ho&lidays:"))
        self.country_combo = QComboBox()
        self.country_combo.addItem(self.tr("None"), None)
        for code in sorted(MAIN_COUNTRIES):
            self.country_combo.addItem(f"{code} · {self.country_name(code)}", code)
        self.country_combo.setToolTip(self.tr("National holidays of this country"))
        holidays_label.setBuddy(self.country_combo)
        self.subdivision_combo = QComboBox()
        self.subdivision_combo.setToolTip(
            self.tr("Region (state, province, nation) for its own holidays")
        )
        self.subdivision_combo.setMinimumContentsLength(6)
        self.subdivision_combo.addItem(self.tr("whole country"), None)
        self.subdivision_combo.setEnabled(False)
        holidays_row.addWidget(holidays_label)
        holidays_row.addWidget(self.country_combo)
        holidays_row.addWidget(self.subdivision_combo)
        holidays_row.addSpacing(8)
        holidays_row.addWidget(_separator())
        self.load_events_button = QPushButton(self.tr("Load events…"))
        self.load_events_button.setToolTip(
            self.tr("Read holidays country, events and special days from a TOML file")
        )
        self.save_events_button = QPushButton(self.tr("Save events…"))
        self.save_events_button.setToolTip(
            self.tr("Save holidays country, events and special days as TOML")
        )
        holidays_row.addWidget(self.load_events_button)
        holidays_row.addWidget(self.save_events_button)
        holidays_row.addStretch(1)
        row.addStretch(1)
        self.forecast_button = QPushButton(self.tr("&Forecast"))
        self.forecast_button.setDefault(True)
        self.forecast_button.setStyleSheet("font-weight: bold;")
        self.forecast_button.setToolTip(self.tr("Fit the chosen method and forecast the horizon"))
        self.backtest_button = QPushButton(self.tr("Bac&ktest"))
        self.backtest_button.setToolTip(
            self.tr("Compare the methods on the history's last weeks (rolling origin)")
        )
        row.addWidget(self.backtest_button)
        row.addWidget(self.forecast_button)

        self.start_edit.dateChanged.connect(lambda *_: self._settings_changed())
        self.horizon_spin.valueChanged.connect(lambda *_: self._settings_changed())
        self.method_combo.currentIndexChanged.connect(lambda *_: self._settings_changed())
        self.country_combo.activated.connect(lambda *_: self._country_chosen())
        self.subdivision_combo.activated.connect(lambda *_: self._subdivision_chosen())
        self.load_events_button.clicked.connect(lambda: self.load_calendar())
        self.save_events_button.clicked.connect(lambda: self.save_calendar())
        self.forecast_button.clicked.connect(lambda: self.run_forecast())
        self.backtest_button.clicked.connect(lambda: self.run_backtest())
        return row

    def _build_job_row(self) -> QWidget:
        self.job_row = QWidget()
        row = QHBoxLayout(self.job_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.job_label = QLabel()
        self.job_label.setMinimumWidth(260)
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 1000)
        self.progress_bar.setTextVisible(True)
        self.progress_bar.setFormat("%p %")
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.cancel_job)
        row.addWidget(self.job_label)
        row.addWidget(self.progress_bar, 1)
        row.addWidget(self.cancel_button)
        self.job_row.setVisible(False)
        return self.job_row

    def _build_backtest_tab(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(4, 4, 4, 4)
        settings = QHBoxLayout()
        self.origins_spin = QSpinBox()
        self.origins_spin.setRange(1, 52)
        self.origins_spin.setValue(5)
        self.origins_spin.setToolTip(self.tr("How many forecast origins, one after the other"))
        self.backtest_days_spin = QSpinBox()
        self.backtest_days_spin.setRange(1, 92)
        self.backtest_days_spin.setValue(14)
        self.backtest_days_spin.setSuffix(self.tr(" days"))
        self.prophet_check = QCheckBox(self.tr("Include Prophet (slower)"))
        self.prophet_check.setChecked(True)
        settings.addWidget(QLabel(self.tr("Origins:")))
        settings.addWidget(self.origins_spin)
        settings.addWidget(QLabel(self.tr("each forecasting")))
        settings.addWidget(self.backtest_days_spin)
        settings.addWidget(self.prophet_check)
        settings.addStretch(1)
        self.use_method_button = QPushButton(self.tr("Use this method"))
        self.use_method_button.setToolTip(
            self.tr("Set the method of the selected row (the recommended one if none is selected)")
        )
        self.use_method_button.setEnabled(False)
        self.use_method_button.clicked.connect(self.use_selected_method)
        settings.addWidget(self.use_method_button)
        layout.addLayout(settings)
        self.recommendation_label = rich_label("")
        self.recommendation_label.setText(
            self.tr("Press Backtest to see how each method would have done on the last weeks.")
        )
        layout.addWidget(self.recommendation_label)
        self.backtest_notes_label = rich_label("")
        self.backtest_notes_label.setVisible(False)
        layout.addWidget(self.backtest_notes_label)
        self.backtest_table = QTableWidget(0, 8)
        self.backtest_table.setHorizontalHeaderLabels(
            [
                self.tr("Method"),
                self.tr("Interval WAPE"),
                self.tr("Interval MAPE"),
                self.tr("Daily WAPE"),
                self.tr("Daily MAPE"),
                self.tr("In P10–P90"),
                self.tr("vs best baseline"),
                self.tr("Origins won"),
            ]
        )
        tips = [
            "",
            self.tr("Sum of |actual − forecast| over the sum of actual calls, per interval"),
            self.tr("Mean of |actual − forecast| / actual over intervals with calls"),
            self.tr("WAPE of the day totals"),
            self.tr("MAPE of the day totals"),
            self.tr(
                "Share of intervals whose actual fell between P10 and P90 (about 80 % when calibrated)"
            ),
            self.tr(
                "Change of interval WAPE against the better baseline (negative: more accurate)"
            ),
            self.tr("Origins where the method had the lowest interval WAPE"),
        ]
        for i, tip in enumerate(tips):
            item = self.backtest_table.horizontalHeaderItem(i)
            if item is not None and tip:
                item.setToolTip(tip)
        self.backtest_table.verticalHeader().setVisible(False)
        self.backtest_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.backtest_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.backtest_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.backtest_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.backtest_table.itemDoubleClicked.connect(lambda *_: self.use_selected_method())
        layout.addWidget(self.backtest_table, 1)
        self.backtest_help = rich_label("color: #555555;")
        self.backtest_help.setText(
            self.tr(
                "Lower is better. <b>WAPE</b>: the forecast's error as a share of all calls "
                "(MAPE: the average error per interval or day). <b>In P10–P90</b>: how often "
                "the actual fell inside the band (about 80 % is right). <b>Noise floor</b>: the "
                "error even a perfect forecast would make, because calls arrive at random; no "
                "method can go below it."
            )
        )
        layout.addWidget(self.backtest_help)
        return box

    # --- labels ----------------------------------------------------------------------------------
    def method_label(self, method: str) -> str:
        labels = {
            "auto": self.tr("Automatic (best in a short backtest)"),
            "prophet": self.tr("Prophet daily + intraday profiles"),
            "last-week": self.tr("Same interval last week"),
            "mean-4-weeks": self.tr("Mean of the last 4 weeks"),
            "noise-floor": self.tr("Noise floor (Poisson)"),
        }
        return labels.get(method, method)

    def country_name(self, code: str) -> str:
        names = {
            "BR": self.tr("Brazil"),
            "CN": self.tr("China"),
            "DE": self.tr("Germany"),
            "FR": self.tr("France"),
            "GB": self.tr("United Kingdom"),
            "IL": self.tr("Israel"),
            "IN": self.tr("India"),
            "US": self.tr("United States"),
        }
        return names.get(code, code)

    # --- history ---------------------------------------------------------------------------------
    def set_history(self, history: Any, report: Any = None) -> None:
        """Show ``history``: the old forecast and backtest no longer apply and are dropped.

        The overrides and the calendar are kept (they are the planner's; a re-import of the
        same centre should not lose them), except that a calendar read automatically from
        another centre's folder gives way to this folder's ``events.toml`` or to none.
        """
        self._drop_job()
        had_forecast = self.forecast is not None
        self.history = history
        self.report = report
        self.model_forecast = None
        self.forecast = None
        self.backtest_result = None
        self._show_backtest(None)
        self._set_stale(False)
        if history is None or len(history) == 0:
            # A new plan: the next history chooses its own start.
            self.start_edit.blockSignals(True)
            self.start_edit.setDate(self.start_edit.minimumDate())
            self.start_edit.blockSignals(False)
            self.stack.setCurrentWidget(self.placeholder)
            self.chart.set_data(None, None, self.calendar)
            if had_forecast:
                self.forecastChanged.emit(None)
            return
        self.stack.setCurrentIndex(1)
        queues = list(history.queues)
        self.chart.set_queues(queues)
        self.override_panel.set_queues(queues)
        start = forecast_start_after(history.end.date(), self.start)
        self.start_edit.blockSignals(True)
        self.start_edit.setDate(fmt.qdate(start))
        self.start_edit.blockSignals(False)
        self._find_calendar(report)
        self._follow_start(start)
        self.chart.set_data(history, None, self.calendar)
        self.override_panel.set_overrides(self.overrides)
        self._show_info()
        if had_forecast:
            self.forecastChanged.emit(None)

    def _follow_start(self, start: dt.date) -> None:
        """Point the event editor, the chart's day and the override form at ``start`` (the
        form keeps its span when it already lies in the forecast period)."""
        self.event_editor.default_day = start
        self.chart.day_edit.setDate(fmt.qdate(start))
        first = dt.datetime.combine(start, dt.time())
        after = first + dt.timedelta(days=self.horizon_days)
        span_start, span_end = self.override_panel.span()
        if not (first <= span_start < span_end <= after):
            self.override_panel.set_span(first, first + dt.timedelta(days=1))

    def _find_calendar(self, report: Any) -> None:
        folders: list[Path] = []
        window = self.window()
        source = getattr(window, "source_path", None) if window is not self else None
        if source:
            folders.append(Path(source).parent)
        report_file = getattr(report, "file", None)
        if report_file and Path(str(report_file)).parent != Path("."):
            folders.append(Path(str(report_file)).parent)
        self._history_folder = folders[0] if folders else None
        for folder in folders:
            path = folder / CALENDAR_FILE
            if path.is_file():
                if (
                    self.calendar_path is not None
                    and self.calendar_path.resolve() == path.resolve()
                ):
                    return  # already the calendar on screen (perhaps edited since)
                self.load_calendar(path, auto=True)
                return
        if self.calendar_path is not None and self._calendar_auto:
            self._use_calendar(Calendar(), None)

    # --- calendar ---------------------------------------------------------------------------------
    def _use_calendar(self, calendar: Calendar, path: Path | None, *, auto: bool = False) -> None:
        changed = calendar != self.calendar
        self.calendar = calendar
        if changed:
            self.settingsChanged.emit()
        self.calendar_path = path
        self._calendar_auto = auto
        self.event_editor.set_calendar(calendar)
        self._show_country()
        if changed and self.model_forecast is not None:
            self._set_stale(True, self.tr("Events changed — press Forecast to refit."))
        self.chart.set_data(self.history, self.forecast, calendar, keep_view=True)
        self._show_info()

    def load_calendar(self, path: str | Path | None = None, *, auto: bool = False) -> bool:
        """Read a calendar TOML (asking for the file without ``path``); True when it worked."""
        if path is None:
            where = self.calendar_path.parent if self.calendar_path else self._history_folder
            folder = str(where or "")
            name, _ = QFileDialog.getOpenFileName(
                self, self.tr("Load events"), folder, self.tr("Calendar (*.toml);;All files (*)")
            )
            if not name:
                return False
            path = name
        path = Path(path)
        try:
            calendar = Calendar.load(path)
        except WfmError as exc:
            self.last_error_box = show_error(self, exc, "", self.tr("Could not read the events"))
            return False
        self._use_calendar(calendar, path, auto=auto)
        return True

    def save_calendar(self, path: str | Path | None = None) -> Path | None:
        """Write the calendar as TOML (asking where without ``path``)."""
        if path is None:
            folder = self._history_folder or Path.home()
            suggestion = str(self.calendar_path or folder / CALENDAR_FILE)
            name, _ = QFileDialog.getSaveFileName(
                self, self.tr("Save events"), suggestion, self.tr("Calendar (*.toml)")
            )
            if not name:
                return None
            path = name
        try:
            saved = self.calendar.save(path)
        except WfmError as exc:
            self.last_error_box = show_error(self, exc, "", self.tr("Could not save the events"))
            return None
        self.calendar_path = Path(saved)
        self._calendar_auto = False
        self._show_info()
        return Path(saved)

    def set_calendar(self, calendar: Calendar) -> None:
        """Use ``calendar`` (as an edit: the forecast becomes stale)."""
        self._use_calendar(calendar, self.calendar_path)

    def _calendar_edited(self, calendar: Calendar) -> None:
        self._calendar_auto = False
        self._use_calendar(calendar, self.calendar_path)

    def _show_country(self) -> None:
        code = self.calendar.country
        index = self.country_combo.findData(code)
        if index < 0 and code:
            self.country_combo.addItem(code, code)
            index = self.country_combo.count() - 1
        self.country_combo.setCurrentIndex(max(index, 0))
        self.subdivision_combo.clear()
        self.subdivision_combo.addItem(self.tr("whole country"), None)
        if code:
            from wfm.forecast.events import supported_countries

            for sub in supported_countries().get(code, []):
                self.subdivision_combo.addItem(sub, sub)
        self.subdivision_combo.setEnabled(self.subdivision_combo.count() > 1)
        self.subdivision_combo.setCurrentIndex(
            max(self.subdivision_combo.findData(self.calendar.subdivision), 0)
        )

    def _country_chosen(self) -> None:
        code = self.country_combo.currentData()
        if code == self.calendar.country:
            return
        self._replace_calendar(country=code, subdivision=None)

    def _subdivision_chosen(self) -> None:
        sub = self.subdivision_combo.currentData()
        if sub != self.calendar.subdivision:
            self._replace_calendar(subdivision=sub)

    def _replace_calendar(self, **changes: Any) -> None:
        try:
            calendar = dataclasses.replace(self.calendar, **changes)
        except WfmError as exc:
            self.last_error_box = show_error(self, exc, "", self.tr("Holidays"))
            self._show_country()
            return
        self._calendar_auto = False
        self._use_calendar(calendar, self.calendar_path)

    # --- settings ------------------------------------------------------------------------------------
    @property
    def start(self) -> dt.date:
        d = self.start_edit.date()
        return dt.date(d.year(), d.month(), d.day())

    @property
    def horizon_days(self) -> int:
        return self.horizon_spin.value()

    @property
    def method(self) -> str:
        return str(self.method_combo.currentData())

    def set_method(self, method: str) -> None:
        index = self.method_combo.findData(method)
        if index >= 0:
            self.method_combo.setCurrentIndex(index)

    def _settings_changed(self) -> None:
        if self.history is not None:
            self._follow_start(self.start)
        self.settingsChanged.emit()
        if self.model_forecast is not None:
            self._set_stale(True, self.tr("Settings changed — press Forecast to refit."))

    def _set_stale(self, stale: bool, message: str = "") -> None:
        self.stale = stale
        self.stale_label.setText(message)
        self.stale_label.setVisible(stale)
        self.staleChanged.emit(stale)

    # --- the project file ------------------------------------------------------------------------
    def settings(self) -> dict[str, Any]:
        """The forecast settings kept in the project file (``forecast.start``, ``.days``,
        ``.method``)."""
        return {
            "forecast.start": self.start.isoformat(),
            "forecast.days": self.horizon_days,
            "forecast.method": self.method,
        }

    def restore(
        self,
        forecast: Any,
        overrides: OverrideList,
        calendar: Calendar | None,
        settings: dict[str, Any] | None = None,
    ) -> None:
        """Show a saved forecast as it is (the model's forecast, before ``overrides``), with
        its calendar and settings, without refitting; call after :meth:`set_history`.
        ``forecastChanged`` follows when there is a forecast. The undo history starts again."""
        settings = settings or {}
        widgets = (self.start_edit, self.horizon_spin, self.method_combo)
        for widget in widgets:
            widget.blockSignals(True)
        try:
            start = settings.get("forecast.start")
            if forecast is not None:
                start = forecast.start.isoformat()
            if start:
                self.start_edit.setDate(fmt.qdate(dt.date.fromisoformat(str(start))))
            days = forecast.days if forecast is not None else settings.get("forecast.days")
            if days:
                self.horizon_spin.setValue(int(days))
            method = settings.get("forecast.method")
            if method:
                self.set_method(str(method))
        finally:
            for widget in widgets:
                widget.blockSignals(False)
        self.model_forecast = None  # the calendar below must not mark a forecast stale
        self._use_calendar(calendar if calendar is not None else Calendar(), None)
        self.undo_stack.clear()
        self.overrides = overrides
        self.model_forecast = forecast
        self._set_stale(False)
        if forecast is not None or (start and self.history is not None):
            self._follow_start(forecast.start if forecast is not None else self.start)
        self._apply(keep_view=False)

    # --- jobs ----------------------------------------------------------------------------------------
    @property
    def is_busy(self) -> bool:
        return self._runner.is_busy

    def _lacks_history(self, title: str) -> bool:
        """True (and says so) when there is no history to fit yet."""
        if self.history is not None:
            return False
        self.last_error_box = show_error(
            self, WfmError(self.tr("Open or import a history first.")), "", title
        )
        return True

    def run_forecast(self) -> Task | None:
        """Fit the chosen method in the background; ``forecastChanged`` follows."""
        if self._lacks_history(self.tr("Forecast")):
            return None
        history, calendar = self.history, self.calendar
        start, days, method = self.start, self.horizon_days, self.method

        def work(progress: Any) -> Any:
            forecast, _ = _engine()
            return forecast(
                history, start, days, calendar=calendar, method=method, progress=progress
            )

        return self._start_job(
            "forecast",
            work,
            self.tr("Forecasting %1 days with %2…")
            .replace("%1", str(days))
            .replace("%2", self.method_label(method)),
            self._forecast_done,
        )

    def run_backtest(self) -> Task | None:
        """Backtest the methods in the background; the Backtest tab shows the result."""
        if self._lacks_history(self.tr("Backtest")):
            return None
        history, calendar = self.history, self.calendar
        origins, horizon = self.origins_spin.value(), self.backtest_days_spin.value()
        methods = ("prophet", *BASELINES) if self.prophet_check.isChecked() else BASELINES

        def work(progress: Any) -> Any:
            _, backtest = _engine()
            return backtest(
                history,
                calendar=calendar,
                origins=origins,
                horizon_days=horizon,
                methods=methods,
                progress=progress,
            )

        self.tabs.setCurrentIndex(2)
        return self._start_job(
            "backtest",
            work,
            self.tr("Backtesting %1 origins of %2 days…")
            .replace("%1", str(origins))
            .replace("%2", str(horizon)),
            self._backtest_done,
        )

    def _start_job(self, kind: str, work: Any, label: str, done: Any) -> Task:
        self._job_kind = kind
        self.job_label.setText(label)
        self.progress_bar.setValue(0)
        self.cancel_button.setEnabled(True)
        self.job_row.setVisible(True)
        self._set_busy(True)
        return self._runner.run(
            work,
            name=kind,
            on_finished=done,
            on_failed=self._job_failed,
            on_cancelled=self._job_cancelled,
            on_progress=self._job_progress,
        )

    def cancel_job(self) -> None:
        """Cancel the running fit (its worker processes are terminated)."""
        if self._runner.is_busy:
            self.job_label.setText(self.tr("Cancelling…"))
            self.cancel_button.setEnabled(False)
            self._runner.cancel()

    def _drop_job(self) -> None:
        self._runner.drop()
        self._job_ended()

    def _job_progress(self, fraction: float, message: str) -> None:
        show_progress(self.progress_bar, fraction, message, self.cancel_button.isEnabled())

    def _job_ended(self) -> None:
        self.job_row.setVisible(False)
        self.progress_bar.setFormat("%p %")
        self._set_busy(False)

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.forecast_button, self.backtest_button):
            widget.setEnabled(not busy)

    def _job_failed(self, exc: BaseException, tb: str) -> None:
        self._job_ended()
        title = (
            self.tr("Backtest failed")
            if self._job_kind == "backtest"
            else self.tr("Forecast failed")
        )
        self.last_error_box = show_error(self, exc, tb, title)

    def _job_cancelled(self) -> None:
        self._job_ended()
        self.info_label.setText(self.tr("Cancelled.") + " " + self._forecast_text())

    # --- forecast ---------------------------------------------------------------------------------
    def _forecast_done(self, forecast: Any) -> None:
        self._job_ended()
        self.model_forecast = forecast
        self._set_stale(False)
        self._follow_start(forecast.start)
        self._apply(keep_view=False)

    def _apply(self, keep_view: bool) -> None:
        """Re-apply the overrides to the model's forecast, redraw, and tell the window."""
        model = self.model_forecast
        if model is None:
            self.forecast = None
            self.override_panel.set_overrides(self.overrides)
            self.chart.set_data(self.history, None, self.calendar, keep_view=keep_view)
            self._show_info()
            return
        frame = apply_overrides(model.frame, self.overrides.items)
        self.forecast = dataclasses.replace(model, frame=frame)
        self.override_panel.set_overrides(self.overrides, self.overrides.affected_rows(model.frame))
        self.chart.set_data(self.history, self.forecast, self.calendar, keep_view=keep_view)
        self._show_info()
        self.forecastChanged.emit(self.forecast)

    def _forecast_text(self) -> str:
        fc = self.model_forecast
        if fc is None:
            return self.tr(
                "No forecast yet: choose the start, horizon and method, then press <b>Forecast</b>."
            )
        last = fc.start + dt.timedelta(days=fc.days - 1)
        text = (
            self.tr("<b>Forecast</b> %1 – %2 (%3 days) · method: %4")
            .replace("%1", fmt.day(fc.start, with_weekday=True))
            .replace("%2", fmt.day(last, with_weekday=True))
            .replace("%3", str(fc.days))
            .replace("%4", self.method_label(fc.method))
        )
        if self.method == "auto" and fc.method != "auto":
            text += " " + self.tr("(chosen automatically)")
        return text

    def _show_info(self) -> None:
        parts = [self._forecast_text()]
        if len(self.overrides):
            parts.append(self.tr("%n override(s)", "", len(self.overrides)))
        country = self.calendar.country
        if country:
            where = (
                f"{country}-{self.calendar.subdivision}" if self.calendar.subdivision else country
            )
            parts.append(self.tr("holidays: %1").replace("%1", where))
        else:
            parts.append(self.tr("no holidays"))
        events = len(self.calendar.events) + len(self.calendar.special_days)
        if events:
            parts.append(self.tr("%n event(s) and special day(s)", "", events))
        if self.calendar_path is not None:
            parts.append(self.tr("from %1").replace("%1", self.calendar_path.name))
        text = " · ".join(parts)
        notes = getattr(self.model_forecast, "notes", ()) or ()
        if notes:  # queues skipped or forecast by a fallback, days left out: say so
            text += "<br>" + _note_html(notes)
        self.info_label.setText(text)

    # --- overrides ---------------------------------------------------------------------------------
    def push_override_command(self, command: OverrideCommand, text: str) -> None:
        """Apply ``command`` through the undo stack (so Edit ▸ Undo reverts it)."""
        try:
            self.undo_stack.push(OverrideUndoCommand(self, command, text))
        except WfmError as exc:
            self.last_error_box = show_error(self, exc, "", self.tr("Override"))

    def set_overrides(self, overrides: OverrideList) -> None:
        """Replace the overrides and re-apply them (used by the undo command)."""
        self.overrides = overrides
        self._apply(keep_view=True)

    def _pick_toggled(self, on: bool) -> None:
        if on:
            start, end = self.override_panel.span()
            x0, x1 = self.chart.visible_range()
            inside = x0 <= pd.Timestamp(start).timestamp() <= x1
            self.chart.set_picking(True, start if inside else None, end if inside else None)
        else:
            self.chart.set_picking(False)

    # --- backtest ----------------------------------------------------------------------------------
    def _backtest_done(self, result: Any) -> None:
        self._job_ended()
        self.backtest_result = result
        self._show_backtest(result)

    def _show_backtest(self, result: Any) -> None:
        notes = getattr(result, "notes", ()) or ()
        self.backtest_notes_label.setText(_note_html(notes))
        self.backtest_notes_label.setVisible(bool(notes))
        table = self.backtest_table
        table.setRowCount(0)
        self.use_method_button.setEnabled(result is not None)
        if result is None:
            self.recommendation_label.setText(
                self.tr("Press Backtest to see how each method would have done on the last weeks.")
            )
            return
        summary = result.summary()
        table.setRowCount(len(summary) + 1)
        bold = QFont(table.font())
        bold.setBold(True)
        for row, rec in enumerate(summary.itertuples(index=False)):
            method = str(rec.method)
            recommended = bool(rec.recommended)
            name = self.method_label(method)
            if recommended:
                name = "★ " + name + " " + self.tr("(recommended)")
            vs = rec.vs_best_baseline
            vs_text = (
                "" if method in BASELINES or pd.isna(vs) else f"{'+' if vs > 0 else ''}{_pct(vs)}"
            )
            cells = [
                name,
                _pct(rec.interval_wape),
                _pct(rec.interval_mape),
                _pct(rec.daily_wape),
                _pct(rec.daily_mape),
                _pct(rec.interval_coverage),
                vs_text,
                fmt.count(rec.origins_won),
            ]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, method)
                if col:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if recommended:
                    item.setFont(bold)
                    item.setBackground(_RECOMMENDED_BRUSH)
                table.setItem(row, col, item)
        floor_row = len(summary)
        floor = QTableWidgetItem(self.method_label("noise-floor"))
        floor.setToolTip(
            self.tr(
                "The interval WAPE a perfect forecast would still make, because calls arrive at "
                "random: no method can beat it."
            )
        )
        floor_value = QTableWidgetItem(_pct(result.noise_floor))
        floor_value.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        italic = QFont(table.font())
        italic.setItalic(True)
        for col, item in ((0, floor), (1, floor_value)):
            item.setForeground(QBrush(QColor("#666666")))
            item.setFont(italic)
            table.setItem(floor_row, col, item)
        self.recommendation_label.setText(self._recommendation(summary, result))

    def _recommendation(self, summary: pd.DataFrame, result: Any) -> str:
        rec_rows = summary[summary["recommended"]]
        if rec_rows.empty:
            return ""
        rec = rec_rows.iloc[0]
        origins = len(getattr(result, "origins", ()) or ())
        where = (
            self.tr("over %1 origins of %2 days")
            .replace("%1", str(origins))
            .replace("%2", str(getattr(result, "horizon_days", "")))
        )
        baselines = summary[summary["method"].isin(BASELINES)].dropna(subset=["interval_wape"])
        floor = _pct(result.noise_floor)
        if rec["method"] not in BASELINES and not baselines.empty and rec["vs_best_baseline"] < 0:
            best = baselines.loc[baselines["interval_wape"].idxmin()]
            text = (
                self.tr(
                    "<b>%1 is %2 more accurate than %3 at interval level</b> (WAPE %4 against %5, "
                    "%6; the noise floor is %7)."
                )
                .replace("%1", self.method_label(rec["method"]))
                .replace("%2", _pct(-rec["vs_best_baseline"]))
                .replace("%3", self.method_label(best["method"]).lower())
                .replace("%4", _pct(rec["interval_wape"]))
                .replace("%5", _pct(best["interval_wape"]))
                .replace("%6", where)
                .replace("%7", floor)
            )
        else:
            text = (
                self.tr(
                    "<b>%1 is the most accurate at interval level</b> (WAPE %2, %3; the noise floor is %4)."
                )
                .replace("%1", self.method_label(rec["method"]))
                .replace("%2", _pct(rec["interval_wape"]))
                .replace("%3", where)
                .replace("%4", floor)
            )
            others = summary[~summary["method"].isin(BASELINES) & ~summary["recommended"]]
            for other in others.itertuples(index=False):
                if pd.notna(other.vs_best_baseline) and other.vs_best_baseline > 0:
                    text += " " + self.tr(
                        "%1 is %2 less accurate than the better baseline."
                    ).replace("%1", self.method_label(str(other.method))).replace(
                        "%2", _pct(other.vs_best_baseline)
                    )
        return text + " " + self.tr("You can pick any method.")

    def use_selected_method(self) -> None:
        """Set the method combo to the selected backtest row's method (or the recommended one)."""
        if self.backtest_result is None:
            return
        method = None
        rows = self.backtest_table.selectionModel().selectedRows()
        if rows:
            item = self.backtest_table.item(rows[0].row(), 0)
            method = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if method not in METHODS:
            method = self.backtest_result.recommended
        self.set_method(str(method))


def _pct(value: Any) -> str:
    """A fraction as a percentage with one decimal (``0.123`` -> ``12.3 %``)."""
    return "–" if fmt.is_missing(value) else fmt.percent(value)


def _separator() -> QFrame:
    line = QFrame()
    line.setFrameShape(QFrame.Shape.VLine)
    line.setFrameShadow(QFrame.Shadow.Sunken)
    return line


def _note_html(notes: Sequence[str]) -> str:
    """The engine's notes (a queue skipped, a day left out) as one warning line."""
    return '<span style="color:#a15c00">⚠ ' + escape_html("; ".join(notes)) + "</span>"


def forecast_start_after(last_day: dt.date, current: dt.date | None = None) -> dt.date:
    """The forecast start for a history ending on ``last_day``: the plan's ``current`` start
    when it is after the history, else the first Monday after it (rosters run Monday to
    Sunday)."""
    if current is not None and current > last_day:
        return current
    return last_day + dt.timedelta(days=7 - last_day.weekday())
