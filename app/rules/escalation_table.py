"""The escalation rule table: its condition language, its parser and its interpreter.

This module owns reading and checking a rule table file (``resources/rules/escalation-*.json``)
and evaluating it; ``app.rules.escalation`` is the public face (the current version, the
versions of stored decisions, due moments). The rules themselves are data: each duty row has
conditions in a small condition language (``question``/``in``, ``all_of``, ``any_of``,
``none_of``, ``duty``, ``any_duty``, ``if_parameter``; see ``condition_language`` in the JSON),
an optional ``unless`` clause and ``deadline_if`` overrides. There is no per-duty logic here: a
change in the law or the protocol is a change of the table (and its ``rules_version``).

Format 1 (2026.1) counts an unanswered question as "no" and keeps "doubt" as given. Format 2
(2026.2, DOMAIN.md "Escalation rules, version 2026.2") adds per question the columns
``unanswered`` ("no" or ``{"same_as": id}``) and ``doubt`` ("yes", "no" or "own": a doubt counts
as that answer everywhere, or stays a doubt for the duties table), ``ask_if`` conditions that may
refer to later questions (never in a cycle), a question ``help`` text, and per duty a
``calendar`` (``safety``/``school``), a ``how`` text and ``notes_if`` (texts added to the
instruction when their condition holds). In both formats a question that is not asked (its
``ask_if`` does not hold) counts as unanswered, whatever stale answer it still carries, so what
the wizard skips can never change the duties.

The table is parsed and checked completely when it is loaded (unknown question ids, answers,
duty references, parameters, deadlines or keys raise ``EscalationRuleError``). Duty rows are
evaluated in table order and may only refer to duties above them.

Pure: no database, no Qt, no clock.
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Final, Literal, TypeAlias, assert_never, cast

__all__ = [
    "ANSWERS",
    "CALENDARS",
    "DEADLINES",
    "PLACEHOLDERS",
    "Answer",
    "Calendar",
    "Deadline",
    "Duty",
    "EscalationRuleError",
    "Question",
    "RuleTable",
    "fill_names",
    "load_table",
]

Answer: TypeAlias = Literal["yes", "no", "doubt"]
Deadline: TypeAlias = Literal["immediately", "same_day", "next_working_day", "none"]
Calendar: TypeAlias = Literal["safety", "school"]

ANSWERS: Final[tuple[Answer, ...]] = ("yes", "no", "doubt")
DEADLINES: Final[tuple[Deadline, ...]] = ("immediately", "same_day", "next_working_day", "none")
CALENDARS: Final[tuple[Calendar, ...]] = ("safety", "school")
UNANSWERED: Final[Answer] = "no"
FORMATS: Final = (1, 2)

#: Names a duty text may contain as ``{name}``; the service fills them from the settings.
#: The defaults below are used when a setting is empty (or when no names are given).
PLACEHOLDERS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "board_name": "het schoolbestuur",
        "complaints_scheme": "de klachtenregeling van het schoolbestuur",
        "complaints_committee": "de klachtencommissie",
        "appeal_rules": "de regeling bezwaar en beroep voor leerlingenzaken",
    }
)

_QUESTION_ID = re.compile(r"[a-z][a-z0-9_]*\Z")
_DUTY_CODE = re.compile(r"[A-Z][A-Z0-9_]*\Z")


class EscalationRuleError(ValueError):
    """An unknown question id or answer, or a malformed rule table."""


@dataclass(frozen=True)
class Question:
    """One escalation question, in the order the wizard shows it.

    ``doubt_counts_as``: "yes"/"no" when a doubt counts as that answer everywhere, None when
    the duties table treats a doubt on its own ("own rule"). ``unanswered_from``: the question
    whose answer an unanswered one takes (None: it counts as "no"). ``always_asked``: False when
    the question is asked only after certain answers (its ``ask_if``)."""

    id: str
    text: str  # the Dutch question as shown
    yes_means: str  # Dutch: what "ja" leads to, with the protocol article
    doubt_means: str  # Dutch: how "twijfel" counts
    help: str = ""  # Dutch: short examples
    doubt_counts_as: Answer | None = None
    unanswered_from: str | None = None
    always_asked: bool = True


@dataclass(frozen=True)
class Duty:
    """A duty that applies, with its deadline and texts resolved for the given answers.

    ``calendar``: ``safety`` (weekends and public holidays only) for every duty that protects a
    pupil, ``school`` (also school holidays and study days) for a complaint referral.
    ``how``: Dutch, a short script and what to have at hand ("Hoe doe je dat?")."""

    code: str
    deadline: Deadline
    overrides_consent: bool
    basis: str  # protocol articles and law, e.g. "protocol 1b, 5d; Wet verplichte meldcode"
    title: str  # Dutch
    instruction: str  # Dutch: what to do, to whom, with phone numbers
    calendar: Calendar = "safety"
    how: str = ""


def fill_names(text: str, names: Mapping[str, str] | None = None) -> str:
    """``text`` with its ``{placeholders}`` filled: the given names, else the defaults."""
    if "{" not in text:
        return text
    values = dict(PLACEHOLDERS)
    for key, value in (names or {}).items():
        if key in values and value.strip():
            values[key] = value.strip()
    return text.format_map(values)


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
    answers: Mapping[str, str]  # effective answers: every question id
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


def _questions_in(condition: Condition) -> Iterator[str]:
    match condition:
        case _AnswerIn(question, _answers):
            yield question
        case _AllOf(parts) | _AnyOf(parts) | _NoneOf(parts):
            for part in parts:
                yield from _questions_in(part)
        case _IfParameter(_name, then):
            yield from _questions_in(then)
        case _DutyApplies() | _AnyDuty():
            return
        case _:
            assert_never(condition)


@dataclass(frozen=True)
class _DutyRule:
    duty: Duty  # with the default deadline and the bare instruction
    when: Condition
    unless: Condition | None
    deadline_if: tuple[tuple[Condition, Deadline], ...]
    notes_if: tuple[tuple[Condition, str], ...]


@dataclass(frozen=True, eq=False)
class RuleTable:
    """A parsed, checked rule table. Use ``load_table`` to get one."""

    version: str
    questions: tuple[Question, ...]
    parameter_defaults: Mapping[str, bool]
    _ask_if: Mapping[str, Condition] = field(repr=False)
    _rules: tuple[_DutyRule, ...] = field(repr=False)
    _order: tuple[Question, ...] = field(repr=False)  # questions, dependencies first

    @property
    def duty_codes(self) -> tuple[str, ...]:
        return tuple(rule.duty.code for rule in self._rules)

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise EscalationRuleError(f"unknown question id {question_id!r}")

    def evaluate(
        self,
        answers: Mapping[str, str],
        parameters: Mapping[str, bool] | None = None,
        names: Mapping[str, str] | None = None,
    ) -> list[Duty]:
        """The duties that apply, in table order; parameters not given take their default.

        ``names`` fill the ``{placeholders}`` of the texts (see ``fill_names``)."""
        params = dict(self.parameter_defaults)
        for name, value in (parameters or {}).items():
            if name not in params:
                raise EscalationRuleError(
                    f"unknown rule parameter {name!r}; known: {', '.join(params) or 'none'}"
                )
            if not isinstance(value, bool):
                raise EscalationRuleError(f"rule parameter {name!r} must be true or false")
            params[name] = value
        effective, _asked = self._effective(answers, params)
        applied: list[Duty] = []
        for rule in self._rules:
            facts = _Facts(effective, frozenset(d.code for d in applied), params)
            if not _holds(rule.when, facts):
                continue
            if rule.unless is not None and _holds(rule.unless, facts):
                continue
            deadline = next(
                (d for cond, d in rule.deadline_if if _holds(cond, facts)), rule.duty.deadline
            )
            notes = [text for cond, text in rule.notes_if if _holds(cond, facts)]
            duty = rule.duty
            instruction = " ".join([duty.instruction, *notes])
            plain = "{" not in instruction + duty.how + duty.title
            if not notes and deadline == duty.deadline and plain:
                applied.append(duty)
                continue
            applied.append(
                replace(
                    duty,
                    deadline=deadline,
                    instruction=fill_names(instruction, names),
                    how=fill_names(duty.how, names),
                    title=fill_names(duty.title, names),
                )
            )
        return applied

    def questions_to_ask(self, answers: Mapping[str, str]) -> list[Question]:
        """The questions that matter given the answers so far, in table order."""
        _effective, asked = self._effective(answers, self.parameter_defaults)
        return [q for q in self.questions if q.id in asked]

    def effective_answers(self, answers: Mapping[str, str]) -> dict[str, str]:
        """Every question's answer as the duties table sees it (unanswered, skipped and doubt
        columns applied)."""
        return dict(self._effective(answers, self.parameter_defaults)[0])

    def check_answers(self, answers: Mapping[str, str]) -> None:
        """EscalationRuleError for an unknown question id or answer."""
        if not isinstance(answers, Mapping):
            raise EscalationRuleError("answers must be a mapping of question id to answer")
        known = {q.id for q in self.questions}
        for question_id, answer in answers.items():
            if question_id not in known:
                raise EscalationRuleError(
                    f"unknown question id {question_id!r}; known ids: {', '.join(known)}"
                )
            if not isinstance(answer, str) or answer not in ANSWERS:
                raise EscalationRuleError(
                    f"unknown answer {answer!r} to question {question_id!r}; "
                    f"expected one of {', '.join(ANSWERS)}"
                )

    def _effective(
        self, answers: Mapping[str, str], params: Mapping[str, bool]
    ) -> tuple[dict[str, str], frozenset[str]]:
        self.check_answers(answers)
        effective: dict[str, str] = {}
        asked: set[str] = set()
        for q in self._order:
            condition = self._ask_if.get(q.id)
            if condition is None or _holds(condition, _Facts(effective, frozenset(), params)):
                asked.add(q.id)
                given = answers.get(q.id)
            else:
                given = None
            if given is None:
                effective[q.id] = effective[q.unanswered_from] if q.unanswered_from else UNANSWERED
            elif given == "doubt" and q.doubt_counts_as is not None:
                effective[q.id] = q.doubt_counts_as
            else:
                effective[q.id] = given
        return effective, frozenset(asked)


# --- loading and checking the table -----------------------------------------------------


@lru_cache(maxsize=16)
def load_table(source: Path) -> RuleTable:
    """Load and check a rule table file. Cached per path."""
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


def _names_text(raw: object, where: str) -> str:
    """A text whose ``{placeholders}`` are all known names."""
    text = _text(raw, where)
    try:
        fields = [name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name]
    except ValueError as exc:
        raise _fail(where, f"malformed {{placeholder}}: {exc}") from None
    if unknown := [name for name in fields if name not in PLACEHOLDERS]:
        raise _fail(where, f"unknown placeholder(s) {', '.join(unknown)}")
    return text


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


_QUESTION_KEYS: Final = {"id", "text", "yes_means", "doubt_means"}
_QUESTION_OPTIONAL: Final = {
    1: frozenset({"ask_if"}),
    2: frozenset({"ask_if", "help", "unanswered", "doubt"}),
}
_DUTY_KEYS: Final = {
    "code",
    "when",
    "deadline",
    "overrides_consent",
    "basis",
    "title",
    "instruction",
}
_DUTY_OPTIONAL: Final = {
    1: frozenset({"unless", "deadline_if"}),
    2: frozenset({"unless", "deadline_if", "notes_if", "calendar", "how"}),
}


def _question(
    raw: object, where: str, fmt: int, earlier: list[Question]
) -> tuple[Question, object]:
    """A question (without its ask_if, returned raw: it is parsed once all ids are known)."""
    q = _object(raw, where, set(_QUESTION_KEYS), _QUESTION_OPTIONAL[fmt])
    qid = _text(q["id"], f"{where}.id")
    if not _QUESTION_ID.match(qid) or any(p.id == qid for p in earlier):
        raise _fail(where, f"question id {qid!r} is malformed or not unique")
    doubt = q.get("doubt", "own")
    if doubt not in ("yes", "no", "own"):
        raise _fail(f"{where}.doubt", f"expected yes, no or own, not {doubt!r}")
    unanswered = q.get("unanswered", "no")
    unanswered_from: str | None = None
    if unanswered != "no":
        same = _object(unanswered, f"{where}.unanswered", {"same_as"})
        unanswered_from = _text(same["same_as"], f"{where}.unanswered.same_as")
        if not any(p.id == unanswered_from for p in earlier):
            raise _fail(where, f"unanswered same_as {unanswered_from!r} is not an earlier question")
    question = Question(
        id=qid,
        text=_text(q["text"], f"{where}.text"),
        yes_means=_text(q["yes_means"], f"{where}.yes_means"),
        doubt_means=_text(q["doubt_means"], f"{where}.doubt_means"),
        help=_text(q["help"], f"{where}.help") if "help" in q else "",
        doubt_counts_as=None if doubt == "own" else cast(Answer, doubt),
        unanswered_from=unanswered_from,
        always_asked="ask_if" not in q,
    )
    return question, q.get("ask_if")


def _dependency_order(
    questions: list[Question], ask_if: Mapping[str, Condition], source: str
) -> tuple[Question, ...]:
    """The questions so that each comes after those its ask_if and unanswered refer to."""
    needs = {
        q.id: {
            *(_questions_in(ask_if[q.id]) if q.id in ask_if else ()),
            *([q.unanswered_from] if q.unanswered_from else []),
        }
        for q in questions
    }
    done: list[Question] = []
    placed: set[str] = set()
    pending = list(questions)
    while pending:
        ready = [q for q in pending if needs[q.id] <= placed]
        if not ready:
            cycle = ", ".join(q.id for q in pending)
            raise _fail(source, f"the ask_if conditions of {cycle} refer to each other")
        for q in ready:
            done.append(q)
            placed.add(q.id)
        pending = [q for q in pending if q.id not in placed]
    return tuple(done)


def _parse_table(raw: object, source: str) -> RuleTable:
    top = _object(
        raw,
        source,
        {"format", "rules_version", "questions", "duties"},
        frozenset({"about", "condition_language", "parameters"}),
    )
    fmt = top["format"]
    if fmt not in FORMATS or isinstance(fmt, bool) or not isinstance(fmt, int):
        raise _fail(source, f"format {fmt!r} is not supported (expected 1 or 2)")
    version = _text(top["rules_version"], f"{source}.rules_version")

    defaults: dict[str, bool] = {}
    for name, spec in _mapping(top.get("parameters", {}), f"{source}.parameters").items():
        where = f"{source}.parameters.{name}"
        if not _QUESTION_ID.match(name):
            raise _fail(where, "malformed parameter name")
        spec_obj = _object(spec, where, {"default"}, frozenset({"description"}))
        defaults[name] = _bool(spec_obj["default"], f"{where}.default")

    questions: list[Question] = []
    raw_ask_if: list[tuple[str, object, str]] = []
    for i, q_raw in enumerate(_list(top["questions"], f"{source}.questions")):
        where = f"{source}.questions[{i}]"
        question, ask_raw = _question(q_raw, where, fmt, questions)
        questions.append(question)
        if ask_raw is not None:
            raw_ask_if.append((question.id, ask_raw, f"{where}.ask_if"))
    all_ids = frozenset(q.id for q in questions)
    ask_if: dict[str, Condition] = {}
    for qid, ask_raw, where in raw_ask_if:
        # format 1: only earlier questions; format 2: any other question, never in a cycle
        if fmt == 1:
            ids = frozenset(q.id for q in questions[: [q.id for q in questions].index(qid)])
        else:
            ids = all_ids - {qid}
        ask_if[qid] = _condition(ask_raw, where, _Scope(ids, None, frozenset()))
    order = _dependency_order(questions, ask_if, source)

    rules: list[_DutyRule] = []
    for i, d_raw in enumerate(_list(top["duties"], f"{source}.duties")):
        rules.append(_duty_rule(d_raw, f"{source}.duties[{i}]", fmt, all_ids, rules, defaults))

    return RuleTable(
        version,
        tuple(questions),
        MappingProxyType(defaults),
        MappingProxyType(ask_if),
        tuple(rules),
        order,
    )


def _duty_rule(
    raw: object,
    where: str,
    fmt: int,
    question_ids: frozenset[str],
    above: list[_DutyRule],
    parameters: Mapping[str, bool],
) -> _DutyRule:
    d = _object(raw, where, set(_DUTY_KEYS), _DUTY_OPTIONAL[fmt])
    code = _text(d["code"], f"{where}.code")
    if not _DUTY_CODE.match(code) or any(r.duty.code == code for r in above):
        raise _fail(where, f"duty code {code!r} is malformed or not unique")
    scope = _Scope(question_ids, frozenset(r.duty.code for r in above), frozenset(parameters))
    overrides: list[tuple[Condition, Deadline]] = []
    for j, o_raw in enumerate(_list(d["deadline_if"], where) if "deadline_if" in d else []):
        o = _object(o_raw, f"{where}.deadline_if[{j}]", {"when", "deadline"})
        overrides.append(
            (
                _condition(o["when"], f"{where}.deadline_if[{j}].when", scope),
                _deadline(o["deadline"], f"{where}.deadline_if[{j}]"),
            )
        )
    notes: list[tuple[Condition, str]] = []
    for j, n_raw in enumerate(_list(d["notes_if"], where) if "notes_if" in d else []):
        n = _object(n_raw, f"{where}.notes_if[{j}]", {"when", "text"})
        notes.append(
            (
                _condition(n["when"], f"{where}.notes_if[{j}].when", scope),
                _names_text(n["text"], f"{where}.notes_if[{j}].text"),
            )
        )
    calendar = d.get("calendar", "safety")
    if calendar not in CALENDARS:
        raise _fail(where, f"calendar must be one of {', '.join(CALENDARS)}, not {calendar!r}")
    return _DutyRule(
        duty=Duty(
            code=code,
            deadline=_deadline(d["deadline"], where),
            overrides_consent=_bool(d["overrides_consent"], f"{where}.overrides_consent"),
            basis=_text(d["basis"], f"{where}.basis"),
            title=_names_text(d["title"], f"{where}.title"),
            instruction=_names_text(d["instruction"], f"{where}.instruction"),
            calendar=calendar,
            how=_names_text(d["how"], f"{where}.how") if "how" in d else "",
        ),
        when=_condition(d["when"], f"{where}.when", scope),
        unless=_condition(d["unless"], f"{where}.unless", scope) if "unless" in d else None,
        deadline_if=tuple(overrides),
        notes_if=tuple(notes),
    )
