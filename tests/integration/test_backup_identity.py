"""Issue 12, item 2: backups know what they are.

The store id lives inside the encrypted store (the config holds a copy); pruning goes by the
manifest's store id and moment and never removes the newest backup nor the one just made;
`init` refuses a folder with what is left of another store. The clock case runs the real
command line with a faked clock (tests/integration/_fake_clock_cli.py).
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from app.clock import FixedClock
from app.config import load_config, save_config
from app.security.keys import MemoryProvider, generate_recovery_key, key_check
from app.security.vault import Session, UnlockNeeds, create_store, unlock
from app.services import backup as bk
from app.services.backup import make_backup, prune
from app.store.db import StoreError
from app.store.identity import read_store_id
from app.store.settings import Settings, load_settings, save_settings
from tests.integration._cli import Cli, one_sentence


def new_store(folder: Path, key: str, provider: MemoryProvider | None = None,
              **extra: object) -> Session:
    return create_store(folder, Settings(school="De Linde"), key,
                        key_mode="keyring" if provider else "ask",
                        provider=provider or MemoryProvider(), **extra)  # type: ignore[arg-type]


def backups(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if bk.NAME_RE.match(p.name))


def test_the_id_lives_in_the_store_and_the_config_follows(tmp_path: Path) -> None:
    key = generate_recovery_key()
    data = tmp_path / "data"
    session = new_store(data, key)
    inside = read_store_id(session.store)
    session.lock()
    config = load_config(data)
    assert config is not None and inside and config.store_id == inside
    # A config of another store put in its place: the store's own id wins at the next unlock.
    config.store_id = "0" * 32
    save_config(data, config)
    session = unlock(data, MemoryProvider(), key)
    session.lock()
    config = load_config(data)
    assert config is not None and config.store_id == inside
    assert config.key_check == key_check(key, inside)


def test_a_store_from_before_adopts_the_config_id_once(tmp_path: Path) -> None:
    key = generate_recovery_key()
    data = tmp_path / "data"
    session = new_store(data, key)
    old_id = session.config.store_id
    with session.store.transaction() as conn:
        conn.execute("DELETE FROM setting WHERE name = 'store_id'")
    assert read_store_id(session.store) is None
    session.lock()
    session = unlock(data, MemoryProvider(), key)
    assert read_store_id(session.store) == old_id
    session.lock()


@pytest.mark.parametrize("damage", [b"\xff\xfe\x00 not utf-8", b"[1, 2]", b'{"store_id": 7}'])
def test_a_damaged_config_is_rebuilt_by_the_recovery_key(tmp_path: Path, damage: bytes) -> None:
    key = generate_recovery_key()
    data = tmp_path / "data"
    session = new_store(data, key)
    inside = read_store_id(session.store)
    session.lock()
    (data / "vertrouwd.json").write_bytes(damage)
    with pytest.raises(UnlockNeeds) as needs:
        unlock(data, MemoryProvider())
    assert needs.value.reason == "config_damaged"
    session = unlock(data, MemoryProvider(), key)
    session.lock()
    config = load_config(data)
    assert config is not None and config.store_id == inside and config.setup_complete
    kept = list(data.glob("vertrouwd.json.damaged-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == damage


def test_pruning_goes_by_manifest_store_and_moment(tmp_path: Path) -> None:
    """A backup folder with files of three stores, a clock set back by a year, and backups
    whose manifest is missing or unreadable."""
    stick = tmp_path / "stick"
    stick.mkdir()
    clock = FixedClock(datetime(2027, 3, 1, 9, 0))  # the clock a year ahead
    sessions = [new_store(tmp_path / f"s{i}", generate_recovery_key()) for i in range(3)]
    try:
        ahead = [make_backup(s, stick, clock=clock, generations=2) for s in sessions]
        clock.advance(hours=1)
        ahead2 = make_backup(sessions[0], stick, clock=clock, generations=2)
        # Without a manifest / with an unreadable one: belongs to no store, never pruned.
        orphan = stick / "vertrouwd-backup-20200101-000000.db"
        orphan.write_bytes(ahead[0].path.read_bytes())
        garbled = stick / "vertrouwd-backup-20200102-000000.db"
        garbled.write_bytes(ahead[0].path.read_bytes())
        garbled.with_suffix(".json").write_bytes(b"\xff{")
        clock.moment = datetime(2026, 3, 1, 9, 0)  # clock set back by a year
        now = make_backup(sessions[0], stick, clock=clock, generations=2)
        assert now.path.exists(), "the backup just made was pruned"
        assert ahead2.path.exists(), "the newest backup (by its manifest) was pruned"
        assert not ahead[0].path.exists() and now.pruned == [ahead[0].path]
        clock.advance(hours=1)
        later = make_backup(sessions[0], stick, clock=clock, generations=2)
        assert later.path.exists() and ahead2.path.exists() and not now.path.exists()
        for other in ahead[1:]:
            assert other.path.exists() and other.manifest_path.exists()
        assert orphan.exists() and garbled.exists()
        assert prune(stick, "", 1) == []  # an empty id never prunes anything
    finally:
        for s in sessions:
            s.lock()


def test_backup_after_clock_set_back_with_the_real_command(tmp_path: Path) -> None:
    data, stick = tmp_path / "data", tmp_path / "stick"
    stick.mkdir()
    key = generate_recovery_key()
    session = new_store(data, key)
    settings = load_settings(session.store)
    settings.backup_generations = 1
    save_settings(session.store, settings)
    session.lock()
    cli = Cli(tmp_path / "run", module="tests.integration._fake_clock_cli")

    def run(moment: str, *args: str) -> tuple[int, str]:
        cli.env["VERTROUWD_TEST_NOW"] = moment
        result = cli("--data-dir", str(data), "--key-stdin", *args, stdin=key)
        return result.code, result.out

    assert run("2027-06-01T10:00:00", "backup", "--to", str(stick))[0] == 0
    code, out = run("2026-06-01T10:00:00", "backup", "--to", str(stick))
    assert code == 0
    made = Path(out.splitlines()[0].split(": ", 1)[1])
    assert made.exists() and len(backups(stick)) == 2  # the one just made and the newest
    assert all(p.with_suffix(".json").exists() for p in backups(stick))
    code, out = run("2026-06-01T11:00:00", "status")
    assert "01-06-2026" in out or "2026-06-01" in out
    manifest = json.loads(made.with_suffix(".json").read_text(encoding="utf-8"))
    assert manifest["created_at"] == "2026-06-01T10:00:00"
    assert manifest["store_id"] == load_config(data).store_id  # type: ignore[union-attr]


def test_init_refuses_a_folder_whose_store_went_missing(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "run")
    data = tmp_path / "data"
    first = cli("--data-dir", str(data), "init", "--school", "De Linde", "--key-mode", "ask")
    assert first.code == 0
    config_before = (data / "vertrouwd.json").read_bytes()
    (data / "vertrouwd.db").unlink()  # the store went missing
    again = cli("--data-dir", str(data), "init", "--school", "De Linde", "--key-mode", "ask")
    assert again.code == 1 and again.out == ""  # no key printed for a store not made
    assert "--new-store" in one_sentence(again.err)
    assert (data / "vertrouwd.json").read_bytes() == config_before
    fresh = cli("--data-dir", str(data), "init", "--school", "De Linde", "--key-mode", "ask",
                "--new-store")
    assert fresh.code == 0
    old_id = json.loads(config_before)["store_id"]
    assert load_config(data).store_id != old_id  # type: ignore[union-attr]


def test_a_new_store_never_takes_an_old_keyring_entry(tmp_path: Path) -> None:
    provider = MemoryProvider()
    data = tmp_path / "data"
    old_key = generate_recovery_key()
    session = new_store(data, old_key, provider)
    old_id = session.config.store_id
    session.lock()
    (data / "vertrouwd.db").unlink()
    with pytest.raises(StoreError) as refused:
        new_store(data, generate_recovery_key(), provider)
    assert refused.value.reason == "other_store"
    new_key = generate_recovery_key()
    session = new_store(data, new_key, provider, new_store=True)
    session.lock()
    assert provider.keys[old_id] == old_key
    assert provider.keys[load_config(data).store_id] == new_key  # type: ignore[union-attr]
    # Leftover backups or copies of a store in the folder count too.
    other = tmp_path / "other"
    other.mkdir()
    (other / "vertrouwd.db.before-restore-20260101-000000").write_bytes(b"x")
    with pytest.raises(StoreError):
        new_store(other, generate_recovery_key())
