"""Log-off, shut-down and a closed console window: the intake being typed is saved as a draft
and the store is closed, before Windows ends the program (ui/session_end.py)."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from app.security.keys import MemoryProvider, generate_recovery_key
from app.security.vault import create_store, unlock
from app.services.drafts import load_draft
from app.store.settings import Settings
from ui import session_end
from ui.main_window import MainWindow
from ui.wizards.intake import DRAFT_KIND, IntakeWizard


@pytest.fixture
def provider() -> MemoryProvider:
    return MemoryProvider()


@pytest.fixture
def window(qtbot: Any, tmp_path: Path, provider: MemoryProvider) -> Iterator[MainWindow]:
    session = create_store(tmp_path / "data", Settings(school="Testschool"),
                           generate_recovery_key(), key_mode="keyring", provider=provider)
    win = MainWindow(session, provider)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    if win.session is not None:
        win.close()


def _typing_an_intake(qtbot: Any, window: MainWindow) -> IntakeWizard:
    wizard = IntakeWizard(window)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.pupil_page.name.setText("Lotte")
    wizard.next()
    wizard.confidentiality_page.tick.setChecked(True)
    wizard.next()
    wizard.story_page.story.set_text("Ruzie thuis.")
    return wizard


def _draft_after_unlock(window: MainWindow, provider: MemoryProvider) -> Any:
    window.unlocked_with(unlock(window.data_dir, provider))
    assert window.session is not None
    return load_draft(window.session.store, DRAFT_KIND)


def test_closing_the_console_saves_the_draft_from_the_handler_thread(
    qtbot: Any, qapp: QApplication, window: MainWindow, provider: MemoryProvider
) -> None:
    wizard = _typing_an_intake(qtbot, window)
    bridge = session_end.install(qapp, window.lock)
    handler = session_end.console_handler(bridge)
    answers: list[int] = []
    worker = threading.Thread(target=lambda: answers.append(
        handler(session_end.CTRL_CLOSE_EVENT)))
    worker.start()
    qtbot.waitUntil(lambda: bool(answers), timeout=5000)  # the window thread does the saving
    worker.join(timeout=5)
    assert answers == [1] and window.session is None and not wizard.isVisible()
    draft = _draft_after_unlock(window, provider)
    assert draft is not None and draft["story"] == "Ruzie thuis."


def test_ctrl_c_is_left_to_the_default_handling(
    qapp: QApplication, window: MainWindow
) -> None:
    bridge = session_end.install(qapp, window.lock)
    assert session_end.console_handler(bridge)(0) == 0  # CTRL_C_EVENT
    assert window.session is not None


def test_log_off_locks_through_commit_data_request(
    qtbot: Any, qapp: QApplication, window: MainWindow, provider: MemoryProvider
) -> None:
    _typing_an_intake(qtbot, window)
    meta = qapp.metaObject()
    signal = meta.method(meta.indexOfSignal("commitDataRequest(QSessionManager&)"))
    bridge = session_end.install(qapp, window.lock)
    assert qapp.isSignalConnected(signal)
    bridge.on_commit_data(None)  # what the signal calls on WM_QUERYENDSESSION
    assert window.session is None
    draft = _draft_after_unlock(window, provider)
    assert draft is not None and draft["name"] == "Lotte"


def test_on_windows_the_console_handler_is_registered(
    qapp: QApplication, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    registered: list[Any] = []
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(session_end, "_install_console_handler",
                        lambda handler: registered.append(handler) or handler)
    session_end.install(qapp, window.lock)
    assert len(registered) == 1
    assert registered[0](session_end.CTRL_LOGOFF_EVENT) == 1 and window.session is None
