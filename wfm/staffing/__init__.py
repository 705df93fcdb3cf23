"""Staffing: agents needed per interval against service targets.

- :mod:`wfm.staffing.erlang`: Erlang C and Erlang A queue metrics, vectorised;
- :mod:`wfm.staffing.requirement`: :class:`StaffingTarget` and the requirement search;
- :mod:`wfm.staffing.demand`: the volume to staff and the staffing table;
- :mod:`wfm.staffing.nonvoice`: chat (concurrency) and deferred work (deadlines);
- :mod:`wfm.staffing.simulate`: a discrete-event simulation that checks the formulas.
"""

from wfm.staffing.erlang import QueueMetrics, erlang_a, erlang_b, erlang_c, traffic_erlangs
from wfm.staffing.requirement import (
    MODELS,
    Requirement,
    StaffingTarget,
    queue_metrics,
    required_agents,
)

__all__ = [
    "MODELS",
    "QueueMetrics",
    "Requirement",
    "StaffingTarget",
    "erlang_a",
    "erlang_b",
    "erlang_c",
    "queue_metrics",
    "required_agents",
    "traffic_erlangs",
]
