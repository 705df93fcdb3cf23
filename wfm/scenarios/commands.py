"""``wfm whatif``: what-if scenarios side by side, as a CSV.

Reads the demand (a forecast CSV as ``wfm forecast`` writes it, or an interval history, of
which the last 28 days are taken, as the Staffing page does), the base targets (the options
of ``wfm staff``), optionally the current roster, and a scenarios TOML file
(:mod:`wfm.scenarios.model`); writes one row per scenario, the base first
(:data:`wfm.scenarios.evaluate.COMPARISON_COLUMNS`), and prints a short table to stderr. Bad
input raises :class:`~wfm.errors.WfmError`, which the command line turns into exit 2 and one
line.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path
from typing import Any

EXIT_OK = 0
#: Days of a history taken as the demand (the Staffing page's choice).
HISTORY_DAYS = 28


def register(sub: Any) -> None:
    """Add ``whatif`` to the ``wfm`` parser's subcommands."""
    from wfm.staffing.commands import target_options

    p = sub.add_parser(
        "whatif",
        help="what-if scenarios: requirement, FTE, cost and the kept roster's service",
        description="Read the demand (a forecast CSV queue,interval_start,volume,aht_seconds, "
        f"or an interval history CSV, of which the last {HISTORY_DAYS} days are used), the "
        "targets, optionally the current roster, and a scenarios TOML file, and write the "
        "comparison: one row per scenario, the base first, with the columns "
        "scenario,changes,calls,aht_seconds,required_hours,change_hours,change_pct,fte,"
        "fte_change,cost,cost_change,service_level_kept,abandon_kept,simulated_sl,"
        "simulated_sl_low,simulated_sl_high (shares for service levels, percent for "
        "change_pct). Without a target option the service level target is 80 %%.",
    )
    p.add_argument(
        "demand",
        type=Path,
        nargs="?",
        help="forecast CSV or interval history CSV (default with --project: the plan's demand)",
    )
    p.add_argument(
        "--project",
        type=Path,
        metavar="P.wfmp",
        help="compare this plan's scenarios on its base plan: the demand (forecast, overrides, "
        "promoted scenarios), the target and the roster kept; files and options given here "
        "replace the plan's (the plan is not changed)",
    )
    p.add_argument(
        "--scenarios",
        type=Path,
        help="scenarios TOML file (default with --project: the plan's scenarios)",
    )
    p.add_argument("-o", "--output", type=Path, required=True, help="comparison CSV to write")
    p.add_argument(
        "--answer-seconds",
        type=float,
        help="service-level answer time T (default 20, or the plan's)",
    )
    p.add_argument("--patience-seconds", type=float, help="callers' mean patience: use Erlang A")
    target_options(p)
    p.add_argument("--roster", type=Path, help="the current roster CSV, kept in every scenario")
    p.add_argument("--agents", type=Path, help="agents CSV (needed with --roster)")
    p.add_argument("--shifts", type=Path, help="shift templates TOML (needed with --roster)")
    p.add_argument(
        "--hourly-cost",
        type=float,
        help="cost of one agent-hour (default: the mean of the agents' hourly costs)",
    )
    p.add_argument(
        "--fte-hours", type=float, default=40.0, help="paid hours of a full-time week (default 40)"
    )
    p.add_argument(
        "--simulate",
        action="store_true",
        help="also simulate the kept roster's service level (slower; needs --roster)",
    )
    p.add_argument(
        "--replications", type=int, default=10, help="simulated days per queue and day (default 10)"
    )
    p.add_argument(
        "--sensitivity",
        type=Path,
        help="also write the FTE change for -/+10 %% of volume, AHT and shrinkage here",
    )
    p.add_argument("--details", type=Path, help="also write every scenario's intervals here")
    p.set_defaults(func=_cmd_whatif, parser=p)


def load_demand(path: Path) -> tuple[Any, int]:
    """The demand frame and its interval length from a forecast or a history CSV."""
    from wfm.io.history import IntervalHistory, infer_interval_minutes, looks_like_history
    from wfm.staffing.demand import demand_from_history, read_demand_csv

    if looks_like_history(path):
        history = IntervalHistory.read_csv(path)
        return demand_from_history(history, days=HISTORY_DAYS), history.interval_minutes
    demand = read_demand_csv(path)
    return demand, infer_interval_minutes(demand)


