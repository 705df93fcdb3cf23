"""The Data page and the preview table model, on small histories the tests make."""

from __future__ import annotations

import numpy as np
import pandas as pd
from PySide6.QtCore import QModelIndex, Qt

from tests.ui.conftest import make_history
from ui.data_page import DataPage
from ui.models import DataFrameModel
from wfm.io.cleaning import CleaningReport, Finding


def page_with(qtbot, history, report=None) -> DataPage:
    page = DataPage()
    qtbot.addWidget(page)
    page.show()
    page.set_history(history, report)
    return page


def test_empty_page_invites_an_import(qtbot):
    page = DataPage()
    qtbot.addWidget(page)
    page.set_history(None)
    assert page.stack.currentWidget() is page.placeholder
    assert "Import" in page.placeholder.text()
    assert page.daily_curves == {} and page.intraday_curves == {}


def test_days_missing_from_the_history_are_gaps_not_zeros(qtbot):
    history = make_history(days=10, skip_days=(4,))
    page = page_with(qtbot, history)
    x, y = page.daily_curves["North"].getData()
    assert len(x) == 10  # every calendar day, the missing one included
    assert np.isnan(y[4]) and np.all(np.isfinite(np.delete(y, 4)))
    assert np.all(np.diff(x) == 86400)


def test_header_reports_queues_dates_interval_and_totals(qtbot):
    history = make_history(queues=("A",), days=7, minutes=60)
    page = page_with(qtbot, history)
    text = page.header_label.text()
    days = history.daily_totals()
    assert "A" in text and "60 min" in text and "2 Mar 2026" in text and "8 Mar 2026" in text
    assert f"{int(days['offered'].sum()):,}" in text
    assert page.queue_combo.count() == 1


def test_reloading_keeps_the_chosen_queue_and_replaces_the_curves(qtbot):
    page = page_with(qtbot, make_history(queues=("A", "B", "C")))
    page.select_queue("B")
    page.set_history(make_history(queues=("B", "C"), days=7))
    assert page.selected_queue == "B"
    assert sorted(page.daily_curves) == ["B", "C"]
    assert len(page.daily_plot.getPlotItem().listDataItems()) == 2
    assert len(page.intraday_plot.getPlotItem().listDataItems()) == 7


def test_report_panel_lists_findings_with_severity_rows_and_action(qtbot):
    report = CleaningReport(
        file="calls.csv",
        shape="calls",
        encoding="utf-8",
        delimiter=",",
        rows_read=1234,
        findings=(
            Finding(
                "bad_timestamp", "Unreadable call time", 12, "dropped", "error", rows=(5, 1204)
            ),
            Finding(
                "missing_days",
                "Days without any call",
                2,
                "left as gaps",
                "info",
                examples=("2026-03-07", "2026-03-08"),
            ),
        ),
        summary={"calls_offered": 31125, "aht_seconds": 179.0, "queues": "PS, NE"},
    )
    page = page_with(qtbot, make_history(), report)
    assert not page.report_box.isHidden()
    table = page.report_table
    assert table.rowCount() == 2
    cells = [[table.item(r, c) for c in range(4)] for r in range(2)]
    assert [c.text() for c in cells[0]] == ["Unreadable call time", "12", "5, 1,204, …", "dropped"]
    assert cells[0][0].foreground().color().name() == "#c62828"  # errors in red
    assert not cells[0][0].icon().isNull()
    assert cells[1][2].text() == "2026-03-07, 2026-03-08"
    assert cells[1][0].foreground().color().name() == "#2f6fb0"
    summary = page.summary_label.text()
    assert (
        "31,125" in summary
        and "179 s (2:59)" in summary
        and "PS, NE" in summary
        and "1,234" in summary
    )
    assert "calls.csv" in page.report_box.title()


def test_dataframe_model_shows_text_and_dims_personal_columns(qtbot):
    frame = pd.DataFrame({"Call Start": ["2026-03-02 09:00", ""], "Caller": ["•••", ""]})
    model = DataFrameModel()
    model.set_frame(frame, ("Caller",), {"Call Start": "Arrival"}, row_numbers=[2, 3])
    assert (model.rowCount(), model.columnCount()) == (2, 2)
    assert model.rowCount(model.index(0, 0)) == 0  # a table, not a tree
    assert model.index(0, 0).data() == "2026-03-02 09:00"
    assert model.index(1, 0).data() == ""
    assert model.index(0, 1).data(Qt.ItemDataRole.ForegroundRole).color().name() == "#9e9e9e"
    assert model.index(0, 0).data(Qt.ItemDataRole.ForegroundRole) is None
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Call Start"
    assert model.headerData(0, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole) == "Arrival"
    assert model.headerData(1, Qt.Orientation.Vertical) == "3"
    assert model.data(QModelIndex()) is None
    model.set_frame(None)
    assert model.rowCount() == 0
