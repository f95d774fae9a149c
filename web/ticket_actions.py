"""The steps a person may take on a requirement ticket's page, now and only those, sent as the API's commands.

The lead of the ticket's department starts it, flags a risk, proposes an alternative and submits it;
the project's PM confirms or escalates an alternative that meets the requirements, reviews one that
does not, and accepts or returns a submission criterion by criterion; the branch head approves or
rejects an escalated alternative. A step is offered when the ticket's state allows it
(``RequirementTicket.allowed_steps``) and the rights (``domain.rights``) name the signed-in person;
a forged POST still goes through the command, which refuses it and records nothing.

A decision is one form with a button per outcome (``Decision``): the button pressed is posted as
its ``name=value``, and the step's ``parse`` reads it with the rest of the form.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any
from uuid import UUID

from flask import current_app, redirect, request, url_for
from flask_babel import gettext, lazy_gettext

from api.schemas.tickets import (
    AcceptanceIn,
    AlternativeIn,
    AlternativeReviewIn,
    ApprovalIn,
    ConfirmationIn,
    RiskIn,
    SubmissionIn,
)
from domain.roles import BRANCH_HEAD, DEPARTMENT_LEAD, PROJECT_MANAGER, Actor
from web import refusals
from web.actions import version_posted
from web.blueprint import bp
from web.forms import FILES, Field, Result, Step, Values, form_values, perform
from web.glossary import DEPARTMENTS as DEPARTMENT_WORDS

YES_NO = {"true": True, "false": False}
MET = lazy_gettext("Met")
NOT_MET = lazy_gettext("Not met")


@dataclass(frozen=True)
class Work:
    """What a step is offered on: the ticket, and the appointed PM of its project."""

    ticket: Any
    project_manager: str | None


@dataclass(frozen=True)
class Decision:
    """One form, a button per outcome: the pressed button posts ``name=value``; ``buttons`` are
    (value, glossary action) pairs."""

    name: str
    buttons: tuple[tuple[str, str], ...]


def is_lead(work: Work, actor: Actor) -> bool:
    return actor.role == DEPARTMENT_LEAD and actor.department == work.ticket.department


def is_pm(work: Work, actor: Actor) -> bool:
    return actor.role == PROJECT_MANAGER and actor.user == work.project_manager


def is_branch_head(work: Work, actor: Actor) -> bool:
    return actor.role == BRANCH_HEAD


def yes_no(value: str) -> Any:
    return YES_NO.get(value, value)


def with_choice(name: str, *also: str) -> Any:
    """``parse`` for a decision: the fields as posted, the pressed button's value under ``name``,
    ``also`` (yes/no fields) as true or false."""

    def parse(form: Values) -> dict[str, Any]:
        values: dict[str, Any] = {}
        if form.get("comments", "").strip():
            values["comments"] = form["comments"].strip()
        if form.get(name):
            values[name] = yes_no(form[name]) if name in also else form[name]
        return values

    return parse


def proposal(form: Values) -> dict[str, Any]:
    values = form_values(ALTERNATIVE, form)
    if "meets_requirements" in values:
        values["meets_requirements"] = yes_no(values["meets_requirements"])
    return values


def review(form: Values) -> dict[str, Any]:
    values = with_choice("outcome")(form)
    values["participants"] = [code for code in form.getlist("participants") if code]  # type: ignore[attr-defined]
    return values


ALTERNATIVE = Step(
    "propose_alternative",
    "propose_alternative",
    schema=AlternativeIn,
    fields=(
        Field("description", lazy_gettext("Alternative plan"), "textarea"),
        Field(
            "meets_requirements",
            lazy_gettext("Still meets the customer's requirements on time and to quality"),
            "select",
            (("", "—"), ("true", lazy_gettext("Yes")), ("false", lazy_gettext("No"))),
        ),
        Field("new_due", lazy_gettext("New due date (optional)"), "date", required=False),
    ),
    applies=is_lead,
    parse=proposal,
)
COMMENTS = Field("comments", lazy_gettext("Comments"), "textarea", required=False)
LEAD_STEPS = (
    Step("start_ticket", "start_ticket", "start_work", applies=is_lead),
    Step(
        "flag_risk",
        "flag_risk",
        "flag_risk",
        RiskIn,
        (Field("reason", lazy_gettext("What threatens the date or quality"), "textarea"),),
        is_lead,
    ),
    ALTERNATIVE,
    Step(
        "submit_ticket",
        "submit_ticket",
        "submit_ticket",
        SubmissionIn,
        (Field("evidence", lazy_gettext("Evidence of what was delivered"), "textarea"), FILES),
        is_lead,
    ),
)
DECISIONS: dict[str, Decision] = {
    "confirm_alternative": Decision("escalate", (("false", "confirm_alternative"), ("true", "escalate_alternative"))),
    "approve_alternative": Decision("outcome", (("approved", "approve"), ("rejected", "reject"))),
    "review_alternative": Decision("outcome", (("passed", "approve_plan"), ("failed", "reject_plan"))),
    "decide_acceptance": Decision("outcome", (("accepted", "accept"), ("returned", "return"))),
}
DECISION_STEPS = (
    Step("confirm_alternative", "confirm_alternative", schema=ConfirmationIn, applies=is_pm,
         parse=with_choice("escalate", "escalate")),
    Step("approve_alternative", "approve_alternative", schema=ApprovalIn, fields=(COMMENTS,),
         applies=is_branch_head, parse=with_choice("outcome")),
    Step("review_alternative", "review_alternative", schema=AlternativeReviewIn,
         fields=(Field("participants", lazy_gettext("Departments taking part"), "checkboxes",
                       tuple(DEPARTMENT_WORDS.items())), COMMENTS),
         applies=is_pm, parse=review),
    Step("decide_acceptance", "decide_acceptance", schema=AcceptanceIn, fields=(COMMENTS, FILES), applies=is_pm),
)  # fmt: skip
TICKET_STEPS: dict[str, Step] = {step.code: step for step in (*LEAD_STEPS, *DECISION_STEPS)}
ON_ALTERNATIVE = {"confirm_alternative", "approve_alternative", "review_alternative"}


def acceptance(ticket: Any) -> Step:
    """The PM's acceptance form for this ticket: met or not, and a note, for each of its criteria."""
    choices = (("", "—"), ("true", MET), ("false", NOT_MET))
    controls = []
    for i, criterion in enumerate(ticket.acceptance_criteria):
        met = gettext("Criterion %(n)s: %(c)s", n=i + 1, c=criterion)
        controls.append(Field(f"criteria.{i}.met", met, "select", choices))
        controls.append(Field(f"criteria.{i}.note", gettext("Note on criterion %(n)s", n=i + 1), required=False))

    def parse(form: Values) -> dict[str, Any]:
        values = with_choice("outcome")(form)
        values["criteria"] = [checked(i, criterion, form) for i, criterion in enumerate(ticket.acceptance_criteria)]
        return values

    step = TICKET_STEPS["decide_acceptance"]
    return replace(step, fields=(*controls, *step.fields), parse=parse)