def _cmd_whatif(args: argparse.Namespace) -> int:
    from wfm.errors import WfmError
    from wfm.io.atomic import atomic_write
    from wfm.scenarios.evaluate import (
        Plan,
        comparison_frame,
        details_frame,
        evaluate_all,
        sensitivity,
    )
    from wfm.scenarios.model import read_scenarios
    from wfm.staffing.commands import target_from_args

    if args.project is None:
        from wfm.cli import require_args

        require_args(
            args, (("demand", args.demand), ("--scenarios", args.scenarios)), " (or --project)"
        )
    files = (args.demand, args.scenarios, args.roster, args.agents, args.shifts, args.project)
    inputs = [p for p in files if p]
    outputs = [p for p in (args.output, args.sensitivity, args.details) if p]
    for out in outputs:
        if any(out.resolve() == p.resolve() for p in inputs):
            raise WfmError(f"{out.name}: the output would overwrite one of the input files")
        if not out.parent.resolve().is_dir():
            raise WfmError(f"Cannot save {out.name}: the folder {out.parent} does not exist.")
    if len({p.resolve() for p in outputs}) != len(outputs):
        raise WfmError("-o, --sensitivity and --details must be different files")
    if args.project is None:
        if args.roster is not None and (args.agents is None or args.shifts is None):
            raise WfmError("--roster needs --agents and --shifts (to read the roster's shifts)")
        if args.simulate and args.roster is None:
            raise WfmError("--simulate needs --roster: it simulates the roster kept")
    if args.replications < 2:
        raise WfmError(f"--replications must be 2 or more, not {args.replications}")
    if args.hourly_cost is not None and not (
        math.isfinite(args.hourly_cost) and args.hourly_cost >= 0
    ):
        raise WfmError(f"--hourly-cost must be 0 or more, not {args.hourly_cost:g}")
    if args.project is not None:
        plan, scenarios = _plan_from_project(args)
    else:
        if args.target_sl is None and args.target_asa_seconds is None:
            args.target_sl = 0.8
        target = target_from_args(args, required=True)

        scenarios = read_scenarios(args.scenarios)
        demand, minutes = load_demand(args.demand)
        if args.shrinkage is not None and "shrinkage" in demand:
            demand = demand.drop(columns="shrinkage")  # the figure on the command line wins
        roster = None
        if args.roster is not None:
            from wfm.roster.io import read_roster_csv
            from wfm.scheduling.loaders import read_agents_csv, read_shift_setup

            roster = read_roster_csv(
                args.roster, read_agents_csv(args.agents), read_shift_setup(args.shifts)
            )
        plan = Plan(demand, minutes, target, roster, args.hourly_cost, args.fte_hours)
    results = evaluate_all(plan, scenarios, simulate=args.simulate, replications=args.replications)
    table = comparison_frame(results)
    text = table.to_csv(index=False, float_format="%.6g")
    atomic_write(args.output, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    if args.sensitivity is not None:
        sens = sensitivity(plan).to_csv(index=False, float_format="%.6g")
        atomic_write(args.sensitivity, lambda tmp: tmp.write_text(sens, encoding="utf-8"))
    if args.details is not None:
        details = details_frame(results)
        details["interval_start"] = details["interval_start"].dt.strftime("%Y-%m-%dT%H:%M:%S")
        detail_text = details.to_csv(index=False, float_format="%.6g")
        atomic_write(args.details, lambda tmp: tmp.write_text(detail_text, encoding="utf-8"))
    notes = dict.fromkeys(n for r in results for n in r.notes)
    sys.stderr.write(summary(table, list(notes)) + "\n")
    return EXIT_OK


def _plan_from_project(args: argparse.Namespace) -> tuple[Any, Any]:
    """``wfm whatif --project``: the base plan and the scenarios, from the plan unless
    given (a DEMAND file replaces the plan's demand as it is, without promotions)."""
    import dataclasses

    from wfm.errors import WfmError
    from wfm.io.project import open_project
    from wfm.io.project_inputs import (
        missing_part,
        project_notes,
        project_plan,
        project_target,
    )
    from wfm.scenarios.evaluate import Plan
    from wfm.scenarios.model import read_scenarios, scenarios_from_text
    from wfm.staffing.commands import note, target_options_given, target_with_args

    path: Path = args.project
    project = open_project(path)
    if args.scenarios is not None:
        scenarios = read_scenarios(args.scenarios)
    elif project.scenarios_text.strip():
        scenarios = scenarios_from_text(project.scenarios_text, source=f"{path.name} (scenarios)")
    else:
        raise missing_part(path, "scenarios")
    if not scenarios:
        raise missing_part(path, "scenarios")
    if args.demand is not None:
        demand, minutes = load_demand(args.demand)
        plan = Plan(demand, minutes, project_target(project), None)
    elif project.forecast is None and project.history is None:
        raise missing_part(path, "demand")
    else:
        plan = project_plan(project)
    roster = project.roster.roster if project.roster is not None else None
    if args.roster is not None:
        from wfm.roster.io import read_roster_csv
        from wfm.scheduling.loaders import read_agents_csv, read_shift_setup

        agents = read_agents_csv(args.agents) if args.agents else project.agents
        setup = read_shift_setup(args.shifts) if args.shifts else project.setup
        if not agents:
            raise missing_part(path, "agents")
        if setup is None:
            raise missing_part(path, "setup")
        roster = read_roster_csv(args.roster, agents, setup)
    if args.simulate and roster is None:
        raise WfmError(
            f"--simulate needs a roster: {path.name} has none (give --roster or run "
            f"wfm schedule --project {path})"
        )
    demand = plan.demand
    if args.shrinkage is not None and "shrinkage" in demand:
        demand = demand.drop(columns="shrinkage")  # the figure on the command line wins
    plan = dataclasses.replace(
        plan,
        demand=demand,
        target=target_with_args(plan.target, args),
        roster=roster,
        hourly_cost=args.hourly_cost,
        fte_hours_per_week=args.fte_hours,
    )
    for text in project_notes(
        project, demand=args.demand is None, target=not target_options_given(args)
    ):
        note(text)
    return plan, scenarios


def summary(table: Any, notes: list[str]) -> str:
    """A short text table of the comparison (what ``wfm whatif`` prints to stderr)."""
    width = max(8, *(len(str(s)) for s in table["scenario"]))
    lines = [f"{'scenario':<{width}}  {'hours':>9}  {'change':>8}  {'FTE':>7}  {'SL kept':>7}"]
    for row in table.itertuples(index=False):
        sl = "" if math.isnan(row.service_level_kept) else f"{row.service_level_kept * 100:.1f} %"
        lines.append(
            f"{row.scenario:<{width}}  {row.required_hours:>9,.1f}  {row.change_pct:>+7.1f}%  "
            f"{row.fte:>7.1f}  {sl:>7}"
        )
    return "\n".join(lines + notes)
