"""Contact requests (aanmeldingen, protocol 5b/5c): register, answer, read.

Owns the respond-by rule: the next working day after the day the request came in (calendar of
`app.rules.calendar` with the store's settings: region, school holidays on/off, study days); an
urgent request is answered the same day. When the `holidays` package has no school holidays
for a year the search needs, the date is computed without school holidays and the result says
so (`missing_holidays_year`, `warning`) so that the screen can ask the VP to enter them. When a
school holiday lies between receipt and the answer date, the result lists where the pupil can
turn meanwhile (`meanwhile_help`, ids of EXTERNAL_HELP).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from app.clock import Clock
from app.domain.dates import moment_to_db, school_year_bounds, to_db
from app.domain.errors import ValidationError
from app.domain.lists import MEANWHILE_HELP, REFERRAL_SOURCES
from app.domain.models import Request
from app.i18n import _
from app.rules.calendar import NoSchoolHolidaysError, in_school_holiday, next_working_day
from app.services.rows import REQUEST_SELECT, insert_note, load_request, request_from_row
from app.services.validation import (
    check_choice,
    check_event_date,
    check_short,
    check_text,
    not_found,
)
from app.store.db import Store
from app.store.settings import Settings, load_settings


@dataclass(frozen=True)
class RequestResult:
    """A registered request and what the screen should tell the VP about its answer date."""

    request: Request
    in_or_after_holiday: bool
    meanwhile_help: tuple[str, ...]
    missing_holidays_year: int | None = None
    warning: str = ""


@dataclass(frozen=True)
class AnswerDate:
    respond_by: date
    in_or_after_holiday: bool
    missing_holidays_year: int | None


def study_days(settings: Settings) -> frozenset[date]:
    """The school's extra closed days from the settings (unreadable entries are skipped)."""
    days = set()
    for text in settings.study_days:
        try:
            days.add(date.fromisoformat(str(text)))
        except ValueError:
            continue
    return frozenset(days)


def own_holidays(settings: Settings) -> frozenset[date]:
    """The school-holiday days the VP typed in the settings (unreadable periods skipped)."""
    days: set[date] = set()
    for text in settings.own_holidays:
        first_text, _sep, last_text = str(text).partition("/")
        try:
            first = date.fromisoformat(first_text)
            last = date.fromisoformat(last_text or first_text)
        except ValueError:
            continue
        while first <= last and len(days) < 400:
            days.add(first)
            first += timedelta(days=1)
    return frozenset(days)


def answer_date(received: date, urgent: bool, settings: Settings) -> AnswerDate:
    """The respond-by date of a request received on `received` (see the module docstring)."""
    missing: int | None = None
    if urgent:
        respond_by = received
    else:
        closed = study_days(settings)
        try:
            respond_by = next_working_day(
                received, settings.region, settings.school_holidays, closed
            )
        except NoSchoolHolidaysError as error:
            own = own_holidays(settings)
            if not any(day.year == error.year for day in own):
                missing = error.year
            respond_by = next_working_day(received, settings.region, False, closed | own)
    in_holiday = False
    day = received + timedelta(days=1)
    while day <= respond_by:
        try:
            if in_school_holiday(day, settings.region):
                in_holiday = True
                break
        except NoSchoolHolidaysError:
            if day in own_holidays(settings):
                in_holiday = True
                break
        day += timedelta(days=1)
    return AnswerDate(respond_by, in_holiday, missing)


def missing_holidays_warning(year: int) -> str:
    return _(
        "The school holidays of {year} are not known to the program. Enter them in the "
        "settings; until then the answer date skips only weekends, public holidays and study "
        "days."
    ).format(year=year)


