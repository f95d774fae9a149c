"""The kinds of customer request (通知事項) and their notice periods, as the contracts set them.

Read by the contract terms (``notice_days`` overrides them) and by the requests themselves
(``domain.requests``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.calendar import MAX_WORKING_DAYS

REQUEST_KINDS: dict[str, tuple[str, int]] = {
    "seat_change": ("operations", 7),
    "skill_group_change": ("system_maintenance", 1),
    "ivr_change": ("system_maintenance", 1),
    "equipment_spec": ("system_maintenance", 5),
    "volume_surge": ("hr", 15),
    "extra_training": ("operations", 2),
    "staff_replacement": ("hr", 5),
}
"""Kind → (owner department, default notice in working days): API.md's table, from the contracts."""


def check_notice_days(errors: dict[str, str], value: Any) -> dict[str, int] | None:
    """The contract's ``notice_days {kind: n}``: known kinds, whole numbers of working days ≥ 1."""
    if value is None:
        return None
    if not isinstance(value, Mapping):
        errors["notice_days"] = "an object {request kind: working days}"
        return None
    checked: dict[str, int] = {}
    for kind, days in value.items():
        if kind not in REQUEST_KINDS:
            errors[f"notice_days.{kind}"] = "not a request kind (expected: " + ", ".join(REQUEST_KINDS) + ")"
        elif isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_WORKING_DAYS:
            errors[f"notice_days.{kind}"] = f"a whole number of working days from 1 to {MAX_WORKING_DAYS}"
        else:
            checked[kind] = days
    return checked
