"""Contract terms and the operational records kept against them (KPI reports, outages, monthly volumes).

The figures are checked by the pure functions of ``domain.contract``, ``domain.kpis``,
``domain.availability`` and ``domain.settlement``; the project keeps each recording as an
event, so the KPI view and every month's settlement are rebuilt from them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from domain import phases as ph
from domain.availability import check_outage
from domain.contract import check_month, check_terms
from domain.errors import InvalidInput
from domain.kpis import check_figures, check_period
from domain.roles import Actor
from domain.settlement import check_volumes
from domain.tracked import TrackedAggregate, own

if TYPE_CHECKING:
    from domain.project import Project

OPERATING = frozenset({ph.TRIAL_OPERATION, ph.TRIAL_REVIEW, *ph.RUNNING})
"""KPI reports, outages and volumes are accepted from the trial on (API.md), until the project is closed
(the service runs while it is terminating)."""
MAX_REASON = 10000


class OperationsSteps:
    OPERATIONS_STEPS = {
        "record_contract_terms": frozenset(ph.PHASES) - ph.ENDED,
        "record_kpi_report": OPERATING,
        "record_outage": OPERATING,
        "record_volumes": OPERATING,
    }

    def init_operations(self) -> None:
        self.contract_terms: list[dict[str, Any]] = []
        self.kpi_reports: list[dict[str, Any]] = []
        self.outages: list[dict[str, Any]] = []
        self.volumes: list[dict[str, Any]] = []

    class ContractTermsRecorded(TrackedAggregate.Event):
        terms: dict[str, Any]
        reason: str

        def apply(self, project: Project) -> None:
            project.contract_terms.append(
                {
                    "effective_from": self.terms.get("effective_from"),
                    "recorded_by": self.actor,
                    "recorded_role": self.role,
                    "recorded_at": self.timestamp,
                    "reason": self.reason,
                    "terms": own(self.terms),
                }
            )

    def record_contract_terms(self, actor: Actor, terms: Mapping[str, Any]) -> None:
        """The first terms, or an amendment of them (which must say why and from which month)."""
        self.require_step("record_contract_terms")
        body = dict(terms)
        reason = body.pop("reason", None) or ""
        amendment = bool(self.contract_terms)
        bad: dict[str, str] = {}
        try:
            checked = check_terms(body, amendment=amendment)
        except InvalidInput as error:
            bad.update(error.details)
        if amendment and not str(reason).strip():
            bad["reason"] = "an amendment must say why the terms change"
        elif len(str(reason)) > MAX_REASON:
            bad["reason"] = f"at most {MAX_REASON} characters"
        if bad:
            raise InvalidInput(bad)
        self.record(self.ContractTermsRecorded, actor, terms=checked, reason=str(reason))

    class KpiReportRecorded(TrackedAggregate.Event):
        period_start: date
        period_end: date
        figures: dict[str, str]

        def apply(self, project: Project) -> None:
            project.kpi_reports.append(
                {
                    "period_start": self.period_start,
                    "period_end": self.period_end,
                    "figures": own(self.figures),
                    "recorded_by": self.actor,
                    "recorded_at": self.timestamp,
                }
            )

    def record_kpi_report(self, actor: Actor, period_start: date, period_end: date, figures: Mapping[str, Any]) -> None:
        self.require_step("record_kpi_report")
        bad: dict[str, str] = {}
        checked: dict[str, str] = {}
        for check in (lambda: check_period(period_start, period_end), lambda: checked.update(check_figures(figures))):
            try:
                check()
            except InvalidInput as error:
                bad.update(error.details)
        if bad:
            raise InvalidInput(bad)
        self.record(self.KpiReportRecorded, actor, period_start=period_start, period_end=period_end, figures=checked)

    class OutageRecorded(TrackedAggregate.Event):
        started_at: datetime
        ended_at: datetime
        provider_caused: bool
        cause: str

        def apply(self, project: Project) -> None:
            project.outages.append(
                {
                    "started_at": self.started_at,
                    "ended_at": self.ended_at,
                    "provider_caused": self.provider_caused,
                    "cause": self.cause,
                    "recorded_by": self.actor,
                    "recorded_at": self.timestamp,
                }
            )

    def record_outage(
        self, actor: Actor, started_at: datetime, ended_at: datetime, provider_caused: bool, cause: str
    ) -> None:
        self.require_step("record_outage")
        bad: dict[str, str] = {}
        try:
            check_outage(started_at, ended_at)
        except InvalidInput as error:
            bad.update(error.details)
        if not isinstance(provider_caused, bool):
            bad["provider_caused"] = "true or false"
        if not cause.strip():
            bad["cause"] = "say what caused the outage"
        if bad:
            raise InvalidInput(bad)
        self.record(
            self.OutageRecorded,
            actor,
            started_at=started_at,
            ended_at=ended_at,
            provider_caused=provider_caused,
            cause=cause,
        )

    class VolumesRecorded(TrackedAggregate.Event):
        month: str
        figures: dict[str, Any]
        reason: str

        def apply(self, project: Project) -> None:
            project.volumes.append(
                {
                    "month": self.month,
                    **own(self.figures),
                    "reason": self.reason,
                    "recorded_by": self.actor,
                    "recorded_at": self.timestamp,
                }
            )

    def record_volumes(self, actor: Actor, month: str, reason: str = "", **figures: Any) -> None:
        """A month's volumes; recording a month again corrects it (the latest counts) and must say why."""
        self.require_step("record_volumes")
        bad: dict[str, str] = {}
        checked: dict[str, Any] = {}
        try:
            month = check_month(month, "month")
        except InvalidInput as error:
            bad.update(error.details)
        try:
            checked = check_volumes(**figures)
        except InvalidInput as error:
            bad.update(error.details)
        if "month" not in bad and self.volumes_for(month) is not None and not reason.strip():
            bad["reason"] = f"volumes for {month} are already recorded: say why they are corrected"
        if bad:
            raise InvalidInput(bad)
        self.record(self.VolumesRecorded, actor, month=month, figures=checked, reason=reason)

    def volumes_for(self, month: str) -> dict[str, Any] | None:
        """The month's volumes as last recorded (a later recording corrects an earlier one)."""
        recorded = [v for v in self.volumes if v["month"] == month]
        return recorded[-1] if recorded else None
