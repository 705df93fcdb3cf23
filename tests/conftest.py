"""Shared test fixtures. Qt runs offscreen; real data is optional."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The window keeps autosaves of untitled plans in the user's data folder
# (QStandardPaths.AppDataLocation): tests get a throw-away one, never the user's.
os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="wfm-tests-data-")

REPO = Path(__file__).resolve().parents[1]
SHARED_REAL = REPO.parent / "shared" / "data" / "real"


@pytest.fixture
def real_data() -> Path:
    """The folder of real call-centre records beside the project (skips when absent)."""
    if not SHARED_REAL.is_dir():
        pytest.skip(f"real call-centre data not found at {SHARED_REAL} (../shared is absent)")
    return SHARED_REAL


def heavy_modules_after(imports: str, heavy: tuple[str, ...]) -> list[str]:
    """Which of ``heavy`` a fresh interpreter has loaded after ``imports`` (start-up cost)."""
    code = (
        "import os, sys; os.environ['QT_QPA_PLATFORM']='offscreen';"
        f"import {imports};"
        f"print(','.join(m for m in {heavy!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert out.returncode == 0, out.stderr
    return [m for m in out.stdout.strip().split(",") if m]
