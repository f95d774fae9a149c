"""The one error hierarchy: each kind maps to one HTTP status in the API."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any


class DomainError(Exception):
    """Base of every refusal; ``details`` goes into the API's ``errors`` object."""

    kind = "domain_error"

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class InvalidInput(DomainError):
    """The command's data does not make sense on its own (a bad field)."""

    kind = "invalid_input"

    def __init__(self, fields: Mapping[str, str]) -> None:
        fields = dict(fields)
        summary = "; ".join(f"{name}: {why}" for name, why in fields.items())
        super().__init__(f"invalid input: {summary}", **fields)
        self.fields = fields


class NotFound(DomainError):
    kind = "not_found"

    def __init__(self, what: str, ident: object) -> None:
        super().__init__(f"{what} {ident} not found", what=what, id=str(ident))


class NotYetCreated(NotFound):
    """Asked for as it was at a time before it was created (``as_of``)."""

    def __init__(self, what: str, ident: object, when: datetime, created: datetime) -> None:
        DomainError.__init__(
            self,
            f"{what} {ident} did not exist yet at {when.isoformat()}; it was created at {created.isoformat()}",
            what=what,
            id=str(ident),
            as_of=when.isoformat(),
            created=created.isoformat(),
        )


class NotAllowed(DomainError):
    """The actor lacks the right (wrong role, department, or not the appointed PM)."""

    kind = "not_allowed"


class InvalidTransition(DomainError):
    """The step is not possible in the current phase or state."""

    kind = "invalid_transition"

    def __init__(self, step: str, current: str, allowed: Iterable[str]) -> None:
        allowed = sorted(allowed)
        super().__init__(
            f"cannot {step.replace('_', ' ')} while {current}",
            reason="invalid_transition",
            step=step,
            current=current,
            allowed=allowed,
        )
        self.step = step
        self.current = current
        self.allowed = allowed


class RuleViolated(DomainError):
    """The step is possible in this phase but a business rule forbids it now."""

    kind = "rule_violated"

    def __init__(self, rule: str, why: str, **extra: Any) -> None:
        super().__init__(why, reason="rule_violated", rule=rule, why=why, **extra)
        self.rule = rule
        self.why = why


class ConcurrentUpdate(DomainError):
    """Someone else changed the aggregate first (expected version did not match)."""

    kind = "concurrent_update"

    def __init__(self, expected: int | None = None, actual: int | None = None) -> None:
        super().__init__(
            "someone else changed this first; reload and try again",
            reason="concurrent_update",
            expected_version=expected,
            current_version=actual,
        )
