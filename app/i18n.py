"""The translation catalogue: every sentence a user sees passes through `_`.

Message ids in the code are English; the Dutch catalogue (`resources/locale/nl/LC_MESSAGES/*.po`)
is the default language. The .po files are read directly (a small parser, no msgfmt step), so
the catalogue a test checks is the catalogue the program uses. English is the second language:
it shows the message ids themselves.
"""

from __future__ import annotations

import ast
import os
from functools import lru_cache
from pathlib import Path

from app.resources import resource_path

LANGUAGES = ("nl", "en")
_language = os.environ.get("VERTROUWD_LANG", "nl")
if _language not in LANGUAGES:
    _language = "nl"


def _unquote(token: str) -> str:
    value = ast.literal_eval(token)
    if not isinstance(value, str):
        raise ValueError(token)
    return value


def parse_po(text: str) -> dict[str, str]:
    """Parse the msgid/msgstr pairs of a .po file (no plural forms, no contexts)."""
    entries: dict[str, str] = {}
    msgid: list[str] | None = None
    msgstr: list[str] | None = None
    current: list[str] | None = None

    def flush() -> None:
        if msgid is not None and msgstr is not None:
            key = "".join(msgid)
            if key:
                entries[key] = "".join(msgstr)

    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("msgid "):
            flush()
            msgid, msgstr = [_unquote(line[6:])], None
            current = msgid
        elif line.startswith("msgstr "):
            msgstr = [_unquote(line[7:])]
            current = msgstr
        elif line.startswith('"') and current is not None:
            current.append(_unquote(line))
    flush()
    return entries


@lru_cache(maxsize=4)
def catalogue(language: str) -> dict[str, str]:
    folder: Path = resource_path("locale", language, "LC_MESSAGES")
    merged: dict[str, str] = {}
    if folder.is_dir():
        for po in sorted(folder.glob("*.po")):
            merged.update(parse_po(po.read_text(encoding="utf-8")))
    return merged


def set_language(language: str) -> None:
    global _language
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}")
    _language = language


def language() -> str:
    return _language


def _(msgid: str) -> str:
    """The user's sentence for `msgid` (Dutch by default; the id itself in English)."""
    if _language == "en":
        return msgid
    text = catalogue(_language).get(msgid)
    return text if text else msgid
