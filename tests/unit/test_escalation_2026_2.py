"""The escalation rules 2026.2 against DOMAIN.md ("Escalation rules, version 2026.2").

Every expectation here is written by hand from DOMAIN.md's text — the questions table (texts,
"asked after", "unanswered", "doubt") and the duty formulas — never recomputed from the rule
table: `domain_duties` is DOMAIN.md's duties table in plain Python, and the hand-written rows
and worst cases of issue 10 are checked against both the engine and that oracle.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.rules.calendar import NoSchoolHolidaysError
from app.rules.escalation import (
    ANSWERS,
    DUTY_CODES,
    QUESTIONS,
    RULES_VERSION,
    Duty,
    EscalationRuleError,
    due_at,
    evaluate,
    questions_to_ask,
    rules_for_version,
)

# --- DOMAIN.md, written out ---------------------------------------------------------------

DOMAIN_QUESTIONS = {
    "acute_danger": "Is er nu acuut gevaar voor de leerling of voor een ander?",
    "minor": "Is de leerling om wie het gaat minderjarig (jonger dan 18)?",
    "pupil_witness": "Vertelt de leerling over iets dat een ander overkomt (de leerling is "
    "getuige, niet zelf betrokken)?",
    "child_abuse": "Is er een vermoeden van kindermishandeling of huiselijk geweld — door iemand "
    "van wie het kind afhankelijk is of niet los kan komen (ouder, familielid, verzorger, "
    "coach), ook seksueel misbruik, verwaarlozing, eergerelateerd geweld, meisjesbesnijdenis, "
    "huwelijksdwang, geweld tussen ouders?",
    "family_perpetrator": "Is (mogelijk) een ouder, verzorger, huisgenoot of familielid de "
    "pleger van geweld, misbruik of verwaarlozing tegen de leerling of in het gezin?",
    "sexual_offence": "Is er een vermoeden van een seksueel misdrijf: seksuele handelingen tegen "
    "iemands wil, met een kind jonger dan 16 (niet: gelijkwaardig contact tussen "
    "leeftijdgenoten), met misbruik van gezag of afhankelijkheid, grooming of seksueel getinte "
    "chats met een kind, sextortion, het maken of verspreiden van seksuele beelden zonder "
    "toestemming?",
    "recent_assault": "Was er in de afgelopen 7 dagen lichamelijk seksueel contact?",
    "by_staff": "Is de (vermoedelijke) pleger iemand die op of voor de school werkt (personeel, "
    "stagiair, vrijwilliger, conciërge, ingehuurde kracht, bestuurder)?",
    "staff_relationship": "Weet je van een (intieme) relatie tussen iemand die op of voor de "
    "school werkt en een leerling?",
    "victim_minor": "Is het (mogelijke) slachtoffer een minderjarige leerling (dat kan ook een "
    "andere leerling zijn)?",
    "criminal_offence": "Is de leerling (mogelijk) slachtoffer of dader van een ander strafbaar "
    "feit, zoals mishandeling, bedreiging, afpersing, diefstal?",
    "pupil_offender": "Is de leerling zelf (mogelijk) de dader?",
    "self_endangerment": "Brengt de leerling zichzelf lichamelijk of psychisch in gevaar, of "
    "dreigt hij dat te doen (eetstoornis, zelfbeschadiging, suïcidale gedachten)?",
    "parents_risk": "Kan het informeren van de ouders de leerling in gevaar brengen "
    "(bijvoorbeeld bij eergerelateerde dreiging of geweld thuis)?",
    "complaint": "Wil de leerling (of een ouder) klagen over de school of over een medewerker?",
}
IDS = tuple(DOMAIN_QUESTIONS)
ALWAYS = (
    "acute_danger",
    "minor",
    "pupil_witness",
    "child_abuse",
    "sexual_offence",
    "staff_relationship",
    "criminal_offence",
    "self_endangerment",
    "complaint",
)
#: The "doubt" column: "= yes", "= no", or None for "own rule".
DOUBT_COLUMN: dict[str, str | None] = {
    "acute_danger": "yes",
    "minor": "yes",
    "pupil_witness": "no",
    "child_abuse": None,
    "family_perpetrator": None,
    "sexual_offence": None,
    "recent_assault": "yes",
    "by_staff": "yes",
    "staff_relationship": None,
    "victim_minor": "yes",
    "criminal_offence": None,
    "pupil_offender": "yes",
    "self_endangerment": None,
    "parents_risk": "yes",
    "complaint": "no",
}

DOMAIN_ORDER = (
    "ACT_NOW",
    "MELDCODE",
    "VEILIG_THUIS_ADVICE",
    "REFER_CSG",
    "REPORT_BOARD",
    "REPORT_DIRECTOR",
    "INFORM_PARENTS",
    "ADVISE_REPORT_POLICE",
    "CONSULT_EXPERT",
    "CONCERN_OTHER_PUPIL",
    "REFER_COMPLAINT",
    "CONSENT_ONLY",
)

# code: (overrides consent, texts the basis must contain, phone numbers in the instruction)
DOMAIN_DUTY_FACTS: dict[str, tuple[bool, tuple[str, ...], tuple[str, ...]]] = {
    "ACT_NOW": (True, ("protocol 2d",), ("112", "0800-0113", "0800-2000")),
    "MELDCODE": (True, ("protocol 1b, 5d", "meldcode"), ("0800-2000",)),
    "VEILIG_THUIS_ADVICE": (False, ("meldcode stap 2",), ("0800-2000",)),
    "REFER_CSG": (False, ("protocol 6h",), ("0800-0188",)),
    "REPORT_BOARD": (True, ("meld-, overleg- en aangifteplicht", "5d"), ("0900-111 3 111",)),
    "REPORT_DIRECTOR": (True, ("protocol 5e",), ()),
    "INFORM_PARENTS": (True, ("1d", "3b"), ()),
    "ADVISE_REPORT_POLICE": (False, ("protocol 1c, 6h",), ()),
    "CONSULT_EXPERT": (False, ("3b", "5d", "6f"), ()),
    "CONCERN_OTHER_PUPIL": (False, ("protocol 3a, 6e",), ()),
    "REFER_COMPLAINT": (False, ("protocol 1e, 3c, 6h",), ()),
    "CONSENT_ONLY": (False, ("protocol 6i",), ()),
}


def domain_duties(
    answers: Mapping[str, str], *, board_requires_minor: bool = True
) -> list[tuple[str, str]]:
    """DOMAIN.md 2026.2: [(code, deadline)] in the table's order."""

    def column(question: str, doubt: str | None, unanswered: str) -> str:
        given_answer = answers.get(question)
        if given_answer is None:
            return unanswered
        if given_answer == "doubt" and doubt is not None:
            return doubt
        return given_answer

    def asked_or_unanswered(question: str, asked: bool, unanswered: str = "no") -> str:
        return column(question, DOUBT_COLUMN[question], unanswered) if asked else unanswered

    a = column("acute_danger", "yes", "no") == "yes"
    m = column("minor", "yes", "no") == "yes"
    w = column("pupil_witness", "no", "no") == "yes"
    abuse = column("child_abuse", None, "no")
    sexual = column("sexual_offence", None, "no")
    criminal = column("criminal_offence", None, "no")
    relation = column("staff_relationship", None, "no")
    self_danger = column("self_endangerment", None, "no")
    # family_perpetrator: asked after yes/doubt on child_abuse, sexual_offence,
    # criminal_offence or acute_danger
    family = asked_or_unanswered(
        "family_perpetrator",
        abuse != "no" or sexual != "no" or criminal != "no" or a,
    )
    recent = asked_or_unanswered("recent_assault", sexual != "no") == "yes"
    staff = asked_or_unanswered("by_staff", sexual != "no") == "yes"
    v = (
        asked_or_unanswered(
            "victim_minor", sexual != "no" or relation != "no", "yes" if m else "no"
        )
        == "yes"
    )
    o = asked_or_unanswered("pupil_offender", criminal != "no" or sexual != "no") == "yes"
    f = family in ("yes", "doubt")
    s, s_yes = sexual in ("yes", "doubt"), sexual == "yes"
    c_yes = criminal == "yes"
    se, se_yes = self_danger in ("yes", "doubt"), self_danger == "yes"
    abuse_q = abuse in ("yes", "doubt")
    parents_base = m and not w and (c_yes or s_yes or se_yes or a) and not (abuse_q or f)
    p = asked_or_unanswered("parents_risk", parents_base) == "yes"
    complaint = column("complaint", "no", "no") == "yes"

    duties: dict[str, str] = {}
    if a:
        duties["ACT_NOW"] = "immediately"
    meldcode = abuse == "yes" or family == "yes" or (s_yes and family == "doubt")
    if meldcode:
        duties["MELDCODE"] = "immediately" if a else "same_day"
    if not meldcode and (abuse == "doubt" or family == "doubt" or (parents_base and p)):
        duties["VEILIG_THUIS_ADVICE"] = "immediately" if a else "same_day"
    if s and recent and not w and not o:
        duties["REFER_CSG"] = "immediately"
    if (v or not board_requires_minor) and ((s and staff) or relation in ("yes", "doubt")):
        duties["REPORT_BOARD"] = "immediately"
    if relation == "yes":
        duties["REPORT_DIRECTOR"] = "same_day"
    if parents_base and not p:
        duties["INFORM_PARENTS"] = "immediately" if a else "next_working_day"
    if (c_yes or s_yes) and not o and not w and not f:
        duties["ADVISE_REPORT_POLICE"] = "next_working_day"
    if (
        se
        or (
            sexual == "doubt"
            and not {"REPORT_BOARD", "MELDCODE", "VEILIG_THUIS_ADVICE"} & set(duties)
        )
        or (relation == "doubt" and "REPORT_BOARD" not in duties)
        or criminal == "doubt"
        or (s and staff and not v)
    ):
        duties["CONSULT_EXPERT"] = "same_day"
    if w and (a or abuse_q or f or s or criminal in ("yes", "doubt") or se):
        duties["CONCERN_OTHER_PUPIL"] = "same_day"
    if complaint:
        duties["REFER_COMPLAINT"] = "next_working_day"
    if not duties:
        duties["CONSENT_ONLY"] = "none"
    return [(code, duties[code]) for code in DOMAIN_ORDER if code in duties]


