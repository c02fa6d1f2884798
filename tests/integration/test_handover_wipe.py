"""A handover that leaves nothing behind (issue 13 item 6): the open work goes to the
successor, the closed files into an archive with its own key for the school board (or are
destroyed), and then no readable store, backup or safety copy of the departing VP remains."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from app import journal
from app.clock import FixedClock
from app.security.keys import MemoryProvider
from app.security.vault import Session, create_store, unlock
from app.services.backup import list_backups, make_backup
from app.services.handover import HandoverError, handover
from app.services.handover_wipe import (
    archive_closed,
    closed_count,
    destroy_closed,
    wipe_departing,
)
from app.services.holds import place_hold
from app.store.db import Store, StoreError
from app.store.settings import Settings
from tests.integration._privacy_support import marked_case

OLD = "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE-FFFFF"
NOW = datetime(2025, 9, 1, 12, 0)


@pytest.fixture
def departing(tmp_path: Path) -> Session:
    made = create_store(tmp_path / "old", Settings(school="Vertrekcollege",
                                                   backup_dir=str(tmp_path / "usb")),
                        OLD, key_mode="keyring", provider=MemoryProvider())
    (tmp_path / "usb").mkdir()
    yield made
    if made.store.conn is not None:
        made.lock()


def opens_with(path: Path, key: str) -> bool:
    try:
        Store.open(path, key, migrate=False).close()
    except StoreError:
        return False
    return True


def test_nothing_of_the_departing_vp_remains(departing: Session, tmp_path: Path) -> None:
    store = departing.store
    running = marked_case(store, "op", opened_on=date(2025, 3, 10), closed_on=None)
    closed = marked_case(store, "cl", opened_on=date(2025, 3, 3), closed_on=date(2025, 5, 5))
    place_hold(store, closed.case_id, reason="complaint", note="", review_on=None, now=NOW)
    usb = tmp_path / "usb"
    for hour in (9, 10):
        make_backup(departing, usb, clock=FixedClock(NOW.replace(hour=hour)), generations=5)
    (departing.data_dir / "vertrouwd.db.v3-20250820-100000.bak").write_bytes(
        store.path.read_bytes())
    provider = MemoryProvider()
    provider.put(departing.config.store_id, OLD)

    target, new_key = handover(departing, tmp_path / "successor", now=NOW)
    assert closed_count(departing) == (1, 1)
    with pytest.raises(HandoverError, match="bewaard"):
        destroy_closed(departing, now=NOW)  # the held file may not be destroyed
    archive, archive_key, count = archive_closed(departing, tmp_path / "archive", now=NOW)
    assert count == 1 and archive_key not in (new_key, OLD)
    with pytest.raises(HandoverError):
        wipe_departing(departing, provider, typed="ja")
    assert opens_with(departing.store.path, OLD)

    data_dir = departing.data_dir
    report = wipe_departing(departing, provider, typed=" wissen ")

    assert report.failed == [] and report.keyring_cleared
    assert provider.get(departing.config.store_id) is None
    left = [p for p in data_dir.iterdir() if p.name != "vertrouwd.lock"]
    assert left == []
    assert list_backups(usb) == [] and list(usb.iterdir()) == []
    # The successor has the open case only, and its journal records the handover.
    successor = unlock(target.parent, MemoryProvider(), new_key)
    try:
        ids = {int(r[0]) for r in successor.store.query("SELECT id FROM case_file")}
        assert running.case_id in ids and closed.case_id not in ids
        assert "handover" in [e for _at, e, _d in journal.entries(successor.store, 5)]
    finally:
        successor.lock()
    # The archive opens only with its own key and holds the closed (held) file.
    assert not opens_with(archive, OLD) and not opens_with(archive, new_key)
    kept = unlock(archive.parent, MemoryProvider(), archive_key)
    try:
        rows = kept.store.query("SELECT id, closed_on FROM case_file")
        assert [(int(r[0]), r[1]) for r in rows] == [(closed.case_id, "2025-05-05")]
        assert kept.store.scalar("SELECT count(*) FROM case_hold") == 1
        assert "handover" in [e for _at, e, _d in journal.entries(kept.store, 5)]
        assert journal.verify(kept.store) == []
    finally:
        kept.lock()


def test_closed_files_can_be_destroyed_instead(departing: Session, tmp_path: Path) -> None:
    store = departing.store
    closed = marked_case(store, "dc", opened_on=date(2025, 3, 3), closed_on=date(2025, 5, 5))
    assert destroy_closed(departing, now=NOW) == 1
    assert closed_count(departing) == (0, 0)
    assert store.scalar("SELECT count(*) FROM pupil WHERE id = ?", (closed.pupil_id,)) == 0
