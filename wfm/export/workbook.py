"""The roster as the Excel workbook a team lead would have made by hand, on a good day.

:func:`export_roster` writes, in this order:

- **Summary**: the centre, the period, the service targets, totals per team (agents,
  shifts, paid hours, FTE, cost) and, with a requirement, per queue and per day (required
  and scheduled agent-hours, projected service level), the generation time and the source;
- **one sheet per team** laid out as :mod:`wfm.export.layout` says: agents as rows (sorted
  by name, as a lead looks them up), dates as columns, each cell the shift times
  (``08:00-16:30``), filled in its template's colour (the planner's colours), leave and
  days off marked, paid hours per Mon-Sun week and in total, agents working and paid hours
  per day; frozen header and names, an autofilter, and print settings (A4 landscape, one
  page wide, the header rows repeated, the team and period in the page header);
- **Coverage** (with a requirement): required, scheduled, over/under heads and projected
  service level per interval, shortfalls in red, and a native line chart;
- **day sheets** on request (``Mon 02 Nov``): the agents working that day by start time,
  one column per quarter hour, working time in the template's colour, breaks dark with
  ``B`` (or ``L`` for a lunch), and the required and scheduled heads per quarter hour;
- a hidden sheet (:data:`wfm.export.layout.META_SHEET`) recording what was exported, so a
  team lead's edits can be read back (:mod:`wfm.export.changes`).

Values are typed: dates and times are date/time cells, hours and heads numbers. Text from
user data is written as text even when it starts like a formula. The file is built in
openpyxl's write-only mode (streamed, fast) and saved through
:func:`wfm.io.atomic.atomic_write`: a failure or a cancel leaves the previous file as it was
and no half-written file.

Coverage figures are the centre's (every agent of the roster against the requirement), also
when only some teams are exported: the requirement is the centre's.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from wfm.errors import WfmError
from wfm.export import layout
from wfm.progress import ProgressCallback, report
from wfm.roster.cells import LEAVE_COLOUR, NO_TEMPLATE_COLOUR, template_colour
from wfm.roster.hours import NO_TEAM, team_totals, weekly_hours
from wfm.roster.roster import Roster, Shift
from wfm.scheduling.model import MINUTES_PER_DAY, WEEKDAYS, Agent, ShiftTemplate, clock, weeks_of

if TYPE_CHECKING:
    from wfm.export.styles import Look, StyleBook
    from wfm.roster.coverage import Coverage
    from wfm.roster.report import QualityReport
    from wfm.scheduling.need import StaffingNeed

SUMMARY_SHEET = "Summary"
COVERAGE_SHEET = "Coverage"
#: Labels in column A of the total rows under a team sheet's agents (not agents).
AGENTS_WORKING = "Agents working"
PAID_HOURS = "Paid hours"
TOTAL_LABELS = (AGENTS_WORKING, PAID_HOURS)
TOTAL_HOURS = "Total hours"
SKILLS_HEADER = "Skills"
WEEKEND_OFF_FILL = "F2F2F2"  # weekend days off, lightly shaded so the weeks stand out
QUARTER = 15  # minutes per column of a day sheet
TEXT = "@"  # the number format of a text cell
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class ExportOptions:
    """What to export and how to title it."""

    teams: tuple[str, ...] | None = None  # team names ("" = agents without a team); None = all
    start: dt.date | None = None  # first day of the period; None = the roster's start
    days: int | None = None  # None = to the end of the roster's horizon
    day_sheets: bool = False  # one sheet per day: agents x 15-minute intervals
    centre: str = ""  # the centre's name for titles ("" -> "Contact centre")
    source: str = ""  # where the plan came from (file name / project), for the summary
    fte_hours_per_week: float = 40.0  # paid hours of one full-time equivalent
    generated: dt.datetime | None = None  # None = now


@dataclass(frozen=True)
class ExportSummary:
    """What :func:`export_roster` wrote."""

    path: Path
    sheets: tuple[str, ...]  # visible sheet titles in order (the meta sheet excluded)
    agents: int
    shifts: int
    seconds: float


# --- small text helpers ------------------------------------------------------------------


def day_label(day: dt.date) -> str:
    """``Mon 02 Nov`` (a day sheet's name)."""
    return f"{WEEKDAYS[day.weekday()]} {day.day:02d} {MONTHS[day.month - 1]}"


def long_date(day: dt.date) -> str:
    """``Mon 02 Nov 2026``."""
    return f"{day_label(day)} {day.year}"


def _short_date(day: dt.date) -> str:
    return f"{day.day:02d} {MONTHS[day.month - 1]}"


def period_text(first: dt.date, last: dt.date) -> str:
    """``Mon 02 Nov 2026 – Sun 29 Nov 2026``."""
    return f"{long_date(first)} – {long_date(last)}"


#: Excel refuses (repairs) a page header or footer over 255 characters, its codes included.
HEADER_FOOTER_MAX = 255


def _hf(value: str, room: int = HEADER_FOOTER_MAX - 2) -> str:
    """Text for a page header or footer section: ``&`` (which starts a code there) doubled,
    cut with ``…`` to ``room`` characters (a section's ``&C`` code takes two of Excel's 255)."""
    from wfm.export.styles import text

    value = text(value)
    escaped = value.replace("&", "&&")
    if len(escaped) <= room:
        return escaped
    out, used = [], 1  # the ellipsis
    for ch in value:
        size = 2 if ch == "&" else 1
        if used + size > room:
            break
        out.append("&&" if ch == "&" else ch)
        used += size
    return "".join(out).rstrip() + "…"


def _hours_text(minutes: Sequence[int]) -> str:
    return "/".join(f"{m / 60:g}" for m in sorted(set(minutes))) + " h"


def template_legend(template: ShiftTemplate) -> str:
    """``Early 07:30-09:00 start, 8.5 h``."""
    if template.start_earliest == template.start_latest:
        starts = f"{clock(template.start_earliest)} start"
    else:
        starts = f"{clock(template.start_earliest)}-{clock(template.start_latest)} start"
    return f"{template.name} {starts}, {_hours_text(template.lengths_minutes)}"


def target_lines(need: StaffingNeed | None) -> list[tuple[str, str]]:
    """The service targets as (key, text) rows of the summary."""
    if need is None:
        return [
            (
                "Service-level target",
                "No requirement was given: the Coverage sheet and the service-level figures "
                "are left out.",
            )
        ]
    from wfm.staffing.requirement import MODELS

    target = need.target
    if target is None:
        return [
            ("Service-level target", "not recorded with the requirement"),
            ("Projection model", f"{MODELS['erlang_c']} at 80 % within 20 s (the default)"),
        ]
    rows: list[tuple[str, str]] = []
    if target.service_level is not None:
        rows.append(
            (
                "Service-level target",
                f"{target.service_level * 100:g} % answered within {target.answer_seconds:g} s",
            )
        )
    if target.max_asa_seconds is not None:
        rows.append(("Average speed of answer", f"at most {target.max_asa_seconds:g} s"))
    if target.max_occupancy is not None:
        rows.append(("Occupancy", f"at most {target.max_occupancy * 100:g} %"))
    if target.max_abandon is not None:
        rows.append(("Abandon rate", f"at most {target.max_abandon * 100:g} %"))
    if target.shrinkage:
        rows.append(("Shrinkage", f"{target.shrinkage * 100:g} %"))
    model = MODELS.get(target.model, target.model)
    if target.model == "erlang_a" and target.patience_seconds:
        model += f", callers' patience {target.patience_seconds:g} s"
    rows.append(("Projection model", model))
    if not rows or rows[0][0] != "Service-level target":
        rows.insert(0, ("Service-level target", "none"))
    return rows


# --- checks --------------------------------------------------------------------------------


def lock_file(path: Path) -> Path | None:
    """The lock file Excel (``~$name.xlsx``) or LibreOffice (``.~lock.name.xlsx#``) keeps
    beside a workbook it has open, if there is one."""
    for name in (f"~${path.name}", f".~lock.{path.name}#"):
        candidate = path.with_name(name)
        if candidate.exists():
            return candidate
    return None


def check_export_path(path: str | Path) -> Path:
    """``path`` if a workbook can be exported there.

    Raises
    ------
    WfmError
        When the name does not end in ``.xlsx``, the folder does not exist, or the workbook
        is open in Excel or LibreOffice (their lock file is beside it).
    """
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise WfmError(f"{path.name}: an Excel workbook's name must end in .xlsx")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise WfmError(f"Cannot save {path.name}: the folder {folder} does not exist.")
    lock = lock_file(path)
    if lock is not None:
        program = "Excel" if lock.name.startswith("~$") else "LibreOffice"
        raise WfmError(
            f"{path.name} is open in another program ({program}; its lock file {lock.name} "
            "is beside it). Close it there and export again, or choose another name."
        )
    return path


# --- what is exported ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Plan:
    """The resolved period, teams and agents of an export."""

    first: dt.date
    days: int
    teams: tuple[str, ...]  # in sheet order
    sheet_of_team: dict[str, str]
    agents_of_team: dict[str, tuple[Agent, ...]]
    day_sheets: tuple[tuple[dt.date, str], ...]

    @property
    def dates(self) -> list[dt.date]:
        return [self.first + dt.timedelta(days=i) for i in range(self.days)]

    @property
    def last(self) -> dt.date:
        return self.first + dt.timedelta(days=self.days - 1)

    @property
    def agents(self) -> list[Agent]:
        return [a for t in self.teams for a in self.agents_of_team[t]]


def _team_key(team: str) -> tuple[bool, str]:
    return (team == "", team.casefold())


def _plan(roster: Roster, options: ExportOptions) -> _Plan:
    first = options.start or roster.start
    last_day = roster.start + dt.timedelta(days=roster.days - 1)
    horizon = f"{roster.start.isoformat()} to {last_day.isoformat()}"
    if not roster.in_horizon(first):
        raise WfmError(
            f"the period starts on {first.isoformat()}, outside the roster's days ({horizon})."
        )
    days = options.days if options.days is not None else roster.days - roster.day_index(first)
    if days < 1:
        raise WfmError(f"the period must cover at least one day, not {days}.")
    last = first + dt.timedelta(days=days - 1)
    if not roster.in_horizon(last):
        raise WfmError(
            f"the period runs to {last.isoformat()}, past the end of the roster's days ({horizon})."
        )
    if not options.fte_hours_per_week > 0:
        raise WfmError(
            f"the hours of a full-time equivalent must be more than 0, not "
            f"{options.fte_hours_per_week:g}."
        )
    known = sorted({a.team for a in roster.agents}, key=_team_key)
    if options.teams is None:
        teams = known
    else:
        wanted = list(dict.fromkeys(options.teams))
        unknown = [t for t in wanted if t not in known]
        if unknown:
            names = ", ".join(f"'{t}'" if t else "'' (no team)" for t in unknown)
            listed = ", ".join(t or "(no team)" for t in known)
            raise WfmError(f"there is no team {names} in the roster (its teams: {listed}).")
        teams = sorted(wanted, key=_team_key)
    agents_of_team = {
        t: tuple(sorted((a for a in roster.agents if a.team == t), key=lambda a: a.name.casefold()))
        for t in teams
    }
    teams = [t for t in teams if agents_of_team[t]]
    if not teams:
        raise WfmError("no agents to export: the roster has no agents in the teams chosen.")
    dates = [first + dt.timedelta(days=i) for i in range(days)]
    day_sheets: list[tuple[dt.date, str]] = []
    if options.day_sheets:
        long_period = days > 364
        for d in dates:
            name = day_label(d) + (f" {d.year % 100:02d}" if long_period else "")
            day_sheets.append((d, name))
    reserved = [SUMMARY_SHEET, COVERAGE_SHEET, *(name for _, name in day_sheets)]
    sheet_of_team = layout.sheet_names(teams, reserved)
    return _Plan(first, days, tuple(teams), sheet_of_team, agents_of_team, tuple(day_sheets))


# --- the export ----------------------------------------------------------------------------


def export_roster(
    roster: Roster,
    path: str | Path,
    *,
    need: StaffingNeed | None = None,
    options: ExportOptions = ExportOptions(),  # noqa: B008 - frozen, never changed
    progress: ProgressCallback | None = None,
) -> ExportSummary:
    """Write ``roster`` as an Excel workbook for team leads (see the module docs).

    Parameters
    ----------
    roster
        The roster to export.
    path
        The workbook to write (``.xlsx``); an existing file is replaced only when the new
        one is complete.
    need
        The requirement: adds the Coverage sheet, the required vs scheduled rows of the day
        sheets and the service-level figures of the summary. Its days outside the period
        are ignored.
    options
        Teams, period, day sheets and titles.
    progress
        ``progress(fraction, message)``; raising :class:`wfm.progress.Cancelled` from it
        stops the export and writes nothing.

    Returns
    -------
    ExportSummary
        The file, its visible sheets, and the agents and shifts exported.

    Raises
    ------
    WfmError
        A period outside the roster's days, an unknown team, no agents selected, a name not
        ending in ``.xlsx``, a workbook open in another program, or a failed save (the old
        file is then untouched).
    """
    began = time.perf_counter()
    path = check_export_path(path)
    try:
        plan = _plan(roster, options)
    except WfmError as exc:
        raise WfmError(f"Cannot export {path.name}: {exc}") from None
    report(progress, 0.0, "Summarising the roster…")
    from openpyxl import Workbook

    from wfm.export.styles import StyleBook

    generated = options.generated or dt.datetime.now()
    if generated.tzinfo is not None:
        generated = generated.astimezone().replace(tzinfo=None)
    generated = generated.replace(microsecond=0)
    ctx = _Context(roster, plan, options, generated, StyleBook(), need)
    wb = Workbook(write_only=True)
    wb.properties.creator = "wfm-planner"
    wb.properties.title = ctx.title
    try:
        steps: list[tuple[str, Callable[[], None]]] = [
            (SUMMARY_SHEET, lambda: _summary_sheet(ctx, wb.create_sheet(SUMMARY_SHEET)))
        ]
        for team in plan.teams:
            name = plan.sheet_of_team[team]
            steps.append((name, _bind(_team_sheet, ctx, wb, name, team)))
        if need is not None:
            steps.append(
                (COVERAGE_SHEET, lambda: _coverage_sheet(ctx, wb.create_sheet(COVERAGE_SHEET)))
            )
        for day, name in plan.day_sheets:
            steps.append((name, _bind(_day_sheet, ctx, wb, name, day)))
        for k, (name, step) in enumerate(steps):
            report(progress, 0.05 + 0.85 * k / len(steps), f"Writing {name}…")
            step()
        meta = wb.create_sheet(layout.META_SHEET)
        meta.sheet_state = "hidden"
        for row in layout.meta_rows(ctx.meta_values(), ctx.meta_cells):
            meta.append([ctx.styles.plain(meta, v) for v in row])
        report(progress, 0.92, f"Saving {path.name}…")
        from wfm.io.atomic import atomic_write

        atomic_write(path, wb.save)
    except BaseException:
        _discard(wb)
        raise
    report(progress, 1.0, f"Wrote {path.name}")
    sheets = tuple(name for name, _ in steps)
    return ExportSummary(
        path, sheets, len(plan.agents), ctx.shift_count, time.perf_counter() - began
    )


def _bind(
    write: Callable[[_Context, Any, str, Any], None], ctx: _Context, wb: Any, name: str, key: Any
) -> Callable[[], None]:
    return lambda: write(ctx, wb.create_sheet(name), name, key)


def _discard(wb: Any) -> None:
    """Remove the temporary files openpyxl streams write-only sheets to (after a cancel or
    a failed save; a successful save removes them itself)."""
    from openpyxl.worksheet._writer import ALL_TEMP_FILES

    for ws in getattr(wb, "_sheets", []):
        rows = getattr(ws, "_rows", None)
        writer = getattr(ws, "_writer", None)
        with contextlib.suppress(Exception):
            if rows is not None:
                rows.close()
        if writer is None:
            continue
        with contextlib.suppress(Exception):
            writer.close()
        out = getattr(writer, "out", None)
        if isinstance(out, str):
            with contextlib.suppress(OSError):
                os.remove(out)
            with contextlib.suppress(ValueError):
                ALL_TEMP_FILES.remove(out)


class _Context:
    """Everything the sheets share: the plan, the figures, the looks and the meta cells."""

    def __init__(
        self,
        roster: Roster,
        plan: _Plan,
        options: ExportOptions,
        generated: dt.datetime,
        styles: StyleBook,
        need: StaffingNeed | None,
    ) -> None:
        self.roster = roster
        self.plan = plan
        self.options = options
        self.generated = generated
        self.styles = styles
        from wfm.export.styles import text

        # cleaned once: the centre also goes where no cell cleans it (page headers, the
        # file's title property), and a control character there makes the file unreadable
        self.centre = text(options.centre).strip() or "Contact centre"
        self.source = text(options.source).strip()
        self.period = period_text(plan.first, plan.last)
        self.title = f"{self.centre}: roster {self.period}"
        self.meta_cells: list[tuple[str, str, dt.date, str]] = []
        self.looks = _looks()
        self.quarters: _Quarters | None = None
        dates = set(plan.dates)
        self.shifts: dict[tuple[str, dt.date], Shift] = {
            cell: s for cell, s in roster.shifts.items() if cell[1] in dates
        }
        selected = {a.name for a in plan.agents}
        self.shift_count = sum(1 for (a, _) in self.shifts if a in selected)
        self.template_index = {t.name.lower(): i for i, t in enumerate(roster.setup.templates)}
        # the period as a roster of its own, for the Mon-Sun weeks cut to the period
        self.period_roster = Roster(
            plan.first, plan.days, roster.agents, roster.setup, dict(self.shifts)
        )
        self.weeks = [
            (plan.dates[w[0]], plan.dates[w[-1]]) for w in weeks_of(plan.first, plan.days)
        ]
        self.need: StaffingNeed | None = None
        #: the requirement over the period and the day after (day sheets run past midnight)
        self.need_after: StaffingNeed | None = None
        self.cover: Coverage | None = None
        self.quality: QualityReport | None = None
        if need is not None:
            from wfm.roster.coverage import coverage
            from wfm.roster.report import quality_report

            self.need = need.window(plan.first, plan.days)
            self.need_after = need.window(plan.first, plan.days + 1)
            self.cover = coverage(roster, self.need)
            self.quality = quality_report(roster, self.need, violations=0, cover=self.cover)

    def colour(self, shift: Shift) -> str:
        index = self.template_index.get(shift.template.lower(), -1) if shift.template else -1
        return template_colour(index)

    def subtitle(self) -> str:
        parts = [
            self.centre,
            f"generated {long_date(self.generated.date())} {self.generated:%H:%M}",
        ]
        if self.source:
            parts.append(f"from {self.source}")
        return " · ".join(parts)

    def meta_values(self) -> dict[str, str]:
        return {
            "roster_start": self.roster.start.isoformat(),
            "roster_days": str(self.roster.days),
            "period_start": self.plan.first.isoformat(),
            "period_days": str(self.plan.days),
            "generated": self.generated.isoformat(),
            "source": self.source,
            "centre": self.centre,
        }


def _print_setup(
    ws: Any, header: str, title_rows: str | None, title_cols: str | None, fit_width: bool = True
) -> None:
    from openpyxl.worksheet.page import PageMargins
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    if fit_width:
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    if title_rows:
        ws.print_title_rows = title_rows
    if title_cols:
        ws.print_title_cols = title_cols
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.7, bottom=0.6, header=0.3, footer=0.3)
    ws.HeaderFooter.oddHeader.center.text = _hf(header)
    ws.HeaderFooter.oddFooter.center.text = "Page &P of &N"


