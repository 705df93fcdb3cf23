"""The project file (``.wfmp``): one plan in one SQLite file.

A :class:`Project` holds everything a plan is made of: the interval history (aggregates
only, never a call record), the import profiles and cleaning report, the forecast and the
planner's overrides, the calendar of events, the staffing target, the agents, the shift
templates and rules, the roster (with its leave marks and locks) and the what-if scenarios,
plus a few page settings and the times each stage was last computed.

Layout
------
The file is an SQLite database (the standard library's :mod:`sqlite3`; SQLAlchemy would add
a dependency and nothing we use) with one table per part, so the file can be read by any
SQLite tool and a large history loads with one query:

================  ======================================================================
table             rows
================  ======================================================================
meta              ``key, value``: ``schema_version``, ``app_version``, ``saved_at``,
                  ``name``, ``centre``, ``source``, ``settings`` and ``stamps`` (JSON),
                  ``history.*`` and ``forecast.*`` (interval length, columns and dtypes,
                  method, start, days, notes)
history           ``queue, interval_start`` (ISO text), ``offered, handled, abandoned,
                  aht_seconds`` (+ ``utc_offset`` and any other column the frame has)
cleaning_report   one JSON document (:meth:`CleaningReport.to_dict`)
profiles          ``name, json`` (:meth:`ImportProfile.to_dict`)
forecast          ``queue, interval_start, volume, volume_low, volume_high, aht_seconds``
overrides         ``position, json`` (:meth:`Override.to_record`)
calendar          the calendar's TOML text (:meth:`Calendar.to_toml`)
target            the :class:`StaffingTarget`'s fields as JSON
agents            ``position, name, team, json`` (every field of the :class:`Agent`)
setup             the shift templates and rules as JSON (exact minutes, unlike the TOML's
                  hours)
roster            one row: name, start, days, requirement column, notes, LP bound and the
                  agents and setup the roster was made with (JSON)
roster_shifts     ``agent, date, start, end, template, breaks`` (JSON list of
                  ``[start, minutes, kind, paid]``)
roster_leave      ``agent, date, kind``
roster_locks      ``agent, date``
scenarios         the scenarios' TOML text, stored verbatim
================  ======================================================================

A missing part (no forecast yet) has no rows. Values are plain SQLite values: NaN is stored
as NULL. ``PRAGMA application_id`` marks the file as a WFM Planner project.

Saving
------
:func:`save_project` writes every table in **one transaction** (``BEGIN IMMEDIATE`` ...
``COMMIT``) on the existing project file, with ``journal_mode=DELETE`` and
``synchronous=FULL``: SQLite copies each page it is about to change into a rollback journal
beside the file and syncs it first, so a crash or power cut in the middle of a save leaves a
"hot" journal that the next open plays back, and the plan is exactly as it was before the
save. The rollback journal was chosen over WAL because it keeps the project ONE file between
saves (no ``-wal``/``-shm`` companions to lose when a planner copies or e-mails the plan) and
works on network drives, where WAL's shared memory does not; the cost, copying the old pages
to the journal, is small for a plan. A file that is not yet a project (a new path, or
another file chosen in "Save as") is written into a temporary file beside it and renamed
over the target (:func:`wfm.io.atomic.atomic_write`), so a half-written file never appears.

For tests only: when the environment variable ``WFM_TEST_SAVE_PAUSE`` is a number of
seconds, the save prints ``saving <table>`` on stderr and sleeps that long after writing each
table, inside the transaction (the crash test kills the process there).

Opening
-------
:func:`open_project` never writes to the file (``query_only``; a hot journal left by a
crash is still rolled back by SQLite, which restores the file). It runs ``PRAGMA
quick_check``; a file that is not SQLite, is truncated or damaged, or is not a project
raises a :class:`~wfm.errors.WfmError` saying so; a file from a newer version
(``schema_version`` above :data:`SCHEMA_VERSION`) is refused with a message to update. An
older file is upgraded by :data:`MIGRATIONS` in a copy in memory; the user's file is
rewritten in the new format only by the next save.

Autosave and recovery
---------------------
:func:`write_autosave` saves the plan to a hidden file beside it
(``.plan.wfmp~autosave``); :func:`find_recovery` returns that file when it is newer than the
plan (the program stopped before the plan was saved); :func:`discard_recovery` deletes it
(after a save, or when the planner declines the recovery).

Settings
--------
``Project.settings`` holds JSON-safe page settings worth keeping with the plan, flat keys
named after the page, e.g. ``"forecast.start": "2026-11-02"``, ``"forecast.days": 28``,
``"forecast.method": "auto"``. Tuples come back as lists (JSON), as do tuples inside
``cleaning_report`` and ``profiles``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import os
import sqlite3
import sys
import time
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from wfm import __version__
from wfm.errors import WfmError
from wfm.forecast.events import Calendar
from wfm.forecast.model import FORECAST_COLUMNS, Forecast
from wfm.forecast.overrides import OverrideList
from wfm.io.atomic import atomic_write
from wfm.io.history import HISTORY_COLUMNS, IntervalHistory
from wfm.roster.roster import Break, Roster, Shift
from wfm.scheduling.model import Agent, BreakRule, Rules, ShiftSetup, ShiftTemplate
from wfm.staffing.requirement import StaffingTarget

SCHEMA_VERSION = 1
SUFFIX = ".wfmp"
#: ``PRAGMA application_id`` of a project file ("WFMP").
APPLICATION_ID = 0x57464D50
AUTOSAVE_SUFFIX = "~autosave"
#: Name of the recovery file of a plan never saved, inside the folder the caller gives.
UNTITLED_AUTOSAVE = ".untitled.wfmp~autosave"
#: Environment variable that slows saves down, for the crash test only (see the module docs).
PAUSE_ENV = "WFM_TEST_SAVE_PAUSE"

_SQLITE_HEADER = b"SQLite format 3\x00"
#: meta keys that change on every save and are left out of :func:`project_digest`.
_VOLATILE_META = ("saved_at", "app_version")

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE history (
    queue TEXT NOT NULL, interval_start TEXT NOT NULL,
    offered REAL, handled REAL, abandoned REAL, aht_seconds REAL);
CREATE TABLE cleaning_report (json TEXT NOT NULL);
CREATE TABLE profiles (name TEXT PRIMARY KEY, json TEXT NOT NULL);
CREATE TABLE forecast (
    queue TEXT NOT NULL, interval_start TEXT NOT NULL,
    volume REAL, volume_low REAL, volume_high REAL, aht_seconds REAL);
CREATE TABLE overrides (position INTEGER PRIMARY KEY, json TEXT NOT NULL);
CREATE TABLE calendar (toml TEXT NOT NULL);
CREATE TABLE target (json TEXT NOT NULL);
CREATE TABLE agents (
    position INTEGER PRIMARY KEY, name TEXT NOT NULL, team TEXT NOT NULL, json TEXT NOT NULL);
CREATE TABLE setup (json TEXT NOT NULL);
CREATE TABLE roster (
    name TEXT NOT NULL, start TEXT NOT NULL, days INTEGER NOT NULL,
    requirement_column TEXT NOT NULL, notes TEXT NOT NULL, lp_bound_paid_hours REAL,
    agents TEXT NOT NULL, setup TEXT NOT NULL);
CREATE TABLE roster_shifts (
    agent TEXT NOT NULL, date TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    template TEXT NOT NULL, breaks TEXT NOT NULL);
CREATE TABLE roster_leave (agent TEXT NOT NULL, date TEXT NOT NULL, kind TEXT NOT NULL);
CREATE TABLE roster_locks (agent TEXT NOT NULL, date TEXT NOT NULL);
CREATE TABLE scenarios (text TEXT NOT NULL);
"""

