"""Aggregates as the API shows them (the schemas pick and document the fields)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from api.http import tracker
from domain.project import Project
from domain.ticket import RequirementTicket
from domain.trial_review import TrialReview


def project(aggregate: Project, as_of: datetime | None = None) -> dict[str, Any]:
    """The project with its tickets; read in the past, the tickets as they stood then."""
    data = _state(aggregate)
    when = as_of if as_of is not None else aggregate.modified_on
    historic = as_of is not None or aggregate.version != tracker().load_project(aggregate.id).version
    tickets = []
    for entry in aggregate.tickets:
        version = tracker().version_at(entry["id"], when) if historic else None
        ticket = tracker().ticket_as_it_was(entry["id"], version)
        tickets.append({**entry, "state": ticket.state})
    data["tickets"] = tickets
    return data


def ticket(aggregate: RequirementTicket) -> dict[str, Any]:
    return _state(aggregate)


def review(aggregate: TrialReview) -> dict[str, Any]:
    return {**_state(aggregate), "outcome": aggregate.outcome}


def _state(aggregate: Any) -> dict[str, Any]:
    data = {key.lstrip("_"): value for key, value in vars(aggregate).items() if key != "_pending_events"}
    data["allowed_steps"] = aggregate.allowed_steps()
    return data
