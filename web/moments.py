"""Times typed into a page: a date (``2026-12-18``) or a date and time without a zone
(``2026-12-18T09:30``, what ``<input type="datetime-local">`` sends), read in Asia/Shanghai.

A date alone means the start of that day for "from" and the end of it for "to" and "as of" (API.md:
``as_of`` of a plain date is the end of that day in Shanghai).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from domain.clock import SHANGHAI

MAX_TEXT = 40


def typed_moment(text: str | None, end_of_day: bool) -> datetime | None:
    """The moment typed, aware in Shanghai; None when nothing (or nothing readable) was typed."""
    text = (text or "").strip()
    if not text or len(text) > MAX_TEXT or not text.isascii():
        return None
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            start = datetime.combine(day, time(), SHANGHAI)
            return start + timedelta(days=1, microseconds=-1) if end_of_day else start
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.year < 1900 or moment.year > 2999:
        return None
    return moment.replace(tzinfo=SHANGHAI) if moment.tzinfo is None else moment
