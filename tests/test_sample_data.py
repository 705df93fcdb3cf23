"""The bundled sample centre in ``sample_data/``: reproducible, and shaped as documented."""

from __future__ import annotations

import gzip
import importlib.util
import io
import sys
import tomllib
import zlib
from pathlib import Path

import holidays
import numpy as np
import pandas as pd
import pytest

from wfm.io.history import IntervalHistory
from wfm.io.project import project_digest

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"
HISTORY = SAMPLE / "history.csv"
CALLS = SAMPLE / "calls_2026-10.csv.gz"
AGENTS = SAMPLE / "agents.csv"
TEMPLATES = SAMPLE / "shift_templates.toml"
FILES = ("history.csv", "calls_2026-10.csv.gz", "agents.csv", "shift_templates.toml", "README.md")
CALLS_HEADER = (
    "Call Start;Queue;Result;Wait Time;Talk Time;Wrap Time;Caller Number;Customer ID;Agent;Call ID"
)
# the planted defects of the call file, as documented in sample_data/README.md
N_DUPLICATES, N_GARBAGE, N_NEGATIVE_WAIT, N_ABSURD_TALK, N_BLANK, N_TEST = 12, 5, 3, 2, 2, 4
N_PLANTED = N_DUPLICATES + N_GARBAGE + N_NEGATIVE_WAIT + N_ABSURD_TALK + N_TEST