def codes(duties: list[Duty]) -> list[str]:
    return [d.code for d in duties]


def pairs(duties: list[Duty]) -> list[tuple[str, str]]:
    return [(d.code, d.deadline) for d in duties]


# --- the questions and the table's shape --------------------------------------------------


def test_version_and_question_texts_are_domains() -> None:
    assert RULES_VERSION == "2026.2"
    assert [q.id for q in QUESTIONS] == list(IDS)
    assert {q.id: q.text for q in QUESTIONS} == DOMAIN_QUESTIONS
    assert DUTY_CODES == DOMAIN_ORDER


def test_doubt_and_unanswered_columns() -> None:
    assert {q.id: q.doubt_counts_as for q in QUESTIONS} == DOUBT_COLUMN
    assert {q.id: q.unanswered_from for q in QUESTIONS if q.unanswered_from} == {
        "victim_minor": "minor"
    }
    assert {q.id for q in QUESTIONS if q.always_asked} == set(ALWAYS)


def test_every_question_explains_yes_and_doubt_and_cites_no_wrong_law() -> None:
    for q in QUESTIONS:
        assert q.yes_means.strip() and q.doubt_means.strip(), q.id
        for text in (q.text, q.yes_means, q.doubt_means, q.help):
            assert "1:247" not in text and "wettelijke plicht" not in text, q.id
            assert "Twijfel telt hier niet als ja" not in text, q.id
            assert "7a" not in text and "OMO" not in text, q.id


