"""Nothing typed is lost when Windows ends the program: log-off, shut-down, a closed console.

- Log-off and shut-down: Qt turns WM_QUERYENDSESSION into `commitDataRequest`; the window then
  locks, which saves every open draft (encrypted, in the store) and closes the store cleanly.
- `vertrouwd.exe` runs with a console window; closing that window with its X (or a log-off
  while it runs) sends CTRL_CLOSE_EVENT / CTRL_LOGOFF_EVENT / CTRL_SHUTDOWN_EVENT to a handler
  on another thread, with about five seconds before Windows ends the process. The handler asks
  the window's thread to lock (blocking until done) and then lets Windows go on.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

CTRL_CLOSE_EVENT, CTRL_LOGOFF_EVENT, CTRL_SHUTDOWN_EVENT = 2, 5, 6
ENDING_EVENTS = frozenset({CTRL_CLOSE_EVENT, CTRL_LOGOFF_EVENT, CTRL_SHUTDOWN_EVENT})


class _Bridge(QObject):
    """Runs `save` on the window's thread when asked from any thread, and waits for it."""

    asked = Signal()

    def __init__(self, save: Callable[[], None]) -> None:
        super().__init__()
        self._save = save
        self.asked.connect(self._run, Qt.ConnectionType.BlockingQueuedConnection)

    def _run(self) -> None:
        self._save()

    def on_commit_data(self, _manager: object) -> None:
        """`commitDataRequest`: Windows is logging off or shutting down."""
        self._save()

    def save_from_any_thread(self) -> None:
        from PySide6.QtCore import QThread

        if QThread.currentThread() is self.thread():
            self._save()
        else:
            self.asked.emit()


def console_handler(bridge: _Bridge) -> Callable[[int], int]:
    """The console control handler: save on the ending events, leave others (Ctrl+C) alone."""

    def handle(event: int) -> int:
        if event not in ENDING_EVENTS:
            return 0
        try:
            bridge.save_from_any_thread()
        except Exception:
            pass
        return 1

    return handle


def _install_console_handler(handler: Callable[[int], int]) -> Any:
    import ctypes

    routine = ctypes.WINFUNCTYPE(ctypes.c_int, ctypes.c_uint)(handler)  # type: ignore[attr-defined]
    ctypes.windll.kernel32.SetConsoleCtrlHandler(routine, True)  # type: ignore[attr-defined]
    return routine


def install(app: Any, lock: Callable[[], None]) -> _Bridge:
    """Save and lock on log-off, shut-down and a closed console. Keep the returned object."""
    bridge = _Bridge(lock)
    app.commitDataRequest.connect(bridge.on_commit_data)
    if sys.platform == "win32":
        bridge.routine = _install_console_handler(console_handler(bridge))  # type: ignore[attr-defined]
    return bridge
