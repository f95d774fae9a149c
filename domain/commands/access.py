"""Revoking a user's tokens (``UserAccess``), and the read that sign-in makes on every request."""

from __future__ import annotations

from typing import Any

from domain import rights
from domain.access import UserAccess, check_revocation
from domain.roles import OPERATIONS_DIRECTOR, Actor


class AccessCommands:
    def revoke_tokens(self, actor: Actor, user: str, reason: str) -> Any:
        """Every token of ``user`` issued until now is refused from now on (the operations director's call)."""
        rights.require_role(actor, "revoke_tokens", OPERATIONS_DIRECTOR)
        check_revocation(user, reason)
        user, reason = user.strip(), reason.strip()
        access = self.access_of(user) or UserAccess.open(actor, user)
        access.revoke_tokens(actor, user, reason)
        return self.commit(access, user=user, revoked_at=access.tokens_valid_after)

    def access_of(self, user: str) -> UserAccess | None:
        """The user's access record, or None if their tokens were never revoked.

        One query: the events read directly (the repository would also ask the snapshot store).
        """
        access = None
        for event in self.events.get(UserAccess.create_id(user)):
            access = event.mutate(access)
        return access
