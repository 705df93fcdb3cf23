"""The real Weinberg bank data: the model beats both baselines in a rolling-origin backtest."""

from __future__ import annotations

import pytest

from wfm.forecast import Calendar, backtest
from wfm.io.importer import import_log
from wfm.io.profile import ImportProfile, bundled_profiles

pytestmark = pytest.mark.real_data


def test_weinberg_backtest_beats_the_baselines(real_data):
    profile = ImportProfile.load(bundled_profiles()["bank_calls_weinberg_5min"])
    history = import_log(real_data / "bank_calls_weinberg_5min.csv", profile, interval_minutes=30).history
    r = backtest(history, calendar=Calendar("US"), origins=5, horizon_days=14, processes=2)
    s = r.summary().set_index("method")
    best = s.loc[["last-week", "mean-4-weeks"], "interval_wape"].min()
    assert s.loc["prophet", "interval_wape"] < 0.95 * best
    assert s.loc["prophet", "daily_wape"] < s.loc[["last-week", "mean-4-weeks"], "daily_wape"].min()
    assert r.recommended == "prophet"
    per_origin = r.frame[(r.frame["queue"] == "all") & (r.frame["level"] == "interval")].pivot(
        index="origin", columns="method", values="wape"
    )
    # no origin where the model is worse than both baselines by more than 5 %
    worse_than_both = per_origin["prophet"] / per_origin[["last-week", "mean-4-weeks"]].max(axis=1)
    assert (worse_than_both <= 1.05).all(), per_origin
    assert 0.02 < r.noise_floor < 0.03