def _widths(ws: Any, widths: dict[str, float]) -> None:
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width


def _looks() -> dict[str, Look]:
    from wfm.export.styles import (
        DATE,
        DATETIME,
        DAY_HEADER,
        FTE,
        HEADER_FILL,
        HOURS,
        NOTE_COLOUR,
        OFF_COLOUR,
        PERCENT,
        TIME,
        TOTAL_FILL,
        WEEKEND_FILL,
        Look,
    )

    return {
        "title": Look(bold=True, size=14),
        "subtitle": Look(italic=True, colour=NOTE_COLOUR),
        "section": Look(bold=True, size=12),
        "key": Look(bold=True),
        "note": Look(italic=True, colour=NOTE_COLOUR),
        "header": Look(
            fill=HEADER_FILL, bold=True, border=True, align="center", wrap=True, vertical="center"
        ),
        "header_left": Look(
            fill=HEADER_FILL, bold=True, border=True, align="left", vertical="center", wrap=True
        ),
        "header_date": Look(
            fill=HEADER_FILL,
            bold=True,
            border=True,
            align="center",
            vertical="center",
            fmt=DAY_HEADER,
        ),
        "header_weekend": Look(
            fill=WEEKEND_FILL,
            bold=True,
            border=True,
            align="center",
            vertical="center",
            fmt=DAY_HEADER,
        ),
        "name": Look(border=True),
        "skills": Look(border=True, colour=NOTE_COLOUR),
        "off": Look(border=True, align="center", colour=OFF_COLOUR),
        "leave": Look(
            fill=LEAVE_COLOUR.lstrip("#").upper(), border=True, align="center", italic=True
        ),
        "hours": Look(border=True, fmt=HOURS),
        "hours_bold": Look(border=True, fmt=HOURS, bold=True),
        "total_label": Look(border=True, bold=True, fill=TOTAL_FILL),
        "total_int": Look(border=True, bold=True, fill=TOTAL_FILL, align="center"),
        "total_hours": Look(border=True, bold=True, fill=TOTAL_FILL, fmt=HOURS),
        "cell": Look(border=True),
        "int": Look(border=True, fmt="0"),
        "fte": Look(border=True, fmt=FTE),
        "percent": Look(border=True, fmt=PERCENT),
        "date": Look(border=True, fmt=DATE, align="left"),
        "time": Look(border=True, fmt=TIME, align="center"),
        "datetime": Look(fmt=DATETIME, align="left"),
        "value_date": Look(fmt=DATE, align="left"),
        "value_int": Look(fmt="#,##0", align="left"),
        "value_hours": Look(fmt="#,##0.0", align="left"),
        "value_fte": Look(fmt=FTE, align="left"),
        "value_percent": Look(fmt=PERCENT, align="left"),
        "heads": Look(border=True, fmt="0.0"),
    }


