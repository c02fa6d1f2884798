"""The escalation rules of version 2026.1 (still readable: stored decisions read back with them).

2026.1 is no longer the current version (see test_escalation_2026_2.py); these tests pin the
old table so that a decision made under it keeps meaning what it meant. Expectations were
written from DOMAIN.md's text of that time, never recomputed from the rule table:
`domain_duties` below is DOMAIN.md's duties table in plain Python, and the engine must agree
with it on every one of the 3^9 answer combinations.
"""

from __future__ import annotations

import copy
import itertools
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeAlias

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.resources import resource_path
from app.rules import escalation
from app.rules.escalation import (
    ANSWERS,
    DEADLINES,
    Duty,
    EscalationRuleError,
    RuleTable,
    rules_for_version,
)
from app.rules.escalation import load_rules as load_current

V1_FILE = "escalation-v1.json"
V1: RuleTable = rules_for_version("2026.1")
RULES_VERSION = "2026.1"
QUESTIONS = V1.questions
DUTY_CODES = V1.duty_codes


def evaluate(answers: Mapping[str, str], *, board_requires_minor: bool = True) -> list[Duty]:
    return V1.evaluate(answers, {"board_requires_minor": board_requires_minor})


def questions_to_ask(answers: Mapping[str, str]) -> list[object]:
    return list(V1.questions_to_ask(answers))


def load_rules(path: Path | None = None) -> RuleTable:
    return load_current(path if path is not None else resource_path("rules", V1_FILE))


# --- DOMAIN.md, written out ---------------------------------------------------------------

DOMAIN_QUESTIONS = {
    "minor": "Is de leerling minderjarig (jonger dan 18)?",
    "acute_danger": "Is er nu acuut gevaar voor de leerling of voor een ander?",
    "child_abuse": "Is er een vermoeden van huiselijk geweld of kindermishandeling?",
    "sexual_offence": "Is er een vermoeden van een zedendelict (seksueel misdrijf)?",
    "by_staff": "Is de (vermoedelijke) pleger iemand die op of voor de school werkt "
    "(personeel, stagiair, vrijwilliger)?",
    "staff_relationship": "Weet je van een (intieme) relatie tussen een personeelslid en een "
    "leerling?",
    "criminal_offence": "Gaat het om een strafbaar feit (de leerling als slachtoffer of als "
    "dader)?",
    "self_endangerment": "Brengt de leerling zichzelf lichamelijk of psychisch in gevaar "
    "(eetstoornis, zelfbeschadiging, suïcidale gedachten)?",
    "complaint": "Gaat het om een klacht over de school of over een medewerker?",
}
IDS = tuple(DOMAIN_QUESTIONS)

DOMAIN_ORDER = (
    "ACT_NOW",
    "MELDCODE",
    "VEILIG_THUIS_ADVICE",
    "REPORT_BOARD",
    "REPORT_DIRECTOR",
    "INFORM_PARENTS",
    "ADVISE_REPORT_POLICE",
    "REFER_COMPLAINT",
    "CONSENT_ONLY",
)

# code: (overrides consent, articles in the basis, phone numbers in the instruction)
DOMAIN_DUTY_FACTS: dict[str, tuple[bool, tuple[str, ...], tuple[str, ...]]] = {
    "ACT_NOW": (True, ("protocol 2d",), ("112", "113", "0800-0113")),
    "MELDCODE": (True, ("1b, 5d", "meldcode"), ()),
    "VEILIG_THUIS_ADVICE": (False, ("meldcode stap 2",), ("0800-2000",)),
    "REPORT_BOARD": (True, ("protocol 5d, 5e", "WVO meld- en aangifteplicht"), ("0900-111 3 111",)),
    "REPORT_DIRECTOR": (True, ("protocol 5e",), ()),
    "INFORM_PARENTS": (True, ("protocol 3b", "BW 1:247"), ()),
    "ADVISE_REPORT_POLICE": (False, ("protocol 1c, 6h",), ()),
    "REFER_COMPLAINT": (False, ("protocol 3c, 7a",), ()),
    "CONSENT_ONLY": (False, ("protocol 6i",), ()),
}


