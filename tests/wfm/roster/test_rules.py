"""The rule validator: each rule caught, with its numbers, and nothing on a clean roster."""

from __future__ import annotations

import dataclasses

from tests.wfm.roster import MONDAY, SETUP, agents, day, early, roster
from wfm.roster.roster import Break, Roster, Shift
from wfm.roster.rules import RULE_IDS, Violation, validate
from wfm.scheduling.model import Rules

ANA, BO, CY = "Ana Silva", "Bo Chen", "Cy Diaz"


def rules_of(found: list[Violation]) -> list[tuple[str, str, int]]:
    return [(v.agent, v.rule, (v.day - MONDAY).days) for v in found]


def test_a_clean_roster_has_no_violations() -> None:
    assert validate(roster()) == []


def test_rest_between_days_names_the_hours_and_the_rule() -> None:
    r = roster()
    r.put(
        (ANA, day(0)),
        Shift(ANA, day(0), 14 * 60, 22 * 60, "Late", (Break(17 * 60, 30, "lunch", False),)),
    )
    found = validate(r)
    assert rules_of(found) == [(ANA, "rest", 1)]
    assert found[0].message == (
        "Only 10 h rest after Mon 02 Nov's shift ending 22:00 (rule: at least 11 h)"
    )


def test_rest_counts_a_shift_past_midnight() -> None:
    r = roster()
    r.put((BO, day(2)), Shift(BO, day(2), 16 * 60, 24 * 60 + 30))  # ends Thu 00:30
    found = [v for v in validate(r) if v.rule == "rest"]
    assert [(v.day, v.message) for v in found] == [
        (day(3), "Only 7.5 h rest after Wed 04 Nov's shift ending 00:30 (rule: at least 11 h)")
    ]


def test_days_in_a_row_across_weeks_and_days_off_per_week() -> None:
    r = roster(days=14)
    for i in (5, 6):  # Ana also works the first weekend: Mon..Fri of week 2 makes 12 in a row
        r.put((ANA, day(i)), Shift(ANA, day(i), 12 * 60, 16 * 60))
    found = validate(r)
    assert (ANA, "consecutive", 6) in rules_of(found)
    message = next(v.message for v in found if v.rule == "consecutive")
    assert message == "7 working days in a row from Mon 02 Nov (rule: at most 6)"
    days_off = next(v for v in found if v.rule == "days_off")
    assert days_off.message == "Only 0 days off in the week of Mon 02 Nov (rule: at least 2)"
    assert [v.rule for v in found if v.agent == BO] == []


def test_days_off_are_prorated_for_a_week_the_horizon_cuts() -> None:
    # Mon-Sat only: the 6-day week part needs max(0, 2 - 1) = 1 day off
    r = roster(days=6)
    assert validate(r) == []
    for i in range(6):
        r.put((CY, day(i)), Shift(CY, day(i), 9 * 60, 13 * 60))
    assert rules_of(validate(r)) == [(CY, "days_off", 5)]
    # Wed-Sun (5 days) needs none
    wed = Roster(day(2), 5, agents(), SETUP)
    for i in range(2, 7):
        wed.put((BO, day(i)), Shift(BO, day(i), 9 * 60, 13 * 60))
    assert validate(wed) == []


def test_paid_hours_per_day_and_per_week() -> None:
    setup = dataclasses.replace(SETUP, rules=Rules(max_hours_per_week=35))
    r = roster()
    r.setup = setup
    r.put((CY, day(0)), Shift(CY, day(0), 7 * 60, 18 * 60 + 30))  # 11.5 h, no breaks
    found = validate(r)
    day_hours = [v for v in found if v.rule == "day_hours"]
    assert [(v.agent, v.message) for v in day_hours] == [
        (CY, "11.5 paid hours on Mon 02 Nov (rule: at most 10 h a day)")
    ]
    week = [v for v in found if v.rule == "week_hours"]
    assert {(v.agent, v.day) for v in week} == {
        (ANA, day(4)),
        (BO, day(4)),
        (ANA, day(11)),
        (BO, day(11)),
    }
    assert week[0].message == "40 paid hours in the week of Mon 02 Nov (rule: at most 35 h)"
    # the contract's maximum binds when it is the smaller
    r2 = roster()
    r2.agents = tuple(dataclasses.replace(a, max_weekly_hours=32) for a in r2.agents)
    r2._by_name = {a.name: a for a in r2.agents}
    assert {v.rule for v in validate(r2)} == {"contract_max"}