def _look(ctx: _Context, key: str) -> Look:
    return ctx.looks[key]


def _fill_look(ctx: _Context, colour: str, **extra: Any) -> Look:
    from wfm.export.styles import Look, hex_colour

    return Look(fill=hex_colour(colour), border=True, align="center", **extra)


# --- the Summary sheet ---------------------------------------------------------------------


def _nan_free(value: Any) -> Any:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    return v if np.isfinite(v) else None


def _summary_sheet(ctx: _Context, ws: Any) -> None:
    s, plan = ctx.styles, ctx.plan
    ws.sheet_view.showGridLines = False
    _widths(ws, {"A": 28, "B": 20, "C": 14, "D": 14, "E": 14, "F": 14, "G": 14})
    for letter in "HIJKLMNOPQRST":
        ws.column_dimensions[letter].width = 12
    _print_setup(ws, f"{ctx.centre} – {ctx.period}", None, None)

    written = [0]

    def put(*cells: Any) -> None:
        ws.append(list(cells))
        written[0] += 1

    put(s.cell(ws, ctx.title, _look(ctx, "title")))
    put()
    agents = plan.agents
    selected = {a.name for a in agents}
    shifts = [sh for (a, _), sh in ctx.shifts.items() if a in selected]
    paid = sum(sh.paid_minutes for sh in shifts) / 60.0
    fte_hours = ctx.options.fte_hours_per_week * plan.days / 7.0
    key = _look(ctx, "key")
    rows: list[tuple[str, Any, str | None]] = [
        ("Centre", ctx.centre, None),
        ("Period", ctx.period, None),
        ("Days", plan.days, "value_int"),
        ("Teams", ", ".join(t or layout.NO_TEAM_SHEET for t in plan.teams), None),
        ("Agents", len(agents), "value_int"),
        ("Shifts", len(shifts), "value_int"),
        ("Paid hours", paid, "value_hours"),
        (
            f"FTE ({ctx.options.fte_hours_per_week:g} h a week)",
            paid / fte_hours,
            "value_fte",
        ),
    ]
    for k, v in target_lines(ctx.need if ctx.need is not None else None):
        rows.append((k, v, None))
    q = ctx.quality
    if q is not None:
        rows.append(("Coverage of the requirement", q.coverage, "value_percent"))
        if q.service_level is not None:
            rows.append(("Projected service level", q.service_level, "value_percent"))
        if q.abandon_rate is not None:
            rows.append(("Projected abandon rate", q.abandon_rate, "value_percent"))
    rows.append(("Generated", ctx.generated, "datetime"))
    rows.append(("Source plan", ctx.source or "not recorded", None))
    for k, v, look in rows:
        put(s.cell(ws, k, key), s.cell(ws, v, _look(ctx, look) if look else None))

    # teams
    put()
    put(s.cell(ws, "Teams", _look(ctx, "section")))
    rates = {a.name: a.hourly_cost for a in agents if a.hourly_cost is not None}
    header = ["Team", "Agents", "Shifts", "Paid hours", "FTE"] + (["Cost"] if rates else [])
    put(
        *(
            s.cell(ws, h, _look(ctx, "header_left" if i == 0 else "header"))
            for i, h in enumerate(header)
        )
    )
    from wfm.export.styles import COST, Look

    cost_look = Look(border=True, fmt=COST)
    total_cost_look = Look(border=True, bold=True, fmt=COST)
    by_team = team_totals(ctx.roster, plan.first, plan.days)
    totals = [0, 0, 0.0, 0.0]
    for team in plan.teams:
        t = by_team.loc[team or NO_TEAM]
        team_paid, team_cost = float(t["paid_hours"]), float(t["cost"])
        totals[0] += int(t["agents"])
        totals[1] += int(t["shifts"])
        totals[2] += team_paid
        totals[3] += team_cost
        row = [
            s.cell(ws, team or layout.NO_TEAM_SHEET, _look(ctx, "name")),
            s.cell(ws, int(t["agents"]), _look(ctx, "int")),
            s.cell(ws, int(t["shifts"]), _look(ctx, "int")),
            s.cell(ws, team_paid, _look(ctx, "hours")),
            s.cell(ws, team_paid / fte_hours, _look(ctx, "fte")),
        ]
        if rates:
            row.append(s.cell(ws, team_cost, cost_look))
        put(*row)
    from wfm.export.styles import FTE, TOTAL_FILL

    bold_int = Look(border=True, bold=True, fmt="0", fill=TOTAL_FILL)
    row = [
        s.cell(ws, "All teams", _look(ctx, "total_label")),
        s.cell(ws, totals[0], bold_int),
        s.cell(ws, totals[1], bold_int),
        s.cell(ws, totals[2], _look(ctx, "total_hours")),
        s.cell(ws, totals[2] / fte_hours, Look(border=True, bold=True, fmt=FTE, fill=TOTAL_FILL)),
    ]
    if rates:
        row.append(s.cell(ws, totals[3], replace(total_cost_look, fill=TOTAL_FILL)))
        put(*row)
        unpriced = sorted({sh.agent for sh in shifts if sh.agent not in rates})
        if unpriced:
            put(
                s.cell(
                    ws,
                    f"The cost leaves out {len(unpriced)} agent(s) without an hourly "
                    f"cost ({', '.join(unpriced[:3])}{'…' if len(unpriced) > 3 else ''}).",
                    _look(ctx, "note"),
                )
            )
    else:
        put(*row)

    if q is None or ctx.need is None:
        return
    need = ctx.need
    per_queue = q.per_queue_day
    has_sl = "service_level" in per_queue and per_queue["service_level"].notna().any()

    # queues
    put()
    put(s.cell(ws, "Queues (the whole centre against the requirement)", _look(ctx, "section")))
    header = ["Queue", "Required hours", "Scheduled hours", "Under hours", "Coverage"]
    if has_sl:
        header.append("Projected SL")
    ws.row_dimensions[written[0] + 1].height = 30
    put(
        *(
            s.cell(ws, h, _look(ctx, "header_left" if i == 0 else "header"))
            for i, h in enumerate(header)
        )
    )
    for queue in need.queues:
        part = per_queue[per_queue["queue"] == queue]
        req = float(part["required_hours"].sum())
        row = [
            s.cell(ws, queue, _look(ctx, "name")),
            s.cell(ws, req, _look(ctx, "hours")),
            s.cell(ws, float(part["scheduled_hours"].sum()), _look(ctx, "hours")),
            s.cell(ws, float(part["under_hours"].sum()), _look(ctx, "hours")),
            s.cell(
                ws,
                1.0 - float(part["under_hours"].sum()) / req if req > 0 else None,
                _look(ctx, "percent"),
            ),
        ]
        if has_sl:
            sl = part["service_level"].to_numpy(dtype=float)
            calls = part["calls"].to_numpy(dtype=float)
            known = np.isfinite(sl) & (calls > 0)
            value = (
                float((sl[known] * calls[known]).sum() / calls[known].sum())
                if known.any()
                else None
            )
            row.append(s.cell(ws, value, _look(ctx, "percent")))
        put(*row)
    bold_pct = Look(border=True, bold=True, fmt="0.0%", fill=TOTAL_FILL)
    row = [
        s.cell(ws, "All queues", _look(ctx, "total_label")),
        s.cell(ws, q.required_hours, _look(ctx, "total_hours")),
        s.cell(ws, q.scheduled_work_hours, _look(ctx, "total_hours")),
        s.cell(ws, q.under_hours, _look(ctx, "total_hours")),
        s.cell(ws, q.coverage, bold_pct),
    ]
    if has_sl:
        row.append(s.cell(ws, q.service_level, bold_pct))
    put(*row)

    # per day
    put()
    put(
        s.cell(
            ws,
            "Per day (agent-hours on the phones; SL = projected service level)",
            _look(ctx, "section"),
        )
    )
    header = ["Date"]
    for queue in need.queues:
        header += [f"{queue} required", f"{queue} scheduled"] + ([f"{queue} SL"] if has_sl else [])
    header += ["All required", "All scheduled", "Under"] + (["SL"] if has_sl else [])
    ws.row_dimensions[written[0] + 1].height = 30
    put(
        *(
            s.cell(ws, h, _look(ctx, "header_left" if i == 0 else "header"))
            for i, h in enumerate(header)
        )
    )
    by_queue = {
        queue: per_queue[per_queue["queue"] == queue].reset_index(drop=True)
        for queue in need.queues
    }
    per_day = q.per_day
    for i, day in enumerate(need.dates()):
        row = [s.cell(ws, day, _look(ctx, "date"))]
        for queue in need.queues:
            part = by_queue[queue]
            row += [
                s.cell(ws, float(part.at[i, "required_hours"]), _look(ctx, "hours")),
                s.cell(ws, float(part.at[i, "scheduled_hours"]), _look(ctx, "hours")),
            ]
            if has_sl:
                row.append(
                    s.cell(ws, _nan_free(part.at[i, "service_level"]), _look(ctx, "percent"))
                )
        row += [
            s.cell(ws, float(per_day.at[i, "required_hours"]), _look(ctx, "hours")),
            s.cell(ws, float(per_day.at[i, "scheduled_hours"]), _look(ctx, "hours")),
            s.cell(ws, float(per_day.at[i, "under_hours"]), _look(ctx, "hours")),
        ]
        if has_sl:
            row.append(s.cell(ws, _nan_free(per_day.at[i, "service_level"]), _look(ctx, "percent")))
        put(*row)
    put()
    for note in q.notes:
        put(s.cell(ws, note, _look(ctx, "note")))
    put(
        s.cell(
            ws,
            "Coverage figures count every agent of the roster, also of teams not "
            "exported: the requirement is the centre's.",
            _look(ctx, "note"),
        )
    )


