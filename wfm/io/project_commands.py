"""``wfm project``: make, read, unpack and update a ``.wfmp`` plan from the command line.

A plan made in the window can be rerun headless: ``extract`` writes its parts as the files
the other commands read (``history.csv``, ``events.toml``, ``agents.csv``,
``shift_templates.toml``, ``forecast.csv``, ``roster.csv``, ``scenarios.toml``,
``target.json``), and ``update`` puts the results back into the plan in one save::

    wfm project extract plan.wfmp --dir work
    wfm forecast work/history.csv --events work/events.toml --start 2026-11-02 --days 28 -o work/forecast.csv
    wfm project update plan.wfmp --forecast work/forecast.csv

Bad input (a missing or malformed file, a plan that cannot be read) exits 2 with one line.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wfm.errors import WfmError

if TYPE_CHECKING:
    from wfm.io.project import Project

EXIT_OK = 0

#: What ``extract`` writes, in this order.
EXTRACT_FILES = (
    "history.csv",
    "import_report.json",
    "events.toml",
    "agents.csv",
    "shift_templates.toml",
    "target.json",
    "forecast.csv",
    "overrides.toml",
    "roster.csv",
    "scenarios.toml",
)


def register(sub: Any) -> None:
    """Add ``project`` (with ``create``, ``info``, ``extract``, ``update``) to the ``wfm``
    parser's subcommands."""
    p = sub.add_parser(
        "project",
        help="make, read, unpack or update a .wfmp plan (the window's project file)",
        description="A .wfmp file holds a whole plan: history, calendar, agents, shift "
        "templates, target, forecast, roster and scenarios. These commands let a plan made in "
        "the window be rerun headless.",
    )
    actions = p.add_subparsers(dest="project_command", required=True, parser_class=type(p))

    c = actions.add_parser(
        "create",
        help="make a plan from the files the other commands read",
        description="Make a .wfmp plan from an interval history and, optionally, the calendar, "
        "agents, shift templates, scenarios and the staffing target.",
    )
    c.add_argument("output", type=Path, metavar="OUT.wfmp", help="the plan to write")
    c.add_argument("--history", type=Path, required=True, help="interval history CSV")
    _input_options(c)
    c.add_argument("--name", help="the plan's name (default: the file's name)")
    c.add_argument("--centre", default="", help="the centre's name (titles, exports)")
    c.add_argument("--force", action="store_true", help="overwrite OUT.wfmp if it exists")
    _target_options(c)
    c.set_defaults(func=_cmd_create)

    i = actions.add_parser(
        "info", help="say what a plan holds", description="Print one line per part of the plan."
    )
    i.add_argument("project", type=Path, metavar="P.wfmp")
    i.set_defaults(func=_cmd_info)

    e = actions.add_parser(
        "extract",
        help="write a plan's parts as the files the other commands read",
        description="Write what the plan holds into a folder: "
        + ", ".join(EXTRACT_FILES)
        + " (only the parts it has). The roster CSV has no leave marks or locks: they are "
        "listed on the output and kept by 'update' when the roster comes back.",
    )
    e.add_argument("project", type=Path, metavar="P.wfmp")
    e.add_argument("--dir", type=Path, required=True, help="folder to write into (made if missing)")
    e.add_argument("--force", action="store_true", help="overwrite files that already exist")
    e.set_defaults(func=_cmd_extract)

    u = actions.add_parser(
        "update",
        help="put results computed headless back into a plan",
        description="Replace parts of the plan with these files, in one save (the plan is "
        "unchanged if any file is bad). A new history, forecast, roster or scenarios file "
        "marks that stage as computed now.",
    )
    u.add_argument("project", type=Path, metavar="P.wfmp")
    u.add_argument("--history", type=Path, help="interval history CSV")
    u.add_argument("--forecast", type=Path, help="forecast CSV (wfm forecast's output)")
    u.add_argument("--roster", type=Path, help="roster CSV (wfm schedule's output)")
    _input_options(u)
    u.add_argument("--name", help="rename the plan")
    u.add_argument("--centre", help="the centre's name")
    _target_options(u)
    u.set_defaults(func=_cmd_update)


def _input_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--events", type=Path, help="calendar TOML (holidays, events, special days)")
    p.add_argument("--agents", type=Path, help="agents CSV")
    p.add_argument("--shifts", type=Path, help="shift templates and rules TOML")
    p.add_argument("--scenarios", type=Path, help="what-if scenarios TOML (stored as written)")


