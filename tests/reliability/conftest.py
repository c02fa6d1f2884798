"""Fault-suite sizes: CI sizes by default (QUALITY.md), the full sizes with `--full-faults`
or VERTROUWD_FULL_FAULTS=1.

The option itself is registered in tests/conftest.py, so `pytest --full-faults` works from the
project root too.
"""

from __future__ import annotations

import os

import pytest


@pytest.fixture(scope="session")
def full_faults(request: pytest.FixtureRequest) -> bool:
    """True for the full fault sizes (option or VERTROUWD_FULL_FAULTS=1)."""
    option = bool(request.config.getoption("--full-faults", default=False))
    return option or os.environ.get("VERTROUWD_FULL_FAULTS", "") not in ("", "0")
