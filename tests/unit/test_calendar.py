"""Tests for app.rules.calendar on real dates (DOMAIN.md, "Calendar").

Every expected date below was worked out by hand from the calendar and the
official school-holiday regions, and cross-checked against the data of the
installed ``holidays`` package (NL school holidays 2014-2030):

* zuid:   summer 2026 11 Jul - 23 Aug, Christmas 19 Dec 2026 - 3 Jan 2027,
          Christmas 25 Dec 2027 - 9 Jan 2028, May break 2026 25 Apr - 3 May;
* noord:  summer 2026 4 Jul - 16 Aug;
* midden: summer 2026 18 Jul - 30 Aug.

Good Friday is in the ``holidays`` NL "public" category and is treated as a
closed day (a documented decision in the module docstring).
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.rules.calendar import (
    MAX_SEARCH_DAYS,
    REGIONS,
    NoSchoolHolidaysError,
    has_school_holiday_data,
    in_school_holiday,
    is_public_holiday,
    is_working_day,
    next_working_day,
    school_holiday_dates,
    school_holiday_years,
)

REPO_ROOT = Path(__file__).resolve().parents[2]


# --- DOMAIN examples -------------------------------------------------------------


def test_domain_example_pentecost_monday() -> None:
    # Fri 22 May 2026; Sat, Sun (Whit Sunday), Mon 25 May is Tweede Pinksterdag.
    assert next_working_day(date(2026, 5, 22)) == date(2026, 5, 26)
    assert next_working_day(date(2026, 5, 22), region="zuid") == date(2026, 5, 26)


def test_domain_example_summer_holiday_zuid() -> None:
    # Zuid summer holiday 2026: Sat 11 July up to and including Sun 23 August.
    assert next_working_day(date(2026, 7, 10), region="zuid") == date(2026, 8, 24)


def test_domain_example_without_school_holidays() -> None:
    assert next_working_day(date(2026, 7, 10), school_holidays=False) == date(2026, 7, 13)


# --- weekends --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 3, 5), date(2026, 3, 6)),  # Thursday -> Friday
        (date(2026, 3, 6), date(2026, 3, 9)),  # Friday -> Monday
        (date(2026, 3, 7), date(2026, 3, 9)),  # Saturday -> Monday
        (date(2026, 3, 8), date(2026, 3, 9)),  # Sunday -> Monday
        (date(2026, 3, 9), date(2026, 3, 10)),  # strictly after: Monday -> Tuesday
    ],
)
def test_weekends(day: date, expected: date) -> None:
    assert next_working_day(day) == expected


def test_weekend_is_not_a_working_day() -> None:
    assert not is_working_day(date(2026, 3, 7))
    assert not is_working_day(date(2026, 3, 8))
    assert is_working_day(date(2026, 3, 9))


# --- public holidays -------------------------------------------------------------


def test_package_public_category_contents() -> None:
    """Pin what the installed package calls public, so a change is noticed."""
    public_2026 = holidays.country_holidays("NL", years=2026, categories=("public",))
    assert sorted(public_2026) == [
        date(2026, 1, 1),  # New Year's Day
        date(2026, 4, 3),  # Good Friday
        date(2026, 4, 5),  # Easter Sunday
        date(2026, 4, 6),  # Easter Monday
        date(2026, 4, 27),  # King's Day
        date(2026, 5, 14),  # Ascension Day
        date(2026, 5, 24),  # Whit Sunday
        date(2026, 5, 25),  # Whit Monday
        date(2026, 12, 25),  # Christmas Day
        date(2026, 12, 26),  # Boxing Day
    ]
    # Liberation Day only in lustrum years in the package ...
    assert date(2025, 5, 5) in holidays.country_holidays("NL", years=2025, categories=("public",))
    assert date(2027, 5, 5) not in holidays.country_holidays(
        "NL", years=2027, categories=("public",)
    )


def test_good_friday_and_easter_monday_are_closed() -> None:
    # Thu 2 Apr 2026; Good Friday 3 Apr, weekend, Easter Monday 6 Apr.
    assert is_public_holiday(date(2026, 4, 3))
    assert is_public_holiday(date(2026, 4, 6))
    assert next_working_day(date(2026, 4, 2)) == date(2026, 4, 7)
    assert next_working_day(date(2026, 4, 5)) == date(2026, 4, 7)
    # 2027: Good Friday 26 Mar, Easter Monday 29 Mar (zuid has no school holiday then).
    assert next_working_day(date(2027, 3, 25)) == date(2027, 3, 30)


def test_kings_day_2026_monday() -> None:
    # Mon 27 Apr 2026 (inside the May break, so school holidays are switched off).
    assert next_working_day(date(2026, 4, 24), school_holidays=False) == date(2026, 4, 28)
    assert not is_working_day(date(2026, 4, 27), school_holidays=False)


def test_kings_day_2025_moved_to_saturday() -> None:
    # 27 Apr 2025 was a Sunday, so King's Day was Saturday 26 April.
    assert is_public_holiday(date(2025, 4, 26))
    assert not is_public_holiday(date(2025, 4, 27))
    assert next_working_day(date(2025, 4, 25), school_holidays=False) == date(2025, 4, 28)


def test_kings_day_2028_thursday() -> None:
    # Thu 27 Apr 2028; the zuid May break starts Sat 29 Apr 2028.
    assert next_working_day(date(2028, 4, 26)) == date(2028, 4, 28)


def test_liberation_day_every_year() -> None:
    # 2027 is not a lustrum year, yet Wed 5 May 2027 is closed (Algemene termijnenwet);
    # Thu 6 May 2027 is Ascension Day.
    assert is_public_holiday(date(2027, 5, 5))
    assert next_working_day(date(2027, 5, 4)) == date(2027, 5, 7)
    # Tue 5 May 2026, just after the May break (25 Apr - 3 May).
    assert next_working_day(date(2026, 5, 4)) == date(2026, 5, 6)
    assert not is_working_day(date(2026, 5, 5))


def test_ascension_day() -> None:
    # Thu 14 May 2026.
    assert next_working_day(date(2026, 5, 13)) == date(2026, 5, 15)
    # Thu 25 May 2028.
    assert next_working_day(date(2028, 5, 24)) == date(2028, 5, 26)


def test_christmas_and_boxing_day() -> None:
    # Thu 25 and Fri 26 Dec 2025.
    assert next_working_day(date(2025, 12, 24), school_holidays=False) == date(2025, 12, 29)
    # Fri 25 Dec 2026, Boxing Day on Saturday.
    assert next_working_day(date(2026, 12, 24), school_holidays=False) == date(2026, 12, 28)


def test_new_year() -> None:
    # Thu 1 Jan 2026.
    assert next_working_day(date(2025, 12, 31), school_holidays=False) == date(2026, 1, 2)
    # Sat 1 Jan 2028 falls in the weekend.
    assert next_working_day(date(2027, 12, 31), school_holidays=False) == date(2028, 1, 3)


# --- school holidays and regions ---------------------------------------------------


def test_christmas_holiday_crosses_new_year() -> None:
    # Zuid Christmas holiday 19 Dec 2026 - Sun 3 Jan 2027.
    assert next_working_day(date(2026, 12, 30)) == date(2027, 1, 4)
    assert next_working_day(date(2026, 12, 18)) == date(2027, 1, 4)
    # 25 Dec 2027 - Sun 9 Jan 2028.
    assert next_working_day(date(2027, 12, 30), region="zuid") == date(2028, 1, 10)


def test_regions_differ_in_summer() -> None:
    friday = date(2026, 7, 10)
    # Noord: 4 Jul - 16 Aug 2026, so 10 July is already in the holiday.
    assert next_working_day(friday, region="noord") == date(2026, 8, 17)
    # Midden: 18 Jul - 30 Aug 2026, so Monday 13 July is still a school day.
    assert next_working_day(friday, region="midden") == date(2026, 7, 13)
    assert next_working_day(date(2026, 7, 17), region="midden") == date(2026, 8, 31)
    # Zuid: 11 Jul - 23 Aug 2026.
    assert next_working_day(friday, region="zuid") == date(2026, 8, 24)


def test_summer_2025_per_region() -> None:
    # 2025: noord 12 Jul - 24 Aug, midden 19 Jul - 31 Aug, zuid 5 Jul - 17 Aug.
    assert next_working_day(date(2025, 7, 11), region="noord") == date(2025, 8, 25)
    assert next_working_day(date(2025, 7, 18), region="midden") == date(2025, 9, 1)
    assert next_working_day(date(2025, 7, 4), region="zuid") == date(2025, 8, 18)


def test_in_school_holiday() -> None:
    assert not in_school_holiday(date(2026, 7, 10), "zuid")
    assert in_school_holiday(date(2026, 7, 11), "zuid")
    assert in_school_holiday(date(2026, 8, 23), "zuid")
    assert not in_school_holiday(date(2026, 8, 24), "zuid")
    assert in_school_holiday(date(2026, 7, 10), "noord")
    assert not in_school_holiday(date(2026, 7, 10), "midden")
    assert in_school_holiday(date(2027, 1, 1), "Zuid")


def test_school_holiday_years() -> None:
    for region in REGIONS:
        years = school_holiday_years(region)
        assert {2025, 2026, 2027, 2028} <= years
        assert 2040 not in years
        assert has_school_holiday_data(2026, region)
        assert not has_school_holiday_data(2040, region)


def test_school_holiday_dates_cached_and_case_insensitive() -> None:
    first = school_holiday_dates(2026, "zuid")
    assert school_holiday_dates(2026, "ZUID") is first
    assert date(2026, 7, 11) in first
    assert school_holiday_dates(2040, "zuid") == frozenset()


# --- extra closed days -------------------------------------------------------------


def test_extra_closed_study_days() -> None:
    friday = date(2026, 10, 9)  # zuid autumn holiday is 17 - 25 Oct 2026
    assert next_working_day(friday) == date(2026, 10, 12)
    study_days = [date(2026, 10, 12), date(2026, 10, 13)]
    assert next_working_day(friday, extra_closed=study_days) == date(2026, 10, 14)
    assert next_working_day(friday, extra_closed=iter(study_days)) == date(2026, 10, 14)
    assert not is_working_day(date(2026, 10, 12), extra_closed=study_days)


def test_extra_closed_also_without_school_holidays() -> None:
    closed = {date(2026, 7, 13)}
    assert next_working_day(date(2026, 7, 10), school_holidays=False, extra_closed=closed) == (
        date(2026, 7, 14)
    )


def test_search_is_bounded() -> None:
    start = date(2026, 3, 2)
    closed = [start + timedelta(days=n) for n in range(1, MAX_SEARCH_DAYS + 10)]
    with pytest.raises(ValueError, match="No working day") as info:
        next_working_day(start, school_holidays=False, extra_closed=closed)
    assert not isinstance(info.value, NoSchoolHolidaysError)


# --- errors ------------------------------------------------------------------------


@pytest.mark.parametrize("region", ["ZUID", "Zuid", "noord", "Midden", " midden "])
def test_region_case_insensitive(region: str) -> None:
    assert next_working_day(date(2026, 3, 6), region=region) == date(2026, 3, 9)


@pytest.mark.parametrize("region", ["", "oost", "west", "Zuid-Holland", "south"])
def test_unknown_region(region: str) -> None:
    with pytest.raises(ValueError, match="Unknown region"):
        next_working_day(date(2026, 3, 6), region=region)
    with pytest.raises(ValueError, match="Unknown region"):
        next_working_day(date(2026, 3, 6), region=region, school_holidays=False)
    with pytest.raises(ValueError, match="Unknown region"):
        is_working_day(date(2026, 3, 6), region=region)
    with pytest.raises(ValueError, match="Unknown region"):
        in_school_holiday(date(2026, 3, 6), region)


def test_year_without_school_holiday_data() -> None:
    assert not holidays.country_holidays("NL", subdiv="Zuid", years=2040, categories=("school",))
    with pytest.raises(NoSchoolHolidaysError) as info:
        next_working_day(date(2040, 3, 9), region="Zuid")
    error = info.value
    assert isinstance(error, ValueError)
    assert error.year == 2040
    assert error.region == "zuid"
    assert "2040" in str(error)
    with pytest.raises(NoSchoolHolidaysError):
        in_school_holiday(date(2040, 3, 9), "zuid")
    with pytest.raises(NoSchoolHolidaysError):
        is_working_day(date(2040, 3, 9))
    # Without school holidays the same search works (Fri 9 Mar 2040 -> Mon 12 Mar).
    assert next_working_day(date(2040, 3, 9), school_holidays=False) == date(2040, 3, 12)


def test_missing_year_reached_over_new_year() -> None:
    # Fri 20 Dec 2030: Christmas holiday 21-31 Dec 2030, 1 Jan 2031 public, and on
    # Thu 2 Jan 2031 the answer depends on 2031, for which there is no data.
    assert has_school_holiday_data(2030, "zuid")
    assert not has_school_holiday_data(2031, "zuid")
    with pytest.raises(NoSchoolHolidaysError) as info:
        next_working_day(date(2030, 12, 20))
    assert info.value.year == 2031
    assert next_working_day(date(2030, 12, 20), school_holidays=False) == date(2030, 12, 23)


def test_missing_year_only_when_the_answer_depends_on_it() -> None:
    # Tue 31 Dec 2013 is not examined (strictly after), 1 Jan 2014 is public, and the
    # Christmas holiday of 2014 runs to Sun 5 Jan: no need for the missing 2013 data.
    assert not has_school_holiday_data(2013, "zuid")
    assert next_working_day(date(2013, 12, 31)) == date(2014, 1, 6)
    # From Sun 29 Dec 2013, Monday 30 Dec 2013 needs the 2013 data.
    with pytest.raises(NoSchoolHolidaysError) as info:
        next_working_day(date(2013, 12, 29))
    assert info.value.year == 2013


def test_datetime_is_rejected() -> None:
    with pytest.raises(TypeError):
        next_working_day(datetime(2026, 5, 22, 12, 0))
    with pytest.raises(TypeError):
        next_working_day(date(2026, 5, 22), extra_closed=[datetime(2026, 5, 26)])


def test_holidays_is_imported_lazily() -> None:
    code = (
        "import sys\n"
        "import app.rules.calendar\n"
        "assert 'holidays' not in sys.modules, 'holidays imported at module level'\n"
        "assert 'PySide6' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, check=True)


# --- property ----------------------------------------------------------------------


def _independent_closed(day: date, region: str, school: bool, extra: set[date]) -> bool:
    """Oracle built straight on the holidays package, not on the module under test."""
    public = holidays.country_holidays("NL", years=day.year, categories=("public",))
    if day.weekday() >= 5 or day in public or (day.month, day.day) == (5, 5) or day in extra:
        return True
    if school:
        school_days = holidays.country_holidays(
            "NL", subdiv=region.capitalize(), years=day.year, categories=("school",)
        )
        return day in school_days
    return False


@settings(max_examples=150, deadline=None)
@given(
    day=st.dates(min_value=date(2025, 1, 1), max_value=date(2028, 12, 31)),
    region=st.sampled_from(REGIONS),
    school=st.booleans(),
    offsets=st.lists(st.integers(min_value=-3, max_value=20), max_size=8),
)
def test_property_next_working_day(
    day: date, region: str, school: bool, offsets: list[int]
) -> None:
    extra = {day + timedelta(days=n) for n in offsets}
    result = next_working_day(day, region=region, school_holidays=school, extra_closed=extra)
    assert result > day
    assert result.weekday() < 5
    assert not is_public_holiday(result)
    assert result not in holidays.country_holidays("NL", years=result.year, categories=("public",))
    assert (result.month, result.day) != (5, 5)
    assert result not in extra
    assert not _independent_closed(result, region, school, extra)
    if school:
        assert not in_school_holiday(result, region)
    # Minimal: every day strictly in between is closed.
    between = day + timedelta(days=1)
    while between < result:
        assert _independent_closed(between, region, school, extra)
        between += timedelta(days=1)
    assert is_working_day(result, region=region, school_holidays=school, extra_closed=extra)
