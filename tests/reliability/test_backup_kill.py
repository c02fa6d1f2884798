"""QUALITY R2: SIGKILL at random moments during backups (CI size: 10 kills) and restores.

A child process makes backups in a loop; the parent kills it after a seeded random delay.
After every kill: each file under a final backup name verifies with the key and matches its
manifest, stray files are only `.partial` ones, and the source store still verifies with an
intact journal. The restore variant kills a restore loop and checks that the data folder always
holds a store that opens with the key.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from app import journal
from app.clock import FixedClock
from app.config import StoreConfig, load_config
from app.paths import store_path
from app.security.keys import MemoryProvider
from app.security.vault import Session, create_store
from app.services.backup import NAME_RE, make_backup, verify_file
from app.store.db import Store
from app.store.settings import Settings

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")

KEY = "TESTK-EYTES-TKEYT-ESTKE-YTEST-KEYTE"
ROOT = Path(__file__).resolve().parents[2]
FULL = os.environ.get("VERTROUWD_FULL_FAULTS", "") not in ("", "0")
KILLS = int(os.environ.get("VERTROUWD_KILLS", "50" if FULL else "10"))  # QUALITY R2 sizes
SEED = 20260302

BACKUP_LOOP = """
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from app.clock import SystemClock
from app.config import load_config
from app.security.vault import Session
from app.services.backup import make_backup
from app.store.db import Store
data, folder, key = Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]
session = Session(data, Store.open(data / "vertrouwd.db", key), load_config(data), key)
print("ready", flush=True)
while True:
    make_backup(session, folder, clock=SystemClock(), generations=3)
"""

RESTORE_LOOP = """
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from app.clock import SystemClock
from app.services.backup import restore_backup
data, backup, key = Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]
print("ready", flush=True)
while True:
    restore_backup(data, backup, key, clock=SystemClock())
"""


def _fill(session: Session, notes: int) -> None:
    with session.store.transaction() as conn:
        for i in range(notes):
            pupil = conn.execute(
                "INSERT INTO pupil(name, created_at) VALUES (?, '2025-09-01')", (f"Leerling {i}",)
            ).lastrowid
            note = conn.execute(
                "INSERT INTO note(body) VALUES (?)", (f"notitie {i} " + "tekst " * 300,)
            ).lastrowid
            conn.execute(
                "INSERT INTO case_file(pupil_id, opened_on, story_note_id) VALUES (?, ?, ?)",
                (pupil, "2025-10-01", note),
            )


@pytest.fixture
def source(tmp_path: Path) -> Iterator[Path]:
    """A data folder with a store of a few MB (so a backup takes a noticeable time)."""
    data = tmp_path / "data"
    session = create_store(
        data, Settings(school="Killschool"), KEY, key_mode="ask", provider=MemoryProvider(),
        clock=FixedClock(datetime(2026, 3, 2, 10, 0)),
    )
    try:
        _fill(session, 1500)
    finally:
        session.lock()
    yield data


def _run_and_kill(script: str, args: list[str], delay: float) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", script, str(ROOT), *args],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == b"ready"
        time.sleep(delay)
        assert child.poll() is None, "the child stopped by itself"
        child.send_signal(signal.SIGKILL)
    finally:
        child.kill()
        child.wait(timeout=30)
        if child.stdout is not None:
            child.stdout.close()


def _check_backups(folder: Path) -> int:
    finals = 0
    for path in folder.iterdir():
        name = path.name
        if NAME_RE.match(name):
            finals += 1
            report = verify_file(path, KEY)
            assert report.ok, (name, report.reason, report.problems)
            assert report.manifest_found and report.checksum_ok and report.counts_ok, name
        else:
            # Anything else is a manifest, a stray partial, or the temp file of a manifest that
            # was being written atomically (never under a final name).
            assert name.endswith((".json", ".partial", ".partial-journal", ".tmp")), name
            assert not name.startswith("vertrouwd-backup-") or name.endswith(".json"), name
    return finals


def _check_store(data: Path) -> None:
    report = verify_file(store_path(data), KEY)
    assert report.ok, (report.reason, report.problems)
    store = Store.open(store_path(data), KEY)
    try:
        assert journal.verify(store) == []
        assert store.scalar("SELECT count(*) FROM pupil") == 1500
    finally:
        store.close()


def test_kills_during_backup_leave_earlier_backups_verifiable(
    source: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "stick"
    folder.mkdir()
    rng = random.Random(SEED)
    seen = 0
    for _ in range(KILLS):
        _run_and_kill(BACKUP_LOOP, [str(source), str(folder), KEY], rng.uniform(0.05, 1.5))
        seen = max(seen, _check_backups(folder))
        _check_store(source)
    assert seen >= 1, "no backup was ever completed: the kills came too early to test anything"


def test_kills_during_restore_always_leave_a_store_that_opens(
    source: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "stick"
    folder.mkdir()
    session = Session(source, Store.open(store_path(source), KEY), _config(source), KEY)
    try:
        backup = make_backup(
            session, folder, clock=FixedClock(datetime(2026, 3, 2, 11, 0)), generations=3
        ).path
    finally:
        session.lock()
    rng = random.Random(SEED + 1)
    for _ in range(max(3, KILLS // 2)):
        _run_and_kill(RESTORE_LOOP, [str(source), str(backup), KEY], rng.uniform(0.05, 1.5))
        _check_store(source)
        assert verify_file(backup, KEY).ok
        for stray in source.glob("vertrouwd.db.before-restore-*"):
            if not stray.name.endswith((".partial", "-journal")):
                assert verify_file(stray, KEY).ok, stray.name


def _config(data: Path) -> StoreConfig:
    config = load_config(data)
    assert config is not None
    return config
