"""The roster CSV: written sorted and exact, read back to the same roster, errors located."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.wfm.roster import MONDAY, SETUP, agents, day, early, roster
from wfm.errors import InputError
from wfm.roster.io import ROSTER_COLUMNS, read_roster_csv, write_roster_csv
from wfm.roster.roster import Break, Shift

ANA, BO, CY = "Ana Silva", "Bo Chen", "Cy Diaz"
HEADER = ",".join(ROSTER_COLUMNS)


def test_write_then_read_gives_the_same_roster(tmp_path: Path) -> None:
    r = roster()
    r.put(
        (CY, day(5)),
        Shift(CY, day(5), 12 * 60, 20 * 60, "Late", (Break(15 * 60, 30, "lunch", False),)),
    )
    r.put(
        (CY, day(6)),
        Shift(
            CY,
            day(6),
            18 * 60,
            25 * 60,
            "",
            (Break(21 * 60, 30, "lunch", False), Break(23 * 60, 15)),
        ),
    )
    path = write_roster_csv(r, tmp_path / "roster.csv")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == HEADER
    assert (
        lines[1]
        == "Ana Silva,Sales,2026-11-02,08:00,16:30,8.00,10:00-10:15;12:00-12:30;14:30-14:45"
    )
    assert lines[2].startswith("Bo Chen,Support,2026-11-02,")
    assert "Cy Diaz,Support,2026-11-08,18:00,25:00,6.50,21:00-21:30;23:00-23:15" in lines
    back = read_roster_csv(path, agents(), SETUP, start=MONDAY, days=14)
    assert back.shifts == r.shifts
    assert (back.start, back.days) == (MONDAY, 14)
    # without a horizon: the file's first to last date (Mon 02 to Fri 13 Nov)
    assert read_roster_csv(path, agents(), SETUP).days == 12


def test_template_inferred_from_window_and_length(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text(
        HEADER + "\n"
        "Ana Silva,,2026-11-03,08:30,17:00,8.00,10:30-10:45;12:30-13:00;15:00-15:15\n"
        "Bo Chen,,2026-11-03,10:00,18:30,,\n"  # starts after Early's window: no template
        "Cy Diaz,,2026-11-03,22:00,06:00,7.50,01:00-01:30\n",  # past midnight, written by hand
        encoding="utf-8",
    )
    r = read_roster_csv(path, agents(), SETUP)
    assert r.shifts[(ANA, day(1))] == early(ANA, day(1), 8 * 60 + 30)
    assert r.shifts[(BO, day(1))].template == ""
    cy = r.shifts[(CY, day(1))]
    assert (cy.start, cy.end, cy.template) == (22 * 60, 30 * 60, "")
    assert cy.breaks == (Break(25 * 60, 30, "lunch", False),)  # unpaid: paid_hours says so
    assert cy.paid_minutes == 450


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ("Zoe,,2026-11-03,08:00,16:30,,", "agent", "'Zoe' is not one of the agents"),
        ("Ana Silva,,03/11/2026,08:00,16:30,,", "date", "is not a date"),
        ("Ana Silva,,2026-11-03,8h,16:30,,", "start", "'8h' is not a time"),
        ("Ana Silva,,2026-11-03,08:00,16:99,,", "end", "is not a time"),
        ("Ana Silva,,2026-11-03,08:00,16:30,,17:00-17:30", "breaks", "outside the shift"),
        ("Ana Silva,,2026-11-03,08:00,16:30,,12:00", "breaks", "is not a break"),
        ("Ana Silva,,2026-11-03,08:00,16:30,x,", "paid_hours", "is not a number"),
        ("Ana Silva,,2026-11-02,08:00,16:30,,", "date", "a second row for Ana Silva"),
    ],
)
def test_bad_rows_are_located(tmp_path: Path, row: str, column: str, message: str) -> None:
    path = tmp_path / "r.csv"
    path.write_text(f"{HEADER}\nAna Silva,,2026-11-02,08:00,16:30,,\n{row}\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_roster_csv(path, agents(), SETUP)
    assert (err.value.file, err.value.row, err.value.column) == ("r.csv", 3, column)
    assert message in err.value.message


def test_dates_outside_the_horizon_and_missing_columns(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text(f"{HEADER}\nAna Silva,,2026-11-20,08:00,16:30,,\n", encoding="utf-8")
    with pytest.raises(InputError, match="outside the roster's 14 days"):
        read_roster_csv(path, agents(), SETUP, start=MONDAY, days=14)
    path.write_text("agent,date\nAna Silva,2026-11-02\n", encoding="utf-8")
    with pytest.raises(InputError, match="missing column"):
        read_roster_csv(path, agents(), SETUP)


def test_rows_count_blank_lines_and_empty_rows_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text(
        f"{HEADER}\r\nAna Silva,,2026-11-02,08:00,16:30,,\r\n\r\n,,,,,,\r\n"
        "Bo Chen,,2026-11-02,08:00,16:30,,\r\n",
        encoding="utf-8-sig",
    )
    assert set(read_roster_csv(path, agents(), SETUP).shifts) == {(ANA, day(0)), (BO, day(0))}
    path.write_text(
        f"{HEADER}\nAna Silva,,2026-11-02,08:00,16:30,,\n\nZoe,,2026-11-02,08:00,16:30,,\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        read_roster_csv(path, agents(), SETUP)
    assert (err.value.row, err.value.column) == (4, "agent")


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ("Ana Silva,,2026-11-03,08:00,08:00,,", "end", "must end after it starts"),
        ("Ana Silva,,2026-11-03,08:00,16:30,,10:00-10:30;10:15-10:45", "breaks", "overlap"),
    ],
)
def test_a_shift_of_no_length_or_with_overlapping_breaks_is_refused(
    tmp_path: Path, row: str, column: str, message: str
) -> None:
    path = tmp_path / "r.csv"
    path.write_text(f"{HEADER}\n{row}\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_roster_csv(path, agents(), SETUP)
    assert (err.value.row, err.value.column) == (2, column)
    assert message in err.value.message
