"""The 保存计划 form's values: filled from the latest plan version (or, before the first, from the
intake's requirements), and read back into the API's ``PlanIn`` body.

The form holds the plan's dates, the manual's requirements, hardware and software (one per line),
and per requirement its ref, title, department, dates and acceptance criteria (one per line). The
staffing positions are not on the form yet: a save keeps those of the latest version.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from domain import plan as pl
from web import form_rows
from web.forms import Values

REQUIREMENT_COLUMNS = ("ref", "title", "department", "complete_by", "accept_by", "acceptance_criteria")
PLAN_ROWS = {"requirements": (REQUIREMENT_COLUMNS, REQUIREMENT_COLUMNS)}
POSITION_KEYS = ("title", "headcount", "qualifications", "duties")


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def shown(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else str(value or "")


def base_plan(project: Any) -> dict[str, Any] | None:
    latest = project.latest_plan
    return latest["content"] if latest is not None else None


def prefilled(project: Any) -> dict[str, str]:
    """The form as the latest plan version has it; before any, the intake's requirements as R1, R2…"""
    content = base_plan(project)
    if content is None:
        requirements = [{"ref": f"R{n}", "title": r.get("text", "")} for n, r in enumerate(project.requirements, 1)]
        return {
            f"requirements.{n}.{column}": value
            for n, requirement in enumerate(requirements)
            for column, value in requirement.items()
        }
    values = {name: shown(content.get(name)) for name in pl.MILESTONES}
    values["manual.due"] = shown(content["manual"].get("due"))
    values["manual.requirements"] = content["manual"].get("requirements", "")
    values["hardware"] = "\n".join(content.get("hardware", []))
    values["software"] = "\n".join(content.get("software", []))
    for n, requirement in enumerate(content["requirements"]):
        for column in REQUIREMENT_COLUMNS:
            value = requirement.get(column)
            values[f"requirements.{n}.{column}"] = "\n".join(value) if isinstance(value, list) else shown(value)
    return values


def plan_body(form: Values, project: Any) -> dict[str, Any]:
    """``PlanIn``'s raw body from the form (rows renumbered, blank ones gone); blank fields left out."""
    body: dict[str, Any] = {name: form.get(name, "").strip() for name in pl.MILESTONES}
    body = {name: value for name, value in body.items() if value}
    manual = {"requirements": form.get("manual.requirements", "").strip()}
    if form.get("manual.due", "").strip():
        manual["due"] = form.get("manual.due", "").strip()
    body["manual"] = manual
    body["hardware"] = lines(form.get("hardware", ""))
    body["software"] = lines(form.get("software", ""))
    content = base_plan(project) or {}
    body["positions"] = [{key: p[key] for key in POSITION_KEYS if key in p} for p in content.get("positions", [])]
    requirements = []
    for row in form_rows.posted_rows(form, "requirements", REQUIREMENT_COLUMNS, REQUIREMENT_COLUMNS):
        requirement: dict[str, Any] = {column: value for column, value in row.items() if value}
        if "acceptance_criteria" in requirement:
            requirement["acceptance_criteria"] = lines(requirement["acceptance_criteria"])
        requirements.append(requirement)
    body["requirements"] = requirements
    return body
