"""The project page's rectification steps (整改): sales records the customer's notice, the PM the
plan and the closure, the service manager the completion; each offered to that person only while a
rectification waits for it. The forms are read by the API's schemas (with the rectification's
number, which the API takes from the path) and sent to the same ``Tracker`` commands."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext
from marshmallow import fields

from api.schemas.assessments import (
    RectificationClosureIn,
    RectificationCompletionIn,
    RectificationIn,
    RectificationPlanIn,
)
from domain.rectifications import COMPLETED, NOTIFIED, PLANNED
from domain.roles import PROJECT_MANAGER, SALES, SERVICE_MANAGER, Actor
from web.actions import project_step
from web.forms import FILES, Field, Step, Values, form_values

NUMBER = Field("n", lazy_gettext("Rectification number"), "number")


def numbered(schema: type) -> type:
    """The API's schema plus the rectification's number (the path's ``n`` in the API)."""
    return type(f"{schema.__name__}Form", (schema,), {"n": fields.Integer(required=True)})


def waiting(state: str, role: str, appointed: bool = False) -> Any:
    def applies(project: Any, actor: Actor) -> bool:
        if actor.role != role or (appointed and actor.user != project.project_manager):
            return False
        return any(entry["state"] == state for entry in project.rectifications)

    return applies


def whole(step: Step, name: str, form: Values) -> dict[str, Any]:
    values = form_values(step, form)
    text = values.get(name, "")
    if isinstance(text, str) and text.isascii() and text.isdigit() and len(text) < 6:
        values[name] = int(text)
    return values


def plan_body(form: Values) -> dict[str, Any]:
    body = whole(PLAN, "n", form)
    body["measures"] = [line.strip() for line in form.get("measures", "").splitlines() if line.strip()]
    return body


NOTIFY = project_step(
    Step(
        "notify_rectification",
        "notify_rectification",
        schema=RectificationIn,
        fields=(
            Field("month", lazy_gettext("Month assessed"), "month"),
            Field("notice_reference", lazy_gettext("Notice reference")),
            Field("received_on", lazy_gettext("Received on"), "date"),
            Field("due_in_working_days", lazy_gettext("Due in working days (default 10)"), "number", required=False),
        ),
        parse=lambda form: whole(NOTIFY, "due_in_working_days", form),
        applies=lambda project, actor: actor.role == SALES,
    )
)
PLAN = project_step(
    Step(
        "plan_rectification",
        "plan_rectification",
        schema=numbered(RectificationPlanIn),
        fields=(NUMBER, Field("measures", lazy_gettext("Measures, one per line"), "textarea")),
        parse=plan_body,
        applies=waiting(NOTIFIED, PROJECT_MANAGER, appointed=True),
    )
)
COMPLETE = project_step(
    Step(
        "complete_rectification",
        "complete_rectification",
        schema=numbered(RectificationCompletionIn),
        fields=(NUMBER, Field("evidence", lazy_gettext("Evidence"), "textarea"), FILES),
        parse=lambda form: whole(COMPLETE, "n", form),
        applies=waiting(PLANNED, SERVICE_MANAGER),
    )
)
CLOSE = project_step(
    Step(
        "close_rectification",
        "close_rectification",
        schema=numbered(RectificationClosureIn),
        fields=(NUMBER, Field("comments", lazy_gettext("Comments"), "textarea")),
        parse=lambda form: whole(CLOSE, "n", form),
        applies=waiting(COMPLETED, PROJECT_MANAGER, appointed=True),
    )
)
