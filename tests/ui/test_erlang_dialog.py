"""The Erlang calculator, checked against DOMAIN.md's reference case and the engine."""

from __future__ import annotations

import numpy as np
import pytest

from ui.erlang_dialog import ErlangCalculatorDialog
from wfm.staffing.erlang import erlang_a, erlang_c
from wfm.staffing.requirement import StaffingTarget, required_agents


@pytest.fixture
def dialog(qtbot) -> ErlangCalculatorDialog:
    dialog = ErlangCalculatorDialog()
    qtbot.addWidget(dialog)
    # DOMAIN.md: 100 calls in 30 minutes, AHT 180 s (10 Erlangs), 80 % within 20 s.
    dialog.set_values(
        calls=100,
        interval_minutes=30,
        aht_seconds=180,
        answer_seconds=20,
        agents=14,
        service_level=0.8,
    )
    dialog.show()
    return dialog


def test_reference_case_with_14_agents(dialog):
    assert dialog.error is None
    assert dialog.traffic_value.text() == "10.00 Erlangs"
    assert dialog.p_wait_value.text() == "17.4 %"
    assert dialog.sl_value.text().startswith("88.8 %")
    assert dialog.asa_value.text() == "7.8 s"
    assert dialog.occupancy_value.text() == "71.4 %"
    assert dialog.metrics.service_level[0] == pytest.approx(0.88835, abs=1e-5)
    assert dialog.curve.required == 14
    assert "14 agents" in dialog.required_label.text()


def test_each_change_recomputes(dialog):
    dialog.agents_spin.setValue(13)
    assert dialog.sl_value.text().startswith("79.6 %")
    assert dialog.asa_value.text() == "17.1 s"
    assert dialog.agents_line.value() == 13
    dialog.sl_spin.setValue(90.0)
    expected = required_agents(100, 180, 1800, StaffingTarget(service_level=0.9)).agents[0]
    assert dialog.curve.required == expected == 15
    dialog.interval_combo.setCurrentIndex(dialog.interval_combo.findData(60))
    assert dialog.traffic_value.text() == "5.00 Erlangs"


def test_too_few_agents_is_shown_as_an_endless_queue(dialog):
    dialog.agents_spin.setValue(10)  # = the traffic: Erlang C's queue never empties
    assert dialog.sl_value.text().startswith("0.0 %")
    assert "∞" in dialog.asa_value.text()
    assert dialog.curve.required == 14


def test_erlang_a_with_patience_needs_fewer_agents_and_shows_abandons(dialog):
    assert "Erlang C" in dialog.abandon_value.text()
    assert not dialog.patience_spin.isEnabled()
    dialog.patience_spin.setValue(300)
    dialog.patience_check.setChecked(True)
    assert dialog.patience_spin.isEnabled() and dialog.target.model == "erlang_a"
    engine = erlang_a(100, 180, 1800, 14, 20, 300)
    assert dialog.abandon_value.text() == f"{engine.p_abandon[0] * 100:.1f} %" == "1.4 %"
    assert dialog.asa_value.text() == f"{engine.asa_seconds[0]:.1f} s" == "4.2 s"
    target = StaffingTarget(model="erlang_a", patience_seconds=300)
    assert dialog.curve.required == required_agents(100, 180, 1800, target).agents[0] == 13
    assert "13 agents" in dialog.required_label.text()
    assert dialog.abandon_curve.isVisible()
    np.testing.assert_allclose(
        dialog.abandon_curve.getData()[1], dialog.curve.metrics.p_abandon * 100
    )


def test_the_curve_holds_the_engines_service_level_around_the_requirement(dialog):
    x, sl = dialog.sl_curve.getData()
    assert x[0] == 10 and x[-1] == 14 + 8
    expected = erlang_c(100, 180, 1800, x.astype(int), 20)
    np.testing.assert_allclose(sl, expected.service_level * 100)
    np.testing.assert_allclose(dialog.occupancy_curve.getData()[1], expected.occupancy * 100)
    mx, my = dialog.required_marker.getData()
    assert list(mx) == [14] and my[0] == pytest.approx(88.835, abs=1e-3)
    assert dialog.target_line.value() == pytest.approx(80.0)
    assert not dialog.abandon_curve.isVisible()
    assert "14 agents" in dialog.hover.show_at(14.2)


def test_no_calls_need_no_agents(dialog):
    dialog.calls_spin.setValue(0)
    assert dialog.error is None and dialog.curve.required == 0
    assert dialog.sl_value.text().startswith("100.0 %")


def test_the_calculator_is_not_modal(dialog):
    assert not dialog.isModal()


def test_caps_from_the_staffing_page_can_be_switched_off(dialog):
    assert not dialog.caps_check.isVisible()
    dialog.set_values(caps=StaffingTarget(max_occupancy=0.7))
    assert dialog.caps_check.isVisible() and "occupancy ≤ 70.0 %" in dialog.caps_check.text()
    assert dialog.curve.required == 15  # DOMAIN.md: occupancy ≤ 70 % needs 15
    assert "occupancy ≤ 70.0 %" in dialog.required_label.text()
    dialog.caps_check.setChecked(False)
    assert dialog.curve.required == 14 and dialog.target.max_occupancy is None
