"""Escalation checks and obligations (PRODUCT.md §5; DOMAIN.md "Duties").

Owns three things:

* **The decision record.** `record_check` takes the answers of the escalation wizard, runs the
  rule engine (`app.rules.escalation.evaluate`, with the setting `board_requires_minor`) and
  stores, in ONE transaction, the check (time, rule version, answers, duties, motivations),
  one obligation per duty and, for `MELDCODE` / `VEILIG_THUIS_ADVICE`, a meldcode route (the
  tracker of `app.services.meldcode`). The wizard writes nothing before that call, so a wizard
  cancelled halfway leaves nothing behind. A later check adds a new record; nothing is
  overwritten. Motivation is required for every question answered "doubt" and, when only
  `CONSENT_ONLY` applies, a general motivation ("no escalation, because ...").
  All free text (motivations, the note of a completed obligation) goes to `note`.
* **Obligations.** Each duty except `CONSENT_ONLY` becomes an obligation with a due moment
  (`due_moment`): `immediately` -> the time of the check; `same_day` -> today 17:00 (or the
  time of the check when that is later); `next_working_day` -> the next working day
  (`app.rules.calendar` with the region, school holidays on/off and study days of the
  settings) at 17:00. When the `holidays` package has no school holidays for a year the search
  needs, the day is computed without school holidays and the record says so
  (`missing_holidays_year`, `warning`). A duty that is still open on the case with a due moment
  no later than the new one is not created twice (the record lists it in `already_open`); a
  stricter new deadline does create a new obligation. `complete_obligation` marks one done
  (date, whom, how, whether the pupil was told first, a note) — once; not on a closed case.
  `open_obligations` feeds the dashboard (overdue ones flagged). `close_guard` and
  `require_close_reason` are for the case-closing command: a case with open obligations is
  closed only with a written reason.
* **Consent overrides.** `consent_overrides` lists, for the case file, the duties that set
  the pupil's consent aside and for which recipients (`OVERRIDE_RECIPIENTS`);
  `sharing_basis` / `require_sharing_basis` answer "may I share with this recipient?": a duty
  that overrides consent, or else the consent in force for that recipient (the latest
  uncorrected `consent` entry of the timeline).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, Final, Literal, TypeAlias

from app.clock import SystemClock
from app.domain.dates import from_db, moment_from_db, moment_to_db, show_date, to_db
from app.domain.errors import ValidationError
from app.domain.lists import RECIPIENTS, label
from app.domain.models import DashboardItem
from app.i18n import _
from app.rules.calendar import NoSchoolHolidaysError
from app.rules.escalation import (
    DEADLINES,
    END_OF_DAY,
    NOW_WINDOW,
    QUESTIONS,
    RULES_VERSION,
    Duty,
    EscalationRuleError,
    due_at,
    rules_for_version,
)
from app.rules.meldcode import MELDCODE_VERSION
from app.services.board_report import BOARD_CODE, check_board_whom
from app.services.check_reminders import settle_reminders
from app.services.requests import own_holidays, study_days
from app.services.rows import insert_note
from app.services.validation import check_event_date, check_short, check_text, not_found
from app.store.db import Store
from app.store.settings import Settings

__all__ = [
    "CONSENT_ONLY",
    "END_OF_DAY",
    "INFORMING_DUTIES",
    "OVERRIDE_RECIPIENTS",
    "ROUTE_DUTIES",
    "ConsentOverride",
    "EscalationRecord",
    "Obligation",
    "ObligationStatus",
    "SharingBasis",
    "case_obligations",
    "close_guard",
    "complete_obligation",
    "consent_overrides",
    "dashboard_items",
    "decisions",
    "due_moment",
    "get_obligation",
    "obligation_status",
    "open_obligations",
    "overrides_by_recipient",
    "question_texts",
    "record_check",
    "require_close_reason",
    "require_sharing_basis",
    "sharing_basis",
]

#: An obligation's state at a moment: see `Obligation.status`.
ObligationStatus: TypeAlias = Literal["done", "now", "overdue", "open"]
CONSENT_ONLY: Final = "CONSENT_ONLY"
#: Duties that start a meldcode route (the five-step tracker).
ROUTE_DUTIES: Final[tuple[str, ...]] = ("MELDCODE", "VEILIG_THUIS_ADVICE")
#: Obligations whose completion must say whom was informed and how.
INFORMING_DUTIES: Final[frozenset[str]] = frozenset(
    {
        "INFORM_PARENTS",
        "REPORT_BOARD",
        "REPORT_DIRECTOR",
        "VEILIG_THUIS_ADVICE",
        "VEILIG_THUIS_MELDING",
    }
)
#: For a duty that overrides consent: the recipients it lets the VP inform without the pupil's
#: consent. `ouders` is a recipient id of `app.domain.lists.RECIPIENTS`; the others are not on
#: that list (no consent is ever asked for them) and are labelled by `recipient_label`.
#: ACT_NOW: emergency services (112, 113); MELDCODE and a melding: Veilig Thuis (protocol 1b,
#: 5d); REPORT_BOARD: the director and the school board (5d, 5e); REPORT_DIRECTOR: the
#: director (5e); INFORM_PARENTS: the parents with authority (3b). A duty of a future rule
#: table that overrides consent but is not listed here is shown with no recipients: its
#: instruction says whom.
OVERRIDE_RECIPIENTS: Final[Mapping[str, tuple[str, ...]]] = {
    "ACT_NOW": ("hulpdiensten",),
    "MELDCODE": ("veilig_thuis",),
    "REPORT_BOARD": ("directie", "bevoegd_gezag"),
    "REPORT_DIRECTOR": ("directie",),
    "INFORM_PARENTS": ("ouders",),
    "VEILIG_THUIS_MELDING": ("veilig_thuis",),
}

_QUESTION_TEXT: Final[Mapping[str, str]] = {q.id: q.text for q in QUESTIONS}
_QUESTION_ORDER: Final[Mapping[str, int]] = {q.id: i for i, q in enumerate(QUESTIONS)}


# --- records --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Obligation:
    """Something the VP must do by `due_at`: a duty of a check, or a meldcode follow-up.

    `source` is `duty`, `meldcode_term` (answer afweging question 5 after the agreed term) or
    `meldcode_melding` (melden bij Veilig Thuis). `title`, `basis` and `instruction` are the
    (Dutch) rule text as it was when the obligation arose. `status` is relative to the moment
    the list was read for: `done`; `now` (an `immediately` duty within two hours of its due
    moment: "nu", not late yet); `overdue` ("te laat", then `overdue` is True); else `open`."""

    id: int
    case_id: int
    source: str
    duty_code: str
    title: str
    basis: str
    instruction: str
    deadline: str
    overrides_consent: bool
    due_at: datetime
    created_at: datetime
    escalation_id: int | None
    route_id: int | None
    afweging_id: int | None
    done_on: date | None
    informed_whom: str
    informed_how: str
    pupil_told_first: bool | None
    note: str
    case_closed: bool
    overdue: bool
    status: ObligationStatus = "open"

    @property
    def done(self) -> bool:
        return self.done_on is not None

    @property
    def is_now(self) -> bool:
        """Due "now": an immediate duty within two hours of its moment (shown as "nu", orange,
        not as "te laat")."""
        return self.status == "now"


@dataclass(frozen=True)
class EscalationRecord:
    """One recorded escalation check, as stored (and, from `record_check`, as just made).

    `answers` are the answers as given (an unanswered question counted as "no");
    `motivations` the per-question motivations; `duties` the codes that applied, in rule
    order (`CONSENT_ONLY` when none did); `obligations` the obligations this check created;
    `already_open` the duties not created again because the case had them open already;
    `route_ids` the meldcode routes this check started. `missing_holidays_year` and `warning`
    are only set on the result of `record_check`."""

    id: int
    case_id: int
    decided_at: datetime
    rules_version: str
    answers: Mapping[str, str]
    motivations: Mapping[str, str]
    general_motivation: str
    duties: tuple[str, ...]
    board_requires_minor: bool
    obligations: tuple[Obligation, ...]
    already_open: tuple[str, ...]
    route_ids: tuple[int, ...]
    missing_holidays_year: int | None = None
    warning: str = ""

    @property
    def escalates(self) -> bool:
        return self.duties != (CONSENT_ONLY,)


@dataclass(frozen=True)
class ConsentOverride:
    """A duty on the case that sets the pupil's consent aside, for the case file's consent
    panel: which duty, for which recipients, on what basis, and whether it was done."""

    obligation_id: int
    duty_code: str
    title: str
    basis: str
    recipients: tuple[str, ...]
    arisen_at: datetime
    done_on: date | None


@dataclass(frozen=True)
class SharingBasis:
    """Why sharing with `recipient` is allowed: `duties` (codes that override consent) and/or
    `consent_entry_id` (the consent in force). `allowed` is False when neither exists or the
    consent in force was withdrawn."""

    recipient: str
    duties: tuple[str, ...]
    consent_entry_id: int | None
    consent_given: bool | None

    @property
    def allowed(self) -> bool:
        return bool(self.duties) or self.consent_given is True


# --- due moments ----------------------------------------------------------------------------


def _due(duty: Duty, now: datetime, settings: Settings) -> tuple[datetime, int | None]:
    """The due moment (`app.rules.escalation.due_at` with the settings' region, school-holiday
    switch and study days) and, when the school calendar needed school holidays the program
    does not know, the year that was missing (the day is then found without them)."""
    closed = study_days(settings)
    try:
        return (
            due_at(
                duty,
                now,
                region=settings.region,
                extra_closed=closed,
                school_holidays=settings.school_holidays,
            ),
            None,
        )
    except NoSchoolHolidaysError as error:
        own = own_holidays(settings)
        due = due_at(duty, now, region=settings.region, extra_closed=closed | own,
                     school_holidays=False)
        return due, None if any(day.year == error.year for day in own) else error.year


def due_moment(duty: Duty | str, now: datetime, settings: Settings) -> datetime:
    """When `duty` is due for a check made at `now` (see `app.rules.escalation.due_at`).

    A bare deadline word is taken as a duty on the safety calendar. Raises ValueError for the
    deadline `none` (CONSENT_ONLY) or an unknown deadline."""
    if isinstance(duty, str):
        if duty not in DEADLINES:
            raise ValueError(f"deadline {duty!r} has no due moment")
        duty = Duty(duty, duty, False, "", "", "")
    return _due(duty, now, settings)[0]


def _holidays_warning(year: int) -> str:
    return _(
        "The school holidays of {year} are not known to the program. Enter them in the "
        "settings; until then the deadline skips only weekends, public holidays and study "
        "days."
    ).format(year=year)


# --- reading ----------------------------------------------------------------------------------

_OBLIGATION_SELECT: Final = (
    "SELECT o.id, o.case_id, o.source, o.duty_code, o.title, o.basis, o.instruction, "
    "o.deadline, o.overrides_consent, o.due_at, o.created_at, o.escalation_id, o.route_id, "
    "o.afweging_id, o.done_on, o.informed_whom, o.informed_how, o.pupil_told_first, "
    "coalesce(n.body, ''), c.closed_on "
    "FROM obligation o JOIN case_file c ON c.id = o.case_id "
    "LEFT JOIN note n ON n.id = o.note_id"
)


def _reference(at: date | datetime | None) -> date | datetime:
    return SystemClock().now() if at is None else at


def obligation_status(
    deadline: str, due_at: datetime, done: bool, at: date | datetime
) -> ObligationStatus:
    """`done`, `now`, `overdue` or `open` at the moment (datetime) or on the day (date) `at`.

    An `immediately` duty is "now" from its due moment until two hours later (`NOW_WINDOW`),
    and only "te laat" after that; read by day, it is "now" on its own day."""
    if done:
        return "done"
    if isinstance(at, datetime):
        moment = at.replace(tzinfo=None)
        if deadline == "immediately" and moment < due_at + NOW_WINDOW:
            return "now"
        return "overdue" if due_at < moment else "open"
    if deadline == "immediately" and due_at.date() == at:
        return "now"
    return "overdue" if due_at.date() < at else "open"


def _obligation(row: Any, at: date | datetime) -> Obligation:
    due_at = moment_from_db(row[9])
    created_at = moment_from_db(row[10])
    assert due_at is not None and created_at is not None
    done_on = from_db(row[14])
    status = obligation_status(row[7], due_at, done_on is not None, at)
    return Obligation(
        id=int(row[0]),
        case_id=int(row[1]),
        source=row[2],
        duty_code=row[3],
        title=row[4],
        basis=row[5],
        instruction=row[6],
        deadline=row[7],
        overrides_consent=bool(row[8]),
        due_at=due_at,
        created_at=created_at,
        escalation_id=row[11],
        route_id=row[12],
        afweging_id=row[13],
        done_on=done_on,
        informed_whom=row[15] or "",
        informed_how=row[16] or "",
        pupil_told_first=None if row[17] is None else bool(row[17]),
        note=row[18],
        case_closed=row[19] is not None,
        overdue=status == "overdue",
        status=status,
    )


def get_obligation(
    store: Store, obligation_id: int, at: date | datetime | None = None
) -> Obligation:
    rows = store.query(_OBLIGATION_SELECT + " WHERE o.id = ?", (obligation_id,))
    if not rows:
        raise not_found()
    return _obligation(rows[0], _reference(at))


def case_obligations(
    store: Store, case_id: int, at: date | datetime | None = None
) -> list[Obligation]:
    """Every obligation of a case, done ones included, by due moment."""
    ref = _reference(at)
    rows = store.query(
        _OBLIGATION_SELECT + " WHERE o.case_id = ? ORDER BY o.due_at, o.id", (case_id,)
    )
    return [_obligation(r, ref) for r in rows]


def open_obligations(
    store: Store, today: date | datetime | None = None, case_id: int | None = None
) -> list[Obligation]:
    """Obligations not done yet, by due moment, with `overdue` set.

    `today`: a datetime compares moments (an "immediately" duty is "now" for two hours, then
    overdue), a date compares days; None means now. Without `case_id` (the dashboard) only
    obligations of open cases are listed: a case closed with a written reason no longer nags.
    With `case_id` every open obligation of that case is listed."""
    ref = _reference(today)
    if case_id is None:
        rows = store.query(
            _OBLIGATION_SELECT + " WHERE o.done_on IS NULL AND c.closed_on IS NULL "
            "ORDER BY o.due_at, o.id"
        )
    else:
        rows = store.query(
            _OBLIGATION_SELECT + " WHERE o.done_on IS NULL AND o.case_id = ? "
            "ORDER BY o.due_at, o.id",
            (case_id,),
        )
    return [_obligation(r, ref) for r in rows]


def dashboard_items(
    store: Store, today: date | datetime | None = None
) -> tuple[DashboardItem, ...]:
    """The open obligations as dashboard lines (`kind` `obligation`, overdue ones flagged)."""
    return tuple(
        DashboardItem(
            kind="obligation",
            ref_id=o.id,
            case_id=o.case_id,
            title=o.title,
            due=o.due_at.date(),
            overdue=o.overdue,
            detail=o.duty_code,
        )
        for o in open_obligations(store, today)
    )


def _notes(store: Store, ids: Sequence[int]) -> dict[int, str]:
    if not ids:
        return {}
    marks = ", ".join("?" for _id in ids)
    rows = store.query(f"SELECT id, body FROM note WHERE id IN ({marks})", tuple(ids))
    return {int(r[0]): str(r[1]) for r in rows}


def _records(store: Store, where: str, params: tuple[Any, ...]) -> list[EscalationRecord]:
    rows = store.query(
        "SELECT id, case_id, decided_at, rules_version, answers, duties, board_requires_minor, "
        "motivation_note_id, question_motivations FROM escalation "
        f"WHERE {where} ORDER BY decided_at, id",
        params,
    )
    records: list[EscalationRecord] = []
    for row in rows:
        motivation_ids: dict[str, int] = {str(k): int(v) for k, v in json.loads(row[8]).items()}
        general_id = row[7]
        texts = _notes(
            store, [*motivation_ids.values(), *([int(general_id)] if general_id else [])]
        )
        duties = tuple(str(c) for c in json.loads(row[5]))
        obligations = tuple(
            _obligation(r, SystemClock().now())
            for r in store.query(
                _OBLIGATION_SELECT + " WHERE o.escalation_id = ? ORDER BY o.id", (row[0],)
            )
        )
        created = {o.duty_code for o in obligations}
        route_ids = tuple(
            int(r[0])
            for r in store.query(
                "SELECT id FROM meldcode_route WHERE escalation_id = ? ORDER BY id", (row[0],)
            )
        )
        decided_at = moment_from_db(row[2])
        assert decided_at is not None
        records.append(
            EscalationRecord(
                id=int(row[0]),
                case_id=int(row[1]),
                decided_at=decided_at,
                rules_version=row[3],
                answers={str(k): str(v) for k, v in json.loads(row[4]).items()},
                motivations={
                    qid: texts.get(note_id, "") for qid, note_id in motivation_ids.items()
                },
                general_motivation=texts.get(int(general_id), "") if general_id else "",
                duties=duties,
                board_requires_minor=bool(row[6]),
                obligations=obligations,
                already_open=tuple(c for c in duties if c != CONSENT_ONLY and c not in created),
                route_ids=route_ids,
            )
        )
    return records


def question_texts(rules_version: str) -> dict[str, str]:
    """Question id -> the Dutch question as the given rules version asked it (a stored
    decision reads back with its own version's texts; an unknown version gets the current
    texts)."""
    try:
        table = rules_for_version(rules_version)
    except EscalationRuleError:
        table = rules_for_version(RULES_VERSION)
    return {q.id: q.text for q in table.questions}


def decisions(store: Store, case_id: int) -> list[EscalationRecord]:
    """Every escalation check of a case, oldest first."""
    return _records(store, "case_id = ?", (case_id,))


# --- writing --------------------------------------------------------------------------------


def closed_case_message() -> str:
    return _("This case is closed; its obligations can no longer be changed.")


def case_state(conn: Any, case_id: int) -> tuple[date, date | None]:
    """(opened_on, closed_on) of a case inside a transaction; NotFoundError when missing."""
    row = conn.execute(
        "SELECT opened_on, closed_on FROM case_file WHERE id = ?", (case_id,)
    ).fetchone()
    if row is None:
        raise not_found()
    opened = from_db(row[0])
    assert opened is not None
    return opened, from_db(row[1])


def insert_obligation(
    conn: Any,
    *,
    case_id: int,
    source: str,
    duty_code: str,
    title: str,
    basis: str,
    instruction: str,
    deadline: str,
    overrides_consent: bool,
    due_at: datetime,
    created_at: datetime,
    escalation_id: int | None = None,
    route_id: int | None = None,
    afweging_id: int | None = None,
) -> int:
    """Insert one obligation inside the caller's transaction (also used by the meldcode
    tracker); returns its id."""
    cursor = conn.execute(
        "INSERT INTO obligation(case_id, escalation_id, route_id, afweging_id, source, "
        "duty_code, title, basis, instruction, deadline, overrides_consent, due_at, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            case_id,
            escalation_id,
            route_id,
            afweging_id,
            source,
            duty_code,
            title,
            basis,
            instruction,
            deadline,
            int(overrides_consent),
            moment_to_db(due_at),
            moment_to_db(created_at),
        ),
    )
    return int(cursor.lastrowid)


def _check_answers(
    answers: Mapping[str, str], settings: Settings, version: str = RULES_VERSION
) -> list[Duty]:
    try:
        return rules_for_version(version).evaluate(
            answers, {"board_requires_minor": settings.board_requires_minor}, settings.rule_names()
        )
    except EscalationRuleError:
        raise ValidationError(
            _(
                "The check contains a question or an answer the program does not know. "
                "Start the check again; nothing has been saved."
            )
        ) from None


def _check_motivations(
    answers: Mapping[str, str], motivations: Mapping[str, str]
) -> dict[str, str]:
    """The non-blank motivations, in question order; ValidationError for a doubt without one."""
    kept: dict[str, str] = {}
    for qid, text in motivations.items():
        if qid not in _QUESTION_TEXT:
            raise ValidationError(
                _(
                    "The check contains a question or an answer the program does not know. "
                    "Start the check again; nothing has been saved."
                )
            )
        check_text(text, qid)
        if text.strip():
            kept[qid] = text
    for question in QUESTIONS:
        if answers.get(question.id) == "doubt" and question.id not in kept:
            raise ValidationError(
                _(
                    "You answered “not sure” to the question “{question}” Write down why you "
                    "are not sure."
                ).format(question=question.text),
                question.id,
            )
    return dict(sorted(kept.items(), key=lambda item: _QUESTION_ORDER[item[0]]))


def record_check(
    store: Store,
    case_id: int,
    answers: Mapping[str, str],
    motivations: Mapping[str, str],
    general_motivation: str,
    *,
    now: datetime,
    settings: Settings,
    rules_version: str = RULES_VERSION,
) -> EscalationRecord:
    """Record an escalation check on an open case; one transaction (see the module doc).

    `rules_version` is for the demo and tests only: a decision as an older rules version made
    it (the program itself always checks under the current version)."""
    duties = _check_answers(answers, settings, rules_version)
    kept = _check_motivations(answers, motivations)
    check_text(general_motivation, "general_motivation")
    codes = tuple(d.code for d in duties)
    if codes == (CONSENT_ONLY,) and not general_motivation.strip():
        raise ValidationError(
            _(
                "No duty applies, so what the pupil told stays confidential. Write down why "
                "there is no escalation (“no escalation, because …”)."
            ),
            "general_motivation",
        )
    now = now.replace(microsecond=0, tzinfo=None)
    stamp = moment_to_db(now)
    ordered_answers = dict(sorted(answers.items(), key=lambda item: _QUESTION_ORDER[item[0]]))
    missing_year: int | None = None
    with store.transaction() as conn:
        _opened, closed_on = case_state(conn, case_id)
        if closed_on is not None:
            raise ValidationError(
                _("This case is closed; an escalation check can only be recorded on an open case.")
            )
        motivation_ids = {qid: insert_note(conn, text, case_id) for qid, text in kept.items()}
        general_id = (
            insert_note(conn, general_motivation, case_id) if general_motivation.strip() else None
        )
        escalation_id = int(
            conn.execute(
                "INSERT INTO escalation(case_id, decided_at, rules_version, answers, duties, "
                "board_requires_minor, motivation_note_id, question_motivations) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    case_id,
                    stamp,
                    rules_version,
                    json.dumps(ordered_answers, ensure_ascii=False),
                    json.dumps(list(codes)),
                    int(settings.board_requires_minor),
                    general_id,
                    json.dumps(motivation_ids),
                ),
            ).lastrowid
        )
        settle_reminders(conn, case_id, escalation_id, now)
        for duty in duties:
            if duty.code == CONSENT_ONLY or duty.deadline == "none":
                continue
            due, missing = _due(duty, now, settings)
            missing_year = missing_year or missing
            route_id = (
                _ensure_route(conn, case_id, escalation_id, duty.code, now)
                if duty.code in ROUTE_DUTIES
                else None
            )
            existing = conn.execute(
                "SELECT 1 FROM obligation WHERE case_id = ? AND duty_code = ? "
                "AND done_on IS NULL AND due_at <= ? LIMIT 1",
                (case_id, duty.code, moment_to_db(due)),
            ).fetchone()
            if existing is not None:
                continue
            insert_obligation(
                conn,
                case_id=case_id,
                source="duty",
                duty_code=duty.code,
                title=duty.title,
                basis=duty.basis,
                instruction=duty.instruction,
                deadline=duty.deadline,
                overrides_consent=duty.overrides_consent,
                due_at=due,
                created_at=now,
                escalation_id=escalation_id,
                route_id=route_id,
            )
    (record,) = _records(store, "id = ?", (escalation_id,))
    if missing_year is None:
        return record
    return _with_warning(record, missing_year)


def _with_warning(record: EscalationRecord, year: int) -> EscalationRecord:
    return replace(record, missing_holidays_year=year, warning=_holidays_warning(year))


def _ensure_route(conn: Any, case_id: int, escalation_id: int, kind: str, now: datetime) -> int:
    """The open meldcode route of this kind on the case, or a new one."""
    row = conn.execute(
        "SELECT id FROM meldcode_route WHERE case_id = ? AND kind = ? AND closed_on IS NULL "
        "ORDER BY id LIMIT 1",
        (case_id, kind),
    ).fetchone()
    if row is not None:
        return int(row[0])
    return int(
        conn.execute(
            "INSERT INTO meldcode_route(case_id, escalation_id, kind, started_on, rules_version) "
            "VALUES (?, ?, ?, ?, ?)",
            (case_id, escalation_id, kind, to_db(now.date()), MELDCODE_VERSION),
        ).lastrowid
    )


def complete_obligation(
    store: Store,
    obligation_id: int,
    *,
    done_on: date | None,
    informed_whom: str,
    informed_how: str,
    pupil_told_first: bool,
    note: str,
    today: date,
) -> Obligation:
    """Mark an obligation done, once; one transaction.

    Refused: no date, a date in the future or before the check the duty arose from, an
    obligation already done, a closed case, for duties that inform someone
    (`INFORMING_DUTIES`) an empty whom or how, and for `REPORT_BOARD` a "whom" that is not a
    member of the school board (`app.services.board_report`)."""
    if done_on is None:
        raise ValidationError(_("Fill in the date on which you did this."), "done_on")
    day = check_event_date(done_on, today, "done_on")
    check_short(informed_whom, "informed_whom")
    check_short(informed_how, "informed_how")
    check_text(note, "note")
    if not isinstance(pupil_told_first, bool):
        raise TypeError("pupil_told_first must be a bool")
    with store.transaction() as conn:
        row = conn.execute(
            "SELECT o.case_id, o.duty_code, o.done_on, c.closed_on, o.created_at "
            "FROM obligation o JOIN case_file c ON c.id = o.case_id WHERE o.id = ?",
            (obligation_id,),
        ).fetchone()
        if row is None:
            raise not_found()
        case_id, code, already, closed_on = int(row[0]), str(row[1]), from_db(row[2]), row[3]
        if closed_on is not None:
            raise ValidationError(closed_case_message())
        if already is not None:
            raise ValidationError(
                _("This obligation was already marked done on {date}.").format(
                    date=show_date(already)
                )
            )
        arisen = moment_from_db(row[4])
        if arisen is not None and day < arisen.date():
            raise ValidationError(
                _(
                    "This duty arose from the check of {date}; it cannot have been done "
                    "before that. Fill in the date on which you did it."
                ).format(date=show_date(arisen.date())),
                "done_on",
            )
        if code == BOARD_CODE:
            check_board_whom(informed_whom)
        if code in INFORMING_DUTIES:
            if not informed_whom.strip():
                raise ValidationError(_("Fill in whom you informed."), "informed_whom")
            if not informed_how.strip():
                raise ValidationError(
                    _("Fill in how you informed them (for example by phone or in a meeting)."),
                    "informed_how",
                )
        note_id = insert_note(conn, note, case_id) if note.strip() else None
        conn.execute(
            "UPDATE obligation SET done_on = ?, informed_whom = ?, informed_how = ?, "
            "pupil_told_first = ?, note_id = ? WHERE id = ? AND done_on IS NULL",
            (
                to_db(day),
                informed_whom,
                informed_how,
                int(pupil_told_first),
                note_id,
                obligation_id,
            ),
        )
    return get_obligation(store, obligation_id, today)


# --- closing a case ---------------------------------------------------------------------------


def close_guard(store: Store, case_id: int) -> list[Obligation]:
    """The open obligations that stand in the way of closing the case (empty: none)."""
    return open_obligations(store, case_id=case_id)


def require_close_reason(open_obligations: Sequence[Obligation], reason_text: str) -> None:
    """ValidationError when there are open obligations and no written reason to close anyway.

    The case-closing command calls this with `close_guard(...)` and the text the VP wrote;
    it keeps that text (e.g. as the closing note)."""
    if open_obligations and not reason_text.strip():
        titles = "; ".join(o.title for o in open_obligations)
        raise ValidationError(
            _(
                "This case still has {count} open obligation(s): {titles}. Write down why you "
                "close the case anyway."
            ).format(count=len(open_obligations), titles=titles),
            "reason_text",
        )


# --- consent --------------------------------------------------------------------------------


def consent_overrides(store: Store, case_id: int) -> list[ConsentOverride]:
    """The obligations of the case that set the pupil's consent aside, oldest first (done ones
    included: the case file shows why information was shared without consent)."""
    result: list[ConsentOverride] = []
    for o in case_obligations(store, case_id):
        if not o.overrides_consent:
            continue
        result.append(
            ConsentOverride(
                obligation_id=o.id,
                duty_code=o.duty_code,
                title=o.title,
                basis=o.basis,
                recipients=OVERRIDE_RECIPIENTS.get(o.duty_code, ()),
                arisen_at=o.created_at,
                done_on=o.done_on,
            )
        )
    result.sort(key=lambda c: (c.arisen_at, c.obligation_id))
    return result


def overrides_by_recipient(store: Store, case_id: int) -> dict[str, list[str]]:
    """Recipient -> the duty codes on the case that override consent for that recipient."""
    found: dict[str, list[str]] = {}
    for override in consent_overrides(store, case_id):
        for recipient in override.recipients:
            codes = found.setdefault(recipient, [])
            if override.duty_code not in codes:
                codes.append(override.duty_code)
    return found


def recipient_label(recipient: str) -> str:
    """A label for the extra recipients of `OVERRIDE_RECIPIENTS` (others: `lists.label`)."""
    labels = {
        "hulpdiensten": _("Emergency services (112, 113)"),
        "veilig_thuis": _("Veilig Thuis"),
        "directie": _("The director"),
        "bevoegd_gezag": _("The school board"),
    }
    if recipient in labels:
        return labels[recipient]
    return label(RECIPIENTS, recipient)


def sharing_basis(store: Store, case_id: int, recipient: str) -> SharingBasis:
    """May the VP share with `recipient`? A duty that overrides consent for that recipient, or
    else the consent in force (the latest uncorrected `consent` entry for the recipient)."""
    duties = tuple(overrides_by_recipient(store, case_id).get(recipient, ()))
    rows = store.query(
        "SELECT e.id, e.consent FROM entry e WHERE e.case_id = ? AND e.kind = 'consent' "
        "AND e.recipient = ? AND NOT EXISTS (SELECT 1 FROM entry s WHERE s.supersedes = e.id) "
        "ORDER BY e.on_date DESC, e.id DESC LIMIT 1",
        (case_id, recipient),
    )
    entry_id = int(rows[0][0]) if rows else None
    given = None if not rows or rows[0][1] is None else bool(rows[0][1])
    return SharingBasis(recipient, duties, entry_id, given)


def require_sharing_basis(store: Store, case_id: int, recipient: str) -> SharingBasis:
    """`sharing_basis`, or ValidationError when there is neither a duty nor consent."""
    basis = sharing_basis(store, case_id, recipient)
    if not basis.allowed:
        raise ValidationError(
            _(
                "No consent of the pupil is recorded for sharing with {recipient}, and no duty "
                "sets consent aside. Record the pupil's consent first."
            ).format(recipient=recipient_label(recipient)),
            "recipient",
        )
    return basis