def _load_generator():
    spec = importlib.util.spec_from_file_location("sample_data_generate", SAMPLE / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


@pytest.fixture(scope="module")
def history() -> IntervalHistory:
    return IntervalHistory.read_csv(HISTORY)


@pytest.fixture(scope="module")
def calls_raw() -> bytes:
    return gzip.decompress(CALLS.read_bytes())


@pytest.fixture(scope="module")
def calls_lines(calls_raw) -> list[str]:
    text = calls_raw.decode("cp1252")
    assert text.endswith("\r\n")
    return text[: -len("\r\n")].split("\r\n")


@pytest.fixture(scope="module")
def calls(calls_lines) -> pd.DataFrame:
    """The data rows (blank lines skipped by the parser), every field as text."""
    body = "\n".join(calls_lines)
    return pd.read_csv(io.StringIO(body), sep=";", dtype=str, keep_default_na=False)


def _talk_seconds(text: pd.Series) -> pd.Series:
    """``m:ss`` / ``h:mm:ss`` as seconds; NaN when empty."""

    def one(v: str) -> float:
        if not v:
            return np.nan
        return float(sum(int(x) * 60**i for i, x in enumerate(reversed(v.split(":")))))

    return text.map(one)


def _october(history: IntervalHistory) -> pd.DataFrame:
    f = history.frame
    return f[(f["interval_start"] >= "2026-10-01") & (f["interval_start"] < "2026-11-01")]


# --- (a) reproducible -----------------------------------------------------------------------
def test_regenerating_writes_the_committed_files(tmp_path, capsys):
    gen = _load_generator()
    assert gen.OUTPUT_FILES == FILES
    assert gen.main(["--out", str(tmp_path)]) == 0
    for name in FILES:
        new, old = (tmp_path / name).read_bytes(), (SAMPLE / name).read_bytes()
        if name.endswith(".gz"):
            # same header (no time stamp, no file name) and same content; zlib-ng (used by
            # some Python builds) compresses differently, so there only the content counts
            assert new[:10] == old[:10] == b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
            assert gzip.decompress(new) == gzip.decompress(old), name
            if "ng" not in zlib.ZLIB_RUNTIME_VERSION:
                assert new == old, name
        else:
            assert new == old, f"{name} differs from a fresh run of sample_data/generate.py"
    # the ready plan: same content table by table (its bytes depend on the SQLite version)
    assert gen.PROJECT_FILE == "sample-centre.wfmp"
    fresh = project_digest(tmp_path / gen.PROJECT_FILE)
    assert fresh == project_digest(SAMPLE / gen.PROJECT_FILE), (
        "sample-centre.wfmp differs from a fresh run of sample_data/generate.py "
        "(was events.toml or scenarios.toml changed? rerun the generator)"
    )
    assert fresh["history"]["rows"] == 70_080 and fresh["agents"]["rows"] == 100


# --- (b) the interval history -----------------------------------------------------------------
def test_history_covers_two_years_of_half_hours(history):
    assert history.interval_minutes == 30
    assert history.queues == ["Sales", "Support"]
    assert history.start == pd.Timestamp("2024-11-01 00:00")
    assert history.end == pd.Timestamp("2026-10-31 23:30")
    grid = pd.date_range("2024-11-01 00:00", "2026-10-31 23:30", freq="30min")
    assert len(grid) == 730 * 48
    f = history.frame
    for q in ("Sales", "Support"):
        starts = f.loc[f["queue"] == q, "interval_start"].reset_index(drop=True)
        assert starts.equals(pd.Series(grid, name="interval_start")), q
    assert len(history) == 2 * 730 * 48
    assert (f["handled"] + f["abandoned"] == f["offered"]).all()
    assert (f["offered"] == f["offered"].round()).all()
    assert (f["aht_seconds"].isna() == (f["handled"] == 0)).all()


def test_history_is_zero_when_closed(history):
    f = history.frame
    t = f["interval_start"]
    minute = t.dt.hour * 60 + t.dt.minute
    wd = t.dt.day_of_week
    opening = {  # (queue, weekday) -> open, close in minutes
        **{("Support", d): (480, 1200) for d in range(5)},
        ("Support", 5): (540, 1020),
        ("Support", 6): (600, 960),
        **{("Sales", d): (480, 1080) for d in range(5)},
        ("Sales", 5): (540, 780),
        ("Sales", 6): (0, 0),
    }
    lo = pd.Series([opening[k][0] for k in zip(f["queue"], wd, strict=True)], index=f.index)
    hi = pd.Series([opening[k][1] for k in zip(f["queue"], wd, strict=True)], index=f.index)
    closed = (minute < lo) | (minute >= hi)
    assert f.loc[closed, "offered"].sum() == 0
    assert f.loc[~closed, "offered"].gt(0).mean() > 0.9
    assert f.loc[(f["queue"] == "Sales") & (wd == 6), "offered"].sum() == 0


def test_history_is_closed_on_bank_holidays(history):
    daily = history.daily_totals()
    gb = holidays.country_holidays("GB", subdiv="ENG", years=[2024, 2025, 2026])
    days = [
        pd.Timestamp(d)
        for d in gb
        if pd.Timestamp("2024-11-01") <= pd.Timestamp(d) <= pd.Timestamp("2026-10-31")
    ]
    assert pd.Timestamp("2025-12-25") in days and len(days) == 16
    on_holiday = daily[daily["date"].isin(days)]
    assert len(on_holiday) == 2 * len(days)
    assert on_holiday["offered"].sum() == 0
    # and an ordinary Thursday before it is not
    assert daily.loc[daily["date"] == "2025-12-18", "offered"].gt(500).all()


def test_history_shows_the_winter_tariff_campaign(history):
    daily = history.daily_totals()
    sales = daily[daily["queue"] == "Sales"].set_index("date")["offered"]
    first = sales[pd.Timestamp("2025-11-24")]
    before = sales[[pd.Timestamp("2025-11-24") - pd.Timedelta(weeks=k) for k in (1, 2, 3, 4)]]
    assert first > 1.4 * before.median()


def test_history_volumes_are_believable(history):
    daily = history.daily_totals()
    daily = daily[daily["offered"] > 0]
    wd = daily["date"].dt.day_of_week
    for q, level in (("Support", 1900), ("Sales", 900)):
        business = daily[(daily["queue"] == q) & (wd < 5)]
        assert 0.93 * level < business["offered"].mean() < 1.07 * level, q
        by_day = business.groupby(business["date"].dt.day_of_week)["offered"].mean()
        assert by_day.idxmax() == 0 and by_day.idxmin() == 4, q  # Monday busiest, Friday least
    aht = (
        daily.assign(w=daily["aht_seconds"] * daily["handled"])
        .groupby("queue")[["w", "handled"]]
        .sum()
    )
    aht = aht["w"] / aht["handled"]
    assert 400 < aht["Support"] < 440 and 315 < aht["Sales"] < 345


# --- (c) the per-call ACD export --------------------------------------------------------------
def test_calls_file_is_a_cp1252_semicolon_crlf_export(calls_raw, calls_lines, history):
    header = CALLS.read_bytes()[:10]
    assert header[:2] == b"\x1f\x8b" and header[4:8] == b"\0\0\0\0"  # gzip, no time stamp
    assert len(CALLS.read_bytes()) < 3_000_000
    with pytest.raises(UnicodeDecodeError):
        calls_raw.decode("utf-8")  # the accented agent names are cp1252 bytes
    assert calls_raw.count(b"\r\n") == calls_raw.count(b"\n")
    assert calls_lines[0] == CALLS_HEADER
    offered = int(_october(history)["offered"].sum())
    body = calls_lines[1:]
    assert sum(1 for line in body if line == "") == N_BLANK
    assert len(body) == offered + N_PLANTED + N_BLANK
    assert all(line.count(";") == 9 for line in body if line)


def test_calls_file_has_the_documented_defects(calls, calls_lines):
    rows = [line for line in calls_lines[1:] if line]
    assert pd.Series(rows).duplicated().sum() == N_DUPLICATES
    start = pd.to_datetime(calls["Call Start"], format="%d/%m/%Y %H:%M:%S", errors="coerce")
    assert start.isna().sum() == N_GARBAGE
    assert (calls["Result"] == "Test call").sum() == N_TEST
    assert set(calls["Result"]) == {"Answered", "Abandoned", "Test call"}
    wait = calls["Wait Time"].astype(int)
    assert (wait < 0).sum() == N_NEGATIVE_WAIT
    talk = _talk_seconds(calls["Talk Time"])
    assert (talk > 10 * 3600).sum() == N_ABSURD_TALK
    planted = calls["Call ID"].astype(int) >= 900000
    assert planted.sum() == N_GARBAGE + N_NEGATIVE_WAIT + N_ABSURD_TALK + N_TEST
    assert set(calls.loc[(wait < 0) | (talk > 10 * 3600), "Call ID"]) == {
        "900001", "900002", "900003", "900004", "900005",
    }  # fmt: skip
    assert calls.loc[~planted, "Call ID"].drop_duplicates().astype(int).is_monotonic_increasing


def test_clean_calls_reproduce_the_history(calls, history):
    c = calls[calls["Call ID"].astype(int) < 900000].drop_duplicates()
    start = pd.to_datetime(c["Call Start"], format="%d/%m/%Y %H:%M:%S")
    answered = c["Result"] == "Answered"
    handle = _talk_seconds(c["Talk Time"]) + pd.to_numeric(c["Wrap Time"], errors="coerce")
    per = (
        pd.DataFrame(
            {
                "queue": c["Queue"],
                "interval_start": start.dt.floor("30min"),
                "offered": 1,
                "abandoned": (c["Result"] == "Abandoned").astype(int),
                "handle": handle.where(answered),
            }
        )
        .groupby(["queue", "interval_start"])
        .agg(offered=("offered", "sum"), abandoned=("abandoned", "sum"), aht=("handle", "mean"))
    )
    oct_ = _october(history).set_index(["queue", "interval_start"])
    busy = oct_[oct_["offered"] > 0]
    assert per.index.sort_values().equals(busy.index.sort_values())
    per = per.loc[busy.index]
    assert (per["offered"] == busy["offered"]).all()
    assert (per["abandoned"] == busy["abandoned"]).all()
    assert np.allclose(per["aht"], busy["aht_seconds"], atol=0.051, equal_nan=True)
    # answered calls name an agent from agents.csv; abandoned ones leave the fields empty
    names = set(pd.read_csv(AGENTS, dtype=str)["name"])
    assert set(c.loc[answered, "Agent"]) <= names
    assert {"Zoë Brontë", "José Núñez", "Siobhán O'Connor"} <= set(c["Agent"])
    gone = c[~answered]
    assert (gone[["Talk Time", "Wrap Time", "Agent"]] == "").all().all()
    assert c["Caller Number"].str.fullmatch(r"07700 9\d{5}").all()
    ids = c["Customer ID"]
    assert ids[ids != ""].str.fullmatch(r"C\d{6}").all()
    assert 0.17 < (ids == "").mean() < 0.23


# --- agents and shift templates ---------------------------------------------------------------
def test_agents_file():
    a = pd.read_csv(
        AGENTS, dtype={"unavailable_days": str, "preferred_shift": str}, keep_default_na=False
    )
    assert list(a.columns) == [
        "name", "team", "skills", "min_weekly_hours", "max_weekly_hours",
        "hourly_cost", "unavailable_days", "preferred_shift",
    ]  # fmt: skip
    assert len(a) == 100 and a["name"].is_unique
    assert a["team"].value_counts().to_dict() == {
        "Support Day": 30, "Support Early": 26, "Sales": 22, "Support Late": 22,
    }  # fmt: skip
    assert set(a["skills"]) == {"Sales", "Support", "Sales;Support"}
    assert a["hourly_cost"].between(14.5, 19.0).all()
    assert (a["min_weekly_hours"] <= a["max_weekly_hours"]).all()
    assert set(a["min_weekly_hours"]) <= {37.5, 30.0, 25.0, 22.5, 20.0, 16.0}
    assert set(a["preferred_shift"]) <= {"early", "day", "late", ""}
    days = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}
    assert all(set(v.split(";")) <= days for v in a["unavailable_days"] if v)


def test_shift_templates_file():
    cfg = tomllib.loads(TEMPLATES.read_text(encoding="utf-8"))
    names = [t["name"] for t in cfg["template"]]
    assert names == ["Early", "Day", "Late", "Weekend", "Part-time"]
    for t in cfg["template"]:
        assert t["start_earliest"] <= t["start_latest"] and t["lengths_hours"] and t["break"]
    late = cfg["template"][2]
    h, m = map(int, late["start_latest"].split(":"))
    assert h * 60 + m + max(late["lengths_hours"]) * 60 <= 20 * 60
    assert cfg["rules"] == {
        "min_rest_hours": 11, "max_consecutive_days": 6, "days_off_per_week": 2,
        "max_hours_per_day": 10, "max_hours_per_week": 48,
    }  # fmt: skip
