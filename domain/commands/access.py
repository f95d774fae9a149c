"""Accounts and token revocations (``UserAccess``), and the read that sign-in makes on every request."""

from __future__ import annotations

from typing import Any

from domain import rights
from domain.access import LANGUAGES, UserAccess, check_revocation
from domain.errors import InvalidInput
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

    def add_account(self, actor: Actor, account: Actor, name: str | None = None) -> Any:
        """A person who may sign in to the pages as ``account`` (the operations director's call)."""
        rights.require_role(actor, "add_account", OPERATIONS_DIRECTOR)
        name = name.strip() if isinstance(name, str) and name.strip() else None
        access = self.access_of(account.user) or UserAccess.open(actor, account.user)
        access.add_account(actor, account, name)
        return self.commit(access, user=account.user)

    def disable_account(self, actor: Actor, user: str, reason: str) -> Any:
        """The person's sign-in, sessions and tokens are refused from now on."""
        rights.require_role(actor, "disable_account", OPERATIONS_DIRECTOR)
        check_revocation(user, reason)
        access = self.access_of(user.strip())
        if access is None:
            raise InvalidInput({"user": f"no account named {user.strip()!r}"})
        access.disable_account(actor, reason.strip())
        return self.commit(access, user=access.user)

    def choose_language(self, actor: Actor, language: str) -> Any:
        """The signed-in person's own language, kept with their account (it comes first)."""
        if language not in LANGUAGES:
            raise InvalidInput({"lang": f"one of {', '.join(LANGUAGES)}"})
        access = self.access_of(actor.user)
        if access is None:
            raise InvalidInput({"user": "no account to keep the language with"})
        access.choose_language(actor, language)
        return self.commit(access, user=access.user)

    def access_of(self, user: str) -> UserAccess | None:
        """The user's access record, or None if their tokens were never revoked.

        One query: the events read directly (the repository would also ask the snapshot store).
        """
        access = None
        for event in self.events.get(UserAccess.create_id(user)):
            access = event.mutate(access)
        return access