@pytest.mark.parametrize("code", DOMAIN_ORDER)
def test_duty_attributes(code: str) -> None:
    overrides, articles, phones = DOMAIN_DUTY_FACTS[code]
    table = rules_for_version("2026.2")
    duty = next(r.duty for r in table._rules if r.duty.code == code)
    assert duty.overrides_consent is overrides
    for article in articles:
        assert article in duty.basis, code
    for phone in phones:
        assert phone in duty.instruction, code
    assert duty.title.strip() and duty.instruction.strip()
    assert duty.calendar == ("school" if code == "REFER_COMPLAINT" else "safety")
    for text in (duty.basis, duty.instruction, duty.how, duty.title):
        assert "1:247" not in text and "wettelijke plicht" not in text
        assert "7a" not in text and "OMO" not in text and "Helmond" not in text


# --- every row, every doubt rule --------------------------------------------------------------

Y, N, D = "yes", "no", "doubt"
IMM, SAME, NEXT, NONE = "immediately", "same_day", "next_working_day", "none"

ROWS: list[tuple[str, dict[str, str], list[tuple[str, str]]]] = [
    # ACT_NOW: A (doubt = yes)
    ("act_now yes", {"acute_danger": Y}, [("ACT_NOW", IMM)]),
    ("act_now doubt counts as yes", {"acute_danger": D}, [("ACT_NOW", IMM)]),
    ("act_now no", {"acute_danger": N}, [("CONSENT_ONLY", NONE)]),
    # MELDCODE: child_abuse yes, or family_perpetrator yes, or (S! and family doubt)
    ("meldcode: child abuse", {"child_abuse": Y}, [("MELDCODE", SAME)]),
    (
        "meldcode: child abuse with danger: acute melding",
        {"child_abuse": Y, "acute_danger": Y},
        [("ACT_NOW", IMM), ("MELDCODE", IMM)],
    ),
    (
        "meldcode: family perpetrator of a crime",
        {"minor": Y, "criminal_offence": Y, "family_perpetrator": Y},
        [("MELDCODE", SAME)],
    ),
    (
        "meldcode: sexual offence certain, family doubt",
        {"minor": Y, "sexual_offence": Y, "family_perpetrator": D},
        [("MELDCODE", SAME)],
    ),
    # VEILIG_THUIS_ADVICE
    ("advice: child abuse doubt", {"child_abuse": D}, [("VEILIG_THUIS_ADVICE", SAME)]),
    (
        "advice: family doubt after a crime",
        {"minor": Y, "criminal_offence": Y, "family_perpetrator": D},
        [("VEILIG_THUIS_ADVICE", SAME)],
    ),
    (
        "advice: family doubt, sexual doubt: advice, not meldcode",
        {"minor": Y, "sexual_offence": D, "family_perpetrator": D},
        [("VEILIG_THUIS_ADVICE", SAME)],
    ),
    (
        "advice: parents held back by parents_risk",
        {"minor": Y, "self_endangerment": Y, "parents_risk": Y},
        [("VEILIG_THUIS_ADVICE", SAME), ("CONSULT_EXPERT", SAME)],
    ),
    (
        "advice: parents_risk doubt counts as yes, with danger",
        {"minor": Y, "acute_danger": Y, "parents_risk": D},
        [("ACT_NOW", IMM), ("VEILIG_THUIS_ADVICE", IMM)],
    ),
    (
        "advice not beside meldcode",
        {"child_abuse": Y, "family_perpetrator": D},
        [("MELDCODE", SAME)],
    ),
    # REFER_CSG: S and recent (doubt = yes), not W, not O
    (
        "csg: assault this week",
        {"minor": N, "sexual_offence": Y, "recent_assault": Y},
        [("REFER_CSG", IMM), ("ADVISE_REPORT_POLICE", NEXT)],
    ),
    (
        "csg: sexual doubt, recent doubt",
        {"minor": N, "sexual_offence": D, "recent_assault": D},
        [("REFER_CSG", IMM), ("CONSULT_EXPERT", SAME)],
    ),
    (
        "csg: not for the offender",
        {"minor": N, "sexual_offence": Y, "recent_assault": Y, "pupil_offender": Y},
        [("CONSENT_ONLY", NONE)],
    ),
    (
        "csg: pupil_offender doubt counts as yes",
        {"minor": N, "sexual_offence": Y, "recent_assault": Y, "pupil_offender": D},
        [("CONSENT_ONLY", NONE)],
    ),
    (
        "csg: not longer ago",
        {"minor": N, "sexual_offence": Y, "recent_assault": N},
        [("ADVISE_REPORT_POLICE", NEXT)],
    ),
    # REPORT_BOARD: V and ((S and by_staff?) or staff_relationship?)
    (
        "board: by staff, minor victim",
        {"minor": Y, "sexual_offence": Y, "by_staff": Y},
        [("REPORT_BOARD", IMM), ("INFORM_PARENTS", NEXT), ("ADVISE_REPORT_POLICE", NEXT)],
    ),
    (
        "board: by_staff doubt counts as yes",
        {"minor": Y, "sexual_offence": D, "by_staff": D},
        [("REPORT_BOARD", IMM)],
    ),
    (
        "board: relationship doubt with a minor",
        {"minor": Y, "staff_relationship": D},
        [("REPORT_BOARD", IMM)],
    ),
    (
        "board: victim_minor follows minor when unanswered",
        {"minor": N, "sexual_offence": Y, "by_staff": Y},
        [("ADVISE_REPORT_POLICE", NEXT), ("CONSULT_EXPERT", SAME)],
    ),
    (
        "board: victim_minor doubt counts as yes",
        {"minor": N, "sexual_offence": Y, "by_staff": Y, "victim_minor": D},
        [("REPORT_BOARD", IMM), ("ADVISE_REPORT_POLICE", NEXT)],
    ),
    (
        "board: not by staff",
        {"minor": Y, "sexual_offence": Y, "by_staff": N},
        [("INFORM_PARENTS", NEXT), ("ADVISE_REPORT_POLICE", NEXT)],
    ),
    # REPORT_DIRECTOR: staff_relationship yes
    (
        "director: relationship with an adult pupil",
        {"minor": N, "staff_relationship": Y},
        [("REPORT_DIRECTOR", SAME)],
    ),
    (
        "director: relationship doubt, adult: expert",
        {"minor": N, "staff_relationship": D},
        [("CONSULT_EXPERT", SAME)],
    ),
    # INFORM_PARENTS: M, not W, (C! or S! or SE! or A), not (child_abuse? or F or P)
    (
        "parents: crime",
        {"minor": Y, "criminal_offence": Y},
        [("INFORM_PARENTS", NEXT), ("ADVISE_REPORT_POLICE", NEXT)],
    ),
    (
        "parents: acute danger alone",
        {"minor": Y, "acute_danger": Y},
        [("ACT_NOW", IMM), ("INFORM_PARENTS", IMM)],
    ),
    (
        "parents: minor doubt counts as minor",
        {"minor": D, "criminal_offence": Y, "pupil_offender": Y},
        [("INFORM_PARENTS", NEXT)],
    ),
    ("parents: adult", {"minor": N, "self_endangerment": Y}, [("CONSULT_EXPERT", SAME)]),
    (
        "parents: not with child abuse doubt",
        {"minor": Y, "self_endangerment": Y, "child_abuse": D},
        [("VEILIG_THUIS_ADVICE", SAME), ("CONSULT_EXPERT", SAME)],
    ),
    (
        "parents: not for a witness",
        {"minor": Y, "pupil_witness": Y, "criminal_offence": Y},
        [("CONCERN_OTHER_PUPIL", SAME)],
    ),
    (
        "parents: witness doubt counts as involved",
        {"minor": Y, "pupil_witness": D, "criminal_offence": Y},
        [("INFORM_PARENTS", NEXT), ("ADVISE_REPORT_POLICE", NEXT)],
    ),
    # ADVISE_REPORT_POLICE: (C! or S!), not O, not W, not F
    ("police: adult victim", {"criminal_offence": Y}, [("ADVISE_REPORT_POLICE", NEXT)]),
    (
        "police: not for the offender",
        {"criminal_offence": Y, "pupil_offender": Y},
        [("CONSENT_ONLY", NONE)],
    ),
    # CONSULT_EXPERT, each topic
    ("expert: self-harm doubt", {"self_endangerment": D}, [("CONSULT_EXPERT", SAME)]),
    ("expert: crime doubt", {"criminal_offence": D}, [("CONSULT_EXPERT", SAME)]),
    ("expert: sexual doubt", {"minor": N, "sexual_offence": D}, [("CONSULT_EXPERT", SAME)]),
    (
        "expert: adult pupil and staff",
        {"minor": N, "sexual_offence": Y, "by_staff": Y, "victim_minor": N},
        [("ADVISE_REPORT_POLICE", NEXT), ("CONSULT_EXPERT", SAME)],
    ),
    # CONCERN_OTHER_PUPIL
    (
        "other: witness of abuse at a friend's home",
        {"pupil_witness": Y, "child_abuse": Y},
        [("MELDCODE", SAME), ("CONCERN_OTHER_PUPIL", SAME)],
    ),
    (
        "other: witness of self-harm doubt",
        {"minor": Y, "pupil_witness": Y, "self_endangerment": D},
        [("CONSULT_EXPERT", SAME), ("CONCERN_OTHER_PUPIL", SAME)],
    ),
    # REFER_COMPLAINT: complaint yes (doubt = no)
    ("complaint yes", {"complaint": Y}, [("REFER_COMPLAINT", NEXT)]),
    ("complaint doubt counts as no", {"complaint": D}, [("CONSENT_ONLY", NONE)]),
    # CONSENT_ONLY
    ("nothing answered", {}, [("CONSENT_ONLY", NONE)]),
    ("all no", dict.fromkeys(IDS, N), [("CONSENT_ONLY", NONE)]),
]


