"""The value objects of the customer's requests (``domain.requests``): each request and its fulfilment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from domain.state import Value

OPEN = "open"
FULFILLED = "fulfilled"


@dataclass(kw_only=True, eq=False, slots=True)
class Fulfilment(Value):
    evidence: str
    by: str
    at: datetime


@dataclass(kw_only=True, eq=False, slots=True)
class CustomerRequest(Value):
    """One request; ``due`` is ``notice_days`` working days after ``received_on`` (``provisional`` when a
    year counted had no official schedule yet)."""

    n: int
    kind: str
    received_on: date
    details: str
    reference: str
    owner_department: str
    notice_days: int
    due: date
    provisional: bool
    recorded_by: str
    recorded_at: datetime
    state: str = OPEN
    fulfilment: Fulfilment | None = None

    @classmethod
    def load_field(cls, key: str, value: Any) -> Any:
        return Fulfilment.from_plain(value) if key == "fulfilment" and value is not None else value

    def overdue(self, today: date) -> bool:
        return self.state == OPEN and self.due < today

    @property
    def due_counted_from(self) -> date:
        """(The names ``domain.recounts`` counts again with.)"""
        return self.received_on

    @property
    def due_in_working_days(self) -> int:
        return self.notice_days


VALUES = (CustomerRequest, Fulfilment)
