"""Retention: which closed cases are due for destruction, and destroying them for real (job 8).

**When a case is due.** A case closed on a day in school year Y (1 August – 31 July) is due
for destruction when both hold:

* it has been *counted in an annual report*: the journal holds a `report_made` event (detail
  `school_year`, written by `app.commands.report`) for Y, or for the year after Y (that report
  shows Y's figures beside its own), made on or after the day the case was closed — so an
  interim report made while Y was still running does not count cases closed after it;
* today is on or after the end of Y plus `settings.retention_years` (default 1): `due_on` is
  31 July of Y's last calendar year plus that many years. A case with a meldcode route uses
  the school's separate, longer `settings.retention_years_meldcode`. There is no fixed legal
  term: both are the school's choice (DOMAIN.md, "Retention");
* it is not *on hold* (`app.services.holds`): a held file is listed apart
  (`RetentionOverview.held`) and never destroyed.

A case past that date whose year was never counted is *not* due: it is listed apart as
"waiting for the annual report" (`RetentionOverview.waiting`), so that the VP makes the report
first. The query starts from the index on `case_file.closed_on`.

**Destroying.** `destroy_cases` deletes, in ONE transaction, the cases and everything that
hangs off them: categories, every entry (superseded ones too), escalation checks, obligations,
meldcode routes with their steps and afwegingen, the requests linked to them, every note they
own or refer to (including the note ids kept as JSON in `escalation.question_motivations` and
`afweging.motivations`; the FTS5 index follows through the `note_ad` trigger), the drafts about
them, and pupils left without any case or request. The journal records `destroyed` with the
counts only. After the commit the FTS index is merged (`optimize`, so no old segment keeps a
deleted token) and the file is rebuilt with `VACUUM`; `secure_delete` is on for every
connection, so freed pages were already overwritten with zeros (QUALITY R13).

`erase` is the shared core; `app.services.access_export.erase_pupil` uses it for erasure of
one pupil on request. Backups made earlier still hold the data until they are replaced
(`backups_note`).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from app import journal
from app.domain.dates import (
    from_db,
    moment_from_db,
    moment_to_db,
    school_year_bounds,
    school_year_of,
    show_date,
)
from app.domain.errors import ValidationError
from app.domain.models import DashboardItem
from app.i18n import _
from app.instance_lock import refuse_if_open
from app.services.erasure_ledger import remember
from app.services.validation import not_found
from app.store.db import Store, StoreError
from app.store.settings import Settings, load_settings

__all__ = [
    "EraseCounts",
    "RetentionError",
    "RetentionItem",
    "RetentionOverview",
    "backups_note",
    "case_note_ids",
    "compact",
    "compact_after",
    "confirmation_text",
    "dashboard_items",
    "describe",
    "destroy_cases",
    "due_for_destruction",
    "due_on",
    "erase",
    "reported_years",
    "retention_overview",
    "waiting_for_report",
]

#: Draft kinds of the escalation wizard are `escalation:<case id>` (ui/wizards/escalation.py).
ESCALATION_DRAFT_PREFIX = "escalation:"
INTAKE_DRAFT = "intake"


class RetentionError(Exception):
    """Destroying worked but tidying the file afterwards did not; `message` is Dutch.

    The deletion is committed and `secure_delete` overwrote the freed pages; only the VACUUM
    (defragmenting, dropping free pages) failed. `compact` can be tried again later."""

    def __init__(self, message: str, count: int) -> None:
        super().__init__(message)
        self.message = message
        self.count = count


@dataclass(frozen=True)
class RetentionItem:
    """A closed case for the VP's confirmation screen."""

    case_id: int
    pupil_id: int
    pupil_label: str  # name, and class when known: "Sanne Beukinga (2B)"
    opened_on: date
    closed_on: date
    school_year: str  # the school year the case was closed in
    due_on: date
    reported: bool  # counted in an annual report
    meldcode: bool = False  # has a meldcode route: the longer retention setting applies
    hold: str = ""  # the active hold's reason code ("" when the file is not on hold)


@dataclass(frozen=True)
class RetentionOverview:
    due: tuple[RetentionItem, ...]  # may be destroyed now
    waiting: tuple[RetentionItem, ...]  # past their date, but the annual report was not made
    held: tuple[RetentionItem, ...] = ()  # past their date, but on hold: never destroyed


@dataclass(frozen=True)
class EraseCounts:
    cases: int = 0
    pupils: int = 0
    requests: int = 0
    entries: int = 0
    notes: int = 0


def _year_end(school_year: str) -> date:
    return date(int(school_year[:4]) + 1, 7, 31)


