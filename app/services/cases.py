"""Case files: open one from an intake, read it, list cases, the timeline, consents, close.

`open_case` saves the whole intake in ONE transaction: the pupil (new, or an existing one
reused), the case, its categories, the story and help-question notes, when the limits of
confidentiality were explained, who takes it up, the intake as the first conversation, one
consent entry per recipient, and the request it answers (linked and marked answered).
Closing a case with open plan steps raises `NeedsConfirmation` unless `force=True`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from app.clock import Clock
from app.domain.dates import from_db, moment_to_db, school_year_bounds, show_date, to_db
from app.domain.errors import NeedsConfirmation, ValidationError
from app.domain.lists import CATEGORIES, CLOSE_REASONS, RECIPIENTS, REFERRAL_SOURCES, TAKEN_UP_BY
from app.domain.models import Case, CaseSummary, Entry, EntryData, Intake
from app.i18n import _
from app.services.entries import insert_entry
from app.services.pupils import check_pupil, insert_pupil
from app.services.rows import ENTRY_SELECT, entry_from_row, insert_note, load_case, order_categories
from app.services.validation import (
    check_choice,
    check_event_date,
    check_minutes,
    check_short,
    check_text,
    not_found,
)
from app.store.db import Store


def check_intake(intake: Intake, today: date) -> None:
    """ValidationError for the first thing in the intake that cannot be saved."""
    if intake.confidentiality_explained_at is None:
        raise ValidationError(
            _(
                "Tick that the limits of confidentiality were explained; "
                "this step cannot be skipped."
            ),
            "confidentiality_explained_at",
        )
    if (intake.pupil_id is None) == (intake.pupil is None):
        raise ValidationError(_("Choose a known pupil or fill in a new one."), "pupil")
    if intake.pupil is not None:
        check_pupil(intake.pupil)
    check_event_date(intake.opened_on, today, "opened_on")
    if not intake.categories:
        raise ValidationError(_("Choose at least one category."), "categories")
    for category in intake.categories:
        check_choice(category, CATEGORIES, "categories", _("Choose at least one category."))
    check_choice(intake.taken_up_by, TAKEN_UP_BY, "taken_up_by", _("Choose who takes it up."))
    if intake.request_id is None or intake.source is not None:
        check_choice(
            intake.source, REFERRAL_SOURCES, "source", _("Choose through whom the request came in.")
        )
    check_text(intake.story, "story")
    check_text(intake.help_question, "help_question")
    check_short(intake.title, "title")
    check_short(intake.with_whom, "with_whom")
    check_minutes(intake.minutes)
    for recipient, given in intake.consents.items():
        check_choice(
            recipient, RECIPIENTS, "consents", _("Choose with whom information may be shared.")
        )
        if not isinstance(given, bool):
            raise ValidationError(_("Say whether consent was given or withdrawn."), "consents")


def open_case(store: Store, clock: Clock, intake: Intake) -> Case:
    """Save an intake as a new case; one transaction. Returns the case."""
    check_intake(intake, clock.today())
    opened_on = intake.opened_on
    now = moment_to_db(clock.now())
    explained = intake.confidentiality_explained_at
    assert explained is not None
    with store.transaction() as conn:
        source = intake.source
        request_note: int | None = None
        if intake.request_id is not None:
            row = conn.execute(
                "SELECT source, received_at, case_id, note_id FROM request WHERE id = ?",
                (intake.request_id,),
            ).fetchone()
            if row is None:
                raise not_found()
            if row[2] is not None:
                raise ValidationError(
                    _("This request already belongs to case {case}.").format(case=row[2]),
                    "request_id",
                )
            if opened_on.isoformat() < str(row[1])[:10]:
                raise ValidationError(
                    _("The case cannot start before the request came in."), "opened_on"
                )
            source = source or row[0]
            request_note = row[3]
        if intake.pupil is not None:
            pupil_id = insert_pupil(conn, intake.pupil, now)
        else:
            pupil_id = int(intake.pupil_id or 0)
            if conn.execute("SELECT 1 FROM pupil WHERE id = ?", (pupil_id,)).fetchone() is None:
                raise not_found()
        case_id = int(
            conn.execute(
                "INSERT INTO case_file(pupil_id, opened_on, title, taken_up_by, source, "
                "confidentiality_explained_at) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    pupil_id,
                    to_db(opened_on),
                    intake.title,
                    intake.taken_up_by,
                    source,
                    moment_to_db(explained),
                ),
            ).lastrowid
        )
        story = insert_note(conn, intake.story, case_id)
        question = insert_note(conn, intake.help_question, case_id)
        if story is not None or question is not None:
            conn.execute(
                "UPDATE case_file SET story_note_id = ?, question_note_id = ? WHERE id = ?",
                (story, question, case_id),
            )
        conn.executemany(
            "INSERT INTO case_category(case_id, category) VALUES (?, ?)",
            [(case_id, c) for c in dict.fromkeys(intake.categories)],
        )
        insert_entry(
            conn,
            case_id,
            EntryData(
                "conversation", opened_on, with_whom=intake.with_whom, minutes=intake.minutes
            ),
            now,
        )
        for recipient in RECIPIENTS:
            if recipient in intake.consents:
                insert_entry(
                    conn,
                    case_id,
                    EntryData(
                        "consent",
                        opened_on,
                        recipient=recipient,
                        consent=intake.consents[recipient],
                    ),
                    now,
                )
        if intake.request_id is not None:
            conn.execute(
                "UPDATE request SET case_id = ?, pupil_id = ?, "
                "answered_on = coalesce(answered_on, ?) WHERE id = ?",
                (case_id, pupil_id, to_db(opened_on), intake.request_id),
            )
            if request_note is not None:
                conn.execute("UPDATE note SET case_id = ? WHERE id = ?", (case_id, request_note))
    return load_case(store, case_id)


def get_case(store: Store, case_id: int) -> Case:
    return load_case(store, case_id)


def open_plan_steps(conn: Any, case_id: int) -> tuple[int, ...]:
    """Ids of the plan steps of a case that are not done and not superseded."""
    rows = conn.execute(
        "SELECT e.id FROM entry e WHERE e.case_id = ? AND e.kind = 'plan_step' "
        "AND e.done_on IS NULL AND NOT EXISTS (SELECT 1 FROM entry s WHERE s.supersedes = e.id) "
        "ORDER BY e.id",
        (case_id,),
    ).fetchall()
    return tuple(int(r[0]) for r in rows)


def close_case(
    store: Store,
    clock: Clock,
    case_id: int,
    *,
    closed_on: date | None,
    reason: str | None,
    text: str = "",
    force: bool = False,
) -> Case:
    """Close a case (date, reason, an optional closing note); one transaction."""
    day = check_event_date(closed_on, clock.today(), "closed_on")
    check_choice(reason, CLOSE_REASONS, "reason", _("Choose the reason for closing."))
    check_text(text, "text")
    with store.transaction() as conn:
        row = conn.execute(
            "SELECT opened_on, closed_on FROM case_file WHERE id = ?", (case_id,)
        ).fetchone()
        if row is None:
            raise not_found()
        if row[1] is not None:
            raise ValidationError(_("This case is already closed."))
        opened = from_db(row[0])
        assert opened is not None
        if day < opened:
            raise ValidationError(
                _("A case cannot be closed before it was opened ({date}).").format(
                    date=show_date(opened)
                ),
                "closed_on",
            )
        steps = open_plan_steps(conn, case_id)
        if steps and not force:
            raise NeedsConfirmation(
                _("Steps of the plan of action still open: {count}. Close the case anyway?").format(
                    count=len(steps)
                ),
                steps,
            )
        note_id = insert_note(conn, text, case_id)
        conn.execute(
            "UPDATE case_file SET closed_on = ?, close_reason = ?, close_note_id = ? WHERE id = ?",
            (to_db(day), reason, note_id, case_id),
        )
    return load_case(store, case_id)


def timeline(store: Store, case_id: int) -> list[Entry]:
    """Every entry of a case in date order, superseded ones included (and marked)."""
    rows = store.query(ENTRY_SELECT + " WHERE e.case_id = ? ORDER BY e.on_date, e.id", (case_id,))
    return [entry_from_row(r) for r in rows]


def current_consents(store: Store, case_id: int) -> dict[str, Entry]:
    """Per recipient, the consent entry in force: the latest one that was not corrected."""
    rows = store.query(
        ENTRY_SELECT + " WHERE e.case_id = ? AND e.kind = 'consent' "
        "AND NOT EXISTS (SELECT 1 FROM entry s WHERE s.supersedes = e.id) "
        "ORDER BY e.on_date, e.id",
        (case_id,),
    )
    current: dict[str, Entry] = {}
    for row in rows:
        entry = entry_from_row(row)
        if entry.recipient is not None:
            current[entry.recipient] = entry
    return current


def case_filters(
    status: str = "all", category: str | None = None, school_year: str | None = None
) -> tuple[list[str], list[Any]]:
    """SQL conditions on `case_file c` for the usual filters (shared with search)."""
    where: list[str] = []
    params: list[Any] = []
    if status == "open":
        where.append("c.closed_on IS NULL")
    elif status == "closed":
        where.append("c.closed_on IS NOT NULL")
    elif status != "all":
        raise ValueError(f"unknown status {status!r}")
    if category:
        where.append(
            "EXISTS (SELECT 1 FROM case_category k WHERE k.case_id = c.id AND k.category = ?)"
        )
        params.append(category)
    if school_year:
        first, last = school_year_bounds(school_year)
        where.append("c.opened_on <= ? AND (c.closed_on IS NULL OR c.closed_on >= ?)")
        params += [to_db(last), to_db(first)]
    return where, params


def list_cases(
    store: Store,
    *,
    status: str = "all",
    category: str | None = None,
    school_year: str | None = None,
    pupil_id: int | None = None,
    limit: int = 500,
) -> list[CaseSummary]:
    """Cases, newest first. `status`: all/open/closed; a school year selects the cases that
    ran in it (opened before its end, not closed before its start)."""
    where, params = case_filters(status, category, school_year)
    if pupil_id is not None:
        where.append("c.pupil_id = ?")
        params.append(pupil_id)
    sql = (
        "SELECT c.id, c.pupil_id, p.name, p.class_name, c.opened_on, c.title, c.taken_up_by, "
        "(SELECT group_concat(k.category, ' ') FROM case_category k WHERE k.case_id = c.id), "
        "c.closed_on, c.close_reason, "
        "(SELECT max(e.on_date) FROM entry e WHERE e.case_id = c.id AND e.kind = 'conversation') "
        "FROM case_file c JOIN pupil p ON p.id = c.pupil_id"
    )
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY c.opened_on DESC, c.id DESC LIMIT ?"
    params.append(max(1, limit))
    result = []
    for row in store.query(sql, tuple(params)):
        opened = from_db(row[4])
        assert opened is not None
        result.append(
            CaseSummary(
                id=int(row[0]),
                pupil_id=int(row[1]),
                pupil_name=row[2],
                class_name=row[3],
                opened_on=opened,
                title=row[5],
                taken_up_by=row[6],
                categories=order_categories(str(row[7] or "").split()),
                closed_on=from_db(row[8]),
                close_reason=row[9],
                last_contact=from_db(row[10]),
            )
        )
    return result
