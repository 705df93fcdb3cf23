"""``wfm schedule``: a roster for a requirement, agents and shift templates.

Writes the roster CSV (``agent,team,date,start,end,paid_hours,breaks``, see
:mod:`wfm.roster.io`) and, with ``--report``, the quality report as JSON (the figures of
:func:`wfm.roster.report.quality_report` plus the solver's status, objective, shortages and
wall time). A one-paragraph summary goes to stderr. Bad input raises
:class:`~wfm.errors.WfmError`, which the command line turns into exit 2 and one line.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import math
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from wfm.cli import _date

EXIT_OK = 0
T = TypeVar("T")


def register(sub: Any) -> None:
    """Add ``schedule`` to the ``wfm`` parser's subcommands."""
    p = sub.add_parser(
        "schedule",
        help="make a roster (shifts and breaks per agent and day) for a requirement",
        description="Read the requirement per interval (as `wfm staff` writes it), the agents "
        "and the shift templates, and write a roster CSV with one row per agent and working "
        "day: agent,team,date,start,end,paid_hours,breaks (breaks as HH:MM-HH:MM;...). "
        "--report writes the quality figures as JSON: required, scheduled, under- and "
        "over-coverage agent-hours, coverage, projected service level per day and interval, "
        "rule violations, and the LP lower bound on paid hours with the gap to it.",
    )
    p.add_argument(
        "requirements",
        type=Path,
        nargs="?",
        help="requirements CSV (queue,interval_start,...); default with --project: the plan's",
    )
    p.add_argument(
        "--project",
        type=Path,
        metavar="P.wfmp",
        help="roster this plan: its requirement (forecast, overrides, promoted scenarios and "
        "target), agents and shift templates unless given; its roster's locked cells and leave "
        "are kept, and the new roster is stored in the plan",
    )
    p.add_argument(
        "--column",
        default="scheduled_agents",
        help="the requirement's column of heads to cover (default scheduled_agents)",
    )
    p.add_argument("--agents", type=Path, help="agents CSV (default with --project: the plan's)")
    p.add_argument(
        "--shifts", type=Path, help="shift templates TOML (default with --project: the plan's)"
    )
    p.add_argument("--rules", type=Path, help="rules TOML overriding the templates file's [rules]")
    p.add_argument(
        "--start", type=_date, help="first day (YYYY-MM-DD; default with --project: the plan's)"
    )
    p.add_argument(
        "--days", type=int, help="number of days to roster (default with --project: the plan's)"
    )
    p.add_argument(
        "--time-limit",
        type=float,
        default=60.0,
        help="seconds the solver may search (default 60); the best roster found is kept",
    )
    p.add_argument(
        "-o", "--output", type=Path, help="roster CSV to write (optional with --project)"
    )
    p.add_argument("--report", type=Path, help="write the quality report as JSON here")
    p.set_defaults(func=_cmd_schedule, parser=p)


