"""The value objects of a project's state: requirement changes, plans, the tickets register, the manual."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from domain.state import Value


@dataclass(kw_only=True, eq=False, slots=True)
class RequirementChange(Value):
    description: str
    review_outcome: str
    reference: str
    at_version: int
    recorded_by: str
    recorded_at: datetime


@dataclass(kw_only=True, eq=False, slots=True)
class Cancellation(Value):
    reason: str
    previous_phase: str


@dataclass(kw_only=True, eq=False, slots=True)
class PlanReview(Value):
    outcome: str
    participants: list[str]
    comments: str
    reviewed_by: str
    reviewed_at: datetime
    at_version: int


@dataclass(kw_only=True, eq=False, slots=True)
class PlanVersion(Value):
    plan_version: int
    status: str
    content: dict[str, Any]
    reviews: list[PlanReview] = field(default_factory=list)

    @classmethod
    def load_field(cls, key: str, value: Any) -> Any:
        return [PlanReview.from_plain(r) for r in value] if key == "reviews" else value


@dataclass(kw_only=True, eq=False, slots=True)
class PlanRevision(Value):
    trigger: str
    reason: str
    at_version: int


@dataclass(kw_only=True, eq=False, slots=True)
class TicketEntry(Value):
    """A ticket in the project's register: which requirement it serves, while ``active``."""

    id: UUID
    requirement_ref: str
    department: str
    active: bool


@dataclass(kw_only=True, eq=False, slots=True)
class ManualReview(Value):
    outcome: str
    comments: str
    reviewed_by: str
    reviewed_at: datetime


@dataclass(kw_only=True, eq=False, slots=True)
class ManualRevision(Value):
    revision: int
    document_reference: str
    revision_note: str
    submitted_by: str
    submitted_at: datetime
    review: ManualReview | None = None

    @classmethod
    def load_field(cls, key: str, value: Any) -> Any:
        return ManualReview.from_plain(value) if key == "review" and value is not None else value


@dataclass(kw_only=True, eq=False, slots=True)
class ManualState(Value):
    status: str = "none"
    revisions: list[ManualRevision] = field(default_factory=list)

    @property
    def in_force(self) -> int | None:
        """The last approved revision: the manual the service runs on while a later one is reviewed."""
        approved = [r.revision for r in self.revisions if r.review is not None and r.review.outcome == "approved"]
        return approved[-1] if approved else None

    @classmethod
    def load_field(cls, key: str, value: Any) -> Any:
        return [ManualRevision.from_plain(r) for r in value] if key == "revisions" else value


VALUES = (
    RequirementChange,
    Cancellation,
    PlanReview,
    PlanVersion,
    PlanRevision,
    TicketEntry,
    ManualReview,
    ManualRevision,
    ManualState,
)
