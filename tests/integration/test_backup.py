"""Backup, verify and restore on real SQLCipher files (PRODUCT §7; QUALITY R3, R12)."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from app import __version__, journal
from app.clock import FixedClock
from app.config import load_config
from app.paths import store_path
from app.security.keys import MemoryProvider, generate_recovery_key, key_check
from app.security.vault import Session, create_store, unlock
from app.services import backup as bk
from app.services.backup import BackupError, make_backup, restore_backup, verify_file
from app.store.db import Store, connect
from app.store.schema import MIGRATIONS, SCHEMA_VERSION
from app.store.settings import Settings

KEY = "TESTK-EYTES-TKEYT-ESTKE-YTEST-KEYTE"
OTHER_KEY = "ABCDE-FGHJK-MNPQR-STUVW-XYZ23-45678"
PUPILS = ["Fenna Jansen", "Youssef el Amrani", "Daan de Wit"]
PHRASE = "vertelde over de ruzie thuis"


# -- helpers -----------------------------------------------------------------------------------
def fill(store: Store, pupils: int = 30) -> None:
    """Rows in the casework tables, written with plain SQL (schema v2 columns)."""
    with store.transaction() as conn:
        for i in range(pupils):
            name = PUPILS[i % len(PUPILS)] + f" {i}"
            pupil = conn.execute(
                "INSERT INTO pupil(name, class_name, year_group, created_at) VALUES (?, ?, ?, ?)",
                (name, f"{1 + i % 6}B", 1 + i % 6, "2025-09-01T09:00:00"),
            ).lastrowid
            story = conn.execute(
                "INSERT INTO note(body) VALUES (?)", (f"{PHRASE} ({i}) " + "x" * 500,)
            ).lastrowid
            case = conn.execute(
                "INSERT INTO case_file(pupil_id, opened_on, title, story_note_id) "
                "VALUES (?, ?, ?, ?)",
                (pupil, f"2025-10-{1 + i % 28:02d}", "gesprek", story),
            ).lastrowid
            conn.execute(
                "INSERT INTO case_category(case_id, category) VALUES (?, ?)", (case, "thuis")
            )
            for j in range(3):
                note = conn.execute(
                    "INSERT INTO note(body) VALUES (?)", (f"gesprek {j} {PHRASE}",)
                ).lastrowid
                conn.execute(
                    "INSERT INTO entry(case_id, kind, on_date, created_at, note_id, minutes) "
                    "VALUES (?, 'conversation', ?, ?, ?, 30)",
                    (case, f"2025-11-{1 + j:02d}", "2025-11-01T10:00:00", note),
                )
            conn.execute(
                "INSERT INTO request(received_at, source, respond_by, pupil_id, case_id) "
                "VALUES (?, 'leerling_zelf', ?, ?, ?)",
                ("2025-10-01T08:00:00", "2025-10-03", pupil, case),
            )


def dump(path: Path, key: str) -> dict[str, Any]:
    """The logical content of a store: schema, user_version and every table's rows."""
    conn = connect(path, key)
    try:
        schema = sorted(
            tuple(r) for r in conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master")
        )
        tables = [
            str(r[0])
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND (sql IS NULL OR sql NOT LIKE 'CREATE VIRTUAL%') ORDER BY name"
            )
        ]
        rows = {
            name: sorted((tuple(r) for r in conn.execute(f'SELECT * FROM "{name}"')), key=repr)
            for name in tables
        }
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()
    return {"schema": schema, "user_version": version, "rows": rows}


def without_journal(content: dict[str, Any], upto: int) -> dict[str, Any]:
    """`content` with the journal cut to its first `upto` entries and no journal head."""
    rows = dict(content["rows"])
    rows["journal"] = [r for r in rows["journal"] if r[0] <= upto]
    rows["setting"] = [r for r in rows["setting"] if r[0] != "journal_head"]
    return {**content, "rows": rows}


def snapshot(*folders: Path) -> dict[str, str]:
    """sha256 of every file under the folders (to prove nothing changed)."""
    found: dict[str, str] = {}
    for folder in folders:
        if not folder.exists():
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                found[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def new_session(data_dir: Path, clock: FixedClock, key: str = KEY) -> Session:
    session = create_store(
        data_dir, Settings(school="Testschool"), key, key_mode="ask",
        provider=MemoryProvider(), clock=clock,
    )
    return session


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 3, 2, 10, 0, 0))


