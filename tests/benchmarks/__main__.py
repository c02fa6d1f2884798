"""The benchmark runner: every speed and size figure of QUALITY.md (P1-P9) in one run.

    python -m tests.benchmarks [--quick] [--out FILE.json|DIR] [--scale S] [--with-build]
                               [--only P1,P8,...]

Runs each benchmark script of this folder in its own process (so that one figure's memory and
imports do not colour the next), with `--quick` when given: `bench_startup` (P1),
`bench_casework` (P2, P3, P4, P7), `bench_report` (P5), `bench_backup` (P6). Each script
measures its figure against its floor in the same run (a bare PySide6 window, plain SQLite with
the same schema and queries, a plain file copy + `integrity_check`). The runner adds:

- P8: peak RSS of the GUI open on the stress store (the main window shown offscreen, every
  fixed tab shown and drawn once), against a bare PySide6 window measured the same way;
- P9: the PyInstaller one-folder build: its size, and its start to the unlocked dashboard
  against the same start from source. Only with `--with-build` (a build takes minutes);
  otherwise reported as skipped.

The stress store for P8 is built with the demo generator (`app.services.demo.generate`,
seeded; the scale is printed), in a temporary folder that is removed afterwards.

Prints ONE table (figure, value, floor, ratio, bar, pass/fail) on standard output (progress
goes to standard error) and writes `benchmark-results.json` in the current folder, or at
`--out` (a file, or a folder to put it in). The file is in .gitignore: never commit it.
Exit code 0 whether or not a bar is met (CI does not fail on a ratio); 1 only when a benchmark
crashed (no result), 2 for bad usage.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
FIGURES = ("P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8", "P9")
RESULT_NAME = "benchmark-results.json"
KEY = "BENCH-RSSBE-NCHRS-SBENC-HRSSB-ENCHR"
TODAY = date(2026, 6, 1)
P8_BAR_MB = 300.0
P9_SIZE_BAR_MB = 300.0
P9_START_BAR = 1.3


@dataclass
class Row:
    """One line of the table: a figure against its floor and its bar."""

    figure: str
    what: str
    value: float
    unit: str
    floor: float | None
    bar: float
    bar_kind: str  # "ratio": ratio <= bar; "max": value <= bar (in `unit`)
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.floor is None or self.floor <= 0:
            return None
        return self.value / self.floor

    @property
    def passed(self) -> bool:
        if self.bar_kind == "ratio":
            return self.ratio is not None and self.ratio <= self.bar
        return self.value <= self.bar

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["ratio"] = None if self.ratio is None else round(self.ratio, 3)
        data["pass"] = self.passed
        data["value"] = round(self.value, 4)
        data["floor"] = None if self.floor is None else round(self.floor, 4)
        return data


@dataclass
class Bench:
    script: str
    figures: tuple[str, ...]
    takes_scale: bool


BENCHES = (
    Bench("bench_startup.py", ("P1",), False),
    Bench("bench_casework.py", ("P2", "P3", "P4", "P7"), True),
    Bench("bench_report.py", ("P5",), True),
    Bench("bench_backup.py", ("P6",), True),
)


class Crash(Exception):
    """A benchmark ended without a result."""


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# -- the benchmark scripts -------------------------------------------------------------------
def run_script(bench: Bench, args: argparse.Namespace, work: Path) -> tuple[dict[str, Any], str]:
    """Run one script in its own process; its JSON result and its printed output."""
    out = work / (Path(bench.script).stem + ".json")
    out.unlink(missing_ok=True)
    command = [sys.executable, str(HERE / bench.script), "--out", str(out)]
    if args.quick:
        command.append("--quick")
    if bench.takes_scale and args.scale is not None:
        command += ["--scale", str(args.scale)]
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    try:
        proc = subprocess.run(
            command, cwd=str(ROOT), env=env, capture_output=True, text=True,
            encoding="utf-8", errors="replace", stdin=subprocess.DEVNULL,
            timeout=args.timeout,
        )
    except subprocess.TimeoutExpired:
        raise Crash(f"{bench.script}: no result within {args.timeout:.0f} s") from None
    output = proc.stdout + proc.stderr
    # The scripts exit 1 when their bar is not met; only a missing result is a crash.
    if not out.is_file():
        raise Crash(f"{bench.script} ended with {proc.returncode} and no result:\n"
                    f"{output[-3000:]}")
    try:
        return json.loads(out.read_text(encoding="utf-8")), output
    except ValueError as error:
        raise Crash(f"{bench.script}: unreadable result ({error})") from None


def _get(data: dict[str, Any], *path: str) -> Any:
    value: Any = data
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


def _need(data: dict[str, Any], *path: str) -> float:
    value = _get(data, *path)
    if not isinstance(value, int | float):
        raise Crash(f"result has no number at {'.'.join(path)}")
    return float(value)


def _scale(text: object) -> str:
    """`stress x0.03` from a script's description of its store ("... scale=0.03)")."""
    found = re.search(r"scale=([0-9.]+)", str(text))
    return f"stress x{found.group(1)}" if found else "stress"


