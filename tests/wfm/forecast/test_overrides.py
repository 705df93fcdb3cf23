"""Manual overrides: what they do to the forecast volume, undo, and files."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from wfm.errors import InputError, WfmError
from wfm.forecast.overrides import (
    AddOverride,
    Override,
    OverrideList,
    RemoveOverride,
    ReplaceOverride,
    SetOverrides,
    apply_overrides,
)

MON = dt.date(2026, 11, 2)


def model_frame(days: int = 3, queues: tuple[str, ...] = ("Sales", "Support")) -> pd.DataFrame:
    """Hourly forecast: open 08:00-18:00 with a hump at noon, closed otherwise."""
    stamps = pd.date_range(MON, periods=days * 24, freq="60min")
    hour = stamps.hour.to_numpy()
    shape = np.where((hour >= 8) & (hour < 18), 10.0 + 5 * (hour == 12), 0.0)
    frames = []
    for i, queue in enumerate(queues):
        v = shape * (1 + i)
        frames.append(
            pd.DataFrame(
                {
                    "queue": queue,
                    "interval_start": stamps,
                    "volume": v,
                    "volume_low": v * 0.8,
                    "volume_high": v * 1.25,
                    "aht_seconds": 300.0,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def day_rows(frame: pd.DataFrame, queue: str, day: dt.date) -> pd.Series:
    return (frame["queue"] == queue) & (frame["interval_start"].dt.date == day)


def test_percent_on_a_day_scales_that_day_and_queue_only():
    frame = model_frame()
    out = apply_overrides(frame, [Override.for_days(MON, queue="Sales", value=10)])
    rows = day_rows(frame, "Sales", MON)
    np.testing.assert_allclose(out.loc[rows, "volume"], frame.loc[rows, "volume"] * 1.1)
    np.testing.assert_allclose(out.loc[~rows, "volume"], frame.loc[~rows, "volume"])
    # the band keeps its relative width
    np.testing.assert_allclose(out.loc[rows, "volume_low"], frame.loc[rows, "volume_low"] * 1.1)
    np.testing.assert_allclose(out.loc[rows, "volume_high"], frame.loc[rows, "volume_high"] * 1.1)
    assert out["overridden"].tolist() == rows.tolist()
    assert out["aht_seconds"].equals(frame["aht_seconds"])


def test_absolute_on_one_interval_sets_that_interval():
    frame = model_frame()
    start = dt.datetime(2026, 11, 2, 12)
    out = apply_overrides(frame, [Override.for_interval(start, 60, queue="Support", value=42)])
    hit = (frame["queue"] == "Support") & (frame["interval_start"] == start)
    assert hit.sum() == 1
    assert out.loc[hit, "volume"].item() == 42.0
    np.testing.assert_allclose(out.loc[~hit, "volume"], frame.loc[~hit, "volume"])
    assert out.loc[hit, "volume_low"].item() == pytest.approx(42 * 0.8)


def test_absolute_on_a_range_keeps_the_total_and_the_shape():
    frame = model_frame()
    override = Override.for_days(
        MON, MON + dt.timedelta(days=1), queue="Sales", kind="absolute", value=500
    )
    out = apply_overrides(frame, [override])
    rows = (frame["queue"] == "Sales") & (
        frame["interval_start"] < pd.Timestamp(MON + dt.timedelta(days=2))
    )
    assert out.loc[rows, "volume"].sum() == pytest.approx(500)
    # proportional: the noon hump stays 1.5x a normal open hour, closed hours stay closed
    ratio = out.loc[rows, "volume"].to_numpy() / np.where(
        frame.loc[rows, "volume"] > 0, frame.loc[rows, "volume"], 1
    )
    open_ = frame.loc[rows, "volume"].to_numpy() > 0
    assert np.allclose(ratio[open_], ratio[open_][0])
    assert (out.loc[rows, "volume"].to_numpy()[~open_] == 0).all()


def test_absolute_for_every_queue_applies_the_total_to_each_queue():
    frame = model_frame()
    out = apply_overrides(frame, [Override.for_days(MON, kind="absolute", value=300)])
    for queue in ("Sales", "Support"):
        assert out.loc[day_rows(frame, queue, MON), "volume"].sum() == pytest.approx(300)


def test_absolute_on_a_closed_span_spreads_evenly():
    frame = model_frame()
    start = dt.datetime(2026, 11, 2, 20)
    override = Override(start, start + dt.timedelta(hours=2), "Sales", "absolute", 30)
    out = apply_overrides(frame, [override])
    hit = override.mask(frame)
    assert out.loc[hit, "volume"].tolist() == [15.0, 15.0]
    # the band collapses on the planner's value
    assert out.loc[hit, "volume_low"].tolist() == [15.0, 15.0]


def test_closed_intervals_stay_zero_under_percent():
    frame = model_frame()
    out = apply_overrides(frame, [Override.for_days(MON, value=50)])
    closed = frame["volume"] == 0
    assert (out.loc[closed, "volume"] == 0).all()
    assert (out.loc[closed, "volume_high"] == 0).all()


def test_model_column_is_untouched_and_the_input_is_not_modified():
    frame = model_frame()
    before = frame.copy()
    out = apply_overrides(
        frame,
        [
            Override.for_days(MON, value=20),
            Override.for_days(MON, queue="Sales", kind="absolute", value=10),
        ],
    )
    pd.testing.assert_frame_equal(frame, before)
    np.testing.assert_array_equal(out["volume_model"], frame["volume"])


def test_overrides_apply_in_order():
    frame = model_frame()
    rows = day_rows(frame, "Sales", MON)
    first_abs = [
        Override.for_days(MON, queue="Sales", kind="absolute", value=100),
        Override.for_days(MON, queue="Sales", value=10),
    ]
    first_pct = list(reversed(first_abs))
    assert apply_overrides(frame, first_abs).loc[rows, "volume"].sum() == pytest.approx(110)
    assert apply_overrides(frame, first_pct).loc[rows, "volume"].sum() == pytest.approx(100)


def test_no_overrides_is_the_model():
    frame = model_frame()
    out = apply_overrides(frame, [])
    assert out["volume"].equals(frame["volume"]) and not out["overridden"].any()


def test_add_then_undo_restores_exactly():
    frame = model_frame()
    overrides = OverrideList()
    overrides, _ = AddOverride(Override.for_days(MON, value=-30)).apply(overrides)
    before = overrides.apply(frame)
    added = Override.for_days(MON, queue="Sales", kind="absolute", value=123.4)
    after_list, undo = AddOverride(added, index=0).apply(overrides)
    assert after_list.items == (added, overrides[0])
    assert not after_list.apply(frame)["volume"].equals(before["volume"])
    restored, redo = undo.apply(after_list)
    assert restored == overrides
    pd.testing.assert_frame_equal(restored.apply(frame), before)
    assert redo.apply(restored)[0] == after_list


def test_remove_replace_and_set_have_exact_inverses():
    a = Override.for_days(MON, value=10)
    b = Override.for_days(MON, queue="Sales", value=-10)
    c = Override.for_days(MON, queue="Support", kind="absolute", value=5)
    start = OverrideList((a, b))
    for command in (RemoveOverride(0), ReplaceOverride(1, c), SetOverrides(()), AddOverride(c, 1)):
        changed, inverse = command.apply(start)
        assert changed != start
        back, again = inverse.apply(changed)
        assert back == start
        assert again.apply(back)[0] == changed


def test_commands_on_a_missing_index_say_so():
    with pytest.raises(WfmError, match="no override number 3"):
        RemoveOverride(2).apply(OverrideList((Override.for_days(MON, value=1),)))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"end": dt.datetime(2026, 11, 2)}, "end .* must be after the start"),
        ({"value": -100}, "above -100 %"),
        ({"kind": "absolute", "value": -1}, "0 calls or more"),
        ({"kind": "double"}, "kind must be 'percent' or 'absolute'"),
        ({"value": float("nan")}, "must be a number"),
        ({"start": "yesterday"}, "not a date and time"),
    ],
)
def test_validation_messages(kwargs, message):
    args = {
        "start": dt.datetime(2026, 11, 2),
        "end": dt.datetime(2026, 11, 3),
        "queue": None,
        "kind": "percent",
        "value": 5.0,
    }
    args.update(kwargs)
    with pytest.raises(WfmError, match=message):
        Override(**args)


def test_records_and_toml_round_trip(tmp_path):
    overrides = OverrideList(
        (
            Override.for_days(MON, MON + dt.timedelta(days=6), value=12.5, note='Mailing "A"'),
            Override.for_interval(dt.datetime(2026, 11, 3, 9, 30), 30, queue="Sales", value=40),
        )
    )
    assert OverrideList.from_records(overrides.to_records()) == overrides
    path = overrides.save(tmp_path / "overrides.toml")
    assert OverrideList.load(path) == overrides
    assert OverrideList.load(OverrideList().save(tmp_path / "empty.toml")) == OverrideList()


def test_a_bad_entry_in_a_file_is_named(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(
        "[[overrides]]\nstart = 2026-11-02T00:00:00\nend = 2026-11-03T00:00:00\n"
        'kind = "percent"\nvalue = 5.0\n\n'
        "[[overrides]]\nstart = 2026-11-02T00:00:00\nend = 2026-11-03T00:00:00\n"
        'kind = "absolute"\nvalue = -5.0\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"bad.toml: override 2: an absolute volume must be 0"):
        OverrideList.load(path)
