"""The steps a person may take on the project page, now and only those, sent as the API's commands.

A step is offered when the project's phase allows it (``Project.allowed_steps``), its ``applies``
names the signed-in person, and its own precondition holds; the POST still goes through the
command, which has the last word. A refusal re-shows the page with the rule's message at the top,
each field's message beside it and what was typed kept, recording nothing; success returns to the
page once the views have caught up with the command (``?after=<position>``: read-your-writes).

Page modules add their steps with ``project_step``; ``web.forms`` runs them.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import redirect, request, url_for

from domain import plan as pl
from domain.roles import Actor
from web import refusals
from web.blueprint import bp
from web.forms import Result, Step, perform

PROJECT_STEPS: dict[str, Step] = {}


def project_step(step: Step) -> Step:
    """Offer ``step`` on the project page (its code is also the URL's last part)."""
    PROJECT_STEPS[step.code] = step
    return step


def has_draft(project: Any) -> bool:
    latest = project.latest_plan
    return latest is not None and latest["status"] == pl.DRAFT


def is_pm_with_draft(project: Any, actor: Actor) -> bool:
    return actor.user == project.project_manager and has_draft(project)


project_step(Step("submit_plan", "submit_plan", applies=is_pm_with_draft))


def offered(project: Any, actor: Actor) -> list[Step]:
    steps = set(project.allowed_steps())
    return [step for code, step in PROJECT_STEPS.items() if code in steps and step.applies(project, actor)]


def version_posted() -> int | None:
    version = request.form.get("version", "")
    return int(version) if version.isascii() and version.isdigit() and len(version) < 10 else None


@bp.route("/projects/<uuid:project_id>/actions/<step>", methods=["POST"])
def take_action(project_id: UUID, step: str):  # type: ignore[no-untyped-def]
    from web.projects import project_page

    action = PROJECT_STEPS.get(step)
    version = version_posted()
    if action is None or version is None:
        return project_page(project_id, Result(status=422, message=str(refusals.INVALID)))
    result = perform(action, [project_id], request.form, version)
    if not result.ok:
        return project_page(project_id, result, failed=step)
    return redirect(url_for("web.project", project_id=project_id, after=result.outcome.position))
