"""Excel export benchmark: the team-lead workbook of 150 agents x 28 days, with day sheets.

Usage::

    python3 bench/bench_export.py [--repeats 5]

The roster: the sample centre's 100 agents (``sample_data/agents.csv``) and a renamed copy
of every other one (``Françoise Leclerc 2``), 150 agents in the sample's teams, on the
sample's shift templates, for the 28 days from Mon 2026-11-02. It is built by a quick
rule-keeping construction, not a solve: each agent works five days a week (their
unavailable weekdays off first), on the first template they may use that runs that weekday,
at a start spread over its window, with the template's breaks. The requirement: Sales and
Support on 30-minute intervals, 08:00-20:00 with a midday peak, with volume and AHT so the
workbook's summary and Coverage sheet project the service level.

What is timed, wall clock, median (and max) of ``--repeats`` runs each, written to a
temporary folder:

- ``wfm, day sheets``: :func:`wfm.export.workbook.export_roster` with the requirement and
  ``day_sheets=True``: Summary, one sheet per team, Coverage with its chart, 28 day sheets
  (agents x quarter hours), styled, typed, with print settings, saved atomically;
- ``wfm, no day sheets``: the same without day sheets;
- baseline ``pandas to_excel, team grids``: ``DataFrame.to_excel`` (openpyxl engine) of the
  same team grids (agents x dates of shift texts, plus the weekly hours), unstyled;
- ``wfm read_lead_changes``: reading the workbook with day sheets back as a team lead's
  edits (none: the check fails loudly otherwise), against ``pandas.read_excel`` of every
  sheet;
- baseline ``pandas to_excel, team + day grids``: the same plus the 28 day grids (agents x
  quarter hours, ``B``/``L`` for breaks), unstyled: the same cells without any of the
  workbook's looks.

The issue's target: 150 agents x 28 days with day sheets in 3 s or less.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

import pandas as pd
from synthetic import two_queue_need  # bench/synthetic.py

from wfm.export import layout
from wfm.export.changes import read_lead_changes
from wfm.export.workbook import ExportOptions, export_roster
from wfm.roster.commands import template_breaks
from wfm.roster.roster import Roster, Shift
from wfm.scheduling.loaders import read_agents_csv, read_shift_setup
from wfm.scheduling.model import Agent
from wfm.scheduling.need import StaffingNeed

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"
START = dt.date(2026, 11, 2)
DAYS = 28
AGENTS = 150


def centre() -> tuple[Roster, StaffingNeed]:
    """The scaled sample centre's roster and requirement (see the module docs)."""
    base = read_agents_csv(SAMPLE / "agents.csv")
    setup = read_shift_setup(SAMPLE / "shift_templates.toml")
    copies = [dataclasses.replace(a, name=f"{a.name} 2") for a in base[::2]]
    agents: tuple[Agent, ...] = (tuple(base) + tuple(copies))[:AGENTS]
    roster = Roster(START, DAYS, agents, setup)
    for i, agent in enumerate(agents):
        offs = list(agent.unavailable_days) + [
            d for d in (5, 6, 2, 3) if d not in agent.unavailable_days
        ]
        days_off = set(offs[:2])
        for d in range(DAYS):
            day = START + dt.timedelta(days=d)
            if day.weekday() in days_off:
                continue
            usable = [t for t in setup.templates if day.weekday() in t.days and agent.may_use(t)]
            usable.sort(key=lambda t: not agent.prefers(t.name))
            if not usable:
                continue
            template = usable[0]
            starts = template.starts()
            start = starts[(i + d) % len(starts)]
            end = start + max(template.lengths_minutes)
            roster.shifts[(agent.name, day)] = Shift(
                agent.name, day, start, end, template.name, template_breaks(template, start, end)
            )
    return roster, two_queue_need(START, DAYS)


