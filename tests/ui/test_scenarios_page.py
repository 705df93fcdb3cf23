"""The Scenarios page: the list and its undo, the comparison run in the background, the
charts, promote, stale results, and the page without a plan."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QMessageBox, QVBoxLayout

from tests.wfm.scenarios import MONDAY, demand, roster
from ui.scenario_editor import ScenarioEditor
from ui.scenarios_page import SORT_ROLE, ScenariosPage
from wfm.scenarios import AhtChange, Plan, Scenario, VolumeChange, Where, read_scenarios
from wfm.scenarios.evaluate import comparison_frame, evaluate_all, sensitivity
from wfm.staffing.requirement import StaffingTarget

TARGET = StaffingTarget(0.8, 20, shrinkage=0.3)
WED = MONDAY + dt.timedelta(days=2)
PROMO = Scenario(
    "Promotion",
    volume=(VolumeChange(percent=40.0, where=Where(queues=("Sales",), dates=(WED,))),),
)
LONGER = Scenario("AHT +30 %", aht=(AhtChange(percent=30.0),), headcount=2)


def small_plan(with_roster: bool = True) -> Plan:
    """2 queues x 3 days x 30 minutes, and 8 agents on 08:00-16:30."""
    return Plan(
        demand(days=3, calls=25.0),
        30,
        TARGET,
        roster(n=8, days=3) if with_roster else None,
    )


@pytest.fixture
def page(qtbot) -> ScenariosPage:
    page = ScenariosPage()
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    page.set_plan(small_plan(), "Test plan")
    page.set_scenarios([PROMO, LONGER])
    return page


def compute(qtbot, page: ScenariosPage, **kwargs) -> None:
    with qtbot.waitSignal(page.computed, timeout=10_000):
        assert page.run(**kwargs) is not None


def test_the_comparison_is_the_engines_for_the_base_and_both_scenarios(qtbot, page):
    compute(qtbot, page)
    expected_results = evaluate_all(page.plan, [PROMO, LONGER])
    expected = comparison_frame(expected_results)
    pd.testing.assert_frame_equal(page.comparison, expected)
    assert [r.name for r in page.results()] == ["Base", "Promotion", "AHT +30 %"]
    model = page.model
    assert model.rowCount() == 3
    col = model.keys.index("fte")
    for row in range(3):
        assert model.data(model.index(row, col), SORT_ROLE) == pytest.approx(expected["fte"][row])
    # formatted for a planner: one decimal, a signed change, the share as a percentage
    change = model.keys.index("fte_change")
    assert model.data(model.index(2, change)).startswith("+")
    sl = model.keys.index("service_level_kept")
    assert model.data(model.index(0, sl)).endswith("%")
    # more FTE is red
    brush = model.data(model.index(2, change), Qt.ItemDataRole.ForegroundRole)
    assert brush.color().name() == "#c62828"
    # the sensitivity chart: 3 factors x 2 bars, as wfm computed them
    sens = sensitivity(page.plan)
    pd.testing.assert_frame_equal(page.sensitivity_frame, sens)
    chart = page.sensitivity_chart
    assert sorted(chart.factors) == ["aht", "shrinkage", "volume"]
    for key, sign in (("minus", -1), ("plus", 1)):
        bars = chart.minus_bars if key == "minus" else chart.plus_bars
        assert len(bars.opts["width"]) == 3
        for i, factor in enumerate(chart.factors):
            value = sens.loc[(sens["factor"] == factor) & (np.sign(sens["step"]) == sign)]
            assert chart.changes[key][i] == pytest.approx(value["fte_change"].iloc[0])
            assert bars.opts["width"][i] == pytest.approx(abs(value["fte_change"].iloc[0]))
    assert page.notes_label.text()


def test_charts_draw_the_results_and_hover_shows_values(qtbot, page):
    compute(qtbot, page)
    side = page.side_chart
    np.testing.assert_allclose(side.values(), page.comparison["fte"].to_numpy())
    text = side.hover.show_at(2.0)
    assert text is not None and "AHT +30 %" in text and "FTE" in text
    side.measure_combo.setCurrentIndex(side.measure_combo.findData("required_hours"))
    np.testing.assert_allclose(side.values(), page.comparison["required_hours"].to_numpy())

    per = page.interval_chart
    base = page.results()[0].table
    totals = base.groupby("interval_start")["required"].sum().to_numpy(dtype=float)
    base_curve = next(iter(per.curves.values()))
    np.testing.assert_allclose(base_curve.yData, totals)
    assert "Promotion" in per.curves  # the first scenario, nothing selected
    assert any("Current roster" in name for name in per.curves)
    # choose the second scenario's row in the table
    page.table.selectRow(2)
    assert "AHT +30 %" in per.curves and "Promotion" not in per.curves
    # one queue only
    per.queue_combo.setCurrentIndex(per.queue_combo.findData("Sales"))
    sales = base[base["queue"] == "Sales"]["required"].to_numpy(dtype=float)
    np.testing.assert_allclose(next(iter(per.curves.values())).yData, sales)
    x = pd.Timestamp(MONDAY) + pd.Timedelta(hours=10)
    seconds = (x - pd.Timestamp("1970-01-01")).total_seconds()
    readout = per.hover.show_at(seconds + 60)
    assert readout is not None and "10:00" in readout and "AHT +30 %" in readout

    sens = page.sensitivity_chart
    top = len(sens.factors) - 1
    text = sens.hover.show_at(1.0, float(top))
    assert text is not None and "FTE" in text and "+10 %" in text


def test_list_edits_are_undoable_and_announced(qtbot, page):
    changes = []
    page.scenariosChanged.connect(lambda: changes.append(page.scenarios()))
    extra = Scenario("SL 90/20", service_level=0.9)
    page.add_scenario(extra)
    assert page.scenarios() == (PROMO, LONGER, extra)
    page.select(0)
    page.duplicate_selected()
    assert [s.name for s in page.scenarios()] == [
        "Promotion",
        "Promotion (copy)",
        "AHT +30 %",
        "SL 90/20",
    ]
    page.select(3)
    page.move_up()
    assert [s.name for s in page.scenarios()][2:] == ["SL 90/20", "AHT +30 %"]
    page.select(0)
    page.delete_selected()
    assert page.scenarios()[0].name == "Promotion (copy)"
    assert len(changes) == 4
    for _ in range(4):
        page.undo_stack.undo()
    assert page.scenarios() == (PROMO, LONGER)
    page.undo_stack.redo()
    assert page.scenarios() == (PROMO, LONGER, extra)
    assert len(changes) == 9
    page.set_scenarios([LONGER])  # from the project: no undo history, nothing announced
    assert page.undo_stack.count() == 0 and len(changes) == 9


def test_new_and_edit_go_through_the_editor(qtbot, page):
    editor = page.new_scenario()
    assert isinstance(editor, ScenarioEditor) and editor.isVisible()
    editor.name_edit.setText("Bigger")
    editor.shrinkage_check.setChecked(True)
    editor.shrinkage_spin.setValue(35.0)
    editor.accept()
    assert page.scenarios()[-1] == Scenario("Bigger", shrinkage=0.35)
    page.select(0)
    editor = page.edit_selected()
    assert editor.name_edit.text() == "Promotion"
    editor.name_edit.setText("AHT +30 %")  # taken by another scenario
    assert not editor.validate() and "already" in editor.error_label.text()
    editor.name_edit.setText("Promotion 2")
    editor.accept()
    assert page.scenarios()[0] == dataclasses.replace(PROMO, name="Promotion 2")
    page.undo_stack.undo()
    assert page.scenarios()[0] == PROMO


def test_load_and_save_scenarios(qtbot, page, tmp_path):
    from wfm.scenarios import write_scenarios

    path = tmp_path / "more.toml"
    write_scenarios([dataclasses.replace(PROMO, description="changed"), Scenario("New one")], path)
    assert page.load_scenarios(path)
    names = [s.name for s in page.scenarios()]
    assert names == ["Promotion", "AHT +30 %", "New one"]
    assert page.scenarios()[0].description == "changed"
    out = page.save_scenarios(tmp_path / "saved.toml")
    assert read_scenarios(out) == page.scenarios()
    page.undo_stack.undo()
    assert page.scenarios() == (PROMO, LONGER)
    bad = tmp_path / "bad.toml"
    bad.write_text("[[scenario]]\nnmae = 'x'\n", encoding="utf-8")
    assert not page.load_scenarios(bad)
    assert "name" in page.last_error_box.text()
    assert page.scenarios() == (PROMO, LONGER)


def test_promote_asks_first_and_emits_the_scenario(qtbot, page):
    page.select(1)
    box = page.promote_selected()
    assert box is not None and box.isVisible()
    assert "agents" in box.informativeText()  # headcount is not promoted
    with qtbot.assertNotEmitted(page.promoteRequested):
        box.button(QMessageBox.StandardButton.Cancel).click()
    box = page.promote_selected()
    with qtbot.waitSignal(page.promoteRequested) as signal:
        box.button(QMessageBox.StandardButton.Yes).click()
    assert signal.args == [LONGER]


def test_results_become_stale_after_the_plan_or_the_list_changes(qtbot, page):
    assert not page.is_stale
    compute(qtbot, page)
    assert not page.is_stale and not page.stale_row.isVisibleTo(page)
    page.set_plan(small_plan(with_roster=False), "Changed")
    assert page.is_stale and page.stale_row.isVisibleTo(page)
    assert "base plan changed" in page.stale_label.text()
    compute(qtbot, page)
    assert not page.is_stale
    assert math.isnan(page.comparison["service_level_kept"][0])
    assert page.table.isColumnHidden(page.model.keys.index("service_level_kept"))
    page.remove_scenario(0)
    assert page.is_stale and "scenarios changed" in page.stale_label.text()
    assert page.stale_cause == "scenarios"


def test_a_banner_put_on_top_replaces_the_pages_own_stale_strip(qtbot, page):
    banner = QLabel("out of date")
    layout = page.layout()
    assert isinstance(layout, QVBoxLayout)  # a column, as the window's banners need
    layout.insertWidget(0, banner)
    assert layout.itemAt(0).widget() is banner
    page.set_stale_row_shown(False)
    compute(qtbot, page)
    assert page.stale_cause is None
    page.set_plan(small_plan(with_roster=False), "Changed")
    assert page.stale_cause == "plan" and not page.stale_row.isVisibleTo(page)
    assert banner.geometry().bottom() < page.stack.geometry().top()  # on top of the content
    page.set_stale_row_shown(True)
    assert page.stale_row.isVisibleTo(page)


def test_cancel_during_a_run_keeps_the_previous_results(qtbot, page):
    compute(qtbot, page)
    before = page.results()
    page.add_scenario(Scenario("More", volume=(VolumeChange(percent=5.0),)))
    task = page.run(simulate=True)  # the simulation makes it slow enough to cancel
    assert task is not None and page.job_row.isVisibleTo(page)
    with qtbot.waitSignal(task.ended, timeout=10_000):
        page.cancel()
    assert task.state == "cancelled"
    assert page.results() is before and not page.job_row.isVisibleTo(page)
    assert page.is_stale


def test_a_scenario_that_does_not_fit_the_plan_is_left_out_and_said(qtbot, page):
    page.add_scenario(Scenario("Elsewhere", volume=(VolumeChange(10.0, where=Where(("Web",))),)))
    compute(qtbot, page)
    assert [r.name for r in page.results()] == ["Base", "Promotion", "AHT +30 %"]
    assert "Web" in page.notes_label.text() and "Left out" in page.notes_label.text()


def test_copy_puts_the_table_on_the_clipboard(qtbot, page):
    compute(qtbot, page)
    text = page.copy_table()
    lines = text.strip().split("\n")
    assert len(lines) == 4 and lines[0].startswith("Scenario\tChanges")
    assert QGuiApplication.clipboard().text() == text
    page.table.selectRow(1)
    assert page.copy_table().strip().split("\n")[1].startswith("Promotion\t")


def test_export_csv_writes_the_comparison(qtbot, page, tmp_path):
    compute(qtbot, page)
    out = page.export_csv(tmp_path / "comparison.csv")
    frame = pd.read_csv(out)
    assert list(frame["scenario"]) == ["Base", "Promotion", "AHT +30 %"]
    np.testing.assert_allclose(frame["fte"], page.comparison["fte"], rtol=1e-5)


def test_the_page_without_a_plan_shows_the_placeholder(qtbot):
    page = ScenariosPage()
    qtbot.addWidget(page)
    page.show()
    assert page.stack.currentIndex() == 0 and page.placeholder.isVisibleTo(page)
    assert page.run() is None
    with qtbot.waitSignal(page.baseRequested):
        page.base_button.click()
    page.set_plan(small_plan())
    assert page.stack.currentIndex() == 1
    page.set_plan(None)
    assert page.stack.currentIndex() == 0


def test_ctrl_c_on_the_table_copies_it_as_tsv(qtbot, page):
    compute(qtbot, page)
    page.table.setFocus()
    page.table.selectRow(2)
    QGuiApplication.clipboard().clear()
    qtbot.keyClick(page.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    lines = QGuiApplication.clipboard().text().strip().split("\n")
    assert lines[0].startswith("Scenario\t") and lines[1].startswith("AHT +30 %\t")


def test_keys_on_the_list_edit_it(qtbot, page):
    page.select(0)
    page.list_widget.setFocus()
    qtbot.keyClick(page.list_widget, Qt.Key.Key_Delete)
    assert page.scenarios() == (LONGER,)
    qtbot.keyClick(page.list_widget, Qt.Key.Key_F2)
    assert page.editor is not None and page.editor.name_edit.text() == LONGER.name
    page.editor.reject()
    qtbot.keyClick(page.list_widget, Qt.Key.Key_Insert)
    assert page.editor.name_edit.text() == "Scenario 2"
