"""The Forecast page: fitting in the background, overrides with undo, events, backtest, errors.

Most tests use the fast baselines on a small synthetic history; one runs the real prophet path
through the page and one shows that Cancel stops prophet fits within 2 s while the event loop
keeps serving.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import re
import time

import numpy as np
import pandas as pd
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox

from tests.ui.conftest import SAMPLE_HISTORY, make_history
from ui.forecast_page import ForecastPage
from ui.main_window import MainWindow
from wfm.forecast.events import Calendar, Event
from wfm.io.history import IntervalHistory

FIT_TIMEOUT_MS = 30_000


@pytest.fixture
def page(qtbot):
    p = ForecastPage()
    qtbot.addWidget(p)
    p.resize(1300, 900)
    p.show()
    yield p
    p._drop_job()
    p._runner.wait(10_000)


def forecast_with(qtbot, page: ForecastPage, method: str = "last-week", days: int = 7):
    page.set_method(method)
    page.horizon_spin.setValue(days)
    with qtbot.waitSignal(page.forecastChanged, timeout=FIT_TIMEOUT_MS) as blocker:
        page.forecast_button.click()
    return blocker.args[0]


def test_without_a_history_the_page_says_what_to_do(page):
    page.set_history(None)
    assert page.stack.currentWidget() is page.placeholder
    assert page.forecast is None and page.model_forecast is None


def test_forecast_is_emitted_for_the_chosen_start_and_horizon(qtbot, page):
    history = make_history(days=35)
    page.set_history(history)
    assert page.start == dt.date(2026, 4, 6)  # the day after the history ends
    assert page.horizon_days == 28
    forecast = forecast_with(qtbot, page, "mean-4-weeks", days=10)
    assert forecast is page.forecast
    assert forecast.method == "mean-4-weeks" and forecast.days == 10
    days = forecast.frame["interval_start"].dt.normalize()
    assert days.min() == pd.Timestamp("2026-04-06") and days.nunique() == 10
    assert sorted(forecast.frame["queue"].unique()) == ["North", "South"]
    assert not page.job_row.isVisible() and page.forecast_button.isEnabled()
    # history and forecast share the chart, with the P10-P90 band
    assert {"actual", "forecast", "low", "high"} <= set(page.chart.curves)
    assert page.chart.band is not None


def test_zero_forecast_in_closed_hours_is_drawn_as_zero(qtbot, page):
    page.set_history(make_history(days=35))
    forecast_with(qtbot, page)
    x, y = page.chart.curves["forecast"].getData()
    when = pd.to_datetime(x, unit="s")
    night = np.asarray(when.hour < 8) & (x >= pd.Timestamp("2026-04-06").timestamp())
    assert night.sum() > 0
    assert np.all(y[night] == 0)  # a real zero on the line, not a gap
    assert np.all(
        y[
            ~night
            & (x >= pd.Timestamp("2026-04-06").timestamp())
            & np.asarray(when.hour >= 9)
            & np.asarray(when.hour < 17)
        ]
        > 0
    )


def test_override_changes_the_volume_and_undo_restores_it_exactly(qtbot, page):
    page.set_history(make_history(days=35))
    forecast_with(qtbot, page)
    model = page.model_forecast.frame.copy()
    panel = page.override_panel
    panel.queue_combo.setCurrentIndex(panel.queue_combo.findData("North"))
    day = dt.datetime(2026, 4, 7)
    panel.set_span(day, day + dt.timedelta(days=1))
    panel.value_spin.setValue(50)
    with qtbot.waitSignal(page.forecastChanged) as blocker:
        panel.add_button.click()
    changed = blocker.args[0].frame
    hit = (model["queue"] == "North") & (
        model["interval_start"].dt.normalize() == pd.Timestamp(day)
    )
    np.testing.assert_allclose(changed.loc[hit, "volume"], model.loc[hit, "volume"] * 1.5)
    np.testing.assert_array_equal(changed.loc[~hit, "volume"], model.loc[~hit, "volume"])
    np.testing.assert_array_equal(changed["volume_model"], model["volume"])
    assert page.model_forecast.frame.equals(model)  # the model output is kept apart
    assert len(page.overrides) == 1 and panel.table.rowCount() == 1
    assert "overridden" in page.chart.curves
    assert page.undo_action.isEnabled() and "Add override" in page.undo_action.text()

    with qtbot.waitSignal(page.forecastChanged) as blocker:
        page.undo_action.trigger()
    restored = blocker.args[0].frame
    np.testing.assert_array_equal(restored["volume"], model["volume"])
    np.testing.assert_array_equal(restored["volume_low"], model["volume_low"])
    assert not restored["overridden"].any() and len(page.overrides) == 0
    assert "overridden" not in page.chart.curves

    page.redo_action.trigger()
    np.testing.assert_allclose(
        page.forecast.frame.loc[hit, "volume"], model.loc[hit, "volume"] * 1.5
    )


def test_absolute_override_on_one_interval_and_the_readout(qtbot, page):
    page.set_history(make_history(days=35))
    forecast_with(qtbot, page)
    panel = page.override_panel
    panel.queue_combo.setCurrentIndex(panel.queue_combo.findData("North"))
    start = dt.datetime(2026, 4, 7, 10, 0)
    panel.set_span(start, start + dt.timedelta(minutes=30))
    panel.kind_combo.setCurrentIndex(panel.kind_combo.findData("absolute"))
    panel.value_spin.setValue(99)
    panel.add_button.click()
    frame = page.forecast.frame
    row = frame[(frame["queue"] == "North") & (frame["interval_start"] == start)]
    assert row["volume"].item() == 99 and row["overridden"].item()
    assert frame["overridden"].sum() == 1
    text = page.chart.hover.show_at(pd.Timestamp(start).timestamp())
    assert "Forecast: 99.0" in text and "Model (before override)" in text


def test_an_invalid_override_is_explained_in_the_form(qtbot, page):
    page.set_history(make_history(days=35))
    panel = page.override_panel
    day = dt.datetime(2026, 4, 7)
    panel.set_span(day, day)
    panel.add_button.click()
    assert "must be after the start" in panel.message_label.text()
    assert len(page.overrides) == 0 and page.undo_stack.count() == 0


def test_event_editor_edits_change_the_page_calendar(qtbot, page):
    page.set_history(make_history(days=35))
    forecast_with(qtbot, page)
    editor = page.event_editor
    editor.add_event_button.click()
    assert len(page.calendar.events) == 1
    assert page.calendar.events[0].start == dt.date(2026, 4, 6)  # the forecast's first day
    assert page.stale and "Events changed" in page.stale_label.text()
    editor.events_table.item(0, 3).setText("40")
    editor.events_table.item(0, 6).setText("North")
    event = page.calendar.events[0]
    assert event.uplift == pytest.approx(0.4) and event.queues == ("North",)
    # an end before the start is refused with wfm's message; the calendar keeps the valid event
    editor.events_table.item(0, 2).setText("2026-04-01")
    assert "before start" in editor.message_label.text()
    assert page.calendar.events[0] == event
    assert editor.events_table.item(0, 2).text() == "2026-04-06"
    editor.add_special_button.click()
    assert page.calendar.special_days[0].closed
    editor.events_table.selectRow(0)
    editor.remove_event_button.click()
    assert page.calendar.events == ()
    # the refit clears the stale banner
    forecast_with(qtbot, page)
    assert not page.stale and not page.stale_label.isVisible()


def test_calendar_round_trips_through_a_file_and_draws_its_days(qtbot, page, tmp_path):
    page.set_history(make_history(days=35))
    calendar = Calendar(
        "GB",
        "ENG",
        events=(Event("Spring offer", dt.date(2026, 4, 8), dt.date(2026, 4, 9), 0.3),),
    )
    page.set_calendar(calendar)
    assert page.country_combo.currentData() == "GB"
    assert page.subdivision_combo.currentData() == "ENG"
    path = page.save_calendar(tmp_path / "events.toml")
    page.set_calendar(Calendar())
    assert page.load_calendar(path)
    assert page.calendar == calendar
    forecast_with(qtbot, page)
    names = [name for _, name, _ in page.chart.regions]
    assert "Spring offer" in names and "Easter Monday" in names  # 6 April 2026 in England
    assert {"Holiday", "Event"} <= set(page.chart.legend_names)


def test_events_toml_beside_the_history_is_picked_up(qtbot, tmp_path):
    folder = tmp_path / "centre"
    folder.mkdir()
    history_path = make_history(days=35).write_csv(folder / "history.csv")
    Calendar("DE").save(folder / "events.toml")
    window = MainWindow()
    qtbot.addWidget(window)
    window.open_path(history_path)
    qtbot.waitUntil(lambda: window.forecast_page.history is not None, timeout=20_000)
    page = window.forecast_page
    assert page.calendar.country == "DE"
    assert page.calendar_path == folder / "events.toml"
    assert "events.toml" in page.info_label.text()
    window.close()


def test_backtest_table_highlights_the_recommended_method(qtbot, page):
    page.set_history(make_history(days=56))
    page.prophet_check.setChecked(False)
    page.origins_spin.setValue(2)
    page.backtest_days_spin.setValue(7)
    page.backtest_button.click()
    assert page.tabs.currentIndex() == 2
    qtbot.waitUntil(lambda: page.backtest_result is not None, timeout=FIT_TIMEOUT_MS)
    result = page.backtest_result
    table = page.backtest_table
    assert table.rowCount() == 3  # two methods and the noise floor
    methods = [table.item(r, 0).data(256) for r in range(2)]  # Qt.UserRole
    assert sorted(methods) == ["last-week", "mean-4-weeks"]
    best = methods.index(result.recommended)
    assert table.item(best, 0).font().bold() and "recommended" in table.item(best, 0).text()
    assert table.item(best, 1).background().color().name() == "#e3f1e0"
    other = 1 - best
    assert not table.item(other, 0).font().bold()
    assert "Noise floor" in table.item(2, 0).text()
    assert "most accurate at interval level" in page.recommendation_label.text()
    page.set_method("auto")
    page.use_method_button.click()
    assert page.method == result.recommended
    table.selectRow(other)
    page.use_method_button.click()
    assert page.method == methods[other]


def test_errors_show_a_message_box_not_a_traceback(qtbot, page):
    page.set_history(make_history(days=10))  # too little history to forecast from
    page.set_method("last-week")
    page.forecast_button.click()
    qtbot.waitUntil(lambda: page.last_error_box is not None, timeout=FIT_TIMEOUT_MS)
    box = page.last_error_box
    assert isinstance(box, QMessageBox) and box.icon() == QMessageBox.Icon.Warning
    assert "history" in box.text().lower() and box.detailedText() == ""
    assert page.forecast is None and not page.job_row.isVisible()
    assert page.forecast_button.isEnabled()
    box.close()


def test_daily_view_and_zoom_to_a_day(qtbot, page):
    page.set_history(make_history(days=35))
    forecast_with(qtbot, page)
    chart = page.chart
    chart.zoom_to_day(dt.date(2026, 4, 8))
    x0, x1 = chart.visible_range()
    assert x0 == pytest.approx(pd.Timestamp("2026-04-08").timestamp())
    assert x1 - x0 == pytest.approx(86400)
    chart.daily_radio.setChecked(True)
    x, y = chart.curves["forecast"].getData()
    x, y = x[np.isfinite(y)], y[np.isfinite(y)]
    assert len(x) == 7 and np.all(np.diff(x) == 86400)
    daily = page.forecast.daily_totals()
    np.testing.assert_allclose(y, daily[daily["queue"] == chart.selected_queue]["volume"])


def test_prophet_forecast_through_the_page(qtbot, page):
    page.set_history(make_history(days=63))
    forecast = forecast_with(qtbot, page, "prophet", days=14)
    assert forecast.method == "prophet" and forecast.days == 14
    assert (forecast.frame["volume"] >= 0).all()
    assert (forecast.frame["volume_low"] <= forecast.frame["volume"] + 1e-9).all()
    assert "Prophet" in page.info_label.text()


def fits_done(page: ForecastPage) -> int:
    found = re.search(r"(\d+) of \d+ done", page.progress_bar.format())
    return int(found.group(1)) if found else 0


def test_cancel_stops_prophet_fits_within_two_seconds_and_the_window_keeps_serving(qtbot, page):
    history = IntervalHistory.read_csv(SAMPLE_HISTORY)
    page.set_history(history)
    page.origins_spin.setValue(12)  # 24 prophet fits: far longer than the test waits
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(50)
    task = page.run_backtest()
    # wait until the worker processes are fitting (two fits done, the others under way)
    qtbot.waitUntil(lambda: "Fitting" in page.progress_bar.format(), timeout=FIT_TIMEOUT_MS)
    fitting_since = time.monotonic()
    qtbot.waitUntil(lambda: fits_done(page) >= 2, timeout=FIT_TIMEOUT_MS)
    assert task.is_running and fits_done(page) < 24
    during = [t for t in ticks if t >= fitting_since]
    seconds = time.monotonic() - fitting_since
    assert len(during) >= 0.5 * seconds / 0.05  # the timer kept ticking while prophet fitted
    cancelled_at = time.monotonic()
    page.cancel_button.click()
    qtbot.waitUntil(lambda: task.state == "cancelled", timeout=2000)
    assert time.monotonic() - cancelled_at < 2.0
    qtbot.waitUntil(lambda: not multiprocessing.active_children(), timeout=2000)
    timer.stop()
    assert not page.job_row.isVisible() and page.backtest_result is None
    assert page.backtest_button.isEnabled() and "Cancelled" in page.info_label.text()


def test_picking_a_span_on_the_chart_fills_the_override_form(qtbot, page):
    page.set_history(make_history(days=35))
    forecast_with(qtbot, page)
    chart, panel = page.chart, page.override_panel
    panel.pick_button.click()
    assert chart.pick_region.isVisible()
    a = pd.Timestamp("2026-04-07 09:10").timestamp()  # snapped to whole 30-minute intervals
    b = pd.Timestamp("2026-04-07 11:50").timestamp()
    chart.pick_region.setRegion((a, b))
    chart.pick_region.sigRegionChangeFinished.emit(chart.pick_region)
    assert panel.span() == (dt.datetime(2026, 4, 7, 9, 0), dt.datetime(2026, 4, 7, 12, 0))
    panel.pick_button.click()
    assert not chart.pick_region.isVisible()


def test_a_new_history_drops_the_old_forecast_but_keeps_the_overrides(qtbot, page):
    page.set_history(make_history(days=35))
    forecast_with(qtbot, page)
    page.override_panel.value_spin.setValue(10)
    page.override_panel.add_button.click()
    with qtbot.waitSignal(page.forecastChanged) as blocker:
        page.set_history(make_history(days=42))
    assert blocker.args == [None]
    assert page.forecast is None and page.model_forecast is None
    assert len(page.overrides) == 1 and page.undo_stack.count() == 1
    assert page.start == dt.date(2026, 4, 13)


def test_the_sample_centre_opens_with_its_calendar(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    window.open_path(SAMPLE_HISTORY)
    qtbot.waitUntil(lambda: window.forecast_page.history is not None, timeout=20_000)
    page = window.forecast_page
    assert page.calendar_path == SAMPLE_HISTORY.parent / "events.toml"
    assert (page.calendar.country, page.calendar.subdivision) == ("GB", "ENG")
    assert len(page.calendar.events) == 2 and page.event_editor.events_table.rowCount() == 2
    assert page.start == dt.date(2026, 11, 2)  # the Monday after the history
    window.close()


def test_the_engines_notes_are_shown_with_the_forecast(qtbot, page):
    # A queue that never had a call is forecast at zero, and the page says so.
    history = make_history(days=35)
    frame = history.frame.copy()
    quiet = frame[frame["queue"] == frame["queue"].iloc[0]].assign(queue="Dormant", offered=0.0)
    page.set_history(IntervalHistory(pd.concat([frame, quiet], ignore_index=True), 30))
    forecast = forecast_with(qtbot, page, method="last-week")
    assert forecast.notes and any("Dormant" in note for note in forecast.notes)
    assert "Dormant" in page.info_label.text() and "⚠" in page.info_label.text()