Migration = Callable[[sqlite3.Connection], None]
#: ``{from_version: upgrade}``: ``upgrade(conn)`` turns a file of ``from_version`` into
#: ``from_version + 1`` (inside a transaction, on a copy in memory). Version 1 is the first
#: released layout, so there is none yet.
MIGRATIONS: dict[int, Migration] = {}


@dataclass
class RosterRecord:
    """A saved roster and what it was made from.

    Parameters
    ----------
    roster
        The roster, with its shifts, breaks, leave marks and locks (and the agents and setup
        it was made with).
    name
        What the planner calls it.
    requirement_column
        The staffing table's column it was scheduled against.
    notes
        Remarks from the solver (shortages, relaxed rules).
    lp_bound_paid_hours
        The LP lower bound on paid hours, when it was computed.
    """

    roster: Roster
    name: str = "Current roster"
    requirement_column: str = "scheduled_agents"
    notes: tuple[str, ...] = ()
    lp_bound_paid_hours: float | None = None


@dataclass
class Project:
    """Everything a plan holds (mutable: the window edits it; every part optional).

    See the module docs for how each part is stored. ``cleaning_report``, ``profiles`` and
    ``settings`` are JSON documents: tuples in them come back as lists.
    """

    name: str = ""
    centre: str = ""
    history: IntervalHistory | None = None
    cleaning_report: dict[str, Any] | None = None
    source: str = ""
    profiles: dict[str, dict[str, Any]] = field(default_factory=dict)
    forecast: Forecast | None = None
    overrides: OverrideList = field(default_factory=OverrideList)
    calendar: Calendar | None = None
    target: StaffingTarget | None = None
    agents: tuple[Agent, ...] = ()
    setup: ShiftSetup | None = None
    roster: RosterRecord | None = None
    scenarios_text: str = ""
    settings: dict[str, Any] = field(default_factory=dict)
    stamps: dict[str, str] = field(default_factory=dict)


