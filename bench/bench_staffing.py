"""Staffing benchmark: requirements for four weeks of 15-minute intervals.

Usage::

    python bench/bench_staffing.py [--repeats 7] [--baseline-repeats 3]

The demand is four weeks of 15-minute intervals (2,688 intervals) with a realistic shape:
closed at night, a morning and an afternoon peak, Mondays busiest, 0 to 600 calls per
interval, AHT 180-420 s (seeded). Side by side, in the same run, with the same inputs:

- ``wfm``: one call of :func:`wfm.staffing.required_agents` over all intervals (80/20,
  occupancy cap 85 %, shrinkage 30 %), Erlang C; and the same with Erlang A (patience 180 s);
- baseline: a Python loop over the intervals calling pyworkforce 0.5.1's
  ``ErlangC(...).required_positions`` (what a planner's script does today).

It checks that the integer requirements are identical, then prints both medians and the
ratio, and a Markdown table for ``docs/BENCHMARKS.md``.

It also times the simulation check (:func:`wfm.staffing.simulate.simulate_day`): a 24-hour
day of 48 half-hours at 500 calls each, 30 replications (720,000 calls), with and without
patience.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time
from collections.abc import Callable

import numpy as np
from pyworkforce.queuing import ErlangC

from wfm.staffing import StaffingTarget, required_agents
from wfm.staffing.simulate import simulate_day


def demand(seed: int = 2026) -> tuple[np.ndarray, np.ndarray]:
    """Calls and AHT per 15-minute interval over 28 days."""
    rng = np.random.default_rng(seed)
    slots = np.arange(28 * 96)
    day, slot = slots // 96, slots % 96
    hour = slot / 4
    shape = np.exp(-((hour - 10.5) ** 2) / 4) + 0.8 * np.exp(-((hour - 15) ** 2) / 5)
    open_ = (hour >= 7) & (hour < 22)
    weekday = day % 7
    level = np.select([weekday == 0, weekday >= 5], [1.25, 0.45], 1.0)
    rate = 560 * shape / shape.max() * level * rng.uniform(0.9, 1.1, slots.size)
    calls = np.where(open_, rng.poisson(rate), 0).astype(float)
    calls = np.minimum(calls, 600)
    aht = rng.uniform(180, 420, slots.size)
    return calls, aht


def median_time(fn: Callable[[], object], repeats: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--baseline-repeats", type=int, default=3)
    args = parser.parse_args()

    calls, aht = demand()
    target = StaffingTarget(0.8, 20, max_occupancy=0.85, shrinkage=0.3)
    target_a = target.with_changes(model="erlang_a", patience_seconds=180)

    def ours() -> np.ndarray:
        return required_agents(calls, aht, 900, target).agents

    def ours_a() -> np.ndarray:
        return required_agents(calls, aht, 900, target_a).agents

    def baseline() -> np.ndarray:
        out = np.zeros(calls.size, dtype=int)
        for i in np.flatnonzero(calls > 0):  # pyworkforce refuses 0 transactions
            erl = ErlangC(
                transactions=calls[i], aht=aht[i] / 60, asa=20 / 60, interval=15, shrinkage=0.3
            )
            out[i] = erl.required_positions(service_level=0.8, max_occupancy=0.85)["raw_positions"]
        return out

    ours()  # warm up (imports, first allocation)
    t_ours, net = median_time(ours, args.repeats)
    t_a, net_a = median_time(ours_a, args.repeats)
    t_base, net_base = median_time(baseline, args.baseline_repeats)
    same = bool(np.array_equal(net, net_base))
    assert isinstance(net_a, np.ndarray) and isinstance(net, np.ndarray)
    print(
        f"{calls.size} intervals, {int((calls > 0).sum())} with calls, max {calls.max():.0f} calls"
    )
    print(
        f"identical requirements: {same}; Erlang A needs {int(net.sum() - net_a.sum())} fewer agent-intervals"
    )
    print(f"python {platform.python_version()}, numpy {np.__version__}")
    print()
    print("| | median (ms) | ratio |")
    print("|---|---:|---:|")
    print(f"| wfm `required_agents`, Erlang C | {t_ours * 1000:.1f} | 1 |")
    print(
        f"| wfm `required_agents`, Erlang A (patience 180 s) | {t_a * 1000:.1f} | {t_a / t_ours:.1f} |"
    )
    print(
        f"| pyworkforce 0.5.1 `ErlangC.required_positions` loop | {t_base * 1000:.0f} | {t_base / t_ours:.0f} |"
    )
    calls_day, agents_day = np.full(48, 500.0), np.full(48, 56)  # 50 Erlangs at AHT 180 s
    t_sim, _ = median_time(lambda: simulate_day(calls_day, 180.0, agents_day, replications=30), 3)
    t_sim_a, _ = median_time(
        lambda: simulate_day(calls_day, 180.0, agents_day, replications=30, patience_seconds=300.0), 3
    )
    print(f"| simulation, 48 x 500 calls x 30 replications (Erlang C case) | {t_sim * 1000:.0f} | |")
    print(f"| simulation, same with patience 300 s (Erlang A case) | {t_sim_a * 1000:.0f} | |")
    print()
    print(f"speed-up over pyworkforce: {t_base / t_ours:.0f}x (target 50x); identical: {same}")
    if not same:
        raise SystemExit("requirements differ from pyworkforce")


if __name__ == "__main__":
    main()
