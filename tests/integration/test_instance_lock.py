"""Issue 12, item 3: one program at a time per store (app/instance_lock.py), with the real
command line: a second window, restore while the window is open, a lock left by a killed
process, and the services that rewrite the whole store."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from app.clock import FixedClock
from app.instance_lock import (
    STALE_SECONDS,
    InstanceLocked,
    acquire,
    held_elsewhere,
    lock_path,
    refuse_if_open,
)
from app.security.keys import MemoryProvider, generate_recovery_key
from app.security.vault import create_store
from app.services.backup import make_backup
from app.services.rekey import apply_rekey
from app.services.retention import destroy_cases
from app.store.settings import Settings
from tests.integration._cli import Cli, one_sentence


def fake_holder(data_dir: Path, pid: int, *, age: float = 0.0) -> Path:
    """A lock file as another program would leave it."""
    path = lock_path(data_dir)
    path.write_text(json.dumps({"pid": pid, "host": socket.gethostname(), "since": time.time(),
                                "token": "other"}), encoding="utf-8")
    if age:
        then = time.time() - age
        os.utime(path, (then, then))
    return path


@pytest.fixture
def living() -> Iterator[int]:
    """The pid of another process that runs for the length of the test."""
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    try:
        yield proc.pid
    finally:
        proc.kill()
        proc.wait()


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_one_holder_at_a_time_and_stale_locks_are_taken_over(tmp_path: Path,
                                                            living: int) -> None:
    first = acquire(tmp_path)
    assert held_elsewhere(tmp_path) is None  # our own lock does not stop us
    first.release()
    assert not lock_path(tmp_path).exists()
    fake_holder(tmp_path, living)
    with pytest.raises(InstanceLocked) as info:
        acquire(tmp_path)
    assert "al geopend" in info.value.message
    with pytest.raises(InstanceLocked):
        refuse_if_open(tmp_path)
    # Left by a killed process: its pid no longer runs.
    fake_holder(tmp_path, dead_pid())
    taken = acquire(tmp_path)
    assert taken.refresh()
    taken.release()
    # Old and never refreshed (a crash on another computer, or a reused pid): stale too.
    fake_holder(tmp_path, living, age=STALE_SECONDS + 60)
    acquire(tmp_path).release()
    # Unreadable: treated by its age only.
    lock_path(tmp_path).write_bytes(b"\xff garbage")
    with pytest.raises(InstanceLocked):
        acquire(tmp_path)


def test_services_that_rewrite_the_store_refuse_while_another_holds_it(
    tmp_path: Path, living: int
) -> None:
    key = generate_recovery_key()
    data = tmp_path / "data"
    session = create_store(data, Settings(school="De Linde"), key, key_mode="ask",
                           provider=MemoryProvider())
    try:
        fake_holder(data, living)
        with pytest.raises(InstanceLocked):
            apply_rekey(session, generate_recovery_key(), MemoryProvider())
        with pytest.raises(InstanceLocked):
            destroy_cases(session.store, [], now=datetime(2026, 3, 2))
        from app.services.handover import handover

        with pytest.raises(InstanceLocked):
            handover(session, tmp_path / "successor", now=datetime(2026, 3, 2))
        assert not (tmp_path / "successor").exists()
    finally:
        session.lock()


def test_restore_from_the_command_line_refuses_while_the_window_is_open(
    tmp_path: Path, living: int
) -> None:
    key = generate_recovery_key()
    data, stick = tmp_path / "data", tmp_path / "stick"
    stick.mkdir()
    session = create_store(data, Settings(school="De Linde"), key, key_mode="ask",
                           provider=MemoryProvider())
    try:
        backup = make_backup(session, stick, clock=FixedClock(datetime(2026, 3, 2)),
                             generations=3).path
    finally:
        session.lock()
    before = (data / "vertrouwd.db").read_bytes()
    fake_holder(data, living)
    cli = Cli(tmp_path / "run")
    run = cli("--data-dir", str(data), "--key-stdin", "restore", str(backup), stdin=key)
    assert run.code == 1 and "ander venster" in one_sentence(run.err)
    assert (data / "vertrouwd.db").read_bytes() == before
    assert not list(data.glob("vertrouwd.db.*"))
    # Once the window is gone (its process killed), the lock is stale and restore goes ahead.
    fake_holder(data, dead_pid())
    run = cli("--data-dir", str(data), "--key-stdin", "restore", str(backup), stdin=key)
    assert run.code == 0, run.err


def test_a_second_window_says_already_open_and_asks_the_first_forward(
    tmp_path: Path, living: int
) -> None:
    key = generate_recovery_key()
    data = tmp_path / "data"
    create_store(data, Settings(school="De Linde"), key, key_mode="ask",
                 provider=MemoryProvider()).lock()
    fake_holder(data, living)
    cli = Cli(tmp_path / "run")
    cli.env["VERTROUWD_EXIT_AFTER_SHOW"] = "1"
    run = cli("--data-dir", str(data))
    # (the offscreen Qt plugin may print a line of its own before it)
    assert run.code == 1 and "al geopend" in run.err.splitlines()[-1]
    assert (data / "vertrouwd.lock.raise").exists()
    assert json.loads(lock_path(data).read_text(encoding="utf-8"))["pid"] == living


def test_no_display_is_one_sentence_before_any_store_is_made(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "run")
    for name in ("DISPLAY", "WAYLAND_DISPLAY"):
        cli.env.pop(name, None)
    cli.env["QT_QPA_PLATFORM"] = ""
    data = tmp_path / "data"
    run = cli("--data-dir", str(data))
    assert run.code == 1 and "geen beeldscherm" in one_sentence(run.err)
    run = cli("demo", "--years", "1")
    assert run.code == 1 and "geen beeldscherm" in one_sentence(run.err)
    assert not data.exists()
    assert not list((tmp_path / "run").rglob("vertrouwd.db"))
