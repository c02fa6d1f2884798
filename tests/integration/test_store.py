"""The encrypted store: opening, pragmas, refusal cases, damage, migration, journal (R4, R5,
R11, R14, R17-lite). Every refusal must leave the file's bytes exactly as they were."""

from __future__ import annotations

import json
import os
import random
import stat
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import pytest
import sqlcipher3

from app import journal
from app.clock import FixedClock
from app.messages import reason_message
from app.paths import config_path, store_path
from app.security.keys import MemoryProvider, generate_recovery_key
from app.security.vault import Session, UnlockNeeds, create_store, unlock
from app.store.db import PLAIN_HEADER, Store, StoreError
from app.store.schema import MIGRATIONS, SCHEMA_VERSION
from app.store.settings import Settings, load_settings
from tests.integration._support import digest, has_own_message

CLOCK = FixedClock(datetime(2026, 3, 2, 9, 30))


def _new_store(data_dir: Path, key: str | None = None, **settings: object) -> tuple[Session, str]:
    key = key or generate_recovery_key()
    session = create_store(
        data_dir,
        Settings(school="OBS De Test", **settings),  # type: ignore[arg-type]
        key,
        key_mode="ask",
        provider=MemoryProvider(),
        clock=CLOCK,
    )
    return session, key


@pytest.fixture
def made(tmp_path: Path) -> tuple[Path, str]:
    """A closed store: (data folder, key)."""
    session, key = _new_store(tmp_path / "data")
    session.lock()
    return tmp_path / "data", key


def _raw(path: Path, key: str) -> sqlcipher3.Connection:
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA key = '" + key + "'")
    return conn


# -- creating and opening ----------------------------------------------------------------
def test_create_then_open_reads_the_settings_back(made: tuple[Path, str]) -> None:
    data_dir, key = made
    store = Store.open(store_path(data_dir), key)
    try:
        assert load_settings(store).school == "OBS De Test"
        assert store.schema_version == SCHEMA_VERSION
        assert store.integrity_problems() == []
    finally:
        store.close()
    assert store.conn is None


def test_pragmas_read_back(made: tuple[Path, str]) -> None:
    data_dir, key = made
    store = Store.open(store_path(data_dir), key)
    try:
        assert str(store.scalar("PRAGMA journal_mode")).lower() == "delete"
        assert store.scalar("PRAGMA synchronous") == 2  # FULL
        assert store.scalar("PRAGMA foreign_keys") == 1
        assert store.scalar("PRAGMA secure_delete") == 1
        assert store.scalar("PRAGMA temp_store") == 2  # MEMORY
        assert store.scalar("PRAGMA trusted_schema") == 0
        assert str(store.scalar("PRAGMA cipher_version")).startswith("4.")
    finally:
        store.close()


def test_file_is_encrypted_on_disk(made: tuple[Path, str]) -> None:
    data_dir, _key = made
    data = store_path(data_dir).read_bytes()
    assert not data.startswith(PLAIN_HEADER)
    assert not data.startswith(b"SQLite format 3")
    assert b"OBS De Test" not in data
    assert b"CREATE TABLE" not in data


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_owner_only_permissions(made: tuple[Path, str]) -> None:
    data_dir, _key = made
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE(store_path(data_dir).stat().st_mode) == 0o600
    assert stat.S_IMODE(config_path(data_dir).stat().st_mode) == 0o600
    # One file at rest: no -journal, -wal or -shm beside the store, no set-up leftovers.
    assert sorted(p.name for p in data_dir.iterdir()) == ["vertrouwd.db", "vertrouwd.json"]


def test_create_refuses_an_existing_store(made: tuple[Path, str]) -> None:
    data_dir, key = made
    before = digest(store_path(data_dir))
    with pytest.raises(StoreError) as caught:
        _new_store(data_dir)
    assert caught.value.reason == "exists"
    with pytest.raises(StoreError):
        Store.open(store_path(data_dir), key, create=True)
    assert digest(store_path(data_dir)) == before


