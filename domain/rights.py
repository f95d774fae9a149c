"""Who may do what: the one place the application service asks before any command.

Roles come from the actor's token; on top of the role, a PM may act only on a
project where they are the appointed PM, and a department lead only on tickets of
their own department. An auditor passes none of these checks: it only reads.
Who may read what is ``domain.reading_rights``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.errors import NotAllowed
from domain.roles import BRANCH_HEAD, DEPARTMENT_LEAD, PROJECT_MANAGER, Actor

if TYPE_CHECKING:
    from domain.project import Project


def require_role(actor: Actor, step: str, *roles: str) -> None:
    if actor.role not in roles:
        raise NotAllowed(
            f"a {actor.role} may not {step.replace('_', ' ')}; this needs: {', '.join(roles)}",
            step=step,
            role=actor.role,
            allowed_roles=list(roles),
        )


def require_appointed_pm(actor: Actor, step: str, project: Project, *also: str) -> None:
    """PM commands: the appointed PM of this project (or one of the ``also`` roles)."""
    require_role(actor, step, PROJECT_MANAGER, *also)
    if actor.role == PROJECT_MANAGER and project.project_manager != actor.user:
        raise NotAllowed(
            f"{actor.user} is not the appointed project manager of project {project.code}",
            step=step,
            appointed=project.project_manager,
        )


def require_pm_or_branch_head(actor: Actor, step: str, project: Project) -> None:
    require_appointed_pm(actor, step, project, BRANCH_HEAD)


def require_department_lead(actor: Actor, step: str, department: str) -> None:
    require_role(actor, step, DEPARTMENT_LEAD)
    if actor.department != department:
        raise NotAllowed(
            f"this is for the lead of {department}; a lead of {actor.department} may not {step.replace('_', ' ')}",
            step=step,
            department=department,
        )
