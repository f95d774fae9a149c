"""A refused command in the person's language: the message for the top of the page, and a message
beside each bad field. The codes stay the domain's; only the words come from the catalog."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext

from domain.errors import DomainError

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
