"""A complete answer to a request for access (AVG art. 15; DOMAIN.md; issue 13 item 5).

`export_on_request` checks who asks (`app.services.erasure.check_requester`: for a pupil
under 16 a parent with parental authority, from 16 the pupil), asks for the child-safety
answer when a parent asks (possible danger at home, or the pupil's wish not to involve the
parents), requires a recorded reason when the VP leaves parts out (art. 15(4), 23; UAVG
art. 41) and then makes the PDF of `app.services.access_export.pupil_export_pdf` with:

* before the data — who asked, when the request came in and the answer term (one month,
  extendable by at most two months with a reason, art. 12(3)), and the school board as the
  controller (`settings.board_name`, else the school);
* after the data — the unfinished drafts about the pupil, and "about this processing": the
  purposes, the categories of data, the recipients (those the file says were informed or
  given consent to), the retention period of the school (both settings), where the data come
  from, that no automated decisions are taken, the rights to rectification, erasure,
  restriction and objection (art. 16-18, 21) and the right to complain to the Autoriteit
  Persoonsgegevens.

The request is tracked in `privacy_request` (kind `access`): `record_access_request` keeps
one that is answered later (its due date shows in the dialog, `open_requests`),
`extend_request` moves the term with a reason, and the export marks it done (or records a
new, done row). The journal gets `privacy_request` with codes and counts only.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from app import journal
from app.domain.dates import from_db, moment_to_db, show_date
from app.domain.errors import ValidationError
from app.domain.lists import RECIPIENTS, label
from app.i18n import _
from app.services.access_export import Writer, pupil_export_pdf
from app.services.erasure import PARENTS, answer_due, check_requester, requester_label
from app.services.rows import insert_note
from app.services.validation import check_text, not_found
from app.store.db import Store
from app.store.settings import Settings, load_settings

__all__ = [
    "AccessRequest",
    "OpenRequest",
    "check_access_request",
    "controller_name",
    "export_on_request",
    "extend_request",
    "open_requests",
    "privacy_reminders",
    "record_access_request",
]

_IN_LIST = "(SELECT value FROM json_each(?))"


@dataclass(frozen=True)
class AccessRequest:
    requester: str
    under_16: bool | None
    received_on: date
    safety_concern: bool | None = None  # asked when a parent asks
    withheld: frozenset[str] = field(default_factory=frozenset)  # text keys left out
    reason: str = ""  # why parts are left out (required then)


@dataclass(frozen=True)
class OpenRequest:
    id: int
    requester: str
    received_on: date
    due_on: date
    extended_to: date | None

    @property
    def answer_by(self) -> date:
        return self.extended_to or self.due_on


def controller_name(settings: Settings) -> str:
    """The controller under the AVG: the school board (a setting), else the school."""
    return settings.board_name.strip() or settings.school


def check_access_request(request: AccessRequest, today: date) -> None:
    check_requester(request.requester, request.under_16)
    if request.received_on > today:
        raise ValidationError(_("The date of the request lies in the future."), "received_on")
    if request.requester in PARENTS and request.safety_concern is None:
        raise ValidationError(_(
            "Answer the question first: does the file concern possible danger at home, or "
            "has the pupil said they do not want the parents involved?"), "safety_concern")
    check_text(request.reason, "reason", required=_(
        "Write down why you leave parts out; this is kept as your accountability.")
        if request.withheld else "")


def open_requests(store: Store, pupil_id: int) -> list[OpenRequest]:
    rows = store.query(
        "SELECT id, requester, received_on, due_on, extended_to FROM privacy_request "
        "WHERE pupil_id = ? AND kind = 'access' AND done_on IS NULL ORDER BY id", (pupil_id,))
    found = []
    for row in rows:
        received, due = from_db(row[2]), from_db(row[3])
        assert received is not None and due is not None
        found.append(OpenRequest(int(row[0]), str(row[1]), received, due, from_db(row[4])))
    return found


def record_access_request(
    store: Store, pupil_id: int, requester: str, under_16: bool | None, received_on: date, *,
    now: datetime,
) -> OpenRequest:
    """Keep a request that will be answered later; its answer term starts now."""
    check_requester(requester, under_16)
    if received_on > now.date():
        raise ValidationError(_("The date of the request lies in the future."), "received_on")
    with store.transaction() as conn:
        if conn.execute("SELECT 1 FROM pupil WHERE id = ?", (pupil_id,)).fetchone() is None:
            raise not_found()
        conn.execute(
            "INSERT INTO privacy_request(pupil_id, kind, requester, under_16, received_on, "
            "due_on) VALUES (?, 'access', ?, ?, ?, ?)",
            (pupil_id, requester, None if under_16 is None else int(under_16),
             received_on.isoformat(), answer_due(received_on).isoformat()))
        journal.record(conn, moment_to_db(now), "privacy_request", kind="access",
                       step="received")
    return open_requests(store, pupil_id)[-1]


def extend_request(store: Store, request_id: int, until: date, reason: str, *,
                   now: datetime) -> None:
    """Extend the answer term (art. 12(3)): at most two months after the first term, with a
    reason that is recorded."""
    check_text(reason, "reason", required=_("Write down why you need more time."))
    row = store.query("SELECT due_on FROM privacy_request WHERE id = ? AND done_on IS NULL",
                      (request_id,))
    if not row:
        raise not_found()
    due = from_db(row[0][0])
    assert due is not None
    latest = answer_due(answer_due(due))
    if until <= due or until > latest:
        raise ValidationError(_(
            "The term can be extended by at most two months: choose a date after {due} and at "
            "the latest {latest}.").format(due=show_date(due), latest=show_date(latest)))
    with store.transaction() as conn:
        note_id = insert_note(conn, reason, None)
        conn.execute("UPDATE privacy_request SET extended_to = ?, extension_note_id = ? "
                     "WHERE id = ?", (until.isoformat(), note_id, request_id))
        journal.record(conn, moment_to_db(now), "privacy_request", kind="access",
                       step="extended")


# --- the sections ---------------------------------------------------------------------------


def _recipients(store: Store, pupil_id: int) -> list[str]:
    """Whom the file says data went to: consents given, and who was informed for a duty."""
    cases = json.dumps([int(r[0]) for r in store.query(
        "SELECT id FROM case_file WHERE pupil_id = ?", (pupil_id,))])
    found: list[str] = []
    for (recipient,) in store.query(
        f"SELECT DISTINCT recipient FROM entry WHERE case_id IN {_IN_LIST} AND kind = "
        "'consent' AND consent = 1 AND recipient IS NOT NULL ORDER BY recipient", (cases,)):
        found.append(label(RECIPIENTS, str(recipient)))
    for (whom,) in store.query(
        f"SELECT DISTINCT informed_whom FROM obligation WHERE case_id IN {_IN_LIST} AND "
        "done_on IS NOT NULL AND coalesce(informed_whom, '') != '' ORDER BY 1", (cases,)):
        found.append(str(whom))
    return list(dict.fromkeys(found))


def _drafts(store: Store, pupil_id: int) -> list[tuple[str, str]]:
    """Unfinished drafts about the pupil: (kind, text of the draft's filled-in fields)."""
    cases = {int(r[0]) for r in store.query(
        "SELECT id FROM case_file WHERE pupil_id = ?", (pupil_id,))}
    found: list[tuple[str, str]] = []
    for kind, body in store.query("SELECT kind, body FROM draft ORDER BY kind"):
        try:
            state = json.loads(body)
        except (TypeError, ValueError):
            continue
        if not isinstance(state, dict):
            continue
        mine = (kind == "intake" and state.get("pupil_id") == pupil_id) or (
            str(kind).startswith("escalation:") and str(kind)[11:].isdigit()
            and int(str(kind)[11:]) in cases)
        if not mine:
            continue
        texts = [str(v) for v in _strings(state) if str(v).strip()]
        if texts:
            found.append((str(kind), "\n".join(texts)))
    return found


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _preface(w: Writer, request: AccessRequest, settings: Settings, due: date,
             extended: OpenRequest | None) -> None:
    w.para(_("The request"), w.h2)
    term = show_date(due)
    if extended is not None and extended.extended_to is not None:
        term = _("{date} (extended)").format(date=show_date(extended.extended_to))
    w.fields([
        (_("Asked by"), requester_label(request.requester)),
        (_("Request received on"), show_date(request.received_on)),
        (_("Answer term"), _("one month, at the latest {date}; it can be extended by two "
                             "months with a reason (AVG article 12(3))").format(date=term)),
        (_("Controller"), _("{board} (the school board)").format(
            board=controller_name(settings))),
    ])


def _appendix(w: Writer, store: Store, pupil_id: int, settings: Settings) -> None:
    drafts = _drafts(store, pupil_id)
    if drafts:
        w.para(_("Unfinished drafts"), w.h2)
        w.para(_("Forms that were started but not yet saved; they are part of the file too."),
               w.small)
        for kind, text in drafts:
            w.text(_("Draft"), text, f"draft:{kind}")
    w.para(_("About this processing (AVG article 15)"), w.h2)
    recipients = _recipients(store, pupil_id)
    years, meldcode = settings.retention_years, settings.retention_years_meldcode
    w.fields([
        (_("Controller"), _(
            "{board}, the school board, is responsible for this processing. The confidential "
            "adviser keeps the file for the board.").format(board=controller_name(settings))),
        (_("Purposes"), _(
            "Supporting the pupil as confidential adviser (the school's protocol); meeting "
            "legal duties (the meldcode for domestic violence and child abuse, the duty to "
            "report sexual offences to the school board); an anonymous annual report with "
            "counts only.")),
        (_("Categories of data"), _(
            "Name, class and year; what the pupil and others told; conversations, agreements, "
            "referrals and consents; checks and duties. Sometimes data about health or "
            "possible criminal offences (special categories), kept to a minimum.")),
        (_("Recipients"), (_("According to this file, data were shared with: {list}.").format(
            list=", ".join(recipients)) if recipients else _(
            "According to this file, no data were shared with anyone.")) + " " + _(
            "Data are shared only with consent or when the law requires it.")),
        (_("Retention period"), _(
            "Set by the school: a closed file is destroyed once it has been counted in the "
            "annual report, {years} year(s) after the end of that school year; a file with a "
            "meldcode route after {meldcode} year(s). A file is kept longer only while a "
            "procedure (complaint, police, report) is running.").format(
                years=years, meldcode=meldcode)),
        (_("Source"), _(
            "The pupil, and the person who raised the concern where the file says so.")),
        (_("Automated decisions"), _(
            "None. The program suggests duties from the answers; the confidential adviser "
            "decides.")),
        (_("Your rights"), _(
            "You may ask to correct data (rectification, article 16), to erase them (article "
            "17), to restrict their use (article 18) and you may object (article 21). Ask the "
            "confidential adviser or the school board.")),
        (_("Complaints"), _(
            "You may complain to the Autoriteit Persoonsgegevens "
            "(autoriteitpersoonsgegevens.nl); first talking with the school board or its data "
            "protection officer is often quicker.")),
    ])


def export_on_request(
    store: Store,
    pupil_id: int,
    request: AccessRequest,
    *,
    made_by: str,
    now: datetime,
    also_requests: Sequence[int] = (),
) -> bytes:
    """Check the request, make the PDF with every art. 15(1) item, and record it as done."""
    check_access_request(request, now.date())
    if store.scalar("SELECT 1 FROM pupil WHERE id = ?", (pupil_id,)) is None:
        raise not_found()
    settings = load_settings(store)
    pending = next((r for r in open_requests(store, pupil_id)
                    if r.received_on == request.received_on), None)
    due = pending.due_on if pending is not None else answer_due(request.received_on)
    pdf = pupil_export_pdf(
        store, pupil_id, made_by=made_by, now=now, also_requests=also_requests,
        withheld=request.withheld,
        preface=lambda w: _preface(w, request, settings, due, pending),
        appendix=lambda w: _appendix(w, store, pupil_id, settings),
    )
    with store.transaction() as conn:
        note_id = insert_note(conn, request.reason, None)
        values = (request.requester, None if request.under_16 is None else int(request.under_16),
                  None if request.safety_concern is None else int(request.safety_concern),
                  int(bool(request.withheld)), note_id, now.date().isoformat())
        if pending is not None:
            conn.execute(
                "UPDATE privacy_request SET requester = ?, under_16 = ?, safety_concern = ?, "
                "withheld = ?, decision_note_id = ?, done_on = ?, outcome = 'answered' "
                "WHERE id = ?", (*values, pending.id))
        else:
            conn.execute(
                "INSERT INTO privacy_request(pupil_id, kind, requester, under_16, "
                "safety_concern, withheld, decision_note_id, done_on, outcome, received_on, "
                "due_on) VALUES (?, 'access', ?, ?, ?, ?, ?, ?, 'answered', ?, ?)",
                (pupil_id, *values, request.received_on.isoformat(), due.isoformat()))
        journal.record(conn, moment_to_db(now), "privacy_request", kind="access",
                       step="answered", withheld=int(bool(request.withheld)),
                       late=int(now.date() > (pending.answer_by if pending else due)))
    return pdf


def privacy_reminders(store: Store, today: date) -> list[str]:
    """Dashboard lines: privacy requests waiting for an answer (with the first answer date),
    and files on hold whose review date has come."""
    lines: list[str] = []
    row = store.query(
        "SELECT count(*), min(coalesce(extended_to, due_on)) FROM privacy_request "
        "WHERE done_on IS NULL")[0]
    if int(row[0] or 0):
        first = from_db(row[1])
        assert first is not None
        text = _("{count} privacy request(s) waiting for an answer; the first by {date}.")
        if first < today:
            text = _("{count} privacy request(s) waiting for an answer; the first was due on "
                     "{date}.")
        lines.append(text.format(count=int(row[0]), date=show_date(first)))
    review = int(store.scalar(
        "SELECT count(*) FROM case_hold WHERE lifted_on IS NULL AND review_on IS NOT NULL "
        "AND review_on <= ?", (today.isoformat(),)) or 0)
    if review:
        lines.append(_("{count} file(s) on hold to look at again: does the procedure still "
                       "run?").format(count=review))
    return lines
