"""The main window: menus, the pages of the planning stages, and the flows that get call
data in.

The pages are tabs in pipeline order: Data (the interval history and its cleaning report),
Forecast, Staffing, Schedule. A new history goes to the Forecast page; the Staffing page staffs
the forecast once there is one, and until then the history's last four weeks (what the centre
would have needed), saying which it shows. The Schedule page covers the Staffing page's
requirement (every queue, at the Staffing page's targets), handed over when the Schedule tab is
shown after the demand or the targets changed.

Edit ▸ Undo / Redo act on the current page's undo stack through one ``QUndoGroup`` (the
Forecast page's overrides, the Schedule page's roster edits).

A file reaches the window through File ▸ Import call log… (Ctrl+I), File ▸ Open history…,
the recent-files menu, the command line or a drop on the window. :meth:`MainWindow.open_path`
decides: a canonical interval history CSV is opened as it is; anything else is a call log or
interval report and goes through the :class:`~ui.import_dialog.ImportDialog`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QMimeData, QSettings, Qt, QUrl, Signal
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
    QTabWidget,
    QWidget,
)

from ui.data_page import DataPage
from ui.errors import show_error
from ui.forecast_page import ForecastPage
from ui.import_dialog import ImportDialog
from ui.roster_page import SchedulePage
from ui.staffing_page import StaffingPage
from ui.tasks import TaskRunner
from wfm.errors import WfmError
from wfm.io.cleaning import CleaningReport
from wfm.io.history import IntervalHistory, looks_like_history

if TYPE_CHECKING:  # the dialogs (and openpyxl behind them) load when first used
    from ui.export_dialog import ExportDialog
    from ui.lead_changes_dialog import LeadChangesDialog

APP_TITLE = "WFM Planner"
MAX_RECENT = 8
_RECENT_KEY = "recent_files"
_GEOMETRY_KEY = "main_window/geometry"
_STATE_KEY = "main_window/state"


class MainWindow(QMainWindow):
    """The planner's window. ``history`` is the interval history on screen."""

    #: Emitted after a history is shown (loaded, imported or cleared).
    historyChanged = Signal()  # noqa: N815 - Qt naming

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.history: IntervalHistory | None = None
        self.report: CleaningReport | None = None
        #: The file the history came from (a history CSV or an imported call log).
        self.source_path: Path | None = None
        self.import_dialog: ImportDialog | None = None
        self.export_dialog: ExportDialog | None = None
        self.lead_changes_dialog: LeadChangesDialog | None = None
        self.last_error_box: QMessageBox | None = None
        self._loader = TaskRunner(self)

        self.data_page = DataPage(self)
        self.forecast_page = ForecastPage(self)
        self.staffing_page = StaffingPage(self)
        self.schedule_page = SchedulePage(self)
        #: True when the Staffing page's requirement changed since the Schedule page got it.
        self._need_stale = True
        self.undo_group = QUndoGroup(self)
        self.undo_group.addStack(self.forecast_page.undo_stack)
        self.undo_group.addStack(self.schedule_page.undo_stack)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.data_page, self.tr("&Data"))
        self.tabs.addTab(self.forecast_page, self.tr("&Forecast"))
        self.tabs.addTab(self.staffing_page, self.tr("&Staffing"))
        self.tabs.addTab(self.schedule_page, self.tr("Sc&hedule"))
        self.setCentralWidget(self.tabs)
        self.forecast_page.forecastChanged.connect(self._forecast_changed)
        self.staffing_page.targetChanged.connect(self._need_changed)
        self.schedule_page.statusMessage.connect(self._schedule_status)
        self.schedule_page.staffingRequested.connect(
            lambda: self.tabs.setCurrentWidget(self.staffing_page)
        )
        self.tabs.currentChanged.connect(self._tab_changed)
        self._build_actions()
        # Emitted after every roster change, and when a roster appears or goes.
        self.schedule_page.summaryUpdated.connect(self._update_roster_actions)
        self._build_menus()
        self.status_label = QLabel()
        self.statusBar().addPermanentWidget(self.status_label)
        self.setAcceptDrops(True)
        self._update_title()
        self._restore_settings()

    # --- actions and menus ---------------------------------------------------------------------
    def _build_actions(self) -> None:
        self.import_action = QAction(self.tr("&Import call log…"), self)
        self.import_action.setShortcut(QKeySequence("Ctrl+I"))
        self.import_action.setStatusTip(
            self.tr("Read a per-call log or an interval report exported from the ACD")
        )
        self.import_action.triggered.connect(lambda: self.import_file())

        self.open_action = QAction(self.tr("&Open history…"), self)
        self.open_action.setShortcut(QKeySequence.StandardKey.Open)
        self.open_action.setStatusTip(self.tr("Open an interval history CSV saved by the planner"))
        self.open_action.triggered.connect(lambda: self.open_history())

        self.save_as_action = QAction(self.tr("&Save history as…"), self)
        self.save_as_action.setShortcut(QKeySequence.StandardKey.SaveAs)
        self.save_as_action.setStatusTip(self.tr("Save the interval history as a CSV file"))
        self.save_as_action.triggered.connect(lambda: self.save_history_as())
        self.save_as_action.setEnabled(False)

        self.export_roster_action = QAction(self.tr("&Export roster…"), self)
        self.export_roster_action.setShortcut(QKeySequence("Ctrl+E"))
        self.export_roster_action.setStatusTip(
            self.tr("Write the roster as an Excel workbook for the team leads")
        )
        self.export_roster_action.triggered.connect(lambda: self.export_roster())
        self.import_changes_action = QAction(self.tr("Import team &lead changes…"), self)
        self.import_changes_action.setStatusTip(
            self.tr("Read back a roster workbook a team lead edited and apply their changes")
        )
        self.import_changes_action.triggered.connect(lambda: self.import_lead_changes())
        for action in (self.export_roster_action, self.import_changes_action):
            action.setEnabled(False)  # until the Schedule page has a roster

        self.quit_action = QAction(self.tr("&Quit"), self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.quit_action.triggered.connect(self.close)

        self.undo_action = self.undo_group.createUndoAction(self, self.tr("&Undo"))
        self.undo_action.setShortcuts([QKeySequence("Ctrl+Z")])
        self.redo_action = self.undo_group.createRedoAction(self, self.tr("&Redo"))
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        self._tab_changed(self.tabs.currentIndex())

        self.about_action = QAction(self.tr("&About WFM Planner"), self)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_action.triggered.connect(self.show_about)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
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
        tools_menu = self.menuBar().addMenu(self.tr("&Tools"))
        tools_menu.addAction(self.staffing_page.calculator_action)
        self.nonvoice_action = tools_menu.addAction(self.tr("&Non-voice work calculator…"))
        self.nonvoice_action.setStatusTip(
            self.tr("Agents for chat (several chats per agent) and for email or back-office work")
        )
        self.nonvoice_action.triggered.connect(self.open_nonvoice_calculator)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        help_menu.addAction(self.about_action)
        self._fill_recent_menu()

    # --- getting data in --------------------------------------------------------------------------
    def open_path(self, path: str | Path) -> None:
        """Open a history CSV directly, or start the import flow for anything else."""
        path = Path(path)
        if path.suffix.lower() == ".csv" and looks_like_history(path):
            self.open_history(path)
        else:
            self.import_file(path)

    def open_history(self, path: str | Path | None = None) -> None:
        """Read an interval history CSV (in the background) and show it."""
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
        dialog = ImportDialog(path, self)
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
        self.set_history(result.history, result.report, path)
        if path is not None:
            self.add_recent_file(path)
        problems = len(getattr(result.report, "problems", ()))
        msg = self.tr("Imported %1.").replace("%1", path.name if path else "")
        if problems:
            msg += " " + self.tr("%1 kind(s) of problem found; see the report.").replace(
                "%1", str(problems)
            )
        self.statusBar().showMessage(msg, 10000)

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
            self._staff_history()
            return
        from wfm.staffing.demand import demand_from_forecast

        self._need_changed()
        self.staffing_page.set_demand(
            demand_from_forecast(forecast.frame),
            forecast.interval_minutes,
            self.tr("Forecast %1 to %2 (%3)")
            .replace("%1", forecast.frame["interval_start"].min().strftime("%d %b %Y"))
            .replace("%2", forecast.frame["interval_start"].max().strftime("%d %b %Y"))
            .replace("%3", forecast.method),
        )

    def _staff_history(self) -> None:
        """Until there is a forecast, staff what the history's last four weeks brought."""
        self._need_changed()
        if self.history is None:
            self.staffing_page.set_demand(None, 30, "")
            return
        from wfm.staffing.demand import demand_from_history

        demand = demand_from_history(self.history, days=28)
        label = self.tr("Actual volume of the last 4 weeks of history (no forecast yet)")
        self.staffing_page.set_demand(demand, self.history.interval_minutes, label)

    def _need_changed(self, *_: Any) -> None:
        self._need_stale = True
        if self.tabs.currentWidget() is self.schedule_page:
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

    def _tab_changed(self, index: int) -> None:
        page = self.tabs.widget(index)
        stack = getattr(page, "undo_stack", None)
        if getattr(page, "solving", False):
            stack = None  # the Schedule page's roster is read-only while a solve runs
        self.undo_group.setActiveStack(stack)
        if page is self.schedule_page and self._need_stale:
            self.update_schedule_need()
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
        dialog.exported.connect(
            lambda summary, d=dialog: self.statusBar().showMessage(d.message_for(summary), 15000)
        )
        dialog.destroyed.connect(lambda *_: self._roster_dialog_gone(dialog))
        self.export_dialog = dialog
        dialog.open()  # window-modal, does not block the event loop
        return dialog

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

    def save_settings(self) -> None:
        settings = QSettings()
        settings.setValue(_GEOMETRY_KEY, self.saveGeometry())
        settings.setValue(_STATE_KEY, self.saveState())

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.save_settings()
        self._loader.cancel()
        self.forecast_page.cancel_job()
        self.schedule_page.shutdown()
        if self.import_dialog is not None:
            self.import_dialog.close()
        self._close_roster_dialogs()
        super().closeEvent(event)

    # --- misc -------------------------------------------------------------------------------------------
    def _update_title(self) -> None:
        name = self.source_path.name if self.source_path else None
        self.setWindowTitle(f"{APP_TITLE} — {name}" if name else APP_TITLE)

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
                "workforce management: import call data, forecast, staff, schedule.</p>"
                "<p>Licensed under the GNU GPL, version 3 or later.</p>"
            )
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box


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