def due_on(closed_on: date, retention_years: int) -> date:
    """The first day a case closed on `closed_on` may be destroyed (once it was reported)."""
    end = _year_end(school_year_of(closed_on))
    return end.replace(year=end.year + max(0, int(retention_years)))


def reported_years(store: Store) -> dict[str, date]:
    """School year -> the day of the latest `report_made` for it, from the journal."""
    latest: dict[str, date] = {}
    for at, detail in store.query(
        "SELECT at, detail FROM journal WHERE event = 'report_made' ORDER BY id"
    ):
        try:
            year = json.loads(detail).get("school_year")
            moment = moment_from_db(str(at))
        except (TypeError, ValueError, AttributeError):
            continue
        if not isinstance(year, str) or moment is None:
            continue
        day = moment.date()
        if year not in latest or day > latest[year]:
            latest[year] = day
    return latest


def _counted(closed_on: date, school_year: str, reports: dict[str, date]) -> bool:
    start = int(school_year[:4])
    for year in (school_year, f"{start + 1}-{start + 2}"):
        made = reports.get(year)
        if made is not None and made >= closed_on:
            return True
    return False


def _label(name: str, class_name: str) -> str:
    return f"{name} ({class_name})" if class_name else name


def _reported_ranges(reports: dict[str, date]) -> list[tuple[str, str]]:
    """Closing-date ranges that a report counted: year Y's report covers cases closed in Y
    and (as the previous-year column) in Y-1, up to the day it was made."""
    ranges = []
    for year, made in reports.items():
        start = int(year[:4])
        for counted in (year, f"{start - 1}-{start}"):
            low, high = school_year_bounds(counted)
            ranges.append((low.isoformat(), min(high, made).isoformat()))
    return ranges


def retention_overview(
    store: Store, today: date, settings: Settings, *, reported_only: bool = False
) -> RetentionOverview:
    """The closed cases past their retention date: due ones and ones waiting for a report.

    `reported_only` reads just the cases a report counted (the due list; fast for the
    dashboard, which has no use for the waiting list)."""
    years = max(0, int(settings.retention_years))
    meldcode_years = max(years, int(settings.retention_years_meldcode))
    # The latest closing day whose due date (31 July + years) is not after today.
    last_end = date(today.year, 7, 31)
    while last_end.replace(year=last_end.year + years) > today:
        last_end = last_end.replace(year=last_end.year - 1)
    reports = reported_years(store)
    where = "c.closed_on IS NOT NULL AND c.closed_on <= ?"
    params: list[str] = [last_end.isoformat()]
    if reported_only:
        ranges = _reported_ranges(reports)
        if not ranges:
            return RetentionOverview((), ())
        where += " AND (" + " OR ".join("c.closed_on BETWEEN ? AND ?" for _r in ranges) + ")"
        params.extend(day for pair in ranges for day in pair)
    rows = store.query(
        "SELECT c.id, c.pupil_id, p.name, p.class_name, c.opened_on, c.closed_on, "
        "EXISTS (SELECT 1 FROM meldcode_route m WHERE m.case_id = c.id), "
        "(SELECT h.reason FROM case_hold h WHERE h.case_id = c.id AND h.lifted_on IS NULL "
        "ORDER BY h.id DESC LIMIT 1) "
        "FROM case_file c JOIN pupil p ON p.id = c.pupil_id "
        f"WHERE {where} ORDER BY c.closed_on, c.id",
        tuple(params),
    )
    due: list[RetentionItem] = []
    waiting: list[RetentionItem] = []
    held: list[RetentionItem] = []
    for row in rows:
        closed = from_db(row[5])
        opened = from_db(row[4])
        assert closed is not None and opened is not None
        year = school_year_of(closed)
        reported = _counted(closed, year, reports)
        item = RetentionItem(
            case_id=int(row[0]),
            pupil_id=int(row[1]),
            pupil_label=_label(str(row[2]), str(row[3] or "")),
            opened_on=opened,
            closed_on=closed,
            school_year=year,
            due_on=due_on(closed, meldcode_years if row[6] else years),
            reported=reported,
            meldcode=bool(row[6]),
            hold=str(row[7] or ""),
        )
        if item.due_on > today:
            continue
        (held if item.hold else due if reported else waiting).append(item)
    return RetentionOverview(tuple(due), tuple(waiting), tuple(held))


def due_for_destruction(store: Store, today: date, settings: Settings) -> list[RetentionItem]:
    """The closed cases that may be destroyed today (see the module docstring)."""
    return list(retention_overview(store, today, settings, reported_only=True).due)


