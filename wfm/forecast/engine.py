"""The shared machinery of :func:`~wfm.forecast.model.forecast` and
:func:`~wfm.forecast.backtest.backtest`: one queue, one origin, one method -> interval matrices.

A *job* is ``(queue, origin row, horizon days)``. Prophet fits for all jobs go to worker
processes in one pool (:mod:`wfm.forecast.runner`); the baselines, the intraday spreading,
the AHT and the prediction intervals are cheap numpy work done here.
"""

from __future__ import annotations

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


@dataclass(frozen=True, eq=False)
class Prediction:
    """One job's forecast for one method: (days, slots) matrices."""

    volume: np.ndarray
    low: np.ndarray
    high: np.ndarray
    aht: np.ndarray


def daily_task(days: QueueDays, o: int, h: int) -> DailyFitTask:
    """The prophet fit of ``days`` with history before row ``o``, predicting ``o .. o+h-1``."""
    totals = days.totals[:o]
    fit = days.present[:o] & (totals > 0) & np.array([s is None for s in days.special[:o]], dtype=bool)
    rows = np.flatnonzero(fit)
    after = days.after_closure(o, h)
    dates = np.array([np.datetime64(days.date(i), "D") for i in range(o + h)])
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
    return Prediction(volume, low, high, days.aht_forecast(o, h))


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
        tasks = [daily_task(qdays[q], o, h) for q, o, h in jobs]
        fits = run_tasks(
            fit_daily,
            tasks,
            processes=processes,
            progress=progress,
            message="Fitting the daily model",
            initializer=init_worker,
        )
        for (q, o, h), fit in zip(jobs, fits, strict=True):
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
