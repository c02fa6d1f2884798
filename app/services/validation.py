"""The checks every case-work command shares, each failing with one Dutch sentence.

Owns the limits: note text up to `MAX_NOTE_CHARS` (100,000) characters and short fields (names,
class, with whom, title) up to `MAX_SHORT_CHARS`; longer text is refused with a message and
never cut off. Text is stored exactly as given (no stripping, NUL and control characters kept;
SQLite binds text with its length, so they round-trip); only text that cannot be written as
UTF-8 at all (a lone surrogate) is refused. Dates: a `date`, not before `MIN_DATE`; events
(conversations, receipt, closing...) not after today; due dates at most `MAX_PLAN_DAYS` ahead.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from app.domain.errors import NotFoundError, ValidationError
from app.i18n import _

MAX_NOTE_CHARS = 100_000
MAX_SHORT_CHARS = 500
MIN_DATE = date(2000, 1, 1)
MAX_PLAN_DAYS = 2 * 366
MAX_MINUTES = 24 * 60


def check_text(value: str, field: str, *, limit: int = MAX_NOTE_CHARS, required: str = "") -> str:
    """`value` unchanged, or ValidationError: too long, not storable, or empty when `required`
    (the sentence to show then)."""
    if not isinstance(value, str):
        raise TypeError(f"{field} must be a str, not {type(value).__name__}")
    if required and not value.strip():
        raise ValidationError(required, field)
    if len(value) > limit:
        raise ValidationError(
            _(
                "This text has {count} characters; at most {limit} fit. Shorten it; "
                "nothing has been saved."
            ).format(count=_thousands(len(value)), limit=_thousands(limit)),
            field,
        )
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError(
            _("This text contains a character that cannot be stored. Remove it and try again."),
            field,
        ) from None
    return value


def _thousands(number: int) -> str:
    """100000 -> '100.000' (the Dutch thousands separator)."""
    return f"{number:,}".replace(",", ".")


def check_short(value: str, field: str, *, required: str = "") -> str:
    return check_text(value, field, limit=MAX_SHORT_CHARS, required=required)


def check_choice(value: str | None, choices: tuple[str, ...], field: str, missing: str) -> str:
    """`value` when it is one of `choices`; `missing` is the sentence for an empty choice."""
    if value is None or value == "":
        raise ValidationError(missing, field)
    if value not in choices:
        raise ValidationError(_("Choose one of the options in the list."), field)
    return value


def as_date(day: date | None, field: str) -> date:
    """A plain date (a datetime loses its time); ValidationError when missing."""
    if day is None:
        raise ValidationError(_("Fill in a date."), field)
    if isinstance(day, datetime):
        return day.date()
    if not isinstance(day, date):
        raise TypeError(f"{field} must be a date, not {type(day).__name__}")
    return day


def _show(day: date) -> str:
    return day.strftime("%d-%m-%Y")


def check_event_date(day: date | None, today: date, field: str) -> date:
    """A day something happened: not missing, not long ago, not in the future."""
    value = as_date(day, field)
    if value < MIN_DATE:
        raise ValidationError(
            _("The date {date} is too long ago; check the year.").format(date=_show(value)), field
        )
    if value > today:
        raise ValidationError(
            _("The date {date} lies in the future.").format(date=_show(value)), field
        )
    return value


def check_due_date(day: date | None, today: date, field: str, start: date) -> date:
    """A due date: not before `start`, at most `MAX_PLAN_DAYS` days after today."""
    value = as_date(day, field)
    if value < start:
        raise ValidationError(
            _("The due date cannot be before the step starts ({date}).").format(date=_show(start)),
            field,
        )
    if value > today + timedelta(days=MAX_PLAN_DAYS):
        raise ValidationError(
            _("The date {date} lies too far in the future; check the year.").format(
                date=_show(value)
            ),
            field,
        )
    return value


def check_minutes(minutes: int | None, field: str = "minutes") -> int | None:
    if minutes is None:
        return None
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        raise TypeError("minutes must be an int")
    if not 0 <= minutes <= MAX_MINUTES:
        raise ValidationError(
            _("The number of minutes must be between 0 and {max}.").format(max=MAX_MINUTES), field
        )
    return minutes


def not_found() -> NotFoundError:
    return NotFoundError(_("This record does not exist (any more)."))
