"""The shared machinery of :func:`~wfm.forecast.model.forecast` and
:func:`~wfm.forecast.backtest.backtest`: one queue, one origin, one method -> interval matrices.

A *job* is ``(queue, origin row, horizon days)``. Prophet fits for all jobs go to worker
processes in one pool (:mod:`wfm.forecast.runner`); the baselines, the intraday spreading,
the AHT and the prediction intervals are cheap numpy work done here.

A job with fewer than :data:`MIN_FIT_DAYS` days with calls before its origin (a queue without
calls, a queue that opened last week) is never given to prophet: its "prophet" prediction is
the mean-4-weeks baseline (all zero for a queue without calls), with a note saying so.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from wfm.forecast import prophet_fit
from wfm.forecast.baselines import BASELINE_WEEKS, baseline_matrix
from wfm.forecast.days import QueueDays, interval_bounds, recent_sigma
from wfm.forecast.prophet_fit import DailyFit, DailyFitTask, fit_daily, init_worker
from wfm.forecast.runner import run_tasks
from wfm.progress import ProgressCallback

MODEL_METHODS = ("prophet", "last-week", "mean-4-weeks")

Job = tuple[str, int, int]  # queue, origin row, horizon days

#: Fewer days with calls than this before the origin: no prophet fit (mean-4-weeks instead).
MIN_FIT_DAYS = 7
FALLBACK_METHOD = "mean-4-weeks"


@dataclass(frozen=True, eq=False)
class Prediction:
    """One job's forecast for one method: (days, slots) matrices."""

    volume: np.ndarray
    low: np.ndarray
    high: np.ndarray
    aht: np.ndarray
    note: str | None = None  # why this prediction is not what the method would normally give
    #: the daily totals before they were spread over the intervals (prophet only; for tests)
    day_totals: np.ndarray | None = None


def no_calls_note(queue: str, origin: object) -> str:
    return f"queue {queue}: no calls in the history before {origin}: forecast zero (no model fitted)"


def fit_rows(days: QueueDays, o: int) -> np.ndarray:
    """Rows before ``o`` that prophet fits: days with calls that are not special days."""
    totals = days.totals[:o]
    fit = days.present[:o] & (totals > 0) & np.array([s is None for s in days.special[:o]], dtype=bool)
    return np.flatnonzero(fit)


def daily_task(days: QueueDays, o: int, h: int) -> DailyFitTask:
    """The prophet fit of ``days`` with history before row ``o``, predicting ``o .. o+h-1``."""
    rows = fit_rows(days, o)
    totals = days.totals[:o]
    after = days.after_closure(o, h)
    dates = np.datetime64(days.first, "D") + np.arange(o + h)
    names_in_fit = {days.holiday[i] for i in rows if days.holiday[i] is not None}
    holidays = tuple(
        (name, days.date(i)) for i in range(o + h) if (name := days.holiday[i]) is not None and name in names_in_fit
    )
    span = int(rows[-1] - rows[0]) + 1 if len(rows) else 0
    return DailyFitTask(
        key=(days.queue, days.date(o).isoformat()),
        ds=dates[rows],
        y=np.log(totals[rows] / days.impact[rows]),
        after=after[rows],
        future_ds=dates[o : o + h],
        future_after=after[o : o + h],
        holidays=holidays,
        yearly=(
            10 if span >= prophet_fit.YEARLY_FULL_DAYS
            else prophet_fit.YEARLY_ORDER_SHORT if span >= prophet_fit.YEARLY_MIN_DAYS
            else 0
        ),
        changepoint_prior_scale=prophet_fit.CHANGEPOINT_PRIOR_SCALE,
    )


def from_daily(days: QueueDays, o: int, h: int, fit: DailyFit) -> Prediction:
    """Spread prophet's day totals (events re-applied, closures zero) by the weekday profiles."""
    closed, fixed = days.status(o, h)
    total = np.exp(fit.yhat) * days.impact[o : o + h]
    total = np.where(np.isfinite(fixed), fixed, total)
    total[closed] = 0.0
    shares = days.profiles(o)[days.weekday[o : o + h]]
    volume = total[:, None] * shares
    low, high = interval_bounds(volume, fit.sigma)
    return Prediction(volume, low, high, days.aht_forecast(o, h), day_totals=total)


def from_baseline(days: QueueDays, o: int, h: int, method: str) -> Prediction:
    volume = baseline_matrix(days, o, h, BASELINE_WEEKS[method])
    low, high = interval_bounds(volume, recent_sigma(days, o))
    return Prediction(volume, low, high, days.aht_forecast(o, h))


def predict(
    qdays: dict[str, QueueDays],
    jobs: Iterable[Job],
    methods: Iterable[str],
    *,
    progress: ProgressCallback | None = None,
    processes: int | None = None,
) -> dict[tuple[str, int, str], Prediction]:
    """Predictions keyed by ``(queue, origin row, method)`` for every job and method."""
    jobs = list(jobs)
    methods = list(methods)
    out: dict[tuple[str, int, str], Prediction] = {}
    if "prophet" in methods:
        fit_jobs: list[Job] = []
        for q, o, h in jobs:
            n_fit = len(fit_rows(qdays[q], o))
            if n_fit >= MIN_FIT_DAYS:
                fit_jobs.append((q, o, h))
                continue
            origin = qdays[q].date(o)
            if n_fit == 0:
                note = no_calls_note(q, origin)
            else:
                note = (
                    f"queue {q}: only {n_fit} days with calls before {origin}, too few for the prophet "
                    f"model ({MIN_FIT_DAYS} needed): forecast with {FALLBACK_METHOD}"
                )
            base = from_baseline(qdays[q], o, h, FALLBACK_METHOD)
            out[(q, o, "prophet")] = dataclasses.replace(base, note=note)
        tasks = [daily_task(qdays[q], o, h) for q, o, h in fit_jobs]
        fits = run_tasks(
            fit_daily,
            tasks,
            processes=processes,
            progress=progress,
            message="Fitting the daily model",
            initializer=init_worker,
        )
        for (q, o, h), fit in zip(fit_jobs, fits, strict=True):
            out[(q, o, "prophet")] = from_daily(qdays[q], o, h, fit)
    for method in methods:
        if method == "prophet":
            continue
        for q, o, h in jobs:
            out[(q, o, method)] = from_baseline(qdays[q], o, h, method)
    return out


def poisson_mad(rate: np.ndarray) -> np.ndarray:
    """E|X - rate| for X ~ Poisson(rate): ``2 e^-r r^(k+1) / k!`` with ``k = floor(r)``.

    Computed in log space (``lgamma``), so it is exact for rates in the millions.
    """
    r = np.asarray(rate, dtype=float)
    out = np.zeros_like(r)
    pos = r > 0
    k = np.floor(r[pos])
    lg = np.array([math.lgamma(x + 1.0) for x in k.tolist()])
    out[pos] = np.exp(math.log(2.0) - r[pos] + (k + 1) * np.log(r[pos]) - lg)
    return out