def domain_duties(
    answers: Mapping[str, str], *, board_requires_minor: bool = True
) -> list[tuple[str, str]]:
    """DOMAIN.md's duties table: [(code, deadline)] in the table's order."""

    def answered(question: str, *accepted: str) -> bool:
        return answers.get(question, "no") in accepted

    minor = answered("minor", "yes", "doubt")  # doubt on minor counts as minor
    duties: dict[str, str] = {}
    if answered("acute_danger", "yes"):
        duties["ACT_NOW"] = "immediately"
    if answered("child_abuse", "yes"):
        duties["MELDCODE"] = "same_day"  # step 1 today
    if answered("child_abuse", "doubt"):
        duties["VEILIG_THUIS_ADVICE"] = "next_working_day"
    board = (
        answered("sexual_offence", "yes", "doubt")
        and answered("by_staff", "yes")
        and (minor or not board_requires_minor)
    )
    if board:
        duties["REPORT_BOARD"] = "immediately"
    if answered("staff_relationship", "yes"):
        duties["REPORT_DIRECTOR"] = "immediately"
    if (
        minor
        and any(
            answered(q, "yes") for q in ("criminal_offence", "sexual_offence", "self_endangerment")
        )
        and not answered("child_abuse", "yes", "doubt")
    ):
        duties["INFORM_PARENTS"] = "immediately" if answered("acute_danger", "yes") else "same_day"
    if (answered("criminal_offence", "yes") or answered("sexual_offence", "yes")) and not board:
        duties["ADVISE_REPORT_POLICE"] = "next_working_day"
    if answered("complaint", "yes"):
        duties["REFER_COMPLAINT"] = "next_working_day"
    if not duties:
        duties["CONSENT_ONLY"] = "none"
    return [(code, duties[code]) for code in DOMAIN_ORDER if code in duties]


def codes(duties: list[Duty]) -> list[str]:
    return [d.code for d in duties]


ALL_COMBINATIONS: list[dict[str, str]] = [
    dict(zip(IDS, combo, strict=True)) for combo in itertools.product(ANSWERS, repeat=len(IDS))
]


Evaluated: TypeAlias = list[tuple[dict[str, str], list[Duty]]]


@pytest.fixture(scope="module")
def evaluated() -> dict[bool, Evaluated]:
    """Every answer combination with its duties, per value of board_requires_minor."""
    return {
        flag: [(combo, evaluate(combo, board_requires_minor=flag)) for combo in ALL_COMBINATIONS]
        for flag in (True, False)
    }


# --- the questions and the table's shape --------------------------------------------------


def test_questions_are_domains_in_order_with_exact_texts() -> None:
    assert [q.id for q in QUESTIONS] == list(IDS)
    assert {q.id: q.text for q in QUESTIONS} == DOMAIN_QUESTIONS


def test_every_question_explains_yes_with_an_article_and_explains_doubt() -> None:
    for q in QUESTIONS:
        assert "protocol" in q.yes_means, q.id
        assert q.doubt_means.strip(), q.id


def test_constants() -> None:
    assert ANSWERS == ("yes", "no", "doubt")
    assert DEADLINES == ("immediately", "same_day", "next_working_day", "none")
    assert isinstance(RULES_VERSION, str) and RULES_VERSION
    assert DUTY_CODES == DOMAIN_ORDER


def test_parameter_default_matches_evaluate_default() -> None:
    assert dict(load_rules().parameter_defaults) == {"board_requires_minor": True}


@pytest.mark.parametrize("code", DOMAIN_ORDER)
def test_duty_attributes(code: str, evaluated: dict[bool, Evaluated]) -> None:
    overrides, articles, phones = DOMAIN_DUTY_FACTS[code]
    duty = next(d for _, duties in evaluated[True] for d in duties if d.code == code)
    assert duty.overrides_consent is overrides
    for article in articles:
        assert article in duty.basis
    for phone in phones:
        assert phone in duty.instruction
    assert duty.title.strip() and duty.instruction.strip()


