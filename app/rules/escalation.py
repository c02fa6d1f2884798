"""Escalation rules: the answers of the escalation check -> the duties that apply.

This module owns the interpreter of the escalation rule table
``resources/rules/escalation-v1.json`` (DOMAIN.md, "Escalation questions" and "Duties").
The rules themselves are data: each duty row has conditions in a small condition language
(``question``/``in``, ``all_of``, ``any_of``, ``none_of``, ``duty``, ``any_duty``,
``if_parameter``; see ``condition_language`` in the JSON), an optional ``unless`` clause and
``deadline_if`` overrides. This module has no per-duty logic: a change in the law or the
protocol is a change of the table (and its ``rules_version``), not of this code.

The table is parsed and checked completely when it is loaded (unknown question ids,
answers, duty references, parameters, deadlines or keys raise ``EscalationRuleError``), so
evaluation cannot meet a malformed rule. Duty rows are evaluated in table order and may only
refer to duties above them; that keeps the rules free of cycles and makes the order of
``evaluate``'s result stable.

Pure: no database, no Qt, no clock. The default table is loaded once and cached.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Final, Literal, TypeAlias, assert_never, cast

from app.resources import resource_path

__all__ = [
    "ANSWERS",
    "DEADLINES",
    "DUTY_CODES",
    "QUESTIONS",
    "RULES_VERSION",
    "TABLE_FILE",
    "Answer",
    "Deadline",
    "Duty",
    "EscalationRuleError",
    "Question",
    "RuleTable",
    "evaluate",
    "load_rules",
    "questions_to_ask",
]

Answer: TypeAlias = Literal["yes", "no", "doubt"]
Deadline: TypeAlias = Literal["immediately", "same_day", "next_working_day", "none"]

ANSWERS: Final[tuple[Answer, ...]] = ("yes", "no", "doubt")
DEADLINES: Final[tuple[Deadline, ...]] = ("immediately", "same_day", "next_working_day", "none")
UNANSWERED: Final[Answer] = "no"
TABLE_FILE: Final = "escalation-v1.json"
TABLE_FORMAT: Final = 1

_QUESTION_ID = re.compile(r"[a-z][a-z0-9_]*\Z")
_DUTY_CODE = re.compile(r"[A-Z][A-Z0-9_]*\Z")


class EscalationRuleError(ValueError):
    """An unknown question id or answer, or a malformed rule table."""


@dataclass(frozen=True)
class Question:
    """One escalation question, in the order the wizard asks it."""

    id: str
    text: str  # the Dutch question as shown
    yes_means: str  # Dutch: what "ja" leads to, with the protocol article
    doubt_means: str  # Dutch: how "twijfel" counts


@dataclass(frozen=True)
class Duty:
    """A duty that applies, with its deadline resolved for the given answers."""

    code: str
    deadline: Deadline
    overrides_consent: bool
    basis: str  # protocol articles and law, e.g. "protocol 5d, 5e; WVO meld- en aangifteplicht"
    title: str  # Dutch
    instruction: str  # Dutch: what to do, to whom, with phone numbers


# --- the condition language -------------------------------------------------------------


@dataclass(frozen=True)
class _AnswerIn:
    question: str
    answers: frozenset[str]


@dataclass(frozen=True)
class _AllOf:
    parts: tuple[Condition, ...]


@dataclass(frozen=True)
class _AnyOf:
    parts: tuple[Condition, ...]


@dataclass(frozen=True)
class _NoneOf:
    parts: tuple[Condition, ...]


@dataclass(frozen=True)
class _DutyApplies:
    code: str


@dataclass(frozen=True)
class _AnyDuty:
    pass


@dataclass(frozen=True)
class _IfParameter:
    parameter: str
    then: Condition


Condition: TypeAlias = (
    _AnswerIn | _AllOf | _AnyOf | _NoneOf | _DutyApplies | _AnyDuty | _IfParameter
)


@dataclass(frozen=True)
class _Facts:
    answers: Mapping[str, str]  # complete: every question id
    applied: frozenset[str]  # duties above the current row that apply
    parameters: Mapping[str, bool]


def _holds(condition: Condition, facts: _Facts) -> bool:
    match condition:
        case _AnswerIn(question, accepted):
            return facts.answers[question] in accepted
        case _AllOf(parts):
            return all(_holds(part, facts) for part in parts)
        case _AnyOf(parts):
            return any(_holds(part, facts) for part in parts)
        case _NoneOf(parts):
            return not any(_holds(part, facts) for part in parts)
        case _DutyApplies(code):
            return code in facts.applied
        case _AnyDuty():
            return bool(facts.applied)
        case _IfParameter(parameter, then):
            return not facts.parameters[parameter] or _holds(then, facts)
        case _:
            assert_never(condition)


@dataclass(frozen=True)
class _DutyRule:
    duty: Duty  # with the default deadline
    when: Condition
    unless: Condition | None
    deadline_if: tuple[tuple[Condition, Deadline], ...]


@dataclass(frozen=True, eq=False)
class RuleTable:
    """A parsed, checked rule table. Use ``load_rules`` to get one."""

    version: str
    questions: tuple[Question, ...]
    parameter_defaults: Mapping[str, bool]
    _ask_if: Mapping[str, Condition] = field(repr=False)
    _rules: tuple[_DutyRule, ...] = field(repr=False)

    @property
    def duty_codes(self) -> tuple[str, ...]:
        return tuple(rule.duty.code for rule in self._rules)

    def evaluate(
        self, answers: Mapping[str, str], parameters: Mapping[str, bool] | None = None
    ) -> list[Duty]:
        """The duties that apply, in table order; parameters not given take their default."""
        facts_answers = self._complete(answers)
        params = dict(self.parameter_defaults)
        for name, value in (parameters or {}).items():
            if name not in params:
                raise EscalationRuleError(
                    f"unknown rule parameter {name!r}; known: {', '.join(params) or 'none'}"
                )
            if not isinstance(value, bool):
                raise EscalationRuleError(f"rule parameter {name!r} must be true or false")
            params[name] = value
        applied: list[Duty] = []
        for rule in self._rules:
            facts = _Facts(facts_answers, frozenset(d.code for d in applied), params)
            if not _holds(rule.when, facts):
                continue
            if rule.unless is not None and _holds(rule.unless, facts):
                continue
            deadline = next(
                (d for cond, d in rule.deadline_if if _holds(cond, facts)), rule.duty.deadline
            )
            applied.append(replace(rule.duty, deadline=deadline))
        return applied

    def questions_to_ask(self, answers: Mapping[str, str]) -> list[Question]:
        """The questions that matter given the answers so far (unanswered counts as "no")."""
        facts = _Facts(self._complete(answers), frozenset(), self.parameter_defaults)
        return [
            q
            for q in self.questions
            if (cond := self._ask_if.get(q.id)) is None or _holds(cond, facts)
        ]

    def _complete(self, answers: Mapping[str, str]) -> dict[str, str]:
        if not isinstance(answers, Mapping):
            raise EscalationRuleError("answers must be a mapping of question id to answer")
        complete: dict[str, str] = {q.id: UNANSWERED for q in self.questions}
        for question_id, answer in answers.items():
            if question_id not in complete:
                raise EscalationRuleError(
                    f"unknown question id {question_id!r}; known ids: {', '.join(complete)}"
                )
            if not isinstance(answer, str) or answer not in ANSWERS:
                raise EscalationRuleError(
                    f"unknown answer {answer!r} to question {question_id!r}; "
                    f"expected one of {', '.join(ANSWERS)}"
                )
            complete[question_id] = answer
        return complete


# --- loading and checking the table -----------------------------------------------------


@lru_cache(maxsize=8)
def load_rules(path: Path | None = None) -> RuleTable:
    """Load and check a rule table (default: the bundled one). Cached per path."""
    source = path if path is not None else resource_path("rules", TABLE_FILE)
    try:
        raw: object = json.loads(source.read_text(encoding="utf-8"))
    except OSError as exc:
        raise EscalationRuleError(f"cannot read rule table {source}: {exc}") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise EscalationRuleError(f"rule table {source} is not valid JSON: {exc}") from exc
    return _parse_table(raw, source.name)


@dataclass(frozen=True)
class _Scope:
    """What a condition may refer to where it appears."""

    questions: frozenset[str]
    duties: frozenset[str] | None  # None: duty references are not allowed here
    parameters: frozenset[str]


def _fail(where: str, message: str) -> EscalationRuleError:
    return EscalationRuleError(f"{where}: {message}")


def _mapping(raw: object, where: str) -> dict[str, object]:
    if not isinstance(raw, dict) or not all(isinstance(k, str) for k in raw):
        raise _fail(where, "expected an object")
    return cast(dict[str, object], raw)


def _object(
    raw: object, where: str, required: set[str], optional: frozenset[str] = frozenset()
) -> dict[str, object]:
    """An object with exactly the required keys and perhaps some optional ones."""
    obj = _mapping(raw, where)
    keys = set(obj)
    if missing := required - keys:
        raise _fail(where, f"missing {', '.join(sorted(missing))}")
    if unknown := keys - required - optional:
        raise _fail(where, f"unknown key(s) {', '.join(sorted(unknown))}")
    return obj


def _list(raw: object, where: str) -> list[object]:
    if not isinstance(raw, list) or not raw:
        raise _fail(where, "expected a non-empty list")
    return cast(list[object], raw)


def _text(raw: object, where: str) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise _fail(where, "expected a non-empty text")
    return raw


def _bool(raw: object, where: str) -> bool:
    if not isinstance(raw, bool):
        raise _fail(where, "expected true or false")
    return raw


def _deadline(raw: object, where: str) -> Deadline:
    if raw not in DEADLINES:
        raise _fail(where, f"deadline must be one of {', '.join(DEADLINES)}, not {raw!r}")
    return raw


_GROUPS: Final[dict[str, Callable[[tuple[Condition, ...]], Condition]]] = {
    "all_of": _AllOf,
    "any_of": _AnyOf,
    "none_of": _NoneOf,
}


def _condition(raw: object, where: str, scope: _Scope) -> Condition:
    if isinstance(raw, dict) and "question" in raw:
        obj = _object(raw, where, {"question", "in"})
        question = _text(obj["question"], where)
        if question not in scope.questions:
            raise _fail(where, f"unknown (or not yet asked) question {question!r}")
        answers = _list(obj["in"], f"{where}.in")
        for answer in answers:
            if answer not in ANSWERS:
                raise _fail(where, f"unknown answer {answer!r}; expected {', '.join(ANSWERS)}")
        return _AnswerIn(question, frozenset(cast(list[str], answers)))
    if isinstance(raw, dict) and "if_parameter" in raw:
        obj = _object(raw, where, {"if_parameter", "then"})
        name = _text(obj["if_parameter"], where)
        if name not in scope.parameters:
            raise _fail(where, f"unknown or not allowed parameter {name!r}")
        return _IfParameter(name, _condition(obj["then"], f"{where}.then", scope))
    if not isinstance(raw, dict) or len(raw) != 1 or not set(raw) <= {*_GROUPS, "duty", "any_duty"}:
        raise _fail(
            where,
            "expected a condition (question/in, all_of, any_of, none_of, "
            "duty, any_duty or if_parameter/then)",
        )
    ((key, value),) = raw.items()
    if key in _GROUPS:
        parts = tuple(
            _condition(part, f"{where}.{key}[{i}]", scope)
            for i, part in enumerate(_list(value, f"{where}.{key}"))
        )
        return _GROUPS[key](parts)
    if scope.duties is None:
        raise _fail(where, f"{key!r} is not allowed here")
    if key == "any_duty":
        if value is not True:
            raise _fail(where, "any_duty must be true")
        return _AnyDuty()
    code = _text(value, where)
    if code not in scope.duties:
        raise _fail(where, f"duty {code!r} is unknown or not above this row in the table")
    return _DutyApplies(code)


def _parse_table(raw: object, source: str) -> RuleTable:
    top = _object(
        raw,
        source,
        {"format", "rules_version", "questions", "duties"},
        frozenset({"about", "condition_language", "parameters"}),
    )
    if top["format"] != TABLE_FORMAT:
        raise _fail(source, f"format {top['format']!r} is not supported (expected {TABLE_FORMAT})")
    version = _text(top["rules_version"], f"{source}.rules_version")

    defaults: dict[str, bool] = {}
    for name, spec in _mapping(top.get("parameters", {}), f"{source}.parameters").items():
        where = f"{source}.parameters.{name}"
        if not _QUESTION_ID.match(name):
            raise _fail(where, "malformed parameter name")
        spec_obj = _object(spec, where, {"default"}, frozenset({"description"}))
        defaults[name] = _bool(spec_obj["default"], f"{where}.default")

    questions: list[Question] = []
    ask_if: dict[str, Condition] = {}
    for i, q_raw in enumerate(_list(top["questions"], f"{source}.questions")):
        where = f"{source}.questions[{i}]"
        q = _object(q_raw, where, {"id", "text", "yes_means", "doubt_means"}, frozenset({"ask_if"}))
        qid = _text(q["id"], f"{where}.id")
        if not _QUESTION_ID.match(qid) or any(p.id == qid for p in questions):
            raise _fail(where, f"question id {qid!r} is malformed or not unique")
        if "ask_if" in q:
            earlier = _Scope(frozenset(p.id for p in questions), None, frozenset())
            ask_if[qid] = _condition(q["ask_if"], f"{where}.ask_if", earlier)
        questions.append(
            Question(
                id=qid,
                text=_text(q["text"], f"{where}.text"),
                yes_means=_text(q["yes_means"], f"{where}.yes_means"),
                doubt_means=_text(q["doubt_means"], f"{where}.doubt_means"),
            )
        )

    question_ids = frozenset(q.id for q in questions)
    rules: list[_DutyRule] = []
    for i, d_raw in enumerate(_list(top["duties"], f"{source}.duties")):
        where = f"{source}.duties[{i}]"
        d = _object(
            d_raw,
            where,
            {"code", "when", "deadline", "overrides_consent", "basis", "title", "instruction"},
            frozenset({"unless", "deadline_if"}),
        )
        code = _text(d["code"], f"{where}.code")
        if not _DUTY_CODE.match(code) or any(r.duty.code == code for r in rules):
            raise _fail(where, f"duty code {code!r} is malformed or not unique")
        scope = _Scope(question_ids, frozenset(r.duty.code for r in rules), frozenset(defaults))
        overrides: list[tuple[Condition, Deadline]] = []
        for j, o_raw in enumerate(_list(d["deadline_if"], where) if "deadline_if" in d else []):
            o = _object(o_raw, f"{where}.deadline_if[{j}]", {"when", "deadline"})
            overrides.append(
                (
                    _condition(o["when"], f"{where}.deadline_if[{j}].when", scope),
                    _deadline(o["deadline"], f"{where}.deadline_if[{j}]"),
                )
            )
        rules.append(
            _DutyRule(
                duty=Duty(
                    code=code,
                    deadline=_deadline(d["deadline"], where),
                    overrides_consent=_bool(d["overrides_consent"], f"{where}.overrides_consent"),
                    basis=_text(d["basis"], f"{where}.basis"),
                    title=_text(d["title"], f"{where}.title"),
                    instruction=_text(d["instruction"], f"{where}.instruction"),
                ),
                when=_condition(d["when"], f"{where}.when", scope),
                unless=_condition(d["unless"], f"{where}.unless", scope) if "unless" in d else None,
                deadline_if=tuple(overrides),
            )
        )

    return RuleTable(
        version,
        tuple(questions),
        MappingProxyType(defaults),
        MappingProxyType(ask_if),
        tuple(rules),
    )


# --- the default table ------------------------------------------------------------------

_DEFAULT: Final = load_rules()
RULES_VERSION: Final[str] = _DEFAULT.version
QUESTIONS: Final[tuple[Question, ...]] = _DEFAULT.questions
DUTY_CODES: Final[tuple[str, ...]] = _DEFAULT.duty_codes


def evaluate(answers: Mapping[str, str], *, board_requires_minor: bool = True) -> list[Duty]:
    """The duties that apply to ``answers`` (question id -> "yes"/"no"/"doubt"; missing = "no").

    ``board_requires_minor``: REPORT_BOARD applies to minor pupils only (the law now); False
    extends it to adult pupils (the bill "Wet vrij en veilig onderwijs").
    Raises ``EscalationRuleError`` for an unknown question id or answer.
    """
    return load_rules().evaluate(answers, {"board_requires_minor": board_requires_minor})


def questions_to_ask(answers: Mapping[str, str]) -> list[Question]:
    """The questions the wizard asks, given the answers so far; the others cannot matter."""
    return load_rules().questions_to_ask(answers)