def rows_startup(data: dict[str, Any]) -> dict[str, list[Row]]:
    return {"P1": [Row("P1", "start to unlocked dashboard, school store",
                       _need(data, "vertrouwd_start_s"), "s", _need(data, "bare_window_s"),
                       3.0, "ratio", "floor: bare PySide6 window")]}


def rows_casework(data: dict[str, Any]) -> dict[str, list[Row]]:
    size = f"stress x{data.get('scale')}"
    p3_floor = _get(data, "P3_search", "plain", "p95_ms")
    return {
        "P2": [Row("P2", f"save one intake, p95 ({size})", _need(data, "P2_intake", "p95_ms"),
                   "ms", _get(data, "P2_intake", "plain", "p95_ms"), 10.0, "max",
                   "floor: the same save in plain SQLite")],
        "P3": [Row("P3", f"full-text search, p95 ({size})", _need(data, "P3_search", "p95_ms"),
                   "ms", p3_floor, 30.0, "max",
                   "floor: plain SQLite" if p3_floor is not None
                   else "no plain floor in bench_casework (see P7)")],
        "P4": [Row("P4", f"all dashboard queries, p95 ({size})",
                   _need(data, "P4_dashboard", "p95_ms"), "ms",
                   _get(data, "P4_dashboard", "plain", "p95_ms"), 30.0, "max",
                   "floor: plain SQLite")],
        "P7": [Row("P7", f"app's read mix, encrypted vs plain ({size})",
                   _need(data, "P7_read_mix", "encrypted_median_ms"), "ms",
                   _need(data, "P7_read_mix", "plain_median_ms"), 1.5, "ratio",
                   "floor: same schema and queries in plain SQLite")],
    }


def rows_report(data: dict[str, Any]) -> dict[str, list[Row]]:
    floor = _need(data, "floor_count_s") * 1000
    year = data.get("school_year", "?")
    size = _scale(_get(data, "store", "generator"))
    pdf = max(_need(data, "figures_pdf_cold_s"), _need(data, "figures_pdf_warm_s"))
    return {"P5": [
        Row("P5", f"annual figures, busiest year {year} ({size})",
            _need(data, "figures_s") * 1000, "ms", floor, 100.0, "max",
            "floor: count of that year's conversations"),
        Row("P5", f"figures + PDF with charts, worst of cold/warm ({size})", pdf * 1000, "ms",
            floor, 1500.0, "max", "floor: count of that year's conversations"),
    ]}


def rows_backup(data: dict[str, Any]) -> dict[str, list[Row]]:
    size = _scale(_get(data, "store", "filled_by"))
    return {"P6": [Row("P6", f"backup with verification ({size})",
                       _need(data, "backup_verified_s"), "s",
                       _need(data, "floor_copy_integrity_s"), 3.0, "ratio",
                       "floor: plain copy + integrity_check")]}


READERS = {
    "bench_startup.py": rows_startup,
    "bench_casework.py": rows_casework,
    "bench_report.py": rows_report,
    "bench_backup.py": rows_backup,
}


# -- P8: peak memory with the GUI open on the stress store -----------------------------------
PEAK = """
import resource, sys
def peak_mb():
    # VmHWM: this process's own peak (ru_maxrss would include the parent's at fork time).
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024 / 1e6
    except OSError:
        pass
    value = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return value / 1e6 if sys.platform == "darwin" else value * 1024 / 1e6
"""

