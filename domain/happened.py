"""Dates of things that happened may not lie after today (API.md "Closing the loops…").

The one rule for every command recording something that happened — an audit or meeting
``held_on``, feedback ``received_on``, a report period's ``period_end``, an outage's
``ended_at``, a notice's ``received_on`` or ``notice_on``: a command calls
``self.happened(field=value, …)`` (``Tracker.happened``) before it records, and a date after
today is refused with 422 naming the field. Times are judged by their Shanghai date.
"""

from __future__ import annotations

from datetime import date, datetime

from domain.clock import today_in_shanghai
from domain.errors import InvalidInput


def not_after_today(today: date, **dates: date | datetime | None) -> None:
    """InvalidInput naming each of ``dates`` after ``today`` (None and non-dates pass: other checks name them)."""
    bad = {}
    for field, value in dates.items():
        day = today_in_shanghai(value) if isinstance(value, datetime) and value.tzinfo else value
        if isinstance(day, datetime):
            day = day.date()
        if isinstance(day, date) and day > today:
            bad[field] = f"{day.isoformat()} is after today ({today.isoformat()}): only what has happened is recorded"
    if bad:
        raise InvalidInput(bad)
