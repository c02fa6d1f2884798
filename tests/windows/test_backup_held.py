"""A backup whose files a virus scanner or OneDrive holds for a moment still succeeds; held for
too long it says so in Dutch (not "disk full?") and leaves earlier backups alone."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from app import winfs
from app.clock import FixedClock
from app.security.vault import Session
from app.services import backup as bk
from app.services.backup import BackupError, backup_message, make_backup, verify_file
from tests.integration.test_backup import KEY, fill, new_session


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    opened = new_session(tmp_path / "data", FixedClock(datetime(2026, 3, 2, 10, 0, 0)))
    fill(opened.store, pupils=3)
    try:
        yield opened
    finally:
        opened.lock()


def _block_renames_onto_backups(monkeypatch: pytest.MonkeyPatch, times: int) -> list[int]:
    real = os.replace
    calls = [0]

    def replace(source: Any, target: Any) -> None:
        if bk.NAME_RE.match(Path(target).name):
            calls[0] += 1
            if calls[0] <= times:
                error = PermissionError(errno.EACCES, "in use")
                error.winerror = 32  # type: ignore[attr-defined]
                raise error
        real(source, target)

    monkeypatch.setattr(winfs.os, "replace", replace)
    monkeypatch.setattr(winfs.time, "sleep", lambda _s: None)
    return calls


def test_a_scanner_holding_the_new_backup_briefly_is_waited_out(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "stick"
    folder.mkdir()
    calls = _block_renames_onto_backups(monkeypatch, 3)
    result = make_backup(session, folder, clock=FixedClock(datetime(2026, 3, 2, 11)), generations=5)
    assert calls[0] == 4
    assert verify_file(result.path, KEY).ok


def test_held_for_too_long_it_says_another_program_has_it_open(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "stick"
    folder.mkdir()
    earlier = make_backup(
        session, folder, clock=FixedClock(datetime(2026, 3, 1, 11)), generations=5
    )
    before = sorted(p.name for p in folder.iterdir())
    _block_renames_onto_backups(monkeypatch, 10_000)
    with pytest.raises(BackupError) as caught:
        make_backup(session, folder, clock=FixedClock(datetime(2026, 3, 2, 11)), generations=5)
    assert caught.value.reason == "file_in_use"
    text = backup_message(caught.value.reason)
    assert "geopend in een ander programma" in text and "vol" not in text
    assert sorted(p.name for p in folder.iterdir()) == before
    assert verify_file(earlier.path, KEY).ok
