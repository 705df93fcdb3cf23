"""``--project P.wfmp`` on ``wfm forecast``, ``staff``, ``schedule``, ``export`` and
``whatif``: a plan made in the window reruns headless, and a failing command leaves it as it
was."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pytest

from tests.cli_helpers import run_wfm
from tests.wfm.io.test_project_inputs import FORECAST_START, SCENARIOS, make_project
from wfm.cli import main
from wfm.forecast.model import forecast
from wfm.io.project import open_project, project_digest, save_project
from wfm.io.project_inputs import PROMOTED_KEY

PROMO = '[[scenario]]\nname = "More Sales"\n[[scenario.volume]]\npercent = 30\nqueues = ["Sales"]\n'


@pytest.fixture(scope="module")
def scheduled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A plan with a forecast and a roster made by ``wfm schedule --project`` (once)."""
    path = tmp_path_factory.mktemp("plans") / "scheduled.wfmp"
    save_project(make_project(), path)
    assert main(["schedule", "--project", str(path), "--time-limit", "1"]) == 0
    return path


def _copy(src: Path, folder: Path, name: str = "plan.wfmp") -> Path:
    out = folder / name
    shutil.copyfile(src, out)
    return out


def _plan(folder: Path, **kwargs: object) -> Path:
    path = folder / "plan.wfmp"
    save_project(make_project(**kwargs), path)  # type: ignore[arg-type]
    return path


def test_forecast_stores_the_forecast_its_settings_and_a_stamp(tmp_path, capsys):
    path = _plan(tmp_path, with_forecast=False)
    before = open_project(path)
    result = run_wfm(["forecast", "--project", path, "--method", "last-week", "--days", 3], capsys)
    assert result.code == 0, result.err
    out = result.out
    assert "Stored 288 intervals in" in out and "Wrote" not in out
    after = open_project(path)
    expected = forecast(before.history, FORECAST_START, 3, method="last-week")
    pd.testing.assert_frame_equal(after.forecast.frame, expected.frame)
    assert (after.forecast.start, after.forecast.days) == (FORECAST_START, 3)
    assert after.forecast.method == "last-week"
    stamp = dt.datetime.fromisoformat(after.stamps["forecast"])
    assert abs((dt.datetime.now() - stamp).total_seconds()) < 120
    assert after.settings["forecast.days"] == 3
    assert after.stamps["history"] == before.stamps["history"]
    pd.testing.assert_frame_equal(after.history.frame, before.history.frame)
    # without settings, the forecast's own start and days
    after.settings = {}
    save_project(after, path)
    assert main(["forecast", "--project", str(path), "--method", "last-week", "--quiet"]) == 0
    assert open_project(path).forecast.days == 3
    # without either: the day after the history, 28 days; -o writes the CSV as well
    after.forecast = None
    save_project(after, path)
    csv = tmp_path / "forecast.csv"
    args = ["forecast", "--project", str(path), "--method", "mean-4-weeks", "-o", str(csv)]
    assert main([*args, "--quiet"]) == 0
    stored = open_project(path).forecast
    assert (stored.start, stored.days, stored.method) == (FORECAST_START, 28, "mean-4-weeks")
    assert len(pd.read_csv(csv)) == len(stored.frame) == 2 * 28 * 48


def test_staff_with_the_plan_equals_staff_on_the_extracted_forecast(tmp_path):
    path = _plan(tmp_path)
    work = tmp_path / "work"
    assert main(["project", "extract", str(path), "--dir", str(work)]) == 0
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    assert main(["staff", "--project", str(path), "-o", str(a)]) == 0
    target = ["--target-sl", "0.8", "--answer-seconds", "20", "--shrinkage", "0.1"]
    assert main(["staff", str(work / "forecast.csv"), *target, "-o", str(b)]) == 0
    assert a.read_text() == b.read_text()
    plain = pd.read_csv(a)
    # an option given changes only that figure of the plan's target
    assert main(["staff", "--project", str(path), "--target-sl", "0.9", "-o", str(a)]) == 0
    target[1] = "0.9"
    assert main(["staff", str(work / "forecast.csv"), *target, "-o", str(b)]) == 0
    assert a.read_text() == b.read_text()
    # promoted scenarios are part of the plan's demand
    plan = open_project(path)
    plan.settings[PROMOTED_KEY] = [PROMO]
    save_project(plan, path)
    assert main(["staff", "--project", str(path), "-o", str(a)]) == 0
    promoted = pd.read_csv(a)
    sales = promoted["queue"] == "Sales"
    assert promoted.loc[sales, "volume"].sum() == pytest.approx(
        1.3 * pd.read_csv(work / "forecast.csv").query("queue == 'Sales'")["volume"].sum()
    )
    assert (
        promoted.loc[sales, "scheduled_agents"].sum() > plain.loc[sales, "scheduled_agents"].sum()
    )


