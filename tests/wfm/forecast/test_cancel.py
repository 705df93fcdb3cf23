"""Fitting runs in worker processes; Cancel stops them within 2 s, even mid-fit."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import time

import pytest

from tests.wfm.forecast.helpers import MONDAY, make_history
from wfm.forecast import forecast
from wfm.forecast.runner import run_tasks
from wfm.progress import Cancelled


def sleepy(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def test_cancel_terminates_workers_in_the_middle_of_a_task():
    calls: list[float] = []
    started = time.monotonic()

    def progress(fraction: float, message: str) -> None:
        now = time.monotonic()
        calls.append(now)
        if now - started > 3.0:  # workers are up and sleeping in the task by now
            raise Cancelled

    with pytest.raises(Cancelled):
        run_tasks(sleepy, [60.0, 60.0], processes=2, progress=progress)
    assert time.monotonic() - calls[-1] < 2.0
    assert multiprocessing.active_children() == []
    gaps = [b - a for a, b in zip(calls, calls[1:], strict=False)]
    assert max(gaps) <= 0.5


def test_cancel_a_prophet_forecast():
    h = make_history(120, queues=("A", "B"), poisson=True)
    raised: list[float] = []

    def progress(fraction: float, message: str) -> None:
        if fraction > 0.04 and not raised:
            raised.append(time.monotonic())
            raise Cancelled

    with pytest.raises(Cancelled):
        forecast(h, MONDAY + dt.timedelta(days=120), 14, method="prophet", progress=progress, processes=2)
    assert time.monotonic() - raised[0] < 2.0
    assert multiprocessing.active_children() == []


def test_worker_errors_reach_the_caller():
    with pytest.raises(TypeError):
        run_tasks(sleepy, ["not a number"], processes=1)  # type: ignore[list-item]
