"""The import dialog: inspect, correct, import in the background, errors in red."""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd
import pytest
from PySide6.QtCore import QDate, Qt, QTimer

from tests.ui.conftest import make_history
from ui import import_dialog as import_dialog_module
from ui.import_dialog import ImportDialog
from ui.models import DataFrameModel
from wfm.errors import InputError
from wfm.io.importer import import_log as real_import_log
from wfm.io.importer import inspect_file as real_inspect_file
from wfm.io.profile import PERSONAL_ROLES, ImportProfile


def open_dialog(qtbot, path: Path, **kwargs) -> ImportDialog:
    dialog = ImportDialog(path, **kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: not dialog.is_inspecting, timeout=10000)
    return dialog


def wait_for_preview(qtbot, dialog: ImportDialog) -> None:
    qtbot.waitUntil(lambda: not dialog.is_inspecting, timeout=10000)


def test_dialog_shows_what_inspect_file_found(qtbot, call_log):
    dialog = open_dialog(qtbot, call_log)
    preview = dialog.preview
    assert preview is not None and dialog.error_text == ""
    assert dialog.encoding_combo.currentData() == preview.encoding == "utf-8"
    assert dialog.delimiter_combo.currentData() == ","
    assert dialog.shape_combo.currentData() == "calls"
    assert dialog.interval_combo.currentData() == 30
    for note in preview.notes:
        assert note.split(" (")[0] in dialog.notes_label.text()
    # The preview table is a model over the preview frame, personal data already masked.
    model = dialog.preview_view.model()
    assert isinstance(model, DataFrameModel)
    assert model.rowCount() == len(preview.preview) and model.columnCount() == len(preview.columns)
    caller = preview.columns.index("Caller Number")
    shown = {model.index(r, caller).data() for r in range(model.rowCount())}
    assert not any("7700" in s for s in shown)
    # One mapping row per role of the shape, each with the detected column selected.
    assert dialog.role_combos["arrival"].currentData() == "Call Start"
    assert dialog.role_combos["queue"].currentData() == "Queue"
    assert dialog.role_combos["hold_seconds"].currentText() == "(none)"
    assert dialog.import_button.isEnabled()


def test_personal_roles_are_shown_greyed_and_never_selectable(qtbot, call_log):
    dialog = open_dialog(qtbot, call_log)
    table = dialog.mapping_table
    rows = {table.item(r, 0).data(Qt.ItemDataRole.UserRole): r for r in range(table.rowCount())}
    assert set(PERSONAL_ROLES) <= set(rows)
    caller_row = rows["caller"]
    assert table.cellWidget(caller_row, 1) is None  # no combo: it cannot be mapped to a role
    assert table.item(caller_row, 1).text() == "Caller Number — dropped, never kept"
    assert not table.item(caller_row, 1).flags() & Qt.ItemFlag.ItemIsEnabled
    # Personal columns are not offered for other roles either.
    combo = dialog.role_combos["call_id"]
    assert "Caller Number" not in [combo.itemText(i) for i in range(combo.count())]


def test_changing_an_override_inspects_again_with_it(qtbot, call_log, monkeypatch):
    profiles = []

    def spy(path, profile=None, rows=50):
        profiles.append(profile)
        return real_inspect_file(path, profile, rows=rows)

    monkeypatch.setattr(import_dialog_module, "inspect_file", spy)
    dialog = open_dialog(qtbot, call_log)
    assert profiles[-1].delimiter is None  # first look: everything detected

    dialog.delimiter_combo.setCurrentIndex(dialog.delimiter_combo.findData(";"))
    wait_for_preview(qtbot, dialog)
    assert profiles[-1].delimiter == ";"
    # Read with the wrong delimiter the file has one column: the dialog says so, in red.
    assert dialog.preview is None
    assert dialog.error_text and "calls.csv" in dialog.error_text
    assert not dialog.import_button.isEnabled()

    dialog.delimiter_combo.setCurrentIndex(dialog.delimiter_combo.findData(","))
    wait_for_preview(qtbot, dialog)
    assert dialog.preview is not None and dialog.error_text == ""

    dialog.encoding_combo.setCurrentIndex(dialog.encoding_combo.findData("cp1252"))
    wait_for_preview(qtbot, dialog)
    assert profiles[-1].encoding == "cp1252" and dialog.preview.encoding == "cp1252"


