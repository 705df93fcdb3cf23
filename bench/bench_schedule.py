"""Scheduling benchmark: four weeks of the sample centre, our solver against pyworkforce.

Usage::

    python3 bench/bench_schedule.py [--time-limit 60] [--repeats 1]

The requirement is built the way a planner would: ``wfm.forecast.model.forecast`` on
``sample_data/history.csv`` with ``sample_data/events.toml`` for the 28 days from Mon
2026-11-02, then ``wfm.staffing.demand.staff`` with 80 % in 20 s and 15 % shrinkage (so
the centre's 100 agents can nearly cover it), on 30-minute intervals. Side by side, in the
same run, with the same requirement and the same shift shapes:

- ``wfm``: :func:`wfm.scheduling.solver.solve` with the default 60 s limit on every core
  (named agents, rules, contracts, preferences, breaks placed); under-coverage as a share of
  required agent-hours, paid hours against the LP bound, hard-rule violations
  (:func:`wfm.roster.rules.validate`) and wall time;
- baseline: pyworkforce 0.5.1 ``MinRequiredResources`` day by day on the total heads per
  interval, with the same (template, start, length) shapes as 0/1 coverage per interval:
  anonymous shift counts, no breaks, no agents, no rules, so it is a lower-bound-like
  reference for paid hours, not a roster.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import statistics
import time
from pathlib import Path

import numpy as np

from wfm.roster.coverage import coverage
from wfm.roster.rules import validate
from wfm.scheduling.loaders import read_agents_csv, read_shift_setup
from wfm.scheduling.lp_bound import all_shapes
from wfm.scheduling.need import StaffingNeed
from wfm.scheduling.solver import SolveOptions, solve

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"
START = dt.date(2026, 11, 2)
DAYS = 28


def requirement() -> StaffingNeed:
    from wfm.forecast.events import Calendar
    from wfm.forecast.model import forecast
    from wfm.io.history import IntervalHistory
    from wfm.staffing.demand import demand_from_forecast, staff
    from wfm.staffing.requirement import StaffingTarget

    history = IntervalHistory.read_csv(SAMPLE / "history.csv")
    calendar = Calendar.load(SAMPLE / "events.toml")
    fc = forecast(history, START, DAYS, calendar=calendar)
    target = StaffingTarget(0.8, 20, shrinkage=0.15)
    table = staff(demand_from_forecast(fc.frame), fc.interval_minutes, target)
    return StaffingNeed.from_table(
        table, fc.interval_minutes, target=target, start=START, days=DAYS
    )


def baseline(need: StaffingNeed, time_limit: float) -> tuple[float, float, float]:
    """pyworkforce MinRequiredResources day by day: (paid hours, under hours, seconds)."""
    from pyworkforce.scheduling import MinRequiredResources

    setup = read_shift_setup(SAMPLE / "shift_templates.toml")
    shapes = all_shapes(setup, need.interval_minutes)
    per_day = need.intervals_per_day
    total = np.ceil(need.total() - 1e-9).astype(int)
    paid = under = 0.0
    t0 = time.perf_counter()
    for d, day in enumerate(need.dates()):
        today = [s for s in shapes if day.weekday() in s.template.days]
        cover = {
            f"{s.template.name}_{s.start}_{s.length}": (s.span[:per_day] > 0).astype(int).tolist()
            for s in today
        }
        req = total[d]
        if req.sum() == 0:
            continue
        # intervals no shape reaches would make the model infeasible: cap them at 0
        reach = np.array(list(cover.values())).max(axis=0)
        req = np.where(reach > 0, req, 0)
        model = MinRequiredResources(
            num_days=1,
            periods=per_day,
            shifts_coverage=cover,
            required_resources=[req.tolist()],
            max_period_concurrency=int(req.max() * 3 + 10),
            max_shift_concurrency=int(req.max() + 10),
            max_search_time=time_limit,
            num_search_workers=2,
        )
        sol = model.solve()
        got = np.zeros(per_day)
        for row in sol["resources_shifts"]:
            n = row["resources"]
            s = next(x for x in today if f"{x.template.name}_{x.start}_{x.length}" == row["shift"])
            paid += n * s.paid / 60
            got += n * (s.span[:per_day] > 0)
        under += float(np.clip(need.total()[d] - got, 0, None).sum()) * need.interval_minutes / 60
    return paid, under, time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()

    agents = read_agents_csv(SAMPLE / "agents.csv")
    setup = read_shift_setup(SAMPLE / "shift_templates.toml")
    need = requirement()
    required = need.required_hours()
    print(f"{len(agents)} agents, {need.days} days, {need.interval_minutes}-min intervals")
    print(f"required on-phone agent-hours: {required:.1f}")
    runs = []
    for _ in range(args.repeats):
        result = solve(need, agents, setup, options=SolveOptions(time_limit_s=args.time_limit))
        c = coverage(result.roster, need)
        runs.append(
            (
                c.hours(c.under) / required * 100,
                result.roster.paid_hours(),
                result.lp_bound_paid_hours or float("nan"),
                len(validate(result.roster)),
                result.wall_seconds,
                result.status,
            )
        )
    under_pct = statistics.median(r[0] for r in runs)
    paid = statistics.median(r[1] for r in runs)
    lp = runs[0][2]
    violations = max(r[3] for r in runs)
    wall = statistics.median(r[4] for r in runs)
    b_paid, b_under, b_time = baseline(need, args.time_limit)
    print(f"python {platform.python_version()}, {args.repeats} run(s), status {runs[-1][5]}")
    print()
    print("| | under-coverage | paid hours | vs LP bound | violations | time (s) |")
    print("|---|---:|---:|---:|---:|---:|")
    print(
        f"| wfm `solve` (agents, rules, breaks) | {under_pct:.2f} % | {paid:.0f} | "
        f"{(paid / lp - 1) * 100:+.1f} % | {violations} | {wall:.1f} |"
    )
    print(
        f"| pyworkforce `MinRequiredResources` (anonymous, no breaks, no rules) | "
        f"{b_under / required * 100:.2f} % | {b_paid:.0f} | {(b_paid / lp - 1) * 100:+.1f} % "
        f"| n/a | {b_time:.1f} |"
    )
    print(f"| LP bound (same shapes, breaks, skills) | 0 % | {lp:.0f} | | | |")


if __name__ == "__main__":
    main()
