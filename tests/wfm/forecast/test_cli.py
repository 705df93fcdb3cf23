"""``wfm forecast`` and ``wfm backtest`` as automation calls them."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from tests.wfm.forecast.helpers import MONDAY, make_history
from wfm.cli import main


@pytest.fixture
def history_csv(tmp_path):
    path = tmp_path / "history.csv"
    make_history(63, queues=("Sales", "Support"), poisson=True).write_csv(path)
    return path


def test_forecast_writes_every_interval_with_the_exact_columns(history_csv, tmp_path, capsys):
    out = tmp_path / "forecast.csv"
    start = (MONDAY + dt.timedelta(days=63)).isoformat()
    code = main(["forecast", str(history_csv), "--start", start, "--days", "3", "--method", "mean-4-weeks", "-o", str(out)])
    assert code == 0
    f = pd.read_csv(out)
    assert list(f.columns) == ["queue", "interval_start", "volume", "volume_low", "volume_high", "aht_seconds"]
    assert len(f) == 2 * 3 * 48
    assert f["interval_start"].iloc[0] == f"{start}T00:00:00"
    assert "with mean-4-weeks" in capsys.readouterr().out


def test_forecast_in_longer_intervals_and_without_aht(tmp_path):
    hist = tmp_path / "h.csv"
    make_history(35, minutes=15, aht=None).write_csv(hist)
    text = hist.read_text().replace(",300.0", ",")
    hist.write_text(text)
    out = tmp_path / "f.csv"
    start = (MONDAY + dt.timedelta(days=35)).isoformat()
    args = ["forecast", str(hist), "--start", start, "--days", "1", "--interval-minutes", "60", "--method", "last-week", "-o", str(out), "--quiet"]
    assert main(args) == 0
    f = pd.read_csv(out, keep_default_na=False)
    assert len(f) == 24 and set(f["aht_seconds"]) == {""}
    assert f["volume"].sum() == pytest.approx(10 * 40)


def test_backtest_writes_the_accuracy_table(history_csv, tmp_path, capsys):
    out = tmp_path / "metrics.csv"
    assert main(["backtest", str(history_csv), "--origins", "2", "--horizon-days", "7", "--holidays", "GB", "-o", str(out)]) == 0
    table = pd.read_csv(out)
    assert {"prophet", "last-week", "mean-4-weeks", "noise-floor"} <= set(table["method"])
    assert set(table["level"]) == {"interval", "daily"}
    text = capsys.readouterr().out
    assert "recommended:" in text and "noise floor" in text


@pytest.mark.parametrize(
    ("extra", "start_days", "message"),
    [
        ([], 20, "wfm: queue Sales: too little history before 2026-01-25"),
        (["--holidays", "XX"], 63, "wfm: unknown holiday country code 'XX'"),
        (["--holidays", "GB-XYZ"], 63, "wfm: unknown holiday subdivision 'XYZ' for GB"),
        (["--events", "EVENTS"], 63, "wfm: events.toml: event 1 ('Promo'): missing uplift"),
    ],
)
def test_bad_input_exits_2_with_one_line(history_csv, tmp_path, capsys, extra, start_days, message):
    events = tmp_path / "events.toml"
    events.write_text("[[events]]\nname = 'Promo'\nstart = 2026-03-02\n")
    extra = [str(events) if e == "EVENTS" else e for e in extra]
    start = (MONDAY + dt.timedelta(days=start_days)).isoformat()
    if start_days < 63:
        short = tmp_path / "short.csv"
        make_history(start_days, queues=("Sales",)).write_csv(short)
        history_csv = short
    code = main(["forecast", str(history_csv), "--start", start, "--days", "7", *extra, "-o", str(tmp_path / "f.csv")])
    err = capsys.readouterr().err.splitlines()
    assert code == 2
    assert len(err) == 1 and err[0].startswith(message)
    assert not (tmp_path / "f.csv").exists()


def test_queues_option_and_notes_for_skipped_queues(tmp_path, capsys):
    hist = tmp_path / "h.csv"
    frames = [make_history(63, queues=("Sales", "Support")).frame, make_history(20, queues=("New",), first=MONDAY + dt.timedelta(days=43)).frame]
    from wfm.io.history import IntervalHistory

    IntervalHistory(pd.concat(frames, ignore_index=True), 30).write_csv(hist)
    out = tmp_path / "f.csv"
    start = (MONDAY + dt.timedelta(days=63)).isoformat()
    base = ["forecast", str(hist), "--start", start, "--days", "2", "--method", "last-week", "-o", str(out)]
    assert main(base) == 0
    captured = capsys.readouterr()
    assert set(pd.read_csv(out)["queue"]) == {"Sales", "Support"}
    assert captured.err.splitlines() == [
        "wfm: note: queue New skipped: too little history before 2026-03-09 (20 days, 20 with data); "
        "at least 28 days with 14 or more with data are needed"
    ]
    assert main([*base, "--queues", "Support", "--quiet"]) == 0
    assert set(pd.read_csv(out)["queue"]) == {"Support"}
    assert capsys.readouterr().err == ""
    assert main([*base, "--queues", "New"]) == 2
    assert capsys.readouterr().err.startswith("wfm: queue New: too little history")
    assert main([*base, "--queues", "Sales,Nope"]) == 2
    assert capsys.readouterr().err.startswith("wfm: queue(s) Nope not in the history")
    metrics = tmp_path / "m.csv"
    args = ["backtest", str(hist), "--origins", "1", "--horizon-days", "7", "--queues", "Sales", "-o", str(metrics)]
    assert main(args) == 0
    assert set(pd.read_csv(metrics)["queue"]) == {"Sales", "all"}


@pytest.mark.parametrize(
    ("start", "events", "message"),
    [
        ("2026-06-01", "", "wfm: the forecast starts 2026-06-01, 84 days after the history ends (2026-03-08); it may start at most 8 weeks"),
        ("9999-12-30", "", "wfm: the forecast starts 9999-12-30,"),
        ("2025-12-01", "", "wfm: the forecast must start after the history, which ends 2026-03-08"),
        ("2026-03-09", "[[events]]\nname = 'lag'\nstart = 2026-02-17\nuplift = 0.5\nlag_days = 100000000\n",
         "wfm: events.toml: event 1 ('lag'): lag_days must be 0 to 366, not 100000000"),
        ("2026-03-09", "[[special_days]]\nday = 2026-03-10\nname = 'Off'\nclosed = true\nqueues = ['Suport']\n",
         "wfm: the calendar names queue(s) the history does not have: special day '2026-03-10 Off' names 'Suport' "
         "(the history's queues: Sales, Support)"),
    ],
)
def test_bad_dates_and_calendars_exit_2_with_one_line(history_csv, tmp_path, capsys, start, events, message):
    args = ["forecast", str(history_csv), "--start", start, "--days", "7", "-o", str(tmp_path / "f.csv")]
    if events:
        (tmp_path / "events.toml").write_text(events)
        args += ["--events", str(tmp_path / "events.toml")]
    assert main(args) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith(message), err
    if events:
        args[0] = "backtest"
        del args[2:6]
        assert main(args) == 2
        assert capsys.readouterr().err.splitlines() == err


def test_bad_history_file_exits_2(tmp_path, capsys):
    bad = tmp_path / "h.csv"
    bad.write_text("queue,interval_start,offered,handled,abandoned,aht_seconds\nA,2026-01-05T08:00:00,-3,,,\n")
    assert main(["backtest", str(bad), "-o", str(tmp_path / "m.csv")]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "wfm: h.csv, row 2, column 'offered': '-3' is not a valid offered value"
    ]
    with pytest.raises(SystemExit) as exc:  # argparse's own errors also exit 2, on one line
        main(["forecast", str(bad), "--start", "2026-13-01", "--days", "1", "-o", str(tmp_path / "m.csv")])
    assert exc.value.code == 2
    assert "'2026-13-01' is not a date like 2026-03-01" in capsys.readouterr().err
