"""QUALITY R11: a store of every earlier schema version migrates, with a backup first; a store
of a newer schema is refused and left exactly as it was.

The fixtures are built by `tests/reliability/fixtures.py` (kept as code: database files are
not committed). For each version N below the current one: `Store.open` migrates the fixture to
SCHEMA_VERSION, both integrity checks pass, the journal chain is intact, every fixture row reads
back (through SQL and through the services), and a `.vN-*.bak` copy with the original bytes
sits beside it and still opens at version N.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from app import journal
from app.paths import store_path
from app.security.keys import MemoryProvider, generate_recovery_key
from app.security.vault import UnlockNeeds, unlock
from app.services import casework as cw
from app.services.search import search
from app.store.db import PLAIN_HEADER, Store, StoreError, connect
from app.store.schema import SCHEMA_VERSION
from app.store.settings import load_settings
from tests.reliability.fixtures import ROWS, SHIPPED, SHIPPED_SCHEMA, Expected, build_fixture

EARLIER = list(range(1, SCHEMA_VERSION))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _check_rows(conn: Any, expected: Expected) -> None:
    for sql, rows in expected.queries:
        found = [tuple(r) for r in conn.execute(sql).fetchall()]
        assert found == rows, sql
    for table, count in expected.counts.items():
        assert conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] == count, table


def test_shipped_migrations_are_never_edited() -> None:
    """A released migration ran on VPs' stores as it was: the code must still hold exactly the
    text that shipped (tests/reliability/shipped_schema), or stores would diverge."""
    from app.store.schema import MIGRATIONS

    for version in range(1, SHIPPED + 1):
        shipped = (SHIPPED_SCHEMA / f"v{version}.sql").read_text(encoding="utf-8")
        assert MIGRATIONS[version - 1] == shipped, f"migration {version} was edited after release"


def test_every_earlier_version_has_fixture_rows() -> None:
    """When a migration lands, the version before it becomes a fixture: it must have its
    entry in `fixtures.ROWS` (the rows of the tables it introduced; a no-op if it added none)."""
    assert set(EARLIER) <= set(ROWS)


@pytest.mark.parametrize("version", EARLIER)
def test_earlier_version_migrates_with_a_backup_first(tmp_path: Path, version: int) -> None:
    path = tmp_path / "vertrouwd.db"
    key = generate_recovery_key()
    expected = build_fixture(path, key, version)
    original = _digest(path)
    assert not path.read_bytes().startswith(PLAIN_HEADER)

    store = Store.open(path, key)
    try:
        assert store.schema_version == SCHEMA_VERSION
        assert store.integrity_problems() == []
        assert journal.verify(store) == []
        assert store.query("PRAGMA foreign_key_check") == []
        _check_rows(store.conn, expected)
        assert load_settings(store).school == expected.school
        if expected.search_word:
            hits = search(store, expected.search_word)
            assert [h.case_id for h in hits] == [expected.search_case]
        if version >= 2:
            case = cw.get_case(store, 1)
            assert case.pupil_id == 1
            assert [e.kind for e in cw.timeline(store, 1)].count("conversation") == 2
    finally:
        store.close()

    backups = sorted(tmp_path.glob(f"vertrouwd.db.v{version}-*.bak"))
    assert len(backups) == 1, sorted(p.name for p in tmp_path.iterdir())
    backup = backups[0]
    assert _digest(backup) == original
    if os.name == "posix":
        assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    conn = connect(backup, key)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == version
        _check_rows(conn, expected)
    finally:
        conn.close()

    # Opened again: already current, no second backup.
    Store.open(path, key).close()
    assert len(list(tmp_path.glob("vertrouwd.db.v*.bak"))) == 1


@pytest.mark.parametrize("version", EARLIER)
def test_earlier_version_is_left_alone_when_migration_is_refused(
    tmp_path: Path, version: int
) -> None:
    path = tmp_path / "vertrouwd.db"
    key = generate_recovery_key()
    build_fixture(path, key, version)
    before = _digest(path)
    with pytest.raises(StoreError) as caught:
        Store.open(path, key, migrate=False)
    assert caught.value.reason == "older_version"
    assert _digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["vertrouwd.db"]


def test_newer_version_is_refused_and_nothing_changes(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    path = store_path(data)
    key = generate_recovery_key()
    build_fixture(path, key, SCHEMA_VERSION)
    conn = connect(path, key)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = _digest(path)
    with pytest.raises(StoreError) as caught:
        Store.open(path, key)
    assert caught.value.reason == "newer_version"
    with pytest.raises(UnlockNeeds) as needs:
        unlock(data, MemoryProvider(), key)
    assert needs.value.reason == "newer_version"
    assert _digest(path) == before
    assert sorted(p.name for p in data.iterdir()) == ["vertrouwd.db"]
