"""agents.csv and shift_templates.toml: the shipped samples, round trips and messages."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

from wfm.errors import InputError, WfmError
from wfm.scheduling.loaders import (
    AGENT_COLUMNS,
    format_dates,
    parse_dates,
    read_agents_csv,
    read_rules,
    read_shift_setup,
    write_agents_csv,
    write_shift_setup,
)
from wfm.scheduling.model import Agent, BreakRule, Rules, ShiftSetup, ShiftTemplate

SAMPLE = Path(__file__).resolve().parents[3] / "sample_data"
HEADER = "name,team,skills,min_weekly_hours,max_weekly_hours,hourly_cost,unavailable_days"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --- the shipped sample ----------------------------------------------------------------------
def test_sample_agents() -> None:
    agents = read_agents_csv(SAMPLE / "agents.csv")
    assert len(agents) == 100
    first = agents[0]
    assert first.name == "Françoise Leclerc"
    assert (first.team, first.skills) == ("Sales", ("Sales",))
    assert (first.min_weekly_hours, first.max_weekly_hours, first.hourly_cost) == (37.5, 40, 15.95)
    assert first.unavailable_days == (5, 6)
    assert first.preferred_shift == "day"
    assert first.unavailable_dates == () and first.templates == ()
    assert {a.team for a in agents} >= {"Sales"}
    assert any(a.skills == ("Sales", "Support") for a in agents)


def test_sample_shift_setup() -> None:
    setup = read_shift_setup(SAMPLE / "shift_templates.toml")
    assert [t.name for t in setup.templates] == ["Early", "Day", "Late", "Weekend", "Part-time"]
    early = setup.template("early")
    assert early.days == (0, 1, 2, 3, 4)
    assert (early.start_earliest, early.start_latest, early.start_step_minutes) == (450, 540, 30)
    assert early.lengths_minutes == (510,)
    assert [b.kind for b in early.breaks] == ["short", "lunch", "short"]
    assert early.breaks[1] == BreakRule("lunch", 30, 180, 300)
    assert setup.template("Weekend").lengths_minutes == (300, 360, 420)
    assert setup.rules == Rules(11, 6, 2, 10, 48)
    assert read_rules(SAMPLE / "shift_templates.toml") == setup.rules


def test_sample_round_trips(tmp_path: Path) -> None:
    agents = read_agents_csv(SAMPLE / "agents.csv")
    write_agents_csv(agents, tmp_path / "agents.csv")
    assert read_agents_csv(tmp_path / "agents.csv") == agents
    setup = read_shift_setup(SAMPLE / "shift_templates.toml")
    write_shift_setup(setup, tmp_path / "shifts.toml")
    assert read_shift_setup(tmp_path / "shifts.toml") == setup
    text = (tmp_path / "shifts.toml").read_text(encoding="utf-8")
    assert 'start_earliest = "07:30"' in text and "lengths_hours = [5, 6, 7]" in text


# --- round trips -----------------------------------------------------------------------------
def random_agent(rng: random.Random, i: int) -> Agent:
    start = dt.date(2026, 11, 2) + dt.timedelta(days=rng.randrange(60))
    dates = sorted({start + dt.timedelta(days=rng.randrange(20)) for _ in range(rng.randrange(6))})
    leave = [start + dt.timedelta(days=k) for k in range(rng.choice([0, 1, 2, 3, 9]))]
    low = rng.choice([0, 16, 22.5, 30, 37.5, 12.25])
    return Agent(
        name=rng.choice(["Françoise Leclerc", "Zoë O'Brien", 'Ana "Ani" Silva', "李娜", "Bo"])
        + f" {i}",
        team=rng.choice(["", "Sales", "Support, nights", "Équipe B"]),
        skills=tuple(rng.sample(["Sales", "Support", "Billing", "Ventes"], rng.randrange(4))),
        min_weekly_hours=low,
        max_weekly_hours=low + rng.choice([0, 2.5, 5, 7.75, 1 / 3]),
        hourly_cost=rng.choice([None, 0.0, 15.95, 18.4, 21.123456789]),
        unavailable_days=tuple(rng.sample(range(7), rng.randrange(3))),
        unavailable_dates=tuple(dates),
        leave=tuple(leave),
        preferred_shift=rng.choice(["", "Early", "late"]),
        preferred_days_off=tuple(sorted(rng.sample(range(7), rng.randrange(3)))),
        templates=tuple(rng.sample(["Early", "Day", "Late", "Part-time"], rng.randrange(3))),
    )


def test_agents_round_trip_property(tmp_path: Path) -> None:
    rng = random.Random(7)
    for trial in range(20):
        agents = tuple(random_agent(rng, i) for i in range(1 + rng.randrange(12)))
        path = tmp_path / f"agents_{trial}.csv"
        write_agents_csv(agents, path)
        assert read_agents_csv(path) == agents


def test_agents_written_compactly(tmp_path: Path) -> None:
    agent = Agent(
        "Françoise Leclerc",
        min_weekly_hours=37.5,
        max_weekly_hours=40,
        unavailable_dates=(dt.date(2026, 11, 3), dt.date(2026, 11, 4), dt.date(2026, 11, 5)),
        leave=(dt.date(2026, 12, 24), dt.date(2026, 12, 25)),
    )
    write_agents_csv([agent], tmp_path / "a.csv")
    lines = (tmp_path / "a.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == ",".join(AGENT_COLUMNS)
    assert lines[1] == (
        "Françoise Leclerc,,,37.5,40,,,2026-11-03..2026-11-05,2026-12-24;2026-12-25,,,"
    )


def test_dates_ranges() -> None:
    days = parse_dates("2026-11-03..2026-11-05; 2026-12-24;2026-11-04")
    assert days == (
        dt.date(2026, 11, 3),
        dt.date(2026, 11, 4),
        dt.date(2026, 11, 5),
        dt.date(2026, 12, 24),
    )
    assert format_dates(days) == "2026-11-03..2026-11-05;2026-12-24"
    with pytest.raises(WfmError, match="runs backwards"):
        parse_dates("2026-11-05..2026-11-03")


def test_minimal_columns(tmp_path: Path) -> None:
    path = write(tmp_path / "agents.csv", "name,team\nAna Silva,\n,\nBo,B\n")
    assert read_agents_csv(path) == (Agent("Ana Silva"), Agent("Bo", team="B"))


def test_shift_setup_round_trip_edge_cases(tmp_path: Path) -> None:
    setup = ShiftSetup(
        (
            ShiftTemplate("Nuit « B »", (6, 0), 0, 23 * 60 + 59, 1, (499, 600)),
            ShiftTemplate(
                'Early "A"',
                (0,),
                420,
                420,
                15,
                (510,),
                (BreakRule("lunch", 30, 0, 200, paid=True), BreakRule("coffee", 10, 5, 5)),
                break_step_minutes=5,
            ),
        ),
        Rules(10.5, 5, 1, 9.75, 40, late_shift_ends_after=24 * 60 + 30, fair_weekends=False),
    )
    write_shift_setup(setup, tmp_path / "s.toml")
    assert read_shift_setup(tmp_path / "s.toml") == setup


# --- messages --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("row", "column", "expected"),
    [
        ("Bo,Sales,Sales,30,4O,,", "max_weekly_hours", "'4O' is not a number"),
        ("Bo,Sales,Sales,30,40,,Sun;Funday", "unavailable_days", "'Funday' is not a day"),
        ("Bo,Sales,Sales,40,30,,", "max_weekly_hours", "minimum is above the maximum"),
        ("Bo,Sales,Sales,30,40,-2,", "hourly_cost", "'-2' is negative"),
        ("Bo,Sales,Sales,-1,40,,", "min_weekly_hours", "'-1' is negative"),
        ('"  ",Sales,Sales,30,40,,', "name", "needs a name"),
    ],
)
def test_agent_errors_name_row_and_column(
    tmp_path: Path, row: str, column: str, expected: str
) -> None:
    lines = [HEADER] + [f"A{i},,,,,," for i in range(5)] + [row]
    path = write(tmp_path / "agents.csv", "\n".join(lines) + "\n")
    with pytest.raises(InputError) as info:
        read_agents_csv(path)
    err = info.value
    assert (err.file, err.row, err.column) == ("agents.csv", 7, column)
    assert expected in err.message
    assert str(err).startswith(f"agents.csv, row 7, column '{column}': ")


def test_exact_message_for_bad_number(tmp_path: Path) -> None:
    lines = [HEADER] + [f"A{i},,,,,," for i in range(5)] + ["Bo,,,30,4O,,"]
    path = write(tmp_path / "agents.csv", "\n".join(lines) + "\n")
    with pytest.raises(
        InputError,
        match=r"^agents.csv, row 7, column 'max_weekly_hours': "
        r"'4O' is not a number$",
    ):
        read_agents_csv(path)


def test_duplicate_agent_names_the_second_row(tmp_path: Path) -> None:
    path = write(tmp_path / "agents.csv", "name,team\nAna Silva,A\nBo,B\nana silva,C\n")
    with pytest.raises(InputError) as info:
        read_agents_csv(path)
    assert (info.value.row, info.value.column) == (4, "name")
    assert "listed twice (first on row 2)" in info.value.message


def test_unknown_column_and_missing_name(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown column 'max_weekly_hour': did you mean"):
        read_agents_csv(write(tmp_path / "a.csv", "name,max_weekly_hour\nBo,40\n"))
    # an employee number is not a typo: ignored
    (agent,) = read_agents_csv(write(tmp_path / "c.csv", "employee_id,name\nE17,Bo\n"))
    assert agent.name == "Bo"
    with pytest.raises(InputError, match="has no 'name' column"):
        read_agents_csv(write(tmp_path / "b.csv", "team\nSales\n"))
    with pytest.raises(InputError, match="file not found"):
        read_agents_csv(tmp_path / "missing.csv")


def test_bad_date(tmp_path: Path) -> None:
    path = write(tmp_path / "a.csv", "name,leave\nBo,2026-11-31\n")
    with pytest.raises(InputError) as info:
        read_agents_csv(path)
    assert (info.value.row, info.value.column) == (2, "leave")
    assert "'2026-11-31' is not a date" in info.value.message


TEMPLATE = """
[[template]]
name = "Early"
days = ["Mon", "Tue"]
start_earliest = "07:30"
start_latest = "{latest}"
start_step_minutes = 30
lengths_hours = [8.5]
{extra}
[[template.break]]
kind = "lunch"
minutes = 30
earliest_after_start_minutes = 180
latest_after_start_minutes = {lunch_latest}
"""


def setup_text(latest: str = "09:00", extra: str = "", lunch_latest: int = 300) -> str:
    return TEMPLATE.format(latest=latest, extra=extra, lunch_latest=lunch_latest)


def test_template_errors_name_the_template(tmp_path: Path) -> None:
    path = write(tmp_path / "shift_templates.toml", setup_text(latest="25:00"))
    with pytest.raises(InputError) as info:
        read_shift_setup(path)
    assert str(info.value).startswith(
        "shift_templates.toml: template 'Early': start_latest '25:00' is not a time of day"
    )
    write(path, setup_text(latest="07:00"))
    with pytest.raises(InputError, match="template 'Early': the start window 07:30-07:00"):
        read_shift_setup(path)
    write(path, setup_text(lunch_latest=490))
    with pytest.raises(InputError, match="template 'Early': a lunch break .* would end after"):
        read_shift_setup(path)
    write(path, setup_text(extra='colour = "red"'))
    with pytest.raises(InputError, match="template 'Early': unknown key 'colour'"):
        read_shift_setup(path)
    write(path, setup_text(extra='days_of = ["Sun"]'))
    with pytest.raises(InputError, match="unknown key 'days_of'"):
        read_shift_setup(path)


def test_break_and_rules_errors(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    write(path, setup_text() + "paid = 1\n")
    with pytest.raises(InputError, match="template 'Early', break 1: paid must be true or false"):
        read_shift_setup(path)
    write(path, setup_text() + "minuts = 5\n")
    with pytest.raises(InputError, match="break 1: unknown key 'minuts'"):
        read_shift_setup(path)
    write(path, setup_text() + "\n[rules]\nmin_rest = 11\n")
    with pytest.raises(InputError, match=r"\[rules\]: unknown key 'min_rest'"):
        read_shift_setup(path)
    write(path, setup_text() + "\n[rules]\nmax_consecutive_days = 20\n")
    with pytest.raises(InputError, match="most days in a row must be 1-14"):
        read_shift_setup(path)
    write(path, setup_text() + "\n[shifts]\n")
    with pytest.raises(InputError, match="unknown key 'shifts'"):
        read_shift_setup(path)
    write(path, "[rules]\n")
    with pytest.raises(InputError, match="has no shift templates"):
        read_shift_setup(path)


def test_read_rules_top_level_or_table(tmp_path: Path) -> None:
    top = write(tmp_path / "r1.toml", 'min_rest_hours = 12\nlate_shift_ends_after = "20:30"\n')
    assert read_rules(top) == Rules(min_rest_hours=12, late_shift_ends_after=20 * 60 + 30)
    table = write(tmp_path / "r2.toml", "[rules]\nfair_weekends = false\n")
    assert read_rules(table) == Rules(fair_weekends=False)
    bad = write(tmp_path / "r3.toml", "max_hours_per_week = 0\n")
    with pytest.raises(InputError, match="r3.toml: the daily and weekly maximum"):
        read_rules(bad)


def test_bom_crlf_quoted_semicolons_and_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "agents.csv"
    path.write_text(
        'name,skills,max_weekly_hours\r\n"Silva; Ana","Sales;Support",40\r\n\r\n'
        "Bo,Sales,38\r\n\r\n\r\nCy,Sales,4O\r\n",
        encoding="utf-8-sig",
    )
    with pytest.raises(InputError) as info:
        read_agents_csv(path)
    # the header is row 1 and blank lines count, as a spreadsheet shows them
    assert (info.value.row, info.value.column) == (7, "max_weekly_hours")
    path.write_text(
        'name,skills\r\n"Silva; Ana","Sales;Support"\r\n\r\nBo,Sales\r\n\r\nsilva; ana,x\r\n',
        encoding="utf-8-sig",
    )
    with pytest.raises(InputError) as info:
        read_agents_csv(path)
    assert info.value.row == 6 and "first on row 2" in info.value.message
    path.write_text('name,skills\r\n"Silva; Ana","Sales;Support"\r\n\r\n', encoding="utf-8-sig")
    (agent,) = read_agents_csv(path)
    assert (agent.name, agent.skills) == ("Silva; Ana", ("Sales", "Support"))
    write_agents_csv((agent,), path)
    assert read_agents_csv(path) == (agent,)
