"""The value objects of a project's trial: its records (audits, feedback, improvements, equipment
reports) and the reviews it opened, with the decision after each."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID

from domain.loops import OPEN, Completion, Verification, load_steps
from domain.state import Value

COUNTED = ("due_in_working_days", "due_counted_from", "provisional")
"""The working-day fields of an entry whose due date was counted (absent from its plain form otherwise)."""


@dataclass(kw_only=True, eq=False, slots=True)
class ProcessAudit(Value):
    held_on: date
    findings: list[str]
    conforming: bool
    recorded_by: str
    recorded_at: datetime


@dataclass(kw_only=True, eq=False, slots=True)
class CustomerFeedback(Value):
    received_on: date
    summary: str
    recorded_by: str
    recorded_at: datetime


@dataclass(kw_only=True, eq=False, slots=True)
class Improvement(Value):
    """An improvement measure; the working-day fields only when its due date was counted.

    ``n`` counts from 1 in recording order; ``state``, ``completions`` and ``verifications``
    close its loop (``domain.loops``; absent from snapshots taken before, hence the defaults).
    """

    OMITTED_UNLESS = ("due_in_working_days", COUNTED)

    problem: str
    measure: str
    owner_department: str
    due: date
    recorded_by: str
    recorded_at: datetime
    due_in_working_days: int | None = None
    due_counted_from: date | None = None
    provisional: bool = False
    n: int = 0
    state: str = OPEN
    completions: list[Completion] = field(default_factory=list)
    verifications: list[Verification] = field(default_factory=list)

    @classmethod
    def load_field(cls, key: str, value: Any) -> Any:
        return load_steps(key, value)


@dataclass(kw_only=True, eq=False, slots=True)
class EquipmentReport(Value):
    period_start: date
    period_end: date
    summary: str
    recorded_by: str
    recorded_at: datetime
    at_version: int


@dataclass(kw_only=True, eq=False, slots=True)
class TrialState(Value):
    start: date
    planned_end: date
    audits: list[ProcessAudit] = field(default_factory=list)
    feedback: list[CustomerFeedback] = field(default_factory=list)
    improvements: list[Improvement] = field(default_factory=list)
    equipment_reports: list[EquipmentReport] = field(default_factory=list)
    extended_at_version: int = 0

    ORDER = (
        "start",
        "planned_end",
        "audits",
        "feedback",
        "improvements",
        "equipment_reports",
        "extended_at_version",
    )
    """(An ``ORDER``, the fields' own, so that a snapshot's trial is built through ``__post_init__``.)"""
    ENTRIES = {
        "audits": ProcessAudit,
        "feedback": CustomerFeedback,
        "improvements": Improvement,
        "equipment_reports": EquipmentReport,
    }

    @classmethod
    def load_field(cls, key: str, value: Any) -> Any:
        entry = cls.ENTRIES.get(key)
        return value if entry is None else [entry.from_plain(item) for item in value]

    def __post_init__(self) -> None:
        """Number the improvement measures of a snapshot taken before they were numbered (n = 0)."""
        for n, item in enumerate(self.improvements, start=1):
            item.n = item.n or n

    @property
    def last_equipment_report(self) -> EquipmentReport | None:
        return self.equipment_reports[-1] if self.equipment_reports else None


@dataclass(kw_only=True, eq=False, slots=True)
class ReviewDecision(Value):
    """What was decided after a passed review: ``go_live`` or ``extend_trial``, on ``date``."""

    decision: str
    date: date


@dataclass(kw_only=True, eq=False, slots=True)
class ReviewRecord(Value):
    """A trial review as the project keeps it: opened, its outcome, the decision after it."""

    review_id: UUID
    held_on: date
    outcome: str | None = None
    decision: ReviewDecision | None = None

    @classmethod
    def load_field(cls, key: str, value: Any) -> Any:
        return ReviewDecision.from_plain(value) if key == "decision" and value is not None else value


VALUES = (
    Completion,
    Verification,
    ProcessAudit,
    CustomerFeedback,
    Improvement,
    EquipmentReport,
    TrialState,
    ReviewDecision,
    ReviewRecord,
)
