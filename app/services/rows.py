"""The repository side shared by the case-work services: SELECTs and row -> dataclass mappers.

Owns how a row of `pupil`, `request`, `case_file`, `entry` and `activity` becomes a frozen
dataclass of `app.domain.models`, and the small write helper for notes (`insert_note`): every
note row carries the case it belongs to (`note.case_id`, NULL for requests not yet linked and
for activities), so search finds the case in one indexed step and a purge finds every note.
"""

from __future__ import annotations

from typing import Any

from app.domain.dates import from_db, moment_from_db
from app.domain.lists import CATEGORIES
from app.domain.models import Activity, Case, Entry, Pupil, Request
from app.services.validation import not_found
from app.store.db import Store

PUPIL_SELECT = (
    "SELECT id, name, class_name, year_group, level, minor, authority, created_at FROM pupil"
)

REQUEST_SELECT = (
    "SELECT r.id, r.received_at, r.source, r.urgent, r.respond_by, r.pupil_label, r.pupil_id, "
    "r.case_id, r.answered_on, coalesce(n.body, '') "
    "FROM request r LEFT JOIN note n ON n.id = r.note_id"
)

ENTRY_SELECT = (
    "SELECT e.id, e.case_id, e.kind, e.on_date, e.created_at, coalesce(n.body, ''), e.with_whom, "
    "e.minutes, e.action_type, e.recipient, e.consent, e.referral, e.due_on, e.done_on, "
    "e.supersedes, (SELECT max(s.id) FROM entry s WHERE s.supersedes = e.id) "
    "FROM entry e LEFT JOIN note n ON n.id = e.note_id"
)

CASE_SELECT = (
    "SELECT c.id, c.pupil_id, p.name, c.opened_on, c.title, c.taken_up_by, c.source, "
    "c.confidentiality_explained_at, c.closed_on, c.close_reason, coalesce(s.body, ''), "
    "coalesce(q.body, ''), coalesce(x.body, '') "
    "FROM case_file c JOIN pupil p ON p.id = c.pupil_id "
    "LEFT JOIN note s ON s.id = c.story_note_id "
    "LEFT JOIN note q ON q.id = c.question_note_id "
    "LEFT JOIN note x ON x.id = c.close_note_id"
)

ACTIVITY_SELECT = (
    "SELECT a.id, a.kind, a.on_date, a.reach, coalesce(n.body, '') "
    "FROM activity a LEFT JOIN note n ON n.id = a.note_id"
)


def order_categories(found: list[str]) -> tuple[str, ...]:
    """Categories in list order; ids the list no longer holds last, alphabetically."""
    rank = {category: i for i, category in enumerate(CATEGORIES)}
    return tuple(sorted(found, key=lambda c: (rank.get(c, len(rank)), c)))


def _bool(value: Any) -> bool | None:
    return None if value is None else bool(value)


def pupil_from_row(row: Any) -> Pupil:
    created = moment_from_db(row[7])
    assert created is not None
    return Pupil(
        id=int(row[0]),
        name=row[1],
        class_name=row[2],
        year_group=None if row[3] is None else int(row[3]),
        level=row[4],
        minor=bool(row[5]),
        authority=row[6],
        created_at=created,
    )


def request_from_row(row: Any) -> Request:
    received = moment_from_db(row[1])
    respond_by = from_db(row[4])
    assert received is not None and respond_by is not None
    return Request(
        id=int(row[0]),
        received_at=received,
        source=row[2],
        urgent=bool(row[3]),
        respond_by=respond_by,
        pupil_label=row[5],
        pupil_id=row[6],
        case_id=row[7],
        answered_on=from_db(row[8]),
        note=row[9],
    )


def entry_from_row(row: Any) -> Entry:
    on_date = from_db(row[3])
    created = moment_from_db(row[4])
    assert on_date is not None and created is not None
    return Entry(
        id=int(row[0]),
        case_id=int(row[1]),
        kind=row[2],
        on_date=on_date,
        created_at=created,
        text=row[5],
        with_whom=row[6],
        minutes=row[7],
        action_type=row[8],
        recipient=row[9],
        consent=_bool(row[10]),
        referral=row[11],
        due_on=from_db(row[12]),
        done_on=from_db(row[13]),
        supersedes=row[14],
        superseded_by=row[15],
    )


def case_from_row(row: Any, categories: tuple[str, ...]) -> Case:
    opened = from_db(row[3])
    assert opened is not None
    return Case(
        id=int(row[0]),
        pupil_id=int(row[1]),
        pupil_name=row[2],
        opened_on=opened,
        title=row[4],
        taken_up_by=row[5],
        source=row[6],
        confidentiality_explained_at=moment_from_db(row[7]),
        categories=categories,
        closed_on=from_db(row[8]),
        close_reason=row[9],
        story=row[10],
        help_question=row[11],
        close_note=row[12],
    )


def activity_from_row(row: Any) -> Activity:
    on_date = from_db(row[2])
    assert on_date is not None
    return Activity(id=int(row[0]), kind=row[1], on_date=on_date, reach=int(row[3]), text=row[4])


def insert_note(conn: Any, text: str, case_id: int | None) -> int | None:
    """A note row for `text` (None for empty text: nothing to keep)."""
    if text == "":
        return None
    return int(
        conn.execute("INSERT INTO note(case_id, body) VALUES (?, ?)", (case_id, text)).lastrowid
    )


def load_pupil(store: Store, pupil_id: int) -> Pupil:
    rows = store.query(PUPIL_SELECT + " WHERE id = ?", (pupil_id,))
    if not rows:
        raise not_found()
    return pupil_from_row(rows[0])


def load_request(store: Store, request_id: int) -> Request:
    rows = store.query(REQUEST_SELECT + " WHERE r.id = ?", (request_id,))
    if not rows:
        raise not_found()
    return request_from_row(rows[0])


def load_entry(store: Store, entry_id: int) -> Entry:
    rows = store.query(ENTRY_SELECT + " WHERE e.id = ?", (entry_id,))
    if not rows:
        raise not_found()
    return entry_from_row(rows[0])


def load_case(store: Store, case_id: int) -> Case:
    rows = store.query(CASE_SELECT + " WHERE c.id = ?", (case_id,))
    if not rows:
        raise not_found()
    found = [
        r[0]
        for r in store.query("SELECT category FROM case_category WHERE case_id = ?", (case_id,))
    ]
    return case_from_row(rows[0], order_categories(found))


def load_activity(store: Store, activity_id: int) -> Activity:
    rows = store.query(ACTIVITY_SELECT + " WHERE a.id = ?", (activity_id,))
    if not rows:
        raise not_found()
    return activity_from_row(rows[0])