def test_choosing_none_for_a_role_reaches_the_import_profile(qtbot, call_log):
    dialog = open_dialog(qtbot, call_log)
    assert dialog.preview.mapping["wait_seconds"] == "Wait Time"
    dialog.set_role_column("wait_seconds", None)
    wait_for_preview(qtbot, dialog)
    assert "wait_seconds" not in dialog.preview.mapping
    assert dialog.role_combos["wait_seconds"].currentText() == "(none)"
    # An empty column name tells the importer not to detect the role again.
    assert dialog.import_profile().columns["wait_seconds"] == ""
    dialog.set_role_column("wait_seconds", "Wait Time")
    wait_for_preview(qtbot, dialog)
    assert dialog.import_profile().columns["wait_seconds"] == "Wait Time"


def test_save_as_profile_writes_a_profile_that_reads_the_file_again(qtbot, call_log, tmp_path):
    dialog = open_dialog(qtbot, call_log)
    saved = dialog.save_profile(tmp_path / "my_acd.toml")
    assert saved is not None and saved.read_text(encoding="utf-8").startswith('name = "my_acd"')
    profile = ImportProfile.load(saved)
    assert profile.columns["arrival"] == "Call Start"
    assert profile.delimiter == ","
    # Loading it back in a new dialog gives the same reading.
    other = open_dialog(qtbot, call_log)
    assert other.load_profile(saved) == profile
    wait_for_preview(qtbot, other)
    assert other.profile_combo.currentText() == "my_acd"
    assert other.preview.mapping == dialog.preview.mapping


def test_a_broken_profile_file_is_reported_in_the_dialog(qtbot, call_log, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("colour = 'blue'\n", encoding="utf-8")
    dialog = open_dialog(qtbot, call_log)
    assert dialog.load_profile(bad) is None
    assert "bad.toml" in dialog.error_text and "colour" in dialog.error_text
    assert dialog.preview is not None  # what was there is still there


def test_an_unrecognised_time_column_is_fixed_in_the_mapping_table(qtbot, tmp_path):
    path = tmp_path / "no_time.csv"
    path.write_text(
        "Zeitpunkt,Result,Talk Time\n2026-03-02 09:00:00,Answered,120\n2026-03-02 09:05:00,Abandoned,\n",
        encoding="utf-8",
    )
    dialog = open_dialog(qtbot, path)  # qtbot fails the test on any exception in a slot
    assert dialog.preview is not None  # the rows and the mapping table are there to fix it
    assert dialog.error_label.isVisible()
    assert dialog.error_text.startswith("no call time column found among the columns 'Zeitpunkt'")
    assert "Traceback" not in dialog.error_text
    assert not dialog.import_button.isEnabled()
    dialog.start_import()  # nothing to import yet: ignored, no crash
    assert dialog.result is None
    dialog.set_role_column("arrival", "Zeitpunkt")
    wait_for_preview(qtbot, dialog)
    assert dialog.error_text == ""
    assert dialog.import_button.isEnabled()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.is_importing, timeout=20000)
    assert dialog.result.report.summary["calls_offered"] == 2


def test_a_missing_file_is_reported_in_the_dialog(qtbot, tmp_path):
    dialog = open_dialog(qtbot, tmp_path / "gone.csv")
    assert dialog.error_text == "gone.csv: file not found"


def test_import_runs_in_the_background_and_the_dialog_accepts(qtbot, call_log, monkeypatch):
    calls = []

    def slow_import(path, profile=None, *, interval_minutes=30, progress=None, **kw):
        calls.append((Path(path), profile, interval_minutes))
        for i in range(30):
            progress(i / 30, "Reading")
            time.sleep(0.01)
        return real_import_log(path, profile, interval_minutes=interval_minutes, progress=progress)

    monkeypatch.setattr(import_dialog_module, "import_log", slow_import)
    dialog = open_dialog(qtbot, call_log)
    dialog.interval_combo.setCurrentIndex(dialog.interval_combo.findData(15))
    ticks = []
    timer = QTimer(dialog)
    timer.timeout.connect(lambda: ticks.append(dialog.progress_bar.value()))
    timer.start(10)
    accepted = []
    dialog.accepted.connect(lambda: accepted.append(True))
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.is_importing
    assert not dialog.import_button.isEnabled() and dialog.cancel_button.text() == "Cancel import"
    qtbot.waitUntil(lambda: not dialog.is_importing, timeout=20000)
    timer.stop()
    assert dialog.error_text == ""
    assert accepted == [True]
    # The GUI thread kept serving events, and saw the bar move, while the import ran.
    assert len(ticks) >= 5
    assert any(0 < v < 1000 for v in ticks)
    assert calls == [(call_log, dialog.import_profile(), 15)]
    assert dialog.result.history.interval_minutes == 15
    assert dialog.result.report.file == "calls.csv"


