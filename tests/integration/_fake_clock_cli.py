"""`python -m tests.integration._fake_clock_cli ARGS`: the real `vertrouwd` command with the
system clock replaced by the moment in VERTROUWD_TEST_NOW (ISO), for the pruning tests."""

from __future__ import annotations

import os
from datetime import datetime

from app import clock
from app.cli import main

moment = datetime.fromisoformat(os.environ["VERTROUWD_TEST_NOW"])
clock.SystemClock.now = lambda self: moment  # type: ignore[method-assign]
clock.SystemClock.today = lambda self: moment.date()  # type: ignore[method-assign]
raise SystemExit(main())
