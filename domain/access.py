"""A user's access: their account (added, disabled, language) and the revocations of their tokens.

Each change is an event saying who, when and why; a password is never in an event (events are
never deleted, so a hash in history could never be rotated away): it lives in ``store.credentials``.

Tokens are signed, not stored, so one cannot be deleted; instead a revocation records a time
and every token of that user issued at or before it is refused (``refuses``). Tokens issued
afterwards work. One small aggregate per user name (the id follows from the name), read once
per authenticated request; a user never revoked has no events at all.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID, uuid5

from domain.errors import InvalidInput
from domain.roles import Actor
from domain.tracked import TrackedAggregate

ACCESS_NAMESPACE = UUID("0b5e3f7a-8c6d-4a1e-9f2b-3d4c5e6f7a81")
ACTIVE = "active"
NO_ACCOUNT = "no_account"
DISABLED = "disabled"
LANGUAGES = ("zh-CN", "en")


class UserAccess(TrackedAggregate):
    STEPS = {
        "revoke_tokens": frozenset({NO_ACCOUNT, ACTIVE, DISABLED}),
        "add_account": frozenset({NO_ACCOUNT}),
        "disable_account": frozenset({ACTIVE}),
        "choose_language": frozenset({ACTIVE}),
    }

    @property
    def current(self) -> str:
        if getattr(self, "account", None) is None:
            return NO_ACCOUNT
        return DISABLED if self.disabled is not None else ACTIVE

    @staticmethod
    def create_id(user: str) -> UUID:
        """The id follows from the user name (case and surrounding blanks ignored: revoking more is safe)."""
        return uuid5(ACCESS_NAMESPACE, user.strip().casefold())

    class AccessRecordOpened(TrackedAggregate.Created):
        user: str

        def apply(self, access: UserAccess) -> None:
            access.user = self.user
            access.revocations = []
            access.tokens_valid_after = None
            access.account = None
            access.disabled = None
            access.language = None

    class TokensRevoked(TrackedAggregate.Event):
        user: str
        reason: str

        def apply(self, access: UserAccess) -> None:
            access.revocations.append({"at": self.timestamp, "by": self.actor, "reason": self.reason})
            access.tokens_valid_after = self.timestamp

    class AccountAdded(TrackedAggregate.Event):
        user: str
        account_role: str
        department: str | None
        name: str | None

        def apply(self, access: UserAccess) -> None:
            access.account = {"role": self.account_role, "department": self.department, "name": self.name}

    class AccountDisabled(TrackedAggregate.Event):
        user: str
        reason: str

        def apply(self, access: UserAccess) -> None:
            access.disabled = {"at": self.timestamp, "by": self.actor, "reason": self.reason}

    class LanguageChosen(TrackedAggregate.Event):
        user: str
        language: str

        def apply(self, access: UserAccess) -> None:
            access.language = self.language

    @classmethod
    def open(cls, actor: Actor, user: str) -> UserAccess:
        return cls.start(cls.AccessRecordOpened, actor, user=user)

    def revoke_tokens(self, actor: Actor, user: str, reason: str) -> None:
        """Refuse every token of the user issued until now."""
        self.require_step("revoke_tokens")
        self.record(self.TokensRevoked, actor, user=user, reason=reason)

    def add_account(self, actor: Actor, account: Actor, name: str | None) -> None:
        """The person may sign in to the pages (their password is kept apart, in ``store.credentials``)."""
        self.require_step("add_account")
        self.record(
            self.AccountAdded,
            actor,
            user=account.user,
            account_role=account.role,
            department=account.department,
            name=name,
        )

    def disable_account(self, actor: Actor, reason: str) -> None:
        """The person's pages and tokens are refused from now on."""
        self.require_step("disable_account")
        self.record(self.AccountDisabled, actor, user=self.user, reason=reason)

    def choose_language(self, actor: Actor, language: str) -> None:
        self.require_step("choose_language")
        self.record(self.LanguageChosen, actor, user=self.user, language=language)

    def holder(self) -> Actor | None:
        """Who an active account signs in as (None when there is none, or it is disabled)."""
        if self.current != ACTIVE:
            return None
        return Actor(self.user, self.account["role"], self.account["department"])

    def refuses(self, issued_at: float) -> datetime | None:
        """When the tokens were revoked, if a token issued at ``issued_at`` (POSIX seconds) is revoked."""
        last = self.tokens_valid_after
        return last if last is not None and issued_at <= last.timestamp() else None


def check_revocation(user: str, reason: str) -> None:
    """A revocation names the user and says why (422 naming the fields otherwise)."""
    bad = {}
    if not isinstance(user, str) or not user.strip():
        bad["user"] = "the user whose tokens are revoked"
    if not isinstance(reason, str) or not reason.strip():
        bad["reason"] = "say why the tokens are revoked"
    if bad:
        raise InvalidInput(bad)