def _cmd_schedule(args: argparse.Namespace) -> int:
    import dataclasses

    from wfm.errors import WfmError
    from wfm.io.atomic import atomic_write
    from wfm.roster.io import write_roster_csv
    from wfm.roster.report import quality_report
    from wfm.scheduling.loaders import read_rules
    from wfm.scheduling.solver import SolveOptions, solve

    if args.project is None:
        from wfm.cli import require_args

        require_args(
            args,
            (
                ("requirements", args.requirements),
                ("--agents", args.agents),
                ("--shifts", args.shifts),
                ("--start", args.start),
                ("--days", args.days),
                ("-o/--output", args.output),
            ),
        )
    if args.days is not None and args.days <= 0:
        raise WfmError(f"--days must be 1 or more, not {args.days}")
    if args.days is not None and args.days > 366:
        raise WfmError(f"--days must be at most 366, not {args.days}")
    if not (args.time_limit > 0 and math.isfinite(args.time_limit)):
        raise WfmError(f"--time-limit must be more than 0 seconds, not {args.time_limit:g}")
    inputs = [
        p for p in (args.requirements, args.agents, args.shifts, args.rules, args.project) if p
    ]
    for out in (args.output, args.report):
        if out is not None and any(out.resolve() == p.resolve() for p in inputs):
            raise WfmError(f"{out.name}: the output would overwrite one of the input files")
        folder = out.parent if out is not None else None
        if folder is not None and not folder.resolve().is_dir():
            # found now, not after a search of --time-limit seconds
            raise WfmError(f"Cannot save {out.name}: the folder {folder} does not exist.")
    if (
        args.report is not None
        and args.output is not None
        and args.report.resolve() == args.output.resolve()
    ):
        raise WfmError("--report and -o must be different files")

    given = _Inputs.read(args)
    plan, agents, setup, need = given.plan, given.agents, given.setup, given.need
    if args.rules:
        setup = dataclasses.replace(setup, rules=read_rules(args.rules))
    source = args.requirements.name if args.requirements else f"{args.project.name}'s requirement"
    first, last = need.start, need.start + dt.timedelta(days=need.days - 1)
    start = args.start if args.start is not None else first
    days = args.days if args.days is not None else max((last - start).days + 1, 1)
    if days > 366:
        raise WfmError(f"{source} covers {need.days} days; give --days (at most 366)")
    end = start + dt.timedelta(days=days - 1)
    if start > last or end < first:
        raise WfmError(
            f"{source} covers {first.isoformat()} to {last.isoformat()}, "
            f"not {start.isoformat()} to {end.isoformat()} (check --start and --days)"
        )
    need_w = need.window(start, days)
    base = plan.roster.roster if plan is not None and plan.roster is not None else None
    options = SolveOptions(time_limit_s=args.time_limit)
    result = _interruptible(
        lambda stop: solve(
            need_w, agents, setup, start=start, days=days, base=base, options=options, stop=stop
        )
    )
    if plan is not None and result.status == "no solution":
        raise WfmError(
            f"no roster was found in {args.time_limit:g} s; {args.project.name} is unchanged "
            "(give a longer --time-limit)"
        )
    if args.output is not None:
        write_roster_csv(result.roster, args.output)
    report = quality_report(result.roster, need_w, result.lp_bound_paid_hours)
    if args.report:
        data = report.to_dict()
        data.update(
            {
                "status": result.status,
                "objective": result.objective,
                "best_bound": result.best_bound,
                "wall_seconds": result.wall_seconds,
                "shortages": [s.message() for s in result.shortages],
                "solver_notes": list(result.notes),
                "start": start.isoformat(),
                "days": days,
                "agents": len(agents),
                "shifts": len(result.roster.shifts),
            }
        )
        text = json.dumps(data, indent=1, ensure_ascii=False, allow_nan=False) + "\n"
        atomic_write(args.report, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    if plan is not None:
        _store_roster(args, plan, result, agents, setup)
    sys.stderr.write(_summary(result, report, len(agents), days) + "\n")
    if plan is not None:
        sys.stderr.write(f"Stored the roster in {args.project}.\n")
    return EXIT_OK


@dataclasses.dataclass(frozen=True)
class _Inputs:
    """What ``wfm schedule`` covers and with whom: the files given, else the plan's."""

    plan: Any  # the Project of --project, or None
    agents: tuple[Any, ...]
    setup: Any
    need: Any

    @classmethod
    def read(cls, args: argparse.Namespace) -> _Inputs:
        """Read the files given and, with ``--project``, the plan for the rest; the
        one-line error of a plan that lacks what is not given on the command line."""
        from wfm.scheduling.loaders import read_agents_csv, read_shift_setup
        from wfm.scheduling.need import read_requirements_csv

        plan: Any = None
        if args.project is not None:
            from wfm.io.project import open_project
            from wfm.io.project_inputs import missing_part

            plan = open_project(args.project)
            if args.agents is None and not plan.agents:
                raise missing_part(args.project, "agents")
            if args.shifts is None and plan.setup is None:
                raise missing_part(args.project, "setup")
            if args.requirements is None and plan.forecast is None:
                raise missing_part(args.project, "forecast")
        agents = read_agents_csv(args.agents) if args.agents else plan.agents
        setup = read_shift_setup(args.shifts) if args.shifts else plan.setup
        if args.requirements is not None:
            need = read_requirements_csv(args.requirements, column=args.column)
        else:
            from wfm.io.project_inputs import project_need, project_notes

            need = project_need(plan, column=args.column)
            for text in project_notes(plan):
                sys.stderr.write(f"wfm: note: {text}\n")
        return cls(plan, tuple(agents), setup, need)


def _store_roster(
    args: argparse.Namespace, plan: Any, result: Any, agents: Any, setup: Any
) -> None:
    """The new roster (with the solver's notes and LP bound), and the agents and setup it
    was made with, saved into the plan in one transaction."""
    from wfm.io.project import RosterRecord, save_project

    old = plan.roster
    plan.roster = RosterRecord(
        result.roster,
        name=old.name if old is not None else "Current roster",
        requirement_column=args.column,
        notes=tuple(s.message() for s in result.shortages) + tuple(result.notes),
        lp_bound_paid_hours=result.lp_bound_paid_hours,
    )
    plan.agents, plan.setup = tuple(agents), setup
    plan.stamps["roster"] = dt.datetime.now().isoformat(timespec="seconds")
    save_project(plan, args.project)


def _interruptible(run: Callable[[threading.Event], T]) -> T:
    """``run(stop)`` in a worker thread, so that SIGTERM and Ctrl+C end it promptly.

    CP-SAT searches in C++; Python runs a signal handler only in the main thread, between
    bytecodes, so a search in the main thread would hear SIGTERM only when its time limit
    is up. Here the main thread waits in short joins; when the handler raises (``wfm``
    turns SIGTERM into an exception, see :mod:`wfm.cli`), it sets ``stop``, waits for the
    solver to wind down and raises again: nothing is written.
    """
    stop, done = threading.Event(), threading.Event()
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["result"] = run(stop)
        except BaseException as exc:  # handed to the main thread below
            outcome["error"] = exc
        finally:
            done.set()

    worker = threading.Thread(target=target, name="wfm-schedule-solve", daemon=True)
    try:
        worker.start()
        while not done.wait(0.2):
            pass
    except BaseException:
        stop.set()
        if worker.is_alive():
            done.wait()
        raise
    if "error" in outcome:
        raise outcome["error"]
    result: T = outcome["result"]
    return result


def _summary(result: Any, report: Any, agents: int, days: int) -> str:
    parts = [
        f"Roster of {len(result.roster.shifts):,} shifts for {agents:,} agents over {days} "
        f"days ({result.status}, {result.wall_seconds:.1f} s).",
        f"Coverage {report.coverage * 100:.1f} %, under-coverage {report.under_hours:,.1f} h, "
        f"over-coverage {report.over_hours:,.1f} h, paid {report.paid_hours:,.1f} h",
    ]
    if report.lp_bound_paid_hours is not None and report.gap_to_lp is not None:
        parts[-1] += (
            f" (LP bound {report.lp_bound_paid_hours:,.1f} h, gap {report.gap_to_lp * 100:.1f} %)"
        )
    parts[-1] += "."
    if report.service_level is not None:
        parts.append(f"Projected service level {report.service_level * 100:.1f} %.")
    parts.append(f"{report.violations} rule violation{'s' if report.violations != 1 else ''}.")
    shortages = result.shortages
    if shortages:
        shown = "; ".join(s.message() for s in shortages[:3])
        more = f" (and {len(shortages) - 3} more)" if len(shortages) > 3 else ""
        parts.append(f"{len(shortages)} shortage(s): {shown}{more}.")
    else:
        parts.append("No shortages.")
    return " ".join(parts)