# --- team sheets ---------------------------------------------------------------------------


def _legend(ctx: _Context, agents: Sequence[Agent]) -> list[tuple[str, Look]]:
    """(text, look) of the legend items: the templates used, other shifts, leave, off."""
    names = {a.name for a in agents}
    used: set[int] = set()
    other = False
    for (a, _), sh in ctx.shifts.items():
        if a in names:
            index = ctx.template_index.get(sh.template.lower(), -1) if sh.template else -1
            if index < 0:
                other = True
            else:
                used.add(index)
    items = [
        (template_legend(t), _fill_look(ctx, template_colour(i)))
        for i, t in enumerate(ctx.roster.setup.templates)
        if i in used
    ]
    if other:
        items.append(("Other shift", _fill_look(ctx, NO_TEMPLATE_COLOUR)))
    items.append(("Leave, Sick: leave", _look(ctx, "leave")))
    items.append((f"{layout.OFF_TEXT}: day off", _look(ctx, "off")))
    return items


def _team_sheet(ctx: _Context, ws: Any, sheet: str, team: str) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.cell_range import CellRange

    s, plan = ctx.styles, ctx.plan
    agents = ctx.plan.agents_of_team[team]
    dates = plan.dates
    n_days, n_weeks = len(dates), len(ctx.weeks)
    first_week_col = layout.FIRST_DATE_COLUMN + n_days
    total_col = first_week_col + n_weeks
    last_col = get_column_letter(total_col)
    team_name = team or layout.NO_TEAM_SHEET
    header_row = layout.HEADER_ROW
    last_agent_row = header_row + len(agents)

    # widths, heights, frozen panes, filter and print settings come before the rows
    name_width = min(max([len(a.name) for a in agents] + [14]) * 1.1 + 2, 34)
    skills_width = min(max([len(", ".join(a.skills)) for a in agents] + [8]) + 2, 24)
    _widths(ws, {"A": name_width, "B": skills_width})
    for c in range(layout.FIRST_DATE_COLUMN, total_col + 1):
        ws.column_dimensions[get_column_letter(c)].width = 11.5 if c < first_week_col else 10
    ws.row_dimensions[layout.TITLE_ROW].height = 21
    ws.row_dimensions[layout.LEGEND_ROW].height = 18
    ws.row_dimensions[header_row].height = 30
    ws.freeze_panes = f"{get_column_letter(layout.FIRST_DATE_COLUMN)}{layout.FIRST_AGENT_ROW}"
    ws.auto_filter.ref = f"A{header_row}:{last_col}{last_agent_row}"
    _print_setup(ws, f"{team_name} – {ctx.period}", f"{layout.TITLE_ROW}:{header_row}", "A:B")

    rows: list[list[Any]] = []
    rows.append([s.cell(ws, f"{team_name}: roster {ctx.period}", _look(ctx, "title"))])
    rows.append([s.cell(ws, ctx.subtitle(), _look(ctx, "subtitle"))])
    legend: list[Any] = [s.cell(ws, "Legend", _look(ctx, "key")), None]
    span = 3
    for k, (label, look) in enumerate(_legend(ctx, agents)):
        col = layout.FIRST_DATE_COLUMN + k * span
        legend += [s.cell(ws, label, replace(look, align="center"))] + [
            s.cell(ws, None, replace(look, align="center")) for _ in range(span - 1)
        ]
        ws.merged_cells.add(
            CellRange(
                min_col=col,
                max_col=col + span - 1,
                min_row=layout.LEGEND_ROW,
                max_row=layout.LEGEND_ROW,
            )
        )
    rows.append(legend)
    while len(rows) < header_row - 1:
        rows.append([])

    header: list[Any] = [
        s.cell(ws, layout.NAME_HEADER, _look(ctx, "header_left")),
        s.cell(ws, SKILLS_HEADER, _look(ctx, "header_left")),
    ]
    for d in dates:
        header.append(
            s.cell(ws, d, _look(ctx, "header_weekend" if d.weekday() >= 5 else "header_date"))
        )
    for first, _last in ctx.weeks:
        header.append(s.cell(ws, f"Week from {_short_date(first)}", _look(ctx, "header")))
    header.append(s.cell(ws, TOTAL_HOURS, _look(ctx, "header")))
    rows.append(header)

    hours = weekly_hours(ctx.period_roster, [a.name for a in agents])
    hours_values = hours.to_numpy()
    working = np.zeros(n_days, dtype=int)
    paid_day = np.zeros(n_days)
    # Day cells are formatted as text ("@"), so what a lead types there stays text: in a
    # General cell Excel turns "9-17" into a date and "8:00" into a time.
    fills: dict[str, Look] = {}
    off, leave = replace(_look(ctx, "off"), fmt=TEXT), replace(_look(ctx, "leave"), fmt=TEXT)
    off_weekend = replace(off, fill=WEEKEND_OFF_FILL)
    hours_look, bold_hours = _look(ctx, "hours"), _look(ctx, "hours_bold")
    for i, agent in enumerate(agents):
        row: list[Any] = [
            s.cell(ws, agent.name, _look(ctx, "name")),
            s.cell(ws, ", ".join(agent.skills), _look(ctx, "skills")),
        ]
        for j, d in enumerate(dates):
            shift = ctx.shifts.get((agent.name, d))
            value = layout.cell_text(ctx.roster, agent, d)
            if shift is not None:
                colour = ctx.colour(shift)
                if colour not in fills:
                    fills[colour] = _fill_look(ctx, colour, fmt=TEXT)
                look = fills[colour]
                working[j] += 1
                paid_day[j] += shift.paid_minutes / 60.0
            elif value == layout.OFF_TEXT:
                look = off_weekend if d.weekday() >= 5 else off
            else:
                look = leave
            row.append(s.cell(ws, value, look))
            ctx.meta_cells.append((sheet, agent.name, d, value))
        row += [s.cell(ws, float(h), hours_look) for h in hours_values[i]]
        row.append(s.cell(ws, float(hours_values[i].sum()), bold_hours))
        rows.append(row)
    rows.append([])
    total_label, count, total = (
        _look(ctx, "total_label"),
        _look(ctx, "total_int"),
        _look(ctx, "total_hours"),
    )
    rows.append(
        [s.cell(ws, AGENTS_WORKING, total_label), s.cell(ws, None, total_label)]
        + [s.cell(ws, int(n), count) for n in working]
    )
    week_paid = hours_values.sum(axis=0) if len(agents) else np.zeros(n_weeks)
    rows.append(
        [s.cell(ws, PAID_HOURS, total_label), s.cell(ws, None, total_label)]
        + [s.cell(ws, float(h), total) for h in paid_day]
        + [s.cell(ws, float(h), total) for h in week_paid]
        + [s.cell(ws, float(week_paid.sum()), total)]
    )
    for row in rows:
        ws.append(row)


