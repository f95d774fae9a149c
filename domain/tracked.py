"""Base of our aggregates: every event records who acted, and steps are guarded by state.

Each aggregate lists its ``STEPS`` (command name → states in which it is allowed) so
that a refused step can name the current state and every step allowed from it.
"""

from __future__ import annotations

import copy
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.errors import InvalidTransition
from domain.roles import Actor


class TrackedAggregate(Aggregate):
    """An aggregate whose events say who did it: ``actor`` (user), ``role``, ``actor_department``.

    (``actor_department`` because a ticket's own events carry the ticket's ``department``.)
    """

    STEPS: ClassVar[dict[str, frozenset[str]]] = {}
    SYSTEM_STEPS: ClassVar[frozenset[str]] = frozenset()
    """Steps taken only as a consequence of another command, never offered to a user."""

    class Event(Aggregate.Event):
        actor: str
        role: str
        actor_department: str | None

        def __post_init__(self) -> None:
            """An evidence event naming no file keeps no ``files`` (the class default ``()`` answers), so
            it is stored exactly as before files existed (``domain.evidence``)."""
            super().__post_init__()
            if "files" in self.__dict__ and not self.__dict__["files"]:
                object.__delattr__(self, "files")

        @property
        def who(self) -> Actor:
            return Actor(self.actor, self.role, self.actor_department)

    class Created(Event, Aggregate.Created):
        pass

    @property
    def current(self) -> str:
        """The phase or state that decides which steps are allowed."""
        raise NotImplementedError

    def allowed_steps(self) -> list[str]:
        return sorted(
            step for step, states in self.STEPS.items() if self.current in states and step not in self.SYSTEM_STEPS
        )

    def require_step(self, step: str) -> None:
        """Refuse ``step`` unless the current state allows it."""
        if self.current not in self.STEPS[step]:
            raise InvalidTransition(step, self.current, self.allowed_steps())

    def record(self, event_class: type[Event], actor: Actor, **data: Any) -> None:
        """Trigger an event (after the caller's guards passed), stamped with the actor."""
        self.trigger_event(
            event_class,
            actor=actor.user,
            role=actor.role,
            actor_department=actor.department,
            **data,
        )

    @classmethod
    def start(cls, event_class: type[Created], actor: Actor, **data: Any) -> Any:
        return cls._create(
            event_class,
            actor=actor.user,
            role=actor.role,
            actor_department=actor.department,
            **data,
        )


IMMUTABLE = frozenset({str, int, float, bool, type(None), bytes, date, datetime, UUID, Decimal})
"""Types whose values are shared rather than copied (as ``copy.deepcopy`` shares str and int)."""


def own(value: Any) -> Any:
    """A private copy of event data, so aggregate state never aliases an event.

    ``copy.deepcopy``, made quick for what event data holds (dicts, lists, immutable leaves):
    a container met twice is copied once, as by deepcopy; anything else goes to deepcopy.
    """
    return _own(value, {})


def _own(value: Any, memo: dict[int, Any]) -> Any:
    kind = type(value)
    if kind in IMMUTABLE:
        return value
    if kind is dict or kind is list:
        copied = memo.get(id(value))
        if copied is None:  # (leaves are taken as they are without a call: most items are leaves)
            if kind is dict:
                copied = memo[id(value)] = {}
                for key, item in value.items():
                    if type(key) not in IMMUTABLE:
                        key = _own(key, memo)
                    copied[key] = item if type(item) in IMMUTABLE else _own(item, memo)
            else:
                copied = memo[id(value)] = []
                for item in value:
                    copied.append(item if type(item) in IMMUTABLE else _own(item, memo))
        return copied
    return copy.deepcopy(value, memo)
