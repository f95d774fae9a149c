"""Working days (工作日) on the mainland-China calendar, for deadlines such as "5 working days after issue".

A **working day** is a Monday to Friday that is not an official holiday, or a Saturday or
Sunday that the State Council made an official make-up working day (調休上班). The data
come from the ``chinese-calendar`` package, which carries each year's State Council notice
(国务院办公厅关于…年部分节假日安排的通知, published around November for the next year).
It covers the years ``covered_years()`` (2004–2026 in chinese-calendar 1.11.0). A day in
any other year is never guessed from the weekend: every function here raises
``CalendarNotCovered`` naming the first year the answer needs. Commands and views count with
``domain.working_days.WorkingDays``, which adds the years the operations director recorded and
counts beyond every known year on weekends only, marked provisional.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

import chinese_calendar

from domain.errors import InvalidInput, RuleViolated

ONE_DAY = timedelta(days=1)


def covered_years() -> tuple[int, int]:
    """The first and last year whose official holidays and make-up days the package holds."""
    years = [day.year for day in chinese_calendar.holidays]
    return min(years), max(years)


FIRST_YEAR, LAST_YEAR = covered_years()


class CalendarNotCovered(RuleViolated):
    """The working-day calendar has no official data for ``year`` (409 ``working_day_calendar``).

    A refusal of the step as it stands, not a bad field: the request is well formed, and the
    same request succeeds once the package carries that year's State Council notice.
    """

    def __init__(self, year: int) -> None:
        later = year > LAST_YEAR
        super().__init__(
            "working_day_calendar",
            f"the working-day calendar does not cover {year}{' yet' if later else ''} (it has the official holidays "
            f"and make-up working days of {FIRST_YEAR}–{LAST_YEAR}): working days in {year} cannot be counted"
            + (" until it carries that year's State Council holiday notice" if later else ""),
            year=year,
            covered_from=FIRST_YEAR,
            covered_to=LAST_YEAR,
        )
        self.year = year


def is_working_day(day: date) -> bool:
    """True on a working day (weekday not an official holiday, or an official make-up working day)."""
    return _days_of(_covered(day).year)[_index(day)]


def add_working_days(day: date, n: int) -> date:
    """The ``n``-th working day after ``day`` (``n`` ≥ 1); ``day`` itself never counts.

    "5 working days after Friday 2025-01-24" is Friday 2025-02-07: Sunday 26 January (a make-up
    working day), Monday 27 January, then, after the Spring Festival holiday of 28 January–
    4 February, 5, 6 and 7 February.
    """
    if n < 1:
        raise ValueError(f"count at least one working day, not {n}")
    if day.year > LAST_YEAR:
        raise CalendarNotCovered(day.year)
    current = day
    while n:
        current += ONE_DAY
        if is_working_day(current):
            n -= 1
    return current


@dataclass(frozen=True)
class WorkingDayDeadline:
    """A due date given as ``working_days`` working days after ``counted_from``."""

    counted_from: date
    working_days: int
    due: date

    @classmethod
    def after(cls, day: date, working_days: int) -> WorkingDayDeadline:
        return cls(day, working_days, add_working_days(day, working_days))


MAX_WORKING_DAYS = 250
"""About a year of working days: a longer count is a typo, not a deadline."""


def due_date(due: date | None, due_in_working_days: int | None, today: date) -> date:
    """A deadline given either as a date or as that many working days after ``today`` (one of the two)."""
    if (due is None) == (due_in_working_days is None):
        raise InvalidInput({"due": "give either a due date or due_in_working_days"})
    if due is not None:
        return due
    days = due_in_working_days
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_WORKING_DAYS:
        raise InvalidInput({"due_in_working_days": f"a whole number of working days from 1 to {MAX_WORKING_DAYS}"})
    return add_working_days(today, days)


def working_days_left(today: date, due: date) -> int:
    """Working days from tomorrow up to and including ``due``; negative when ``due`` is past.

    Precisely, with W(d) the number of working days up to and including d: W(due) − W(today).
    So: ``due`` in the future → the working days after today up to and including ``due``
    (due tomorrow, a working day: 1; due on a non-working day right after today: 0);
    ``due`` today → 0 (nothing to count, whatever the year); ``due`` past → minus the
    working days after ``due`` up to and including today, i.e. the working days overdue
    (due Friday, today Monday: −1; today the Saturday after: 0, though already overdue).
    """
    if due == today:
        return 0
    if due > today:
        return _count(today + ONE_DAY, due)
    return -_count(due + ONE_DAY, today)


def working_days_left_if_known(today: date, due: date) -> int | None:
    """``working_days_left``, or None when the calendar does not cover a year it needs (for views)."""
    try:
        return working_days_left(today, due)
    except CalendarNotCovered:
        return None


def _count(first: date, last: date) -> int:
    """Working days from ``first`` to ``last``, both included (``first`` ≤ ``last``)."""
    if first.year < FIRST_YEAR:
        raise CalendarNotCovered(first.year)
    if last.year > LAST_YEAR:
        raise CalendarNotCovered(max(first.year, LAST_YEAR + 1))
    total = 0
    for year in range(first.year, last.year + 1):
        start, end = max(first, date(year, 1, 1)), min(last, date(year, 12, 31))
        total += _cumulative(year)[_index(end)] - _cumulative(year)[_index(start)] + _days_of(year)[_index(start)]
    return total


def _index(day: date) -> int:
    """The day's place in its year's tables (1 January is 0)."""
    return day.timetuple().tm_yday - 1


def _covered(day: date) -> date:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise CalendarNotCovered(day.year)
    return day


@cache
def _days_of(year: int) -> tuple[bool, ...]:
    """Whether each day of a covered year (1 January first) is a working day, as the package says."""
    days, day = [], date(year, 1, 1)
    while day.year == year:
        try:
            days.append(chinese_calendar.is_workday(day))
        except NotImplementedError:  # the package's own refusal of a year it lacks
            raise CalendarNotCovered(year) from None
        day += ONE_DAY
    return tuple(days)


@cache
def _cumulative(year: int) -> tuple[int, ...]:
    """Working days of the year up to and including each day."""
    total, counts = 0, []
    for working in _days_of(year):
        total += working
        counts.append(total)
    return tuple(counts)
