"""The recovery key, the KeyProvider seam and the vault rules (R9, R16): a keyring that is
missing, failing, null or plaintext means "ask", and a missing key never makes a new key."""

from __future__ import annotations

import math
import re
from collections import Counter
from pathlib import Path

import keyring
import keyring.backend
import keyring.backends.fail
import pytest

from app.config import load_config
from app.paths import store_path
from app.security.keys import (
    ALPHABET,
    SECURE_BACKENDS,
    SERVICE,
    KeyProblem,
    KeyringProvider,
    MemoryProvider,
    backend_name,
    entropy_bits,
    generate_recovery_key,
    normalize_recovery_key,
)
from app.security.vault import UnlockNeeds, create_store, unlock
from app.store.db import StoreError
from app.store.settings import Settings, load_settings
from tests.integration._support import digest, files_containing, has_own_message

KEY_PATTERN = re.compile(r"^[A-HJKMNP-Z2-9]{5}(-[A-HJKMNP-Z2-9]{5}){5}$")


def _settings() -> Settings:
    return Settings(school="Het Test College", location="Helmond", vp_name="A. Vertrouwens")


@pytest.fixture
def restore_keyring():
    previous = keyring.get_keyring()
    yield
    keyring.set_keyring(previous)


# -- the recovery key --------------------------------------------------------------------
def test_recovery_key_format_and_entropy() -> None:
    keys = [generate_recovery_key() for _ in range(300)]
    for key in keys:
        assert KEY_PATTERN.match(key), key
        assert normalize_recovery_key(key) == key
        assert not set(key.replace("-", "")) & set("0O1IL")
    assert len(set(keys)) == len(keys)
    assert entropy_bits() >= 128
    assert math.isclose(entropy_bits(), 30 * math.log2(31))
    assert len(ALPHABET) == len(set(ALPHABET)) == 31
    # Every symbol is used and none dominates (a crude check that the choice is uniform).
    counts = Counter("".join(keys).replace("-", ""))
    assert set(counts) == set(ALPHABET)
    expected = 300 * 30 / 31
    assert all(0.5 * expected < n < 1.5 * expected for n in counts.values())


def test_normalize_accepts_lowercase_spaces_and_missing_dashes() -> None:
    key = generate_recovery_key()
    compact = key.replace("-", "")
    assert normalize_recovery_key(key.lower()) == key
    assert normalize_recovery_key(" ".join(key.split("-"))) == key
    assert normalize_recovery_key(compact) == key
    assert normalize_recovery_key(f"  {compact.lower()}\n") == key
    assert normalize_recovery_key("\t" + key + "\r\n") == key


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "ABCDE",
        "ABCDE-FGHJK-MNPQR-STUVW-XYZ23-4567",  # one short
        "ABCDE-FGHJK-MNPQR-STUVW-XYZ23-456789",  # one long
        "ABCDE-FGHJK-MNPQR-STUVW-XYZ23-45670",  # 0
        "ABCDO-FGHJK-MNPQR-STUVW-XYZ23-45678",  # O
        "ABCDI-FGHJK-MNPQR-STUVW-XYZ23-45678",  # I
        "ABCDL-FGHJK-MNPQR-STUVW-XYZ23-45678",  # L
        "ABCD1-FGHJK-MNPQR-STUVW-XYZ23-45678",  # 1
        "ABCD!-FGHJK-MNPQR-STUVW-XYZ23-45678",
        "ABCDÉ-FGHJK-MNPQR-STUVW-XYZ23-45678",
        "ABCDE-FGHJK-MNPQR-STUVW-XYZ23-45678'; DROP TABLE setting; --",
    ],
)
def test_normalize_rejects_bad_keys(typed: str) -> None:
    assert normalize_recovery_key(typed) is None


# -- keyring mode with a trusted backend --------------------------------------------------
def _trusted_provider(ring) -> KeyringProvider:
    return KeyringProvider(trusted=SECURE_BACKENDS | {ring.name})