@pytest.fixture
def session(tmp_path: Path, clock: FixedClock) -> Iterator[Session]:
    opened = new_session(tmp_path / "data", clock)
    fill(opened.store)
    try:
        yield opened
    finally:
        opened.lock()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "stick"
    target.mkdir()
    return target


def final_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if bk.NAME_RE.match(p.name))


# -- backup ------------------------------------------------------------------------------------
def test_round_trip_into_a_fresh_folder_gives_the_same_content(
    session: Session, folder: Path, tmp_path: Path, clock: FixedClock
) -> None:
    before = dump(session.store.path, KEY)
    entries_before = int(session.store.scalar("SELECT max(id) FROM journal"))
    result = make_backup(session, folder, clock=clock, generations=5)
    assert dump(result.path, KEY) == before  # the backup is exactly the store at that moment
    assert result.path.name == "vertrouwd-backup-20260302-100000.db"

    fresh = tmp_path / "fresh"
    clock.advance(days=1)
    report = restore_backup(fresh, result.path, KEY, clock=clock)
    restored = dump(store_path(fresh), KEY)
    assert without_journal(restored, entries_before) == without_journal(before, entries_before)
    assert report.backup_time == datetime(2026, 3, 2, 10, 0, 0)
    assert report.counts["pupil"] == 30 and report.counts["entry"] == 90
    assert report.safety_copy is None and not report.migrated

    config = load_config(fresh)
    assert config is not None and config.key_mode == "ask"
    assert config.store_id == session.config.store_id
    assert config.key_check == key_check(KEY, config.store_id)
    reopened = unlock(fresh, MemoryProvider(), KEY, clock=clock)
    try:
        events = [e[1] for e in journal.entries(reopened.store)]
        assert events[:2] == ["unlocked", "restored"]
        assert journal.verify(reopened.store) == []
    finally:
        reopened.lock()


def test_manifest_describes_the_backup_without_key_or_content(
    session: Session, folder: Path, clock: FixedClock
) -> None:
    result = make_backup(session, folder, clock=clock, generations=5)
    assert result.manifest_path == folder / "vertrouwd-backup-20260302-100000.json"
    raw = result.manifest_path.read_bytes()
    manifest = json.loads(raw)
    assert manifest["created_at"] == "2026-03-02T10:00:00"
    assert manifest["app_version"] == __version__
    assert manifest["schema_version"] == SCHEMA_VERSION
    assert manifest["sha256"] == hashlib.sha256(result.path.read_bytes()).hexdigest()
    assert manifest["size"] == result.path.stat().st_size
    assert manifest["store_id"] == session.config.store_id
    assert manifest["file"] == result.path.name
    counts = dict(manifest["counts"])
    assert counts["pupil"] == 30 and counts["note"] == 120 and counts["case_file"] == 30
    for secret in (KEY, KEY.replace("-", ""), PHRASE, *PUPILS):
        assert secret.encode() not in raw
    data = result.path.read_bytes()
    assert not data.startswith(b"SQLite format 3")
    for secret in (PHRASE, *PUPILS):
        assert secret.encode() not in data
    if os.name == "posix":
        assert result.path.stat().st_mode & 0o077 == 0
        assert result.manifest_path.stat().st_mode & 0o077 == 0


def test_backup_is_journaled_and_its_age_known(
    session: Session, folder: Path, clock: FixedClock
) -> None:
    assert bk.last_backup(session.store) is None
    assert bk.backup_age_days(session.store, clock.today()) is None
    make_backup(session, folder, clock=clock, generations=5)
    _at, event, detail = journal.entries(session.store, 1)[0]
    assert event == "backed_up" and detail["pupil"] == 30
    assert detail["file"] == "vertrouwd-backup-20260302-100000.db"
    assert bk.last_backup(session.store) == datetime(2026, 3, 2, 10, 0, 0)
    clock.advance(days=9)
    assert bk.backup_age_days(session.store, clock.today()) == 9
    assert journal.verify(session.store) == []


def test_generations_are_pruned_per_store(
    session: Session, folder: Path, clock: FixedClock, tmp_path: Path
) -> None:
    other = new_session(tmp_path / "other", clock, generate_recovery_key())
    try:
        foreign = make_backup(other, folder, clock=clock, generations=1)
    finally:
        other.lock()
    unrelated = folder / "vakantiefoto.jpg"
    unrelated.write_bytes(b"jpeg")
    made = []
    for _ in range(5):
        clock.advance(hours=1)
        made.append(make_backup(session, folder, clock=clock, generations=3))
    kept = [p for p in final_files(folder) if p != foreign.path]
    assert kept == [r.path for r in made[-3:]]
    assert made[-1].pruned == [made[1].path]
    for gone in made[:2]:
        assert not gone.path.exists() and not gone.manifest_path.exists()
    assert foreign.path.exists() and foreign.manifest_path.exists()
    assert unrelated.exists()
    for result in made[-3:]:
        assert verify_file(result.path, KEY).ok


