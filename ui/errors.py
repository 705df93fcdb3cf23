"""Showing a failure to the user: never silently, never as a crash.

A :class:`wfm.errors.WfmError` is the planner's own message about its input (which file,
row and column): it is shown as it is, without a traceback. Anything else is a bug; the
user sees a short message and the traceback under "Show Details…", to copy into a report.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from wfm.errors import WfmError


def message_for(exc: BaseException) -> str:
    """The one-line message for ``exc``."""
    if isinstance(exc, WfmError):
        return str(exc)
    text = str(exc) or type(exc).__name__
    return QCoreApplication.translate(
        "errors", "Unexpected error ({kind}): {text}. This is a bug in the planner."
    ).format(kind=type(exc).__name__, text=text)


def show_error(
    parent: QWidget | None,
    exc: BaseException,
    traceback_text: str = "",
    title: str | None = None,
) -> QMessageBox:
    """Open a (window-modal, non-blocking) message box about ``exc`` and return it."""
    box = QMessageBox(parent)
    box.setIcon(
        QMessageBox.Icon.Warning if isinstance(exc, WfmError) else QMessageBox.Icon.Critical
    )
    box.setWindowTitle(title or QCoreApplication.translate("errors", "WFM Planner"))
    box.setText(message_for(exc))
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if traceback_text and not isinstance(exc, WfmError):
        box.setDetailedText(traceback_text)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
