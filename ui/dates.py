"""Dates as the screens write them, and a clock made from the main window's `now`.

`dutch_date` writes a date out in words ("dinsdag 26 mei 2026") from its own table of weekday
and month names, so it never depends on the computer's locale. Every name passes through `_()`
(English message ids), so the English catalogue shows "Tuesday 26 May 2026". `short_date`
and `short_moment` are the compact forms of the lists (26-05-2026, 26-05-2026 14:05).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from app.domain.dates import month_name, school_year_of
from app.i18n import _


def weekday_name(day: date) -> str:
    names = (
        _("Monday"),
        _("Tuesday"),
        _("Wednesday"),
        _("Thursday"),
        _("Friday"),
        _("Saturday"),
        _("Sunday"),
    )
    return names[day.weekday()]


def dutch_date(d: date, weekday: bool = True) -> str:
    """`dinsdag 26 mei 2026` (or `26 mei 2026` without the weekday)."""
    if weekday:
        return _("{weekday} {day} {month} {year}").format(
            weekday=weekday_name(d), day=d.day, month=month_name(d.month), year=d.year
        )
    return _("{day} {month} {year}").format(day=d.day, month=month_name(d.month), year=d.year)


def short_date(d: date | None) -> str:
    """`26-05-2026`; an empty text for no date."""
    return "" if d is None else d.strftime("%d-%m-%Y")


def short_moment(moment: datetime | None) -> str:
    """`26-05-2026 14:05`; an empty text for no moment."""
    return "" if moment is None else moment.strftime("%d-%m-%Y %H:%M")


class WindowClock:
    """An `app.clock.Clock` on top of a `now()` callable (the main window's clock)."""

    def __init__(self, now: Callable[[], datetime]) -> None:
        self._now = now

    def now(self) -> datetime:
        return self._now().replace(microsecond=0)

    def today(self) -> date:
        return self._now().date()


def school_years(today: date, count: int = 10) -> list[str]:
    """The last `count` school years, the current one first (`2026-2027`, `2025-2026`, ...)."""
    first = int(school_year_of(today)[:4])
    return [f"{year}-{year + 1}" for year in range(first, first - count, -1)]
