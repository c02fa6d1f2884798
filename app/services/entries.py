"""Timeline entries of a case: add each kind, mark a plan step done, correct an entry.

Kinds (ENTRY_KINDS) and what each keeps; fields that do not belong to a kind are not stored:

* `conversation` — date, with whom, minutes, a short note;
* `consultation` — an anonymous consultation (protocol 6f): with whom *by role* (required);
* `plan_step` — a step of the plan of action (protocol 6g): the step (required), who, due date
  (required), done date;
* `referral` — to which help (EXTERNAL_HELP id, required);
* `consent` — consent given or withdrawn for one recipient (protocol 6i);
* `action` — an action of ACTION_TYPES (required), e.g. parents informed;
* `note` — a note (text required).

Any kind may carry an `action_type` for the annual report; consultations and referrals get a
fitting one when none is given.

History is never erased: `correct_entry` adds a NEW entry whose `supersedes` points at the old
one; the old one stays and reads back with `superseded_by`. An entry that has already been
corrected cannot be corrected again (correct the newest version). `mark_step_done` is the one
update in place: it records a state change of a step (its done date), not a rewrite; undoing it
is a correction. New entries are refused on a closed case; corrections are allowed there.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from app.clock import Clock
from app.domain.dates import from_db, moment_to_db, show_date, to_db
from app.domain.errors import ValidationError
from app.domain.lists import ACTION_TYPES, ENTRY_KINDS, EXTERNAL_HELP, RECIPIENTS
from app.domain.models import Entry, EntryData
from app.i18n import _
from app.services.rows import insert_note, load_entry
from app.services.validation import (
    check_choice,
    check_due_date,
    check_event_date,
    check_minutes,
    check_short,
    check_text,
    not_found,
)
from app.store.db import Store

_DEFAULT_ACTION = {"consultation": "consultatie_anoniem"}
_REFERRAL_ACTION = {
    "schoolmaatschappelijk_werk": "verwijzing_intern",
    "klachtencommissie": "klachtverwijzing",
}


def referral_action(referral: str) -> str:
    """The action type a referral counts as in the annual report."""
    return _REFERRAL_ACTION.get(referral, "verwijzing_extern")


def check_entry(data: EntryData, today: date, opened_on: date) -> EntryData:
    """The entry as it will be stored (irrelevant fields cleared), or ValidationError."""
    kind = check_choice(data.kind, ENTRY_KINDS, "kind", _("Choose the kind of entry."))
    on_date = check_event_date(data.on_date, today, "on_date")
    if on_date < opened_on:
        raise ValidationError(
            _("The date cannot be before the case was opened ({date}).").format(
                date=show_date(opened_on)
            ),
            "on_date",
        )
    text_required = {
        "plan_step": _("Describe the step."),
        "note": _("Write the note."),
    }.get(kind, "")
    check_text(data.text, "text", required=text_required)
    check_short(
        data.with_whom,
        "with_whom",
        required=(
            _("Fill in whom you consulted (a role, not a name).") if kind == "consultation" else ""
        ),
    )
    action_type = data.action_type or None
    if action_type is not None:
        check_choice(action_type, ACTION_TYPES, "action_type", "")
    clean = EntryData(kind=kind, on_date=on_date, text=data.text, action_type=action_type)
    if kind in ("conversation", "consultation"):
        clean = replace(clean, with_whom=data.with_whom, minutes=check_minutes(data.minutes))
        if clean.action_type is None:
            clean = replace(clean, action_type=_DEFAULT_ACTION.get(kind))
    elif kind == "plan_step":
        due_on = check_due_date(data.due_on, today, "due_on", on_date)
        done_on = None
        if data.done_on is not None:
            done_on = check_done_date(data.done_on, today, on_date)
        clean = replace(clean, with_whom=data.with_whom, due_on=due_on, done_on=done_on)
    elif kind == "referral":
        referral = check_choice(
            data.referral, EXTERNAL_HELP, "referral", _("Choose the help you referred to.")
        )
        clean = replace(clean, referral=referral)
        if clean.action_type is None:
            clean = replace(clean, action_type=referral_action(referral))
    elif kind == "consent":
        recipient = check_choice(
            data.recipient,
            RECIPIENTS,
            "recipient",
            _("Choose with whom information may be shared."),
        )
        if data.consent is None:
            raise ValidationError(_("Say whether consent was given or withdrawn."), "consent")
        clean = replace(clean, recipient=recipient, consent=bool(data.consent))
    elif kind == "action":
        check_choice(action_type, ACTION_TYPES, "action_type", _("Choose the kind of action."))
    return clean


def check_done_date(done_on: date | None, today: date, start: date) -> date:
    if done_on is None:
        raise ValidationError(_("Fill in the date the step was done."), "done_on")
    day = check_event_date(done_on, today, "done_on")
    if day < start:
        raise ValidationError(
            _("A step cannot be done before it started ({date}).").format(date=show_date(start)),
            "done_on",
        )
    return day


def insert_entry(
    conn: Any, case_id: int, data: EntryData, created_at: str, supersedes: int | None = None
) -> int:
    """Within a transaction: store a checked entry and its note; the new entry's id."""
    note_id = insert_note(conn, data.text, case_id)
    return int(
        conn.execute(
            "INSERT INTO entry(case_id, kind, on_date, created_at, supersedes, note_id, with_whom, "
            "minutes, action_type, recipient, consent, referral, due_on, done_on) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                case_id,
                data.kind,
                to_db(data.on_date),
                created_at,
                supersedes,
                note_id,
                data.with_whom,
                data.minutes,
                data.action_type,
                data.recipient,
                None if data.consent is None else int(data.consent),
                data.referral,
                to_db(data.due_on),
                to_db(data.done_on),
            ),
        ).lastrowid
    )


