"""The one way the window runs work off the GUI thread.

A :class:`Task` wraps a function ``fn(progress) -> result``, where ``progress`` is a
:data:`wfm.progress.ProgressCallback` to hand on to ``wfm``. It runs on a
:class:`~PySide6.QtCore.QThreadPool` and reports back through Qt signals that are always
emitted on the GUI thread (Orange3's ``ConcurrentMixin``, Anki's ``QueryOp``):

- ``progress(fraction, message)`` while it runs (throttled, so a tight loop in ``wfm``
  cannot flood the event loop);
- exactly one of ``finished(result)``, ``failed(exception, traceback_text)`` or
  ``cancelled()`` at the end.

:meth:`Task.cancel` makes the next call of the progress callback raise
:class:`wfm.progress.Cancelled`; ``wfm`` lets it propagate and leaves nothing half-done. A
cancelled task never delivers ``finished``, even when the work completed before it noticed.

:class:`TaskRunner` holds at most one task at a time and cancels the running one before it
starts the next (cancel-before-restart), so a stale result never reaches a widget.

Why the relay: the worker emits on a private ``_Relay`` object; the :class:`Task` (a
``QObject`` living on the GUI thread) receives those emissions through queued connections
and re-emits its public signals from the GUI thread. Whatever a caller connects to a
task's signals, even a lambda, therefore runs on the GUI thread.
"""

from __future__ import annotations

import contextlib
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot

from wfm.progress import Cancelled, ProgressCallback

TaskFunction = Callable[[ProgressCallback], Any]

#: Progress reports closer together than this are dropped (a report of 1.0 always goes through).
_PROGRESS_INTERVAL_S = 0.05


class _Relay(QObject):
    """Signals the worker thread emits; received on the GUI thread by the task."""

    progress = Signal(float, str)
    done = Signal(str, object, str)  # outcome ("finished" | "failed" | "cancelled"), value, tb


class _Runnable(QRunnable):
    def __init__(self, fn: TaskFunction, relay: _Relay, cancel_flag: threading.Event) -> None:
        super().__init__()
        self._fn = fn
        self._relay = relay
        self._cancel = cancel_flag
        self._last_emit = 0.0

    def _progress(self, fraction: float, message: str = "") -> None:
        # Runs on the worker thread, called by wfm.
        if self._cancel.is_set():
            raise Cancelled()
        now = time.monotonic()
        if now - self._last_emit >= _PROGRESS_INTERVAL_S or fraction >= 1.0:
            self._last_emit = now
            self._relay.progress.emit(float(fraction), str(message))

    def run(self) -> None:
        try:
            result = self._fn(self._progress)
        except Cancelled:
            self._done("cancelled", None, "")
        except BaseException as exc:  # noqa: BLE001 - every failure must reach the window
            self._done("failed", exc, traceback.format_exc())
        else:
            self._done("finished", result, "")

    def _done(self, outcome: str, value: object, tb: str) -> None:
        # RuntimeError: the window was closed (and its task deleted) while this ran; nobody
        # is left to tell, and the work was already cancelled when it closed.
        with contextlib.suppress(RuntimeError):
            self._relay.done.emit(outcome, value, tb)


