"""The .wfmp project file: round trip, safety of saves, refusing bad files, recovery."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.wfm.roster import SETUP, agents, day, roster
from wfm.errors import WfmError
from wfm.forecast.events import Calendar, Event, SpecialDay
from wfm.forecast.model import Forecast
from wfm.forecast.overrides import Override, OverrideList
from wfm.io import project as project_module
from wfm.io.history import IntervalHistory
from wfm.io.project import (
    SCHEMA_VERSION,
    Project,
    RosterRecord,
    autosave_path,
    discard_recovery,
    find_recovery,
    open_project,
    project_digest,
    project_summary,
    save_project,
    write_autosave,
)
from wfm.scheduling.loaders import read_agents_csv
from wfm.staffing.requirement import StaffingTarget

REPO = Path(__file__).resolve().parents[3]
SAMPLE = REPO / "sample_data"


def history(days: int = 3, offsets: bool = False) -> IntervalHistory:
    starts = pd.date_range("2026-10-01", periods=days * 48, freq="30min")
    parts = []
    rng = np.random.default_rng(1)
    for q in ("Sales", "Support"):
        n = len(starts)
        offered = rng.poisson(20, n).astype(float)
        handled = offered - 1
        aht = rng.normal(300, 20, n).round(1)
        aht[::7] = np.nan  # unknown AHT
        handled[::11] = np.nan
        parts.append(
            pd.DataFrame(
                {
                    "queue": q,
                    "interval_start": starts,
                    "offered": offered,
                    "handled": handled,
                    "abandoned": np.where(np.isnan(handled), np.nan, 1.0),
                    "aht_seconds": aht,
                }
            )
        )
    frame = pd.concat(parts, ignore_index=True)
    frame["queue"] = frame["queue"].astype("str")
    if offsets:
        frame["utc_offset"] = np.where(frame.index % 2, 60, 0).astype("int64")
    return IntervalHistory(frame, 30)


def forecast() -> Forecast:
    starts = pd.date_range("2026-11-02", periods=96, freq="30min").astype("datetime64[s]")
    frame = pd.DataFrame(
        {
            "queue": pd.Series(["Sales"] * 96, dtype="str"),
            "interval_start": starts,
            "volume": np.linspace(0, 30, 96),
            "volume_low": np.linspace(0, 25, 96),
            "volume_high": np.linspace(0, 35, 96),
            "aht_seconds": np.r_[np.nan, np.full(95, 301.25)],
        }
    )
    return Forecast(frame, 30, "prophet", dt.date(2026, 11, 2), 2, ("queue Sales: a note",))


def full_project() -> Project:
    r = roster(days=14)
    r.set_leave(("Cy Diaz", day(2)), "sick")
    r.set_leave(("Cy Diaz", day(3)), "leave")
    r.set_lock(("Ana Silva", day(0)), True)
    r.set_lock(("Bo Chen", day(4)), True)
    team = tuple(
        dataclasses.replace(
            a,
            unavailable_days=(6,),
            unavailable_dates=(day(5),),
            leave=(day(9), day(10)),
            preferred_shift="Early",
            preferred_days_off=(5, 6),
            templates=("Early",),
        )
        if a.name == "Bo Chen"
        else a
        for a in agents()
    )
    calendar = Calendar(
        "GB",
        "ENG",
        (Event("Promo", dt.date(2026, 11, 3), dt.date(2026, 11, 4), 0.25, 1, 2.5, ("Sales",)),),
        (SpecialDay(dt.date(2026, 12, 24), "Christmas Eve", False, 120.0, ()),),
    )
    return Project(
        name="November plan",
        centre="Northwind Energy",
        history=history(offsets=True),
        cleaning_report={"file": "calls.csv", "rows_read": 12, "findings": [{"code": "x"}]},
        source="calls.csv",
        profiles={"Avaya": {"name": "Avaya", "delimiter": ";", "columns": {"queue": "Q"}}},
        forecast=forecast(),
        overrides=OverrideList(
            (
                Override.for_days(dt.date(2026, 11, 2), queue="Sales", value=15.0, note="mailing"),
                Override(
                    dt.datetime(2026, 11, 3, 8), dt.datetime(2026, 11, 3, 9), None, "absolute", 40
                ),
            )
        ),
        calendar=calendar,
        target=StaffingTarget(
            0.8,
            20.0,
            max_occupancy=0.9,
            max_abandon=0.05,
            shrinkage=0.3,
            min_agents=1,
            model="erlang_a",
            patience_seconds=95.5,
        ),  # fmt: skip
        agents=team,
        setup=SETUP,
        roster=RosterRecord(r, "Week 45", "agents", ("2 shortages",), 612.5),
        scenarios_text='[[scenario]]\nname = "AHT +10 %"\n# kept verbatim\n',
        settings={"forecast.start": "2026-11-02", "forecast.days": 28, "export": {"days": [1, 2]}},
        stamps={"history": "2026-11-01T09:00:00", "roster": "2026-11-01T10:30:00"},
    )


def assert_same(a: Project, b: Project) -> None:
    pd.testing.assert_frame_equal(a.history.frame, b.history.frame, check_exact=True)
    assert a.history.interval_minutes == b.history.interval_minutes
    pd.testing.assert_frame_equal(a.forecast.frame, b.forecast.frame, check_exact=True)
    for f in ("interval_minutes", "method", "start", "days", "notes"):
        assert getattr(a.forecast, f) == getattr(b.forecast, f), f
    ra, rb = a.roster, b.roster
    assert (ra.name, ra.requirement_column, ra.notes, ra.lp_bound_paid_hours) == (
        rb.name, rb.requirement_column, rb.notes, rb.lp_bound_paid_hours,
    )  # fmt: skip
    for f in ("start", "days", "agents", "setup", "shifts", "leave", "locks"):
        assert getattr(ra.roster, f) == getattr(rb.roster, f), f
    for f in dataclasses.fields(Project):
        if f.name not in ("history", "forecast", "roster"):
            assert getattr(a, f.name) == getattr(b, f.name), f.name


def test_every_field_comes_back_equal(tmp_path):
    p = full_project()
    path = save_project(p, tmp_path / "plan.wfmp")
    q = open_project(path)
    assert_same(p, q)
    assert q.history.has_offsets and q.history.frame["utc_offset"].dtype == np.int64
    assert q.forecast.frame["interval_start"].dtype == "datetime64[s]"
    assert np.isnan(q.forecast.frame["aht_seconds"].iloc[0])
    assert q.agents[1].leave == (day(9), day(10))
    assert q.roster.roster.shifts[("Ana Silva", day(0))].breaks[1].paid is False
    assert project_digest(q) == project_digest(p) == project_digest(path)
    # saving the opened plan again, in place, keeps the content
    save_project(q, path)
    assert project_digest(path) == project_digest(p)


def test_an_empty_project_round_trips_and_takes_its_name_from_the_file(tmp_path):
    path = save_project(Project(), tmp_path / "empty plan.wfmp")
    q = open_project(path)
    assert q.name == "empty plan"
    assert q == dataclasses.replace(Project(), name="empty plan")


def test_storage_is_proper_tables(tmp_path):
    path = save_project(full_project(), tmp_path / "plan.wfmp")
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert conn.execute("PRAGMA application_id").fetchone()[0] == 0x57464D50
        meta = dict(conn.execute("SELECT key, value FROM meta"))
        assert meta["schema_version"] == str(SCHEMA_VERSION)
        row = conn.execute(
            "SELECT queue, interval_start, offered, utc_offset FROM history ORDER BY rowid LIMIT 1"
        ).fetchone()
        assert row == ("Sales", "2026-10-01T00:00:00", row[2], 0)
        assert conn.execute("SELECT count(*) FROM roster_shifts").fetchone()[0] == 20
        assert (
            conn.execute("SELECT count(*) FROM history WHERE aht_seconds IS NULL").fetchone()[0] > 0
        )
    assert not list(tmp_path.glob("*journal*"))


# --- refusing what it cannot read, without touching it ---------------------------------------
def test_a_newer_file_is_refused_and_left_unchanged(tmp_path):
    path = save_project(Project(name="x"), tmp_path / "plan.wfmp")
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE meta SET value='2' WHERE key='schema_version'")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(WfmError) as err:
        open_project(path)
    assert str(err.value) == (
        "plan.wfmp was saved by a newer WFM Planner (project format 2; this version reads up "
        "to 1). Update WFM Planner to open it."
    )
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.wfmp"]


@pytest.mark.parametrize("kind", ["text", "truncated", "empty", "other sqlite", "garbled"])
def test_damaged_or_foreign_files_are_refused_and_left_unchanged(tmp_path, kind):
    path = tmp_path / "plan.wfmp"
    if kind == "text":
        path.write_text("queue,interval_start\nSales,2026-01-01T00:00\n")
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "other sqlite":
        with sqlite3.connect(path) as conn:
            conn.execute("CREATE TABLE t (x)")
        conn.close()
    else:
        save_project(Project(history=history(days=30)), path)
        data = path.read_bytes()
        if kind == "truncated":
            path.write_bytes(data[: len(data) // 2])
        else:  # garbage over a stretch of pages in the middle
            mid = len(data) // 2
            path.write_bytes(data[:mid] + bytes(range(256)) * 32 + data[mid + 8192 :])
    before = path.read_bytes()
    with pytest.raises(
        WfmError, match=r"^plan\.wfmp is damaged or is not a WFM Planner project \("
    ):
        open_project(path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.wfmp"]


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(WfmError, match="Cannot open nothing.wfmp: there is no such file"):
        open_project(tmp_path / "nothing.wfmp")
    assert not (tmp_path / "nothing.wfmp").exists()


# --- migrations ----------------------------------------------------------------------------------
def test_an_older_file_is_upgraded_in_memory_and_the_file_left_alone(tmp_path, monkeypatch):
    path = save_project(Project(name="old", centre="north"), tmp_path / "plan.wfmp")
    before = path.read_bytes()
    calls = []

    def upgrade(conn: sqlite3.Connection) -> None:  # format 2 stores the centre in capitals
        calls.append(1)
        conn.execute("UPDATE meta SET value=upper(value) WHERE key='centre'")

    monkeypatch.setattr(project_module, "SCHEMA_VERSION", 2)
    monkeypatch.setattr(project_module, "MIGRATIONS", {1: upgrade})
    q = open_project(path)
    assert calls == [1] and q.centre == "NORTH" and q.name == "old"
    assert path.read_bytes() == before  # the next save writes the new format
    save_project(q, path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone() == (
            "2",
        )
    conn.close()


def test_an_older_file_without_a_migration_is_refused(tmp_path, monkeypatch):
    path = save_project(Project(), tmp_path / "plan.wfmp")
    monkeypatch.setattr(project_module, "SCHEMA_VERSION", 3)
    monkeypatch.setattr(project_module, "MIGRATIONS", {1: lambda conn: None})
    with pytest.raises(WfmError, match="project format 1, which this version"):
        open_project(path)


# --- saves are all or nothing ---------------------------------------------------------------------
def test_a_failed_save_to_a_new_path_leaves_no_file(tmp_path, monkeypatch):
    def broken(conn, agents):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(project_module, "_write_agents", broken)
    with pytest.raises(WfmError, match="Cannot save plan.wfmp: No space left on device"):
        save_project(full_project(), tmp_path / "plan.wfmp")
    assert list(tmp_path.iterdir()) == []


def disk_full_after_a_few_pages(monkeypatch) -> None:
    """Make SQLite's file full after what is written first: a real SQLITE_FULL."""
    write_tables = project_module._write_tables

    def limited(conn, *args, **kwargs):
        conn.execute("PRAGMA max_page_count=8")  # never below the file's size
        return write_tables(conn, *args, **kwargs)

    monkeypatch.setattr(project_module, "_write_tables", limited)


