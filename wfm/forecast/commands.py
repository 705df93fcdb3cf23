"""``wfm forecast`` and ``wfm backtest``: the forecast engine on the command line.

Automation relies on this interface::

    wfm forecast HISTORY.csv --start YYYY-MM-DD --days N [--interval-minutes 30]
                 [--holidays CC[-SUB]] [--events events.toml] [--queues A,B]
                 [--method auto|prophet|last-week|mean-4-weeks] -o forecast.csv
    wfm forecast --project plan.wfmp [--start YYYY-MM-DD] [--days N] [--method ...]
                 [-o forecast.csv]
    wfm backtest HISTORY.csv [--origins K] [--horizon-days 14] [--holidays CC[-SUB]]
                 [--events events.toml] [--queues A,B] -o metrics.csv

Bad input (too little history in every queue, a gap, an unknown country code or queue, a bad
file) raises :class:`~wfm.errors.WfmError`, which ``wfm`` prints on one line and exits 2.
Notes on a run that succeeded (a queue skipped for too little history, a queue without calls
forecast zero, an incomplete last day left out) go to stderr, one line each starting
``wfm: note:``, even with ``--quiet``. Nothing heavy is imported at the top of this module
(``wfm --help`` must stay fast).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wfm.errors import WfmError

if TYPE_CHECKING:
    from wfm.forecast.events import Calendar
    from wfm.io.history import IntervalHistory
    from wfm.io.project import Project

METHOD_CHOICES = ("auto", "prophet", "last-week", "mean-4-weeks")  # = wfm.forecast.model.METHODS


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2026-03-01") from None


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"'{text}' must be 1 or more")
    return value


def _calendar_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--holidays",
        metavar="CC",
        help="national holidays: a two-letter country code (GB, US, DE, FR, IN, IL, BR, CN ...), "
        "optionally with a subdivision (GB-ENG, US-CA); overrides the country in --events",
    )
    p.add_argument(
        "--events", type=Path, help="calendar TOML: events (promotions) and special days"
    )
    p.add_argument(
        "--queues",
        type=_queue_list,
        metavar="A,B",
        help="only these queues (comma-separated; default: every queue of the history)",
    )


def _queue_list(text: str) -> list[str]:
    queues = [q.strip() for q in text.split(",") if q.strip()]
    if not queues:
        raise argparse.ArgumentTypeError(f"'{text}' names no queue; write --queues Sales,Support")
    return queues


def _notes(notes: tuple[str, ...]) -> None:
    for note in notes:
        sys.stderr.write(f"wfm: note: {note}\n")


def register(sub: Any) -> None:
    """Add the ``forecast`` and ``backtest`` subcommands to ``sub`` (argparse subparsers)."""
    p = sub.add_parser(
        "forecast",
        help="forecast volume (P10/P90) and AHT per queue and interval",
        description="Forecast offered calls per queue and interval from an interval history, "
        "with P10/P90 bounds and AHT, and write them as CSV "
        "(queue,interval_start,volume,volume_low,volume_high,aht_seconds).",
    )
    p.add_argument(
        "history",
        type=Path,
        nargs="?",
        help="interval history CSV (as `wfm import` writes it; default with --project: the plan's)",
    )
    p.add_argument(
        "--project",
        type=Path,
        metavar="P.wfmp",
        help="forecast the plan's history with its calendar and store the forecast in the plan "
        "(--start, --days and --method default to the plan's forecast settings)",
    )
    p.add_argument("--start", type=_date, help="first day to forecast (YYYY-MM-DD)")
    p.add_argument("--days", type=_positive, help="days to forecast")
    p.add_argument(
        "--interval-minutes",
        type=int,
        choices=(15, 30, 60),
        help="interval length of the forecast (default: the history's; longer intervals are summed)",
    )
    _calendar_options(p)
    p.add_argument(
        "--method", choices=METHOD_CHOICES, help="default: auto (best in a short backtest)"
    )
    p.add_argument(
        "-o", "--output", type=Path, help="forecast CSV to write (optional with --project)"
    )
    p.add_argument(
        "--quiet",
        action="store_true",
        help="print no summary on success (notes still go to stderr)",
    )
    p.set_defaults(func=_cmd_forecast, parser=p)

    p = sub.add_parser(
        "backtest",
        help="rolling-origin backtest of the model and the baselines (WAPE, MAPE, noise floor)",
        description="Forecast the history's last weeks from several origins with every method and "
        "write the accuracy table (interval and daily WAPE and MAPE, P10-P90 coverage, the "
        "Poisson noise floor) as CSV.",
    )
    p.add_argument("history", type=Path, help="interval history CSV (as `wfm import` writes it)")
    p.add_argument("--origins", type=_positive, default=5, help="forecast origins (default 5)")
    p.add_argument(
        "--horizon-days",
        type=_positive,
        default=14,
        help="days forecast from each origin (default 14)",
    )
    _calendar_options(p)
    p.add_argument("-o", "--output", type=Path, required=True, help="metrics CSV to write")
    p.add_argument(
        "--quiet",
        action="store_true",
        help="print no summary on success (notes still go to stderr)",
    )
    p.set_defaults(func=_cmd_backtest)


def _calendar(args: argparse.Namespace) -> Calendar:
    import dataclasses

    from wfm.forecast.events import Calendar

    calendar = Calendar.load(args.events) if args.events else Calendar()
    if args.holidays:
        country, _, subdivision = args.holidays.strip().partition("-")
        calendar = dataclasses.replace(calendar, country=country, subdivision=subdivision or None)
    return calendar


def _history(path: Path, interval_minutes: int | None = None) -> IntervalHistory:
    from wfm.io.history import IntervalHistory

    history = IntervalHistory.read_csv(path)
    if interval_minutes is None or interval_minutes == history.interval_minutes:
        return history
    if interval_minutes < history.interval_minutes or interval_minutes % history.interval_minutes:
        raise WfmError(
            f"{path.name}: the history has {history.interval_minutes}-minute intervals; it can be "
            f"forecast in {history.interval_minutes}-minute or longer multiples, not {interval_minutes}"
        )
    return history.coarser(interval_minutes)


def _cmd_forecast(args: argparse.Namespace) -> int:
    from wfm.forecast.model import forecast

    project: Project | None = None
    if args.project is None:
        from wfm.cli import require_args

        require_args(
            args,
            (
                ("history", args.history),
                ("--start", args.start),
                ("--days", args.days),
                ("-o/--output", args.output),
            ),
        )
        args.method = args.method or "auto"
        if args.output.resolve() == args.history.resolve():
            raise WfmError(f"{args.output.name}: the output would overwrite the history")
        calendar = _calendar(args)
        history = _history(args.history, args.interval_minutes)
    else:
        project, calendar, history = _project_inputs(args)
    result = forecast(
        history, args.start, args.days, calendar=calendar, method=args.method, queues=args.queues
    )
    if args.output is not None:
        result.write_csv(args.output)
    if project is not None:
        _store_forecast(args, project, result)
    _notes(result.notes)
    if not args.quiet:
        daily = result.daily_totals()
        per_queue = daily.groupby("queue")["volume"].sum()
        queues = ", ".join(f"{q} {v:,.0f}" for q, v in per_queue.items())
        lines = [f"Forecast {args.start} + {args.days} days with {result.method}: {queues} calls."]
        if args.output is not None:
            lines.append(f"Wrote {len(result.frame):,} intervals to {args.output}")
        if args.project is not None:
            lines.append(f"Stored {len(result.frame):,} intervals in {args.project}")
        sys.stdout.write("\n".join(lines) + "\n")
    return 0


def _project_inputs(args: argparse.Namespace) -> tuple[Project, Calendar, IntervalHistory]:
    """``wfm forecast --project``: the plan, its calendar and history (unless given), and
    ``args.start``, ``.days`` and ``.method`` filled from the plan's forecast settings
    (else its forecast's, else the day after the history and 28 days)."""
    import dataclasses

    from wfm.forecast.events import Calendar
    from wfm.io.project import open_project
    from wfm.io.project_inputs import missing_part

    path: Path = args.project
    inputs = [path] + ([args.history] if args.history is not None else [])
    if args.output is not None and any(args.output.resolve() == p.resolve() for p in inputs):
        raise WfmError(f"{args.output.name}: the output would overwrite one of the input files")
    project = open_project(path)
    if args.history is not None:
        history = _history(args.history, args.interval_minutes)
    elif project.history is None:
        raise missing_part(path, "history")
    else:
        history = project.history
        if args.interval_minutes is not None and args.interval_minutes != history.interval_minutes:
            minutes = history.interval_minutes
            if args.interval_minutes < minutes or args.interval_minutes % minutes:
                raise WfmError(
                    f"{path.name}: the plan's history has {minutes}-minute intervals; it can be "
                    f"forecast in {minutes}-minute or longer multiples, not {args.interval_minutes}"
                )
            history = history.coarser(args.interval_minutes)
    if args.events:
        calendar = _calendar(args)
    else:
        calendar = project.calendar if project.calendar is not None else Calendar()
        if args.holidays:
            country, _, subdivision = args.holidays.strip().partition("-")
            calendar = dataclasses.replace(
                calendar, country=country, subdivision=subdivision or None
            )
    settings = project.settings
    if args.start is None:
        text = settings.get("forecast.start")
        if text:
            try:
                args.start = dt.date.fromisoformat(str(text))
            except ValueError:
                raise WfmError(
                    f"{path.name}: its forecast start '{text}' is not a date; give --start"
                ) from None
        elif project.forecast is not None:
            args.start = project.forecast.start
        else:
            args.start = history.end.date() + dt.timedelta(days=1)
    if args.days is None:
        days = settings.get("forecast.days")
        if days:
            try:
                args.days = _positive(str(days))
            except argparse.ArgumentTypeError:
                raise WfmError(
                    f"{path.name}: its forecast horizon '{days}' is not a number of days; "
                    "give --days"
                ) from None
        else:
            args.days = project.forecast.days if project.forecast is not None else 28
    if args.method is None:
        method = settings.get("forecast.method")
        args.method = method if method in METHOD_CHOICES else "auto"
    return project, calendar, history


def _store_forecast(args: argparse.Namespace, project: Project, result: Any) -> None:
    """The forecast, its settings and the time it was made, saved into the plan (one
    transaction: the plan is unchanged if the save fails)."""
    from wfm.io.project import save_project

    project.forecast = result
    project.stamps["forecast"] = dt.datetime.now().isoformat(timespec="seconds")
    project.settings.update(
        {
            "forecast.start": args.start.isoformat(),
            "forecast.days": args.days,
            "forecast.method": args.method,
        }
    )
    save_project(project, args.project)


def _cmd_backtest(args: argparse.Namespace) -> int:
    from wfm.forecast.backtest import backtest

    if args.output.resolve() == args.history.resolve():
        raise WfmError(f"{args.output.name}: the output would overwrite the history")
    calendar = _calendar(args)
    history = _history(args.history)
    result = backtest(
        history,
        calendar=calendar,
        origins=args.origins,
        horizon_days=args.horizon_days,
        queues=args.queues,
    )
    result.to_csv(args.output)
    _notes(result.notes)
    if not args.quiet:
        s = result.summary()
        lines = [f"Backtest: {len(result.origins)} origins x {result.horizon_days} days"]
        lines.append(
            f"{'method':<14}{'interval WAPE':>14}{'daily WAPE':>12}{'interval MAPE':>15}{'won':>5}"
        )
        for r in s.itertuples(index=False):
            lines.append(
                f"{r.method:<14}{r.interval_wape:>14.2%}{r.daily_wape:>12.2%}{r.interval_mape:>15.2%}{r.origins_won:>5}"
            )
        lines.append(f"noise floor (perfect Poisson rate): interval WAPE {result.noise_floor:.2%}")
        lines.append(f"recommended: {result.recommended}")
        lines.append(f"Wrote {args.output}")
        sys.stdout.write("\n".join(lines) + "\n")
    return 0
