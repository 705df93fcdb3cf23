"""Rolling-origin backtest: how each method would have done on the history's last weeks.

Origins are spaced ``horizon_days`` apart and end where the history ends: the last origin's
horizon is the history's last ``horizon_days`` days, so the test windows do not overlap. At
each origin every method sees only the history before it (the calendar is known throughout,
as a planner knows holidays and planned promotions ahead).

Metrics, per method, origin and level ('interval' or 'daily'), over the days with data:

- **WAPE** = sum |actual - forecast| / sum actual (scale-free, weights busy intervals);
- **MAPE** = mean of |actual - forecast| / actual over the intervals (days) with actual > 0
  (so closed intervals, where both are zero, do not count);
- **coverage**: the share of those intervals (days) whose actual lies in [P10, P90] (about 0.8
  when the bands are calibrated).

The **noise floor** is the interval WAPE a perfect forecast of the Poisson rate would still
make: sum E|Poisson(r) - r| / sum a over the actuals ``a``. The rate ``r`` of an interval is
the day's actual total times the interval's share in its weekday profile as of the origin (the
actual count itself is a noisy rate: at rates of 1 or less it puts the floor 20-46 % too low).
The recommended method is the one with the lowest interval WAPE pooled over all origins and
queues.

Origins are laid out from the history's last day, the same for every queue. A queue without
enough history for all of them, or whose data stop early, is left out with a note (see
:attr:`BacktestResult.notes`); with no queue left it is an error.
"""

from __future__ import annotations

import datetime as dt
import sys
import types
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from wfm.errors import WfmError
from wfm.forecast.days import QueueDays, build_days, check_history
from wfm.forecast.engine import MODEL_METHODS, Job, Prediction, poisson_mad, predict
from wfm.forecast.events import Calendar
from wfm.forecast.model import skip_note
from wfm.io.atomic import atomic_write
from wfm.io.history import IntervalHistory
from wfm.progress import ProgressCallback, report, wrap_callback

NOISE_FLOOR = "noise-floor"
LEVELS = ("interval", "daily")


@dataclass(frozen=True, eq=False)
class BacktestResult:
    """The accuracy table of a rolling-origin backtest.

    ``frame`` is long: ``method, queue ('all' = every queue pooled), origin, level, wape, mape,
    coverage, actual, abs_error, n``; the noise floor appears as method ``"noise-floor"``.
    ``notes``: one-line remarks naming their queue (queues left out, prophet not fitted,
    incomplete days left out).
    """

    frame: pd.DataFrame
    noise_floor: float
    recommended: str
    origins: tuple[dt.date, ...] = ()
    horizon_days: int = 14
    methods: tuple[str, ...] = field(default=MODEL_METHODS)
    notes: tuple[str, ...] = ()

    def summary(self) -> pd.DataFrame:
        """One row per method, pooled over origins and queues.

        Columns ``method, label, interval_wape, interval_mape, daily_wape, daily_mape,
        interval_coverage, origins_won, vs_best_baseline, recommended``. ``origins_won``
        counts the origins where the method had the lowest interval WAPE; ``vs_best_baseline``
        is the relative change of the interval WAPE against the better baseline (-0.15: 15 %
        lower).
        """
        from wfm.forecast.model import METHOD_LABELS

        f = self.frame[(self.frame["queue"] == "all") & (self.frame["method"] != NOISE_FLOOR)]
        rows = []
        per_origin = f[f["level"] == "interval"].pivot(index="origin", columns="method", values="wape")
        winners = per_origin.idxmin(axis=1).value_counts() if len(per_origin) else pd.Series(dtype=int)
        pooled = _pooled(f)
        for m in self.methods:
            p = pooled.get(m, {})
            rows.append(
                {
                    "method": m,
                    "label": METHOD_LABELS.get(m, m),
                    "interval_wape": p.get(("interval", "wape"), np.nan),
                    "interval_mape": p.get(("interval", "mape"), np.nan),
                    "daily_wape": p.get(("daily", "wape"), np.nan),
                    "daily_mape": p.get(("daily", "mape"), np.nan),
                    "interval_coverage": p.get(("interval", "coverage"), np.nan),
                    "origins_won": int(winners.get(m, 0)),
                }
            )
        out = pd.DataFrame(rows)
        baselines = out[out["method"].isin(["last-week", "mean-4-weeks"])]["interval_wape"]
        best = float(baselines.min()) if baselines.notna().any() else np.nan
        out["vs_best_baseline"] = out["interval_wape"] / best - 1.0
        out["recommended"] = out["method"] == self.recommended
        return out

    def table(self) -> pd.DataFrame:
        """``frame`` plus rows pooled over all origins (``origin = 'all'``): what is saved."""
        f = self.frame.copy()
        f["origin"] = f["origin"].astype(str)
        pooled = (
            self.frame.groupby(["method", "queue", "level"], sort=False)[["actual", "abs_error", "_ape", "n_pos", "_cov", "n"]]
            .sum()
            .reset_index()
        )
        pooled["origin"] = "all"
        _finish(pooled)
        cols = ["method", "queue", "origin", "level", "wape", "mape", "coverage", "actual", "abs_error", "n"]
        return pd.concat([f[cols], pooled[cols]], ignore_index=True)

    def to_csv(self, path: str | Path) -> Path:
        """Write :meth:`table` as CSV, atomically (this is ``wfm backtest``'s output)."""
        text = self.table().round({"wape": 5, "mape": 5, "coverage": 4, "actual": 3, "abs_error": 3}).to_csv(
            index=False, lineterminator="\n"
        )
        return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def _finish(f: pd.DataFrame) -> None:
    with np.errstate(invalid="ignore", divide="ignore"):
        f["wape"] = f["abs_error"] / f["actual"].where(f["actual"] > 0)
        f["mape"] = f["_ape"] / f["n_pos"].where(f["n_pos"] > 0)
        f["coverage"] = f["_cov"] / f["n"].where(f["n"] > 0)


