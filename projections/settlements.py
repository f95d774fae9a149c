"""Settlement view: one month's fee, deduction, bonus, VAT and total, every step shown."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.contract import check_month, terms_for_month
from domain.errors import NotFound, RuleViolated
from domain.settlement import check_settleable, settle
from projections.contract import recorded_terms
from projections.reading import Reader


def settlement_view(reader: Reader, project_id: UUID, month: str) -> dict[str, Any]:
    """API.md's order: no terms or a month before the fee model's first month (409), then no volumes (404)."""
    project = reader.one("project", project_id)
    month = check_month(month, "month")
    terms = terms_for_month(recorded_terms(project), month)
    if terms is None:
        raise RuleViolated("contract_terms_recorded", f"no contract terms apply to {month}: record them first")
    check_settleable(terms, month)
    volumes = project.volumes_for(month)
    if volumes is None:
        raise NotFound("volumes for month", month)
    return {"project_id": project.id, **settle(terms, month, volumes, project.outages)}
