"""The Forecast page's editors without a fit: updating an override from the form, special days,
and the jobs refused without a history (no worker processes, no prophet)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from tests.ui.conftest import make_history
from ui.forecast_page import ForecastPage
from wfm.forecast.overrides import Override, OverrideList


@pytest.fixture
def page(qtbot):
    p = ForecastPage()
    qtbot.addWidget(p)
    yield p
    p._drop_job()
    p._runner.wait(10_000)


def test_update_selected_replaces_the_override_and_refuses_a_bad_form(page):
    page.set_history(make_history(days=35))
    panel = page.override_panel
    day = dt.date(2026, 4, 7)
    page.set_overrides(OverrideList((Override.for_days(day, value=10),)))
    panel.table.selectRow(0)
    panel.value_spin.setValue(25)
    panel.set_span(dt.datetime(2026, 4, 7), dt.datetime(2026, 4, 8))
    panel.replace_button.click()
    assert panel.message_label.text() == ""
    assert page.overrides[0].value == 25 and len(page.overrides) == 1
    assert page.undo_stack.count() == 1
    panel.set_span(dt.datetime(2026, 4, 7), dt.datetime(2026, 4, 7))
    panel.replace_button.click()
    assert "must be after the start" in panel.message_label.text()
    assert page.overrides[0].value == 25 and page.undo_stack.count() == 1
    # a valid form clears the message again
    panel.set_span(dt.datetime(2026, 4, 7), dt.datetime(2026, 4, 8))
    panel.add_button.click()
    assert panel.message_label.text() == "" and len(page.overrides) == 2
    page.undo_stack.undo()
    page.undo_stack.undo()
    assert page.overrides[0].value == 10


def test_special_day_edits_and_removal(page):
    page.set_history(make_history(days=35))
    editor = page.event_editor
    editor.add_special_button.click()
    table = editor.special_table
    table.item(0, 2).setCheckState(Qt.CheckState.Unchecked)
    table.item(0, 3).setText("250")
    special = page.calendar.special_days[0]
    assert not special.closed and special.volume == 250
    table.item(0, 3).setText("lots")
    assert "volume: 'lots' is not a number" in editor.message_label.text()
    assert page.calendar.special_days[0] == special and table.item(0, 3).text() == "250"
    table.selectRow(0)
    editor.remove_special_button.click()
    assert page.calendar.special_days == ()
    assert editor.message_label.text() == ""


@pytest.mark.parametrize(("run", "title"), [("run_forecast", "Forecast"), ("run_backtest", "Backtest")])
def test_jobs_without_a_history_say_so(page, run, title):
    assert getattr(page, run)() is None
    box = page.last_error_box
    assert box.windowTitle() == title and "Open or import a history first" in box.text()
    box.close()
