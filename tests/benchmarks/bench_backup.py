"""QUALITY P6: backup with verification vs a plain copy of the same file + `integrity_check`.

    python tests/benchmarks/bench_backup.py [--quick] [--workload stress|school] [--scale S]
                                            [--repeat N] [--out FILE.json]

Builds a store with the demo generator (`app.services.demo.generate`, the same one as
`vertrouwd demo`; plain SQL rows when it is not there), then times, in the same run:
- floor: `shutil.copyfile` of the store + opening the copy with the key + `PRAGMA integrity_check`;
- backup: `make_backup` (backup API into a keyed file, fsync, reopen with the key, both
  integrity checks, record counts, SHA-256, manifest, rename, prune, journal entry).
Medians of `--repeat` runs; the bar is backup ≤ 3× floor. Prints a table and writes JSON
(default: a file in a temporary folder). Not collected by pytest (no `test_` prefix).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.clock import FixedClock, SystemClock  # noqa: E402
from app.security.keys import MemoryProvider, generate_recovery_key  # noqa: E402
from app.security.vault import Session, create_store  # noqa: E402
from app.services import backup as bk  # noqa: E402
from app.store.db import Store, connect  # noqa: E402
from app.store.settings import Settings  # noqa: E402

BAR = 3.0


def fill(store: Store, *, workload: str, scale: float, seed: int) -> str:
    """Fill the store; returns how it was filled."""
    try:
        from app.services import demo

        generate = demo.generate
        profile = demo.STRESS if workload == "stress" else demo.SCHOOL
    except (ImportError, AttributeError):
        return _fill_sql(store, conversations=int(100_000 * scale), seed=seed)
    generate(store, years=10, seed=seed, scale=scale, profile=profile, today=date(2026, 6, 1))
    return f"demo.generate({workload}, years=10, scale={scale})"


def _fill_sql(store: Store, *, conversations: int, seed: int) -> str:
    import random

    rng = random.Random(seed)
    words = ("gesprek", "leerling", "thuis", "school", "zorgen", "vriend", "ruzie", "mentor",
             "ouders", "afspraak")
    cases = max(1, conversations * 3 // 10)
    with store.transaction() as conn:
        for i in range(cases):
            pupil = conn.execute(
                "INSERT INTO pupil(name, created_at) VALUES (?, '2025-09-01')", (f"Leerling {i}",)
            ).lastrowid
            conn.execute(
                "INSERT INTO case_file(pupil_id, opened_on) VALUES (?, '2025-10-01')", (pupil,)
            )
        for _ in range(conversations):
            body = " ".join(rng.choice(words) for _ in range(rng.randint(40, 200)))
            note = conn.execute("INSERT INTO note(body) VALUES (?)", (body,)).lastrowid
            conn.execute(
                "INSERT INTO entry(case_id, kind, on_date, created_at, note_id) "
                "VALUES (?, 'conversation', '2025-11-01', '2025-11-01T10:00', ?)",
                (rng.randint(1, cases), note),
            )
    return f"sql({conversations} conversations)"


def timed(action: Callable[[], Any]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def floor_run(store_file: Path, key: str, work: Path, *, fsync: bool) -> None:
    copy = work / "plain-copy.db"
    shutil.copyfile(store_file, copy)
    if fsync:
        with open(copy, "rb+") as handle:
            os.fsync(handle.fileno())
    conn = connect(copy, key)
    try:
        result = conn.execute("PRAGMA integrity_check").fetchall()
        assert [tuple(r) for r in result] == [("ok",)], result
    finally:
        conn.close()
    copy.unlink()


def phases(session: Session, work: Path) -> dict[str, float]:
    """Where the backup's time goes (the module's own steps, run one by one)."""
    assert session.key is not None
    target = work / "phase.db"
    out: dict[str, float] = {}
    holder: dict[str, Any] = {}
    out["copy (backup API)"] = timed(
        lambda: holder.update(result=bk._copy_into(session.store, session.key or "", target))
    )
    out["fsync"] = timed(lambda: bk._fsync_file(target))
    counts, version = holder["result"]
    out["verify (reopen, 2 checks, counts)"] = timed(
        lambda: bk._verify_copy(target, session.key or "", counts, version)
    )
    out["sha256"] = timed(lambda: bk.sha256_file(target))
    target.unlink()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small store, 2 repeats (for CI)")
    parser.add_argument("--workload", choices=("stress", "school"), default="stress")
    parser.add_argument("--scale", type=float, default=None, help="fraction of the workload")
    parser.add_argument("--repeat", type=int, default=None)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=None, help="JSON result file")
    args = parser.parse_args(argv)
    scale = args.scale if args.scale is not None else (0.02 if args.quick else 1.0)
    repeat = args.repeat or (2 if args.quick else 5)

    with tempfile.TemporaryDirectory(prefix="bench-backup-") as temp:
        work = Path(temp)
        key = generate_recovery_key()
        session = create_store(
            work / "data", Settings(school="Benchschool"), key, key_mode="ask",
            provider=MemoryProvider(), clock=FixedClock(datetime(2026, 6, 1, 9, 0)),
        )
        try:
            built = time.perf_counter()
            how = fill(session.store, workload=args.workload, scale=scale, seed=args.seed)
            built = time.perf_counter() - built
            store_file = session.store.path
            size = store_file.stat().st_size
            folder = work / "stick"
            folder.mkdir()
            counts = session.store.table_counts()

            floor_run(store_file, key, work, fsync=False)  # warm the OS cache for both
            floors = [floor_run_time(store_file, key, work, False) for _ in range(repeat)]
            floors_sync = [floor_run_time(store_file, key, work, True) for _ in range(repeat)]
            clock = SystemClock()
            backups = [
                timed(lambda: bk.make_backup(session, folder, clock=clock, generations=1))
                for _ in range(repeat)
            ]
            steps = phases(session, work)
        finally:
            session.lock()

    floor = statistics.median(floors)
    floor_sync = statistics.median(floors_sync)
    backup = statistics.median(backups)
    ratio = backup / floor
    result = {
        "benchmark": "P6 backup with verification",
        "when": datetime.now().isoformat(timespec="seconds"),
        "store": {"filled_by": how, "bytes": size, "build_seconds": round(built, 2),
                  "counts": {k: v for k, v in counts.items() if v}},
        "repeat": repeat,
        "floor_copy_integrity_s": round(floor, 4),
        "floor_copy_fsync_integrity_s": round(floor_sync, 4),
        "backup_verified_s": round(backup, 4),
        "phases_s": {k: round(v, 4) for k, v in steps.items()},
        "ratio": round(ratio, 2),
        "ratio_vs_fsynced_floor": round(backup / floor_sync, 2),
        "bar": BAR,
        "pass": ratio <= BAR,
    }
    print(f"store: {how}, {size / 1e6:.1f} MB, built in {built:.1f} s")
    print(f"{'what':44} {'seconds':>9}")
    print(f"{'floor: copyfile + open + integrity_check':44} {floor:9.3f}")
    print(f"{'floor with fsync of the copy':44} {floor_sync:9.3f}")
    print(f"{'make_backup (verified)':44} {backup:9.3f}")
    for name, seconds in steps.items():
        print(f"{'  of which ' + name:44} {seconds:9.3f}")
    print(f"ratio {ratio:.2f}x (bar <= {BAR:.0f}x): {'PASS' if result['pass'] else 'FAIL'}")
    out = args.out or Path(tempfile.mkdtemp(prefix="vertrouwd-bench-")) / "bench_backup.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(f"written: {out}")
    return 0 if result["pass"] else 1


def floor_run_time(store_file: Path, key: str, work: Path, fsync: bool) -> float:
    return timed(lambda: floor_run(store_file, key, work, fsync=fsync))


if __name__ == "__main__":
    raise SystemExit(main())
