"""Forecast offered volume and AHT per queue and interval.

Method ``"prophet"`` (the model), chosen by backtest over fitting prophet on the intervals:

1. **Daily totals** per queue with prophet on the log of the day's calls (trend, weekly and,
   from two years of history, yearly seasonality, one effect per holiday, a catch-up effect
   after closures; past events divided out, future events multiplied back), see
   :mod:`wfm.forecast.prophet_fit`.
2. **Spread** each day by its weekday's intraday profile: the pooled shares of the last 8
   normal same weekdays, so intervals that were closed on all of them stay zero and the
   intervals add up to the day exactly.
3. **Closed days** (closed weekdays, holidays the centre closes on, closed special days) are
   zero; a special day with a volume gets that volume (see :mod:`wfm.forecast.days`).
4. **Prediction intervals**: the day's error is log-normal with the fit's residual spread
   (inflated for out-of-sample), the interval's count Poisson around it; P10/P90 are the
   gamma-Poisson quantiles (:func:`wfm.forecast.days.interval_bounds`).
5. **AHT**: weekday time-of-day shape times a damped linear trend (the same for all methods).

6. **Long horizons**: the trend is followed for 13 weeks after the last day with data and held
   flat after that (:data:`wfm.forecast.prophet_fit.TREND_HOLD_DAYS`).

``"last-week"`` and ``"mean-4-weeks"`` are the baselines (:mod:`wfm.forecast.baselines`).
``"auto"`` runs a short backtest (:data:`AUTO_ORIGINS` origins of :data:`AUTO_HORIZON_DAYS`
days, fewer when the history is short) of the three methods in the same worker pool as the
final fits, and uses the one with the lowest interval WAPE; with too little history for any
origin it uses ``"mean-4-weeks"``.

Per queue, what a planner should know is said in :attr:`Forecast.notes` (``wfm forecast``
prints them to stderr): a queue skipped because it has too little history or its data stopped
(the other queues are forecast; with no forecastable queue at all it is an error), a queue
without calls forecast zero or with too few days with calls forecast by mean-4-weeks (never a
prophet fit), an incomplete first or last day of the history left out.

The forecast may start up to :data:`~wfm.forecast.days.MAX_LEAD_DAYS` (8 weeks) after the
history's last day. Its days are nominal 24-hour wall-clock days: ``interval_start`` runs
00:00 to 23:30 every day, DST days included (the history's repeated autumn hour is averaged, the
missing spring hour is 0 in the history); shift the DST days' hours when staffing them if the
centre's clock matters to the hour.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from wfm.errors import InputError, WfmError
from wfm.forecast.days import MAX_LEAD_DAYS, QueueDays, build_days, check_history
from wfm.forecast.engine import MODEL_METHODS, Job, Prediction, no_calls_note, predict
from wfm.forecast.events import Calendar
from wfm.io.atomic import atomic_write
from wfm.io.history import INTERVAL_CHOICES, IntervalHistory, _parse_starts
from wfm.io.textfiles import read_csv_table
from wfm.progress import ProgressCallback, report, wrap_callback

METHODS = ("auto", "prophet", "last-week", "mean-4-weeks")
METHOD_LABELS = {
    "auto": "Automatic (best in backtest)",
    "prophet": "Prophet daily model + intraday profiles",
    "last-week": "Same interval last week",
    "mean-4-weeks": "Mean of the same interval, last 4 weeks",
}
FORECAST_COLUMNS = ("queue", "interval_start", "volume", "volume_low", "volume_high", "aht_seconds")
MAX_DAYS = 732
AUTO_ORIGINS = 3
AUTO_HORIZON_DAYS = 14


@dataclass(frozen=True, eq=False)
class Forecast:
    """A forecast: one row per queue and interval of the horizon.

    ``frame`` has the columns of :data:`FORECAST_COLUMNS` (``interval_start`` naive local
    wall clock; ``volume_low``/``volume_high`` are P10/P90; ``aht_seconds`` NaN when the
    history has no AHT), sorted by queue and time. ``method`` is the method actually used
    (never ``"auto"``), or ``"unknown"`` for a forecast read from a file. ``notes`` are
    one-line remarks for the planner (skipped queues, queues forecast another way,
    incomplete days left out), each naming its queue.
    """

    frame: pd.DataFrame
    interval_minutes: int
    method: str
    start: dt.date
    days: int
    notes: tuple[str, ...] = ()

    @property
    def queues(self) -> list[str]:
        return sorted(self.frame["queue"].unique().tolist())

    def daily_totals(self) -> pd.DataFrame:
        """``queue, date, volume, volume_low, volume_high`` per queue and day.

        The day's bounds are the sums of its intervals' bounds: exact when the day-level error
        dominates (it is shared by all intervals of a day), a little wide for small queues
        where the intervals' Poisson noise dominates (it partly cancels over the day).
        """
        f = self.frame
        g = f.assign(date=f["interval_start"].dt.normalize()).groupby(["queue", "date"], sort=True)
        return g[["volume", "volume_low", "volume_high"]].sum().reset_index()

    def write_csv(self, path: str | Path) -> Path:
        """Save as CSV (``queue,interval_start,volume,volume_low,volume_high,aht_seconds``), atomically."""
        out = self.frame.loc[:, list(FORECAST_COLUMNS)].copy()
        out["interval_start"] = out["interval_start"].dt.strftime("%Y-%m-%dT%H:%M:%S")
        for col in ("volume", "volume_low", "volume_high"):
            out[col] = out[col].round(3)
        out["aht_seconds"] = out["aht_seconds"].round(1)
        text = out.to_csv(index=False, lineterminator="\n")
        return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))

    @classmethod
    def read_csv(cls, path: str | Path, interval_minutes: int | None = None) -> Forecast:
        """Read a forecast CSV written by :meth:`write_csv` (or by hand, same columns).

        Raises
        ------
        InputError
            Naming the file, row and column of the first bad value.
        """
        path = Path(path)
        raw = read_csv_table(path, "forecast CSV")
        missing = [c for c in FORECAST_COLUMNS if c not in raw.columns]
        if missing:
            raise InputError(
                f"not a forecast: missing column(s) {', '.join(missing)} (expected {','.join(FORECAST_COLUMNS)})",
                file=path,
            )
        if raw.empty:
            raise InputError("the forecast has no rows", file=path)
        frame = pd.DataFrame({"queue": raw["queue"].astype(str)})
        # The history's parser: wall-clock starts, a UTC offset read and set aside (the
        # forecast is on the nominal wall-clock day).
        starts, _ = _parse_starts(raw["interval_start"], path)
        frame["interval_start"] = starts.astype("datetime64[s]")
        for col in FORECAST_COLUMNS[2:]:
            text = raw[col].str.strip()
            values = pd.to_numeric(text.replace("", np.nan), errors="coerce")
            bad = (values.isna() & text.ne("")) | (values < 0)
            if col != "aht_seconds":
                bad |= values.isna()
            if bad.any():
                i = int(np.flatnonzero(bad.to_numpy())[0])
                raise InputError(f"'{raw[col].iloc[i]}' is not a valid {col} value", file=path, row=i + 2, column=col)
            frame[col] = values.astype(float)
        wrong = (frame["volume_low"] > frame["volume"] + 1e-6) | (frame["volume"] > frame["volume_high"] + 1e-6)
        if wrong.any():
            i = int(np.flatnonzero(wrong.to_numpy())[0])
            raise InputError("volume is not between volume_low and volume_high", file=path, row=i + 2, column="volume")
        dup = frame.duplicated(["queue", "interval_start"])
        if dup.any():
            i = int(np.flatnonzero(dup.to_numpy())[0])
            raise InputError("interval listed twice for the same queue", file=path, row=i + 2, column="interval_start")
        frame = frame.sort_values(["queue", "interval_start"], kind="stable").reset_index(drop=True)
        if interval_minutes is None:
            gaps = frame.groupby("queue")["interval_start"].diff().dropna()
            interval_minutes = int(round(gaps.min().total_seconds() / 60)) if len(gaps) else 30
        if interval_minutes not in INTERVAL_CHOICES:
            raise InputError(
                f"intervals are {interval_minutes} minutes apart; use 15, 30 or 60", file=path, column="interval_start"
            )
        first = frame["interval_start"].min().date()
        last = frame["interval_start"].max().date()
        return cls(frame, interval_minutes, "unknown", first, (last - first).days + 1)


def _frame(
    queue_preds: list[tuple[str, Prediction]], start: dt.date, days: int, interval_minutes: int
) -> pd.DataFrame:
    slots = 1440 // interval_minutes
    offsets = pd.to_timedelta(np.arange(days * slots) * interval_minutes, unit="min")
    starts = pd.Timestamp(start) + offsets
    parts = []
    for q, p in queue_preds:
        parts.append(
            pd.DataFrame(
                {
                    "queue": q,
                    "interval_start": starts,
                    "volume": p.volume.ravel(),
                    "volume_low": p.low.ravel(),
                    "volume_high": p.high.ravel(),
                    "aht_seconds": p.aht.ravel(),
                }
            )
        )
    frame = pd.concat(parts, ignore_index=True)
    frame["interval_start"] = frame["interval_start"].astype("datetime64[s]")
    return frame.sort_values(["queue", "interval_start"], kind="stable").reset_index(drop=True)


def forecast(
    history: IntervalHistory,
    start: dt.date,
    days: int,
    *,
    calendar: Calendar | None = None,
    method: str = "auto",
    queues: Sequence[str] | None = None,
    progress: ProgressCallback | None = None,
    processes: int | None = None,
) -> Forecast:
    """Forecast volume (with P10/P90) and AHT per queue and interval for ``days`` days from ``start``.

    Only history before ``start`` is used.

    Parameters
    ----------
    history
        The interval history (missing days are unknown, not zero).
    start, days
        First day and length of the horizon.
    calendar
        Holidays country, special days and events (default: none).
    method
        One of :data:`METHODS` (see the module docs for ``"auto"``).
    queues
        Queues to forecast (default: all).
    progress
        ``progress(fraction, message)``, called at least every 0.5 s while fitting; raise
        :class:`~wfm.progress.Cancelled` in it to stop (worker processes are terminated at once).
    processes
        Worker processes for the prophet fits, one queue (and backtest origin) per task
        (None: one per usable CPU, at most 4 and at most one per task; 0: fit in this
        process, where Cancel waits for the current fit; from a ``__main__`` that cannot be
        re-imported, such as code read from stdin, always in this process).

    Raises
    ------
    WfmError
        No queue with enough history (a queue without enough, or whose data stop before the
        history's end, is skipped with a note), a gap in the history, a start before the
        history or more than 8 weeks after it, an unknown method, queue or country, a calendar
        naming a queue the history does not have.
    """
    if method not in METHODS:
        raise WfmError(f"unknown forecast method '{method}'; choose from {', '.join(METHODS)}")
    if not 1 <= days <= MAX_DAYS:
        raise WfmError(f"the horizon must be 1 to {MAX_DAYS} days, not {days}")
    calendar = calendar or Calendar()
    calendar.check_queues(history.queues)
    report(progress, 0.0, "Preparing the history")
    if len(history) == 0:
        raise WfmError("the history is empty: there is nothing to forecast from")
    first_day, end_day = history.start.date(), history.end.date()
    if start <= first_day:
        raise WfmError(
            f"the forecast must start after the history, which ends {end_day} "
            f"(the start {start} is not after the history's first day {first_day})"
        )
    lead = (start - end_day).days - 1
    if lead > MAX_LEAD_DAYS:
        raise WfmError(
            f"the forecast starts {start}, {lead} days after the history ends ({end_day}); it may "
            f"start at most {MAX_LEAD_DAYS // 7} weeks ({MAX_LEAD_DAYS} days) after it: import more "
            f"recent history or start earlier"
        )
    try:
        last_day = start + dt.timedelta(days=days - 1)
    except OverflowError:
        raise WfmError(f"a {days}-day forecast from {start} would end after the year 9999") from None
    qdays = build_days(history, calendar, max(last_day, end_day), queues)
    jobs: list[Job] = []
    skipped: list[str] = []
    for q, d in qdays.items():
        o = d.row(start)
        try:
            check_history(d, o)
        except WfmError as exc:
            skipped.append(str(exc))
            continue
        jobs.append((q, o, days))
    if not jobs:
        if len(skipped) == 1:
            raise WfmError(skipped[0])
        raise WfmError("no queue can be forecast: " + "; ".join(skipped))
    notes = [n for q, _, _ in jobs for n in qdays[q].notes]
    notes += [skip_note(text) for text in skipped]
    used = method
    if method == "auto":
        from wfm.forecast.backtest import plan_jobs, recommend, score

        truncated = {q: _truncated(qdays[q], o) for q, o, _ in jobs}
        bt_jobs = plan_jobs(truncated, AUTO_ORIGINS, AUTO_HORIZON_DAYS, strict=False)
        preds = predict(
            qdays, bt_jobs + jobs, MODEL_METHODS, progress=wrap_callback(progress, 0.03, 0.97), processes=processes
        )
        if bt_jobs:
            frame, _ = score(qdays, bt_jobs, preds, MODEL_METHODS)
            used = recommend(frame, MODEL_METHODS)
        else:
            used = "mean-4-weeks"
    else:
        preds = predict(qdays, jobs, [method], progress=wrap_callback(progress, 0.03, 0.97), processes=processes)
    for q, o, _ in jobs:
        note = preds[(q, o, used)].note
        if note is None and not np.nansum(qdays[q].volume[:o]) > 0:
            note = no_calls_note(q, qdays[q].date(o))
        if note is not None:
            notes.append(note)
    report(progress, 0.98, "Assembling the forecast")
    frame = _frame([(q, preds[(q, o, used)]) for q, o, _ in jobs], start, days, history.interval_minutes)
    report(progress, 1.0, "Forecast done")
    return Forecast(frame, history.interval_minutes, used, start, days, tuple(notes))


def skip_note(message: str) -> str:
    """``"queue X: reason"`` -> ``"queue X skipped: reason"``."""
    head, sep, reason = message.partition(": ")
    return f"{head} skipped: {reason}" if sep and head.startswith("queue ") else f"skipped: {message}"


def _truncated(d: QueueDays, o: int) -> QueueDays:
    """A view of ``d`` whose days with data end before row ``o`` (to plan backtest origins)."""
    view = copy.copy(d)
    present = d.present.copy()
    present[o:] = False
    view.present = present
    view.data_end = min(d.data_end, o - 1)
    view._cache = {}
    return view
