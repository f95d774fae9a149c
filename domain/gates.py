"""Gate rules shared by the commands and the go-live readiness view.

Each gate is a plain function returning ``Gate(name, met, why)``; a command calls
``require(gate)`` so its refusal gives exactly the reason the view shows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from domain.errors import RuleViolated

if TYPE_CHECKING:
    from domain.project import Project
    from domain.review_records import ItemAssessment
    from domain.trial_review import TrialReview

REVIEW_ITEMS = (
    "customer_requirements",
    "implicit_requirements",
    "legal_requirements",
    "trial_summary",
    "facilities",
    "equipment",
    "processes",
    "personnel",
)
DONE_TICKET_STATES = frozenset({"accepted", "cancelled"})


@dataclass(frozen=True)
class Gate:
    name: str
    met: bool
    why: str
    open: tuple[dict[str, Any], ...] = field(default=())
    """What keeps the gate shut, where the gate names things (the open corrective actions)."""


def require(gate: Gate) -> None:
    if not gate.met:
        extra = {"open": list(gate.open)} if gate.open else {}
        raise RuleViolated(gate.name, gate.why, **extra)


def plan_dates_ordered(plan: Mapping[str, Any], live: bool = False) -> Gate:
    """completion ≤ acceptance ≤ trial start ≤ trial review ≤ go-live; manual due ≤ trial start.

    ``live``: the trial and go-live are history, so only completion ≤ acceptance applies.
    """
    problems = [
        f"{req['ref']}: completion {req['complete_by']} is after acceptance {req['accept_by']}"
        for req in plan["requirements"]
        if req["complete_by"] > req["accept_by"]
    ]
    if not live:
        problems += _milestone_problems(plan)
    if problems:
        return Gate("plan_dates_ordered", False, "; ".join(problems))
    return Gate("plan_dates_ordered", True, "every date is in order")


def _milestone_problems(plan: Mapping[str, Any]) -> list[str]:
    start, review, live = plan["trial_start"], plan["trial_review"], plan["go_live"]
    problems = [
        f"{req['ref']}: acceptance {req['accept_by']} is after trial start {start}"
        for req in plan["requirements"]
        if req["accept_by"] > start
    ]
    if plan["manual"]["due"] > start:
        problems.append(f"operations manual due {plan['manual']['due']} is after trial start {start}")
    if start > review:
        problems.append(f"trial start {start} is after trial review {review}")
    if review > live:
        problems.append(f"trial review {review} is after go-live {live}")
    return problems


def plan_approved(project: Project) -> Gate:
    if project.current_plan is None:
        return Gate("plan_approved", False, "no plan version has been approved yet")
    if project.revision is not None:
        return Gate("plan_approved", False, "a plan revision is in progress and not yet approved")
    return Gate("plan_approved", True, f"plan version {project.current_plan_version} is approved")


def tickets_accepted(project: Project, ticket_states: Mapping[str, str]) -> Gate:
    """Every requirement of the plan in force has a ticket, accepted or cancelled.

    ``ticket_states`` maps requirement ref → state of its current ticket.
    """
    if project.current_plan is None:
        return Gate("tickets_accepted", False, "no approved plan, so no tickets yet")
    missing, open_ = [], []
    for req in project.current_plan["requirements"]:
        state = ticket_states.get(req["ref"])
        if state is None:
            missing.append(req["ref"])
        elif state not in DONE_TICKET_STATES:
            open_.append(f"{req['ref']} ({state})")
    if missing or open_:
        parts = []
        if missing:
            parts.append("no ticket issued for " + ", ".join(missing))
        if open_:
            parts.append("not yet accepted: " + ", ".join(open_))
        return Gate("tickets_accepted", False, "; ".join(parts))
    return Gate("tickets_accepted", True, "every current ticket is accepted or cancelled")


def manual_approved(project: Project) -> Gate:
    """Before the trial the latest revision must be approved; from the trial on, the one in force counts."""
    status = project.manual.status
    if status == "approved":
        return Gate("manual_approved", True, f"revision {len(project.manual.revisions)} approved")
    why = {
        "none": "no operations manual has been submitted",
        "submitted": "the latest manual draft awaits the PM's review",
        "rejected": "the latest manual draft was rejected",
    }[status]
    in_force = project.manual.in_force
    if project.trial is not None and in_force is not None:
        return Gate("manual_approved", True, f"revision {in_force} in force; {why}")
    return Gate("manual_approved", False, why)


def trial_started(project: Project) -> Gate:
    if project.trial is None:
        return Gate("trial_started", False, "the trial operation has not started")
    return Gate("trial_started", True, f"trial started {project.trial.start}")


def equipment_report(project: Project) -> Gate:
    """A report must exist, and after an extension a new one filed after it."""
    trial = project.trial
    if trial is None or trial.last_equipment_report is None:
        return Gate("equipment_report", False, "system maintenance has not filed the equipment operation report")
    if trial.extended_at_version and trial.last_equipment_report.at_version < trial.extended_at_version:
        return Gate(
            "equipment_report",
            False,
            "the trial was extended; a new equipment operation report is needed for the extension",
        )
    return Gate("equipment_report", True, "equipment operation report filed")


def review_items_assessed(items: Mapping[str, ItemAssessment]) -> Gate:
    unassessed = [item for item in REVIEW_ITEMS if item not in items]
    if unassessed:
        return Gate("review_items_assessed", False, "not yet assessed: " + ", ".join(unassessed))
    return Gate("review_items_assessed", True, "every review item is assessed")


def review_items_met(items: Mapping[str, Any]) -> Gate:
    """(``items``: assessments, or their plain forms.)"""
    unmet = [item for item in REVIEW_ITEMS if not items.get(item, {}).get("met")]
    if unmet:
        return Gate("review_items_met", False, "not met: " + ", ".join(unmet))
    return Gate("review_items_met", True, "every review item is met")


def corrective_actions_closed(reviews: Sequence[TrialReview]) -> Gate:
    """Every corrective action of the project's failed reviews (``reviews``: in the order held) is closed."""
    open_ = tuple(
        {
            "review_id": review.id,
            "review": number,
            "n": action.n,
            "corrective_action": action.corrective_action,
            "owner_department": action.owner_department,
            "due": action.due,
            "state": action.state,
        }
        for number, review in enumerate(reviews, start=1)
        if review.outcome == "failed"
        for action in review.nonconformities
        if action.state != "closed"
    )
    if open_:
        named = ", ".join(
            f"review {a['review']} action {a['n']} ({a['owner_department']}, {a['state']}, due {a['due']})"
            for a in open_
        )
        return Gate("corrective_actions_closed", False, f"corrective actions not closed: {named}", open_)
    return Gate("corrective_actions_closed", True, "every corrective action is closed")


