"""QUALITY P2, P3, P4 and P7 for the case work, on the stress workload.

    python tests/benchmarks/bench_casework.py [--quick] [--workload stress|school] [--scale S]
                                              [--repeat N] [--seed S] [--out FILE.json]

Builds the workload with the demo generator (`app.services.demo.generate`, as `vertrouwd demo`)
in an encrypted store, and the same data (same generator, same seed, same `today`) in a plain
SQLite file with the same schema, opened with the stdlib `sqlite3` module. That plain file is
the floor for P7 and exists only here, with synthetic data, in a temporary folder. (For
information, a third copy is opened with `sqlcipher3` without a key: the same SQLite version as
the store, so that ratio shows the cost of encryption alone.) Then times:

- P2: saving one intake (`casework.open_case`: one transaction, new pupil, two categories, story
  and help question, three consents, request linked), p95 over `--repeat` saves;
- P3: full-text search (`search.search`) over a mix of common, rare, prefix, multi-word, name
  and hostile queries, p95 over every run of every query; filtered searches are reported too;
- P4: all dashboard queries together (`dashboard.dashboard`), p95;
- P7: the app's own read mix (searches, dashboard, case lists, case files with their timeline,
  pupil look-ups) run alternately on both stores; the ratio of the medians.

Prints a table and writes JSON (default: a file in a new temporary folder, never the repo).
Not collected by pytest (no `test_` prefix); `--quick` is the small version CI runs.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import sqlcipher3

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.clock import FixedClock  # noqa: E402
from app.domain.models import Intake, PupilData  # noqa: E402
from app.services import casework as cw  # noqa: E402
from app.services import demo  # noqa: E402
from app.services.dashboard import dashboard  # noqa: E402
from app.services.search import search  # noqa: E402
from app.store.db import Store  # noqa: E402
from app.store.schema import MIGRATIONS  # noqa: E402
from app.store.settings import load_settings  # noqa: E402

KEY = "BENCH-KEYBE-NCHKE-YBENC-HKEYB-ENCHK"
TODAY = date(2026, 6, 1)  # a Monday in the school year 2025-2026
BARS = {"P2": 10.0, "P3": 30.0, "P4": 30.0, "P7": 1.5}
QUERIES = (
    "pesten",
    "leerling",
    "gesprek",
    "thuis ruzie",
    "ouders gaan scheiden",
    "pes",
    "mentor",
    "klappen",
    "profielkeuze",
    "Pésten klas",
    "sanne",
    "van der",
    "zzzz",
    "'); DROP TABLE note; --",
)
FILTERED: tuple[tuple[str, dict[str, Any]], ...] = (
    ("gesprek", {"status": "open"}),
    ("pesten", {"category": "pesten"}),
    ("leerling", {"school_year": "2017-2018"}),
    ("thuis", {"school_year": "2025-2026", "status": "closed"}),
    ("", {"category": "kindermishandeling", "school_year": "2020-2021"}),
)


def plain_store(path: Path, engine: Any = sqlite3) -> Store:
    """The same schema in plain SQLite, with the store's pragmas (benchmark floor only).

    `engine` is the stdlib `sqlite3` (the P7 floor) or, for information, `sqlcipher3` without a
    key: the same SQLite version as the store, so that ratio is the cost of encryption alone."""
    conn = engine.connect(str(path), isolation_level=None, check_same_thread=False)
    for pragma in (
        "foreign_keys = ON",
        "secure_delete = ON",
        "temp_store = MEMORY",
        # trusted_schema stays ON here: the stdlib's older SQLite does not mark FTS5 innocuous,
        # so its triggers would be refused; it does not change the speed of the queries.
        "synchronous = FULL",
        "cache_size = -16000",
        "journal_mode = DELETE",
    ):
        conn.execute("PRAGMA " + pragma)
    for version, script in enumerate(MIGRATIONS, start=1):
        conn.executescript(f"BEGIN;\n{script}\nPRAGMA user_version = {version};\nCOMMIT;")
    conn.row_factory = engine.Row
    return Store(path, conn)


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000.0


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "median_ms": round(statistics.median(values), 3),
        "p95_ms": round(p95(values), 3),
        "max_ms": round(max(values), 3),
    }


def save_intakes(store: Store, clock: FixedClock, count: int, seed: int) -> list[float]:
    """P2: time `open_case` for `count` new intakes (each answering a fresh request)."""
    rng = random.Random(seed)
    times = []
    for n in range(count):
        request = cw.register_request(
            store, clock, received_at=datetime(2026, 5, 29, 10), source="mentor_coach"
        ).request
        intake = Intake(
            opened_on=TODAY,
            confidentiality_explained_at=datetime(2026, 6, 1, 9, 0),
            categories=("pesten", "welbevinden"),
            taken_up_by="vp",
            story=f"Bench {n}: wordt in de groepsapp uitgelachen sinds de meivakantie.",
            help_question="Wil dat het stopt en wil advies over hoe te reageren.",
            pupil=PupilData(f"Bench Leerling {rng.randint(1, 10**6)}", "2B", 2, "havo"),
            request_id=request.id,
            consents={"mentor_coach": True, "ouders": False, "vakdocenten": True},
            minutes=30,
            with_whom="leerling",
        )
        times.append(timed(lambda intake=intake: cw.open_case(store, clock, intake)))
    return times


def commit_floor(store: Store, count: int) -> list[float]:
    """The disk's share of P2: a one-row write transaction on the same file (the `draft`
    table), with the store's `synchronous=FULL` and rollback journal."""

    def write(n: int) -> None:
        with store.transaction() as conn:
            conn.execute(
                "INSERT INTO draft(kind, body, saved_at) VALUES ('bench', ?, '') "
                "ON CONFLICT(kind) DO UPDATE SET body = excluded.body",
                (str(n),),
            )

    times = [timed(lambda n=n: write(n)) for n in range(count)]
    with store.transaction() as conn:
        conn.execute("DELETE FROM draft WHERE kind = 'bench'")
    return times


