"""A project's trial reviews as the views hold them, in the order held (``GET /api/projects/{id}/reviews``,
and the reviews the go-live gate ``corrective_actions_closed`` reads)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.trial_review import TrialReview
from projections.reading import Reader


def project_reviews(reader: Reader, project: Any) -> list[TrialReview]:
    held = {str(r.id): r for r in reader.where("review", [("project_id = ?", (str(project.id),))])}
    return [held[str(record.review_id)] for record in project.reviews if str(record.review_id) in held]


def review_list(reader: Reader, project_id: UUID) -> list[TrialReview]:
    """The reviews of the project (NotFound for an unknown project), oldest first."""
    return project_reviews(reader, reader.one("project", project_id))
