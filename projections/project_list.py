"""Project list (``GET /api/projects``): filter by phase, customer, project manager, and search
(``q``: part of the code, name or customer); paged."""

from __future__ import annotations

from typing import Any

from projections.reading import Reader

FILTERS = {"phase": "state = ?", "customer": "customer = ?", "project_manager": "project_manager = ?"}
SEARCHED = ("code", "name", "customer")


def matching(query: str) -> tuple[str, tuple[str, ...]]:
    """A clause for projects whose code, name or customer contains ``query`` (case ignored; Chinese
    matches as typed): SQL's LIKE with the query's own ``%``, ``_`` and ``\\`` taken literally."""
    literal = query.casefold().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    condition = " OR ".join(f"lower({column}) LIKE ? ESCAPE '\\'" for column in SEARCHED)
    return f"({condition})", (f"%{literal}%",) * len(SEARCHED)


def project_list(reader: Reader, filters: dict[str, Any], limit: int, cursor: str | None) -> dict[str, Any]:
    clauses = [(FILTERS[name], (value,)) for name, value in filters.items() if name in FILTERS and value is not None]
    if filters.get("q"):
        clauses.append(matching(filters["q"]))
    projects, next_cursor = reader.page("project", clauses, "code, id", limit, cursor)
    return {
        "items": [
            {
                "id": p.id,
                "code": p.code,
                "name": p.name,
                "customer": p.customer,
                "phase": p.phase,
                "project_manager": p.project_manager,
                "version": p.version,
                "current_plan_version": p.current_plan_version,
                "went_live_on": p.went_live_on,
            }
            for p in projects
        ],
        "next_cursor": next_cursor,
    }
