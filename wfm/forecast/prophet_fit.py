"""The daily prophet model: one fit per queue (and per backtest origin), run in a worker.

Why daily: prophet fitted straight on interval data with closed hours makes wild values and
negatives, and its interval forecasts do not add up to its daily one (prophet issues #749,
#1218, #1468). Here prophet sees one point per open day, the **log** of the day's calls with
past events divided out; so weekly (and, from two years of history, yearly) seasonality,
holidays and events act multiplicatively, as they do on call volume. Closed days are left
out of the fit (they are forecast zero by rule, see :mod:`wfm.forecast.days`).

Components: piecewise-linear trend (prophet's defaults), weekly seasonality, yearly seasonality
from one year of history (smooth below two years, see :data:`YEARLY_MIN_DAYS`), one holiday effect per holiday name, and a 0/1
``after_closure`` regressor for the catch-up day after a closure. ``uncertainty_samples=0``
(prophet's sampling is slow); the spread comes from the fit's residuals instead.

**Damped trend.** The trend is linear in the *log* of the day's calls, so extrapolated it grows
exponentially (a queue growing 60 % a year would be forecast at 2.6 times its level two years
out, and a steep last segment far worse). The history supports a trend only a little past its
end: the trend is followed for :data:`TREND_HOLD_DAYS` (13 weeks) after the last day fitted and
held flat from there on (seasonality, holidays and events still apply). Long-range growth is
the planner's call (an event with an uplift, or an override), not an extrapolation.

This module imports prophet only inside :func:`fit_daily`, so it can be imported anywhere;
worker processes import it through :func:`init_worker`.
"""

from __future__ import annotations

import datetime as dt
import logging
import warnings
from dataclasses import dataclass

import numpy as np

#: Days of history from which a yearly seasonality is fitted: a smooth one (Fourier order
#: :data:`YEARLY_ORDER_SHORT`) from one year, prophet's default order 10 from two years.
#: Backtest on the sample centre (5 origins, 14 days, origins at 1.8 years of history): daily
#: WAPE 8.0 % without the yearly term, 7.1 % with it.
YEARLY_MIN_DAYS = 365
YEARLY_FULL_DAYS = 700
YEARLY_ORDER_SHORT = 4
#: Prophet's default flexibility of the trend.
CHANGEPOINT_PRIOR_SCALE = 0.05
#: Out-of-sample errors are larger than in-sample residuals: widen by this factor.
RESIDUAL_INFLATION = 1.3
#: The trend is held flat from this many days after the last day fitted.
TREND_HOLD_DAYS = 91


@dataclass(frozen=True)
class DailyFitTask:
    """Everything one prophet fit needs (small and picklable)."""

    key: tuple[str, str]  # (queue, origin as ISO date)
    ds: np.ndarray  # datetime64[D] of the training days
    y: np.ndarray  # log(day total / event impact)
    after: np.ndarray  # after-closure regressor on the training days
    future_ds: np.ndarray  # datetime64[D] of the days to predict
    future_after: np.ndarray
    holidays: tuple[tuple[str, dt.date], ...]
    yearly: int = 0  # Fourier order of the yearly seasonality (0: none)
    changepoint_prior_scale: float = 0.05


@dataclass(frozen=True)
class DailyFit:
    """Prophet's log-level prediction for the requested days and the residual spread."""

    key: tuple[str, str]
    yhat: np.ndarray  # log day total (events not applied)
    sigma: float  # log-sd of a day's error, inflated for out-of-sample


def quiet_logging() -> None:
    """Silence prophet and cmdstanpy (they log every fit at INFO)."""
    for name in ("prophet", "prophet.plot", "prophet.forecaster", "prophet.models", "cmdstanpy"):
        log = logging.getLogger(name)
        log.setLevel(logging.CRITICAL)
        log.propagate = False
        log.disabled = True  # cmdstanpy resets its level and handlers on first use


def init_worker() -> None:
    """Process-pool initializer: quiet logs and pay prophet's import while the parent prepares."""
    quiet_logging()
    import prophet  # noqa: F401

    quiet_logging()


def fit_daily(task: DailyFitTask) -> DailyFit:
    """Fit prophet on one queue's daily log totals and predict ``task.future_ds``."""
    with warnings.catch_warnings():
        # prophet 1.1 uses pandas' deprecated inplace= (Pandas4Warning): not ours to fix
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", FutureWarning)
        return _fit_daily(task)


def _fit_daily(task: DailyFitTask) -> DailyFit:
    quiet_logging()
    import pandas as pd
    from prophet import Prophet

    quiet_logging()

    span = int((task.ds[-1] - task.ds[0]).astype(int)) + 1 if len(task.ds) else 0
    train = pd.DataFrame({"ds": pd.to_datetime(task.ds), "y": task.y})
    holidays = None
    if task.holidays:
        holidays = pd.DataFrame(
            {"holiday": [n for n, _ in task.holidays], "ds": pd.to_datetime([d for _, d in task.holidays])}
        )
    model = Prophet(
        growth="linear",
        yearly_seasonality=task.yearly if task.yearly > 0 else False,
        changepoint_prior_scale=task.changepoint_prior_scale,
        weekly_seasonality=span >= 14,
        daily_seasonality=False,
        holidays=holidays,
        uncertainty_samples=0,
    )
    use_after = bool(task.after.any())
    if use_after:
        model.add_regressor("after_closure", standardize=False)
        train["after_closure"] = task.after
    model.fit(train)
    future = pd.DataFrame({"ds": pd.to_datetime(task.future_ds)})
    if use_after:
        future["after_closure"] = task.future_after
    hold = train["ds"].iloc[-1] + pd.Timedelta(days=TREND_HOLD_DAYS)
    held = (future["ds"] > hold).to_numpy()
    both = pd.concat([train[["ds", *(["after_closure"] if use_after else [])]], future], ignore_index=True)
    predicted = model.predict(both)  # sorted by ds, as ``both`` is
    pred = predicted["yhat"].to_numpy(dtype=float)
    fitted, yhat = pred[: len(train)], pred[len(train) :].copy()
    if held.any():
        at_hold = pd.DataFrame({"ds": [hold], **({"after_closure": [0.0]} if use_after else {})})
        trend_hold = float(model.predict(at_hold)["trend"].iloc[0])
        future_trend = predicted["trend"].to_numpy(dtype=float)[len(train) :]
        yhat[held] += trend_hold - future_trend[held]
    resid = task.y - fitted
    sigma = float(np.sqrt(np.mean(resid**2))) * RESIDUAL_INFLATION if len(resid) else 0.1
    return DailyFit(task.key, yhat, sigma)
