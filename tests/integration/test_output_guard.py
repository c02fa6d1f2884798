"""Issue 12, item 1: the output guard, with the real command line in a temp folder.

Each of the data-loss paths found by the adversarial tester is reproduced here and shown
closed: `report --out DATA/vertrouwd.db`, `--data DATA/vertrouwd.json`, `--out` onto a backup
(also renamed), `--out /dev/null` as root, a symbolic link, the data folder itself.
"""

from __future__ import annotations

import hashlib
import os
from datetime import datetime
from pathlib import Path

import pytest

from app.clock import FixedClock
from app.output_guard import OutputRefused, check_internal, check_output
from app.security.keys import MemoryProvider, generate_recovery_key
from app.security.vault import create_store
from app.services.backup import BackupError, make_backup
from app.store.settings import Settings
from tests.integration._cli import Cli, one_sentence


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def place(tmp_path: Path) -> tuple[Cli, Path, Path, str]:
    data, backups = tmp_path / "data", tmp_path / "backups"
    backups.mkdir()
    key = generate_recovery_key()
    session = create_store(data, Settings(school="De Linde"), key, key_mode="ask",
                           provider=MemoryProvider())
    try:
        clock = FixedClock(datetime(2026, 3, 2, 10, 0))
        make_backup(session, backups, clock=clock, generations=3)
    finally:
        session.lock()
    return Cli(tmp_path / "run"), data, backups, key


def report(cli: Cli, data: Path, key: str, *extra: str) -> tuple[int, str]:
    run = cli("--data-dir", str(data), "--key-stdin", "report", "--school-year", "2025-2026",
              *extra, stdin=key)
    return run.code, run.err


def test_report_onto_the_store_is_refused(place: tuple[Cli, Path, Path, str]) -> None:
    cli, data, _backups, key = place
    before = {p.name: digest(p) for p in data.iterdir()}
    code, err = report(cli, data, key, "--out", str(data / "vertrouwd.db"))
    assert code == 1
    assert "bestand van Vertrouwd zelf" in one_sentence(err)
    assert {p.name: digest(p) for p in data.iterdir()} == before


def test_data_file_onto_the_config_is_refused(place: tuple[Cli, Path, Path, str],
                                              tmp_path: Path) -> None:
    cli, data, _backups, key = place
    config = data / "vertrouwd.json"
    before = digest(config)
    code, err = report(cli, data, key, "--out", str(tmp_path / "r.pdf"),
                       "--data", str(config))
    assert code == 1 and "Vertrouwd" in one_sentence(err)
    assert digest(config) == before
    assert not (tmp_path / "r.pdf").exists()  # all or nothing: the PDF was not made either


def test_report_onto_a_backup_is_refused(place: tuple[Cli, Path, Path, str],
                                         tmp_path: Path) -> None:
    cli, data, backups, key = place
    backup = next(backups.glob("vertrouwd-backup-*.db"))
    before = digest(backup)
    code, err = report(cli, data, key, "--out", str(backup))
    assert code == 1 and one_sentence(err)
    assert digest(backup) == before
    # The same backup under an innocent name: refused by what it is, not by its name.
    renamed = tmp_path / "jaarverslag.pdf"
    renamed.write_bytes(backup.read_bytes())
    code, err = report(cli, data, key, "--out", str(renamed))
    assert code == 1 and "geen bestand van deze soort" in one_sentence(err)
    assert digest(renamed) == before
    manifest = backup.with_suffix(".json")
    copy = tmp_path / "cijfers.json"
    copy.write_bytes(manifest.read_bytes())
    code, err = report(cli, data, key, "--out", str(tmp_path / "x.pdf"), "--data", str(copy))
    assert code == 1 and digest(copy) == digest(manifest)


def test_report_into_the_data_folder_and_through_a_link(
    place: tuple[Cli, Path, Path, str], tmp_path: Path
) -> None:
    cli, data, _backups, key = place
    code, err = report(cli, data, key, "--out", str(data / "jaarverslag.pdf"))
    assert code == 1 and "map van het gegevensbestand" in one_sentence(err)
    assert not (data / "jaarverslag.pdf").exists()
    link = tmp_path / "link.pdf"
    link.symlink_to(data / "vertrouwd.db")
    code, err = report(cli, data, key, "--out", str(link))
    assert code == 1 and "symbolische link" in one_sentence(err)
    assert link.is_symlink()
    # An ordinary place still works, and replacing an earlier report is fine.
    good = tmp_path / "jaarverslag.pdf"
    assert report(cli, data, key, "--out", str(good))[0] == 0
    assert report(cli, data, key, "--out", str(good))[0] == 0
    assert good.read_bytes().startswith(b"%PDF-")


def test_merge_onto_the_store_is_refused(place: tuple[Cli, Path, Path, str],
                                         tmp_path: Path) -> None:
    cli, data, _backups, key = place
    figures = tmp_path / "a.json"
    assert report(cli, data, key, "--out", str(tmp_path / "a.pdf"), "--data", str(figures))[0] == 0
    before = digest(data / "vertrouwd.db")
    run = cli("report", "merge", str(figures), "--out", str(data / "vertrouwd.db"))
    assert run.code == 1 and one_sentence(run.err)
    assert digest(data / "vertrouwd.db") == before


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")
def test_report_onto_dev_null_as_root(place: tuple[Cli, Path, Path, str]) -> None:
    cli, data, _backups, key = place
    code, err = report(cli, data, key, "--out", "/dev/null")
    assert code == 1 and "apparaat" in one_sentence(err)
    assert Path("/dev/null").is_char_device()


def test_guard_refuses_a_hard_link_and_a_device(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "vertrouwd.db").write_bytes(b"\x01" * 64)
    other = tmp_path / "elders"
    other.mkdir()
    os.link(data / "vertrouwd.db", other / "verslag.pdf")
    with pytest.raises(OutputRefused, match="gegevensbestand van Vertrouwd onder een andere"):
        check_output(other / "verslag.pdf", "pdf", data_dirs=[data])
    with pytest.raises(OutputRefused):
        check_output(Path("/dev/null"), "pdf")
    with pytest.raises(OutputRefused):
        check_output(tmp_path, "pdf")
    (tmp_path / "link").symlink_to(tmp_path / "nowhere")
    with pytest.raises(OutputRefused):
        check_internal(tmp_path / "link")
    with pytest.raises(OutputRefused):  # the erasure ledger (issue 13), by name anywhere
        check_output(other / "vertrouwd-erased.json", "json")
    assert check_output(other / "nieuw.pdf", "pdf") == other / "nieuw.pdf"


def test_backup_into_the_data_folder_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "data"
    session = create_store(data, Settings(school="De Linde"), generate_recovery_key(),
                           key_mode="ask", provider=MemoryProvider())
    try:
        for folder in (data, data / "sub"):
            folder.mkdir(exist_ok=True)
            with pytest.raises(BackupError) as info:
                make_backup(session, folder, clock=FixedClock(datetime(2026, 3, 2)),
                            generations=3)
            assert info.value.reason == "folder_is_data_folder"
    finally:
        session.lock()
    assert not list(data.rglob("vertrouwd-backup-*"))
