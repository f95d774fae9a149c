"""Aggregates as the API shows them (the schemas pick and document the fields)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from api.http import tracker
from domain.project import Project
from domain.ticket import RequirementTicket
from domain.trial_review import TrialReview


def project(aggregate: Project, as_of: datetime | None = None, version: int | None = None) -> dict[str, Any]:
    """The project with its tickets: now, or as they stood at the time asked (``as_of``), or when the
    project reached the ``version`` asked (the time of the write that made it, so that tickets that
    same write changed — a revision's cancellations — show their new state, and the answer at a
    version is the same whenever it is asked)."""
    data = _state(aggregate)
    data["tickets"] = tickets(aggregate, as_of, version)
    return data


def tickets(aggregate: Project, as_of: datetime | None = None, version: int | None = None) -> list[dict[str, Any]]:
    """Each ticket of the project with its state, read as ``project`` says."""
    t = tracker()
    ids = [entry["id"] for entry in aggregate.tickets]
    when = as_of
    if when is None and version is not None:
        when = t.written_at(aggregate.id, aggregate.version) or aggregate.modified_on
    if when is None:
        states = {ident: t.load_ticket(ident).state for ident in ids}
    else:
        versions = t.versions_at(ids, when)
        # A ticket the project lists was issued by then; only index rows written before writes had
        # one time (each event its own) can place its issue just after the project's event.
        states = {ident: t.ticket_as_it_was(ident, versions.get(ident, 1)).state for ident in ids}
    return [{**entry, "state": states[entry["id"]]} for entry in aggregate.tickets]


def ticket(aggregate: RequirementTicket) -> dict[str, Any]:
    return _state(aggregate)


def review(aggregate: TrialReview) -> dict[str, Any]:
    return {**_state(aggregate), "outcome": aggregate.outcome}


def _state(aggregate: Any) -> dict[str, Any]:
    data = {key.lstrip("_"): value for key, value in vars(aggregate).items() if key != "_pending_events"}
    data["allowed_steps"] = aggregate.allowed_steps()
    return data
