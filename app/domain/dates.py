"""Dates as the VP types them and as the store keeps them; the school year (1 August – 31 July).

This module owns `parse_date` (the text of a date field to a `date`, with a Dutch sentence for
every way it can be wrong), the store's text form of dates and moments (ISO 8601, so that text
order is time order and indexes work), and the school-year arithmetic (`2025-2026`).
"""

from __future__ import annotations

import re
from datetime import date, datetime

from app.domain.errors import ValidationError
from app.i18n import _

_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d+)$")
_YMD = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_SCHOOL_YEAR = re.compile(r"^(\d{4})\s*[-/]\s*(\d{4})$")


def parse_date(text: str, field: str = "") -> date:
    """`dd-mm-jjjj`, `d-m-jjjj` or `jjjj-mm-dd` (also with `/` or `.`) to a date.

    Raises ValidationError with a Dutch sentence for an empty field, another form, a year
    without four digits and a date that does not exist (31-02-2026)."""
    raw = text.strip()
    if not raw:
        raise ValidationError(_("Fill in a date."), field)
    match = _YMD.match(raw)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = _DMY.match(raw)
        if not match:
            raise ValidationError(
                _("Write the date as day-month-year, for example 24-08-2026."), field
            )
        if len(match.group(3)) != 4:
            raise ValidationError(_("Write the year with four digits, for example 2026."), field)
        day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise ValidationError(
            _("The date {text} does not exist.").format(text=raw), field
        ) from None


def show_date(day: date) -> str:
    """The Dutch way to write a date: 24-08-2026."""
    return day.strftime("%d-%m-%Y")


def to_db(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def from_db(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text[:10])


def moment_to_db(moment: datetime) -> str:
    return moment.replace(microsecond=0, tzinfo=None).isoformat(timespec="seconds")


def moment_from_db(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def school_year_of(day: date) -> str:
    """`2025-2026` for any day from 1 August 2025 up to and including 31 July 2026."""
    first = day.year if day.month >= 8 else day.year - 1
    return f"{first}-{first + 1}"


def school_year_bounds(school_year: str) -> tuple[date, date]:
    """First and last day of a school year written `2025-2026`."""
    match = _SCHOOL_YEAR.match(school_year.strip())
    if not match or int(match.group(2)) != int(match.group(1)) + 1:
        raise ValidationError(_("Write the school year as 2025-2026."), "school_year")
    first = int(match.group(1))
    if not 1990 <= first <= 2200:
        raise ValidationError(_("Write the school year as 2025-2026."), "school_year")
    return date(first, 8, 1), date(first + 1, 7, 31)


def month_name(month: int) -> str:
    """The month's name in the user's language (1 = January)."""
    names = (
        _("January"),
        _("February"),
        _("March"),
        _("April"),
        _("May"),
        _("June"),
        _("July"),
        _("August"),
        _("September"),
        _("October"),
        _("November"),
        _("December"),
    )
    return names[month - 1]
