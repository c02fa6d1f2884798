"""Working-day calendar for the confidant's deadlines (DOMAIN.md, "Calendar").

This module owns the answer to "what is the next working day?" (protocol 5b:
"uiterlijk op de eerstvolgende werkdag") and the related questions the GUI
asks: is a given day a working day, is it a school holiday of the region (so
the pupil must be told where to turn meanwhile), and for which years the
``holidays`` package has school-holiday data at all.

A day is a working day when it is

* not a Saturday or Sunday;
* not a Dutch public holiday as listed by ``holidays.country_holidays("NL",
  categories=("public",))``.  In the installed package that category holds
  New Year's Day, Good Friday, Easter Sunday and Monday, King's Day (moved to
  Saturday 26 April when 27 April is a Sunday), Ascension Day, Whit Sunday and
  Monday, Christmas Day and Boxing Day, and Liberation Day (5 May) only in
  lustrum years.  Good Friday is deliberately kept as a closed day: the
  specification names this category as the source, and Dutch schools are in
  practice closed on Good Friday;
* not 5 May in any year: the Algemene termijnenwet treats Liberation Day as a
  holiday every year, so this module adds it itself;
* when ``school_holidays`` is true (the default setting), not a school
  holiday of the region ("noord", "midden" or "zuid");
* not one of the extra days the school closed (``extra_closed``, e.g. study
  days).

When school holidays are counted and the ``holidays`` package has no
school-holiday entries at all for a calendar year the search needs,
:class:`NoSchoolHolidaysError` is raised so that the GUI can ask the VP to
enter the holidays (which it can then pass in ``extra_closed`` together with
``school_holidays=False``; :func:`school_holiday_dates` gives the package's
dates for the years it does know).

Pure rules: no database, no Qt, no clock.  The ``holidays`` package is slow to
import, so it is imported lazily and its results are cached per
(year, region, category).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date, datetime, timedelta

__all__ = [
    "MAX_SEARCH_DAYS",
    "REGIONS",
    "NoSchoolHolidaysError",
    "has_school_holiday_data",
    "in_school_holiday",
    "is_public_holiday",
    "is_working_day",
    "next_working_day",
    "school_holiday_dates",
    "school_holiday_years",
]

#: The three school-holiday regions, lower case, as accepted by this module.
REGIONS: tuple[str, ...] = ("noord", "midden", "zuid")

#: How many days after the given day :func:`next_working_day` searches.
MAX_SEARCH_DAYS = 120

# Region as this module spells it -> subdivision as ``holidays`` spells it.
_SUBDIVISIONS: dict[str, str] = {"noord": "Noord", "midden": "Midden", "zuid": "Zuid"}

_PUBLIC = "public"
_SCHOOL = "school"


class NoSchoolHolidaysError(ValueError):
    """The ``holidays`` package has no school holidays for a year and region."""

    def __init__(self, year: int, region: str) -> None:
        self.year = year
        self.region = region
        super().__init__(
            f"The holidays package has no school holidays for region {region!r} "
            f"in {year}; enter them by hand or do not count school holidays."
        )


def _normalize_region(region: str) -> str:
    """Return the region in lower case, or raise ValueError when unknown."""
    normalized = region.strip().lower()
    if normalized not in _SUBDIVISIONS:
        raise ValueError(f"Unknown region {region!r}; expected one of {', '.join(REGIONS)}.")
    return normalized


def _check_day(day: date, what: str = "day") -> None:
    """Reject datetimes and non-dates: they would silently never match a holiday."""
    if isinstance(day, datetime) or not isinstance(day, date):
        raise TypeError(f"{what} must be a datetime.date, not {type(day).__name__}")


@functools.lru_cache(maxsize=256)
def _holiday_dates(year: int, subdiv: str | None, category: str) -> frozenset[date]:
    """Dates the ``holidays`` package lists for one year, subdivision and category."""
    import holidays  # slow to import, so deliberately lazy

    entries = holidays.country_holidays("NL", subdiv=subdiv, years=year, categories=(category,))
    return frozenset(d for d in entries if d.year == year)


def is_public_holiday(day: date) -> bool:
    """Whether ``day`` is a Dutch public holiday, counting 5 May every year."""
    _check_day(day)
    if (day.month, day.day) == (5, 5):
        return True
    return day in _holiday_dates(day.year, None, _PUBLIC)


def school_holiday_dates(year: int, region: str) -> frozenset[date]:
    """All school-holiday dates of ``region`` in calendar ``year`` (may be empty).

    An empty set means the ``holidays`` package has no data for that year.
    """
    subdiv = _SUBDIVISIONS[_normalize_region(region)]
    return _holiday_dates(year, subdiv, _SCHOOL)


def has_school_holiday_data(year: int, region: str) -> bool:
    """Whether the ``holidays`` package has any school holiday for the year and region."""
    return bool(school_holiday_dates(year, region))


@functools.lru_cache(maxsize=8)
def _school_holiday_years(region: str) -> frozenset[int]:
    from holidays.countries.netherlands import Netherlands  # lazy, see above

    first = int(Netherlands.start_year)
    last = int(Netherlands.end_year)
    return frozenset(y for y in range(first, last + 1) if has_school_holiday_data(y, region))


def school_holiday_years(region: str) -> frozenset[int]:
    """The calendar years for which the ``holidays`` package has school holidays."""
    return _school_holiday_years(_normalize_region(region))


def _school_holidays_for(year: int, region: str) -> frozenset[date]:
    """School-holiday dates of the year, or NoSchoolHolidaysError when there are none."""
    dates = school_holiday_dates(year, region)
    if not dates:
        raise NoSchoolHolidaysError(year, region)
    return dates


def in_school_holiday(day: date, region: str = "zuid") -> bool:
    """Whether ``day`` falls in a school holiday of ``region``.

    Raises :class:`NoSchoolHolidaysError` when there is no data for that year.
    """
    _check_day(day)
    normalized = _normalize_region(region)
    return day in _school_holidays_for(day.year, normalized)


def _is_working_day(day: date, region: str, school_holidays: bool, closed: frozenset[date]) -> bool:
    """Core test; ``region`` must already be normalized."""
    if day.weekday() >= 5 or day in closed or is_public_holiday(day):
        return False
    # Only consult school holidays for a day that is otherwise open, so that
    # a missing year is reported only when the answer really depends on it.
    return not (school_holidays and day in _school_holidays_for(day.year, region))


def is_working_day(
    day: date,
    region: str = "zuid",
    school_holidays: bool = True,
    extra_closed: Iterable[date] = (),
) -> bool:
    """Whether ``day`` is a working day (see the module docstring).

    Raises ValueError for an unknown region and :class:`NoSchoolHolidaysError`
    when school holidays are counted, the day is otherwise open and the
    ``holidays`` package has no school holidays for its year.
    """
    _check_day(day)
    normalized = _normalize_region(region)
    closed = frozenset(extra_closed)
    for closed_day in closed:
        _check_day(closed_day, "extra_closed entry")
    return _is_working_day(day, normalized, school_holidays, closed)


def next_working_day(
    day: date,
    region: str = "zuid",
    school_holidays: bool = True,
    extra_closed: Iterable[date] = (),
) -> date:
    """The first working day strictly after ``day``.

    Raises ValueError for an unknown region or when no working day lies within
    :data:`MAX_SEARCH_DAYS` days, and :class:`NoSchoolHolidaysError` (a
    ValueError) when school holidays are counted and the ``holidays`` package
    has none for a year the search reaches.
    """
    _check_day(day)
    normalized = _normalize_region(region)
    closed = frozenset(extra_closed)
    for closed_day in closed:
        _check_day(closed_day, "extra_closed entry")
    for offset in range(1, MAX_SEARCH_DAYS + 1):
        candidate = day + timedelta(days=offset)
        if _is_working_day(candidate, normalized, school_holidays, closed):
            return candidate
    raise ValueError(f"No working day within {MAX_SEARCH_DAYS} days after {day.isoformat()}.")