def test_create_in_keyring_mode_and_unlock_without_typing(tmp_path: Path, memory_keyring) -> None:
    provider = _trusted_provider(memory_keyring)
    key = generate_recovery_key()
    session = create_store(tmp_path / "data", _settings(), key, key_mode="keyring",
                           provider=provider)
    try:
        assert session.warnings == []
        assert session.config.key_mode == "keyring"
        assert session.config.keyring_backend == memory_keyring.name
    finally:
        session.lock()
    assert session.key is None and session.store.conn is None
    config = load_config(tmp_path / "data")
    assert config is not None and config.key_mode == "keyring"
    assert memory_keyring.backend.store[(SERVICE, f"store-{config.store_id}")] == key
    again = unlock(tmp_path / "data", provider)
    try:
        assert again.key == key
        assert load_settings(again.store).school == "Het Test College"
    finally:
        again.lock()
    assert files_containing(tmp_path, key) == []


# -- backends that mean "no keyring" (R9) ------------------------------------------------
class FailingKeyring(keyring.backend.KeyringBackend):
    """A backend that raises on every call (a locked or broken keyring)."""

    priority = 10  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.PasswordSetError("cannot")

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.PasswordDeleteError("cannot")


class LyingKeyring(keyring.backend.KeyringBackend):
    """Accepts the key and forgets it at once (reads back nothing)."""

    priority = 10  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        return None

    def delete_password(self, service: str, username: str) -> None:
        return None


def _plaintext_backend(tmp_path: Path):
    import keyrings.alt.file

    backend = keyrings.alt.file.PlaintextKeyring()
    backend.file_path = str(tmp_path / "plaintext-keyring" / "keyring_pass.cfg")
    return backend


def _backend(kind: str, tmp_path: Path):
    if kind == "plaintext":
        return _plaintext_backend(tmp_path)
    if kind == "null":
        return keyring.backends.fail.Keyring()
    if kind == "failing":
        return FailingKeyring()
    if kind == "lying":
        return LyingKeyring()
    raise AssertionError(kind)


@pytest.mark.parametrize(
    ("kind", "trusted", "warning"),
    [
        ("plaintext", False, "keyring_unavailable"),
        ("null", False, "keyring_unavailable"),
        ("failing", False, "keyring_unavailable"),
        ("failing", True, "keyring_failed"),  # even when trusted, a failure falls back
        ("lying", True, "keyring_failed"),  # read-back does not return the key
    ],
)
def test_untrusted_or_broken_backend_falls_back_to_ask(
    tmp_path: Path, restore_keyring, kind: str, trusted: bool, warning: str
) -> None:
    backend = _backend(kind, tmp_path)
    keyring.set_keyring(backend)
    extra = {backend_name(backend)} if trusted else set()
    provider = KeyringProvider(trusted=SECURE_BACKENDS | extra)
    assert provider.available() is trusted
    key = generate_recovery_key()
    session = create_store(tmp_path / "data", _settings(), key, key_mode="keyring",
                           provider=provider)
    try:
        assert session.config.key_mode == "ask"
        assert session.warnings == [warning]
        assert has_own_message(warning)
        assert not session.config.has_pin()
    finally:
        session.lock()
    config = load_config(tmp_path / "data")
    assert config is not None and config.key_mode == "ask"
    # Without typing: the VP is asked, nothing is created.
    with pytest.raises(UnlockNeeds) as needs:
        unlock(tmp_path / "data", provider)
    assert needs.value.reason == "ask"
    unlock(tmp_path / "data", provider, key).lock()
    assert files_containing(tmp_path, key) == []


def test_plaintext_backend_is_the_default_here_and_is_not_trusted(
    tmp_path: Path, restore_keyring
) -> None:
    """PYTHON_KEYRING_BACKEND or keyrings.alt can make a plaintext file the default keyring."""
    backend = _plaintext_backend(tmp_path)
    keyring.set_keyring(backend)
    provider = KeyringProvider()
    assert not provider.available()
    with pytest.raises(KeyProblem) as problem:
        provider.put("abc", generate_recovery_key())
    assert problem.value.reason == "keyring_unavailable"
    with pytest.raises(KeyProblem):
        provider.get("abc")
    assert not Path(backend.file_path).exists()
    # The redirect is real: this backend writes (in plain text!) into tmp_path when used.
    backend.set_password("probe", "user", "not-a-key")
    assert Path(backend.file_path).exists()
    assert str(tmp_path) in backend.file_path


