"""Garbage collection on the GUI thread only.

Python's cyclic garbage collector runs on whichever thread happens to allocate when a
generation fills up. When that is a worker (a forecast or a roster solve, see
:mod:`ui.tasks`) and the garbage holds Qt objects, their C++ destructors run off the GUI
thread: the tests saw a solve hang inside ``gc.collect`` and the window once aborted in
glibc. So the window turns automatic collection off and collects on a timer of the GUI
thread instead (the pattern of pyqtgraph's ``GarbageCollector``, after Erik Janssens).
Reference counting, which frees almost everything, is untouched.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

_INTERVAL_MS = 500


class GuiGarbageCollector(QObject):
    """Disables automatic collection; collects each generation that is due on a GUI-thread
    timer, as the automatic collector would have."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(_INTERVAL_MS)

    def check(self) -> None:
        count0, count1, count2 = gc.get_count()
        if count0 > self.threshold[0]:
            generation = 0
            if count1 > self.threshold[1]:
                generation = 2 if count2 > self.threshold[2] else 1
            gc.collect(generation)

    def stop(self) -> None:
        """Collect once more and hand collection back to Python."""
        self.timer.stop()
        gc.collect()
        gc.enable()


_collector: GuiGarbageCollector | None = None


def collect_on_gui_thread(app: QObject) -> GuiGarbageCollector:
    """Install the collector once for the application ``app`` (idempotent)."""
    global _collector
    if _collector is None:
        _collector = GuiGarbageCollector(app)
    return _collector


def stop_collecting() -> None:
    """Undo :func:`collect_on_gui_thread` (tests hand the process back this way)."""
    global _collector
    if _collector is not None:
        _collector.stop()
        _collector.deleteLater()
        _collector = None