# --- the Coverage sheet --------------------------------------------------------------------


def _coverage_sheet(ctx: _Context, ws: Any) -> None:
    from openpyxl.chart import LineChart, Reference
    from openpyxl.formatting.rule import CellIsRule, FormulaRule
    from openpyxl.styles import Font, PatternFill

    from wfm.export import styles as st

    s, q, need = ctx.styles, ctx.quality, ctx.need
    assert q is not None and need is not None
    frame = q.per_interval
    keep = ((frame["required"] > 0) | (frame["scheduled"] > 0)).to_numpy()
    frame = frame[keep].reset_index(drop=True)
    has_sl = "service_level" in frame
    has_ab = "abandon_rate" in frame
    header = ["Date", "Day", "Start", "Required", "Scheduled", "Difference", "Under", "Over"]
    if has_sl:
        header.append("Projected SL")
    if has_ab:
        header.append("Abandon rate")
    header.append("Interval")
    n = len(frame)
    last = n + 1
    widths: dict[str, float] = {"A": 16, "B": 6, "C": 8}
    from openpyxl.utils import get_column_letter

    for c in range(4, len(header) + 1):
        widths[get_column_letter(c)] = 11
    widths[get_column_letter(len(header))] = 17
    _widths(ws, widths)
    ws.row_dimensions[1].height = 30
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{max(last, 2)}"
    _print_setup(ws, f"Coverage – {ctx.period}", "1:1", None)
    if n:
        under_fill = PatternFill("solid", fgColor=st.UNDER_FILL, bgColor=st.UNDER_FILL)
        ws.conditional_formatting.add(
            f"G2:G{last}",
            CellIsRule(
                operator="greaterThan",
                formula=["0"],
                fill=under_fill,
                font=Font(color=st.UNDER_FONT),
            ),
        )
        ws.conditional_formatting.add(
            f"F2:F{last}",
            CellIsRule(operator="lessThan", formula=["0"], font=Font(color=st.UNDER_FONT)),
        )
        target = need.target.service_level if need.target is not None else 0.8
        if has_sl and target is not None:
            low = PatternFill("solid", fgColor=st.LOW_SL_FILL, bgColor=st.LOW_SL_FILL)
            # a blank SL (no calls) is not below target: CellIsRule would take it for 0
            ws.conditional_formatting.add(
                f"I2:I{last}",
                FormulaRule(
                    formula=[f"AND(ISNUMBER(I2),I2<{target:g})"],
                    fill=low,
                    font=Font(color=st.LOW_SL_FONT),
                ),
            )
    ws.append(
        [
            s.cell(ws, h, _look(ctx, "header_left" if i < 3 else "header"))
            for i, h in enumerate(header)
        ]
    )
    date_look, time_look = _look(ctx, "date"), _look(ctx, "time")
    heads, pct, cell = _look(ctx, "heads"), _look(ctx, "percent"), _look(ctx, "cell")
    stamps = frame["interval_start"].dt.to_pydatetime()
    columns = [frame[c].to_numpy(dtype=float) for c in ("required", "scheduled", "under", "over")]
    sl = frame["service_level"].to_numpy(dtype=float) if has_sl else None
    ab = frame["abandon_rate"].to_numpy(dtype=float) if has_ab else None
    for i in range(n):
        stamp = stamps[i]
        req, sch, under, over = (float(col[i]) for col in columns)
        row = [
            s.cell(ws, stamp.date(), date_look),
            s.cell(ws, WEEKDAYS[stamp.weekday()], cell),
            s.cell(ws, stamp.time(), time_look),
            s.cell(ws, round(req, 2), heads),
            s.cell(ws, round(sch, 2), heads),
            s.cell(ws, round(sch - req, 2), heads),
            s.cell(ws, round(under, 2), heads),
            s.cell(ws, round(over, 2), heads),
        ]
        if sl is not None:
            row.append(s.cell(ws, _nan_free(sl[i]), pct))
        if ab is not None:
            row.append(s.cell(ws, _nan_free(ab[i]), pct))
        row.append(s.cell(ws, f"{day_label(stamp.date())} {stamp:%H:%M}", cell))
        ws.append(row)
    if not n:
        return
    chart = LineChart()
    chart.title = "Required vs scheduled heads"
    chart.y_axis.title = "Heads"
    chart.x_axis.title = None
    chart.height = 11
    chart.width = 30
    chart.legend.position = "b"
    data = Reference(ws, min_col=4, max_col=5, min_row=1, max_row=last)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=len(header), min_row=2, max_row=last))
    per_day = max(1, int(round(n / max(1, len(set(frame["date"]))))))
    chart.x_axis.tickLblSkip = per_day
    chart.x_axis.tickMarkSkip = per_day
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.number_format = "0"
    for series, colour, dash in zip(
        chart.series, ("404040", "1F77B4"), ("dash", None), strict=True
    ):
        series.smooth = False
        series.marker.symbol = "none"
        series.graphicalProperties.line.solidFill = colour
        series.graphicalProperties.line.width = 15875  # 1.25 pt
        if dash:
            series.graphicalProperties.line.dashStyle = dash
    ws.add_chart(chart, f"{get_column_letter(len(header) + 2)}2")


