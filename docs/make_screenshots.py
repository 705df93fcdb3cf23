"""Take the README's screenshots of the real window on the bundled sample centre.

Run from the repository root, under a virtual X server (Debian/Ubuntu: ``apt-get install
xvfb``; ``xvfb-run`` comes with it)::

    xvfb-run -a -s "-screen 0 1440x900x24" python3 docs/make_screenshots.py
    xvfb-run -a -s "-screen 0 1440x900x24" python3 docs/make_screenshots.py --quick \\
        --out /tmp/shots --only schedule-page export-dialog

For a quick look without Xvfb, ``QT_QPA_PLATFORM=offscreen python3 docs/make_screenshots.py``
works too (``QWidget.grab()`` renders offscreen), but the committed images are taken under
Xvfb: it renders fonts with the system's fontconfig setup, as a desktop does.

The script starts the window as ``wfm-planner`` does (:mod:`ui.app`), with QSettings, the
autosave folder and the XDG folders in a temporary folder (never the user's), at 1440 x 900, on
``sample_data/sample-centre.wfmp``, and drives it as a user would: the Data page; the import
of ``sample_data/calls_2026-10.csv.gz`` (the import dialog, then the Data page with the
cleaning report); the sample plan again; a forecast with the page's method and an override;
the Staffing page; Generate roster (60 s, ``--quick``: 10 s); the Schedule page and its day
view; the Scenarios page after Compare, and its Sensitivity tab; the Export page; the export
dialog; a team lead's changes (the export edited with openpyxl: a moved shift, leave, a day
off, a rest-rule breach, an unreadable cell and a cell changed in the window too) in the
import dialog; the Erlang and non-voice calculators; the agents and shift-template dialogs.
Each page is grabbed with ``QWidget.grab()`` and saved as a PNG.

With ``libreoffice`` (or ``soffice``) and ``pdftoppm`` on the PATH it also prints the first
team sheet of the exported workbook through LibreOffice (a private profile, 200 dpi) and keeps
its top-left corner as ``export-team-sheet.png``; without them it says so and skips it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SAMPLE_PROJECT = REPO / "sample_data" / "sample-centre.wfmp"
CALL_LOG = REPO / "sample_data" / "calls_2026-10.csv.gz"
WIDTH, HEIGHT = 1440, 900

#: Every screenshot the script can write, in the order it takes them.
NAMES = (
    "sample-centre",
    "import-dialog",
    "main-window",
    "forecast-page",
    "staffing-page",
    "schedule-page",
    "schedule-day-view",
    "scenarios-page",
    "scenarios-sensitivity",
    "export-page",
    "export-dialog",
    "lead-changes-dialog",
    "export-team-sheet",
    "erlang-calculator",
    "nonvoice-calculator",
    "agents-dialog",
    "shift-templates-dialog",
)


class Shooter:
    """Drives the window and saves the grabs."""

    def __init__(self, out: Path, only: set[str], quick: bool, work: Path) -> None:
        self.out = out
        self.only = only
        self.quick = quick
        self.work = work
        self.written: list[Path] = []

    def wanted(self, name: str) -> bool:
        return not self.only or name in self.only

    def save(self, name: str, widget: Any) -> None:
        if not self.wanted(name):
            return
        from PySide6.QtWidgets import QApplication

        for _ in range(3):
            QApplication.processEvents()
        widget.repaint()
        pixmap = widget.grab()
        path = self.out / f"{name}.png"
        if not pixmap.save(str(path), "PNG"):
            raise SystemExit(f"could not write {path}")
        self.written.append(path)
        print(
            f"wrote {path.relative_to(REPO) if path.is_relative_to(REPO) else path} "
            f"({pixmap.width()} x {pixmap.height()})",
            flush=True,
        )


def wait(ms: int) -> None:
    """Let the event loop run for ``ms`` milliseconds.

    A nested ``QEventLoop``, not ``QTest.qWait``: qWait sleeps holding Python's GIL, which
    starved the solver's worker thread (a 60 s solve took over 3 minutes at 12 % CPU).
    """
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def wait_until(what: str, done: Callable[[], bool], timeout_s: float) -> None:
    """Run the event loop until ``done()`` (SystemExit after ``timeout_s``)."""
    started = time.monotonic()
    while not done():
        if time.monotonic() - started > timeout_s:
            raise SystemExit(f"timed out after {timeout_s:.0f} s waiting for {what}")
        wait(50)


def isolate_settings(folder: Path) -> None:
    """QSettings in ``folder`` (INI files), never the user's."""
    from PySide6.QtCore import QSettings

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(folder))
    assert QSettings().fileName().startswith(str(folder)), QSettings().fileName()


