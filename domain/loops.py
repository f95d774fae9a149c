"""Closing the loops (糾正措施、改進措施的關閉): improvement measures and corrective actions.

Recording a problem is half the job. The owner department's lead records an entry **done**
with evidence; the PM **verifies** it: effective → closed, not effective → reopened with a
reason and a new due date. Every step is kept on the entry (``completions``, ``verifications``).
The project's improvement measures and a failed review's corrective actions share these rules;
each aggregate has its own events (``ImprovementLoop`` on the project, ``CorrectiveActionLoop``
on the trial review).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from domain import phases as ph
from domain.errors import InvalidInput, InvalidTransition, NotFound
from domain.evidence import files_field
from domain.roles import Actor
from domain.state import Value
from domain.tracked import TrackedAggregate
from domain.working_days import Deadline

if TYPE_CHECKING:
    from domain.project import Project
    from domain.review_records import Nonconformity
    from domain.trial_records import Improvement
    from domain.trial_review import TrialReview

OPEN = "open"
DONE = "done"
CLOSED = "closed"
REOPENED = "reopened"
AWAITING_OWNER = frozenset({OPEN, REOPENED})
"""The owner department still has work: these may be recorded done, and are overdue past their due date."""


@dataclass(kw_only=True, eq=False, slots=True)
class Completion(Value):
    evidence: str
    by: str
    at: datetime


@dataclass(kw_only=True, eq=False, slots=True)
class Verification(Value):
    """The PM's verdict; ``new_due`` when not effective (the entry is reopened until then)."""

    effective: bool
    comments: str
    by: str
    at: datetime
    new_due: date | None = None


def load_steps(key: str, value: Any) -> Any:
    """``load_field`` of an entry for its kept steps (an older snapshot has none)."""
    if key == "completions":
        return [Completion.from_plain(item) for item in value]
    if key == "verifications":
        return [Verification.from_plain(item) for item in value]
    return value


def entry(entries: Sequence[Any], n: Any, what: str) -> Any:
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= len(entries):
        raise NotFound(what, n)
    return entries[n - 1]


def completion(item: Any, step: str, evidence: str) -> dict[str, Any]:
    """The completion event's data, once the entry awaits its owner and the evidence is given."""
    if item.state not in AWAITING_OWNER:
        raise InvalidTransition(step, item.state, _allowed(item.state, step))
    if not evidence.strip():
        raise InvalidInput({"evidence": "what shows it is done?"})
    return {"evidence": evidence}


def verification(
    item: Any, step: str, effective: bool, comments: str, new_due: date | Deadline | None
) -> dict[str, Any]:
    """The verification event's data: only a done entry; a new due date exactly when not effective."""
    if item.state != DONE:
        raise InvalidTransition(step, item.state, _allowed(item.state, step))
    bad = {}
    if not isinstance(effective, bool):
        bad["effective"] = "true or false"
    if not comments.strip():
        bad["comments"] = "say why it is effective or not"
    if effective is True and new_due is not None:
        bad["new_due"] = "only when not effective"
    if effective is False and new_due is None:
        bad["new_due"] = "not effective: give new_due or due_in_working_days"
    if bad:
        raise InvalidInput(bad)
    data: dict[str, Any] = {"effective": effective, "comments": comments}
    if isinstance(new_due, Deadline):
        data.update(
            new_due=new_due.due,
            due_in_working_days=new_due.working_days,
            due_counted_from=new_due.counted_from,
            due_provisional=new_due.provisional,
        )
    elif new_due is not None:
        data["new_due"] = new_due
    return data


def _allowed(state: str, step: str) -> list[str]:
    """The loop's step allowed from ``state`` (``step`` names the entry: ``complete_improvement`` …)."""
    thing = step.split("_", 1)[1]
    return [f"verify_{thing}"] if state == DONE else ([] if state == CLOSED else [f"complete_{thing}"])


class EntryCompleted(TrackedAggregate.Event):
    n: int
    evidence: str
    files: Sequence[str] = ()

    def entries(self, aggregate: Any) -> Sequence[Any]:
        raise NotImplementedError

    def apply(self, aggregate: Any) -> None:
        item = self.entries(aggregate)[self.n - 1]
        item.completions.append(Completion(evidence=self.evidence, by=self.actor, at=self.timestamp))
        item.state = DONE


class EntryVerified(TrackedAggregate.Event):
    n: int
    effective: bool
    comments: str
    new_due: date | None = None
    due_in_working_days: int | None = None
    due_counted_from: date | None = None
    due_provisional: bool = False

    def entries(self, aggregate: Any) -> Sequence[Any]:
        raise NotImplementedError

    def apply(self, aggregate: Any) -> None:
        item = self.entries(aggregate)[self.n - 1]
        item.verifications.append(
            Verification(
                effective=self.effective, comments=self.comments, by=self.actor, at=self.timestamp, new_due=self.new_due
            )
        )
        if self.effective:
            item.state = CLOSED
            return
        item.state, item.due = REOPENED, self.new_due
        item.due_in_working_days, item.due_counted_from = self.due_in_working_days, self.due_counted_from
        item.provisional = self.due_provisional


LOOP_PHASES = ph.SERVICE_RUNNING


class ImprovementLoop:
    """On the project: its improvement measures, done by their owner department, verified by the PM."""

    LOOP_STEPS = {"complete_improvement": LOOP_PHASES, "verify_improvement": LOOP_PHASES}

    class ImprovementCompleted(EntryCompleted):
        def entries(self, project: Project) -> list[Improvement]:
            return project.trial.improvements

    class ImprovementVerified(EntryVerified):
        def entries(self, project: Project) -> list[Improvement]:
            return project.trial.improvements

    def improvement(self, n: int) -> Improvement:
        return entry(self.trial.improvements if self.trial else [], n, "improvement measure")

    def complete_improvement(self, actor: Actor, n: int, evidence: str, files: Sequence[str] = ()) -> None:
        self.require_step("complete_improvement")
        data = completion(self.improvement(n), "complete_improvement", evidence)
        self.record(self.ImprovementCompleted, actor, n=n, **data, **files_field(files))

    def verify_improvement(
        self, actor: Actor, n: int, effective: bool, comments: str, new_due: date | Deadline | None
    ) -> None:
        self.require_step("verify_improvement")
        data = verification(self.improvement(n), "verify_improvement", effective, comments, new_due)
        self.record(self.ImprovementVerified, actor, n=n, **data)


class CorrectiveActionLoop:
    """On a failed trial review: its corrective actions (the caller checks the project is not cancelled)."""

    class CorrectiveActionCompleted(EntryCompleted):
        def entries(self, review: TrialReview) -> list[Nonconformity]:
            return review.nonconformities

    class CorrectiveActionVerified(EntryVerified):
        def entries(self, review: TrialReview) -> list[Nonconformity]:
            return review.nonconformities

    def nonconformity(self, n: int) -> Nonconformity:
        return entry(self.nonconformities, n, "nonconformity")

    def complete_corrective_action(self, actor: Actor, n: int, evidence: str, files: Sequence[str] = ()) -> None:
        self.require_step("complete_corrective_action")
        data = completion(self.nonconformity(n), "complete_corrective_action", evidence)
        self.record(self.CorrectiveActionCompleted, actor, n=n, **data, **files_field(files))

    def verify_corrective_action(
        self, actor: Actor, n: int, effective: bool, comments: str, new_due: date | Deadline | None
    ) -> None:
        self.require_step("verify_corrective_action")
        data = verification(self.nonconformity(n), "verify_corrective_action", effective, comments, new_due)
        self.record(self.CorrectiveActionVerified, actor, n=n, **data)
