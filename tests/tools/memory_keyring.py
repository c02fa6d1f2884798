"""An in-memory backend for the real `keyring` API (tests and the screenshot tour only)."""

from __future__ import annotations

from typing import ClassVar


class MemoryKeyring:
    """Holds a fresh in-memory backend; `name` is what `KeyringProvider(trusted=...)` needs."""

    def __init__(self) -> None:
        import keyring.backend

        class _Backend(keyring.backend.KeyringBackend):
            priority = 10  # type: ignore[assignment]
            store: ClassVar[dict[tuple[str, str], str]] = {}

            def get_password(self, service: str, username: str) -> str | None:
                return self.store.get((service, username))

            def set_password(self, service: str, username: str, password: str) -> None:
                self.store[(service, username)] = password

            def delete_password(self, service: str, username: str) -> None:
                self.store.pop((service, username), None)

        _Backend.store = {}
        self.backend = _Backend()
        self.name = f"{type(self.backend).__module__}.{type(self.backend).__qualname__}"
