"""Duty cards (resources/rules/duty-cards-2026.2.json read by app.rules.duty_cards).

Expected codes, numbers and placeholders are written from DOMAIN.md (Duties, External help) and
issue 10, not derived from the card file: every duty of every rule table has a card that says
what to do, whom to call with a number, a script and what to have at hand.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from app.resources import resource_path
from app.rules.duty_cards import (
    CARDS_FILE,
    DutyCardError,
    card_for,
    consult_topics,
    load_cards,
    question_examples,
)
from app.rules.escalation import DUTY_CODES
from app.store.settings import Settings

# DOMAIN.md "Duties" (2026.2) plus the 2026.1 ids (all kept) and the meldcode follow-ups.
ALL_CODES = (
    "ACT_NOW", "MELDCODE", "VEILIG_THUIS_ADVICE", "REFER_CSG", "REPORT_BOARD",
    "REPORT_DIRECTOR", "INFORM_PARENTS", "ADVISE_REPORT_POLICE", "CONSULT_EXPERT",
    "CONCERN_OTHER_PUPIL", "REFER_COMPLAINT", "CONSENT_ONLY", "VEILIG_THUIS_MELDING",
    "MELDCODE_TERM",
)
# DOMAIN.md "Other fixed lists" / issue 10.
NUMBERS = {
    "ACT_NOW": ("112", "0800-0113", "0800-2000"),
    "MELDCODE": ("0800-2000",),
    "VEILIG_THUIS_ADVICE": ("0800-2000",),
    "VEILIG_THUIS_MELDING": ("0800-2000",),
    "REFER_CSG": ("0800-0188", "112"),
    "REPORT_BOARD": ("0900-111 3 111",),
    "ADVISE_REPORT_POLICE": ("0900-8844", "112"),
    "CONSULT_EXPERT": ("0800-0113", "0800-0188", "0900-111 3 111"),
    "CONSENT_ONLY": ("0800-0432",),
}


def _all_text(code: str, names: dict[str, str] | None = None) -> str:
    card = card_for(code, names)
    assert card is not None
    parts = [*card.do, *card.script, *card.at_hand, *card.they_ask, *card.never, *card.topics]
    parts += [f"{c.name} {c.phone} {c.when}" for c in card.contacts]
    return "\n".join(parts)


@pytest.mark.parametrize("code", ALL_CODES)
def test_every_duty_has_a_card_a_non_lawyer_can_act_on(code: str) -> None:
    card = card_for(code)
    assert card is not None
    assert card.do and card.script and card.at_hand
    text = _all_text(code)
    assert "{" not in text and "}" not in text  # every placeholder filled
    for number in NUMBERS.get(code, ()):
        assert number in text, f"{code} does not give {number}"
        assert any(c.phone == number for c in card.contacts) or number in " ".join(card.do)


def test_the_current_rule_table_has_no_duty_without_a_card() -> None:
    assert set(DUTY_CODES) <= set(load_cards().codes)


def test_no_wrong_citations_in_the_cards() -> None:
    text = resource_path("rules", CARDS_FILE).read_text(encoding="utf-8")
    assert "1:247" not in text
    assert "wettelijke plicht" not in text.lower()
    assert not re.search(r"\b7a\b", text)
    assert "Helmond" not in text and "OMO" not in text  # school names only from settings


def test_report_board_card_names_the_board_itself_and_forbids_investigating() -> None:
    card = card_for("REPORT_BOARD", {"board_name": "Stichting Voorbeeldscholen"})
    assert card is not None
    assert "Stichting Voorbeeldscholen" in card.do[0]
    assert "niet genoeg" in card.do[0]  # the director alone is not enough
    assert any("Onderzoek het niet zelf" in line for line in card.never)
    assert any("confronteer" in line for line in card.never)
    assert [c.id for c in card.contacts] == ["board", "vertrouwensinspecteur"]
    assert card.contacts[0].name == "Stichting Voorbeeldscholen"


def test_veilig_thuis_card_says_what_they_will_ask() -> None:
    card = card_for("VEILIG_THUIS_ADVICE")
    assert card is not None
    assert len(card.they_ask) >= 5
    assert any("anoniem" in line for line in card.do)


def test_parents_card_tells_the_pupil_first_and_cites_school_policy() -> None:
    card = card_for("INFORM_PARENTS")
    assert card is not None
    assert card.do[0].startswith("Vertel eerst de leerling")
    assert any("1d en 3b" in line and "schoolbeleid" in line for line in card.do)
    assert any(line.startswith("Tegen de leerling") for line in card.script)
    assert any(line.startswith("Tegen de ouders") for line in card.script)


def test_names_come_from_the_settings_with_neutral_defaults() -> None:
    settings = Settings(board_name="Stichting Voorbeeld", complaints_scheme="")
    board = _all_text("REPORT_BOARD", settings.rule_names())
    assert "Stichting Voorbeeld" in board
    complaint = _all_text("REFER_COMPLAINT", settings.rule_names())
    assert "klachtenregeling van het schoolbestuur" in complaint  # the neutral default
    assert "Stichting Voorbeeld" not in _all_text("REPORT_BOARD")  # no names given


def test_consult_expert_shows_the_topics_of_the_answers() -> None:
    assert consult_topics({"self_endangerment": "doubt"}) == ("self_endangerment",)
    assert consult_topics({"sexual_offence": "doubt", "by_staff": "yes"}) == (
        "sexual_offence",
        "staff",
    )
    assert consult_topics({"criminal_offence": "yes"}) == (  # matches none: every topic
        "self_endangerment", "sexual_offence", "staff", "criminal_offence",
    )
    card = card_for("CONSULT_EXPERT", answers={"self_endangerment": "doubt"})
    assert card is not None
    assert len(card.topics) == 1 and "113" in card.topics[0]
    assert [c.phone for c in card.contacts] == ["0800-0113", ""]  # 113 and the GGD
    staff = card_for("CONSULT_EXPERT", answers={"staff_relationship": "doubt"})
    assert staff is not None
    assert [c.id for c in staff.contacts] == ["vertrouwensinspecteur"]


def test_unknown_duty_has_no_card() -> None:
    assert card_for("NO_SUCH_DUTY") is None


@pytest.mark.parametrize(
    "qid",
    ["acute_danger", "pupil_witness", "child_abuse", "family_perpetrator", "sexual_offence",
     "by_staff", "staff_relationship", "criminal_offence", "self_endangerment", "parents_risk",
     "complaint"],
)
def test_questions_have_examples(qid: str) -> None:
    assert question_examples(qid)


def test_question_examples_say_what_counts() -> None:
    sexual = " ".join(question_examples("sexual_offence"))
    abuse = " ".join(question_examples("child_abuse"))
    assert "niet wil" in sexual  # against someone's will (Wet seksuele misdrijven, 2024)
    assert "grooming" in sexual and "doorsturen" in sexual and "sextortion" in sexual
    assert "seksueel misbruik thuis" in abuse
    assert "verwaarlozing" in abuse
    assert "geweld tussen de ouders" in abuse
    assert question_examples("no_such_question") == ()


def _write(tmp_path: Path, data: object, name: str = "cards.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _minimal() -> dict[str, object]:
    return {
        "format": 1,
        "cards_version": "t",
        "contacts": {"x": {"name": "X", "phone": "1", "when": "altijd"}},
        "duties": {"A": {"do": ["d"], "call": ["x"], "script": ["s"], "at_hand": ["h"]}},
        "questions": {},
    }


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["duties"]["A"].update(call=["nobody"]), "unknown contact"),
        (lambda d: d["duties"]["A"].update(do=["{board}"]), "unknown placeholder"),
        (lambda d: d["duties"]["A"].update(script=[]), "non-empty list"),
        (lambda d: d["duties"]["A"].update(extra=1), "unknown key"),
        (lambda d: d.update(format=2), "not supported"),
    ],
)
def test_a_malformed_card_file_is_refused(tmp_path: Path, change, message: str) -> None:  # type: ignore[no-untyped-def]
    data = _minimal()
    load_cards(_write(tmp_path, data))  # the minimal file itself is fine
    change(data)
    with pytest.raises(DutyCardError, match=message):
        load_cards(_write(tmp_path, data, "changed.json"))
