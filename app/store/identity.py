"""The store's identity: a random id kept INSIDE the encrypted store (issue 12).

The id names the keyring entry and tells which backups belong to which store. It used to live
only in the plain `vertrouwd.json`, so a lost or replaced config gave a store a wrong id (or
the empty one) and one store's backups could prune another's. Now the store holds it (row
`store_id` of the `setting` table, beside `journal_head`) and the config holds a copy:
the copy follows the store, never the other way.

`settle_identity` runs at every unlock and after a restore, with the proven key:
- a store without an id (made before this) adopts the config's id once, or a new one;
- a config whose id differs from the store's (missing, damaged, replaced) is rewritten from the
  store, with a fresh key verifier, and the key is put under the store's id in the keyring
  when that entry is empty (an existing entry is never overwritten).
"""

from __future__ import annotations

import contextlib
import json
import uuid
from pathlib import Path

from app.config import StoreConfig, save_config
from app.security.keys import KeyProblem, KeyProvider, key_check
from app.store.db import Store, StoreError

ID_SETTING = "store_id"


def new_store_id() -> str:
    return uuid.uuid4().hex


def read_store_id(store: Store) -> str | None:
    """The id inside `store`, or None for a store made before ids lived there."""
    raw = store.scalar("SELECT value FROM setting WHERE name = ?", (ID_SETTING,))
    if not isinstance(raw, str):
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    return value if isinstance(value, str) and value else None


def write_store_id(store: Store, store_id: str) -> None:
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO setting(name, value) VALUES (?, ?) "
            "ON CONFLICT(name) DO UPDATE SET value = excluded.value",
            (ID_SETTING, json.dumps(store_id)),
        )


def settle_identity(
    store: Store,
    data_dir: Path,
    config: StoreConfig,
    key: str,
    provider: KeyProvider | None = None,
) -> bool:
    """Make the store hold an id and the config carry the same one (see the module doc).

    Returns True when the config was rewritten. `config` is changed in place.
    """
    inside = read_store_id(store)
    if inside is None:
        inside = config.store_id or new_store_id()
        try:
            write_store_id(store, inside)
        except StoreError:
            return False  # read-only or full: try again at the next unlock
    check = key_check(key, inside)
    if config.store_id == inside and config.key_check == check:
        return False
    config.store_id = inside
    config.key_check = check
    config.setup_complete = True
    save_config(data_dir, config)
    if provider is not None and config.key_mode == "keyring":
        with contextlib.suppress(KeyProblem):
            if provider.available() and provider.get(inside) is None:
                provider.put(inside, key)
    return True
