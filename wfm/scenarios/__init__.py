"""What-if scenarios: the base plan plus changes, their requirement, FTE, cost and the
service the current roster would give (see :mod:`wfm.scenarios.model` for the file format and
:mod:`wfm.scenarios.evaluate` for the figures).

Note: ``wfm.scenarios.evaluate`` is the *function* here (the package imports it over the
submodule of the same name); the module is ``sys.modules["wfm.scenarios.evaluate"]``.
"""

from __future__ import annotations

from wfm.scenarios.evaluate import (
    COMPARISON_COLUMNS,
    SENSITIVITY_COLUMNS,
    Plan,
    ScenarioResult,
    apply_scenario,
    compare,
    evaluate,
    evaluate_all,
    promote,
    sensitivity,
)
from wfm.scenarios.model import (
    AhtChange,
    Scenario,
    VolumeChange,
    Where,
    read_scenarios,
    scenarios_from_text,
    scenarios_to_text,
    write_scenarios,
)

__all__ = [
    "COMPARISON_COLUMNS",
    "SENSITIVITY_COLUMNS",
    "AhtChange",
    "Plan",
    "Scenario",
    "ScenarioResult",
    "VolumeChange",
    "Where",
    "apply_scenario",
    "compare",
    "evaluate",
    "evaluate_all",
    "promote",
    "read_scenarios",
    "scenarios_from_text",
    "scenarios_to_text",
    "sensitivity",
    "write_scenarios",
]
