"""Calendar days as the users live them: in Asia/Shanghai, whatever the server's zone.

"Today" is the Shanghai date of the clock, or a fixed day (``TRACKER_TODAY``, for training
environments, demos and acceptance tests); recorded event times always stay the real clock's.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def now() -> datetime:
    return datetime.now(UTC)


def today_in_shanghai(moment: datetime) -> date:
    return moment.astimezone(SHANGHAI).date()


def fixed_day(value: str | date) -> date:
    """``TRACKER_TODAY`` as a date; ValueError saying how to write it."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(f"TRACKER_TODAY must be a date like 2027-06-30, not {value!r}") from None


def today_source(fixed: str | date | None, clock: Callable[[], datetime] | None = None) -> Callable[[], date]:
    """How the product judges today: the fixed day when there is one, else the Shanghai date of
    ``clock`` (default: the real clock, looked up at each call)."""
    if fixed:
        day = fixed_day(fixed)
        return lambda: day
    return lambda: today_in_shanghai(clock() if clock is not None else now())
