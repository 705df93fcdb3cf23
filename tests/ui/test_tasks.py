"""ui.tasks: work off the GUI thread, results on it, cancel that really stops."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import QThread, QTimer

from ui.tasks import Task, TaskRunner
from wfm.errors import InputError


def slow(steps: int = 200, delay: float = 0.005, started: threading.Event | None = None):
    """A fake slow wfm function: reports progress every step, as wfm's do."""

    def fn(progress):
        for i in range(steps):
            if started is not None:
                started.set()
            progress(i / steps, f"step {i}")
            time.sleep(delay)
        return "done"

    return fn


def test_result_and_progress_arrive_on_the_gui_thread(qtbot, qapp):
    threads = {}

    def work(progress):
        threads["worker"] = QThread.currentThread()
        progress(0.5, "half way")
        return 42

    task = Task(work, name="answer")
    seen = []
    task.progress.connect(lambda f, m: seen.append((f, m, QThread.currentThread())))
    with qtbot.waitSignal(task.finished, timeout=5000) as blocker:
        task.start()
    assert blocker.args == [42]
    assert task.state == "finished"
    assert threads["worker"] is not qapp.thread()
    assert seen and seen[0][:2] == (0.5, "half way")
    assert seen[0][2] is qapp.thread()


def test_cancel_stops_the_work_and_emits_cancelled_not_finished(qtbot):
    started = threading.Event()
    task = Task(slow(steps=2000, started=started))
    finished = []
    task.finished.connect(finished.append)
    task.start()
    assert started.wait(5)
    with qtbot.waitSignal(task.cancelled, timeout=5000):
        task.cancel()
    assert task.state == "cancelled"
    qtbot.wait(50)
    assert finished == []


def test_a_result_that_arrives_after_cancel_is_not_delivered(qtbot):
    task = Task(lambda progress: "stale")
    finished = []
    task.finished.connect(finished.append)
    with qtbot.waitSignal(task.cancelled, timeout=5000):
        task.start()
        task.cancel()  # before the queued result is handled on the GUI thread
    assert finished == []


def test_wfm_error_is_reported_with_its_message_and_a_traceback(qtbot):
    def bad(progress):
        raise InputError("'-35' is not a duration", file="calls.csv", row=12, column="Wait Time")

    task = Task(bad)
    with qtbot.waitSignal(task.failed, timeout=5000) as blocker:
        task.start()
    exc, tb = blocker.args
    assert isinstance(exc, InputError)
    assert str(exc) == "calls.csv, row 12, column 'Wait Time': '-35' is not a duration"
    assert "def bad" not in tb and "bad" in tb  # the traceback names the failing function


def test_an_unexpected_exception_is_reported_not_swallowed(qtbot):
    task = Task(lambda progress: 1 / 0)
    with qtbot.waitSignal(task.failed, timeout=5000) as blocker:
        task.start()
    assert isinstance(blocker.args[0], ZeroDivisionError)
    assert "ZeroDivisionError" in blocker.args[1]


def test_runner_cancels_the_running_task_before_starting_the_next(qtbot):
    runner = TaskRunner()
    results, cancelled = [], []
    started = threading.Event()
    first = runner.run(
        slow(steps=2000, started=started),
        on_finished=lambda r: results.append(("first", r)),
        on_cancelled=lambda: cancelled.append("first"),
    )
    assert started.wait(5)
    with qtbot.waitSignal(first.ended, timeout=5000):
        second = runner.run(
            lambda progress: "fresh", on_finished=lambda r: results.append(("second", r))
        )
    qtbot.waitUntil(lambda: second.state == "finished", timeout=5000)
    assert first.is_cancel_requested and first.state == "cancelled"
    # The superseded task is silenced: its owner only ever hears from the newest task.
    assert results == [("second", "fresh")]
    assert cancelled == []
    assert not runner.is_busy
    qtbot.waitUntil(lambda: not runner._alive, timeout=2000)  # finished tasks are let go


def test_event_loop_keeps_serving_while_a_task_runs(qtbot):
    ticks = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start()
    runner = TaskRunner()
    task = runner.run(slow(steps=40, delay=0.01))
    with qtbot.waitSignal(task.finished, timeout=5000):
        pass
    timer.stop()
    assert len(ticks) >= 5  # ~400 ms of work: the GUI thread was free throughout


def test_progress_reports_are_throttled(qtbot):
    task = Task(slow(steps=5000, delay=0))
    reports = []
    task.progress.connect(lambda f, m: reports.append(f))
    with qtbot.waitSignal(task.finished, timeout=5000):
        task.start()
    assert len(reports) < 200


def test_a_task_cannot_be_started_twice(qtbot):
    task = Task(lambda progress: None)
    with qtbot.waitSignal(task.finished, timeout=5000):
        task.start()
    with pytest.raises(RuntimeError):
        task.start()
