"""The wfm command line: import and inspect, as automation calls them."""

from __future__ import annotations

import json

from tests.wfm.io.logs import PERSONAL, write_log
from wfm.cli import main
from wfm.io.history import IntervalHistory
from wfm.io.profile import ImportProfile


def test_import_writes_history_and_report(tmp_path, capsys):
    log = write_log(tmp_path / "log.csv")
    out, rep = tmp_path / "h.csv", tmp_path / "r.json"
    code = main(
        ["import", str(log), "--interval-minutes", "15", "-o", str(out), "--report", str(rep)]
    )
    assert code == 0
    assert IntervalHistory.read_csv(out).interval_minutes == 15
    assert json.loads(rep.read_text())["summary"]["calls_offered"] == 6
    assert "Wrote 192 intervals" in capsys.readouterr().out


def test_import_with_a_shipped_profile_name_and_overrides(tmp_path):
    log = write_log(tmp_path / "log.txt", sep="|", encoding="utf-16")
    out = tmp_path / "h.csv"
    assert (
        main(
            [
                "import",
                str(log),
                "--encoding",
                "utf-16",
                "--delimiter",
                "|",
                "-o",
                str(out),
                "--quiet",
            ]
        )
        == 0
    )
    assert IntervalHistory.read_csv(out).frame["offered"].sum() == 6


def test_inspect_prints_detection_masks_personal_data_and_saves_a_profile(tmp_path, capsys):
    log = write_log(tmp_path / "log.csv", sep=";")
    saved = tmp_path / "acd.toml"
    code = main(["inspect", str(log), "--map", "call_id=", "--save-profile", str(saved)])
    text = capsys.readouterr().out
    assert code == 0
    assert "semicolon-separated" in text
    assert "arrival                'Call Start'" in text
    assert "not used: 'Call ID'" in text
    for secret in PERSONAL:
        assert secret not in text
    profile = ImportProfile.load(saved)
    assert profile.columns["call_id"] == "" and profile.delimiter == ";"
    assert profile.name == "Exports like log.csv"


def test_inspect_bad_map_and_missing_file_exit_2(tmp_path, capsys):
    log = write_log(tmp_path / "log.csv")
    assert main(["inspect", str(log), "--map", "arrival"]) == 2
    assert main(["inspect", str(tmp_path / "none.csv")]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [
        'wfm: --map arrival: write it as ROLE=COLUMN (e.g. arrival="Call Start")',
        "wfm: none.csv: file not found",
    ]


def test_profiles_lists_the_shipped_ones(capsys):
    assert main(["profiles"]) == 0
    assert "anonymous_bank_feb1999" in capsys.readouterr().out


def test_sigterm_stops_the_command_line_cleanly(tmp_path):
    """A scheduler's SIGTERM ends `wfm` with 143 and one line, not a traceback."""
    import signal
    import subprocess
    import sys
    import time

    code = (
        "import os, signal, threading, time, sys\n"
        "import wfm.cli as cli\n"
        "def slow(args):\n"
        "    print('started', flush=True); time.sleep(30); return 0\n"
        "cli._cmd_profiles = slow\n"
        "sys.exit(cli.main(['profiles']))\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert proc.stdout.readline().strip() == "started"
    time.sleep(0.2)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == 143
    assert err.strip() == "wfm: terminated"