@pytest.mark.parametrize(("answers", "expected"), [r[1:] for r in ROWS], ids=[r[0] for r in ROWS])
def test_rows(answers: dict[str, str], expected: list[tuple[str, str]]) -> None:
    assert pairs(evaluate(answers)) == expected
    assert domain_duties(answers) == expected  # the oracle agrees with the hand-written rows


# --- the worst cases of issue 10 ------------------------------------------------------------


def test_stepfather_abuse_starts_the_meldcode_and_never_tells_the_parents() -> None:
    told = {"minor": Y, "sexual_offence": Y}
    assert "family_perpetrator" in [q.id for q in questions_to_ask(told)]
    answers = {**told, "family_perpetrator": Y, "recent_assault": N, "by_staff": N}
    assert pairs(evaluate(answers)) == [("MELDCODE", SAME)]
    (meldcode,) = evaluate(answers)
    assert "niet jij alleen" in meldcode.instruction  # the meldcode decides about the parents
    # Abused this week: also the Centrum Seksueel Geweld, still no parents.
    assert codes(evaluate({**answers, "recent_assault": Y})) == ["MELDCODE", "REFER_CSG"]


def test_staff_relationship_with_a_15_year_old_goes_to_the_board_itself() -> None:
    duties = evaluate({"minor": Y, "staff_relationship": Y})
    assert pairs(duties) == [("REPORT_BOARD", IMM), ("REPORT_DIRECTOR", SAME)]
    board = duties[0]
    assert "niet genoeg" in board.instruction and "vertrouwensinspecteur" in board.instruction
    assert "schoolbestuur" in board.instruction


