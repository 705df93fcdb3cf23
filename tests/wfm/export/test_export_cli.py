"""``wfm export`` as a planner or a nightly job runs it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from tests.cli_helpers import run_wfm, write_agents
from tests.wfm.export.conftest import SALES, SUPPORT, small_need, small_roster
from wfm.export import layout
from wfm.roster.cells import NO_TEMPLATE_COLOUR, template_colour
from wfm.roster.io import write_roster_csv
from wfm.scheduling.loaders import write_shift_setup

AGENTS_HEADER = "name,team,skills,min_weekly_hours,max_weekly_hours,hourly_cost"


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    """The small roster's CSV, its agents and templates, and its requirement."""
    roster = small_roster()
    rows = (f"{a.name},{a.team},{';'.join(a.skills)},0,40,20" for a in roster.agents)
    out = {
        "roster": write_roster_csv(roster, tmp_path / "roster.csv"),
        "agents": write_agents(tmp_path / "agents.csv", rows, header=AGENTS_HEADER),
        "shifts": tmp_path / "shift_templates.toml",
        "req": tmp_path / "requirements.csv",
    }
    need = small_need()
    rows = ["queue,interval_start,volume,aht_seconds,scheduled_agents"]
    for q, queue in enumerate(need.queues):
        for d, date in enumerate(need.dates()):
            for i in range(need.intervals_per_day):
                stamp = dt.datetime.combine(date, dt.time()) + dt.timedelta(minutes=30 * i)
                assert need.volume is not None and need.aht_seconds is not None
                rows.append(
                    f"{queue},{stamp.isoformat()},{need.volume[q, d, i]:g},"
                    f"{need.aht_seconds[q, d, i]:g},{need.required[q, d, i]:g}"
                )
    out["req"].write_text("\n".join(rows) + "\n", encoding="utf-8")
    write_shift_setup(roster.setup, out["shifts"])  # the templates the roster was made with
    return out


def run(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str]:
    result = run_wfm(["export", *argv], capsys)
    return result.code, result.err


def test_export_with_agents_shifts_and_requirements(files, tmp_path: Path, capsys) -> None:
    out = tmp_path / "roster.xlsx"
    code, err = run(
        capsys, files["roster"], "-o", out, "--requirements", files["req"], "--agents",
        files["agents"], "--shifts", files["shifts"], "--centre", "Northwind Energy",
    )  # fmt: skip
    assert code == 0, err
    assert err == "Wrote roster.xlsx: 4 sheets, 8 agents, 76 shifts in " + err.split(" in ")[1]
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Summary", "Sales", "Support", "Coverage", layout.META_SHEET]
    sales = wb["Sales"]
    # the CSV's last shift is on Friday: the requirement's weekend is kept
    header = [c.value for c in sales[layout.HEADER_ROW]]
    assert header[layout.FIRST_DATE_COLUMN - 1 + 13] == dt.datetime(2026, 11, 15)
    first = sales.cell(layout.FIRST_AGENT_ROW, layout.FIRST_DATE_COLUMN)
    assert first.value == "08:00-16:30"
    assert "#" + str(first.fill.fgColor.rgb)[-6:].lower() == template_colour(0)
    summary = {r[0]: r[1] for r in wb["Summary"].iter_rows(max_col=2, values_only=True) if r[0]}
    assert summary["Centre"] == "Northwind Energy" and summary["Source plan"] == "roster.csv"


def test_export_without_agents_or_templates_uses_the_csv(files, tmp_path: Path, capsys) -> None:
    out = tmp_path / "plain.xlsx"
    code, err = run(capsys, files["roster"], "-o", out)
    assert code == 0, err
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Summary", "Sales", "Support", layout.META_SHEET]
    support = wb["Support"]
    names = [support.cell(layout.FIRST_AGENT_ROW + i, 1).value for i in range(4)]
    assert names == sorted(SUPPORT)
    cell = support.cell(layout.FIRST_AGENT_ROW, layout.FIRST_DATE_COLUMN)
    assert "#" + str(cell.fill.fgColor.rgb)[-6:].lower() == NO_TEMPLATE_COLOUR
    header = [c.value for c in support[layout.HEADER_ROW]]
    assert dt.datetime(2026, 11, 13) in header and dt.datetime(2026, 11, 14) not in header


def test_teams_and_day_sheets(files, tmp_path: Path, capsys) -> None:
    out = tmp_path / "sales.xlsx"
    code, err = run(
        capsys, files["roster"], "-o", out, "--requirements", files["req"], "--teams", "Sales",
        "--day-sheets", "--start", "2026-11-09", "--days", "2",
    )  # fmt: skip
    assert code == 0, err
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[:-1] == ["Summary", "Sales", "Coverage", "Mon 09 Nov", "Tue 10 Nov"]
    day_sheet = wb["Mon 09 Nov"]
    names = {r[0] for r in day_sheet.iter_rows(min_row=3, max_col=1, values_only=True)}
    assert set(SALES) <= names and not names & set(SUPPORT)
    assert "Wrote sales.xlsx: 5 sheets, 4 agents, 8 shifts in" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--teams", "Billing"], "no team 'Billing'"),
        (["--start", "2027-01-01", "--days", "0"], "--days must be 1 or more"),
        (["--requirements", "missing.csv"], "missing.csv: file not found"),
    ],
)
def test_bad_input_exits_2_with_one_line(files, tmp_path: Path, capsys, argv, message) -> None:
    argv = [str(tmp_path / a) if a.endswith(".csv") else a for a in argv]
    code, err = run(capsys, files["roster"], "-o", tmp_path / "x.xlsx", *argv)
    assert code == 2
    assert err.count("\n") == 1 and message in err
    assert not (tmp_path / "x.xlsx").exists()


def test_a_bad_roster_row_is_named(files, tmp_path: Path, capsys) -> None:
    text = files["roster"].read_text(encoding="utf-8").splitlines()
    text[3] = text[3].replace("2026-11-02", "2026-13-02")
    files["roster"].write_text("\n".join(text) + "\n", encoding="utf-8")
    code, err = run(capsys, files["roster"], "-o", tmp_path / "x.xlsx")
    assert code == 2 and err.count("\n") == 1
    assert "roster.csv, row 4, column 'date'" in err


def test_refuses_to_overwrite_an_input_or_a_non_workbook(files, tmp_path: Path, capsys) -> None:
    before = files["agents"].read_bytes()
    code, err = run(capsys, files["roster"], "-o", files["agents"], "--agents", files["agents"])
    assert code == 2 and "would overwrite one of the input files" in err
    assert files["agents"].read_bytes() == before
    code, err = run(capsys, files["roster"], "-o", tmp_path / "roster.ods")
    assert code == 2 and "must end in .xlsx" in err
