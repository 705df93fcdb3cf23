"""Project file benchmark: save and open a .wfmp plan, against writing the history as CSV.

Usage::

    python bench/bench_project.py [--repeats 7] [--out bench/out]

Two plans:

- the sample centre, ``sample_data/sample-centre.wfmp`` (2 queues x 2 years x 30 minutes =
  70,080 history rows, 100 agents, templates, calendar, target, scenarios);
- a large history: 4 queues x 2 years (730 days) x 15 minutes = 280,320 rows (seeded), alone
  in a plan.

For each: a save to a new file (written beside and renamed), a save over the existing plan (in
place, one transaction with the rollback journal, ``synchronous=FULL``), and an open (with
``PRAGMA quick_check``). The baseline, side by side: the same history written with
:meth:`IntervalHistory.write_csv` and read with :meth:`IntervalHistory.read_csv` (the canonical
CSV every command reads). Prints medians of ``--repeats`` runs, the file sizes and a Markdown
table for ``docs/BENCHMARKS.md``.
"""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from wfm.io.history import IntervalHistory  # noqa: E402
from wfm.io.project import Project, open_project, save_project  # noqa: E402


def large_history(seed: int = 11) -> IntervalHistory:
    rng = np.random.default_rng(seed)
    starts = pd.date_range("2024-11-01", periods=730 * 96, freq="15min")
    minute = (starts.hour * 60 + starts.minute).to_numpy()
    open_ = (minute >= 480) & (minute < 1200)
    parts = []
    for q, level in (("Billing", 6.0), ("Moves", 3.0), ("Sales", 9.0), ("Support", 14.0)):
        offered = np.where(open_, rng.poisson(level, len(starts)), 0).astype(float)
        abandoned = np.minimum(offered, rng.poisson(0.3, len(starts))).astype(float)
        handled = offered - abandoned
        aht = np.where(handled > 0, rng.normal(380, 40, len(starts)).round(1), np.nan)
        parts.append(
            pd.DataFrame(
                {
                    "queue": q,
                    "interval_start": starts,
                    "offered": offered,
                    "handled": handled,
                    "abandoned": abandoned,
                    "aht_seconds": aht,
                }
            )
        )
    frame = pd.concat(parts, ignore_index=True)
    frame["queue"] = frame["queue"].astype("str")
    return IntervalHistory(frame, 15)


def median_seconds(
    fn: Callable[[], object], repeats: int, before: Callable[[], object] | None = None
) -> float:
    times = []
    for _ in range(repeats):
        if before is not None:
            before()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def measure(name: str, project: Project, out: Path, repeats: int) -> list[tuple[str, float, int]]:
    plan = out / f"bench-{name}.wfmp"
    csv = out / f"bench-{name}.csv"
    history = project.history
    assert history is not None

    def remove() -> None:
        plan.unlink(missing_ok=True)

    new = median_seconds(lambda: save_project(project, plan), repeats, remove)
    in_place = median_seconds(lambda: save_project(project, plan), repeats)
    opened = median_seconds(lambda: open_project(plan), repeats)
    with sqlite3.connect(plan) as conn:
        t0 = time.perf_counter()
        conn.execute("PRAGMA quick_check").fetchall()
        check = time.perf_counter() - t0
    conn.close()
    write_csv = median_seconds(lambda: history.write_csv(csv), repeats)
    read_csv = median_seconds(lambda: IntervalHistory.read_csv(csv), repeats)
    rows = [
        (f"{name}: save to a new .wfmp", new, plan.stat().st_size),
        (f"{name}: save over the .wfmp (in place)", in_place, plan.stat().st_size),
        (
            f"{name}: open the .wfmp (quick_check {check * 1000:.0f} ms of it)",
            opened,
            plan.stat().st_size,
        ),
        (f"{name}: baseline write_csv of the history", write_csv, csv.stat().st_size),
        (f"{name}: baseline read_csv of the history", read_csv, csv.stat().st_size),
    ]
    plan.unlink()
    csv.unlink()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--out", type=Path, default=HERE / "out")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    sample = open_project(REPO / "sample_data" / "sample-centre.wfmp")
    large = Project(name="large", history=large_history())
    assert sample.history is not None and large.history is not None
    results = measure(f"sample ({len(sample.history):,} rows)", sample, args.out, args.repeats)
    results += measure(f"large ({len(large.history):,} rows)", large, args.out, args.repeats)
    print(f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
          f"{os.cpu_count()} cores, median of {args.repeats}")  # fmt: skip
    print("| step | median (ms) | file (MB) |")
    print("|---|---:|---:|")
    for label, seconds, size in results:
        print(f"| {label} | {seconds * 1000:.0f} | {size / 1e6:.1f} |")


if __name__ == "__main__":
    main()
