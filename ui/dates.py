"""Dates as the screens write them, and a clock made from the main window's `now`.

`dutch_date` writes a date out in words ("dinsdag 26 mei 2026") from its own table of weekday
and month names, so it never depends on the computer's locale. Every name passes through `_()`
(English message ids), so the English catalogue shows "Tuesday 26 May 2026". `short_date`
and `short_moment` are the compact forms of the lists (26-05-2026, 26-05-2026 14:05).

`MomentField` is where a moment is typed the Dutch way (dd-mm-jjjj uu:mm): a plain line edit,
so the arrow keys move the cursor and never change the date behind the VP's back (as a spin
box would); `parse_moment` reads it, with a Dutch sentence for what it cannot read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, time

from PySide6.QtWidgets import QLineEdit, QWidget

from app.domain.dates import month_name, parse_date, school_year_of
from app.domain.errors import ValidationError
from app.i18n import _

_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})$")


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


def parse_moment(text: str, field: str = "") -> datetime:
    """`dd-mm-jjjj uu:mm` (the time may be left out: 00:00) to a moment; ValidationError with a
    Dutch sentence for a date or time it cannot read."""
    parts = text.split()
    if len(parts) > 2:
        raise ValidationError(
            _("Write the moment as day-month-year and hours:minutes, for example "
              "24-08-2026 14:05."), field)
    day = parse_date(parts[0] if parts else "", field)
    at = time(0, 0)
    if len(parts) == 2:
        match = _TIME.match(parts[1])
        if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
            raise ValidationError(
                _("Write the time as hours:minutes, for example 14:05."), field)
        at = time(int(match.group(1)), int(match.group(2)))
    return datetime.combine(day, at)


class MomentField(QLineEdit):
    """A moment typed the Dutch way (24-08-2026 14:05); arrow keys never change it."""

    def __init__(self, moment: datetime | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(_("dd-mm-yyyy hh:mm"))
        self.setMaximumWidth(200)
        if moment is not None:
            self.set_moment(moment)

    def set_moment(self, moment: datetime) -> None:
        self.setText(short_moment(moment))

    def value(self, field: str = "") -> datetime:
        return parse_moment(self.text(), field)
