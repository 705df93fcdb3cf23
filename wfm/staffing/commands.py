"""``wfm erlang`` (the Erlang calculator) and ``wfm staff`` (requirements per interval).

Both print or write exactly the fields automation relies on (see ``--help``). Bad input
(negative volume, an AHT of zero, a service level outside 0..1, a target nobody can meet)
raises :class:`~wfm.errors.WfmError`, which the command line turns into exit 2 and one line.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

EXIT_OK = 0


def register(sub: Any) -> None:
    """Add ``erlang`` and ``staff`` to the ``wfm`` parser's subcommands."""
    p = sub.add_parser(
        "erlang",
        help="Erlang C/A calculator: metrics for a number of agents, or the requirement",
        description="With --agents: print P(wait), service level, ASA and occupancy (and "
        "P(abandon) with --patience-seconds, Erlang A) as one JSON object. Without "
        "--agents: print the smallest number of agents meeting the targets, and the metrics "
        "it achieves.",
    )
    p.add_argument("--calls", type=float, required=True, help="calls offered in the interval")
    p.add_argument(
        "--interval-minutes", type=float, default=30.0, help="interval length (default 30)"
    )
    p.add_argument("--aht-seconds", type=float, required=True, help="average handle time, seconds")
    p.add_argument(
        "--answer-seconds",
        type=float,
        default=20.0,
        help="service-level answer time T (default 20)",
    )
    p.add_argument(
        "--agents", type=int, help="agents on the phones; omit to compute the requirement"
    )
    p.add_argument("--patience-seconds", type=float, help="callers' mean patience: use Erlang A")
    target_options(p)
    p.set_defaults(func=_cmd_erlang)

    p = sub.add_parser(
        "staff",
        help="agents needed per interval for a forecast",
        description="Read a forecast CSV (queue,interval_start,volume,aht_seconds; an optional "
        "shrinkage column gives shrinkage per interval) and write the requirement per interval: "
        "queue,interval_start,volume,aht_seconds,agents,scheduled_agents,service_level,"
        "asa_seconds,occupancy (+ p_abandon with --patience-seconds).",
    )
    p.add_argument(
        "forecast", type=Path, nargs="?", help="forecast CSV (default with --project: the plan's)"
    )
    p.add_argument(
        "--project",
        type=Path,
        metavar="P.wfmp",
        help="take the demand (the forecast with its overrides and promoted scenarios, else the "
        "history's last 4 weeks) and the target from this plan; target options given here "
        "change the plan's (the plan is not changed)",
    )
    p.add_argument(
        "--interval-minutes", type=int, help="interval length (default: read from the file)"
    )
    p.add_argument(
        "--answer-seconds",
        type=float,
        help="service-level answer time T (default 20, or the plan's)",
    )
    p.add_argument("--patience-seconds", type=float, help="callers' mean patience: use Erlang A")
    p.add_argument(
        "--min-agents",
        type=int,
        help="agents kept whenever the queue is open (default 0, or the plan's)",
    )
    p.add_argument("--daily", type=Path, help="also write daily totals (agent-hours, FTE, SL) here")
    p.add_argument("-o", "--output", type=Path, required=True, help="requirements CSV to write")
    target_options(p)
    p.set_defaults(func=_cmd_staff, parser=p)


def target_options(p: argparse.ArgumentParser) -> None:
    """Add the staffing-target options (shared by ``wfm staff``, ``wfm whatif`` and
    ``wfm project``); :func:`target_from_args` reads them back."""
    p.add_argument(
        "--target-sl", type=float, help="service-level target as a share (0.8 for 80 %%)"
    )
    p.add_argument("--target-asa-seconds", type=float, help="ASA target, seconds")
    p.add_argument("--max-occupancy", type=float, help="occupancy cap as a share (0.85)")
    p.add_argument("--max-abandon", type=float, help="abandon-rate cap as a share (Erlang A only)")
    p.add_argument("--shrinkage", type=float, help="shrinkage as a share (0.3 for 30 %%)")


