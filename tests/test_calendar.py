"""Working days on the real mainland-China calendar (``domain.calendar`` on ``chinese-calendar``).

Every date here is from the State Council's holiday notices: 国办发明电〔2024〕12号 for 2025
and 国办发明电〔2025〕7号 (4 November 2025) for 2026. A year the package does not carry is
refused with an error naming it, never guessed from the weekend.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain import calendar
from domain.calendar import (
    CalendarNotCovered,
    WorkingDayDeadline,
    add_working_days,
    covered_years,
    is_working_day,
    working_days_left,
    working_days_left_if_known,
)
from domain.errors import RuleViolated


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(n) for n in range((last - first).days + 1)]


def off_days(first: date, last: date) -> list[date]:
    return [day for day in days(first, last) if not is_working_day(day)]


# The official holidays and make-up working days ---------------------------------------------------


def test_2025_spring_festival():
    """春节: 28 January – 4 February off (8 days); Sunday 26 January and Saturday 8 February worked."""
    assert off_days(date(2025, 1, 25), date(2025, 2, 9)) == [
        date(2025, 1, 25),  # an ordinary Saturday
        *days(date(2025, 1, 28), date(2025, 2, 4)),
        date(2025, 2, 9),  # an ordinary Sunday
    ]
    assert date(2025, 1, 26).weekday() == 6 and is_working_day(date(2025, 1, 26))
    assert date(2025, 2, 8).weekday() == 5 and is_working_day(date(2025, 2, 8))
    assert is_working_day(date(2025, 1, 27)) and is_working_day(date(2025, 2, 5))


def test_2025_national_day():
    """国庆节 and 中秋节: 1–8 October off; Sunday 28 September and Saturday 11 October worked."""
    assert off_days(date(2025, 9, 27), date(2025, 10, 12)) == [
        date(2025, 9, 27),
        *days(date(2025, 10, 1), date(2025, 10, 8)),
        date(2025, 10, 12),
    ]
    assert date(2025, 9, 28).weekday() == 6 and is_working_day(date(2025, 9, 28))
    assert date(2025, 10, 11).weekday() == 5 and is_working_day(date(2025, 10, 11))


def test_2026_spring_festival():
    """春节 2026: 15–23 February off (9 days); Saturdays 14 and 28 February worked."""
    assert off_days(date(2026, 2, 14), date(2026, 3, 1)) == [
        *days(date(2026, 2, 15), date(2026, 2, 23)),
        date(2026, 3, 1),  # an ordinary Sunday
    ]
    assert date(2026, 2, 14).weekday() == 5 and is_working_day(date(2026, 2, 14))
    assert date(2026, 2, 28).weekday() == 5 and is_working_day(date(2026, 2, 28))


def test_2026_mid_autumn_and_national_day():
    """中秋节 25–27 September and 国庆节 1–7 October off; Sunday 20 September and Saturday 10 October worked."""
    assert off_days(date(2026, 9, 19), date(2026, 10, 11)) == [
        date(2026, 9, 19),
        *days(date(2026, 9, 25), date(2026, 9, 27)),
        *days(date(2026, 10, 1), date(2026, 10, 7)),
        date(2026, 10, 11),
    ]
    assert date(2026, 9, 20).weekday() == 6 and is_working_day(date(2026, 9, 20))
    assert date(2026, 10, 10).weekday() == 5 and is_working_day(date(2026, 10, 10))


def test_ordinary_weeks_are_monday_to_friday():
    week = days(date(2026, 11, 23), date(2026, 11, 29))
    assert [is_working_day(day) for day in week] == [True] * 5 + [False] * 2


# Counting forward -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("issued", "n", "due"),
    [
        # Friday before the 2025 Spring Festival: Sun 26 (make-up), Mon 27, then 5, 6, 7 February
        (date(2025, 1, 24), 5, date(2025, 2, 7)),
        (date(2025, 1, 24), 1, date(2025, 1, 26)),
        (date(2025, 1, 27), 1, date(2025, 2, 5)),
        (date(2025, 1, 27), 4, date(2025, 2, 8)),  # the make-up Saturday counts
        (date(2025, 1, 29), 1, date(2025, 2, 5)),  # counted from inside the holiday
        # 2025 National Day: Sun 28 September worked, 1–8 October off, Sat 11 October worked
        (date(2025, 9, 26), 1, date(2025, 9, 28)),
        (date(2025, 9, 26), 3, date(2025, 9, 30)),
        (date(2025, 9, 30), 1, date(2025, 10, 9)),
        (date(2025, 9, 30), 3, date(2025, 10, 11)),
        # 2026 Spring Festival: Sat 14 February worked, 15–23 off, Sat 28 worked
        (date(2026, 2, 13), 1, date(2026, 2, 14)),
        (date(2026, 2, 13), 2, date(2026, 2, 24)),
        (date(2026, 2, 23), 5, date(2026, 2, 28)),
        # 2026 National Day: 1–7 October off, Sat 10 October worked
        (date(2026, 9, 30), 3, date(2026, 10, 10)),
        (date(2026, 9, 18), 2, date(2026, 9, 21)),  # Sun 20 September is a make-up day
        # an ordinary week: Friday + 1 is Monday; 10 working days are two weeks
        (date(2026, 11, 20), 1, date(2026, 11, 23)),
        (date(2026, 11, 23), 10, date(2026, 12, 7)),
        # across the new year into 2026: 1–3 January off, Sunday 4 January worked
        (date(2025, 12, 31), 1, date(2026, 1, 4)),
    ],
)
def test_add_working_days_across_real_holidays(issued, n, due):
    assert add_working_days(issued, n) == due
    assert WorkingDayDeadline.after(issued, n) == WorkingDayDeadline(issued, n, due)
    assert working_days_left(issued, due) == n  # counting back gives the same number


@pytest.mark.parametrize("n", [0, -1])
def test_add_working_days_counts_at_least_one(n):
    with pytest.raises(ValueError):
        add_working_days(date(2026, 11, 23), n)


# Working days left -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "due", "left"),
    [
        (date(2026, 11, 23), date(2026, 11, 23), 0),  # due today
        (date(2026, 11, 23), date(2026, 11, 24), 1),  # due tomorrow
        (date(2026, 11, 20), date(2026, 11, 23), 1),  # Friday → Monday
        (date(2026, 11, 20), date(2026, 11, 22), 0),  # due on the Sunday: no working day left
        (date(2026, 11, 23), date(2026, 11, 20), -1),  # due Friday, today Monday: one working day late
        (date(2026, 11, 21), date(2026, 11, 20), 0),  # the Saturday after: late, but no working day lost yet
        (date(2026, 11, 30), date(2026, 11, 20), -6),
        (date(2025, 1, 24), date(2025, 2, 10), 7),  # Sun 26, Mon 27, then 5, 6, 7, Sat 8 and 10 February
        (date(2025, 2, 10), date(2025, 1, 24), -7),
        (date(2025, 1, 27), date(2025, 2, 4), 0),  # due on the last day of the Spring Festival
        (date(2025, 9, 27), date(2025, 10, 12), 6),  # Sun 28, 29, 30 September; 9, 10, Sat 11 October
        (date(2026, 2, 13), date(2026, 2, 28), 6),  # 14, 24, 25, 26, 27 and 28 February
        (date(2026, 9, 18), date(2026, 10, 12), 12),  # Sun 20, 21–24, 28–30 September; 8, 9, Sat 10, 12 October
        (date(2025, 12, 26), date(2026, 1, 5), 5),  # 29, 30, 31 December, Sunday 4 and Monday 5 January
    ],
)
def test_working_days_left(today, due, left):
    expected = sum(1 for day in days(min(today, due) + timedelta(1), max(today, due)) if is_working_day(day))
    assert left == (expected if due >= today else -expected)
    assert working_days_left(today, due) == left
    assert working_days_left(due, today) == -left


def test_working_days_left_matches_counting_day_by_day_over_years():
    """The year tables give the same answer as walking the days one by one, across year ends."""
    start = date(2024, 11, 1)
    walked, running = {}, 0
    for day in days(start, date(2026, 3, 1)):
        if day > start and is_working_day(day):
            running += 1
        walked[day] = running
    for due in (date(2024, 12, 31), date(2025, 1, 1), date(2025, 6, 30), date(2026, 1, 4), date(2026, 3, 1)):
        assert working_days_left(start, due) == walked[due]
        assert working_days_left(due, start) == -walked[due]


# Years the package does not cover -------------------------------------------------------------------


def test_the_installed_package_covers_2004_to_2026():
    assert covered_years() == (2004, 2026) == (calendar.FIRST_YEAR, calendar.LAST_YEAR)


@pytest.mark.parametrize(
    "ask",
    [
        lambda: is_working_day(date(2027, 1, 4)),
        lambda: add_working_days(date(2026, 12, 28), 5),  # 29–31 December, then 2027
        lambda: add_working_days(date(2027, 3, 1), 1),
        lambda: working_days_left(date(2026, 12, 30), date(2027, 1, 5)),
        lambda: working_days_left(date(2027, 1, 5), date(2026, 12, 30)),
        lambda: working_days_left(date(2026, 12, 30), date(2030, 1, 5)),  # the first year missing is named
    ],
)
def test_a_year_after_the_calendar_is_refused_naming_it(ask):
    with pytest.raises(CalendarNotCovered) as caught:
        ask()
    error = caught.value
    assert isinstance(error, RuleViolated) and error.rule == "working_day_calendar"
    assert error.year == 2027
    assert "2027" in error.message and "2004–2026" in error.message
    assert error.details["year"] == 2027
    assert (error.details["covered_from"], error.details["covered_to"]) == (2004, 2026)


def test_a_year_before_the_calendar_is_refused_naming_it():
    with pytest.raises(CalendarNotCovered) as caught:
        working_days_left(date(2004, 1, 5), date(2003, 12, 30))
    assert caught.value.year == 2003 and "2003" in caught.value.message
    with pytest.raises(CalendarNotCovered, match="2003"):
        is_working_day(date(2003, 12, 31))
    # the last day of 2003 is not counted when counting from it
    assert working_days_left(date(2003, 12, 31), date(2004, 1, 2)) == 1


def test_views_get_none_for_a_year_not_covered():
    assert working_days_left_if_known(date(2026, 12, 30), date(2027, 1, 5)) is None
    assert working_days_left_if_known(date(2027, 1, 5), date(2027, 1, 5)) == 0  # nothing to count
    assert working_days_left_if_known(date(2026, 12, 28), date(2026, 12, 31)) == 3


def test_no_guessing_even_for_a_plain_weekday_of_an_uncovered_year():
    for day in (date(2027, 6, 1), date(2099, 6, 1), date(1999, 6, 1), date.max, date.min):
        with pytest.raises(CalendarNotCovered, match=str(day.year)):
            is_working_day(day)
    with pytest.raises(CalendarNotCovered, match="9999"):
        add_working_days(date.max, 1)
