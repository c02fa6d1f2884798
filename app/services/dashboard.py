"""The dashboard: what needs the VP's attention today (PRODUCT.md job 4).

Lists filled here: requests to answer (unanswered, by respond-by date, overdue flagged), plan
steps due (not done, not corrected, case open, due within `STEPS_AHEAD_DAYS`, overdue flagged),
and open cases without a conversation in the last `settings.no_contact_weeks` weeks. The slots
for obligations, backup age and retention come from their own services.

Every query starts from an index: `request_open(answered_on, respond_by)`,
`entry_due(kind, done_on, due_on)`, `case_closed(closed_on)` and `entry_case(case_id, kind,
on_date)`; none scans a table of the size of the store (QUALITY P4).
"""

from __future__ import annotations

from datetime import date, timedelta

from app.domain.dates import from_db, to_db
from app.domain.models import Dashboard, DashboardItem
from app.store.db import Store
from app.store.settings import Settings

STEPS_AHEAD_DAYS = 7
MAX_ITEMS = 200
DETAIL_CHARS = 120


def _flat(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= DETAIL_CHARS else flat[: DETAIL_CHARS - 1].rstrip() + "…"


def requests_to_answer(store: Store, today: date) -> tuple[DashboardItem, ...]:
    rows = store.query(
        "SELECT r.id, r.case_id, coalesce(p.name, r.pupil_label), r.respond_by, r.source "
        "FROM request r LEFT JOIN pupil p ON p.id = r.pupil_id "
        "WHERE r.answered_on IS NULL ORDER BY r.respond_by, r.id LIMIT ?",
        (MAX_ITEMS,),
    )
    items = []
    for row in rows:
        due = from_db(row[3])
        items.append(
            DashboardItem(
                kind="request",
                ref_id=int(row[0]),
                case_id=row[1],
                title=row[2],
                due=due,
                overdue=due is not None and due < today,
                detail=row[4],
            )
        )
    return tuple(items)


def plan_steps_due(store: Store, today: date) -> tuple[DashboardItem, ...]:
    rows = store.query(
        "SELECT e.id, e.case_id, p.name, e.due_on, substr(coalesce(n.body, ''), 1, ?) "
        "FROM entry e JOIN case_file c ON c.id = e.case_id JOIN pupil p ON p.id = c.pupil_id "
        "LEFT JOIN note n ON n.id = e.note_id "
        "WHERE e.kind = 'plan_step' AND e.done_on IS NULL AND e.due_on <= ? "
        "AND c.closed_on IS NULL "
        "AND NOT EXISTS (SELECT 1 FROM entry s WHERE s.supersedes = e.id) "
        "ORDER BY e.due_on, e.id LIMIT ?",
        (DETAIL_CHARS * 2, to_db(today + timedelta(days=STEPS_AHEAD_DAYS)), MAX_ITEMS),
    )
    items = []
    for row in rows:
        due = from_db(row[3])
        items.append(
            DashboardItem(
                kind="plan_step",
                ref_id=int(row[0]),
                case_id=int(row[1]),
                title=row[2],
                due=due,
                overdue=due is not None and due < today,
                detail=_flat(str(row[4])),
            )
        )
    return tuple(items)


def cases_without_contact(store: Store, today: date, weeks: int) -> tuple[DashboardItem, ...]:
    """Open cases opened on or before the cut-off with no conversation after it; `due` is the
    last conversation (None when there never was one)."""
    cutoff = to_db(today - timedelta(weeks=max(1, weeks)))
    rows = store.query(
        "SELECT c.id, p.name, c.opened_on, "
        "(SELECT max(e.on_date) FROM entry e WHERE e.case_id = c.id AND e.kind = 'conversation') "
        "AS last FROM case_file c JOIN pupil p ON p.id = c.pupil_id "
        "WHERE c.closed_on IS NULL AND c.opened_on <= ? AND (last IS NULL OR last <= ?) "
        "ORDER BY last, c.id LIMIT ?",
        (cutoff, cutoff, MAX_ITEMS),
    )
    return tuple(
        DashboardItem(
            kind="no_contact",
            ref_id=int(row[0]),
            case_id=int(row[0]),
            title=row[1],
            due=from_db(row[3]),
            overdue=True,
            detail=str(row[2]),
        )
        for row in rows
    )


def dashboard(store: Store, today: date, settings: Settings) -> Dashboard:
    """All dashboard lists for `today` (read in one go; each query is index-driven)."""
    from app.services import backup, escalation, retention

    return Dashboard(
        today=today,
        requests=requests_to_answer(store, today),
        plan_steps=plan_steps_due(store, today),
        no_contact=cases_without_contact(store, today, settings.no_contact_weeks),
        obligations=escalation.dashboard_items(store, today),
        backup_age_days=backup.backup_age_days(store, today, settings.backup_dir or None),
        retention_due=retention.dashboard_items(store, today, settings),
    )
