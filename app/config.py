"""The small plain file beside the store (`vertrouwd.json`): what is needed before unlocking.

It holds no pupil data and no key: the store's random id (names the keyring entry), the key
mode, which keyring backend held the key (so a changed backend gets its own message), a short
key verifier (tells a wrong key from a damaged file), and the optional lock PIN as a salted
scrypt hash. Everything else, the school's settings included, lives in the encrypted store.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from app.files import write_atomic
from app.paths import config_path

KEY_MODES = ("keyring", "ask")


@dataclass
class StoreConfig:
    store_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    key_mode: str = "ask"
    keyring_backend: str = ""
    key_check: str = ""
    pin_salt: str = ""
    pin_hash: str = ""
    demo: bool = False
    setup_complete: bool = False
    # Windows refused to keep the key (policy): shown on the dashboard, scheduled backups stop.
    keyring_refused: bool = False
    format: int = 1

    def has_pin(self) -> bool:
        return bool(self.pin_hash)

    def set_pin(self, pin: str | None) -> None:
        if not pin:
            self.pin_salt = self.pin_hash = ""
            return
        self.pin_salt = secrets.token_hex(16)
        self.pin_hash = _pin_digest(pin, self.pin_salt)

    def check_pin(self, pin: str) -> bool:
        if not self.pin_hash:
            return True
        return hmac.compare_digest(self.pin_hash, _pin_digest(pin, self.pin_salt))


def _pin_digest(pin: str, salt: str) -> str:
    return hashlib.scrypt(pin.encode(), salt=bytes.fromhex(salt), n=2**14, r=8, p=1).hex()


class ConfigError(Exception):
    pass


def load_config(data_dir: Path) -> StoreConfig | None:
    path = config_path(data_dir)
    if not path.exists():
        return None
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(raw, dict):
            raise TypeError("not an object")
        defaults = StoreConfig(store_id="")
        known = {k: raw[k] for k in StoreConfig.__dataclass_fields__ if k in raw}
        for name, value in known.items():
            if type(value) is not type(getattr(defaults, name)):
                raise TypeError(name)
        if "store_id" not in known:
            known["store_id"] = ""  # never invent an id for an existing store here
        config = StoreConfig(**known)
    except (OSError, ValueError, TypeError) as exc:
        raise ConfigError(str(path)) from exc
    if config.key_mode not in KEY_MODES:
        config.key_mode = "ask"
    return config


def save_config(data_dir: Path, config: StoreConfig) -> None:
    text = json.dumps(asdict(config), indent=2, sort_keys=True)
    write_atomic(config_path(data_dir), text.encode("utf-8"))


def set_config_aside(data_dir: Path, moment: datetime) -> Path | None:
    """Move a damaged config out of the way (kept, never deleted) so it can be rebuilt."""
    path = config_path(data_dir)
    aside = path.with_name(f"{path.name}.damaged-{moment.strftime('%Y%m%d-%H%M%S')}")
    try:
        os.replace(path, aside)
    except OSError:
        return None
    return aside