def review_passed(project: Project) -> Gate:
    outcomes = [r.outcome for r in project.reviews]
    if not outcomes:
        return Gate("review_passed", False, "no trial review has been held")
    if outcomes[-1] == "passed":
        return Gate("review_passed", True, f"trial review {len(outcomes)} passed")
    if outcomes[-1] is None:
        return Gate("review_passed", False, f"trial review {len(outcomes)} is not concluded yet")
    return Gate("review_passed", False, f"trial review {len(outcomes)} failed; another review must pass")


def go_live_decision(project: Project) -> Gate:
    if project.went_live_on is not None:
        return Gate("go_live_decision", True, f"go-live decided for {project.went_live_on}")
    decisions = [r.decision for r in project.reviews if r.decision]
    if decisions and decisions[-1].decision == "extend_trial":
        return Gate("go_live_decision", False, f"the trial was extended until {decisions[-1].date}")
    return Gate("go_live_decision", False, "no go-live decision yet")


def go_live_readiness(project: Project, ticket_states: Mapping[str, str], reviews: Sequence[TrialReview]) -> list[Gate]:
    """Every gate between the plan and going live, in the order a project meets them
    (``reviews``: the project's trial reviews, in the order held).

    Once live, a gate the project met to go live stays met: what changed since (a plan revision,
    tickets of requirements added while live) is said in its reason, not taken as "not ready"."""
    checks = [
        plan_approved(project),
        tickets_accepted(project, ticket_states),
        manual_approved(project),
        trial_started(project),
        equipment_report(project),
        corrective_actions_closed(reviews),
        review_passed(project),
        go_live_decision(project),
    ]
    if project.went_live_on is None:
        return checks
    return [gate if gate.met else since_go_live(gate, project.went_live_on) for gate in checks]


def since_go_live(gate: Gate, went_live_on: date) -> Gate:
    return Gate(gate.name, True, f"met at go-live on {went_live_on}; since then: {gate.why}", gate.open)
