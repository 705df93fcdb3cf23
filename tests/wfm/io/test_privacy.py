"""Caller numbers, customer ids and agent names never leave the importer."""

from __future__ import annotations

from tests.wfm.io.logs import PERSONAL, write_log
from wfm.cli import main
from wfm.io.importer import MASK, import_log, inspect_file


def test_personal_data_never_reaches_any_output(tmp_path, capsys):
    log = write_log(tmp_path / "calls.csv")
    out, rep = tmp_path / "history.csv", tmp_path / "report.json"
    assert main(["import", str(log), "-o", str(out), "--report", str(rep)]) == 0
    printed = capsys.readouterr().out
    result = import_log(log)
    profile_file = result.profile.save(tmp_path / "profile.toml")
    outputs = {
        "history": out.read_text(encoding="utf-8"),
        "report json": rep.read_text(encoding="utf-8"),
        "report text": result.report.to_text(),
        "printed": printed,
        "history frame": result.history.frame.to_csv(),
        "profile": profile_file.read_text(encoding="utf-8"),
    }
    for name, text in outputs.items():
        for secret in PERSONAL:
            assert secret not in text, f"{secret!r} leaked into the {name}"
    # Only per-interval aggregates: no column beyond the canonical ones.
    assert list(result.history.frame.columns) == [
        "queue", "interval_start", "offered", "handled", "abandoned", "aht_seconds"
    ]
    # The profile may name the personal columns (so they can be dropped), never their values.
    assert 'caller = "Caller Number"' in outputs["profile"]


def test_preview_masks_personal_columns(tmp_path):
    preview = inspect_file(write_log(tmp_path / "calls.csv"))
    assert set(preview.personal_columns) == {"Caller Number", "Customer ID", "Agent"}
    shown = preview.preview.to_csv()
    for secret in PERSONAL:
        assert secret not in shown
    assert (preview.preview["Caller Number"] == MASK).all()
    assert preview.preview.loc[1, "Agent"] == ""  # an empty cell stays visibly empty
