"""The meldcode steps and the afwegingskader against DOMAIN.md ("Meldcode").

Expectations are written from DOMAIN.md's table, never recomputed from the JSON table:
`domain_afweging` is DOMAIN.md's afwegingskader in plain Python (doubt counts as yes on
questions 1-2 and as no on 3-5, as documented in app/rules/meldcode.py).
"""

from __future__ import annotations

import copy
import itertools
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from app.resources import resource_path
from app.rules import meldcode
from app.rules.meldcode import (
    AFWEGING_QUESTIONS,
    MELDCODE_VERSION,
    OUTCOMES,
    STEPS,
    AfwegingOutcome,
    MeldcodeRuleError,
    load_meldcode,
    next_afweging,
)

DOMAIN_STEP_TITLES = [  # DOMAIN.md "Meldcode", 2026.2: step 2 with letselduiding, step 3 safe
    "Signalen in kaart brengen",
    "Collegiale consultatie en zo nodig Veilig Thuis of een deskundige letselduiding raadplegen",
    "Gesprek met de leerling (met de ouders alleen als dat veilig is)",
    "Wegen",
    "Beslissen",
]

DOMAIN_AFWEGING = {
    1: "Is er op basis van stap 1–3 een vermoeden van (dreiging van) huiselijk geweld of "
    "kindermishandeling?",
    2: "Is er sprake van acute of structurele onveiligheid?",
    3: "Kan de school (of een ketenpartner) effectieve hulp bieden of organiseren?",
    4: "Aanvaarden de betrokkenen die hulp en werken zij mee?",
    5: "Leidt de hulp binnen de afgesproken termijn tot het afgesproken resultaat (veiligheid, "
    "welzijn, herstel)?",
}

DOUBT_AS_YES = {1, 2}  # 1: in doubt keep weighing; 2: DOMAIN.md "doubt counts as yes"


def domain_afweging(answers: Mapping[int, str]) -> tuple[str, int | None]:
    """DOMAIN.md's afwegingskader: ("ask", n) or (outcome, follow-up question or None)."""

    def yes(n: int) -> bool:
        return answers[n] == "yes" or (answers[n] == "doubt" and n in DOUBT_AS_YES)

    if 1 not in answers:
        return ("ask", 1)
    if not yes(1):
        return ("close", None)
    if 2 not in answers:
        return ("ask", 2)
    if yes(2):
        return ("melden", None)
    if 3 not in answers:
        return ("ask", 3)
    if not yes(3):
        return ("melden", None)
    if 4 not in answers:
        return ("ask", 4)
    if not yes(4):
        return ("melden", None)
    if 5 not in answers:
        return ("start_help", 5)  # agree a term; question 5 after it
    return ("close_with_monitoring", None) if yes(5) else ("opnieuw_melden", None)


def summary(outcome: AfwegingOutcome) -> tuple[str, int | None]:
    if outcome.next_question is not None:
        assert outcome.outcome is None
        return ("ask", outcome.next_question)
    assert outcome.outcome is not None
    return (outcome.outcome, outcome.follow_up_question)


# --- steps and questions ------------------------------------------------------------------


def test_five_steps_with_domain_titles() -> None:
    assert [s.number for s in STEPS] == [1, 2, 3, 4, 5]
    assert [s.title for s in STEPS] == DOMAIN_STEP_TITLES
    assert len({s.id for s in STEPS}) == 5
    assert all(s.description.strip() for s in STEPS)
    assert "0800-2000" in STEPS[1].description


def test_afweging_questions_have_domain_texts() -> None:
    assert {n: q.text for n, q in AFWEGING_QUESTIONS.items()} == DOMAIN_AFWEGING
    assert list(AFWEGING_QUESTIONS) == [1, 2, 3, 4, 5]


def test_how_doubt_counts_is_documented_per_question() -> None:
    assert {n: q.doubt_counts_as for n, q in AFWEGING_QUESTIONS.items()} == {
        1: "yes",
        2: "yes",
        3: "no",
        4: "no",
        5: "no",
    }
    assert all(q.doubt_note.strip() for q in AFWEGING_QUESTIONS.values())


def test_constants() -> None:
    assert OUTCOMES == ("close", "melden", "start_help", "close_with_monitoring", "opnieuw_melden")
    assert isinstance(MELDCODE_VERSION, str) and MELDCODE_VERSION


# --- the paths ----------------------------------------------------------------------------