def target_from_args(args: argparse.Namespace, *, required: bool) -> Any:
    """The :class:`~wfm.staffing.requirement.StaffingTarget` the options of
    :func:`target_options` describe (``required``: refuse options without any target)."""
    from wfm.errors import WfmError
    from wfm.staffing.requirement import StaffingTarget

    if required and args.target_sl is None and args.target_asa_seconds is None:
        raise WfmError("give a target: --target-sl (e.g. 0.8) and/or --target-asa-seconds")
    answer = getattr(args, "answer_seconds", None)
    return StaffingTarget(
        service_level=args.target_sl,
        answer_seconds=answer if answer is not None else 20.0,
        max_asa_seconds=args.target_asa_seconds,
        max_occupancy=args.max_occupancy,
        max_abandon=args.max_abandon,
        shrinkage=args.shrinkage if args.shrinkage is not None else 0.0,
        min_agents=getattr(args, "min_agents", None) or 0,
        model="erlang_a" if args.patience_seconds is not None else "erlang_c",
        patience_seconds=args.patience_seconds,
    )


#: ``StaffingTarget`` field of each target option (``dest`` of :func:`target_options` and of
#: ``--answer-seconds``, ``--min-agents``, ``--patience-seconds``).
_TARGET_FIELDS = {
    "target_sl": "service_level",
    "target_asa_seconds": "max_asa_seconds",
    "max_occupancy": "max_occupancy",
    "max_abandon": "max_abandon",
    "shrinkage": "shrinkage",
    "answer_seconds": "answer_seconds",
    "min_agents": "min_agents",
}


def target_options_given(args: argparse.Namespace) -> list[str]:
    """The target options given on the command line (as ``--option`` names)."""
    names = [*_TARGET_FIELDS, "patience_seconds"]
    return [f"--{k.replace('_', '-')}" for k in names if getattr(args, k, None) is not None]


def target_with_args(base: Any, args: argparse.Namespace) -> Any:
    """``base`` (a :class:`~wfm.staffing.requirement.StaffingTarget`, e.g. a plan's) with
    the target options given on the command line replacing its fields; options left out
    keep the plan's figures. ``--patience-seconds`` switches to Erlang A."""
    changes: dict[str, Any] = {
        field: getattr(args, option)
        for option, field in _TARGET_FIELDS.items()
        if getattr(args, option, None) is not None
    }
    if getattr(args, "patience_seconds", None) is not None:
        changes.update(model="erlang_a", patience_seconds=args.patience_seconds)
    return base.with_changes(**changes) if changes else base


def note(text: str) -> None:
    """A note on a run that succeeded: one line on stderr starting ``wfm: note:``."""
    sys.stderr.write(f"wfm: note: {text}\n")


def _number(value: float) -> float | None:
    """A float for JSON: infinity (no agents can keep up) becomes null."""
    return float(value) if math.isfinite(value) else None


