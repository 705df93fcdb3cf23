"""The planner core stays headless: wfm never imports Qt or ui (import-linter contract)."""

from __future__ import annotations

import shutil
import subprocess
import sys

from tests.conftest import REPO, heavy_modules_after


def test_import_linter_contract_holds():
    exe = shutil.which("lint-imports")
    cmd = [exe] if exe else [sys.executable, "-m", "importlinter.cli"]
    proc = subprocess.run([*cmd, "--config", str(REPO / "pyproject.toml")], cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Contracts: 1 kept, 0 broken" in proc.stdout


def test_cli_starts_without_heavy_imports():
    heavy = ("prophet", "ortools", "PySide6", "openpyxl", "matplotlib")
    assert heavy_modules_after("wfm.cli, wfm.io.importer, wfm.io.history", heavy) == []


def test_wfm_type_checks():
    """mypy with disallow_untyped_defs over wfm (settings in pyproject.toml)."""
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(REPO / "pyproject.toml")],
        cwd=REPO, capture_output=True, text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_lint_is_clean():
    """ruff over the code (rules in pyproject.toml), so style drift fails CI, not review."""
    proc = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "wfm", "ui", "tests", "bench", "sample_data"],
        cwd=REPO, capture_output=True, text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
