"""Assessments view: the months from go-live judged from the KPI reports, the termination right, and
the rectifications with whether each is overdue (judged on the app's today)."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.assessments import assess
from domain.project import Project
from domain.rectifications import overdue
from domain.working_days import WorkingDays
from projections.contract import recorded_terms


def assessment_view(project: Project, today: date, calendar: WorkingDays) -> dict[str, Any]:
    answer = assess(project.went_live_on, recorded_terms(project), project.kpi_reports, today, calendar)
    rectifications = [
        {**entry, "overdue": overdue(entry, today), "working_days_left": _left(entry, today, calendar)}
        for entry in project.rectifications
    ]
    return {
        "project_id": project.id,
        "today": today,
        **answer,
        "rectifications": rectifications,
        "overdue_rectifications": [entry["n"] for entry in rectifications if entry["overdue"]],
    }


def _left(entry: dict[str, Any], today: date, calendar: WorkingDays) -> int | None:
    return calendar.working_days_left(today, entry["due"]) if entry["state"] != "closed" else None
