"""The system-availability SLA: a month's provider-caused outage minutes, availability and deduction.

Availability = (1 − outage minutes ÷ (days in month × 1440)) × 100, with only
provider-caused outages counted, each clipped to the month (months begin at 00:00
Asia/Shanghai) and overlapping ones merged. It is computed exactly (a Fraction); tiers
and points are judged on that exact value, ``availability_percent`` is only its display
(4 places, half up). Deduction: 1 % of the fee per whole point below target (each started
point with ``count_partial_points``); at or below 90 / 80 / 65 % the month is paid at
80 / 50 / 0 % instead, with a written investigation report.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

from domain.errors import InvalidInput
from domain.reading import Errors, month_problem, plain, round_fraction

SHANGHAI = ZoneInfo("Asia/Shanghai")
MINUTES_PER_DAY = 1440
# Absolute tiers, checked lowest first: (at or below this availability, tier, percent of fee deducted).
TIERS = ((65, "refusable", 100), (80, "report_50", 50), (90, "report_80", 20))
NO_DEDUCTION = "none"
POINTS = "points"


def check_outage(started_at: datetime, ended_at: datetime) -> None:
    errors: Errors = {}
    for field, moment in (("started_at", started_at), ("ended_at", ended_at)):
        if not isinstance(moment, datetime) or moment.utcoffset() is None:
            errors[field] = "a time with its offset, e.g. 2026-12-01T09:00:00+08:00"
    if not errors and ended_at < started_at:
        errors["ended_at"] = "an outage cannot end before it starts"
    elif not errors and ended_at == started_at:
        errors["ended_at"] = "an outage must end after it starts"
    if errors:
        raise InvalidInput(errors)


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """The month as [start, end) in UTC, its days running midnight to midnight in Shanghai."""
    if problem := month_problem(month):
        raise InvalidInput({"month": problem})
    year, number = (int(part) for part in month.split("-"))
    start = datetime(year, number, 1, tzinfo=SHANGHAI)
    end = datetime(year + number // 12, number % 12 + 1, 1, tzinfo=SHANGHAI)
    return start.astimezone(UTC), end.astimezone(UTC)


def days_in(month: str) -> int:
    year, number = (int(part) for part in month.split("-"))
    return calendar.monthrange(year, number)[1]


def outage_minutes(outages: Sequence[Mapping[str, Any]], month: str) -> Fraction:
    """Exact minutes of provider-caused outage inside the month, overlaps counted once."""
    month_start, month_end = month_bounds(month)
    spans = sorted(
        (max(_utc(outage["started_at"]), month_start), min(_utc(outage["ended_at"]), month_end))
        for outage in outages
        if outage.get("provider_caused") is True
    )
    total = timedelta(0)
    merged_end: datetime | None = None
    for start, end in spans:
        if merged_end is not None:
            start = max(start, merged_end)
        if end > start:
            total += end - start
            merged_end = end
    return Fraction(total // timedelta(microseconds=1), 60_000_000)


def _utc(moment: datetime | str) -> datetime:
    """Aware datetimes (or ISO strings with offset, if stored that way) in UTC."""
    return (datetime.fromisoformat(moment) if isinstance(moment, str) else moment).astimezone(UTC)


def exact_availability(outages: Sequence[Mapping[str, Any]], month: str) -> Fraction:
    return (1 - outage_minutes(outages, month) / (days_in(month) * MINUTES_PER_DAY)) * 100


def judge(availability: Fraction, target_percent: str, count_partial_points: bool) -> tuple[str, int, int]:
    """(tier, points below target, percent of the fee deducted) for an exact availability."""
    shortfall = Fraction(Decimal(target_percent)) - availability
    points = 0 if shortfall <= 0 else math.ceil(shortfall) if count_partial_points else math.floor(shortfall)
    for limit, tier, deducted in TIERS:
        if availability <= limit:
            return tier, points, deducted
    if shortfall <= 0:
        return NO_DEDUCTION, 0, 0
    return POINTS, points, points


def month_availability(
    outages: Sequence[Mapping[str, Any]], month: str, target_percent: str, count_partial_points: bool
) -> dict[str, Any]:
    """The month's SLA outcome, JSON-plain.

    ``{month, days_in_month, minutes_in_month, outage_minutes, availability_percent,
    target_percent, count_partial_points, tier, points_below, deduction_percent,
    report_required}``; ``outage_minutes`` is exact minutes trimmed ("90", "90.5"; shown to
    4 places if seconds make it recur), ``deduction_percent`` the percent of the fee
    deducted ("0", "3", "20", "50", "100").
    """
    minutes = outage_minutes(outages, month)
    availability = exact_availability(outages, month)
    tier, points, deducted = judge(availability, target_percent, count_partial_points)
    return {
        "month": month,
        "days_in_month": days_in(month),
        "minutes_in_month": days_in(month) * MINUTES_PER_DAY,
        "outage_minutes": plain(round_fraction(minutes, 4)),
        "availability_percent": format(round_fraction(availability, 4), "f"),
        "target_percent": plain(Decimal(target_percent)),
        "count_partial_points": bool(count_partial_points),
        "tier": tier,
        "points_below": points,
        "deduction_percent": str(deducted),
        "report_required": tier not in (NO_DEDUCTION, POINTS),
    }
