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
import errno
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from app import journal, winfs
from app.clock import Clock, SystemClock
from app.config import ConfigError, StoreConfig, load_config, save_config, set_config_aside
from app.files import fsync_dir
from app.instance_lock import replaced_under, store_fingerprint
from app.output_guard import remember_data_dir
from app.paths import config_path, make_private_dir, store_path
from app.security.keys import KeyProblem, KeyProvider, KeyringProvider, key_check
from app.services.rekey import settle_pending_rekey
from app.store.db import Store, StoreError
from app.store.identity import new_store_id, settle_identity, write_store_id
from app.store.settings import Settings, save_settings

SETUP_SUFFIX = ".setup"


def store_leftovers(data_dir: Path) -> list[Path]:
    """Files in `data_dir` that belonged to a store: backups, safety and migration copies."""
    try:
        return [
            p for p in data_dir.iterdir()
            if p.name.startswith(("vertrouwd-backup-", "vertrouwd.db."))
            and not p.name.endswith(SETUP_SUFFIX)
        ]
    except OSError:
        return []


@dataclass
class Session:
    """An unlocked store and what belongs with it while it is open."""

    data_dir: Path
    store: Store
    config: StoreConfig
    key: str | None
    warnings: list[str] = field(default_factory=list)
    #: (device, inode) of the store file when it was opened: another file under the same
    #: name means the store was replaced under this session (app.instance_lock).
    fingerprint: tuple[int, int] | None = None

    def __post_init__(self) -> None:
        if self.fingerprint is None:
            self.fingerprint = store_fingerprint(self.store.path)

    def replaced(self) -> bool:
        """True when someone else swapped or re-keyed the store while this session ran."""
        return replaced_under(self.data_dir, self.store.path, self.fingerprint, self.key,
                              self.config.store_id)

    def lock(self) -> None:
        """Close the connection and drop the key (Python cannot wipe the string's memory)."""
        self.store.close()
        self.key = None


def check_new_folder(data_dir: Path, *, new_store: bool) -> None:
    """Refuse (StoreError "other_store") a folder whose store went missing: its config says
    set-up was finished, or backups or copies of a store lie there. A new store would take its
    place. Only with `new_store` (init --new-store) is that what the VP wants."""
    if new_store:
        return
    try:
        previous = load_config(data_dir)
    except ConfigError:
        raise StoreError("other_store", "config") from None
    if (previous is not None and previous.setup_complete) or store_leftovers(data_dir):
        raise StoreError("other_store", str(data_dir))


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
    new_store: bool = False,
    show_key: Callable[[], None] | None = None,
) -> Session:
    """Make a new store in `data_dir` (see the module doc for the order).

    `show_key` (the command line prints the key there) is called once the store is complete
    under its temporary name and flushed, just before it takes its final name: a kill before
    leaves no store, a kill after leaves one that the shown key opens, and a failure (a full
    disk) shows no key for a store that was not made. On any failure before the final name,
    what this call wrote is removed: the config, the temporary store, its keyring entry."""
    clock = clock or SystemClock()
    remember_data_dir(data_dir)
    make_private_dir(data_dir)
    final = store_path(data_dir)
    if final.exists():
        raise StoreError("exists", str(final))
    check_new_folder(data_dir, new_store=new_store)
    # A new store always gets a new id: never one of a config left behind (issue 12).
    config = StoreConfig(store_id=new_store_id())
    config.key_mode = key_mode
    config.key_check = key_check(key, config.store_id)
    config.demo = demo
    config.set_pin(pin)
    warnings: list[str] = []
    if key_mode == "keyring":
        try:
            if not provider.available():
                raise KeyProblem("keyring_unavailable")
            if provider.get(config.store_id) is not None:
                raise KeyProblem("keyring_failed")  # never overwrite another store's entry
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
    temp = final.with_name(final.name + SETUP_SUFFIX)
    config_before = _read_bytes(config_path(data_dir))
    try:
        save_config(data_dir, config)
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        store = Store.open(temp, key, create=True)
        try:
            write_store_id(store, config.store_id)
            save_settings(store, settings)
            journal.append(store, clock.now().isoformat(), "created")
        finally:
            store.close()
        with open(temp, "rb+") as handle:
            os.fsync(handle.fileno())
        if show_key is not None:
            show_key()
        winfs.replace(temp, final)
    except Exception as exc:
        _undo_setup(data_dir, temp, config_before, config, provider)
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            raise StoreError("disk_full", str(exc)) from None
        raise
    fsync_dir(data_dir)
    # From here on a missing store file means "lost" (offer a backup), not "set-up unfinished".
    config.setup_complete = True
    save_config(data_dir, config)
    return Session(data_dir, Store.open(final, key), config, key, warnings)


def _read_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _undo_setup(data_dir: Path, temp: Path, config_before: bytes | None, config: StoreConfig,
                provider: KeyProvider) -> None:
    """Take back what a failed `create_store` wrote (nothing is left for a store not made)."""
    for leftover in (temp, temp.with_name(temp.name + "-journal")):
        with contextlib.suppress(OSError):
            leftover.unlink()
    path = config_path(data_dir)
    with contextlib.suppress(OSError):
        if config_before is None:
            path.unlink()
        else:
            path.write_bytes(config_before)
    if config.key_mode == "keyring":
        with contextlib.suppress(KeyProblem):
            provider.delete(config.store_id)


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
    from app.services.backup import settle_leftovers

    settle_leftovers(data_dir)  # a restore killed half-way (issue 12)
    if not path.exists():
        raise UnlockNeeds("missing", can_type_key=False)
    try:
        config = load_config(data_dir)
    except ConfigError:
        # A damaged config: the recovery key opens the store, which rebuilds the config from
        # what it holds (the store id inside it); the damaged file is kept aside.
        if typed_key is None:
            raise UnlockNeeds("config_damaged") from None
        set_config_aside(data_dir, clock.now())
        config = None
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
    try:
        settle_identity(store, data_dir, config, key, provider)
    except OSError:
        pass  # a read-only folder: the copy in the config is refreshed at the next unlock
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
    _age_out_safety_copies(session, clock)
    return session


def _age_out_safety_copies(session: Session, clock: Clock) -> None:
    """Safety copies older than the setting (at most 30 days) go (issue 13 item 4)."""
    from app.services.copies import prune_safety_copies
    from app.store.settings import load_settings

    with contextlib.suppress(StoreError):
        days = load_settings(session.store).safety_copy_days
        prune_safety_copies(session.data_dir, now=clock.now(), max_days=days)