# --- day sheets ----------------------------------------------------------------------------


class _Quarters:
    """Required and scheduled heads per quarter hour of the period (and the day after, for
    shifts past midnight), as flat arrays indexed ``day * 96 + quarter``."""

    def __init__(self, ctx: _Context) -> None:
        from wfm.roster.coverage import skill_group, working_minutes

        plan = ctx.plan
        per_day = MINUTES_PER_DAY // QUARTER
        ordinal = plan.first.toordinal()
        window = {plan.first + dt.timedelta(days=i) for i in range(-1, plan.days)}
        on_sheet = {a.name for a in plan.agents}
        sheet_shifts = [
            sh for (a, d), sh in ctx.roster.shifts.items() if d in window and a in on_sheet
        ]
        self.on_sheet = working_minutes(sheet_shifts, ordinal, plan.days + 1, QUARTER)
        self.required: np.ndarray | None = None
        self.scheduled: np.ndarray | None = None
        need = ctx.need_after
        if need is not None:
            # (day, interval) over the period and the day after, which a shift past midnight
            # on the last day reaches
            total = need.total()
            per_minute = np.repeat(total, need.interval_minutes, axis=1)
            quarters = per_minute.reshape(plan.days + 1, per_day, QUARTER).mean(axis=2)
            self.required = quarters.ravel()
            takes = {a.name for a in ctx.roster.agents if skill_group(a, need.queues)}
            counted = [sh for (a, d), sh in ctx.roster.shifts.items() if d in window and a in takes]
            self.scheduled = working_minutes(counted, ordinal, plan.days + 1, QUARTER)


