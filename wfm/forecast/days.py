"""The day grid every method reads: per queue, a (day x interval-of-day) matrix plus the calendar.

Rules a planner relies on, in one place:

- **Missing is not zero.** A day with no row in the history is *absent* (unknown): it is
  skipped by the profiles and baselines and left out of the daily model. Inside a day that has
  rows, an absent interval counts as 0 (exports that list only open hours).
- **Normal days** feed the intraday profiles and the baselines: present, not a holiday, not a
  special day, and not an *unexpected closure* (zero calls on a weekday that is usually open).
- **Closed weekdays** follow a recency rule shared by every method: a weekday whose last
  :data:`CLOSED_AFTER` occurrences with data (holidays and special days aside) had no calls is
  closed (weekends at a Mon-Fri centre, Sunday for Sales at the sample centre, a weekday the
  centre stopped opening three weeks ago); it opens again once :data:`REOPEN_AFTER` occurrences
  in a row had calls (one stray day with calls does not reopen it). The rule is applied before
  the unexpected-closure filter: on a closed weekday a day without calls is normal.
- **Closed intervals**: an interval with zero calls on all of those days has a zero profile
  share, so it forecasts zero.
- **Holidays**: a holiday is forecast closed when the history says the centre closes on it:
  the last earlier occurrence of the same holiday (by name, "(observed)" substitutes count as
  the holiday) on an open weekday had no calls or no data. A holiday the history has not seen is forecast *open* (with no holiday effect):
  centres differ too much on minor holidays to guess, and a wrongly closed day leaves the
  queue unstaffed while a wrongly open one only over-staffs; the planner marks the closure
  with a closed special day. Open holidays get their own effect in the prophet model.
- **Special days**: closed -> zero; a volume -> that day total, spread like a normal day.
- **Events** divide the history (``volume / impact``) and multiply the forecast.
- **After a closure** (the first open day after a normally-open day without calls, such as the
  day after a bank holiday) callers catch up; the prophet model has a regressor for it. The days
  between the history's end and a later forecast start (the lead time) are unknown, not closed.
- **Incomplete edge days**: an export cut at noon leaves a partial first or last day. An edge
  day whose rows end before the usual last interval with calls of its weekday (or start after
  the usual first one) is treated as absent, with a note.
- **Wall clock**: days are nominal 24-hour wall-clock days. The repeated autumn DST hour's two
  rows are averaged into one slot; the missing spring hour is simply absent (0 in that slot).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from wfm.errors import WfmError
from wfm.forecast.events import Calendar, SpecialDay
from wfm.io.history import IntervalHistory, aht_weight

#: Same-weekday days an intraday profile (and the closed-weekday rule) looks back over.
PROFILE_WEEKS = 8
#: Same-weekday days the AHT time-of-day shape looks back over.
AHT_WEEKS = 8
#: Days the AHT trend is estimated over.
AHT_TREND_DAYS = 84
#: The AHT trend may move the level by at most this fraction over the horizon.
AHT_TREND_CAP = 0.25
#: At least this much history before the forecast start (days from the first day with data).
MIN_HISTORY_DAYS = 28
#: And at least this many days with data in it.
MIN_PRESENT_DAYS = 14
#: The history's last GAP_WINDOW_DAYS (before the start) may not hold more than MAX_GAP_DAYS
#: absent days in a row; a queue whose data stop MAX_GAP_DAYS or more before the history ends
#: is discontinued. The days after the history's end (lead time) are not a gap.
GAP_WINDOW_DAYS = 56
MAX_GAP_DAYS = 7
#: At most this many days between the history's last day and the forecast start.
MAX_LEAD_DAYS = 56
#: A weekday is closed once this many of its latest occurrences with data had no calls ...
CLOSED_AFTER = 3
#: ... and open again once this many in a row had calls.
REOPEN_AFTER = 2
#: Same-weekday days an edge day is compared with to tell whether it is incomplete.
EDGE_REFERENCE_DAYS = 8

Z90 = 1.2815515655446004  # standard normal 90 % quantile


@dataclass(eq=False)
class QueueDays:
    """One queue's history on a day grid, with the calendar over history and horizon.

    Row ``i`` is ``first + i`` days. Rows from the history's last day on may lie in the
    forecast horizon; methods only read volume rows before the origin row ``o``.
    """

    queue: str
    first: dt.date
    slots: int
    volume: np.ndarray  # (days, slots), NaN rows where the day is absent
    present: np.ndarray  # (days,) bool
    aht: np.ndarray  # (days, slots) NaN where unknown
    aht_weight: np.ndarray  # (days, slots) calls the AHT stands for (0 where unknown)
    weekday: np.ndarray  # (days,) 0 = Monday
    holiday: list[str | None]
    special: list[SpecialDay | None]
    impact: np.ndarray  # (days,) event impact factor (1 = no event)
    data_end: int = -1  # row of the history's last day (all queues); -1: the last row
    notes: list[str] = field(default_factory=list)  # what the grid changed (incomplete edge days)
    _cache: dict[object, object] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if self.data_end < 0:
            self.data_end = self.n - 1

    @property
    def n(self) -> int:
        return len(self.present)

    def row(self, day: dt.date) -> int:
        return (day - self.first).days

    def date(self, i: int) -> dt.date:
        return self.first + dt.timedelta(days=int(i))

    @property
    def totals(self) -> np.ndarray:
        return np.nansum(self.volume, axis=1) * np.where(self.present, 1.0, np.nan)

    @property
    def has_aht(self) -> bool:
        return bool(np.isfinite(self.aht).any())

    # --- classification (everything for origin row o looks only at rows before o) ----------
    def plain(self, o: int) -> np.ndarray:
        """Rows before ``o`` with data that are neither holidays nor special days."""
        key = ("plain", o)
        if key not in self._cache:
            idx = np.arange(o)
            self._cache[key] = self.present[:o] & np.array(
                [self.holiday[i] is None and self.special[i] is None for i in idx], dtype=bool
            )
        return self._cache[key]  # type: ignore[return-value]

    def normal(self, o: int) -> np.ndarray:
        """Rows before ``o`` fit for profiles and baselines (see the module docs)."""
        key = ("normal", o)
        if key not in self._cache:
            idx = np.arange(o)
            plain = self.plain(o)
            wclosed = self.weekday_closed(o)
            totals = self.totals[:o]
            ok = plain.copy()
            for w in range(7):
                if wclosed[w]:  # recency rule first: zero days of a closed weekday are normal
                    continue
                rows = idx[plain & (self.weekday[:o] == w)][-PROFILE_WEEKS:]
                if len(rows) and (totals[rows] > 0).mean() > 0.5:  # usually open
                    ok[idx[plain & (self.weekday[:o] == w) & (totals <= 0)]] = False
            self._cache[key] = ok
        return self._cache[key]  # type: ignore[return-value]

    def same_weekday_rows(self, o: int, weekday: int, count: int, *, open_only: bool = False) -> np.ndarray:
        """The last ``count`` normal rows before ``o`` on ``weekday``, oldest first."""
        mask = self.normal(o) & (self.weekday[:o] == weekday)
        if open_only:
            mask &= self.totals[:o] > 0
        return np.flatnonzero(mask)[-count:]

    def weekday_closed(self, o: int) -> np.ndarray:
        """(7,) bool: weekdays closed as of ``o`` by the recency rule (see the module docs).

        Walks the weekday's occurrences with data (holidays and special days aside), oldest
        first: :data:`CLOSED_AFTER` in a row without calls close it, :data:`REOPEN_AFTER` in a
        row with calls open it; the first occurrence sets the starting state. A weekday without
        any occurrence is closed.
        """
        key = ("wclosed", o)
        if key not in self._cache:
            plain = self.plain(o)
            has_calls = self.totals[:o] > 0
            out = np.ones(7, dtype=bool)
            for w in range(7):
                calls = has_calls[plain & (self.weekday[:o] == w)]
                if not len(calls):
                    continue
                closed = not calls[0]
                zeros = opens = 0
                for c in calls:
                    zeros, opens = (0, opens + 1) if c else (zeros + 1, 0)
                    if zeros >= CLOSED_AFTER:
                        closed = True
                    elif opens >= REOPEN_AFTER:
                        closed = False
                out[w] = closed
            self._cache[key] = out
        return self._cache[key]  # type: ignore[return-value]

    def holiday_closed(self, o: int) -> dict[str, bool]:
        """Per holiday name seen before ``o`` (on an open weekday): was the centre closed."""
        wclosed = self.weekday_closed(o)
        totals = self.totals
        by_name: dict[str, bool] = {}
        for i in range(o):
            name = self.holiday[i]
            if name is None or wclosed[self.weekday[i]] or self.special[i] is not None:
                continue
            closed = (not self.present[i]) or totals[i] <= 0
            by_name[name] = closed  # later occurrences overwrite earlier ones
        return by_name

    def status(self, o: int, h: int) -> tuple[np.ndarray, np.ndarray]:
        """For rows ``o .. o+h-1``: closed (bool) and a fixed day volume (NaN = none)."""
        wclosed = self.weekday_closed(o)
        evidence = self.holiday_closed(o)
        closed = np.zeros(h, dtype=bool)
        fixed = np.full(h, np.nan)
        for k in range(h):
            i = o + k
            special = self.special[i]
            if special is not None and special.closed:
                closed[k] = True
                continue
            if special is not None and special.volume is not None:
                fixed[k] = special.volume
                closed[k] = special.volume <= 0
                continue
            if wclosed[self.weekday[i]]:
                closed[k] = True
                continue
            name = self.holiday[i]
            if name is not None:
                closed[k] = evidence.get(name, False)
        return closed, fixed

    def after_closure(self, o: int, h: int) -> np.ndarray:
        """(o + h,) 0/1: the first open day after a normally-open day without calls.

        In the history a day without calls is an absent day, a zero day or a closed special
        day; in the horizon it is a day forecast closed. Weekdays closed anyway are skipped
        (the Monday after a normal weekend is not a catch-up day), and so are the unknown days
        between the history's end and the origin (lead time).
        """
        wclosed = self.weekday_closed(o)
        closed_future, _ = self.status(o, h)
        totals = self.totals
        shut = np.zeros(o + h, dtype=bool)
        for i in range(o + h):
            if wclosed[self.weekday[i]]:
                continue
            if self.data_end < i < o:
                continue  # lead time: unknown, not closed
            if i < o:
                special = self.special[i]
                shut[i] = (not self.present[i]) or totals[i] <= 0 or bool(special and special.closed)
            else:
                shut[i] = closed_future[i - o]
        out = np.zeros(o + h)
        previous_shut = False
        for i in range(o + h):
            if wclosed[self.weekday[i]]:
                continue
            if not shut[i] and previous_shut:
                out[i] = 1.0
            previous_shut = shut[i]
        return out

    # --- intraday profiles ---------------------------------------------------------------
    def profiles(self, o: int) -> np.ndarray:
        """(7, slots) shares of the day per interval, from recent normal open same weekdays.

        Pooled (sum of calls / sum of day totals, the Poisson maximum-likelihood estimate) over
        the last PROFILE_WEEKS such days, leaving out event days when enough others remain. A
        weekday without any falls back to the pooled shape of all recent open days.
        """
        key = ("profiles", o)
        if key in self._cache:
            return self._cache[key]  # type: ignore[return-value]
        out = np.zeros((7, self.slots))
        totals = self.totals
        recent_all: list[int] = []
        for w in range(7):
            rows = self.same_weekday_rows(o, w, 4 * PROFILE_WEEKS, open_only=True)
            plain = rows[np.abs(self.impact[rows] - 1.0) < 1e-9]
            pick = plain[-PROFILE_WEEKS:] if len(plain) >= 2 else rows[-PROFILE_WEEKS:]
            recent_all.extend(pick[-4:].tolist())
            if len(pick):
                out[w] = np.nansum(self.volume[pick], axis=0) / totals[pick].sum()
        fallback = np.zeros(self.slots)
        if recent_all:
            rows = np.array(recent_all)
            fallback = np.nansum(self.volume[rows], axis=0) / totals[rows].sum()
        for w in range(7):
            if out[w].sum() <= 0:
                out[w] = fallback
        self._cache[key] = out
        return out

    # --- AHT -----------------------------------------------------------------------------
    def aht_forecast(self, o: int, h: int) -> np.ndarray:
        """(h, slots) AHT per interval: weekday time-of-day shape x a damped linear trend.

        The shape is the handled-weighted mean AHT of each interval over the last AHT_WEEKS
        same weekdays (falling back to all weekdays, then to the day's mean, so closed
        intervals carry the day's AHT). The level follows a weighted least-squares line
        through the daily AHT of the last AHT_TREND_DAYS days, extrapolated from the middle of
        the shape's window; its change is capped at AHT_TREND_CAP.
        """
        out = np.full((h, self.slots), np.nan)
        if not self.has_aht:
            return out
        a = np.nan_to_num(self.aht[:o])
        wgt = np.where(np.isfinite(self.aht[:o]), self.aht_weight[:o], 0.0)
        day_w = wgt.sum(axis=1)
        with_aht = self.present[:o] & (day_w > 0)  # every day with AHT, holidays included
        rows_all: list[int] = []
        shapes = np.full((7, self.slots), np.nan)
        for w in range(7):
            rows = np.flatnonzero(with_aht & (self.weekday[:o] == w))[-AHT_WEEKS:]
            rows_all.extend(rows.tolist())
            if len(rows):
                num, den = (a[rows] * wgt[rows]).sum(axis=0), wgt[rows].sum(axis=0)
                with np.errstate(invalid="ignore", divide="ignore"):
                    shapes[w] = np.where(den > 0, num / den, np.nan)
        if not rows_all:
            return out
        rows = np.array(sorted(rows_all))
        den_all = wgt[rows].sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            by_slot = np.where(den_all > 0, (a[rows] * wgt[rows]).sum(axis=0) / den_all, np.nan)
        overall = float((a[rows] * wgt[rows]).sum() / wgt[rows].sum())
        by_slot = np.where(np.isfinite(by_slot), by_slot, overall)
        shapes = np.where(np.isfinite(shapes), shapes, by_slot[None, :])
        # damped linear trend on the daily AHT
        lo = max(0, o - AHT_TREND_DAYS)
        t = np.arange(lo, o, dtype=float)
        dw = day_w[lo:o]
        ok = dw > 0
        slope_rel = 0.0
        if ok.sum() >= 14:
            day_aht = (a[lo:o] * wgt[lo:o]).sum(axis=1)[ok] / dw[ok]
            tw, yw = t[ok], day_aht
            weights = np.sqrt(dw[ok])
            tm = np.average(tw, weights=weights)
            ym = np.average(yw, weights=weights)
            var = np.average((tw - tm) ** 2, weights=weights)
            if var > 0 and ym > 0:
                slope_rel = float(np.average((tw - tm) * (yw - ym), weights=weights) / var / ym)
        center = float(rows.mean())
        steps = np.arange(o, o + h) - center
        factor = np.clip(1.0 + slope_rel * steps, 1 - AHT_TREND_CAP, 1 + AHT_TREND_CAP)
        wd = self.weekday[o : o + h]
        return shapes[wd] * factor[:, None]


def holiday_key(name: str) -> str:
    """The holiday's name without a trailing note such as "(observed)" / "(estimated)".

    A substitute day ("Boxing Day (observed)") is the same holiday for the centre's habits.
    """
    return re.sub(r"\s*\([^()]*\)\s*$", "", name).strip() or name


def build_days(
    history: IntervalHistory,
    calendar: Calendar,
    last_day: dt.date,
    queues: Sequence[str] | None = None,
) -> dict[str, QueueDays]:
    """Put each queue of ``history`` on a day grid from its first day to ``last_day``."""
    minutes = history.interval_minutes
    slots = 1440 // minutes
    f = history.frame
    history_last = history.end.date() if len(f) else last_day
    if queues is not None:
        unknown = [q for q in queues if q not in set(f["queue"])]
        if unknown:
            raise WfmError(
                f"queue(s) {', '.join(unknown)} not in the history (it has {', '.join(history.queues)})"
            )
        f = f[f["queue"].isin(list(queues))]
    if f.empty:
        raise WfmError("the history is empty: there is nothing to forecast from")
    start = f["interval_start"]
    day = start.dt.normalize()
    first = day.min().date()
    n = (last_day - first).days + 1
    if n <= 0:
        raise WfmError(f"the forecast ends ({last_day}) before the history starts ({first})")
    # per row of the history, as arrays: day row, slot, offered, AHT and the calls it stands for
    day_idx_all = ((day - pd.Timestamp(first)).dt.days).to_numpy()
    slot_all = ((start.dt.hour * 60 + start.dt.minute) // minutes).to_numpy(dtype=np.int64)
    offered_all = f["offered"].to_numpy(dtype=float)
    aht_all = f["aht_seconds"].to_numpy(dtype=float)
    weight = aht_weight(f).fillna(0.0).to_numpy(dtype=float)
    weight_all = np.where(~np.isnan(aht_all) & (weight > 0), weight, 0.0)
    aht_all = np.nan_to_num(aht_all)
    hol = calendar.holidays(first, last_day)
    dates = [first + dt.timedelta(days=i) for i in range(n)]
    weekday = np.array([d.weekday() for d in dates])
    holiday = [holiday_key(hol[d]) if d in hol else None for d in dates]
    out: dict[str, QueueDays] = {}
    qcol = f["queue"].to_numpy()
    for q in sorted(set(qcol)):
        m = qcol == q
        m[m] = day_idx_all[m] < n
        rows, cols, offered = day_idx_all[m], slot_all[m], offered_all[m]
        vol = np.zeros((n, slots))
        np.add.at(vol, (rows, cols), offered)
        # the repeated autumn DST hour: two rows in one wall-clock slot are averaged, not summed
        count = np.zeros((n, slots))
        np.add.at(count, (rows, cols), 1.0)
        vol /= np.maximum(count, 1.0)
        present = np.zeros(n, dtype=bool)
        present[rows] = True
        notes: list[str] = []
        for e in _incomplete_edges(q, rows, cols, offered, present, weekday, first, minutes, notes):
            present[e] = False
        vol[~present] = np.nan
        w = weight_all[m]
        num = np.zeros((n, slots))
        den = np.zeros((n, slots))
        np.add.at(num, (rows, cols), aht_all[m] * w)
        np.add.at(den, (rows, cols), w)
        den /= np.maximum(count, 1.0)
        num /= np.maximum(count, 1.0)
        den[~present] = 0.0
        with np.errstate(invalid="ignore", divide="ignore"):
            aht = np.where(den > 0, num / den, np.nan)
        specials = calendar.special_days_for(q)
        out[q] = QueueDays(
            queue=q,
            first=first,
            slots=slots,
            volume=vol,
            present=present,
            aht=aht,
            aht_weight=den,
            weekday=weekday,
            holiday=holiday,
            special=[specials.get(d) for d in dates],
            impact=np.array(calendar.impact(q, dates)),
            data_end=min((history_last - first).days, n - 1),
            notes=notes,
        )
    return out


_WEEKDAY_NAMES = ("Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays")


def _incomplete_edges(
    queue: str,
    rows: np.ndarray,
    cols: np.ndarray,
    offered: np.ndarray,
    present: np.ndarray,
    weekday: np.ndarray,
    first: dt.date,
    minutes: int,
    notes: list[str],
) -> list[int]:
    """The queue's first and last day with data when cut short (an export stopped at noon).

    The last day is incomplete when its last row comes before the usual last interval with
    calls on its weekday (the lower quartile over the nearest :data:`EDGE_REFERENCE_DAYS` same
    weekdays with calls); the first day when its first row comes after the usual first one
    (the upper quartile). Appends a note per incomplete day.
    """
    n = len(present)
    days_with_data = np.flatnonzero(present)
    if len(days_with_data) < 2:
        return []
    big = np.iinfo(np.int64).max
    lo_row, hi_row = np.full(n, big), np.full(n, -1)
    np.minimum.at(lo_row, rows, cols)
    np.maximum.at(hi_row, rows, cols)
    called = offered > 0
    lo_call, hi_call = np.full(n, big), np.full(n, -1)
    np.minimum.at(lo_call, rows[called], cols[called])
    np.maximum.at(hi_call, rows[called], cols[called])
    has_calls = hi_call >= 0

    def clock(slot: int) -> str:
        return f"{slot * minutes // 60:02d}:{slot * minutes % 60:02d}"

    out: list[int] = []
    for e, side in ((int(days_with_data[-1]), "last"), (int(days_with_data[0]), "first")):
        if e in out:
            continue
        same = days_with_data[(weekday[days_with_data] == weekday[e]) & has_calls[days_with_data]]
        same = same[same != e]
        ref = same[-EDGE_REFERENCE_DAYS:] if side == "last" else same[:EDGE_REFERENCE_DAYS]
        if len(ref) < 2:
            continue
        day = first + dt.timedelta(days=e)
        name = _WEEKDAY_NAMES[int(weekday[e])]
        if side == "last":
            usual = int(np.percentile(hi_call[ref], 25, method="lower"))
            if hi_row[e] < usual:
                out.append(e)
                notes.append(
                    f"queue {queue}: the history's last day {day} stops after the {clock(int(hi_row[e]))} "
                    f"interval while {name} usually have calls until {clock(usual)}: left out as incomplete"
                )
        else:
            usual = int(np.percentile(lo_call[ref], 75, method="higher"))
            if lo_row[e] > usual:
                out.append(e)
                notes.append(
                    f"queue {queue}: the history's first day {day} starts at the {clock(int(lo_row[e]))} "
                    f"interval while {name} usually have calls from {clock(usual)}: left out as incomplete"
                )
    return out


def check_history(days: QueueDays, o: int) -> None:
    """Too little history, or a gap at the end of the history used: one clear :class:`WfmError`.

    The history read is the rows before ``o`` up to the history's last day (a forecast may
    start up to :data:`MAX_LEAD_DAYS` after it; those days are not a gap). A run of more than
    :data:`MAX_GAP_DAYS` absent days in its last :data:`GAP_WINDOW_DAYS` days is refused; one
    that reaches the history's end means the queue's data stop early (a discontinued queue).
    """
    origin = days.date(o)
    end = min(o, days.data_end + 1)  # rows before `end`: the history this origin reads
    rows = np.flatnonzero(days.present[:end])
    if len(rows) == 0:
        raise WfmError(f"queue {days.queue}: no history before {origin}")
    span = end - rows[0]
    if span < MIN_HISTORY_DAYS or len(rows) < MIN_PRESENT_DAYS:
        raise WfmError(
            f"queue {days.queue}: too little history before {origin} ({span} days, {len(rows)} with "
            f"data); at least {MIN_HISTORY_DAYS} days with {MIN_PRESENT_DAYS} or more with data are needed"
        )
    lo = max(int(rows[0]), end - GAP_WINDOW_DAYS)
    run, worst, worst_end = 0, 0, 0
    for i in range(lo, end):
        run = 0 if days.present[i] else run + 1
        if run > worst:
            worst, worst_end = run, i
    if worst > MAX_GAP_DAYS:
        a, b = days.date(worst_end - worst + 1), days.date(worst_end)
        if worst_end == end - 1:
            raise WfmError(
                f"queue {days.queue}: no data for the last {worst} days of the history ({a} to {b}); "
                f"the queue looks discontinued"
            )
        raise WfmError(
            f"queue {days.queue}: the history has a gap of {worst} days ({a} to {b}) in the "
            f"{GAP_WINDOW_DAYS} days before {origin}; import the missing days or start the "
            f"forecast right after the history"
        )


def interval_bounds(volume: np.ndarray, sigma: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
    """P10 and P90 of a count whose rate is ``volume`` times a day factor of log-sd ``sigma``.

    The count is a gamma-Poisson (negative binomial) mixture with mean ``m`` and variance
    ``m + c m**2`` (``c = exp(sigma**2) - 1``); its quantiles come from the Cornish-Fisher
    expansion with the mixture's skewness, so small counts get the Poisson skew. The bounds
    are clipped so that ``0 <= low <= volume <= high``.
    """
    m = np.asarray(volume, dtype=float)
    c = np.expm1(np.asarray(sigma, dtype=float) ** 2)
    k2 = m + c * m * m
    k3 = m + 3 * c * m * m + 2 * c * c * m**3
    sd = np.sqrt(k2)
    with np.errstate(invalid="ignore", divide="ignore"):
        gamma = np.where(sd > 0, k3 / np.where(sd > 0, sd, 1.0) ** 3, 0.0)
    adj = (Z90 * Z90 - 1) / 6 * gamma
    low = np.clip(m + sd * (-Z90 + adj), 0.0, m)
    high = np.maximum(m + sd * (Z90 + adj), m)
    return low, high


def recent_sigma(days: QueueDays, o: int, weeks: int = 12) -> float:
    """Log-sd of a day total around the mean of its previous 4 same weekdays (recent weeks).

    A cheap, out-of-sample measure of how much a day can surprise, used for the baselines'
    prediction intervals.
    """
    totals = days.totals
    normal = days.normal(o)
    errs: list[float] = []
    for i in range(max(0, o - 7 * weeks), o):
        if not normal[i] or not totals[i] > 0:
            continue
        prev = np.flatnonzero(normal[:i] & (days.weekday[:i] == days.weekday[i]) & (totals[:i] > 0))[-4:]
        if len(prev) < 2:
            continue
        ref = float(np.mean(totals[prev] / days.impact[prev])) * days.impact[i]
        errs.append(math.log(totals[i] / ref))
    if len(errs) < 4:
        return 0.15
    return float(np.sqrt(np.mean(np.square(errs))))
