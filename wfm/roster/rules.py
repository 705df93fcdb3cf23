"""Working-time rules checked on a roster: what the planner broke, in plain words.

:func:`validate` checks each agent's shifts against the setup's :class:`Rules`, the agent's
contract and availability, and the shift templates. It never refuses anything; it reports.
A roster from the solver has no violations; a hand-edited one may.

The checks, per agent:

- ``rest``: at least ``min_rest_hours`` between the end of one shift and the start of the
  next (across midnight and across days);
- ``consecutive``: at most ``max_consecutive_days`` working days in a row;
- ``days_off``: ``days_off_per_week`` days off in each Mon-Sun week, prorated for a week
  the horizon cuts (a week part of ``k`` days needs ``max(0, days_off - (7 - k))``);
- ``day_hours``: paid hours of a shift at most ``max_hours_per_day``;
- ``week_hours`` / ``contract_max``: paid hours per week at most the smaller of the rules'
  ``max_hours_per_week`` and the agent's ``max_weekly_hours`` (the id names the binding one);
- ``contract_min``: in a full week, at least the agent's ``min_weekly_hours``, less a fifth
  of it per weekday (Mon-Fri) of leave that week;
- ``unavailable``: a shift on a weekday or date the agent cannot work;
- ``leave``: a shift on a day of leave (the roster's leave marks or the agent's leave);
- ``template``: a template the agent may not use, on a weekday it does not run, a start
  outside its start window, or breaks outside the template's break windows.

Per agent the work is a light loop over their days (no pandas), so 150 agents x 28 days
validate in a few milliseconds; the editor re-validates only the agents an edit touched.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from wfm.roster.roster import Break, Roster, Shift
from wfm.scheduling.model import Agent, BreakRule, Rules, ShiftTemplate, clock, weeks_of

RULE_IDS = (
    "rest",
    "consecutive",
    "days_off",
    "day_hours",
    "week_hours",
    "contract_min",
    "contract_max",
    "unavailable",
    "leave",
    "template",
    "skills",
)

_EPS = 1e-6
_Add = Callable[[dt.date, str, str], None]
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class Violation:
    """A rule broken by ``agent``'s roster, shown on the cell of ``day``."""

    agent: str
    day: dt.date
    rule: str  # one of RULE_IDS
    message: str


def _day(day: dt.date) -> str:
    return f"{_WEEKDAYS[day.weekday()]} {day:%d %b}"


def _hours(minutes: float) -> str:
    return f"{minutes / 60:.2f}".rstrip("0").rstrip(".")


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def validate(roster: Roster, agents: Iterable[str] | None = None) -> list[Violation]:
    """Every rule violation of ``roster`` (or only of the named ``agents``), by agent (in
    roster order) and day."""
    if agents is None:
        names = [a.name for a in roster.agents]
        by_agent: dict[str, list[Shift]] = {n: [] for n in names}
        for (name, _), s in roster.shifts.items():
            if name in by_agent:
                by_agent[name].append(s)
        leave_by_agent: dict[str, set[dt.date]] = {n: set() for n in names}
        for name, day in roster.leave:
            if name in leave_by_agent:
                leave_by_agent[name].add(day)
    else:
        wanted = set(agents)
        names = [a.name for a in roster.agents if a.name in wanted]
        dates = roster.dates()
        by_agent = {}
        leave_by_agent = {}
        for n in names:
            cells = ((n, d) for d in dates)
            by_agent[n] = [roster.shifts[c] for c in cells if c in roster.shifts]
            leave_by_agent[n] = {d for d in dates if (n, d) in roster.leave}
    weeks = [
        [roster.start + dt.timedelta(days=i) for i in week]
        for week in weeks_of(roster.start, roster.days)
    ]
    rules = roster.setup.rules
    templates = {t.name.lower(): _TemplateCheck(t) for t in roster.setup.templates}
    out: list[Violation] = []
    for name in names:
        agent = roster.agent(name)
        shifts = sorted(by_agent[name], key=lambda s: s.day)
        leave = leave_by_agent[name] | {d for d in agent.leave if roster.in_horizon(d)}
        out.extend(_check_agent(roster, agent, shifts, leave, weeks, rules, templates))
    return out


class _TemplateCheck:
    """A template with its break rules grouped by kind in window order (built once per
    validation, not once per shift)."""

    def __init__(self, template: ShiftTemplate) -> None:
        self.template = template
        self.kinds: dict[str, list[BreakRule]] = {}
        for r in sorted(template.breaks, key=lambda r: r.earliest_after_start_minutes):
            self.kinds.setdefault(r.kind.lower(), []).append(r)


