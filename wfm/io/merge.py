"""Adding an imported file to a plan's interval history.

A planner who imports last month's calls into a plan that holds two years expects the month
to be *added* to the history, not to become the history. :func:`merge_history` does that: the
new file's intervals replace the history's for the queues and the whole local days the file
covers; every other interval of the history is kept, and a queue only the file has is added.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from wfm.errors import WfmError
from wfm.io.history import HISTORY_COLUMNS, IntervalHistory, sort_history


@dataclass(frozen=True)
class MergeSummary:
    """What :func:`merge_history` did.

    ``days_replaced`` counts the local days of the new file the history already had (for one
    of the file's queues), ``days_added`` the file's other days; ``first_day`` and
    ``last_day`` span the file's days; ``text`` says it in one line.
    """

    days_replaced: int
    days_added: int
    queues: tuple[str, ...]
    queues_added: tuple[str, ...]
    rows_before: int
    rows_after: int
    first_day: dt.date | None
    last_day: dt.date | None
    text: str


def merge_history(
    base: IntervalHistory, new: IntervalHistory
) -> tuple[IntervalHistory, MergeSummary]:
    """Add ``new`` to ``base``: the new intervals replace the base's on the days they cover.

    For every queue of ``new`` and every local day (wall-clock date) on which ``new`` has an
    interval of that queue, all of ``base``'s intervals of that queue and day are dropped and
    ``new``'s are taken instead (a partial day in ``new`` replaces the whole day). Everything
    else of ``base`` is kept; queues only in ``new`` are added.

    Parameters
    ----------
    base
        The plan's history.
    new
        The imported file's history (same interval length).

    Returns
    -------
    tuple[IntervalHistory, MergeSummary]
        The merged history (sorted by queue and true time; with ``utc_offset`` when both
        have it) and what changed.

    Raises
    ------
    WfmError
        The interval lengths differ, or one history carries UTC offsets and the other not.
    """
    if base.interval_minutes != new.interval_minutes:
        raise WfmError(
            f"the file has {new.interval_minutes}-minute intervals and the plan's history "
            f"{base.interval_minutes}-minute ones: import it into a new plan, or re-import "
            f"with --interval-minutes {base.interval_minutes}"
        )
    if len(base) and len(new) and base.has_offsets != new.has_offsets:
        with_offsets = "the file's" if new.has_offsets else "the plan's history's"
        raise WfmError(
            f"only {with_offsets} interval starts carry a UTC offset (time zone), so the two "
            "cannot be lined up across a clock change: import the file with the same time zone "
            "setting as the history, or import it into a new plan"
        )
    if not len(new):
        return base, _summary(base, new, base, 0, 0)
    columns = list(HISTORY_COLUMNS) + (["utc_offset"] if new.has_offsets else [])
    if not len(base):
        merged = IntervalHistory(
            sort_history(new.frame.loc[:, columns].copy()), new.interval_minutes
        )
        days = new.frame["interval_start"].dt.normalize().nunique()
        return merged, _summary(base, new, merged, 0, int(days))

    b, n = base.frame, new.frame
    b_days = b["interval_start"].dt.normalize()
    n_days = n["interval_start"].dt.normalize().astype(b_days.dtype)
    new_keys = pd.MultiIndex.from_arrays([n["queue"], n_days]).unique()
    base_keys = pd.MultiIndex.from_arrays([b["queue"], b_days])
    keep = ~base_keys.isin(new_keys)

    # A day of the file is "replaced" when the history had it for one of the file's queues.
    covered = pd.Index(b_days[b["queue"].isin(new.queues)].unique())
    file_days = pd.Index(n_days.unique())
    replaced = int(file_days.isin(covered).sum())
    added = len(file_days) - replaced

    incoming = n.loc[:, columns].copy()
    incoming["interval_start"] = incoming["interval_start"].astype(b["interval_start"].dtype)
    frame = pd.concat([b.loc[keep, columns], incoming], ignore_index=True)
    for col in ("offered", "handled", "abandoned", "aht_seconds"):
        frame[col] = frame[col].astype(float)
    merged = IntervalHistory(sort_history(frame), base.interval_minutes)
    return merged, _summary(base, new, merged, replaced, added)


def _summary(
    base: IntervalHistory, new: IntervalHistory, merged: IntervalHistory, replaced: int, added: int
) -> MergeSummary:
    queues = tuple(new.queues) if len(new) else ()
    queues_added = tuple(q for q in queues if q not in set(base.queues))
    first = new.start.date() if len(new) else None
    last = new.end.date() if len(new) else None
    rows = f"{len(merged):,} intervals in the history"
    if first is None or last is None:
        text = f"Nothing to add; {rows}"
    else:
        days = replaced + added
        span = f"{_span_text(first, last)} ({days} day{'s' if days != 1 else ''}"
        if replaced and added:
            what = f"{span}: {replaced} replaced, {added} added)"
        else:
            what = f"{span}) {'replaced' if replaced else 'added'}"
        text = f"{what} for {_and_list(queues)}"
        if queues_added:
            noun = "queue" if len(queues_added) == 1 else "queues"
            text += f" (new {noun}: {_and_list(queues_added)})"
        text += f"; {rows}"
    return MergeSummary(
        days_replaced=replaced,
        days_added=added,
        queues=queues,
        queues_added=queues_added,
        rows_before=len(base),
        rows_after=len(merged),
        first_day=first,
        last_day=last,
        text=text,
    )


def _span_text(first: dt.date, last: dt.date) -> str:
    """ "October 2026" for a whole calendar month, else "1 Oct 2026 - 15 Oct 2026"."""
    next_day = last + dt.timedelta(days=1)
    if (
        first.day == 1
        and next_day.day == 1
        and (first.year, first.month) == (last.year, last.month)
    ):
        return f"{first:%B %Y}"
    if first == last:
        return f"{first.day} {first:%b %Y}"
    return f"{first.day} {first:%b %Y} - {last.day} {last:%b %Y}"


def _and_list(names: tuple[str, ...]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]
