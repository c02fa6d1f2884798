"""Issue 12, items 5 and 6: honest diagnosis (a damaged store, a failed restore, a restore
killed half-way) and limits on the names that are stored and read from merge files."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from app.clock import FixedClock
from app.domain.errors import ValidationError
from app.domain.names import MAX_NAME, check_name, name_is_safe
from app.reports.data_file import DataFileError, load
from app.security.keys import MemoryProvider, generate_recovery_key
from app.security.vault import create_store, unlock
from app.services import backup as bk
from app.services.backup import BackupError, make_backup, restore_backup
from app.store.settings import Settings, load_settings, save_settings
from tests.integration._cli import Cli, one_sentence

BAD_NAMES = ["x" * (MAX_NAME + 1), "De \u202eLinde", "De Linde\u2066", "De\x07Linde", "A\nB"]


@pytest.mark.parametrize("name", BAD_NAMES)
def test_names_break_the_rule(name: str) -> None:
    assert not name_is_safe(name)
    with pytest.raises(ValidationError):
        check_name(name, "naam")
    assert check_name("  Basisschool De Linde – Helmond  ", "naam").startswith("Basisschool")


def test_settings_and_init_refuse_unsafe_names(tmp_path: Path) -> None:
    key = generate_recovery_key()
    session = create_store(tmp_path / "data", Settings(school="De Linde"), key, key_mode="ask",
                           provider=MemoryProvider())
    try:
        settings = load_settings(session.store)
        settings.board_name = "Stichting \u202eOnderwijs"
        with pytest.raises(ValidationError):
            save_settings(session.store, settings)
        assert load_settings(session.store).board_name == ""
    finally:
        session.lock()
    cli = Cli(tmp_path / "run")
    for name in ("x" * 201, "De \u202eLinde"):
        run = cli("--data-dir", str(tmp_path / "new"), "init", "--school", name,
                  "--key-mode", "ask")
        assert run.code == 1 and run.out == "" and one_sentence(run.err)
    assert not (tmp_path / "new" / "vertrouwd.db").exists()


def test_merge_files_with_unsafe_names_are_refused(tmp_path: Path) -> None:
    key = generate_recovery_key()
    data = tmp_path / "data"
    create_store(data, Settings(school="De Linde"), key, key_mode="ask",
                 provider=MemoryProvider()).lock()
    cli = Cli(tmp_path / "run")
    figures = tmp_path / "a.json"
    run = cli("--data-dir", str(data), "--key-stdin", "report", "--school-year", "2025-2026",
              "--out", str(tmp_path / "a.pdf"), "--data", str(figures), stdin=key)
    assert run.code == 0, run.err
    document = json.loads(figures.read_text(encoding="utf-8"))
    for name in BAD_NAMES:
        document["school"] = name
        figures.write_text(json.dumps(document), encoding="utf-8")
        with pytest.raises(DataFileError):
            load(figures)


def test_a_damaged_store_is_called_damaged_by_backup(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    key = generate_recovery_key()
    session = create_store(tmp_path / "data", Settings(school="De Linde"), key,
                           key_mode="ask", provider=MemoryProvider())
    stick = tmp_path / "stick"
    stick.mkdir()

    def failed(*_a: object) -> None:
        raise BackupError("verify_failed", "integrity")

    monkeypatch.setattr(bk, "_verify_copy", failed)
    monkeypatch.setattr(bk, "_source_damaged", lambda store: True)
    try:
        with pytest.raises(BackupError) as info:
            make_backup(session, stick, clock=FixedClock(datetime(2026, 3, 2)), generations=3)
        assert info.value.reason == "source_damaged"
        monkeypatch.setattr(bk, "_source_damaged", lambda store: False)
        with pytest.raises(BackupError) as info:
            make_backup(session, stick, clock=FixedClock(datetime(2026, 3, 2)), generations=3)
        assert info.value.reason == "verify_failed"
    finally:
        session.lock()
    assert not list(stick.iterdir())


def test_failed_restore_leaves_no_partial_and_leftovers_are_settled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = generate_recovery_key()
    data, stick = tmp_path / "data", tmp_path / "stick"
    stick.mkdir()
    session = create_store(data, Settings(school="De Linde"), key, key_mode="ask",
                           provider=MemoryProvider())
    backup = make_backup(session, stick, clock=FixedClock(datetime(2026, 3, 2)),
                         generations=3).path
    session.lock()
    before = (data / "vertrouwd.db").read_bytes()
    real_replace = bk.winfs.replace

    def broken(source: Path, target: Path) -> None:
        if str(source).endswith(".partial"):
            raise OSError(5, "Input/output error")
        real_replace(source, target)

    monkeypatch.setattr(bk.winfs, "replace", broken)
    with pytest.raises(BackupError):
        restore_backup(data, backup, key, clock=FixedClock(datetime(2026, 3, 3)))
    monkeypatch.undo()
    assert sorted(p.name for p in data.iterdir()) == ["vertrouwd.db", "vertrouwd.json"]
    assert (data / "vertrouwd.db").read_bytes() == before
    # What a restore killed half-way leaves is settled at the next start.
    (data / "vertrouwd.db.restoring").write_bytes(b"half a copy")
    (data / "vertrouwd.db.before-restore-20260303-000000.partial").write_bytes(b"half")
    unlock(data, MemoryProvider(), key).lock()
    assert sorted(p.name for p in data.iterdir()) == ["vertrouwd.db", "vertrouwd.json"]