# =============================================================================================
# Saving
# =============================================================================================
def save_project(project: Project, path: str | Path, *, saved_at: str | None = None) -> Path:
    """Save ``project`` to ``path`` in one transaction (see the module docs).

    Parameters
    ----------
    project
        The plan.
    path
        The ``.wfmp`` file. An existing project file is updated in place in one
        transaction; any other path is written beside and renamed into place.
    saved_at
        ISO time recorded as the save time (default: now); the sample generator fixes it.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    WfmError
        The folder does not exist or cannot be written, the file is in use, the disk is full
        or failing (every SQLite error, said in plain words naming the file: "Cannot save
        plan.wfmp: the disk is full (database or disk is full)."), or a setting is not
        JSON-safe. The previous file is left as it was.
    """
    path = Path(path)
    stamp = saved_at or dt.datetime.now().isoformat(timespec="seconds")
    if _version_in_place(path) is not None:
        try:
            with contextlib.closing(_connect(path)) as conn:
                _save_into(conn, project, stamp, path)
            return path
        except sqlite3.OperationalError as exc:
            raise _save_error(path, exc) from None
        except sqlite3.DatabaseError:
            pass  # damaged since it was checked: replace it whole, below
        except sqlite3.Error as exc:
            raise _save_error(path, exc) from None
        except OSError as exc:
            raise WfmError(f"Cannot save {path.name}: {exc.strerror or exc}.") from None
    try:
        atomic_write(path, lambda tmp: _save_new(tmp, project, stamp))
    except sqlite3.Error as exc:  # atomic_write removed the half-written copy
        raise _save_error(path, exc) from None
    return path


#: Words in SQLite's messages -> what a planner is told, and whether SQLite's own words
#: follow in brackets.
_SAVE_CAUSES = (
    (("locked", "busy"), "another program is using it. Close it there and save again", False),
    (("disk is full",), "the disk is full", True),
    (("disk I/O error",), "the disk could not be written", True),
    (("readonly", "read-only"), "it or its folder is read-only", True),
    (("unable to open",), "the file could not be written there", True),
)


def _save_error(path: Path, exc: sqlite3.Error) -> WfmError:
    """A failed save in a planner's words, naming the file: ``Cannot save plan.wfmp: the
    disk is full (database or disk is full).`` (The file is as it was.)"""
    text = str(exc) or type(exc).__name__
    for words, cause, quote in _SAVE_CAUSES:
        if any(w.lower() in text.lower() for w in words):
            return WfmError(f"Cannot save {path.name}: {cause}" + (f" ({text})." if quote else "."))
    return WfmError(f"Cannot save {path.name}: {text}.")


def _connect(path: Path, *, timeout: float = 5.0) -> sqlite3.Connection:
    """A connection to an existing file (never creates one), in autocommit mode: the
    transactions are ours."""
    uri = path.resolve().as_uri() + "?mode=rw"  # mode=rw: never create a missing file
    return sqlite3.connect(uri, uri=True, timeout=timeout, isolation_level=None)


def _version_in_place(path: Path) -> int | None:
    """The schema version of ``path`` when it is a project this version can update in place
    (same or older format), else None. Only reads."""
    try:
        with path.open("rb") as fh:
            if fh.read(16) != _SQLITE_HEADER:
                return None
    except OSError:
        return None
    try:
        with contextlib.closing(_connect(path, timeout=0.5)) as conn:
            conn.execute("PRAGMA query_only=1")
            row = conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
    except sqlite3.Error:
        return None
    try:
        version = int(row[0]) if row else None
    except ValueError:
        return None
    return version if version is not None and version <= SCHEMA_VERSION else None


def _save_new(tmp: Path, project: Project, stamp: str) -> None:
    conn = sqlite3.connect(str(tmp), isolation_level=None)
    try:
        _save_into(conn, project, stamp, tmp)
    finally:
        conn.close()


def _save_into(conn: sqlite3.Connection, project: Project, stamp: str, path: Path) -> None:
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("BEGIN IMMEDIATE")
    try:
        old = conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
        for (name,) in old:
            conn.execute(f"DROP TABLE {_ident(name)}")
        _write_tables(conn, project, stamp)
        conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        raise


def _pause(table: str, pause: bool) -> None:
    """The crash test's hook (see the module docs)."""
    value = os.environ.get(PAUSE_ENV) if pause else None
    if not value:
        return
    sys.stderr.write(f"saving {table}\n")
    sys.stderr.flush()
    time.sleep(float(value))


