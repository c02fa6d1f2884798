"""`vertrouwd backup`, `verify` and `restore` as real processes: exit codes, Dutch sentences,
no traceback, no partial file (PRODUCT §Command line, §7)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from app.services.backup import NAME_RE, backup_message
from app.store.db import connect
from tests.integration._cli import Cli, one_sentence

WRONG_KEY = "ABCDE-FGHJK-MNPQR-STUVW-XYZ23-45678"


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        str(p): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*")) if p.is_file()
    }


def events(data: Path, key: str) -> list[str]:
    conn = connect(data / "vertrouwd.db", key)
    try:
        return [str(r[0]) for r in conn.execute("SELECT event FROM journal ORDER BY id")]
    finally:
        conn.close()


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path)


@pytest.fixture
def made(cli: Cli, tmp_path: Path) -> tuple[Path, str]:
    """A store made with `init --key-mode ask`; its data folder and recovery key."""
    data = tmp_path / "data"
    run = cli("--data-dir", str(data), "init", "--school", "De Linde", "--key-mode", "ask")
    assert run.code == 0, run.err
    key = run.out.strip().splitlines()[0]
    return data, key


def test_backup_verify_restore(cli: Cli, made: tuple[Path, str], tmp_path: Path) -> None:
    data, key = made
    stick = tmp_path / "stick"
    stick.mkdir()
    run = cli("--data-dir", str(data), "--key-stdin", "backup", "--to", str(stick), stdin=key)
    assert run.code == 0, run.err
    assert "Back-up gemaakt en gecontroleerd" in run.out
    backups = [p for p in stick.iterdir() if NAME_RE.match(p.name)]
    assert len(backups) == 1 and backups[0].with_suffix(".json").exists()
    backup = backups[0]

    run = cli("--key-stdin", "verify", str(backup), stdin=key)
    assert run.code == 0, run.err
    assert "Het bestand is in orde en opent met deze sleutel." in run.out
    assert "Ongewijzigd sinds het maken: ja." in run.out

    other = tmp_path / "other"
    run = cli("--data-dir", str(other), "--key-stdin", "restore", str(backup), stdin=key)
    assert run.code == 0, run.err
    assert "is teruggezet" in run.out
    run = cli("--data-dir", str(other), "--key-stdin", "status", stdin=key)
    assert run.code == 0, run.err
    assert "De Linde" in run.out

    run = cli("--data-dir", str(data), "--key-stdin", "restore", str(backup), stdin=key)
    assert run.code == 0, run.err
    assert "vertrouwd.db.before-restore-" in run.out


def test_bad_backup_folder(cli: Cli, made: tuple[Path, str], tmp_path: Path) -> None:
    data, key = made
    plain = tmp_path / "plain.txt"
    plain.write_text("geen map")
    run = cli("--data-dir", str(data), "--key-stdin", "backup", "--to", str(plain / "sub"),
              stdin=key)
    assert run.code == 1
    assert one_sentence(run.err) == backup_message("folder_missing")
    assert "back-upmap" in run.err
    assert sorted(p.name for p in data.iterdir()) == ["vertrouwd.db", "vertrouwd.json"]
    assert events(data, key) == ["created", "unlocked"]  # opening is journaled, no backup
    assert not list(tmp_path.rglob("*.partial"))

    run = cli("--data-dir", str(data), "--key-stdin", "backup", stdin=key)  # none in settings
    assert run.code == 1
    assert one_sentence(run.err) == backup_message("no_backup_folder")


def test_wrong_key_on_verify_and_restore(
    cli: Cli, made: tuple[Path, str], tmp_path: Path
) -> None:
    data, key = made
    stick = tmp_path / "stick"
    stick.mkdir()
    assert cli("--data-dir", str(data), "--key-stdin", "backup", "--to", str(stick),
               stdin=key).code == 0
    backup = next(p for p in stick.iterdir() if NAME_RE.match(p.name))
    before = tree_digest(tmp_path)
    run = cli("--key-stdin", "verify", str(backup), stdin=WRONG_KEY)
    assert run.code == 1
    assert one_sentence(run.err) == backup_message("file_wrong_key")
    run = cli("--data-dir", str(data), "--key-stdin", "restore", str(backup), stdin=WRONG_KEY)
    assert run.code == 1
    assert one_sentence(run.err) == backup_message("file_wrong_key")
    assert tree_digest(tmp_path) == before  # not a byte changed, no file added


def test_verify_without_a_key_or_file(cli: Cli, tmp_path: Path) -> None:
    run = cli("verify", str(tmp_path / "nothing.db"))
    assert run.code == 1
    assert one_sentence(run.err) == backup_message("file_missing")
    some = tmp_path / "x.db"
    some.write_bytes(b"\x00" * 4096)
    run = cli("verify", str(some))  # no terminal, no --key-stdin
    assert run.code == 1 and len(run.err.strip().splitlines()) == 1
