"""Creating a store with a new key, and unlocking an existing one.

The rule that prevents the classic data loss: a missing or unreadable key NEVER leads to a new
key while a store file exists (QUALITY R15, R16). `create_store` refuses when a store exists;
`unlock` never generates anything. Set-up order, so that a kill at any step leaves either no
store or a store that the keyring or the (already shown) recovery key opens:

1. the caller generates the key and shows it (the CLI prints it, the wizard makes the VP retype
   part of it) — before anything is written;
2. the config beside the store is written (store id, key mode, key verifier);
3. in keyring mode the key is stored and read back; a failure falls back to "ask";
4. the store is built under a temporary name, flushed, and only then renamed into place.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from app import journal, winfs
from app.clock import Clock, SystemClock
from app.config import StoreConfig, load_config, save_config
from app.files import fsync_dir
from app.output_guard import remember_data_dir
from app.paths import make_private_dir, store_path
from app.security.keys import KeyProblem, KeyProvider, KeyringProvider, key_check
from app.services.rekey import settle_pending_rekey
from app.store.db import Store, StoreError
from app.store.settings import Settings, save_settings

SETUP_SUFFIX = ".setup"


@dataclass
class Session:
    """An unlocked store and what belongs with it while it is open."""

    data_dir: Path
    store: Store
    config: StoreConfig
    key: str | None
    warnings: list[str] = field(default_factory=list)

    def lock(self) -> None:
        """Close the connection and drop the key (Python cannot wipe the string's memory)."""
        self.store.close()
        self.key = None


def create_store(
    data_dir: Path,
    settings: Settings,
    key: str,
    *,
    key_mode: str,
    provider: KeyProvider,
    clock: Clock | None = None,
    demo: bool = False,
    pin: str | None = None,
) -> Session:
    clock = clock or SystemClock()
    remember_data_dir(data_dir)
    make_private_dir(data_dir)
    final = store_path(data_dir)
    if final.exists():
        raise StoreError("exists", str(final))
    config = load_config(data_dir) or StoreConfig()
    config.key_mode = key_mode
    config.key_check = key_check(key, config.store_id)
    config.demo = demo
    config.set_pin(pin)
    warnings: list[str] = []
    if key_mode == "keyring":
        try:
            if not provider.available():
                raise KeyProblem("keyring_unavailable")
            provider.put(config.store_id, key)
            if provider.get(config.store_id) != key:
                raise KeyProblem("keyring_failed")
            if isinstance(provider, KeyringProvider):
                config.keyring_backend = provider.backend_label()
        except KeyProblem as problem:
            warnings.append(problem.reason)
            config.key_mode = "ask"
            config.keyring_refused = problem.reason == "keyring_refused"
            config.set_pin(None)
    save_config(data_dir, config)

    temp = final.with_name(final.name + SETUP_SUFFIX)
    with contextlib.suppress(FileNotFoundError):
        temp.unlink()
    store = Store.open(temp, key, create=True)
    try:
        save_settings(store, settings)
        journal.append(store, clock.now().isoformat(), "created")
    finally:
        store.close()
    with open(temp, "rb+") as handle:
        os.fsync(handle.fileno())
    winfs.replace(temp, final)
    fsync_dir(data_dir)
    # From here on a missing store file means "lost" (offer a backup), not "set-up unfinished".
    config.setup_complete = True
    save_config(data_dir, config)
    return Session(data_dir, Store.open(final, key), config, key, warnings)


@dataclass
class UnlockNeeds(Exception):
    """The store cannot be opened without the VP: `reason` says why (a KeyProblem code or a
    StoreError reason), `can_type_key` whether typing the recovery key may help."""

    reason: str
    can_type_key: bool = True

    def __str__(self) -> str:
        return self.reason


def unlock(
    data_dir: Path,
    provider: KeyProvider,
    typed_key: str | None = None,
    *,
    clock: Clock | None = None,
) -> Session:
    """Open the store of `data_dir`. Raises UnlockNeeds with a reason when the VP must act."""
    clock = clock or SystemClock()
    remember_data_dir(data_dir)
    path = store_path(data_dir)
    if not path.exists():
        raise UnlockNeeds("missing", can_type_key=False)
    config = load_config(data_dir)
    if config is None:
        config = StoreConfig(key_mode="ask", store_id="")
    key = typed_key
    if key is None:
        if config.key_mode != "keyring" or not config.store_id:
            raise UnlockNeeds("ask")
        try:
            key = provider.get(config.store_id)
        except KeyProblem as problem:
            raise UnlockNeeds(problem.reason) from None
        if key is None:
            changed = isinstance(provider, KeyringProvider) and (
                config.keyring_backend and provider.backend_label() != config.keyring_backend
            )
            raise UnlockNeeds("keyring_changed" if changed else "keyring_empty")
    # A re-key killed half-way leaves the new key as a pending keyring entry: settle it.
    key = settle_pending_rekey(data_dir, config, provider, key)
    try:
        store = Store.open(path, key)
    except StoreError as error:
        if error.reason == "wrong_key_or_damaged" and config.key_check and config.store_id:
            right = key_check(key, config.store_id) == config.key_check
            raise UnlockNeeds("damaged" if right else "wrong_key") from None
        retry = error.reason == "wrong_key_or_damaged"
        raise UnlockNeeds(error.reason, can_type_key=retry) from None
    session = Session(data_dir, store, config, key)
    if typed_key is not None and config.key_mode == "keyring" and config.store_id:
        # The VP typed the key because the keyring lost it: put it back where it belongs.
        with contextlib.suppress(KeyProblem):
            if provider.available() and provider.get(config.store_id) != typed_key:
                provider.put(config.store_id, typed_key)
    try:
        journal.append(store, clock.now().isoformat(), "unlocked")
    except StoreError as error:
        session.warnings.append(error.reason)
    return session