# --- every row: yes, doubt, no --------------------------------------------------------------

ROW_CASES: list[tuple[str, dict[str, str], list[str]]] = [
    # ACT_NOW: acute_danger yes (only)
    ("act_now yes", {"acute_danger": "yes"}, ["ACT_NOW"]),
    ("act_now doubt", {"acute_danger": "doubt"}, ["CONSENT_ONLY"]),
    ("act_now no", {"acute_danger": "no"}, ["CONSENT_ONLY"]),
    # MELDCODE / VEILIG_THUIS_ADVICE: child_abuse yes / doubt
    ("child_abuse yes", {"child_abuse": "yes"}, ["MELDCODE"]),
    ("child_abuse doubt", {"child_abuse": "doubt"}, ["VEILIG_THUIS_ADVICE"]),
    ("child_abuse no", {"child_abuse": "no"}, ["CONSENT_ONLY"]),
    # REPORT_BOARD: sexual_offence yes/doubt + by_staff yes + minor yes/doubt
    (
        "board: offence yes, staff, minor",
        {"minor": "yes", "sexual_offence": "yes", "by_staff": "yes"},
        ["REPORT_BOARD", "INFORM_PARENTS"],
    ),
    (
        "board: offence doubt, staff, minor",
        {"minor": "yes", "sexual_offence": "doubt", "by_staff": "yes"},
        ["REPORT_BOARD"],
    ),
    (
        "board: offence doubt, staff, minor doubt",
        {"minor": "doubt", "sexual_offence": "doubt", "by_staff": "yes"},
        ["REPORT_BOARD"],
    ),
    (
        "board: staff doubt does not count",
        {"minor": "yes", "sexual_offence": "doubt", "by_staff": "doubt"},
        ["CONSENT_ONLY"],
    ),
    (
        "board: not by staff",
        {"minor": "yes", "sexual_offence": "yes", "by_staff": "no"},
        ["INFORM_PARENTS", "ADVISE_REPORT_POLICE"],
    ),
    (
        "board: adult pupil",
        {"minor": "no", "sexual_offence": "yes", "by_staff": "yes"},
        ["ADVISE_REPORT_POLICE"],
    ),
    (
        "board: by staff but no offence",
        {"minor": "yes", "sexual_offence": "no", "by_staff": "yes"},
        ["CONSENT_ONLY"],
    ),
    # REPORT_DIRECTOR: staff_relationship yes
    ("relationship yes", {"staff_relationship": "yes"}, ["REPORT_DIRECTOR"]),
    ("relationship doubt", {"staff_relationship": "doubt"}, ["CONSENT_ONLY"]),
    ("relationship no", {"staff_relationship": "no"}, ["CONSENT_ONLY"]),
    # INFORM_PARENTS: minor + (criminal | sexual | self-endangerment) yes, unless child abuse
    (
        "parents: criminal",
        {"minor": "yes", "criminal_offence": "yes"},
        ["INFORM_PARENTS", "ADVISE_REPORT_POLICE"],
    ),
    (
        "parents: sexual",
        {"minor": "yes", "sexual_offence": "yes"},
        ["INFORM_PARENTS", "ADVISE_REPORT_POLICE"],
    ),
    (
        "parents: self-endangerment",
        {"minor": "yes", "self_endangerment": "yes"},
        ["INFORM_PARENTS"],
    ),
    ("parents: minor doubt", {"minor": "doubt", "self_endangerment": "yes"}, ["INFORM_PARENTS"]),
    ("parents: adult", {"minor": "no", "self_endangerment": "yes"}, ["CONSENT_ONLY"]),
    ("parents: minor unanswered", {"self_endangerment": "yes"}, ["CONSENT_ONLY"]),
    ("parents: self doubt", {"minor": "yes", "self_endangerment": "doubt"}, ["CONSENT_ONLY"]),
    ("parents: criminal doubt", {"minor": "yes", "criminal_offence": "doubt"}, ["CONSENT_ONLY"]),
    ("parents: sexual doubt", {"minor": "yes", "sexual_offence": "doubt"}, ["CONSENT_ONLY"]),
    (
        "parents unless child abuse yes",
        {"minor": "yes", "self_endangerment": "yes", "child_abuse": "yes"},
        ["MELDCODE"],
    ),
    (
        "parents unless child abuse doubt",
        {"minor": "yes", "self_endangerment": "yes", "child_abuse": "doubt"},
        ["VEILIG_THUIS_ADVICE"],
    ),
    (
        "parents unless child abuse, police stays",
        {"minor": "yes", "criminal_offence": "yes", "child_abuse": "yes"},
        ["MELDCODE", "ADVISE_REPORT_POLICE"],
    ),
    # ADVISE_REPORT_POLICE: criminal or sexual yes, unless REPORT_BOARD
    ("police: criminal, adult", {"criminal_offence": "yes"}, ["ADVISE_REPORT_POLICE"]),
    ("police: sexual, adult", {"sexual_offence": "yes"}, ["ADVISE_REPORT_POLICE"]),
    ("police: criminal doubt", {"criminal_offence": "doubt"}, ["CONSENT_ONLY"]),
    ("police: sexual doubt", {"sexual_offence": "doubt"}, ["CONSENT_ONLY"]),
    (
        "police unless board (board files the report)",
        {"minor": "yes", "sexual_offence": "yes", "by_staff": "yes", "criminal_offence": "yes"},
        ["REPORT_BOARD", "INFORM_PARENTS"],
    ),
    # REFER_COMPLAINT: complaint yes
    ("complaint yes", {"complaint": "yes"}, ["REFER_COMPLAINT"]),
    ("complaint doubt", {"complaint": "doubt"}, ["CONSENT_ONLY"]),
    ("complaint no", {"complaint": "no"}, ["CONSENT_ONLY"]),
    # CONSENT_ONLY alone
    ("nothing answered", {}, ["CONSENT_ONLY"]),
    ("all no", dict.fromkeys(IDS, "no"), ["CONSENT_ONLY"]),
    # many at once
    (
        "complaint about sexual abuse by a teacher",
        {"minor": "yes", "sexual_offence": "yes", "by_staff": "yes", "complaint": "yes"},
        ["REPORT_BOARD", "INFORM_PARENTS", "REFER_COMPLAINT"],
    ),
    (
        "everything yes",
        dict.fromkeys(IDS, "yes"),
        ["ACT_NOW", "MELDCODE", "REPORT_BOARD", "REPORT_DIRECTOR", "REFER_COMPLAINT"],
    ),
    (
        "everything doubt",
        dict.fromkeys(IDS, "doubt"),
        ["VEILIG_THUIS_ADVICE"],
    ),
    (
        "danger, self-harm, complaint",
        {"minor": "yes", "acute_danger": "yes", "self_endangerment": "yes", "complaint": "yes"},
        ["ACT_NOW", "INFORM_PARENTS", "REFER_COMPLAINT"],
    ),
]