def test_cancel_stops_the_import_and_keeps_the_dialog(qtbot, call_log, monkeypatch):
    def endless(path, profile=None, *, progress=None, **kw):
        deadline = time.monotonic() + 10  # bounded, so a failing test cannot hog the pool
        while time.monotonic() < deadline:
            progress(0.5, "Reading")
            time.sleep(0.005)
        return None

    monkeypatch.setattr(import_dialog_module, "import_log", endless)
    dialog = open_dialog(qtbot, call_log)
    rejected = []
    dialog.rejected.connect(lambda: rejected.append(True))
    dialog.start_import()
    qtbot.waitUntil(lambda: dialog.progress_bar.value() == 500, timeout=5000)
    task = dialog._importer.current
    with qtbot.waitSignal(task.cancelled, timeout=5000):
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert not dialog.is_importing
    assert dialog.isVisible() and rejected == []  # Cancel stopped the import, not the dialog
    assert "cancelled" in dialog.status_label.text()
    assert dialog.result is None and dialog.import_button.isEnabled()
    # Escape during an import cancels it too; without one it closes the dialog.
    dialog.reject()
    assert rejected == [True]


def test_an_import_error_is_shown_in_red_and_nothing_is_lost(qtbot, call_log, monkeypatch):
    def failing(path, profile=None, **kw):
        raise InputError("'25:61:00' is not a time", file=path, row=7, column="Call Start")

    monkeypatch.setattr(import_dialog_module, "import_log", failing)
    dialog = open_dialog(qtbot, call_log)
    dialog.set_role_column("wait_seconds", None)
    wait_for_preview(qtbot, dialog)
    dialog.start_import()
    qtbot.waitUntil(lambda: not dialog.is_importing, timeout=5000)
    assert dialog.error_text == "calls.csv, row 7, column 'Call Start': '25:61:00' is not a time"
    assert dialog.isVisible() and dialog.result is None
    assert dialog.role_combos["wait_seconds"].currentText() == "(none)"  # the user's choice stays
    assert dialog.import_button.isEnabled()


@pytest.mark.parametrize("minutes", [15, 30, 60])
def test_interval_choices(qtbot, call_log, minutes):
    dialog = open_dialog(qtbot, call_log)
    dialog.interval_combo.setCurrentIndex(dialog.interval_combo.findData(minutes))
    dialog.start_import()
    qtbot.waitUntil(lambda: not dialog.is_importing, timeout=20000)
    assert dialog.error_text == ""
    assert dialog.result.history.interval_minutes == minutes


def test_bundled_profiles_are_offered(qtbot, call_log):
    from wfm.io.profile import bundled_profiles

    dialog = open_dialog(qtbot, call_log)
    items = [dialog.profile_combo.itemText(i) for i in range(dialog.profile_combo.count())]
    assert items[0] == "Detect automatically"
    assert items[-1] == "Load profile…"
    assert set(bundled_profiles()) <= set(items)


def test_dates_choice_changes_how_ambiguous_dates_are_read(qtbot, tmp_path):
    log = tmp_path / "ambiguous.csv"
    log.write_text(
        "Call Start,Queue,Result\n02/03/2026 09:00:00,Sales,Answered\n02/03/2026 09:10:00,Sales,Answered\n"
    )
    dialog = open_dialog(qtbot, log)
    assert dialog.dates_combo.currentData() == "detect"
    assert "= Mon 02 Mar 2026 09:00:00" in dialog.notes_label.text()  # day first by default
    dialog.dates_combo.setCurrentIndex(dialog.dates_combo.findData("month"))
    wait_for_preview(qtbot, dialog)
    assert dialog.preview.profile.dayfirst is False
    assert "= Tue 03 Feb 2026 09:00:00" in dialog.notes_label.text()
    assert dialog.role_combos["arrival"].currentData() == "Call Start"  # mapping kept
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.is_importing, timeout=20000)
    assert dialog.error_text == ""
    assert str(dialog.result.history.start.date()) == "2026-02-03"


