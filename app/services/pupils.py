"""Pupils: add, correct, read, and find by name (so that a pupil entered twice can be reused).

A pupil row holds only what the intake needs (protocol 6b): a name or pseudonym, class, year,
level, minor or adult, who holds parental authority. No date of birth.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from app.clock import Clock
from app.domain.dates import moment_to_db
from app.domain.errors import ValidationError
from app.domain.lists import LEVELS
from app.domain.models import Pupil, PupilData
from app.i18n import _
from app.services.rows import PUPIL_SELECT, load_pupil, pupil_from_row
from app.services.validation import MAX_SHORT_CHARS, check_short, not_found
from app.store.db import Store


def check_pupil(data: PupilData) -> PupilData:
    """`data` unchanged, or ValidationError with the field to fix."""
    check_short(data.name, "name", required=_("Fill in the pupil's name or a pseudonym."))
    check_short(data.class_name, "class_name")
    check_short(data.authority, "authority")
    year = data.year_group
    if year is not None and (
        isinstance(year, bool) or not isinstance(year, int) or not 1 <= year <= 7
    ):
        raise ValidationError(_("The year must be a number from 1 to 7."), "year_group")
    if data.level and data.level not in LEVELS:
        raise ValidationError(_("Choose one of the options in the list."), "level")
    return data


def _values(data: PupilData) -> tuple[Any, ...]:
    return (
        data.name,
        data.class_name,
        data.year_group,
        data.level,
        1 if data.minor else 0,
        data.authority,
    )


def insert_pupil(conn: Any, data: PupilData, created_at: str) -> int:
    """Within a transaction: the new pupil's id (data already checked)."""
    return int(
        conn.execute(
            "INSERT INTO pupil(name, class_name, year_group, level, minor, authority, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (*_values(data), created_at),
        ).lastrowid
    )


def add_pupil(store: Store, clock: Clock, data: PupilData) -> Pupil:
    check_pupil(data)
    with store.transaction() as conn:
        pupil_id = insert_pupil(conn, data, moment_to_db(clock.now()))
    return load_pupil(store, pupil_id)


def update_pupil(store: Store, pupil_id: int, data: PupilData) -> Pupil:
    """Correct a pupil's details (a new class after the summer, a typo in the name)."""
    check_pupil(data)
    with store.transaction() as conn:
        changed = conn.execute(
            "UPDATE pupil SET name = ?, class_name = ?, year_group = ?, level = ?, minor = ?, "
            "authority = ? WHERE id = ?",
            (*_values(data), pupil_id),
        ).rowcount
        if not changed:
            raise not_found()
    return load_pupil(store, pupil_id)


def get_pupil(store: Store, pupil_id: int) -> Pupil:
    return load_pupil(store, pupil_id)


def fold(text: str) -> str:
    """Case and accents folded away, spaces collapsed: 'Zoë  de Vries' -> 'zoe de vries'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.split())


def _variants() -> dict[str, str]:
    """For each plain letter, the letters that fold to it (Latin-1 and Latin Extended-A)."""
    found: dict[str, list[str]] = {}
    for code in list(range(0x41, 0x5B)) + list(range(0x61, 0x7B)) + list(range(0xC0, 0x180)):
        char = chr(code)
        plain = fold(char)
        if len(plain) == 1 and plain.isascii() and plain.isalpha():
            found.setdefault(plain, []).append(char)
    return {plain: "".join(chars) for plain, chars in found.items()}


_VARIANTS = _variants()


def name_glob(word: str) -> str:
    """A GLOB pattern that finds `word` inside a name regardless of case and accents:
    'zoe' -> '*[Zzź...][Ooò...][Eeè...ë...]*'. Runs in SQLite, without Python per row."""
    parts = ["*"]
    for char in fold(word):
        if char in _VARIANTS:
            parts.append("[" + _VARIANTS[char] + "]")
        elif char in "*?[]":
            parts.append("[" + char + "]")
        elif char.lower() != char.upper():
            parts.append("[" + char.lower() + char.upper() + "]")
        else:
            parts.append(char)
    parts.append("*")
    return "".join(parts)


def find_pupils(store: Store, name: str, *, limit: int = 20) -> list[Pupil]:
    """Pupils whose name contains `name`, ignoring case and accents; exact matches first.

    For the intake: "is this pupil already known?" An empty name finds nothing. SQLite narrows
    the candidates with `name_glob`; the exact test (`fold`) runs on those only."""
    wanted = fold(name)
    if not wanted or len(wanted) > MAX_SHORT_CHARS:
        return []
    found: list[tuple[int, int]] = []
    for pupil_id, pupil_name in store.query(
        "SELECT id, name FROM pupil WHERE name GLOB ?", (name_glob(wanted),)
    ):
        folded = fold(pupil_name)
        if wanted in folded:
            rank = 0 if folded == wanted else 1 if folded.startswith(wanted) else 2
            found.append((rank, -int(pupil_id)))
    found.sort()
    ids = [-negated for _rank, negated in found[: max(1, limit)]]
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    rows = {int(r[0]): r for r in store.query(PUPIL_SELECT + f" WHERE id IN ({marks})", tuple(ids))}
    return [pupil_from_row(rows[i]) for i in ids if i in rows]