def test_adult_pupil_reports_a_teacher_abusing_a_15_year_old() -> None:
    answers = {"minor": N, "pupil_witness": Y, "sexual_offence": Y, "by_staff": Y}
    assert "victim_minor" in [q.id for q in questions_to_ask(answers)]
    duties = evaluate({**answers, "victim_minor": Y})
    assert pairs(duties) == [("REPORT_BOARD", IMM), ("CONCERN_OTHER_PUPIL", SAME)]


def test_doubt_about_suicidal_thoughts_is_never_keep_it_confidential() -> None:
    duties = evaluate({"minor": Y, "self_endangerment": D})
    assert pairs(duties) == [("CONSULT_EXPERT", SAME)]
    assert "0800-0113" in duties[0].instruction
    assert "Zelfbeschadiging of suïcidale gedachten" in duties[0].instruction
    assert "Strafbaar feit" not in duties[0].instruction  # only the topics that apply


def test_rape_yesterday_refers_to_the_csg_now() -> None:
    answers = {"minor": Y, "sexual_offence": Y, "recent_assault": Y, "family_perpetrator": N}
    answers |= {"by_staff": N, "pupil_offender": N}
    assert pairs(evaluate(answers)) == [
        ("REFER_CSG", IMM),
        ("INFORM_PARENTS", NEXT),
        ("ADVISE_REPORT_POLICE", NEXT),
    ]