def test_date_range_limits_the_import(qtbot, tmp_path):
    log = tmp_path / "month.csv"
    rows = [f"2026-03-{d:02d} 09:00:00,Sales,Answered" for d in range(1, 29)]
    log.write_text("Call Start,Queue,Result\n" + "\n".join(rows) + "\n")
    dialog = open_dialog(qtbot, log)
    assert not dialog.range_start.isEnabled()
    assert dialog.range_start.date().toPython().isoformat() == "2026-03-01"  # the file's first day
    dialog.range_check.setChecked(True)
    dialog.range_start.setDate(QDate(2026, 3, 10))
    dialog.range_end.setDate(QDate(2026, 3, 12))
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.is_importing, timeout=20000)
    history = dialog.result.history
    assert history.frame["offered"].sum() == 3
    assert dialog.result.report.count("out_of_range") == 25


def test_outcome_values_can_be_given_a_meaning(qtbot, tmp_path):
    log = tmp_path / "outcomes.csv"
    log.write_text(
        "Call Start,Queue,Result\n"
        "2026-03-02 09:00:00,Sales,Answered\n2026-03-02 09:01:00,Sales,Voicemail\n"
        "2026-03-02 09:02:00,Sales,Voicemail\n2026-03-02 09:03:00,Sales,Callback test\n"
    )
    dialog = open_dialog(qtbot, log)
    assert dialog.outcome_box.isVisible()
    assert dialog.preview.outcomes == (
        ("Voicemail", "unknown", 2),
        ("Answered", "answered", 1),
        ("Callback test", "unknown", 1),
    )
    # Not recognised: shown as answered (what the import would do), marked for attention.
    assert dialog.outcome_combos["Voicemail"].currentData() == "answered"
    dialog.set_outcome_meaning("Voicemail", "abandoned")
    wait_for_preview(qtbot, dialog)
    dialog.set_outcome_meaning("Callback test", "drop")
    wait_for_preview(qtbot, dialog)
    assert dialog.preview.profile.abandoned_values == ("Voicemail",)
    assert dialog.preview.profile.drop_values == ("Callback test",)
    assert {v: m for v, m, _ in dialog.preview.outcomes}["Voicemail"] == "abandoned"
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.is_importing, timeout=20000)
    summary = dialog.result.report.summary
    assert (summary["calls_offered"], summary["abandoned"]) == (3, 2)
    assert dialog.result.report.count("unknown_outcome") == 0


# --- adding to the plan's history ------------------------------------------------------------
def _import(qtbot, dialog: ImportDialog) -> None:
    with qtbot.waitSignal(dialog.accepted, timeout=20000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)


def test_without_a_history_there_is_no_choice_and_the_file_is_the_history(qtbot, call_log):
    dialog = open_dialog(qtbot, call_log)
    assert dialog.mode_box.isHidden() and not dialog.adds_to_history
    _import(qtbot, dialog)
    assert dialog.result is not None and dialog.merged is None and dialog.merge_summary is None


def test_with_a_history_the_file_is_added_by_default_or_replaces_it(qtbot, call_log):
    base = make_history(queues=("Sales", "Support"), days=7, start="2026-02-28")
    dialog = open_dialog(qtbot, call_log, base=base)
    assert dialog.mode_box.isVisible() and dialog.add_radio.isChecked() and dialog.adds_to_history
    _import(qtbot, dialog)
    # The log's 2-4 March replace the history's; 28 Feb, 1 and 5-6 March are kept.
    merged, summary = dialog.merged, dialog.merge_summary
    assert merged.start == base.start and merged.end == base.end
    assert (summary.days_replaced, summary.days_added) == (3, 0)
    kept = merged.frame[merged.frame["interval_start"] < "2026-03-02"]
    assert (
        len(kept) == 2 * 2 * 48
        and kept["offered"].sum()
        == base.frame.loc[base.frame["interval_start"] < "2026-03-02", "offered"].sum()
    )

    again = open_dialog(qtbot, call_log, base=base)
    again.set_adds_to_history(False)
    assert again.replace_radio.isChecked() and not again.adds_to_history
    _import(qtbot, again)
    assert again.merged is None and again.result.history.start == pd.Timestamp("2026-03-02")