def test_missing_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as caught:
        Store.open(tmp_path / "nothing.db", generate_recovery_key())
    assert caught.value.reason == "missing"
    with pytest.raises(UnlockNeeds) as needs:
        unlock(tmp_path, MemoryProvider(), generate_recovery_key())
    assert needs.value.reason == "missing"
    assert not (tmp_path / "nothing.db").exists()
    assert not store_path(tmp_path).exists()


# -- wrong keys (R4) ---------------------------------------------------------------------
def test_wrong_key_gives_the_dutch_message_and_changes_nothing(made: tuple[Path, str]) -> None:
    data_dir, key = made
    path = store_path(data_dir)
    before = digest(path)
    wrong = generate_recovery_key()
    with pytest.raises(StoreError) as caught:
        Store.open(path, wrong)
    assert caught.value.reason == "wrong_key_or_damaged"
    assert wrong not in str(caught.value)
    with pytest.raises(UnlockNeeds) as needs:
        unlock(data_dir, MemoryProvider(), wrong)
    assert needs.value.reason == "wrong_key"
    assert needs.value.can_type_key
    message = reason_message("wrong_key")
    assert has_own_message("wrong_key")
    assert "herstelsleutel" in message  # Dutch: "recovery key"
    assert digest(path) == before
    assert sorted(p.name for p in data_dir.iterdir()) == ["vertrouwd.db", "vertrouwd.json"]
    # And the right key still opens it afterwards.
    unlock(data_dir, MemoryProvider(), key).lock()


def test_a_hundred_wrong_keys(made: tuple[Path, str]) -> None:
    data_dir, key = made
    path = store_path(data_dir)
    before = digest(path)
    rng = random.Random(4)
    wrongs = [generate_recovery_key() for _ in range(90)]
    # Near misses too: the right key with one character changed.
    from app.security.keys import ALPHABET

    for _ in range(10):
        chars = list(key)
        spots = [i for i, ch in enumerate(chars) if ch != "-"]
        i = rng.choice(spots)
        chars[i] = rng.choice([c for c in ALPHABET if c != chars[i]])
        wrongs.append("".join(chars))
    assert key not in wrongs

    def attempt(wrong: str) -> tuple[str, str]:
        try:
            unlock(data_dir, MemoryProvider(), wrong).lock()
        except UnlockNeeds as needs:
            return needs.reason, digest(path)
        return "opened", digest(path)

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(attempt, wrongs))
    assert len(results) == 100
    assert {reason for reason, _ in results} == {"wrong_key"}
    assert {after for _, after in results} == {before}
    assert has_own_message("wrong_key")
    assert digest(path) == before


# -- damaged copies (R5) -----------------------------------------------------------------
def _damage(data: bytes, rng: random.Random) -> bytes:
    damaged = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        pos = rng.randrange(len(damaged))
        damaged[pos] = (damaged[pos] + rng.randrange(1, 256)) % 256  # a real change
    return bytes(damaged)


def test_damaged_copies_end_in_a_clear_message(tmp_path: Path) -> None:
    session, key = _new_store(tmp_path / "data")
    with session.store.transaction() as conn:
        for i in range(200):
            conn.execute("INSERT INTO note(body) VALUES (?)", (f"gesprek {i} " * 20,))
    session.lock()
    original = store_path(tmp_path / "data").read_bytes()
    rng = random.Random(20260302)
    seen: list[str] = []
    for n in range(20):
        copy = tmp_path / f"copy{n}.db"
        damaged = _damage(original, rng)
        copy.write_bytes(damaged)
        try:
            store = Store.open(copy, key)
        except StoreError as error:
            outcome = error.reason
        else:
            try:
                problems = store.integrity_problems()
                load_settings(store)
                journal.verify(store)
                outcome = "problems" if problems else "clean"
            except StoreError as error:
                outcome = error.reason
            finally:
                store.close()
        seen.append(outcome)
        assert outcome in {"wrong_key_or_damaged", "damaged", "problems"}, (n, outcome)
        if outcome != "problems":
            assert has_own_message(outcome), outcome
        assert copy.read_bytes() == damaged, f"copy {n} was changed by the attempt"
    assert "clean" not in seen


