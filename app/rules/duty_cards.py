"""Duty cards: what a confidant does for each duty, whom to call, and how (data, not code).

This module owns the reader of ``resources/rules/duty-cards-2026.2.json``: for every duty code
(those of the rule tables 2026.1 and 2026.2, and the meldcode follow-ups
``VEILIG_THUIS_MELDING`` and ``MELDCODE_TERM``) a card with

* ``do`` — what to do, in short imperative Dutch lines;
* ``contacts`` — whom to call, each with its phone number and when it can be reached;
* ``script`` — what to say (shown under "Hoe doe je dat?");
* ``at_hand`` — what to have at hand; ``they_ask`` — what the other side will ask (Veilig
  Thuis); ``never`` — what not to do (e.g. investigate or confront the accused);
* ``topics`` — for ``CONSULT_EXPERT`` only: one line per topic, chosen from the answers.

And per escalation question short ``examples`` (what counts as a zedendelict since the Wet
seksuele misdrijven, what counts as kindermishandeling); the explanation itself is the
question's ``help`` in the rule table.

Names that differ per school (the board, the complaints scheme) are the placeholders of the
rule table (``app.rules.escalation_table.PLACEHOLDERS``: ``{board_name}``,
``{complaints_scheme}``, ``{complaints_committee}``, ``{appeal_rules}``), filled in with the
same ``fill_names`` from ``Settings.rule_names()`` (neutral defaults when a setting is
empty). The file is checked completely when it is loaded (``DutyCardError``). Pure: no
database, no Qt, no clock.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Final, cast

from app.resources import resource_path
from app.rules.escalation_table import PLACEHOLDERS, fill_names

__all__ = [
    "CARDS_FILE",
    "Contact",
    "DutyCard",
    "DutyCardError",
    "card_for",
    "consult_topics",
    "load_cards",
    "question_examples",
]

CARDS_FILE: Final = "duty-cards-2026.2.json"
CARDS_FORMAT: Final = 1

_PLACEHOLDER: Final = re.compile(r"\{([a-z_]+)\}")
_CODE: Final = re.compile(r"[A-Z][A-Z0-9_]*\Z")
_ID: Final = re.compile(r"[a-z][a-z0-9_]*\Z")
#: The topics of CONSULT_EXPERT, each with the answers that make it apply (DOMAIN.md).
_TOPIC_RULES: Final[Mapping[str, tuple[tuple[str, frozenset[str]], ...]]] = {
    "self_endangerment": (("self_endangerment", frozenset({"yes", "doubt"})),),
    "sexual_offence": (("sexual_offence", frozenset({"doubt"})),),
    "staff": (
        ("staff_relationship", frozenset({"doubt"})),
        ("by_staff", frozenset({"yes", "doubt"})),
    ),
    "criminal_offence": (("criminal_offence", frozenset({"doubt"})),),
}


class DutyCardError(ValueError):
    """The duty-card file is missing, not valid JSON, or malformed."""


@dataclass(frozen=True)
class Contact:
    """Someone to call: a name, a phone number (may be empty: an internal contact) and when."""

    id: str
    name: str
    phone: str
    when: str


@dataclass(frozen=True)
class DutyCard:
    """The card of one duty, with the school's names filled in."""

    code: str
    do: tuple[str, ...]
    contacts: tuple[Contact, ...]
    script: tuple[str, ...]
    at_hand: tuple[str, ...]
    they_ask: tuple[str, ...] = ()
    never: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()  # CONSULT_EXPERT: the topic lines that apply (their
    # contacts are among `contacts`)


@dataclass(frozen=True)
class _RawCard:
    code: str
    do: tuple[str, ...]
    call: tuple[str, ...]
    script: tuple[str, ...]
    at_hand: tuple[str, ...]
    they_ask: tuple[str, ...]
    never: tuple[str, ...]
    topics: Mapping[str, tuple[str, tuple[str, ...]]]  # topic -> (text, contact ids)


