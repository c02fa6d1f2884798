"""Reminders around the escalation check (DOMAIN.md "Categories" and the 2026.2 notes).

Owns two dashboard prompts, both for OPEN cases only:

* **A check still to do** (`check_reminder` rows, migration 6). An escalating category starts
  the check; when the VP cancels it (`remind_check`, called by the wizard on cancel), a
  reminder stays on the dashboard until a check is recorded on the case (`record_check` calls
  `settle_reminders` inside its transaction) or the VP waives it with a written reason
  (`waive_reminder`; the reason is a note of the case). One open reminder per case.
* **Check again: the rules have been improved.** Every open case whose LAST check ran under
  an older rules version than `app.rules.escalation.RULES_VERSION` (`recheck_cases`,
  `needs_recheck`). A re-check is an ordinary new check: it adds a decision and never
  overwrites the old one, which keeps reading back with its own version's texts.

`dashboard_items` gives both as `DashboardItem`s (kinds `check_reminder` and `recheck`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final

from app.domain.dates import moment_from_db, moment_to_db
from app.domain.errors import ValidationError
from app.domain.models import DashboardItem
from app.i18n import _
from app.rules.escalation import RULES_VERSION, VERSION_FILES
from app.services.rows import insert_note
from app.services.validation import check_text, not_found
from app.store.db import Store

__all__ = [
    "CheckReminder",
    "dashboard_items",
    "needs_recheck",
    "open_reminders",
    "recheck_cases",
    "recheck_label",
    "remind_check",
    "settle_reminders",
    "waive_reminder",
]

_SELECT: Final = (
    "SELECT r.id, r.case_id, r.created_at, r.reason, p.name FROM check_reminder r "
    "JOIN case_file c ON c.id = r.case_id JOIN pupil p ON p.id = c.pupil_id "
    "WHERE r.done_at IS NULL AND r.waived_at IS NULL AND c.closed_on IS NULL"
)


@dataclass(frozen=True)
class CheckReminder:
    """An escalation check still to do on an open case."""

    id: int
    case_id: int
    created_at: datetime
    reason: str  # "cancelled": started and cancelled; "category": not started yet
    pupil_name: str


def recheck_label() -> str:
    """The prompt for a case whose last check ran under older rules (DOMAIN.md)."""
    return _("Check again: the rules have been improved")


def _moment(now: datetime) -> datetime:
    return now.replace(microsecond=0, tzinfo=None)


def remind_check(
    store: Store, case_id: int, *, now: datetime, reason: str = "cancelled"
) -> int | None:
    """Leave a reminder that the check of the case is still to do; returns its id.

    None when the case is closed, already has an open reminder (that one stays), or got a
    check after `now` began (nothing to remind of)."""
    if reason not in ("cancelled", "category"):
        raise ValueError(f"unknown reminder reason {reason!r}")
    with store.transaction() as conn:
        row = conn.execute("SELECT closed_on FROM case_file WHERE id = ?", (case_id,)).fetchone()
        if row is None:
            raise not_found()
        if row[0] is not None:
            return None
        open_one = conn.execute(
            "SELECT 1 FROM check_reminder WHERE case_id = ? AND done_at IS NULL "
            "AND waived_at IS NULL LIMIT 1",
            (case_id,),
        ).fetchone()
        if open_one is not None:
            return None
        return int(
            conn.execute(
                "INSERT INTO check_reminder(case_id, created_at, reason) VALUES (?, ?, ?)",
                (case_id, moment_to_db(_moment(now)), reason),
            ).lastrowid
        )


def settle_reminders(conn: Any, case_id: int, escalation_id: int, now: datetime) -> None:
    """Inside the caller's transaction: a check was recorded, so the open reminders of the
    case are done."""
    conn.execute(
        "UPDATE check_reminder SET done_at = ?, escalation_id = ? WHERE case_id = ? "
        "AND done_at IS NULL AND waived_at IS NULL",
        (moment_to_db(_moment(now)), escalation_id, case_id),
    )


def waive_reminder(store: Store, reminder_id: int, reason_text: str, *, now: datetime) -> None:
    """Waive an open reminder with a written reason (kept as a note of the case)."""
    check_text(reason_text, "reason_text")
    if not reason_text.strip():
        raise ValidationError(
            _("Write down why this case does not need the escalation check."), "reason_text"
        )
    with store.transaction() as conn:
        row = conn.execute(
            "SELECT case_id, done_at, waived_at FROM check_reminder WHERE id = ?", (reminder_id,)
        ).fetchone()
        if row is None:
            raise not_found()
        if row[1] is not None or row[2] is not None:
            raise ValidationError(_("This reminder has already been dealt with."))
        note_id = insert_note(conn, reason_text, int(row[0]))
        conn.execute(
            "UPDATE check_reminder SET waived_at = ?, waive_note_id = ? WHERE id = ?",
            (moment_to_db(_moment(now)), note_id, reminder_id),
        )


def open_reminders(store: Store, case_id: int | None = None) -> list[CheckReminder]:
    """Open reminders on open cases (of one case, or all), oldest first."""
    where, params = ("", ()) if case_id is None else (" AND r.case_id = ?", (case_id,))
    rows = store.query(_SELECT + where + " ORDER BY r.created_at, r.id", params)
    return [
        CheckReminder(
            id=int(r[0]),
            case_id=int(r[1]),
            created_at=moment_from_db(r[2]) or datetime.min,
            reason=r[3],
            pupil_name=r[4],
        )
        for r in rows
    ]


def _older(version: str) -> bool:
    """A rules version before the current one (an unknown version counts as older)."""
    versions = list(VERSION_FILES)
    return version not in versions or versions.index(version) < versions.index(RULES_VERSION)


def recheck_cases(store: Store) -> list[tuple[int, str]]:
    """(case id, rules version) of every open case whose last check ran under older rules."""
    rows = store.query(
        "SELECT e.case_id, e.rules_version FROM escalation e JOIN case_file c ON c.id = "
        "e.case_id WHERE c.closed_on IS NULL AND e.id = (SELECT e2.id FROM escalation e2 "
        "WHERE e2.case_id = e.case_id ORDER BY e2.decided_at DESC, e2.id DESC LIMIT 1) "
        "ORDER BY e.case_id"
    )
    return [(int(r[0]), str(r[1])) for r in rows if _older(str(r[1]))]


def needs_recheck(store: Store, case_id: int) -> bool:
    """True when the case is open and its last check ran under older rules."""
    return any(c == case_id for c, _version in recheck_cases(store))


def dashboard_items(store: Store, today: date | None = None) -> tuple[DashboardItem, ...]:
    """Reminders (kind `check_reminder`, due the day they arose) and re-check prompts (kind
    `recheck`), each on an open case."""
    del today  # the prompts do not depend on the day
    items: list[DashboardItem] = [
        DashboardItem(
            kind="check_reminder",
            ref_id=r.id,
            case_id=r.case_id,
            title=_("Escalation check not finished"),
            due=r.created_at.date(),
            overdue=False,
            detail=r.reason,
        )
        for r in open_reminders(store)
    ]
    items += [
        DashboardItem(
            kind="recheck",
            ref_id=case_id,
            case_id=case_id,
            title=recheck_label(),
            due=None,
            overdue=False,
            detail=version,
        )
        for case_id, version in recheck_cases(store)
    ]
    return tuple(items)

