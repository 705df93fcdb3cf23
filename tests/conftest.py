"""Shared test fixtures. Qt runs offscreen; real data is optional."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]
SHARED_REAL = REPO.parent / "shared" / "data" / "real"


@pytest.fixture
def real_data() -> Path:
    """The folder of real call-centre records beside the project (skips when absent)."""
    if not SHARED_REAL.is_dir():
        pytest.skip(f"real call-centre data not found at {SHARED_REAL} (../shared is absent)")
    return SHARED_REAL