def test_an_interrupted_prune_leaves_no_orphan_manifest_behind(
    session: Session, folder: Path, clock: FixedClock
) -> None:
    first = make_backup(session, folder, clock=clock, generations=5)
    clock.advance(hours=1)
    make_backup(session, folder, clock=clock, generations=5)
    first.path.unlink()  # a prune killed between the backup and its manifest
    clock.advance(hours=1)
    make_backup(session, folder, clock=clock, generations=5)
    assert not first.manifest_path.exists()
    assert len(final_files(folder)) == 2


def test_two_backups_in_one_second_get_their_own_names(
    session: Session, folder: Path, clock: FixedClock
) -> None:
    first = make_backup(session, folder, clock=clock, generations=5)
    second = make_backup(session, folder, clock=clock, generations=5)
    assert second.path.name == "vertrouwd-backup-20260302-100000-2.db"
    assert first.path.exists() and verify_file(second.path, KEY).ok


def test_stale_partials_are_removed_fresh_ones_kept(
    session: Session, folder: Path, clock: FixedClock
) -> None:
    old = folder / ".vertrouwd-backup-20200101-000000.db.partial"
    young = folder / ".vertrouwd-backup-20260302-095959.db.partial"
    orphan = folder / "vertrouwd-backup-20200101-000000.json"
    temp_manifest = folder / ".vertrouwd-backup-20200101-000000.json.x1y2z3.tmp"
    for path in (old, young, orphan, temp_manifest):
        path.write_bytes(b"half")
    past = 1_000_000_000
    for path in (old, orphan, temp_manifest):
        os.utime(path, (past, past))
    make_backup(session, folder, clock=clock, generations=5)
    assert not old.exists() and not orphan.exists() and not temp_manifest.exists()
    assert young.exists()


