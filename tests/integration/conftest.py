"""Integration fixtures: a real SQLCipher store file in tmp_path, and a fixed clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from app.clock import FixedClock
from app.store.db import Store

TEST_KEY = "TESTK-EYTES-TKEYT-ESTKE-YTEST-KEYTE"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A new, empty encrypted store at the current schema version."""
    opened = Store.open(tmp_path / "t.db", TEST_KEY, create=True)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def clock() -> FixedClock:
    """Thursday 15 October 2026, 10:00 (a school day in region zuid)."""
    return FixedClock(datetime(2026, 10, 15, 10, 0))
