"""The ``wfm`` command line: everything the window does, headless.

Exit codes: 0 success, 2 bad input (one-line message on stderr), 1 an internal error (also
one line; ``--debug`` shows the traceback). A planner never sees a traceback by default.
"""

from __future__ import annotations

import argparse
import datetime as dt
import signal
import sys
import threading
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from wfm import __version__
from wfm.errors import WfmError

if TYPE_CHECKING:
    from wfm.io.profile import ImportProfile

EXIT_OK, EXIT_INTERNAL, EXIT_BAD_INPUT = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse's own errors also exit 2, on one line
        self.exit(EXIT_BAD_INPUT, f"wfm: {message} (see {self.prog} --help)\n")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2026-03-01") from None


def _profile(text: str) -> ImportProfile:
    from wfm.io.profile import ImportProfile, bundled_profiles

    shipped = bundled_profiles()
    path = shipped.get(text, Path(text))
    return ImportProfile.load(path)


def _reading_options(p: argparse.ArgumentParser, log_help: str) -> None:
    """The file and how to read it: shared by the commands that read a call log."""
    p.add_argument("log", type=Path, help=log_help)
    p.add_argument("--profile", help="import profile (.toml/.json) or a shipped profile's name")
    p.add_argument(
        "--encoding", help="override the detected encoding (utf-8, utf-16, gb18030, cp1252)"
    )
    p.add_argument("--delimiter", help="override the detected delimiter (use 'tab' for tabs)")


def require_args(
    args: argparse.Namespace, pairs: Sequence[tuple[str, object]], suffix: str = ""
) -> None:
    """Refuse, as argparse would (exit 2, one line), when any ``(name, value)`` has no value:
    for arguments that are required only without ``--project``."""
    missing = [name for name, value in pairs if value is None]
    if missing:
        args.parser.error(f"the following arguments are required: {', '.join(missing)}{suffix}")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="wfm", description="Contact-centre workforce planning, headless.")
    parser.add_argument("--version", action="version", version=f"wfm {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser(
        "import",
        help="import a call log or interval report into an interval history CSV",
        description="Read per-call records or an interval report (CSV/TSV/any delimiter, "
        "optionally gzipped, or .xlsx), clean them and write the interval history.",
    )
    _reading_options(p, "the ACD export to import")
    p.add_argument("--interval-minutes", type=int, choices=(15, 30, 60), default=30)
    p.add_argument("-o", "--output", type=Path, required=True, help="interval history CSV to write")
    p.add_argument("--report", type=Path, help="write the cleaning report as JSON here")
    p.add_argument("--start", type=_date, help="first date to keep (YYYY-MM-DD)")
    p.add_argument("--end", type=_date, help="last date to keep (YYYY-MM-DD)")
    p.add_argument("--quiet", action="store_true", help="print nothing on success")
    p.set_defaults(func=_cmd_import)

    p = sub.add_parser(
        "inspect",
        help="show how a file would be read (encoding, delimiter, shape, columns), and save it as a profile",
        description="Read the head of a call log and print what was detected, as the import "
        "dialog shows it. Correct it with --map ROLE=COLUMN and save it with --save-profile.",
    )
    _reading_options(p, "the ACD export to inspect")
    p.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="ROLE=COLUMN",
        help="map a role to a column (an empty COLUMN: the file has no such column); repeatable",
    )
    p.add_argument(
        "--rows", type=int, default=5, help="preview rows to print (personal columns masked)"
    )
    p.add_argument(
        "--save-profile", type=Path, help="write the resulting import profile (.toml or .json)"
    )
    p.set_defaults(func=_cmd_inspect)

    p = sub.add_parser("profiles", help="list the shipped import profiles")
    p.set_defaults(func=_cmd_profiles)

    # Each stage adds its own subcommands; their modules import nothing heavy at the top.
    from wfm.export.changes_cli import register as register_lead_changes
    from wfm.export.commands import register as register_export
    from wfm.forecast.commands import register as register_forecast
    from wfm.io.project_commands import register as register_project
    from wfm.scenarios.commands import register as register_whatif
    from wfm.scheduling.commands import register as register_scheduling
    from wfm.staffing.commands import register as register_staffing

    register_forecast(sub)
    register_staffing(sub)
    register_scheduling(sub)
    register_export(sub)
    register_lead_changes(sub)
    register_whatif(sub)
    register_project(sub)
    return parser


