"""Chat with concurrency and deferred work with deadlines."""

from __future__ import annotations

import numpy as np
import pytest

from wfm.errors import WfmError
from wfm.staffing import StaffingTarget, required_agents
from wfm.staffing.nonvoice import chat_requirement, deferred_requirement


def test_chat_agents_are_the_slots_shared_by_concurrency():
    target = StaffingTarget(0.8, 60, shrinkage=0.2)
    chats = np.array([0.0, 40.0, 120.0])
    one = chat_requirement(chats, 900, 1800, 1, target)
    three = chat_requirement(chats, 900, 1800, 3, target)
    slots = required_agents(chats, 900, 1800, StaffingTarget(0.8, 60)).agents
    assert list(one.slots) == list(three.slots) == list(slots)
    assert list(one.agents) == list(slots)
    assert list(three.agents) == list(np.ceil(slots / 3).astype(int))
    assert three.agents[0] == 0  # no chats, nobody
    assert list(three.scheduled) == list(np.ceil(three.agents / 0.8 - 1e-9).astype(int))
    with pytest.raises(WfmError, match="concurrency"):
        chat_requirement(chats, 900, 1800, 0.5, target)


def test_deferred_work_is_done_by_its_deadline_at_a_steady_rate():
    items = np.zeros(16)
    items[0] = 48  # 48 emails of 15 min at 08:00 = 12 agent-hours, due within 4 hours
    req = deferred_requirement(items, 900, 30, deadline_hours=4)
    assert req.workload_hours[0] == pytest.approx(12.0)
    # 12 agent-hours over 4 hours: 3 agents for the 8 half-hours of the window, then none.
    assert list(req.agents_needed[:8]) == [3] * 8 and req.agents_needed[8:].sum() == 0
    # Work done equals work arriving, and all of it within the deadline.
    assert (req.agents * 0.5).sum() == pytest.approx(req.workload_hours.sum())
    assert len(req.agents) == len(items) + 7


def test_deferred_work_arriving_late_is_finished_after_the_horizon():
    items = np.array([0.0, 0.0, 10.0])
    req = deferred_requirement(items, 360, 60, deadline_hours=2, max_utilisation=0.5)
    assert len(req.agents) == 4 and req.agents[-1] > 0
    assert (req.agents * 1.0 * 0.5).sum() == pytest.approx(req.workload_hours.sum())


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"items": [-1]}, "items"),
        ({"handle_seconds": 0}, "handle time"),
        ({"deadline_hours": 0.1}, "deadline"),
        ({"max_utilisation": 1.5}, "utilisation"),
    ],
)
def test_deferred_bad_input(kwargs, message):
    args = {"items": [5, 5], "handle_seconds": 300, "interval_minutes": 30, "deadline_hours": 8}
    args.update(kwargs)
    with pytest.raises(WfmError, match=message):
        deferred_requirement(**args)


def test_a_deadline_between_intervals_rounds_down_so_work_is_never_late():
    for deadline, window in ((0.75, 1), (1.75, 3), (1.25, 2)):
        req = deferred_requirement([10.0], 1800, 30, deadline_hours=deadline)
        assert (req.agents > 0).sum() == window
