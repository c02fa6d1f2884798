"""R12: a store made by Vertrouwd opens with an independent SQLCipher 4 implementation
(apsw-sqlite3mc, cipher "sqlcipher", legacy 4) and the recovery key: no lock-in."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

apsw = pytest.importorskip("apsw")

from app.paths import store_path  # noqa: E402
from app.security.keys import MemoryProvider, generate_recovery_key  # noqa: E402
from app.security.vault import create_store  # noqa: E402
from app.store.db import Store  # noqa: E402
from app.store.schema import MIGRATIONS, SCHEMA_VERSION  # noqa: E402
from app.store.settings import Settings  # noqa: E402


def _open_independently(path: Path, key: str):
    con = apsw.Connection(str(path), flags=apsw.SQLITE_OPEN_READONLY)
    assert con.pragma("cipher", "sqlcipher") == "sqlcipher"
    assert int(con.pragma("legacy", 4)) == 4
    con.pragma("key", key)
    return con


@pytest.fixture
def made(tmp_path: Path) -> tuple[Path, str]:
    key = generate_recovery_key()
    session = create_store(
        tmp_path / "data",
        Settings(school="Sint-Jozefschool", location="Brandevoort", vp_name="J. Janssen"),
        key,
        key_mode="ask",
        provider=MemoryProvider(),
    )
    if SCHEMA_VERSION >= 2:
        with session.store.transaction() as conn:
            conn.execute("INSERT INTO note(body) VALUES (?)", ("Gesprek over thuis, é ü ✓",))
    session.lock()
    return store_path(tmp_path / "data"), key


def test_store_opens_with_apsw_sqlite3mc_and_the_recovery_key(made: tuple[Path, str]) -> None:
    path, key = made
    before = path.read_bytes()
    con = _open_independently(path, key)
    try:
        rows = dict(con.execute("SELECT name, value FROM setting"))
        assert json.loads(rows["school"]) == "Sint-Jozefschool"
        assert json.loads(rows["location"]) == "Brandevoort"
        assert json.loads(rows["vp_name"]) == "J. Janssen"
        assert con.execute("PRAGMA user_version").fetchall()[0][0] == SCHEMA_VERSION
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        events = [r[0] for r in con.execute("SELECT event FROM journal ORDER BY id")]
        assert events[0] == "created"
        if SCHEMA_VERSION >= 2:
            notes = [r[0] for r in con.execute("SELECT body FROM note")]
            assert notes == ["Gesprek over thuis, é ü ✓"]
    finally:
        con.close()
    assert path.read_bytes() == before


def test_independent_reader_refuses_a_wrong_key(made: tuple[Path, str]) -> None:
    path, _key = made
    con = _open_independently(path, generate_recovery_key())
    try:
        with pytest.raises(apsw.Error):
            con.execute("SELECT count(*) FROM sqlite_master").fetchall()
    finally:
        con.close()


def test_independent_reader_needs_the_sqlcipher_scheme(made: tuple[Path, str]) -> None:
    """Without a key the file is not a database to any reader: it really is encrypted."""
    path, _key = made
    con = apsw.Connection(str(path), flags=apsw.SQLITE_OPEN_READONLY)
    try:
        with pytest.raises(apsw.Error):
            con.execute("SELECT count(*) FROM sqlite_master").fetchall()
    finally:
        con.close()


@pytest.mark.skipif(SCHEMA_VERSION < 2, reason="no migration after version 1 yet")
def test_migration_backup_opens_independently(tmp_path: Path) -> None:
    import sqlcipher3

    path = tmp_path / "vertrouwd.db"
    key = generate_recovery_key()
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA key = '" + key + "'")
    conn.executescript(
        "BEGIN;\n" + MIGRATIONS[0] + "\nINSERT INTO setting VALUES ('school', '\"Oud\"');"
        "\nPRAGMA user_version = 1;\nCOMMIT;"
    )
    conn.close()
    Store.open(path, key).close()
    (backup,) = tmp_path.glob("vertrouwd.db.v1-*.bak")
    for target, version in ((backup, 1), (path, SCHEMA_VERSION)):
        con = _open_independently(target, key)
        try:
            assert con.execute("PRAGMA user_version").fetchall()[0][0] == version
            assert dict(con.execute("SELECT name, value FROM setting"))["school"] == '"Oud"'
        finally:
            con.close()