def _check_agent(
    roster: Roster,
    agent: Agent,
    shifts: list[Shift],
    leave: set[dt.date],
    weeks: list[list[dt.date]],
    rules: Rules,
    templates: dict[str, _TemplateCheck],
) -> list[Violation]:
    name = agent.name
    out: list[Violation] = []

    def add(day: dt.date, rule: str, message: str) -> None:
        out.append(Violation(name, day, rule, message))

    by_day = {s.day: s for s in shifts}
    unavailable_dates = set(agent.unavailable_dates)
    # --- per shift --------------------------------------------------------------------------
    for s in shifts:
        weekday = s.day.weekday()
        if weekday in agent.unavailable_days:
            add(s.day, "unavailable", f"{name} does not work on {_WEEKDAYS[weekday]}s")
        elif s.day in unavailable_dates:
            add(s.day, "unavailable", f"{name} is not available on {_day(s.day)}")
        if s.day in leave:
            add(s.day, "leave", f"{name} is on leave on {_day(s.day)}")
        if s.paid_minutes > rules.max_hours_per_day * 60 + _EPS:
            add(
                s.day,
                "day_hours",
                f"{_hours(s.paid_minutes)} paid hours on {_day(s.day)} "
                f"(rule: at most {_num(rules.max_hours_per_day)} h a day)",
            )
        if s.template:
            _check_template(templates.get(s.template.lower()), agent, s, add)
    # --- rest between consecutive shifts -----------------------------------------------------
    rest = rules.min_rest_minutes
    for prev, nxt in zip(shifts, shifts[1:], strict=False):
        gap = (nxt.day.toordinal() - prev.day.toordinal()) * 1440 + nxt.start - prev.end
        if gap < rest - _EPS:
            if gap < 0:
                text = (
                    f"The shift on {_day(nxt.day)} starts before {_day(prev.day)}'s shift "
                    f"ends ({clock(prev.end)})"
                )
            else:
                text = (
                    f"Only {_hours(gap)} h rest after {_day(prev.day)}'s shift ending "
                    f"{clock(prev.end % 1440)} (rule: at least {_num(rules.min_rest_hours)} h)"
                )
            add(nxt.day, "rest", text)
    # --- days in a row ---------------------------------------------------------------------
    run: list[dt.date] = []
    for day in roster.dates():
        if day in by_day:
            run.append(day)
            if len(run) == rules.max_consecutive_days + 1:
                add(
                    day,
                    "consecutive",
                    f"{len(run)} working days in a row from {_day(run[0])} "
                    f"(rule: at most {rules.max_consecutive_days})",
                )
        else:
            run = []
    # --- per Mon-Sun week ----------------------------------------------------------------------
    cap = min(agent.max_weekly_hours, rules.max_hours_per_week)
    cap_rule = "contract_max" if agent.max_weekly_hours < rules.max_hours_per_week else "week_hours"
    for week in weeks:
        worked = [by_day[d] for d in week if d in by_day]
        first = week[0]
        label = f"the week of {_day(first - dt.timedelta(days=first.weekday()))}"
        need_off = max(0, rules.days_off_per_week - (7 - len(week)))
        off = len(week) - len(worked)
        if off < need_off:
            add(
                worked[-1].day,
                "days_off",
                f"Only {off} day{'s' if off != 1 else ''} off in {label} "
                f"(rule: at least {need_off})",
            )
        paid = sum(s.paid_minutes for s in worked)
        if paid > cap * 60 + _EPS:
            who = "contract" if cap_rule == "contract_max" else "rule"
            add(
                worked[-1].day,
                cap_rule,
                f"{_hours(paid)} paid hours in {label} ({who}: at most {_num(cap)} h)",
            )
        if len(week) == 7 and agent.min_weekly_hours > 0:
            leave_weekdays = sum(1 for d in week if d in leave and d.weekday() < 5)
            minimum = agent.min_weekly_hours * (1 - leave_weekdays / 5)
            if paid < minimum * 60 - _EPS:
                add(
                    (worked[-1].day if worked else first),
                    "contract_min",
                    f"Only {_hours(paid)} paid hours in {label} "
                    f"(contract: at least {_num(minimum)} h)",
                )
    return out


def _check_template(check: _TemplateCheck | None, agent: Agent, s: Shift, add: _Add) -> None:
    if check is None:
        add(s.day, "template", f"There is no shift template '{s.template}'")
        return
    template = check.template
    if not agent.may_use(template):
        add(s.day, "template", f"{agent.name} may not work {template.name} shifts")
    if s.day.weekday() not in template.days:
        add(
            s.day,
            "template",
            f"{template.name} shifts do not run on {_WEEKDAYS[s.day.weekday()]}s",
        )
    if not template.start_earliest <= s.start <= template.start_latest:
        add(
            s.day,
            "template",
            f"The shift starts at {clock(s.start)}, outside {template.name}'s start window "
            f"{clock(template.start_earliest)}-{clock(template.start_latest)}",
        )
    # Breaks of each kind are matched in time order to the template's rules of that kind.
    by_kind: dict[str, list[Break]] = {}
    for b in sorted(s.breaks, key=lambda b: b.start):
        by_kind.setdefault(b.kind.lower(), []).append(b)
    for kind in sorted(set(check.kinds) | set(by_kind)):
        rules_k = check.kinds.get(kind, [])
        breaks_k = by_kind.get(kind, [])
        if len(rules_k) != len(breaks_k):
            add(
                s.day,
                "template",
                f"The shift has {len(breaks_k)} {kind} break(s); {template.name} has "
                f"{len(rules_k)}",
            )
            continue
        for rule, b in zip(rules_k, breaks_k, strict=True):
            lo = s.start + rule.earliest_after_start_minutes
            hi = s.start + rule.latest_after_start_minutes
            if not lo <= b.start <= hi or b.minutes != rule.minutes:
                add(
                    s.day,
                    "template",
                    f"The {kind} break {b.label()} is outside its window: a {rule.minutes}-min "
                    f"break starting {clock(lo)}-{clock(hi)} ({template.name})",
                )
