"""Roster editing benchmark: edit-to-refresh latency of the Schedule page on 150 agents x 28
days (offscreen).

Usage::

    python bench/bench_roster_edit.py [--repeats 30]

The roster: 150 agents in 3 teams on two queues, 28 days from a Monday, each working five
8.5-hour shifts a week (about 3,000 shifts). The need: 30-minute intervals, both queues open
08:00-20:00 with a midday peak, with volume and AHT so the quality report projects the
service level. The page is shown offscreen at 1440 x 900.

What is timed, wall clock, median of ``--repeats`` runs each:

- ``type a shift``: ``setData`` on a cell (a command pushed on the undo stack, the editor's
  re-validation of that agent, ``dataChanged`` for the row) up to the summary strip having
  been recomputed (coverage, quality report with the projected service level, team hours),
  i.e. the time until everything on screen is current. It includes the summary's coalescing
  delay (``SUMMARY_DELAY_MS``);
- ``paste 10 x 7``: a 70-cell tab-separated block pasted as one undo step, to the same point;
- ``undo``: one undo of the paste, to the same point;
- ``summary only``: :meth:`SchedulePage.refresh_summary` by itself (the report).

The issue's target: coverage and projected SL updated within 200 ms of an edit.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402
from synthetic import two_queue_need  # noqa: E402  (bench/synthetic.py)

from wfm.roster.commands import template_breaks  # noqa: E402
from wfm.roster.roster import Roster, Shift  # noqa: E402
from wfm.scheduling.model import Agent, BreakRule, ShiftSetup, ShiftTemplate  # noqa: E402
from wfm.scheduling.need import StaffingNeed  # noqa: E402

START = dt.date(2026, 11, 2)
DAYS = 28
AGENTS = 150


def inputs() -> tuple[Roster, StaffingNeed]:
    breaks = (
        BreakRule("short", 15, 90, 150),
        BreakRule("lunch", 30, 180, 300),
        BreakRule("short", 15, 360, 420),
    )
    templates = (
        ShiftTemplate("Early", (0, 1, 2, 3, 4, 5, 6), 7 * 60, 9 * 60, 30, (510,), breaks),
        ShiftTemplate("Late", (0, 1, 2, 3, 4, 5, 6), 10 * 60, 12 * 60, 30, (510,), breaks),
    )
    setup = ShiftSetup(templates)
    agents = tuple(
        Agent(
            f"Agent {i:03d}",
            team=("North", "South", "West")[i % 3],
            skills=("Sales",) if i % 4 == 0 else ("Sales", "Support"),
            min_weekly_hours=0,
            max_weekly_hours=40,
        )
        for i in range(AGENTS)
    )
    roster = Roster(START, DAYS, agents, setup)
    for i, agent in enumerate(agents):
        template = templates[i % 2]
        start = template.start_earliest + 30 * (i % 5)
        for d in range(DAYS):
            if (d + i) % 7 in (5, 6):
                continue  # two days off a week, spread over the week
            day = START + dt.timedelta(days=d)
            end = start + 510
            roster.shifts[(agent.name, day)] = Shift(
                agent.name, day, start, end, template.name, template_breaks(template, start, end)
            )
    return roster, two_queue_need(START, DAYS)


def wait_for_summary(app: QApplication, page: object) -> None:
    done = []
    page.summaryUpdated.connect(lambda: done.append(1))  # type: ignore[attr-defined]
    while not done:
        app.processEvents()
    page.summaryUpdated.disconnect()  # type: ignore[attr-defined]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()

    app = QApplication([])
    from ui.roster_page import SchedulePage

    roster, need = inputs()
    page = SchedulePage(load_sample=False)
    page.resize(1440, 900)
    page.show()
    page.need = need
    page.set_roster(roster)
    app.processEvents()
    model = page.model
    print(f"{len(roster.shifts):,} shifts, {AGENTS} agents x {DAYS} days")

    typed, pasted, undone, summary = [], [], [], []
    for k in range(args.repeats):
        row, col = (7 * k) % AGENTS, (3 * k) % DAYS
        text = "09:00-17:30" if model.data(model.index(row, col)) != "09:00-17:30" else "off"
        t0 = time.perf_counter()
        model.setData(model.index(row, col), text)
        wait_for_summary(app, page)
        typed.append(time.perf_counter() - t0)

        block = "\n".join("\t".join(["08:00-16:30"] * 7) for _ in range(10))
        page.grid.setCurrentIndex(model.index((11 * k) % (AGENTS - 10), 7))
        page.grid.selectionModel().clearSelection()
        t0 = time.perf_counter()
        page.paste(block)
        wait_for_summary(app, page)
        pasted.append(time.perf_counter() - t0)

        t0 = time.perf_counter()
        page.undo_stack.undo()
        wait_for_summary(app, page)
        undone.append(time.perf_counter() - t0)

        t0 = time.perf_counter()
        page.editor._report = None  # noqa: SLF001 - time the report itself, not its cache
        page.refresh_summary()
        summary.append(time.perf_counter() - t0)

    print(f"Python {platform.python_version()}, {os.cpu_count()} cores, {args.repeats} repeats")
    print("| edit | median (ms) | max (ms) |")
    print("|---|---:|---:|")
    for name, values in (
        ("type a shift, to summary refreshed", typed),
        ("paste 10 x 7 cells (one undo step), to summary refreshed", pasted),
        ("undo the paste, to summary refreshed", undone),
        ("summary only (coverage + quality report + team hours)", summary),
    ):
        ms = [v * 1000 for v in values]
        print(f"| {name} | {statistics.median(ms):.0f} | {max(ms):.0f} |")


if __name__ == "__main__":
    main()
