"""A store problem during work (the USB stick pulled out) is one clear Dutch message in the
window, not a traceback (ui/errors.py, packaging/PORTABLE.md)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox

from app.messages import reason_message
from app.security.keys import MemoryProvider, generate_recovery_key
from app.security.vault import Session, create_store
from app.store.db import StoreError
from app.store.settings import Settings
from ui.errors import StoreErrorHook, install_store_error_hook, store_problem_text
from ui.main_window import MainWindow
from ui.views.activities import ActivityDialog


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Message boxes record their text instead of waiting for a click."""
    texts: list[str] = []

    def record(*args: object, **_kwargs: object) -> QMessageBox.StandardButton:
        texts.append(str(args[2]) if len(args) > 2 else "")
        return QMessageBox.StandardButton.Ok

    for kind in ("warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(record))
    return texts


@pytest.fixture
def hook(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> StoreErrorHook:
    """Our hook in front of whatever is there (pytest-qt's), restored after the test."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    data_dir = tmp_path / "stick" / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    return install_store_error_hook(data_dir)


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    opened = create_store(tmp_path / "stick" / "data", Settings(school="Stickschool"),
                          generate_recovery_key(), key_mode="ask", provider=MemoryProvider())
    yield opened
    if opened.store.conn is not None:
        opened.lock()


def test_the_sentence_for_a_reason_and_for_a_folder_that_is_gone(tmp_path: Path) -> None:
    assert store_problem_text(StoreError("disk_full"), tmp_path) == reason_message("disk_full")
    gone = tmp_path / "E" / "Vertrouwd"
    text = store_problem_text(StoreError("io", "OperationalError"), gone)
    assert str(gone) in text
    assert "USB-stick" in text and "Ctrl+L" in text
    assert "OperationalError" not in text


def test_other_errors_go_to_the_previous_hook(hook: StoreErrorHook, shown: list[str]) -> None:
    seen: list[BaseException] = []
    hook.previous = lambda kind, value, tb: seen.append(value)
    error = ValueError("not a store problem")
    sys.excepthook(ValueError, error, None)
    assert seen == [error]
    assert shown == []
    assert install_store_error_hook(None) is hook, "installed once"


def test_a_store_error_in_a_slot_is_a_message(
    qtbot: Any, hook: StoreErrorHook, shown: list[str]
) -> None:
    def fail() -> None:
        raise StoreError("disk_full", "OperationalError")

    QTimer.singleShot(0, fail)
    qtbot.waitUntil(lambda: bool(shown))
    assert shown == [reason_message("disk_full")]


def test_saving_after_the_stick_is_pulled_out(
    qtbot: Any, tmp_path: Path, session: Session, hook: StoreErrorHook, shown: list[str]
) -> None:
    window = MainWindow(session, MemoryProvider())
    qtbot.addWidget(window)
    window.show()
    dialog = ActivityDialog(session.store, window.now, None, window)
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(1)
    dialog.on_date.set_date(date.today())
    dialog.text.setPlainText("klassenbezoek 2B")
    stick = tmp_path / "stick"
    os.rename(stick, tmp_path / "stick-pulled")
    try:
        dialog.save_button.click()
        qtbot.waitUntil(lambda: bool(shown))
    finally:
        os.rename(tmp_path / "stick-pulled", stick)
    assert len(shown) == 1
    assert "niet meer bereikbaar" in shown[0] and str(stick / "data") in shown[0]
    assert dialog.saved is None
    window.close()
