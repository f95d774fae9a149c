"""The value objects and codes of term and end: who gives notice, why, the handover checklist
(item → the department whose lead does it), the termination with its handover, the closure."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from domain.errors import NotFound
from domain.state import Value

CUSTOMER, PROVIDER = "customer", "provider"
BY = (CUSTOMER, PROVIDER)
REASONS = ("expiry", "breach", "kpi_failures", "convenience", "force_majeure")
HANDOVER = {
    "customer_data_returned": "technology",
    "recordings_returned": "system_maintenance",
    "access_revoked": "technology",
    "staff_released": "hr",
    "final_settlement": "sales",
}
"""Each handover item and the department whose lead does it (``final_settlement``: the lead of the
sales department, as for every item; not the ``sales`` role)."""


@dataclass(kw_only=True, eq=False, slots=True)
class HandoverDone(Value):
    evidence: str
    by: str
    at: datetime


@dataclass(kw_only=True, eq=False, slots=True)
class Termination(Value):
    """The notice, and each handover item's completion as it comes (item → who, when, evidence)."""

    by: str
    reason: str
    notice_on: date
    effective_on: date
    recorded_by: str
    recorded_at: datetime
    handover: dict[str, HandoverDone] = field(default_factory=dict)

    @classmethod
    def load_field(cls, key: str, value: Any) -> Any:
        if key == "handover":
            return {item: HandoverDone.from_plain(done) for item, done in value.items()}
        return value

    def missing(self) -> list[str]:
        """The handover items not done yet, in checklist order."""
        return [item for item in HANDOVER if item not in self.handover]


@dataclass(kw_only=True, eq=False, slots=True)
class Closure(Value):
    summary: str
    closed_by: str
    closed_at: datetime
    closed_on: date


VALUES = (HandoverDone, Termination, Closure)


def handover_department(item: str) -> str:
    """The department whose lead does ``item``; 404 for an item the checklist does not have."""
    if item not in HANDOVER:
        raise NotFound("handover item", item)
    return HANDOVER[item]
