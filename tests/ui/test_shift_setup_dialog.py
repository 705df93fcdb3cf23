"""The shift-template editor: form edits build templates, invalid input disables OK,
rules fields map to Rules, import/export."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTime
from PySide6.QtWidgets import QComboBox, QSpinBox

from ui.shift_setup_dialog import ShiftSetupDialog, preview
from wfm.scheduling.loaders import read_shift_setup
from wfm.scheduling.model import BreakRule, Rules, ShiftSetup, ShiftTemplate

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "shift_templates.toml"


@pytest.fixture
def dialog(qtbot) -> ShiftSetupDialog:
    d = ShiftSetupDialog(read_shift_setup(SAMPLE))
    qtbot.addWidget(d)
    return d


def test_unchanged_setup_round_trips(dialog: ShiftSetupDialog) -> None:
    assert dialog.ok_button.isEnabled()
    assert dialog.setup() == read_shift_setup(SAMPLE)
    assert dialog.template_list.count() == 5


def test_preview_line() -> None:
    setup = read_shift_setup(SAMPLE)
    assert preview(setup.template("Early")) == (
        "Starts 07:30-09:00 every 30 min (4 starts), 8.5 h, paid 8 h, on the phones 7.5 h"
    )
    assert preview(setup.template("Weekend")).endswith(
        "(7 starts), 5-7 h, paid 4.5-6.5 h, on the phones 4.25-6.25 h"
    )


def test_form_edits_produce_the_template(qtbot) -> None:
    d = ShiftSetupDialog(ShiftSetup((ShiftTemplate("Old", (0,), 480, 480, 30, (480,)),)))
    qtbot.addWidget(d)
    d.add_template()
    assert d.template_list.currentRow() == 1
    d.name_edit.setText("Evening")
    for i, check in enumerate(d.day_checks):
        check.setChecked(i in (0, 2, 4))
    d.earliest_edit.setTime(QTime(12, 0))
    d.latest_edit.setTime(QTime(13, 30))
    d.step_spin.setValue(15)
    d.lengths_edit.setText("8.5; 9")
    d.break_step_spin.setValue(5)
    d.add_break()
    row = d.break_table.rowCount() - 1
    kind = d.break_table.cellWidget(row, 0)
    assert isinstance(kind, QComboBox)
    kind.setCurrentText("lunch")
    for column, value in ((1, 45), (2, 180), (3, 240)):
        spin = d.break_table.cellWidget(row, column)
        assert isinstance(spin, QSpinBox)
        spin.setValue(value)
    paid = d.break_table.cellWidget(row, 4)
    assert isinstance(paid, QComboBox)
    paid.setCurrentIndex(paid.findData(True))
    assert d.ok_button.isEnabled(), d.error
    assert d.setup().templates[1] == ShiftTemplate(
        "Evening",
        (0, 2, 4),
        720,
        810,
        15,
        (510, 540),
        (BreakRule("lunch", 45, 180, 240, paid=True),),
        break_step_minutes=5,
    )
    assert "Starts 12:00-13:30 every 15 min (7 starts)" in d.preview_label.text()
    assert d.template_list.item(1).text().startswith("Evening\nStarts 12:00")


def test_invalid_window_disables_ok(dialog: ShiftSetupDialog) -> None:
    dialog.template_list.setCurrentRow(0)
    dialog.latest_edit.setTime(QTime(7, 0))
    assert not dialog.ok_button.isEnabled()
    assert "start window 07:30-07:00 must run forwards" in dialog.error_label.text()
    dialog.accept()
    assert dialog.result_setup is None
    dialog.latest_edit.setTime(QTime(9, 0))
    assert dialog.ok_button.isEnabled()
    assert dialog.error_label.text() == ""


@pytest.mark.parametrize(
    ("lengths", "message"),
    [
        ("8,5", "'8,5' is not a number of hours"),
        ("", "at least one shift length"),
        ("4", "would end after a 4 h shift"),
    ],
)
def test_bad_lengths_disable_ok(dialog: ShiftSetupDialog, lengths: str, message: str) -> None:
    dialog.lengths_edit.setText(lengths)
    assert not dialog.ok_button.isEnabled()
    assert message in (dialog.error or "")


def test_no_days_or_duplicate_name_disable_ok(dialog: ShiftSetupDialog) -> None:
    for check in dialog.day_checks:
        check.setChecked(False)
    assert not dialog.ok_button.isEnabled()
    dialog.day_checks[0].setChecked(True)
    assert dialog.ok_button.isEnabled()
    dialog.name_edit.setText("day")
    assert not dialog.ok_button.isEnabled()
    assert "Two templates are called" in (dialog.error or "")


def test_add_duplicate_remove(dialog: ShiftSetupDialog) -> None:
    dialog.template_list.setCurrentRow(2)
    dialog.duplicate_template()
    setup = dialog.setup()
    assert setup.templates[5].name == "Late copy"
    assert setup.templates[5].breaks == setup.templates[2].breaks
    dialog.remove_template()
    dialog.template_list.setCurrentRow(0)
    dialog.remove_template()
    assert [t.name for t in dialog.setup().templates] == ["Day", "Late", "Weekend", "Part-time"]
    for _ in range(4):
        dialog.remove_template()
    assert not dialog.ok_button.isEnabled()
    assert "at least one shift template" in (dialog.error or "")


def test_rules_fields_map_to_rules(dialog: ShiftSetupDialog) -> None:
    dialog.rest_spin.setValue(12.5)
    dialog.consecutive_spin.setValue(5)
    dialog.days_off_spin.setValue(1)
    dialog.day_hours_spin.setValue(9.5)
    dialog.week_hours_spin.setValue(40)
    dialog.late_edit.setTime(QTime(20, 30))
    dialog.fair_weekends_check.setChecked(False)
    dialog.fair_late_check.setChecked(False)
    assert dialog.setup().rules == Rules(12.5, 5, 1, 9.5, 40, 20 * 60 + 30, False, False)


def test_accept_and_files(dialog: ShiftSetupDialog, tmp_path: Path) -> None:
    dialog.step_spin.setValue(15)
    out = dialog.export_toml(tmp_path / "shifts.toml")
    assert out is not None
    saved = read_shift_setup(out)
    assert saved.templates[0].start_step_minutes == 15
    dialog.step_spin.setValue(30)
    assert dialog.import_toml(out)
    assert dialog.setup() == saved
    dialog.accept()
    assert dialog.result_setup == saved
    bad = tmp_path / "bad.toml"
    bad.write_text("[[template]]\nname = 'X'\ncolour = 1\n", encoding="utf-8")
    assert not dialog.import_toml(bad)
    assert dialog.last_error_box is not None
    assert "unknown key 'colour'" in dialog.last_error_box.text()
