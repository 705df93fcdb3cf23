"""The exported workbook opens in LibreOffice Calc without repair, and prints.

LibreOffice converts the workbook to PDF headless, with a private profile (so the test
neither touches the user's profile nor waits for another LibreOffice). On CI
(``CI=true``, as root, with apt-get) LibreOffice is installed when missing; elsewhere the
test is skipped with the reason.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from tests.wfm.export.conftest import GENERATED, formula_named_roster, small_need, small_roster
from wfm.export import layout
from wfm.export.changes import read_lead_changes
from wfm.export.workbook import ExportOptions, export_roster

INSTALL = (
    "apt-get update -qq && DEBIAN_FRONTEND=noninteractive "
    "apt-get install -y -qq libreoffice-calc poppler-utils"
)
SKIP = "LibreOffice is not installed: apt-get install libreoffice-calc (Debian) to run this check"


def _find() -> str | None:
    return shutil.which("libreoffice") or shutil.which("soffice")


@pytest.fixture(scope="session")
def libreoffice() -> str:
    """The LibreOffice program (installed on CI when missing)."""
    program = _find()
    can_install = (
        os.environ.get("CI") == "true"
        and hasattr(os, "geteuid")
        and os.geteuid() == 0
        and shutil.which("apt-get") is not None
    )
    if program is None and can_install:
        subprocess.run(INSTALL, shell=True, check=False, timeout=900, capture_output=True)
        program = _find()
    if program is None:
        pytest.skip(SKIP)
    return program


def pdf_pages(pdf: Path) -> int:
    if shutil.which("pdfinfo"):
        out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, timeout=60)
        match = re.search(r"^Pages:\s+(\d+)", out.stdout, re.MULTILINE)
        if match:
            return int(match.group(1))
    return len(re.findall(rb"/Type\s*/Page\b", pdf.read_bytes()))


def convert(libreoffice: str, book: Path, to: str, out_dir: Path) -> tuple[Path, str]:
    """``book`` converted by LibreOffice headless (``to``: ``pdf``, ``xlsx``) into
    ``out_dir``, with a private profile beside it; (the new file, what LibreOffice said)."""
    profile = (out_dir.parent / "lo-profile").as_uri()
    result = subprocess.run(
        [
            libreoffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            to,
            "--outdir",
            str(out_dir),
            str(book),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    said = (result.stdout + result.stderr).lower()
    assert result.returncode == 0, said
    for word in ("repair", "error", "corrupt", "damaged"):
        assert word not in said, said
    out = out_dir / f"{book.stem}.{to}"
    assert out.is_file() and out.stat().st_size > 0, said
    return out, said


def test_the_export_opens_in_libreoffice_without_repair(libreoffice: str, tmp_path: Path) -> None:
    # a formula-like name and team must stay text in Calc as in Excel
    roster = formula_named_roster(days=7)
    book = tmp_path / "roster.xlsx"
    options = ExportOptions(day_sheets=True, centre="Northwind & Co")
    export_roster(roster, book, need=small_need(days=7), options=options)
    pdf, _ = convert(libreoffice, book, "pdf", tmp_path / "pdf")
    assert pdf_pages(pdf) > 0
    # the PDF's text shows the name as text, not a link or an evaluated formula
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, timeout=60
        ).stdout
        assert 'HYPERLINK("http://x"' in text
        assert "+Sales" in text
        assert "Northwind & Co" in text  # the '&' of the page header printed, not a code


def test_a_workbook_resaved_by_libreoffice_reads_back_unchanged(
    libreoffice: str, tmp_path: Path
) -> None:
    """A lead who opens the workbook in Calc and saves it sends back LibreOffice's own
    .xlsx: it must read back with no changes and no unread cells, its export record (the
    hidden meta sheet) kept, and the day cells still formatted as text."""
    roster = small_roster()
    book = tmp_path / "roster.xlsx"
    options = ExportOptions(day_sheets=True, generated=GENERATED)
    export_roster(roster, book, need=small_need(), options=options)
    resaved, _ = convert(libreoffice, book, "xlsx", tmp_path / "resaved")
    found = read_lead_changes(resaved, roster)
    assert found.changes == () and found.unread == ()
    assert found.notes == ()  # no "no export record" note: the meta sheet survived
    assert found.generated == GENERATED
    wb = openpyxl.load_workbook(resaved)
    assert wb[layout.META_SHEET].sheet_state == "hidden"
    cell = wb["Sales"].cell(layout.FIRST_AGENT_ROW, layout.FIRST_DATE_COLUMN)
    assert cell.value == "08:00-16:30" and cell.number_format == "@"