def test_teacher_touching_a_classmate() -> None:
    answers = {
        "minor": Y,
        "pupil_witness": Y,
        "sexual_offence": Y,
        "by_staff": Y,
        "victim_minor": Y,
        "recent_assault": Y,
    }
    assert pairs(evaluate(answers)) == [("REPORT_BOARD", IMM), ("CONCERN_OTHER_PUPIL", SAME)]


def test_honour_related_threats_go_to_veilig_thuis_not_to_the_parents() -> None:
    answers = {"minor": Y, "criminal_offence": Y, "family_perpetrator": N, "pupil_offender": N}
    assert "parents_risk" in [q.id for q in questions_to_ask(answers)]
    assert pairs(evaluate({**answers, "parents_risk": Y})) == [
        ("VEILIG_THUIS_ADVICE", SAME),
        ("ADVISE_REPORT_POLICE", NEXT),
    ]
    # Honour-related violence by the family itself is child abuse: the meldcode.
    assert codes(evaluate({**answers, "child_abuse": Y, "family_perpetrator": Y})) == ["MELDCODE"]


def test_every_question_on_doubt() -> None:
    answers = dict.fromkeys(IDS, D)
    assert pairs(evaluate(answers)) == [
        ("ACT_NOW", IMM),
        ("VEILIG_THUIS_ADVICE", IMM),
        ("REPORT_BOARD", IMM),
        ("CONSULT_EXPERT", SAME),
    ]
    assert domain_duties(answers) == pairs(evaluate(answers))


def test_board_with_parents_and_police_say_who_does_what() -> None:
    duties = {d.code: d for d in evaluate({"minor": Y, "sexual_offence": Y, "by_staff": Y})}
    assert "bestuur" in duties["INFORM_PARENTS"].instruction
    assert "aangifte" in duties["ADVISE_REPORT_POLICE"].instruction
    alone = {d.code: d for d in evaluate({"minor": Y, "criminal_offence": Y})}
    assert "bestuur" not in alone["INFORM_PARENTS"].instruction


def test_names_come_from_the_settings() -> None:
    names = {"complaints_scheme": "de Klachtenregeling van Stichting X", "board_name": ""}
    (refer,) = evaluate({"complaint": Y}, names=names)
    assert "de Klachtenregeling van Stichting X" in refer.instruction
    assert "{" not in refer.instruction
    (board, _director) = evaluate({"minor": Y, "staff_relationship": Y}, names=names)
    assert "(het schoolbestuur, het bevoegd gezag)" in board.instruction  # empty: neutral words


def test_adult_victims_when_the_setting_extends_the_board_duty() -> None:
    answers = {"minor": N, "sexual_offence": Y, "by_staff": Y}
    assert "REPORT_BOARD" not in codes(evaluate(answers))
    assert codes(evaluate(answers, board_requires_minor=False))[0] == "REPORT_BOARD"


# --- the oracle on many combinations ----------------------------------------------------------


def test_every_combination_of_the_always_asked_questions() -> None:
    for combo in itertools.product(ANSWERS, repeat=len(ALWAYS)):
        answers = dict(zip(ALWAYS, combo, strict=True))
        assert pairs(evaluate(answers)) == domain_duties(answers), answers


@settings(max_examples=1500, deadline=None)
@given(
    st.dictionaries(st.sampled_from(IDS), st.sampled_from(ANSWERS)),
    st.booleans(),
)
def test_any_answers_agree_with_domain(answers: dict[str, str], minor_rule: bool) -> None:
    got = pairs(evaluate(answers, board_requires_minor=minor_rule))
    assert got == domain_duties(answers, board_requires_minor=minor_rule)
    result = [c for c, _ in got]
    assert result and (result == ["CONSENT_ONLY"] or "CONSENT_ONLY" not in result)


@settings(max_examples=500, deadline=None)
@given(st.dictionaries(st.sampled_from(IDS), st.sampled_from(ANSWERS)))
def test_a_question_not_asked_never_changes_the_duties(answers: dict[str, str]) -> None:
    asked = {q.id for q in questions_to_ask(answers)}
    base = evaluate(answers)
    for skipped in set(IDS) - asked:
        for answer in ANSWERS:
            assert evaluate({**answers, skipped: answer}) == base


