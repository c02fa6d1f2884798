"""The event journal: what happened to the store (opened, unlocked, locked, exported, backed up,
restored, report made, destroyed) with a time and counts, never case content.

Each entry's hash covers the previous entry's hash, so changing, removing or reordering an
entry breaks the chain; the newest hash is also kept in `setting` as `journal_head`, so cutting
entries off the end is detected too.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from app.store.db import Store

EVENTS = (
    "created", "opened", "unlocked", "locked", "migrated", "exported", "backed_up", "restored",
    "rekeyed", "report_made", "destroyed", "erased", "handover",
    # issue 13 (privacy): holds, privacy requests, erasures applied again after a restore
    "hold_placed", "hold_lifted", "privacy_request", "erasure_reapplied",
    # issue 14 (report): the date the annual report was discussed with the director
    "report_discussed",
)
GENESIS = "0" * 64


def _digest(prev: str, entry_id: int, at: str, event: str, detail: str) -> str:
    payload = "\x1f".join((prev, str(entry_id), at, event, detail)).encode()
    return hashlib.sha256(payload).hexdigest()


def record(conn: Any, at: str, event: str, **counts: int | str) -> None:
    """Append an event inside the caller's transaction. Details are counts and codes only."""
    if event not in EVENTS:
        raise ValueError(f"unknown journal event {event!r}")
    for value in counts.values():
        if not isinstance(value, int | str) or (isinstance(value, str) and len(value) > 40):
            raise ValueError("journal details are short codes and counts only")
    detail = json.dumps(counts, sort_keys=True)
    row = conn.execute("SELECT id, hash FROM journal ORDER BY id DESC LIMIT 1").fetchone()
    prev_id, prev = (int(row[0]), str(row[1])) if row else (0, GENESIS)
    entry_id = prev_id + 1
    digest = _digest(prev, entry_id, at, event, detail)
    conn.execute(
        "INSERT INTO journal(id, at, event, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?)",
        (entry_id, at, event, detail, prev, digest),
    )
    conn.execute(
        "INSERT INTO setting(name, value) VALUES ('journal_head', ?) "
        "ON CONFLICT(name) DO UPDATE SET value = excluded.value",
        (json.dumps(f"{entry_id}:{digest}"),),
    )


def append(store: Store, at: str, event: str, **counts: int | str) -> None:
    with store.transaction() as conn:
        record(conn, at, event, **counts)


def verify(store: Store) -> list[str]:
    """Problems found in the chain (empty when it is intact)."""
    problems: list[str] = []
    prev, expected_id = GENESIS, 1
    rows = store.query("SELECT id, at, event, detail, prev_hash, hash FROM journal ORDER BY id")
    for row in rows:
        entry_id, at, event, detail, prev_hash, digest = row
        if entry_id != expected_id:
            problems.append(f"gap before entry {entry_id}")
        if prev_hash != prev or _digest(prev_hash, entry_id, at, event, detail) != digest:
            problems.append(f"entry {entry_id} changed or out of order")
        prev, expected_id = digest, entry_id + 1
    head = store.scalar("SELECT value FROM setting WHERE name = 'journal_head'")
    last = f"{expected_id - 1}:{prev}"
    if head is None and expected_id > 1:
        problems.append("journal head missing")
    elif head is not None and json.loads(head) != last:
        problems.append("entries removed from the end")
    return problems


CODE_HEX = 8


def witness(store: Store) -> tuple[str, str] | None:
    """The journal's head as a short check code (``"137-3FA9C2D1"``) and its moment.

    Printed on the last page of the annual report: a later change of the journal up to that
    entry shows when :func:`check_code` is run with the printed code. ``None`` for an empty
    journal.
    """
    row = store.query("SELECT id, at, hash FROM journal ORDER BY id DESC LIMIT 1")
    if not row:
        return None
    entry_id, at, digest = row[0]
    return f"{int(entry_id)}-{str(digest)[:CODE_HEX].upper()}", str(at)


def check_code(store: Store, code: str) -> str | None:
    """Check the journal against a printed code: ``None`` when it matches, else why not.

    The reason is a short English code: ``"bad code"`` (not of the form N-XXXXXXXX),
    ``"missing"`` (no entry N: entries were removed), ``"changed"`` (entry N's hash differs:
    the journal up to it was changed), ``"broken"`` (the chain itself is broken).
    """
    number, _sep, prefix = code.strip().upper().partition("-")
    if not number.isdigit() or len(prefix) != CODE_HEX or any(
        ch not in "0123456789ABCDEF" for ch in prefix
    ):
        return "bad code"
    row = store.query("SELECT hash FROM journal WHERE id = ?", (int(number),))
    if not row:
        return "missing"
    if not str(row[0][0]).upper().startswith(prefix):
        return "changed"
    if verify(store):
        return "broken"
    return None


def entries(store: Store, limit: int = 200) -> list[tuple[str, str, dict[str, Any]]]:
    rows = store.query(
        "SELECT at, event, detail FROM journal ORDER BY id DESC LIMIT ?", (limit,)
    )
    return [(str(r[0]), str(r[1]), json.loads(r[2])) for r in rows]
