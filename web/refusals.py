"""A refused command in the person's language: the message for the top of the page, and a message
beside each bad field. The codes stay the domain's; only the words come from the catalog.

``explain`` is the one translation of a refusal, by its kind and details (the step and phase
from the glossary, the rule by its code): the pages show it, and so does the API's ``message``
when ``Accept-Language`` asks for Chinese (``api/errors.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext, lazy_gettext, lazy_pgettext

from domain.errors import DomainError, InvalidTransition, NotAllowed, NotFound, RuleViolated
from web import glossary

INVALID = lazy_gettext("Some of what was sent cannot be recorded; nothing was recorded.")
BY_KIND = {
    "invalid_input": INVALID,
    "not_allowed": lazy_gettext("You may not take this step; nothing was recorded."),
    "not_found": lazy_gettext("Not found; nothing was recorded."),
    "invalid_transition": lazy_gettext("This step is not possible in the current phase; nothing was recorded."),
    "rule_violated": lazy_gettext("A rule does not allow this step now; nothing was recorded."),
    "concurrent_update": lazy_gettext("Someone changed this meanwhile; look again. Nothing was recorded."),
}
STATUS = {"invalid_input": 422, "not_allowed": 403, "not_found": 404}
FIELD_PROBLEM = lazy_gettext("This value cannot be recorded.")
FIELD_MISSING = lazy_gettext("Required")
MISSING = ("Missing data for required field.", "required", "missing")


RULES = {
    "already_appointed": lazy_gettext("This person is already the appointed project manager."),
    "code_unique": lazy_gettext("A project with this code already exists."),
    "contract_terms_recorded": lazy_gettext("No contract terms apply to this month: record them first."),
    "criteria_met": lazy_gettext("A ticket is accepted only when every acceptance criterion is met."),
    "current_review": lazy_gettext("This is not the project's current trial review."),
    "decision_after_review": lazy_gettext("The decision's date may not lie before the review."),
    "closure_ready": lazy_gettext(
        "The project is closed only when every handover item is done and the termination's effective date is reached."
    ),
    "draft_required": lazy_gettext("There is no plan draft to submit; write one first."),
    "due_within_plan": lazy_gettext("The due date would fall after the approved plan's completion date."),
    "extension_after_planned_end": lazy_gettext("An extension must end after the trial's current planned end."),
    "handover_once": lazy_gettext("This handover item is already recorded done."),
    "latest_alternative": lazy_gettext("Only the latest alternative plan awaits a decision."),
    "manual_awaiting_review": lazy_gettext("The previous operations manual draft still awaits review."),
    "manual_submitted": lazy_gettext("No operations manual draft awaits review."),
    "month_before_first_month": lazy_gettext("This month is before the contract's first month; nothing to settle."),
    "month_not_failed": lazy_gettext("A rectification follows only a failed month or one whose report is missing."),
    "nothing_to_issue": lazy_gettext("Every requirement of the approved plan already has a ticket."),
    "plan_approved": lazy_gettext("No plan version is approved yet."),
    "quality_score_required": lazy_gettext("The bonus needs the month's quality score: record it with the volumes."),
    "requirement_change_required": lazy_gettext(
        "A customer-change revision needs an accepted requirement change recorded since the plan was approved."
    ),
    "schedule_unchanged": lazy_gettext("This working-day schedule is already recorded as given."),
    "ticket_exists": lazy_gettext("Some of these requirements already have a ticket."),
}
"""The rules' own messages by code; a go-live gate's refusal names the gate (``glossary.GATES``)."""
STEP_IN = lazy_gettext("“%(step)s” is not possible while it is “%(current)s”.")
ONLY_WHILE = lazy_gettext("Not possible while it is “%(current)s”.")
GATE_NOT_MET = lazy_gettext("The gate “%(gate)s” is not met.")
NEEDS_ROLES = lazy_gettext("This step needs: %(roles)s.")
OTHER_DEPARTMENT = lazy_gettext("This is for the lead of %(department)s.")
APPOINTED_ONLY = lazy_gettext("Only the project's appointed project manager may take this step.")
THING_NOT_FOUND = lazy_gettext("%(thing)s not found.")
BAD_FIELDS = lazy_gettext("Fields: %(fields)s.")
NOT_FOUND_THINGS = {"project": "project", "ticket": "ticket", "trial review": "review"}
STATES = ("phase", "ticket_state", "rectification_state")
SEPARATOR = lazy_pgettext("list", ", ")


def known(group: str, code: Any) -> str | None:
    """The glossary's word for ``code``, or None when it has none (never a bare code on a page)."""
    return str(glossary.word(group, code)) if isinstance(code, str) and code in glossary.GROUPS[group] else None


def specific(error: DomainError, with_fields: bool = False) -> str | None:
    """The sentence saying what exactly was refused, when the catalog has the words for it."""
    details = error.details
    if isinstance(error, InvalidTransition):
        current = next((known(group, error.current) for group in STATES if known(group, error.current)), None)
        step = known("action", error.step)
        if current and step:
            return gettext(str(STEP_IN), step=step, current=current)
        return gettext(str(ONLY_WHILE), current=current) if current else None
    if isinstance(error, RuleViolated):
        if error.rule in glossary.GATES:
            return gettext(str(GATE_NOT_MET), gate=known("gate", error.rule))
        return str(RULES[error.rule]) if error.rule in RULES else None
    if isinstance(error, NotAllowed):
        if "appointed" in details:
            return str(APPOINTED_ONLY)
        if "department" in details and known("department", details["department"]):
            return gettext(str(OTHER_DEPARTMENT), department=known("department", details["department"]))
        roles = [known("role", role) for role in details.get("allowed_roles", [])]
        return gettext(str(NEEDS_ROLES), roles=str(SEPARATOR).join(roles)) if roles and all(roles) else None
    if isinstance(error, NotFound) and details.get("what") in NOT_FOUND_THINGS:
        return gettext(str(THING_NOT_FOUND), thing=known("thing", NOT_FOUND_THINGS[details["what"]]))
    if error.kind == "invalid_input" and with_fields and details:
        return gettext(str(BAD_FIELDS), fields=", ".join(sorted(details)))
    return None


def explain(error: DomainError, with_fields: bool = False) -> str:
    """The refusal in the request's language: what exactly, then that nothing was recorded.
    ``with_fields``: name the bad fields (the API; a page shows each beside its field)."""
    said = specific(error, with_fields)
    return f"{said} {message(error)}" if said else message(error)


def status(error: DomainError) -> int:
    return STATUS.get(error.kind, 409)


def message(error: DomainError) -> str:
    """The refusal's message for the top of the page."""
    return str(BY_KIND.get(error.kind, BY_KIND["rule_violated"]))


def field_errors(problems: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    """Field name (nested ones joined with dots: ``requirements.0.title``) → the message beside it."""
    errors: dict[str, str] = {}
    for name, problem in problems.items():
        key = f"{prefix}{name}"
        if isinstance(problem, Mapping):
            errors.update(field_errors(problem, key + "."))
            continue
        texts = problem if isinstance(problem, list) else [problem]
        missing = any(isinstance(text, str) and any(word in text for word in MISSING) for text in texts)
        errors[key] = str(FIELD_MISSING if missing else FIELD_PROBLEM)
    return errors
