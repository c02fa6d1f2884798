"""Drafts of unfinished forms: kept as JSON inside the encrypted store, replaced, discarded."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from app.services.drafts import discard_draft, draft_saved_at, load_draft, save_draft
from app.store.db import Store

TEST_KEY = "TESTK-EYTES-TKEYT-ESTKE-YTEST-KEYTE"


def test_save_load_replace_discard(store: Store) -> None:
    assert load_draft(store, "intake") is None
    assert draft_saved_at(store, "intake") is None
    first = {"pupil_name": "Zoë de Vries", "categories": ["pesten"], "year_group": 2}
    save_draft(store, "intake", first, now=datetime(2026, 10, 15, 10, 0))
    assert load_draft(store, "intake") == first
    assert draft_saved_at(store, "intake") == datetime(2026, 10, 15, 10, 0)
    save_draft(store, "intake", {"pupil_name": "Sem"}, now=datetime(2026, 10, 15, 11, 0))
    assert load_draft(store, "intake") == {"pupil_name": "Sem"}
    assert store.scalar("SELECT count(*) FROM draft") == 1
    save_draft(store, "other", {"x": 1})
    discard_draft(store, "intake")
    assert load_draft(store, "intake") is None
    assert load_draft(store, "other") == {"x": 1}
    discard_draft(store, "intake")  # nothing to discard: no error


def test_a_draft_survives_closing_and_is_encrypted(tmp_path: Path) -> None:
    path = tmp_path / "d.db"
    store = Store.open(path, TEST_KEY, create=True)
    save_draft(store, "intake", {"story": "UNIQUE-DRAFT-TEXT"})
    store.close()
    assert b"UNIQUE-DRAFT-TEXT" not in path.read_bytes()
    again = Store.open(path, TEST_KEY)
    try:
        assert load_draft(again, "intake") == {"story": "UNIQUE-DRAFT-TEXT"}
    finally:
        again.close()


def test_an_unreadable_draft_reads_as_none(store: Store) -> None:
    with store.transaction() as conn:
        conn.execute("INSERT INTO draft(kind, body, saved_at) VALUES ('intake', '[1, 2', 'x')")
    assert load_draft(store, "intake") is None


def test_bad_input_is_refused(store: Store) -> None:
    with pytest.raises(ValueError):
        save_draft(store, "", {})
    with pytest.raises(TypeError):
        save_draft(store, "intake", ["not", "a", "dict"])  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        save_draft(store, "intake", {"when": object()})
    assert load_draft(store, "intake") is None
