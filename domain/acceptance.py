"""Acceptance (驗收): the PM checks a submitted ticket against each acceptance criterion.

Accepted only when every criterion of the ticket is checked and met; otherwise the
PM returns it with reasons and the department works on.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from domain.errors import InvalidInput, RuleViolated
from domain.evidence import files_field
from domain.roles import Actor
from domain.ticket_records import Acceptance
from domain.tracked import TrackedAggregate, own

if TYPE_CHECKING:
    from domain.ticket import RequirementTicket


class AcceptanceSteps:
    ACCEPTANCE_STEPS = {"decide_acceptance": frozenset({"submitted"})}

    class TicketAccepted(TrackedAggregate.Event):
        criteria: list[dict[str, Any]]
        comments: str
        files: Sequence[str] = ()

        def apply(self, ticket: RequirementTicket) -> None:
            ticket.acceptances.append(_acceptance(self, "accepted"))
            ticket.state = "accepted"

    class TicketReturned(TrackedAggregate.Event):
        criteria: list[dict[str, Any]]
        comments: str
        files: Sequence[str] = ()

        def apply(self, ticket: RequirementTicket) -> None:
            ticket.acceptances.append(_acceptance(self, "returned"))
            ticket.state = "in_progress"

    def decide_acceptance(
        self, actor: Actor, outcome: str, criteria: list[dict[str, Any]], comments: str, files: Sequence[str] = ()
    ) -> None:
        """Check the delivery against every acceptance criterion (驗收準則)."""
        self.require_step("decide_acceptance")
        if outcome not in ("accepted", "returned"):
            raise InvalidInput({"outcome": "accepted or returned"})
        if not all(isinstance(c, dict) and isinstance(c.get("met"), bool) for c in criteria):
            raise InvalidInput({"criteria": "each item is {criterion, met: true|false, note}"})
        refs = [str(c.get("criterion")) for c in criteria]
        twice = sorted({ref for ref in refs if refs.count(ref) > 1})
        if twice:
            raise InvalidInput({"criteria": "each criterion is checked once: " + ", ".join(twice)})
        checked = {str(c.get("criterion")): c for c in criteria}
        unknown = sorted(set(checked) - set(self.acceptance_criteria))
        if unknown:
            raise InvalidInput({"criteria": "not criteria of this ticket: " + ", ".join(unknown)})
        if outcome == "returned":
            if not comments.strip():
                raise InvalidInput({"comments": "say why the ticket is returned"})
            self.record(self.TicketReturned, actor, criteria=_clean(criteria), comments=comments, **files_field(files))
            return
        unchecked = [c for c in self.acceptance_criteria if c not in checked]
        unmet = [c for c in self.acceptance_criteria if c in checked and not checked[c].get("met")]
        if unchecked or unmet:
            why = "; ".join(
                part
                for part in (
                    "not checked: " + ", ".join(unchecked) if unchecked else "",
                    "not met: " + ", ".join(unmet) if unmet else "",
                )
                if part
            )
            raise RuleViolated("criteria_met", f"accepted only when every criterion is met ({why})")
        self.record(self.TicketAccepted, actor, criteria=_clean(criteria), comments=comments, **files_field(files))


def _clean(criteria: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"criterion": str(c.get("criterion")), "met": bool(c.get("met")), "note": str(c.get("note") or "")}
        for c in criteria
    ]


def _acceptance(event: AcceptanceSteps.TicketAccepted | AcceptanceSteps.TicketReturned, outcome: str) -> Acceptance:
    return Acceptance(
        outcome=outcome, criteria=own(event.criteria), comments=event.comments, by=event.actor, at=event.timestamp
    )
