"""Calendar days as the users live them: in Asia/Shanghai, whatever the server's zone."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def now() -> datetime:
    return datetime.now(UTC)


def today_in_shanghai(moment: datetime) -> date:
    return moment.astimezone(SHANGHAI).date()