def waiting_for_report(store: Store, today: date, settings: Settings) -> list[RetentionItem]:
    """Closed cases past their date whose school year has not been counted in a report."""
    return list(retention_overview(store, today, settings).waiting)


def dashboard_items(store: Store, today: date, settings: Settings) -> tuple[DashboardItem, ...]:
    """The dashboard's "files past their retention date" (`Dashboard.retention_due`)."""
    return tuple(
        DashboardItem(
            kind="retention",
            ref_id=item.case_id,
            case_id=item.case_id,
            title=item.pupil_label,
            due=item.due_on,
            overdue=True,
            detail=item.school_year,
        )
        for item in due_for_destruction(store, today, settings)
    )


def backups_note() -> str:
    """Said after destroying or erasing: older backups still hold the data for a while."""
    return _(
        "Backups made before today still contain these records until they are replaced by "
        "newer backups. Make a new backup now so that the oldest ones are rotated out."
    )


# --- deleting ---------------------------------------------------------------------------


def _ints(values: Iterable[Any]) -> set[int]:
    return {int(v) for v in values if v is not None}


def _json_ids(text: Any) -> set[int]:
    try:
        data = json.loads(text or "{}")
    except (TypeError, ValueError):
        return set()
    if not isinstance(data, dict):
        return set()
    found: set[int] = set()
    for value in data.values():
        with contextlib.suppress(TypeError, ValueError):
            found.add(int(value))
    return found


def _column(conn: Any, sql: str, params: tuple[Any, ...]) -> list[Any]:
    return [row[0] for row in conn.execute(sql, params).fetchall()]


_IN_LIST = "(SELECT value FROM json_each(?))"


def case_note_ids(conn: Any, case_ids: Sequence[int]) -> set[int]:
    """Every note the cases own (`note.case_id`) or refer to: the case's story, question and
    closing note, entries, obligations, escalation motivations (also the ids kept as JSON),
    meldcode steps and afweging motivations (JSON), Veilig Thuis' decisions and the reasons
    a check reminder was waived."""
    p = (json.dumps(sorted({int(c) for c in case_ids})),)
    routes_sql = f"SELECT id FROM meldcode_route WHERE case_id IN {_IN_LIST}"
    notes = _ints(_column(conn, f"SELECT id FROM note WHERE case_id IN {_IN_LIST}", p))
    for row in conn.execute(
        "SELECT story_note_id, question_note_id, close_note_id FROM case_file "
        f"WHERE id IN {_IN_LIST}",
        p,
    ).fetchall():
        notes |= _ints(row)
    notes |= _ints(_column(conn, f"SELECT note_id FROM entry WHERE case_id IN {_IN_LIST}", p))
    notes |= _ints(_column(conn, f"SELECT note_id FROM obligation WHERE case_id IN {_IN_LIST}", p))
    for row in conn.execute(
        "SELECT motivation_note_id, question_motivations FROM escalation "
        f"WHERE case_id IN {_IN_LIST}",
        p,
    ).fetchall():
        notes |= _ints([row[0]]) | _json_ids(row[1])
    notes |= _ints(
        _column(conn, f"SELECT note_id FROM meldcode_step WHERE route_id IN ({routes_sql})", p)
    )
    for (motivations,) in conn.execute(
        f"SELECT motivations FROM afweging WHERE route_id IN ({routes_sql})", p
    ).fetchall():
        notes |= _json_ids(motivations)
    for row in conn.execute(
        f"SELECT note_id, lift_note_id FROM case_hold WHERE case_id IN {_IN_LIST}", p
    ).fetchall():
        notes |= _ints(row)
    notes |= _ints(
        _column(
            conn, f"SELECT note_id FROM veilig_thuis_decision WHERE route_id IN ({routes_sql})", p
        )
    )
    notes |= _ints(
        _column(conn, f"SELECT waive_note_id FROM check_reminder WHERE case_id IN {_IN_LIST}", p)
    )
    return notes


