"""Figures derived from staffing results for the planner's screens: the service level as a
function of the agent count (the Erlang calculator's curve), the staffing of all queues added
up per interval, and the headline figures of a staffing table.

These are small reshapes of what :mod:`wfm.staffing.requirement` and
:mod:`wfm.staffing.demand` compute; they live here so that every number the window shows
comes from ``wfm`` (and a script gets the same numbers).

Adding queues up
    Queues are staffed separately (no pooling: an agent of one queue does not answer the
    other's calls), so the agents of all queues in an interval are the *sum* of the queues'
    requirements. Service level, ASA and abandon rate of the total are the queues' values
    weighted by their calls; occupancy is weighted by the agents (busy agents / agents).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from wfm.errors import WfmError
from wfm.staffing.erlang import IntArray, QueueMetrics, traffic_erlangs
from wfm.staffing.requirement import StaffingTarget, queue_metrics, required_agents

#: Agent counts shown past the larger of the requirement and the agents typed.
CURVE_EXTRA_AGENTS = 8
#: At most this many agent counts on a curve (a typo of 5,000 agents must not draw 5,000).
CURVE_MAX_POINTS = 120


@dataclass(frozen=True)
class AgentCurve:
    """Queue metrics of one interval for a range of agent counts.

    ``metrics`` has one entry per count in ``agents``. ``required`` is the smallest count
    meeting the target (None when no count does, and ``problem`` says why).
    """

    agents: IntArray
    metrics: QueueMetrics
    required: int | None
    problem: str | None = None


def agent_curve(
    calls: float,
    aht_seconds: float,
    interval_seconds: float,
    target: StaffingTarget,
    *,
    current: int | None = None,
    extra: int = CURVE_EXTRA_AGENTS,
) -> AgentCurve:
    """The service level (and ASA, occupancy, abandons) against the number of agents.

    The counts run from ``floor(A)`` (at least 1), where Erlang C's queue stops growing
    without bound, to ``extra`` past the larger of the requirement and ``current``: the part
    of the curve where a planner's decision lies.

    Parameters
    ----------
    calls, aht_seconds, interval_seconds : float
        The interval's volume, average handle time (s) and length (s).
    target : StaffingTarget
        The targets and model (Erlang C or A); shrinkage and minimum staffing are ignored.
    current : int, optional
        The agents the planner is looking at; kept inside the range.
    extra : int
        Counts past the requirement (or ``current``).

    Raises
    ------
    WfmError
        For bad input (negative calls, an AHT of 0, ...). A target that no count meets is not
        an error here: ``required`` is None and ``problem`` has the engine's message.
    """
    traffic = float(traffic_erlangs(calls, aht_seconds, interval_seconds))
    # Validates the inputs (and the current count) with the engine's messages.
    queue_metrics(calls, aht_seconds, interval_seconds, 0 if current is None else current, target)
    plain = target.with_changes(shrinkage=0.0, min_agents=0)
    required: int | None
    problem: str | None = None
    try:
        required = int(required_agents(calls, aht_seconds, interval_seconds, plain).agents[0])
    except WfmError as exc:
        required, problem = None, str(exc)
    low = max(1, math.floor(traffic))
    if required is not None:  # with impatient callers the requirement can be below the traffic
        low = max(1, min(low, required - max(extra, 0) // 2))
    high = max(required if required is not None else low, current or 0, low) + max(extra, 0)
    if current is not None and current >= 1:
        low = min(low, current)
    if high - low + 1 > CURVE_MAX_POINTS:
        # Keep the requirement and the current count in view when the span is too wide.
        focus = [v for v in (required, current) if v is not None] or [low]
        low = max(1, min(focus) - CURVE_MAX_POINTS // 4)
        high = min(high, low + CURVE_MAX_POINTS - 1)
    agents = np.arange(low, high + 1, dtype=np.int64)
    metrics = queue_metrics(calls, aht_seconds, interval_seconds, agents, plain)
    return AgentCurve(agents, metrics, required, problem)


def interval_totals(table: pd.DataFrame, queue: str = "All queues") -> pd.DataFrame:
    """All queues of a staffing table (:func:`wfm.staffing.demand.staff`) added up per
    interval (see the module docs for how each column adds up).

    The result has the staffing table's columns, one row per interval, ``queue`` set to
    ``queue``, so that :func:`wfm.staffing.demand.daily_summary` and :func:`headline` take it
    as they take one queue.
    """
    if table.empty:
        return table.copy()
    volume = table["volume"].to_numpy(dtype=float)
    agents = table["agents"].to_numpy(dtype=float)
    work = pd.DataFrame(
        {
            "interval_start": table["interval_start"].to_numpy(),
            "volume": volume,
            "agents": table["agents"].to_numpy(),
            "scheduled_agents": table["scheduled_agents"].to_numpy(),
            "_aht_calls": table["aht_seconds"].to_numpy(dtype=float) * volume,
            "_aht": table["aht_seconds"].to_numpy(dtype=float),
            "_rows": 1,
            "_sl_calls": table["service_level"].to_numpy(dtype=float) * volume,
            "_asa_calls": np.where(
                volume > 0, table["asa_seconds"].to_numpy(dtype=float) * volume, 0.0
            ),
            "_busy": table["occupancy"].to_numpy(dtype=float) * agents,
        }
    )
    if "p_abandon" in table:
        work["_ab_calls"] = table["p_abandon"].to_numpy(dtype=float) * volume
    sums = work.groupby("interval_start", sort=True).sum()
    calls = sums["volume"].to_numpy(dtype=float)
    staff = sums["agents"].to_numpy(dtype=float)
    busy_calls = calls > 0
    safe_calls = np.where(busy_calls, calls, 1.0)
    out = pd.DataFrame(
        {
            "queue": queue,
            "interval_start": sums.index.to_numpy(),
            "volume": calls,
            # Where no queue has calls, the plain mean keeps the AHT column readable.
            "aht_seconds": np.where(
                busy_calls,
                sums["_aht_calls"].to_numpy() / safe_calls,
                sums["_aht"].to_numpy() / sums["_rows"].to_numpy(),
            ),
            "agents": sums["agents"].to_numpy(dtype=np.int64),
            "scheduled_agents": sums["scheduled_agents"].to_numpy(dtype=np.int64),
            "service_level": np.where(busy_calls, sums["_sl_calls"].to_numpy() / safe_calls, 1.0),
            "asa_seconds": np.where(busy_calls, sums["_asa_calls"].to_numpy() / safe_calls, 0.0),
            "occupancy": np.where(
                staff > 0, sums["_busy"].to_numpy() / np.where(staff > 0, staff, 1.0), 0.0
            ),
        }
    )
    if "_ab_calls" in sums:
        out["p_abandon"] = np.where(busy_calls, sums["_ab_calls"].to_numpy() / safe_calls, 0.0)
    return out


@dataclass(frozen=True)
class StaffingHeadline:
    """The figures a planner reads first about a staffing table of one queue (or the total).

    ``mean_fte`` is the mean over the days that need anyone (a closed Sunday does not pull
    the average down); ``service_level`` and ``p_abandon`` are weighted by calls.
    """

    calls: float
    agent_hours: float
    scheduled_hours: float
    mean_fte: float
    open_days: int
    peak_agents: int
    peak_scheduled: int
    peak_start: pd.Timestamp | None
    service_level: float
    p_abandon: float | None


def headline(table: pd.DataFrame, daily: pd.DataFrame) -> StaffingHeadline:
    """Headline figures of ``table`` (one queue, or :func:`interval_totals`) and its
    :func:`~wfm.staffing.demand.daily_summary`."""
    if table.empty:
        return StaffingHeadline(0.0, 0.0, 0.0, 0.0, 0, 0, 0, None, float("nan"), None)
    if table["queue"].nunique() > 1:
        raise WfmError("headline() takes one queue; add the queues up with interval_totals()")
    volume = table["volume"].to_numpy(dtype=float)
    calls = float(volume.sum())
    agents = table["agents"].to_numpy()
    peak = int(np.argmax(agents))
    open_days = daily["scheduled_hours"].to_numpy(dtype=float) > 0
    sl = (
        float((table["service_level"].to_numpy(dtype=float) * volume).sum() / calls)
        if calls
        else float("nan")
    )
    abandon = None
    if "p_abandon" in table:
        abandon = (
            float((table["p_abandon"].to_numpy(dtype=float) * volume).sum() / calls)
            if calls
            else 0.0
        )
    return StaffingHeadline(
        calls=calls,
        agent_hours=float(daily["agent_hours"].sum()),
        scheduled_hours=float(daily["scheduled_hours"].sum()),
        mean_fte=float(daily["fte"].to_numpy(dtype=float)[open_days].mean())
        if open_days.any()
        else 0.0,
        open_days=int(open_days.sum()),
        peak_agents=int(agents[peak]),
        peak_scheduled=int(table["scheduled_agents"].max()),
        peak_start=pd.Timestamp(table["interval_start"].iloc[peak]),
        service_level=sl,
        p_abandon=abandon,
    )