def _case_state(conn: Any, case_id: int) -> tuple[date, bool]:
    row = conn.execute(
        "SELECT opened_on, closed_on FROM case_file WHERE id = ?", (case_id,)
    ).fetchone()
    if row is None:
        raise not_found()
    opened = from_db(row[0])
    assert opened is not None
    return opened, row[1] is not None


def add_entry(store: Store, clock: Clock, case_id: int, data: EntryData) -> Entry:
    """Add one entry to an open case; one transaction."""
    today = clock.today()
    with store.transaction() as conn:
        opened, closed = _case_state(conn, case_id)
        if closed:
            raise ValidationError(_("This case is closed; nothing can be added to it."))
        clean = check_entry(data, today, opened)
        entry_id = insert_entry(conn, case_id, clean, moment_to_db(clock.now()))
    return load_entry(store, entry_id)


def add_conversation(
    store: Store,
    clock: Clock,
    case_id: int,
    *,
    on_date: date,
    with_whom: str = "",
    minutes: int | None = None,
    text: str = "",
    action_type: str | None = None,
) -> Entry:
    return add_entry(
        store,
        clock,
        case_id,
        EntryData(
            "conversation",
            on_date,
            text=text,
            with_whom=with_whom,
            minutes=minutes,
            action_type=action_type,
        ),
    )


def add_consultation(
    store: Store,
    clock: Clock,
    case_id: int,
    *,
    on_date: date,
    with_whom: str,
    minutes: int | None = None,
    text: str = "",
) -> Entry:
    return add_entry(
        store,
        clock,
        case_id,
        EntryData("consultation", on_date, text=text, with_whom=with_whom, minutes=minutes),
    )


def add_plan_step(
    store: Store,
    clock: Clock,
    case_id: int,
    *,
    on_date: date,
    text: str,
    due_on: date | None,
    with_whom: str = "",
) -> Entry:
    return add_entry(
        store,
        clock,
        case_id,
        EntryData("plan_step", on_date, text=text, with_whom=with_whom, due_on=due_on),
    )


def add_referral(
    store: Store,
    clock: Clock,
    case_id: int,
    *,
    on_date: date,
    referral: str | None,
    text: str = "",
    action_type: str | None = None,
) -> Entry:
    return add_entry(
        store,
        clock,
        case_id,
        EntryData("referral", on_date, text=text, referral=referral, action_type=action_type),
    )


def add_consent(
    store: Store,
    clock: Clock,
    case_id: int,
    *,
    on_date: date,
    recipient: str | None,
    given: bool | None,
    text: str = "",
) -> Entry:
    return add_entry(
        store,
        clock,
        case_id,
        EntryData("consent", on_date, text=text, recipient=recipient, consent=given),
    )


def add_action(
    store: Store,
    clock: Clock,
    case_id: int,
    *,
    on_date: date,
    action_type: str | None,
    text: str = "",
) -> Entry:
    return add_entry(
        store, clock, case_id, EntryData("action", on_date, text=text, action_type=action_type)
    )


def add_note(store: Store, clock: Clock, case_id: int, *, on_date: date, text: str) -> Entry:
    return add_entry(store, clock, case_id, EntryData("note", on_date, text=text))


def _is_superseded(conn: Any, entry_id: int) -> bool:
    return (
        conn.execute("SELECT 1 FROM entry WHERE supersedes = ? LIMIT 1", (entry_id,)).fetchone()
        is not None
    )


def mark_step_done(store: Store, clock: Clock, entry_id: int, *, done_on: date | None) -> Entry:
    """Record the day a plan step was done (not before it started, not in the future)."""
    today = clock.today()
    with store.transaction() as conn:
        row = conn.execute(
            "SELECT e.kind, e.on_date, e.done_on, c.closed_on FROM entry e "
            "JOIN case_file c ON c.id = e.case_id WHERE e.id = ?",
            (entry_id,),
        ).fetchone()
        if row is None:
            raise not_found()
        if row[0] != "plan_step":
            raise ValidationError(_("Only a step of the plan of action can be marked done."))
        if _is_superseded(conn, entry_id):
            raise ValidationError(_("This entry has been corrected; use the newest version."))
        if row[2] is not None:
            raise ValidationError(_("This step has already been marked done."), "done_on")
        if row[3] is not None:
            raise ValidationError(_("This case is closed; nothing can be added to it."))
        start = from_db(row[1])
        assert start is not None
        day = check_done_date(done_on, today, start)
        conn.execute("UPDATE entry SET done_on = ? WHERE id = ?", (to_db(day), entry_id))
    return load_entry(store, entry_id)


def correct_entry(store: Store, clock: Clock, entry_id: int, data: EntryData) -> Entry:
    """Correct an entry with a new one that supersedes it; the old one stays readable."""
    today = clock.today()
    with store.transaction() as conn:
        row = conn.execute("SELECT case_id FROM entry WHERE id = ?", (entry_id,)).fetchone()
        if row is None:
            raise not_found()
        case_id = int(row[0])
        if _is_superseded(conn, entry_id):
            raise ValidationError(
                _("This entry has already been corrected; correct the newest version.")
            )
        opened, _closed = _case_state(conn, case_id)
        clean = check_entry(data, today, opened)
        new_id = insert_entry(conn, case_id, clean, moment_to_db(clock.now()), supersedes=entry_id)
    return load_entry(store, new_id)


def get_entry(store: Store, entry_id: int) -> Entry:
    return load_entry(store, entry_id)