# --- questions_to_ask -------------------------------------------------------------------------


def asked(answers: dict[str, str]) -> list[str]:
    return [q.id for q in questions_to_ask(answers)]


def test_acute_danger_first_and_only_the_always_questions_at_the_start() -> None:
    assert asked({}) == list(ALWAYS)
    assert asked({})[0] == "acute_danger"


@pytest.mark.parametrize(
    ("question", "opens_on"),
    [
        (
            "family_perpetrator",
            [
                ("child_abuse", Y),
                ("child_abuse", D),
                ("sexual_offence", Y),
                ("sexual_offence", D),
                ("criminal_offence", Y),
                ("criminal_offence", D),
                ("acute_danger", Y),
                ("acute_danger", D),
            ],
        ),
        ("recent_assault", [("sexual_offence", Y), ("sexual_offence", D)]),
        ("by_staff", [("sexual_offence", Y), ("sexual_offence", D)]),
        (
            "victim_minor",
            [
                ("sexual_offence", Y),
                ("sexual_offence", D),
                ("staff_relationship", Y),
                ("staff_relationship", D),
            ],
        ),
        (
            "pupil_offender",
            [
                ("criminal_offence", Y),
                ("criminal_offence", D),
                ("sexual_offence", Y),
                ("sexual_offence", D),
            ],
        ),
    ],
)
def test_asked_after(question: str, opens_on: list[tuple[str, str]]) -> None:
    for trigger in {q for q, _ in opens_on}:
        assert question not in asked({trigger: N})
    for trigger, answer in opens_on:
        assert question in asked({trigger: answer}), (trigger, answer)


def test_parents_risk_only_when_parents_would_otherwise_be_informed() -> None:
    assert "parents_risk" in asked({"minor": Y, "self_endangerment": Y})
    assert "parents_risk" in asked({"minor": D, "acute_danger": D})
    assert "parents_risk" not in asked({"minor": N, "self_endangerment": Y})
    assert "parents_risk" not in asked({"minor": Y, "self_endangerment": D})
    assert "parents_risk" not in asked({"minor": Y, "self_endangerment": Y, "child_abuse": D})
    assert "parents_risk" not in asked({"minor": Y, "criminal_offence": Y, "pupil_witness": Y})
    assert "parents_risk" not in asked({"minor": Y, "criminal_offence": Y, "family_perpetrator": D})


def test_order_follows_the_table() -> None:
    every = asked({"sexual_offence": Y, "criminal_offence": Y, "minor": Y})
    assert every == list(IDS)  # family_perpetrator shown after child_abuse, as in DOMAIN.md


# --- errors and old versions --------------------------------------------------------------------


@pytest.mark.parametrize("function", [evaluate, questions_to_ask])
def test_unknown_question_id_raises(function: Callable[[Mapping[str, str]], object]) -> None:
    with pytest.raises(EscalationRuleError, match="unknown question id 'is_minor'"):
        function({"is_minor": "yes"})


@pytest.mark.parametrize("answer", ["ja", "Yes", "twijfel", "", None, 1, True])
@pytest.mark.parametrize("function", [evaluate, questions_to_ask])
def test_unknown_answer_raises(
    function: Callable[[Mapping[str, Any]], object], answer: Any
) -> None:
    with pytest.raises(EscalationRuleError, match=r"unknown answer .* question 'parents_risk'"):
        function({"parents_risk": answer})


def test_unknown_version_raises_and_2026_1_reads_with_its_own_texts() -> None:
    with pytest.raises(EscalationRuleError, match="unknown rules version"):
        rules_for_version("2025.9")
    old = rules_for_version("2026.1")
    assert old.version == "2026.1"
    assert old.question("minor").text == "Is de leerling minderjarig (jonger dan 18)?"
    # The same 2026.1 answer set means something else under each version: never mixed.
    answers = {"minor": "yes", "sexual_offence": "yes"}
    assert codes(old.evaluate(answers)) == ["INFORM_PARENTS", "ADVISE_REPORT_POLICE"]
    assert codes(evaluate(answers)) == ["INFORM_PARENTS", "ADVISE_REPORT_POLICE"]
    stepfather = {"minor": "yes", "sexual_offence": "yes", "family_perpetrator": "yes"}
    with pytest.raises(EscalationRuleError, match="unknown question id 'family_perpetrator'"):
        old.evaluate(stepfather)


# --- due_at on real dates ---------------------------------------------------------------------


def duty(deadline: str, calendar: str = "safety", code: str = "X") -> Duty:
    return Duty(code, deadline, False, "b", "t", "i", calendar)  # type: ignore[arg-type]


SAFETY = duty(NEXT)
SCHOOL = duty(NEXT, "school", "REFER_COMPLAINT")


def at(day: str, clock: str = "10:00") -> datetime:
    return datetime.fromisoformat(f"{day}T{clock}")


