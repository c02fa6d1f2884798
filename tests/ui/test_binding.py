"""The installed Qt binding is one the program can live with.

PySide6 6.12.0 on Python 3.11 drops a reference to None on every call of a Qt method that
returns nothing; after some thousands of calls the process aborts ("none_dealloc").
pyproject.toml excludes it; this test fails loudly if such a build gets installed anyway.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject


def test_qt_calls_do_not_leak_references_to_none() -> None:
    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(200):
        probe.setObjectName("probe")
    assert sys.getrefcount(None) >= before - 5
