"""The value objects of a trial review's state: item assessments, the decision, nonconformities."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from domain.loops import OPEN, Completion, Verification, load_steps
from domain.state import Value
from domain.trial_records import COUNTED


@dataclass(kw_only=True, eq=False, slots=True)
class ItemAssessment(Value):
    met: bool
    evidence: str
    by: str


@dataclass(kw_only=True, eq=False, slots=True)
class Decision(Value):
    """The decision after a passed review, with who took it."""

    decision: str
    date: date
    by: str
    role: str


@dataclass(kw_only=True, eq=False, slots=True)
class Nonconformity(Value):
    """A nonconformity and its corrective action; the working-day fields only when its due date was counted.

    ``state``, ``completions`` and ``verifications`` close the action's loop (``domain.loops``;
    absent from snapshots taken before, hence the defaults).
    """

    OMITTED_UNLESS = ("due_in_working_days", COUNTED)
    ORDER = (
        *COUNTED,
        "n",
        "description",
        "corrective_action",
        "owner_department",
        "due",
        "recorded_by",
        "state",
        "completions",
        "verifications",
    )

    n: int
    description: str
    corrective_action: str
    owner_department: str
    due: date
    recorded_by: str
    due_in_working_days: int | None = None
    due_counted_from: date | None = None
    provisional: bool = False
    state: str = OPEN
    completions: list[Completion] = field(default_factory=list)
    verifications: list[Verification] = field(default_factory=list)

    @classmethod
    def load_field(cls, key: str, value: Any) -> Any:
        return load_steps(key, value)


VALUES = (ItemAssessment, Decision, Nonconformity)