def _target_options(p: argparse.ArgumentParser) -> None:
    from wfm.staffing.commands import target_options

    g = p.add_argument_group(
        "staffing target (set when --target-sl or --target-asa-seconds is given)"
    )
    target_options(g)  # type: ignore[arg-type]  # an argument group takes the same options
    g.add_argument("--answer-seconds", type=float, default=20.0, help="answer time T (default 20)")
    g.add_argument("--min-agents", type=int, default=0, help="agents kept whenever a queue is open")
    g.add_argument("--patience-seconds", type=float, help="callers' mean patience: use Erlang A")


def _target(args: argparse.Namespace) -> Any:
    """The StaffingTarget of the options, or None when no target was given."""
    from wfm.staffing.commands import target_from_args

    if args.target_sl is None and args.target_asa_seconds is None:
        others = [
            f"--{k.replace('_', '-')}"
            for k in ("max_occupancy", "max_abandon", "patience_seconds")
            if getattr(args, k) is not None
        ]
        if others:
            raise WfmError(
                f"{', '.join(others)}: give a target too (--target-sl and/or --target-asa-seconds)"
            )
        return None
    return target_from_args(args, required=False)


def _now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


def _read_text(path: Path, what: str) -> str:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise WfmError(f"{path.name}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise WfmError(f"{path.name}: cannot be read ({exc})") from None
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise WfmError(f"{path.name}: not a valid {what} ({exc})") from None
    return text


def _apply_inputs(project: Project, args: argparse.Namespace, stamp: str) -> None:
    """Read every input file given (all read before anything is saved)."""
    from wfm.forecast.events import Calendar
    from wfm.scheduling.loaders import read_agents_csv, read_shift_setup

    if args.events:
        project.calendar = Calendar.load(args.events)
    if args.agents:
        project.agents = read_agents_csv(args.agents)
    if args.shifts:
        project.setup = read_shift_setup(args.shifts)
    if args.scenarios:
        project.scenarios_text = _read_text(args.scenarios, "scenarios TOML")
        project.stamps["scenarios"] = stamp
    target = _target(args)
    if target is not None:
        project.target = target


def _cmd_create(args: argparse.Namespace) -> int:
    from wfm.io.history import IntervalHistory
    from wfm.io.project import SUFFIX, Project, save_project

    out: Path = args.output
    if out.suffix.lower() != SUFFIX:
        raise WfmError(f"{out.name}: a plan's file name must end in {SUFFIX}")
    if out.exists() and not args.force:
        raise WfmError(f"{out.name} already exists (use --force to overwrite it)")
    stamp = _now()
    project = Project(
        name=args.name or out.name[: -len(SUFFIX)],
        centre=args.centre,
        history=IntervalHistory.read_csv(args.history),
        source=args.history.name,
        stamps={"history": stamp},
    )
    _apply_inputs(project, args, stamp)
    if out.exists():
        out.unlink()  # --force: a fresh plan, not an update of the old one
    save_project(project, out)
    sys.stdout.write(f"wrote {out}\n")
    return EXIT_OK


def _cmd_info(args: argparse.Namespace) -> int:
    from wfm.io.project import open_project, project_summary

    for line in project_summary(open_project(args.project)):
        sys.stdout.write(line + "\n")
    return EXIT_OK


def _cmd_extract(args: argparse.Namespace) -> int:
    from wfm.io.atomic import atomic_write
    from wfm.io.project import open_project
    from wfm.roster.io import write_roster_csv
    from wfm.scheduling.loaders import write_agents_csv, write_shift_setup

    project = open_project(args.project)
    folder: Path = args.dir
    if folder.exists() and not folder.is_dir():
        raise WfmError(f"{folder}: not a folder")

    def text_writer(text: str) -> Any:
        return lambda path: atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))

    writers: dict[str, Any] = {}
    if project.history is not None:
        writers["history.csv"] = project.history.write_csv
    if project.cleaning_report is not None:
        report = json.dumps(project.cleaning_report, indent=2, ensure_ascii=False) + "\n"
        writers["import_report.json"] = text_writer(report)
    if project.calendar is not None:
        writers["events.toml"] = project.calendar.save
    if project.agents:
        agents = project.agents
        writers["agents.csv"] = lambda path: write_agents_csv(agents, path)
    if project.setup is not None:
        setup = project.setup
        writers["shift_templates.toml"] = lambda path: write_shift_setup(setup, path)
    if project.target is not None:
        import dataclasses

        target = json.dumps(dataclasses.asdict(project.target), indent=2) + "\n"
        writers["target.json"] = text_writer(target)
    if project.forecast is not None:
        writers["forecast.csv"] = project.forecast.write_csv
    if len(project.overrides):
        writers["overrides.toml"] = project.overrides.save
    if project.roster is not None:
        roster = project.roster.roster
        writers["roster.csv"] = lambda path: write_roster_csv(roster, path)
    if project.scenarios_text:
        writers["scenarios.toml"] = text_writer(project.scenarios_text)
    if not writers:
        raise WfmError(f"{args.project.name} holds nothing to extract")
    existing = [name for name in writers if (folder / name).exists()]
    if existing and not args.force:
        raise WfmError(
            f"{folder}: {', '.join(existing)} already exist{'s' * (len(existing) == 1)} "
            "(use --force to overwrite)"
        )
    folder.mkdir(parents=True, exist_ok=True)
    for name in EXTRACT_FILES:
        if name in writers:
            writers[name](folder / name)
            sys.stdout.write(f"wrote {folder / name}\n")
    if project.roster is not None:
        r = project.roster.roster
        if r.leave or r.locks:
            sys.stdout.write(
                f"note: roster.csv has no leave marks or locks; the plan keeps its {len(r.leave)} "
                f"leave day(s) and {len(r.locks)} locked cell(s), and 'wfm project update "
                "--roster' keeps them\n"
            )
    if len(project.overrides):
        sys.stdout.write(
            "note: forecast.csv is the model's forecast; overrides.toml holds the planner's "
            "overrides on top of it\n"
        )
    return EXIT_OK