def open_sample(window: Any) -> None:
    loaded: list[bool] = []
    window.projectLoaded.connect(lambda: loaded.append(True))
    window.open_path(SAMPLE_PROJECT)
    wait_until("the sample plan to open", lambda: bool(loaded), 120)
    window.projectLoaded.disconnect()


def run(shooter: Shooter) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    from ui.app import create_application

    app = create_application([sys.argv[0]])
    isolate_settings(shooter.work / "settings")
    from ui.main_window import MainWindow

    window = MainWindow()
    window.autosave_folder = shooter.work / "appdata"
    window.autosave_timer.stop()
    window.move(0, 0)
    window.resize(WIDTH, HEIGHT)
    window.show()
    wait(300)

    # --- the sample plan, Data page --------------------------------------------------------
    open_sample(window)
    window.tabs.setCurrentWidget(window.data_page)
    wait(500)
    shooter.save("sample-centre", window)

    # --- importing the October call log ------------------------------------------------------
    if shooter.wanted("import-dialog") or shooter.wanted("main-window"):
        dialog = window.import_file(CALL_LOG)
        assert dialog is not None
        wait_until(
            "the import dialog's preview",
            lambda: dialog.preview is not None and not dialog.is_inspecting,
            60,
        )
        dialog.resize(1180, 760)
        wait(300)
        shooter.save("import-dialog", dialog)
        imported: list[bool] = []
        window.historyChanged.connect(lambda: imported.append(True))
        dialog.start_import()
        wait_until("the import", lambda: bool(imported), 300)
        window.historyChanged.disconnect()
        window.tabs.setCurrentWidget(window.data_page)
        wait(500)
        shooter.save("main-window", window)
        # Back to the two-year history for the rest: the sample plan again, changes dropped.
        window.ask_hook = lambda box: QMessageBox.StandardButton.Discard
        open_sample(window)
        window.ask_hook = None

    # --- forecast ------------------------------------------------------------------------------
    fp = window.forecast_page
    window.tabs.setCurrentWidget(fp)
    wait(200)
    print(f"forecasting {fp.horizon_days} days from {fp.start} with {fp.method}…", flush=True)
    started = time.monotonic()
    fp.run_forecast()
    wait_until("the forecast", lambda: fp.model_forecast is not None and not fp.is_busy, 1800)
    print(f"  forecast done in {time.monotonic() - started:.0f} s", flush=True)
    from wfm.forecast.overrides import AddOverride, Override

    first = fp.model_forecast.start
    promo_day = first + dt.timedelta(days=9)  # Wednesday 11 November on the sample
    fp.push_override_command(
        AddOverride(
            Override(
                dt.datetime.combine(promo_day, dt.time(8)),
                dt.datetime.combine(promo_day, dt.time(18)),
                "Sales",
                "percent",
                25.0,
            )
        ),
        "Add override",
    )
    wait(800)
    shooter.save("forecast-page", window)

    # --- staffing ------------------------------------------------------------------------------
    window.tabs.setCurrentWidget(window.staffing_page)
    wait(1500)
    shooter.save("staffing-page", window)

    # --- schedule ------------------------------------------------------------------------------
    sp = window.schedule_page
    window.tabs.setCurrentWidget(sp)
    wait(500)
    limit = 10 if shooter.quick else 60
    sp.time_limit_spin.setValue(limit)
    print(f"generating the roster ({limit} s)…", flush=True)
    started = time.monotonic()
    assert sp.generate(), "Generate roster did not start"
    wait(limit * 500)  # the progress of the solve, half-way
    wait_until("the roster", lambda: not sp.solving and sp.editor is not None, limit * 20 + 600)
    print(f"  roster done in {time.monotonic() - started:.0f} s", flush=True)
    wait(1000)
    editor = sp.editor
    roster = editor.roster
    # One edit that breaks a rule: the cell turns red.
    day0 = roster.start
    agent = next(
        a.name
        for a in sp.agents
        if (a.name, day0) in roster.shifts
        and (a.name, day0 + dt.timedelta(days=1)) in roster.shifts
    )
    index = sp.model.index(sp.model.row_of(agent), 0)
    for column in range(sp.model.columnCount()):
        cell = sp.model.cell_at(sp.model.index(index.row(), column))
        if cell == (agent, day0):
            index = sp.model.index(index.row(), column)
            break
    sp.model.setData(index, "13:00-23:00", Qt.ItemDataRole.EditRole)
    sp.grid.setCurrentIndex(index)
    wait(800)
    shooter.save("schedule-page", window)
    sp.tabs.setCurrentIndex(1)
    sp.show_day(day0)
    wait(800)
    shooter.save("schedule-day-view", window)
    window.undo_action.trigger()  # the rule-breaking edit goes again
    sp.tabs.setCurrentIndex(0)
    wait(300)

    # --- scenarios -----------------------------------------------------------------------------
    sc = window.scenarios_page
    window.tabs.setCurrentWidget(sc)
    wait(800)
    window.update_scenario_plan()
    done: list[bool] = []
    sc.computed.connect(lambda: done.append(True))
    print("comparing the scenarios…", flush=True)
    sc.run()
    wait_until("the scenario comparison", lambda: bool(done), 600)
    sc.select(1)
    wait(800)
    shooter.save("scenarios-page", window)
    sc.tabs.setCurrentWidget(sc.sensitivity_chart)
    wait(500)
    shooter.save("scenarios-sensitivity", window)
    sc.tabs.setCurrentIndex(0)

    # --- export ----------------------------------------------------------------------------------
    window.tabs.setCurrentWidget(window.export_page)
    wait(500)
    workbook = shooter.work / "Northwind roster.xlsx"
    export = window.export_roster(workbook)
    assert export is not None
    export.day_sheets_check.setChecked(True)
    wait(500)
    shooter.save("export-dialog", export)
    exported: list[Any] = []
    export.exported.connect(lambda summary: exported.append(summary))
    export.export()
    wait_until("the export", lambda: bool(exported), 300)
    wait(300)
    export.close()
    wait(300)
    shooter.save("export-page", window)
    if shooter.wanted("export-team-sheet"):
        render_team_sheet(workbook, shooter)

    # --- a team lead's changes ---------------------------------------------------------------------
    if shooter.wanted("lead-changes-dialog"):
        edited, conflict_cell = lead_edits(workbook, sp.editor.roster, sp.agents)
        # The planner changed one of those cells in the window too, since the export.
        agent_c, day_c = conflict_cell
        row = sp.model.row_of(agent_c)
        for column in range(sp.model.columnCount()):
            if sp.model.cell_at(sp.model.index(row, column)) == (agent_c, day_c):
                sp.model.setData(sp.model.index(row, column), "off", Qt.ItemDataRole.EditRole)
                break
        leads = window.import_lead_changes(edited)
        assert leads is not None
        wait_until("the team lead's workbook", lambda: not leads.reading, 120)
        leads.resize(1000, 640)
        wait(500)
        shooter.save("lead-changes-dialog", leads)
        leads.close()
        window.undo_action.trigger()

    # --- calculators and dialogs -------------------------------------------------------------------
    window.tabs.setCurrentWidget(window.staffing_page)
    wait(300)
    calculator = window.staffing_page.open_calculator()
    calculator.resize(860, 640)
    wait(800)
    shooter.save("erlang-calculator", calculator)
    calculator.close()
    nonvoice = window.open_nonvoice_calculator()
    nonvoice.resize(900, 660)
    wait(800)
    shooter.save("nonvoice-calculator", nonvoice)
    nonvoice.close()

    from ui.agents_dialog import AgentsDialog
    from ui.shift_setup_dialog import ShiftSetupDialog

    agents_dialog = AgentsDialog(sp.agents, window)
    agents_dialog.resize(1400, 640)
    agents_dialog.show()
    wait(500)
    shooter.save("agents-dialog", agents_dialog)
    agents_dialog.reject()
    setup_dialog = ShiftSetupDialog(sp.setup, window)
    setup_dialog.resize(1080, 760)
    setup_dialog.show()
    wait(500)
    shooter.save("shift-templates-dialog", setup_dialog)
    setup_dialog.reject()

    window.ask_hook = lambda box: QMessageBox.StandardButton.Discard
    window.close()
    wait(300)
    app.processEvents()