BARE_RSS = PEAK + """
import json
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication(sys.argv[:1])
w = QMainWindow(); w.setCentralWidget(QLabel("x")); w.resize(1100, 720); w.show()
app.processEvents(); w.grab(); app.processEvents()
print(json.dumps({"peak_mb": peak_mb()}))
"""

APP_RSS = PEAK + """
import json
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from app.security.keys import MemoryProvider
from app.security.vault import unlock
from ui.main import make_app
from ui.main_window import MainWindow
app = make_app()
provider = MemoryProvider()
session = unlock(Path(sys.argv[2]), provider, sys.stdin.readline().strip())
window = MainWindow(session, provider)
window.show()
app.processEvents()
window.grab()
tabs = window.tabs.count()
for index in range(tabs):
    window.tabs.setCurrentIndex(index)
    app.processEvents()
    window.grab()
window.tabs.setCurrentIndex(0)
app.processEvents()
window.close()
app.processEvents()
print(json.dumps({"peak_mb": peak_mb(), "tabs": tabs}))
"""


def _rss_child(
    script: str, args: list[str], env: dict[str, str], stdin: str = ""
) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, "-c", script, *args], input=stdin, env=env, cwd=str(ROOT),
        capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=600,
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise Crash(f"P8 child ended with {proc.returncode}:\n{proc.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(lines[-1])
    return result


BUILD_STRESS = """
import json, sys, time
from datetime import date, datetime
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from app.clock import FixedClock
from app.security.keys import MemoryProvider
from app.security.vault import create_store
from app.services import demo
from app.store.settings import Settings
folder, scale, seed, key = Path(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
started = time.perf_counter()
session = create_store(folder, Settings(school="Benchschool"), key, key_mode="ask",
                       provider=MemoryProvider(), clock=FixedClock(datetime(2026, 6, 1, 9, 0)))
try:
    stats = demo.generate(session.store, years=10, seed=seed, scale=scale, profile=demo.STRESS,
                          today=date.fromisoformat(sys.argv[6]))
finally:
    session.lock()
print(json.dumps({"stats": stats.__dict__, "seconds": time.perf_counter() - started}))
"""


def build_stress_store(folder: Path, scale: float, seed: int) -> tuple[dict[str, Any], float]:
    """The stress store, built in a child process (its memory must not count for P8: on
    Linux a child's peak RSS starts at its parent's size at fork)."""
    proc = subprocess.run(
        [sys.executable, "-c", BUILD_STRESS, str(ROOT), str(folder), str(scale), str(seed), KEY,
         TODAY.isoformat()],
        cwd=str(ROOT), capture_output=True, text=True, encoding="utf-8", errors="replace",
        timeout=3600,
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise Crash(f"building the stress store failed:\n{proc.stderr[-3000:]}")
    result = json.loads(lines[-1])
    return dict(result["stats"]), float(result["seconds"])


def measure_p8(args: argparse.Namespace, work: Path) -> tuple[list[Row], dict[str, Any]]:
    scale = args.scale if args.scale is not None else (0.05 if args.quick else 1.0)
    data = work / "stress"
    say(f"  building the stress store (demo generator, scale {scale}, seed {args.seed}) ...")
    stats, built = build_stress_store(data, scale, args.seed)
    size_mb = (data / "vertrouwd.db").stat().st_size / 1e6
    say(f"  built in {built:.1f} s: {stats.get('conversations')} conversations, "
        f"{stats.get('cases')} cases, {size_mb:.0f} MB")
    home = work / "p8-home"
    home.mkdir()
    env = dict(
        os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(home), TMPDIR=str(home),
        XDG_CONFIG_HOME=str(home / ".config"), XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_RUNTIME_DIR=str(home), PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
    )
    runs = 1 if args.quick else 3
    bare = [float(_rss_child(BARE_RSS, [], env)["peak_mb"]) for _ in range(runs)]
    app: list[float] = []
    tabs = 0
    for _ in range(runs):
        result = _rss_child(APP_RSS, [str(ROOT), str(data)], env, KEY + "\n")
        app.append(float(result["peak_mb"]))
        tabs = int(result.get("tabs", 0))
    row = Row("P8", f"peak RSS, GUI open on stress x{scale} ({tabs} tabs drawn)",
              max(app), "MB", statistics.median(bare), P8_BAR_MB, "max",
              "floor: bare PySide6 window")
    raw = {"scale": scale, "seed": args.seed, "stats": stats, "build_s": round(built, 2),
           "store_mb": round(size_mb, 1), "app_rss_mb": [round(x, 1) for x in app],
           "bare_rss_mb": [round(x, 1) for x in bare], "tabs": tabs}
    return [row], raw


# -- P9: the PyInstaller one-folder build ----------------------------------------------------
def _folder_mb(folder: Path) -> float:
    total = 0
    for path, _dirs, files in os.walk(folder):
        for name in files:
            total += os.lstat(os.path.join(path, name)).st_size
    return total / 1e6


def _start_time(command: list[str], env: dict[str, str], key: str) -> float:
    """Wall-clock seconds of one start to the unlocked dashboard (closed once shown)."""
    started = time.perf_counter()
    proc = subprocess.run(command, input=key + "\n", env=env, cwd=str(ROOT), capture_output=True,
                          text=True, encoding="utf-8", errors="replace", timeout=300)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        raise Crash(f"P9: {command[0]} ended with {proc.returncode}:\n{proc.stderr[-3000:]}")
    return elapsed


def measure_p9(args: argparse.Namespace, work: Path) -> tuple[list[Row], dict[str, Any]]:
    base = work / "p9"
    home = base / "home"
    (home / ".local" / "share").mkdir(parents=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DBUS_", "VERTROUWD_"))}
    env.update(
        HOME=str(home), TMPDIR=str(base), XDG_RUNTIME_DIR=str(base),
        XDG_CONFIG_HOME=str(home / ".config"), XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_CACHE_HOME=str(home / ".cache"), QT_QPA_PLATFORM="offscreen",
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
    )
    say("  PyInstaller build (packaging/vertrouwd.spec) ...")
    started = time.perf_counter()
    log = base / "build.log"
    with log.open("w", encoding="utf-8") as handle:
        proc = subprocess.run(
            [sys.executable, "-m", "PyInstaller", str(ROOT / "packaging" / "vertrouwd.spec"),
             "--noconfirm", "--distpath", str(base / "dist"), "--workpath", str(base / "build")],
            cwd=str(ROOT), env=env, stdout=handle, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, timeout=3600,
        )
    built = time.perf_counter() - started
    folder = base / "dist" / "vertrouwd"
    if proc.returncode != 0 or not folder.is_dir():
        raise Crash("PyInstaller failed:\n" + log.read_text(errors="replace")[-3000:])
    size = _folder_mb(folder)
    exe = folder / ("vertrouwd.exe" if os.name == "nt" else "vertrouwd")
    say(f"  built in {built:.0f} s, {size:.0f} MB; start-up frozen vs from source ...")
    data = base / "school"
    build_school_store(data, 2 if args.quick else 10)
    run_env = dict(env, VERTROUWD_EXIT_AFTER_SHOW="1")
    frozen_cmd = [str(exe), "--data-dir", str(data), "--key-stdin"]
    source_cmd = [sys.executable, "-m", "app", "--data-dir", str(data), "--key-stdin"]
    for command in (frozen_cmd, source_cmd):  # warm the disk cache (and __pycache__)
        _start_time(command, run_env, KEY)
    frozen: list[float] = []
    source: list[float] = []
    for _ in range(3 if args.quick else 7):  # alternating: the same machine load for both
        frozen.append(_start_time(frozen_cmd, run_env, KEY))
        source.append(_start_time(source_cmd, run_env, KEY))
    rows = [
        Row("P9", "PyInstaller one-folder size", size, "MB", None, P9_SIZE_BAR_MB, "max"),
        Row("P9", "start to dashboard, frozen vs from source", statistics.median(frozen), "s",
            statistics.median(source), P9_START_BAR, "ratio", "floor: running from source"),
    ]
    raw = {"build_s": round(built, 1), "size_mb": round(size, 1),
           "frozen_s": [round(x, 3) for x in frozen], "source_s": [round(x, 3) for x in source]}
    return rows, raw


def build_school_store(folder: Path, years: int) -> None:
    """A school-workload store (as bench_startup builds it), for the P9 start-up."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from app.security.keys import MemoryProvider
    from app.security.vault import create_store
    from app.services.demo import generate
    from app.store.settings import Settings

    session = create_store(folder, Settings(school="Bench"), KEY, key_mode="ask",
                           provider=MemoryProvider())
    try:
        generate(session.store, years=years, seed=7, today=TODAY)
    finally:
        session.lock()


# -- the table and the file ------------------------------------------------------------------
def _number(value: float, unit: str) -> str:
    if unit == "s":
        text = f"{value:.3f}"
    elif value >= 100:
        text = f"{value:.0f}"
    elif value >= 10:
        text = f"{value:.1f}"
    else:
        text = f"{value:.2f}"
    return f"{text} {unit}"


def _ratio_text(ratio: float) -> str:
    return f"{ratio:.2f}x" if ratio < 10 else f"{ratio:.1f}x" if ratio < 100 else f"{ratio:.0f}x"


def _bar_text(row: Row) -> str:
    if row.bar_kind == "ratio":
        return f"<= {row.bar:g}x"
    return f"<= {row.bar:g} {row.unit}"


def table(figures: dict[str, dict[str, Any]], rows: dict[str, list[Row]]) -> str:
    head = ("figure", "what", "value", "floor", "ratio", "bar", "result")
    lines: list[tuple[str, ...]] = []
    for figure in FIGURES:
        entry = figures[figure]
        if entry["status"] != "measured":
            reason = str(entry.get("reason", entry.get("error", ""))).splitlines()[0][:60]
            lines.append((figure, reason, "-", "-", "-", "-", entry["status"]))
            continue
        for row in rows[figure]:
            lines.append((
                figure,
                row.what,
                _number(row.value, row.unit),
                "-" if row.floor is None else _number(row.floor, row.unit),
                "-" if row.ratio is None else _ratio_text(row.ratio),
                _bar_text(row),
                "pass" if row.passed else "FAIL",
            ))
    widths = [max(len(line[i]) for line in [head, *lines]) for i in range(len(head))]
    right = {2, 3, 4}

    def fmt(line: tuple[str, ...]) -> str:
        return "  ".join(
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(line)
        ).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([fmt(head), rule, *(fmt(line) for line in lines)])


def out_path(text: str | None) -> Path:
    if not text:
        return Path.cwd() / RESULT_NAME
    path = Path(text)
    return path / RESULT_NAME if path.is_dir() else path


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tests.benchmarks", description=(__doc__ or "").splitlines()[0]
    )
    parser.add_argument("--quick", action="store_true",
                        help="small workloads, a few repetitions (CI: proves the runner works)")
    parser.add_argument("--out", default=None,
                        help=f"result file, or a folder for {RESULT_NAME} (default: here)")
    parser.add_argument("--scale", type=float, default=None,
                        help="fraction of the stress workload (default: 1, quick: the "
                             "scripts' own small sizes; P8 0.05)")
    parser.add_argument("--seed", type=int, default=2026, help="seed of the P8 stress store")
    parser.add_argument("--with-build", action="store_true",
                        help="also P9: build with PyInstaller (takes minutes)")
    parser.add_argument("--only", default="",
                        help="comma-separated figures to measure (e.g. P1,P8); others skipped")
    parser.add_argument("--timeout", type=float, default=None,
                        help="seconds per benchmark script (default 600, full run 5400)")
    args = parser.parse_args(argv)
    if args.timeout is None:
        args.timeout = 600.0 if args.quick else 5400.0
    wanted = {f.strip().upper() for f in args.only.split(",") if f.strip()}
    unknown = wanted - set(FIGURES)
    if unknown:
        parser.error(f"unknown figure(s): {', '.join(sorted(unknown))}")
    args.wanted = wanted or set(FIGURES)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    target = out_path(args.out)
    started = time.perf_counter()
    figures: dict[str, dict[str, Any]] = {
        f: {"status": "skipped", "reason": "not asked for (--only)"} for f in FIGURES
    }
    rows: dict[str, list[Row]] = {}
    raw: dict[str, Any] = {}
    timings: dict[str, float] = {}
    crashed = False

    def measured(found: dict[str, list[Row]], source: str) -> None:
        for figure, figure_rows in found.items():
            rows[figure] = figure_rows
            figures[figure] = {
                "status": "measured",
                "source": source,
                "pass": all(r.passed for r in figure_rows),
                "rows": [r.as_json() for r in figure_rows],
            }

    def failed(names: tuple[str, ...], error: BaseException) -> None:
        nonlocal crashed
        crashed = True
        message = str(error) or type(error).__name__
        say(f"  CRASHED: {message}")
        for figure in names:
            figures[figure] = {"status": "crashed", "error": message}

    load_before = os.getloadavg() if hasattr(os, "getloadavg") else None
    say(f"Vertrouwd benchmarks ({'quick' if args.quick else 'full'}) on {os.cpu_count()} cores, "
        f"load average {load_before}")
    with tempfile.TemporaryDirectory(prefix="vertrouwd-benchmarks-") as temp:
        work = Path(temp)
        for bench in BENCHES:
            if not set(bench.figures) & args.wanted:
                continue
            say(f"{' '.join(bench.figures)}: {bench.script} ...")
            begun = time.perf_counter()
            try:
                data, output = run_script(bench, args, work)
                raw[bench.script] = data
                raw[bench.script + " output"] = output.splitlines()[-40:]
                measured(READERS[bench.script](data), bench.script)
            except Crash as error:
                failed(bench.figures, error)
            timings[bench.script] = round(time.perf_counter() - begun, 1)
            say(f"  {timings[bench.script]:.1f} s")
        if "P8" in args.wanted:
            say("P8: peak RSS with the GUI open on the stress store ...")
            begun = time.perf_counter()
            try:
                p8_rows, raw["P8"] = measure_p8(args, work)
                measured({"P8": p8_rows}, "runner")
            except Exception as error:  # noqa: BLE001 - reported as a crash of this figure
                failed(("P8",), error)
            timings["P8"] = round(time.perf_counter() - begun, 1)
            say(f"  {timings['P8']:.1f} s")
        if "P9" in args.wanted and args.with_build:
            say("P9: PyInstaller one-folder build ...")
            begun = time.perf_counter()
            try:
                p9_rows, raw["P9"] = measure_p9(args, work)
                measured({"P9": p9_rows}, "runner")
            except Exception as error:  # noqa: BLE001 - reported as a crash of this figure
                failed(("P9",), error)
            timings["P9"] = round(time.perf_counter() - begun, 1)
            say(f"  {timings['P9']:.1f} s")
        elif "P9" in args.wanted:
            figures["P9"] = {"status": "skipped",
                             "reason": "needs --with-build (a PyInstaller build takes minutes)"}
        shutil.rmtree(work / "p9", ignore_errors=True)

    total = time.perf_counter() - started
    print(table(figures, rows))
    measured_rows = [row for figure_rows in rows.values() for row in figure_rows]
    failing = sorted({row.figure for row in measured_rows if not row.passed})
    print(f"\n{len(measured_rows)} rows measured, {len(failing)} figure(s) over the bar"
          f"{': ' + ', '.join(failing) if failing else ''}; "
          f"{'quick run (small workloads: not the figures)' if args.quick else 'full run'}; "
          f"{total:.0f} s")
    result = {
        "format": "vertrouwd-benchmarks",
        "version": 1,
        "when": datetime.now().isoformat(timespec="seconds"),
        "quick": args.quick,
        "scale": args.scale,
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "load_before": load_before,
            "load_after": os.getloadavg() if hasattr(os, "getloadavg") else None,
        },
        "seconds": round(total, 1),
        "timings_s": timings,
        "crashed": crashed,
        "figures": figures,
        "raw": raw,
    }
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"written: {target}")
    return 1 if crashed else 0


if __name__ == "__main__":
    raise SystemExit(main())
