"""Drafts of unfinished forms (the intake wizard), kept in the encrypted store (PRODUCT.md §2).

A draft is a plain dict of the form's state, stored as JSON in the `draft` table under a `kind`
("intake"): one draft per kind, a new save replaces the old one. Drafts live only inside the
encrypted database, never in a settings file or a temporary file. Each command is one
transaction. `load_draft` returns None for a missing draft and for one that can no longer be
read (an older program's layout), so a broken draft never blocks the form; the form decides
whether to offer it.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from app.domain.dates import moment_from_db, moment_to_db
from app.store.db import Store

__all__ = ["discard_draft", "draft_saved_at", "load_draft", "save_draft"]

_MAX_KIND = 100


def _check_kind(kind: str) -> str:
    if not isinstance(kind, str) or not kind.strip() or len(kind) > _MAX_KIND:
        raise ValueError(f"bad draft kind {kind!r}")
    return kind


def save_draft(
    store: Store, kind: str, data: dict[str, Any], *, now: datetime | None = None
) -> None:
    """Keep `data` (JSON-serialisable) as the draft of `kind`, replacing an earlier one."""
    _check_kind(kind)
    if not isinstance(data, dict):
        raise TypeError("a draft is a dict")
    body = json.dumps(data, ensure_ascii=False, sort_keys=True)
    stamp = moment_to_db(now or datetime.now())
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO draft(kind, body, saved_at) VALUES (?, ?, ?) "
            "ON CONFLICT(kind) DO UPDATE SET body = excluded.body, saved_at = excluded.saved_at",
            (kind, body, stamp),
        )


def load_draft(store: Store, kind: str) -> dict[str, Any] | None:
    """The draft of `kind`, or None when there is none (or it cannot be read)."""
    _check_kind(kind)
    rows = store.query("SELECT body FROM draft WHERE kind = ?", (kind,))
    if not rows:
        return None
    try:
        data = json.loads(rows[0][0])
    except (TypeError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def draft_saved_at(store: Store, kind: str) -> datetime | None:
    """When the draft of `kind` was saved; None when there is none."""
    _check_kind(kind)
    text = store.scalar("SELECT saved_at FROM draft WHERE kind = ?", (kind,))
    try:
        return moment_from_db(text)
    except (TypeError, ValueError):
        return None


def discard_draft(store: Store, kind: str) -> None:
    """Delete the draft of `kind` (nothing happens when there is none)."""
    _check_kind(kind)
    with store.transaction() as conn:
        conn.execute("DELETE FROM draft WHERE kind = ?", (kind,))
