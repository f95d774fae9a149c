"""Monthly assessments and rectifications: the month's outcome from the events, the customer's
notice (sales), the plan and closure (the appointed PM), the completion (the service manager)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

from domain import rights
from domain.assessments import assess, assess_month
from domain.contract import check_month, month_of
from domain.errors import InvalidInput
from domain.evidence import referenced
from domain.project import Project
from domain.rectifications import DEFAULT_WORKING_DAYS
from domain.roles import SALES, SERVICE_MANAGER, Actor
from domain.working_days import WorkingDays

MAX_WORKING_DAYS = 60


class RectificationCommands:
    def assessments(self, project: Project, today: date | None = None, calendar: WorkingDays | None = None) -> dict:
        """The project's months from go-live to ``today`` (default: the tracker's) and the termination right."""
        today = today or self.today()
        return assess(
            project.went_live_on,
            self._terms(project),
            project.kpi_reports,
            today,
            calendar or self._cal(project, today),
        )

    def notify_rectification(
        self,
        actor: Actor,
        project_id: UUID,
        month: str,
        notice_reference: str,
        received_on: date,
        due_in_working_days: int = DEFAULT_WORKING_DAYS,
        expected_version: int | None = None,
    ) -> Any:
        """Sales records the customer's rectification notice for a failed or missing month."""
        rights.require_role(actor, "notify_rectification", SALES)
        project = self.load_project(project_id, expected_version)
        project.require_step("notify_rectification")
        month = check_month(month, "month")
        days = due_in_working_days
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_WORKING_DAYS:
            raise InvalidInput({"due_in_working_days": f"a whole number of working days from 1 to {MAX_WORKING_DAYS}"})
        self.happened(received_on=received_on)
        today = self.today()
        outcome = None
        if project.went_live_on is not None and month_of(project.went_live_on) <= month:
            judged = assess_month(month, self._terms(project), project.kpi_reports, today, self._cal(project, today))
            outcome = judged["outcome"]
        due = self.working_days_from(received_on).deadline(received_on, days)
        n = project.notify_rectification(actor, month, outcome, notice_reference, received_on, due)
        return self.commit(project, rectification=n, due=due.due, provisional=due.provisional)

    def plan_rectification(
        self, actor: Actor, project_id: UUID, n: int, measures: list[str], expected_version: int | None = None
    ) -> Any:
        project = self.as_pm(actor, "plan_rectification", project_id, expected_version)
        project.plan_rectification(actor, n, measures)
        return self.commit(project, rectification=n, state=project.rectification(n)["state"])

    def complete_rectification(
        self,
        actor: Actor,
        project_id: UUID,
        n: int,
        evidence: str,
        files: Sequence[str] = (),
        expected_version: int | None = None,
    ) -> Any:
        rights.require_role(actor, "complete_rectification", SERVICE_MANAGER)
        project = self.load_project(project_id, expected_version)
        project.complete_rectification(actor, n, evidence, referenced(self.file_catalog, files))
        return self.commit(project, rectification=n, state=project.rectification(n)["state"])

    def close_rectification(
        self, actor: Actor, project_id: UUID, n: int, comments: str, expected_version: int | None = None
    ) -> Any:
        project = self.as_pm(actor, "close_rectification", project_id, expected_version)
        project.close_rectification(actor, n, comments)
        return self.commit(project, rectification=n, state=project.rectification(n)["state"])

    @staticmethod
    def _terms(project: Project) -> list[dict[str, Any]]:
        return [recording["terms"] for recording in project.contract_terms]

    def _cal(self, project: Project, today: date) -> WorkingDays:
        first = (project.went_live_on or today).year
        return self.working_days(range(first, today.year + 2))
