"""The non-voice work calculator, checked against wfm.staffing.nonvoice."""

from __future__ import annotations

import numpy as np
import pytest

from ui.nonvoice_dialog import NonVoiceDialog, open_nonvoice_dialog
from wfm.staffing.nonvoice import chat_requirement, deferred_requirement
from wfm.staffing.requirement import StaffingTarget


@pytest.fixture
def dialog(qtbot) -> NonVoiceDialog:
    dialog = NonVoiceDialog()
    qtbot.addWidget(dialog)
    # 60 chats in 30 minutes, 15-minute chats (measured while shared), 2 at once, 80/60.
    dialog.set_chat_values(
        chats=60,
        interval_minutes=30,
        handle_seconds=900,
        concurrency=2,
        service_level=0.8,
        answer_seconds=60,
        shrinkage=0.3,
    )
    # 400 emails a day, 08:00-18:00, 6 minutes each, answered within 4 hours, 85 % productive.
    dialog.set_deferred_values(
        items_per_day=400,
        open_from="08:00",
        open_to="18:00",
        handle_minutes=6,
        deadline_hours=4,
        utilisation=0.85,
    )
    dialog.show()
    return dialog


def test_chat_figures_are_the_engines(dialog):
    target = StaffingTarget(service_level=0.8, answer_seconds=60, shrinkage=0.3)
    engine = chat_requirement([60], [900], 1800, 2, target)
    assert dialog.chat_error is None
    assert dialog.chat.slots[0] == engine.slots[0]
    assert dialog.slots_value.text() == str(engine.slots[0])
    assert dialog.agents_value.text() == str(engine.agents[0])
    assert dialog.scheduled_value.text().startswith(str(engine.scheduled[0]))
    assert engine.agents[0] == int(np.ceil(engine.slots[0] / 2))
    sl = engine.metrics.service_level[0] * 100
    assert dialog.chat_sl_value.text() == f"{sl:.1f} % within 60 s"
    assert dialog.chat_occupancy_value.text() == f"{engine.metrics.occupancy[0] * 100:.1f} %"
    assert f"{engine.agents[0]} agents" in dialog.chat_summary.text()


def test_each_chat_change_recomputes_and_concurrency_3_needs_fewer_agents(dialog):
    dialog.concurrency_spin.setValue(1.0)
    one = int(dialog.chat.agents[0])
    assert one == dialog.chat.slots[0]  # one chat each: an agent per slot
    dialog.concurrency_spin.setValue(3.0)
    three = int(dialog.chat.agents[0])
    assert three < one
    assert dialog.agents_value.text() == str(three)
    dialog.concurrency_spin.setValue(2.5)  # half steps are allowed
    assert dialog.chat.concurrency == 2.5
    dialog.chat_interval_combo.setCurrentIndex(dialog.chat_interval_combo.findData(60))
    target = StaffingTarget(service_level=0.8, answer_seconds=60, shrinkage=0.3)
    assert dialog.chat.agents[0] == chat_requirement([60], [900], 3600, 2.5, target).agents[0]


def test_the_concurrency_chart_compares_the_engines_agents(dialog):
    target = StaffingTarget(service_level=0.8, answer_seconds=60, shrinkage=0.3)
    heights = dialog.concurrency_bars.opts["height"]
    for k, height in zip(dialog.concurrency_bars.opts["x"], heights, strict=True):
        assert height == chat_requirement([60], [900], 1800, k, target).agents[0]


def test_deferred_peak_is_the_engines(dialog):
    engine = deferred_requirement(np.full(20, 20.0), 360, 30, 4, max_utilisation=0.85)
    assert dialog.deferred_error is None
    np.testing.assert_array_equal(dialog.deferred.agents_needed, engine.agents_needed)
    assert dialog.peak_value.text() == str(engine.agents_needed.max())
    assert dialog.workload_value.text() == f"{engine.workload_hours.sum():.1f} agent-hours"
    # The bars: 20 open half hours, then the tail after 18:00 where late work is finished.
    open_heights = dialog.open_bars.opts["height"]
    tail_heights = dialog.tail_bars.opts["height"]
    assert len(open_heights) == 20 and len(tail_heights) == 4 * 2 - 1
    np.testing.assert_array_equal(
        np.concatenate([open_heights, tail_heights]), engine.agents_needed
    )
    assert dialog.close_line.value() == 18 * 60


def test_deferred_items_per_hour_and_opening_hours(dialog):
    dialog.items_unit_combo.setCurrentIndex(dialog.items_unit_combo.findData("hour"))
    dialog.items_spin.setValue(30)  # 30 an hour, 10 hours = 15 a half hour
    engine = deferred_requirement(np.full(20, 15.0), 360, 30, 4, max_utilisation=0.85)
    assert dialog.peak_value.text() == str(engine.agents_needed.max())
    dialog.close_combo.setCurrentIndex(dialog.close_combo.findText("08:00"))
    assert dialog.deferred_error and "closing" in dialog.deferred_error
    assert dialog.peak_value.text() == str(engine.agents_needed.max())


def test_a_too_short_deadline_shows_inline_and_keeps_the_last_numbers(dialog):
    dialog.tabs.setCurrentIndex(1)
    peak = dialog.peak_value.text()
    last = dialog.deferred
    assert not dialog.deferred_error_label.isVisible()
    dialog.deadline_spin.setValue(0.25)  # shorter than one 30-minute interval
    assert dialog.deferred_error is not None and "deadline" in dialog.deferred_error
    assert dialog.deferred_error_label.isVisible()
    assert dialog.deferred_error_label.text() == dialog.deferred_error
    assert dialog.peak_value.text() == peak and dialog.deferred is last
    assert not dialog.deferred_results.isEnabled()  # greyed: the inputs no longer match
    dialog.deadline_spin.setValue(8)
    assert dialog.deferred_error is None and not dialog.deferred_error_label.isVisible()
    engine = deferred_requirement(np.full(20, 20.0), 360, 30, 8, max_utilisation=0.85)
    assert dialog.peak_value.text() == str(engine.agents_needed.max())


def test_model_statements_are_shown(dialog):
    chat = dialog.chat_model_note.text()
    assert dialog.chat_model_note.isVisible()
    assert "Erlang C" in chat and "slots" in chat and "k = 2" in chat and "rounded up" in chat
    dialog.tabs.setCurrentIndex(1)
    deferred = dialog.deferred_model_note.text()
    assert dialog.deferred_model_note.isVisible()
    assert "deadline" in deferred and "4 h" in deferred and "85 %" in deferred


def test_the_hover_reads_one_half_hour(dialog):
    dialog.tabs.setCurrentIndex(1)
    text = dialog.deferred_hover.show_at(18 * 60 + 40)  # in 18:30-19:00, after closing
    assert text.startswith("18:30–19:00 (closed)")
    assert f"Agents needed: {dialog.deferred.agents_needed[21]}" in text


def test_the_calculator_is_not_modal(qtbot):
    dialog = open_nonvoice_dialog(None)
    try:
        assert not dialog.isModal() and dialog.isVisible()
        assert dialog.chat_error is None and dialog.deferred_error is None
    finally:
        # Close it (it deletes itself) while this test still holds it: a parentless
        # dialog whose wrapper is collected while shown lets a pending paint reach its
        # charts' deleted scenes (a segfault in pyqtgraph's paintEvent, seen in CI).
        with qtbot.waitSignal(dialog.destroyed):
            dialog.close()
