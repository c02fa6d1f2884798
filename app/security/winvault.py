"""Windows Credential Manager (keyring's WinVault backend) as a school PC needs it.

keyring's WinVault backend keeps every password of one service under ONE target name and moves
an earlier entry with another user name to `user@service` when a second is written. For
Vertrouwd (main key `store-<id>`, re-key `store-<id>.pending`) that leaves the OLD key behind
in Credential Manager after a re-key. It also writes with enterprise persistence, so the key
roams with a roaming profile to other PCs. Here each entry gets a target of its own
(`Vertrouwd/store-<id>`), written with *local machine* persistence; the old-style entries of
that name are removed when an entry is written or deleted, and read once (then moved) when
no own-target entry exists yet. A group policy that forbids stored credentials makes CredWrite
fail with error 1312: that is reported as its own reason, `keyring_refused`.
"""

from __future__ import annotations

import contextlib
from typing import Any

WINVAULT = "keyring.backends.Windows.WinVaultKeyring"
ERROR_NO_SUCH_LOGON_SESSION = 1312  # "credentials may not be saved" by policy
LOCAL_MACHINE = "local machine"


def is_winvault(backend: object) -> bool:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}" == WINVAULT or bool(
        getattr(backend, "vertrouwd_winvault", False)  # the test double says so itself
    )


def target(service: str, username: str) -> str:
    """The Credential Manager target of one entry: its own, never shared."""
    return f"{service}/{username}"


def refused_by_policy(error: BaseException) -> bool:
    code = getattr(error, "winerror", None)
    if code is None and error.args and isinstance(error.args[0], int):
        code = error.args[0]
    return code == ERROR_NO_SUCH_LOGON_SESSION


def _forget_legacy(backend: Any, service: str, username: str) -> None:
    with contextlib.suppress(Exception):
        backend.delete_password(service, username)


def put(backend: Any, service: str, username: str, secret: str) -> None:
    """Write one entry in place. keyring's `set_password` would first move an existing entry
    of the same target to `user@target` (keeping the old key); its one-target writer does not,
    so it is used when present."""
    backend.persist = LOCAL_MACHINE  # never enterprise: the key stays on this PC
    own = target(service, username)
    write_one = getattr(backend, "_set_password", None)
    if callable(write_one):
        write_one(own, username, secret)
    else:
        with contextlib.suppress(Exception):
            backend.delete_password(own, username)
        backend.set_password(own, username, secret)
    _forget_legacy(backend, service, username)


def get(backend: Any, service: str, username: str) -> str | None:
    value = backend.get_password(target(service, username), username)
    if value:
        return str(value)
    legacy = backend.get_password(service, username)
    if legacy:
        with contextlib.suppress(Exception):
            put(backend, service, username, str(legacy))
        return str(legacy)
    return None


def delete(backend: Any, service: str, username: str) -> None:
    with contextlib.suppress(Exception):
        backend.delete_password(target(service, username), username)
    _forget_legacy(backend, service, username)
