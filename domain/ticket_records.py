"""The value objects of a requirement ticket's state: risks, submissions, alternatives, acceptances."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from domain.state import Value


@dataclass(kw_only=True, eq=False, slots=True)
class Risk(Value):
    reason: str
    flagged_by: str
    flagged_at: datetime


@dataclass(kw_only=True, eq=False, slots=True)
class Submission(Value):
    evidence: str
    by: str
    at: datetime


@dataclass(kw_only=True, eq=False, slots=True)
class Acceptance(Value):
    """An acceptance check: ``accepted`` or ``returned``, against the criteria checked."""

    outcome: str
    criteria: Any
    comments: str
    by: str
    at: datetime


@dataclass(kw_only=True, eq=False, slots=True)
class AlternativeDecision(Value):
    status: str
    by: str
    role: str
    at: datetime
    comments: str
    participants: list[str]


@dataclass(kw_only=True, eq=False, slots=True)
class Alternative(Value):
    n: int
    description: str
    meets_requirements: bool
    new_due: date | None
    status: str
    proposed_by: str
    proposed_at: datetime
    decisions: list[AlternativeDecision] = field(default_factory=list)

    @classmethod
    def load_field(cls, key: str, value: Any) -> Any:
        return [AlternativeDecision.from_plain(d) for d in value] if key == "decisions" else value


@dataclass(kw_only=True, eq=False, slots=True)
class TicketCancellation(Value):
    reason: str
    previous_state: str


VALUES = (Risk, Submission, Acceptance, AlternativeDecision, Alternative, TicketCancellation)