def test_chainer_is_judged_by_its_best_member(restore_keyring, tmp_path: Path) -> None:
    from keyring.backends import chainer

    class Chain(chainer.ChainerBackend):
        @property
        def backends(self):  # type: ignore[override]
            return [_plaintext_backend(tmp_path), keyring.backends.fail.Keyring()]

    keyring.set_keyring(Chain())
    assert not KeyringProvider().available()


def test_memory_provider_unavailable_falls_back(tmp_path: Path) -> None:
    key = generate_recovery_key()
    session = create_store(tmp_path / "data", _settings(), key, key_mode="keyring",
                           provider=MemoryProvider(available=False), pin="1234")
    try:
        assert session.config.key_mode == "ask"
        assert session.warnings == ["keyring_unavailable"]
        assert not session.config.has_pin()  # a PIN means nothing without a remembered key
    finally:
        session.lock()


# -- R16: a store exists and the keyring lost or refuses the key ---------------------------
@pytest.fixture
def keyring_store(tmp_path: Path, memory_keyring):
    provider = _trusted_provider(memory_keyring)
    key = generate_recovery_key()
    session = create_store(tmp_path / "data", _settings(), key, key_mode="keyring",
                           provider=provider)
    session.lock()
    return tmp_path / "data", key, provider, memory_keyring


def _assert_nothing_new(data_dir: Path, before: str, names: list[str]) -> None:
    assert digest(store_path(data_dir)) == before
    assert sorted(p.name for p in data_dir.iterdir()) == names
    with pytest.raises(StoreError) as caught:
        create_store(data_dir, _settings(), generate_recovery_key(), key_mode="keyring",
                     provider=MemoryProvider())
    assert caught.value.reason == "exists"
    assert digest(store_path(data_dir)) == before


def test_keyring_empty_asks_for_the_recovery_key(keyring_store) -> None:
    data_dir, key, provider, ring = keyring_store
    config_before = (data_dir / "vertrouwd.json").read_bytes()
    before = digest(store_path(data_dir))
    names = sorted(p.name for p in data_dir.iterdir())
    ring.backend.store.clear()
    for _ in range(3):
        with pytest.raises(UnlockNeeds) as needs:
            unlock(data_dir, provider)
        assert needs.value.reason == "keyring_empty"
        assert needs.value.can_type_key
        assert has_own_message("keyring_empty")
    _assert_nothing_new(data_dir, before, names)
    assert (data_dir / "vertrouwd.json").read_bytes() == config_before
    assert ring.backend.store == {}
    # Typing the recovery key opens the store and puts the key back into the keyring.
    session = unlock(data_dir, provider, key)
    session.lock()
    assert list(ring.backend.store.values()) == [key]


def test_typed_key_is_put_back_into_the_keyring(keyring_store) -> None:
    data_dir, key, provider, ring = keyring_store
    ring.backend.store.clear()
    with pytest.raises(UnlockNeeds):
        unlock(data_dir, provider)
    session = unlock(data_dir, provider, key)
    session.lock()
    config = load_config(data_dir)
    assert config is not None
    assert ring.backend.store == {(SERVICE, f"store-{config.store_id}"): key}
    unlock(data_dir, provider).lock()  # and now without typing


def test_wrong_typed_key_is_not_put_into_the_keyring(keyring_store) -> None:
    data_dir, _key, provider, ring = keyring_store
    ring.backend.store.clear()
    with pytest.raises(UnlockNeeds) as needs:
        unlock(data_dir, provider, generate_recovery_key())
    assert needs.value.reason == "wrong_key"
    assert ring.backend.store == {}


