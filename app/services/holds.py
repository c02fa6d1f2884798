"""Files on hold (DOMAIN.md "Privacy law (AVG) in practice"; issue 13 item 2).

A case file is put *on hold* while it is needed for a procedure that is still running: a
complaint, a police investigation, a report to the school board or to Veilig Thuis (or
another reason the VP writes down). That is also how a restriction of processing (AVG art.
18) is recorded. A held file is never offered for destruction (`app.services.retention`) and
never erased on request (`app.services.erasure`): erasure gives way to a legal claim (art.
17(3)(e)).

`place_hold` records the reason (a code of `HOLD_REASONS`), an explanation (required for
"other") and an optional review date; `lift_hold` ends it with a note. Both are journalled
with codes only (`hold_placed`, `hold_lifted`). A case has at most one active hold; lifted
holds stay as history (`holds_for_case`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from app import journal
from app.domain.dates import from_db, moment_to_db, show_date
from app.domain.errors import ValidationError
from app.i18n import _
from app.services.rows import insert_note
from app.services.validation import check_text, not_found
from app.store.db import Store

__all__ = [
    "HOLD_REASONS",
    "Hold",
    "active_hold",
    "active_holds",
    "hold_label",
    "hold_line",
    "holds_for_case",
    "lift_hold",
    "place_hold",
]

HOLD_REASONS = ("complaint", "police", "board", "veilig_thuis", "other")


def hold_label(reason: str) -> str:
    """The Dutch name of a hold reason."""
    labels = {
        "complaint": _("a complaint is being handled"),
        "police": _("a police investigation is running"),
        "board": _("a report to the school board is being handled"),
        "veilig_thuis": _("a report to Veilig Thuis is being handled"),
        "other": _("another procedure is running"),
    }
    return labels.get(reason, reason)


@dataclass(frozen=True)
class Hold:
    id: int
    case_id: int
    reason: str
    placed_on: date
    review_on: date | None
    note: str
    lifted_on: date | None
    lift_note: str

    @property
    def active(self) -> bool:
        return self.lifted_on is None


_SELECT = (
    "SELECT h.id, h.case_id, h.reason, h.placed_on, h.review_on, coalesce(n.body, ''), "
    "h.lifted_on, coalesce(l.body, '') FROM case_hold h "
    "LEFT JOIN note n ON n.id = h.note_id LEFT JOIN note l ON l.id = h.lift_note_id"
)


def _from_row(row: Sequence[object]) -> Hold:
    placed = from_db(str(row[3]))
    assert placed is not None
    return Hold(
        id=int(str(row[0])),
        case_id=int(str(row[1])),
        reason=str(row[2]),
        placed_on=placed,
        review_on=from_db(row[4] if isinstance(row[4], str) else None),
        note=str(row[5]),
        lifted_on=from_db(row[6] if isinstance(row[6], str) else None),
        lift_note=str(row[7]),
    )


def holds_for_case(store: Store, case_id: int) -> list[Hold]:
    """Every hold of the case, oldest first (lifted ones too)."""
    rows = store.query(_SELECT + " WHERE h.case_id = ? ORDER BY h.id", (case_id,))
    return [_from_row(r) for r in rows]


def active_hold(store: Store, case_id: int) -> Hold | None:
    rows = store.query(
        _SELECT + " WHERE h.case_id = ? AND h.lifted_on IS NULL ORDER BY h.id DESC LIMIT 1",
        (case_id,),
    )
    return _from_row(rows[0]) if rows else None


def active_holds(store: Store, case_ids: Sequence[int]) -> dict[int, Hold]:
    """The active hold per case, for the given cases."""
    found: dict[int, Hold] = {}
    for case_id in sorted({int(c) for c in case_ids}):
        hold = active_hold(store, case_id)
        if hold is not None:
            found[case_id] = hold
    return found


def hold_line(hold: Hold) -> str:
    """One Dutch line for the case file and the retention list."""
    text = _("On hold since {date}: {reason}").format(
        date=show_date(hold.placed_on), reason=hold_label(hold.reason)
    )
    if hold.review_on is not None:
        text += " " + _("(look at it again on {date})").format(date=show_date(hold.review_on))
    return text


def place_hold(
    store: Store,
    case_id: int,
    *,
    reason: str,
    note: str,
    review_on: date | None,
    now: datetime,
) -> Hold:
    """Put the case on hold. ValidationError: unknown case, already on hold, no reason, no
    explanation for "other", a review date in the past."""
    if reason not in HOLD_REASONS:
        raise ValidationError(_("Choose why the file is put on hold."), "reason")
    check_text(
        note,
        "note",
        required=_("Write what the other procedure is.") if reason == "other" else "",
    )
    today = now.date()
    if review_on is not None and review_on < today:
        raise ValidationError(
            _("The review date {date} has already passed.").format(date=show_date(review_on)),
            "review_on",
        )
    with store.transaction() as conn:
        if conn.execute("SELECT 1 FROM case_file WHERE id = ?", (case_id,)).fetchone() is None:
            raise not_found()
        if conn.execute(
            "SELECT 1 FROM case_hold WHERE case_id = ? AND lifted_on IS NULL", (case_id,)
        ).fetchone():
            raise ValidationError(_("This file is already on hold."))
        note_id = insert_note(conn, note, case_id)
        hold_id = conn.execute(
            "INSERT INTO case_hold(case_id, reason, placed_on, review_on, note_id) "
            "VALUES (?, ?, ?, ?, ?)",
            (
                case_id,
                reason,
                today.isoformat(),
                None if review_on is None else review_on.isoformat(),
                note_id,
            ),
        ).lastrowid
        journal.record(conn, moment_to_db(now), "hold_placed", reason=reason)
    hold = active_hold(store, case_id)
    assert hold is not None and hold.id == hold_id
    return hold


def lift_hold(store: Store, case_id: int, *, note: str, now: datetime) -> Hold:
    """End the active hold of the case, with a note why (required)."""
    check_text(note, "note", required=_("Write why the hold ends."))
    with store.transaction() as conn:
        row = conn.execute(
            "SELECT id FROM case_hold WHERE case_id = ? AND lifted_on IS NULL", (case_id,)
        ).fetchone()
        if row is None:
            raise ValidationError(_("This file is not on hold."))
        note_id = insert_note(conn, note, case_id)
        conn.execute(
            "UPDATE case_hold SET lifted_on = ?, lift_note_id = ? WHERE id = ?",
            (now.date().isoformat(), note_id, int(row[0])),
        )
        journal.record(conn, moment_to_db(now), "hold_lifted")
        hold_id = int(row[0])
    return next(h for h in holds_for_case(store, case_id) if h.id == hold_id)
