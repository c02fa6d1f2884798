"""What was erased or destroyed, kept OUTSIDE the store so that a restore cannot bring it back
(issue 13 item 3).

Restoring a backup made before an erasure would silently return the erased pupil, and the
journal's `erased` event disappears with it. So every erasure on request and every retention
destruction is also written to `vertrouwd-erased.json` in the data folder, beside the store;
after a restore (`app.services.backup.restore_backup`) `reapply` deletes those rows again
before the store is handed to the window, and journals `erasure_reapplied` with counts.

**What the ledger holds, and why it may be a plain file.** Per event: the time, the kind
(`erased` / `destroyed`) and, per pupil, case and request row, its internal id with a short
fingerprint: the first 16 hex digits of SHA-256 over table, id and the row's creation stamp
(`pupil.created_at`, `case_file.opened_on`, `request.received_at`). No name, no text, no
category, no class. An id means nothing without the encrypted store; the fingerprint only
lets the program tell "the same row" from a later row that SQLite gave the same id (ids of
deleted rows can be reused), so a re-apply never touches a pupil registered after the
erasure. Encrypting the ledger with the store key would not work: after a re-key an older
backup opens only with the old key, and the ledger must be readable in both cases. The file
is owner-only and written atomically.

The ledger is written inside the erasing transaction, just before the commit: when writing it
fails, nothing is erased. (A crash between the ledger write and the commit leaves an entry for
rows that still exist; a later restore would then erase them. That is the safe side for a
request the VP had already confirmed.)
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from app import journal
from app.domain.dates import moment_to_db
from app.files import write_atomic
from app.i18n import _
from app.store.db import Store, StoreError

__all__ = [
    "LEDGER_NAME",
    "Reapplied",
    "ledger_path",
    "read_ledger",
    "reapplied_message",
    "reapply",
    "remember",
]

LEDGER_NAME = "vertrouwd-erased.json"
KIND = "vertrouwd-erasure-ledger"
_IN_LIST = "(SELECT value FROM json_each(?))"
_STAMPS = {
    "pupils": ("pupil", "created_at"),
    "cases": ("case_file", "opened_on"),
    "requests": ("request", "received_at"),
}


@dataclass(frozen=True)
class Reapplied:
    events: int = 0  # ledger events that still found rows
    cases: int = 0
    pupils: int = 0
    requests: int = 0


def ledger_path(store_file: Path) -> Path:
    return Path(store_file).parent / LEDGER_NAME


def _fingerprint(table: str, row_id: int, stamp: object) -> str:
    return hashlib.sha256(f"{table}\x1f{row_id}\x1f{stamp}".encode()).hexdigest()[:16]


def _prints(conn: Any, group: str, ids: Sequence[int]) -> list[tuple[int, str]]:
    table, column = _STAMPS[group]
    rows = conn.execute(
        f"SELECT id, {column} FROM {table} WHERE id IN {_IN_LIST}",
        (json.dumps(sorted({int(i) for i in ids})),),
    ).fetchall()
    return [(int(r[0]), _fingerprint(table, int(r[0]), r[1])) for r in rows]


def read_ledger(store_file: Path) -> list[dict[str, Any]]:
    """The recorded events (oldest first); an empty list when there is no readable ledger."""
    try:
        raw = json.loads(ledger_path(store_file).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(raw, dict) or raw.get("kind") != KIND:
        return []
    events = raw.get("events")
    return [e for e in events if isinstance(e, dict)] if isinstance(events, list) else []


def remember(
    conn: Any,
    store_file: Path,
    *,
    event: str,
    at: datetime,
    case_ids: Sequence[int],
    request_ids: Sequence[int] = (),
    pupil_ids: Sequence[int] = (),
) -> None:
    """Inside the caller's transaction, BEFORE the rows are deleted: add an event to the
    ledger. Raises StoreError("io") when the file cannot be written (the caller then rolls
    back: nothing is erased)."""
    entry = {
        "at": moment_to_db(at),
        "event": event,
        "cases": _prints(conn, "cases", case_ids),
        "requests": _prints(conn, "requests", request_ids),
        "pupils": _prints(conn, "pupils", pupil_ids),
    }
    events = [*read_ledger(store_file), entry]
    data = {"kind": KIND, "format": 1, "events": events}
    try:
        write_atomic(ledger_path(store_file), json.dumps(data, indent=1).encode("utf-8"))
    except OSError as exc:
        raise StoreError("io", "erasure ledger") from exc


def _still_there(conn: Any, group: str, recorded: object) -> list[int]:
    """The recorded ids whose row exists with the same fingerprint."""
    if not isinstance(recorded, list):
        return []
    wanted: dict[int, str] = {}
    for item in recorded:
        with contextlib.suppress(TypeError, ValueError, IndexError):
            wanted[int(item[0])] = str(item[1])
    if not wanted:
        return []
    found = dict(_prints(conn, group, list(wanted)))
    return sorted(i for i, fp in found.items() if wanted.get(i) == fp)


def reapply(store: Store, *, now: datetime) -> Reapplied:
    """Erase again what the ledger lists and the (restored) store still holds; journal
    `erasure_reapplied` with counts and tidy the file when anything was found."""
    from app.services.retention import compact, erase

    events = read_ledger(store.path)
    if not events:
        return Reapplied()
    totals = {"events": 0, "cases": 0, "pupils": 0, "requests": 0}
    with store.transaction() as conn:
        for entry in events:
            cases = _still_there(conn, "cases", entry.get("cases"))
            requests = _still_there(conn, "requests", entry.get("requests"))
            pupils = _still_there(conn, "pupils", entry.get("pupils"))
            if not (cases or requests or pupils):
                continue
            if pupils and entry.get("event") == "erased":
                # An erased pupil goes with every case and request it has in this copy.
                marks = json.dumps(pupils)
                cases = sorted(set(cases) | {int(r[0]) for r in conn.execute(
                    f"SELECT id FROM case_file WHERE pupil_id IN {_IN_LIST}", (marks,))})
                requests = sorted(set(requests) | {int(r[0]) for r in conn.execute(
                    f"SELECT id FROM request WHERE pupil_id IN {_IN_LIST}", (marks,))})
            counts = erase(conn, cases, request_ids=requests, pupil_ids=pupils)
            totals["events"] += 1
            totals["cases"] += counts.cases
            totals["pupils"] += counts.pupils
            totals["requests"] += counts.requests
        if totals["events"]:
            journal.record(conn, moment_to_db(now), "erasure_reapplied", **totals)
    if totals["events"]:
        with contextlib.suppress(Exception):
            compact(store)
    return Reapplied(**totals)


def reapplied_message(done: Reapplied) -> str:
    """Said after a restore that applied earlier erasures again ("" when there were none)."""
    if not done.events:
        return ""
    return _(
        "This backup was made before some data were erased or destroyed. That has been done "
        "again now: {pupils} pupil(s), {cases} case file(s) and {requests} request(s) were "
        "removed from the restored data file."
    ).format(pupils=done.pupils, cases=done.cases, requests=done.requests)
