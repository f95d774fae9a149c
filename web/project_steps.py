"""The project page's steps of the launch's first half: appoint the PM, record the plan review
(评审通过 / 评审不通过 in one form), issue the tickets, cancel the project.

Each is offered to the person ``domain/rights.py`` names for its command, in the phases the project
allows it, when its precondition holds; the API's schema reads the form and the same ``Tracker``
command records it (``web.actions``).
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext

from api.schemas.plan import PlanReviewIn, TicketsIssueIn
from api.schemas.projects import AppointmentIn, CancellationIn
from domain import plan as pl
from domain.roles import DEPARTMENTS, OPERATIONS_DIRECTOR, PROJECT_MANAGER, Actor
from web import glossary
from web.actions import project_step
from web.forms import Field, Step, Values


def is_director(project: Any, actor: Actor) -> bool:
    return actor.role == OPERATIONS_DIRECTOR


def is_appointed_pm(project: Any, actor: Actor) -> bool:
    return actor.role == PROJECT_MANAGER and actor.user == project.project_manager


def has_submitted_plan(project: Any, actor: Actor) -> bool:
    latest = project.latest_plan
    return is_appointed_pm(project, actor) and latest is not None and latest["status"] == pl.SUBMITTED


def has_tickets_to_issue(project: Any, actor: Actor) -> bool:
    """The appointed PM, while a requirement of the plan in force has no ticket yet."""
    refs = pl.requirements_by_ref(project.current_plan)
    return is_appointed_pm(project, actor) and any(project.active_ticket(ref) is None for ref in refs)


def review_body(form: Values) -> dict[str, Any]:
    body: dict[str, Any] = {"participants": form.getlist("participants"), "outcome": form.get("outcome", "")}
    comments = form.get("comments", "").strip()
    if comments:
        body["comments"] = comments
    return body


APPOINT = project_step(
    Step(
        "appoint_project_manager",
        "appoint_project_manager",
        word="appoint_pm",
        schema=AppointmentIn,
        fields=(
            Field("project_manager", lazy_gettext("Project manager's user name")),
            Field("letter_reference", lazy_gettext("Appointment letter reference")),
        ),
        applies=is_director,
    )
)
REVIEW = project_step(
    Step(
        "review_plan",
        "review_plan",
        schema=PlanReviewIn,
        fields=(
            Field(
                "participants",
                lazy_gettext("Departments taking part in the review"),
                kind="checkboxes",
                choices=tuple((code, glossary.word("department", code)) for code in DEPARTMENTS),
            ),
            Field("comments", lazy_gettext("Comments (required to reject)"), kind="textarea", required=False),
        ),
        applies=has_submitted_plan,
        parse=review_body,
        buttons=(("outcome", "approved", "approve_plan"), ("outcome", "rejected", "reject_plan")),
    )
)
ISSUE = project_step(
    Step(
        "issue_tickets",
        "issue_tickets",
        schema=TicketsIssueIn,
        applies=has_tickets_to_issue,
        today_as="issued_on",
    )
)
CANCEL = project_step(
    Step(
        "cancel_project",
        "cancel_project",
        schema=CancellationIn,
        fields=(Field("reason", lazy_gettext("Reason for cancelling"), kind="textarea"),),
        applies=is_director,
    )
)
