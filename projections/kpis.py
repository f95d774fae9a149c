"""KPI view: each reported period's figures against the contract's targets; the trial's outcome for go-live."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.kpis import kpi_periods
from domain.project import Project
from projections.contract import recorded_terms
from projections.reading import Reader

REVIEW_ITEM = "customer_requirements"
"""The trial review item the KPIs are evidence for: the contract's targets are customer-specified."""


def kpi_view(reader: Reader, project_id: UUID) -> dict[str, Any]:
    project = reader.one("project", project_id)
    return {"project_id": project.id, "periods": kpi_periods(recorded_terms(project), project.kpi_reports)}


def trial_kpis(project: Project) -> dict[str, Any]:
    """The periods reported within the trial (from its start to its planned end) and whether all were met.

    ``all_met`` is null while there is nothing to judge: no trial, no report in it, or no targets.
    """
    trial = project.trial
    start, end = (trial.start, trial.planned_end) if trial else (None, None)
    reports = [r for r in project.kpi_reports if trial and r["period_start"] <= end and r["period_end"] >= start]
    periods = kpi_periods(recorded_terms(project), reports)
    judged = [p["all_met"] for p in periods if p["all_met"] is not None]
    return {
        "review_item": REVIEW_ITEM,
        "trial_start": start,
        "trial_end": end,
        "all_met": all(judged) if judged else None,
        "periods": periods,
    }
