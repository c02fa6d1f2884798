"""The start of the school year (protocol 5a, 5b): the wizard's answers kept per school year,
and the class-visit plan.

Answers (`save_answers`, `load_answers`): how pupils know and reach the VP, with the photo as a
small JPEG, in the `year_start` table of the encrypted store (never in a file or in the
settings file). The latest saved answers fill in the wizard the next year.

Class visits: `parse_classes` reads classes typed or pasted (one a line, a number of pupils
after a tab, `;`, `,`, `:` or between brackets, or "28 leerlingen"); `plan_visits` stores
them with their planned day; `mark_done` turns a visit into an ordinary activity of kind
`klassenbezoek` with reach = pupils, in the same transaction, so that it counts in the annual
report like every activity; `open_visits` lists what is planned and not done (the dashboard).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from app.clock import Clock
from app.domain.dates import from_db, school_year_bounds, school_year_of, to_db
from app.domain.errors import ValidationError
from app.i18n import _
from app.reports.outreach import Contact, check_contact, prepare_photo
from app.services.activities import MAX_REACH, check_activity, insert_activity
from app.services.validation import as_date, not_found
from app.store.db import Store

VISIT_KIND = "klassenbezoek"
MAX_CLASS_NAME = 60
MAX_VISITS = 200

_UNIT = r"(?:\s*(?:leerlingen|lln?\.?|pupils))?"
#: A number of pupils after a separator, between brackets, or followed by a unit word.
_COUNTS = (
    re.compile(r"^(.*?)\s*[\t;,:]\s*(\d+)" + _UNIT + r"$", re.IGNORECASE),
    re.compile(r"^(.*?)\s*\((\d+)" + _UNIT + r"\)$", re.IGNORECASE),
    re.compile(r"^(.*?)\s+(\d+)\s*(?:leerlingen|lln?\.?|pupils)$", re.IGNORECASE),
)


@dataclass(frozen=True)
class ClassLine:
    """A class or year group of the plan, before it is stored."""

    name: str
    pupils: int | None


@dataclass(frozen=True)
class ClassVisit:
    id: int
    school_year: str
    class_name: str
    pupils: int | None
    planned_on: date
    activity_id: int | None
    done_on: date | None

    @property
    def done(self) -> bool:
        return self.activity_id is not None


# ------------------------------------------------------------------------ answers
def save_answers(store: Store, clock: Clock, school_year: str, contact: Contact) -> Contact:
    """Check and keep the answers of `school_year` (replacing earlier ones of that year)."""
    first, _last = school_year_bounds(school_year)
    year = school_year_of(first)
    checked = check_contact(contact)
    photo = prepare_photo(checked.photo) if checked.photo else None
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO year_start(school_year, vp_name, email, phone, room, hours, url, photo, "
            "saved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(school_year) DO UPDATE SET "
            "vp_name = excluded.vp_name, email = excluded.email, phone = excluded.phone, "
            "room = excluded.room, hours = excluded.hours, url = excluded.url, "
            "photo = excluded.photo, saved_at = excluded.saved_at",
            (year, checked.name, checked.email, checked.phone, checked.room, checked.hours,
             checked.url, photo, clock.now().isoformat(timespec="seconds")),
        )
    return Contact(name=checked.name, email=checked.email, phone=checked.phone,
                   room=checked.room, hours=checked.hours, url=checked.url, photo=photo)


def load_answers(store: Store, school_year: str | None = None) -> tuple[str, Contact] | None:
    """(school year, answers) of `school_year`, or the latest saved when it is None."""
    sql = "SELECT school_year, vp_name, email, phone, room, hours, url, photo FROM year_start"
    params: tuple[str, ...] = ()
    if school_year is not None:
        sql += " WHERE school_year = ?"
        params = (school_year,)
    rows = store.query(sql + " ORDER BY school_year DESC LIMIT 1", params)
    if not rows:
        return None
    r = rows[0]
    photo = bytes(r[7]) if r[7] is not None else None
    return str(r[0]), Contact(name=r[1], email=r[2], phone=r[3], room=r[4], hours=r[5],
                              url=r[6], photo=photo)


# ------------------------------------------------------------------------ classes
def parse_classes(text: str) -> list[ClassLine]:
    """One class a line: `2B`, `2B; 28`, `2B<tab>28`, `havo 3 (27)`, `1A 30 leerlingen`.

    A bare number after a space belongs to the name (`havo 3`, `klas 2`). Empty lines are
    skipped; the same class twice is one class. ValidationError names the first bad line."""
    found: dict[str, ClassLine] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        name, pupils = line, None
        for pattern in _COUNTS:
            match = pattern.match(line)
            if match:
                name, pupils = match.group(1), int(match.group(2))
                break
        name = " ".join(name.strip(" \t;,:-").split())
        if not name:
            raise ValidationError(
                _("Line {line} has no class name.").format(line=number), "classes")
        if len(name) > MAX_CLASS_NAME:
            raise ValidationError(
                _("Line {line}: the class name is too long.").format(line=number), "classes")
        if pupils is not None and not 0 < pupils <= MAX_REACH:
            raise ValidationError(
                _("Line {line}: the number of pupils must be more than 0.").format(line=number),
                "classes")
        known = found.get(name.casefold())
        if known is None or (known.pupils is None and pupils is not None):
            found[name.casefold()] = ClassLine(known.name if known else name, pupils)
    if len(found) > MAX_VISITS:
        raise ValidationError(
            _("That is more than {max} classes; plan them in parts.").format(max=MAX_VISITS),
            "classes")
    return list(found.values())


def _check_day(day: date | None, school_year: str) -> date:
    value = as_date(day, "planned_on")
    first, last = school_year_bounds(school_year)
    if not first <= value <= last:
        raise ValidationError(
            _("A class visit of {year} must be planned between 1 August and 31 July of that "
              "school year.").format(year=school_year), "planned_on")
    return value


def plan_visits(
    store: Store, school_year: str, visits: Sequence[tuple[ClassLine, date]]
) -> list[ClassVisit]:
    """Store the plan: each class with its planned day (all or nothing)."""
    first, _last = school_year_bounds(school_year)
    year = school_year_of(first)
    if not visits:
        raise ValidationError(_("Add at least one class to the plan."), "classes")
    checked = []
    for line, day in visits:
        name = " ".join(line.name.split())
        if not name or len(name) > MAX_CLASS_NAME:
            raise ValidationError(_("Fill in the name of each class."), "classes")
        if line.pupils is not None and not 0 < line.pupils <= MAX_REACH:
            raise ValidationError(
                _("The number of pupils of {name} must be more than 0.").format(name=name),
                "classes")
        checked.append((name, line.pupils, _check_day(day, year)))
    with store.transaction() as conn:
        ids = [
            int(conn.execute(
                "INSERT INTO class_visit(school_year, class_name, pupils, planned_on) "
                "VALUES (?, ?, ?, ?)", (year, name, pupils, to_db(day))).lastrowid)
            for name, pupils, day in checked
        ]
    return [get_visit(store, visit_id) for visit_id in ids]


_VISIT_SELECT = (
    "SELECT v.id, v.school_year, v.class_name, v.pupils, v.planned_on, v.activity_id, a.on_date "
    "FROM class_visit v LEFT JOIN activity a ON a.id = v.activity_id"
)


def _visit(row: Iterable[object]) -> ClassVisit:
    r = list(row)
    planned = from_db(str(r[4]))
    assert planned is not None
    return ClassVisit(
        id=int(str(r[0])), school_year=str(r[1]), class_name=str(r[2]),
        pupils=None if r[3] is None else int(str(r[3])), planned_on=planned,
        activity_id=None if r[5] is None else int(str(r[5])),
        done_on=from_db(None if r[6] is None else str(r[6])),
    )


def get_visit(store: Store, visit_id: int) -> ClassVisit:
    rows = store.query(_VISIT_SELECT + " WHERE v.id = ?", (visit_id,))
    if not rows:
        raise not_found()
    return _visit(rows[0])


def list_visits(store: Store, school_year: str) -> list[ClassVisit]:
    """The plan of a school year, by planned day."""
    rows = store.query(
        _VISIT_SELECT + " WHERE v.school_year = ? ORDER BY v.planned_on, v.id", (school_year,))
    return [_visit(r) for r in rows]


def open_visits(store: Store, limit: int = MAX_VISITS) -> list[ClassVisit]:
    """Every visit planned and not yet done, by planned day (for the dashboard)."""
    rows = store.query(
        _VISIT_SELECT + " WHERE v.activity_id IS NULL ORDER BY v.planned_on, v.id LIMIT ?",
        (limit,))
    return [_visit(r) for r in rows]


def mark_done(
    store: Store, clock: Clock, visit_id: int, *, on_date: date | None, pupils: int | None
) -> ClassVisit:
    """The visit took place on `on_date` before `pupils` pupils: an activity of kind
    `klassenbezoek` with that reach, written in the same transaction as the mark."""
    visit = get_visit(store, visit_id)
    if visit.done:
        raise ValidationError(_("This class visit is already marked as done."), "visit")
    reach = visit.pupils if pupils is None else pupils
    if reach is None or isinstance(reach, bool) or not 0 < reach <= MAX_REACH:
        raise ValidationError(
            _("Fill in how many pupils were in the class."), "pupils")
    text = _("Class visit {name}").format(name=visit.class_name)
    day = check_activity(VISIT_KIND, on_date, reach, text, clock.today())
    with store.transaction() as conn:
        activity_id = insert_activity(conn, VISIT_KIND, day, reach, text)
        conn.execute(
            "UPDATE class_visit SET activity_id = ?, pupils = ? WHERE id = ? "
            "AND activity_id IS NULL", (activity_id, reach, visit_id))
    return get_visit(store, visit_id)


def move_visit(store: Store, visit_id: int, planned_on: date | None) -> ClassVisit:
    """Plan a visit that is not done yet on another day of its school year."""
    visit = get_visit(store, visit_id)
    if visit.done:
        raise ValidationError(_("This class visit is already marked as done."), "visit")
    day = _check_day(planned_on, visit.school_year)
    with store.transaction() as conn:
        conn.execute("UPDATE class_visit SET planned_on = ? WHERE id = ?", (to_db(day), visit_id))
    return get_visit(store, visit_id)


def remove_visit(store: Store, visit_id: int) -> None:
    """Take a visit that is not done off the plan (a done visit is an activity: correct or
    delete it in the activities list)."""
    visit = get_visit(store, visit_id)
    if visit.done:
        raise ValidationError(
            _("This class visit is done; change it in the list of activities."), "visit")
    with store.transaction() as conn:
        conn.execute("DELETE FROM class_visit WHERE id = ?", (visit_id,))


def visit_days(
    first: date, count: int, per_day: int, *, region: str = "zuid", school_holidays: bool = True,
    study_days: Iterable[date] = (),
) -> list[date]:
    """Planned days for `count` visits from `first` on: `per_day` visits a working day (no
    weekends, public holidays, school holidays or study days). When the school holidays of a
    year are not known, only weekends, public holidays and study days are skipped."""
    from app.rules.calendar import NoSchoolHolidaysError, is_working_day

    closed = tuple(study_days)
    days: list[date] = []
    day = first
    per_day = max(1, per_day)
    while len(days) < count:
        try:
            open_day = is_working_day(day, region, school_holidays, closed)
        except NoSchoolHolidaysError:
            open_day = is_working_day(day, region, False, closed)
        if open_day:
            days.extend([day] * min(per_day, count - len(days)))
        day = date.fromordinal(day.toordinal() + 1)
    return days