@pytest.mark.parametrize(
    ("answers", "expected"), [c[1:] for c in ROW_CASES], ids=[c[0] for c in ROW_CASES]
)
def test_rows(answers: dict[str, str], expected: list[str]) -> None:
    assert codes(evaluate(answers)) == expected
    assert [c for c, _ in domain_duties(answers)] == expected  # the oracle agrees with the cases


def test_complaint_about_sexual_abuse_by_teacher_gives_complaint_and_board() -> None:
    result = codes(
        evaluate({"minor": "yes", "sexual_offence": "yes", "by_staff": "yes", "complaint": "yes"})
    )
    assert {"REFER_COMPLAINT", "REPORT_BOARD"} <= set(result)
    assert "ADVISE_REPORT_POLICE" not in result


@pytest.mark.parametrize(
    ("acute", "deadline"), [("yes", "immediately"), ("doubt", "same_day"), ("no", "same_day")]
)
def test_inform_parents_deadline_follows_acute_danger(acute: str, deadline: str) -> None:
    result = evaluate({"minor": "yes", "self_endangerment": "yes", "acute_danger": acute})
    parents = next(d for d in result if d.code == "INFORM_PARENTS")
    assert parents.deadline == deadline


@pytest.mark.parametrize("offence", ["yes", "doubt"])
def test_adult_pupil_board_only_when_setting_extends_to_adults(offence: str) -> None:
    answers = {"minor": "no", "sexual_offence": offence, "by_staff": "yes"}
    assert "REPORT_BOARD" not in codes(evaluate(answers))
    assert "REPORT_BOARD" not in codes(evaluate(answers, board_requires_minor=True))
    extended = codes(evaluate(answers, board_requires_minor=False))
    assert extended == ["REPORT_BOARD"]  # and the board, not the VP, files the report


