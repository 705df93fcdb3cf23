"""The shipped profiles import the real bank records to their published facts."""

from __future__ import annotations

import pandas as pd
import pytest

from wfm.io.importer import import_log
from wfm.io.profile import ImportProfile, bundled_profiles

pytestmark = pytest.mark.real_data


@pytest.fixture(scope="module")
def feb1999(request):
    from tests.conftest import SHARED_REAL

    path = SHARED_REAL / "anonymous_bank_feb1999_calls.tsv"
    if not path.exists():
        pytest.skip(f"{path} not found (../shared is absent)")
    return import_log(path, ImportProfile.load(bundled_profiles()["anonymous_bank_feb1999"]))


def test_anonymous_bank_totals_match_the_published_facts(feb1999):
    h = feb1999.history.frame
    assert h["offered"].sum() == 31_125
    assert h["abandoned"].sum() == 3_963
    assert h["handled"].sum() == 27_162  # every AGENT row
    assert feb1999.report.summary["aht_seconds"] == pytest.approx(179.0, abs=0.05)


def test_anonymous_bank_report_shows_what_was_dropped_and_why(feb1999):
    r = feb1999.report
    assert r.rows_read == 33_344
    assert r.count("not_calls") == 278  # PHANTOM
    assert r.count("negative_duration:ivr_seconds") == 25
    assert r.finding("negative_duration:ivr_seconds").rows[0] == 2_047  # file row of the first one
    assert r.count("ivr_abandon") == 5_904 - 3_963  # HANG without a queue start
    assert r.count("unnamed_agent") > 0  # AGENT served by NO_SERVER: kept out of AHT
    assert r.count("duplicate_rows") == 0


def test_anonymous_bank_history_is_per_type_and_half_hour(feb1999):
    hist = feb1999.history
    assert hist.queues == ["IN", "NE", "NW", "PE", "PS", "TT"]
    assert hist.interval_minutes == 30
    days = hist.local_start().dt.normalize().nunique()
    assert days == 28
    assert len(hist) == 6 * 28 * 48
    # Friday afternoon is closed: no call after 14:30 on Fridays.
    fri = hist.frame[hist.local_start().dt.day_of_week.eq(4) & hist.local_start().dt.hour.ge(15)]
    assert fri["offered"].sum() == 0


def test_weinberg_report_aggregates_to_30_minutes_and_lists_missing_days(real_data):
    path = real_data / "bank_calls_weinberg_5min.csv"
    result = import_log(path, ImportProfile.load(bundled_profiles()["bank_calls_weinberg_5min"]))
    daily = result.history.daily_totals()
    open_days = daily[daily["offered"] > 0]
    assert len(open_days) == 164
    assert open_days["offered"].min() == 27_666
    assert open_days["offered"].max() == 42_889
    missing = result.report.finding("missing_days")
    assert missing.count == 6
    assert {e.split()[1] for e in missing.examples} == {
        "2003-04-04", "2003-04-07", "2003-05-26", "2003-07-04", "2003-09-01", "2003-10-14"
    }
    # The holidays are unknown, not zero: they have no rows in the history.
    starts = result.history.local_start().dt.normalize()
    assert not starts.eq(pd.Timestamp("2003-07-04")).any()
    assert result.report.summary["report_interval_minutes"] == 5
    # Same result without a profile: the file is recognised on its own.
    auto = import_log(path)
    assert auto.history.frame["offered"].sum() == result.history.frame["offered"].sum()
