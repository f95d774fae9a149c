"""Helpers for the requirement-ticket tests: a ticket brought to any state, and its events.

The ticket worked here is R1 of the default plan: department ``hr`` (lead ``HR_LEAD``),
due 2026-12-02, criteria "28 people hired" and "training passed".
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from demo.workflow import BRANCH_HEAD, HR_LEAD, PM, Launch, all_met, plan, requirement
from domain.application import Tracker
from domain.roles import Actor

ORIGINAL_DUE = date(2026, 12, 2)
NEW_DUE = date(2026, 12, 3)

# Every state a ticket can be in, and the steps the ticket lists as allowed from it.
ALLOWED = {
    "issued": ["flag_risk", "start_ticket"],
    "in_progress": ["flag_risk", "submit_ticket"],
    "at_risk": ["propose_alternative"],
    "alternative_proposed": ["confirm_alternative"],
    "alternative_under_review": ["review_alternative"],
    "alternative_escalated": ["approve_alternative"],
    "submitted": ["decide_acceptance"],
    "accepted": [],
    "cancelled": [],
}
STATES = list(ALLOWED)


def launched(tracker: Tracker) -> Launch:
    """A project in implementation with tickets R1 (hr) and R2 (technology) issued."""
    return Launch(tracker).advance_to("implementation").issue_tickets()


def bring_to(launch: Launch, state: str, ref: str = "R1", lead: Actor = HR_LEAD) -> UUID:
    """Work ticket ``ref`` along the shortest path into ``state``; returns its id."""
    tracker, tid = launch.tracker, launch.tickets[ref]
    if state == "cancelled":
        drop_r1(launch)
    if state in ("issued", "cancelled"):
        return tid
    tracker.start_ticket(lead, tid)
    if state in ("submitted", "accepted"):
        tracker.submit_ticket(lead, tid, "delivery record")
        if state == "accepted":
            tracker.decide_acceptance(PM, tid, "accepted", all_met(launch.ticket(ref)), "ok")
    elif state != "in_progress":
        tracker.flag_risk(lead, tid, "two trainers are off sick")
        if state != "at_risk":
            under_review = state == "alternative_under_review"
            tracker.propose_alternative(lead, tid, "hire through an agency", not under_review, NEW_DUE)
            if state == "alternative_escalated":
                tracker.confirm_alternative(PM, tid, 1, escalate=True)
    assert launch.ticket(ref).state == state
    return tid


def drop_r1(launch: Launch) -> None:
    """A force-majeure plan revision that keeps only R2: R1's ticket is cancelled."""
    tracker = launch.tracker
    tracker.revise_plan(PM, launch.project_id, "force_majeure", "typhoon closed the training site")
    tracker.draft_plan(PM, launch.project_id, plan(requirement("R2", "technology")))
    tracker.submit_plan(PM, launch.project_id)
    tracker.review_plan(PM, launch.project_id, ["hr", "technology"], "approved", "R1 dropped")


def events(tracker: Tracker, tid: UUID) -> list[Any]:
    return tracker.history(tid)


def names(tracker: Tracker, tid: UUID) -> list[str]:
    """The ticket's history as event class names, oldest first."""
    return [type(e).__name__ for e in tracker.history(tid)]


def last(tracker: Tracker, tid: UUID) -> Any:
    return tracker.history(tid)[-1]


def who(event: Any) -> tuple[str, str, str | None]:
    """The recorded actor: (user, role, department of the actor)."""
    return (event.actor, event.role, event.actor_department)


R1_CRITERIA = ["28 people hired", "training passed"]
LEAD_STEPS = ["start_ticket", "flag_risk", "propose_alternative", "submit_ticket"]
PM_STEPS = ["confirm_alternative", "review_alternative", "decide_acceptance"]
STEPS = [*LEAD_STEPS, *PM_STEPS, "approve_alternative"]
# Who decides on an alternative.
DECIDERS = {"confirm_alternative": PM, "review_alternative": PM, "approve_alternative": BRANCH_HEAD}
# A state in which each step is allowed (so a refusal there is about rights or input only).
READY_FOR = {
    "start_ticket": "issued",
    "flag_risk": "in_progress",
    "propose_alternative": "at_risk",
    "submit_ticket": "in_progress",
    "confirm_alternative": "alternative_proposed",
    "review_alternative": "alternative_under_review",
    "decide_acceptance": "submitted",
    "approve_alternative": "alternative_escalated",
}


def attempt(tracker: Tracker, step: str, actor: Actor, tid: UUID) -> Any:
    """Take ``step`` on ticket ``tid`` as ``actor`` with valid input (decisions on alternative 1)."""
    met = [{"criterion": c, "met": True, "note": "checked"} for c in R1_CRITERIA]
    commands = {
        "start_ticket": lambda: tracker.start_ticket(actor, tid),
        "flag_risk": lambda: tracker.flag_risk(actor, tid, "recruitment is behind"),
        "propose_alternative": lambda: tracker.propose_alternative(actor, tid, "use an agency", True, NEW_DUE),
        "submit_ticket": lambda: tracker.submit_ticket(actor, tid, "hiring records"),
        "confirm_alternative": lambda: tracker.confirm_alternative(actor, tid, 1),
        "review_alternative": lambda: tracker.review_alternative(actor, tid, 1, ["hr"], "passed", "fine"),
        "decide_acceptance": lambda: tracker.decide_acceptance(actor, tid, "accepted", met, "ok"),
        "approve_alternative": lambda: tracker.approve_alternative(actor, tid, 1, "approved", "ok"),
    }
    return commands[step]()


def wrong_states(*steps: str) -> list[tuple[str, str]]:
    """Every (step, state) pair where the ticket must refuse the step."""
    return [(step, state) for step in steps for state in STATES if step not in ALLOWED[state]]


def label(actor: Actor) -> str:
    """A readable test id for an actor: ``department_lead-technology``, ``project_manager-han.mei``."""
    return f"{actor.role}-{actor.department or actor.user}"
