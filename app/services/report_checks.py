"""What the annual-report wizard asks before a report is made (PRODUCT.md job 6).

* :func:`report_years` — the school years a report can be made for: the running one (always,
  even when nothing is registered yet) and every earlier year with something registered,
  newest first. A year that has not started is never offered.
* :func:`check_year` — what is not finished in a school year, so the figures may count it
  wrongly: cases active in the year without a category, requests received in the year and not
  answered, and obligations that arose up to the end of the year and are not done (of cases
  that are still open: a case closed with a written reason no longer nags, as on the
  dashboard). Each item carries what the VP needs to recognise it (on screen only: these items
  never enter a report).
* :func:`names_in_texts` — known pupil names (full names and request labels of two words or
  more) that occur in the VP's own texts, which leave the program in the PDF.

Read-only queries; the wizard lives in ``ui/wizards/annual_report.py``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from app.domain.dates import from_db, school_year_bounds, school_year_of
from app.services.escalation import open_obligations
from app.services.requests import list_requests
from app.store.db import Store

__all__ = ["CheckItem", "ReportChecks", "check_year", "names_in_texts", "report_years"]

#: A name shorter than this (letters) is not looked for in the texts: too many false alarms.
MIN_NAME_LETTERS = 5


@dataclass(frozen=True)
class CheckItem:
    """One unfinished thing. ``kind``: ``case``, ``request`` or ``obligation``.

    ``ref_id`` is the id of that thing; ``case_id`` the case to open (None for a request
    without a case: the wizard then starts the intake with it). ``on`` is the day to show:
    opened, received, or due. ``pupil`` is the name or label; ``detail`` the obligation's
    title. ``overdue`` for a request or an obligation past its day.
    """

    kind: str
    ref_id: int
    case_id: int | None
    on: date
    pupil: str
    detail: str = ""
    overdue: bool = False


@dataclass(frozen=True)
class ReportChecks:
    school_year: str
    cases_without_category: tuple[CheckItem, ...]
    open_requests: tuple[CheckItem, ...]
    open_obligations: tuple[CheckItem, ...]

    @property
    def count(self) -> int:
        return (
            len(self.cases_without_category) + len(self.open_requests) + len(self.open_obligations)
        )

    @property
    def complete(self) -> bool:
        return self.count == 0


def _next_day(day: date) -> str:
    return (day + timedelta(days=1)).isoformat()


def _has_data(store: Store, start: date, end: date) -> bool:
    p = {"start": start.isoformat(), "end": end.isoformat(), "next": _next_day(end)}
    return bool(
        store.scalar(
            "SELECT EXISTS (SELECT 1 FROM request WHERE received_at >= :start "
            "AND received_at < :next) "
            "OR EXISTS (SELECT 1 FROM case_file WHERE opened_on <= :end "
            "AND (closed_on IS NULL OR closed_on >= :start)) "
            "OR EXISTS (SELECT 1 FROM activity WHERE on_date >= :start AND on_date <= :end)",
            p,
        )
    )


def report_years(store: Store, today: date) -> list[tuple[str, bool]]:
    """``(school_year, has_data)`` newest first: the running year, then earlier years with data.

    Earlier years without anything registered are left out; the running year is always
    offered (a report of it says that nothing was registered).
    """
    current = school_year_of(today)
    first = store.scalar(
        "SELECT min(d) FROM (SELECT min(substr(received_at, 1, 10)) AS d FROM request "
        "UNION ALL SELECT min(opened_on) FROM case_file "
        "UNION ALL SELECT min(on_date) FROM activity)"
    )
    first_year = int(current[:4])
    if isinstance(first, str) and first:
        first_year = min(first_year, int(school_year_of(date.fromisoformat(first[:10]))[:4]))
    years: list[tuple[str, bool]] = []
    for year in range(int(current[:4]), first_year - 1, -1):
        name = f"{year}-{year + 1}"
        start, end = school_year_bounds(name)
        found = _has_data(store, start, min(end, today))
        if found or name == current:
            years.append((name, found))
    return years


def _pupil_names(store: Store, case_ids: Iterable[int]) -> dict[int, str]:
    ids = sorted(set(case_ids))
    if not ids:
        return {}
    marks = ",".join("?" for _ in ids)
    rows = store.query(
        "SELECT c.id, p.name FROM case_file c JOIN pupil p ON p.id = c.pupil_id "
        f"WHERE c.id IN ({marks})",
        tuple(ids),
    )
    return {int(r[0]): str(r[1]) for r in rows}


def check_year(store: Store, school_year: str, now: datetime) -> ReportChecks:
    """What is unfinished in ``school_year`` (see the module doc), oldest first per list."""
    start, end = school_year_bounds(school_year)
    year = f"{start.year}-{start.year + 1}"
    rows = store.query(
        "SELECT c.id, c.opened_on, p.name FROM case_file c JOIN pupil p ON p.id = c.pupil_id "
        "WHERE c.opened_on <= ? AND (c.closed_on IS NULL OR c.closed_on >= ?) "
        "AND NOT EXISTS (SELECT 1 FROM case_category k WHERE k.case_id = c.id) "
        "ORDER BY c.opened_on, c.id",
        (end.isoformat(), start.isoformat()),
    )
    cases = []
    for case_id, opened_on, name in rows:
        opened = from_db(opened_on)
        assert opened is not None
        cases.append(CheckItem("case", int(case_id), int(case_id), opened, str(name)))
    today = now.date()
    requests = tuple(
        CheckItem(
            "request",
            r.id,
            r.case_id,
            r.received_at.date(),
            r.pupil_label,
            overdue=r.overdue(today),
        )
        for r in list_requests(store, open_only=True, school_year=year, limit=100_000)
    )
    obligations = [o for o in open_obligations(store, now) if o.created_at.date() <= end]
    names = _pupil_names(store, (o.case_id for o in obligations))
    duties = tuple(
        CheckItem(
            "obligation",
            o.id,
            o.case_id,
            o.due_at.date(),
            names.get(o.case_id, ""),
            detail=o.title,
            overdue=o.overdue,
        )
        for o in obligations
    )
    return ReportChecks(year, tuple(cases), requests, duties)


def _words(text: str) -> str:
    return " " + " ".join(re.findall(r"\w+", text.casefold())) + " "


def names_in_texts(store: Store, texts: Mapping[str, str]) -> list[str]:
    """Known pupil names of two words or more found in ``texts`` (whole words, any case)."""
    haystack = _words(" ".join(texts.values()))
    if not haystack.strip():
        return []
    rows = store.query(
        "SELECT name FROM pupil UNION SELECT pupil_label FROM request WHERE pupil_label <> ''"
    )
    found: dict[str, str] = {}
    for (name,) in rows:
        text = str(name or "").strip()
        words = _words(text)
        if len(words.split()) < 2 or sum(c.isalpha() for c in text) < MIN_NAME_LETTERS:
            continue
        if words in haystack:
            found.setdefault(words, text)
    return sorted(found.values(), key=str.casefold)
