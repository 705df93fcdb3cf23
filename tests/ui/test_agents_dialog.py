"""The agents table: in-place edits, inline validation, add/remove, team filter, files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ui.agents_dialog import AgentsDialog
from wfm.scheduling.loaders import AGENT_COLUMNS, read_agents_csv
from wfm.scheduling.model import Agent

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "agents.csv"


def col(name: str) -> int:
    return AGENT_COLUMNS.index(name)


@pytest.fixture
def dialog(qtbot) -> AgentsDialog:
    agents = (
        Agent("Ana Silva", "Sales", ("Sales",), 30, 35, 15.5, (6,)),
        Agent("Françoise Leclerc", "Support", ("Support", "Sales"), 37.5, 40),
        Agent("Bo Lind", "Support", ("Support",)),
    )
    d = AgentsDialog(agents)
    qtbot.addWidget(d)
    return d


def edit(d: AgentsDialog, row: int, column: str, text: str) -> None:
    model = d.model
    assert model.setData(model.index(row, col(column)), text)


def test_shows_agents_as_csv_texts(dialog: AgentsDialog) -> None:
    model = dialog.model
    assert model.rowCount() == 3
    assert model.index(0, col("unavailable_days")).data() == "Sun"
    assert model.index(1, col("skills")).data() == "Support;Sales"
    assert (
        model.headerData(col("max_weekly_hours"), dialog.view.horizontalHeader().orientation())
        == "Max h/week"
    )
    assert dialog.ok_button.isEnabled()


def test_editing_a_cell_updates_the_agent(dialog: AgentsDialog) -> None:
    edit(dialog, 0, "max_weekly_hours", "37.5")
    edit(dialog, 0, "leave", "2026-12-21..2026-12-23")
    edit(dialog, 2, "preferred_days_off", "sat; Sunday")
    agents = dialog.agents()
    assert agents[0].max_weekly_hours == 37.5
    assert agents[0].leave == tuple(dt.date(2026, 12, 21 + i) for i in range(3))
    assert agents[2].preferred_days_off == (5, 6)


def test_bad_value_disables_ok_and_shows_the_reason(dialog: AgentsDialog) -> None:
    model = dialog.model
    edit(dialog, 1, "max_weekly_hours", "4O")
    index = model.index(1, col("max_weekly_hours"))
    assert not dialog.ok_button.isEnabled()
    assert index.data(0x3) == "'4O' is not a number"  # ToolTipRole
    assert index.data(0x8) is not None  # BackgroundRole: red
    assert "Row 2, Max h/week: '4O' is not a number" in dialog.error_label.text()
    edit(dialog, 1, "max_weekly_hours", "30")  # now below the minimum of 37.5
    assert "minimum is above the maximum" in index.data(0x3)
    assert not dialog.ok_button.isEnabled()
    edit(dialog, 1, "max_weekly_hours", "40")
    assert dialog.ok_button.isEnabled()
    assert index.data(0x8) is None
    assert dialog.error_label.text() == ""


def test_repeated_name_is_bad(dialog: AgentsDialog) -> None:
    edit(dialog, 2, "name", "ana silva")
    assert not dialog.ok_button.isEnabled()
    assert "listed twice" in dialog.model.index(2, 0).data(0x3)
    edit(dialog, 0, "name", "Ana Souza")
    assert dialog.ok_button.isEnabled()


def test_add_and_remove(dialog: AgentsDialog) -> None:
    row = dialog.add_agent()
    assert dialog.model.rowCount() == 4
    edit(dialog, row, "name", "Zoë Marsh")
    edit(dialog, row, "skills", "Sales")
    assert dialog.agents()[-1] == Agent("Zoë Marsh", skills=("Sales",))
    dialog.view.selectRow(0)
    dialog.remove_selected()
    assert [a.name for a in dialog.agents()] == ["Françoise Leclerc", "Bo Lind", "Zoë Marsh"]


def test_team_filter(dialog: AgentsDialog) -> None:
    index = dialog.team_combo.findData("Support")
    dialog.team_combo.setCurrentIndex(index)
    assert dialog.proxy.rowCount() == 2
    assert "2 of 3 agents" in dialog.count_label.text()
    row = dialog.add_agent()  # a new agent joins the filtered team
    assert dialog.model.fields(row)["team"] == "Support"
    assert dialog.proxy.rowCount() == 3


def test_ok_returns_what_was_typed(qtbot) -> None:
    d = AgentsDialog(())
    qtbot.addWidget(d)
    row = d.add_agent()
    typed = {
        "name": "Noël Marchand",
        "team": "Sales",
        "skills": "Sales;Support",
        "min_weekly_hours": "22.5",
        "max_weekly_hours": "27.5",
        "hourly_cost": "18.25",
        "unavailable_days": "Sun",
        "unavailable_dates": "2026-11-03",
        "leave": "2026-12-24..2026-12-26",
        "preferred_shift": "Early",
        "preferred_days_off": "Sat",
        "templates": "Early;Day",
    }
    for column, text in typed.items():
        edit(d, row, column, text)
    d.accept()
    assert d.result() == d.DialogCode.Accepted
    assert d.result_agents == (
        Agent(
            "Noël Marchand",
            "Sales",
            ("Sales", "Support"),
            22.5,
            27.5,
            18.25,
            (6,),
            (dt.date(2026, 11, 3),),
            (dt.date(2026, 12, 24), dt.date(2026, 12, 25), dt.date(2026, 12, 26)),
            "Early",
            (5,),
            ("Early", "Day"),
        ),
    )


def test_accept_refused_while_bad(dialog: AgentsDialog) -> None:
    edit(dialog, 0, "hourly_cost", "-1")
    dialog.accept()
    assert dialog.result_agents is None
    assert dialog.result() != dialog.DialogCode.Accepted


def test_import_and_export(dialog: AgentsDialog, tmp_path: Path) -> None:
    assert dialog.import_csv(SAMPLE)
    assert dialog.model.rowCount() == 100
    out = dialog.export_csv(tmp_path / "agents.csv")
    assert out is not None
    assert read_agents_csv(out) == read_agents_csv(SAMPLE) == dialog.agents()
    bad = tmp_path / "bad.csv"
    bad.write_text("name,max_weekly_hours\nBo,4O\n", encoding="utf-8")
    assert not dialog.import_csv(bad)
    assert dialog.last_error_box is not None
    assert "row 2, column 'max_weekly_hours'" in dialog.last_error_box.text()
    assert dialog.model.rowCount() == 100  # unchanged
