"""``wfm whatif`` on small inputs made from the sample centre."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from tests.cli_helpers import run_wfm
from tests.wfm.scenarios import MONDAY, demand
from wfm.roster.io import write_roster_csv
from wfm.roster.roster import Roster, Shift
from wfm.scenarios import COMPARISON_COLUMNS, SENSITIVITY_COLUMNS
from wfm.scheduling.loaders import read_agents_csv, read_shift_setup

SAMPLE = Path(__file__).resolve().parents[3] / "sample_data"
AGENTS = SAMPLE / "agents.csv"
SHIFTS = SAMPLE / "shift_templates.toml"
SCENARIOS = """
[[scenario]]
name = "Promo"
[[scenario.volume]]
percent = 40
queues = ["Sales"]
dates = "2026-11-04"

[[scenario]]
name = "Leavers"
headcount = -4
"""


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    forecast = demand(days=3, calls=30.0)
    forecast["interval_start"] = forecast["interval_start"].dt.strftime("%Y-%m-%dT%H:%M:%S")
    paths = {"forecast": tmp_path / "forecast.csv", "scenarios": tmp_path / "whatif.toml"}
    forecast.to_csv(paths["forecast"], index=False)
    paths["scenarios"].write_text(SCENARIOS, encoding="utf-8")
    agents = read_agents_csv(AGENTS)[:20]  # the Sales team, some cross-skilled
    roster = Roster(MONDAY, 3, agents, read_shift_setup(SHIFTS))
    for a in agents:
        for i in range(3):
            d = MONDAY + dt.timedelta(days=i)
            roster.put((a.name, d), Shift(a.name, d, 8 * 60, 16 * 60 + 30, ""))
    paths["roster"] = write_roster_csv(roster, tmp_path / "roster.csv")
    return paths


def test_whatif_writes_the_comparison(
    files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, sens, details = tmp_path / "cmp.csv", tmp_path / "sens.csv", tmp_path / "details.csv"
    result = run_wfm(
        [
            "whatif", files["forecast"], "--scenarios", files["scenarios"],
            "-o", out, "--shrinkage", "0.3",
            "--roster", files["roster"], "--agents", AGENTS, "--shifts", SHIFTS,
            "--sensitivity", sens, "--details", details,
        ],
        capsys,
    )  # fmt: skip
    assert result.code == 0, result.err
    table = pd.read_csv(out)
    assert list(table.columns) == list(COMPARISON_COLUMNS)
    assert list(table["scenario"]) == ["Base", "Promo", "Leavers"]
    assert table.loc[0, "changes"] == "Base plan: 80/20, shrinkage 30 %, Erlang C"
    assert table.loc[1, "change_hours"] > 0 and table.loc[2, "change_hours"] == 0
    assert table.loc[2, "service_level_kept"] < table.loc[0, "service_level_kept"]
    assert table["cost"].notna().all()  # from the sample agents' hourly costs
    assert list(pd.read_csv(sens).columns) == list(SENSITIVITY_COLUMNS)
    detail = pd.read_csv(details)
    assert len(detail) == 3 * 2 * 3 * 48 and detail.columns[0] == "scenario"
    assert "Promo" in result.err and "Leavers" in result.err


def test_whatif_bad_input_exits_2_with_one_line(
    files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "cmp.csv"
    args = [
        "whatif",
        str(files["forecast"]),
        "--scenarios",
        str(files["scenarios"]),
        "-o",
        str(out),
    ]
    bad = tmp_path / "bad.toml"
    bad.write_text('[[scenario]]\nname = "X"\nheadcont = 1\n', encoding="utf-8")
    cases = [
        (["--scenarios", str(bad)], "bad.toml: scenario 1 ('X'), 'headcont': unknown key"),
        (["--simulate"], "--simulate needs --roster"),
        (["--roster", str(files["roster"])], "--roster needs --agents and --shifts"),
        (["--target-sl", "1.2"], "service level must be between 0 and 1"),
    ]
    for extra, message in cases:
        assert message in run_wfm(args + extra, capsys).one_line_error()
    late = tmp_path / "late.toml"
    late.write_text(SCENARIOS.replace("2026-11-04", "2026-11-20"), encoding="utf-8")
    refused = run_wfm(args + ["--scenarios", str(late)], capsys).one_line_error()
    assert "scenario 'Promo': volume change 1 names 2026-11-20, outside" in refused
    assert not out.exists()


def test_whatif_reads_the_last_28_days_of_a_history(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    frame = demand(days=35, queues=("Support",), calls=10.0)
    history = pd.DataFrame(
        {
            "queue": frame["queue"],
            "interval_start": frame["interval_start"].dt.strftime("%Y-%m-%dT%H:%M:%S"),
            "offered": frame["volume"],
            "handled": frame["volume"],
            "abandoned": 0,
            "aht_seconds": frame["aht_seconds"].where(frame["volume"] > 0),
        }
    )
    path = tmp_path / "history.csv"
    history.to_csv(path, index=False)
    scenarios = tmp_path / "s.toml"
    scenarios.write_text('[[scenario]]\nname = "AHT"\n[[scenario.aht]]\npercent = 10\n', "utf-8")
    out = tmp_path / "cmp.csv"
    result = run_wfm(["whatif", path, "--scenarios", scenarios, "-o", out], capsys)
    assert result.code == 0, result.err
    table = pd.read_csv(out)
    assert table["calls"].tolist() == [28 * 17 * 10.0] * 2
    assert table["aht_seconds"].tolist() == pytest.approx([180.0, 198.0])
