"""Run model fits in worker processes, with progress and a Cancel that acts at once.

The GUI process has Qt threads, so workers are *spawned* (never forked). The calling thread
polls the tasks every 50 ms and calls ``progress`` at least every :data:`PROGRESS_EVERY`
seconds; when ``progress`` raises :class:`~wfm.progress.Cancelled` the workers are terminated
(SIGTERM, even in the middle of a prophet fit) and ``Cancelled`` propagates. A worker that dies
(killed, out of memory) ends the run with a :class:`~wfm.errors.WfmError` instead of a hang
(why ``concurrent.futures`` rather than ``multiprocessing.Pool``, which waits forever).

Workers must never outlive their parent: each one asks the kernel for SIGKILL when the parent
dies (Linux ``prctl(PR_SET_PDEATHSIG)``) or, elsewhere, watches the parent's sentinel from a
daemon thread and exits when it closes. So a planner's ``kill -9`` of ``wfm`` (or of the window)
leaves no prophet fit running.

Spawned workers re-import the calling script's ``__main__``. A script that calls
:func:`run_tasks` at top level without ``if __name__ == "__main__":`` makes every worker fail at
start; that is reported as such (not as a crash of a fit). A ``__main__`` that cannot be
re-imported (code read from stdin) and, by default, one without a file (interactive sessions,
``python -c``) are run in this process instead.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_EXCEPTION, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from wfm.errors import WfmError
from wfm.progress import ProgressCallback, report

T = TypeVar("T")
R = TypeVar("R")

PROGRESS_EVERY = 0.25  # seconds
_POLL = 0.05
#: Default worker processes at most (each prophet worker holds ~150 MB).
MAX_DEFAULT_PROCESSES = 4


def usable_cpus() -> int:
    """CPUs this process may run on (its affinity mask where the platform has one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def default_processes(tasks: int) -> int:
    """Workers for ``tasks`` tasks: one per task, at most one per usable CPU, at most 4."""
    return max(1, min(tasks, usable_cpus(), MAX_DEFAULT_PROCESSES))


def main_reimportable() -> bool | None:
    """Can spawned workers re-create ``__main__``? True, False (stdin), None (no file)."""
    main = sys.modules.get("__main__")
    if main is None:
        return None
    if getattr(getattr(main, "__spec__", None), "name", None):
        return True  # python -m ...: re-imported by name
    path = getattr(main, "__file__", None)
    if path is None:
        return None
    return os.path.isfile(path)


def _exit_with_parent() -> None:
    """Make this worker die with its parent (SIGKILL of the parent included)."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            import signal

            libc = ctypes.CDLL(None, use_errno=True)
            pr_set_pdeathsig = 1
            if libc.prctl(pr_set_pdeathsig, int(signal.SIGKILL), 0, 0, 0) == 0:
                if os.getppid() != parent.pid:  # the parent died before prctl
                    os._exit(1)
                return
        except (OSError, AttributeError):
            pass

    def watch() -> None:
        try:
            multiprocessing.connection.wait([parent.sentinel])
        finally:
            os._exit(1)

    threading.Thread(target=watch, name="wfm-parent-watch", daemon=True).start()


def _worker_init(ready: Any, initializer: Callable[[], Any] | None) -> None:
    """Every worker: the parent-death guard, the caller's initializer, then count it ready."""
    _exit_with_parent()
    if initializer is not None:
        initializer()
    with ready.get_lock():
        ready.value += 1


def run_tasks(
    fn: Callable[[T], R],
    tasks: Sequence[T],
    *,
    processes: int | None = None,
    progress: ProgressCallback | None = None,
    message: str = "Fitting",
    initializer: Callable[[], Any] | None = None,
) -> list[R]:
    """``[fn(t) for t in tasks]``, in ``processes`` spawned workers (0: in this process).

    ``fn`` and the tasks must be picklable (``fn`` a module-level function). The first
    exception raised by a task is raised here after the pool is stopped.
    """
    if not tasks:
        return []
    if getattr(multiprocessing.current_process(), "_inheriting", False):
        # a spawned worker re-running an unguarded script: stop it here, the parent reports it
        raise _task_error(BrokenProcessPool(), started=0)
    n = len(tasks)
    reimportable = main_reimportable()
    if reimportable is False or (reimportable is None and processes is None):
        processes = 0
    if processes is None:
        processes = default_processes(n)
    if processes <= 0:
        out: list[R] = []
        if initializer is not None:
            initializer()
        for i, task in enumerate(tasks):
            report(progress, i / n, f"{message} ({i + 1} of {n})")
            out.append(fn(task))
        report(progress, 1.0, message)
        return out
    ctx = multiprocessing.get_context("spawn")
    ready = ctx.Value("i", 0)
    pool = ProcessPoolExecutor(
        max_workers=min(processes, n), mp_context=ctx, initializer=_worker_init, initargs=(ready, initializer)
    )
    try:
        futures = [pool.submit(fn, task) for task in tasks]
        started = time.monotonic()
        last = -PROGRESS_EVERY
        while True:
            done = sum(f.done() for f in futures)
            now = time.monotonic()
            if now - last >= PROGRESS_EVERY or done == n:
                # creep inside a task so that a long fit still shows movement
                creep = min(0.9, (now - started) / 30.0) / n if done < n else 0.0
                if done == 0 and ready.value == 0:
                    text = f"{message}: starting worker processes"
                else:
                    text = f"{message} ({done} of {n} done)"
                report(progress, done / n + creep, text)
                last = now
            for f in futures:
                if f.done() and f.exception() is not None:
                    raise _task_error(f.exception(), started=ready.value)
            if done == n:
                return [f.result() for f in futures]
            wait(futures, timeout=_POLL, return_when=FIRST_EXCEPTION)
    finally:
        _stop(pool)


def _task_error(exc: BaseException | None, *, started: int = 1) -> BaseException:
    if isinstance(exc, BrokenProcessPool):
        if started == 0:  # no worker got through its start-up
            return WfmError(
                "the model-fitting worker processes could not start. From a script, call forecast() "
                "or backtest() under `if __name__ == \"__main__\":` (each worker re-imports the "
                "script), or pass processes=0 to fit in this process"
            )
        return WfmError("a model-fitting process stopped unexpectedly (out of memory?)")
    assert exc is not None
    return exc


def _stop(pool: ProcessPoolExecutor) -> None:
    """Terminate the workers at once (a running prophet fit cannot be interrupted otherwise)."""
    # ProcessPoolExecutor has no public terminate(); its worker table is stable since 3.8.
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for proc in processes:
        if proc.is_alive():
            proc.terminate()
    pool.shutdown(wait=True, cancel_futures=True)
    for proc in processes:
        proc.join(timeout=2)
