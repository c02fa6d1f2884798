"""The windowed executable has no console: a user error it prints is shown in a message box
instead of vanishing (packaging/vertrouwd_entry.py)."""

from __future__ import annotations

import ctypes
import importlib.util
import sys
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest

ENTRY = Path(__file__).resolve().parents[2] / "packaging" / "vertrouwd_entry.py"


def _entry() -> ModuleType:
    spec = importlib.util.spec_from_file_location("vertrouwd_entry_under_test", ENTRY)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_windowed_error_text_reaches_a_message_box(monkeypatch: pytest.MonkeyPatch) -> None:
    entry = _entry()
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    collected = entry._ensure_streams()
    assert collected is not None and sys.stdout is not None
    print("Er is hier geen standaardinvoer.", file=sys.stderr)
    shown: list[tuple[Any, ...]] = []
    fake = SimpleNamespace(user32=SimpleNamespace(MessageBoxW=lambda *a: shown.append(a)))
    monkeypatch.setattr(ctypes, "windll", fake, raising=False)
    monkeypatch.setattr(sys, "platform", "win32")
    entry._show_collected(collected)
    assert shown == [(None, "Er is hier geen standaardinvoer.", "Vertrouwd", 0x10)]


def test_with_a_console_nothing_is_collected_or_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    entry = _entry()
    assert entry._ensure_streams() is None
    monkeypatch.setattr(sys, "platform", "win32")
    entry._show_collected(None)  # would fail on Linux if it tried ctypes.windll
