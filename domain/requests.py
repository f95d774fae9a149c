"""Customer requests with notice periods (通知事項): the contracts oblige the provider to act within
working days of a customer's written notice.

Sales records a request (its kind, the day it was received, what it asks, the notice's reference);
the kind names the owner department and the notice period in working days (``REQUEST_KINDS``,
overridden by the contract terms' ``notice_days`` in force in the month received). The due date is
the that-many-th working day after the day received (mainland-China calendar, holidays and make-up
working days included). The owner department's lead fulfils it once, with evidence.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from domain import phases as ph
from domain import reading_rights
from domain.contract import month_of, terms_for_month
from domain.errors import InvalidInput, InvalidTransition, NotFound
from domain.evidence import files_field
from domain.recounts import DueRecountedEntry, recounted
from domain.request_kinds import REQUEST_KINDS
from domain.request_records import FULFILLED, OPEN, CustomerRequest, Fulfilment
from domain.roles import Actor
from domain.tracked import TrackedAggregate
from domain.working_days import WorkingDays

if TYPE_CHECKING:
    from domain.project import Project

REQUEST_PHASES = ph.IN_TRIAL | ph.RUNNING
"""Requests are recorded and fulfilled once the service runs: the trial already answers the customer's
real calls (as KPI reports and outages are kept from the trial on), live, and while terminating (a
notice received before the effective date is still owed)."""
MAX_TEXT = 10000
T = TypeVar("T")


def visible_to(actor: Actor, requests: Iterable[T]) -> list[T]:
    """The requests (values or rows with ``owner_department``) ``actor`` may read, by the reading-rights
    table (``domain.reading_rights``: a department lead their own department's); lists leave out the others."""
    departments = reading_rights.departments_read(actor, "requests")
    return [r for r in requests if departments is None or r["owner_department"] in departments]  # type: ignore[index]


class CustomerRequests:
    """On the project: the customer's requests, recorded by sales, fulfilled by the owner department's lead."""

    REQUEST_STEPS = {"record_customer_request": REQUEST_PHASES, "fulfil_customer_request": REQUEST_PHASES}
    requests: tuple[CustomerRequest, ...] | list[CustomerRequest] = ()
    """(A project state from before requests has none: this, never mutated, until its first request.)"""

    def init_requests(self) -> None:
        self.requests = []

    class RequestRecorded(TrackedAggregate.Event):
        n: int
        kind: str
        received_on: date
        details: str
        reference: str
        owner_department: str
        notice_days: int
        due: date
        due_provisional: bool

        @property
        def due_counted_from(self) -> date:
            """(What ``store.working_day_counts`` reads of the events that start a working-day count.)"""
            return self.received_on

        @property
        def due_in_working_days(self) -> int:
            return self.notice_days

        def apply(self, project: Project) -> None:
            request = CustomerRequest(
                n=self.n,
                kind=self.kind,
                received_on=self.received_on,
                details=self.details,
                reference=self.reference,
                owner_department=self.owner_department,
                notice_days=self.notice_days,
                due=self.due,
                provisional=self.due_provisional,
                recorded_by=self.actor,
                recorded_at=self.timestamp,
            )
            project.requests = [*project.requests, request]

    class RequestFulfilled(TrackedAggregate.Event):
        n: int
        evidence: str
        files: Sequence[str] = ()

        def apply(self, project: Project) -> None:
            request = project.requests[self.n - 1]
            request.fulfilment = Fulfilment(evidence=self.evidence, by=self.actor, at=self.timestamp)
            request.state = FULFILLED

    class RequestDueRecounted(DueRecountedEntry):
        def entries(self, project: Project) -> list[CustomerRequest]:
            return list(project.requests)

    def recount_request_dues(self, actor: Actor, calendar: WorkingDays, year: int, reference: str) -> int:
        """A year's schedule recorded or revised: each request whose due date it moves (or makes final)."""
        if self.phase == ph.CANCELLED:
            return 0
        changes = list(recounted(self.requests, calendar))
        for n, change in changes:
            self.record(self.RequestDueRecounted, actor, n=n, year=year, reference=reference, **change)
        return len(changes)

    def customer_request(self, n: Any) -> CustomerRequest:
        if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= len(self.requests):
            raise NotFound("customer request", n)
        return self.requests[n - 1]

    def notice_for(self, kind: str, received_on: date) -> tuple[str, int]:
        """(owner department, working days) of ``kind``: the contract's ``notice_days`` in force in the
        month received, else the default."""
        department, days = REQUEST_KINDS[kind]
        terms = terms_for_month([r["terms"] for r in self.contract_terms], month_of(received_on)) or {}
        return department, (terms.get("notice_days") or {}).get(kind, days)

    def record_customer_request(
        self, actor: Actor, kind: str, received_on: date, details: str, reference: str, calendar: WorkingDays
    ) -> None:
        self.require_step("record_customer_request")
        bad = {}
        if kind not in REQUEST_KINDS:
            bad["kind"] = "one of " + ", ".join(REQUEST_KINDS)
        for name, text in (("details", details), ("reference", reference)):
            if not text.strip():
                bad[name] = "what the customer asks" if name == "details" else "the written notice's reference"
            elif len(text) > MAX_TEXT:
                bad[name] = f"at most {MAX_TEXT} characters"
        if bad:
            raise InvalidInput(bad)
        department, days = self.notice_for(kind, received_on)
        deadline = calendar.deadline(received_on, days)
        self.record(
            self.RequestRecorded,
            actor,
            n=len(self.requests) + 1,
            kind=kind,
            received_on=received_on,
            details=details,
            reference=reference,
            owner_department=department,
            notice_days=days,
            due=deadline.due,
            due_provisional=deadline.provisional,
        )

    def fulfil_customer_request(self, actor: Actor, n: int, evidence: str, files: Sequence[str] = ()) -> None:
        self.require_step("fulfil_customer_request")
        request = self.customer_request(n)
        if request.state != OPEN:
            raise InvalidTransition("fulfil_customer_request", request.state, [])
        if not evidence.strip():
            raise InvalidInput({"evidence": "what shows it is done?"})
        self.record(self.RequestFulfilled, actor, n=n, evidence=evidence, **files_field(files))