def _pooled(f: pd.DataFrame) -> dict[str, dict[tuple[str, str], float]]:
    g = f.groupby(["method", "level"])[["actual", "abs_error", "_ape", "n_pos", "_cov", "n"]].sum().reset_index()
    _finish(g)
    out: dict[str, dict[tuple[str, str], float]] = {}
    for r in g.itertuples(index=False):
        d = out.setdefault(str(r.method), {})
        d[(str(r.level), "wape")] = float(r.wape)
        d[(str(r.level), "mape")] = float(r.mape)
        d[(str(r.level), "coverage")] = float(r.coverage)
    return out


def origin_rows(last_row: int, origins: int, horizon_days: int) -> list[int]:
    """Origin rows, oldest first, so that the last horizon ends on ``last_row``."""
    return [last_row + 1 - horizon_days * (origins - k) for k in range(origins)]


def plan_jobs(
    qdays: dict[str, QueueDays],
    origins: int,
    horizon_days: int,
    *,
    strict: bool = True,
    skipped: list[str] | None = None,
) -> list[Job]:
    """Backtest jobs for every queue, origins laid out from the history's last day.

    With ``strict``, a queue lacking history for any origin is left out (its reason appended to
    ``skipped``), and with no queue left the first reason is raised. Without ``strict``, only
    the origins with too little history are dropped.
    """
    if origins < 1 or horizon_days < 1:
        raise WfmError("a backtest needs at least 1 origin and a horizon of at least 1 day")
    jobs: list[Job] = []
    errors: list[str] = []
    for q, d in qdays.items():
        queue_jobs: list[Job] = []
        failed: str | None = None
        for o in origin_rows(d.data_end, origins, horizon_days):
            try:
                if o <= 0:
                    raise WfmError(
                        f"queue {q}: too little history for {origins} origins of {horizon_days} days"
                    )
                check_history(d, o)
            except WfmError as exc:
                if strict:
                    failed = f"{exc} (backtest origin {d.date(max(o, 0))}; use fewer --origins or a shorter --horizon-days)"
                    break
                continue
            queue_jobs.append((q, o, horizon_days))
        if strict and failed is not None:
            errors.append(failed)
            continue
        jobs.extend(queue_jobs)
    if strict and not jobs and errors:
        raise WfmError(errors[0])
    if skipped is not None:
        skipped.extend(errors)
    return jobs


def score(
    qdays: dict[str, QueueDays], jobs: Sequence[Job], preds: dict[tuple[str, int, str], Prediction], methods: Sequence[str]
) -> tuple[pd.DataFrame, float]:
    """The long metric frame (with helper sums) and the pooled noise floor."""
    recs: list[dict[str, object]] = []
    floor_num = floor_den = 0.0
    for q, o, h in jobs:
        d = qdays[q]
        have = d.present[o : o + h]
        actual = np.nan_to_num(d.volume[o : o + h][have])
        origin = d.date(o)
        shares = d.profiles(o)[d.weekday[o : o + h][have]]
        rate = actual.sum(axis=1, keepdims=True) * shares  # the day's calls at the usual shape
        mad = poisson_mad(rate)
        floor_num += float(mad.sum())
        floor_den += float(actual.sum())
        pos = actual > 0
        recs.append(
            _rec(NOISE_FLOOR, q, origin, "interval", actual, mad, pos, None)
        )
        for m in methods:
            p = preds[(q, o, m)]
            f, lo, hi = p.volume[have], p.low[have], p.high[have]
            cov = (actual >= lo - 1e-9) & (actual <= hi + 1e-9)
            recs.append(_rec(m, q, origin, "interval", actual, np.abs(actual - f), pos, cov))
            da, df = actual.sum(axis=1), f.sum(axis=1)
            dcov = (da >= lo.sum(axis=1) - 1e-9) & (da <= hi.sum(axis=1) + 1e-9)
            recs.append(_rec(m, q, origin, "daily", da, np.abs(da - df), da > 0, dcov))
    frame = pd.DataFrame(recs)
    # pooled over queues, per origin
    if frame["queue"].nunique() > 1:
        all_q = frame.groupby(["method", "origin", "level"], sort=False)[
            ["actual", "abs_error", "_ape", "n_pos", "_cov", "n"]
        ].sum().reset_index()
        all_q["queue"] = "all"
    else:
        all_q = frame.copy()
        all_q["queue"] = "all"
    frame = pd.concat([all_q, frame], ignore_index=True)
    _finish(frame)
    floor = floor_num / floor_den if floor_den > 0 else float("nan")
    return frame, floor