def _day_sheet(ctx: _Context, ws: Any, sheet: str, day: dt.date) -> None:
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    from wfm.export import styles as st
    from wfm.export.styles import Look

    quarters = ctx.quarters
    if quarters is None:
        quarters = ctx.quarters = _Quarters(ctx)
    s, plan = ctx.styles, ctx.plan
    team_of = {a.name: a.team for a in plan.agents}
    working = sorted(
        (sh for sh in (ctx.shifts.get((a.name, day)) for a in plan.agents) if sh is not None),
        key=lambda sh: (sh.start, sh.end, sh.agent.casefold()),
    )
    day_index = (day - plan.first).days
    per_day = MINUTES_PER_DAY // QUARTER
    base = day_index * per_day
    # columns: from the first start (or requirement) to the last end, on the quarter grid
    lo, hi = MINUTES_PER_DAY, 0
    for sh in working:
        lo, hi = min(lo, sh.start), max(hi, sh.end)
    if quarters.required is not None:
        needed = np.flatnonzero(quarters.required[base : base + per_day] > 0)
        if needed.size:
            lo = min(lo, int(needed[0]) * QUARTER)
            hi = max(hi, int(needed[-1] + 1) * QUARTER)
    if hi <= lo:
        lo, hi = 8 * 60, 18 * 60
    lo = lo // QUARTER * QUARTER
    hi = -(-hi // QUARTER) * QUARTER
    n_q = (hi - lo) // QUARTER
    first_q = 4  # column D
    last_letter = get_column_letter(first_q + n_q - 1)

    _widths(
        ws,
        {"A": min(max([len(sh.agent) for sh in working] + [14]) * 1.1 + 2, 30), "B": 12, "C": 12},
    )
    for k in range(n_q):
        ws.column_dimensions[get_column_letter(first_q + k)].width = 4.3
    ws.row_dimensions[1].height = 21
    ws.row_dimensions[2].height = 36
    ws.freeze_panes = "D3"
    _print_setup(ws, f"{long_date(day)} – {ctx.centre}", "1:2", "A:C")

    title = f"{long_date(day)}: {len(working)} agent{'s' if len(working) != 1 else ''} working"
    if len(plan.teams) < len({a.team for a in ctx.roster.agents}):
        title += f" ({', '.join(t or layout.NO_TEAM_SHEET for t in plan.teams)})"
    ws.append([s.cell(ws, title, _look(ctx, "title"))])
    time_header = Look(
        fill=st.HEADER_FILL,
        bold=True,
        border=True,
        align="center",
        vertical="bottom",
        rotate=90,
        fmt=st.TIME,
    )
    header: list[Any] = [
        s.cell(ws, layout.NAME_HEADER, _look(ctx, "header_left")),
        s.cell(ws, "Team", _look(ctx, "header_left")),
        s.cell(ws, "Shift", _look(ctx, "header_left")),
    ]
    for k in range(n_q):
        m = lo + k * QUARTER
        header.append(s.cell(ws, dt.time((m // 60) % 24, m % 60), time_header))
    ws.append(header)

    work_looks: dict[str, Look] = {}
    brk = Look(fill=st.BREAK_FILL, border=True, align="center", bold=True, colour="FFFFFF")
    lunch = Look(fill=st.LUNCH_FILL, border=True, align="center", bold=True, colour="FFFFFF")
    name_look, team_look = _look(ctx, "name"), _look(ctx, "skills")
    shift_look = Look(border=True, align="center")
    half = QUARTER / 2
    for sh in working:
        row: list[Any] = [
            s.cell(ws, sh.agent, name_look),
            s.cell(ws, team_of.get(sh.agent, "") or layout.NO_TEAM_SHEET, team_look),
            s.cell(ws, sh.label(), shift_look),
        ]
        cells: list[Any] = [None] * n_q
        colour = ctx.colour(sh)
        look = work_looks.get(colour)
        if look is None:
            look = work_looks[colour] = Look(fill=st.hex_colour(colour), border=True)
        k0 = max(0, (sh.start - lo) // QUARTER)
        k1 = min(n_q, -(-(sh.end - lo) // QUARTER))
        for k in range(k0, k1):
            t0 = lo + k * QUARTER
            t1 = t0 + QUARTER
            on = min(sh.end, t1) - max(sh.start, t0)
            if on < half:
                continue
            cell_look, text = look, None
            for b in sh.breaks:
                if min(b.end, t1) - max(b.start, t0) >= half:
                    is_lunch = "lunch" in b.kind.lower()
                    cell_look, text = (lunch, "L") if is_lunch else (brk, "B")
                    break
            cells[k] = s.cell(ws, text, cell_look)
        ws.append(row + cells)

    ws.append([])
    label = _look(ctx, "total_label")
    heads = Look(border=True, fill=st.TOTAL_FILL, fmt="General", align="center")
    first_total = len(working) + 4

    def values(series: np.ndarray) -> list[Any]:
        out = []
        for k in range(n_q):
            index = base + (lo + k * QUARTER) // QUARTER
            value = float(series[index]) if index < series.size else 0.0
            out.append(s.cell(ws, round(value, 1), heads))
        return out

    def total_row(text: str, series: np.ndarray) -> None:
        ws.append(
            [s.cell(ws, text, label), s.cell(ws, None, label), s.cell(ws, None, label)]
            + values(series)
        )

    if quarters.required is not None and quarters.scheduled is not None:
        total_row("Required", quarters.required)
        total_row("Scheduled", quarters.scheduled)
        total_row("Difference", quarters.scheduled - quarters.required)
        diff_row = first_total + 2
        fill = PatternFill("solid", fgColor=st.UNDER_FILL, bgColor=st.UNDER_FILL)
        ws.conditional_formatting.add(
            f"D{diff_row}:{last_letter}{diff_row}",
            CellIsRule(
                operator="lessThan", formula=["-0.05"], fill=fill, font=Font(color=st.UNDER_FONT)
            ),
        )
        if len(plan.teams) < len({a.team for a in ctx.roster.agents}):
            total_row("On this sheet", quarters.on_sheet)
        ws.append([])
        ws.append(
            [
                s.cell(
                    ws,
                    "Required and Scheduled are the whole centre's heads on the "
                    "phones (breaks excluded) against the requirement.",
                    _look(ctx, "note"),
                )
            ]
        )
    else:
        total_row("Working", quarters.on_sheet)
    ws.append(
        [s.cell(ws, "Colours: the shift's template; B: break, L: lunch.", _look(ctx, "note"))]
    )