def lead_edits(workbook: Path, roster: Any, agents: Any) -> tuple[Path, tuple[str, dt.date]]:
    """A copy of ``workbook`` as a team lead sends it back: a shift moved, a day of leave, a
    day off, a late shift before an early one (too little rest), an unreadable cell, and a
    cell the planner changes too. Returns the file and that last cell."""
    import openpyxl

    from wfm.export.layout import FIRST_AGENT_ROW, FIRST_DATE_COLUMN, NAME_COLUMN

    book = openpyxl.load_workbook(workbook)
    team = next(a.team for a in agents if a.team)
    sheet = next(ws for ws in book.worksheets if ws.title.startswith(team))
    rows: dict[str, int] = {}
    for r in range(FIRST_AGENT_ROW, sheet.max_row + 1):
        name = sheet.cell(r, NAME_COLUMN).value
        if isinstance(name, str) and name:
            rows[name] = r
    names = [a.name for a in agents if a.name in rows]
    start = roster.start

    def col(day: dt.date) -> int:
        return FIRST_DATE_COLUMN + (day - start).days

    def working(name: str, day: dt.date) -> bool:
        return (name, day) in roster.shifts

    days = [start + dt.timedelta(days=i) for i in range(1, 6)]
    # The one changed in the window too: a conflict.
    a0 = next(n for n in names if working(n, days[0]))
    sheet.cell(rows[a0], col(days[0])).value = "10:00-18:30"
    a1 = next(n for n in names if n != a0 and working(n, days[1]))
    sheet.cell(rows[a1], col(days[1])).value = "09:00-17:30"
    a2 = next(n for n in names if n not in (a0, a1) and working(n, days[2]))
    sheet.cell(rows[a2], col(days[2])).value = "Leave"
    a3 = next(n for n in names if n not in (a0, a1, a2) and working(n, days[3]))
    sheet.cell(rows[a3], col(days[3])).value = "Off"
    # Late on day 1 before an early start on day 2: 8 hours' rest, the rules want 11.
    a4 = next(
        n
        for n in names
        if n not in (a0, a1, a2, a3)
        and working(n, days[1])
        and working(n, days[2])
        and roster.shifts[(n, days[2])].start <= 9 * 60
    )
    early = roster.shifts[(a4, days[2])].start
    sheet.cell(rows[a4], col(days[1])).value = (
        f"{(early + 16 * 60 - 510) // 60 % 24:02d}:00-"
        f"{(early + 16 * 60) // 60 % 24:02d}:{early % 60:02d}"
    )
    a5 = next(n for n in names if n not in (a0, a1, a2, a3, a4))
    sheet.cell(rows[a5], col(days[4])).value = "8.30"
    edited = workbook.with_name("Northwind roster (team lead).xlsx")
    book.save(edited)
    return edited, (a0, days[0])