Y, N, D = "yes", "no", "doubt"
PATHS: list[tuple[str, dict[int, str], tuple[str, int | None], tuple[int, ...]]] = [
    ("start", {}, ("ask", 1), ()),
    ("1 no: close", {1: N}, ("close", None), (1,)),
    ("1 yes: ask 2", {1: Y}, ("ask", 2), (1,)),
    ("1 doubt: keep weighing", {1: D}, ("ask", 2), (1,)),
    ("2 yes: melden", {1: Y, 2: Y}, ("melden", None), (1, 2)),
    ("2 doubt: melden", {1: Y, 2: D}, ("melden", None), (1, 2)),
    ("2 no: ask 3", {1: Y, 2: N}, ("ask", 3), (1, 2)),
    ("3 no: melden", {1: Y, 2: N, 3: N}, ("melden", None), (1, 2, 3)),
    ("3 doubt: melden", {1: Y, 2: N, 3: D}, ("melden", None), (1, 2, 3)),
    ("3 yes: ask 4", {1: Y, 2: N, 3: Y}, ("ask", 4), (1, 2, 3)),
    ("4 no: melden", {1: Y, 2: N, 3: Y, 4: N}, ("melden", None), (1, 2, 3, 4)),
    ("4 doubt: melden", {1: Y, 2: N, 3: Y, 4: D}, ("melden", None), (1, 2, 3, 4)),
    ("4 yes: start help", {1: Y, 2: N, 3: Y, 4: Y}, ("start_help", 5), (1, 2, 3, 4)),
    (
        "5 yes: close with monitoring",
        {1: Y, 2: N, 3: Y, 4: Y, 5: Y},
        ("close_with_monitoring", None),
        (1, 2, 3, 4, 5),
    ),
    (
        "5 no: melden again",
        {1: Y, 2: N, 3: Y, 4: Y, 5: N},
        ("opnieuw_melden", None),
        (1, 2, 3, 4, 5),
    ),
    (
        "5 doubt: melden again",
        {1: Y, 2: N, 3: Y, 4: Y, 5: D},
        ("opnieuw_melden", None),
        (1, 2, 3, 4, 5),
    ),
    ("answers off the path are ignored", {1: N, 3: Y, 5: Y}, ("close", None), (1,)),
    ("answers after melden are ignored", {1: Y, 2: Y, 3: Y, 4: Y}, ("melden", None), (1, 2)),
]


@pytest.mark.parametrize(
    ("answers", "expected", "path"), [p[1:] for p in PATHS], ids=[p[0] for p in PATHS]
)
def test_paths(
    answers: dict[int, str], expected: tuple[str, int | None], path: tuple[int, ...]
) -> None:
    result = next_afweging(answers)
    assert summary(result) == expected
    assert domain_afweging(answers) == expected  # the oracle agrees with the cases
    assert result.path == path
    assert result.doubted == tuple(n for n in path if answers[n] == D)


def test_every_partial_answer_set_agrees_with_domain() -> None:
    choices = (None, Y, N, D)
    for combo in itertools.product(choices, repeat=5):
        answers = {n: a for n, a in zip(range(1, 6), combo, strict=True) if a is not None}
        result = next_afweging(answers)
        assert summary(result) == domain_afweging(answers), answers
        if result.next_question is not None:
            assert result.next_question not in answers
            assert not result.is_final and result.title == result.text == ""


def test_final_and_paused_outcomes() -> None:
    assert next_afweging({1: N}).is_final
    paused = next_afweging({1: Y, 2: N, 3: Y, 4: Y})
    assert paused.outcome == "start_help" and not paused.is_final
    assert paused.follow_up_question == 5
    assert not next_afweging({}).is_final


@pytest.mark.parametrize("answers", [{1: Y, 2: Y}, {1: Y, 2: N, 3: Y, 4: Y, 5: N}])
def test_melden_texts_name_open_melden_and_veilig_thuis(answers: dict[int, str]) -> None:
    result = next_afweging(answers)
    assert "open melden" in result.text
    assert "0800-2000" in result.text
    assert result.title


def test_every_outcome_has_dutch_texts_and_start_help_names_the_term() -> None:
    seen = {}
    for combo in itertools.product((Y, N, D), repeat=5):
        result = next_afweging(dict(zip(range(1, 6), combo, strict=True)))
        assert result.outcome is not None
        seen[result.outcome] = result
    assert set(seen) == set(OUTCOMES) - {"start_help"}
    start_help = next_afweging({1: Y, 2: N, 3: Y, 4: Y})
    assert "termijn" in start_help.text and "vraag 5" in start_help.text
    assert all(r.title and r.text for r in [*seen.values(), start_help])


# --- errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize("answers", [{0: Y}, {6: Y}, {"1": Y}, {True: Y}, {1.0: Y}])
def test_unknown_question_raises(answers: dict[Any, str]) -> None:
    with pytest.raises(MeldcodeRuleError, match="unknown afweging question"):
        next_afweging(answers)


@pytest.mark.parametrize("answer", ["ja", "nee", "Yes", "", None, 1])
def test_unknown_answer_raises(answer: Any) -> None:
    with pytest.raises(MeldcodeRuleError, match="unknown answer"):
        next_afweging({1: answer})


def test_error_is_a_value_error() -> None:
    assert issubclass(MeldcodeRuleError, ValueError)


# --- the table is data ----------------------------------------------------------------------