def test_contract_minimum_less_a_fifth_per_weekday_of_leave() -> None:
    r = roster()  # Ana: at least 30 h a week
    for i in (1, 2):  # two weekdays off without leave: 24 h
        r.put((ANA, day(i)), None)
    found = validate(r)
    assert rules_of(found) == [(ANA, "contract_min", 4)]
    assert (
        found[0].message == "Only 24 paid hours in the week of Mon 02 Nov (contract: at least 30 h)"
    )
    r.leave[(ANA, day(1))] = "leave"  # 30 x 4/5 = 24 h: met
    assert validate(r) == []
    # no contract check in a week the horizon cuts
    short = roster(days=5)
    short.put((ANA, day(1)), None)
    short.put((ANA, day(2)), None)
    assert validate(short) == []


def test_availability_and_leave() -> None:
    r = roster()
    people = list(r.agents)
    people[1] = dataclasses.replace(
        people[1], unavailable_days=(0,), unavailable_dates=(day(2),), leave=(day(3),)
    )
    r.agents = tuple(people)
    r._by_name = {a.name: a for a in r.agents}
    r.leave[(ANA, day(4))] = "sick"
    found = validate(r)
    assert sorted(rules_of(found)) == sorted(
        [
            (BO, "unavailable", 0),
            (BO, "unavailable", 2),
            (BO, "leave", 3),
            (ANA, "leave", 4),
            (BO, "unavailable", 7),
        ]
    )
    assert any(v.message == "Bo Chen does not work on Mons" for v in found)
    assert any(v.message == "Ana Silva is on leave on Fri 06 Nov" for v in found)


def test_template_rules() -> None:
    r = roster()
    people = list(r.agents)
    people[2] = dataclasses.replace(people[2], templates=("Late",))
    r.agents = tuple(people)
    r._by_name = {a.name: a for a in r.agents}
    r.put((CY, day(0)), early(CY, day(0)))  # may not work Early
    r.put((BO, day(5)), early(BO, day(5)))  # Early does not run on Saturdays
    r.put((ANA, day(1)), early(ANA, day(1), 10 * 60))  # starts after 09:00
    s = early(ANA, day(2))
    r.put(
        (ANA, day(2)),
        dataclasses.replace(
            s,
            breaks=(s.breaks[0], dataclasses.replace(s.breaks[1], start=s.start + 60), s.breaks[2]),
        ),
    )
    found = validate(r)
    template = [(v.agent, (v.day - MONDAY).days, v.message) for v in found if v.rule == "template"]
    assert template == [
        (ANA, 1, "The shift starts at 10:00, outside Early's start window 07:30-09:00"),
        (
            ANA,
            2,
            "The lunch break 09:00-09:30 is outside its window: a 30-min break starting 11:00-13:00 (Early)",
        ),
        (BO, 5, "Early shifts do not run on Sats"),
        (CY, 0, "Cy Diaz may not work Early shifts"),
    ]


def test_only_the_named_agents() -> None:
    r = roster()
    r.put((ANA, day(5)), Shift(ANA, day(5), 7 * 60, 19 * 60))
    r.put((BO, day(5)), Shift(BO, day(5), 7 * 60, 19 * 60))
    both = validate(r)
    assert {v.agent for v in both} == {ANA, BO}
    assert validate(r, [BO]) == [v for v in both if v.agent == BO]
    assert all(v.rule in RULE_IDS for v in both)
