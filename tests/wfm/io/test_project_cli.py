"""``wfm project``: create, info, extract and update a plan; one line and exit 2 on bad input."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest

from wfm.cli import main
from wfm.forecast.events import Calendar
from wfm.forecast.model import Forecast
from wfm.io.history import IntervalHistory
from wfm.io.project import open_project, project_digest, save_project
from wfm.scheduling.loaders import read_agents_csv, read_shift_setup

TEMPLATES = """
[[template]]
name = "Day"
days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
start_earliest = "08:00"
start_latest = "10:00"
start_step_minutes = 60
lengths_hours = [8.5]
[[template.break]]
kind = "lunch"
minutes = 30
earliest_after_start_minutes = 180
latest_after_start_minutes = 300

[rules]
min_rest_hours = 11
"""
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
    files["shifts"].write_text(TEMPLATES, encoding="utf-8")
    files["events"].write_text(EVENTS, encoding="utf-8")
    files["scenarios"].write_text(SCENARIOS, encoding="utf-8")
    _forecast_csv(files["forecast"])
    _roster_csv(files["roster"])
    return files


def _create(inputs: dict[str, Path], out: Path, *extra: str) -> int:
    return main(
        ["project", "create", str(out), "--history", str(inputs["history"])]
        + [
            a
            for k in ("events", "agents", "shifts", "scenarios")
            for a in (f"--{k}", str(inputs[k]))
        ]
        + ["--name", "Test plan", "--centre", "Northwind", "--target-sl", "0.8"]
        + ["--answer-seconds", "20", "--shrinkage", "0.3", *extra]
    )


def test_create_info_extract_update_round_trip(tmp_path, inputs, capsys):
    plan = tmp_path / "plan.wfmp"
    assert _create(inputs, plan) == 0
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
    capsys.readouterr()

    assert main(["project", "info", str(plan)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Plan: Test plan (Northwind)"
    assert out[1].startswith("History: 2 queues, 288 intervals (01 Oct 2026 - 03 Oct 2026)")
    assert "Agents: 2 in 2 teams" in out and "Roster: none" in out

    # the forecast and roster computed headless go back in one save
    assert main(["project", "update", str(plan), "--forecast", str(inputs["forecast"]),
                 "--roster", str(inputs["roster"])]) == 0  # fmt: skip
    assert "forecast, roster" in capsys.readouterr().out
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
    assert main(["project", "extract", str(plan), "--dir", str(work)]) == 0
    out = capsys.readouterr().out
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

    assert main(["project", "update", str(plan)] + [
        a for k in ("history", "agents", "shifts", "events", "scenarios", "forecast", "roster")
        for a in (f"--{k}", str(work / EXTRACTED[k]))
    ]) == 0  # fmt: skip
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


def _one_line_error(capsys) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("wfm: "), err
    return err


def test_extract_refuses_to_overwrite_unless_forced(tmp_path, inputs, capsys):
    plan = tmp_path / "plan.wfmp"
    assert _create(inputs, plan) == 0
    work = tmp_path / "work"
    work.mkdir()
    (work / "agents.csv").write_text("keep me", encoding="utf-8")
    assert main(["project", "extract", str(plan), "--dir", str(work)]) == 2
    assert "agents.csv already exists (use --force to overwrite)" in _one_line_error(capsys)
    assert sorted(f.name for f in work.iterdir()) == ["agents.csv"]  # nothing written
    assert main(["project", "extract", str(plan), "--dir", str(work), "--force"]) == 0
    assert read_agents_csv(work / "agents.csv") == read_agents_csv(inputs["agents"])


def test_create_refuses_an_existing_plan_unless_forced(tmp_path, inputs, capsys):
    plan = tmp_path / "plan.wfmp"
    plan.write_text("not a plan", encoding="utf-8")
    assert _create(inputs, plan) == 2
    assert "plan.wfmp already exists" in _one_line_error(capsys)
    assert plan.read_text(encoding="utf-8") == "not a plan"
    assert _create(inputs, plan, "--force") == 0
    assert open_project(plan).name == "Test plan"


def test_bad_input_is_one_line_and_leaves_the_plan_unchanged(tmp_path, inputs, capsys):
    plan = tmp_path / "plan.wfmp"
    assert main(["project", "create", str(plan), "--history", str(tmp_path / "nope.csv")]) == 2
    assert "nope.csv: file not found" in _one_line_error(capsys)
    assert not plan.exists()
    assert _create(inputs, plan) == 0
    before = project_digest(plan)
    bad = tmp_path / "bad.csv"
    bad.write_text("queue,interval_start,volume,volume_low,volume_high,aht_seconds\n"
                   "Sales,2026-11-02T00:00:00,-3,0,1,300\n", encoding="utf-8")  # fmt: skip
    args = [
        "project",
        "update",
        str(plan),
        "--agents",
        str(inputs["agents"]),
        "--forecast",
        str(bad),
    ]
    assert main(args) == 2
    assert "bad.csv, row 2, column 'volume'" in _one_line_error(capsys)
    assert project_digest(plan) == before
    text = tmp_path / "notes.wfmp"
    text.write_text("hello", encoding="utf-8")
    assert main(["project", "info", str(text)]) == 2
    assert "notes.wfmp is damaged or is not a WFM Planner project" in _one_line_error(capsys)
    assert main(["project", "update", str(plan)]) == 2
    assert "nothing to update" in _one_line_error(capsys)
    assert (
        main(["project", "create", str(tmp_path / "x.csv"), "--history", str(inputs["history"])])
        == 2
    )
    assert "must end in .wfmp" in _one_line_error(capsys)
