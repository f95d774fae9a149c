"""Contract view: the terms in force this month, every recording of terms (the first included), and the
term as of today (renewals, current end, the day notice is due: ``domain.term``)."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from domain.contract import month_of, terms_for_month
from domain.term import term_as_of, term_in_force
from projections.reading import Reader


def contract_view(reader: Reader, project_id: UUID, today: date) -> dict[str, Any]:
    project = reader.one("project", project_id)
    term = term_in_force(recorded_terms(project), month_of(today))
    return {
        "project_id": project.id,
        "in_force": terms_for_month(recorded_terms(project), month_of(today)),
        "amendments": project.contract_terms,
        "term": None if term is None else term_as_of(term, today),
    }


def recorded_terms(project: Any) -> list[dict[str, Any]]:
    """The terms as recorded, oldest first (``terms_for_month`` picks the month's)."""
    return [recording["terms"] for recording in project.contract_terms]