def _write_tables(
    conn: sqlite3.Connection, project: Project, stamp: str, *, pause: bool = True
) -> None:
    """Create the schema and fill it from ``project`` (inside the caller's transaction)."""
    for statement in _SCHEMA.split(";"):
        if statement.strip():
            conn.execute(statement)  # not executescript: it would COMMIT the open transaction
    meta: dict[str, str] = {
        "schema_version": str(SCHEMA_VERSION),
        "app_version": __version__,
        "saved_at": stamp,
        "name": project.name,
        "centre": project.centre,
        "source": project.source,
        "settings": _json(project.settings, "the page settings"),
        "stamps": _json(project.stamps, "the stage times"),
    }
    if project.history is not None:
        meta["history.interval_minutes"] = str(project.history.interval_minutes)
        meta["history.columns"] = _write_frame(
            conn, "history", project.history.frame, HISTORY_COLUMNS
        )
    _pause("history", pause)
    if project.cleaning_report is not None:
        conn.execute(
            "INSERT INTO cleaning_report VALUES (?)", (_json(project.cleaning_report, None),)
        )
    conn.executemany(
        "INSERT INTO profiles VALUES (?, ?)",
        [(name, _json(p, None)) for name, p in project.profiles.items()],
    )
    if project.forecast is not None:
        _write_forecast(conn, project.forecast, meta)
    _pause("forecast", pause)
    conn.executemany(
        "INSERT INTO overrides VALUES (?, ?)",
        [(i, _json(r, None)) for i, r in enumerate(project.overrides.to_records())],
    )
    if project.calendar is not None:
        conn.execute("INSERT INTO calendar VALUES (?)", (project.calendar.to_toml(),))
    if project.target is not None:
        conn.execute(
            "INSERT INTO target VALUES (?)", (_json(_target_record(project.target), None),)
        )
    _write_agents(conn, project.agents)
    _pause("agents", pause)
    if project.setup is not None:
        conn.execute("INSERT INTO setup VALUES (?)", (_json(_setup_record(project.setup), None),))
    if project.roster is not None:
        _write_roster(conn, project.roster)
    _pause("roster", pause)
    if project.scenarios_text:
        conn.execute("INSERT INTO scenarios VALUES (?)", (project.scenarios_text,))
    conn.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))
    _pause("meta", pause)


def _json(value: Any, what: str | None) -> str:
    """Compact JSON; ``what`` set: refuse values JSON cannot hold (the page settings), else
    write them as text (a date in a cleaning report)."""
    try:
        return json.dumps(
            value,
            ensure_ascii=False,
            separators=(",", ":"),
            allow_nan=what is None,
            default=None if what else _json_default,
        )
    except (TypeError, ValueError) as exc:
        raise WfmError(f"Cannot save {what}: {exc}.") from None


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return str(value)


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _write_frame(
    conn: sqlite3.Connection, table: str, frame: pd.DataFrame, fixed: Sequence[str]
) -> str:
    """Insert ``frame``'s rows into ``table`` (adding a column for each extra one); returns
    the meta value recording every column's name and dtype, in the frame's order."""
    extras = [str(c) for c in frame.columns if c not in fixed]
    for c in extras:
        kind = frame[c].dtype.kind
        affinity = "REAL" if kind == "f" else "INTEGER" if kind in "iub" else "TEXT"
        conn.execute(f"ALTER TABLE {table} ADD COLUMN {_ident(c)} {affinity}")
    columns = list(fixed) + extras
    values = [_column_values(frame[c]) for c in columns]
    marks = ", ".join("?" * len(columns))
    names = ", ".join(_ident(c) for c in columns)
    conn.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", zip(*values, strict=True))
    return json.dumps([[str(c), str(frame[c].dtype)] for c in frame.columns])


def _column_values(series: pd.Series) -> list[Any]:
    """Plain Python values of a column (NaN stays a float: SQLite stores it as NULL)."""
    kind = series.dtype.kind
    if kind == "M" and not isinstance(series.dtype, pd.DatetimeTZDtype):
        arr = series.to_numpy(dtype="datetime64[s]")
        text = np.datetime_as_string(arr, unit="s").astype(object)
        text[np.isnat(arr)] = None
        return list(text)
    if kind in "fiub":
        return list(series.to_numpy().tolist())
    out = series.astype(object)
    return list(out.where(series.notna(), None).tolist())


