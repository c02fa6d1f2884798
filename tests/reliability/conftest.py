"""Fault-suite sizes: CI sizes by default (QUALITY.md), the full sizes with `--full-faults`
or VERTROUWD_FULL_FAULTS=1.

pytest reads this option only when tests/reliability is named on the command line
(`pytest tests/reliability --full-faults`); from anywhere else use the environment variable.
"""

from __future__ import annotations

import os

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--full-faults",
        action="store_true",
        default=False,
        help="run the fault tests at their full QUALITY.md sizes (e.g. R1: 200 kills)",
    )


@pytest.fixture(scope="session")
def full_faults(request: pytest.FixtureRequest) -> bool:
    """True for the full fault sizes (option or VERTROUWD_FULL_FAULTS=1)."""
    option = bool(request.config.getoption("--full-faults", default=False))
    return option or os.environ.get("VERTROUWD_FULL_FAULTS", "") not in ("", "0")