def test_keyring_holding_a_wrong_key_never_replaces_the_store(keyring_store) -> None:
    data_dir, _key, provider, ring = keyring_store
    before = digest(store_path(data_dir))
    names = sorted(p.name for p in data_dir.iterdir())
    for entry in ring.backend.store:
        ring.backend.store[entry] = generate_recovery_key()
    with pytest.raises(UnlockNeeds) as needs:
        unlock(data_dir, provider)
    assert needs.value.reason == "wrong_key"
    _assert_nothing_new(data_dir, before, names)


@pytest.mark.parametrize(
    ("kind", "trusted", "reason"),
    [
        ("failing", True, "keyring_failed"),
        # A backend that is there but not on the allow-list is named as untrusted (issue 12).
        ("failing", False, "keyring_untrusted"),
        ("null", False, "keyring_unavailable"),
        ("plaintext", False, "keyring_untrusted"),
        ("lying", True, None),  # returns nothing: empty or changed
    ],
)
def test_keyring_breaks_while_a_store_exists(
    keyring_store, tmp_path: Path, kind: str, trusted: bool, reason: str | None
) -> None:
    data_dir, key, _provider, ring = keyring_store
    before = digest(store_path(data_dir))
    names = sorted(p.name for p in data_dir.iterdir())
    backend = _backend(kind, tmp_path)
    keyring.set_keyring(backend)
    extra = {backend_name(backend)} if trusted else set()
    provider = KeyringProvider(trusted=SECURE_BACKENDS | {ring.name} | extra)
    with pytest.raises(UnlockNeeds) as needs:
        unlock(data_dir, provider)
    if reason is None:
        assert needs.value.reason in {"keyring_empty", "keyring_changed"}
    else:
        assert needs.value.reason == reason
    assert needs.value.can_type_key
    assert has_own_message(needs.value.reason)
    _assert_nothing_new(data_dir, before, names)
    # The recovery key still opens it, whatever the keyring does.
    session = unlock(data_dir, provider, key)
    try:
        assert load_settings(session.store).school == "Het Test College"
    finally:
        session.lock()
    assert files_containing(tmp_path, key) == []


def test_changed_backend_has_its_own_message(keyring_store, tmp_path: Path) -> None:
    data_dir, _key, _provider, ring = keyring_store
    backend = LyingKeyring()
    keyring.set_keyring(backend)
    provider = KeyringProvider(trusted=SECURE_BACKENDS | {ring.name, backend_name(backend)})
    with pytest.raises(UnlockNeeds) as needs:
        unlock(data_dir, provider)
    assert needs.value.reason == "keyring_changed"
    assert has_own_message("keyring_changed")


def test_missing_config_never_creates_anything(keyring_store) -> None:
    data_dir, key, provider, _ring = keyring_store
    (data_dir / "vertrouwd.json").unlink()
    before = digest(store_path(data_dir))
    with pytest.raises(UnlockNeeds) as needs:
        unlock(data_dir, provider)
    assert needs.value.reason == "ask"
    assert sorted(p.name for p in data_dir.iterdir()) == ["vertrouwd.db"]
    assert digest(store_path(data_dir)) == before
    unlock(data_dir, provider, key).lock()


# -- the key is never written anywhere (R9) -------------------------------------------------
@pytest.mark.parametrize("mode", ["keyring", "ask"])
def test_key_in_no_file(tmp_path: Path, memory_keyring, mode: str) -> None:
    from app import journal

    provider = _trusted_provider(memory_keyring)
    key = generate_recovery_key()
    data_dir = tmp_path / "data"
    session = create_store(data_dir, _settings(), key, key_mode=mode, provider=provider,
                           pin="2468")
    # status
    load_settings(session.store)
    session.store.table_counts()
    journal.verify(session.store)
    session.lock()
    again = unlock(data_dir, provider, None if mode == "keyring" else key)
    journal.append(again.store, "2026-03-02T10:00:00", "locked")
    again.lock()
    config_text = (data_dir / "vertrouwd.json").read_text(encoding="utf-8")
    assert key not in config_text and key.replace("-", "") not in config_text
    assert "2468" not in config_text
    assert files_containing(tmp_path, key) == []
    assert list(tmp_path.rglob("*.setup")) == []