def _write_forecast(conn: sqlite3.Connection, forecast: Forecast, meta: dict[str, str]) -> None:
    meta["forecast.columns"] = _write_frame(conn, "forecast", forecast.frame, FORECAST_COLUMNS)
    meta["forecast.interval_minutes"] = str(forecast.interval_minutes)
    meta["forecast.method"] = forecast.method
    meta["forecast.start"] = forecast.start.isoformat()
    meta["forecast.days"] = str(forecast.days)
    meta["forecast.notes"] = json.dumps(list(forecast.notes), ensure_ascii=False)


def _write_agents(conn: sqlite3.Connection, agents: Sequence[Agent]) -> None:
    conn.executemany(
        "INSERT INTO agents VALUES (?, ?, ?, ?)",
        [(i, a.name, a.team, _json(_agent_record(a), None)) for i, a in enumerate(agents)],
    )


def _write_roster(conn: sqlite3.Connection, record: RosterRecord) -> None:
    r = record.roster
    conn.execute(
        "INSERT INTO roster VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            record.name,
            r.start.isoformat(),
            r.days,
            record.requirement_column,
            json.dumps(list(record.notes), ensure_ascii=False),
            record.lp_bound_paid_hours,
            _json([_agent_record(a) for a in r.agents], None),
            _json(_setup_record(r.setup), None),
        ),
    )
    shifts = sorted(r.shifts.values(), key=lambda s: (s.day, s.agent))
    conn.executemany(
        "INSERT INTO roster_shifts VALUES (?, ?, ?, ?, ?, ?)",
        [
            (
                s.agent,
                s.day.isoformat(),
                s.start,
                s.end,
                s.template,
                json.dumps([[b.start, b.minutes, b.kind, b.paid] for b in s.breaks]),
            )
            for s in shifts
        ],
    )
    conn.executemany(
        "INSERT INTO roster_leave VALUES (?, ?, ?)",
        [(a, d.isoformat(), kind) for (a, d), kind in sorted(r.leave.items())],
    )
    conn.executemany(
        "INSERT INTO roster_locks VALUES (?, ?)", [(a, d.isoformat()) for a, d in sorted(r.locks)]
    )


# --- records of the frozen inputs ------------------------------------------------------------
_AGENT_DATE_FIELDS = ("unavailable_dates", "leave")


def _agent_record(agent: Agent) -> dict[str, Any]:
    record = dataclasses.asdict(agent)
    for name in _AGENT_DATE_FIELDS:
        record[name] = [d.isoformat() for d in record[name]]
    return record


def _agent_from_record(record: Mapping[str, Any]) -> Agent:
    values: dict[str, Any] = {}
    for name, value in record.items():
        if name in _AGENT_DATE_FIELDS:
            value = tuple(dt.date.fromisoformat(d) for d in value)
        elif isinstance(value, list):
            value = tuple(value)
        values[name] = value
    return Agent(**values)


def _setup_record(setup: ShiftSetup) -> dict[str, Any]:
    return dataclasses.asdict(setup)


def _setup_from_record(record: Mapping[str, Any]) -> ShiftSetup:
    templates = []
    for t in record["templates"]:
        values = dict(t)
        values["days"] = tuple(values["days"])
        values["lengths_minutes"] = tuple(values["lengths_minutes"])
        values["breaks"] = tuple(BreakRule(**b) for b in values.get("breaks", ()))
        templates.append(ShiftTemplate(**values))
    return ShiftSetup(tuple(templates), Rules(**record.get("rules", {})))


def _target_record(target: StaffingTarget) -> dict[str, Any]:
    return dataclasses.asdict(target)


# =============================================================================================
# Opening
# =============================================================================================
def _damaged(path: Path, why: str) -> WfmError:
    return WfmError(f"{path.name} is damaged or is not a WFM Planner project ({why}).")


def open_project(path: str | Path) -> Project:
    """Read a project file (see the module docs); the file is never changed.

    Raises
    ------
    WfmError
        The file does not exist; it is not SQLite, is truncated or damaged, or is not a
        project ("plan.wfmp is damaged or is not a WFM Planner project (...)"); it was saved
        by a newer version ("plan.wfmp was saved by a newer WFM Planner (project format 2;
        this version reads up to 1). Update WFM Planner to open it.").
    """
    path = Path(path)
    if not path.exists():
        raise WfmError(f"Cannot open {path.name}: there is no such file.")
    if path.is_dir():
        raise WfmError(f"Cannot open {path.name}: it is a folder, not a project file.")
    try:
        with path.open("rb") as fh:
            head = fh.read(100)
    except OSError as exc:
        raise WfmError(f"Cannot open {path.name}: {exc.strerror or exc}.") from None
    if not head:
        raise _damaged(path, "the file is empty")
    if not head.startswith(_SQLITE_HEADER):
        raise _damaged(path, "it is not an SQLite database")
    try:
        conn = _connect(path, timeout=2.0)
    except sqlite3.Error as exc:
        raise _open_error(path, exc) from None
    try:
        return _open_connected(conn, path)
    except sqlite3.Error as exc:  # what the steps below do not say in their own words
        raise _open_error(path, exc) from None
    finally:
        conn.close()


