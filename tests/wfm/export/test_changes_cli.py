"""``wfm import-changes``: list a team lead's changes, apply them to a roster CSV; one line on
bad input."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tests.cli_helpers import Result, run_wfm, write_agents
from tests.wfm.export.test_changes import build_workbook, edit, ref
from wfm.roster import commands as cmd
from wfm.roster.io import read_roster_csv, write_roster_csv
from wfm.roster.roster import Roster
from wfm.scheduling.loaders import read_agents_csv, read_shift_setup

REPO = Path(__file__).resolve().parents[3]
SHIFTS = REPO / "sample_data" / "shift_templates.toml"
MONDAY = dt.date(2026, 11, 2)
AGENTS = (
    "Ana Silva,Sales,Sales,0,40",
    "Bo Chen,Support,Support,0,40",
    "Cy Diaz,Support,Sales;Support,0,40",
)


def day(i: int) -> dt.date:
    return MONDAY + dt.timedelta(days=i)


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    """A week's roster CSV (Ana and Bo on Early 08:00-16:30 Mon-Fri, Cy none) and the
    workbook exported from it (7 days: the weekend has no rows in the CSV)."""
    agents_csv = write_agents(tmp_path / "agents.csv", AGENTS)
    r = Roster(MONDAY, 7, tuple(read_agents_csv(agents_csv)), read_shift_setup(SHIFTS))
    for i in range(5):
        for name in ("Ana Silva", "Bo Chen"):
            cmd.AssignShift(name, day(i), 8 * 60, 16 * 60 + 30, "Early").apply(r)
    roster_csv = write_roster_csv(r, tmp_path / "roster.csv")
    workbook = build_workbook(tmp_path / "roster.xlsx", r)
    return {"agents": agents_csv, "roster": roster_csv, "workbook": workbook, "dir": tmp_path}


def run(files: dict[str, Path], capsys: pytest.CaptureFixture[str], *extra: object) -> Result:
    inputs = ["--roster", files["roster"], "--agents", files["agents"], "--shifts", SHIFTS]
    return run_wfm(["import-changes", files["workbook"], *inputs, *extra], capsys)


def read_back(files: dict[str, Path], path: Path) -> Roster:
    agents = read_agents_csv(files["agents"])
    return read_roster_csv(path, agents, read_shift_setup(SHIFTS), MONDAY, 7)


def lead_edits(files: dict[str, Path]) -> None:
    edit(files["workbook"], "Sales", {ref(1): "09:00-17:30", ref(0): "8.30"})
    edit(files["workbook"], "Support", {ref(3): "Sick", ref(5, 7): "10:00-16:00"})


def test_dry_run_lists_the_changes_and_writes_nothing(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    lead_edits(files)
    before = sorted(p.name for p in files["dir"].iterdir())
    result = run(files, capsys, "--dry-run")
    assert result.code == 0, result.err
    out = result.out.splitlines()
    assert "Sales!D6 Ana Silva, Tue 03 Nov: 08:00-16:30 -> 09:00-17:30" in out
    assert "Support!F6 Bo Chen, Thu 05 Nov: 08:00-16:30 -> Sick" in out
    assert "Support!H7 Cy Diaz, Sat 07 Nov: Off -> 10:00-16:00" in out
    assert any(line.startswith("Cannot read Sales!C6 '8.30': not a shift") for line in out)
    assert out[-1] == "3 changes would be applied. Dry run: no roster written."
    assert sorted(p.name for p in files["dir"].iterdir()) == before


def test_a_run_writes_the_new_roster_csv_and_a_report(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    lead_edits(files)
    new, report = files["dir"] / "new_roster.csv", files["dir"] / "changes.json"
    result = run(files, capsys, "-o", str(new), "--report", str(report))
    assert result.code == 0, result.err
    out = result.out
    assert "1 day of leave cannot be stored in a roster CSV: Bo Chen Thu 05 Nov (Sick)" in out
    r = read_back(files, new)
    assert r.shifts[("Ana Silva", day(1))].label() == "09:00-17:30"
    assert len(r.shifts[("Ana Silva", day(1))].breaks) == 3  # kept
    assert ("Bo Chen", day(3)) not in r.shifts
    cy = r.shifts[("Cy Diaz", day(5))]
    assert cy.label() == "10:00-16:00" and cy.template == "Weekend"
    assert len(r.shifts) == 10 - 1 + 1
    data = json.loads(report.read_text(encoding="utf-8"))
    assert [(c["ref"], c["after"], c["applied"]) for c in data["changes"]] == [
        ("D6", "09:00-17:30", True),
        ("F6", "Sick", True),
        ("H7", "10:00-16:00", True),
    ]
    assert data["unread"] == [
        {
            "sheet": "Sales",
            "ref": "C6",
            "text": "8.30",
            "reason": "not a shift like 08:00-16:30, 'off' or 'leave'",
        }
    ]
    assert data["leave_not_stored"] == [{"agent": "Bo Chen", "date": "2026-11-05", "kind": "sick"}]
    assert data["applied"] == 3 and data["output"] == str(new)


def test_conflicts_are_marked_and_left_out_unless_included(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    # The planner moves Ana's Tuesday after the export; the lead changes it too.
    r = read_back(files, files["roster"])
    cmd.ResizeShift("Ana Silva", day(1), 8 * 60 + 30, 17 * 60).apply(r)
    write_roster_csv(r, files["roster"])
    edit(files["workbook"], "Sales", {ref(1): "09:00-17:30", ref(2): "07:30-16:00"})
    new = files["dir"] / "new.csv"
    result = run(files, capsys, "-o", str(new))
    assert result.code == 0, result.err
    out = result.out
    assert "Sales!D6 Ana Silva, Tue 03 Nov: 08:30-17:00 -> 09:00-17:30 [conflict]" in out
    assert "1 of 2 changes applied; 1 conflict left out" in out
    kept = read_back(files, new)
    assert kept.shifts[("Ana Silva", day(1))].label() == "08:30-17:00"
    assert kept.shifts[("Ana Silva", day(2))].label() == "07:30-16:00"
    assert run(files, capsys, "-o", str(new), "--include-conflicts").code == 0
    assert read_back(files, new).shifts[("Ana Silva", day(1))].label() == "09:00-17:30"


def test_new_rule_violations_are_printed_under_their_change(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    # Monday 14:00-22:30 (no template allows it), then Tuesday 08:00: 9.5 h of rest (rule 11).
    edit(files["workbook"], "Sales", {ref(0): "14:00-22:30"})
    result = run(files, capsys, "--dry-run")
    assert result.code == 0, result.err
    out = result.out.splitlines()
    i = out.index("Sales!C6 Ana Silva, Mon 02 Nov: 08:00-16:30 -> 14:00-22:30")
    under = [line for line in out[i + 1 : i + 4] if line.startswith("    ")]
    # the shift keeps its Early template (resized), so that rule is broken too
    assert [line.split(":")[0] for line in under] == ["    template", "    rest"]
    assert under[1].startswith("    rest: Only 9.5 h rest after Mon 02 Nov's shift ending 22:30")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--dry-run"], "lead.xlsx: cannot be read as an Excel workbook"),
        ([], "-o NEW_ROSTER.csv is required"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    files: dict[str, Path],
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    message: str,
) -> None:
    bad = files["dir"] / "lead.xlsx"
    bad.write_text("not a workbook\n", encoding="utf-8")
    files = {**files, "workbook": bad}
    assert message in run(files, capsys, *extra).one_line_error()


def test_the_output_must_not_be_the_workbook(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    stamp = files["workbook"].read_bytes()
    refused = run(files, capsys, "-o", files["workbook"]).one_line_error()
    assert "would overwrite one of the input files" in refused
    assert files["workbook"].read_bytes() == stamp


def test_an_unchanged_workbook_writes_the_same_roster(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    new = files["dir"] / "same.csv"
    result = run(files, capsys, "-o", new)
    assert result.code == 0 and result.out.strip() == f"No changes in roster.xlsx. Wrote {new}."
    assert new.read_text(encoding="utf-8") == files["roster"].read_text(encoding="utf-8")
