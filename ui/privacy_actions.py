"""The privacy and handover actions of the main window (PRODUCT.md jobs 7 and 8): a "Privacy"
submenu of the Work menu with retention, re-key and handover, each opening its dialog."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction

from app.i18n import _

if TYPE_CHECKING:
    from ui.main_window import MainWindow


def install_privacy_actions(window: MainWindow) -> None:
    """Add the Privacy submenu to `window.work_menu`; the actions are kept on the window."""
    menu = window.work_menu.addMenu(_("Privacy"))
    window.retention_action = QAction(_("Retention period: destroy case files…"), window)
    window.retention_action.triggered.connect(lambda: open_retention(window))
    window.rekey_action = QAction(_("Change the recovery key…"), window)
    window.rekey_action.triggered.connect(lambda: change_recovery_key(window))
    window.handover_action = QAction(_("Hand over to a successor…"), window)
    window.handover_action.triggered.connect(lambda: hand_over(window))
    menu.addAction(window.retention_action)
    menu.addSeparator()
    menu.addAction(window.rekey_action)
    menu.addAction(window.handover_action)


def open_retention(window: MainWindow) -> None:
    if window.session is None:
        return
    from ui.dialogs.retention import RetentionDialog

    RetentionDialog(window).exec()
    if window.session is not None:
        window.refresh()


def change_recovery_key(window: MainWindow) -> None:
    if window.session is None:
        return
    from ui.wizards.rekey import RekeyWizard

    RekeyWizard(window).exec()


def hand_over(window: MainWindow) -> None:
    if window.session is None:
        return
    from ui.dialogs.handover import HandoverDialog

    HandoverDialog(window).exec()
    if window.session is not None:
        window.refresh()
