"""My work, the trial's part: what waits for the service manager (manuals to write, audits to run in
the trial and while live, reviews under way) and for the branch head (go-live decisions after a passed review)."""

from __future__ import annotations

from typing import Any

from domain.manual import MANUAL_PHASES
from domain.phases import SERVICE_RUNNING
from domain.roles import BRANCH_HEAD, SERVICE_MANAGER, Actor
from domain.trial_review import OPEN, PASSED

MANUAL_DUE = ("none", "rejected")


def projects_in(reader: Any, phases: frozenset[str]) -> list[Any]:
    marks = ", ".join("?" for _ in phases)
    return reader.where("project", [(f"state IN ({marks})", tuple(sorted(phases)))], "code, id")


def reviews_in(reader: Any, state: str) -> list[dict[str, Any]]:
    """The reviews in ``state``, each with its project's code."""
    reviews = reader.where("review", [("state = ?", (state,))], "id")
    codes = reader.project_codes({str(r.project_id) for r in reviews})
    return [{"review": r, "code": codes.get(str(r.project_id), "")} for r in reviews]


def waiting(actor: Actor, reader: Any) -> dict[str, Any]:
    """The trial's part of ``/`` for ``actor`` (nothing for the other roles)."""
    if actor.role == SERVICE_MANAGER:
        manuals = [
            p
            for p in projects_in(reader, MANUAL_PHASES)
            if p.current_plan is not None and p.manual.status in MANUAL_DUE
        ]
        return {
            "manuals_due": manuals,
            "audits_due": projects_in(reader, SERVICE_RUNNING),
            "reviews_open": reviews_in(reader, OPEN),
        }
    if actor.role == BRANCH_HEAD:
        return {"decisions_waiting": reviews_in(reader, PASSED)}
    return {}
