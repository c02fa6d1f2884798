"""The recovery key and the KeyProvider seam.

The recovery key is the database key: 6 groups of 5 characters from an alphabet without look-alikes
(no 0/O, 1/I/L), 30 characters of 5 bits = 150 bits of entropy. It is never written to a file, a
setting, a log or a command line. Providers:

- `KeyringProvider`: the operating system's secret store via `keyring`. Only backends on an
  allow-list count (Windows Credential Manager, macOS Keychain, Secret Service, KWallet); a null,
  failing or plaintext backend (keyrings.alt, `PYTHON_KEYRING_BACKEND` pointing at one) means
  "no keyring", and the program falls back to asking.
- `MemoryProvider`: for tests.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Protocol

from app.security import winvault

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # 31 symbols: no 0/O, 1/I/L
GROUPS = 6
GROUP_LEN = 5
SERVICE = "Vertrouwd"

SECURE_BACKENDS = frozenset(
    {
        "keyring.backends.Windows.WinVaultKeyring",
        "keyring.backends.macOS.Keyring",
        "keyring.backends.SecretService.Keyring",
        "keyring.backends.libsecret.Keyring",
        "keyring.backends.kwallet.DBusKeyring",
    }
)

#: Backends that mean "there is no keyring" rather than "an unsafe one".
UNUSABLE_BACKENDS = frozenset(
    {"none", "keyring.backends.fail.Keyring", "keyring.backends.null.Keyring"}
)


class KeyProblem(Exception):
    """Base for key problems; `.reason` is a stable code the GUI and CLI translate."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def generate_recovery_key() -> str:
    chars = [secrets.choice(ALPHABET) for _ in range(GROUPS * GROUP_LEN)]
    groups = ["".join(chars[i : i + GROUP_LEN]) for i in range(0, len(chars), GROUP_LEN)]
    return "-".join(groups)


def normalize_recovery_key(typed: str) -> str | None:
    """The canonical form of a typed key, or None when it cannot be one.

    Spaces and dashes are ignored and lower case is accepted; a character outside the alphabet
    (such as O, 0, I, 1 or L) makes it None, which tells the VP a character is wrong.
    """
    compact = "".join(ch for ch in typed.upper() if ch not in " -\t\r\n")
    if len(compact) != GROUPS * GROUP_LEN or any(ch not in ALPHABET for ch in compact):
        return None
    return "-".join(compact[i : i + GROUP_LEN] for i in range(0, len(compact), GROUP_LEN))


def key_check(key: str, store_id: str) -> str:
    """A short verifier stored beside the store to tell a wrong key from a damaged file.

    With a 150-bit random key a keyed hash reveals nothing useful; it never lets anyone
    recover the key.
    """
    digest = hmac.new(key.encode(), b"vertrouwd-key-check:" + store_id.encode(), hashlib.sha256)
    return digest.hexdigest()[:16]


def entropy_bits() -> float:
    import math

    return GROUPS * GROUP_LEN * math.log2(len(ALPHABET))


class KeyProvider(Protocol):
    """Where a store's key is kept between sessions."""

    name: str

    def available(self) -> bool: ...

    def get(self, store_id: str) -> str | None: ...

    def put(self, store_id: str, key: str) -> None: ...

    def delete(self, store_id: str) -> None: ...


class MemoryProvider:
    """Keeps keys in a dict: for tests, and for the session after the VP typed the key."""

    name = "memory"

    def __init__(self, *, available: bool = True) -> None:
        self.keys: dict[str, str] = {}
        self._available = available

    def available(self) -> bool:
        return self._available

    def get(self, store_id: str) -> str | None:
        return self.keys.get(store_id)

    def put(self, store_id: str, key: str) -> None:
        if not self._available:
            raise KeyProblem("keyring_unavailable")
        self.keys[store_id] = key

    def delete(self, store_id: str) -> None:
        self.keys.pop(store_id, None)


def backend_name(backend: object) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


@dataclass
class KeyringProvider:
    """The OS keyring through the `keyring` package, trusted only for secure backends."""

    trusted: frozenset[str] = SECURE_BACKENDS
    name: str = "keyring"

    def _backend(self) -> object | None:
        try:
            import keyring

            backend = keyring.get_keyring()
        except Exception:
            return None
        # A chainer is only as good as its members: use it only when its best member is trusted.
        members = getattr(backend, "backends", None)
        if members:
            ranked = sorted(members, key=lambda b: getattr(b, "priority", 0), reverse=True)
            backend = ranked[0]
        if backend_name(backend) not in self.trusted:
            return None
        return backend

    def backend_label(self) -> str:
        try:
            import keyring

            return backend_name(keyring.get_keyring())
        except Exception:
            return "none"

    def available(self) -> bool:
        return self._backend() is not None

    def untrusted(self) -> bool:
        """True when a keyring backend is there but not a safe one (a plaintext file, say)."""
        label = self.backend_label()
        return self._backend() is None and label not in UNUSABLE_BACKENDS

    def get(self, store_id: str) -> str | None:
        backend = self._backend()
        if backend is None:
            raise KeyProblem("keyring_untrusted" if self.untrusted() else "keyring_unavailable")
        try:
            if winvault.is_winvault(backend):
                value = winvault.get(backend, SERVICE, f"store-{store_id}")
            else:
                value = backend.get_password(SERVICE, f"store-{store_id}")  # type: ignore[attr-defined]
        except Exception as exc:
            raise KeyProblem("keyring_failed") from exc
        return value if isinstance(value, str) and value else None

    def put(self, store_id: str, key: str) -> None:
        backend = self._backend()
        if backend is None:
            raise KeyProblem("keyring_unavailable")
        try:
            if winvault.is_winvault(backend):
                winvault.put(backend, SERVICE, f"store-{store_id}", key)
            else:
                backend.set_password(SERVICE, f"store-{store_id}", key)  # type: ignore[attr-defined]
        except Exception as exc:
            reason = "keyring_refused" if winvault.refused_by_policy(exc) else "keyring_failed"
            raise KeyProblem(reason) from exc

    def delete(self, store_id: str) -> None:
        backend = self._backend()
        if backend is None:
            return
        if winvault.is_winvault(backend):
            winvault.delete(backend, SERVICE, f"store-{store_id}")
            return
        try:
            backend.delete_password(SERVICE, f"store-{store_id}")  # type: ignore[attr-defined]
        except Exception:
            pass
