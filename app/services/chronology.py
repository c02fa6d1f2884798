"""One pupil's chronology, and the case events that are not timeline entries (issue 11).

`pupil_chronology(store, pupil_id)` lists everything about one pupil across all their cases in
date order, oldest first: requests for contact, intake conversations (a case opened), the
timeline entries (conversations, consultations, plan steps, referrals, consent, notes),
escalation decisions, obligations done, meldcode steps and afwegingen, and closings.

`case_events(store, case_id)` gives the events of one case that live outside the `entry` table
(obligations done, meldcode steps, afwegingen), so the case file shows them in its timeline
too. `open_cases_of(store, pupil_id)` lists a pupil's open cases (the intake warns about them).

Read only; no Qt. Every title passes through `_`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from app.domain.dates import show_date
from app.domain.lists import (
    ACTION_TYPES,
    CATEGORIES,
    CLOSE_REASONS,
    ENTRY_KINDS,
    EXTERNAL_HELP,
    RECIPIENTS,
    REFERRAL_SOURCES,
)
from app.domain.lists import label as list_label
from app.domain.models import Case, Entry
from app.i18n import _
from app.services.cases import get_case, timeline
from app.services.escalation import CONSENT_ONLY, case_obligations, decisions
from app.services.meldcode import routes_for_case
from app.services.rows import REQUEST_SELECT, load_pupil, request_from_row
from app.store.db import Store

#: The kinds of `Event`, in the order they sort within one day.
EVENT_KINDS = (
    "request",
    "intake",
    "entry",
    "decision",
    "obligation_done",
    "meldcode_step",
    "afweging",
    "closed",
)


@dataclass(frozen=True)
class Event:
    """One line of a chronology: when, what (`kind`, `title`), a short `details` line without
    free text, the free `text` (a note, may be empty), and where it belongs."""

    on: date
    kind: str
    title: str
    details: str
    text: str
    case_id: int | None
    ref_id: int
    superseded: bool = False

    @property
    def sort_key(self) -> tuple[date, int, int]:
        return (self.on, EVENT_KINDS.index(self.kind), self.ref_id)


def obligation_done_details(
    title: str, informed_whom: str, informed_how: str, pupil_told_first: bool | None
) -> str:
    parts = [title]
    if informed_whom:
        parts.append(_("informed: {whom}").format(whom=informed_whom))
    if informed_how:
        parts.append(_("how: {how}").format(how=informed_how))
    if pupil_told_first is True:
        parts.append(_("the pupil was told beforehand"))
    return " · ".join(parts)


def case_events(store: Store, case_id: int) -> list[Event]:
    """Obligations done, meldcode steps and afwegingen of one case, oldest first."""
    events: list[Event] = []
    for obligation in case_obligations(store, case_id):
        if obligation.done_on is None:
            continue
        events.append(Event(
            on=obligation.done_on,
            kind="obligation_done",
            title=_("Obligation done"),
            details=obligation_done_details(
                obligation.title, obligation.informed_whom, obligation.informed_how,
                obligation.pupil_told_first),
            text=obligation.note,
            case_id=case_id,
            ref_id=obligation.id,
        ))
    for route in routes_for_case(store, case_id):
        for step in route.steps:
            events.append(Event(
                on=step.on_date,
                kind="meldcode_step",
                title=_("Meldcode step {number}").format(number=step.step),
                details=step.title,
                text=step.note,
                case_id=case_id,
                ref_id=route.id * 10 + step.step,
            ))
        for afweging in route.afwegingen:
            details = _("outcome: {outcome}").format(outcome=afweging_outcome(afweging.outcome))
            if afweging.term_until is not None:
                details += " · " + _("term until {date}").format(
                    date=show_date(afweging.term_until))
            events.append(Event(
                on=afweging.decided_at.date(),
                kind="afweging",
                title=_("Afwegingskader"),
                details=details,
                text="\n".join(
                    afweging.motivations[n] for n in sorted(afweging.motivations)
                    if afweging.motivations[n]
                ),
                case_id=case_id,
                ref_id=afweging.id,
            ))
    events.sort(key=lambda e: e.sort_key)
    return events


def afweging_outcome(code: str) -> str:
    """The outcome of the afwegingskader in plain Dutch."""
    words = {
        "close": _("close the meldcode route"),
        "melden": _("make a melding to Veilig Thuis"),
        "start_help": _("offer or organise help"),
        "close_with_monitoring": _("close, keep an eye on it"),
        "opnieuw_melden": _("make a new melding"),
    }
    return words.get(code, code)


def entry_event(entry: Entry) -> Event:
    """A timeline entry as a chronology line (its details without the note text)."""
    parts: list[str] = []
    kind = list_label(ENTRY_KINDS, entry.kind)
    if entry.with_whom:
        parts.append(_("with: {whom}").format(whom=entry.with_whom))
    if entry.kind == "plan_step" and entry.done_on is not None:
        parts.append(_("done on {date}").format(date=show_date(entry.done_on)))
    if entry.referral:
        parts.append(list_label(EXTERNAL_HELP, entry.referral))
    if entry.kind == "consent" and entry.recipient:
        given = _("consent given") if entry.consent else _("no consent")
        parts.append(f"{list_label(RECIPIENTS, entry.recipient)}: {given}")
    if entry.action_type and list_label(ACTION_TYPES, entry.action_type) != kind:
        parts.append(list_label(ACTION_TYPES, entry.action_type))
    if entry.superseded:
        parts.insert(0, _("replaced by correction"))
    return Event(
        on=entry.on_date,
        kind="entry",
        title=kind,
        details=" · ".join(parts),
        text=entry.text,
        case_id=entry.case_id,
        ref_id=entry.id,
        superseded=entry.superseded,
    )


def _case_lines(store: Store, case: Case) -> Iterable[Event]:
    categories = ", ".join(list_label(CATEGORIES, c) for c in case.categories)
    story = "\n\n".join(t for t in (case.story.strip(), case.help_question.strip()) if t)
    yield Event(case.opened_on, "intake", _("Intake conversation (case opened)"),
                categories, story, case.id, case.id)
    for entry in timeline(store, case.id):
        yield entry_event(entry)
    for record in decisions(store, case.id):
        if record.duties == (CONSENT_ONLY,):
            details = _("no escalation: share only with consent")
        else:
            details = "; ".join(o.title for o in record.obligations) or ", ".join(record.duties)
        yield Event(record.decided_at.date(), "decision", _("Escalation check"), details,
                    record.general_motivation, case.id, record.id)
    yield from case_events(store, case.id)
    if case.closed_on is not None:
        yield Event(case.closed_on, "closed", _("Case closed"),
                    list_label(CLOSE_REASONS, case.close_reason or ""), case.close_note,
                    case.id, case.id)


def pupil_case_ids(store: Store, pupil_id: int) -> list[int]:
    rows = store.query("SELECT id FROM case_file WHERE pupil_id = ? ORDER BY opened_on, id",
                       (pupil_id,))
    return [int(r[0]) for r in rows]


def pupil_cases(store: Store, pupil_id: int) -> list[Case]:
    """The cases of a pupil, oldest first."""
    return [get_case(store, case_id) for case_id in pupil_case_ids(store, pupil_id)]


def open_cases_of(store: Store, pupil_id: int) -> list[Case]:
    """The pupil's cases that are still open, newest first."""
    return [c for c in reversed(pupil_cases(store, pupil_id)) if c.closed_on is None]


