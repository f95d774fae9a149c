"""Contract view: the terms in force this month and every recording of terms (the first included)."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from domain.contract import month_of, terms_for_month
from projections.reading import Reader


def contract_view(reader: Reader, project_id: UUID, today: date) -> dict[str, Any]:
    project = reader.one("project", project_id)
    return {
        "project_id": project.id,
        "in_force": terms_for_month(recorded_terms(project), month_of(today)),
        "amendments": project.contract_terms,
    }


def recorded_terms(project: Any) -> list[dict[str, Any]]:
    """The terms as recorded, oldest first (``terms_for_month`` picks the month's)."""
    return [recording["terms"] for recording in project.contract_terms]
