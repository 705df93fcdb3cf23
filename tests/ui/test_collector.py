"""Garbage is collected on the GUI thread, never by whichever thread allocates."""

from __future__ import annotations

import gc
import threading

from ui.collector import GuiGarbageCollector


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_no_automatic_collection_while_installed_and_the_timer_collects(qtbot):
    # the package fixture has installed one already: automatic collection is off
    assert not gc.isenabled()
    collector = GuiGarbageCollector()
    try:
        collected_on: list[str] = []
        gc.callbacks.append(
            lambda phase, info: collected_on.append(threading.current_thread().name)
        )
        try:
            worker = threading.Thread(target=lambda: [_Cycle() for _ in range(50_000)])
            worker.start()
            worker.join()
            assert collected_on == []  # the worker filled generation 0 and did not collect
            assert gc.get_count()[0] > collector.threshold[0]
            qtbot.waitUntil(lambda: gc.get_count()[0] <= collector.threshold[0], timeout=3000)
            assert set(collected_on) == {threading.main_thread().name}
        finally:
            gc.callbacks.pop()
    finally:
        collector.timer.stop()
        collector.deleteLater()
    assert not gc.isenabled()
