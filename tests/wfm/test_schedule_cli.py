"""``wfm schedule``: a roster CSV and a report from the command line; one line on bad input."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.cli_helpers import run_wfm, write_agents, write_shifts


@pytest.fixture
def inputs(tmp_path: Path) -> dict[str, Path]:
    req = tmp_path / "req.csv"
    rows = ["queue,interval_start,volume,aht_seconds,scheduled_agents"]
    for d in ("2026-11-02", "2026-11-03"):
        for half in range(48):
            t = f"{half // 2:02d}:{30 * (half % 2):02d}"
            heads = 2 if 18 <= half < 34 else 0
            rows.append(f"Support,{d}T{t}:00,{heads * 4},240,{heads}")
    req.write_text("\n".join(rows) + "\n", encoding="utf-8")
    agents = write_agents(
        tmp_path / "agents.csv", (f"Agent {i},Support,Support,0,40" for i in range(4))
    )
    shifts = write_shifts(tmp_path / "shifts.toml")
    return {"req": req, "agents": agents, "shifts": shifts, "dir": tmp_path}


def args(inputs: dict[str, Path], *extra: object) -> list[object]:
    return [
        "schedule",
        str(inputs["req"]),
        "--agents",
        str(inputs["agents"]),
        "--shifts",
        str(inputs["shifts"]),
        *extra,
    ]


def test_schedule_writes_a_roster_and_a_report(
    inputs: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    out, report = inputs["dir"] / "roster.csv", inputs["dir"] / "report.json"
    result = run_wfm(
        args(inputs, "--start", "2026-11-02", "--days", "2", "--time-limit", "5")
        + ["-o", str(out), "--report", str(report)],
        capsys,
    )
    assert result.code == 0, result.err
    with open(out, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["agent", "team", "date", "start", "end", "paid_hours", "breaks"]
    assert len(rows) >= 4  # 2 heads on each of 2 days
    assert [(r["date"], r["agent"]) for r in rows] == sorted((r["date"], r["agent"]) for r in rows)
    data = json.loads(report.read_text(encoding="utf-8"))
    for key in ("required_hours", "under_hours", "coverage", "violations", "gap_to_lp", "status"):
        assert key in data
    assert data["violations"] == 0
    assert data["required_hours"] == pytest.approx(2 * 2 * 8.0)
    assert data["paid_hours"] == pytest.approx(sum(float(r["paid_hours"]) for r in rows), abs=0.01)
    assert "Coverage" in result.err and "paid" in result.err
    assert len(result.err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--start", "2026-11-02", "--days", "0"], "--days must be 1 or more"),
        (["--start", "2027-01-01", "--days", "7"], "covers 2026-11-02 to 2026-11-03"),
        (["--start", "02/11/2026", "--days", "7"], "is not a date"),
        (["--start", "2026-11-02", "--days", "2", "--time-limit", "0"], "--time-limit"),
        (["--start", "2026-11-02", "--days", "2", "--column", "agents"], "missing column"),
        (["--start", "2026-11-02", "--days", "2", "--rules", "nowhere.toml"], "nowhere.toml"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    inputs: dict[str, Path],
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    message: str,
) -> None:
    out = inputs["dir"] / "roster.csv"
    assert message in run_wfm(args(inputs, *extra) + ["-o", out], capsys).one_line_error()
    assert not out.exists()


def test_missing_agents_file_is_one_line(
    inputs: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    inputs["agents"].unlink()
    result = run_wfm(args(inputs, "--start", "2026-11-02", "--days", "2", "-o", "r.csv"), capsys)
    assert "agents.csv" in result.one_line_error()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--time-limit", "nan"], "--time-limit must be"),
        (["--time-limit", "inf"], "--time-limit must be"),
        (["-o", "{dir}/no/such/folder/roster.csv"], "the folder"),
        (["-o", "{dir}/roster.csv", "--report", "{dir}/missing/report.json"], "the folder"),
    ],
)
def test_bad_output_or_time_limit_is_refused_before_solving(
    inputs: dict[str, Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    extra: list[str],
    message: str,
) -> None:
    import wfm.scheduling.solver as solver

    def no_solve(*a: object, **k: object) -> None:
        raise AssertionError("the solver must not run on bad input")

    monkeypatch.setattr(solver, "solve", no_solve)
    extra = [e.format(dir=inputs["dir"]) for e in extra]
    if "-o" not in extra:
        extra += ["-o", str(inputs["dir"] / "roster.csv")]
    result = run_wfm(args(inputs, "--start", "2026-11-02", "--days", "2", *extra), capsys)
    assert message in result.one_line_error()


def test_sigterm_stops_the_search_and_writes_nothing(
    inputs: dict[str, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import signal
    import threading

    import wfm.scheduling.solver as solver

    seen: dict[str, object] = {}

    def slow_solve(*a: object, stop: threading.Event | None = None, **k: object) -> None:
        # CP-SAT searches in C++: a Python signal handler of the thread that called it only
        # runs when it returns. The stop event is the only way to end the search early.
        seen["stop"] = stop
        os.kill(os.getpid(), signal.SIGTERM)
        assert stop is not None and stop.wait(10)
        raise RuntimeError("a stopped search still returns; the command must not write it")

    monkeypatch.setattr(solver, "solve", slow_solve)
    out = inputs["dir"] / "roster.csv"
    result = run_wfm(args(inputs, "--start", "2026-11-02", "--days", "2", "-o", out), capsys)
    assert result.code == 143
    stop = seen["stop"]
    assert isinstance(stop, threading.Event) and stop.is_set()
    assert "terminated" in result.err
    assert not out.exists()
