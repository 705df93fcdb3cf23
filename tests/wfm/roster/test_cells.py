"""What a roster cell's text means (typed in the grid or written in a lead's workbook), the
edit it asks for, and the template colours."""

from __future__ import annotations

import pytest

from tests.wfm.roster import day, early, roster
from wfm.errors import WfmError
from wfm.roster import commands as cmd
from wfm.roster.cells import (
    LEAVE_COLOUR,
    NO_TEMPLATE_COLOUR,
    TEMPLATE_COLOURS,
    leave_kind,
    parse_cell_text,
    parse_span,
    template_colour,
)

ANA, CY = "Ana Silva", "Cy Diaz"
TUE = day(1)


def test_parse_span_reads_the_usual_ways_of_typing_a_shift() -> None:
    assert parse_span("08:00-16:30") == (480, 990)
    assert parse_span("8-16:30") == (480, 990)
    assert parse_span("0800 - 1630") == (480, 990)
    assert parse_span("08:00 – 16:30") == (480, 990)  # an en dash, as Excel autocorrects
    assert parse_span("8 to 16") == (480, 960)
    assert parse_span("22:00-06:00") == (22 * 60, 30 * 60)  # past midnight
    assert parse_span("22:00-30:00") == (22 * 60, 30 * 60)  # as the roster labels it
    assert parse_span("lunch") is None
    assert parse_span("8.30") is None


def test_parse_span_refuses_times_that_are_no_times() -> None:
    with pytest.raises(WfmError, match="before midnight"):
        parse_span("25:00-26:00")
    with pytest.raises(WfmError, match="not a time of day"):
        parse_span("08:75-16:00")


def test_leave_kind_knows_the_leave_words_and_any_named_kind() -> None:
    assert leave_kind("Leave") == "leave"
    assert leave_kind(" SICK ") == "sick"
    assert leave_kind("holiday") == "holiday"
    assert leave_kind("leave:Course") == "course"
    assert leave_kind("leave:") == "leave"
    assert leave_kind("off") is None
    assert leave_kind("08:00-16:30") is None
    assert leave_kind("Course") is None  # only with "leave:"


def test_a_new_shift_gets_the_template_that_allows_it_with_its_breaks() -> None:
    r = roster()
    command = parse_cell_text(r, CY, TUE, "12:00-20:00")
    assert command == cmd.AssignShift(CY, TUE, 12 * 60, 20 * 60, "Late")
    command.apply(r)
    assert [b.kind for b in r.shifts[(CY, TUE)].breaks] == ["lunch"]
    # times no template allows: a shift without a template (and no breaks)
    assert parse_cell_text(r, CY, day(2), "05:00-09:00") == cmd.AssignShift(
        CY, day(2), 5 * 60, 9 * 60, ""
    )


def test_new_times_of_a_shift_keep_it_and_its_breaks_while_its_template_allows_them() -> None:
    r = roster()
    assert parse_cell_text(r, ANA, TUE, "8:30-17:00") == cmd.ResizeShift(
        ANA, TUE, 8 * 60 + 30, 17 * 60
    )
    # a start only Late allows: Late's shift replaces the early one
    assert parse_cell_text(r, ANA, TUE, "12:00-20:00") == cmd.AssignShift(
        ANA, TUE, 12 * 60, 20 * 60, "Late"
    )
    assert parse_cell_text(r, ANA, TUE, "08:00-16:30") is None  # what it says already


def test_off_and_leave_words_delete_mark_or_clear() -> None:
    r = roster()
    for word in ("", "off", "-", "Day off", "REST"):
        assert parse_cell_text(r, ANA, TUE, word) == cmd.DeleteShift(ANA, TUE)
    assert parse_cell_text(r, CY, TUE, "off") is None  # a day off already
    assert parse_cell_text(r, ANA, TUE, "Sick") == cmd.MarkLeave(ANA, TUE, "sick")
    r.leave[(CY, TUE)] = "leave"
    assert parse_cell_text(r, CY, TUE, "leave") is None
    assert parse_cell_text(r, CY, TUE, "off") == cmd.MarkLeave(CY, TUE, None)
    assert parse_cell_text(r, CY, TUE, "leave:course") == cmd.MarkLeave(CY, TUE, "course")


def test_unreadable_text_is_refused_with_a_planner_message() -> None:
    r = roster()
    with pytest.raises(WfmError, match="'after lunch' is not a shift like 08:00-16:30"):
        parse_cell_text(r, ANA, TUE, "after lunch")
    with pytest.raises(WfmError, match="no agent 'Zed'"):
        parse_cell_text(r, "Zed", TUE, "08:00-16:30")
    assert r.shifts[(ANA, TUE)] == early(ANA, TUE)


def test_template_colours_cycle_and_leave_has_its_own() -> None:
    assert template_colour(0) == TEMPLATE_COLOURS[0]
    assert template_colour(len(TEMPLATE_COLOURS)) == TEMPLATE_COLOURS[0]
    assert template_colour(-1) == NO_TEMPLATE_COLOUR
    assert LEAVE_COLOUR not in TEMPLATE_COLOURS