def _profile_from_args(args: argparse.Namespace) -> ImportProfile:
    """The profile named by --profile with --encoding, --delimiter and --map applied."""
    import dataclasses

    from wfm.io.profile import ImportProfile

    profile = _profile(args.profile) if args.profile else ImportProfile()
    if args.encoding:
        profile = dataclasses.replace(profile, encoding=args.encoding)
    if args.delimiter:
        delimiter = {"tab": "\t", "\\t": "\t"}.get(args.delimiter, args.delimiter)
        profile = dataclasses.replace(profile, delimiter=delimiter)
    mapping = dict(profile.columns)
    for item in getattr(args, "map", []):
        role, sep, column = item.partition("=")
        if not sep:
            raise WfmError(f'--map {item}: write it as ROLE=COLUMN (e.g. arrival="Call Start")')
        mapping[role.strip()] = column.strip()
    return profile.with_columns(mapping) if mapping != dict(profile.columns) else profile


def _cmd_inspect(args: argparse.Namespace) -> int:
    from wfm.io.importer import inspect_file, roles_for_shape
    from wfm.io.profile import PERSONAL_ROLES

    preview = inspect_file(args.log, _profile_from_args(args), rows=max(args.rows, 50))
    out = [
        f"{preview.path.name}: {'per-call records' if preview.shape == 'calls' else 'interval report'}"
    ]
    out += [f"  {note}" for note in preview.notes]
    out.append("Columns:")
    labels = {**roles_for_shape(preview.shape), **PERSONAL_ROLES}
    for role, label in labels.items():
        column = preview.mapping.get(role)
        if column:
            out.append(f"  {role:<22} {column!r:<24} {label}")
    unused = [c for c in preview.columns if c not in preview.mapping.values()]
    if unused:
        out.append("  not used: " + ", ".join(repr(c) for c in unused))
    if args.rows > 0:
        out.append("First rows (personal columns masked):")
        head = preview.preview.head(args.rows)
        head.index = list(preview.row_numbers[: len(head)])
        out.append(head.to_string(max_colwidth=24))
    out += [f"Problem: {p}" for p in preview.problems]
    sys.stdout.write("\n".join(out) + "\n")
    if args.save_profile:
        import dataclasses

        profile = preview.profile
        if not profile.name:
            profile = dataclasses.replace(profile, name=f"Exports like {preview.path.name}")
        profile.save(args.save_profile)
        sys.stdout.write(f"Saved the profile to {args.save_profile}\n")
    return EXIT_OK


def _cmd_import(args: argparse.Namespace) -> int:
    from wfm.io.importer import import_log

    profile = _profile_from_args(args)
    if args.output.resolve() == args.log.resolve():
        raise WfmError(f"{args.output.name}: the output would overwrite the log being imported")
    result = import_log(
        args.log, profile, interval_minutes=args.interval_minutes, start=args.start, end=args.end
    )
    result.history.write_csv(args.output)
    if args.report:
        from wfm.io.atomic import atomic_write

        text = result.report.to_json()
        atomic_write(args.report, lambda tmp: _write_text(tmp, text))
    if not args.quiet:
        sys.stdout.write(result.report.to_text())
        sys.stdout.write(f"Wrote {len(result.history):,} intervals to {args.output}\n")
    return EXIT_OK


def _cmd_profiles(args: argparse.Namespace) -> int:
    from wfm.io.profile import ImportProfile, bundled_profiles

    for name, path in bundled_profiles().items():
        print(f"{name}\t{ImportProfile.load(path).name}")
    return EXIT_OK


def _write_text(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


class _Terminated(KeyboardInterrupt):
    """SIGTERM (a scheduler, `timeout`, CI), raised like Ctrl+C so clean-up code runs."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise _Terminated()


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    previous = None
    if threading.current_thread() is threading.main_thread():
        # Worker processes (forecast fits) are stopped by the commands' own clean-up.
        previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        return _run(args)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _run(args: argparse.Namespace) -> int:
    try:
        return int(args.func(args))
    except WfmError as exc:
        sys.stderr.write(f"wfm: {exc}\n")
        return EXIT_BAD_INPUT
    except _Terminated:
        sys.stderr.write("wfm: terminated\n")
        return 143
    except KeyboardInterrupt:
        sys.stderr.write("wfm: interrupted\n")
        return 130
    except Exception as exc:  # a bug: say so in one line, keep the traceback for --debug
        if args.debug:
            traceback.print_exc()
        sys.stderr.write(
            f"wfm: internal error ({type(exc).__name__}: {exc}). Please report it; "
            "rerun with --debug for details\n"
        )
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
