"""Forecast benchmark: accuracy on the real Weinberg bank data, and fitting speed.

Usage::

    python bench/bench_forecast.py [--origins 5] [--horizon-days 14] [--repeats 3]

1. **Accuracy** (issue 4/5): ``../shared/data/real/bank_calls_weinberg_5min.csv`` imported
   with the shipped profile and aggregated to 30 minutes, rolling-origin backtest (origins
   spaced by the horizon, ending with the history) of the model and both baselines, with the
   US holiday calendar (a North American bank). Prints the pooled and per-origin interval and
   daily WAPE, the noise floor, and checks the targets: interval WAPE at least 10 % lower than
   the better baseline, and no origin where the model is worse than both baselines by more
   than 5 %. The same backtest on the bundled sample centre (GB calendar and its events).
2. **Speed** (issue 5): a synthetic two-year, 15-minute history (seeded: weekday pattern,
   yearly season, trend, Poisson counts, AHT), forecast 8 weeks ahead with ``method="prophet"``
   in a fresh process (so Python, pandas and the worker's prophet import are included), for
   one queue, and for four queues in parallel worker processes. Target: one queue in 15 s
   or less. Median of ``--repeats`` runs.

Prints a Markdown table for ``docs/BENCHMARKS.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

REAL = REPO.parent / "shared" / "data" / "real" / "bank_calls_weinberg_5min.csv"

# A script file with a __main__ guard, as a planner's automation would be (code without a file,
# such as ``python -c``, is fitted in-process by default).
SPEED = """
import sys, time, datetime as dt
t0 = time.perf_counter()
from wfm.io.history import IntervalHistory
from wfm.forecast import forecast
if __name__ == "__main__":
    h = IntervalHistory.read_csv(sys.argv[1])
    t1 = time.perf_counter()
    f = forecast(h, dt.date.fromisoformat(sys.argv[2]), 56, method="prophet")
    t2 = time.perf_counter()
    print(f"{t2 - t0:.3f} {t2 - t1:.3f} {len(f.frame)}")
