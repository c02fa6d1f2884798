"""A store problem in the middle of work is one clear Dutch message, never a traceback.

The classic case is a data folder on a USB stick that is pulled out while Vertrouwd is open
(packaging/PORTABLE.md): the next read or write fails with a `StoreError`. The views call the
services directly, so such an error surfaces in a Qt slot; Qt hands it to `sys.excepthook`.
`install_store_error_hook` puts a hook there that shows the reason's Dutch sentence (and, when
the data folder itself has gone, what to do about the stick) in a message box. Any other
exception goes to the hook that was there before. Only one message is shown at a time.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from app.i18n import _
from app.messages import reason_message
from app.store.db import StoreError

Hook = Callable[[type[BaseException], BaseException, TracebackType | None], object]


def store_problem_text(error: StoreError, data_dir: Path | None) -> str:
    """The sentence for `error`; when the data folder is gone, say so first."""
    text = reason_message(error.reason)
    if data_dir is not None and not data_dir.exists():
        return _(
            "The folder with the data file can no longer be reached: {folder}. Was the USB "
            "stick removed, or the network drive disconnected? Put it back, then lock "
            "Vertrouwd (Ctrl+L) and unlock it again. What you saved before is safe in the "
            "data file; the last change may not have been saved."
        ).format(folder=data_dir)
    return text


class StoreErrorHook:
    """`sys.excepthook` replacement (see the module doc); `shown` records the messages."""

    def __init__(self, data_dir: Path | None, previous: Hook | None = None) -> None:
        self.data_dir = data_dir
        self.previous: Hook = previous or sys.__excepthook__
        self.busy = False
        self.shown: list[str] = []
        # Set by ui/instance.py: was the store replaced or re-keyed under the window? Then
        # that is said (and the window locked) instead of "damaged, restore a backup".
        self.replaced_check: Callable[[], bool] | None = None
        self.on_replaced: Callable[[bool], None] | None = None

    def __call__(self, kind: type[BaseException], value: BaseException,
                 traceback: TracebackType | None) -> None:
        if not isinstance(value, StoreError):
            self.previous(kind, value, traceback)
            return
        if self.replaced_check is not None and self.on_replaced is not None:
            try:
                replaced = self.replaced_check()
            except Exception:
                replaced = False
            if replaced:
                self.on_replaced(not self.busy)
                return
        text = store_problem_text(value, self.data_dir)
        self.shown.append(text)
        if self.busy:
            return
        self.busy = True
        try:
            from PySide6.QtWidgets import QApplication, QMessageBox

            if QApplication.instance() is not None:
                QMessageBox.warning(QApplication.activeWindow(), "Vertrouwd", text)
            else:
                print(text, file=sys.stderr)
        finally:
            self.busy = False


def install_store_error_hook(data_dir: Path | None) -> StoreErrorHook:
    """Show store errors that reach the event loop as a message (see the module doc)."""
    current = sys.excepthook
    if isinstance(current, StoreErrorHook):
        current.data_dir = data_dir
        return current
    hook = StoreErrorHook(data_dir, current)
    sys.excepthook = hook
    return hook