def test_a_full_disk_on_a_new_file_is_said_plainly_and_leaves_no_file(tmp_path, monkeypatch):
    disk_full_after_a_few_pages(monkeypatch)
    with pytest.raises(WfmError) as caught:
        save_project(full_project(), tmp_path / "plan.wfmp")
    assert str(caught.value) == (
        "Cannot save plan.wfmp: the disk is full (database or disk is full)."
    )
    assert list(tmp_path.iterdir()) == []


def test_a_full_disk_in_place_keeps_the_previous_file(tmp_path, monkeypatch):
    path = save_project(Project(name="small"), tmp_path / "plan.wfmp")
    before = project_digest(path)
    disk_full_after_a_few_pages(monkeypatch)
    with pytest.raises(WfmError, match=r"^Cannot save plan.wfmp: the disk is full \("):
        save_project(full_project(), path)
    assert project_digest(path) == before


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (sqlite3.OperationalError("disk I/O error"), "the disk could not be written (disk I/O"),
        (sqlite3.OperationalError("attempt to write a readonly database"), "is read-only"),
        (sqlite3.InterfaceError("bad parameter"), "Cannot save plan.wfmp: bad parameter."),
    ],
)
def test_every_sqlite_error_of_a_save_names_the_file(tmp_path, monkeypatch, error, message):
    def broken(conn, agents):
        raise error

    monkeypatch.setattr(project_module, "_write_agents", broken)
    with pytest.raises(WfmError, match="^Cannot save plan.wfmp: ") as caught:
        save_project(full_project(), tmp_path / "plan.wfmp")
    assert message in str(caught.value)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (sqlite3.OperationalError("database is locked"), "another program is writing it"),
        (sqlite3.InterfaceError("bad parameter"), "is damaged or is not a WFM Planner project"),
    ],
)
def test_every_sqlite_error_of_an_open_names_the_file(tmp_path, monkeypatch, error, message):
    path = save_project(full_project(), tmp_path / "plan.wfmp")

    def broken(conn, path):
        raise error

    monkeypatch.setattr(project_module, "_read_project", broken)
    with pytest.raises(WfmError, match="plan.wfmp") as caught:
        open_project(path)
    assert message in str(caught.value)