"""


def synthetic_history(path: Path, queues: int, seed: int = 2026) -> dt.date:
    """Two years of 15-minute history for ``queues`` queues; returns the day after it."""
    from wfm.io.history import IntervalHistory

    rng = np.random.default_rng(seed)
    first, days, slots = dt.date(2024, 11, 4), 728, 96
    dates = pd.date_range(first, periods=days, freq="D")
    wd = dates.day_of_week.to_numpy()
    t = np.arange(days)
    frames = []
    for q in range(queues):
        level = 1500.0 * (1 + 0.3 * q)
        weekday = np.array([1.25, 1.05, 1.0, 0.97, 0.9, 0.4, 0.0])[wd]
        season = 1 + 0.1 * np.cos(2 * np.pi * (dates.day_of_year.to_numpy() - 20) / 365.25)
        daily = level * weekday * season * 1.06 ** (t / 365.25) * rng.gamma(156.25, 1 / 156.25, days)
        s = np.arange(slots)
        shape = np.exp(-0.5 * ((s - 42) / 10) ** 2) + 0.6 * np.exp(-0.5 * ((s - 60) / 8) ** 2)
        shape[(s < 32) | (s >= 80)] = 0.0
        shape /= shape.sum()
        counts = rng.poisson(daily[:, None] * shape[None, :]).astype(float)
        aht = np.where(counts > 0, 400 + 30 * np.sin(s / 15)[None, :] + rng.normal(0, 20, counts.shape), np.nan)
        starts = (dates.values[:, None] + (s * 15).astype("timedelta64[m]")[None, :]).ravel()
        frames.append(
            pd.DataFrame(
                {
                    "queue": f"Q{q + 1}",
                    "interval_start": starts.astype("datetime64[s]"),
                    "offered": counts.ravel(),
                    "handled": counts.ravel(),
                    "abandoned": 0.0,
                    "aht_seconds": aht.ravel(),
                }
            )
        )
    IntervalHistory(pd.concat(frames, ignore_index=True), 15).write_csv(path)
    return first + dt.timedelta(days=days)


def speed(queues: int, repeats: int) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"history_{queues}.csv"
        start = synthetic_history(path, queues)
        script = Path(tmp) / "speed.py"
        script.write_text(SPEED, encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        totals, fits = [], []
        for _ in range(repeats):
            out = subprocess.run(
                [sys.executable, str(script), str(path), start.isoformat()],
                capture_output=True, text=True, cwd=REPO, check=True, env=env,
            )
            total, fit, rows = out.stdout.split()
            assert int(rows) == queues * 56 * 96
            totals.append(float(total))
            fits.append(float(fit))
    return statistics.median(totals), statistics.median(fits)


def accuracy(history: object, calendar: object, origins: int, horizon: int, title: str) -> list[str]:
    from wfm.forecast import backtest

    t0 = time.perf_counter()
    r = backtest(history, calendar=calendar, origins=origins, horizon_days=horizon)  # type: ignore[arg-type]
    seconds = time.perf_counter() - t0
    s = r.summary().set_index("method")
    f = r.frame[r.frame["queue"] == "all"]
    inter = f[f["level"] == "interval"].pivot(index="origin", columns="method", values="wape")
    daily = f[f["level"] == "daily"].pivot(index="origin", columns="method", values="wape")
    best = s.loc[["last-week", "mean-4-weeks"], "interval_wape"].min()
    gain = 1 - s.loc["prophet", "interval_wape"] / best
    worse_both = (inter["prophet"] / inter[["last-week", "mean-4-weeks"]].max(axis=1) - 1).max()
    lines = [
        f"### {title}",
        "",
        f"{len(r.origins)} origins x {horizon} days, backtest time {seconds:.1f} s; noise floor "
        f"(interval WAPE of a perfect Poisson rate) **{r.noise_floor:.2%}**; recommended: {r.recommended}.",
        "",
        "| method | interval WAPE | interval MAPE | daily WAPE | daily MAPE | P10-P90 coverage | origins won |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for m, row in s.iterrows():
        lines.append(
            f"| {m} | {row.interval_wape:.2%} | {row.interval_mape:.2%} | {row.daily_wape:.2%} | "
            f"{row.daily_mape:.2%} | {row.interval_coverage:.1%} | {row.origins_won} |"
        )
    lines += [
        "",
        f"Model vs the better baseline: interval WAPE **{gain:.1%} lower** (target >= 10 %); worst "
        f"origin against the worse of the two baselines: {worse_both:+.1%} (target <= +5 %).",
        "",
        "| origin | prophet (interval / daily) | last-week | mean-4-weeks | noise floor |",
        "|---|---:|---:|---:|---:|",
    ]
    for o in inter.index:
        lines.append(
            f"| {o} | {inter.loc[o, 'prophet']:.2%} / {daily.loc[o, 'prophet']:.2%} | "
            f"{inter.loc[o, 'last-week']:.2%} / {daily.loc[o, 'last-week']:.2%} | "
            f"{inter.loc[o, 'mean-4-weeks']:.2%} / {daily.loc[o, 'mean-4-weeks']:.2%} | "
            f"{inter.loc[o, 'noise-floor']:.2%} |"
        )
    return lines + [""]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--origins", type=int, default=5)
    parser.add_argument("--horizon-days", type=int, default=14)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)

    from wfm.forecast import Calendar
    from wfm.io.history import IntervalHistory
    from wfm.io.importer import import_log
    from wfm.io.profile import ImportProfile, bundled_profiles

    out: list[str] = []
    if REAL.exists():
        profile = ImportProfile.load(bundled_profiles()["bank_calls_weinberg_5min"])
        weinberg = import_log(REAL, profile, interval_minutes=30).history
        out += accuracy(weinberg, Calendar("US"), args.origins, args.horizon_days,
                        "Weinberg bank, 30-minute intervals, US holidays")
        out += accuracy(weinberg, Calendar(), args.origins, args.horizon_days,
                        "Weinberg bank, 30-minute intervals, no holiday calendar")
    else:
        out.append(f"(skipped the real-data backtest: {REAL} not found)")
    sample = IntervalHistory.read_csv(REPO / "sample_data" / "history.csv")
    out += accuracy(sample, Calendar.load(REPO / "sample_data" / "events.toml"), args.origins,
                    args.horizon_days, "Sample centre (2 queues, GB calendar and its events)")

    out += [
        "### Speed: two years of 15-minute history, 8 weeks ahead (`method=\"prophet\"`)",
        "",
        f"Fresh process each run, median of {args.repeats}; 'fit + forecast' excludes reading the CSV.",
        "",
        "| queues | total (s) | fit + forecast (s) |",
        "|---:|---:|---:|",
    ]
    from wfm.forecast.runner import default_processes

    for queues in (1, 4):
        total, fit = speed(queues, args.repeats)
        workers = default_processes(queues)
        label = f"{queues} ({workers} worker process{'es' if workers > 1 else ''})"
        out.append(f"| {label} | {total:.2f} | {fit:.2f} |")
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
