"""Start the desktop planner: ``wfm-planner [FILE]``.

With no argument the bundled sample centre's plan (``sample_data/sample-centre.wfmp``) is
opened (read only: Save asks for a new file), after offering to recover an autosave of
unsaved changes; with a file, a plan (``.wfmp``) or a canonical interval history is opened
and anything else (a call log, an interval report) goes through the import dialog.

Start-up stays fast: only Qt, pyqtgraph, pandas and ``wfm.io`` are imported here; the
forecasting and scheduling libraries are imported by the pages that use them.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

import ui
from ui.collector import collect_on_gui_thread

ORGANIZATION = "wfm-planner"
APPLICATION = "WFM Planner"


def sample_history_path() -> Path:
    """The bundled sample centre's interval history."""
    return Path(ui.__file__).resolve().parents[1] / "sample_data" / "history.csv"


def sample_project_path() -> Path:
    """The bundled sample centre's plan, what the app opens without a file argument (read
    only: Save asks for a new file)."""
    return Path(ui.__file__).resolve().parents[1] / "sample_data" / "sample-centre.wfmp"


def create_application(argv: Sequence[str] | None = None) -> QApplication:
    """The QApplication, with the names QSettings files are kept under."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(list(argv) if argv is not None else sys.argv)
    collect_on_gui_thread(app)  # never collect Qt objects on a worker thread
    app.setOrganizationName(ORGANIZATION)
    app.setOrganizationDomain("wfm-planner.org")
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName(APPLICATION)
    app.setStyle("Fusion")  # the same clean look on every platform
    font = app.font()
    if font.pointSizeF() < 10:
        font.setPointSizeF(10)
    font.setStyleHint(QFont.StyleHint.SansSerif)
    app.setFont(font)
    return app  # type: ignore[return-value]


#: Qt's own command-line options that take a value (``-platform offscreen`` ...).
_QT_OPTIONS_WITH_VALUE = {
    "-platform",
    "-platformpluginpath",
    "-platformtheme",
    "-plugin",
    "-qwindowgeometry",
    "-qwindowicon",
    "-qwindowtitle",
    "-geometry",
    "-title",
    "-display",
    "-style",
    "-stylesheet",
    "-session",
    "-qmljsdebugger",
}


def file_arguments(argv: Sequence[str]) -> list[str]:
    """The file names on a command line, without the program name and Qt's options."""
    files: list[str] = []
    skip = False
    for arg in list(argv)[1:]:
        if skip:
            skip = False
        elif arg.startswith("-"):
            skip = arg.split("=", 1)[0] in _QT_OPTIONS_WITH_VALUE and "=" not in arg
        else:
            files.append(arg)
    return files


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``wfm-planner`` command."""
    argv = list(sys.argv if argv is None else argv)
    app = create_application(argv)
    # Imported here, not at the top, so that importing ui.app itself stays light.
    from ui.main_window import MainWindow

    window = MainWindow()
    window.show()
    files = file_arguments(argv)
    path = Path(files[0]) if files else sample_project_path()
    if files or path.exists():
        # After the window is on screen: the first paint is not held up by reading files.
        QTimer.singleShot(0, lambda: window.open_path(path))
    else:
        window.statusBar().showMessage(
            window.tr("No sample plan found at %1.").replace("%1", str(path)), 10000
        )
        QTimer.singleShot(0, window.check_untitled_recovery)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
