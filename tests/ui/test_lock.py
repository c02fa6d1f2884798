"""R10: the inactivity lock with a fake clock, Ctrl+L, the cover, and unlocking (key or PIN)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog

from app import journal
from app.security.keys import SECURE_BACKENDS, KeyringProvider, generate_recovery_key
from app.security.vault import create_store, unlock
from app.store.settings import Settings, load_settings, save_settings
from ui.lock import UnlockDialog
from ui.main_window import MainWindow


class StepClock:
    """A callable clock for the window: stands still until the test moves it."""

    def __init__(self) -> None:
        self.moment = datetime(2026, 3, 2, 9, 0, 0)

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, **delta: float) -> None:
        self.moment += timedelta(**delta)


@pytest.fixture(autouse=True)
def boxes(message_boxes: Any) -> Any:
    """Every message box recorded; an unexpected error or warning fails the test."""
    return message_boxes


@pytest.fixture
def provider(memory_keyring) -> KeyringProvider:
    return KeyringProvider(trusted=SECURE_BACKENDS | {memory_keyring.name})


def _store(data_dir: Path, provider, *, pin: str | None = None, minutes: int = 5):
    key = generate_recovery_key()
    session = create_store(data_dir, Settings(school="Lock School"), key, key_mode="keyring",
                           provider=provider, pin=pin)
    settings = load_settings(session.store)
    settings.lock_minutes = minutes
    save_settings(session.store, settings)
    return session, key


@pytest.fixture
def window(qtbot, tmp_path: Path, provider):
    session, key = _store(tmp_path / "data", provider)
    clock = StepClock()
    win = MainWindow(session, provider, now=clock)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.test_clock = clock  # type: ignore[attr-defined]
    win.test_key = key  # type: ignore[attr-defined]
    win.test_session = session  # type: ignore[attr-defined]
    yield win
    win.close()


def _assert_locked(win: MainWindow, session) -> None:
    assert win.is_locked
    assert win.session is None
    assert session.store.conn is None  # the connection is closed
    assert session.key is None  # the key is dropped
    assert win.stack.currentWidget() is win.cover
    assert not win.tabs.isVisible()


def test_lock_after_the_timeout(window: MainWindow) -> None:
    clock, session = window.test_clock, window.test_session
    assert not window.is_locked
    assert window.stack.currentWidget() is window.tabs
    clock.advance(minutes=4, seconds=59)
    window.lock_controller.check()
    assert not window.is_locked
    assert session.store.conn is not None
    clock.advance(seconds=2)
    window.lock_controller.check()
    _assert_locked(window, session)


def test_input_resets_the_idle_time(window: MainWindow, qtbot) -> None:
    clock, session = window.test_clock, window.test_session
    clock.advance(minutes=4)
    QTest.keyClick(window.tabs, Qt.Key.Key_Shift)
    clock.advance(minutes=4)  # 8 minutes since start, 4 since the key press
    window.lock_controller.check()
    assert not window.is_locked
    QTest.mouseMove(window.tabs)
    QTest.mouseClick(window.tabs, Qt.MouseButton.LeftButton)
    clock.advance(minutes=4, seconds=30)
    window.lock_controller.check()
    assert not window.is_locked
    clock.advance(minutes=1)
    window.lock_controller.check()
    _assert_locked(window, session)


def test_ctrl_l_locks_at_once(window: MainWindow, qtbot) -> None:
    session = window.test_session
    window.activateWindow()
    assert window.lock_action.shortcut().toString() == "Ctrl+L"
    QTest.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    _assert_locked(window, session)


def test_lock_action_locks_and_journal_records_it(window: MainWindow, provider) -> None:
    session = window.test_session
    window.lock_action.trigger()
    _assert_locked(window, session)
    window.lock()  # locking twice is harmless
    again = unlock(window.data_dir, provider)
    try:
        events = [event for _at, event, _d in journal.entries(again.store)]
        assert "locked" in events
        assert journal.verify(again.store) == []
    finally:
        again.lock()


def test_unlock_restores_the_tabs(window: MainWindow, provider) -> None:
    clock, session = window.test_clock, window.test_session
    window.lock_action.trigger()
    _assert_locked(window, session)
    assert not window.lock_controller.active
    new_session = unlock(window.data_dir, provider, window.test_key)
    assert window.unlocked_with(new_session)
    assert not window.is_locked
    assert window.session is new_session
    assert window.stack.currentWidget() is window.tabs
    assert window.menuBar().isEnabled() and window.toolbar.isEnabled()
    assert "Lock School" in window.windowTitle()
    # The idle time starts again from the unlock.
    clock.advance(minutes=4)
    window.lock_controller.check()
    assert not window.is_locked
    clock.advance(minutes=2)
    window.lock_controller.check()
    _assert_locked(window, new_session)


def test_open_dialog_is_closed_when_locking(window: MainWindow, qtbot) -> None:
    dialog = QDialog(window)
    dialog.setWindowTitle("Gesprek met leerling")
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.isVisible()
    window.test_clock.advance(minutes=6)
    window.lock_controller.check()
    assert window.is_locked
    assert not dialog.isVisible()
    assert dialog.result() == QDialog.DialogCode.Rejected


def test_pin_unlock(qtbot, tmp_path: Path, provider) -> None:
    data_dir = tmp_path / "data"
    session, key = _store(data_dir, provider, pin="4711")
    clock = StepClock()
    win = MainWindow(session, provider, now=clock)
    qtbot.addWidget(win)
    win.show()
    win.lock_action.trigger()
    _assert_locked(win, session)

    dialog = UnlockDialog(data_dir, provider, "locked_by_user", pin_only=True, parent=win)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.pin_only
    dialog.entry.setText("0000")
    dialog.try_unlock()
    assert dialog.session is None
    assert dialog.error.isVisibleTo(dialog) and dialog.error.text()
    assert dialog.isVisible()
    assert dialog.result() != QDialog.DialogCode.Accepted
    dialog.entry.setText(key)  # the recovery key is not the PIN either
    dialog.try_unlock()
    assert dialog.session is None
    dialog.entry.setText("4711")
    dialog.try_unlock()
    assert dialog.session is not None
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert win.unlocked_with(dialog.session)
    assert not win.is_locked
    win.close()


def test_pin_with_an_emptied_keyring_asks_for_the_key(qtbot, tmp_path: Path, provider,
                                                       memory_keyring) -> None:
    data_dir = tmp_path / "data"
    session, key = _store(data_dir, provider, pin="4711")
    session.lock()
    memory_keyring.backend.store.clear()
    dialog = UnlockDialog(data_dir, provider, "locked_by_user", pin_only=True)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.entry.setText("4711")
    dialog.try_unlock()
    assert dialog.session is None
    assert not dialog.pin_only  # now it wants the recovery key
    assert dialog.reason == "keyring_empty"
    dialog.entry.setText(key.lower())
    dialog.try_unlock()
    assert dialog.session is not None
    dialog.session.lock()
    assert list(memory_keyring.backend.store.values()) == [key]


def test_key_dialog_refuses_wrong_and_malformed_keys(qtbot, tmp_path: Path, provider) -> None:
    data_dir = tmp_path / "data"
    session, key = _store(data_dir, provider)
    session.lock()
    dialog = UnlockDialog(data_dir, provider, "ask")
    qtbot.addWidget(dialog)
    dialog.show()
    for typed in ("not a key", generate_recovery_key()):
        dialog.entry.setText(typed)
        dialog.try_unlock()
        assert dialog.session is None
        assert dialog.error.isVisibleTo(dialog)
    dialog.entry.setText(key)
    dialog.try_unlock()
    assert dialog.session is not None
    dialog.session.lock()
