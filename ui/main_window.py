"""The main window: the plan's stages as pages, the project file, menus and the flows that get
call data in.

The plan
--------
The window shows one plan, kept in a project file (``.wfmp``, :mod:`wfm.io.project`).
:meth:`MainWindow.collect_project` gathers every page's state into a
:class:`~wfm.io.project.Project` on the GUI thread; saving and opening then run off it
(:class:`~ui.tasks.TaskRunner`). :meth:`MainWindow.apply_project` puts a plan on the pages
without recomputing what it holds: a saved forecast and roster are shown as they are. The
bundled sample (``sample_data/sample-centre.wfmp``) is opened read-only: Save on it asks for a
new file. A timer writes an autosave beside the plan while it has unsaved changes
(:func:`~wfm.io.project.write_autosave`; an untitled plan's goes to the app's data folder);
opening a plan whose autosave is newer offers to recover it.

Pages
-----
Tabs in pipeline order (Ctrl+1 .. Ctrl+6): Data (the interval history and its cleaning
report), Forecast, Staffing, Schedule, Scenarios, Export. A new history goes to the Forecast
page; the Staffing page staffs the forecast (with the promoted scenarios applied, in order)
once there is one, and until then the history's last four weeks. The Schedule page covers the
Staffing page's requirement, handed over when the Schedule tab is shown after a change. The
Scenarios page compares what-ifs against the base plan (the Staffing page's demand and target
and the Schedule page's roster), updated shortly after any of them changes.

Each stage records when it was last computed (``Project.stamps``); a stage computed before
the one it comes from shows a :class:`~ui.stage_banner.StageBanner` with a one-click
Recompute, and its tab title a "•" (see :mod:`ui.stage_banner`).

Edit ▸ Undo / Redo act on the current page's undo stack through one ``QUndoGroup``.

A file reaches the window through File ▸ Open project…, Import call log… (Ctrl+I), Open
history…, the recent-files menu, the command line or a drop on the window.
:meth:`MainWindow.open_path` decides: a ``.wfmp`` is a plan; a canonical interval history CSV
is opened as it is; anything else is a call log or interval report and goes through the
:class:`~ui.import_dialog.ImportDialog`.

Questions (save changes? recover the autosave?) are window-modal boxes that never block the
event loop; :attr:`MainWindow.ask_hook` answers them instead (tests).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QByteArray,
    QMimeData,
    QSettings,
    QStandardPaths,
    Qt,
    QThreadPool,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QUndoGroup,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui.app import sample_project_path
from ui.data_page import DataPage
from ui.errors import show_error
from ui.export_page import ExportPage
from ui.forecast_page import ForecastPage
from ui.import_dialog import ImportDialog
from ui.roster_page import SchedulePage, load_sample_inputs
from ui.staffing_page import StaffingPage
from ui.stage_banner import StageBanner, new_stamp, stale_stages, when_label
from ui.tasks import TaskRunner
from wfm.errors import WfmError
from wfm.io.cleaning import CleaningReport
from wfm.io.history import IntervalHistory, looks_like_history

if TYPE_CHECKING:  # the dialogs (and openpyxl behind them) load when first used
    from ui.export_dialog import ExportDialog
    from ui.lead_changes_dialog import LeadChangesDialog
    from wfm.io.project import Project
    from wfm.scenarios import Scenario

APP_TITLE = "WFM Planner"
PROJECT_SUFFIX = ".wfmp"
MAX_RECENT = 8
_RECENT_KEY = "recent_files"
_GEOMETRY_KEY = "main_window/geometry"
_STATE_KEY = "main_window/state"
AUTOSAVE_MINUTES_KEY = "autosave/minutes"
AUTOSAVE_MINUTES = 3
#: How long the Scenarios page's base plan waits for more changes before it is rebuilt.
PLAN_DELAY_MS = 300
#: Settings keys the window writes itself (the rest of a plan's settings are kept as read).
_OWN_SETTINGS = ("forecast.", "export.", "promoted", "autosave.")

Answer = QMessageBox.StandardButton


def is_bundled_sample(path: str | Path | None) -> bool:
    """True for a plan inside the bundled ``sample_data`` folder (never written by the app)."""
    if path is None:
        return False
    try:
        return Path(path).resolve().parent == sample_project_path().parent
    except OSError:
        return False


def default_autosave_folder() -> Path:
    """Where an untitled plan's autosave goes (the app's data folder)."""
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(location) if location else Path.home() / ".wfm-planner"


class MainWindow(QMainWindow):
    """The planner's window. ``history`` is the interval history on screen,
    ``project_path`` the plan's file (None: untitled)."""

    #: Emitted after a history is shown (loaded, imported or cleared).
    historyChanged = Signal()  # noqa: N815 - Qt naming
    #: Emitted after a plan was put on the pages (opened, recovered or new).
    projectLoaded = Signal()  # noqa: N815
    #: Emitted after the plan was saved (the file).
    projectSaved = Signal(object)  # noqa: N815
    #: Emitted after an autosave was written (the file).
    autosaved = Signal(object)
    #: Emitted after the stale marks were updated.
    stagesUpdated = Signal()  # noqa: N815

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.history: IntervalHistory | None = None
        self.report: CleaningReport | None = None
        #: The file the history came from (a history CSV or an imported call log).
        self.source_path: Path | None = None
        #: The plan's file; None for an untitled plan.
        self.project_path: Path | None = None
        self.project_name = ""
        self.centre = ""
        #: Where the plan's history came from, as the project file says (a file name).
        self.source_name = ""
        self.profiles: dict[str, dict[str, Any]] = {}
        #: The cleaning report of an opened plan (a JSON document; the import's own report,
        #: ``report``, takes over after an import).
        self.report_dict: dict[str, Any] | None = None
        #: Settings of the plan the window does not manage itself, kept as read.
        self.other_settings: dict[str, Any] = {}
        #: Stage -> ISO time it was last computed (see :mod:`ui.stage_banner`).
        self.stamps: dict[str, str] = {}
        #: Scenarios promoted into the base plan, in order.
        self.promoted: list[Scenario] = []
        self._target_before_promotion: Any = None
        #: The demand before promoted scenarios: (frame, interval minutes, label).
        self._raw_demand: tuple[Any, int, str] = (None, 30, "")
        self.import_dialog: ImportDialog | None = None
        self.export_dialog: ExportDialog | None = None
        self.lead_changes_dialog: LeadChangesDialog | None = None
        self.last_error_box: QMessageBox | None = None
        #: The question on screen (save changes? recover?), if any.
        self.question_box: QMessageBox | None = None
        #: Answers questions instead of the user: ``hook(box) -> StandardButton`` (tests).
        self.ask_hook: Callable[[QMessageBox], Answer] | None = None
        self.autosave_folder = default_autosave_folder()
        self._restoring = 0
        self._changes = 0  # bumped on every change; the save records the one it wrote
        self._saved_changes = 0
        self._autosaved_changes = 0
        #: Called once after the next save succeeds (close, open another plan...).
        self._after_save: Callable[[], None] | None = None
        self._closing = False
        self._editor_seen: Any = None
        self._loader = TaskRunner(self)
        # Saves and autosaves get their own one-thread pools: they never wait behind a
        # solve, and closing can wait for them without waiting for anything else.
        self._file_pool = QThreadPool(self)
        self._file_pool.setMaxThreadCount(1)
        self._project_runner = TaskRunner(self, self._file_pool)
        self._autosave_pool = QThreadPool(self)
        self._autosave_pool.setMaxThreadCount(1)
        self._autosave_runner = TaskRunner(self, self._autosave_pool)

        self.data_page = DataPage(self)
        self.forecast_page = ForecastPage(self)
        self.staffing_page = StaffingPage(self)
        self.schedule_page = SchedulePage(self)
        self.scenarios_page = _make_scenarios_page(self)
        self.export_page = ExportPage(self)
        #: True when the Staffing page's requirement changed since the Schedule page got it.
        self._need_stale = True
        self.undo_group = QUndoGroup(self)
        for page in (self.forecast_page, self.schedule_page, self.scenarios_page):
            self.undo_group.addStack(page.undo_stack)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self._tab_titles = {
            self.data_page: self.tr("&Data"),
            self.forecast_page: self.tr("&Forecast"),
            self.staffing_page: self.tr("&Staffing"),
            self.schedule_page: self.tr("Sc&hedule"),
            self.scenarios_page: self.tr("S&cenarios"),
            self.export_page: self.tr("E&xport"),
        }
        for page, title in self._tab_titles.items():
            self.tabs.addTab(page, title)
        self.setCentralWidget(self.tabs)
        #: The page of each stage that can be out of date.
        self.stage_pages: dict[str, QWidget] = {
            "forecast": self.forecast_page,
            "staffing": self.staffing_page,
            "roster": self.schedule_page,
            "scenarios": self.scenarios_page,
        }
        buttons = {
            "forecast": self.tr("Re-run forecast"),
            "staffing": self.tr("Recompute"),
            "roster": self.tr("Re-solve"),
            "scenarios": self.tr("Recompute"),
        }
        #: The "out of date" strips, one on top of each stage's page. The Scenarios page's
        #: own strip would say the same, so it is hidden while the window's banner is there.
        self.banners: dict[str, StageBanner] = {}
        for stage, page in self.stage_pages.items():
            banner = StageBanner(buttons[stage])
            if _place_banner(page, banner):
                banner.recomputeRequested.connect(lambda s=stage: self.recompute_stage(s))
                self.banners[stage] = banner
            else:
                banner.deleteLater()
        if "scenarios" in self.banners:
            self.scenarios_page.set_stale_row_shown(False)
        self._plan_signature: Any = None

        self.forecast_page.forecastChanged.connect(self._forecast_changed)
        self.forecast_page.settingsChanged.connect(self.mark_changed)
        self.forecast_page.staleChanged.connect(self._forecast_stale_changed)
        self.staffing_page.targetChanged.connect(self._target_changed)
        self.schedule_page.statusMessage.connect(self._schedule_status)
        self.schedule_page.staffingRequested.connect(
            lambda: self.tabs.setCurrentWidget(self.staffing_page)
        )
        self.schedule_page.rosterGenerated.connect(self._roster_generated)
        self.schedule_page.inputsChanged.connect(self.mark_changed)
        self.scenarios_page.scenariosChanged.connect(self.mark_changed)
        self.scenarios_page.promoteRequested.connect(self.promote_scenario)
        self.scenarios_page.statusMessage.connect(self._schedule_status)
        self.scenarios_page.baseRequested.connect(
            lambda: self.tabs.setCurrentWidget(self.staffing_page)
        )
        computed = getattr(self.scenarios_page, "computed", None)
        if computed is not None:
            computed.connect(self._scenarios_computed)
        for page in (self.forecast_page, self.schedule_page, self.scenarios_page):
            page.undo_stack.indexChanged.connect(self._stack_changed)
        self.export_page.exportRequested.connect(lambda: self.export_roster())
        self.export_page.importChangesRequested.connect(lambda: self.import_lead_changes())
        self.tabs.currentChanged.connect(self._tab_changed)

        self._plan_timer = QTimer(self)
        self._plan_timer.setSingleShot(True)
        self._plan_timer.setInterval(PLAN_DELAY_MS)
        self._plan_timer.timeout.connect(self.update_scenario_plan)
        self.autosave_timer = QTimer(self)
        self.autosave_timer.timeout.connect(self.autosave)

        self._build_actions()
        # Emitted after every roster change, and when a roster appears or goes.
        self.schedule_page.summaryUpdated.connect(self._roster_updated)
        self._build_menus()
        self.status_label = QLabel()
        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setMaximumWidth(120)
        self.busy_bar.setVisible(False)
        self.statusBar().addPermanentWidget(self.busy_bar)
        self.statusBar().addPermanentWidget(self.status_label)
        self.setAcceptDrops(True)
        self._update_title()
        self._restore_settings()
        self._update_stages()

    # --- actions and menus ---------------------------------------------------------------------
    def _action(
        self, text: str, slot: Callable[[], Any], shortcut: Any = None, tip: str = ""
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(lambda checked=False: slot())
        return action

    def _build_actions(self) -> None:
        self.new_action = self._action(
            self.tr("&New project"),
            self.new_project,
            QKeySequence.StandardKey.New,
            self.tr("Start an empty plan"),
        )
        self.open_project_action = self._action(
            self.tr("&Open project…"),
            self.open_project_file,
            QKeySequence.StandardKey.Open,
            self.tr("Open a plan saved by the planner (.wfmp)"),
        )
        self.save_action = self._action(
            self.tr("&Save"), self.save, QKeySequence.StandardKey.Save, self.tr("Save the plan")
        )
        self.save_project_as_action = self._action(
            self.tr("Save &as…"),
            self.save_as,
            "Ctrl+Shift+S",
            self.tr("Save the plan in a new file"),
        )
        self.import_action = self._action(
            self.tr("&Import call log…"),
            self.import_file,
            "Ctrl+I",
            self.tr("Read a per-call log or an interval report exported from the ACD"),
        )
        self.open_action = self._action(
            self.tr("Open &history…"),
            self.open_history,
            tip=self.tr("Open an interval history CSV saved by the planner"),
        )
        self.save_as_action = self._action(
            self.tr("&Save history as…"),
            self.save_history_as,
            tip=self.tr("Save the interval history as a CSV file"),
        )
        self.save_as_action.setEnabled(False)

        self.export_roster_action = self._action(
            self.tr("&Export roster…"),
            self.export_roster,
            "Ctrl+E",
            self.tr("Write the roster as an Excel workbook for the team leads"),
        )
        self.import_changes_action = self._action(
            self.tr("Import team &lead changes…"),
            self.import_lead_changes,
            tip=self.tr("Read back a roster workbook a team lead edited and apply their changes"),
        )
        for action in (self.export_roster_action, self.import_changes_action):
            action.setEnabled(False)  # until the Schedule page has a roster

        self.quit_action = QAction(self.tr("&Quit"), self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.quit_action.triggered.connect(self.close)

        self.undo_action = self.undo_group.createUndoAction(self, self.tr("&Undo"))
        self.undo_action.setShortcuts([QKeySequence("Ctrl+Z")])
        self.redo_action = self.undo_group.createRedoAction(self, self.tr("&Redo"))
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        self._tab_changed(self.tabs.currentIndex())

        self.page_actions: list[QAction] = []
        for i, (page, title) in enumerate(self._tab_titles.items(), start=1):
            action = self._action(title, lambda p=page: self.tabs.setCurrentWidget(p), f"Ctrl+{i}")
            self.page_actions.append(action)

        self.revert_promotions_action = self._action(
            self.tr("Revert &promoted scenarios"),
            self.revert_promotions,
            tip=self.tr("Take the promoted scenarios out of the base plan again"),
        )
        self.revert_promotions_action.setEnabled(False)

        self.about_action = QAction(self.tr("&About WFM Planner"), self)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_action.triggered.connect(self.show_about)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        for action in (
            self.new_action,
            self.open_project_action,
            self.save_action,
            self.save_project_as_action,
        ):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self.import_action)
        file_menu.addAction(self.open_action)
        file_menu.addAction(self.save_as_action)
        file_menu.addSeparator()
        file_menu.addAction(self.export_roster_action)
        file_menu.addAction(self.import_changes_action)
        file_menu.addSeparator()
        file_menu.aboutToShow.connect(self._update_roster_actions)
        self.file_menu = file_menu
        self.recent_menu = file_menu.addMenu(self.tr("Recent &files"))
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = self.menuBar().addMenu(self.tr("&Edit"))
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        view_menu = self.menuBar().addMenu(self.tr("&View"))
        for action in self.page_actions:
            view_menu.addAction(action)
        tools_menu = self.menuBar().addMenu(self.tr("&Tools"))
        tools_menu.addAction(self.staffing_page.calculator_action)
        self.nonvoice_action = tools_menu.addAction(self.tr("&Non-voice work calculator…"))
        self.nonvoice_action.setStatusTip(
            self.tr("Agents for chat (several chats per agent) and for email or back-office work")
        )
        self.nonvoice_action.triggered.connect(self.open_nonvoice_calculator)
        tools_menu.addSeparator()
        tools_menu.addAction(self.revert_promotions_action)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        help_menu.addAction(self.about_action)
        self._fill_recent_menu()

    # --- the project file ---------------------------------------------------------------------------
    @property
    def is_modified(self) -> bool:
        """True when the plan has changes not saved."""
        return self._changes != self._saved_changes

    def mark_changed(self) -> None:
        """The plan changed (a page, an edit, a computation): it needs saving."""
        if self._restoring:
            return
        self._changes += 1
        self.setWindowModified(True)
        self._schedule_plan_update()
        self._update_stages()

    def _forecast_stale_changed(self, _stale: bool) -> None:
        self._update_stages()

    def _stack_changed(self, _index: int) -> None:
        self.mark_changed()

    def _set_saved(self, changes: int) -> None:
        self._saved_changes = changes
        self.setWindowModified(self.is_modified)

    def _stamp(self, stage: str) -> None:
        if self._restoring:
            return
        self.stamps[stage] = new_stamp(self.stamps.values())
        self._update_stages()

    def collect_project(self) -> Project:
        """Everything on the pages as a :class:`~wfm.io.project.Project` (a snapshot: the
        roster is copied, so the pages stay editable while it is written)."""
        from wfm.io.project import Project, RosterRecord
        from wfm.io.project_inputs import PROMOTED_KEY, PROMOTED_TARGET_KEY
        from wfm.scenarios import scenarios_to_text

        page = self.schedule_page
        editor = page.editor
        record = None
        if editor is not None:
            record = RosterRecord(
                editor.roster.copy(),
                notes=tuple(getattr(page.result, "notes", ()) or ()),
                lp_bound_paid_hours=page.lp_bound,
            )
        settings = dict(self.other_settings)
        settings.update(self.forecast_page.settings())
        settings.update(self.export_page.settings())
        if self.promoted:
            settings[PROMOTED_KEY] = [scenarios_to_text([s]) for s in self.promoted]
            if self._target_before_promotion is not None:
                before = dataclasses.asdict(self._target_before_promotion)
                settings[PROMOTED_TARGET_KEY] = before
        fp = self.forecast_page
        report = self.report.to_dict() if self.report is not None else self.report_dict
        return Project(
            name=self.project_name,
            centre=self.centre,
            history=self.history,
            cleaning_report=report,
            source=self.source_path.name if self.source_path is not None else self.source_name,
            profiles=dict(self.profiles),
            forecast=fp.model_forecast,
            overrides=fp.overrides,
            calendar=fp.calendar,
            target=self.staffing_page.target,
            agents=tuple(page.agents),
            setup=page.setup,
            roster=record,
            scenarios_text=scenarios_to_text(self.scenarios_page.scenarios()),
            settings=settings,
            stamps=dict(self.stamps),
        )

    def apply_project(self, project: Project, path: str | Path | None) -> None:
        """Put ``project`` on the pages as it is (nothing saved is recomputed) and make it the
        window's plan, saved as ``path`` (None: untitled)."""
        from wfm.io.project_inputs import PROMOTED_KEY, PROMOTED_TARGET_KEY
        from wfm.scenarios import scenarios_from_text

        self._cancel_jobs()
        self._restoring += 1
        try:
            self.project_path = Path(path) if path is not None else None
            self.project_name = project.name
            self.centre = project.centre
            self.profiles = dict(project.profiles)
            self.report_dict = project.cleaning_report
            self.source_name = project.source
            settings = dict(project.settings)
            self.other_settings = {
                k: v for k, v in settings.items() if not k.startswith(_OWN_SETTINGS)
            }
            self.promoted = []
            for text in settings.get(PROMOTED_KEY, []) or []:
                try:
                    self.promoted.extend(scenarios_from_text(str(text), "promoted scenario"))
                except WfmError as exc:
                    self._failed(exc, "", self.tr("A promoted scenario could not be read"))
            target_before = settings.get(PROMOTED_TARGET_KEY)
            self._target_before_promotion = (
                _target_from(target_before) if isinstance(target_before, dict) else None
            )
            schedule = self.schedule_page
            schedule.set_need(None)  # the old plan's roster goes first
            agents, setup = tuple(project.agents), project.setup
            if setup is None:
                default_agents, default_setup, _ = load_sample_inputs()
                agents, setup = agents or default_agents, default_setup
            if setup is not None:
                schedule.set_inputs(agents, setup)
            self.set_history(project.history, _report_from(self.report_dict), None)
            summary = (self.report_dict or {}).get("summary", {}) or {}
            patience = summary.get("patience_seconds") if isinstance(summary, dict) else None
            self.staffing_page.set_patience_hint(float(patience) if patience else None)
            self.forecast_page.restore(
                project.forecast, project.overrides, project.calendar, settings
            )
            self.staffing_page.set_target(project.target or _target_from({}))
            if project.roster is not None:
                self.update_schedule_need()
                schedule.set_roster(project.roster.roster)
                schedule.lp_bound = project.roster.lp_bound_paid_hours
                schedule.refresh_summary()
                self._need_stale = False
            self._editor_seen = schedule.editor
            try:
                scenarios = scenarios_from_text(project.scenarios_text or "", "the plan")
            except WfmError as exc:
                scenarios = ()
                self._failed(exc, "", self.tr("The plan's scenarios could not be read"))
            self.scenarios_page.set_scenarios(scenarios)
            self.export_page.restore(settings)
            self.stamps = dict(project.stamps)
        finally:
            self._restoring -= 1
        if self.tabs.currentWidget() is self.schedule_page and self._need_stale:
            self.update_schedule_need()
        self._set_saved(self._changes)
        self.revert_promotions_action.setEnabled(bool(self.promoted))
        self._update_title()
        self._update_roster_actions()
        self._update_stages()
        self.update_scenario_plan()
        self.projectLoaded.emit()

    def new_project(self) -> None:
        """Start an empty plan (after asking about unsaved changes)."""
        self._after_changes_settled(self._new_project)

    def _new_project(self) -> None:
        from wfm.io.project import Project

        self.apply_project(Project(), None)
        self.statusBar().showMessage(self.tr("New plan."), 5000)

    def open_project_file(self, path: str | Path | None = None) -> None:
        """Open a plan (asking for the file without ``path``), after asking about unsaved
        changes and offering to recover an autosave newer than it. Read in the background;
        a file that cannot be read leaves the plan on screen as it was."""
        if path is None:
            path = self._ask_file(
                self.tr("Open plan"), self.tr("WFM Planner plan (*.wfmp);;All files (*)")
            )
            if path is None:
                return
        target = Path(path)
        self._after_changes_settled(lambda: self._offer_recovery(target))

    def _offer_recovery(self, path: Path) -> None:
        from wfm.io.project import discard_recovery, find_recovery

        key = self._recovery_key(path)
        found = find_recovery(key)
        if found is None:
            if not path.is_dir():
                self._read_project(path, path)
            return
        try:
            when = dt.datetime.fromtimestamp(found.stat().st_mtime)
        except OSError:
            when = dt.datetime.now()
        name = path.name if key == path else self.tr("The plan you were working on")
        box = self._question(
            self.tr("Recover unsaved changes"),
            self.tr("%1 was not saved when WFM Planner closed on %2. Recover the autosaved plan?")
            .replace("%1", name)
            .replace("%2", when.strftime("%a %d %b %Y at %H:%M")),
            {self.tr("Recover"): Answer.Yes, self.tr("Discard"): Answer.Discard},
        )

        def answered(answer: Answer) -> None:
            if answer == Answer.Yes:
                self._read_project(found, path, recovered=True)
            else:
                discard_recovery(key)
                if not path.is_dir():
                    self._read_project(path, path)

        self._ask(box, answered)

    def check_untitled_recovery(self) -> None:
        """At start-up without a plan: offer an untitled plan's autosave, if there is one."""
        from wfm.io.project import find_recovery

        if self.autosave_folder.is_dir() and find_recovery(self.autosave_folder) is not None:
            self._offer_recovery(self.autosave_folder)

    def _read_project(self, source: Path, path: Path, *, recovered: bool = False) -> None:
        from wfm.io.project import open_project

        self._busy(
            self.tr("Recovering the autosaved plan…")
            if recovered
            else self.tr("Opening %1…").replace("%1", source.name)
        )
        self._project_runner.run(
            lambda progress: open_project(source),
            name="open project",
            on_finished=lambda project: self._project_read(project, path, recovered),
            on_failed=lambda exc, tb: self._file_failed(
                exc, tb, self.tr("Could not open the plan")
            ),
        )

    def _project_read(self, project: Project, path: Path, recovered: bool) -> None:
        self._busy(None)
        target: Path | None = path
        if recovered:
            of = str(project.settings.pop("autosave.of", "") or "")
            if path.is_dir() or is_bundled_sample(path):
                # The shared autosave of untitled plans (and the sample): it says which plan.
                target = Path(of) if of else None
        elif path.is_dir():
            target = None
        self.apply_project(project, target)
        if target is not None and not recovered:
            self.add_recent_file(target)
        if recovered:
            self.mark_changed()  # the recovered changes are not in the plan's file yet
            self.statusBar().showMessage(
                self.tr("Recovered the autosaved plan: save it to keep the changes."), 15000
            )
        else:
            self.statusBar().showMessage(self.tr("Opened %1.").replace("%1", path.name), 8000)

    def save(self) -> bool:
        """Save the plan to its file (asking for one when it has none, or is the bundled
        sample). True when a save started."""
        if self.project_path is None or is_bundled_sample(self.project_path):
            return self.save_as()
        return self._save_to(self.project_path)

    def save_as(self, path: str | Path | None = None) -> bool:
        """Save the plan in a new file (asking for it without ``path``). True when a save
        started."""
        if path is None:
            folder = self._last_folder()
            if is_bundled_sample(Path(folder) / "x"):
                folder = str(Path.home())
            name = (self.project_name or self.tr("Untitled plan")).replace("/", "-")
            chosen, _ = QFileDialog.getSaveFileName(
                self,
                self.tr("Save plan"),
                str(Path(folder) / f"{name}{PROJECT_SUFFIX}"),
                self.tr("WFM Planner plan (*.wfmp)"),
            )
            if not chosen:
                self._after_save = None
                return False
            path = chosen
        target = Path(path)
        if target.suffix.lower() != PROJECT_SUFFIX:
            target = target.with_name(target.name + PROJECT_SUFFIX)
        if is_bundled_sample(target):
            self._after_save = None
            self._failed(
                WfmError(
                    self.tr(
                        "The sample plan that comes with WFM Planner is kept as it is: save "
                        "your plan under another name or in another folder."
                    )
                ),
                "",
                self.tr("Save plan"),
            )
            return False
        return self._save_to(target)

    def _save_to(self, path: Path) -> bool:
        from wfm.io.project import save_project

        try:
            snapshot = self.collect_project()
        except WfmError as exc:
            self._file_failed(exc, "", self.tr("Could not save the plan"))
            return False
        if not snapshot.name:
            snapshot.name = path.name.removesuffix(PROJECT_SUFFIX)
        changes = self._changes
        self._busy(self.tr("Saving %1…").replace("%1", path.name))
        self._project_runner.run(
            lambda progress: save_project(snapshot, path),
            name="save project",
            on_finished=lambda _: self._project_saved(path, changes, snapshot.name),
            on_failed=lambda exc, tb: self._file_failed(
                exc, tb, self.tr("Could not save the plan")
            ),
        )
        return True

    def _project_saved(self, path: Path, changes: int, name: str) -> None:
        from wfm.io.project import discard_recovery

        self._busy(None)
        old_key = self._recovery_key(self.project_path)
        self.project_path = path
        self.project_name = name
        self._set_saved(changes)
        if not self.is_modified:
            for key in {old_key, self._recovery_key(path)}:
                discard_recovery(key)
        self.add_recent_file(path)
        self._update_title()
        self.statusBar().showMessage(self.tr("Saved %1.").replace("%1", str(path)), 8000)
        self.projectSaved.emit(path)
        after, self._after_save = self._after_save, None
        if after is not None:
            after()

    def _file_failed(self, exc: BaseException, tb: str, title: str) -> None:
        self._busy(None)
        self._after_save = None
        self._failed(exc, tb, title)

    def _busy(self, text: str | None) -> None:
        self.busy_bar.setVisible(text is not None)
        if text is not None:
            self.statusBar().showMessage(text)
        else:
            self.statusBar().clearMessage()

    def _recovery_key(self, path: Path | None) -> Path:
        """What the autosave of the plan at ``path`` is kept beside: the plan's file, or the
        app's data folder for an untitled plan and for the bundled sample."""
        if path is None or is_bundled_sample(path) or path.is_dir():
            return self.autosave_folder
        return path

    def set_autosave_minutes(self, minutes: float) -> None:
        """Autosave every ``minutes`` (QSettings ``autosave/minutes``); 0 turns it off."""
        QSettings().setValue(AUTOSAVE_MINUTES_KEY, minutes)
        self._start_autosave_timer()

    def _start_autosave_timer(self) -> None:
        try:
            minutes = float(QSettings().value(AUTOSAVE_MINUTES_KEY, AUTOSAVE_MINUTES))
        except (TypeError, ValueError):
            minutes = AUTOSAVE_MINUTES
        if minutes > 0:
            self.autosave_timer.start(int(minutes * 60_000))
        else:
            self.autosave_timer.stop()

    def autosave(self) -> bool:
        """Write the autosave (in the background) when there are changes it does not hold
        yet; True when one started."""
        if not self.is_modified or self._autosaved_changes == self._changes:
            return False
        if self._autosave_runner.is_busy:
            return False
        from wfm.io.project import discard_recovery, write_autosave

        try:
            snapshot = self.collect_project()
        except WfmError:
            return False
        snapshot.settings["autosave.of"] = str(self.project_path or "")
        key = self._recovery_key(self.project_path)
        if key == self.autosave_folder:
            try:
                key.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                self.statusBar().showMessage(
                    self.tr("Autosave failed: %1").replace("%1", str(exc)), 15000
                )
                return False
        changes = self._changes

        def written(path: Path) -> None:
            self._autosaved_changes = changes
            if not self.is_modified:  # saved meanwhile: the autosave is not needed
                discard_recovery(key)
                return
            self.autosaved.emit(path)

        self._autosave_runner.run(
            lambda progress: write_autosave(snapshot, key),
            name="autosave",
            on_finished=written,
            on_failed=lambda exc, tb: self.statusBar().showMessage(
                self.tr("Autosave failed: %1").replace("%1", str(exc)), 15000
            ),
        )
        return True

    # --- questions ----------------------------------------------------------------------------------
    def _question(self, title: str, text: str, buttons: dict[str, Answer]) -> QMessageBox:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(title)
        box.setText(text)
        for label, role in buttons.items():
            box.addButton(role).setText(label)
        box.setDefaultButton(next(iter(buttons.values())))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        return box

    def _ask(self, box: QMessageBox, then: Callable[[Answer], None]) -> None:
        """Ask ``box`` (window-modal, not blocking) and call ``then(answer)``; the
        :attr:`ask_hook` answers at once when it is set."""
        if self.ask_hook is not None:
            answer = self.ask_hook(box)
            box.close()
            then(answer)
            return
        self.question_box = box

        def done(_result: int) -> None:
            if self.question_box is box:
                self.question_box = None
            button = box.clickedButton()
            then(box.standardButton(button) if button is not None else Answer.Cancel)

        box.finished.connect(done)
        box.open()

    def _after_changes_settled(self, then: Callable[[], None]) -> None:
        """Call ``then`` once unsaved changes are saved or discarded (not if cancelled)."""
        if not self.is_modified:
            then()
            return
        box = self._unsaved_question()

        def answered(answer: Answer) -> None:
            if answer == Answer.Save:
                self._after_save = then
                self.save()
            elif answer == Answer.Discard:
                self._discard_autosave()
                then()

        self._ask(box, answered)

    def _unsaved_question(self) -> QMessageBox:
        name = self.project_path.name if self.project_path else self.tr("The plan")
        return self._question(
            self.tr("Unsaved changes"),
            self.tr("%1 has changes that are not saved. Save them?").replace("%1", name),
            {
                self.tr("Save"): Answer.Save,
                self.tr("Discard"): Answer.Discard,
                self.tr("Cancel"): Answer.Cancel,
            },
        )

    def _discard_autosave(self) -> None:
        from wfm.io.project import discard_recovery

        self._autosave_pool.waitForDone(5000)
        discard_recovery(self._recovery_key(self.project_path))

    # --- getting data in --------------------------------------------------------------------------
    def open_path(self, path: str | Path) -> None:
        """Open a plan, a history CSV directly, or start the import flow for anything else."""
        path = Path(path)
        if path.suffix.lower() == PROJECT_SUFFIX:
            self.open_project_file(path)
        elif path.suffix.lower() == ".csv" and looks_like_history(path):
            self.open_history(path)
        else:
            self.import_file(path)

    def open_history(self, path: str | Path | None = None) -> None:
        """Read an interval history CSV (in the background) and make it the plan's history."""
        if path is None:
            path = self._ask_file(
                self.tr("Open interval history"), self.tr("Interval history (*.csv);;All files (*)")
            )
            if path is None:
                return
        path = Path(path)
        self.statusBar().showMessage(self.tr("Opening %1…").replace("%1", path.name))
        self._loader.run(
            lambda progress: IntervalHistory.read_csv(path),
            name="open history",
            on_finished=lambda history: self._history_opened(path, history),
            on_failed=lambda exc, tb: self._failed(exc, tb, self.tr("Could not open the history")),
        )

    def _history_opened(self, path: Path, history: IntervalHistory) -> None:
        self.set_history(history, None, path)
        self.add_recent_file(path)
        self.statusBar().showMessage(
            self.tr("Opened %1: %2 intervals.")
            .replace("%1", path.name)
            .replace("%2", f"{len(history):,}"),
            8000,
        )

    def import_file(self, path: str | Path | None = None) -> ImportDialog | None:
        """Open the import dialog on ``path`` (asking for a file when there is none)."""
        if path is None:
            path = self._ask_file(
                self.tr("Import call log or interval report"),
                self.tr("Call data (*.csv *.txt *.tsv *.gz *.xlsx *.xlsm);;All files (*)"),
            )
            if path is None:
                return None
        if self.import_dialog is not None:
            self.import_dialog.close()
        # With a history on screen the dialog offers to add the file to it (the default).
        dialog = ImportDialog(path, self, base=self.history)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda d=dialog: self._import_accepted(d))
        dialog.destroyed.connect(lambda *_: self._dialog_gone(dialog))
        self.import_dialog = dialog
        dialog.open()  # window-modal, does not block the event loop
        return dialog

    def _dialog_gone(self, dialog: ImportDialog) -> None:
        if self.import_dialog is dialog:
            self.import_dialog = None

    def _import_accepted(self, dialog: ImportDialog) -> None:
        result = dialog.result
        if result is None:
            return
        path = Path(dialog.path) if dialog.path else None
        merged = dialog.merged
        self.set_history(merged if merged is not None else result.history, result.report, path)
        if path is not None:
            self.add_recent_file(path)
        msg = self.tr("Imported %1.").replace("%1", path.name if path else "")
        if dialog.merge_summary is not None:
            msg += " " + dialog.merge_summary.text + "."
        msg += " " + self.data_page.findings_text(result.report)
        self.statusBar().showMessage(msg.strip(), 15000)

    def set_history(
        self,
        history: IntervalHistory | None,
        report: CleaningReport | None = None,
        source: str | Path | None = None,
    ) -> None:
        """Put ``history`` on screen (with the report of the import that made it)."""
        self.history = history
        self.report = report
        self.source_path = Path(source) if source else None
        if not self._restoring:
            self.report_dict = None
            self.source_name = self.source_path.name if self.source_path else ""
        self.data_page.set_history(history, report)
        self.forecast_page.set_history(history, report)
        self._staff_history()
        patience = report.summary.get("patience_seconds") if report is not None else None
        self.staffing_page.set_patience_hint(float(patience) if patience else None)
        self.save_as_action.setEnabled(history is not None)
        if history is not None:
            self.status_label.setText(
                self.tr("%1 queue(s) · %2-minute intervals")
                .replace("%1", str(len(history.queues)))
                .replace("%2", str(history.interval_minutes))
            )
        else:
            self.status_label.clear()
        self._stamp("history")
        self.mark_changed()
        self._update_title()
        self.historyChanged.emit()

    def save_history_as(self, path: str | Path | None = None) -> Path | None:
        """Write the history as the canonical CSV (atomically)."""
        if self.history is None:
            return None
        if path is None:
            suggestion = str(Path(self._last_folder()) / "history.csv")
            name, _ = QFileDialog.getSaveFileName(
                self, self.tr("Save interval history"), suggestion, self.tr("CSV files (*.csv)")
            )
            if not name:
                return None
            path = name
        try:
            saved = self.history.write_csv(path)
        except WfmError as exc:
            self._failed(exc, "", self.tr("Could not save the history"))
            return None
        self.source_path = Path(saved)
        self.add_recent_file(saved)
        self._update_title()
        self.statusBar().showMessage(self.tr("Saved %1.").replace("%1", str(saved)), 8000)
        return Path(saved)

    # --- stages ---------------------------------------------------------------------------------------
    def _forecast_changed(self, forecast: Any) -> None:
        if forecast is None:
            self.stamps.pop("forecast", None)
            self._staff_history()
            self._update_stages()
            return
        from wfm.staffing.demand import demand_from_forecast

        self._stamp("forecast")
        self.mark_changed()
        self._raw_demand = (
            demand_from_forecast(forecast.frame),
            forecast.interval_minutes,
            self.tr("Forecast %1 to %2 (%3)")
            .replace("%1", forecast.frame["interval_start"].min().strftime("%d %b %Y"))
            .replace("%2", forecast.frame["interval_start"].max().strftime("%d %b %Y"))
            .replace("%3", forecast.method),
        )
        self._push_demand()

    def _staff_history(self) -> None:
        """Until there is a forecast, staff what the history's last four weeks brought."""
        if self.history is None:
            self._raw_demand = (None, 30, "")
        else:
            from wfm.staffing.demand import demand_from_history

            self._raw_demand = (
                demand_from_history(self.history, days=28),
                self.history.interval_minutes,
                self.tr("Actual volume of the last 4 weeks of history (no forecast yet)"),
            )
        self._push_demand()

    def _push_demand(self) -> None:
        """Hand the Staffing page the demand, with the promoted scenarios applied in order
        (:func:`wfm.io.project_inputs.apply_promotions`, as ``wfm staff --project`` does)."""
        demand, minutes, label = self._raw_demand
        if demand is not None and self.promoted:
            from wfm.io.project_inputs import apply_promotions

            # The target is the Staffing page's own: the promotions were applied to it when
            # they were made, and the planner may have changed it since.
            demand, _, label = apply_promotions(
                demand,
                int(minutes),
                self.staffing_page.target,
                self.promoted,
                label,
                on_misfit=self._promotion_misfit,
            )
        self.staffing_page.set_demand(demand, minutes, label)
        self._stamp("staffing")
        self._need_changed()

    def _promotion_misfit(self, scenario: Scenario, exc: WfmError) -> None:
        self.statusBar().showMessage(
            self.tr("The promoted scenario '%1' does not fit this demand: %2")
            .replace("%1", scenario.name)
            .replace("%2", str(exc)),
            15000,
        )

    def _target_changed(self, *_: Any) -> None:
        self._stamp("staffing")
        self.mark_changed()
        self._need_changed()

    def _need_changed(self, *_: Any) -> None:
        self._need_stale = True
        self._schedule_plan_update()
        if self.tabs.currentWidget() is self.schedule_page and not self._restoring:
            self.update_schedule_need()

    def update_schedule_need(self) -> None:
        """Hand the Staffing page's requirement (every queue, its targets) to the Schedule
        page."""
        self._need_stale = False
        page = self.staffing_page
        if page.demand is None or page.error is not None:
            if self.schedule_page.need is not None and page.demand is None:
                self.schedule_page.set_need(None)
            return
        from wfm.scheduling.need import StaffingNeed
        from wfm.staffing.demand import staff

        try:
            # The Staffing page shows one queue or their sum; a roster needs every queue.
            table = staff(page.demand, page.interval_minutes, page.target)
            need = StaffingNeed.from_table(table, page.interval_minutes, target=page.target)
        except WfmError as exc:
            self._failed(exc, "", self.tr("Could not hand the requirement to the schedule"))
            return
        self.schedule_page.set_need(need)
        self._roster_updated()

    def _roster_updated(self) -> None:
        if self._restoring:
            return
        editor = self.schedule_page.editor
        if editor is not self._editor_seen:
            self._editor_seen = editor
            if editor is not None:
                self._stamp("roster")  # a new roster, made for the requirement of now
            else:
                self.stamps.pop("roster", None)
        self._update_roster_actions()
        self._schedule_plan_update()
        self._update_stages()

    def _roster_generated(self) -> None:
        self._stamp("roster")
        self.mark_changed()

    def _scenarios_computed(self, *_: Any) -> None:
        self._stamp("scenarios")

    # --- the Scenarios page's base plan and promotions ----------------------------------------
    def _schedule_plan_update(self) -> None:
        if not self._restoring:
            self._plan_timer.start()

    def update_scenario_plan(self) -> None:
        """Give the Scenarios page the base plan: the Staffing page's demand and target and
        the Schedule page's roster (its agents' hourly costs)."""
        self._plan_timer.stop()
        page = self.staffing_page
        if page.demand is None:
            if self._plan_signature is not None:
                self._plan_signature = None
                self.scenarios_page.set_plan(None, "")
            return
        from wfm.scenarios import Plan

        editor = self.schedule_page.editor
        roster = editor.roster.copy() if editor is not None and editor.roster.shifts else None
        hourly = None
        if roster is None:
            costs = [a.hourly_cost for a in self.schedule_page.agents if a.hourly_cost is not None]
            hourly = sum(costs) / len(costs) if costs else None
        stack = self.schedule_page.undo_stack
        signature = (
            id(page.demand),
            page.interval_minutes,
            page.target,
            page.label,
            id(editor),
            stack.index(),
            stack.count(),
            roster is not None,
            hourly,
        )
        if signature == self._plan_signature:
            return  # nothing changed: the Scenarios page's figures stay current
        self._plan_signature = signature
        try:
            plan = Plan(page.demand, int(page.interval_minutes), page.target, roster, hourly)
        except WfmError:
            plan = None
        self.scenarios_page.set_plan(plan, page.label)
        self._update_stages()

    def promote_scenario(self, scenario: Scenario) -> None:
        """Make ``scenario`` part of the base plan: the Staffing page's demand gets its
        changes (after those promoted before) and its target becomes the scenario's. (The
        Scenarios page asked the planner first.)"""
        target = self.staffing_page.target
        if not self.promoted:
            self._target_before_promotion = target
        self.promoted.append(scenario)
        self.revert_promotions_action.setEnabled(True)
        self._push_demand()
        new_target = scenario.target(target)
        if new_target != self.staffing_page.target:
            self.staffing_page.set_target(new_target)
        self.mark_changed()
        self.tabs.setCurrentWidget(self.staffing_page)
        self.statusBar().showMessage(
            self.tr(
                "Promoted '%1' into the base plan. Tools ▸ Revert promoted scenarios takes it "
                "out again."
            ).replace("%1", scenario.name),
            15000,
        )

    def revert_promotions(self) -> None:
        """Take every promoted scenario out of the base plan (and restore the target)."""
        if not self.promoted:
            return
        self.promoted = []
        self.revert_promotions_action.setEnabled(False)
        self._push_demand()
        if self._target_before_promotion is not None:
            self.staffing_page.set_target(self._target_before_promotion)
        self._target_before_promotion = None
        self.mark_changed()
        self.statusBar().showMessage(
            self.tr("The base plan is the forecast again (promotions reverted)."), 10000
        )

    # --- stale marks and recompute ----------------------------------------------------------------
    def stale_reasons(self) -> dict[str, str]:
        """``{stage: why it is out of date}`` for the stages whose banner shows."""
        stale = stale_stages(self.stamps)
        out: dict[str, str] = {}
        fp = self.forecast_page
        if fp.model_forecast is not None:
            if "forecast" in stale:
                out["forecast"] = self.tr(
                    "The history changed since this forecast was made (%1)."
                ).replace("%1", when_label(self.stamps.get("forecast")))
            elif fp.stale:
                out["forecast"] = fp.stale_label.text()
        if self.staffing_page.demand is not None and "staffing" in stale:
            out["staffing"] = self.tr(
                "The forecast changed since this requirement was computed (%1)."
            ).replace("%1", when_label(self.stamps.get("staffing")))
        editor = self.schedule_page.editor
        if editor is not None and editor.roster.shifts and "roster" in stale:
            out["roster"] = self.tr(
                "The requirement changed since this roster was made (%1)."
            ).replace("%1", when_label(self.stamps.get("roster")))
        cause = self.scenarios_page.stale_cause
        if self.scenarios_page.results() and ("scenarios" in stale or cause is not None):
            if cause == "scenarios" and "scenarios" not in stale:
                text = self.tr("The scenarios changed since they were compared (%1).")
            else:
                text = self.tr("The base plan changed since these scenarios were compared (%1).")
            out["scenarios"] = text.replace("%1", when_label(self.stamps.get("scenarios")) or "–")
        return out

    def _update_stages(self) -> None:
        if not hasattr(self, "banners"):
            return
        reasons = self.stale_reasons()
        for stage, page in self.stage_pages.items():
            banner = self.banners.get(stage)
            if banner is not None:
                banner.set_stale(reasons.get(stage))
            index = self.tabs.indexOf(page)
            title = self._tab_titles[page]
            if stage in reasons:
                self.tabs.setTabText(index, f"{title} •")
                self.tabs.setTabToolTip(index, reasons[stage])
            else:
                self.tabs.setTabText(index, title)
                self.tabs.setTabToolTip(index, "")
        # The banner says what the Forecast page's own note would.
        if "forecast" in reasons:
            self.forecast_page.stale_label.setVisible(False)
        self.stagesUpdated.emit()

    def recompute_stage(self, stage: str) -> None:
        """The banner's one click: re-run the stage from what it comes from."""
        if stage == "forecast":
            self.forecast_page.run_forecast()
        elif stage == "staffing":
            if self.staffing_page.recompute():
                self._stamp("staffing")
                self._need_changed()
        elif stage == "roster":
            self.tabs.setCurrentWidget(self.schedule_page)
            self.update_schedule_need()
            self.schedule_page.generate()  # locked cells are kept by the solver
        elif stage == "scenarios":
            self.update_scenario_plan()
            self.scenarios_page.run()
        self._update_stages()

    def _tab_changed(self, index: int) -> None:
        page = self.tabs.widget(index)
        stack = getattr(page, "undo_stack", None)
        if getattr(page, "solving", False):
            stack = None  # the Schedule page's roster is read-only while a solve runs
        self.undo_group.setActiveStack(stack)
        if page is self.schedule_page and self._need_stale:
            self.update_schedule_need()
        if page is getattr(self, "scenarios_page", None) and self._plan_timer.isActive():
            self.update_scenario_plan()
        if page is getattr(self, "export_page", None):
            self._update_export_page()
        self._update_roster_actions()

    def _schedule_status(self, text: str, timeout: int) -> None:
        if text:
            self.statusBar().showMessage(text, timeout)
        else:
            self.statusBar().clearMessage()

    # --- the roster workbook for team leads ---------------------------------------------------
    def _update_roster_actions(self) -> None:
        has_roster = self.schedule_page.editor is not None
        # _tab_changed runs while the actions are being built.
        for name in ("export_roster_action", "import_changes_action"):
            action = getattr(self, name, None)
            if action is not None:
                action.setEnabled(has_roster)
        if hasattr(self, "export_page") and self.tabs.currentWidget() is self.export_page:
            self._update_export_page()

    def _update_export_page(self) -> None:
        editor = self.schedule_page.editor
        self.export_page.set_roster(
            editor.roster if editor is not None else None, self.schedule_page.need
        )

    def _workbook_folder(self) -> str:
        from ui.export_dialog import FOLDER_KEY

        folder = str(QSettings().value(FOLDER_KEY, "") or "")
        return folder if folder and Path(folder).is_dir() else self._last_folder()

    def export_roster(self, path: str | Path | None = None) -> ExportDialog | None:
        """Open the export dialog on the Schedule page's roster (``path``: the file to write,
        instead of the suggested name). None when there is no roster."""
        editor = self.schedule_page.editor
        if editor is None:
            return None
        from ui.export_dialog import ExportDialog

        old = self.export_dialog
        if old is not None and old.running:
            # Its export goes on (closing would only cancel it): bring it to the front.
            old.raise_()
            old.activateWindow()
            return old
        if old is not None:
            old.close()  # deleted on close: one export dialog at a time
        dialog = ExportDialog(editor.roster, self.schedule_page.need, self)
        if path is not None:
            dialog.set_path(path)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.exported.connect(lambda summary, d=dialog: self._roster_exported(d, summary))
        dialog.destroyed.connect(lambda *_: self._roster_dialog_gone(dialog))
        self.export_dialog = dialog
        dialog.open()  # window-modal, does not block the event loop
        return dialog

    def _roster_exported(self, dialog: ExportDialog, summary: Any) -> None:
        message = dialog.message_for(summary)
        self.statusBar().showMessage(message, 15000)
        self.export_page.set_last_export(
            summary.path, dt.datetime.now().isoformat(timespec="seconds"), message
        )
        self.mark_changed()

    def import_lead_changes(self, path: str | Path | None = None) -> LeadChangesDialog | None:
        """Read a team lead's edited workbook (asking for it when ``path`` is None) and open
        the dialog that lists, checks and applies its changes; it shows a busy state while the
        workbook is read. None when there is no roster or no file was chosen."""
        page = self.schedule_page
        if page.editor is None:
            return None
        title = self.tr("Import team lead changes")
        if page.solving:
            self._failed(
                WfmError(
                    self.tr(
                        "The solver is working on the roster: wait for it, or stop it, before "
                        "importing a team lead's changes."
                    )
                ),
                "",
                title,
            )
            return None
        if path is None:
            name, _ = QFileDialog.getOpenFileName(
                self,
                title,
                self._workbook_folder(),
                self.tr("Excel workbook (*.xlsx);;All files (*)"),
            )
            if not name:
                return None
            path = name
        from ui.lead_changes_dialog import LeadChangesDialog

        if self.lead_changes_dialog is not None:
            self.lead_changes_dialog.close()
        dialog = LeadChangesDialog(
            None, page.editor.roster, self, editor=page.editor, undo_stack=page.undo_stack
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.applied.connect(lambda n, d=dialog: self._lead_changes_applied(d, n))
        dialog.destroyed.connect(lambda *_: self._roster_dialog_gone(dialog))
        self.lead_changes_dialog = dialog
        dialog.read(path)
        dialog.open()
        return dialog

    def _lead_changes_applied(self, dialog: LeadChangesDialog, n: int) -> None:
        self.tabs.setCurrentWidget(self.schedule_page)
        name = dialog.path.name if dialog.path is not None else ""
        text = (
            self.tr("Applied 1 change from %1 (Ctrl+Z undoes it).")
            if n == 1
            else self.tr("Applied %2 changes from %1 (Ctrl+Z undoes them).")
        )
        self.statusBar().showMessage(text.replace("%1", name).replace("%2", f"{n:,}"), 15000)

    def _roster_dialog_gone(self, dialog: QWidget) -> None:
        if self.export_dialog is dialog:
            self.export_dialog = None
        if self.lead_changes_dialog is dialog:
            self.lead_changes_dialog = None

    def _close_roster_dialogs(self) -> None:
        """The window is closing: cancel a running export or read (nothing is left
        half-written) and close the dialogs."""
        for dialog in (self.export_dialog, self.lead_changes_dialog):
            if dialog is not None:
                dialog.close()

    # --- drag and drop ------------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if local_paths(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: Any) -> None:  # noqa: N802
        if local_paths(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        if self.drop_mime_data(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def drop_mime_data(self, mime: QMimeData) -> bool:
        """Open the first local file in ``mime``; True when there was one."""
        paths = local_paths(mime)
        if not paths:
            return False
        self.open_path(paths[0])
        return True

    # --- recent files -----------------------------------------------------------------------------
    def recent_files(self) -> list[str]:
        value = QSettings().value(_RECENT_KEY, [])
        if value is None:
            return []
        if isinstance(value, str):
            return [value] if value else []
        return [str(v) for v in value]

    def add_recent_file(self, path: str | Path) -> None:
        path = str(Path(path).resolve())
        files = [f for f in self.recent_files() if f != path]
        files.insert(0, path)
        QSettings().setValue(_RECENT_KEY, files[:MAX_RECENT])
        self._fill_recent_menu()

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        files = self.recent_files()
        for i, name in enumerate(files, start=1):
            label = f"&{i} {Path(name).name}" if i < 10 else Path(name).name
            action = self.recent_menu.addAction(label)
            action.setToolTip(name)
            action.setStatusTip(name)
            action.triggered.connect(lambda checked=False, n=name: self._open_recent(n))
        if files:
            self.recent_menu.addSeparator()
            clear = self.recent_menu.addAction(self.tr("Clear list"))
            clear.triggered.connect(self._clear_recent)
        self.recent_menu.setEnabled(bool(files))

    def _open_recent(self, name: str) -> None:
        if not Path(name).exists():
            self._failed(WfmError(self.tr("%1 no longer exists.").replace("%1", name)), "", None)
            QSettings().setValue(_RECENT_KEY, [f for f in self.recent_files() if f != name])
            self._fill_recent_menu()
            return
        self.open_path(name)

    def _clear_recent(self) -> None:
        QSettings().remove(_RECENT_KEY)
        self._fill_recent_menu()

    def _ask_file(self, title: str, filters: str) -> Path | None:
        """A file chosen in the open dialog (starting in the last folder used), or None."""
        name, _ = QFileDialog.getOpenFileName(self, title, self._last_folder(), filters)
        return Path(name) if name else None

    def _last_folder(self) -> str:
        files = self.recent_files()
        return str(Path(files[0]).parent) if files else str(Path.home())

    # --- window state -------------------------------------------------------------------------------
    def _restore_settings(self) -> None:
        settings = QSettings()
        geometry = settings.value(_GEOMETRY_KEY)
        if not (isinstance(geometry, QByteArray | bytes) and self.restoreGeometry(geometry)):
            # First start: a comfortable size that fits the screen.
            screen = self.screen().availableGeometry()
            self.resize(
                min(1400, int(screen.width() * 0.94)), min(900, int(screen.height() * 0.94))
            )
        state = settings.value(_STATE_KEY)
        if isinstance(state, QByteArray | bytes):
            self.restoreState(state)
        self._start_autosave_timer()

    def save_settings(self) -> None:
        settings = QSettings()
        settings.setValue(_GEOMETRY_KEY, self.saveGeometry())
        settings.setValue(_STATE_KEY, self.saveState())

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self.is_modified and not self._closing:
            # Asked without blocking: the window stays open until the answer closes it.
            event.ignore()
            box = self._unsaved_question()

            def answered(answer: Answer) -> None:
                if answer == Answer.Save:
                    self._after_save = self._close_saved
                    self.save()
                elif answer == Answer.Discard:
                    self._discard_autosave()
                    self._closing = True
                    # Not from inside this close event: Qt ignores a nested close().
                    QTimer.singleShot(0, self, self.close)

            self._ask(box, answered)
            return
        self.save_settings()
        self.autosave_timer.stop()
        self._plan_timer.stop()
        self._cancel_jobs()
        if self.import_dialog is not None:
            self.import_dialog.close()
        self._close_roster_dialogs()
        self._file_pool.waitForDone(10_000)  # a save in progress is finished, not cut short
        self._autosave_pool.waitForDone(10_000)
        if not self.is_modified or self._closing:
            from wfm.io.project import discard_recovery

            discard_recovery(self._recovery_key(self.project_path))
        super().closeEvent(event)

    def _close_saved(self) -> None:
        if not self.is_modified:
            QTimer.singleShot(0, self, self.close)

    def _cancel_jobs(self) -> None:
        self._loader.cancel()
        self.forecast_page.cancel_job()
        self.schedule_page.shutdown()
        cancel = getattr(self.scenarios_page, "cancel", None)
        if callable(cancel):
            cancel()

    # --- misc -------------------------------------------------------------------------------------------
    def _update_title(self) -> None:
        if self.project_path is not None:
            name = self.project_path.name
        else:
            name = self.project_name or self.tr("Untitled")
        self.setWindowTitle(f"{name}[*] — {APP_TITLE}")
        self.setWindowModified(self.is_modified)

    def _failed(self, exc: BaseException, tb: str, title: str | None) -> None:
        self.statusBar().clearMessage()
        self.last_error_box = show_error(self, exc, tb, title)

    def open_nonvoice_calculator(self) -> QWidget:
        from ui.nonvoice_dialog import open_nonvoice_dialog

        return open_nonvoice_dialog(self)

    def show_about(self) -> QMessageBox:
        box = QMessageBox(self)
        box.setWindowTitle(self.tr("About WFM Planner"))
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(
            self.tr(
                "<h3>WFM Planner</h3><p>An open-source desktop planner for contact-centre "
                "workforce management: import call data, forecast, staff, schedule, compare "
                "what-if scenarios.</p>"
                "<p>Licensed under the GNU GPL, version 3 or later.</p>"
            )
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box


def _report_from(record: dict[str, Any] | None) -> CleaningReport | None:
    """The cleaning report a plan keeps (None: none, or one this version cannot read; the
    Data page then shows the history without it)."""
    if record is None:
        return None
    try:
        return CleaningReport.from_dict(record)
    except WfmError:
        return None


def _target_from(record: dict[str, Any]) -> Any:
    from wfm.staffing.requirement import StaffingTarget

    try:
        return StaffingTarget(**record)
    except (TypeError, WfmError):
        return None


def _place_banner(page: QWidget, banner: StageBanner) -> bool:
    """Put ``banner`` at the top of ``page`` when its layout is a column; False if not."""
    layout = page.layout()
    if isinstance(layout, QVBoxLayout):
        layout.insertWidget(0, banner)
        return True
    return False


def _make_scenarios_page(parent: QWidget) -> Any:
    from ui.scenarios_page import ScenariosPage

    return ScenariosPage(parent)


def local_paths(mime: QMimeData | None) -> list[Path]:
    """Local files named by a drag's URLs (remote URLs are ignored)."""
    if mime is None or not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


def mime_for(path: str | Path) -> QMimeData:
    """A QMimeData carrying ``path`` as a file URL, as a file manager's drag does."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(Path(path).resolve()))])
    return mime
