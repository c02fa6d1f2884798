"""The benchmark runner works (QUALITY.md: "CI runs a small version to prove they work").

Runs `python -m tests.benchmarks --quick` as CI would and checks the result file: every figure
P1-P9 is there, measured (P9 may be skipped: it needs `--with-build`), with a value, a bar and a
pass/fail. Whether a bar is met is NOT asserted: timings on a shared machine are noisy, and
the figures come from the full run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIGURES = [f"P{n}" for n in range(1, 10)]


def test_quick_benchmark_run_writes_every_figure(tmp_path: Path) -> None:
    out = tmp_path / "results" / "benchmark-results.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("VERTROUWD_")}
    env.update(QT_QPA_PLATFORM="offscreen", TMPDIR=str(tmp_path), PYTHONDONTWRITEBYTECODE="1")
    proc = subprocess.run(
        [sys.executable, "-m", "tests.benchmarks", "--quick", "--out", str(out)],
        cwd=str(ROOT), env=env, capture_output=True, text=True, timeout=360,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-5000:]
    assert "Traceback" not in proc.stdout
    result = json.loads(out.read_text(encoding="utf-8"))
    figures = result["figures"]
    assert sorted(figures) == FIGURES
    assert result["quick"] is True and result["crashed"] is False
    for figure in FIGURES:
        entry = figures[figure]
        if figure == "P9" and entry["status"] == "skipped":
            assert "--with-build" in entry["reason"]
            continue
        assert entry["status"] == "measured", (figure, entry)
        assert entry["rows"], figure
        for row in entry["rows"]:
            assert row["figure"] == figure
            assert isinstance(row["value"], int | float) and row["value"] > 0, row
            assert row["bar"] > 0 and row["bar_kind"] in ("ratio", "max"), row
            assert isinstance(row["pass"], bool)
            if row["bar_kind"] == "ratio":
                assert row["floor"] and row["ratio"], row
    # One table on standard output, with every figure in it.
    table = proc.stdout.split("written:")[0]
    assert table.splitlines()[0].split()[:2] == ["figure", "what"]
    for figure in FIGURES:
        assert f"\n{figure} " in table, figure
