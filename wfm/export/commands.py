"""``wfm export``: a roster CSV as the Excel workbook for team leads.

Reads the roster CSV (``agent,team,date,start,end,paid_hours,breaks``, see
:mod:`wfm.roster.io`) and writes the workbook of :func:`wfm.export.workbook.export_roster`.
Without ``--agents`` the agents are the roster CSV's own (name and team, no skills or
contracts); without ``--shifts`` there are no shift templates, so every shift gets the grey
of a shift without a template. A one-line summary goes to stderr. Bad input raises
:class:`~wfm.errors.WfmError`, which the command line turns into exit 2 and one line.

The roster's days are the CSV's first to last date (a CSV has no rows for days nobody
works, so with ``--requirements`` the requirement's last days, up to a week after the last
shift, are included), widened to the ``--start``/``--days`` asked for.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from wfm.cli import _date

EXIT_OK = 0


def register(sub: Any) -> None:
    """Add ``export`` to the ``wfm`` parser's subcommands."""
    p = sub.add_parser(
        "export",
        help="write a roster CSV as an Excel workbook for team leads",
        description="Write the roster as an Excel workbook: a Summary sheet, one sheet per "
        "team (agents x dates, shift times filled by template, weekly hours, print-ready), a "
        "Coverage sheet with a chart when --requirements is given, and with --day-sheets one "
        "sheet per day (agents x quarter hours, breaks marked). The file is replaced only "
        "when the new one is complete.",
    )
    p.add_argument(
        "roster",
        type=Path,
        nargs="?",
        help="roster CSV (agent,team,date,start,end,...); default with --project: the plan's",
    )
    p.add_argument(
        "--project",
        type=Path,
        metavar="P.wfmp",
        help="export this plan's roster (with its leave), agents, shift templates, requirement "
        "and centre name; files and options given here replace the plan's",
    )
    p.add_argument("-o", "--output", type=Path, required=True, help="workbook to write (.xlsx)")
    p.add_argument(
        "--requirements",
        type=Path,
        help="requirements CSV (queue,interval_start,...): adds coverage and service level",
    )
    p.add_argument(
        "--column",
        help="the requirement's column of heads (default scheduled_agents, or the one the "
        "plan's roster was made for)",
    )
    p.add_argument(
        "--agents", type=Path, help="agents CSV (skills, contracts, costs); default: the roster's"
    )
    p.add_argument(
        "--shifts", type=Path, help="shift templates TOML (the fills and legend by template)"
    )
    p.add_argument(
        "--teams", nargs="+", metavar="TEAM", help="export only these teams (default: all)"
    )
    p.add_argument("--start", type=_date, help="first day to export (YYYY-MM-DD)")
    p.add_argument("--days", type=int, help="number of days to export (default: to the end)")
    p.add_argument("--day-sheets", action="store_true", help="add one sheet per day")
    p.add_argument(
        "--centre", default="", help="the centre's name for the titles (default: the plan's)"
    )
    p.add_argument(
        "--fte-hours",
        type=float,
        default=40.0,
        help="paid hours a week of one full-time equivalent (default 40)",
    )
    p.set_defaults(func=_cmd_export, parser=p)


def _cmd_export(args: argparse.Namespace) -> int:
    from wfm.errors import WfmError
    from wfm.export.workbook import ExportOptions, check_export_path, export_roster

    if args.roster is None and args.project is None:
        args.parser.error("the following arguments are required: roster (or --project)")
    inputs = [
        p for p in (args.roster, args.requirements, args.agents, args.shifts, args.project) if p
    ]
    if any(args.output.resolve() == p.resolve() for p in inputs):
        raise WfmError(f"{args.output.name}: the output would overwrite one of the input files")
    check_export_path(args.output)  # before any reading: a locked or misnamed file fails fast
    if args.days is not None and args.days < 1:
        raise WfmError(f"--days must be 1 or more, not {args.days}")
    centre, source = args.centre, args.roster.name if args.roster else args.project.name
    if args.project is not None:
        roster, need, plan_centre = _plan_inputs(args)
        centre = centre or plan_centre
    else:
        args.column = args.column or "scheduled_agents"
        roster, need = _inputs(args)
    options = ExportOptions(
        teams=tuple(args.teams) if args.teams else None,
        start=args.start,
        days=args.days,
        day_sheets=args.day_sheets,
        centre=centre,
        source=source,
        fte_hours_per_week=args.fte_hours,
    )
    out = export_roster(roster, args.output, need=need, options=options)
    sys.stderr.write(
        f"Wrote {out.path.name}: {len(out.sheets)} sheets, {out.agents:,} agents, "
        f"{out.shifts:,} shifts in {out.seconds:.1f} s\n"
    )
    return EXIT_OK