def _cmd_update(args: argparse.Namespace) -> int:
    from wfm.forecast.model import Forecast
    from wfm.io.history import IntervalHistory
    from wfm.io.project import RosterRecord, open_project, save_project
    from wfm.roster.io import read_roster_csv

    path: Path = args.project
    project = open_project(path)
    stamp = _now()
    changed: list[str] = []
    if args.history:
        project.history = IntervalHistory.read_csv(args.history)
        project.source = args.history.name
        project.cleaning_report = None  # it described the import of the old history
        project.stamps["history"] = stamp
        changed.append("history")
    _apply_inputs(project, args, stamp)
    changed += [k for k in ("events", "agents", "shifts", "scenarios") if getattr(args, k)]
    if _target(args) is not None:
        changed.append("target")
    if args.forecast:
        minutes = project.history.interval_minutes if project.history is not None else None
        project.forecast = Forecast.read_csv(args.forecast, minutes)
        project.stamps["forecast"] = stamp
        changed.append("forecast")
    if args.roster:
        if not project.agents or project.setup is None:
            raise WfmError(
                f"{path.name}: reading a roster needs the agents and shift templates "
                "(add --agents and --shifts)"
            )
        old = project.roster
        roster = read_roster_csv(args.roster, project.agents, project.setup)
        if old is not None:
            first, last = old.roster.start, old.roster.dates()[-1] if old.roster.days else None
            if last is not None and first <= roster.start and roster.dates()[-1] <= last:
                # the same plan period: keep its horizon (days without shifts at its ends)
                roster = read_roster_csv(
                    args.roster, project.agents, project.setup, first, old.roster.days
                )
        if old is not None:  # the CSV has no leave marks or locks: keep the plan's
            names = {a.name for a in roster.agents}
            for (agent, day), kind in old.roster.leave.items():
                if agent in names and roster.in_horizon(day) and (agent, day) not in roster.shifts:
                    roster.leave[(agent, day)] = kind
            for agent, day in old.roster.locks:
                if agent in names and roster.in_horizon(day):
                    roster.locks.add((agent, day))
        record = RosterRecord(roster)
        if old is not None:
            record.name, record.requirement_column = old.name, old.requirement_column
        project.roster = record
        project.stamps["roster"] = stamp
        changed.append("roster")
    if args.name is not None:
        project.name = args.name
        changed.append("name")
    if args.centre is not None:
        project.centre = args.centre
        changed.append("centre")
    if not changed:
        raise WfmError("nothing to update: give at least one file or setting (see --help)")
    save_project(project, path)
    sys.stdout.write(f"updated {path}: {', '.join(changed)}\n")
    return EXIT_OK
