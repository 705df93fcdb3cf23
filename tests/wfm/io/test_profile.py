"""Import profiles: TOML and JSON files, round trips, the shipped ones."""

from __future__ import annotations

import pytest

from tests.wfm.io.logs import write_log
from wfm.io.importer import import_log, inspect_file
from wfm.io.profile import ImportProfile, bundled_profiles


@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_detected_profile_saves_and_reimports_identically(tmp_path, suffix):
    log = write_log(tmp_path / "log.csv", sep=";", encoding="cp1252",
                    rows=[["2026-03-02 09:00:00", "Sales", "Answered", "1", "60", "5", "", "", "Zoë", "1"]])
    preview = inspect_file(log)
    path = preview.profile.save(tmp_path / f"acd{suffix}")
    loaded = ImportProfile.load(path)
    assert loaded == preview.profile
    assert loaded.encoding == "cp1252" and loaded.delimiter == ";"
    a = import_log(log).history.frame
    b = import_log(log, loaded).history.frame
    assert a.equals(b)


def test_profile_maps_unrecognised_columns(tmp_path):
    log = tmp_path / "odd.csv"
    log.write_text("Zeitpunkt,Gruppe,Ende,Sekunden\n2026-03-02 09:00:00,Sales,ok,100\n"
                   "2026-03-02 09:05:00,Sales,weg,\n")
    profile = ImportProfile(
        columns={"arrival": "Zeitpunkt", "queue": "Gruppe", "outcome": "Ende", "handle_seconds": "Sekunden"},
        answered_values=("ok",), abandoned_values=("weg",),
    )
    r = import_log(log, profile)
    assert r.report.summary["calls_offered"] == 2
    assert r.report.summary["abandoned"] == 1
    assert r.report.summary["aht_seconds"] == 100


def test_empty_column_name_switches_detection_off(tmp_path):
    log = write_log(tmp_path / "log.csv")
    preview = inspect_file(log, ImportProfile(columns={"call_id": ""}))
    assert "call_id" not in preview.mapping


def test_shipped_profiles_load():
    shipped = bundled_profiles()
    assert {"anonymous_bank_feb1999", "bank_calls_weinberg_5min"} <= set(shipped)
    for path in shipped.values():
        assert ImportProfile.load(path).name


def test_no_column_markers_survive_inspection_and_saving(tmp_path):
    log = write_log(tmp_path / "log.csv")
    preview = inspect_file(log, ImportProfile(columns={"call_id": ""}))
    assert preview.profile.columns["call_id"] == ""
    saved = ImportProfile.load(preview.profile.save(tmp_path / "p.toml"))
    assert "call_id" not in import_log(log, saved).profile.mapped
    assert preview.row_numbers[:3] == (2, 3, 4)