def test_deadlines_of_each_row(evaluated: dict[bool, Evaluated]) -> None:
    expected = {
        "ACT_NOW": "immediately",
        "MELDCODE": "same_day",
        "VEILIG_THUIS_ADVICE": "next_working_day",
        "REPORT_BOARD": "immediately",
        "REPORT_DIRECTOR": "immediately",
        "INFORM_PARENTS": "same_day",
        "ADVISE_REPORT_POLICE": "next_working_day",
        "REFER_COMPLAINT": "next_working_day",
        "CONSENT_ONLY": "none",
    }
    seen: dict[str, set[str]] = {}
    for combo, duties in evaluated[True]:
        for duty in duties:
            if duty.code == "INFORM_PARENTS" and combo["acute_danger"] == "yes":
                continue  # the exception, tested above
            seen.setdefault(duty.code, set()).add(duty.deadline)
    assert seen == {code: {deadline} for code, deadline in expected.items()}


# --- all combinations ---------------------------------------------------------------------


@pytest.mark.parametrize("board_requires_minor", [True, False])
def test_every_combination_agrees_with_domain(
    board_requires_minor: bool, evaluated: dict[bool, Evaluated]
) -> None:
    for combo, duties in evaluated[board_requires_minor]:
        got = [(d.code, d.deadline) for d in duties]
        assert got == domain_duties(combo, board_requires_minor=board_requires_minor), combo


def test_consent_only_exactly_when_nothing_else_and_never_beside_another(
    evaluated: dict[bool, Evaluated],
) -> None:
    for flag in (True, False):
        for combo, duties in evaluated[flag]:
            result = codes(duties)
            assert result, combo
            if "CONSENT_ONLY" in result:
                assert result == ["CONSENT_ONLY"], combo


def test_every_duty_in_the_table_is_reachable(evaluated: dict[bool, Evaluated]) -> None:
    reached = {d.code for _, duties in evaluated[True] for d in duties}
    assert reached == set(DUTY_CODES) == set(DOMAIN_ORDER)


def test_result_keeps_table_order_and_has_no_repeats(evaluated: dict[bool, Evaluated]) -> None:
    for _, duties in evaluated[True]:
        result = codes(duties)
        assert result == sorted(result, key=DOMAIN_ORDER.index)
        assert len(result) == len(set(result))


@given(st.dictionaries(st.sampled_from(IDS), st.sampled_from(ANSWERS)))
def test_missing_answer_counts_as_no(partial: dict[str, str]) -> None:
    full = {q: partial.get(q, "no") for q in IDS}
    assert evaluate(partial) == evaluate(full)
    assert codes(evaluate(partial)) == [c for c, _ in domain_duties(full)]


def test_evaluate_does_not_change_its_input() -> None:
    answers = {"minor": "doubt", "sexual_offence": "yes"}
    evaluate(answers)
    assert answers == {"minor": "doubt", "sexual_offence": "yes"}