def _open_error(path: Path, exc: sqlite3.Error) -> WfmError:
    """A file that cannot be read: in use, or else damaged (a truncated file reads as a
    disk I/O error, so that is not told apart)."""
    text = str(exc)
    if "locked" in text or "busy" in text:
        return WfmError(
            f"Cannot open {path.name}: another program is writing it. Try again in a moment."
        )
    return _damaged(path, text or type(exc).__name__)


def _open_connected(conn: sqlite3.Connection, path: Path) -> Project:
    """The project in ``conn`` (the caller closes it)."""
    conn.execute("PRAGMA query_only=1")
    version = _checked_version(conn, path)
    if version > SCHEMA_VERSION:
        raise WfmError(
            f"{path.name} was saved by a newer WFM Planner (project format {version}; "
            f"this version reads up to {SCHEMA_VERSION}). Update WFM Planner to open it."
        )
    source = conn
    if version < SCHEMA_VERSION:
        source = _migrated(conn, version, path)
    try:
        return _read_project(source, path)
    except sqlite3.DatabaseError as exc:
        raise _open_error(path, exc) from None
    except (
        WfmError,
        ValueError,
        KeyError,
        TypeError,
        IndexError,
        tomllib.TOMLDecodeError,
    ) as exc:
        raise _damaged(path, f"unreadable content: {exc}") from None
    finally:
        if source is not conn:
            source.close()


def _checked_version(conn: sqlite3.Connection, path: Path) -> int:
    try:
        check = conn.execute("PRAGMA quick_check").fetchall()
        if check != [("ok",)]:
            raise _damaged(path, "integrity check: " + "; ".join(str(r[0]) for r in check[:3]))
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "meta" not in tables:
            raise _damaged(path, "it has no project information")
        row = conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
    except sqlite3.DatabaseError as exc:
        raise _damaged(path, str(exc)) from None
    try:
        return int(row[0])
    except (TypeError, ValueError):
        raise _damaged(path, "it has no project format version") from None


def _migrated(conn: sqlite3.Connection, version: int, path: Path) -> sqlite3.Connection:
    """A copy of the file in memory, upgraded to :data:`SCHEMA_VERSION`."""
    mem = sqlite3.connect(":memory:", isolation_level=None)
    try:
        conn.backup(mem)
        mem.execute("BEGIN")
        for v in range(version, SCHEMA_VERSION):
            if v not in MIGRATIONS:
                raise WfmError(
                    f"{path.name} is in project format {version}, which this version of WFM "
                    "Planner cannot read."
                )
            MIGRATIONS[v](mem)
        mem.execute("UPDATE meta SET value=? WHERE key='schema_version'", (str(SCHEMA_VERSION),))
        mem.execute("COMMIT")
    except sqlite3.DatabaseError as exc:
        mem.close()
        raise _damaged(path, f"upgrading it failed: {exc}") from None
    except BaseException:
        mem.close()
        raise
    return mem


def _one(conn: sqlite3.Connection, table: str) -> Any:
    row = conn.execute(f"SELECT * FROM {table} ORDER BY rowid LIMIT 1").fetchone()
    return None if row is None else row[0]


def _read_project(conn: sqlite3.Connection, path: Path) -> Project:
    meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    project = Project(
        name=meta.get("name", "") or path.name.removesuffix(SUFFIX),
        centre=meta.get("centre", ""),
        source=meta.get("source", ""),
        settings=json.loads(meta.get("settings", "{}")),
        stamps=json.loads(meta.get("stamps", "{}")),
    )
    if "history.interval_minutes" in meta:
        frame = _read_frame(conn, "history", json.loads(meta["history.columns"]))
        project.history = IntervalHistory(frame, int(meta["history.interval_minutes"]))
    report = _one(conn, "cleaning_report")
    project.cleaning_report = None if report is None else json.loads(report)
    project.profiles = {
        name: json.loads(text)
        for name, text in conn.execute("SELECT name, json FROM profiles ORDER BY rowid")
    }
    if "forecast.method" in meta:
        frame = _read_frame(conn, "forecast", json.loads(meta["forecast.columns"]))
        project.forecast = Forecast(
            frame,
            int(meta["forecast.interval_minutes"]),
            meta["forecast.method"],
            dt.date.fromisoformat(meta["forecast.start"]),
            int(meta["forecast.days"]),
            tuple(json.loads(meta.get("forecast.notes", "[]"))),
        )
    records = [
        json.loads(t) for (t,) in conn.execute("SELECT json FROM overrides ORDER BY position")
    ]
    project.overrides = OverrideList.from_records(records, source=path)
    calendar = _one(conn, "calendar")
    if calendar is not None:
        project.calendar = Calendar.from_dict(tomllib.loads(calendar), source=path)
    target = _one(conn, "target")
    if target is not None:
        project.target = StaffingTarget(**json.loads(target))
    project.agents = tuple(
        _agent_from_record(json.loads(t))
        for (t,) in conn.execute("SELECT json FROM agents ORDER BY position")
    )
    setup = _one(conn, "setup")
    if setup is not None:
        project.setup = _setup_from_record(json.loads(setup))
    project.roster = _read_roster(conn)
    project.scenarios_text = _one(conn, "scenarios") or ""
    return project