def test_a_failed_save_in_place_keeps_the_previous_content(tmp_path, monkeypatch):
    path = save_project(full_project(), tmp_path / "plan.wfmp")
    before = project_digest(path)

    def broken(conn, agents):
        raise RuntimeError("bug in the middle of a save")

    monkeypatch.setattr(project_module, "_write_agents", broken)
    changed = full_project()
    changed.name = "changed"
    with pytest.raises(RuntimeError):
        save_project(changed, path)
    assert project_digest(path) == before
    assert open_project(path).name == "November plan"


def test_settings_that_are_not_json_are_refused_before_writing(tmp_path):
    path = save_project(Project(name="a"), tmp_path / "plan.wfmp")
    with pytest.raises(WfmError, match="Cannot save the page settings"):
        save_project(Project(settings={"when": dt.date(2026, 1, 1)}), path)
    assert open_project(path).name == "a"


KILL_SCRIPT = """
import sys
from wfm.io.project import open_project, save_project
p = open_project(sys.argv[1])
p.name = "changed"
p.history.frame["offered"] += 1
p.agents = p.agents[:3]
save_project(p, sys.argv[1])
print("finished", flush=True)
"""


def test_killing_a_save_midway_keeps_the_previous_content(tmp_path):
    path = tmp_path / "plan.wfmp"
    p = full_project()
    # two years of half hours: more than SQLite's page cache, so the save writes pages into
    # the file before its commit (the case the rollback journal is for)
    p.history = history(days=730)
    save_project(p, path)
    before = project_digest(path)
    before_bytes = path.read_bytes()
    env = dict(os.environ, WFM_TEST_SAVE_PAUSE="30", PYTHONPATH=str(REPO))
    proc = subprocess.Popen(
        [sys.executable, "-c", KILL_SCRIPT, str(path)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stderr.readline()
        assert line == "saving history\n", line + proc.stderr.read()
        journal = path.with_name(path.name + "-journal")
        assert journal.exists() and journal.stat().st_size > 0  # mid-transaction
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        assert path.read_bytes() != before_bytes  # the killed save had changed the file
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    assert journal.exists()  # a hot journal: the next open rolls the file back
    q = open_project(path)
    assert project_digest(q) == before and q.name == "November plan"
    assert not journal.exists()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    conn.close()


# --- autosave and recovery ------------------------------------------------------------------------
def test_an_autosave_newer_than_the_plan_is_offered_for_recovery(tmp_path):
    path = save_project(Project(name="saved"), tmp_path / "plan.wfmp")
    assert find_recovery(path) is None
    p = full_project()
    auto = write_autosave(p, path)
    assert auto == autosave_path(path) == tmp_path / ".plan.wfmp~autosave"
    now = time.time()
    os.utime(path, (now - 60, now - 60))
    os.utime(auto, (now, now))
    assert find_recovery(path) == auto
    assert_same(open_project(auto), p)
    assert open_project(path).name == "saved"  # the plan itself untouched
    # the planner saves: the project is newer, and the UI discards the autosave
    os.utime(path, (now + 60, now + 60))
    assert find_recovery(path) is None
    discard_recovery(path)
    assert not auto.exists() and find_recovery(path) is None
    discard_recovery(path)  # nothing left to discard: no error


def test_an_unsaved_plan_autosaves_into_the_folder_given(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    assert find_recovery(folder) is None
    auto = write_autosave(Project(name="draft"), folder)
    assert auto.parent == folder and auto.name.endswith("~autosave")
    assert find_recovery(folder) == auto
    assert open_project(auto).name == "draft"
    discard_recovery(folder)
    assert find_recovery(folder) is None


# --- summary and the sample project -----------------------------------------------------------------
def test_summary_lines_say_what_the_plan_holds():
    lines = project_summary(full_project())
    assert lines[0] == "Plan: November plan (Northwind Energy)"
    assert "History: 2 queues, 288 intervals (01 Oct 2026 - 03 Oct 2026)" in lines[1]
    assert "Forecast: 1 queue, 2 days from 02 Nov 2026 (prophet)" in lines
    assert "Overrides: 2" in lines
    assert "Calendar: GB-ENG holidays, 1 event, 1 special day" in lines
    assert any(line.startswith("Target: 80/20") for line in lines)
    assert "Agents: 3 in 2 teams" in lines
    assert (
        "Roster: Week 45, 14 days from 02 Nov 2026, 20 shifts, 2 leave days, 2 locked cells"
        in lines
    )
    assert "Scenarios: 1" in lines
    assert project_summary(Project())[1:3] == ["History: none", "Forecast: none"]


def test_the_sample_project_holds_the_sample_centre():
    p = open_project(SAMPLE / "sample-centre.wfmp")
    assert p.name == "Northwind Energy sample" and p.centre == "Northwind Energy"
    assert len(p.history) == 70_080 and p.history.interval_minutes == 30
    assert len(p.agents) == 100
    assert p.agents == read_agents_csv(SAMPLE / "agents.csv")
    assert p.calendar == Calendar.load(SAMPLE / "events.toml")
    assert [t.name for t in p.setup.templates] == ["Early", "Day", "Late", "Weekend", "Part-time"]
    assert p.target.service_level == 0.8 and p.target.answer_seconds == 20
    assert p.target.shrinkage == 0.3
    assert p.settings["forecast.start"] == "2026-11-02" and p.settings["forecast.days"] == 28
    assert p.forecast is None and p.roster is None
    scenarios = SAMPLE / "scenarios.toml"
    if scenarios.exists():
        assert p.scenarios_text == scenarios.read_text(encoding="utf-8")
    expected = IntervalHistory.read_csv(SAMPLE / "history.csv")
    pd.testing.assert_frame_equal(p.history.frame, expected.frame, check_exact=True)
