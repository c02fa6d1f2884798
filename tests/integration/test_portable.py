"""A portable data folder (packaging/PORTABLE.md): `--data-dir` on a USB stick.

* A relative `--data-dir` is taken from the folder the command starts in, and the data folder
  holds no absolute paths: the same stick works under another drive letter (here: another
  parent folder) with the same relative path.
* The stick pulled out while a store is open: the next write fails with a `StoreError` whose
  reason has its own Dutch sentence; nothing is half-written, and what was saved before is
  intact when the stick comes back.
* `status` on a data folder that is not there (the stick is not in): exit 1 and the one Dutch
  "file not found" sentence, no traceback.

The command-line runs are real processes (`python -m app`), started in a temporary folder.
"""

from __future__ import annotations

import os
import shutil
from datetime import datetime
from pathlib import Path

import pytest

from app import journal
from app.messages import reason_message
from app.paths import STORE_NAME, resolve_data_dir
from app.security.keys import MemoryProvider, generate_recovery_key, normalize_recovery_key
from app.security.vault import create_store, unlock
from app.store.db import Store, StoreError
from app.store.settings import Settings
from tests.integration._cli import ROOT, Cli, Run
from tests.integration._support import has_own_message


def run_cli(cwd: Path, base: Path, *args: str, stdin: str | None = None) -> Run:
    """`python -m app ARGS` started in `cwd`, with its own home folder and no keyring."""
    return Cli(base, keyring_backend="keyring.backends.fail.Keyring", cwd=cwd)(*args, stdin=stdin)


def init_on_stick(tmp_path: Path, relative: str) -> tuple[Path, str]:
    """`init` with a relative `--data-dir`, started in `tmp_path`; returns (folder, key)."""
    run = run_cli(tmp_path, tmp_path, "--data-dir", relative, "init", "--school",
                  "Stickschool", "--key-mode", "ask")
    assert run.code == 0, run.err
    key = normalize_recovery_key(run.out.strip().splitlines()[0])
    assert key is not None
    return tmp_path / relative, key


# -- relative paths ----------------------------------------------------------------------------
def test_relative_data_dir_is_taken_from_the_start_folder(tmp_path: Path) -> None:
    folder, key = init_on_stick(tmp_path, "stick/data")
    assert (folder / STORE_NAME).is_file()
    status = run_cli(tmp_path, tmp_path, "--data-dir", "stick/data", "--key-stdin", "status",
                     stdin=key + "\n")
    assert status.code == 0, status.err
    assert "Stickschool" in status.out
    assert str(folder / STORE_NAME) in status.out
    assert "Traceback" not in status.err


def test_the_stick_works_under_another_drive_letter(tmp_path: Path) -> None:
    """Same relative path, another parent folder: nothing in the data folder pins the old
    absolute location (the config beside the store holds no paths)."""
    folder, key = init_on_stick(tmp_path, "stick/data")
    for path in folder.iterdir():
        if path.is_file():
            assert str(tmp_path).encode() not in path.read_bytes(), path.name
    other = tmp_path / "other-pc"
    other.mkdir()
    shutil.move(str(tmp_path / "stick"), str(other / "stick"))
    status = run_cli(other, tmp_path, "--data-dir", "stick/data", "--key-stdin", "status",
                     stdin=key + "\n")
    assert status.code == 0, status.err
    assert str(other / "stick" / "data" / STORE_NAME) in status.out


def test_resolve_data_dir_makes_a_relative_path_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    resolved = resolve_data_dir("stick/data")
    assert resolved.is_absolute()
    assert resolved == tmp_path / "stick" / "data"
    monkeypatch.chdir(ROOT)
    assert resolved == tmp_path / "stick" / "data"  # fixed at start, not at each use


# -- the stick is not there --------------------------------------------------------------------
def test_status_on_a_missing_data_dir_says_so_in_dutch(tmp_path: Path) -> None:
    run = run_cli(tmp_path, tmp_path, "--data-dir", "E/Vertrouwd", "status")
    assert run.code == 1
    assert run.out == ""
    assert run.err.strip() == reason_message("missing")
    assert "niet" in run.err  # Dutch: "Het gegevensbestand staat niet in deze map ..."
    assert "Traceback" not in run.err
    assert not (tmp_path / "E").exists(), "status must not create the missing folder"


def test_backup_when_the_stick_is_not_there(tmp_path: Path) -> None:
    folder, key = init_on_stick(tmp_path, "stick/data")
    shutil.move(str(tmp_path / "stick"), str(tmp_path / "in-a-drawer"))
    run = run_cli(tmp_path, tmp_path, "--data-dir", "stick/data", "--key-stdin", "backup",
                  "--to", str(tmp_path / "backups"), stdin=key + "\n")
    assert run.code == 1
    assert run.err.strip() == reason_message("missing")
    assert "Traceback" not in run.err
    assert not folder.exists()


# -- the stick is pulled out while the store is open -------------------------------------------
def pull_out(stick: Path) -> Path:
    """What removing the stick does to the paths: the folder is gone (the open file handle
    may live on, as it does on Linux; on Windows it fails at once)."""
    away = stick.with_name(stick.name + "-pulled")
    os.rename(stick, away)
    return away


def put_back(away: Path, stick: Path) -> None:
    os.rename(away, stick)


def test_a_write_after_the_stick_is_pulled_out_is_a_clear_store_error(tmp_path: Path) -> None:
    stick = tmp_path / "stick"
    data_dir = stick / "data"
    key = generate_recovery_key()
    session = create_store(data_dir, Settings(school="Stickschool"), key, key_mode="ask",
                           provider=MemoryProvider())
    store = session.store
    journal.append(store, datetime(2026, 3, 2, 9, 0).isoformat(), "unlocked")
    before = store.scalar("SELECT count(*) FROM journal")
    away = pull_out(stick)
    try:
        with pytest.raises(StoreError) as caught:
            journal.append(store, datetime(2026, 3, 2, 9, 5).isoformat(), "locked")
        error = caught.value
        assert has_own_message(error.reason), error.reason
        assert error.reason in ("io", "missing", "disk_full", "locked")
        text = reason_message(error.reason)
        assert "gegevensbestand" in text  # one Dutch sentence about the data file
        assert "Traceback" not in text and error.detail not in text
    finally:
        session.lock()
        put_back(away, stick)
    reopened = unlock(data_dir, MemoryProvider(), key)
    try:
        assert reopened.store.integrity_problems() == []
        assert reopened.store.scalar("SELECT count(*) FROM journal") >= before
        events = [r[0] for r in reopened.store.query("SELECT event FROM journal ORDER BY id")]
        assert "unlocked" in events
        assert events.count("locked") == 0, "the failed write must not be half there"
    finally:
        reopened.lock()


def test_a_store_opened_after_the_stick_is_gone_is_missing(tmp_path: Path) -> None:
    stick = tmp_path / "stick"
    key = generate_recovery_key()
    create_store(stick / "data", Settings(school="Stickschool"), key, key_mode="ask",
                 provider=MemoryProvider()).lock()
    pull_out(stick)
    with pytest.raises(StoreError) as caught:
        Store.open(stick / "data" / STORE_NAME, key)
    assert caught.value.reason == "missing"
    assert has_own_message("missing")
