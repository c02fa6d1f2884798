"""The only module that touches SQLCipher: open with a key, prove it, set the pragmas, migrate.

Opening follows ARCHITECTURE.md §Seams 2: `PRAGMA key` answers "ok" even for a wrong key, so the
key is proven by a read of `sqlite_master`; `cipher_version` must be 4.x (encryption really on);
`journal_mode=DELETE` (one file at rest), `synchronous=FULL`, foreign keys, `secure_delete=ON`,
`temp_store=MEMORY` read back (a file temp store would write plaintext), `trusted_schema=OFF`.
A file from a newer program is refused before anything is written. Before migrating, a copy of
the (encrypted) file is kept beside it. No trace callback or SQL echo, ever.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlcipher3

from app.files import fsync_dir, make_private
from app.store.schema import MIGRATIONS, SCHEMA_VERSION

PLAIN_HEADER = b"SQLite format 3\x00"
DatabaseError = sqlcipher3.DatabaseError
Row = sqlcipher3.Row


class StoreError(Exception):
    """A store problem with a stable reason: missing, wrong_key, damaged, wrong_key_or_damaged,
    newer_version, not_encrypted, disk_full, io, locked, no_cipher."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


def _classify(exc: BaseException) -> str:
    text = str(exc).lower()
    if "full" in text:
        return "disk_full"
    if "locked" in text or "busy" in text:
        return "locked"
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return "damaged"
    if type(exc) is sqlcipher3.DatabaseError:
        # The bare class is SQLITE_CORRUPT/NOTADB territory (e.g. "vtable constructor failed"
        # on a damaged FTS page); I/O, full disk and misuse raise its subclasses.
        return "damaged"
    return "io"


def connect(path: Path, key: str) -> Any:
    """A keyed connection with the pragmas set and checked; the key proven by a read."""
    conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")  # SQLCipher would print to stderr
        conn.execute("PRAGMA key = " + _quote(key))
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError as exc:
        conn.close()
        raise StoreError("wrong_key_or_damaged", type(exc).__name__) from None
    try:
        version = conn.execute("PRAGMA cipher_version").fetchone()
        if not version or not str(version[0]).startswith("4."):
            raise StoreError("no_cipher", str(version))
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA secure_delete = ON")
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA cache_size = -16000")
        if conn.execute("PRAGMA temp_store").fetchone()[0] != 2:
            raise StoreError("no_cipher", "temp_store")
    except sqlcipher3.DatabaseError as exc:
        conn.close()
        raise StoreError(_classify(exc), type(exc).__name__) from None
    except StoreError:
        conn.close()
        raise
    conn.row_factory = sqlcipher3.Row
    return conn


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def is_plaintext_sqlite(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(16) == PLAIN_HEADER
    except OSError:
        return False


class Store:
    """An open, unlocked store. Every write goes through `transaction()`: one command, one
    transaction."""

    def __init__(self, path: Path, conn: Any) -> None:
        self.path = path
        self.conn = conn

    # -- opening -------------------------------------------------------------------------
    @classmethod
    def open(cls, path: Path, key: str, *, create: bool = False, migrate: bool = True) -> Store:
        if not create and not path.exists():
            raise StoreError("missing", str(path))
        if not create and is_plaintext_sqlite(path):
            raise StoreError("not_encrypted", str(path))
        if create and path.exists():
            raise StoreError("io", "exists")
        try:
            conn = connect(path, key)
        except sqlcipher3.Error as exc:
            raise StoreError(_classify(exc), type(exc).__name__) from None
        store = cls(path, conn)
        try:
            current = store.schema_version
            if current > SCHEMA_VERSION:
                raise StoreError("newer_version", f"{current}>{SCHEMA_VERSION}")
            if current == 0 and not create:
                # An empty (e.g. truncated) file opens with any key; migrating it would make a
                # new, empty store in place of the VP's data (QUALITY R16).
                raise StoreError("damaged", "empty")
            conn.execute("PRAGMA journal_mode = DELETE")
            if create or current < SCHEMA_VERSION:
                if not migrate and not create:
                    raise StoreError("older_version", f"{current}<{SCHEMA_VERSION}")
                store._migrate(current)
            make_private(path)
        except StoreError:
            store.close()
            raise
        except sqlcipher3.Error as exc:
            store.close()
            raise StoreError(_classify(exc), type(exc).__name__) from None
        return store

    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self, current: int) -> None:
        if current > 0:
            self.copy_before_migration(current)
        for version in range(current + 1, SCHEMA_VERSION + 1):
            script = MIGRATIONS[version - 1]
            try:
                self.conn.executescript(
                    f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version = {version};\nCOMMIT;"
                )
            except BaseException:
                with contextlib.suppress(sqlcipher3.Error):
                    self.conn.execute("ROLLBACK")
                raise

    def copy_before_migration(self, current: int) -> Path:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{self.path.name}.v{current}-{stamp}.bak")
        shutil.copyfile(self.path, target)
        with open(target, "rb+") as handle:
            os.fsync(handle.fileno())
        make_private(target)
        fsync_dir(target.parent)
        return target

    # -- use -----------------------------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self) -> Iterator[Any]:
        """BEGIN IMMEDIATE ... COMMIT, rolled back on any error; store errors mapped."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlcipher3.Error as exc:
            raise StoreError(_classify(exc), type(exc).__name__) from None
        try:
            yield self.conn
            self.conn.execute("COMMIT")
        except BaseException as exc:
            with contextlib.suppress(sqlcipher3.Error):
                self.conn.execute("ROLLBACK")
            if isinstance(exc, sqlcipher3.Error):
                raise StoreError(_classify(exc), type(exc).__name__) from None
            raise

    def query(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> list[Any]:
        try:
            return list(self.conn.execute(sql, params).fetchall())
        except sqlcipher3.Error as exc:
            raise StoreError(_classify(exc), type(exc).__name__) from None

    def scalar(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> Any:
        rows = self.query(sql, params)
        return rows[0][0] if rows else None

    def integrity_problems(self) -> list[str]:
        """Both checks: `cipher_integrity_check` (tampering) and `integrity_check` (truncation)."""
        problems = [str(r[0]) for r in self.query("PRAGMA cipher_integrity_check")]
        result = [str(r[0]) for r in self.query("PRAGMA integrity_check")]
        if result != ["ok"]:
            problems.extend(result)
        return problems

    def table_counts(self) -> dict[str, int]:
        names = [
            r[0]
            for r in self.query(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
                "AND name NOT LIKE '%fts%' ORDER BY name"
            )
        ]
        return {name: int(self.scalar(f'SELECT count(*) FROM "{name}"')) for name in names}

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.conn.close()
        self.conn = None
