"""``wfm project``: create, info, extract and update a plan; one line and exit 2 on bad input."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest

from tests.cli_helpers import Result, run_wfm, write_shifts
from wfm.forecast.events import Calendar
from wfm.forecast.model import Forecast
from wfm.io.history import IntervalHistory
from wfm.io.project import open_project, project_digest, save_project
from wfm.scheduling.loaders import read_agents_csv, read_shift_setup

AGENTS = "name,team,skills,min_weekly_hours,max_weekly_hours,leave\n" + (
    "Ana Silva,Sales,Sales,0,40,2026-11-05\nBo Chen,Support,Support;Sales,0,40,\n"
)
EVENTS = """
country = "GB"
[[events]]
name = "Promo"
start = 2026-10-05
end = 2026-10-06
uplift = 0.2
queues = ["Sales"]
"""
SCENARIOS = '# what if\n[[scenario]]\nname = "AHT +10 %"\n'


def _history_csv(path: Path) -> None:
    rows = ["queue,interval_start,offered,handled,abandoned,aht_seconds"]
    for q in ("Sales", "Support"):
        for t in pd.date_range("2026-10-01", periods=3 * 48, freq="30min"):
            n = 10 if 8 <= t.hour < 18 else 0
            rows.append(f"{q},{t:%Y-%m-%dT%H:%M:%S},{n},{n - 1 if n else 0},{1 if n else 0},")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def _forecast_csv(path: Path) -> None:
    rows = ["queue,interval_start,volume,volume_low,volume_high,aht_seconds"]
    for t in pd.date_range("2026-11-02", periods=2 * 48, freq="30min"):
        rows.append(f"Sales,{t:%Y-%m-%dT%H:%M:%S},4.5,3.25,6,301.5")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def _roster_csv(path: Path) -> None:
    path.write_text(
        "agent,team,date,start,end,paid_hours,breaks\n"
        "Ana Silva,Sales,2026-11-02,08:00,16:30,8.00,12:00-12:30\n"
        "Bo Chen,Support,2026-11-02,09:00,17:30,8.00,12:30-13:00\n"
        "Ana Silva,Sales,2026-11-03,08:00,16:30,8.00,11:30-12:00\n",
        encoding="utf-8",
    )


@pytest.fixture
def inputs(tmp_path: Path) -> dict[str, Path]:
    files = {
        "history": tmp_path / "history.csv",
        "agents": tmp_path / "agents.csv",
        "shifts": tmp_path / "shift_templates.toml",
        "events": tmp_path / "events.toml",
        "scenarios": tmp_path / "scenarios.toml",
        "forecast": tmp_path / "forecast.csv",
        "roster": tmp_path / "roster.csv",
    }
    _history_csv(files["history"])
    files["agents"].write_text(AGENTS, encoding="utf-8")
    write_shifts(files["shifts"])
    files["events"].write_text(EVENTS, encoding="utf-8")
    files["scenarios"].write_text(SCENARIOS, encoding="utf-8")
    _forecast_csv(files["forecast"])
    _roster_csv(files["roster"])
    return files


def _create(inputs: dict[str, Path], out: Path, capsys, *extra: str) -> Result:
    return run_wfm(
        ["project", "create", out, "--history", inputs["history"]]
        + [a for k in ("events", "agents", "shifts", "scenarios") for a in (f"--{k}", inputs[k])]
        + ["--name", "Test plan", "--centre", "Northwind", "--target-sl", "0.8"]
        + ["--answer-seconds", "20", "--shrinkage", "0.3", *extra],
        capsys,
    )


def test_create_info_extract_update_round_trip(tmp_path, inputs, capsys):
    plan = tmp_path / "plan.wfmp"
    assert _create(inputs, plan, capsys).code == 0
    p = open_project(plan)
    assert (p.name, p.centre, p.source) == ("Test plan", "Northwind", "history.csv")
    expected = IntervalHistory.read_csv(inputs["history"])
    pd.testing.assert_frame_equal(p.history.frame, expected.frame, check_exact=True)
    assert p.agents == read_agents_csv(inputs["agents"])
    assert p.setup == read_shift_setup(inputs["shifts"])
    assert p.calendar == Calendar.load(inputs["events"])
    assert p.scenarios_text == SCENARIOS
    assert (p.target.service_level, p.target.answer_seconds, p.target.shrinkage) == (0.8, 20, 0.3)
    assert set(p.stamps) == {"history", "scenarios"}

    info = run_wfm(["project", "info", plan], capsys)
    assert info.code == 0
    out = info.out.splitlines()
    assert out[0] == "Plan: Test plan (Northwind)"
    assert out[1].startswith("History: 2 queues, 288 intervals (01 Oct 2026 - 03 Oct 2026)")
    assert "Agents: 2 in 2 teams" in out and "Roster: none" in out

    # the forecast and roster computed headless go back in one save
    update = [
        "project",
        "update",
        plan,
        "--forecast",
        inputs["forecast"],
        "--roster",
        inputs["roster"],
    ]
    result = run_wfm(update, capsys)
    assert result.code == 0 and "forecast, roster" in result.out
    p = open_project(plan)
    assert p.forecast.frame.equals(Forecast.read_csv(inputs["forecast"], 30).frame)
    assert p.forecast.days == 2 and p.forecast.interval_minutes == 30
    r = p.roster.roster
    assert (r.start, r.days, len(r.shifts)) == (dt.date(2026, 11, 2), 2, 3)
    assert r.shifts[("Ana Silva", dt.date(2026, 11, 3))].breaks[0].kind == "lunch"
    assert {"forecast", "roster"} <= set(p.stamps)

    # the planner marks leave and a lock in the window; extract then update keeps the plan
    r.set_leave(("Bo Chen", dt.date(2026, 11, 3)), "sick")
    r.set_lock(("Ana Silva", dt.date(2026, 11, 2)), True)
    save_project(p, plan)
    before = open_project(plan)
    work = tmp_path / "work"
    extract = run_wfm(["project", "extract", plan, "--dir", work], capsys)
    assert extract.code == 0
    out = extract.out
    names = sorted(f.name for f in work.iterdir())
    assert names == sorted(
        ["history.csv", "events.toml", "agents.csv", "shift_templates.toml", "target.json",
         "forecast.csv", "roster.csv", "scenarios.toml"]
    )  # fmt: skip
    assert "1 leave day(s) and 1 locked cell(s)" in out
    assert (work / "scenarios.toml").read_text(encoding="utf-8") == SCENARIOS
    assert json.loads((work / "target.json").read_text())["shrinkage"] == 0.3
    assert read_agents_csv(work / "agents.csv") == before.agents
    assert Calendar.load(work / "events.toml") == before.calendar

    assert run_wfm(["project", "update", plan] + [
        a for k in ("history", "agents", "shifts", "events", "scenarios", "forecast", "roster")
        for a in (f"--{k}", work / EXTRACTED[k])
    ], capsys).code == 0  # fmt: skip
    after = open_project(plan)
    assert after.roster.roster.shifts == before.roster.roster.shifts
    assert after.roster.roster.leave == before.roster.roster.leave
    assert after.roster.roster.locks == before.roster.roster.locks
    assert (after.roster.roster.start, after.roster.roster.days) == (dt.date(2026, 11, 2), 2)
    for part in ("agents", "setup", "calendar", "target", "scenarios_text", "name"):
        assert getattr(after, part) == getattr(before, part), part
    pd.testing.assert_frame_equal(after.history.frame, before.history.frame, check_exact=True)
    pd.testing.assert_frame_equal(after.forecast.frame, before.forecast.frame, check_exact=True)


EXTRACTED = {
    "history": "history.csv",
    "agents": "agents.csv",
    "shifts": "shift_templates.toml",
    "events": "events.toml",
    "scenarios": "scenarios.toml",
    "forecast": "forecast.csv",
    "roster": "roster.csv",
}


def test_extract_refuses_to_overwrite_unless_forced(tmp_path, inputs, capsys):
    plan = tmp_path / "plan.wfmp"
    assert _create(inputs, plan, capsys).code == 0
    work = tmp_path / "work"
    work.mkdir()
    (work / "agents.csv").write_text("keep me", encoding="utf-8")
    refused = run_wfm(["project", "extract", plan, "--dir", work], capsys).one_line_error()
    assert "agents.csv already exists (use --force to overwrite)" in refused
    assert sorted(f.name for f in work.iterdir()) == ["agents.csv"]  # nothing written
    assert run_wfm(["project", "extract", plan, "--dir", work, "--force"], capsys).code == 0
    assert read_agents_csv(work / "agents.csv") == read_agents_csv(inputs["agents"])


def test_create_refuses_an_existing_plan_unless_forced(tmp_path, inputs, capsys):
    plan = tmp_path / "plan.wfmp"
    plan.write_text("not a plan", encoding="utf-8")
    assert "plan.wfmp already exists" in _create(inputs, plan, capsys).one_line_error()
    assert plan.read_text(encoding="utf-8") == "not a plan"
    assert _create(inputs, plan, capsys, "--force").code == 0
    assert open_project(plan).name == "Test plan"


def test_bad_input_is_one_line_and_leaves_the_plan_unchanged(tmp_path, inputs, capsys):
    def error(*args: object) -> str:
        return run_wfm(args, capsys).one_line_error()

    plan = tmp_path / "plan.wfmp"
    assert "nope.csv: file not found" in error(
        "project", "create", plan, "--history", tmp_path / "nope.csv"
    )
    assert not plan.exists()
    assert _create(inputs, plan, capsys).code == 0
    before = project_digest(plan)
    bad = tmp_path / "bad.csv"
    bad.write_text("queue,interval_start,volume,volume_low,volume_high,aht_seconds\n"
                   "Sales,2026-11-02T00:00:00,-3,0,1,300\n", encoding="utf-8")  # fmt: skip
    assert "bad.csv, row 2, column 'volume'" in error(
        "project", "update", plan, "--agents", inputs["agents"], "--forecast", bad
    )
    assert project_digest(plan) == before
    text = tmp_path / "notes.wfmp"
    text.write_text("hello", encoding="utf-8")
    assert "notes.wfmp is damaged or is not a WFM Planner project" in error("project", "info", text)
    assert "nothing to update" in error("project", "update", plan)
    assert "must end in .wfmp" in error(
        "project", "create", tmp_path / "x.csv", "--history", inputs["history"]
    )
