"""The meldcode tracker: the five steps and the afwegingskader of a meldcode route.

A route is started by an escalation check with the duty `MELDCODE` or `VEILIG_THUIS_ADVICE`
(`app.services.escalation.record_check`); this module records what happens on it.

* **Steps** (`record_step`): each of the five steps (`app.rules.meldcode.STEPS`) gets a date
  and a note, ONCE. Decision: the tracker is add-only — a second record of the same step is
  refused with a Dutch message that says to add a note to the case timeline instead (the
  entries service keeps corrections there as new entries). Steps may be recorded in any
  order (consulting Veilig Thuis can come before the conversation); a date may not lie in the
  future. Not on a closed route or a closed case.
* **Step details (2026.2, DOMAIN.md "Meldcode").** Step 2 names with whom it was held
  (`consulted`: at least the aandachtsfunctionaris or the ondersteuningscoördinator, perhaps
  Veilig Thuis and a deskundige letselduiding). Step 3 says whether the parents took part
  (`with_parents`); that is refused while `parents_unsafe_reasons` gives a reason: a check on
  the case said a parent or family member may be the perpetrator, or the route concerns
  honour-related violence, genital mutilation or forced marriage (`record_forms`).
* **Afweging** (`record_afweging`): a walk through the afwegingskader with
  `app.rules.meldcode.next_afweging`. Every answered question on the walk needs a motivation;
  answers off the walk (a question answered and then made irrelevant by changing an earlier
  answer) are not kept. The walk must end in an outcome: a pending question is refused.
  Each walk is a new `afweging` row (add-only); the route keeps its latest `outcome`.
  Effects of the outcome:
  - `start_help`: the end date of the agreed term (`term_until`) is required (after today)
    and becomes an obligation (`source` `meldcode_term`, code `MELDCODE_TERM`, due on that
    day at 17:00): answer question 5 then. The next afweging on the route continues from
    this one: answers and motivations of the earlier walk are taken over unless given anew,
    so the follow-up only needs question 5.
  - `melden` / `opnieuw_melden`: an obligation `VEILIG_THUIS_MELDING` (`source`
    `meldcode_melding`, due the same day, overrides consent; by phone when acute).
    `acute=True` (acute unsafety): by phone, at once — the obligation is due immediately.
  - `close` / `close_with_monitoring`: the route is closed that day.
  After a melding, `with_veilig_thuis=True` answers questions 3-5 together with Veilig Thuis
  (can the school keep helping?): no new melding obligation for `melden` (Veilig Thuis has
  it), a term for `start_help`. `record_vt_decision` keeps what Veilig Thuis decided.
  Recording any afweging marks an open `MELDCODE_TERM` obligation of the route done that day
  (the follow-up it asked for has been given).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Final

from app.clock import SystemClock
from app.domain.dates import from_db, moment_from_db, moment_to_db, show_date, to_db
from app.domain.errors import ValidationError
from app.i18n import _
from app.rules.escalation import Deadline, Duty, due_at
from app.rules.meldcode import (
    AFWEGING_QUESTIONS,
    MELDCODE_VERSION,
    STEPS,
    AfwegingOutcome,
    MeldcodeRuleError,
    load_meldcode,
    next_afweging,
)
from app.services.escalation import END_OF_DAY, case_state, insert_obligation
from app.services.rows import insert_note
from app.services.validation import check_event_date, check_text, not_found
from app.store.db import Store

__all__ = [
    "CLOSING_OUTCOMES",
    "MAX_TERM_DAYS",
    "MELDING_CODE",
    "MELDING_OUTCOMES",
    "TERM_CODE",
    "Afweging",
    "MeldcodeRoute",
    "RouteStep",
    "VeiligThuisDecision",
    "open_routes",
    "parents_unsafe_reasons",
    "record_afweging",
    "record_forms",
    "record_step",
    "record_vt_decision",
    "route",
    "routes_for_case",
]

TERM_CODE: Final = "MELDCODE_TERM"
MELDING_CODE: Final = "VEILIG_THUIS_MELDING"
CLOSING_OUTCOMES: Final = ("close", "close_with_monitoring")
MELDING_OUTCOMES: Final = ("melden", "opnieuw_melden")
#: The longest help term the program accepts (a year and a day): a longer one is a typo.
MAX_TERM_DAYS: Final = 366
_MELDING_BASIS: Final = "Wet verplichte meldcode; meldcode stap 5"


@dataclass(frozen=True)
class RouteStep:
    """A recorded step of the tracker (steps not recorded yet are absent)."""

    step: int
    title: str
    on_date: date
    recorded_at: datetime
    note: str
    consulted: tuple[str, ...] = ()  # step 2: ids of the meldcode table's consult_partners
    with_parents: bool | None = None  # step 3: did the parents take part (None: not said)


@dataclass(frozen=True)
class Afweging:
    """One walk through the afwegingskader: answers and motivations by question number."""

    id: int
    route_id: int
    decided_at: datetime
    rules_version: str
    answers: Mapping[int, str]
    motivations: Mapping[int, str]
    outcome: str
    term_until: date | None
    acute: bool = False  # an acute melding: by phone, at once
    with_veilig_thuis: bool = False  # questions 3-5 answered with Veilig Thuis after a melding


@dataclass(frozen=True)
class VeiligThuisDecision:
    """What Veilig Thuis decided after a melding (`decision`: an id of the meldcode table's
    `veilig_thuis_decisions`)."""

    id: int
    route_id: int
    decided_on: date
    decision: str
    label: str  # Dutch
    recorded_at: datetime
    note: str


@dataclass(frozen=True)
class MeldcodeRoute:
    """A meldcode route of a case (`kind` `MELDCODE` or `VEILIG_THUIS_ADVICE`)."""

    id: int
    case_id: int
    escalation_id: int | None
    kind: str
    started_on: date
    rules_version: str
    outcome: str | None
    closed_on: date | None
    steps: tuple[RouteStep, ...]
    afwegingen: tuple[Afweging, ...]
    forms: tuple[str, ...] = ()  # honour-related violence, genital mutilation, forced marriage
    vt_decisions: tuple[VeiligThuisDecision, ...] = ()

    @property
    def closed(self) -> bool:
        return self.closed_on is not None

    @property
    def melded(self) -> bool:
        """A melding was decided on this route (so Veilig Thuis' decision can be recorded)."""
        return any(a.outcome in MELDING_OUTCOMES for a in self.afwegingen)

    @property
    def next_step(self) -> int | None:
        """The first of the five steps not recorded yet (None: all recorded)."""
        done = {s.step for s in self.steps}
        return next((s.number for s in STEPS if s.number not in done), None)

    @property
    def term_until(self) -> date | None:
        """The end of the agreed help term while the latest outcome is `start_help`."""
        if self.afwegingen and self.afwegingen[-1].outcome == "start_help":
            return self.afwegingen[-1].term_until
        return None


# --- reading ----------------------------------------------------------------------------------

_ROUTE_SELECT: Final = (
    "SELECT id, case_id, escalation_id, kind, started_on, rules_version, outcome, closed_on, "
    "forms FROM meldcode_route"
)


def _note_texts(store: Store, ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    marks = ", ".join("?" for _id in ids)
    rows = store.query(f"SELECT id, body FROM note WHERE id IN ({marks})", tuple(ids))
    return {int(r[0]): str(r[1]) for r in rows}


def _afwegingen(store: Store, route_id: int) -> tuple[Afweging, ...]:
    rows = store.query(
        "SELECT id, decided_at, rules_version, answers, motivations, outcome, term_until, "
        "acute, with_veilig_thuis FROM afweging WHERE route_id = ? ORDER BY decided_at, id",
        (route_id,),
    )
    result: list[Afweging] = []
    for row in rows:
        note_ids = {int(k): int(v) for k, v in json.loads(row[4]).items()}
        texts = _note_texts(store, list(note_ids.values()))
        decided = moment_from_db(row[1])
        assert decided is not None
        result.append(
            Afweging(
                id=int(row[0]),
                route_id=route_id,
                decided_at=decided,
                rules_version=row[2],
                answers={int(k): str(v) for k, v in json.loads(row[3]).items()},
                motivations={n: texts.get(i, "") for n, i in note_ids.items()},
                outcome=row[5],
                term_until=from_db(row[6]),
                acute=bool(row[7]),
                with_veilig_thuis=bool(row[8]),
            )
        )
    return tuple(result)


def _vt_decisions(store: Store, route_id: int) -> tuple[VeiligThuisDecision, ...]:
    labels = load_meldcode().veilig_thuis_decisions
    rows = store.query(
        "SELECT d.id, d.decided_on, d.decision, d.recorded_at, coalesce(n.body, '') "
        "FROM veilig_thuis_decision d LEFT JOIN note n ON n.id = d.note_id "
        "WHERE d.route_id = ? ORDER BY d.decided_on, d.id",
        (route_id,),
    )
    return tuple(
        VeiligThuisDecision(
            id=int(r[0]),
            route_id=route_id,
            decided_on=from_db(r[1]) or date.min,
            decision=r[2],
            label=labels.get(r[2], r[2]),
            recorded_at=moment_from_db(r[3]) or datetime.min,
            note=r[4],
        )
        for r in rows
    )


def _route(store: Store, row: Any) -> MeldcodeRoute:
    route_id = int(row[0])
    titles = {s.number: s.title for s in STEPS}
    steps = tuple(
        RouteStep(
            step=int(r[0]),
            title=titles.get(int(r[0]), ""),
            on_date=from_db(r[1]) or date.min,
            recorded_at=moment_from_db(r[2]) or datetime.min,
            note=r[3],
            consulted=tuple(str(c) for c in json.loads(r[4] or "[]")),
            with_parents=None if r[5] is None else bool(r[5]),
        )
        for r in store.query(
            "SELECT s.step, s.on_date, s.recorded_at, coalesce(n.body, ''), s.consulted, "
            "s.with_parents FROM meldcode_step s "
            "LEFT JOIN note n ON n.id = s.note_id WHERE s.route_id = ? ORDER BY s.step",
            (route_id,),
        )
    )
    started = from_db(row[4])
    assert started is not None
    return MeldcodeRoute(
        id=route_id,
        case_id=int(row[1]),
        escalation_id=row[2],
        kind=row[3],
        started_on=started,
        rules_version=row[5],
        outcome=row[6],
        closed_on=from_db(row[7]),
        steps=steps,
        afwegingen=_afwegingen(store, route_id),
        forms=tuple(str(f) for f in json.loads(row[8] or "[]")),
        vt_decisions=_vt_decisions(store, route_id),
    )


def route(store: Store, route_id: int) -> MeldcodeRoute:
    rows = store.query(_ROUTE_SELECT + " WHERE id = ?", (route_id,))
    if not rows:
        raise not_found()
    return _route(store, rows[0])


def routes_for_case(store: Store, case_id: int) -> list[MeldcodeRoute]:
    """The meldcode routes of a case, oldest first."""
    rows = store.query(_ROUTE_SELECT + " WHERE case_id = ? ORDER BY id", (case_id,))
    return [_route(store, r) for r in rows]


def open_routes(store: Store) -> list[MeldcodeRoute]:
    """Routes not closed, on cases not closed (for the dashboard), oldest first."""
    rows = store.query(
        "SELECT r.id, r.case_id, r.escalation_id, r.kind, r.started_on, r.rules_version, "
        "r.outcome, r.closed_on, r.forms FROM meldcode_route r "
        "JOIN case_file c ON c.id = r.case_id "
        "WHERE r.closed_on IS NULL AND c.closed_on IS NULL ORDER BY r.started_on, r.id"
    )
    return [_route(store, r) for r in rows]


# --- writing --------------------------------------------------------------------------------


def _open_route(conn: Any, route_id: int) -> tuple[int, date]:
    """(case id, start date) of a route that may still be changed, or ValidationError."""
    row = conn.execute(
        "SELECT case_id, started_on, closed_on FROM meldcode_route WHERE id = ?", (route_id,)
    ).fetchone()
    if row is None:
        raise not_found()
    case_id = int(row[0])
    _opened, case_closed = case_state(conn, case_id)
    if case_closed is not None:
        raise ValidationError(
            _("This case is closed; the meldcode route can no longer be changed.")
        )
    if row[2] is not None:
        raise ValidationError(
            _(
                "This meldcode route was closed on {date}. If new signals arise, do a new "
                "escalation check."
            ).format(date=show_date(from_db(row[2]) or date.min))
        )
    started = from_db(row[1])
    assert started is not None
    return case_id, started


def _check_consulted(step: int, consulted: Sequence[str]) -> list[str]:
    """The step-2 partners in table order; ValidationError when unknown, misplaced or when
    neither the aandachtsfunctionaris nor the ondersteuningscoördinator is among them."""
    table = load_meldcode()
    chosen = list(dict.fromkeys(consulted))
    if any(c not in table.consult_partners for c in chosen):
        raise ValidationError(
            _("Choose with whom you discussed the signals from the list."), "consulted"
        )
    if step != 2:
        if chosen:
            raise ValidationError(
                _("Whom you consulted belongs to step 2 (collegial consultation)."), "consulted"
            )
        return []
    required = table.step2_requires_one_of
    if required and not set(chosen) & set(required):
        names = _(" or ").join(table.consult_partners[r].lower() for r in required)
        raise ValidationError(
            _(
                "Step 2 is held with the school's {names}. Tick with whom you discussed the "
                "signals."
            ).format(names=names),
            "consulted",
        )
    return [c for c in table.consult_partners if c in chosen]


def record_step(
    store: Store,
    route_id: int,
    step: int,
    on_date: date | None,
    note: str,
    *,
    now: datetime | None = None,
    consulted: Sequence[str] = (),
    with_parents: bool | None = None,
) -> MeldcodeRoute:
    """Record the date (and a note) of one of the five steps, once; one transaction.

    Step 2 needs `consulted` (see `_check_consulted`); step 3 may say `with_parents`, refused
    as True while `parents_unsafe_reasons` gives a reason."""
    moment = (now or SystemClock().now()).replace(microsecond=0, tzinfo=None)
    if isinstance(step, bool) or not isinstance(step, int) or step not in {s.number for s in STEPS}:
        raise ValidationError(_("Choose one of the five steps of the meldcode."), "step")
    if on_date is None:
        raise ValidationError(_("Fill in the date on which you did this."), "on_date")
    day = check_event_date(on_date, moment.date(), "on_date")
    check_text(note, "note")
    partners = _check_consulted(step, consulted)
    if with_parents is not None and (step != 3 or not isinstance(with_parents, bool)):
        raise ValueError("with_parents belongs to step 3 and is True, False or None")
    with store.transaction() as conn:
        case_id, _started = _open_route(conn, route_id)
        if with_parents and (reasons := _parents_unsafe(conn, route_id)):
            raise ValidationError(
                _(
                    "Do not hold this conversation with the parents: {reasons} Talk with the "
                    "pupil, and consult Veilig Thuis (0800-2000) about the parents."
                ).format(reasons=" ".join(reasons)),
                "with_parents",
            )
        row = conn.execute(
            "SELECT on_date FROM meldcode_step WHERE route_id = ? AND step = ?", (route_id, step)
        ).fetchone()
        if row is not None:
            raise ValidationError(
                _(
                    "Step {step} was already recorded on {date}. Add what changed as a note "
                    "in the case timeline."
                ).format(step=step, date=show_date(from_db(row[0]) or date.min)),
                "step",
            )
        note_id = insert_note(conn, note, case_id) if note.strip() else None
        conn.execute(
            "INSERT INTO meldcode_step(route_id, step, on_date, recorded_at, note_id, consulted, "
            "with_parents) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                route_id,
                step,
                to_db(day),
                moment_to_db(moment),
                note_id,
                json.dumps(partners),
                None if with_parents is None else int(with_parents),
            ),
        )
    return route(store, route_id)


def _parents_unsafe(conn: Any, route_id: int) -> list[str]:
    """Dutch reasons why step 3 is never held with the parents (empty: none known)."""
    row = conn.execute(
        "SELECT case_id, forms FROM meldcode_route WHERE id = ?", (route_id,)
    ).fetchone()
    if row is None:
        raise not_found()
    reasons: list[str] = []
    checks = conn.execute(
        "SELECT answers FROM escalation WHERE case_id = ?", (int(row[0]),)
    ).fetchall()
    if any(json.loads(a[0]).get("family_perpetrator") in ("yes", "doubt") for a in checks):
        reasons.append(_("A parent or family member may be the perpetrator."))
    labels = load_meldcode().parents_excluded_forms
    for form in json.loads(row[1] or "[]"):
        reasons.append(_("It concerns {form}.").format(form=labels.get(form, form).lower()))
    return reasons


def parents_unsafe_reasons(store: Store, route_id: int) -> list[str]:
    """Why step 3 must not be held with the parents (DOMAIN.md, meldcode step 3): a parent
    or family member may be the perpetrator (an escalation check on the case said so), or the
    route concerns honour-related violence, genital mutilation or forced marriage. Empty: no
    reason known."""
    with store.transaction() as conn:
        return _parents_unsafe(conn, route_id)


def record_forms(store: Store, route_id: int, forms: Sequence[str]) -> MeldcodeRoute:
    """Record which forms of violence the route concerns (the meldcode table's
    `parents_excluded_forms`); replaces the earlier choice. One transaction."""
    labels = load_meldcode().parents_excluded_forms
    if any(f not in labels for f in forms):
        raise ValidationError(_("Choose the form of violence from the list."), "forms")
    chosen = [f for f in labels if f in forms]
    with store.transaction() as conn:
        _open_route(conn, route_id)
        conn.execute(
            "UPDATE meldcode_route SET forms = ? WHERE id = ?", (json.dumps(chosen), route_id)
        )
    return route(store, route_id)


def record_vt_decision(
    store: Store,
    route_id: int,
    decision: str,
    decided_on: date | None,
    note: str,
    *,
    now: datetime,
) -> MeldcodeRoute:
    """Record what Veilig Thuis decided after a melding on the route (add-only)."""
    moment = now.replace(microsecond=0, tzinfo=None)
    labels = load_meldcode().veilig_thuis_decisions
    if decision not in labels:
        raise ValidationError(_("Choose what Veilig Thuis decided from the list."), "decision")
    if decided_on is None:
        raise ValidationError(_("Fill in the date of Veilig Thuis' decision."), "decided_on")
    day = check_event_date(decided_on, moment.date(), "decided_on")
    check_text(note, "note")
    with store.transaction() as conn:
        case_id, _started = _open_route(conn, route_id)
        melded = conn.execute(
            "SELECT 1 FROM afweging WHERE route_id = ? AND outcome IN (?, ?) LIMIT 1",
            (route_id, *MELDING_OUTCOMES),
        ).fetchone()
        if melded is None:
            raise ValidationError(
                _(
                    "Veilig Thuis' decision follows a melding. Record the afweging that "
                    "decided to report first."
                ),
                "decision",
            )
        note_id = insert_note(conn, note, case_id) if note.strip() else None
        conn.execute(
            "INSERT INTO veilig_thuis_decision(route_id, decided_on, decision, recorded_at, "
            "note_id) VALUES (?, ?, ?, ?, ?)",
            (route_id, to_db(day), decision, moment_to_db(moment), note_id),
        )
    return route(store, route_id)


def _previous(
    conn: Any, route_id: int, with_veilig_thuis: bool
) -> tuple[dict[int, str], dict[int, int]]:
    """Answers and motivation note ids to continue from: those of the latest afweging when it
    ended in `start_help` (the follow-up after the term) and was of the same kind (with or
    without Veilig Thuis), else nothing. A walk with Veilig Thuis needs a melding before it
    (ValidationError)."""
    row = conn.execute(
        "SELECT answers, motivations, outcome, with_veilig_thuis FROM afweging "
        "WHERE route_id = ? ORDER BY decided_at DESC, id DESC LIMIT 1",
        (route_id,),
    ).fetchone()
    if with_veilig_thuis:
        melded = conn.execute(
            "SELECT 1 FROM afweging WHERE route_id = ? AND outcome IN (?, ?) LIMIT 1",
            (route_id, *MELDING_OUTCOMES),
        ).fetchone()
        if melded is None:
            raise ValidationError(
                _(
                    "Questions 3 to 5 are answered together with Veilig Thuis after a "
                    "melding. There is no melding on this route yet."
                ),
                "with_veilig_thuis",
            )
    if row is None or row[2] != "start_help" or bool(row[3]) != with_veilig_thuis:
        return {}, {}
    answers = {int(k): str(v) for k, v in json.loads(row[0]).items()}
    notes = {int(k): int(v) for k, v in json.loads(row[1]).items()}
    return answers, notes


def _unknown_question() -> ValidationError:
    return ValidationError(
        _(
            "The afweging contains a question or an answer the program does not know. Start "
            "the afweging again; nothing has been saved."
        )
    )


def record_afweging(
    store: Store,
    route_id: int,
    answers: Mapping[int, str],
    motivations: Mapping[int, str],
    *,
    now: datetime,
    term_until: date | None,
    acute: bool = False,
    with_veilig_thuis: bool = False,
) -> AfwegingOutcome:
    """Record a walk through the afwegingskader and its effects; one transaction (see the
    module doc). `acute`: the melding is made by phone at once (only with a melding outcome);
    `with_veilig_thuis`: questions 3-5 together with Veilig Thuis after a melding."""
    moment = now.replace(microsecond=0, tzinfo=None)
    today = moment.date()
    for number, text in motivations.items():
        if number not in AFWEGING_QUESTIONS:
            raise _unknown_question()
        check_text(text, f"motivation_{number}")
    try:
        next_afweging(answers)  # unknown numbers or answers, before anything else
    except MeldcodeRuleError:
        raise _unknown_question() from None
    if not isinstance(acute, bool) or not isinstance(with_veilig_thuis, bool):
        raise TypeError("acute and with_veilig_thuis must be bools")
    if term_until is not None and (
        isinstance(term_until, datetime) or not isinstance(term_until, date)
    ):
        raise TypeError("term_until must be a date")

    with store.transaction() as conn:
        case_id, _started = _open_route(conn, route_id)
        base_answers, base_notes = _previous(conn, route_id, with_veilig_thuis)
        merged = {**base_answers, **answers}
        outcome = next_afweging(merged, after_melding=with_veilig_thuis)
        if outcome.next_question is not None:
            question = AFWEGING_QUESTIONS[outcome.next_question]
            raise ValidationError(
                _("Answer question {number} first: “{question}”").format(
                    number=question.number, question=question.text
                ),
                f"answer_{question.number}",
            )
        assert outcome.outcome is not None
        # Motivations: a new text for each answer given now; an unchanged answer of the walk
        # before the term keeps its motivation.
        kept_notes: dict[int, int] = {}
        for number in outcome.path:
            text = motivations.get(number, "")
            if text.strip():
                note_id = insert_note(conn, text, case_id)
                assert note_id is not None
                kept_notes[number] = note_id
                continue
            inherited = base_notes.get(number)
            if inherited is not None and base_answers.get(number) == merged[number]:
                kept_notes[number] = inherited
                continue
            question = AFWEGING_QUESTIONS[number]
            raise ValidationError(
                _("Write down why you answered question {number}: “{question}”").format(
                    number=number, question=question.text
                ),
                f"motivation_{number}",
            )
        if outcome.outcome == "start_help":
            if term_until is None:
                raise ValidationError(
                    _("Agree a term for the help and fill in the date on which it ends."),
                    "term_until",
                )
            if term_until <= today:
                raise ValidationError(
                    _("The term for the help must end after today."), "term_until"
                )
            if term_until > today + timedelta(days=MAX_TERM_DAYS):
                raise ValidationError(
                    _("The date {date} lies too far in the future; check the year.").format(
                        date=show_date(term_until)
                    ),
                    "term_until",
                )
        elif term_until is not None:
            raise ValidationError(
                _(
                    "A term belongs only to the outcome “offer or organise help”. Leave the "
                    "end date empty."
                ),
                "term_until",
            )
        melding = outcome.outcome in MELDING_OUTCOMES and not (
            with_veilig_thuis and outcome.outcome == "melden"
        )
        if acute and not melding:
            raise ValidationError(
                _("An acute melding belongs only to the outcome “report to Veilig Thuis”."),
                "acute",
            )

        afweging_id = int(
            conn.execute(
                "INSERT INTO afweging(route_id, decided_at, rules_version, answers, "
                "motivations, outcome, term_until, acute, with_veilig_thuis) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    route_id,
                    moment_to_db(moment),
                    MELDCODE_VERSION,
                    json.dumps({str(n): merged[n] for n in outcome.path}),
                    json.dumps({str(n): i for n, i in kept_notes.items()}),
                    outcome.outcome,
                    to_db(term_until) if outcome.outcome == "start_help" else None,
                    int(acute),
                    int(with_veilig_thuis),
                ),
            ).lastrowid
        )
        conn.execute(
            "UPDATE obligation SET done_on = ? WHERE route_id = ? AND duty_code = ? "
            "AND done_on IS NULL",
            (to_db(today), route_id, TERM_CODE),
        )
        if outcome.outcome == "start_help":
            assert term_until is not None
            follow_up = AFWEGING_QUESTIONS[outcome.follow_up_question or max(AFWEGING_QUESTIONS)]
            insert_obligation(
                conn,
                case_id=case_id,
                source="meldcode_term",
                duty_code=TERM_CODE,
                title=_(
                    "End of the agreed help term: answer question {number} of the afwegingskader"
                ).format(number=follow_up.number),
                basis=outcome.title,
                instruction=follow_up.text,
                deadline="term",
                overrides_consent=False,
                due_at=datetime.combine(term_until, END_OF_DAY),
                created_at=moment,
                route_id=route_id,
                afweging_id=afweging_id,
            )
        elif melding:
            deadline: Deadline = "immediately" if acute else "same_day"
            due = due_at(Duty(MELDING_CODE, deadline, True, "", "", ""), moment)
            open_melding = conn.execute(
                "SELECT 1 FROM obligation WHERE route_id = ? AND duty_code = ? "
                "AND done_on IS NULL AND due_at <= ? LIMIT 1",
                (route_id, MELDING_CODE, moment_to_db(due)),
            ).fetchone()
            if open_melding is None:
                insert_obligation(
                    conn,
                    case_id=case_id,
                    source="meldcode_melding",
                    duty_code=MELDING_CODE,
                    title=(
                        _("Acute melding to Veilig Thuis: phone now (0800-2000)")
                        if acute
                        else outcome.title
                    ),
                    basis=_MELDING_BASIS,
                    instruction=outcome.text,
                    deadline=deadline,
                    overrides_consent=True,
                    due_at=due,
                    created_at=moment,
                    route_id=route_id,
                    afweging_id=afweging_id,
                )
        closed_on = to_db(today) if outcome.outcome in CLOSING_OUTCOMES else None
        conn.execute(
            "UPDATE meldcode_route SET outcome = ?, closed_on = ? WHERE id = ?",
            (outcome.outcome, closed_on, route_id),
        )
    return outcome
