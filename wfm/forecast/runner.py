"""Run model fits in worker processes, with progress and a Cancel that acts at once.

The GUI process has Qt threads, so workers are *spawned* (never forked). The calling thread
polls the tasks every 50 ms and calls ``progress`` at least every :data:`PROGRESS_EVERY`
seconds; when ``progress`` raises :class:`~wfm.progress.Cancelled` the workers are terminated
(SIGTERM, even in the middle of a prophet fit) and ``Cancelled`` propagates. A worker that dies
(killed, out of memory) ends the run with a :class:`~wfm.errors.WfmError` instead of a hang
(why ``concurrent.futures`` rather than ``multiprocessing.Pool``, which waits forever).
"""

from __future__ import annotations

import multiprocessing
import os
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


def default_processes(tasks: int) -> int:
    """Workers for ``tasks`` tasks: one per task, at most one per CPU."""
    return max(1, min(tasks, os.cpu_count() or 1))


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
    n = len(tasks)
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
    pool = ProcessPoolExecutor(max_workers=min(processes, n), mp_context=ctx, initializer=initializer)
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
                report(progress, done / n + creep, f"{message} ({done} of {n} done)")
                last = now
            for f in futures:
                if f.done() and f.exception() is not None:
                    raise _task_error(f.exception())
            if done == n:
                return [f.result() for f in futures]
            wait(futures, timeout=_POLL, return_when=FIRST_EXCEPTION)
    finally:
        _stop(pool)


def _task_error(exc: BaseException | None) -> BaseException:
    if isinstance(exc, BrokenProcessPool):
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