def test_damaged_header_through_unlock_says_damaged(tmp_path: Path) -> None:
    """With the right key (proven by the verifier beside the store) the VP hears "damaged",
    which offers a restore, not "wrong key"."""
    session, key = _new_store(tmp_path / "data")
    session.lock()
    path = store_path(tmp_path / "data")
    data = bytearray(path.read_bytes())
    data[3] ^= 0xFF  # inside the salt: nothing decrypts any more
    path.write_bytes(bytes(data))
    before = digest(path)
    with pytest.raises(UnlockNeeds) as needs:
        unlock(tmp_path / "data", MemoryProvider(), key)
    assert needs.value.reason == "damaged"
    assert has_own_message("damaged")
    with pytest.raises(UnlockNeeds) as wrong:
        unlock(tmp_path / "data", MemoryProvider(), generate_recovery_key())
    assert wrong.value.reason == "wrong_key"
    assert digest(path) == before


def test_empty_store_file_is_not_replaced_by_a_new_store(tmp_path: Path) -> None:
    """A truncated (0-byte) store opens with any key; it must not become a new empty store."""
    session, key = _new_store(tmp_path / "data")
    session.lock()
    path = store_path(tmp_path / "data")
    path.write_bytes(b"")
    for typed in (key, generate_recovery_key()):
        with pytest.raises(UnlockNeeds) as needs:
            unlock(tmp_path / "data", MemoryProvider(), typed)
        assert has_own_message(needs.value.reason)
        assert path.read_bytes() == b""
    with pytest.raises(StoreError):
        Store.open(path, key)
    assert path.read_bytes() == b""


# -- versions (R11) ----------------------------------------------------------------------
def test_newer_schema_is_refused_unchanged(made: tuple[Path, str]) -> None:
    data_dir, key = made
    path = store_path(data_dir)
    conn = _raw(path, key)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = digest(path)
    with pytest.raises(StoreError) as caught:
        Store.open(path, key)
    assert caught.value.reason == "newer_version"
    with pytest.raises(UnlockNeeds) as needs:
        unlock(data_dir, MemoryProvider(), key)
    assert needs.value.reason == "newer_version"
    assert has_own_message("newer_version")
    assert digest(path) == before
    assert sorted(p.name for p in data_dir.iterdir()) == ["vertrouwd.db", "vertrouwd.json"]


def _make_v1(path: Path, key: str) -> None:
    """A store as version 1 of the program left it (made at test time from MIGRATIONS[0])."""
    conn = _raw(path, key)
    conn.executescript(
        "BEGIN;\n" + MIGRATIONS[0] + "\nINSERT INTO setting(name, value) "
        "VALUES ('school', '\"Oude School\"');\nPRAGMA user_version = 1;\nCOMMIT;"
    )
    conn.close()


