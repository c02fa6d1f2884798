"""Changing the recovery key (re-key) without ever losing the store (job 7; QUALITY R15).

The caller first gets a new key (`new_key`), shows it and has the VP confirm it (retype a part,
print the sheet of `recovery_sheet`), and only then calls `apply_rekey`. There is deliberately
no call that generates *and* applies a key: in "ask every time" mode the shown key is the only
record of the new key, so it must be on paper before the file changes.

`apply_rekey` steps, and what a kill after each leaves (the file key changes at step 4 only,
and `PRAGMA rekey` is one transaction: with `journal_mode=DELETE` a kill half-way leaves a hot
journal that the OLD key rolls back; trying the new key first does no harm):

1. checks (unlocked session, a well-formed key that differs from the old one);
2. keyring mode: the new key is stored as a *pending* entry (`<store id>.pending`) and read
   back; the main entry keeps the old key. Kill: the old key (keyring, old sheet) opens;
3. the key verifier in `vertrouwd.json` is cleared, so while the key changes a key that does
   not open the file is reported as "wrong key or damaged", never as "damaged";
4. `PRAGMA rekey`. Kill before its commit: the old key opens; after it: the new key (pending
   entry, new sheet) opens;
5. the file is reopened with the new key on a fresh connection (the proof), and the session
   continues on that connection;
6. keyring mode: the main entry gets the new key and is read back;
7. the verifier is set for the new key;
8. keyring mode: the pending entry is deleted; the journal records `rekeyed` (no key).

On the next unlock, `settle_pending_rekey` finishes or undoes an interrupted change: when a
pending entry exists it tries the main key, then the pending one, makes the one that opens
the store the main entry, deletes the pending entry and sets the verifier; when the verifier
is empty (a change interrupted between steps 3 and 7, also in "ask" mode) it sets it for the
key that opens the store. `app.security.vault.unlock` calls it just before it opens the
store. Typing either key also works in every state.

Backups and the copy made before a migration keep the key they were made with
(`old_backups_message`).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from app import journal
from app.config import StoreConfig, save_config
from app.domain.dates import moment_to_db
from app.i18n import _
from app.instance_lock import refuse_if_open
from app.paths import store_path
from app.security.keys import KeyProblem, KeyProvider, generate_recovery_key, key_check
from app.security.keys import normalize_recovery_key as _normalize
from app.security.recovery_sheet import render_recovery_sheet
from app.store.db import Store, StoreError, connect
from app.store.settings import load_settings

if TYPE_CHECKING:
    from app.security.vault import Session

__all__ = [
    "PENDING_SUFFIX",
    "RekeyError",
    "RekeyResult",
    "apply_rekey",
    "new_key",
    "new_recovery_sheet",
    "old_backups_message",
    "pending_id",
    "settle_pending_rekey",
]

PENDING_SUFFIX = ".pending"


class RekeyError(Exception):
    """The key was not changed (or, for `not_proven`, could not be proven); `message` is one
    Dutch sentence, `reason` a stable code."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.message = message


@dataclass(frozen=True)
class RekeyResult:
    keyring_updated: bool  # the keyring now holds the new key (keyring mode)
    warnings: tuple[str, ...]  # reason codes for `app.messages.reason_message`


def new_key() -> str:
    """A new recovery key, to show and confirm before `apply_rekey`."""
    return generate_recovery_key()


def pending_id(store_id: str) -> str:
    """The keyring name of a new key that is not yet proven to open the store."""
    return store_id + PENDING_SUFFIX


def _opens(path: Path, key: str) -> bool:
    try:
        conn = connect(path, key)
    except StoreError:
        return False
    with contextlib.suppress(Exception):
        conn.close()
    return True


def _rekey_file(store: Store, key: str) -> None:
    """Step 4: re-encrypt every page with `key` (one transaction inside SQLCipher)."""
    quoted = "'" + key.replace("'", "''") + "'"
    store.query("PRAGMA rekey = " + quoted)


def _prove(path: Path, key: str) -> Store:
    """Step 5: the file opens with `key` on a new connection and can be read."""
    fresh = Store.open(path, key, migrate=False)
    try:
        fresh.scalar("SELECT count(*) FROM journal")
    except StoreError:
        fresh.close()
        raise
    return fresh


def _failed(reason: str) -> RekeyError:
    messages = {
        "not_unlocked": _("Unlock Vertrouwd first; the recovery key was not changed."),
        "bad_key": _("The new recovery key is not valid; the recovery key was not changed."),
        "same_key": _(
            "The new recovery key is the same as the old one; the recovery key was not changed."
        ),
        "keyring": _(
            "The computer's keyring did not accept the new key, so the recovery key was not "
            "changed. Try again later; the old recovery key still works."
        ),
        "rekey": _(
            "Changing the key of the data file failed; the data file still opens with the old "
            "recovery key. Nothing has been changed."
        ),
        "not_proven": _(
            "The data file could not be reopened with the new key. Close Vertrouwd and open "
            "it with the NEW recovery key; if that fails, use the old one."
        ),
    }
    return RekeyError(reason, messages[reason])