@dataclass(frozen=True, eq=False)
class CardTable:
    """A parsed, checked duty-card file. Use ``load_cards``."""

    version: str
    contacts: Mapping[str, Contact]
    cards: Mapping[str, _RawCard]
    questions: Mapping[str, tuple[str, ...]]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(self.cards)


# --- reading --------------------------------------------------------------------------------


def _fail(where: str, message: str) -> DutyCardError:
    return DutyCardError(f"{where}: {message}")


def _obj(raw: object, where: str, required: set[str], optional: set[str] | None = None) -> dict[
    str, object
]:
    if not isinstance(raw, dict) or not all(isinstance(k, str) for k in raw):
        raise _fail(where, "expected an object")
    obj = cast(dict[str, object], raw)
    if missing := required - set(obj):
        raise _fail(where, f"missing {', '.join(sorted(missing))}")
    if unknown := set(obj) - required - (optional or set()):
        raise _fail(where, f"unknown key(s) {', '.join(sorted(unknown))}")
    return obj


def _text(raw: object, where: str, *, empty: bool = False) -> str:
    if not isinstance(raw, str) or (not empty and not raw.strip()):
        raise _fail(where, "expected a non-empty text")
    for name in _PLACEHOLDER.findall(raw):
        if name not in PLACEHOLDERS:
            raise _fail(where, f"unknown placeholder {{{name}}}")
    return raw


def _texts(raw: object, where: str, *, empty: bool = False) -> tuple[str, ...]:
    if not isinstance(raw, list) or (not empty and not raw):
        raise _fail(where, "expected a non-empty list of texts")
    return tuple(_text(item, f"{where}[{i}]") for i, item in enumerate(cast(list[object], raw)))


def _contact_ids(raw: object, where: str, contacts: Mapping[str, Contact]) -> tuple[str, ...]:
    ids = _texts(raw, where, empty=True)
    for cid in ids:
        if cid not in contacts:
            raise _fail(where, f"unknown contact {cid!r}")
    return ids


