"""The working-day calendar as the commands count with it: the package's years, the recorded years, and beyond.

``domain/calendar.py`` answers from the ``chinese-calendar`` package alone. The State Council
publishes each next year's holidays around November, often before the package is updated;
the operations director then records the year (``WorkingCalendar``), and counts use it. A
recorded year wins over the package's copy of the same year: it is what the director read in
the notice, and it is the only way to follow a notice the package got wrong or that was
amended (as the 2020 Spring Festival extension was).

A count that reaches a year neither holds is not refused: it uses weekends only and is
``provisional``; recording that year recounts the open provisional deadlines.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from domain import calendar as package
from domain.calendar import MAX_WORKING_DAYS, ONE_DAY, CalendarNotCovered
from domain.errors import InvalidInput

RECORDED = "recorded"
PACKAGE = "package"
PROVISIONAL = "provisional"
LAST_RECORDABLE_YEAR = 2100
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Schedule:
    """One year's official schedule: holidays (date → name), make-up working days, the notice."""

    year: int
    holidays: Mapping[date, str]
    makeup_days: frozenset[date]
    reference: str

    def is_working_day(self, day: date) -> bool:
        return day in self.makeup_days or (day.weekday() < 5 and day not in self.holidays)


@dataclass(frozen=True)
class Deadline:
    """``working_days`` after ``counted_from`` is ``due``; ``provisional`` when a year counted was weekends only."""

    counted_from: date
    working_days: int
    due: date
    provisional: bool


@dataclass
class WorkingDays:
    """The calendar a command counts with: recorded years first, then the package, then weekends only."""

    recorded: Mapping[int, Schedule] = field(default_factory=dict)

    def source(self, year: int) -> str:
        if year in self.recorded:
            return RECORDED
        if package.FIRST_YEAR <= year <= package.LAST_YEAR:
            return PACKAGE
        if year < package.FIRST_YEAR:
            raise CalendarNotCovered(year)
        return PROVISIONAL

    def is_working_day(self, day: date) -> bool:
        schedule = self.recorded.get(day.year)
        if schedule is not None:
            return schedule.is_working_day(day)
        if self.source(day.year) == PACKAGE:
            return package.is_working_day(day)
        return day.weekday() < 5

    def deadline(self, day: date, n: int) -> Deadline:
        """The ``n``-th working day after ``day`` (``day`` itself never counts)."""
        if n < 1:
            raise ValueError(f"count at least one working day, not {n}")
        current, left, provisional = day, n, False
        while left:
            current += ONE_DAY
            provisional = provisional or self.source(current.year) == PROVISIONAL
            if self.is_working_day(current):
                left -= 1
        return Deadline(day, n, current, provisional)

    def due_date(self, due: date | None, due_in_working_days: int | None, today: date) -> Deadline | date:
        """A deadline given either as a date or as that many working days after ``today`` (one of the two)."""
        if (due is None) == (due_in_working_days is None):
            raise InvalidInput({"due": "give either a due date or due_in_working_days"})
        if due is not None:
            return due
        days = due_in_working_days
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_WORKING_DAYS:
            raise InvalidInput({"due_in_working_days": f"a whole number of working days from 1 to {MAX_WORKING_DAYS}"})
        return self.deadline(today, days)

    def working_days_left(self, today: date, due: date) -> int | None:
        """``calendar.working_days_left`` with the recorded years; None when a year it needs has no
        schedule (the views never guess, provisional or not)."""
        if due == today:
            return 0
        first, last, sign = (today + ONE_DAY, due, 1) if due > today else (due + ONE_DAY, today, -1)
        try:
            if any(self.source(year) == PROVISIONAL for year in range(first.year, last.year + 1)):
                return None
        except CalendarNotCovered:
            return None
        if not any(first.year <= year <= last.year for year in self.recorded):
            return package.working_days_left(today, due)
        total = 0
        for year in range(first.year, last.year + 1):
            start, end = max(first, date(year, 1, 1)), min(last, date(year, 12, 31))
            if year in self.recorded:
                total += sum(self.is_working_day(day) for day in _days(start, end))
            else:
                total += package.working_days_left(start - ONE_DAY, end)
        return sign * total


def _days(first: date, last: date) -> list[date]:
    return [first + ONE_DAY * i for i in range((last - first).days + 1)]


def years_a_count_may_reach(day: date) -> range:
    """The years a count of at most ``MAX_WORKING_DAYS`` from ``day`` can reach (they are loaded for it)."""
    return range(day.year, day.year + 3)


def schedule_from(year: Any, holidays: Any, makeup_days: Any, reference: Any) -> Schedule:
    """Check a schedule as given (422 naming each bad field) and make it a ``Schedule``."""
    bad: dict[str, str] = {}
    if type(year) is not int or not package.FIRST_YEAR <= year <= LAST_RECORDABLE_YEAR:
        raise InvalidInput({"year": f"a year from {package.FIRST_YEAR} to {LAST_RECORDABLE_YEAR}"})
    if not isinstance(reference, str) or not reference.strip():
        bad["reference"] = "the notice's reference, e.g. 国办发明电〔2026〕N号"
    named: dict[date, str] = {}
    if not isinstance(holidays, list) or not holidays:
        bad["holidays"] = "the year's official holidays, each {date, name}"
        holidays = []
    for i, holiday in enumerate(holidays):
        day = holiday.get("date") if isinstance(holiday, dict) else None
        name = holiday.get("name") if isinstance(holiday, dict) else None
        if not isinstance(day, date) or day.year != year:
            bad[f"holidays[{i}].date"] = f"a date in {year}"
        elif day in named:
            bad[f"holidays[{i}].date"] = f"{day.isoformat()} is listed twice"
        if not isinstance(name, str) or not name.strip():
            bad[f"holidays[{i}].name"] = "the holiday's name, e.g. 春节"
        if isinstance(day, date) and isinstance(name, str):
            named.setdefault(day, name)
    if named and all(day.weekday() >= 5 for day in named):
        bad["holidays"] = "every holiday given falls on a Saturday or Sunday: that schedule changes nothing"
    makeup: set[date] = set()
    if not isinstance(makeup_days, list):
        bad["makeup_days"] = "a list of dates (调休上班), possibly empty"
        makeup_days = []
    for i, day in enumerate(makeup_days):
        if not isinstance(day, date) or day.year != year:
            bad[f"makeup_days[{i}]"] = f"a date in {year}"
        elif day in named:
            bad[f"makeup_days[{i}]"] = f"{day.isoformat()} is also a holiday ({named[day]})"
        elif day.weekday() < 5:
            bad[f"makeup_days[{i}]"] = f"{day.isoformat()} is a {WEEKDAYS[day.weekday()]}: make-up days are weekends"
        elif day in makeup:
            bad[f"makeup_days[{i}]"] = f"{day.isoformat()} is listed twice"
        else:
            makeup.add(day)
    if bad:
        raise InvalidInput(bad)
    return Schedule(year, dict(sorted(named.items())), frozenset(makeup), reference.strip())


def deadline_fields(due: date | Deadline, due_in_working_days: int | None = None) -> dict[str, Any]:
    """An entry's due-date fields for its event: a date as it is, a working-day count with its start."""
    if isinstance(due, Deadline):
        return {
            "due": due.due,
            "due_in_working_days": due.working_days,
            "due_counted_from": due.counted_from,
            "due_provisional": due.provisional,
        }
    return {"due": due, "due_in_working_days": due_in_working_days}
