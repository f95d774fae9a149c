"""The project plan (項目計劃書): its content, its version statuses and how two versions differ.

A plan is kept as plain data (dicts, lists, dates) so that events and snapshots
store it as it was written. Shape checks live here; the date-order rule lives in
``gates`` because the go-live view gives the same reasons.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from domain.errors import InvalidInput
from domain.roles import DEPARTMENTS

DRAFT = "draft"
SUBMITTED = "submitted"
APPROVED = "approved"
REJECTED = "rejected"
SUPERSEDED = "superseded"

MILESTONES = ("trial_start", "trial_review", "go_live")
TRACKED_FIELDS = ("title", "department", "complete_by", "accept_by", "acceptance_criteria")


def normalise(content: Mapping[str, Any]) -> dict[str, Any]:
    """Check the plan's shape and return a clean copy; raise InvalidInput naming bad fields."""
    bad: dict[str, str] = {}
    requirements = list(content.get("requirements") or [])
    if not requirements:
        bad["requirements"] = "the plan needs at least one requirement"
    refs: set[str] = set()
    clean_requirements = []
    for i, req in enumerate(requirements):
        where = f"requirements.{i}"
        ref = str(req.get("ref") or "").strip()
        if not ref:
            bad[f"{where}.ref"] = "missing"
        elif ref in refs:
            bad[f"{where}.ref"] = f"duplicate requirement ref {ref!r}"
        refs.add(ref)
        if req.get("department") not in DEPARTMENTS:
            bad[f"{where}.department"] = f"must be one of {', '.join(DEPARTMENTS)}"
        for field in ("complete_by", "accept_by"):
            if not _is_date(req.get(field)):
                bad[f"{where}.{field}"] = "a date is required"
        raw_criteria = req.get("acceptance_criteria")
        criteria = [str(c) for c in raw_criteria if str(c).strip()] if isinstance(raw_criteria, list | tuple) else []
        if not criteria:
            bad[f"{where}.acceptance_criteria"] = "at least one acceptance criterion"
        clean_requirements.append(
            {
                "ref": ref,
                "title": str(req.get("title") or ref),
                "department": req.get("department"),
                "complete_by": req.get("complete_by"),
                "accept_by": req.get("accept_by"),
                "acceptance_criteria": criteria,
            }
        )
    for field in MILESTONES:
        if not _is_date(content.get(field)):
            bad[field] = "a date is required"
    manual = dict(content.get("manual") or {})
    if not _is_date(manual.get("due")):
        bad["manual.due"] = "a date is required"
    for i, position in enumerate(content.get("positions") or []):
        headcount = position.get("headcount")
        if not isinstance(headcount, int) or isinstance(headcount, bool) or headcount < 1:
            bad[f"positions.{i}.headcount"] = "a positive whole number"
        if not str(position.get("title") or "").strip():
            bad[f"positions.{i}.title"] = "missing"
    if bad:
        raise InvalidInput(bad)
    return {
        "positions": [dict(p) for p in content.get("positions") or []],
        "hardware": list(content.get("hardware") or []),
        "software": list(content.get("software") or []),
        "manual": {"requirements": manual.get("requirements", ""), "due": manual["due"]},
        "requirements": clean_requirements,
        **{field: content[field] for field in MILESTONES},
    }


def _is_date(value: Any) -> bool:
    """A calendar date (a datetime is not one: it cannot be ordered against dates)."""
    return isinstance(value, date) and not isinstance(value, datetime)


def requirements_by_ref(content: Mapping[str, Any] | None) -> dict[str, dict[str, Any]]:
    return {req["ref"]: req for req in (content or {}).get("requirements", [])}


def compare(old: Mapping[str, Any] | None, new: Mapping[str, Any]) -> dict[str, Any]:
    """What a new plan version adds, drops and changes relative to the one in force."""
    before, after = requirements_by_ref(old), requirements_by_ref(new)
    changed = sorted(
        ref for ref in before.keys() & after.keys() if any(before[ref][f] != after[ref][f] for f in TRACKED_FIELDS)
    )
    return {
        "added": sorted(after.keys() - before.keys()),
        "dropped": sorted(before.keys() - after.keys()),
        "changed": changed,
    }
