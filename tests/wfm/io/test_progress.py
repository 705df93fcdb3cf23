"""Import reports progress and can be cancelled from the progress callback."""

from __future__ import annotations

import pytest

from tests.wfm.io.logs import write_log
from wfm.io.importer import import_log
from wfm.progress import Cancelled, wrap_callback


def test_progress_goes_from_0_to_1_in_order(tmp_path):
    seen = []
    import_log(write_log(tmp_path / "log.csv"), progress=lambda f, m: seen.append((f, m)))
    fractions = [f for f, _ in seen]
    assert fractions[0] == 0.0 and fractions[-1] == 1.0
    assert fractions == sorted(fractions)
    assert all(m for _, m in seen)


def test_cancel_from_the_callback_stops_the_import(tmp_path):
    def cancel_midway(fraction, message):
        if fraction >= 0.5:
            raise Cancelled

    with pytest.raises(Cancelled):
        import_log(write_log(tmp_path / "log.csv"), progress=cancel_midway)


def test_wrap_callback_maps_onto_a_sub_range():
    seen = []
    sub = wrap_callback(lambda f, m: seen.append(round(f, 3)), 0.5, 0.75)
    sub(0.0, "")
    sub(1.0, "")
    assert seen == [0.5, 0.75]
    assert wrap_callback(None, 0, 1) is None
