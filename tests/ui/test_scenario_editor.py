"""The scenario editor: the widgets build wfm's Scenario, invalid input is explained and
disables OK, and every scenario a file can hold comes back unchanged."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDialogButtonBox

from tests.ui.conftest import REPO
from tests.wfm.scenarios import MONDAY, demand
from ui.scenario_editor import ScenarioEditor
from wfm.scenarios import AhtChange, Plan, Scenario, VolumeChange, Where, read_scenarios
from wfm.staffing.requirement import StaffingTarget

WED = MONDAY + dt.timedelta(days=2)
PLAN = Plan(demand(days=7), 30, StaffingTarget(0.8, 20, shrinkage=0.3))


def make_editor(qtbot, scenario: Scenario | None = None, **kwargs) -> ScenarioEditor:
    editor = ScenarioEditor(None, scenario, plan=PLAN, **kwargs)
    qtbot.addWidget(editor)
    editor.show()
    return editor


def ok_enabled(editor: ScenarioEditor) -> bool:
    return editor.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()


def test_the_widgets_build_the_scenario(qtbot):
    editor = make_editor(qtbot)
    assert not ok_enabled(editor) and "name" in editor.error_label.text()
    editor.name_edit.setText("Promotion")
    editor.description_edit.setText("Mailing lands")
    row = editor.volume_table.add_row()
    row.amount.setValue(40.0)
    assert sorted(row.queue_actions) == ["Sales", "Support"]
    row.queue_actions["Sales"].trigger()
    assert row.queues_button.text() == "Sales"
    row.dates_check.setChecked(True)
    row.date_from.setDate(QDate(2026, 11, 4))
    row.date_to.setDate(QDate(2026, 11, 4))
    assert ok_enabled(editor)
    expected = Scenario(
        "Promotion",
        description="Mailing lands",
        volume=(VolumeChange(percent=40.0, where=Where(queues=("Sales",), dates=(WED,))),),
    )
    assert editor.result_scenario() == expected
    assert "Volume +40 % for Sales on Wed 4 Nov 2026" in editor.preview_label.text()
    editor.accept()
    assert editor.result() == ScenarioEditor.DialogCode.Accepted


def test_targets_headcount_and_aht_in_seconds(qtbot):
    editor = make_editor(qtbot)
    editor.name_edit.setText("Tough winter")
    aht = editor.aht_table.add_row()
    aht.unit.setCurrentIndex(aht.unit.findData("seconds"))
    aht.amount.setValue(30.0)
    aht.weekday_checks[0].setChecked(True)
    aht.start_combo.setCurrentIndex(aht.start_combo.findData(9 * 60))
    aht.end_combo.setCurrentIndex(aht.end_combo.findData(12 * 60))
    editor.sl_check.setChecked(True)
    editor.sl_spin.setValue(90.0)
    editor.answer_check.setChecked(True)
    editor.answer_spin.setValue(15)
    editor.occupancy_check.setChecked(True)
    editor.occupancy_spin.setValue(85.0)
    editor.headcount_spin.setValue(-3)
    assert editor.result_scenario() == Scenario(
        "Tough winter",
        aht=(AhtChange(seconds=30.0, where=Where(weekdays=(0,), start=540, end=720)),),
        service_level=0.9,
        answer_seconds=15.0,
        max_occupancy=0.85,
        headcount=-3,
    )


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda e, r: r.amount.setValue(-100.0), "above -100"),
        (
            lambda e, r: (
                r.start_combo.setCurrentIndex(r.start_combo.findData(12 * 60)),
                r.end_combo.setCurrentIndex(r.end_combo.findData(9 * 60)),
            ),
            "after 'start'",
        ),
        (
            lambda e, r: (
                r.dates_check.setChecked(True),
                r.date_from.setDate(QDate(2026, 11, 5)),
                r.date_to.setDate(QDate(2026, 11, 3)),
            ),
            "backwards",
        ),
        (lambda e, r: e.name_edit.setText("Taken"), "already"),
    ],
)
def test_invalid_input_disables_ok_and_says_why(qtbot, setup, message):
    editor = make_editor(qtbot, taken_names=["Taken"])
    editor.name_edit.setText("Fine")
    row = editor.volume_table.add_row()
    assert ok_enabled(editor)
    setup(editor, row)
    assert not ok_enabled(editor)
    assert message in editor.error_label.text()
    assert editor.result_scenario() is None
    editor.accept()  # refused while invalid
    assert editor.result() != ScenarioEditor.DialogCode.Accepted


def test_an_aht_change_that_leaves_no_handle_time_is_caught_against_the_plan(qtbot):
    editor = make_editor(qtbot)
    editor.name_edit.setText("Too short")
    row = editor.aht_table.add_row()
    row.unit.setCurrentIndex(row.unit.findData("seconds"))
    row.amount.setValue(-200.0)  # the plan's AHT is 180 s
    assert not ok_enabled(editor) and "above 0 s" in editor.error_label.text()
    editor.aht_table.remove_row(0)
    assert ok_enabled(editor)


EVERYTHING = Scenario(
    "Everything",
    description="all fields",
    volume=(
        VolumeChange(calls=5.0, where=Where(queues=("Support",), weekdays=(5, 6))),
        VolumeChange(
            percent=-20.0,
            where=Where(dates=(MONDAY, MONDAY + dt.timedelta(days=3)), start=600, end=1440),
        ),
    ),
    aht=(AhtChange(percent=12.5, where=Where(end=480)),),
    service_level=0.85,
    max_occupancy=0.9,
    shrinkage=0.25,
    headcount=4,
)


@pytest.mark.parametrize(
    "scenario",
    [*read_scenarios(REPO / "sample_data" / "scenarios.toml"), EVERYTHING],
    ids=lambda s: s.name[:20],
)
def test_a_scenario_comes_back_unchanged(qtbot, scenario):
    plan = Plan(demand(days=28), 30, StaffingTarget(0.8, 20, shrinkage=0.3))
    editor = ScenarioEditor(None, scenario, plan=plan)
    qtbot.addWidget(editor)
    assert editor.error is None, editor.error
    assert editor.result_scenario() == scenario
