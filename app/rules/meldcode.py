"""Meldcode huiselijk geweld en kindermishandeling: the five steps and the afwegingskader.

This module owns the interpreter of the meldcode tables ``resources/rules/meldcode-*.json``
(DOMAIN.md, "Meldcode"): the five steps (ids and Dutch titles) for the case's step tracker, and
the afwegingskader of steps 4-5 as a state machine. Every shipped version stays readable
(``meldcode_for_version``); a route reads back with the texts of the version it started under.

Format 2 (2026.2) adds the lists the tracker needs: with whom step 2 is held
(``consult_partners``; ``step2_requires_one_of``: the aandachtsfunctionaris or the
ondersteuningscoördinator), the forms of violence with which step 3 is never held with the
parents (``parents_excluded_forms``: honour-related violence, genital mutilation, forced
marriage), Veilig Thuis' possible decisions after a melding (``veilig_thuis_decisions``), and
``after_melding``: after a melding questions 3-5 are answered together with Veilig Thuis, from
question ``start``, with their own outcome texts. Each afweging question says where "yes" and
"no" lead: to another question, or to an outcome (``close``, ``melden``, ``start_help``,
``close_with_monitoring``, ``opnieuw_melden``). ``start_help`` is a pause, not an end: help
starts for an agreed term, and question 5 is answered after that term.

How "doubt" (*twijfel*) counts is data too (``doubt_counts_as`` per question):
- question 1 and 2: as "yes" - in doubt keep weighing (1), and doubt about safety means
  melden (2, as DOMAIN.md says);
- question 3, 4 and 5: as "no" - doubt whether help works or is accepted leads to melden,
  the safer way.
The outcome lists which questions were answered with doubt, so the decision record can show it.

Transitions only lead to higher-numbered questions (checked when loading), so every walk
ends. Pure: no database, no Qt, no clock. The default table is loaded once and cached.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Final, Literal, TypeAlias, cast

from app.resources import resource_path
from app.rules.escalation import ANSWERS

__all__ = [
    "AFWEGING_QUESTIONS",
    "MELDCODE_VERSION",
    "OUTCOMES",
    "STEPS",
    "TABLE_FILE",
    "VERSION_FILES",
    "AfwegingOutcome",
    "AfwegingQuestion",
    "MeldcodeRuleError",
    "MeldcodeStep",
    "MeldcodeTable",
    "load_meldcode",
    "meldcode_for_version",
    "next_afweging",
]

#: Every meldcode table ever shipped, by version; the last one is current.
VERSION_FILES: Final[Mapping[str, str]] = {
    "2026.1": "meldcode-v1.json",
    "2026.2": "meldcode-2026.2.json",
}
TABLE_FILE: Final = VERSION_FILES["2026.2"]
TABLE_FORMATS: Final = (1, 2)
OUTCOMES: Final = ("close", "melden", "start_help", "close_with_monitoring", "opnieuw_melden")

YesNo: TypeAlias = Literal["yes", "no"]


class MeldcodeRuleError(ValueError):
    """An unknown question number or answer, or a malformed meldcode table."""


@dataclass(frozen=True)
class MeldcodeStep:
    number: int  # 1..5
    id: str
    title: str  # Dutch
    description: str  # Dutch


@dataclass(frozen=True)
class AfwegingQuestion:
    number: int
    text: str  # Dutch, as shown
    doubt_counts_as: YesNo
    doubt_note: str  # Dutch: how "twijfel" counts here


@dataclass(frozen=True)
class AfwegingOutcome:
    """Where the afweging stands: a question to ask now, or an outcome.

    ``next_question`` is set (and ``outcome`` is None) while a question must be answered.
    Otherwise ``outcome`` is one of ``OUTCOMES`` with its Dutch ``title`` and ``text``; for
    ``start_help``, ``follow_up_question`` (5) is asked after the agreed term.
    """

    next_question: int | None
    outcome: str | None
    title: str  # "" while a question is pending
    text: str  # "" while a question is pending
    follow_up_question: int | None
    path: tuple[int, ...]  # the questions answered on the way, in order
    doubted: tuple[int, ...]  # those of them answered "doubt"

    @property
    def is_final(self) -> bool:
        """True when nothing is left to ask, now or after a term."""
        return self.outcome is not None and self.follow_up_question is None


@dataclass(frozen=True)
class _Next:
    question: int | None  # go on with this question, or
    outcome: str | None  # end (or pause) here
    then_question: int | None  # start_help: the question after the term


@dataclass(frozen=True)
class _Node:
    question: AfwegingQuestion
    on_yes: _Next
    on_no: _Next


@dataclass(frozen=True, eq=False)
class MeldcodeTable:
    """A parsed, checked meldcode table. Use ``load_meldcode`` to get one."""

    version: str
    steps: tuple[MeldcodeStep, ...]
    questions: Mapping[int, AfwegingQuestion]
    start: int
    _nodes: Mapping[int, _Node]
    _outcomes: Mapping[str, tuple[str, str]]  # code -> (title, text)
    #: After a melding: the question to start from (None: the table has no such walk), a
    #: Dutch note, and the outcome texts of that walk.
    after_melding_start: int | None = None
    after_melding_note: str = ""
    after_melding_texts: Mapping[str, str] = field(default_factory=dict)
    consult_partners: Mapping[str, str] = field(default_factory=dict)  # id -> Dutch label
    step2_requires_one_of: tuple[str, ...] = ()
    parents_excluded_forms: Mapping[str, str] = field(default_factory=dict)  # id -> label
    veilig_thuis_decisions: Mapping[str, str] = field(default_factory=dict)  # id -> label

    def next_afweging(
        self, answers: Mapping[int, str], *, after_melding: bool = False
    ) -> AfwegingOutcome:
        """Walk the afwegingskader with the answers so far; answers off the path are ignored.

        ``after_melding``: the walk with Veilig Thuis after a melding, from question
        ``after_melding_start`` (MeldcodeRuleError when the table has none)."""
        checked = self._check(answers)
        path: list[int] = []
        doubted: list[int] = []
        number = self.start
        if after_melding:
            if self.after_melding_start is None:
                raise MeldcodeRuleError(f"meldcode {self.version} has no walk after a melding")
            number = self.after_melding_start
        while True:
            answer = checked.get(number)
            if answer is None:
                return AfwegingOutcome(number, None, "", "", None, tuple(path), tuple(doubted))
            node = self._nodes[number]
            path.append(number)
            if answer == "doubt":
                doubted.append(number)
                answer = node.question.doubt_counts_as
            step = node.on_yes if answer == "yes" else node.on_no
            if step.question is not None:
                number = step.question
            elif step.then_question is not None and step.then_question in checked:
                number = step.then_question
            else:
                assert step.outcome is not None
                title, text = self._outcomes[step.outcome]
                if after_melding:
                    text = self.after_melding_texts.get(step.outcome, text)
                return AfwegingOutcome(
                    None, step.outcome, title, text, step.then_question, tuple(path), tuple(doubted)
                )

    def _check(self, answers: Mapping[int, str]) -> dict[int, str]:
        if not isinstance(answers, Mapping):
            raise MeldcodeRuleError("answers must be a mapping of question number to answer")
        for number, answer in answers.items():
            if type(number) is not int or number not in self._nodes:
                raise MeldcodeRuleError(
                    f"unknown afweging question {number!r}; known: "
                    f"{', '.join(str(n) for n in self._nodes)}"
                )
            if not isinstance(answer, str) or answer not in ANSWERS:
                raise MeldcodeRuleError(
                    f"unknown answer {answer!r} to afweging question {number}; "
                    f"expected one of {', '.join(ANSWERS)}"
                )
        return dict(answers)


# --- loading and checking the table -----------------------------------------------------


@lru_cache(maxsize=8)
def load_meldcode(path: Path | None = None) -> MeldcodeTable:
    """Load and check a meldcode table (default: the bundled one). Cached per path."""
    source = path if path is not None else resource_path("rules", TABLE_FILE)
    try:
        raw: object = json.loads(source.read_text(encoding="utf-8"))
    except OSError as exc:
        raise MeldcodeRuleError(f"cannot read meldcode table {source}: {exc}") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise MeldcodeRuleError(f"meldcode table {source} is not valid JSON: {exc}") from exc
    return _parse_table(raw, source.name)


def _object(
    raw: object, where: str, required: set[str], optional: frozenset[str] = frozenset()
) -> dict[str, object]:
    if not isinstance(raw, dict) or not all(isinstance(k, str) for k in raw):
        raise MeldcodeRuleError(f"{where}: expected an object")
    if missing := required - set(raw):
        raise MeldcodeRuleError(f"{where}: missing {', '.join(sorted(missing))}")
    if unknown := set(raw) - required - optional:
        raise MeldcodeRuleError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    return cast(dict[str, object], raw)


def _list(raw: object, where: str) -> list[object]:
    if not isinstance(raw, list) or not raw:
        raise MeldcodeRuleError(f"{where}: expected a non-empty list")
    return cast(list[object], raw)


def _text(raw: object, where: str) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise MeldcodeRuleError(f"{where}: expected a non-empty text")
    return raw


def _number(raw: object, where: str) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 1:
        raise MeldcodeRuleError(f"{where}: expected a positive whole number")
    return raw


def _next(raw: object, where: str, here: int) -> _Next:
    """One transition: {"question": n}, {"outcome": c} or {"outcome": c, "then_question": n}."""
    obj = _object(raw, where, set(), frozenset({"question", "outcome", "then_question"}))
    if set(obj) not in ({"question"}, {"outcome"}, {"outcome", "then_question"}):
        raise MeldcodeRuleError(
            f"{where}: expected question, or outcome with perhaps then_question"
        )
    question, then_question = (
        _number(obj[key], f"{where}.{key}") if key in obj else None
        for key in ("question", "then_question")
    )
    if any(target is not None and target <= here for target in (question, then_question)):
        raise MeldcodeRuleError(f"{where}: may only lead to a later question")
    outcome = obj.get("outcome")
    if outcome is not None and outcome not in OUTCOMES:
        raise MeldcodeRuleError(f"{where}: unknown outcome {outcome!r}")
    return _Next(question, outcome, then_question)


def _parse_table(raw: object, source: str) -> MeldcodeTable:
    top = _object(
        raw,
        source,
        {"format", "rules_version", "steps", "afweging"},
        frozenset({"about"}) if raw_format(raw) == 1 else _FORMAT_2_KEYS,
    )
    if top["format"] not in TABLE_FORMATS or isinstance(top["format"], bool):
        raise MeldcodeRuleError(f"{source}: format {top['format']!r} is not supported")
    version = _text(top["rules_version"], f"{source}.rules_version")

    steps: list[MeldcodeStep] = []
    for i, s_raw in enumerate(_list(top["steps"], f"{source}.steps")):
        where = f"{source}.steps[{i}]"
        s = _object(s_raw, where, {"number", "id", "title", "description"})
        if _number(s["number"], where) != i + 1:
            raise MeldcodeRuleError(f"{where}: steps must be numbered 1, 2, 3, ... in order")
        steps.append(
            MeldcodeStep(
                i + 1,
                _text(s["id"], f"{where}.id"),
                _text(s["title"], f"{where}.title"),
                _text(s["description"], f"{where}.description"),
            )
        )

    afweging = _object(top["afweging"], f"{source}.afweging", {"start", "questions", "outcomes"})
    nodes: dict[int, _Node] = {}
    for i, q_raw in enumerate(_list(afweging["questions"], f"{source}.afweging.questions")):
        where = f"{source}.afweging.questions[{i}]"
        q = _object(q_raw, where, {"number", "text", "doubt_counts_as", "doubt_note", "yes", "no"})
        number = _number(q["number"], f"{where}.number")
        if number in nodes:
            raise MeldcodeRuleError(f"{where}: question {number} appears twice")
        doubt = q["doubt_counts_as"]
        if doubt not in ("yes", "no"):
            raise MeldcodeRuleError(f"{where}: doubt_counts_as must be yes or no")
        question = AfwegingQuestion(
            number, _text(q["text"], f"{where}.text"), doubt, _text(q["doubt_note"], where)
        )
        nodes[number] = _Node(
            question, _next(q["yes"], f"{where}.yes", number), _next(q["no"], f"{where}.no", number)
        )

    outcomes: dict[str, tuple[str, str]] = {}
    for code, o_raw in _object(
        afweging["outcomes"], f"{source}.afweging.outcomes", set(OUTCOMES)
    ).items():
        o = _object(o_raw, f"{source}.afweging.outcomes.{code}", {"title", "text"})
        outcomes[code] = (_text(o["title"], code), _text(o["text"], code))

    start = _number(afweging["start"], f"{source}.afweging.start")
    targets = {start} | {
        t
        for node in nodes.values()
        for step in (node.on_yes, node.on_no)
        for t in (step.question, step.then_question)
        if t is not None
    }
    if missing := targets - set(nodes):
        raise MeldcodeRuleError(f"{source}: leads to unknown question(s) {sorted(missing)}")

    after_start: int | None = None
    after_note = ""
    after_texts: dict[str, str] = {}
    if "after_melding" in top:
        where = f"{source}.after_melding"
        after = _object(top["after_melding"], where, {"start", "note", "outcomes"})
        after_start = _number(after["start"], f"{where}.start")
        if after_start not in nodes:
            raise MeldcodeRuleError(f"{where}: unknown question {after_start}")
        after_note = _text(after["note"], f"{where}.note")
        for code, text in _object(after["outcomes"], f"{where}.outcomes", set(OUTCOMES)).items():
            after_texts[code] = _text(text, f"{where}.outcomes.{code}")
    partners = _labels(top.get("consult_partners"), f"{source}.consult_partners")
    required = tuple(
        _text(r, f"{source}.step2_requires_one_of")
        for r in (
            _list(top["step2_requires_one_of"], source) if "step2_requires_one_of" in top else []
        )
    )
    if unknown := set(required) - set(partners):
        raise MeldcodeRuleError(f"{source}: step2_requires_one_of names unknown {sorted(unknown)}")

    return MeldcodeTable(
        version,
        tuple(steps),
        MappingProxyType({n: nodes[n].question for n in sorted(nodes)}),
        start,
        MappingProxyType(nodes),
        MappingProxyType(outcomes),
        after_start,
        after_note,
        MappingProxyType(after_texts),
        partners,
        required,
        _labels(top.get("parents_excluded_forms"), f"{source}.parents_excluded_forms"),
        _labels(top.get("veilig_thuis_decisions"), f"{source}.veilig_thuis_decisions"),
    )


_FORMAT_2_KEYS: Final = frozenset(
    {
        "about",
        "after_melding",
        "consult_partners",
        "step2_requires_one_of",
        "parents_excluded_forms",
        "veilig_thuis_decisions",
    }
)


def raw_format(raw: object) -> object:
    return raw.get("format") if isinstance(raw, dict) else None


def _labels(raw: object, where: str) -> Mapping[str, str]:
    """An optional {id: Dutch label} list."""
    if raw is None:
        return MappingProxyType({})
    obj = _object(raw, where, set(), frozenset(raw) if isinstance(raw, dict) else frozenset())
    if not obj:
        raise MeldcodeRuleError(f"{where}: expected a non-empty object")
    return MappingProxyType({k: _text(v, f"{where}.{k}") for k, v in obj.items()})


def meldcode_for_version(version: str) -> MeldcodeTable:
    """The meldcode table a route of ``version`` started under (MeldcodeRuleError if unknown)."""
    if version not in VERSION_FILES:
        raise MeldcodeRuleError(
            f"unknown meldcode version {version!r}; known: {', '.join(VERSION_FILES)}"
        )
    return load_meldcode(resource_path("rules", VERSION_FILES[version]))


# --- the default table ------------------------------------------------------------------

_DEFAULT: Final = load_meldcode()
MELDCODE_VERSION: Final[str] = _DEFAULT.version
STEPS: Final[tuple[MeldcodeStep, ...]] = _DEFAULT.steps
AFWEGING_QUESTIONS: Final[Mapping[int, AfwegingQuestion]] = _DEFAULT.questions


def next_afweging(answers: Mapping[int, str], *, after_melding: bool = False) -> AfwegingOutcome:
    """The next afweging question to ask, or the outcome (question number -> yes/no/doubt).

    ``after_melding``: the walk together with Veilig Thuis after a melding (from question 3).
    Raises ``MeldcodeRuleError`` for an unknown question number or answer.
    """
    return load_meldcode().next_afweging(answers, after_melding=after_melding)