def bundled_table() -> dict[str, Any]:
    with resource_path("rules", meldcode.TABLE_FILE).open(encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    return data


def test_bundled_table_is_cached() -> None:
    assert load_meldcode() is load_meldcode()


def _question(data: dict[str, Any], number: int) -> dict[str, Any]:
    found: dict[str, Any] = data["afweging"]["questions"][number - 1]
    return found


MALFORMED: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
    ("loop back", lambda t: _question(t, 3).update(yes={"question": 2}), "later question"),
    ("to itself", lambda t: _question(t, 3).update(yes={"question": 3}), "later question"),
    ("unknown target", lambda t: _question(t, 3).update(yes={"question": 9}), "unknown question"),
    ("unknown outcome", lambda t: _question(t, 2).update(yes={"outcome": "bellen"}), "outcome"),
    (
        "both question and outcome",
        lambda t: _question(t, 2).update(yes={"question": 3, "outcome": "melden"}),
        "expected question",
    ),
    (
        "missing outcome text",
        lambda t: t["afweging"]["outcomes"].pop("opnieuw_melden"),
        "missing opnieuw_melden",
    ),
    ("doubt as maybe", lambda t: _question(t, 1).update(doubt_counts_as="doubt"), "yes or no"),
    ("duplicate question", lambda t: _question(t, 2).update(number=1), "twice"),
    ("steps out of order", lambda t: t["steps"][0].update(number=2), "numbered"),
    ("unknown key", lambda t: t.update(extra=1), "unknown key"),
    ("unsupported format", lambda t: t.update(format=3), "format 3"),
]


@pytest.mark.parametrize(
    ("mutate", "message"), [m[1:] for m in MALFORMED], ids=[m[0] for m in MALFORMED]
)
def test_malformed_tables_are_refused(
    tmp_path: Path, mutate: Callable[[dict[str, Any]], None], message: str
) -> None:
    data = copy.deepcopy(bundled_table())
    mutate(data)
    path = tmp_path / "meldcode.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(MeldcodeRuleError, match=message):
        load_meldcode(path)


def test_unreadable_or_invalid_table_is_refused(tmp_path: Path) -> None:
    with pytest.raises(MeldcodeRuleError, match="cannot read"):
        load_meldcode(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text("[", encoding="utf-8")
    with pytest.raises(MeldcodeRuleError, match="not valid JSON"):
        load_meldcode(bad)



# --- 2026.2 (issue 10) ----------------------------------------------------------------------


def test_step_texts_of_2026_2_follow_domain() -> None:
    step2, step3 = STEPS[1].description, STEPS[2].description
    assert "aandachtsfunctionaris" in step2 and "ondersteuningscoördinator" in step2
    assert "letselduiding" in step2 and "0800-2000" in step2
    for never in ("pleger", "eergerelateerd geweld", "meisjesbesnijdenis", "huwelijksdwang"):
        assert never in step3


def test_lists_of_2026_2() -> None:
    table = meldcode.load_meldcode()
    assert table.version == MELDCODE_VERSION == "2026.2"
    assert set(table.consult_partners) == {
        "aandachtsfunctionaris", "ondersteuningscoordinator", "veilig_thuis", "letselduiding"
    }
    assert table.step2_requires_one_of == ("aandachtsfunctionaris", "ondersteuningscoordinator")
    assert set(table.parents_excluded_forms) == {
        "eergerelateerd_geweld", "meisjesbesnijdenis", "huwelijksdwang"
    }
    assert table.veilig_thuis_decisions


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({}, ("ask", 3)),
        ({3: "no"}, ("melden", None)),
        ({3: "doubt"}, ("melden", None)),
        ({3: "yes"}, ("ask", 4)),
        ({3: "yes", 4: "no"}, ("melden", None)),
        ({3: "yes", 4: "yes"}, ("start_help", 5)),
        ({3: "yes", 4: "yes", 5: "yes"}, ("close_with_monitoring", None)),
        ({3: "yes", 4: "yes", 5: "no"}, ("opnieuw_melden", None)),
        ({1: "no", 3: "yes", 4: "yes"}, ("start_help", 5)),  # 1-2 are not asked again
    ],
)
def test_after_a_melding_the_walk_starts_at_question_3(
    answers: dict[int, str], expected: tuple[str, int | None]
) -> None:
    outcome = next_afweging(answers, after_melding=True)
    assert summary(outcome) == expected
    if outcome.outcome == "melden":
        assert "Veilig Thuis neemt het over" in outcome.text


def test_2026_1_table_stays_readable() -> None:
    old = meldcode.meldcode_for_version("2026.1")
    assert old.version == "2026.1" and old.after_melding_start is None
    assert old.steps[1].title == "Collegiale consultatie en zo nodig Veilig Thuis raadplegen"
    with pytest.raises(MeldcodeRuleError):
        old.next_afweging({3: "yes"}, after_melding=True)
    with pytest.raises(MeldcodeRuleError):
        meldcode.meldcode_for_version("2025.9")
