"""The window's side of "one program at a time per store" (app/instance_lock.py, issue 12).

`watch_instance` keeps the lock file fresh, brings the window forward when a second start
asked for it, and locks the window when its store was replaced or re-keyed by someone else
while it was open — with its own message, never the advice to restore a backup.
`show_already_open` is what a second start shows before it exits.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox, QWidget

from app.i18n import _
from app.instance_lock import REFRESH_SECONDS, InstanceLock
from ui.errors import StoreErrorHook


def replaced_message() -> str:
    return _(
        "The data file was replaced or given a new key by another program while Vertrouwd "
        "was open. Vertrouwd has locked itself: unlock it to go on with the data file as it "
        "is now. Nothing you saved has been lost."
    )


def bring_forward(window: QWidget) -> None:
    """Bring `window` to the front as far as the platform allows (Windows may only flash
    its taskbar button)."""
    if window.isMinimized():
        window.showNormal()
    window.show()
    window.raise_()
    window.activateWindow()


class InstanceWatch:
    """The timer and hooks of `watch_instance` (kept on the window as `instance_watch`)."""

    def __init__(self, window: Any, instance: InstanceLock | None) -> None:
        self.window = window
        self.instance = instance
        self.replaced_shown: list[str] = []
        self.timer = QTimer(window)
        self.timer.setInterval(int(REFRESH_SECONDS * 1000))
        self.timer.timeout.connect(self.tick)
        self.timer.start()
        hook = sys.excepthook
        if isinstance(hook, StoreErrorHook):
            hook.replaced_check = self.replaced
            hook.on_replaced = self.lock_replaced

    def replaced(self) -> bool:
        session = self.window.session
        return bool(session is not None and session.replaced())

    def lock_replaced(self, show: bool = True) -> None:
        text = replaced_message()
        self.replaced_shown.append(text)
        self.window.lock()
        if show:
            QMessageBox.warning(self.window, "Vertrouwd", text)

    def tick(self) -> None:
        if self.instance is not None:
            self.instance.refresh()
            if self.instance.raise_requested():
                bring_forward(self.window)
        if self.replaced():
            self.lock_replaced()


def watch_instance(window: Any, instance: InstanceLock | None) -> InstanceWatch:
    watch = InstanceWatch(window, instance)
    window.instance_watch = watch
    return watch


def show_already_open(message: str) -> None:
    """Say "Vertrouwd is al geopend" in a box that closes itself after a while (the first
    window is coming forward); at once under VERTROUWD_EXIT_AFTER_SHOW (tests)."""
    from ui.main import make_app

    make_app()
    box = QMessageBox(QMessageBox.Icon.Information, "Vertrouwd", message)
    delay = 0 if os.environ.get("VERTROUWD_EXIT_AFTER_SHOW") else 10_000
    QTimer.singleShot(delay, box.accept)
    box.exec()
