"""Handover to a successor VP (job 7): a new store under a new key with only the open work;
what was due for destruction is purged from the old store first."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from app import journal
from app.config import load_config
from app.paths import store_path
from app.security.keys import MemoryProvider, generate_recovery_key
from app.security.vault import Session, UnlockNeeds, create_store, unlock
from app.services.activities import list_activities
from app.services.cases import get_case, timeline
from app.services.demo import generate
from app.services.escalation import case_obligations, decisions
from app.services.handover import HandoverError, handover
from app.services.meldcode import routes_for_case
from app.services.search import search
from app.store.db import Store
from app.store.settings import Settings, load_settings
from tests.integration._privacy_support import (
    decrypted_pages,
    found_in,
    marked_case,
    report_made,
)

OLD = "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE-FFFFF"
TODAY = date(2025, 9, 1)
NOW = datetime(2025, 9, 1, 12, 0)
SETTINGS = Settings(
    school="Overdrachtscollege",
    location="Breda",
    vp_name="J. Janssen",
    region="zuid",
    study_days=["2025-10-06"],
    retention_years=1,
    retention_years_meldcode=1,
)


@pytest.fixture
def session(tmp_path: Path) -> Session:
    made = create_store(
        tmp_path / "old", SETTINGS, OLD, key_mode="keyring", provider=MemoryProvider()
    )
    generate(made.store, years=3, seed=7, today=TODAY)
    yield made
    if made.store.conn is not None:
        made.lock()


def test_the_successor_gets_only_the_open_work(session: Session, tmp_path: Path) -> None:
    store = session.store
    due_case = marked_case(store, "du", opened_on=date(2024, 3, 11), closed_on=date(2024, 4, 15))
    closed = marked_case(store, "cl", opened_on=date(2025, 3, 3), closed_on=date(2025, 5, 5))
    running = marked_case(store, "op", opened_on=date(2025, 3, 10), closed_on=None)
    report_made(store, "2023-2024", datetime(2024, 9, 20, 10, 0))
    open_ids = {int(r[0]) for r in store.query("SELECT id FROM case_file WHERE closed_on IS NULL")}
    waiting = {
        int(r[0])
        for r in store.query("SELECT id FROM request WHERE case_id IS NULL AND answered_on IS NULL")
    }
    assert running.case_id in open_ids and len(open_ids) > 5 and waiting

    target, key = handover(session, tmp_path / "successor", now=NOW, settings=SETTINGS)

    assert target == store_path(tmp_path / "successor")
    # The old store: what was due is gone, the rest is still there; both journals say so.
    assert store.scalar("SELECT count(*) FROM case_file WHERE id = ?", (due_case.case_id,)) == 0
    assert get_case(store, closed.case_id).closed_on == date(2025, 5, 5)
    events = [e for _at, e, _d in journal.entries(store, 3)]
    assert events[:2] == ["handover", "destroyed"]
    assert journal.verify(store) == []

    # The new store opens with the returned key only, asks for it, and holds the open work.
    config = load_config(tmp_path / "successor")
    assert config is not None and config.key_mode == "ask"
    with pytest.raises(UnlockNeeds):
        unlock(tmp_path / "successor", MemoryProvider())
    with pytest.raises(UnlockNeeds):
        unlock(tmp_path / "successor", MemoryProvider(), OLD)
    new = unlock(tmp_path / "successor", MemoryProvider(), key)
    try:
        fresh = new.store
        assert fresh.integrity_problems() == []
        assert fresh.query("PRAGMA foreign_key_check") == []
        ids = {int(r[0]) for r in fresh.query("SELECT id FROM case_file")}
        assert ids == open_ids
        assert fresh.scalar("SELECT count(*) FROM case_file WHERE closed_on IS NOT NULL") == 0
        requests = {int(r[0]) for r in fresh.query("SELECT id FROM request")}
        assert waiting <= requests
        assert (
            fresh.scalar(
                "SELECT count(*) FROM request WHERE case_id IS NULL AND answered_on IS NOT NULL"
            )
            == 0
        )
        # The open case came over whole: texts, corrections, checks, obligations, route.
        case = get_case(fresh, running.case_id)
        assert case.story == get_case(store, running.case_id).story
        assert [e.text for e in timeline(fresh, case.id)] == [
            e.text for e in timeline(store, case.id)
        ]
        assert decisions(fresh, case.id)[0].motivations == decisions(store, case.id)[0].motivations
        assert len(case_obligations(fresh, case.id)) == len(case_obligations(store, case.id))
        assert routes_for_case(fresh, case.id)[0].afwegingen == (
            routes_for_case(store, case.id)[0].afwegingen
        )
        # Full-text search works in the new file.
        assert [h.case_id for h in search(fresh, "zqopstory")] == [running.case_id]
        # Settings without the old VP's name; this school year's activities only.
        settings = load_settings(fresh)
        assert settings.vp_name == "" and settings.school == "Overdrachtscollege"
        assert settings.study_days == ["2025-10-06"]
        assert all(a.on_date >= date(2025, 8, 1) for a in list_activities(fresh))
        # Pupils only of what came over.
        assert (
            fresh.scalar(
                "SELECT count(*) FROM pupil p WHERE NOT EXISTS (SELECT 1 FROM case_file c "
                "WHERE c.pupil_id = p.id) AND NOT EXISTS (SELECT 1 FROM request r "
                "WHERE r.pupil_id = p.id)"
            )
            == 0
        )
        events = [(e, d) for _at, e, d in journal.entries(fresh, 5)]
        assert [e for e, _d in events] == ["unlocked", "handover", "created"]
        assert events[1][1]["cases"] == len(open_ids)
        assert journal.verify(fresh) == []
        path = fresh.path
    finally:
        new.lock()
    # Nothing of the closed cases is in any page of the new file.
    pages = decrypted_pages(path, key)
    assert found_in(pages, [*closed.markers, closed.pupil_name, *due_case.markers]) == []
    kept = [m for m in running.markers if not m.endswith("close")]  # open: no closing note
    assert found_in(pages, kept) == kept


def test_a_folder_with_a_store_is_refused(session: Session, tmp_path: Path) -> None:
    other = create_store(
        tmp_path / "taken",
        Settings(school="X"),
        generate_recovery_key(),
        key_mode="ask",
        provider=MemoryProvider(),
    )
    other.lock()
    before = (tmp_path / "taken" / "vertrouwd.db").read_bytes()
    counts = session.store.table_counts()
    with pytest.raises(HandoverError) as refused:
        handover(session, tmp_path / "taken", now=NOW, settings=SETTINGS)
    assert "lege map" in refused.value.message
    with pytest.raises(HandoverError):
        handover(session, tmp_path / "old", now=NOW, settings=SETTINGS)
    assert (tmp_path / "taken" / "vertrouwd.db").read_bytes() == before
    assert session.store.table_counts() == counts


def test_a_failed_copy_leaves_no_half_store(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import app.services.handover as module

    def broken(*_args: object, **_kwargs: object) -> dict[str, int]:
        raise RuntimeError("disk gone")

    monkeypatch.setattr(module, "_fill", broken)
    with pytest.raises(RuntimeError):
        handover(session, tmp_path / "successor", now=NOW, settings=SETTINGS)
    assert not store_path(tmp_path / "successor").exists()
    assert list((tmp_path / "successor").iterdir()) == []
    Store.open(store_path(tmp_path / "old"), OLD).close()
