"""A request for rectification (AVG art. 16; DOMAIN.md; issue 13 item 1).

Correcting itself is done in the case file ("Correct…"): a correction entry, the history
stays. This records the REQUEST and what the VP did with it: who asked (checked as for
access and erasure), when, the child-safety answer when a parent asks (possible danger at
home, or the pupil's wish not to involve the parents — the VP may then refuse, art. 23 AVG,
art. 41 UAVG), the outcome (`corrected` or `refused`) and the VP's reason (required when
refusing or when the safety answer is yes). One `privacy_request` row (kind
`rectification`), journal `privacy_request` with codes only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from app import journal
from app.domain.dates import moment_to_db
from app.domain.errors import ValidationError
from app.i18n import _
from app.services.erasure import PARENTS, answer_due, check_requester
from app.services.rows import insert_note
from app.services.validation import check_text, not_found
from app.store.db import Store

__all__ = ["OUTCOMES", "RectificationRequest", "record_rectification"]

OUTCOMES = ("corrected", "refused")


@dataclass(frozen=True)
class RectificationRequest:
    requester: str
    under_16: bool | None
    received_on: date
    outcome: str
    safety_concern: bool | None = None
    reason: str = ""


def record_rectification(
    store: Store, pupil_id: int, request: RectificationRequest, *, now: datetime
) -> int:
    """Check and record the request and its outcome; the new row's id."""
    check_requester(request.requester, request.under_16)
    if request.received_on > now.date():
        raise ValidationError(_("The date of the request lies in the future."), "received_on")
    if request.requester in PARENTS and request.safety_concern is None:
        raise ValidationError(_(
            "Answer the question first: does the file concern possible danger at home, or "
            "has the pupil said they do not want the parents involved?"), "safety_concern")
    if request.outcome not in OUTCOMES:
        raise ValidationError(_("Choose what you did with the request."), "outcome")
    need = request.outcome == "refused" or bool(request.safety_concern)
    check_text(request.reason, "reason", required=_(
        "Write down why; this is kept as your accountability.") if need else "")
    with store.transaction() as conn:
        if conn.execute("SELECT 1 FROM pupil WHERE id = ?", (pupil_id,)).fetchone() is None:
            raise not_found()
        note_id = insert_note(conn, request.reason, None)
        row_id = int(conn.execute(
            "INSERT INTO privacy_request(pupil_id, kind, requester, under_16, received_on, "
            "due_on, safety_concern, decision_note_id, done_on, outcome) "
            "VALUES (?, 'rectification', ?, ?, ?, ?, ?, ?, ?, ?)",
            (pupil_id, request.requester,
             None if request.under_16 is None else int(request.under_16),
             request.received_on.isoformat(), answer_due(request.received_on).isoformat(),
             None if request.safety_concern is None else int(request.safety_concern),
             note_id, now.date().isoformat(), request.outcome),
        ).lastrowid)
        journal.record(conn, moment_to_db(now), "privacy_request", kind="rectification",
                       step=request.outcome)
    return row_id