def _read_frame(conn: sqlite3.Connection, table: str, columns: list[list[str]]) -> pd.DataFrame:
    names = [c for c, _ in columns]
    rows = conn.execute(
        f"SELECT {', '.join(_ident(c) for c in names)} FROM {table} ORDER BY rowid"
    ).fetchall()
    frame = pd.DataFrame.from_records(rows, columns=names)
    for name, dtype in columns:
        frame[name] = _column_as(frame[name], dtype)
    return frame


def _column_as(values: pd.Series, dtype: str) -> pd.Series:
    """A column read back from SQLite in the dtype it was saved with."""
    if dtype.startswith("datetime64"):
        return pd.to_datetime(values, format="%Y-%m-%dT%H:%M:%S").astype(dtype)
    if dtype == "bool":
        return values.astype("int64").astype(bool)
    if dtype.startswith(("float", "int", "uint")):
        return values.astype(dtype)
    return values.astype(object).where(values.notna(), None).astype(dtype)


def _read_roster(conn: sqlite3.Connection) -> RosterRecord | None:
    row = conn.execute("SELECT * FROM roster ORDER BY rowid LIMIT 1").fetchone()
    if row is None:
        return None
    name, start, days, column, notes, bound, agents_json, setup_json = row
    roster = Roster(
        dt.date.fromisoformat(start),
        int(days),
        tuple(_agent_from_record(a) for a in json.loads(agents_json)),
        _setup_from_record(json.loads(setup_json)),
    )
    for agent, day, s_start, s_end, template, breaks in conn.execute(
        "SELECT * FROM roster_shifts ORDER BY rowid"
    ):
        d = dt.date.fromisoformat(day)
        roster.shifts[(agent, d)] = Shift(
            agent,
            d,
            int(s_start),
            int(s_end),
            template,
            tuple(Break(int(b[0]), int(b[1]), b[2], bool(b[3])) for b in json.loads(breaks)),
        )
    for agent, day, kind in conn.execute("SELECT * FROM roster_leave ORDER BY rowid"):
        roster.leave[(agent, dt.date.fromisoformat(day))] = kind
    for agent, day in conn.execute("SELECT * FROM roster_locks ORDER BY rowid"):
        roster.locks.add((agent, dt.date.fromisoformat(day)))
    return RosterRecord(
        roster,
        name=name,
        requirement_column=column,
        notes=tuple(json.loads(notes)),
        lp_bound_paid_hours=None if bound is None else float(bound),
    )


# =============================================================================================
# Summary, digest, autosave
# =============================================================================================
def _day(value: Any) -> str:
    return pd.Timestamp(value).strftime("%d %b %Y")


