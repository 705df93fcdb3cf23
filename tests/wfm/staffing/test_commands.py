"""``wfm erlang`` and ``wfm staff``: the exact interface automation relies on."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from tests.wfm.staffing.helpers import STAFF_COLUMNS
from wfm.cli import main

BASE = [
    "erlang",
    "--calls",
    "100",
    "--interval-minutes",
    "30",
    "--aht-seconds",
    "180",
    "--answer-seconds",
    "20",
]


def run_json(capsys, argv):
    assert main(argv) == 0
    out, err = capsys.readouterr()
    assert err == ""
    return json.loads(out)


def test_erlang_with_agents_prints_the_metrics(capsys):
    out = run_json(capsys, [*BASE, "--agents", "14"])
    assert list(out) == ["traffic_erlangs", "p_wait", "service_level", "asa_seconds", "occupancy"]
    assert out["traffic_erlangs"] == pytest.approx(10.0)
    assert out["service_level"] == pytest.approx(0.88835, abs=5e-6)
    assert out["asa_seconds"] == pytest.approx(7.836, abs=1e-3)


def test_erlang_with_patience_adds_the_abandon_rate(capsys):
    out = run_json(capsys, [*BASE, "--agents", "14", "--patience-seconds", "300"])
    assert out["p_abandon"] == pytest.approx(0.013984, abs=1e-6)
    assert out["p_wait"] == pytest.approx(0.14526, abs=1e-5)


@pytest.mark.parametrize(("occ", "agents", "scheduled"), [("0.85", 14, 20), ("0.7", 15, 22)])
def test_erlang_requirement(capsys, occ, agents, scheduled):
    out = run_json(
        capsys, [*BASE, "--target-sl", "0.8", "--max-occupancy", occ, "--shrinkage", "0.3"]
    )
    assert (out["agents"], out["scheduled_agents"]) == (agents, scheduled)
    assert {"traffic_erlangs", "p_wait", "service_level", "asa_seconds", "occupancy"} <= set(out)
    assert out["service_level"] >= 0.8


def test_erlang_too_few_agents_gives_null_asa_not_invalid_json(capsys):
    out = run_json(capsys, [*BASE, "--agents", "9"])
    assert out["asa_seconds"] is None and out["service_level"] == 0.0


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["erlang", "--calls", "-5", "--aht-seconds", "180", "--agents", "3"], "number of calls"),
        (["erlang", "--calls", "5", "--aht-seconds", "0", "--agents", "3"], "handle time"),
        ([*BASE, "--target-sl", "1.5"], "between 0 and 1"),
        ([*BASE, "--target-sl", "0.8", "--target-asa-seconds", "1e-300"], "No number of agents"),
        ([*BASE], "give a target"),
        ([*BASE, "--target-sl", "0.8", "--max-abandon", "0.05"], "Erlang A"),
    ],
)
def test_erlang_bad_input_exits_2_with_one_line(capsys, argv, message):
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and message in err


def _forecast_csv(path: Path, rows: list[str]) -> Path:
    path.write_text(
        "queue,interval_start,volume,volume_low,volume_high,aht_seconds\n" + "\n".join(rows) + "\n"
    )
    return path


def test_staff_writes_the_requirement_per_interval(tmp_path, capsys):
    src = _forecast_csv(
        tmp_path / "forecast.csv",
        [
            "Sales,2026-11-23T08:00:00,100,90,110,180",
            "Sales,2026-11-23T08:30:00,0,0,0,",
            "Sales,2026-11-23T09:00:00,250.5,230,270,200",
        ],
    )
    out = tmp_path / "requirements.csv"
    argv = [
        "staff",
        str(src),
        "--target-sl",
        "0.8",
        "--answer-seconds",
        "20",
        "--max-occupancy",
        "0.85",
        "--shrinkage",
        "0.3",
        "-o",
        str(out),
    ]
    assert main(argv) == 0
    table = pd.read_csv(out)
    assert list(table.columns) == STAFF_COLUMNS
    assert list(table["agents"])[:2] == [14, 0]
    assert list(table["scheduled_agents"])[:2] == [20, 0]
    assert table["interval_start"].iloc[0] == "2026-11-23T08:00:00"

    with_patience = tmp_path / "req_a.csv"
    assert main([*argv[:-2], "--patience-seconds", "300", "-o", str(with_patience)]) == 0
    table_a = pd.read_csv(with_patience)
    assert table_a.columns[-1] == "p_abandon"
    assert table_a["agents"].iloc[0] == 13  # Erlang A: SL 85.8 %, occupancy 75 %
    assert table_a["agents"].iloc[2] <= table["agents"].iloc[2]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("Sales,2026-11-23T08:00:00,-3,0,0,180", "row 2, column volume"),
        ("Sales,2026-11-23T08:00:00,10,0,0,0", "row 2, column aht_seconds"),
        ("Sales,yesterday,10,0,0,180", "row 2, column interval_start"),
    ],
)
def test_staff_bad_forecast_exits_2_naming_row_and_column(tmp_path, capsys, row, message):
    src = _forecast_csv(tmp_path / "forecast.csv", [row])
    out = tmp_path / "req.csv"
    assert main(["staff", str(src), "--target-sl", "0.8", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "forecast.csv" in err
    assert message.split(", ")[0] in err and message.split(", ")[1].split()[-1] in err
    assert not out.exists()


def test_staff_keeps_an_existing_output_when_the_input_is_bad(tmp_path, capsys):
    src = _forecast_csv(tmp_path / "forecast.csv", ["Sales,2026-11-23T08:00:00,-3,0,0,180"])
    out = tmp_path / "req.csv"
    out.write_text("precious\n")
    assert main(["staff", str(src), "--target-sl", "0.8", "-o", str(out)]) == 2
    assert out.read_text() == "precious\n"


def test_staff_keeps_the_two_intervals_of_an_autumn_dst_day_and_their_offsets(tmp_path):
    src = _forecast_csv(
        tmp_path / "forecast.csv",
        [
            "Sales,2026-10-25T01:00:00+01:00,40,36,44,180",
            "Sales,2026-10-25T01:00:00+00:00,30,27,33,180",
            "Sales,2026-10-25T02:00:00+00:00,20,18,22,180",
        ],
    )
    out = tmp_path / "req.csv"
    assert (
        main(["staff", str(src), "--target-sl", "0.8", "--interval-minutes", "60", "-o", str(out)])
        == 0
    )
    table = pd.read_csv(out, dtype={"interval_start": str})
    assert list(table["interval_start"]) == [
        "2026-10-25T01:00:00+01:00",
        "2026-10-25T01:00:00+00:00",
        "2026-10-25T02:00:00+00:00",
    ]


def test_staff_writes_the_input_columns_at_full_precision(tmp_path):
    src = _forecast_csv(
        tmp_path / "forecast.csv", ["Sales,2026-11-23T08:00:00,1234.5678,0,0,183.4567"]
    )
    out = tmp_path / "req.csv"
    assert main(["staff", str(src), "--target-sl", "0.8", "-o", str(out)]) == 0
    row = out.read_text().splitlines()[1].split(",")
    assert row[2:4] == ["1234.5678", "183.4567"]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            ["Sales,2026-11-23T08:00:00,100,90,110,", "Sales,2026-11-23T08:30:00,50,45,55,"],
            "no handle time",
        ),
        (["Sales,2026-11-23T08:00:00,100,90,110,180,extra"], "row 2"),
    ],
)
def test_staff_refuses_a_queue_without_aht_and_ragged_rows(tmp_path, capsys, rows, message):
    src = _forecast_csv(tmp_path / "forecast.csv", rows)
    assert main(["staff", str(src), "--target-sl", "0.8", "-o", str(tmp_path / "r.csv")]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


@pytest.mark.parametrize(
    "argv",
    [
        [*BASE, "--target-sl", "0.8", "--patience-seconds", "inf"],
        [*BASE, "--agents", "14", "--target-sl", "0.8"],
        ["erlang", "--calls", "1e300", "--aht-seconds", "1e300", "--agents", "3"],
        [*BASE, "--target-sl", "0.8", "--max-occupancy", "1e-9"],
    ],
)
def test_erlang_more_bad_input_exits_2(capsys, argv):
    assert main(argv) == 2
    assert capsys.readouterr().err.count("\n") == 1