def _rec(
    method: str,
    queue: str,
    origin: dt.date,
    level: str,
    actual: np.ndarray,
    err: np.ndarray,
    pos: np.ndarray,
    covered: np.ndarray | None,
) -> dict[str, object]:
    return {
        "method": method,
        "queue": queue,
        "origin": origin,
        "level": level,
        "actual": float(actual.sum()),
        "abs_error": float(err.sum()),
        "_ape": float((err[pos] / actual[pos]).sum()),
        "n_pos": int(pos.sum()),
        "_cov": float(covered[pos].sum()) if covered is not None else np.nan,
        "n": int(pos.sum()) if covered is not None else 0,
    }


def recommend(frame: pd.DataFrame, methods: Sequence[str]) -> str:
    """The method with the lowest interval WAPE pooled over origins and queues."""
    f = frame[(frame["queue"] == "all") & (frame["level"] == "interval") & frame["method"].isin(list(methods))]
    g = f.groupby("method")[["abs_error", "actual"]].sum()
    if g.empty or not (g["actual"] > 0).any():
        return "mean-4-weeks" if "mean-4-weeks" in methods else methods[0]
    wape = g["abs_error"] / g["actual"]
    return str(wape.idxmin())


def backtest(
    history: IntervalHistory,
    *,
    calendar: Calendar | None = None,
    origins: int = 5,
    horizon_days: int = 14,
    methods: Sequence[str] = MODEL_METHODS,
    queues: Sequence[str] | None = None,
    progress: ProgressCallback | None = None,
    processes: int | None = None,
) -> BacktestResult:
    """Rolling-origin backtest of ``methods`` on ``history`` (see the module docs).

    Parameters
    ----------
    origins, horizon_days
        Number of forecast origins and days forecast from each.
    processes
        Worker processes for the prophet fits (None: one per usable CPU, at most 4 and at
        most one per fit;
        0: fit in this process). Each (queue, origin) is one task.
    progress
        ``progress(fraction, message)``, called at least every 0.5 s; raise
        :class:`~wfm.progress.Cancelled` in it to stop (the workers are terminated at once).

    Raises
    ------
    WfmError
        No queue with enough history for the origins asked for (a queue without enough is left
        out with a note), gaps, an unknown method, queue or country, a calendar naming a queue
        the history does not have.
    """
    methods = tuple(methods)
    bad = [m for m in methods if m not in MODEL_METHODS]
    if bad or not methods:
        raise WfmError(f"unknown method(s) {', '.join(bad)}; choose from {', '.join(MODEL_METHODS)}")
    calendar = calendar or Calendar()
    calendar.check_queues(history.queues)
    report(progress, 0.0, "Preparing the history")
    if len(history) == 0:
        raise WfmError("the history is empty: there is nothing to backtest")
    last_day = history.end.date()
    qdays = build_days(history, calendar, last_day, queues)
    skipped: list[str] = []
    jobs = plan_jobs(qdays, origins, horizon_days, skipped=skipped)
    preds = predict(qdays, jobs, methods, progress=wrap_callback(progress, 0.02, 0.97), processes=processes)
    report(progress, 0.98, "Scoring")
    frame, floor = score(qdays, jobs, preds, methods)
    included = list(dict.fromkeys(q for q, _, _ in jobs))
    notes = [n for q in included for n in qdays[q].notes]
    notes += [skip_note(text) for text in skipped]
    for q in included:
        found = [p.note for (pq, _, m), p in preds.items() if pq == q and m == "prophet" and p.note]
        if found:
            more = f" (and at {len(found) - 1} more origin(s))" if len(found) > 1 else ""
            notes.append(found[0] + more)
    result = BacktestResult(
        frame=frame,
        noise_floor=floor,
        recommended=recommend(frame, methods),
        origins=tuple(sorted({qdays[q].date(o) for q, o, _ in jobs})),
        horizon_days=horizon_days,
        methods=methods,
        notes=tuple(notes),
    )
    report(progress, 1.0, "Backtest done")
    return result


class _CallableModule(types.ModuleType):
    """This module, callable as :func:`backtest`.

    Importing the submodule ``wfm.forecast.backtest`` (``forecast(method="auto")`` does) makes
    the package attribute ``wfm.forecast.backtest`` this module instead of the function, so a
    later ``from wfm.forecast import backtest`` would get a module; calling it still works.
    """

    def __call__(self, *args: Any, **kwargs: Any) -> BacktestResult:
        return backtest(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
