"""Fitting runs in worker processes; Cancel stops them within 2 s, even mid-fit."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.wfm.forecast.helpers import MONDAY, make_history
from wfm.errors import WfmError
from wfm.forecast import forecast, runner
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
    assert max(gaps) <= 1.0  # polled every 0.2 s; leeway for a loaded 2-core CI machine


def test_cancel_a_prophet_forecast():
    # "auto" on two years of four queues: 16 prophet fits (3 backtest origins + the forecast per
    # queue) on two workers. Cancel at the first report after a worker has imported prophet and
    # taken a fit (before that the runner says "starting worker processes"), fits still pending.
    h = make_history(730, queues=("A", "B", "C", "D"), minutes=60, poisson=True)
    seen: list[str] = []
    raised: list[float] = []

    def progress(fraction: float, message: str) -> None:
        seen.append(message)
        if message.startswith("Fitting the daily model (") and not raised:
            raised.append(time.monotonic())
            raise Cancelled

    with pytest.raises(Cancelled):
        forecast(h, MONDAY + dt.timedelta(days=730), 14, method="auto", progress=progress, processes=2)
    assert time.monotonic() - raised[0] < 2.0
    assert "Fitting the daily model: starting worker processes" in seen
    done = int(seen[-1].split("(")[1].split()[0])
    assert done < 16, seen[-1]
    assert multiprocessing.active_children() == []


def test_worker_errors_reach_the_caller():
    with pytest.raises(TypeError):
        run_tasks(sleepy, ["not a number"], processes=1)  # type: ignore[list-item]


def test_the_default_worker_count_is_capped(monkeypatch):
    monkeypatch.setattr(runner, "usable_cpus", lambda: 16)
    assert runner.default_processes(10) == 4 and runner.default_processes(3) == 3
    monkeypatch.setattr(runner, "usable_cpus", lambda: 1)
    assert runner.default_processes(10) == 1


def _children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[1]) == pid:
                out.append(int(entry))
    return out


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
def test_workers_die_with_a_killed_parent(tmp_path):
    script = tmp_path / "long_run.py"
    script.write_text(
        "import time\n"
        "from wfm.forecast.runner import run_tasks\n"
        "if __name__ == '__main__':\n"
        "    run_tasks(time.sleep, [60.0, 60.0], processes=2)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    parent = subprocess.Popen([sys.executable, str(script)], cwd=tmp_path, env=env)
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            workers = [
                p for p in _children(parent.pid)
                if "spawn_main" in Path(f"/proc/{p}/cmdline").read_text(errors="replace")
            ]
            if len(workers) >= 2:
                break
            time.sleep(0.05)
        assert len(workers) == 2
        time.sleep(1.0)  # in the task (sleeping), well past the start-up
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(_alive(p) for p in workers):
            time.sleep(0.05)
        assert not [p for p in workers if _alive(p)]
    finally:
        parent.kill()
        for p in workers:
            if _alive(p):
                os.kill(p, signal.SIGKILL)


def test_a_script_without_a_main_guard_gets_a_clear_error(tmp_path):
    script = tmp_path / "no_guard.py"
    script.write_text(
        "import time\n"
        "from wfm.forecast.runner import run_tasks\n"
        "print(run_tasks(time.sleep, [0.01], processes=1))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, str(script)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("wfm.errors.WfmError: the model-fitting worker processes could not start")
    assert 'if __name__ == "__main__":' in last and "processes=0" in last
    # the same code read from stdin cannot be re-imported by a worker: it runs in this process
    done = subprocess.run(
        [sys.executable, "-"], input=script.read_text(), cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0 and done.stdout.strip() == "[None]", done.stderr


def test_a_broken_pool_before_any_start_is_reported_as_such():
    error = runner._task_error(runner.BrokenProcessPool(), started=0)
    assert isinstance(error, WfmError) and "could not start" in str(error)
    assert "out of memory" in str(runner._task_error(runner.BrokenProcessPool(), started=2))