def checked(i: int, criterion: str, form: Values) -> dict[str, Any]:
    item: dict[str, Any] = {"criterion": criterion}
    if form.get(f"criteria.{i}.met"):
        item["met"] = yes_no(form[f"criteria.{i}.met"])
    if form.get(f"criteria.{i}.note", "").strip():
        item["note"] = form[f"criteria.{i}.note"].strip()
    return item


def step_for(code: str, ticket: Any) -> Step | None:
    return acceptance(ticket) if code == "decide_acceptance" else TICKET_STEPS.get(code)


def offered(work: Work, actor: Actor) -> list[Step]:
    """The steps the signed-in person may take on the ticket now, in the order they are worked."""
    steps = set(work.ticket.allowed_steps())
    return [
        step_for(code, work.ticket)  # type: ignore[misc]
        for code, step in TICKET_STEPS.items()
        if code in steps and step.applies(work, actor)
    ]


@bp.route("/tickets/<uuid:ticket_id>/actions/<step>", methods=["POST"])
def take_ticket_action(ticket_id: UUID, step: str):  # type: ignore[no-untyped-def]
    from web.tickets import ticket_page

    ticket = current_app.extensions["tracker"].load_ticket(ticket_id)
    action = step_for(step, ticket)
    version = version_posted()
    if action is None or version is None:
        return ticket_page(ticket_id, Result(status=422, message=str(refusals.INVALID)))
    ids: list[Any] = [ticket_id, len(ticket.alternatives)] if step in ON_ALTERNATIVE else [ticket_id]
    result = perform(action, ids, request.form, version)
    if not result.ok:
        return ticket_page(ticket_id, result, failed=step)
    return redirect(url_for("web.ticket", ticket_id=ticket_id, after=result.outcome.position))