def project_summary(project: Project) -> list[str]:
    """What the plan holds, one line per part, in a planner's words, e.g.
    ``"History: 2 queues, 70,080 intervals (01 Nov 2024 - 31 Oct 2026)"``."""
    lines = [
        f"Plan: {project.name or '(unnamed)'}" + (f" ({project.centre})" if project.centre else "")
    ]
    h = project.history
    if h is None:
        lines.append("History: none")
    elif len(h) == 0:
        lines.append("History: empty")
    else:
        source = f", from {project.source}" if project.source else ""
        lines.append(
            f"History: {len(h.queues)} queue{'s' * (len(h.queues) != 1)}, {len(h):,} intervals "
            f"({_day(h.start)} - {_day(h.end)}), {h.interval_minutes}-minute intervals{source}"
        )
    f = project.forecast
    if f is None:
        lines.append("Forecast: none")
    else:
        lines.append(
            f"Forecast: {len(f.queues)} queue{'s' * (len(f.queues) != 1)}, {f.days} days from "
            f"{_day(f.start)} ({f.method})"
        )
    if len(project.overrides):
        lines.append(f"Overrides: {len(project.overrides)}")
    c = project.calendar
    if c is not None:
        where = c.country + (f"-{c.subdivision}" if c.subdivision else "") if c.country else "no"
        lines.append(
            f"Calendar: {where} holidays, {len(c.events)} event{'s' * (len(c.events) != 1)}, "
            f"{len(c.special_days)} special day{'s' * (len(c.special_days) != 1)}"
        )
    lines.append(f"Target: {project.target.describe()}" if project.target else "Target: none")
    if project.agents:
        teams = {a.team for a in project.agents if a.team}
        lines.append(f"Agents: {len(project.agents)} in {len(teams)} team{'s' * (len(teams) != 1)}")
    else:
        lines.append("Agents: none")
    if project.setup is not None:
        names = ", ".join(t.name for t in project.setup.templates)
        lines.append(f"Shift templates: {len(project.setup.templates)} ({names})")
    rec = project.roster
    if rec is None:
        lines.append("Roster: none")
    else:
        r = rec.roster
        lines.append(
            f"Roster: {rec.name}, {r.days} days from {_day(r.start)}, {len(r.shifts):,} shifts, "
            f"{len(r.leave)} leave days, {len(r.locks)} locked cells"
        )
    if project.scenarios_text:
        lines.append(f"Scenarios: {_count_scenarios(project.scenarios_text)}")
    if project.stamps:
        lines.append(
            "Computed: "
            + ", ".join(
                f"{stage} {when.replace('T', ' ')}" for stage, when in project.stamps.items()
            )
        )
    return lines


def _count_scenarios(text: str) -> str:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return "saved (not valid TOML)"
    lists = [v for v in data.values() if isinstance(v, list) and v and isinstance(v[0], dict)]
    return str(sum(len(v) for v in lists)) if lists else "saved"


def project_digest(path_or_project: str | Path | Project) -> dict[str, Any]:
    """A stable summary of a project's content: per table, the row count and the SHA-256 of
    its rows in stored order (the save time and app version left out).

    Equal digests mean equal saved content, whatever the file's bytes. A :class:`Project` is
    written into memory with the same code as a save.
    """
    if isinstance(path_or_project, Project):
        conn = sqlite3.connect(":memory:", isolation_level=None)
        try:
            conn.execute("BEGIN")
            _write_tables(conn, path_or_project, "", pause=False)
            conn.execute("COMMIT")
            return _digest(conn)
        finally:
            conn.close()
    path = Path(path_or_project)
    if _version_in_place(path) is None:
        open_project(path)  # not a project this version reads: raises the right message
    with contextlib.closing(_connect(path)) as conn:
        conn.execute("PRAGMA query_only=1")
        return _digest(conn)


def _digest(conn: sqlite3.Connection) -> dict[str, Any]:
    names = sorted(
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
        )
    )
    out: dict[str, Any] = {}
    for name in names:
        cursor = conn.execute(f"SELECT * FROM {_ident(name)} ORDER BY rowid")
        h = hashlib.sha256(json.dumps([d[0] for d in cursor.description]).encode())
        n = 0
        for row in cursor:
            if name == "meta" and row[0] in _VOLATILE_META:
                continue
            h.update(json.dumps(row, ensure_ascii=False).encode("utf-8"))
            h.update(b"\n")
            n += 1
        out[name] = {"rows": n, "sha256": h.hexdigest()}
    return out


def autosave_path(path: str | Path) -> Path:
    """The recovery file of a plan: ``.name.wfmp~autosave`` beside it (hidden). For a plan
    never saved, pass a folder (e.g. the app's data folder): the file is
    :data:`UNTITLED_AUTOSAVE` in it."""
    path = Path(path)
    if path.is_dir():
        return path / UNTITLED_AUTOSAVE
    return path.with_name(f".{path.name}{AUTOSAVE_SUFFIX}")


def write_autosave(project: Project, path: str | Path) -> Path:
    """Save ``project`` to :func:`autosave_path` of ``path`` (same format, same safety);
    the plan's own file is not touched."""
    return save_project(project, autosave_path(path))


def find_recovery(path: str | Path) -> Path | None:
    """The autosave of ``path`` when it is newer than the plan's file (the program stopped
    after autosaving changes it never saved), else None."""
    path = Path(path)
    auto = autosave_path(path)
    try:
        auto_time = auto.stat().st_mtime_ns
    except OSError:
        return None
    if path.is_dir():
        return auto
    try:
        return auto if auto_time > path.stat().st_mtime_ns else None
    except OSError:
        return auto  # the plan's file is gone: the autosave is all there is


def discard_recovery(path: str | Path) -> None:
    """Delete the autosave of ``path`` (and a journal it left), if any."""
    auto = autosave_path(path)
    for p in (auto, auto.with_name(auto.name + "-journal")):
        with contextlib.suppress(FileNotFoundError):
            p.unlink()
