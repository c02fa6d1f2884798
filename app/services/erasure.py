"""The right to erasure with its legal limits (AVG art. 17; DOMAIN.md; issue 13 item 1).

`erasure_check(store, pupil_id)` says, before anything is erased:

* `blocks` — erasure is REFUSED while the file is needed for a legal duty or a legal claim
  (art. 17(3)(b) and (e)): an open meldcode route, an open `REPORT_BOARD` or `MELDCODE`
  duty, or a file on hold. One Dutch sentence names each, with the case number.
* `open_items` — other open things (an open case, another open duty, an open plan step, a
  request not yet answered): shown to the VP, who may still decide to erase, with a written
  reason that is recorded.

`erase_on_request` erases one pupil: it checks who asked (`check_requester`: for a pupil
under 16 a parent with parental authority, from 16 the pupil), the ground of art. 17(1), the
child-safety question for a parent's request (the same question as before an access export:
does the file concern possible danger at home, or the pupil's wish not to involve the
parents? With "yes" the VP may refuse, art. 23 AVG / art. 41 UAVG, and going ahead needs a
recorded reason), refuses on `blocks`, and then — in ONE transaction — records the erasure in
the ledger outside the store (`app.services.erasure_ledger`), deletes everything through
`app.services.retention.erase`, keeps a name-free `privacy_request` row (who asked, ground,
dates, the VP's reason) and journals `erased` with counts. Then `optimize` + `VACUUM`.

`copies_note(store)` tells where copies of erased data still exist: backups in the backup
folder until they are rotated out, and safety copies in the data folder until they are removed.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from app import journal
from app.domain.dates import moment_to_db, show_date
from app.domain.errors import ValidationError
from app.i18n import _
from app.services.erasure_ledger import remember
from app.services.retention import compact_after, erase
from app.services.rows import insert_note
from app.services.validation import check_text, not_found
from app.store.db import Store

__all__ = [
    "ERASURE_GROUNDS",
    "REQUESTERS",
    "ErasureCheck",
    "ErasureRequest",
    "answer_due",
    "check_requester",
    "erase_on_request",
    "erasure_check",
    "ground_label",
    "requester_label",
]

#: AVG art. 17(1)(a)-(f), in the order of the article.
ERASURE_GROUNDS = ("not_needed", "consent_withdrawn", "objection", "unlawful", "legal_duty",
                   "online_child")
REQUESTERS = ("pupil", "parent_authority", "parent_no_authority", "other")
PARENTS = ("parent_authority", "parent_no_authority")
BLOCKING_DUTIES = ("REPORT_BOARD", "MELDCODE")


def ground_label(ground: str) -> str:
    labels = {
        "not_needed": _("the data are no longer needed for the purpose they were kept for"),
        "consent_withdrawn": _("consent is withdrawn and there is no other basis"),
        "objection": _("the pupil or parent objects, and there is no weightier reason to keep "
                       "them"),
        "unlawful": _("the data were kept unlawfully"),
        "legal_duty": _("the law requires erasure"),
        "online_child": _("the data were collected for an online service offered to a child"),
    }
    return labels.get(ground, ground)


def requester_label(requester: str) -> str:
    labels = {
        "pupil": _("the pupil"),
        "parent_authority": _("a parent or carer with parental authority"),
        "parent_no_authority": _("a parent without parental authority"),
        "other": _("someone else"),
    }
    return labels.get(requester, requester)


def answer_due(received_on: date) -> date:
    """One month after the request came in (AVG art. 12(3)); the same day next month, or the
    month's last day when that day does not exist."""
    year, month = divmod(received_on.month, 12)
    year, month = received_on.year + year, month + 1
    for day in (received_on.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    return received_on + timedelta(days=28)


def check_requester(requester: str, under_16: bool | None) -> None:
    """ValidationError unless this person may exercise the pupil's rights (DOMAIN.md): for a
    pupil under 16 a parent with parental authority; from 16 the pupil."""
    if requester not in REQUESTERS:
        raise ValidationError(_("Choose who is asking."), "requester")
    if under_16 is None:
        raise ValidationError(_("Answer whether the pupil is younger than 16."), "under_16")
    if requester == "parent_no_authority":
        raise ValidationError(_(
            "A parent without parental authority cannot exercise the pupil's privacy rights. "
            "That parent may only receive general information about the pupil (BW 1:377c), and "
            "never more than is in the pupil's interest."), "requester")
    if requester == "other":
        raise ValidationError(_(
            "Only the pupil, or for a pupil under 16 a parent with parental authority, can make "
            "this request."), "requester")
    if under_16 and requester == "pupil":
        raise ValidationError(_(
            "For a pupil under 16 the parents with parental authority make this request. Talk "
            "with the pupil about what they want."), "requester")
    if not under_16 and requester == "parent_authority":
        raise ValidationError(_(
            "From 16 the pupil makes this request. A parent can only do so on the pupil's "
            "behalf, with the pupil's written consent."), "requester")


@dataclass(frozen=True)
class ErasureCheck:
    blocks: tuple[str, ...]  # refused while any of these hold (art. 17(3)(b),(e))
    open_items: tuple[str, ...]  # the VP decides, with a recorded reason

    @property
    def refused(self) -> bool:
        return bool(self.blocks)

    def refusal(self) -> str:
        """The Dutch sentence of a refusal."""
        return _(
            "Erasing is not possible now: the file is still needed for a legal duty or a "
            "procedure that is running (AVG article 17(3) b and e). {items} Erase it once "
            "that has ended."
        ).format(items=" ".join(self.blocks))


def erasure_check(store: Store, pupil_id: int) -> ErasureCheck:
    """What stands in the way of erasing the pupil (see the module docstring)."""
    if store.scalar("SELECT 1 FROM pupil WHERE id = ?", (pupil_id,)) is None:
        raise not_found()
    blocks: list[str] = []
    for (case_id,) in store.query(
        "SELECT DISTINCT r.case_id FROM meldcode_route r JOIN case_file c ON c.id = r.case_id "
        "WHERE c.pupil_id = ? AND r.closed_on IS NULL ORDER BY r.case_id", (pupil_id,)
    ):
        blocks.append(_("Case {case}: the meldcode route is still open.").format(case=case_id))
    for case_id, code in store.query(
        "SELECT o.case_id, o.duty_code FROM obligation o JOIN case_file c ON c.id = o.case_id "
        "WHERE c.pupil_id = ? AND o.done_on IS NULL AND o.duty_code IN ('REPORT_BOARD', "
        "'MELDCODE') GROUP BY o.case_id, o.duty_code ORDER BY o.case_id", (pupil_id,)
    ):
        text = (_("Case {case}: the school board has not yet been informed (a legal duty).")
                if code == "REPORT_BOARD" else
                _("Case {case}: the meldcode duty has not been done yet."))
        blocks.append(text.format(case=case_id))
    for (case_id,) in store.query(
        "SELECT DISTINCT h.case_id FROM case_hold h JOIN case_file c ON c.id = h.case_id "
        "WHERE c.pupil_id = ? AND h.lifted_on IS NULL ORDER BY h.case_id", (pupil_id,)
    ):
        blocks.append(_("Case {case} is on hold because a procedure is still running.")
                      .format(case=case_id))
    items: list[str] = []
    for (case_id,) in store.query(
        "SELECT id FROM case_file WHERE pupil_id = ? AND closed_on IS NULL ORDER BY id",
        (pupil_id,),
    ):
        items.append(_("Case {case} is still open.").format(case=case_id))
    duties = int(store.scalar(
        "SELECT count(*) FROM obligation o JOIN case_file c ON c.id = o.case_id "
        "WHERE c.pupil_id = ? AND o.done_on IS NULL AND o.duty_code NOT IN ('REPORT_BOARD', "
        "'MELDCODE')", (pupil_id,)) or 0)
    if duties:
        items.append(_("{count} other duty or duties are still open.").format(count=duties))
    steps = int(store.scalar(
        "SELECT count(*) FROM entry e JOIN case_file c ON c.id = e.case_id WHERE c.pupil_id = ? "
        "AND e.kind = 'plan_step' AND e.done_on IS NULL AND NOT EXISTS "
        "(SELECT 1 FROM entry s WHERE s.supersedes = e.id)", (pupil_id,)) or 0)
    if steps:
        items.append(_("{count} step(s) of a plan of action are still open.").format(count=steps))
    waiting = int(store.scalar(
        "SELECT count(*) FROM request WHERE pupil_id = ? AND answered_on IS NULL", (pupil_id,)
    ) or 0)
    if waiting:
        items.append(_("{count} request(s) for contact have not been answered yet.")
                     .format(count=waiting))
    return ErasureCheck(tuple(blocks), tuple(items))


@dataclass(frozen=True)
class ErasureRequest:
    """Who asked, when, on which ground, and what the VP decided."""

    requester: str
    under_16: bool | None
    received_on: date
    ground: str
    safety_concern: bool | None = None  # asked for a parent's request
    reason: str = ""  # the VP's reason: required with open items or a safety concern


def _check_request(request: ErasureRequest, check: ErasureCheck, today: date) -> None:
    check_requester(request.requester, request.under_16)
    if request.ground not in ERASURE_GROUNDS:
        raise ValidationError(_("Choose the ground for the erasure (AVG article 17(1))."),
                              "ground")
    if request.received_on > today:
        raise ValidationError(_("The date of the request lies in the future."), "received_on")
    if request.requester in PARENTS and request.safety_concern is None:
        raise ValidationError(_(
            "Answer the question first: does the file concern possible danger at home, or "
            "has the pupil said they do not want the parents involved?"), "safety_concern")
    if check.refused:
        raise ValidationError(check.refusal())
    need_reason = bool(check.open_items) or bool(request.safety_concern)
    check_text(request.reason, "reason", required=_(
        "Write down why you erase anyway; this is kept as your accountability.")
        if need_reason else "")


def erase_on_request(
    store: Store,
    pupil_id: int,
    request: ErasureRequest,
    *,
    now: datetime,
    also_requests: Sequence[int] = (),
) -> int:
    """Erase one pupil on request (see the module docstring); the number of cases erased.

    ValidationError (nothing erased): who asks may not, no ground, the child-safety question
    unanswered, a blocking duty or hold, or open items / a safety concern without a reason."""
    check = erasure_check(store, pupil_id)
    _check_request(request, check, now.date())
    with store.transaction() as conn:
        case_ids = [int(r[0]) for r in conn.execute(
            "SELECT id FROM case_file WHERE pupil_id = ?", (pupil_id,))]
        request_ids = [int(r[0]) for r in conn.execute(
            "SELECT id FROM request WHERE pupil_id = ?", (pupil_id,))] + [
            int(r) for r in also_requests]
        linked = json.dumps(case_ids)
        request_ids += [int(r[0]) for r in conn.execute(
            "SELECT id FROM request WHERE case_id IN (SELECT value FROM json_each(?))",
            (linked,))]
        remember(conn, store.path, event="erased", at=now, case_ids=case_ids,
                 request_ids=request_ids, pupil_ids=[pupil_id])
        counts = erase(conn, case_ids, request_ids=request_ids, pupil_ids=[pupil_id])
        note_id = insert_note(conn, request.reason, None)
        conn.execute(
            "INSERT INTO privacy_request(pupil_id, kind, requester, under_16, received_on, "
            "due_on, safety_concern, ground, decision_note_id, done_on, outcome) "
            "VALUES (NULL, 'erasure', ?, ?, ?, ?, ?, ?, ?, ?, 'erased')",
            (request.requester, None if request.under_16 is None else int(request.under_16),
             request.received_on.isoformat(), answer_due(request.received_on).isoformat(),
             None if request.safety_concern is None else int(request.safety_concern),
             request.ground, note_id, now.date().isoformat()),
        )
        journal.record(conn, moment_to_db(now), "erased", cases=counts.cases,
                       pupils=counts.pupils, requests=counts.requests, entries=counts.entries,
                       ground=request.ground, requester=request.requester)
    compact_after(store, counts.cases)
    return counts.cases


def due_line(received_on: date) -> str:
    return _("Answer by {date} (one month; at most two months more, with a reason).").format(
        date=show_date(answer_due(received_on)))