def apply_rekey(
    session: Session,
    new_key: str,
    provider: KeyProvider,
    *,
    now: datetime | None = None,
) -> RekeyResult:
    """Change the store's key to `new_key` (already shown to and confirmed by the VP).

    See the module docstring for the order. On success the session runs on a connection
    opened with the new key (the same `Store` object) and `session.key` is the new key.
    Raises RekeyError; except for `not_proven`, the store then still has its old key."""
    moment = (now or datetime.now()).replace(microsecond=0)
    store, config = session.store, session.config
    old_key = session.key
    if old_key is None or store.conn is None:
        raise _failed("not_unlocked")
    refuse_if_open(session.data_dir)  # issue 12: not while another window has the store
    if _normalize(new_key) != new_key:
        raise _failed("bad_key")
    if new_key == old_key:
        raise _failed("same_key")
    path = store.path
    store_id = config.store_id
    use_keyring = config.key_mode == "keyring" and bool(store_id)
    warnings: list[str] = []

    # 2. The new key waits in the keyring beside the old one.
    if use_keyring:
        try:
            provider.put(pending_id(store_id), new_key)
            if provider.get(pending_id(store_id)) != new_key:
                raise KeyProblem("keyring_failed")
        except KeyProblem:
            with contextlib.suppress(KeyProblem):
                provider.delete(pending_id(store_id))
            raise _failed("keyring") from None

    # 3. No verifier while the key changes.
    old_check = config.key_check
    if store_id:
        config.key_check = ""
        try:
            save_config(session.data_dir, config)
        except OSError:
            config.key_check = old_check
            if use_keyring:
                with contextlib.suppress(KeyProblem):
                    provider.delete(pending_id(store_id))
            raise _failed("rekey") from None

    # 4. The file gets the new key.
    try:
        _rekey_file(store, new_key)
    except StoreError:
        if store_id:
            config.key_check = old_check
            with contextlib.suppress(OSError):
                save_config(session.data_dir, config)
        if use_keyring:
            with contextlib.suppress(KeyProblem):
                provider.delete(pending_id(store_id))
        raise _failed("rekey") from None
    session.key = new_key  # the open connection already uses it

    # 5. Proof on a fresh connection; the session continues on it.
    try:
        fresh = _prove(path, new_key)
    except StoreError:
        raise _failed("not_proven") from None
    old_conn, store.conn = store.conn, fresh.conn
    with contextlib.suppress(Exception):
        old_conn.close()
    # The new key is proven: safety copies under the old key go (issue 13 item 4).
    from app.services.copies import remove_all_safety_copies

    remove_all_safety_copies(session.data_dir)

    # 6. The keyring's main entry gets the new key; 7. the verifier; 8. the pending entry
    # goes (last, so that an interrupted step 7 is still settled at the next unlock).
    keyring_updated = False
    if use_keyring:
        try:
            provider.put(store_id, new_key)
            if provider.get(store_id) != new_key:
                raise KeyProblem("keyring_failed")
            keyring_updated = True
        except KeyProblem as problem:
            # The pending entry stays: the next unlock settles it (settle_pending_rekey).
            warnings.append(problem.reason)
    if store_id:
        config.key_check = key_check(new_key, store_id)
        try:
            save_config(session.data_dir, config)
        except OSError:
            warnings.append("io")
    if keyring_updated:
        with contextlib.suppress(KeyProblem):
            provider.delete(pending_id(store_id))
    try:
        journal.append(store, moment_to_db(moment), "rekeyed", keyring=int(keyring_updated))
    except StoreError as error:
        warnings.append(error.reason)
    return RekeyResult(keyring_updated, tuple(warnings))


def settle_pending_rekey(
    data_dir: Path, config: StoreConfig, provider: KeyProvider, key: str
) -> str:
    """The key to open the store with, after finishing or undoing an interrupted re-key.

    The normal case costs one keyring read: no pending entry and a verifier in `config`, and
    `key` is returned as it is. With a pending entry (keyring mode), `key` and then the
    pending key are tried; the one that opens the store becomes the main keyring entry, the
    verifier in `config` (saved) is set for it and the pending entry is deleted. With an empty
    verifier and no pending entry, the verifier is set when `key` opens the store. When no key
    opens it, nothing is changed and `key` is returned, so that the caller reports the
    failure as usual. Never raises for keyring or config-file trouble."""
    if not config.store_id:
        return key
    path = store_path(data_dir)
    pending: str | None = None
    if config.key_mode == "keyring":
        with contextlib.suppress(KeyProblem):
            pending = provider.get(pending_id(config.store_id))
    if not pending:
        if not config.key_check and _opens(path, key):
            _set_verifier(data_dir, config, key)
        return key
    chosen = next((k for k in dict.fromkeys((key, pending)) if _opens(path, k)), None)
    if chosen is None:
        return key
    try:
        if provider.get(config.store_id) != chosen:
            provider.put(config.store_id, chosen)
            if provider.get(config.store_id) != chosen:
                return chosen  # keep the pending entry: it may be the only copy
        _set_verifier(data_dir, config, chosen)
        provider.delete(pending_id(config.store_id))
    except KeyProblem:
        return chosen
    return chosen


def _set_verifier(data_dir: Path, config: StoreConfig, key: str) -> None:
    verifier = key_check(key, config.store_id)
    if config.key_check != verifier:
        config.key_check = verifier
        with contextlib.suppress(OSError):
            save_config(data_dir, config)


def new_recovery_sheet(session: Session, key: str, made_on: date) -> bytes:
    """The recovery sheet (PDF bytes) for the new key, with the school from the settings."""
    settings = load_settings(session.store)
    return render_recovery_sheet(
        school=settings.school,
        location=settings.location,
        data_file=session.store.path,
        key=key,
        made_on=made_on,
    )


def old_backups_message() -> str:
    """Shown after a re-key: backups keep the key they were made with."""
    return _(
        "The recovery key has been changed. Backups made before today still open only with "
        "the OLD recovery key. Keep the old recovery sheet with those backups until they have "
        "been replaced, or destroy both if the old key may have been seen by someone else. "
        "Make a new backup now; it uses the new key."
    )
