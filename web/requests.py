"""通知事项 / The customer's requests on the project page: the table (each with its due date, whether
overdue and the working days left), 登记通知事项 for sales, and 确认完成 on an open request for the lead
of its owner department, each sent as the API's command with its schema. A department lead sees
only their own department's requests (``domain.requests.visible_to``)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import g, redirect, request, url_for
from flask_babel import lazy_gettext

from api.schemas.requests import FulfilmentIn, RequestIn
from domain.request_records import OPEN
from domain.requests import visible_to
from domain.roles import DEPARTMENT_LEAD, SALES, Actor
from projections.requests import judged
from web import glossary, refusals
from web.actions import project_step, version_posted
from web.blueprint import bp
from web.forms import FILES, Field, Result, Step, perform
from web.home import views

RECORD = project_step(
    Step(
        "record_customer_request",
        "record_customer_request",
        word="record_request",
        schema=RequestIn,
        fields=(
            Field("kind", lazy_gettext("Request kind"), "select", tuple(glossary.REQUEST_KINDS.items())),
            Field("received_on", lazy_gettext("Received on"), "date"),
            Field("details", lazy_gettext("What the customer asks"), "textarea"),
            Field("reference", lazy_gettext("Notice reference"), "text"),
        ),
        applies=lambda project, actor: actor.role == SALES,
    )
)
FULFIL = Step(
    "fulfil_customer_request",
    "fulfil_customer_request",
    word="fulfil_request",
    schema=FulfilmentIn,
    fields=(Field("evidence", lazy_gettext("Evidence"), "textarea"), FILES),
)


def may_fulfil(project: Any, entry: Any, actor: Actor) -> bool:
    allowed = "fulfil_customer_request" in project.allowed_steps()
    owner = actor.role == DEPARTMENT_LEAD and actor.department == entry.owner_department
    return allowed and owner and entry.state == OPEN


@bp.app_template_global()
def customer_requests(project: Any) -> list[dict[str, Any]]:
    """The requests the signed-in person may see, judged against today, and whether they may fulfil each."""
    actor, reader = g.person.actor, views().reader
    calendar, today = reader.working_days(), views().today()
    return [
        {**judged(entry, today, calendar), "fulfil": FULFIL if may_fulfil(project, entry, actor) else None}
        for entry in visible_to(actor, project.requests)
    ]


@bp.route("/projects/<uuid:project_id>/requests/<int:n>/fulfilment", methods=["POST"])
def fulfil_request(project_id: UUID, n: int):  # type: ignore[no-untyped-def]
    from web.projects import project_page

    version = version_posted()
    if version is None:
        return project_page(project_id, Result(status=422, message=str(refusals.INVALID)))
    result = perform(FULFIL, [project_id, n], request.form, version)
    if not result.ok:
        return project_page(project_id, result, failed=f"fulfil-{n}")
    return redirect(url_for("web.project", project_id=project_id, after=result.outcome.position))
