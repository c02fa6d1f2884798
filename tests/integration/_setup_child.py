"""Child process for test_setup_kill.py: runs `vertrouwd init` and SIGKILLs itself at one step.

    python tests/integration/_setup_child.py DATA_DIR STEP KEY_MODE

The key provider is an in-memory one, so the keyring dies with the process: the worst case
(the key survives only where the CLI printed it). The recovery key is printed by the CLI on
stdout once the store is complete under its temporary name, before it takes its final name
(issue 12: no key for a store that was not made); the parent reads it from the pipe.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

STEPS = (
    "key_shown",  # create_store not yet called: nothing written, no key shown
    "config_saved",  # vertrouwd.json written
    "keyring_put",  # key handed to the keyring
    "keyring_read_back",  # key read back from the keyring
    "temp_created",  # empty encrypted store under the temporary name
    "temp_filled",  # settings and the first journal entry in the temporary store
    "temp_synced",  # temporary store flushed to disk
    "renamed",  # temporary store renamed to vertrouwd.db, folder not yet synced
    "folder_synced",  # folder synced, final store not yet reopened
    "reopened",  # create_store returned an open session
)


def die() -> None:
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)


def main() -> int:
    data_dir, step, key_mode = sys.argv[1], sys.argv[2], sys.argv[3]
    if step not in STEPS:
        raise SystemExit(f"unknown step {step}")

    import app.cli
    import app.commands.setup as setup_cmd
    import app.security.vault as vault
    from app.security.keys import MemoryProvider

    class DyingProvider(MemoryProvider):
        def put(self, store_id: str, key: str) -> None:
            super().put(store_id, key)
            if step == "keyring_put":
                die()

        def get(self, store_id: str) -> str | None:
            value = super().get(store_id)
            if step == "keyring_read_back":
                die()
            return value

    provider = DyingProvider()
    app.cli.PROVIDER_FACTORY = lambda: provider

    real_create = setup_cmd.create_store

    def create_store(*args, **kwargs):  # type: ignore[no-untyped-def]
        if step == "key_shown":
            die()
        session = real_create(*args, **kwargs)
        if step == "reopened":
            die()
        return session

    setup_cmd.create_store = create_store

    real_save_config = vault.save_config

    def save_config(*args, **kwargs):  # type: ignore[no-untyped-def]
        real_save_config(*args, **kwargs)
        if step == "config_saved":
            die()

    vault.save_config = save_config

    real_save_settings = vault.save_settings

    def save_settings(*args, **kwargs):  # type: ignore[no-untyped-def]
        if step == "temp_created":
            die()
        real_save_settings(*args, **kwargs)

    vault.save_settings = save_settings

    real_append = vault.journal.append

    def append(*args, **kwargs):  # type: ignore[no-untyped-def]
        real_append(*args, **kwargs)
        if step == "temp_filled":
            die()

    vault.journal.append = append

    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        real_fsync(fd)
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            target = ""
        if step == "temp_synced" and target.endswith(vault.SETUP_SUFFIX):
            die()

    os.fsync = fsync

    real_fsync_dir = vault.fsync_dir

    def fsync_dir(folder: Path) -> None:
        if step == "renamed":
            die()
        real_fsync_dir(folder)
        if step == "folder_synced":
            die()

    vault.fsync_dir = fsync_dir

    code = app.cli.main(
        ["--data-dir", data_dir, "init", "--school", "Kill School", "--key-mode", key_mode]
    )
    print(f"SURVIVED {code}", flush=True)
    return 3


if __name__ == "__main__":
    raise SystemExit(main())
