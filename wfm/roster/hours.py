"""Paid hours of a roster per agent and per team, by Mon-Sun week.

These are the figures the Schedule page shows next to the grid (the "Week" columns and the
team table) and that a script can print; the window only displays them.

- :func:`roster_weeks`: the Mon-Sun weeks the horizon touches, as ``(first, last)`` dates
  inside the horizon (the first and last week may be cut short);
- :func:`weekly_hours`: paid hours (unpaid breaks excluded) per agent and week;
- :func:`team_hours`: the same summed per team, with the team's head count.

A week's column label is the *first date of the horizon in that week* (a Monday except for
a horizon that starts mid-week), so the labels are the same in both frames.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import numpy as np
import pandas as pd

from wfm.roster.roster import Roster
from wfm.scheduling.model import weeks_of

#: The team label of agents without a team.
NO_TEAM = "(no team)"


def roster_weeks(roster: Roster) -> list[tuple[dt.date, dt.date]]:
    """``(first, last)`` horizon dates of each Mon-Sun week of ``roster``, in order."""
    dates = roster.dates()
    return [(dates[w[0]], dates[w[-1]]) for w in weeks_of(roster.start, roster.days)]


def weekly_hours(roster: Roster, agents: Iterable[str] | None = None) -> pd.DataFrame:
    """Paid hours per agent (rows, in roster order) and Mon-Sun week (columns).

    Parameters
    ----------
    roster
        The roster.
    agents
        Only these agents' rows (in the order given); every agent of the roster when None.
        Names not in the roster are ignored.

    Returns
    -------
    DataFrame
        Index ``agent`` (names), one float column per week labelled by the week's first
        horizon date (see :func:`roster_weeks`); an agent without shifts has 0.
    """
    known = {a.name for a in roster.agents}
    names = (
        [a.name for a in roster.agents]
        if agents is None
        else list(dict.fromkeys(n for n in agents if n in known))
    )
    weeks = roster_weeks(roster)
    week_of_day = np.empty(roster.days, dtype=np.int64)
    for w, indices in enumerate(weeks_of(roster.start, roster.days)):
        week_of_day[indices] = w
    minutes = np.zeros((len(names), len(weeks)))
    if names and roster.shifts:
        row_of = {n: i for i, n in enumerate(names)}
        cells = [
            (row_of[a], (d - roster.start).days, s.paid_minutes)
            for (a, d), s in roster.shifts.items()
            if a in row_of and 0 <= (d - roster.start).days < roster.days
        ]
        if cells:
            rows, days, paid = (np.asarray(x) for x in zip(*cells, strict=True))
            np.add.at(minutes, (rows, week_of_day[days]), paid)
    frame = pd.DataFrame(
        minutes / 60.0,
        index=pd.Index(names, name="agent", dtype=object),
        columns=pd.Index([first for first, _ in weeks], name="week", dtype=object),
    )
    return frame


def team_hours(roster: Roster) -> pd.DataFrame:
    """Paid hours per team (rows, sorted; agents without a team under :data:`NO_TEAM`)
    and Mon-Sun week.

    Returns
    -------
    DataFrame
        Index ``team``; an int column ``agents`` (the team's head count in the roster),
        then one float column of paid hours per week labelled as in :func:`weekly_hours`.
    """
    per_agent = weekly_hours(roster)
    team_of = pd.Series(
        [a.team or NO_TEAM for a in roster.agents],
        index=pd.Index([a.name for a in roster.agents], dtype=object),
        dtype=object,
    )
    teams = sorted(set(team_of))
    hours = per_agent.groupby(team_of.reindex(per_agent.index).to_numpy()).sum()
    hours = hours.reindex(teams, fill_value=0.0)
    heads = team_of.value_counts().reindex(teams, fill_value=0).astype(int)
    frame = pd.concat([heads.rename("agents"), hours], axis=1)
    frame.index = pd.Index(teams, name="team", dtype=object)
    return frame


def team_totals(
    roster: Roster, start: dt.date | None = None, days: int | None = None
) -> pd.DataFrame:
    """What each team's sheet of the roster holds over ``start .. start + days`` (the whole
    horizon by default): the Export page's table and the workbook's Summary.

    Returns
    -------
    DataFrame
        Index ``team`` (sorted; agents without a team under :data:`NO_TEAM`); int columns
        ``agents``, ``shifts`` and ``leave_days`` (leave marked on the roster), float
        columns ``paid_hours`` and ``cost`` (paid hours x hourly cost; agents without an
        hourly cost add nothing to it).
    """
    first = roster.start if start is None else start
    last = first + dt.timedelta(days=(roster.days if days is None else days) - 1)
    team_of = {a.name: a.team or NO_TEAM for a in roster.agents}
    rate = {a.name: a.hourly_cost or 0.0 for a in roster.agents}
    teams = sorted(set(team_of.values()))
    shifts = [
        (team_of[a], s.paid_minutes / 60.0, rate[a])
        for (a, d), s in roster.shifts.items()
        if a in team_of and first <= d <= last
    ]
    paid = pd.DataFrame(shifts, columns=["team", "paid_hours", "rate"])
    paid["cost"] = paid["paid_hours"] * paid["rate"]
    by_team = paid.groupby("team")
    leave = pd.Series(
        [team_of[a] for a, d in roster.leave if a in team_of and first <= d <= last],
        dtype=object,
    )
    index = pd.Index(teams, name="team", dtype=object)
    return (
        pd.DataFrame(
            {
                "agents": pd.Series(list(team_of.values()), dtype=object).value_counts(),
                "shifts": by_team.size(),
                "leave_days": leave.value_counts(),
                "paid_hours": by_team["paid_hours"].sum(),
                "cost": by_team["cost"].sum(),
            },
            index=index,
        )
        .fillna(0)
        .astype(
            {"agents": int, "shifts": int, "leave_days": int, "paid_hours": float, "cost": float}
        )
    )
