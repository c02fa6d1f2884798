"""Windows Credential Manager, simulated with a double that behaves like keyring's WinVault
backend (one target per service, earlier entries moved to `user@service`, a persistence
setting, CredWrite refusals): the key stays on this PC, a re-key leaves no old key behind, and
a policy that forbids saved credentials is named as such."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import keyring
import keyring.backend
import pytest
from keyring.errors import PasswordDeleteError

from app.clock import FixedClock
from app.commands.info import _keyring_probe
from app.messages import reason_message
from app.security.keys import KeyProblem, KeyringProvider, backend_name, generate_recovery_key
from app.security.vault import create_store
from app.services.rekey import apply_rekey
from app.store.settings import Settings

ENTERPRISE, LOCAL_MACHINE = 3, 2  # win32cred.CRED_PERSIST_*


class PolicyError(Exception):
    """What pywin32-ctypes raises: pywintypes.error(winerror, funcname, message)."""

    def __init__(self, winerror: int, funcname: str) -> None:
        super().__init__(winerror, funcname, "policy")
        self.winerror, self.funcname = winerror, funcname


class Persistence:
    def __get__(self, ring: Any, owner: Any = None) -> int:
        return int(getattr(ring, "_persist", ENTERPRISE))

    def __set__(self, ring: Any, value: Any) -> None:
        if isinstance(value, str):
            value = {"local machine": LOCAL_MACHINE, "enterprise": ENTERPRISE}[value.lower()]
        ring._persist = value


class FakeWinVault(keyring.backend.KeyringBackend):
    """keyring.backends.Windows.WinVaultKeyring's logic over a dict of targets."""

    priority = 5  # type: ignore[assignment]
    vertrouwd_winvault = True
    persist = Persistence()

    def __init__(self) -> None:
        super().__init__()
        self.targets: dict[str, dict[str, Any]] = {}
        self.refuse_writes = False

    def _set_password(self, target: str, username: str, password: str) -> None:
        if self.refuse_writes:
            raise PolicyError(1312, "CredWrite")
        self.targets[target] = {"UserName": username, "value": password, "Persist": self.persist}

    def get_password(self, service: str, username: str) -> str | None:
        res = self.targets.get(service)
        if not res or (username and res["UserName"] != username):
            res = self.targets.get(f"{username}@{service}")
        return res["value"] if res else None

    def set_password(self, service: str, username: str, password: str) -> None:
        existing = self.targets.get(service)
        if existing:
            self._set_password(f"{existing['UserName']}@{service}", existing["UserName"],
                        existing["value"])
        self._set_password(service, username, password)

    def delete_password(self, service: str, username: str) -> None:
        deleted = False
        for target in (service, f"{username}@{service}"):
            found = self.targets.get(target)
            if found and found["UserName"] == username:
                del self.targets[target]
                deleted = True
        if not deleted:
            raise PasswordDeleteError(service)


@pytest.fixture
def vault() -> Iterator[FakeWinVault]:
    before = keyring.get_keyring()
    fake = FakeWinVault()
    keyring.set_keyring(fake)
    yield fake
    keyring.set_keyring(before)


def provider_for(vault: FakeWinVault) -> KeyringProvider:
    return KeyringProvider(trusted=frozenset({backend_name(vault)}))


def secrets_in(vault: FakeWinVault) -> set[str]:
    return {entry["value"] for entry in vault.targets.values()}


def test_the_key_is_kept_on_this_pc_only_under_its_own_target(vault: FakeWinVault) -> None:
    provider = provider_for(vault)
    provider.put("abc", "KEY-ONE")
    assert vault.targets == {
        "Vertrouwd/store-abc": {"UserName": "store-abc", "value": "KEY-ONE",
                                "Persist": LOCAL_MACHINE},
    }
    assert provider.get("abc") == "KEY-ONE"


def test_a_rekey_leaves_no_old_key_in_credential_manager(
    vault: FakeWinVault, tmp_path: Path
) -> None:
    provider = provider_for(vault)
    old = generate_recovery_key()
    session = create_store(tmp_path / "data", Settings(school="Winschool"), old,
                           key_mode="keyring", provider=provider,
                           clock=FixedClock(datetime(2026, 3, 2, 10)))
    try:
        assert session.config.key_mode == "keyring"
        new = generate_recovery_key()
        result = apply_rekey(session, new, provider)
        assert result.keyring_updated
    finally:
        session.lock()
    assert secrets_in(vault) == {new}  # the old key is gone, no pending entry either
    assert provider.get(session.config.store_id) == new


def test_the_legacy_layout_did_leave_the_old_key_behind(vault: FakeWinVault) -> None:
    """Why the own target is needed: keyring's WinVault moves the main entry aside."""
    vault.set_password("Vertrouwd", "store-abc", "OLD")
    vault.set_password("Vertrouwd", "store-abc.pending", "NEW")
    vault.set_password("Vertrouwd", "store-abc", "NEW")
    vault.delete_password("Vertrouwd", "store-abc.pending")
    assert "OLD" in secrets_in(vault)


def test_an_entry_in_the_old_layout_is_read_once_and_moved(vault: FakeWinVault) -> None:
    vault.set_password("Vertrouwd", "store-abc", "OLD-LAYOUT")
    provider = provider_for(vault)
    assert provider.get("abc") == "OLD-LAYOUT"
    assert set(vault.targets) == {"Vertrouwd/store-abc"}
    assert vault.targets["Vertrouwd/store-abc"]["Persist"] == LOCAL_MACHINE


def test_a_policy_against_saved_credentials_is_named(vault: FakeWinVault, tmp_path: Path) -> None:
    vault.refuse_writes = True
    provider = provider_for(vault)
    with pytest.raises(KeyProblem) as caught:
        provider.put("abc", "KEY")
    assert caught.value.reason == "keyring_refused"
    session = create_store(tmp_path / "data", Settings(school="Winschool"),
                           generate_recovery_key(), key_mode="keyring", provider=provider,
                           clock=FixedClock(datetime(2026, 3, 2, 10)))
    try:
        assert session.config.key_mode == "ask" and session.config.keyring_refused
    finally:
        session.lock()
    text = _keyring_probe(provider, "WinVault")
    assert reason_message("keyring_refused") in text
    assert "geplande back-ups" in reason_message("keyring_refused")
    assert vault.targets == {}


def test_the_real_winvault_backend_still_has_the_parts_we_rely_on() -> None:
    """The double copies keyring's WinVault: fail when keyring changes what we rely on."""
    import inspect

    from keyring.backends.Windows import WinVaultKeyring

    assert backend_name(WinVaultKeyring()) == "keyring.backends.Windows.WinVaultKeyring"
    assert list(inspect.signature(WinVaultKeyring._set_password).parameters) == [
        "self", "target", "username", "password"]
    assert "persist" in vars(WinVaultKeyring)
    assert "CRED_PERSIST_" in inspect.getsource(type(vars(WinVaultKeyring)["persist"]))
