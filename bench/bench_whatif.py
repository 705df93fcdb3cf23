"""What-if benchmark: the five sample scenarios over four weeks of the sample centre.

Usage::

    python bench/bench_whatif.py [--repeats 5] [--baseline-repeats 3] [--roster ROSTER.csv]

The demand is the sample centre's last 28 days of history (``sample_data/history.csv``,
2 queues x 28 days x 48 half hours = 2,688 intervals), moved 28 days later (4 Oct - 31 Oct
2026 becomes 1 Nov - 28 Nov, same weekdays) so that the sample scenarios' 11 November falls
inside it. Target 80/20 with 30 % shrinkage, Erlang C. The roster kept is ``--roster`` (a
roster CSV of the sample agents, e.g. from ``wfm schedule``) or, by default, a fixed pattern
built here: each sample agent works five days a week on their team's hours.

Side by side, in the same run, with the same inputs:

- ``wfm``: :func:`wfm.scenarios.compare` of the five scenarios of
  ``sample_data/scenarios.toml`` (base + 5 requirements, the kept roster's projection);
  the same with the simulation (10 replications per queue and day); and
  :func:`wfm.scenarios.sensitivity` (6 requirements);
- baseline: the requirement of the same six demands with a Python loop over the intervals
  calling pyworkforce 0.5.1's ``ErlangC(...).required_positions`` (what a planner's script
  does today; it has no roster projection, so this is the part both can do).

It checks that the base requirement (agents on the phones) is identical, and prints the
medians and a Markdown table for ``docs/BENCHMARKS.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from pyworkforce.queuing import ErlangC

from wfm.io.history import IntervalHistory
from wfm.roster.io import read_roster_csv
from wfm.roster.roster import Roster, Shift
from wfm.scenarios import Plan, apply_scenario, compare, read_scenarios, sensitivity
from wfm.scheduling.loaders import read_agents_csv, read_shift_setup
from wfm.staffing.demand import demand_from_history, staff
from wfm.staffing.requirement import StaffingTarget

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "sample_data"
#: Team hours of the sample centre (sample_data/README.md), minutes after midnight.
TEAM_HOURS = {
    "Sales": (8 * 60, 16 * 60 + 30),
    "Support Early": (8 * 60, 16 * 60 + 30),
    "Support Day": (9 * 60 + 30, 18 * 60),
    "Support Late": (11 * 60 + 30, 20 * 60),
}


def sample_demand() -> pd.DataFrame:
    history = IntervalHistory.read_csv(SAMPLE / "history.csv")
    demand = demand_from_history(history, days=28)
    demand["interval_start"] = demand["interval_start"] + pd.Timedelta(days=28)
    return demand


def pattern_roster(start: dt.date, days: int) -> Roster:
    """Every sample agent on their team's hours five days a week (days off rotate)."""
    agents = read_agents_csv(SAMPLE / "agents.csv")
    roster = Roster(start, days, agents, read_shift_setup(SAMPLE / "shift_templates.toml"))
    for k, agent in enumerate(agents):
        begin, end = TEAM_HOURS.get(agent.team, (9 * 60, 17 * 60 + 30))
        for i in range(days):
            day = start + dt.timedelta(days=i)
            if (day.weekday() + k) % 7 < 5:
                roster.put((agent.name, day), Shift(agent.name, day, begin, end, ""))
    return roster


def median_time(fn: Callable[[], object], repeats: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def pyworkforce_agents(demand: pd.DataFrame, target: StaffingTarget) -> np.ndarray:
    calls = demand["volume"].to_numpy(dtype=float)
    aht = demand["aht_seconds"].to_numpy(dtype=float)
    out = np.zeros(calls.size, dtype=int)
    for i in np.flatnonzero(calls > 0):  # pyworkforce refuses 0 transactions
        erl = ErlangC(
            transactions=calls[i],
            aht=aht[i] / 60,
            asa=target.answer_seconds / 60,
            interval=30,
            shrinkage=target.shrinkage,
        )
        assert target.service_level is not None
        out[i] = erl.required_positions(service_level=target.service_level)["raw_positions"]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--baseline-repeats", type=int, default=3)
    parser.add_argument("--roster", type=Path, help="roster CSV of the sample agents to keep")
    args = parser.parse_args()

    demand = sample_demand()
    start = demand["interval_start"].min().date()
    if args.roster:
        roster = read_roster_csv(
            args.roster,
            read_agents_csv(SAMPLE / "agents.csv"),
            read_shift_setup(SAMPLE / "shift_templates.toml"),
        )
    else:
        roster = pattern_roster(start, 28)
    target = StaffingTarget(0.8, 20, shrinkage=0.3)
    plan = Plan(demand, 30, target, roster)
    scenarios = read_scenarios(SAMPLE / "scenarios.toml")
    plans = [plan] + [apply_scenario(plan, s) for s in scenarios]

    compare(plan, scenarios)  # warm up (imports, first allocation)
    t_cmp, table = median_time(lambda: compare(plan, scenarios), args.repeats)
    t_sim, table_sim = median_time(lambda: compare(plan, scenarios, simulate=True), 3)
    t_sens, _ = median_time(lambda: sensitivity(plan), args.repeats)
    t_req, _ = median_time(lambda: [staff(p.demand, 30, p.target) for p in plans], args.repeats)
    t_base, base_agents = median_time(
        lambda: [pyworkforce_agents(p.demand, p.target) for p in plans], args.baseline_repeats
    )
    assert isinstance(base_agents, list) and isinstance(table, pd.DataFrame)
    ours = staff(demand, 30, target)["agents"].to_numpy()
    same = bool(np.array_equal(ours, base_agents[0]))
    n_open = int((demand["volume"] > 0).sum())
    print(
        f"{len(demand)} intervals ({n_open} with calls), {len(scenarios)} scenarios, "
        f"roster of {len(roster.shifts)} shifts; identical base requirement: {same}"
    )
    print(f"python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}")
    print()
    cols = ["scenario", "required_hours", "change_pct", "fte", "service_level_kept"]
    print(table[cols].to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    assert isinstance(table_sim, pd.DataFrame)
    print("simulated SL:", ", ".join(f"{v:.3f}" for v in table_sim["simulated_sl"]))
    print()
    print("| | median (ms) | ratio |")
    print("|---|---:|---:|")
    print(f"| wfm `compare`, 5 scenarios + base, roster projection | {t_cmp * 1000:.0f} | 1 |")
    print(
        f"| wfm `compare` with simulation (10 replications) | {t_sim * 1000:.0f} | "
        f"{t_sim / t_cmp:.0f} |"
    )
    print(f"| wfm `sensitivity` (6 requirements) | {t_sens * 1000:.0f} | {t_sens / t_cmp:.1f} |")
    print(f"| wfm `staff` x 6 (requirement only) | {t_req * 1000:.0f} | {t_req / t_cmp:.2f} |")
    print(
        f"| pyworkforce 0.5.1 `ErlangC` loop x 6 (requirement only) | {t_base * 1000:.0f} | "
        f"{t_base / t_cmp:.0f} |"
    )
    print()
    print(f"requirement only: wfm {t_base / t_req:.0f}x faster than the pyworkforce loop")
    if not same:
        raise SystemExit("base requirement differs from pyworkforce")


if __name__ == "__main__":
    main()
