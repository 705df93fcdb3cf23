"""Fixtures for the window's tests: offscreen Qt, throw-away settings, small data files."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

import gc  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from PySide6.QtCore import QCoreApplication, QSettings  # noqa: E402

from wfm.io.history import IntervalHistory  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
SAMPLE_HISTORY = REPO / "sample_data" / "history.csv"


@pytest.fixture(scope="package", autouse=True)
def gui_thread_garbage_collection(qapp):
    """Collect garbage on the GUI thread only, as the app does (ui.collector): a worker
    thread collecting Qt objects hung a solve in these tests."""
    from ui.collector import collect_on_gui_thread, stop_collecting

    collect_on_gui_thread(qapp)
    yield
    stop_collecting()


@pytest.fixture(autouse=True)
def isolated_settings(qapp, tmp_path: Path) -> Path:
    """Every test gets empty QSettings in its own folder, never the user's (napari's
    ``_fresh_settings``)."""
    folder = tmp_path / "settings"
    folder.mkdir()
    QCoreApplication.setOrganizationName("wfm-planner-tests")
    QCoreApplication.setApplicationName("WFM Planner tests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(folder))
    assert QSettings().fileName().startswith(str(folder))
    yield folder
    QSettings().sync()
    gc.collect()  # this test's garbage, on the GUI thread


def make_history(
    queues: tuple[str, ...] = ("North", "South"),
    days: int = 14,
    minutes: int = 30,
    start: str = "2026-03-02",  # a Monday
    skip_days: tuple[int, ...] = (),
) -> IntervalHistory:
    """A small history: every queue open 08:00-18:00, more calls on Mondays."""
    stamps = pd.date_range(start, periods=days * 24 * 60 // minutes, freq=f"{minutes}min")
    stamps = stamps[~np.isin((stamps.normalize() - pd.Timestamp(start)).days, skip_days)]
    frames = []
    for i, queue in enumerate(queues):
        hour = stamps.hour + stamps.minute / 60
        open_ = (hour >= 8) & (hour < 18)
        offered = np.where(open_, 10 + 5 * i + 10 * (stamps.day_of_week == 0), 0).astype(float)
        frames.append(
            pd.DataFrame(
                {
                    "queue": queue,
                    "interval_start": stamps,
                    "offered": offered,
                    "handled": offered - (offered > 0),
                    "abandoned": (offered > 0).astype(float),
                    "aht_seconds": np.where(offered > 0, 240.0, np.nan),
                }
            )
        )
    return IntervalHistory(pd.concat(frames, ignore_index=True), minutes)


@pytest.fixture
def history_csv(tmp_path: Path) -> Path:
    """A canonical history CSV of :func:`make_history`."""
    return make_history().write_csv(tmp_path / "small_history.csv")


CALL_HEADER = [
    "Call Start",
    "Queue",
    "Result",
    "Wait Time",
    "Talk Time",
    "Wrap Time",
    "Caller Number",
]


def write_call_log(path: Path, days: int = 3) -> Path:
    """A per-call CSV with a few known problems for the cleaning report.

    Two queues, a call every 10 minutes 09:00-12:00 on each day, plus one test call (not a
    call), one unreadable timestamp and one exact repeated line.
    """
    lines = [",".join(CALL_HEADER)]
    base = pd.Timestamp("2026-03-02")
    n = 0
    for d in range(days):
        for queue in ("Sales", "Support"):
            for k in range(18):
                t = base + pd.Timedelta(days=d, hours=9, minutes=10 * k, seconds=7)
                n += 1
                outcome = "Abandoned" if k % 6 == 5 else "Answered"
                talk = "" if outcome == "Abandoned" else str(120 + k)
                wrap = "" if outcome == "Abandoned" else "15"
                lines.append(
                    f"{t:%Y-%m-%d %H:%M:%S},{queue},{outcome},{5 + k},{talk},{wrap},+44 7700 9{n:05d}"
                )
    lines.append("2026-03-02 09:03:00,Sales,Test call,0,12,0,+44 7700 900000")
    lines.append("##########,Sales,Answered,3,100,10,+44 7700 900001")
    lines.append(lines[5])  # the same call exported twice
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def call_log(tmp_path: Path) -> Path:
    return write_call_log(tmp_path / "calls.csv")