def render_team_sheet(workbook: Path, shooter: Shooter) -> None:
    """The first team sheet as LibreOffice prints it (top-left corner, 200 dpi)."""
    office = shutil.which("libreoffice") or shutil.which("soffice")
    pdftoppm = shutil.which("pdftoppm")
    if office is None or pdftoppm is None:
        print("skipped export-team-sheet: needs libreoffice and pdftoppm (poppler-utils)")
        return
    import openpyxl
    from PIL import Image, ImageOps

    book = openpyxl.load_workbook(workbook)
    team_sheets = [
        ws
        for ws in book.worksheets
        if ws.title not in ("Summary", "Coverage")
        and ws.sheet_state == "visible"
        and not ws.title[:1].isdigit()
    ]
    keep = team_sheets[0].title
    for ws in list(book.worksheets):
        if ws.title != keep:
            book.remove(ws)
    folder = shooter.work / "print"
    folder.mkdir(exist_ok=True)
    single = folder / "team.xlsx"
    book.save(single)
    profile = (shooter.work / "lo-profile").as_uri()
    subprocess.run(
        [
            office,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(single),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    subprocess.run(
        [
            pdftoppm,
            "-r",
            "200",
            "-f",
            "1",
            "-l",
            "1",
            "-png",
            str(folder / "team.pdf"),
            str(folder / "page"),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    page = next(folder.glob("page*.png"))
    image = Image.open(page).convert("RGB")
    # The printed part of the page, from its top-left corner: 1380 pixels wide.
    ink = ImageOps.invert(image.convert("L")).point(lambda v: 255 if v > 8 else 0)
    left, top, _right, bottom = ink.getbbox() or (0, 0, image.width, image.height)
    left, top = max(0, left - 10), max(0, top - 10)
    crop = image.crop(
        (left, top, min(image.width, left + 1380), min(image.height, bottom + 10, top + 560))
    )
    path = shooter.out / "export-team-sheet.png"
    crop.save(path)
    shooter.written.append(path)
    print(f"wrote {path} ({crop.width} x {crop.height}, sheet {keep!r})", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    parser.add_argument(
        "--only",
        nargs="+",
        choices=NAMES,
        default=[],
        metavar="NAME",
        help="only these screenshots (the window still goes through every step)",
    )
    parser.add_argument("--quick", action="store_true", help="a 10 s solve instead of 60 s")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    args.out = args.out.resolve()
    with tempfile.TemporaryDirectory(prefix="wfm-screenshots-") as tmp:
        work = Path(tmp)
        for sub in ("settings", "appdata", "config", "data", "cache"):
            (work / sub).mkdir()
        # Every folder Qt or the app would write to, in the temporary folder.
        os.environ["XDG_CONFIG_HOME"] = str(work / "config")
        os.environ["XDG_DATA_HOME"] = str(work / "data")
        os.environ["XDG_CACHE_HOME"] = str(work / "cache")
        sys.path.insert(0, str(REPO))
        shooter = Shooter(args.out, set(args.only), args.quick, work)
        run(shooter)
    print(f"{len(shooter.written)} screenshot(s) in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
