"""Issue 12, item 3, window side: a window whose store is replaced or re-keyed under it locks
itself and says so, and never advises restoring a backup for that."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from app.config import load_config, save_config
from app.instance_lock import acquire
from app.security.keys import MemoryProvider, generate_recovery_key, key_check
from app.security.vault import create_store
from app.store.db import StoreError
from app.store.settings import Settings
from ui.errors import install_store_error_hook
from ui.instance import watch_instance
from ui.main_window import MainWindow


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    texts: list[str] = []
    for kind in ("warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(lambda *a, **k: texts.append(a[2])))
    return texts


def open_window(qtbot, data: Path):  # type: ignore[no-untyped-def]
    key = generate_recovery_key()
    provider = MemoryProvider()
    session = create_store(data, Settings(school="De Linde"), key, key_mode="ask",
                           provider=provider)
    install_store_error_hook(data)
    window = MainWindow(session, provider)
    qtbot.addWidget(window)
    instance = acquire(data)
    watch = watch_instance(window, instance)
    window.show()
    return window, watch, key, instance


def test_store_replaced_under_the_window(qtbot, tmp_path: Path, shown: list[str]) -> None:
    data = tmp_path / "data"
    window, watch, _key, instance = open_window(qtbot, data)
    watch.tick()
    assert not window.is_locked and not shown
    store = data / "vertrouwd.db"
    shutil.copyfile(store, tmp_path / "copy.db")
    os.replace(tmp_path / "copy.db", store)  # what a restore by another program does
    watch.tick()
    assert window.is_locked
    assert len(shown) == 1 and "vervangen" in shown[0] and "back-up" not in shown[0]
    instance.release()
    window.close()


def test_rekeyed_under_the_window_goes_through_the_error_hook(
    qtbot, tmp_path: Path, shown: list[str]
) -> None:
    import sys

    data = tmp_path / "data"
    window, _watch, _key, instance = open_window(qtbot, data)
    config = load_config(data)
    assert config is not None
    config.key_check = key_check(generate_recovery_key(), config.store_id)
    save_config(data, config)  # another program gave the store a new key
    sys.excepthook(StoreError, StoreError("damaged"), None)
    assert window.is_locked
    assert shown and "nieuwe sleutel" in shown[-1]
    assert not any("Zet de meest recente back-up terug" in text for text in shown)
    instance.release()
    window.close()


def test_a_second_start_brings_the_first_forward(qtbot, tmp_path: Path,
                                                 shown: list[str]) -> None:
    from app.instance_lock import request_raise

    data = tmp_path / "data"
    window, watch, _key, instance = open_window(qtbot, data)
    window.showMinimized()
    request_raise(data)
    watch.tick()
    assert not window.isMinimized()
    assert not (data / "vertrouwd.lock.raise").exists()
    instance.release()
    window.close()
