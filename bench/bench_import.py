"""Import benchmark: 1,000,000 per-call rows into a 30-minute interval history.

Usage::

    python bench/bench_import.py [--rows 1000000] [--repeats 5] [--out bench/out]

The call log is generated (seeded) in the shape of a real ACD export: ten columns including
caller number, customer id and agent name, day-first dates, clock-text talk times, a few
duplicates and bad rows. Each run imports it in a fresh process so that the peak resident
memory of that process is measured (``ru_maxrss``). Side by side, in the same run, a baseline:
the bare pandas script a planner might write (``read_csv`` + ``floor`` + ``groupby``; no
encoding or delimiter detection, no cleaning, no report). Prints medians and the ratio, and
a Markdown table for ``docs/BENCHMARKS.md``.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

OURS = """
import json, resource, sys, time
t0 = time.perf_counter()
from wfm.io.importer import import_log
r = import_log(sys.argv[1], interval_minutes=30)
r.history.write_csv(sys.argv[2])
dt = time.perf_counter() - t0
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": dt, "peak_mb": rss, "offered": int(r.history.frame["offered"].sum()),
                  "findings": {f.code: f.count for f in r.report.findings}}))
"""

BASELINE = """
import json, resource, sys, time
t0 = time.perf_counter()
import pandas as pd
df = pd.read_csv(sys.argv[1], sep=";", encoding="cp1252", usecols=["Call Start", "Queue", "Result"])
t = pd.to_datetime(df["Call Start"], format="%d/%m/%Y %H:%M:%S", errors="coerce")
df = df.assign(interval_start=t.dt.floor("30min"), abandoned=df["Result"].eq("Abandoned"))
out = df.groupby(["Queue", "interval_start"]).agg(offered=("Result", "size"), abandoned=("abandoned", "sum"))
out.to_csv(sys.argv[2])
dt = time.perf_counter() - t0
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": dt, "peak_mb": rss, "offered": int(out["offered"].sum()), "findings": {}}))
"""


def make_log(path: Path, rows: int, seed: int = 7) -> None:
    """A cp1252, semicolon-separated per-call export of ``rows`` calls over ~6 months."""
    rng = np.random.default_rng(seed)
    start = np.datetime64("2026-01-01T07:00:00")
    day = rng.integers(0, 180, rows)
    sec = rng.integers(0, 13 * 3600, rows)
    t = np.sort(start + day.astype("timedelta64[D]") + sec.astype("timedelta64[s]"))
    ts = pd.Series(t).dt.strftime("%d/%m/%Y %H:%M:%S").to_numpy(dtype=object)
    queue = rng.choice(np.array(["Sales", "Support", "Billing", "Moves"], dtype=object), rows)
    aband = rng.random(rows) < 0.06
    result = np.where(aband, "Abandoned", "Answered").astype(object)
    wait = rng.exponential(40, rows).astype(int).astype(str).astype(object)
    talk_s = rng.gamma(2.0, 150, rows).astype(int)
    talk = np.char.add(np.char.add((talk_s // 60).astype(str), ":"), np.char.zfill((talk_s % 60).astype(str), 2)).astype(object)
    talk[aband] = ""
    wrap = rng.integers(5, 90, rows).astype(str).astype(object)
    wrap[aband] = ""
    caller = np.char.add("07700 9", rng.integers(10000, 99999, rows).astype(str)).astype(object)
    cust = np.char.add("C", rng.integers(100000, 999999, rows).astype(str)).astype(object)
    names = np.array(["Zoë Brontë", "José Núñez", "Ann Smith", "Siobhán O'Connor", "Raj Patel"], dtype=object)
    agent = rng.choice(names, rows)
    agent[aband] = ""
    ids = np.arange(1, rows + 1).astype(str).astype(object)
    frame = pd.DataFrame({
        "Call Start": ts, "Queue": queue, "Result": result, "Wait Time": wait, "Talk Time": talk,
        "Wrap Time": wrap, "Caller Number": caller, "Customer ID": cust, "Agent": agent, "Call ID": ids,
    })
    frame.iloc[1000:1010] = frame.iloc[500:510].to_numpy()  # ten exact duplicates
    frame.loc[2000:2004, "Call Start"] = "##########"  # five unreadable times
    frame.to_csv(path, sep=";", index=False, encoding="cp1252", lineterminator="\r\n")


def run(script: str, log: Path, out: Path) -> dict:
    proc = subprocess.run([sys.executable, "-c", script, str(log), str(out)], capture_output=True, text=True, cwd=REPO)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--out", type=Path, default=HERE / "out")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    log = args.out / f"calls_{args.rows}.csv"
    if not log.exists():
        t = time.perf_counter()
        make_log(log, args.rows)
        print(f"generated {log.name}: {log.stat().st_size / 1e6:.0f} MB in {time.perf_counter() - t:.1f} s")
    ours, base = [], []
    for i in range(args.repeats):
        ours.append(run(OURS, log, args.out / "ours.csv"))
        base.append(run(BASELINE, log, args.out / "base.csv"))
        print(f"run {i + 1}: wfm {ours[-1]['seconds']:.2f} s {ours[-1]['peak_mb']:.0f} MB | "
              f"baseline {base[-1]['seconds']:.2f} s {base[-1]['peak_mb']:.0f} MB")
    med = lambda runs, key: statistics.median(r[key] for r in runs)  # noqa: E731
    o_s, b_s = med(ours, "seconds"), med(base, "seconds")
    o_m, b_m = med(ours, "peak_mb"), med(base, "peak_mb")
    print(f"\nfindings (wfm): {ours[0]['findings']}")
    print(f"offered: wfm {ours[0]['offered']:,} / baseline {base[0]['offered']:,} "
          "(baseline keeps duplicates and counts unreadable times as nothing, silently)")
    print(f"\nMachine: {platform.processor() or platform.machine()}, Python {platform.python_version()}, "
          f"pandas {pd.__version__}; {args.rows:,} rows, {log.stat().st_size / 1e6:.0f} MB, median of {args.repeats}\n")
    print("| | median time (s) | peak memory (MB) |")
    print("|---|---:|---:|")
    print(f"| wfm import (detect, clean, report, history CSV) | {o_s:.2f} | {o_m:.0f} |")
    print(f"| baseline: bare pandas read + groupby | {b_s:.2f} | {b_m:.0f} |")
    print(f"| ratio wfm / baseline | {o_s / b_s:.2f} | {o_m / b_m:.2f} |")


if __name__ == "__main__":
    main()
