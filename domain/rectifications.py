"""Rectification (整改) after a failed or missing month, on the project.

The customer's rectification notice (整改通知) is recorded by sales with its deadline (working days
after the day it was received, default 10); the PM records the plan (measures); the service manager
reports completion with evidence; the PM closes it. Each step once, in that order:

    notified ──plan──▶ planned ──completion──▶ completed ──closure──▶ closed

A rectification is overdue while it is not completed after its due date (the provider owes the
completion by then; the PM's closure is the provider's own check).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from domain import phases as ph
from domain.assessments import FAILED, MISSING
from domain.errors import InvalidInput, InvalidTransition, NotFound, RuleViolated
from domain.evidence import files_field
from domain.roles import Actor
from domain.tracked import TrackedAggregate, own
from domain.working_days import Deadline

if TYPE_CHECKING:
    from domain.project import Project

NOTIFIED = "notified"
PLANNED = "planned"
COMPLETED = "completed"
CLOSED = "closed"
DEFAULT_WORKING_DAYS = 10
RECTIFICATION_PHASES = ph.RUNNING
"""Where rectifications are recorded and worked: live, and terminating until the closure (the service runs)."""
NEXT_STEP = {NOTIFIED: "plan_rectification", PLANNED: "complete_rectification", COMPLETED: "close_rectification"}
AWAITING_COMPLETION = frozenset({NOTIFIED, PLANNED})
MAX_TEXT = 10000
MAX_MEASURES = 50


class RectificationSteps:
    RECTIFICATION_STEPS = {
        "notify_rectification": RECTIFICATION_PHASES,
        "plan_rectification": RECTIFICATION_PHASES,
        "complete_rectification": RECTIFICATION_PHASES,
        "close_rectification": RECTIFICATION_PHASES,
    }
    rectifications: Sequence[dict[str, Any]] = ()
    """Each notice with its steps (a project recorded before rectifications existed has none)."""

    class RectificationNotified(TrackedAggregate.Event):
        n: int
        month: str
        outcome: str
        notice_reference: str
        received_on: date
        due: date
        due_in_working_days: int
        due_provisional: bool

        def apply(self, project: Project) -> None:
            entry = {
                "n": self.n,
                "month": self.month,
                "outcome": self.outcome,
                "notice_reference": self.notice_reference,
                "received_on": self.received_on,
                "due": self.due,
                "due_in_working_days": self.due_in_working_days,
                "provisional": self.due_provisional,
                "state": NOTIFIED,
                "recorded_by": self.actor,
                "recorded_at": self.timestamp,
                "plan": None,
                "completion": None,
                "closure": None,
            }
            project.rectifications = [*project.rectifications, entry]

    class RectificationPlanned(TrackedAggregate.Event):
        n: int
        measures: list[str]

        def apply(self, project: Project) -> None:
            entry = project.rectifications[self.n - 1]
            entry["plan"] = {"measures": own(self.measures), "by": self.actor, "at": self.timestamp}
            entry["state"] = PLANNED

    class RectificationCompleted(TrackedAggregate.Event):
        n: int
        evidence: str
        files: Sequence[str] = ()

        def apply(self, project: Project) -> None:
            entry = project.rectifications[self.n - 1]
            entry["completion"] = {"evidence": self.evidence, "by": self.actor, "at": self.timestamp}
            entry["state"] = COMPLETED

    class RectificationClosed(TrackedAggregate.Event):
        n: int
        comments: str

        def apply(self, project: Project) -> None:
            entry = project.rectifications[self.n - 1]
            entry["closure"] = {"comments": self.comments, "by": self.actor, "at": self.timestamp}
            entry["state"] = CLOSED

    def rectification(self, n: Any) -> dict[str, Any]:
        if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= len(self.rectifications):
            raise NotFound("rectification", n)
        return self.rectifications[n - 1]

    def notify_rectification(
        self, actor: Actor, month: str, outcome: str | None, notice_reference: str, received_on: date, due: Deadline
    ) -> int:
        """Sales records the customer's notice for ``month``, whose assessment is ``outcome``."""
        self.require_step("notify_rectification")
        if not notice_reference.strip() or len(notice_reference) > MAX_TEXT:
            raise InvalidInput({"notice_reference": "the notice's reference is required"})
        if outcome not in (FAILED, MISSING):
            raise RuleViolated(
                "month_not_failed",
                f"a rectification follows a failed or missing month; {month} is {outcome or 'not assessed'}",
            )
        n = len(self.rectifications) + 1
        self.record(
            self.RectificationNotified,
            actor,
            n=n,
            month=month,
            outcome=outcome,
            notice_reference=notice_reference,
            received_on=received_on,
            due=due.due,
            due_in_working_days=due.working_days,
            due_provisional=due.provisional,
        )
        return n

    def plan_rectification(self, actor: Actor, n: int, measures: list[str]) -> None:
        self._next("plan_rectification", n)
        kept = [m for m in measures if isinstance(m, str) and m.strip()]
        if not kept or len(kept) != len(measures) or len(kept) > MAX_MEASURES:
            raise InvalidInput({"measures": f"one to {MAX_MEASURES} measures, none empty"})
        self.record(self.RectificationPlanned, actor, n=n, measures=kept)

    def complete_rectification(self, actor: Actor, n: int, evidence: str, files: Sequence[str] = ()) -> None:
        self._next("complete_rectification", n)
        if not evidence.strip():
            raise InvalidInput({"evidence": "what shows the rectification is done?"})
        self.record(self.RectificationCompleted, actor, n=n, evidence=evidence, **files_field(files))

    def close_rectification(self, actor: Actor, n: int, comments: str) -> None:
        self._next("close_rectification", n)
        if not comments.strip():
            raise InvalidInput({"comments": "say why it can be closed"})
        self.record(self.RectificationClosed, actor, n=n, comments=comments)

    def _next(self, step: str, n: int) -> None:
        """The phase allows ``step`` and it is the rectification's next one (409 naming the allowed step)."""
        self.require_step(step)
        state = self.rectification(n)["state"]
        if NEXT_STEP.get(state) != step:
            raise InvalidTransition(step, state, [NEXT_STEP[state]] if state in NEXT_STEP else [])


def overdue(entry: dict[str, Any], today: date) -> bool:
    return entry["state"] in AWAITING_COMPLETION and today > entry["due"]
