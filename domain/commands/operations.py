"""Contract terms (sales or the appointed PM) and the records kept against them during and after the trial."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from domain import rights
from domain.roles import PROJECT_MANAGER, SALES, SERVICE_MANAGER, SYSTEM_MAINTENANCE, Actor


class OperationsCommands:
    def record_contract_terms(
        self, actor: Actor, project_id: UUID, terms: Mapping[str, Any], expected_version: int | None = None
    ) -> Any:
        """The first terms or an amendment (with ``reason`` and ``effective_from``)."""
        rights.require_role(actor, "record_contract_terms", SALES, PROJECT_MANAGER)
        project = self.load_project(project_id, expected_version)
        rights.require_appointed_pm(actor, "record_contract_terms", project, SALES)
        project.record_contract_terms(actor, terms)
        return self.commit(project)

    def record_kpi_report(
        self,
        actor: Actor,
        project_id: UUID,
        period_start: date,
        period_end: date,
        figures: Mapping[str, Any],
        expected_version: int | None = None,
    ) -> Any:
        rights.require_role(actor, "record_kpi_report", SERVICE_MANAGER)
        project = self.load_project(project_id, expected_version)
        self.happened(period_end=period_end)
        project.record_kpi_report(actor, period_start, period_end, figures)
        return self.commit(project)

    def record_outage(
        self,
        actor: Actor,
        project_id: UUID,
        started_at: datetime,
        ended_at: datetime,
        provider_caused: bool,
        cause: str,
        expected_version: int | None = None,
    ) -> Any:
        rights.require_department_lead(actor, "record_outage", SYSTEM_MAINTENANCE)
        project = self.load_project(project_id, expected_version)
        self.happened(ended_at=ended_at)
        project.record_outage(actor, started_at, ended_at, provider_caused, cause)
        return self.commit(project)

    def record_volumes(
        self,
        actor: Actor,
        project_id: UUID,
        month: str,
        valid_calls: int,
        holiday_valid_calls: int,
        seat_hours: Decimal | int | str,
        quality_score: Decimal | int | str | None = None,
        reason: str = "",
        expected_version: int | None = None,
    ) -> Any:
        rights.require_role(actor, "record_volumes", SERVICE_MANAGER)
        project = self.load_project(project_id, expected_version)
        project.record_volumes(
            actor,
            month,
            reason,
            valid_calls=valid_calls,
            holiday_valid_calls=holiday_valid_calls,
            seat_hours=seat_hours,
            quality_score=quality_score,
        )
        return self.commit(project)
