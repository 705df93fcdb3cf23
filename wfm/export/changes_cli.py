"""``wfm import-changes``: apply a team lead's edited roster workbook to a roster CSV.

Reads the roster (:mod:`wfm.roster.io`), lists what the lead changed in the workbook
(:func:`wfm.export.changes.read_lead_changes`) with the rule violations the changes add, the
cells it cannot read and its notes, then applies the changes (the conflicting ones only with
``--include-conflicts``) and writes the new roster CSV atomically. ``--dry-run`` only lists.

The roster CSV holds shifts only: leave a lead marks is applied in memory and reported, but
cannot be kept in the CSV (the output says so). Bad input raises
:class:`~wfm.errors.WfmError`, which the command line turns into exit 2 and one line.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wfm.cli import _date

if TYPE_CHECKING:
    from wfm.export.changes import CellChange, LeadChanges
    from wfm.roster.roster import Roster
    from wfm.roster.rules import Violation

EXIT_OK = 0


def register(sub: Any) -> None:
    """Add ``import-changes`` to the ``wfm`` parser's subcommands."""
    p = sub.add_parser(
        "import-changes",
        help="apply a team lead's edited roster workbook (.xlsx) to a roster CSV",
        description="Compare a roster workbook a team lead edited (times changed, shifts "
        "swapped, days marked Off, Leave or Sick) with the roster CSV, print one line per "
        "change with the rule violations it adds, one per cell that cannot be read and one "
        "per note, then apply the changes and write the new roster CSV. A cell the lead left "
        "as exported is not a change, even when the roster has changed since; a cell both "
        "changed is a conflict and is applied only with --include-conflicts. The roster CSV "
        "keeps shifts only: leave is reported but cannot be stored in it.",
    )
    p.add_argument("workbook", type=Path, help="the team lead's workbook (.xlsx)")
    p.add_argument("--roster", type=Path, required=True, help="the roster CSV it was made from")
    p.add_argument("--agents", type=Path, required=True, help="agents CSV")
    p.add_argument("--shifts", type=Path, required=True, help="shift templates TOML")
    p.add_argument(
        "--start",
        type=_date,
        help="the roster's first day (default: the workbook's export record, else the "
        "roster CSV's first date)",
    )
    p.add_argument("--days", type=int, help="the roster's number of days (with --start)")
    p.add_argument("-o", "--output", type=Path, help="the new roster CSV to write")
    p.add_argument(
        "--report", type=Path, help="write the changes, unread cells and notes as JSON here"
    )
    p.add_argument("--dry-run", action="store_true", help="list the changes; write no roster CSV")
    p.add_argument(
        "--include-conflicts",
        action="store_true",
        help="also apply cells both the lead and the planner changed (the lead's text wins)",
    )
    p.set_defaults(func=_cmd_import_changes)


def _check_paths(args: argparse.Namespace) -> None:
    from wfm.errors import WfmError

    if not args.dry_run and args.output is None:
        raise WfmError("-o NEW_ROSTER.csv is required (or --dry-run to only list the changes)")
    if args.days is not None and args.start is None:
        raise WfmError("--days needs --start")
    if args.days is not None and not 1 <= args.days <= 366:
        raise WfmError(f"--days must be 1 to 366, not {args.days}")
    inputs = [args.workbook, args.agents, args.shifts]
    outputs = [p for p in ((None if args.dry_run else args.output), args.report) if p]
    for out in outputs:
        if any(out.resolve() == p.resolve() for p in inputs):
            raise WfmError(f"{out.name}: the output would overwrite one of the input files")
    if args.report is not None and args.output is not None and not args.dry_run:
        if args.report.resolve() == args.output.resolve():
            raise WfmError("--report and -o must be different files")
        if args.report.resolve() == args.roster.resolve():
            raise WfmError(f"{args.report.name}: the report would overwrite the roster CSV")


def _read_roster(args: argparse.Namespace) -> Roster:
    """The roster CSV over the horizon of --start/--days, else of the workbook's export
    record when it holds the file's dates, else of the file's own dates."""
    from wfm.export.changes import read_export_meta
    from wfm.roster.io import read_roster_csv
    from wfm.scheduling.loaders import read_agents_csv, read_shift_setup

    agents = read_agents_csv(args.agents)
    setup = read_shift_setup(args.shifts)
    if args.start is not None:
        return read_roster_csv(args.roster, agents, setup, args.start, args.days)
    roster = read_roster_csv(args.roster, agents, setup)
    meta = read_export_meta(args.workbook)
    start = meta.date("roster_start") if meta is not None else None
    try:
        days = int(meta.values.get("roster_days", "")) if meta is not None else 0
    except ValueError:
        days = 0
    if start is None or days <= 0:
        return roster
    end = start + dt.timedelta(days=days - 1)
    last = roster.start + dt.timedelta(days=roster.days - 1)
    if start <= roster.start and last <= end and (start, days) != (roster.start, roster.days):
        return read_roster_csv(args.roster, agents, setup, start, days)
    return roster


