"""Every sentence a user sees has a Dutch translation, and the catalogue is well-formed."""

from __future__ import annotations

import string

from app.i18n import _, catalogue, set_language
from tests.tools.messages import dynamic_calls, message_ids


def test_every_message_has_a_dutch_translation() -> None:
    nl = catalogue("nl")
    missing = [f"{where}: {msgid!r}" for msgid, where in message_ids().items() if not nl.get(msgid)]
    assert not missing, "Dutch translation missing for:\n" + "\n".join(missing)


def test_only_literals_are_translated() -> None:
    assert dynamic_calls() == []


def test_placeholders_survive_translation() -> None:
    nl = catalogue("nl")
    formatter = string.Formatter()
    for msgid, text in nl.items():
        wanted = {f[1] for f in formatter.parse(msgid) if f[1]}
        got = {f[1] for f in formatter.parse(text) if f[1]}
        assert wanted == got, f"placeholders differ in {msgid!r}"


def test_english_is_the_second_language() -> None:
    try:
        set_language("en")
        assert _("Lock now") == "Lock now"
    finally:
        set_language("nl")
    assert _("Lock now") != "Lock now"
