"""Non-voice work: chat (several sessions per agent) and deferred work (email, back office).

Chat, with a concurrency factor ``k``
    An agent holds up to ``k`` chats at once, so each agent offers ``k`` *slots*. The chats
    are a queue served by slots: the Erlang model of the target (C, or A with the chatters'
    patience) gives the smallest number of slots meeting the targets, where the handle time
    is the length of a chat *as measured while the agent shares it* (that length already
    carries the slow-down of multitasking). Agents = ceil(slots / k). Occupancy is reported
    per slot.

Deferred work, by workload and deadline
    Items (emails, back-office cases) need not be answered at once, only within a deadline
    ``D``. The work arriving in an interval (items x handle time) is spread evenly over the
    ``D`` hours from its interval on, so every item is finished by its deadline if the agents work
    steadily; the agents needed in an interval are the sum of the shares of all work that
    arrived in the last ``D`` hours, divided by the productive share of their time
    (``max_utilisation``), and rounded up. Work arriving near the end of the horizon is
    finished after it (the horizon is extended by the deadline so no work is lost).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from wfm.errors import WfmError
from wfm.staffing.erlang import IntArray, QueueMetrics
from wfm.staffing.requirement import StaffingTarget, required_agents

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class ChatRequirement:
    """Agents for chat per interval: ``slots`` needed and ``agents = ceil(slots / k)``."""

    slots: IntArray
    agents: IntArray
    scheduled: IntArray
    metrics: QueueMetrics
    concurrency: float


def chat_requirement(
    chats: npt.ArrayLike,
    handle_seconds: npt.ArrayLike,
    interval_seconds: float,
    concurrency: float,
    target: StaffingTarget,
) -> ChatRequirement:
    """Agents for chat with ``concurrency`` chats per agent (see the module docs)."""
    if not (np.isfinite(concurrency) and concurrency >= 1):
        raise WfmError(f"Chat concurrency must be 1 or more chats per agent, not {concurrency:g}")
    slots = required_agents(
        chats, handle_seconds, interval_seconds, target.with_changes(shrinkage=0.0, min_agents=0)
    )
    agents = np.ceil(slots.agents / concurrency - 1e-9).astype(np.int64)
    if target.min_agents:
        agents = np.where(
            np.asarray(chats, dtype=float) > 0, np.maximum(agents, target.min_agents), agents
        )
    scheduled = np.ceil(agents / (1.0 - target.shrinkage) - 1e-9).astype(np.int64)
    return ChatRequirement(slots.agents, agents, scheduled, slots.metrics, float(concurrency))


@dataclass(frozen=True)
class DeferredRequirement:
    """Agents for deferred work per interval of the horizon plus the deadline after it.

    ``workload_hours`` is the work arriving in each interval; ``agents`` the head count
    working on it (fractional, the fluid need) and ``agents_needed`` rounded up.
    """

    workload_hours: FloatArray
    agents: FloatArray
    agents_needed: IntArray
    deadline_hours: float


def deferred_requirement(
    items: npt.ArrayLike,
    handle_seconds: npt.ArrayLike,
    interval_minutes: int,
    deadline_hours: float,
    *,
    max_utilisation: float = 1.0,
) -> DeferredRequirement:
    """Agents for work with a deadline, from the workload (see the module docs).

    The result has ``len(items) + deadline intervals - 1`` entries: the arrival interval
    counts as the first of its window, and the rest of the last window runs past the
    horizon, where late-arriving work is still being finished.
    """
    items_ = np.atleast_1d(np.asarray(items, dtype=float))
    handle = np.array(
        np.broadcast_to(np.asarray(handle_seconds, dtype=float), items_.shape), dtype=float
    )
    if (~np.isfinite(items_) | (items_ < 0)).any():
        raise WfmError("Deferred work: the number of items must be 0 or more in every interval")
    if (~np.isfinite(handle) | (handle <= 0)).any():
        raise WfmError("Deferred work: the handle time must be more than 0 seconds")
    if interval_minutes <= 0:
        raise WfmError("Deferred work: the interval length must be more than 0 minutes")
    if not deadline_hours * 60 >= interval_minutes:
        raise WfmError(
            f"Deferred work: the deadline ({deadline_hours:g} h) must be at least one interval "
            f"({interval_minutes} min); shorter deadlines are live work, staff them with Erlang"
        )
    if not 0 < max_utilisation <= 1:
        raise WfmError("Deferred work: the utilisation must be above 0 and at most 1")
    workload = items_ * handle / 3600.0  # agent-hours arriving per interval
    # Whole intervals inside the deadline (0.75 h at 30 min is 1 interval, never 2).
    window = int(np.floor(deadline_hours * 60 / interval_minutes + 1e-9))
    hours = interval_minutes / 60.0
    # Each interval's work is done at a steady rate over the `window` intervals after it:
    # agents(t) = sum of workload(s) for s in (t - window, t], / (window x interval hours).
    padded = np.concatenate([workload, np.zeros(window - 1)])
    cumulative = np.concatenate([[0.0], np.cumsum(padded)])
    index = np.arange(1, padded.size + 1)
    in_window = cumulative[index] - cumulative[np.maximum(index - window, 0)]
    agents = in_window / (window * hours) / max_utilisation
    needed = np.ceil(agents - 1e-9).astype(np.int64)
    return DeferredRequirement(padded, agents, needed, float(deadline_hours))
