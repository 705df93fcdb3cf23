"""Shared by the staffing tests."""

from __future__ import annotations

#: The columns of a staffing table, in order, as :func:`wfm.staffing.demand.staff` returns
#: them and ``wfm staff`` writes them (Erlang C; Erlang A adds ``p_abandon`` at the end).
STAFF_COLUMNS = [
    "queue",
    "interval_start",
    "volume",
    "aht_seconds",
    "agents",
    "scheduled_agents",
    "service_level",
    "asa_seconds",
    "occupancy",
]