@lru_cache(maxsize=4)
def load_cards(path: Path | None = None) -> CardTable:
    """Load and check a duty-card file (default: the bundled one). Cached per path."""
    source = path if path is not None else resource_path("rules", CARDS_FILE)
    try:
        raw: object = json.loads(source.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DutyCardError(f"cannot read duty cards {source}: {exc}") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DutyCardError(f"duty cards {source} are not valid JSON: {exc}") from exc
    return _parse(raw, source.name)


def _parse(raw: object, where: str) -> CardTable:
    top = _obj(raw, where, {"format", "cards_version", "contacts", "duties", "questions"},
               {"about"})
    if top["format"] != CARDS_FORMAT:
        raise _fail(where, f"format {top['format']!r} is not supported")
    version = _text(top["cards_version"], f"{where}.cards_version")

    contacts: dict[str, Contact] = {}
    contacts_raw = top["contacts"]
    if not isinstance(contacts_raw, dict):
        raise _fail(f"{where}.contacts", "expected an object")
    for cid, c_raw in cast(dict[str, object], contacts_raw).items():
        cw = f"{where}.contacts.{cid}"
        if not _ID.match(cid):
            raise _fail(cw, "malformed contact id")
        c = _obj(c_raw, cw, {"name", "phone", "when"})
        contacts[cid] = Contact(
            cid,
            _text(c["name"], f"{cw}.name"),
            _text(c["phone"], f"{cw}.phone", empty=True),
            _text(c["when"], f"{cw}.when"),
        )

    cards: dict[str, _RawCard] = {}
    duties_raw = top["duties"]
    if not isinstance(duties_raw, dict) or not duties_raw:
        raise _fail(f"{where}.duties", "expected a non-empty object")
    for code, d_raw in cast(dict[str, object], duties_raw).items():
        dw = f"{where}.duties.{code}"
        if not _CODE.match(code):
            raise _fail(dw, "malformed duty code")
        d = _obj(d_raw, dw, {"do", "call", "script", "at_hand"}, {"they_ask", "never", "topics"})
        call = _contact_ids(d["call"], f"{dw}.call", contacts)
        topics: dict[str, tuple[str, tuple[str, ...]]] = {}
        if "topics" in d:
            for topic, t_raw in _obj(d["topics"], f"{dw}.topics", set(), set(_TOPIC_RULES)).items():
                tw = f"{dw}.topics.{topic}"
                t = _obj(t_raw, tw, {"text", "call"})
                topic_text = _text(t["text"], f"{tw}.text")
                topics[topic] = (topic_text, _contact_ids(t["call"], f"{tw}.call", contacts))
        cards[code] = _RawCard(
            code=code,
            do=_texts(d["do"], f"{dw}.do"),
            call=call,
            script=_texts(d["script"], f"{dw}.script"),
            at_hand=_texts(d["at_hand"], f"{dw}.at_hand"),
            they_ask=_texts(d["they_ask"], f"{dw}.they_ask") if "they_ask" in d else (),
            never=_texts(d["never"], f"{dw}.never") if "never" in d else (),
            topics=topics,
        )

    questions: dict[str, tuple[str, ...]] = {}
    questions_raw = top["questions"]
    if not isinstance(questions_raw, dict):
        raise _fail(f"{where}.questions", "expected an object")
    for qid, q_raw in cast(dict[str, object], questions_raw).items():
        qw = f"{where}.questions.{qid}"
        if not _ID.match(qid):
            raise _fail(qw, "malformed question id")
        q = _obj(q_raw, qw, {"examples"})
        questions[qid] = _texts(q["examples"], f"{qw}.examples")
    return CardTable(version, contacts, cards, questions)


# --- using the cards ------------------------------------------------------------------------


def consult_topics(answers: Mapping[str, str] | None) -> tuple[str, ...]:
    """The CONSULT_EXPERT topics the answers call for, in card order; all topics when the
    answers are unknown (None) or match none (a card never comes out empty)."""
    topics = tuple(_TOPIC_RULES)
    if answers is None:
        return topics
    chosen = tuple(
        topic
        for topic, rules in _TOPIC_RULES.items()
        if any(answers.get(qid) in accepted for qid, accepted in rules)
    )
    return chosen or topics


def card_for(
    code: str,
    names: Mapping[str, str] | None = None,
    answers: Mapping[str, str] | None = None,
    *,
    table: CardTable | None = None,
) -> DutyCard | None:
    """The card of ``code`` with the school's names filled in; None for a code without a card
    (a duty of a future rule table: the screens then show the rule's own instruction)."""
    cards = table if table is not None else load_cards()
    raw = cards.cards.get(code)
    if raw is None:
        return None
    def _fill(text: str) -> str:
        return fill_names(text, names)

    def fill(items: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(_fill(item) for item in items)

    chosen = [raw.topics[t] for t in consult_topics(answers) if t in raw.topics]
    call = list(raw.call)
    for _topic_text, topic_call in chosen:
        call += [cid for cid in topic_call if cid not in call]
    contacts = tuple(
        Contact(c.id, _fill(c.name), c.phone, _fill(c.when))
        for c in (cards.contacts[cid] for cid in call)
    )
    topics = tuple(_fill(text) for text, _call in chosen)
    return DutyCard(
        code=code,
        do=fill(raw.do),
        contacts=contacts,
        script=fill(raw.script),
        at_hand=fill(raw.at_hand),
        they_ask=fill(raw.they_ask),
        never=fill(raw.never),
        topics=topics,
    )


def question_examples(question_id: str, *, table: CardTable | None = None) -> tuple[str, ...]:
    """Short examples of what counts for an escalation question (empty when there are none)."""
    cards = table if table is not None else load_cards()
    return cards.questions.get(question_id, ())
