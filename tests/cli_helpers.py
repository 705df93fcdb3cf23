"""Shared by the ``wfm`` command-line tests: run the command in this process and capture what
it printed, and write the small agents and shift-template files the commands read."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest

from wfm.cli import main

#: One "Day" template (starts 08:00-10:00 on the hour, 8.5 h with a 30-minute lunch) and an
#: 11-hour rest rule: enough for a small solve.
DAY_TEMPLATE = """
[[template]]
name = "Day"
days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
start_earliest = "08:00"
start_latest = "10:00"
start_step_minutes = 60
lengths_hours = [8.5]
[[template.break]]
kind = "lunch"
minutes = 30
earliest_after_start_minutes = 180
latest_after_start_minutes = 300

[rules]
min_rest_hours = 11
"""
AGENTS_HEADER = "name,team,skills,min_weekly_hours,max_weekly_hours"


@dataclass(frozen=True)
class Result:
    """What one ``wfm`` run gave: its exit code and what it printed."""

    code: int
    out: str
    err: str

    def one_line_error(self) -> str:
        """The error of a run refused on bad input: exit 2 and one line ``wfm: ...``."""
        assert self.code == 2, (self.code, self.err)
        assert self.err.count("\n") == 1 and self.err.startswith("wfm: "), self.err
        return self.err


def run_wfm(args: Iterable[object], capsys: pytest.CaptureFixture[str]) -> Result:
    """Run ``wfm ARGS`` (each turned into text) and capture its output (what was printed
    before is dropped first). An argument the parser refuses exits as the ``wfm`` program
    would (its ``SystemExit`` code)."""
    capsys.readouterr()
    try:
        code = main([str(a) for a in args])
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    captured = capsys.readouterr()
    return Result(code, captured.out, captured.err)


def write_agents(path: Path, rows: Iterable[str], header: str = AGENTS_HEADER) -> Path:
    """An agents CSV: ``header`` and one line per row (e.g. ``"Ana Silva,Sales,Sales,0,40"``)."""
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def write_shifts(path: Path, text: str = DAY_TEMPLATE) -> Path:
    """A shift-template file (default :data:`DAY_TEMPLATE`)."""
    path.write_text(text, encoding="utf-8")
    return path