def _cmd_erlang(args: argparse.Namespace) -> int:
    from wfm.errors import WfmError
    from wfm.staffing.requirement import StaffingTarget, queue_metrics, required_agents

    if args.interval_minutes <= 0:
        raise WfmError("--interval-minutes must be more than 0")
    interval = args.interval_minutes * 60.0
    out: dict[str, Any] = {}
    if args.agents is not None:
        if args.agents < 0:
            raise WfmError("--agents must be 0 or more")
        options = ("target_sl", "target_asa_seconds", "max_occupancy", "max_abandon", "shrinkage")
        given = [f"--{k.replace('_', '-')}" for k in options if getattr(args, k) is not None]
        if given:
            raise WfmError(f"{', '.join(given)}: targets need no --agents (they compute it)")
        target = StaffingTarget(
            service_level=None,
            answer_seconds=args.answer_seconds,
            model="erlang_a" if args.patience_seconds is not None else "erlang_c",
            patience_seconds=args.patience_seconds,
        )
        metrics = queue_metrics(args.calls, args.aht_seconds, interval, args.agents, target)
    else:
        target = target_from_args(args, required=True)
        requirement = required_agents(args.calls, args.aht_seconds, interval, target)
        metrics = requirement.metrics
        out["agents"] = int(requirement.agents[0])
        out["scheduled_agents"] = int(requirement.scheduled[0])
    out.update(
        traffic_erlangs=_number(metrics.traffic[0]),
        p_wait=_number(metrics.p_wait[0]),
        service_level=_number(metrics.service_level[0]),
        asa_seconds=_number(metrics.asa_seconds[0]),
        occupancy=_number(metrics.occupancy[0]),
    )
    if metrics.p_abandon is not None:
        out["p_abandon"] = _number(metrics.p_abandon[0])
    sys.stdout.write(json.dumps(out) + "\n")
    return EXIT_OK


def _cmd_staff(args: argparse.Namespace) -> int:
    from wfm.errors import WfmError
    from wfm.io.atomic import atomic_write
    from wfm.io.history import infer_interval_minutes
    from wfm.staffing.demand import daily_summary, read_demand_csv, staff, staffing_csv_text

    if args.project is not None:
        demand, minutes, target = _project_demand(args)
    else:
        if args.forecast is None:
            args.parser.error("the following arguments are required: forecast (or --project)")
        target = target_from_args(args, required=True)
        if args.output.resolve() == args.forecast.resolve():
            raise WfmError(
                f"{args.output.name}: the output would overwrite the forecast being read"
            )
        demand = read_demand_csv(args.forecast)
        minutes = None
    if args.shrinkage is not None and "shrinkage" in demand:
        demand = demand.drop(columns="shrinkage")  # the figure on the command line wins
    if args.interval_minutes is not None and args.interval_minutes not in (15, 30, 60):
        raise WfmError("--interval-minutes must be 15, 30 or 60")
    minutes = args.interval_minutes or minutes or infer_interval_minutes(demand)
    table = staff(demand, minutes, target)
    text = staffing_csv_text(table)
    atomic_write(args.output, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    if args.daily:
        daily = daily_summary(table, minutes)
        daily_text = daily.to_csv(index=False, date_format="%Y-%m-%d", float_format="%.6g")
        atomic_write(args.daily, lambda tmp: tmp.write_text(daily_text, encoding="utf-8"))
    return EXIT_OK


def _project_demand(args: argparse.Namespace) -> tuple[Any, int | None, Any]:
    """``wfm staff --project``: the demand (the FORECAST given, else the plan's), its
    interval length (None: infer it) and the plan's target changed by the options given."""
    from wfm.errors import WfmError
    from wfm.io.project import open_project
    from wfm.io.project_inputs import missing_part, project_demand, project_notes, project_target
    from wfm.staffing.demand import read_demand_csv

    inputs = [args.project] + ([args.forecast] if args.forecast is not None else [])
    if any(args.output.resolve() == p.resolve() for p in inputs):
        raise WfmError(f"{args.output.name}: the output would overwrite one of the input files")
    project = open_project(args.project)
    minutes: int | None = None
    if args.forecast is not None:
        demand = read_demand_csv(args.forecast)
    else:
        if project.forecast is None and project.history is None:
            raise missing_part(args.project, "demand")
        demand, minutes, _label = project_demand(project)
        if args.interval_minutes is not None and args.interval_minutes != minutes:
            raise WfmError(
                f"{args.project.name}: the plan's demand has {minutes}-minute intervals, "
                f"not {args.interval_minutes} (leave out --interval-minutes)"
            )
    target = target_with_args(project_target(project), args)
    for text in project_notes(
        project, demand=args.forecast is None, target=not target_options_given(args)
    ):
        note(text)
    return demand, minutes, target