def erase(
    conn: Any,
    case_ids: Sequence[int],
    *,
    request_ids: Sequence[int] = (),
    pupil_ids: Sequence[int] = (),
) -> EraseCounts:
    """Within the caller's transaction: delete the cases, everything hanging off them, the
    given requests, and the pupils concerned that are left without any case or request.

    `pupil_ids` are deleted only when nothing refers to them any more; the pupils of the
    cases and requests are always considered. Never touches activities."""
    cases = json.dumps(sorted({int(c) for c in case_ids}))
    requests = json.dumps(sorted({int(r) for r in request_ids}))
    p = (cases,)
    routes_sql = f"SELECT id FROM meldcode_route WHERE case_id IN {_IN_LIST}"

    # Everything whose rows go, collected before anything is deleted.
    request_rows = conn.execute(
        "SELECT id, note_id, pupil_id FROM request "
        f"WHERE case_id IN {_IN_LIST} OR id IN {_IN_LIST}",
        (cases, requests),
    ).fetchall()
    gone_requests = json.dumps(sorted({int(r[0]) for r in request_rows}))
    notes: set[int] = _ints(r[1] for r in request_rows)
    pupils: set[int] = _ints(r[2] for r in request_rows) | {int(x) for x in pupil_ids}
    pupils |= _ints(_column(conn, f"SELECT pupil_id FROM case_file WHERE id IN {_IN_LIST}", p))
    notes |= case_note_ids(conn, case_ids)
    entries = int(
        conn.execute(f"SELECT count(*) FROM entry WHERE case_id IN {_IN_LIST}", p).fetchone()[0]
    )

    # Children first, so that every foreign key holds after each statement.
    conn.execute(f"DELETE FROM case_hold WHERE case_id IN {_IN_LIST}", p)
    conn.execute(f"DELETE FROM check_reminder WHERE case_id IN {_IN_LIST}", p)
    conn.execute(f"DELETE FROM veilig_thuis_decision WHERE route_id IN ({routes_sql})", p)
    conn.execute(f"DELETE FROM obligation WHERE case_id IN {_IN_LIST}", p)
    conn.execute(f"DELETE FROM meldcode_step WHERE route_id IN ({routes_sql})", p)
    conn.execute(f"DELETE FROM afweging WHERE route_id IN ({routes_sql})", p)
    conn.execute(f"DELETE FROM meldcode_route WHERE case_id IN {_IN_LIST}", p)
    conn.execute(f"DELETE FROM escalation WHERE case_id IN {_IN_LIST}", p)
    conn.execute(f"DELETE FROM request WHERE id IN {_IN_LIST}", (gone_requests,))
    conn.execute(f"DELETE FROM entry WHERE case_id IN {_IN_LIST}", p)
    conn.execute(f"DELETE FROM case_category WHERE case_id IN {_IN_LIST}", p)
    conn.execute(
        "UPDATE case_file SET story_note_id = NULL, question_note_id = NULL, "
        f"close_note_id = NULL WHERE id IN {_IN_LIST}",
        p,
    )
    # A note still referred to by a row that stays (never expected) makes the delete fail on
    # its foreign key, and the whole transaction rolls back: nothing half-destroyed.
    note_list = json.dumps(sorted(notes))
    conn.execute(f"DELETE FROM note WHERE id IN {_IN_LIST}", (note_list,))
    deleted_cases = conn.execute(f"DELETE FROM case_file WHERE id IN {_IN_LIST}", p).rowcount
    _delete_drafts(conn, case_ids, request_rows, pupils)
    _delete_privacy_requests(conn, pupils)
    deleted_pupils = conn.execute(
        f"DELETE FROM pupil WHERE id IN {_IN_LIST} AND {_LEFT_ALONE}",
        (json.dumps(sorted(pupils)),),
    ).rowcount
    return EraseCounts(
        cases=int(deleted_cases),
        pupils=int(deleted_pupils),
        requests=len(request_rows),
        entries=entries,
        notes=len(notes),
    )


_LEFT_ALONE = (
    "NOT EXISTS (SELECT 1 FROM case_file c WHERE c.pupil_id = pupil.id) "
    "AND NOT EXISTS (SELECT 1 FROM request r WHERE r.pupil_id = pupil.id)"
)


def _delete_privacy_requests(conn: Any, pupils: set[int]) -> None:
    """The access and rectification requests (with their notes) of the pupils that are about
    to go: what the VP wrote about them may name the pupil."""
    doomed = json.dumps(sorted(pupils))
    rows = conn.execute(
        "SELECT id, extension_note_id, decision_note_id FROM privacy_request "
        f"WHERE pupil_id IN (SELECT id FROM pupil WHERE id IN {_IN_LIST} AND {_LEFT_ALONE})",
        (doomed,),
    ).fetchall()
    if not rows:
        return
    conn.execute(
        f"DELETE FROM privacy_request WHERE id IN {_IN_LIST}",
        (json.dumps([int(r[0]) for r in rows]),),
    )
    notes = sorted(_ints(r[1] for r in rows) | _ints(r[2] for r in rows))
    conn.execute(f"DELETE FROM note WHERE id IN {_IN_LIST}", (json.dumps(notes),))