@pytest.mark.skipif(SCHEMA_VERSION < 2, reason="no migration after version 1 yet")
def test_migration_from_v1_keeps_a_backup_first(tmp_path: Path) -> None:
    path = tmp_path / "vertrouwd.db"
    key = generate_recovery_key()
    _make_v1(path, key)
    v1_bytes = path.read_bytes()
    store = Store.open(path, key)
    try:
        assert store.schema_version == SCHEMA_VERSION
        assert load_settings(store).school == "Oude School"
        assert store.integrity_problems() == []
        tables = {r[0] for r in store.query("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"pupil", "case_file", "note"} <= tables
    finally:
        store.close()
    backups = sorted(tmp_path.glob("vertrouwd.db.v1-*.bak"))
    assert len(backups) == 1
    backup = backups[0]
    assert backup.read_bytes() == v1_bytes
    assert not backup.read_bytes().startswith(PLAIN_HEADER)
    if os.name == "posix":
        assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    conn = _raw(backup, key)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
        assert conn.execute("SELECT value FROM setting WHERE name='school'").fetchone()[0] == (
            '"Oude School"'
        )
    finally:
        conn.close()
    # Opening the migrated store again does not make another backup.
    Store.open(path, key).close()
    assert len(list(tmp_path.glob("vertrouwd.db.v1-*.bak"))) == 1


@pytest.mark.skipif(SCHEMA_VERSION < 2, reason="no migration after version 1 yet")
def test_migration_can_be_refused(tmp_path: Path) -> None:
    path = tmp_path / "vertrouwd.db"
    key = generate_recovery_key()
    _make_v1(path, key)
    before = digest(path)
    with pytest.raises(StoreError) as caught:
        Store.open(path, key, migrate=False)
    assert caught.value.reason == "older_version"
    assert digest(path) == before
    assert not list(tmp_path.glob("*.bak"))


def test_plaintext_sqlite_is_refused(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    path = store_path(data_dir)
    conn = sqlcipher3.connect(str(path))  # no key: a plain SQLite file
    conn.execute("CREATE TABLE setting(name TEXT PRIMARY KEY, value TEXT)")
    conn.commit()
    conn.close()
    assert path.read_bytes().startswith(PLAIN_HEADER)
    before = digest(path)
    with pytest.raises(StoreError) as caught:
        Store.open(path, generate_recovery_key())
    assert caught.value.reason == "not_encrypted"
    with pytest.raises(UnlockNeeds) as needs:
        unlock(data_dir, MemoryProvider(), generate_recovery_key())
    assert needs.value.reason == "not_encrypted"
    assert has_own_message("not_encrypted")
    assert digest(path) == before


# -- journal (R14) -----------------------------------------------------------------------
@pytest.fixture
def journalled(tmp_path: Path) -> Store:
    session, _key = _new_store(tmp_path / "data")
    store = session.store
    clock = FixedClock(datetime(2026, 3, 2, 10, 0))
    for event in ("unlocked", "backed_up", "report_made", "locked", "unlocked"):
        clock.advance(minutes=7)
        journal.append(store, clock.now().isoformat(), event, count=3)
    yield store
    store.close()


def test_journal_intact(journalled: Store) -> None:
    assert journal.verify(journalled) == []
    assert journalled.scalar("SELECT count(*) FROM journal") == 6  # "created" + 5
    events = [e for _at, e, _d in journal.entries(journalled)]
    assert events[-1] == "created"


def test_journal_of_a_new_store_is_intact(tmp_path: Path) -> None:
    session, _key = _new_store(tmp_path / "data")
    try:
        assert journal.verify(session.store) == []
    finally:
        session.lock()


def test_journal_rejects_case_content() -> None:
    with pytest.raises(ValueError):
        journal.record(None, "2026-01-01T00:00:00", "exported", name="x" * 41)
    with pytest.raises(ValueError):
        journal.record(None, "2026-01-01T00:00:00", "not_an_event")


def _tamper(store: Store, sql: str, *params: object) -> None:
    store.conn.execute(sql, params)


@pytest.mark.parametrize(
    "how",
    ["change_detail", "change_event", "change_at", "delete_middle", "delete_last",
     "swap_at", "delete_first"],
)
def test_journal_tampering_is_detected(journalled: Store, how: str) -> None:
    ids = [r[0] for r in journalled.query("SELECT id FROM journal ORDER BY id")]
    middle = ids[len(ids) // 2]
    if how == "change_detail":
        _tamper(journalled, "UPDATE journal SET detail = ? WHERE id = ?",
                json.dumps({"count": 4}), middle)
    elif how == "change_event":
        _tamper(journalled, "UPDATE journal SET event = 'exported' WHERE id = ?", middle)
    elif how == "change_at":
        _tamper(journalled, "UPDATE journal SET at = '2020-01-01T00:00:00' WHERE id = ?", middle)
    elif how == "delete_middle":
        _tamper(journalled, "DELETE FROM journal WHERE id = ?", middle)
    elif how == "delete_first":
        _tamper(journalled, "DELETE FROM journal WHERE id = ?", ids[0])
    elif how == "delete_last":
        _tamper(journalled, "DELETE FROM journal WHERE id = ?", ids[-1])
    elif how == "swap_at":
        a, b = ids[1], ids[3]
        at_a = journalled.scalar("SELECT at FROM journal WHERE id = ?", (a,))
        at_b = journalled.scalar("SELECT at FROM journal WHERE id = ?", (b,))
        assert at_a != at_b
        _tamper(journalled, "UPDATE journal SET at = ? WHERE id = ?", at_b, a)
        _tamper(journalled, "UPDATE journal SET at = ? WHERE id = ?", at_a, b)
    assert journal.verify(journalled) != [], how


def test_journal_swapped_rows_are_detected(journalled: Store) -> None:
    """Reordering: two whole entries exchange places (ids kept, contents swapped)."""
    rows = journalled.query(
        "SELECT id, at, event, detail, prev_hash, hash FROM journal ORDER BY id"
    )
    a, b = rows[1], rows[3]
    conn = journalled.conn
    for target, source in ((a, b), (b, a)):
        conn.execute(
            "UPDATE journal SET at=?, event=?, detail=?, prev_hash=?, hash=? WHERE id=?",
            (source[1], source[2], source[3], source[4], source[5], target[0]),
        )
    assert journal.verify(journalled) != []


def test_journal_truncated_head_is_detected(journalled: Store) -> None:
    """Cutting entries off the end and rewriting the head without the hash is still caught."""
    last = journalled.scalar("SELECT max(id) FROM journal")
    journalled.conn.execute("DELETE FROM journal WHERE id = ?", (last,))
    journalled.conn.execute("DELETE FROM setting WHERE name = 'journal_head'")
    assert journal.verify(journalled) != []


# -- temp store (R17-lite) ---------------------------------------------------------------
def _open_files() -> set[str]:
    found = set()
    fd_dir = Path("/proc/self/fd")
    for entry in fd_dir.iterdir():
        try:
            found.add(os.readlink(entry))
        except OSError:
            continue
    return found


def test_sort_index_and_vacuum_use_no_temp_file(tmp_path: Path) -> None:
    session, _key = _new_store(tmp_path / "data")
    store = session.store
    data_dir = tmp_path / "data"
    rng = random.Random(17)
    with store.transaction() as conn:
        conn.executemany(
            "INSERT INTO note(body) VALUES (?)",
            [("".join(rng.choice("abcdefghij ") for _ in range(60)),) for _ in range(4000)],
        )
    seen: set[str] = set()
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            if sys.platform.startswith("linux"):
                seen.update(_open_files())
            seen.update(str(p) for p in data_dir.iterdir())

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        assert store.scalar("PRAGMA temp_store") == 2
        store.query("SELECT id FROM note ORDER BY body DESC, id")
        with store.transaction() as conn:
            conn.execute("CREATE INDEX note_body_test ON note(body)")
        assert store.scalar("PRAGMA temp_store") == 2
        store.conn.execute("VACUUM")
        assert store.scalar("PRAGMA temp_store") == 2
        assert store.integrity_problems() == []
    finally:
        stop.set()
        watcher.join()
        session.lock()
    # Only the store, its (encrypted) rollback journal while writing, and the config.
    allowed = {"vertrouwd.db", "vertrouwd.db-journal", "vertrouwd.json"}
    in_folder = {Path(p).name for p in seen if Path(p).parent == data_dir}
    assert in_folder <= allowed, in_folder
    assert sorted(p.name for p in data_dir.iterdir()) == ["vertrouwd.db", "vertrouwd.json"]
    suspicious = [p for p in seen if "etilqs" in p]  # SQLite's temp file names
    assert suspicious == []
    # The same file again: a fresh connection also reports temp_store = MEMORY.
    reopened = Store.open(store_path(data_dir), _key)
    try:
        assert reopened.scalar("PRAGMA temp_store") == 2
    finally:
        reopened.close()