def search_times(store: Store, repeat: int) -> tuple[list[float], dict[str, float], list[float]]:
    for text in QUERIES:
        search(store, text)  # warm up
    all_times: list[float] = []
    per_query: dict[str, float] = {}
    for text in QUERIES:
        runs = [timed(lambda text=text: search(store, text)) for _ in range(repeat)]
        per_query[text] = round(statistics.median(runs), 3)
        all_times += runs
    filtered = [
        timed(lambda t=text, f=filters: search(store, t, **f))
        for _ in range(max(1, repeat // 2))
        for text, filters in FILTERED
    ]
    return all_times, per_query, filtered


def read_mix(store: Store, case_ids: list[int], settings: Any) -> Callable[[], None]:
    """The app's own reads, as the screens make them."""

    def run() -> None:
        for text in QUERIES[:8]:
            search(store, text)
        search(store, "", status="open")
        dashboard(store, TODAY, settings)
        cw.list_cases(store, status="open")
        cw.list_cases(store, school_year="2024-2025", limit=200)
        cw.list_requests(store, open_only=True)
        for case_id in case_ids:
            cw.get_case(store, case_id)
            cw.timeline(store, case_id)
            cw.current_consents(store, case_id)
        cw.find_pupils(store, "sanne")
        cw.list_activities(store, "2025-2026")

    return run


def build(store: Store, args: argparse.Namespace) -> tuple[float, demo.DemoStats]:
    profile = demo.STRESS if args.workload == "stress" else demo.SCHOOL
    start = time.perf_counter()
    stats = demo.generate(
        store, years=10, seed=args.seed, scale=args.scale, profile=profile, today=TODAY
    )
    return time.perf_counter() - start, stats


def measure(args: argparse.Namespace, folder: Path, out: Path) -> int:
    clock = FixedClock(datetime(2026, 6, 1, 10, 0))

    encrypted = Store.open(folder / "encrypted.db", KEY, create=True)
    build_s, stats = build(encrypted, args)
    plain = plain_store(folder / "plain.db")
    plain_build_s, plain_stats = build(plain, args)
    assert plain_stats == stats, "the plain floor must hold the same data"
    same_engine = plain_store(folder / "unkeyed.db", sqlcipher3)
    assert build(same_engine, args)[1] == stats
    size_mb = (folder / "encrypted.db").stat().st_size / 1e6
    print(f"workload {args.workload} scale {args.scale}: {stats}")
    print(f"built in {build_s:.1f} s (plain SQLite {plain_build_s:.1f} s), {size_mb:.0f} MB")

    settings = load_settings(encrypted)
    rng = random.Random(args.seed)
    case_ids = rng.sample(range(1, stats.cases + 1), 20)
    # P7 first, on untouched stores: the app's read mix, alternating encrypted and plain.
    mixes = {
        "encrypted": read_mix(encrypted, case_ids, settings),
        "plain": read_mix(plain, case_ids, settings),
        "unkeyed": read_mix(same_engine, case_ids, settings),
    }
    for run in mixes.values():
        run()
    mix_times: dict[str, list[float]] = {name: [] for name in mixes}
    for _ in range(max(3, args.repeat // 4)):
        for name, run in mixes.items():
            mix_times[name].append(timed(run))
    enc_ms = statistics.median(mix_times["encrypted"])
    plain_ms = statistics.median(mix_times["plain"])
    ratio = enc_ms / plain_ms
    unkeyed_ms = statistics.median(mix_times["unkeyed"])

    p3_all, p3_each, p3_filtered = search_times(encrypted, args.repeat)
    p3_plain = search_times(plain, args.repeat)[0]
    dashboard(encrypted, TODAY, settings)
    p4 = [timed(lambda: dashboard(encrypted, TODAY, settings)) for _ in range(args.repeat)]
    p4_plain = [timed(lambda: dashboard(plain, TODAY, settings)) for _ in range(args.repeat)]
    p2, floor = [], []
    for _ in range(args.repeat // 5 or 1):  # interleaved, so both see the same disk
        p2 += save_intakes(encrypted, clock, 10, args.seed + len(p2))
        floor += commit_floor(encrypted, 10)
    p2_plain = save_intakes(plain, clock, len(p2), args.seed)
    encrypted.close()
    plain.close()
    same_engine.close()

    results: dict[str, Any] = {
        "workload": args.workload,
        "scale": args.scale,
        "quick": args.quick,
        "stats": stats.__dict__,
        "build_s": round(build_s, 2),
        "plain_build_s": round(plain_build_s, 2),
        "store_mb": round(size_mb, 1),
        "P2_intake": summary(p2)
        | {"bar_p95_ms": BARS["P2"], "plain": summary(p2_plain), "commit_floor": summary(floor)},
        "P3_search": summary(p3_all)
        | {"bar_p95_ms": BARS["P3"], "median_per_query_ms": p3_each, "plain": summary(p3_plain)},
        "P3_filtered_search": summary(p3_filtered),
        "P4_dashboard": summary(p4) | {"bar_ms": BARS["P4"], "plain": summary(p4_plain)},
        "P7_read_mix": {
            "encrypted_median_ms": round(enc_ms, 2),
            "plain_median_ms": round(plain_ms, 2),
            "ratio": round(ratio, 3),
            "bar_ratio": BARS["P7"],
            "plain_sqlite_version": sqlite3.sqlite_version,
            "store_sqlite_version": sqlcipher3.sqlite_version,
            "unkeyed_same_engine_median_ms": round(unkeyed_ms, 2),
            "ratio_same_engine": round(enc_ms / unkeyed_ms, 3),
        },
    }
    results["pass"] = {
        "P2": results["P2_intake"]["p95_ms"] <= BARS["P2"],
        "P3": results["P3_search"]["p95_ms"] <= BARS["P3"],
        "P4": results["P4_dashboard"]["p95_ms"] <= BARS["P4"],
        "P7": ratio <= BARS["P7"],
    }
    rows = [
        ("build (generate)", f"{build_s:.1f} s", "-", "well under a minute"),
        (
            "P2 save one intake",
            f"p95 {p95(p2):.2f} ms",
            f"plain p95 {p95(p2_plain):.2f} ms",
            "p95 <= 10 ms",
        ),
        (
            "P2 commit floor (info)",
            f"p95 {p95(floor):.2f} ms",
            f"median {statistics.median(floor):.2f} ms",
            "1-row transaction, same file",
        ),
        (
            "P3 full-text search",
            f"p95 {p95(p3_all):.2f} ms",
            f"plain p95 {p95(p3_plain):.2f} ms",
            "p95 <= 30 ms",
        ),
        (
            "P3 with filters (info)",
            f"p95 {p95(p3_filtered):.2f} ms",
            f"median {statistics.median(p3_filtered):.2f} ms",
            "-",
        ),
        (
            "P4 dashboard, all lists",
            f"p95 {p95(p4):.2f} ms",
            f"plain p95 {p95(p4_plain):.2f} ms",
            "<= 30 ms",
        ),
        (
            "P7 read mix enc/plain",
            f"ratio {ratio:.2f}",
            f"{enc_ms:.1f} / {plain_ms:.1f} ms",
            "<= 1.5x",
        ),
        (
            "P7 same engine, no key (info)",
            f"ratio {enc_ms / unkeyed_ms:.2f}",
            f"{enc_ms:.1f} / {unkeyed_ms:.1f} ms",
            "-",
        ),
    ]
    width = max(len(r[0]) for r in rows)
    print()
    for name, value, extra, bar in rows:
        print(f"{name:<{width}}  {value:>16}  {extra:>28}  {bar}")
    print()
    for text, ms in p3_each.items():
        print(f"  search {text!r:<30} median {ms:7.2f} ms")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"\nresults: {out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small run (CI)")
    parser.add_argument("--workload", choices=("stress", "school"), default="stress")
    parser.add_argument("--scale", type=float, default=None)
    parser.add_argument("--repeat", type=int, default=None)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    if args.scale is None:
        args.scale = 0.05 if args.quick else 1.0
    if args.repeat is None:
        args.repeat = 10 if args.quick else 60
    folder = Path(tempfile.mkdtemp(prefix="vertrouwd-bench-casework-"))
    out = args.out or folder / "bench_casework.json"
    try:
        return measure(args, folder, out)
    finally:  # the synthetic stores never outlive the run, also not after a crash
        for path in folder.glob("*.db*"):
            path.unlink(missing_ok=True)
        if args.out is not None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