# --- errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize("function", [evaluate, questions_to_ask])
def test_unknown_question_id_raises(function: Callable[[Mapping[str, str]], object]) -> None:
    with pytest.raises(EscalationRuleError, match="unknown question id 'is_minor'"):
        function({"is_minor": "yes"})


@pytest.mark.parametrize("answer", ["ja", "Yes", "YES", "twijfel", "", " yes", None, 1, True])
@pytest.mark.parametrize("function", [evaluate, questions_to_ask])
def test_unknown_answer_raises(
    function: Callable[[Mapping[str, Any]], object], answer: Any
) -> None:
    with pytest.raises(EscalationRuleError, match=r"unknown answer .* question 'minor'"):
        function({"minor": answer})


@given(st.text().filter(lambda s: s not in ANSWERS))
def test_any_other_text_is_an_unknown_answer(answer: str) -> None:
    with pytest.raises(EscalationRuleError):
        evaluate({"complaint": answer})


def test_error_is_a_value_error_and_not_a_mapping_raises() -> None:
    assert issubclass(EscalationRuleError, ValueError)
    with pytest.raises(EscalationRuleError):
        evaluate(["minor"])  # type: ignore[arg-type]


def test_unknown_parameter_raises() -> None:
    with pytest.raises(EscalationRuleError, match="unknown rule parameter"):
        load_rules().evaluate({}, {"board_requires_adult": True})


# --- questions_to_ask -----------------------------------------------------------------------


def test_by_staff_is_asked_only_after_a_sexual_offence_yes_or_doubt() -> None:
    without = [q for q in IDS if q != "by_staff"]
    assert [q.id for q in questions_to_ask({})] == without
    assert [q.id for q in questions_to_ask({"sexual_offence": "no"})] == without
    for answer in ("yes", "doubt"):
        assert [q.id for q in questions_to_ask({"sexual_offence": answer})] == list(IDS)


def test_a_skipped_question_never_changes_the_duties(evaluated: dict[bool, Evaluated]) -> None:
    """What the wizard skips cannot matter, whatever it would have been answered."""
    for combo, base in evaluated[False]:
        asked = {q.id for q in questions_to_ask(combo)}
        for skipped in set(IDS) - asked:
            for answer in ANSWERS:
                changed = {**combo, skipped: answer}
                assert evaluate(changed, board_requires_minor=False) == base, changed


# --- the table is data ----------------------------------------------------------------------


