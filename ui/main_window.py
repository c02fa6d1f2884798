"""The main window shell: menu, toolbar, the views, the status bar, and the lock cover.

Locking (Ctrl+L, the toolbar button, or inactivity) swaps the content for a neutral cover at
once, closes open dialogs, closes the connection and drops the key (`Session.lock`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME, __version__
from app.i18n import _
from app.security.keys import KeyProvider
from app.security.vault import Session
from app.store.settings import load_settings
from ui.help import HelpPanel
from ui.lock import LockController, UnlockDialog
from ui.style import label


class MainWindow(QMainWindow):
    locked = Signal()
    unlocked = Signal()

    # set by ui.privacy_actions.install_privacy_actions (called from _make_actions)
    retention_action: QAction
    rekey_action: QAction
    handover_action: QAction
    # set by ui.navigation.install_navigation (Ctrl+N, Ctrl+I, Ctrl+F)
    new_request_action: QAction
    intake_action: QAction
    search_action: QAction

    def __init__(
        self,
        session: Session,
        provider: KeyProvider,
        *,
        now: Callable[[], datetime] = datetime.now,
    ) -> None:
        super().__init__()
        self.session: Session | None = session
        self.provider = provider
        self.data_dir = session.data_dir
        self.demo = session.config.demo
        self.now = now
        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self.tabs = QTabWidget()
        self.tabs.setTabsClosable(True)
        self.tabs.tabCloseRequested.connect(self.close_tab)
        self.fixed_tabs = 0
        self.cover = self._make_cover()
        self.stack.addWidget(self.tabs)
        self.stack.addWidget(self.cover)
        self._make_actions()
        settings = load_settings(session.store)
        self.lock_controller = LockController(self.lock, settings.lock_minutes, now, self)
        self.resize(1100, 720)
        self.build_views()
        self._refresh_titles()

    # -- building -----------------------------------------------------------------------
    def _make_actions(self) -> None:
        menu = self.menuBar()
        file_menu = menu.addMenu(_("&File"))
        self.lock_action = QAction(_("Lock now"), self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.lock_action.triggered.connect(self.lock)
        self.settings_action = QAction(_("Settings…"), self)
        self.settings_action.triggered.connect(self.open_settings)
        quit_action = QAction(_("Quit"), self)
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        file_menu.addAction(self.lock_action)
        file_menu.addAction(self.settings_action)
        file_menu.addSeparator()
        self.backup_action = QAction(_("Make a backup…"), self)
        self.backup_action.triggered.connect(self.make_backup)
        self.restore_action = QAction(_("Restore a backup…"), self)
        self.restore_action.triggered.connect(self.restore_backup)
        file_menu.addAction(self.backup_action)
        file_menu.addAction(self.restore_action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        self.work_menu = menu.addMenu(_("&Work"))
        self.year_start_action = QAction(_("New school year…"), self)
        self.year_start_action.triggered.connect(self.open_year_start)
        self.work_menu.addAction(self.year_start_action)
        self.annual_report_action = QAction(_("Make annual report…"), self)
        self.annual_report_action.triggered.connect(self.open_annual_report)
        self.work_menu.addAction(self.annual_report_action)
        from ui.privacy_actions import install_privacy_actions

        install_privacy_actions(self)
        help_menu = menu.addMenu(_("&Help"))
        self.help_panel = HelpPanel.attach(self, help_menu)
        about = QAction(_("About Vertrouwd"), self)
        about.triggered.connect(self.about)
        help_menu.addAction(about)
        self.toolbar = self.addToolBar(_("Toolbar"))
        self.toolbar.setObjectName("toolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.toolbar.addAction(self.lock_action)
        self.addAction(self.lock_action)
        from ui.navigation import install_navigation

        install_navigation(self)

    def build_views(self) -> None:
        """Fill the tabs; the case-work views replace the placeholder as they land."""
        from ui.views import build_tabs

        build_tabs(self)

    def _make_cover(self) -> QWidget:
        cover = QWidget()
        cover.setObjectName("cover")
        cover.setProperty("help_id", "lock")
        cover.setAutoFillBackground(True)
        layout = QVBoxLayout(cover)
        layout.addStretch(1)
        title = label(_("Vertrouwd is locked"), "coverTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(title)
        button = QPushButton(_("Unlock…"))
        button.setObjectName("unlockButton")
        button.setMaximumWidth(220)
        button.clicked.connect(self.ask_unlock)
        layout.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        return cover

    def _refresh_titles(self) -> None:
        title = APP_NAME
        path = str(self.data_dir)
        if self.session is not None:
            settings = load_settings(self.session.store)
            title = f"{APP_NAME} — {settings.school}"
            path = str(self.session.store.path)
        if self.demo:
            title += " " + _("(DEMO — invented pupils)")
        self.setWindowTitle(title)
        status = _("Data file: {path}").format(path=path)
        if self.session is None:
            status = _("Locked")
        self.statusBar().showMessage(status)

    # -- lock and unlock ----------------------------------------------------------------
    @property
    def is_locked(self) -> bool:
        return self.session is None

    def lock(self) -> None:
        """Cover at once, close dialogs, close the connection, drop the key."""
        if self.session is None:
            return
        self.stack.setCurrentWidget(self.cover)
        self.menuBar().setEnabled(False)
        self.toolbar.setEnabled(False)
        self.before_lock()
        for widget in QApplication.topLevelWidgets():
            if widget is not self and isinstance(widget, QDialog) and widget.isVisible():
                widget.reject()
        from app import journal

        try:
            journal.append(self.session.store, self.now().isoformat(timespec="seconds"),
                           "locked")
        except Exception:
            pass
        self.session.lock()
        self.session = None
        self.lock_controller.active = False
        self.statusBar().showMessage(_("Locked"))
        self.locked.emit()

    def before_lock(self) -> None:
        """Views save their drafts here (encrypted, in the store) before the connection closes."""
        for index in range(self.tabs.count()):
            view = self.tabs.widget(index)
            hook = getattr(view, "before_lock", None)
            if callable(hook):
                hook()

    def ask_unlock(self) -> bool:
        pin_only = False
        from app.config import ConfigError, load_config

        try:
            config = load_config(self.data_dir)
        except ConfigError:
            config = None
        reason = "ask"
        if config is not None and config.key_mode == "keyring":
            if config.has_pin():
                pin_only = True
                reason = "locked_by_user"
            else:
                from app.security.vault import UnlockNeeds, unlock

                try:
                    return self.unlocked_with(unlock(self.data_dir, self.provider))
                except UnlockNeeds as needs:
                    reason = needs.reason
        dialog = UnlockDialog(self.data_dir, self.provider, reason, pin_only=pin_only,
                              parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.session is not None:
            return self.unlocked_with(dialog.session)
        return False

    def unlocked_with(self, session: Session) -> bool:
        self.session = session
        self.stack.setCurrentWidget(self.tabs)
        self.menuBar().setEnabled(True)
        self.toolbar.setEnabled(True)
        self.lock_controller.minutes = load_settings(session.store).lock_minutes
        self.lock_controller.resume()
        self._refresh_titles()
        self.refresh()
        self.unlocked.emit()
        return True

    def refresh(self) -> None:
        for index in range(self.tabs.count()):
            view = self.tabs.widget(index)
            hook = getattr(view, "refresh", None)
            if callable(hook):
                hook()

    # -- navigation (the views call these) ---------------------------------------------
    def open_case(self, case_id: int) -> None:
        """Show the case file of `case_id` in its own tab (reusing an open one)."""
        if self.session is None:
            return
        from ui.views.case_file import CaseFileView

        for index in range(self.tabs.count()):
            view = self.tabs.widget(index)
            if isinstance(view, CaseFileView) and view.case_id == case_id:
                self.tabs.setCurrentIndex(index)
                return
        view = CaseFileView(self, case_id)
        self.tabs.setCurrentIndex(self.tabs.addTab(view, view.tab_title()))

    def close_tab(self, index: int) -> None:
        if index >= self.fixed_tabs:
            self.tabs.removeTab(index)

    def start_intake(self, request_id: int | None = None) -> None:
        if self.session is None:
            return
        from ui.wizards.intake import IntakeWizard

        wizard = IntakeWizard(self, request_id=request_id)
        if wizard.exec() == QDialog.DialogCode.Accepted and wizard.case_id is not None:
            self.refresh()
            self.open_case(wizard.case_id)

    def run_escalation_check(self, case_id: int) -> None:
        """The escalation check of the case (DOMAIN.md questions); a no-op until it lands."""
        if self.session is None:
            return
        try:
            from ui.wizards.escalation import EscalationWizard
        except ImportError:
            return
        EscalationWizard(self, case_id).exec()
        self.refresh()

    def open_annual_report(self) -> None:
        """The annual report wizard (PRODUCT.md job 6): figures, texts, PDF, data file, print."""
        if self.session is None:
            return
        from ui.wizards.annual_report import run_annual_report

        run_annual_report(self)

    def open_year_start(self) -> None:
        """The "Nieuw schooljaar" wizard (issue 18): poster, flyer, website text, class visits."""
        from ui.wizards.year_start import run_year_start

        run_year_start(self)

    def make_backup(self) -> None:
        """The backup wizard (PRODUCT.md job 7): a checked, encrypted copy in a folder."""
        if self.session is None:
            return
        from ui.wizards.backup import BackupWizard

        BackupWizard(self).exec()
        if self.session is not None:
            self.refresh()

    def restore_backup(self) -> None:
        """The restore wizard: it closes this window's session itself before the swap and
        hands the restored one back through `unlocked_with`."""
        if self.session is None:
            return
        from ui.wizards.backup import RestoreWizard

        RestoreWizard(self.data_dir, self.provider, window=self).exec()

    # -- dialogs ------------------------------------------------------------------------
    def open_settings(self) -> None:
        if self.session is None:
            return
        from ui.settings_dialog import SettingsDialog

        if SettingsDialog(self.session, self).exec() == QDialog.DialogCode.Accepted:
            self.lock_controller.minutes = load_settings(self.session.store).lock_minutes
            self._refresh_titles()
            self.refresh()

    def show_help(self, help_id: str | None = None) -> None:
        """Open the help panel on `help_id` (default: the page of the current screen)."""
        self.help_panel.show_help(help_id)

    def about(self) -> None:
        QMessageBox.about(self, _("About Vertrouwd"), _(
            "Vertrouwd {version}\n\nThe case files of the confidential adviser for pupils, "
            "encrypted on this computer. No internet, no server.").format(version=__version__))

    def closeEvent(self, event: object) -> None:  # noqa: N802 - Qt API
        if self.session is not None:
            self.before_lock()
            self.session.lock()
            self.session = None
        self.lock_controller.stop()
        super().closeEvent(event)  # type: ignore[arg-type]
