"""Start the GUI: set-up wizard on first run, unlock dialog when needed, then the main window."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from app.i18n import _
from app.paths import store_path
from app.security.keys import KeyProvider, KeyringProvider
from app.security.vault import Session, UnlockNeeds, unlock


def make_app() -> object:
    from PySide6.QtWidgets import QApplication

    from ui.style import apply_style

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Vertrouwd")
    app.setOrganizationName("Vertrouwd")
    apply_style(app)  # type: ignore[arg-type]
    return app


def obtain_session(data_dir: Path, provider: KeyProvider) -> Session | None:
    """Set up a new store or unlock the existing one; None when the VP cancels."""
    from PySide6.QtWidgets import QDialog

    from ui.lock import UnlockDialog
    from ui.wizards.setup import SetupWizard

    if not store_path(data_dir).exists():
        from app.config import load_config

        if load_config(data_dir) is None or not data_dir.exists():
            wizard = SetupWizard(data_dir, provider)
            if wizard.exec() == QDialog.DialogCode.Accepted:
                return wizard.session
            return None
    try:
        return unlock(data_dir, provider)
    except UnlockNeeds as needs:
        reason = needs.reason
    dialog = UnlockDialog(data_dir, provider, reason)
    if dialog.exec() == QDialog.DialogCode.Accepted:
        return dialog.session
    return None


def run_gui(
    data_dir: Path,
    *,
    session: Session | None = None,
    demo: bool = False,
    provider: KeyProvider | None = None,
) -> int:
    app = make_app()
    provider = provider or KeyringProvider()
    if session is None:
        session = obtain_session(data_dir, provider)
    if session is None:
        return 0
    from ui.main_window import MainWindow

    window = MainWindow(session, provider)
    window.show()
    if os.environ.get("VERTROUWD_EXIT_AFTER_SHOW"):
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, window.close)
    del demo
    result = app.exec()  # type: ignore[attr-defined]
    _("Vertrouwd")
    return int(result)