@pytest.mark.parametrize(
    ("decided", "safety", "school", "why"),
    [
        ("2026-05-22", "2026-05-26", "2026-05-26", "Friday; Monday is Tweede Pinksterdag"),
        ("2026-07-10", "2026-07-13", "2026-08-24", "last school day before summer (zuid)"),
        ("2026-04-24", "2026-04-28", "2026-05-04", "Monday 27 April King's Day; May holiday"),
        ("2026-05-04", "2026-05-06", "2026-05-06", "5 May counts every year"),
        ("2026-05-13", "2026-05-15", "2026-05-15", "Ascension Day"),
        ("2026-12-18", "2026-12-21", "2027-01-04", "Christmas holiday"),
        ("2026-12-31", "2027-01-04", "2027-01-04", "New Year's Day, weekend"),
        ("2027-04-26", "2027-04-28", "2027-05-03", "King's Day on a Tuesday; May holiday"),
        ("2027-07-23", "2027-07-26", "2027-09-06", "summer 2027 (zuid)"),
        ("2027-12-24", "2027-12-27", "2028-01-10", "Christmas on a weekend"),
        ("2028-04-26", "2028-04-28", "2028-04-28", "King's Day on a Thursday"),
        ("2028-04-28", "2028-05-01", "2028-05-08", "May holiday 2028"),
        ("2028-07-21", "2028-07-24", "2028-09-04", "summer 2028 (zuid)"),
    ],
)
def test_next_working_day_on_both_calendars(
    decided: str, safety: str, school: str, why: str
) -> None:
    moment = at(decided)
    assert due_at(SAFETY, moment) == at(safety, "17:00"), why
    assert due_at(SCHOOL, moment) == at(school, "17:00"), why


def test_last_school_day_before_summer_at_16_59() -> None:
    moment = at("2026-07-10", "16:59")
    assert due_at(duty(IMM), moment) == moment
    assert due_at(duty(SAME), moment) == at("2026-07-10", "18:59")
    assert due_at(SAFETY, moment) == at("2026-07-13", "17:00")
    assert due_at(SCHOOL, moment) == at("2026-08-24", "17:00")
    # The real duties of a check at that moment.
    (parents,) = (
        d for d in evaluate({"minor": Y, "criminal_offence": Y}) if d.code != "ADVISE_REPORT_POLICE"
    )
    assert due_at(parents, moment) == at("2026-07-13", "17:00")
    (refer,) = evaluate({"complaint": Y})
    assert due_at(refer, moment) == at("2026-08-24", "17:00")


def test_same_day_is_five_or_two_hours_later() -> None:
    assert due_at(duty(SAME), at("2026-05-22", "09:00")) == at("2026-05-22", "17:00")
    assert due_at(duty(SAME), at("2026-05-22", "15:00")) == at("2026-05-22", "17:00")
    assert due_at(duty(SAME), at("2026-05-22", "15:30")) == at("2026-05-22", "17:30")
    assert due_at(duty(SAME), at("2026-05-23", "23:30")) == at("2026-05-24", "01:30")


def test_study_days_only_on_the_school_calendar() -> None:
    study = [date(2026, 5, 26)]
    friday = at("2026-05-22")
    assert due_at(SCHOOL, friday, extra_closed=study) == at("2026-05-27", "17:00")
    assert due_at(SAFETY, friday, extra_closed=study) == at("2026-05-26", "17:00")
    assert due_at(SCHOOL, at("2026-07-10"), school_holidays=False) == at("2026-07-13", "17:00")


def test_region_matters_only_for_the_school_calendar() -> None:
    # Summer 2026: noord 4 July - 16 August.
    assert due_at(SCHOOL, at("2026-07-03"), region="noord") == at("2026-08-17", "17:00")
    assert due_at(SAFETY, at("2026-07-03"), region="noord") == at("2026-07-06", "17:00")


def test_aware_moments_are_dutch_local_time() -> None:
    utc = datetime(2026, 7, 10, 14, 0, tzinfo=UTC)  # 16:00 in Amsterdam (summer time)
    due = due_at(duty(SAME), utc)
    assert due.utcoffset() == timedelta(hours=2)
    assert due.replace(tzinfo=None) == at("2026-07-10", "18:00")
    assert due_at(duty(IMM), utc) == utc


def test_no_due_moment_and_unknown_school_holidays() -> None:
    with pytest.raises(ValueError):
        due_at(duty(NONE), at("2026-05-22"))
    with pytest.raises(NoSchoolHolidaysError):
        due_at(SCHOOL, at("2031-05-23"))
    assert due_at(SAFETY, at("2031-05-23")) == at("2031-05-26", "17:00")


def test_every_protecting_duty_uses_the_safety_calendar() -> None:
    everything = evaluate(dict.fromkeys(ALWAYS, Y))
    for d in everything:
        assert d.calendar == ("school" if d.code == "REFER_COMPLAINT" else "safety")
