"""Limits on the names Vertrouwd stores and prints (issue 12): school, location and board.

A name is at most `MAX_NAME` characters and holds no control characters and no bidirectional
overrides or isolates (U+202A–U+202E, U+2066–U+2069): such characters can make a printed report
or a file name read differently from what is stored ("Trojan Source"). The same rule applies
to names read from the data files of other schools (`app.reports.data_file`).
"""

from __future__ import annotations

import unicodedata

from app.domain.errors import ValidationError
from app.i18n import _

MAX_NAME = 200
BIDI_CONTROLS = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))


def name_is_safe(value: str) -> bool:
    """True when `value` keeps to the rule in the module doc."""
    if len(value) > MAX_NAME:
        return False
    return not any(
        ch in BIDI_CONTROLS or unicodedata.category(ch) == "Cc" for ch in value
    )


def check_name(value: str, label: str) -> str:
    """`value` stripped, or ValidationError with a Dutch sentence naming `label`."""
    text = value.strip()
    if len(text) > MAX_NAME:
        raise ValidationError(_("{label} may be at most {limit} characters long.").format(
            label=label, limit=MAX_NAME))
    if not name_is_safe(text):
        raise ValidationError(_("{label} contains a control character or an invisible "
                                "direction mark; type it again without these.").format(
            label=label))
    return text


def check_settings_names(school: str, location: str, board: str) -> None:
    """The settings' names (raises ValidationError for the first that breaks the rule)."""
    check_name(school, _("The name of the school"))
    check_name(location, _("The location"))
    check_name(board, _("The name of the school board"))
