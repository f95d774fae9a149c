"""The steps a person may take on the project page, now and only those, sent as the API's commands.

An action is offered when the project's phase allows its step, the signed-in person is the one the
domain's rights name, and the step's own precondition holds; the POST still goes through the
command, which has the last word. A refusal re-shows the page with the reason from the catalog and
records nothing; success returns to the page once the views have caught up with the command
(``?after=<position>``: read-your-writes). So far: 提交评审 (the PM submits the plan draft).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from flask import current_app, g, redirect, request, url_for
from flask_babel import lazy_gettext

from domain import plan as pl
from domain.errors import DomainError
from domain.roles import Actor
from web.blueprint import bp

REFUSALS = {
    "invalid_input": lazy_gettext("Some of what was sent cannot be recorded; nothing was recorded."),
    "not_allowed": lazy_gettext("You may not take this step; nothing was recorded."),
    "invalid_transition": lazy_gettext("This step is not possible in the current phase; nothing was recorded."),
    "rule_violated": lazy_gettext("A rule does not allow this step now; nothing was recorded."),
    "concurrent_update": lazy_gettext("Someone changed the project meanwhile; look again. Nothing was recorded."),
}
STATUS = {"invalid_input": 422, "not_allowed": 403, "concurrent_update": 409}


@dataclass(frozen=True)
class Action:
    code: str
    """The step (``Project.STEPS``) and the glossary's action."""
    applies: Callable[[Any, Actor], bool]
    send: Callable[[Any, Actor, UUID, int], Any]


def has_draft(project: Any) -> bool:
    latest = project.latest_plan
    return latest is not None and latest["status"] == pl.DRAFT


ACTIONS = {
    "submit_plan": Action(
        "submit_plan",
        lambda project, actor: actor.user == project.project_manager and has_draft(project),
        lambda tracker, actor, project_id, version: tracker.submit_plan(actor, project_id, version),
    ),
}


def offered(project: Any, actor: Actor) -> list[str]:
    steps = set(project.allowed_steps())
    return [code for code, action in ACTIONS.items() if code in steps and action.applies(project, actor)]


@bp.route("/projects/<uuid:project_id>/actions/<step>", methods=["POST"])
def take_action(project_id: UUID, step: str):  # type: ignore[no-untyped-def]
    from web.projects import project_page

    action = ACTIONS.get(step)
    version = request.form.get("version", "")
    if action is None or not (version.isascii() and version.isdigit() and len(version) < 10):
        return project_page(project_id, refusal="invalid_input", status=422)
    try:
        outcome = action.send(current_app.extensions["tracker"], g.person.actor, project_id, int(version))
    except DomainError as error:
        return project_page(project_id, refusal=error.kind, status=STATUS.get(error.kind, 409))
    return redirect(url_for("web.project", project_id=project_id, after=outcome.position))
