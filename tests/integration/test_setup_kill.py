"""R15: a kill at each step of first-run key set-up never leaves a store that neither the
keyring nor the recovery key opens. Each step runs `vertrouwd init` in a child process that
SIGKILLs itself there; the keyring lives in the child's memory, so it is lost too."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from app.paths import store_path
from app.security.keys import MemoryProvider, normalize_recovery_key
from app.security.vault import UnlockNeeds, create_store, unlock
from app.store.db import Store, StoreError
from app.store.settings import Settings, load_settings
from tests.integration._setup_child import STEPS
from tests.integration._support import digest, files_containing

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL")

CHILD = Path(__file__).with_name("_setup_child.py")
ROOT = Path(__file__).resolve().parents[2]

CASES = [(step, "keyring") for step in STEPS] + [
    (step, "ask") for step in ("key_shown", "config_saved", "temp_filled", "renamed", "reopened")
]


@pytest.fixture(scope="module")
def killed(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], dict]:
    """Run every child at once (they are independent), then collect what each left behind."""
    base = tmp_path_factory.mktemp("kills")
    env = dict(os.environ)
    env.update(
        HOME=str(base / "home"),
        XDG_DATA_HOME=str(base / "home" / "share"),
        XDG_CONFIG_HOME=str(base / "home" / "config"),
        TMPDIR=str(base / "tmp"),
        VERTROUWD_LANG="nl",
        QT_QPA_PLATFORM="offscreen",
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.pop("VERTROUWD_HOME", None)
    (base / "tmp").mkdir()
    running = {}
    for step, mode in CASES:
        data_dir = base / f"{step}-{mode}" / "data"
        proc = subprocess.Popen(
            [sys.executable, str(CHILD), str(data_dir), step, mode],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            cwd=str(ROOT),
            env=env,
        )
        running[(step, mode)] = (proc, data_dir)
    results = {}
    for case, (proc, data_dir) in running.items():
        out, err = proc.communicate(timeout=120)
        results[case] = {
            "returncode": proc.returncode,
            "stdout": out.decode("utf-8", "replace"),
            "stderr": err.decode("utf-8", "replace"),
            "data_dir": data_dir,
            "base": base,
        }
    return results


@pytest.mark.parametrize(("step", "mode"), CASES)
def test_kill_leaves_an_openable_store_or_none(
    killed: dict, step: str, mode: str, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    result = killed[(step, mode)]
    assert result["returncode"] == -signal.SIGKILL, result
    assert "Traceback" not in result["stderr"]
    lines = [line for line in result["stdout"].splitlines() if line.strip()]
    data_dir: Path = result["data_dir"]
    final = store_path(data_dir)
    # The key is shown when the store is complete under its temporary name, just before it
    # takes its final name: shown exactly when a store exists (or is about to), never for a
    # store that was not made (issue 12).
    assert len(lines) == (1 if final.exists() else 0), result["stdout"]
    if final.exists():
        key = lines[0].strip()
        assert normalize_recovery_key(key) == key
        # The key was only ever on the pipe: in no file the child left behind.
        assert files_containing(result["base"], key) == []

    if final.exists():
        # The recovery key that was shown opens it, and holds the school's settings.
        store = Store.open(final, key)
        try:
            assert load_settings(store).school == "Kill School"
            assert store.integrity_problems() == []
        finally:
            store.close()
        # The keyring died with the child: the program asks, and never makes a new key.
        before = digest(final)
        with pytest.raises(UnlockNeeds) as needs:
            unlock(data_dir, MemoryProvider())
        assert needs.value.reason in {"keyring_empty", "ask"}
        with pytest.raises(StoreError) as exists:
            create_store(data_dir, Settings(school="Nieuw"), "AAAAA-AAAAA-AAAAA-AAAAA-AAAAA-AAAAA",
                         key_mode="ask", provider=MemoryProvider())
        assert exists.value.reason == "exists"
        assert digest(final) == before  # refusals change nothing
        session = unlock(data_dir, MemoryProvider(), key)
        session.lock()
        assert step in {"renamed", "folder_synced", "reopened"}, f"store appeared at {step}"
    else:
        assert step not in {"renamed", "folder_synced", "reopened"}
        # A fresh set-up with the command line succeeds and its new key opens the store.
        import app.cli

        provider = MemoryProvider()
        monkeypatch.setattr(app.cli, "PROVIDER_FACTORY", lambda: provider)
        capsys.readouterr()
        code = app.cli.main(
            ["--data-dir", str(data_dir), "init", "--school", "Tweede Poging", "--key-mode", mode]
        )
        captured = capsys.readouterr()
        assert code == 0, captured.err
        new_key = captured.out.strip()
        assert normalize_recovery_key(new_key) == new_key
        session = unlock(data_dir, provider, None if mode == "keyring" else new_key)
        try:
            assert load_settings(session.store).school == "Tweede Poging"
        finally:
            session.lock()
        assert sorted(p.name for p in data_dir.iterdir()) == ["vertrouwd.db", "vertrouwd.json"]
