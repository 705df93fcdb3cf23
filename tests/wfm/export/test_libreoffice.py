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

import pytest

from tests.wfm.export.conftest import small_need, small_roster
from wfm.export.workbook import ExportOptions, export_roster
from wfm.roster.roster import Roster
from wfm.scheduling.model import Agent

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


def test_the_export_opens_in_libreoffice_without_repair(libreoffice: str, tmp_path: Path) -> None:
    base = small_roster(days=7)
    # a formula-like name and team must stay text in Calc as in Excel
    evil = '=HYPERLINK("http://x","y")'
    agents = tuple(
        Agent(evil, "+Sales", ("Sales",)) if a.name == "Ana Silva" else a for a in base.agents
    )
    roster = Roster(base.start, base.days, agents, base.setup)
    for (name, d), s in base.shifts.items():
        name = evil if name == "Ana Silva" else name
        roster.put((name, d), s.__class__(name, d, s.start, s.end, s.template, s.breaks))
    roster.leave.update(base.leave)
    book = tmp_path / "roster.xlsx"
    options = ExportOptions(day_sheets=True, centre="Northwind & Co")
    export_roster(roster, book, need=small_need(days=7), options=options)
    out_dir = tmp_path / "pdf"
    profile = (tmp_path / "lo-profile").as_uri()
    result = subprocess.run(
        [
            libreoffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out_dir),
            str(book),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    said = (result.stdout + result.stderr).lower()
    pdf = out_dir / "roster.pdf"
    assert result.returncode == 0, said
    assert pdf.is_file() and pdf.stat().st_size > 0, said
    assert pdf_pages(pdf) > 0
    for word in ("repair", "error", "corrupt", "damaged"):
        assert word not in said, said
    # the PDF's text shows the name as text, not a link or an evaluated formula
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, timeout=60
        ).stdout
        assert 'HYPERLINK("http://x"' in text
        assert "+Sales" in text
