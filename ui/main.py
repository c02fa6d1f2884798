"""Start the GUI: set-up wizard on first run, unlock dialog when needed, then the main window."""

from __future__ import annotations

import os
import sys
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING

from app.instance_lock import InstanceLock
from app.paths import drive_present, store_path
from app.security.keys import KeyProvider, KeyringProvider
from app.security.vault import Session, UnlockNeeds, unlock

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication


def make_app() -> object:
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from app.resources import resource_path
    from ui.style import apply_style

    instance = QApplication.instance()
    app = instance if isinstance(instance, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("Vertrouwd")
    app.setOrganizationName("Vertrouwd")
    app.setWindowIcon(QIcon(str(resource_path("icons", "vertrouwd.ico"))))
    apply_style(app)
    install_qt_translations(app)
    from ui.fit import install_screen_fit

    if not app.property("screen_fit"):
        install_screen_fit(app)
        app.setProperty("screen_fit", True)
    return app


def install_qt_translations(app: QApplication) -> bool:
    """Qt's own Dutch (`qtbase_nl`, shipped with PySide6): Ja/Nee/Annuleren on standard
    buttons, Vorige/Volgende in wizards, Dutch context menus in text fields. Once per app."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    from app.i18n import language

    if language() != "nl" or getattr(app, "_vertrouwd_qt_nl", None) is not None:
        return False
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(QLocale(QLocale.Language.Dutch), "qtbase", "_", folder):
        return False
    app.installTranslator(translator)
    app._vertrouwd_qt_nl = translator  # type: ignore[attr-defined]  # keep it alive
    QLocale.setDefault(QLocale(QLocale.Language.Dutch, QLocale.Country.Netherlands))
    return True


def needs_setup(data_dir: Path) -> bool:
    """First run, or a set-up interrupted before its store was in place. A store that was
    set up and has gone missing is not this: the unlock dialog then offers a backup."""
    if store_path(data_dir).exists() or not drive_present(data_dir):
        return False
    from app.config import ConfigError, load_config

    try:
        config = load_config(data_dir)
    except ConfigError:
        return False
    return config is None or not config.setup_complete


def obtain_session(
    data_dir: Path, provider: KeyProvider, pending: Future[Session] | None = None
) -> Session | None:
    """Set up a new store or unlock the existing one; None when the VP cancels.

    `pending` is an unlock already running on a worker thread (started before Qt loaded)."""
    from PySide6.QtWidgets import QDialog

    from ui.lock import UnlockDialog
    from ui.wizards.setup import SetupWizard

    if needs_setup(data_dir):
        setup = SetupWizard(data_dir, provider)
        if setup.exec() == QDialog.DialogCode.Accepted:
            return setup.session
        return None
    try:
        return pending.result() if pending is not None else unlock(data_dir, provider)
    except UnlockNeeds as needs:
        reason = needs.reason
    while True:
        dialog = UnlockDialog(data_dir, provider, reason)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.session
        if not dialog.restore_requested:
            return None
        from ui.wizards.backup import RestoreWizard

        wizard = RestoreWizard(data_dir, provider)
        wizard.exec()
        if wizard.session is not None:
            return wizard.session
        if reason == "missing" and store_path(data_dir).exists():
            reason = "ask"  # restored, but not opened: the unlock dialog asks for the key


def run_gui(
    data_dir: Path,
    *,
    session: Session | None = None,
    pending: Future[Session] | None = None,
    demo: bool = False,
    provider: KeyProvider | None = None,
    instance: InstanceLock | None = None,
) -> int:
    app = make_app()
    provider = provider or KeyringProvider()
    first_run = session is None and needs_setup(data_dir)
    if session is None:
        session = obtain_session(data_dir, provider, pending)
    if session is None:
        return 0
    from ui.errors import install_store_error_hook
    from ui.main_window import MainWindow

    install_store_error_hook(session.data_dir)
    window = MainWindow(session, provider)
    from ui import session_end

    guard = session_end.install(app, window.lock)  # log-off, shut-down, a closed console
    from ui.instance import watch_instance

    watch_instance(window, instance)
    window.show()
    if first_run:
        window.show_help("getting_started")
    if os.environ.get("VERTROUWD_EXIT_AFTER_SHOW"):
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, window.close)
    del demo
    code = int(app.exec())  # type: ignore[attr-defined]
    del guard
    return code
