"""Helpers shared by the store, key and set-up tests (no fixtures here: see tests/conftest.py)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from app.messages import reason_message

_SENTINEL = "__no_such_reason__"


def has_own_message(reason: str) -> bool:
    """True when `reason` has its own sentence (not the generic "something went wrong")."""
    generic_prefix = reason_message(_SENTINEL).split(_SENTINEL)[0]
    text = reason_message(reason)
    return bool(text.strip()) and not text.startswith(generic_prefix)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def key_forms(key: str) -> list[bytes]:
    """The byte forms in which a key could leak into a file."""
    compact = key.replace("-", "")
    forms = []
    for text in {key, compact, key.lower(), compact.lower(), " ".join(key.split("-"))}:
        forms.append(text.encode("utf-8"))
        forms.append(text.encode("utf-16-le"))
    # Also each half of the compact key: a leak that is split or truncated still counts.
    forms.append(compact[:15].encode())
    forms.append(compact[15:].encode())
    return forms


def files_containing(root: Path, key: str) -> list[str]:
    """Every file under `root` whose bytes contain the key in any of its forms."""
    hits = []
    forms = key_forms(key)
    for folder, _dirs, names in os.walk(root):
        for name in names:
            path = Path(folder) / name
            try:
                data = path.read_bytes()
            except OSError:
                continue
            if any(form in data for form in forms):
                hits.append(str(path))
    return hits