def _plan_inputs(args: argparse.Namespace) -> tuple[Any, Any, str]:
    """``wfm export --project``: the roster (the CSV given, read with the plan's agents and
    shift templates, else the plan's own with its leave and locks), the requirement (the CSV
    given, else the plan's over the roster's days when it has a forecast) and the centre."""
    from wfm.io.project import open_project
    from wfm.io.project_inputs import missing_part, project_need, project_notes
    from wfm.scheduling.loaders import read_agents_csv, read_shift_setup
    from wfm.scheduling.need import read_requirements_csv

    plan = open_project(args.project)
    record = plan.roster
    column = args.column or (record.requirement_column if record else "scheduled_agents")
    if args.roster is not None:
        agents = read_agents_csv(args.agents) if args.agents else plan.agents or None
        setup = read_shift_setup(args.shifts) if args.shifts else plan.setup
        args.column = column
        roster, need = _inputs(args, agents=agents, setup=setup)
    elif record is None:
        raise missing_part(args.project, "roster")
    else:
        roster = record.roster
        if args.agents or args.shifts:
            from wfm.roster.roster import Roster

            agents = read_agents_csv(args.agents) if args.agents else roster.agents
            setup = read_shift_setup(args.shifts) if args.shifts else roster.setup
            names = {a.name for a in agents}
            roster = Roster(
                roster.start,
                roster.days,
                tuple(agents),
                setup,
                {c: s for c, s in roster.shifts.items() if c[0] in names},
                {c: k for c, k in roster.leave.items() if c[0] in names},
                {c for c in roster.locks if c[0] in names},
            )
        need = None
        if args.requirements:
            need = read_requirements_csv(args.requirements, column=column)
    if need is None and args.requirements is None:
        forecast = plan.forecast
        if forecast is not None and not _overlap(forecast.start, forecast.days, roster):
            sys.stderr.write(
                f"wfm: note: the forecast of {args.project.name} ({forecast.start} + "
                f"{forecast.days} days) does not cover the roster's days: the workbook has no "
                "Coverage sheet\n"
            )
        elif forecast is not None:
            need = project_need(plan, roster.start, roster.days, column=column)
            for text in project_notes(plan, demand=True, target=True):
                sys.stderr.write(f"wfm: note: {text}\n")
        else:
            sys.stderr.write(
                f"wfm: note: {args.project.name} has no forecast: the workbook has no "
                "Coverage sheet\n"
            )
    return roster, need, plan.centre


def _overlap(start: dt.date, days: int, roster: Any) -> bool:
    """True when ``start .. start + days`` shares a day with the roster's horizon."""
    end = start + dt.timedelta(days=days)
    return start < roster.start + dt.timedelta(days=roster.days) and roster.start < end


def _inputs(args: argparse.Namespace, *, agents: Any = None, setup: Any = None) -> tuple[Any, Any]:
    """The roster (its days as the module docs say) and the requirement (or None);
    ``agents`` and ``setup`` (e.g. a plan's) are used when no ``--agents``/``--shifts``
    file is given."""
    from wfm.errors import InputError
    from wfm.io.textfiles import read_csv_table
    from wfm.roster.io import read_roster_csv
    from wfm.scheduling.loaders import read_agents_csv, read_shift_setup
    from wfm.scheduling.model import Agent, ShiftSetup

    raw = read_csv_table(args.roster, "roster CSV")
    for column in ("agent", "date"):
        if column not in raw.columns:
            raise InputError(
                f"missing column '{column}' (expected agent,team,date,start,end,...)",
                file=args.roster,
            )
    if args.agents:
        agents = read_agents_csv(args.agents)
    elif agents is not None:
        agents = tuple(agents)
    else:
        teams: dict[str, str] = {}
        team_column = raw["team"] if "team" in raw.columns else [""] * len(raw)
        for name, team in zip(raw["agent"], team_column, strict=True):
            name = str(name).strip()
            if name:
                teams.setdefault(name, "" if team is None else str(team).strip())
        agents = tuple(Agent(name, team) for name, team in teams.items())
    if args.shifts:
        setup = read_shift_setup(args.shifts)
    elif setup is None:
        setup = ShiftSetup(())
    dates = []
    for i, value in enumerate(raw["date"]):
        text = str(value).strip()
        if not text:
            continue
        try:
            dates.append(dt.date.fromisoformat(text))
        except ValueError:
            from wfm.scheduling.loaders import csv_row_number

            raise InputError(
                f"'{text}' is not a date like 2026-11-02",
                file=args.roster,
                row=csv_row_number(args.roster, i),
                column="date",
            ) from None
    need = None
    if args.requirements:
        from wfm.scheduling.need import read_requirements_csv

        need = read_requirements_csv(args.requirements, column=args.column)
    if dates:
        first, last = min(dates), max(dates)
    elif args.start is not None:
        first = last = args.start
    else:
        raise InputError("has no shifts, and no --start was given", file=args.roster)
    if need is not None:
        need_last = need.start + dt.timedelta(days=need.days - 1)
        if last < need_last <= last + dt.timedelta(days=6):
            last = need_last  # the days nobody works after the last shift
    if args.start is not None:
        first = min(first, args.start)
        end = args.start + dt.timedelta(days=(args.days or 1) - 1)
        last = max(last, end)
    elif args.days is not None:
        last = max(last, first + dt.timedelta(days=args.days - 1))
    roster = read_roster_csv(args.roster, agents, setup, start=first, days=(last - first).days + 1)
    return roster, need