def _delete_drafts(
    conn: Any, case_ids: Sequence[int], request_rows: Sequence[Any], pupils: set[int]
) -> None:
    """Drafts about the cases (escalation wizard) and an intake draft about the pupils or
    requests concerned."""
    conn.executemany(
        "DELETE FROM draft WHERE kind = ?",
        [(f"{ESCALATION_DRAFT_PREFIX}{int(c)}",) for c in case_ids],
    )
    body = conn.execute("SELECT body FROM draft WHERE kind = ?", (INTAKE_DRAFT,)).fetchone()
    if body is None:
        return
    try:
        state = json.loads(body[0])
    except (TypeError, ValueError):
        return
    if not isinstance(state, dict):
        return
    requests = {int(r[0]) for r in request_rows}
    if state.get("pupil_id") in pupils or state.get("request_id") in requests:
        conn.execute("DELETE FROM draft WHERE kind = ?", (INTAKE_DRAFT,))


def compact(store: Store) -> None:
    """Merge the full-text index (dropping deleted tokens) and rebuild the file (VACUUM).

    Runs outside a transaction. `temp_store` is MEMORY on every connection, so VACUUM writes
    no plaintext temporary file."""
    store.query("INSERT INTO note_fts(note_fts) VALUES ('optimize')")
    store.query("VACUUM")


def compact_after(store: Store, count: int) -> None:
    """`compact` after a committed deletion of `count` cases; RetentionError when it fails."""
    try:
        compact(store)
    except StoreError:
        raise _compact_failed(count) from None


def _not_due_message(case_ids: Sequence[int]) -> str:
    return _(
        "These cases are not (yet) due for destruction: {cases}. Nothing has been deleted."
    ).format(cases=", ".join(str(c) for c in case_ids))


def _compact_failed(count: int) -> RetentionError:
    return RetentionError(
        _(
            "{count} case(s) were deleted, but tidying up the data file failed. The deleted "
            "text has already been overwritten; try again later to finish tidying."
        ).format(count=count),
        count,
    )


def destroy_cases(
    store: Store,
    case_ids: Sequence[int],
    *,
    now: datetime,
    settings: Settings | None = None,
) -> int:
    """Destroy the given closed cases for real, after the VP confirmed the list; returns the
    number of cases destroyed.

    Every case must exist, be closed and be due on `now`'s day (`due_for_destruction` with
    the store's settings): otherwise ValidationError and nothing is deleted. One transaction;
    the journal gets `destroyed` with counts only; then `compact` (RetentionError when only
    that fails)."""
    refuse_if_open(store.path.parent)  # issue 12: not while another window has the store
    wanted = sorted({int(c) for c in case_ids})
    if not wanted:
        return 0
    settings = settings or load_settings(store)
    due = {item.case_id for item in due_for_destruction(store, now.date(), settings)}
    known = {
        int(r[0])
        for r in store.query(
            f"SELECT id FROM case_file WHERE id IN {_IN_LIST}", (json.dumps(wanted),)
        )
    }
    if set(wanted) - known:
        raise not_found()
    refused = [c for c in wanted if c not in due]
    if refused:
        raise ValidationError(_not_due_message(refused))
    with store.transaction() as conn:
        marks = (json.dumps(wanted),)
        remember(
            conn,
            store.path,
            event="destroyed",
            at=now,
            case_ids=wanted,
            request_ids=_column(conn, f"SELECT id FROM request WHERE case_id IN {_IN_LIST}", marks),
            pupil_ids=_column(
                conn, f"SELECT pupil_id FROM case_file WHERE id IN {_IN_LIST}", marks
            ),
        )
        counts = erase(conn, wanted)
        journal.record(
            conn,
            moment_to_db(now),
            "destroyed",
            cases=counts.cases,
            pupils=counts.pupils,
            requests=counts.requests,
        )
    compact_after(store, counts.cases)
    return counts.cases


def confirmation_text(items: Sequence[RetentionItem]) -> str:
    """The question of the confirmation screen, in Dutch."""
    return _(
        "Destroy {count} closed case file(s) for good? They were counted in the annual report "
        "and their retention period has passed. This cannot be undone."
    ).format(count=len(items))


def describe(item: RetentionItem) -> str:
    """One line of the confirmation list: pupil, period, due date."""
    return _("{pupil}: case {case}, {opened} to {closed} (due since {due})").format(
        pupil=item.pupil_label,
        case=item.case_id,
        opened=show_date(item.opened_on),
        closed=show_date(item.closed_on),
        due=show_date(item.due_on),
    )
