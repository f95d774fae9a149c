"""Term and end (合同期限與終止): the termination notice, the handover checklist, the closure.

A termination notice (by the customer, recorded by sales; or by the provider, recorded by the
operations director) sets the contract's effective end and turns a ``live`` project
``terminating``. Each handover item is then done once, with evidence, by the lead of its
department. When every item is done and the effective date is reached, the PM closes the
project: ``closed``, read-only from then on (no step is allowed in it).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID

from domain import phases as ph
from domain import reading_rights
from domain.ending_records import BY, HANDOVER, REASONS, Closure, HandoverDone, Termination, handover_department
from domain.errors import InvalidInput, RuleViolated
from domain.evidence import files_field
from domain.roles import Actor
from domain.tracked import TrackedAggregate

if TYPE_CHECKING:
    from domain.project import Project

MAX_TEXT = 10000


def visible_handover(actor: Actor, termination: Any) -> Any:
    """The termination as ``actor`` may read it (``domain.reading_rights``): a department lead sees their own
    department's handover items only; everyone else the whole checklist."""
    departments = reading_rights.departments_read(actor, "handover_items")
    if termination is None or departments is None:
        return termination
    plain = dict(termination)  # (a value object gives its fields: it has keys and items by key)
    plain["handover"] = {item: done for item, done in plain["handover"].items() if HANDOVER[item] in departments}
    return plain


def _text(bad: dict[str, str], name: str, value: str, why: str) -> None:
    if not isinstance(value, str) or not value.strip():
        bad[name] = why
    elif len(value) > MAX_TEXT:
        bad[name] = f"at most {MAX_TEXT} characters"


class EndingSteps:
    ENDING_STEPS = {
        "record_termination": frozenset({ph.LIVE}),
        "record_handover": frozenset({ph.TERMINATING}),
        "close_project": frozenset({ph.TERMINATING}),
    }
    termination: Termination | None = None
    closure: Closure | None = None
    """(Class defaults: a snapshot taken before the project could end has neither.)"""

    class TerminationNoticed(TrackedAggregate.Event):
        """``termination_reason`` (a code), not ``reason`` (free text in other events)."""

        by: str
        termination_reason: str
        notice_on: date
        effective_on: date

        def apply(self, project: Project) -> None:
            project.termination = Termination(
                by=self.by,
                reason=self.termination_reason,
                notice_on=self.notice_on,
                effective_on=self.effective_on,
                recorded_by=self.actor,
                recorded_at=self.timestamp,
            )
            project.phase = ph.TERMINATING

    def record_termination(self, actor: Actor, by: str, reason: str, notice_on: date, effective_on: date) -> None:
        self.require_step("record_termination")
        bad = {}
        if by not in BY:
            bad["by"] = "customer or provider"
        if reason not in REASONS:
            bad["reason"] = "one of " + ", ".join(REASONS)
        if not isinstance(notice_on, date):
            bad["notice_on"] = "a date"
        if not isinstance(effective_on, date):
            bad["effective_on"] = "a date"
        elif isinstance(notice_on, date) and effective_on < notice_on:
            bad["effective_on"] = "may not be before notice_on"
        if bad:
            raise InvalidInput(bad)
        self.record(
            self.TerminationNoticed,
            actor,
            by=by,
            termination_reason=reason,
            notice_on=notice_on,
            effective_on=effective_on,
        )

    class HandoverItemCompleted(TrackedAggregate.Event):
        """``handover_item``, not ``item`` (a trial review's item in other events)."""

        handover_item: str
        evidence: str
        files: Sequence[str] = ()

        def apply(self, project: Project) -> None:
            done = HandoverDone(evidence=self.evidence, by=self.actor, at=self.timestamp)
            project.termination.handover = {**project.termination.handover, self.handover_item: done}

    def record_handover(self, actor: Actor, item: str, evidence: str, files: Sequence[str] = ()) -> None:
        """Once per item (a second time is refused, naming who did it)."""
        self.require_step("record_handover")
        handover_department(item)
        done = self.termination.handover.get(item)
        if done is not None:
            raise RuleViolated(
                "handover_once", f"{item} was already done by {done.by}", item=item, by=done.by, at=done.at.isoformat()
            )
        bad: dict[str, str] = {}
        _text(bad, "evidence", evidence, "what shows it is done?")
        if bad:
            raise InvalidInput(bad)
        self.record(self.HandoverItemCompleted, actor, handover_item=item, evidence=evidence, **files_field(files))

    class ProjectClosed(TrackedAggregate.Event):
        summary: str
        closed_on: date
        tickets_cancelled: list[UUID]

        def apply(self, project: Project) -> None:
            project.closure = Closure(
                summary=self.summary, closed_by=self.actor, closed_at=self.timestamp, closed_on=self.closed_on
            )
            project.phase = ph.CLOSED
            for ticket in project.tickets:
                if ticket.id in self.tickets_cancelled:
                    ticket.active = False

    def close_project(self, actor: Actor, summary: str, today: date, open_ticket_ids: list[UUID]) -> None:
        """Every handover item done and the effective date reached (``today`` ≥ ``effective_on``), else
        409 naming what is missing; the open tickets (a live requirement's) are cancelled with it."""
        self.require_step("close_project")
        bad: dict[str, str] = {}
        _text(bad, "summary", summary, "sum up how the service ended")
        if bad:
            raise InvalidInput(bad)
        missing, effective_on = self.termination.missing(), self.termination.effective_on
        early = today < effective_on
        if missing or early:
            why = [f"handover items not done: {', '.join(missing)}"] if missing else []
            why += [f"the effective date {effective_on} is not reached (today {today})"] if early else []
            raise RuleViolated(
                "closure_ready",
                "; ".join(why),
                missing=missing,
                effective_on=effective_on.isoformat(),
                today=today.isoformat(),
            )
        self.record(
            self.ProjectClosed, actor, summary=summary, closed_on=today, tickets_cancelled=list(open_ticket_ids)
        )