def _requests(store: Store, pupil_id: int, case_ids: set[int]) -> Iterable[Event]:
    rows = store.query(
        REQUEST_SELECT + " WHERE r.pupil_id = ? OR r.case_id IN "
        "(SELECT id FROM case_file WHERE pupil_id = ?)",
        (pupil_id, pupil_id),
    )
    for request in (request_from_row(row) for row in rows):
        details = [_("through: {source}").format(
            source=list_label(REFERRAL_SOURCES, request.source).lower())]
        if request.urgent:
            details.append(_("urgent"))
        if request.answered_on is not None:
            details.append(_("answered on {date}").format(date=show_date(request.answered_on)))
        yield Event(request.received_at.date(), "request", _("Request for contact"),
                    " · ".join(details), request.note,
                    request.case_id if request.case_id in case_ids else None, request.id)


def pupil_chronology(store: Store, pupil_id: int) -> list[Event]:
    """Everything about one pupil across all their cases, oldest first (see the module doc).
    Raises NotFoundError for an unknown pupil."""
    load_pupil(store, pupil_id)
    cases = pupil_cases(store, pupil_id)
    events: list[Event] = list(_requests(store, pupil_id, {c.id for c in cases}))
    for case in cases:
        events.extend(_case_lines(store, case))
    events.sort(key=lambda e: (e.sort_key[0], e.case_id or 0, e.sort_key[1], e.sort_key[2]))
    return events


__all__ = [
    "Event",
    "afweging_outcome",
    "case_events",
    "entry_event",
    "open_cases_of",
    "pupil_cases",
    "pupil_chronology",
]
