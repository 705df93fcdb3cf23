"""The wfm-planner entry point: which file it opens at start."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import REPO
from ui import app as app_module
from ui.main_window import MainWindow

SAMPLE_PROJECT = REPO / "sample_data" / "sample-centre.wfmp"


@pytest.fixture
def started(monkeypatch, qtbot):
    """Run ``main`` without entering the event loop; return the paths it opened."""
    opened = []
    windows = []
    monkeypatch.setattr(QApplication, "exec", lambda self: 0)
    monkeypatch.setattr(MainWindow, "open_path", lambda self, path: opened.append(path))
    original_show = MainWindow.show

    def show(self):
        windows.append(self)
        qtbot.addWidget(self)
        original_show(self)

    monkeypatch.setattr(MainWindow, "show", show)

    def run(argv):
        assert app_module.main(argv) == 0
        qtbot.waitUntil(lambda: bool(opened), timeout=2000)
        assert len(windows) == 1 and windows[0].isVisible()
        return opened

    return run


def test_without_arguments_the_sample_centre_is_opened(started):
    assert started(["wfm-planner"]) == [SAMPLE_PROJECT]
    assert app_module.sample_project_path() == SAMPLE_PROJECT and SAMPLE_PROJECT.is_file()


def test_a_file_on_the_command_line_is_opened_instead(started, call_log):
    assert started(["wfm-planner", "-platform", "offscreen", str(call_log)]) == [call_log]


def test_file_arguments_skip_qt_options():
    argv = ["wfm-planner", "-style", "fusion", "-qwindowgeometry=800x600", "-reverse", "a.csv", "b"]
    assert app_module.file_arguments(argv) == ["a.csv", "b"]
