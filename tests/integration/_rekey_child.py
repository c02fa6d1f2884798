"""Child process for test_rekey.py: unlocks a store, runs `apply_rekey`, and SIGKILLs itself
at one step (QUALITY R15).

    python tests/integration/_rekey_child.py DATA_DIR RING_FILE STEP    (stdin: "OLD NEW")

The keys come on standard input, never on the command line. The keyring is a `FileProvider`
(a JSON file in the test's temp folder) so that what the child put in it outlives the kill, as
the operating system's keyring would; the parent also checks the case where it is lost.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.security.keys import MemoryProvider  # noqa: E402

KEYRING_STEPS = (
    "key_shown",  # the new key is known to the VP; apply_rekey not called yet
    "pending_put",  # new key stored as the pending keyring entry
    "pending_read_back",  # pending entry read back
    "config_cleared",  # key verifier cleared in vertrouwd.json
    "mid_rekey",  # PRAGMA rekey is writing pages into the file
    "rekeyed",  # PRAGMA rekey returned
    "proven",  # the file reopened with the new key
    "keyring_put",  # main keyring entry set to the new key
    "keyring_read_back",  # main entry read back
    "config_saved",  # verifier for the new key saved
    "pending_deleted",  # pending entry deleted
    "journaled",  # `rekeyed` in the journal
    "returned",  # apply_rekey returned
)
ASK_STEPS = tuple(
    s
    for s in KEYRING_STEPS
    if s
    not in {
        "pending_put",
        "pending_read_back",
        "keyring_put",
        "keyring_read_back",
        "pending_deleted",
    }
)
#: From this step on, the file has the new key.
FIRST_NEW = KEYRING_STEPS.index("rekeyed")


class FileProvider(MemoryProvider):
    """A keyring kept in a JSON file (tests only, in tmp_path), written with fsync."""

    name = "file"

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = Path(path)

    def _load(self) -> None:
        self.keys = json.loads(self.path.read_text()) if self.path.exists() else {}

    def _save(self) -> None:
        temp = self.path.with_suffix(".tmp")
        with open(temp, "w") as handle:
            json.dump(self.keys, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, self.path)

    def get(self, store_id: str) -> str | None:
        self._load()
        return super().get(store_id)

    def put(self, store_id: str, key: str) -> None:
        self._load()
        super().put(store_id, key)
        self._save()

    def delete(self, store_id: str) -> None:
        self._load()
        super().delete(store_id)
        self._save()


def die() -> None:
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)


def main() -> int:
    data_dir, ring, step = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    old_key, new_key = sys.stdin.readline().split()

    import app.services.rekey as rekey
    from app.config import load_config
    from app.paths import store_path
    from app.security.vault import unlock

    armed = False

    class DyingProvider(FileProvider):
        def put(self, store_id: str, key: str) -> None:
            super().put(store_id, key)
            if armed and step == (
                "pending_put" if store_id.endswith(".pending") else "keyring_put"
            ):
                die()

        def get(self, store_id: str) -> str | None:
            value = super().get(store_id)
            pending = store_id.endswith(".pending")
            if armed and step == ("pending_read_back" if pending else "keyring_read_back"):
                die()
            return value

        def delete(self, store_id: str) -> None:
            super().delete(store_id)
            if armed and step == "pending_deleted":
                die()

    provider = DyingProvider(ring)
    config = load_config(data_dir)
    assert config is not None
    typed = None if config.key_mode == "keyring" else old_key
    session = unlock(data_dir, provider, typed)

    saves = {"n": 0}
    real_save = rekey.save_config

    def save_config(*args, **kwargs):  # type: ignore[no-untyped-def]
        real_save(*args, **kwargs)
        saves["n"] += 1
        if (step, saves["n"]) in {("config_cleared", 1), ("config_saved", 2)}:
            die()

    rekey.save_config = save_config  # type: ignore[assignment]

    real_rekey_file = rekey._rekey_file
    path = store_path(data_dir)

    def rekey_file(store, key):  # type: ignore[no-untyped-def]
        if step == "mid_rekey":
            fd = os.open(path, os.O_RDONLY)
            offset = 8 * 4096
            before = os.pread(fd, 64, offset)

            def watch() -> None:
                while True:
                    if os.pread(fd, 64, offset) != before:
                        die()

            threading.Thread(target=watch, daemon=True).start()
        real_rekey_file(store, key)
        print("REKEY RETURNED", flush=True)
        if step in {"rekeyed", "mid_rekey"}:
            die()

    rekey._rekey_file = rekey_file  # type: ignore[assignment]

    real_prove = rekey._prove

    def prove(*args, **kwargs):  # type: ignore[no-untyped-def]
        fresh = real_prove(*args, **kwargs)
        if step == "proven":
            die()
        return fresh

    rekey._prove = prove  # type: ignore[assignment]

    real_append = rekey.journal.append

    def append(*args, **kwargs):  # type: ignore[no-untyped-def]
        real_append(*args, **kwargs)
        if step == "journaled":
            die()

    rekey.journal.append = append  # type: ignore[assignment]

    if step == "key_shown":
        die()
    armed = True
    rekey.apply_rekey(session, new_key, provider)
    if step == "returned":
        die()
    print("SURVIVED", flush=True)
    return 3


if __name__ == "__main__":
    raise SystemExit(main())