def test_schedule_stores_a_roster_and_keeps_locked_cells_and_leave(tmp_path, scheduled, capsys):
    first = open_project(scheduled)
    record = first.roster
    assert record is not None and record.roster.shifts
    assert (record.roster.start, record.roster.days) == (FORECAST_START, 7)
    assert record.lp_bound_paid_hours is not None and "roster" in first.stamps
    # lock a shift moved by half an hour, a day off and a day of leave; re-solve
    path = _copy(scheduled, tmp_path)
    plan = open_project(path)
    roster = plan.roster.roster
    (ana, day), shift = sorted(roster.shifts.items())[0]
    moved = shift.moved(30)
    roster.shifts[(ana, day)] = moved
    off = next(c for c in sorted(roster.shifts) if c[0] != ana)
    del roster.shifts[off]
    leave = next(c for c in sorted(roster.shifts) if c[0] not in (ana, off[0]))
    del roster.shifts[leave]
    roster.leave[leave] = "sick"
    roster.locks |= {(ana, day), off}
    save_project(plan, path)
    report = tmp_path / "report.json"
    args = ["schedule", "--project", path, "--time-limit", "1", "--report", report]
    result = run_wfm(args, capsys)
    assert result.code == 0 and f"Stored the roster in {path}." in result.err
    new = open_project(path).roster.roster
    assert new.shifts[(ana, day)] == moved
    assert off not in new.shifts and leave not in new.shifts
    assert new.leave[leave] == "sick"
    assert {(ana, day), off} <= new.locks
    assert len(new.shifts) >= len(roster.shifts) - 2
    assert report.exists()


def test_export_writes_the_plans_roster_with_coverage(tmp_path, scheduled, capsys):
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "roster.xlsx"
    result = run_wfm(["export", "--project", scheduled, "-o", out], capsys)
    assert result.code == 0 and "Wrote roster.xlsx" in result.err
    book = openpyxl.load_workbook(out)
    assert "Summary" in book.sheetnames and "Coverage" in book.sheetnames
    assert {"Sales", "Support"} <= set(book.sheetnames)
    texts = [str(c.value) for row in book["Summary"].iter_rows() for c in row if c.value]
    assert any("Northwind" in t for t in texts)


def test_whatif_compares_the_plans_scenarios(tmp_path, scheduled, capsys):
    out = tmp_path / "comparison.csv"
    assert main(["whatif", "--project", str(scheduled), "-o", str(out)]) == 0
    table = pd.read_csv(out)
    assert list(table["scenario"]) == ["Base", "Busy Tuesday", "SL 90/20"]
    assert table["service_level_kept"].notna().all()  # the plan's roster is kept
    assert table.loc[2, "required_hours"] > table.loc[0, "required_hours"]
    other = tmp_path / "other.toml"
    other.write_text(PROMO, encoding="utf-8")
    args = ["whatif", "--project", str(scheduled), "--scenarios", str(other), "-o", str(out)]
    assert main(args) == 0
    assert list(pd.read_csv(out)["scenario"]) == ["Base", "More Sales"]
    assert SCENARIOS  # the plan's text is the one compared above


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (
            ["schedule", "--time-limit", "1"],
            "has no forecast yet: run wfm forecast --project {p} first",
        ),
        (["export", "-o", "{d}/r.xlsx"], "has no roster yet: run wfm schedule --project {p} first"),
        (["staff", "-o", "{d}/r.csv"], None),  # staffs the history's last 4 weeks, with a note
    ],
)
def test_a_plan_without_a_forecast(tmp_path, capsys, command, message):
    path = _plan(tmp_path, with_forecast=False)
    before = project_digest(path)
    args = [a.format(d=tmp_path) for a in command] + ["--project", str(path)]
    result = run_wfm(args, capsys)
    code, err = result.code, result.err.splitlines()
    if message is None:
        assert code == 0
        assert err == [
            "wfm: note: the plan has no forecast yet: the demand is the actual volume of the "
            "history's last 28 days"
        ]
        assert len(pd.read_csv(tmp_path / "r.csv")) == 2 * 28 * 48
    else:
        assert code == 2
        assert err == [f"wfm: plan.wfmp {message.format(p=path)}"]
    assert project_digest(path) == before


def test_a_failing_command_leaves_the_plan_unchanged(tmp_path, scheduled, capsys):
    path = _copy(scheduled, tmp_path)
    before = project_digest(path)
    failing = [
        ["forecast", "--start", "2027-06-01"],  # too far after the history
        ["forecast", "--queues", "Nope"],
        ["schedule", "--start", "2027-01-04", "--days", "7"],  # outside the requirement
        ["schedule", "--agents", str(tmp_path / "missing.csv")],
        ["whatif", "--scenarios", str(tmp_path / "missing.toml"), "-o", str(tmp_path / "c.csv")],
        ["staff", "--interval-minutes", "60", "-o", str(tmp_path / "r.csv")],
    ]
    for args in failing:
        run_wfm([*args, "--project", path], capsys).one_line_error()
    assert project_digest(path) == before
    plan = open_project(path)
    plan.scenarios_text = ""
    save_project(plan, path)
    refused = run_wfm(["whatif", "--project", path, "-o", tmp_path / "c.csv"], capsys)
    assert "plan.wfmp has no what-if scenarios yet: give --scenarios" in refused.one_line_error()
    assert not (tmp_path / "c.csv").exists()


def test_without_a_project_the_files_are_still_required(tmp_path, capsys):
    for args in (
        ["forecast", "--start", "2026-11-02", "--days", "1", "-o", str(tmp_path / "f.csv")],
        ["staff", "-o", str(tmp_path / "r.csv")],
        ["schedule", "r.csv", "--start", "2026-11-02", "--days", "1", "-o", "x.csv"],
        ["export", "-o", str(tmp_path / "r.xlsx")],
        ["whatif", "d.csv", "-o", str(tmp_path / "c.csv")],
    ):
        err = run_wfm(args, capsys).one_line_error()
        assert err.startswith("wfm: the following arguments are required:"), err