# -- backup failures (R3) ----------------------------------------------------------------------
def _fail_write(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    def full(path: Path, data: bytes, *, private: bool = True) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(bk, "write_atomic", full)


def _fail_rename(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    real = os.replace

    def replace(src: Any, dst: Any) -> None:
        if str(src).endswith(".partial"):
            raise OSError(errno.EIO, "Input/output error")
        real(src, dst)

    monkeypatch.setattr(bk.os, "replace", replace)


def _stick_pulled(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    def pulled(path: Path) -> None:
        shutil.rmtree(folder)
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(bk, "_fsync_file", pulled)


def _bytes_flipped(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    real = bk._fsync_file

    def flip(path: Path) -> None:
        with open(path, "r+b") as handle:
            handle.seek(path.stat().st_size // 2)
            handle.write(b"\xff" * 64)
        real(path)

    monkeypatch.setattr(bk, "_fsync_file", flip)


def _disk_small(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    class Usage:
        free = 4096

    monkeypatch.setattr(bk.shutil, "disk_usage", lambda _path: Usage())


@pytest.mark.parametrize(
    ("fault", "reasons"),
    [
        (_fail_write, {"backup_disk_full"}),
        (_fail_rename, {"backup_io"}),
        (_stick_pulled, {"backup_io", "folder_missing"}),
        (_bytes_flipped, {"verify_failed"}),
        (_disk_small, {"backup_disk_full"}),
    ],
    ids=["enospc-manifest", "rename-fails", "stick-pulled", "copy-damaged", "no-room"],
)
def test_a_failed_backup_leaves_no_file_and_the_store_unchanged(
    session: Session, folder: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch,
    fault: Any, reasons: set[str],
) -> None:
    earlier = make_backup(session, folder, clock=clock, generations=5)
    earlier_files = snapshot(folder)
    store_before = hashlib.sha256(session.store.path.read_bytes()).hexdigest()
    clock.advance(minutes=5)
    fault(monkeypatch, folder)
    with pytest.raises(BackupError) as caught:
        make_backup(session, folder, clock=clock, generations=1)
    monkeypatch.undo()
    assert caught.value.reason in reasons
    assert bk.backup_message(caught.value.reason)
    assert hashlib.sha256(session.store.path.read_bytes()).hexdigest() == store_before
    assert journal.entries(session.store, 1)[0][1] == "backed_up"  # only the earlier one
    if folder.exists():
        assert snapshot(folder) == earlier_files  # no partial, no manifest, nothing pruned
        assert verify_file(earlier.path, KEY).ok


_CHILD = """
import resource, signal, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from datetime import datetime
from app.clock import FixedClock
from app.config import load_config
from app.security.vault import Session
from app.services.backup import BackupError, make_backup
from app.store.db import Store
data, folder, limit, key = Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
session = Session(data, Store.open(data / "vertrouwd.db", key), load_config(data), key)
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
try:
    make_backup(session, folder, clock=FixedClock(datetime(2026, 3, 3)), generations=1)
    print("made")
except BackupError as error:
    print(error.reason)
"""


@pytest.mark.skipif(os.name != "posix", reason="RLIMIT_FSIZE is POSIX")
def test_a_real_write_failure_mid_backup(
    session: Session, folder: Path, clock: FixedClock
) -> None:
    """SQLite's own writes fail (file size limit, like a full stick) while the pages are copied."""
    import subprocess
    import sys

    earlier = make_backup(session, folder, clock=clock, generations=5)
    session.lock()
    earlier_files = snapshot(folder)
    store = store_path(session.data_dir)
    before = snapshot(session.data_dir)
    root = str(Path(__file__).resolve().parents[2])
    limit = store.stat().st_size // 2
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, root, str(session.data_dir), str(folder), str(limit), KEY],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() in {"backup_io", "backup_disk_full"}, done.stdout
    assert snapshot(folder) == earlier_files
    assert snapshot(session.data_dir) == before
    assert verify_file(earlier.path, KEY).ok


@pytest.mark.parametrize("kind", ["regular-file-parent", "absent"])
def test_a_missing_folder_is_refused(
    session: Session, tmp_path: Path, clock: FixedClock, kind: str
) -> None:
    if kind == "regular-file-parent":
        plain = tmp_path / "plain.txt"
        plain.write_text("x")
        target = plain / "backups"
    else:
        target = tmp_path / "E" / "backups"
    with pytest.raises(BackupError) as caught:
        make_backup(session, target, clock=clock, generations=3)
    assert caught.value.reason == "folder_missing"
    assert not target.exists()


def test_a_locked_session_cannot_be_backed_up(
    session: Session, folder: Path, clock: FixedClock
) -> None:
    session.lock()
    with pytest.raises(BackupError) as caught:
        make_backup(session, folder, clock=clock, generations=3)
    assert caught.value.reason == "source_unreadable"
    assert list(folder.iterdir()) == []


# -- verify ------------------------------------------------------------------------------------
def test_verify_reports_and_changes_nothing(
    session: Session, folder: Path, clock: FixedClock
) -> None:
    result = make_backup(session, folder, clock=clock, generations=3)
    session.lock()
    before = snapshot(folder, session.data_dir)
    report = verify_file(result.path, KEY)
    assert report.ok and report.reason is None
    assert report.cipher_ok and report.integrity_ok and report.checksum_ok and report.counts_ok
    assert report.schema_version == SCHEMA_VERSION and not report.newer
    assert report.created_at == datetime(2026, 3, 2, 10, 0, 0)
    assert report.counts == result.counts
    store_report = verify_file(store_path(session.data_dir), KEY)
    assert store_report.ok and not store_report.manifest_found
    assert snapshot(folder, session.data_dir) == before


def test_wrong_key_changes_nothing(
    session: Session, folder: Path, clock: FixedClock, tmp_path: Path
) -> None:
    result = make_backup(session, folder, clock=clock, generations=3)
    session.lock()
    bare = tmp_path / "bare" / "copy.db"
    bare.parent.mkdir()
    shutil.copyfile(result.path, bare)  # a backup without its manifest
    before = snapshot(folder, session.data_dir, bare.parent)
    assert verify_file(result.path, OTHER_KEY).reason == "file_wrong_key"
    assert verify_file(bare, OTHER_KEY).reason == "file_wrong_key_or_damaged"
    for target in (session.data_dir, tmp_path / "fresh"):
        with pytest.raises(BackupError) as caught:
            restore_backup(target, result.path, OTHER_KEY, clock=clock)
        assert caught.value.reason == "file_wrong_key"
    assert snapshot(folder, session.data_dir, bare.parent) == before
    assert not (tmp_path / "fresh").exists()


def _flip_middle(path: Path) -> None:
    size = path.stat().st_size
    with open(path, "r+b") as handle:
        handle.seek(size // 2)
        chunk = handle.read(32)
        handle.seek(size // 2)
        handle.write(bytes(b ^ 0x5A for b in chunk))


def test_a_damaged_backup_is_refused(
    session: Session, folder: Path, clock: FixedClock, tmp_path: Path
) -> None:
    result = make_backup(session, folder, clock=clock, generations=3)
    _flip_middle(result.path)
    report = verify_file(result.path, KEY)
    assert not report.ok and report.reason == "file_damaged"
    assert report.checksum_ok is False and not report.cipher_ok
    before = snapshot(session.data_dir)
    with pytest.raises(BackupError) as caught:
        restore_backup(session.data_dir, result.path, KEY, clock=clock)
    assert caught.value.reason == "file_damaged"
    assert snapshot(session.data_dir) == before

    header = make_backup(session, folder, clock=clock, generations=3)
    with open(header.path, "r+b") as handle:  # page 1 (salt and schema) damaged
        handle.seek(100)
        handle.write(b"\x00" * 200)
    assert verify_file(header.path, KEY).reason == "file_damaged"  # key verifier: key is right
    assert verify_file(header.path, OTHER_KEY).reason == "file_wrong_key"


def test_a_backup_from_a_newer_program_is_refused(
    session: Session, folder: Path, clock: FixedClock, tmp_path: Path
) -> None:
    result = make_backup(session, folder, clock=clock, generations=3)
    newer = tmp_path / "newer.db"
    shutil.copyfile(result.path, newer)
    conn = connect(newer, KEY)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    report = verify_file(newer, KEY)
    assert report.intact and report.newer and report.reason == "file_newer"
    before = snapshot(session.data_dir)
    with pytest.raises(BackupError) as caught:
        restore_backup(session.data_dir, newer, KEY, clock=clock)
    assert caught.value.reason == "file_newer"
    assert snapshot(session.data_dir) == before


def test_an_empty_or_plain_file_is_not_a_backup(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    assert verify_file(empty, KEY).reason in {"file_not_encrypted", "file_damaged"}
    plain = tmp_path / "plain.db"
    plain.write_bytes(b"SQLite format 3\x00" + b"\x00" * 4080)
    assert verify_file(plain, KEY).reason == "file_not_encrypted"
    assert verify_file(tmp_path / "nothing.db", KEY).reason == "file_missing"
    assert not (tmp_path / "nothing.db").exists()


# -- restore -----------------------------------------------------------------------------------
def test_restore_keeps_a_safety_copy_and_swaps(
    session: Session, folder: Path, clock: FixedClock
) -> None:
    result = make_backup(session, folder, clock=clock, generations=3)
    with session.store.transaction() as conn:
        conn.execute("DELETE FROM case_category")
        conn.execute("UPDATE pupil SET name = 'Gewijzigd'")
    session.lock()
    current = store_path(session.data_dir)
    current_bytes = current.read_bytes()
    clock.advance(days=2)
    report = restore_backup(session.data_dir, result.path, KEY, clock=clock)
    assert report.safety_copy == session.data_dir / "vertrouwd.db.before-restore-20260304-100000"
    assert report.safety_copy.read_bytes() == current_bytes
    assert not report.key_changed
    leftovers = [p.name for p in session.data_dir.iterdir() if "restoring" in p.name]
    assert leftovers == []
    reopened = unlock(session.data_dir, MemoryProvider(), KEY, clock=clock)
    try:
        assert reopened.store.scalar("SELECT count(*) FROM case_category") == 30
        assert reopened.store.scalar("SELECT count(*) FROM pupil WHERE name = 'Gewijzigd'") == 0
        assert journal.verify(reopened.store) == []
    finally:
        reopened.lock()


def test_restore_onto_a_store_in_use_is_refused(
    session: Session, folder: Path, clock: FixedClock
) -> None:
    result = make_backup(session, folder, clock=clock, generations=3)
    session.lock()
    holder = connect(store_path(session.data_dir), KEY)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        before = snapshot(session.data_dir)
        with pytest.raises(BackupError) as caught:
            restore_backup(session.data_dir, result.path, KEY, clock=clock)
        assert caught.value.reason == "store_in_use"
        assert "Vertrouwd" in bk.backup_message("store_in_use")
        assert snapshot(session.data_dir) == before
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    report = restore_backup(session.data_dir, result.path, KEY, clock=clock)
    assert report.safety_copy is not None


def test_restore_of_another_store_points_the_config_at_it(
    session: Session, folder: Path, clock: FixedClock, tmp_path: Path
) -> None:
    other_key = generate_recovery_key()
    other = new_session(tmp_path / "other", clock, other_key)
    try:
        fill(other.store, pupils=4)
        result = make_backup(other, folder, clock=clock, generations=3)
        other_id = other.config.store_id
    finally:
        other.lock()
    session.lock()
    report = restore_backup(session.data_dir, result.path, other_key, clock=clock)
    assert report.key_changed and report.store_id == other_id
    config = load_config(session.data_dir)
    assert config is not None and config.store_id == other_id
    assert config.key_check == key_check(other_key, other_id)
    reopened = unlock(session.data_dir, MemoryProvider(), other_key, clock=clock)
    try:
        assert reopened.store.scalar("SELECT count(*) FROM pupil") == 4
    finally:
        reopened.lock()
    # The safety copy still opens with the old key.
    assert report.safety_copy is not None and verify_file(report.safety_copy, KEY).ok


def test_restore_of_an_older_schema_migrates(tmp_path: Path, clock: FixedClock) -> None:
    old = tmp_path / "old.db"
    conn = connect(old, KEY)
    conn.executescript(f"BEGIN;\n{MIGRATIONS[0]}\nPRAGMA user_version = 1;\nCOMMIT;")
    conn.close()
    data = tmp_path / "data"
    report = restore_backup(data, old, KEY, clock=clock)
    assert report.migrated and report.schema_version == 1
    assert verify_file(store_path(data), KEY).schema_version == SCHEMA_VERSION
    assert list(data.glob("vertrouwd.db.v1-*.bak"))  # Store.open's pre-migration copy


def test_restore_refuses_the_store_itself(session: Session, clock: FixedClock) -> None:
    session.lock()
    with pytest.raises(BackupError) as caught:
        restore_backup(session.data_dir, store_path(session.data_dir), KEY, clock=clock)
    assert caught.value.reason == "same_file"


def test_a_failed_swap_leaves_the_store_unchanged(
    session: Session, folder: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = make_backup(session, folder, clock=clock, generations=3)
    session.lock()
    current = store_path(session.data_dir)
    before = current.read_bytes()
    real = os.replace

    def replace(src: Any, dst: Any) -> None:
        if str(src).endswith(bk.RESTORING_SUFFIX):
            raise OSError(errno.ENOSPC, "No space left on device")
        real(src, dst)

    monkeypatch.setattr(bk.os, "replace", replace)
    with pytest.raises(BackupError) as caught:
        restore_backup(session.data_dir, result.path, KEY, clock=clock)
    assert caught.value.reason == "restore_disk_full"
    assert current.read_bytes() == before
    assert not list(session.data_dir.glob("*.restoring*"))


# -- an independent reader (R12) ---------------------------------------------------------------
def test_store_and_backup_open_with_an_independent_sqlcipher_reader(
    session: Session, folder: Path, clock: FixedClock
) -> None:
    apsw = pytest.importorskip("apsw")
    result = make_backup(session, folder, clock=clock, generations=3)
    session.lock()
    for path in (store_path(session.data_dir), result.path):
        con = apsw.Connection(str(path), flags=apsw.SQLITE_OPEN_READONLY)
        try:
            assert con.pragma("cipher", "sqlcipher") == "sqlcipher"
            con.pragma("legacy", 4)
            con.pragma("key", KEY)
            assert con.pragma("user_version") == SCHEMA_VERSION
            assert con.execute("SELECT count(*) FROM pupil").fetchall() == [(30,)]
            names = {r[0] for r in con.execute("SELECT name FROM pupil")}
            assert f"{PUPILS[0]} 0" in names
            assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        finally:
            con.close()


def test_verify_detects_a_tampered_journal(tmp_path: Path) -> None:
    """R14 through `verify`: a changed journal entry makes the file fail verification."""
    from app.security.keys import MemoryProvider, generate_recovery_key
    from app.security.vault import create_store
    from app.services.backup import verify_file
    from app.store.settings import Settings

    key = generate_recovery_key()
    session = create_store(tmp_path / "d", Settings(school="S"), key, key_mode="ask",
                           provider=MemoryProvider())
    journal.append(session.store, "2026-01-01T10:00:00", "backed_up", files=1)
    path = session.store.path
    assert verify_file(path, key).reason is None
    with session.store.transaction() as conn:
        conn.execute("UPDATE journal SET detail = '{\"files\": 9}' WHERE event = 'backed_up'")
    session.lock()
    report = verify_file(path, key)
    assert report.reason == "journal_tampered" and report.journal_problems