def bundled_table() -> dict[str, Any]:
    assert escalation.VERSION_FILES[RULES_VERSION] == V1_FILE
    with resource_path("rules", V1_FILE).open(encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    return data


def write_table(tmp_path: Path, data: dict[str, Any] | str) -> Path:
    path = tmp_path / "table.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def test_bundled_table_loads_and_is_cached() -> None:
    assert load_rules() is load_rules() is V1
    assert load_rules().version == RULES_VERSION
    assert escalation.RULES_VERSION == "2026.2"  # no longer the current version


def test_a_changed_table_changes_the_rules_without_code(tmp_path: Path) -> None:
    data = bundled_table()
    data["rules_version"] = "test.1"
    act_now = next(d for d in data["duties"] if d["code"] == "ACT_NOW")
    act_now["when"] = {"question": "acute_danger", "in": ["yes", "doubt"]}
    table = load_rules(write_table(tmp_path, data))
    assert table.version == "test.1"
    assert codes(table.evaluate({"acute_danger": "doubt"})) == ["ACT_NOW"]
    assert codes(evaluate({"acute_danger": "doubt"})) == ["CONSENT_ONLY"]  # bundled unchanged


def _duty(data: dict[str, Any], code: str) -> dict[str, Any]:
    found: dict[str, Any] = next(d for d in data["duties"] if d["code"] == code)
    return found


def _swap_board_and_police(data: dict[str, Any]) -> None:
    duties = data["duties"]
    board = duties.index(_duty(data, "REPORT_BOARD"))
    police = duties.index(_duty(data, "ADVISE_REPORT_POLICE"))
    duties[board], duties[police] = duties[police], duties[board]


MALFORMED: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
    (
        "unknown question in condition",
        lambda t: _duty(t, "ACT_NOW").update(when={"question": "danger", "in": ["yes"]}),
        "unknown .*question 'danger'",
    ),
    (
        "unknown answer in condition",
        lambda t: _duty(t, "ACT_NOW").update(when={"question": "acute_danger", "in": ["ja"]}),
        "unknown answer 'ja'",
    ),
    (
        "empty answer set",
        lambda t: _duty(t, "ACT_NOW").update(when={"question": "acute_danger", "in": []}),
        "non-empty list",
    ),
    ("reference to a duty below", _swap_board_and_police, "not above this row"),
    (
        "reference to an unknown duty",
        lambda t: _duty(t, "ADVISE_REPORT_POLICE").update(unless={"duty": "REPORT_BORD"}),
        "'REPORT_BORD' is unknown",
    ),
    ("unknown deadline", lambda t: _duty(t, "ACT_NOW").update(deadline="asap"), "deadline"),
    (
        "unknown deadline_if deadline",
        lambda t: _duty(t, "INFORM_PARENTS")["deadline_if"][0].update(deadline="soon"),
        "deadline",
    ),
    ("duplicate duty code", lambda t: _duty(t, "MELDCODE").update(code="ACT_NOW"), "not unique"),
    ("unknown key in a duty", lambda t: _duty(t, "ACT_NOW").update(whenn={}), "unknown key"),
    ("missing basis", lambda t: _duty(t, "ACT_NOW").pop("basis"), "missing basis"),
    (
        "consent flag not a bool",
        lambda t: _duty(t, "ACT_NOW").update(overrides_consent="yes"),
        "true or false",
    ),
    (
        "two forms in one condition",
        lambda t: _duty(t, "ACT_NOW").update(when={"all_of": [], "any_of": []}),
        "expected a condition",
    ),
    (
        "unknown parameter",
        lambda t: _duty(t, "REPORT_BOARD")["when"]["all_of"][2].update(if_parameter="adults"),
        "parameter 'adults'",
    ),
    (
        "ask_if about a later question",
        lambda t: t["questions"][0].update(ask_if={"question": "complaint", "in": ["yes"]}),
        "not yet asked",
    ),
    (
        "ask_if about a duty",
        lambda t: t["questions"][1].update(ask_if={"duty": "ACT_NOW"}),
        "not allowed here",
    ),
    ("duplicate question id", lambda t: t["questions"][1].update(id="minor"), "not unique"),
    ("question without text", lambda t: t["questions"][1].update(text=" "), "non-empty text"),
    ("unsupported format", lambda t: t.update(format=3), "format 3"),
    (
        "format 2 key in a format 1 table",
        lambda t: t["questions"][1].update(doubt="yes"),
        "unknown key",
    ),
    ("no duties", lambda t: t.update(duties=[]), "non-empty list"),
]


@pytest.mark.parametrize(
    ("mutate", "message"), [m[1:] for m in MALFORMED], ids=[m[0] for m in MALFORMED]
)
def test_malformed_tables_are_refused(
    tmp_path: Path, mutate: Callable[[dict[str, Any]], None], message: str
) -> None:
    data = copy.deepcopy(bundled_table())
    mutate(data)
    with pytest.raises(EscalationRuleError, match=message):
        load_rules(write_table(tmp_path, data))


def test_unreadable_or_invalid_table_is_refused(tmp_path: Path) -> None:
    with pytest.raises(EscalationRuleError, match="cannot read"):
        load_rules(tmp_path / "missing.json")
    with pytest.raises(EscalationRuleError, match="not valid JSON"):
        load_rules(write_table(tmp_path, "{not json"))