def _cmd_import_changes(args: argparse.Namespace) -> int:
    from wfm.export.changes import changes_batch, check_changes, read_lead_changes
    from wfm.roster.io import write_roster_csv

    _check_paths(args)
    roster = _read_roster(args)
    found = read_lead_changes(args.workbook, roster)
    applied = [c for c in found.changes if args.include_conflicts or not c.conflict]
    checked = check_changes(roster, applied)
    violations = [v for key in sorted(checked, key=lambda k: (k[1], k[0])) for v in checked[key]]
    out = _listing(found, applied, violations)
    if applied:
        n = len(applied)
        label = f"Team lead changes from {args.workbook.name} ({n} cell{'s' if n != 1 else ''})"
        changes_batch(applied, label).apply(roster)
    leave = [
        (c.agent, c.day, roster.leave[(c.agent, c.day)])
        for c in applied
        if (c.agent, c.day) in roster.leave
    ]
    if leave:
        listed = ", ".join(f"{a} {_day(d)} ({k[:1].upper() + k[1:]})" for a, d, k in leave[:5])
        more = f" and {len(leave) - 5} more" if len(leave) > 5 else ""
        out.append(
            f"{len(leave)} day{'s' if len(leave) != 1 else ''} of leave cannot be stored in a "
            f"roster CSV: {listed}{more}; the CSV shows {'them as days' if len(leave) != 1 else 'it as a day'} off"
        )
    out.append(_summary(found, applied, args))
    if not args.dry_run:
        write_roster_csv(roster, args.output)
    if args.report is not None:
        _write_report(args, found, applied, violations, leave)
    sys.stdout.write("\n".join(out) + "\n")
    return EXIT_OK


def _day(day: dt.date) -> str:
    from wfm.roster.commands import day_label

    return day_label(day)


def _listing(
    found: LeadChanges, applied: Sequence[CellChange], violations: Sequence[Violation]
) -> list[str]:
    """One line per change (its new violations indented under it), unread cell and note."""
    by_change: dict[int, list[Violation]] = {}
    for v in violations:
        owner = _owner(applied, v)
        if owner is not None:
            by_change.setdefault(id(owner), []).append(v)
    out: list[str] = []
    for c in found.changes:
        out.append(f"{c.where} {c.describe()}" + (" [conflict]" if c.conflict else ""))
        out += [f"    {v.rule}: {v.message}" for v in by_change.get(id(c), [])]
    out += [f"Cannot read {u.message()}" for u in found.unread]
    out += [f"Note: {n}" for n in found.notes]
    return out


def _owner(applied: Sequence[CellChange], v: Violation) -> CellChange | None:
    """The change a violation comes from: the agent's change on its day, else their latest
    change before it (too little rest after a shift shows on the next day), else the first."""
    mine = sorted((c for c in applied if c.agent == v.agent), key=lambda c: c.day)
    before = [c for c in mine if c.day <= v.day]
    if before:
        return before[-1]
    return mine[0] if mine else None


def _summary(found: LeadChanges, applied: Sequence[CellChange], args: argparse.Namespace) -> str:
    n, total = len(applied), len(found.changes)
    left = total - n
    s = "s" if total != 1 else ""
    if total == 0:
        text = f"No changes in {args.workbook.name}"
    elif left:
        text = (
            f"{n} of {total} change{s} {'would be ' if args.dry_run else ''}applied; {left} "
            f"conflict{'s' if left != 1 else ''} left out (--include-conflicts applies "
            f"{'them' if left != 1 else 'it'})"
        )
    else:
        text = f"{total} change{s} {'would be ' if args.dry_run else ''}applied"
    if args.dry_run:
        return f"{text}. Dry run: no roster written."
    return f"{text}. Wrote {args.output}."


def _write_report(
    args: argparse.Namespace,
    found: LeadChanges,
    applied: Sequence[CellChange],
    violations: Sequence[Violation],
    leave: Sequence[tuple[str, dt.date, str]],
) -> None:
    from wfm.io.atomic import atomic_write

    chosen = {id(c) for c in applied}
    data = {
        "workbook": str(args.workbook),
        "generated": found.generated.isoformat() if found.generated else None,
        "dry_run": bool(args.dry_run),
        "output": None if args.dry_run else str(args.output),
        "applied": len(applied),
        "changes": [
            {
                "sheet": c.sheet,
                "ref": c.ref,
                "agent": c.agent,
                "date": c.day.isoformat(),
                "before": c.before,
                "after": c.after,
                "exported": c.exported,
                "conflict": c.conflict,
                "applied": id(c) in chosen,
            }
            for c in found.changes
        ],
        "unread": [
            {"sheet": u.sheet, "ref": u.ref, "text": u.text, "reason": u.reason}
            for u in found.unread
        ],
        "notes": list(found.notes),
        "violations": [
            {"agent": v.agent, "date": v.day.isoformat(), "rule": v.rule, "message": v.message}
            for v in violations
        ],
        "leave_not_stored": [{"agent": a, "date": d.isoformat(), "kind": k} for a, d, k in leave],
    }
    text = json.dumps(data, indent=1, ensure_ascii=False) + "\n"
    atomic_write(args.report, lambda tmp: tmp.write_text(text, encoding="utf-8"))
