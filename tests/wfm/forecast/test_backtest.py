"""Backtest metrics, the Poisson noise floor, and calibrated P10-P90 bands."""

from __future__ import annotations

import datetime as dt
import math
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from tests.conftest import REPO
from tests.wfm.forecast.helpers import MONDAY, make_history
from wfm.errors import WfmError
from wfm.forecast import Calendar, backtest
from wfm.forecast.engine import poisson_mad
from wfm.io.history import IntervalHistory

D = dt.timedelta


def test_metrics_are_exact_on_a_hand_built_case(tmp_path):
    # 10 calls per open interval for 6 weeks, then 12 for the 2 test weeks
    last = MONDAY + D(days=41)
    h = make_history(56, rate=lambda d, s: 12.0 if d > last else 10.0)
    r = backtest(h, origins=1, horizon_days=14, methods=("last-week", "mean-4-weeks"), processes=0)
    f = r.frame[r.frame["queue"] == "all"].set_index(["method", "level"])
    for m in ("last-week", "mean-4-weeks"):
        for level in ("interval", "daily"):
            assert f.loc[(m, level), "wape"] == pytest.approx(2 / 12)
            assert f.loc[(m, level), "mape"] == pytest.approx(2 / 12)
    assert f.loc[("last-week", "interval"), "actual"] == 12 * 20 * 12  # 12 open days x 20 intervals
    expected_floor = 2 * math.exp(-12) * 12**13 / math.factorial(12) / 12
    assert r.noise_floor == pytest.approx(expected_floor)
    assert r.origins == (MONDAY + D(days=42),)
    s = r.summary().set_index("method")
    assert s.loc["last-week", "origins_won"] + s.loc["mean-4-weeks", "origins_won"] == 1
    path = r.to_csv(tmp_path / "metrics.csv")
    table = pd.read_csv(path)
    assert list(table.columns) == ["method", "queue", "origin", "level", "wape", "mape", "coverage", "actual", "abs_error", "n"]
    assert set(table["origin"]) == {"2026-02-16", "all"}
    assert "noise-floor" in set(table["method"])


def test_origins_are_spaced_by_the_horizon_and_end_with_the_history():
    h = make_history(84)
    r = backtest(h, origins=3, horizon_days=7, methods=("last-week",), processes=0)
    assert r.origins == tuple(MONDAY + D(days=84 - 7 * k) for k in (3, 2, 1))
    with pytest.raises(WfmError, match="too little history"):
        backtest(h, origins=10, horizon_days=7, methods=("last-week",), processes=0)


@pytest.mark.parametrize("rate", [0.3, 2.5, 16.0, 250.0])
def test_noise_floor_matches_a_simulated_poisson(rate):
    rng = np.random.default_rng(7)
    simulated = np.abs(rng.poisson(rate, 400_000) - rate).mean()
    assert poisson_mad(np.array([rate]))[0] == pytest.approx(simulated, rel=0.01)
    assert poisson_mad(np.array([0.0]))[0] == 0.0
    # 16 expected calls: E|X - 16| / 16 is about 0.2 (DOMAIN.md)
    assert poisson_mad(np.array([16.0]))[0] / 16 == pytest.approx(0.2, abs=0.005)


def test_the_sample_centre_model_beats_the_baselines_and_bands_cover_about_80_percent():
    history = IntervalHistory.read_csv(REPO / "sample_data" / "history.csv")
    cal = Calendar.load(REPO / "sample_data" / "events.toml")
    r = backtest(history, calendar=cal, origins=3, horizon_days=14, processes=2)
    s = r.summary().set_index("method")
    assert r.recommended == "prophet"
    assert s.loc["prophet", "interval_wape"] < s.loc[["last-week", "mean-4-weeks"], "interval_wape"].min()
    assert 0.7 <= s.loc["prophet", "interval_coverage"] <= 0.9
    assert r.noise_floor < s["interval_wape"].min()


def test_backtest_stays_callable_after_its_module_is_imported():
    # in a fresh interpreter: the submodule imported first (forecast(method="auto") does that)
    code = (
        "import wfm.forecast.backtest\n"
        "from wfm.forecast import backtest\n"
        "from tests.wfm.forecast.helpers import make_history\n"
        "r = backtest(make_history(42), origins=1, horizon_days=7, methods=('last-week',), processes=0)\n"
        "print(r.recommended)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "last-week", done.stderr
