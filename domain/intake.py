"""Service information (服務信息收集): what sales and the customer confirmed at intake.

Checked before a project is registered, so a bad intake records nothing and every
wrong field is named at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.errors import InvalidInput

CHANNELS = ("inbound_hotline", "outbound", "online_chat", "email", "social")
REQUIREMENT_KINDS = ("customer", "implicit", "legal")
SOURCE_KINDS = ("proposal", "tender", "contract", "requirement_list")


def check_intake(
    code: str,
    name: str,
    customer: str,
    service: Mapping[str, Any],
    requirements: list[Mapping[str, Any]],
    sources: list[Mapping[str, Any]],
) -> None:
    """Intake data as sales and the customer confirmed it (服務信息收集)."""
    bad: dict[str, str] = {}
    for field, value in (("code", code), ("name", name), ("customer", customer)):
        if not str(value or "").strip():
            bad[field] = "required"
    channels = list(service.get("channels") or [])
    if not channels or any(c not in CHANNELS for c in channels):
        bad["service.channels"] = f"one or more of {', '.join(CHANNELS)}"
    days = service.get("days_per_week")
    if not _is_count(days) or not 1 <= days <= 7:
        bad["service.days_per_week"] = "a whole number from 1 to 7"
    seats = service.get("seats")
    if not _is_count(seats) or seats < 1:
        bad["service.seats"] = "a positive whole number"
    if not service.get("languages"):
        bad["service.languages"] = "at least one language"
    start, end = service.get("daily_start"), service.get("daily_end")
    for field, value in (("daily_start", start), ("daily_end", end)):
        if not _is_clock(value):
            bad[f"service.{field}"] = "a time of day as HH:MM"
    if _is_clock(start) and _is_clock(end) and start >= end:
        bad["service.daily_end"] = "service hours must end after they start"
    for i, req in enumerate(requirements):
        if req.get("kind") not in REQUIREMENT_KINDS:
            bad[f"requirements.{i}.kind"] = f"one of {', '.join(REQUIREMENT_KINDS)}"
        if not str(req.get("text") or "").strip():
            bad[f"requirements.{i}.text"] = "required"
    for i, src in enumerate(sources):
        if src.get("kind") not in SOURCE_KINDS:
            bad[f"sources.{i}.kind"] = f"one of {', '.join(SOURCE_KINDS)}"
        if not str(src.get("reference") or "").strip():
            bad[f"sources.{i}.reference"] = "required"
    if bad:
        raise InvalidInput(bad)


def _is_count(value: Any) -> bool:
    """A whole number (``True`` is an int to Python, not to a user)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _is_clock(value: Any) -> bool:
    if not isinstance(value, str) or len(value) != 5 or value[2] != ":":
        return False
    hours, minutes = value[:2], value[3:]
    return hours.isdigit() and minutes.isdigit() and int(hours) < 24 and int(minutes) < 60
