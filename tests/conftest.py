"""Shared test set-up: Qt offscreen, no real keyring, nothing written outside tmp_path."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("VERTROUWD_LANG", "nl")
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.tools.memory_keyring import MemoryKeyring  # noqa: E402

TEST_KEY = "TESTK-EYTES-TKEYT-ESTKE-YTEST-KEYTE"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--full-faults",
        action="store_true",
        default=False,
        help="run the fault tests at their full QUALITY.md sizes (e.g. R1: 200 kills)",
    )


@pytest.fixture
def memory_keyring(monkeypatch: pytest.MonkeyPatch) -> MemoryKeyring:
    """The real keyring API pointed at an in-memory backend that the provider trusts."""
    import keyring

    import app.cli
    from app.security.keys import SECURE_BACKENDS, KeyringProvider

    ring = MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(ring.backend)
    trusted = SECURE_BACKENDS | {ring.name}
    monkeypatch.setattr(app.cli, "PROVIDER_FACTORY", lambda: KeyringProvider(trusted=trusted))
    yield ring
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def _isolate_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep every default folder (data, config) of the program in the test's temp area."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.delenv("VERTROUWD_HOME", raising=False)


@pytest.fixture
def message_boxes(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """QMessageBox dialogs recorded; an error or warning no test took fails the test
    (tests/tools/message_boxes.py)."""
    from tests.tools.message_boxes import MessageBoxes

    boxes = MessageBoxes(monkeypatch)
    yield boxes
    boxes.check()

