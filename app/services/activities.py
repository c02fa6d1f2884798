"""The register of activities that are not about one pupil (protocol 4c, 5a, 5b): class
visits, posters and flyers, website text, policy advice, training, other. Feeds the annual
report. Add, correct (in place: the register holds no pupil data and no history is owed),
delete, list by school year.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from app.clock import Clock
from app.domain.dates import school_year_bounds, to_db
from app.domain.errors import ValidationError
from app.domain.lists import ACTIVITY_KINDS
from app.domain.models import Activity
from app.i18n import _
from app.services.rows import ACTIVITY_SELECT, activity_from_row, insert_note, load_activity
from app.services.validation import check_choice, check_event_date, check_text, not_found
from app.store.db import Store

MAX_REACH = 100_000


def check_activity(
    kind: str | None, on_date: date | None, reach: int, text: str, today: date
) -> date:
    """The day of a valid activity; ValidationError (in Dutch) for a bad field."""
    check_choice(kind, ACTIVITY_KINDS, "kind", _("Choose the kind of activity."))
    day = check_event_date(on_date, today, "on_date")
    if isinstance(reach, bool) or not isinstance(reach, int):
        raise TypeError("reach must be an int")
    if not 0 <= reach <= MAX_REACH:
        raise ValidationError(
            _("The number of people reached must be between 0 and {max}.").format(max=MAX_REACH),
            "reach",
        )
    check_text(text, "text")
    return day


def add_activity(
    store: Store,
    clock: Clock,
    *,
    kind: str | None,
    on_date: date | None,
    reach: int = 0,
    text: str = "",
) -> Activity:
    day = check_activity(kind, on_date, reach, text, clock.today())
    with store.transaction() as conn:
        activity_id = insert_activity(conn, str(kind), day, reach, text)
    return load_activity(store, activity_id)


def insert_activity(conn: Any, kind: str, day: date, reach: int, text: str) -> int:
    """Write an activity already checked by `check_activity` inside the caller's transaction."""
    note_id = insert_note(conn, text, None)
    return int(
        conn.execute(
            "INSERT INTO activity(kind, on_date, reach, note_id) VALUES (?, ?, ?, ?)",
            (kind, to_db(day), reach, note_id),
        ).lastrowid
    )


def update_activity(
    store: Store,
    clock: Clock,
    activity_id: int,
    *,
    kind: str | None,
    on_date: date | None,
    reach: int,
    text: str,
) -> Activity:
    """Correct an activity: every field is replaced by the given value."""
    day = check_activity(kind, on_date, reach, text, clock.today())
    with store.transaction() as conn:
        row = conn.execute("SELECT note_id FROM activity WHERE id = ?", (activity_id,)).fetchone()
        if row is None:
            raise not_found()
        old_note = row[0]
        if text == "":
            note_id = None
        elif old_note is not None:
            conn.execute("UPDATE note SET body = ? WHERE id = ?", (text, old_note))
            note_id = old_note
        else:
            note_id = insert_note(conn, text, None)
        conn.execute(
            "UPDATE activity SET kind = ?, on_date = ?, reach = ?, note_id = ? WHERE id = ?",
            (kind, to_db(day), reach, note_id, activity_id),
        )
        if note_id is None and old_note is not None:
            conn.execute("DELETE FROM note WHERE id = ?", (old_note,))
    return load_activity(store, activity_id)


def delete_activity(store: Store, activity_id: int) -> None:
    with store.transaction() as conn:
        row = conn.execute("SELECT note_id FROM activity WHERE id = ?", (activity_id,)).fetchone()
        if row is None:
            raise not_found()
        conn.execute("DELETE FROM activity WHERE id = ?", (activity_id,))
        if row[0] is not None:
            conn.execute("DELETE FROM note WHERE id = ?", (row[0],))


def get_activity(store: Store, activity_id: int) -> Activity:
    return load_activity(store, activity_id)


def list_activities(store: Store, school_year: str | None = None) -> list[Activity]:
    """Activities in date order, of one school year (`2025-2026`) or all."""
    if school_year:
        first, last = school_year_bounds(school_year)
        rows = store.query(
            ACTIVITY_SELECT + " WHERE a.on_date BETWEEN ? AND ? ORDER BY a.on_date, a.id",
            (to_db(first), to_db(last)),
        )
    else:
        rows = store.query(ACTIVITY_SELECT + " ORDER BY a.on_date, a.id")
    return [activity_from_row(r) for r in rows]