class Task(QObject):
    """A piece of background work and the signals that report on it.

    Parameters
    ----------
    fn
        Called on a worker thread as ``fn(progress)``; it must not touch any widget, nor
        hold one in its closure (the worker thread drops the closure). Pass ``progress`` on
        to the ``wfm`` function it calls, capturing plain values, e.g.
        ``Task(lambda progress: import_log(path, profile, progress=progress))``.
    name
        A short label for logs and tests.
    """

    progress = Signal(float, str)
    finished = Signal(object)
    failed = Signal(object, str)
    cancelled = Signal()
    #: Emitted last, after whichever of the three above (also when silenced).
    ended = Signal()

    def __init__(self, fn: TaskFunction, name: str = "", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._fn = fn
        self._cancel_flag = threading.Event()
        self._relay = _Relay()
        # The relay lives on the GUI thread like this task, and is emitted from the worker:
        # the automatic connection type therefore queues these calls onto the GUI thread.
        self._relay.progress.connect(self._on_progress)
        self._relay.done.connect(self._on_done)
        self._silent = False
        self._state = "new"  # new -> running -> finished | failed | cancelled

    # --- control (GUI thread) ------------------------------------------------------------
    def start(self, pool: QThreadPool | None = None) -> Task:
        """Queue the work on ``pool`` (the global pool by default) and return ``self``."""
        if self._state != "new":
            raise RuntimeError(f"task {self.name!r} was already started")
        self._state = "running"
        # The pool owns the runnable and deletes it after run() (the usual auto-delete);
        # the runnable keeps the relay alive for its final emit.
        runnable = _Runnable(self._fn, self._relay, self._cancel_flag)
        (pool or QThreadPool.globalInstance()).start(runnable)
        return self

    def cancel(self, *, silent: bool = False) -> None:
        """Ask the work to stop. ``cancelled`` follows once it has (never ``finished``).

        With ``silent=True`` (a task superseded by a newer one) none of ``progress``,
        ``finished``, ``failed`` or ``cancelled`` is emitted any more, only ``ended``.
        """
        self._cancel_flag.set()
        if silent:
            self._silent = True

    @property
    def is_running(self) -> bool:
        return self._state == "running"

    @property
    def is_cancel_requested(self) -> bool:
        return self._cancel_flag.is_set()

    @property
    def state(self) -> str:
        """``new``, ``running``, ``finished``, ``failed`` or ``cancelled``."""
        return self._state

    # --- reports (GUI thread, queued from the worker) ----------------------------------
    @Slot(float, str)
    def _on_progress(self, fraction: float, message: str) -> None:
        if self._state == "running" and not self._cancel_flag.is_set() and not self._silent:
            self.progress.emit(fraction, message)

    @Slot(str, object, str)
    def _on_done(self, outcome: str, value: object, tb: str) -> None:
        if self._state != "running":
            return
        if self._cancel_flag.is_set() and outcome == "finished":
            outcome = "cancelled"  # the caller said it no longer wants this result
        self._state = outcome
        if self._silent:
            pass
        elif outcome == "finished":
            self.finished.emit(value)
        elif outcome == "failed":
            self.failed.emit(value, tb)
        else:
            self.cancelled.emit()
        self.ended.emit()


class TaskRunner(QObject):
    """Runs one task at a time for one owner (a page or a dialog).

    Starting a task cancels the one still running, whose late result is then dropped.

    Lifetime: tasks have no Qt parent; the runner keeps a reference to each until it has
    ended, then lets it go from a zero-timer (never from inside the task's own signal), so
    a task object is always deleted on the GUI thread, and never while it is delivering.
    """

    def __init__(self, parent: QObject | None = None, pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self._pool = pool or QThreadPool.globalInstance()
        self._current: Task | None = None
        self._alive: set[Task] = set()

    @property
    def current(self) -> Task | None:
        """The task started last, if it is still running."""
        if self._current is not None and self._current.is_running:
            return self._current
        return None

    @property
    def is_busy(self) -> bool:
        return self.current is not None

    def run(
        self,
        fn: TaskFunction,
        *,
        name: str = "",
        on_finished: Callable[[Any], None] | None = None,
        on_failed: Callable[[BaseException, str], None] | None = None,
        on_cancelled: Callable[[], None] | None = None,
        on_progress: Callable[[float, str], None] | None = None,
    ) -> Task:
        """Start ``fn`` and return its :class:`Task`.

        A task still running is cancelled first, silently: its callbacks are not called any
        more, so only the newest task ever reports to the owner.
        """
        self._supersede()
        task = Task(fn, name=name)
        if on_progress is not None:
            task.progress.connect(on_progress)
        if on_finished is not None:
            task.finished.connect(on_finished)
        if on_failed is not None:
            task.failed.connect(on_failed)
        if on_cancelled is not None:
            task.cancelled.connect(on_cancelled)
        task.ended.connect(self._task_ended)
        self._alive.add(task)
        self._current = task
        return task.start(self._pool)

    def cancel(self) -> None:
        """Cancel the running task (its ``cancelled`` signal follows)."""
        task = self.current
        if task is not None:
            task.cancel()

    def drop(self) -> None:
        """Cancel the running task silently: none of its callbacks are called any more."""
        task = self.current
        if task is not None:
            task.cancel(silent=True)
        self._current = None

    def _supersede(self) -> None:
        self.drop()

    def wait(self, msecs: int = 5000) -> bool:
        """Block until the pool's workers are idle (for shutdown and tests)."""
        return self._pool.waitForDone(msecs)

    @Slot()
    def _task_ended(self) -> None:
        task = self.sender()
        if self._current is task:
            self._current = None
        if task in self._alive:
            QTimer.singleShot(0, self, lambda: self._alive.discard(task))