def register_request(
    store: Store,
    clock: Clock,
    *,
    received_at: datetime | None,
    source: str | None,
    urgent: bool = False,
    pupil_label: str = "",
    note: str = "",
    pupil_id: int | None = None,
    settings: Settings | None = None,
) -> RequestResult:
    """Record a request for contact; one transaction."""
    if received_at is None:
        raise ValidationError(_("Fill in when the request came in."), "received_at")
    if not isinstance(received_at, datetime):
        received_at = datetime.combine(received_at, datetime.min.time())
    received = check_event_date(received_at.date(), clock.today(), "received_at")
    check_choice(source, REFERRAL_SOURCES, "source", _("Choose through whom the request came in."))
    assert source is not None
    check_short(pupil_label, "pupil_label")
    check_text(note, "note")
    settings = settings or load_settings(store)
    when = answer_date(received, urgent, settings)
    with store.transaction() as conn:
        if (
            pupil_id is not None
            and conn.execute("SELECT 1 FROM pupil WHERE id = ?", (pupil_id,)).fetchone() is None
        ):
            raise not_found()
        note_id = insert_note(conn, note, None)
        request_id = int(
            conn.execute(
                "INSERT INTO request(received_at, source, urgent, respond_by, pupil_label, "
                "pupil_id, note_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    moment_to_db(received_at),
                    source,
                    1 if urgent else 0,
                    to_db(when.respond_by),
                    pupil_label,
                    pupil_id,
                    note_id,
                ),
            ).lastrowid
        )
    missing = when.missing_holidays_year
    return RequestResult(
        request=load_request(store, request_id),
        in_or_after_holiday=when.in_or_after_holiday,
        meanwhile_help=MEANWHILE_HELP if when.in_or_after_holiday else (),
        missing_holidays_year=missing,
        warning=missing_holidays_warning(missing) if missing is not None else "",
    )


def answer_request(store: Store, clock: Clock, request_id: int, *, answered_on: date) -> Request:
    """Mark a request answered without opening a case (e.g. a question settled at once)."""
    day = check_event_date(answered_on, clock.today(), "answered_on")
    with store.transaction() as conn:
        row = conn.execute(
            "SELECT received_at, answered_on FROM request WHERE id = ?", (request_id,)
        ).fetchone()
        if row is None:
            raise not_found()
        if row[1] is not None:
            raise ValidationError(_("This request has already been answered."), "answered_on")
        if day.isoformat() < str(row[0])[:10]:
            raise ValidationError(
                _("The answer cannot be before the request came in."), "answered_on"
            )
        conn.execute("UPDATE request SET answered_on = ? WHERE id = ?", (to_db(day), request_id))
    return load_request(store, request_id)


def attach_request(store: Store, clock: Clock, request_id: int, case_id: int) -> Request:
    """Link a request to an existing case (the pupil's open case is continued instead of a new
    intake) and mark it answered today, when it was not yet; one transaction."""
    today = clock.today()
    with store.transaction() as conn:
        case = conn.execute(
            "SELECT pupil_id, closed_on FROM case_file WHERE id = ?", (case_id,)
        ).fetchone()
        row = conn.execute(
            "SELECT case_id, note_id FROM request WHERE id = ?", (request_id,)
        ).fetchone()
        if case is None or row is None:
            raise not_found()
        if case[1] is not None:
            raise ValidationError(_("This case is already closed."))
        if row[0] is not None and int(row[0]) != case_id:
            raise ValidationError(_("This request already belongs to another case file."))
        conn.execute(
            "UPDATE request SET case_id = ?, pupil_id = ?, "
            "answered_on = coalesce(answered_on, ?) WHERE id = ?",
            (case_id, int(case[0]), to_db(today), request_id),
        )
        if row[1] is not None:
            conn.execute("UPDATE note SET case_id = ? WHERE id = ?", (case_id, int(row[1])))
    return load_request(store, request_id)


def get_request(store: Store, request_id: int) -> Request:
    return load_request(store, request_id)


def list_requests(
    store: Store, *, open_only: bool = False, school_year: str | None = None, limit: int = 1000
) -> list[Request]:
    """Requests, newest first; `open_only` keeps the unanswered ones (oldest deadline first)."""
    where: list[str] = []
    params: list[object] = []
    if open_only:
        where.append("r.answered_on IS NULL")
    if school_year:
        first, last = school_year_bounds(school_year)
        where.append("r.received_at >= ? AND r.received_at < ?")
        params += [to_db(first), to_db(last + timedelta(days=1))]
    sql = REQUEST_SELECT + (" WHERE " + " AND ".join(where) if where else "")
    sql += (
        " ORDER BY r.respond_by, r.id" if open_only else " ORDER BY r.received_at DESC, r.id DESC"
    )
    sql += " LIMIT ?"
    params.append(max(1, limit))
    return [request_from_row(row) for row in store.query(sql, tuple(params))]


__all__ = [
    "AnswerDate",
    "RequestResult",
    "answer_date",
    "answer_request",
    "attach_request",
    "get_request",
    "list_requests",
    "register_request",
]