def grids(roster: Roster, day_sheets: bool) -> dict[str, pd.DataFrame]:
    """The team grids (and day grids) as plain frames, for the baseline."""
    from wfm.roster.hours import weekly_hours

    out: dict[str, pd.DataFrame] = {}
    dates = roster.dates()
    hours = weekly_hours(roster)
    for team in sorted({a.team for a in roster.agents}):
        members = sorted((a for a in roster.agents if a.team == team), key=lambda a: a.name)
        frame = pd.DataFrame(
            [[layout.cell_text(roster, a, d) for d in dates] for a in members],
            index=pd.Index([a.name for a in members], name="Agent"),
            columns=[d.isoformat() for d in dates],
        )
        week = hours.loc[[a.name for a in members]]
        week.columns = [f"Week from {c}" for c in week.columns]
        out[team or "No team"] = pd.concat([frame, week], axis=1)
    if day_sheets:
        for d in dates:
            shifts = sorted(
                (s for s in roster.shifts.values() if s.day == d), key=lambda s: s.start
            )
            lo = min((s.start for s in shifts), default=480) // 15 * 15
            hi = max((s.end for s in shifts), default=1080)
            quarters = list(range(lo, hi, 15))
            rows = []
            for s in shifts:
                row = []
                for q in quarters:
                    if not s.start <= q < s.end:
                        row.append("")
                        continue
                    b = next((b for b in s.breaks if b.start <= q < b.end), None)
                    row.append("" if b is None else ("L" if b.kind == "lunch" else "B"))
                rows.append([s.agent, s.label(), *row])
            columns = ["Agent", "Shift"] + [f"{q // 60:02d}:{q % 60:02d}" for q in quarters]
            out[f"{d:%a %d %b}"] = pd.DataFrame(rows, columns=columns)
    return out


def to_excel(frames: dict[str, pd.DataFrame], path: Path) -> None:
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, frame in frames.items():
            frame.to_excel(writer, sheet_name=name[:31])


def timed(run: object, repeats: int) -> list[float]:
    out = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        run()  # type: ignore[operator]
        out.append(time.perf_counter() - t0)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    roster, need = centre()
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "roster.xlsx"
        with_days = ExportOptions(day_sheets=True, centre="Northwind Energy")
        no_days = ExportOptions(centre="Northwind Energy")
        results = []
        summary = export_roster(roster, target, need=need, options=with_days)  # warm-up
        size_days = target.stat().st_size
        results.append(
            (
                "wfm export_roster, day sheets",
                len(summary.sheets),
                size_days,
                timed(
                    lambda: export_roster(roster, target, need=need, options=with_days),
                    args.repeats,
                ),
            )
        )
        short = export_roster(roster, target, need=need, options=no_days)
        results.append(
            (
                "wfm export_roster, no day sheets",
                len(short.sheets),
                target.stat().st_size,
                timed(
                    lambda: export_roster(roster, target, need=need, options=no_days),
                    args.repeats,
                ),
            )
        )
        # reading a team lead's workbook back (the one with day sheets, unedited)
        export_roster(roster, target, need=need, options=with_days)
        changes = read_lead_changes(target, roster)
        if changes.changes or changes.unread:
            raise SystemExit("an unedited workbook read back with changes: a bug")
        reads = [
            (
                "wfm read_lead_changes (workbook with day sheets)",
                timed(lambda: read_lead_changes(target, roster), args.repeats),
            ),
            (
                "pandas read_excel, every sheet (baseline)",
                timed(lambda: pd.read_excel(target, sheet_name=None), args.repeats),
            ),
        ]
        for label, day_sheets in (
            ("pandas to_excel, team grids (unstyled)", False),
            ("pandas to_excel, team + day grids (unstyled)", True),
        ):
            frames = grids(roster, day_sheets)
            base = Path(folder) / "base.xlsx"
            to_excel(frames, base)
            results.append(
                (
                    label,
                    len(frames),
                    base.stat().st_size,
                    timed(lambda f=frames, b=base: to_excel(f, b), args.repeats),
                )  # type: ignore[misc]
            )

    print(
        f"{summary.agents} agents x {DAYS} days, {summary.shifts:,} shifts; "
        f"Python {platform.python_version()}, {os.cpu_count()} cores, {args.repeats} repeats"
    )
    print("| export | sheets | file (kB) | median (s) | max (s) |")
    print("|---|---:|---:|---:|---:|")
    for label, sheets, size, times in results:
        print(
            f"| {label} | {sheets} | {size / 1024:,.0f} | {statistics.median(times):.2f} "
            f"| {max(times):.2f} |"
        )
    print()
    print("| read back | median (s) | max (s) |")
    print("|---|---:|---:|")
    for label, times in reads:
        print(f"| {label} | {statistics.median(times):.2f} | {max(times):.2f} |")


if __name__ == "__main__":
    main()
