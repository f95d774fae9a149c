"""Roles and departments (codes from DOMAIN.md) and the actor who issues a command."""

from __future__ import annotations

from dataclasses import dataclass

from domain.text import text_problem

MAX_USER_NAME = 128

SALES = "sales"
OPERATIONS_DIRECTOR = "operations_director"
PROJECT_MANAGER = "project_manager"
DEPARTMENT_LEAD = "department_lead"
SERVICE_MANAGER = "service_manager"
BRANCH_HEAD = "branch_head"
AUDITOR = "auditor"

ROLES = (
    SALES,
    OPERATIONS_DIRECTOR,
    PROJECT_MANAGER,
    DEPARTMENT_LEAD,
    SERVICE_MANAGER,
    BRANCH_HEAD,
    AUDITOR,
)

DEPARTMENTS = (
    "sales",
    "operations",
    "technology",
    "hr",
    "administration",
    "system_maintenance",
)
SYSTEM_MAINTENANCE = "system_maintenance"


@dataclass(frozen=True)
class Actor:
    """Who is acting: every event records these three facts."""

    user: str
    role: str
    department: str | None = None

    def __post_init__(self) -> None:
        if not self.user:
            raise ValueError("an actor needs a user name")
        if len(self.user) > MAX_USER_NAME:
            raise ValueError(f"a user name has at most {MAX_USER_NAME} characters")
        if (problem := text_problem(self.user)) is not None:
            raise ValueError(f"the user name {problem}")
        if self.role not in ROLES:
            raise ValueError(f"unknown role {self.role!r}")
        if self.role == DEPARTMENT_LEAD and self.department not in DEPARTMENTS:
            raise ValueError("a department lead needs one of the departments")
        if self.department is not None and self.department not in DEPARTMENTS:
            raise ValueError(f"unknown department {self.department!r}")
