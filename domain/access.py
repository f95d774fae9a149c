"""A user's access: the revocations of their sign-in tokens, each an event saying who, when and why.

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


class UserAccess(TrackedAggregate):
    STEPS = {"revoke_tokens": frozenset({ACTIVE})}

    @property
    def current(self) -> str:
        return ACTIVE

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

    class TokensRevoked(TrackedAggregate.Event):
        user: str
        reason: str

        def apply(self, access: UserAccess) -> None:
            access.revocations.append({"at": self.timestamp, "by": self.actor, "reason": self.reason})
            access.tokens_valid_after = self.timestamp

    @classmethod
    def open(cls, actor: Actor, user: str) -> UserAccess:
        return cls.start(cls.AccessRecordOpened, actor, user=user)

    def revoke_tokens(self, actor: Actor, user: str, reason: str) -> None:
        """Refuse every token of the user issued until now."""
        self.require_step("revoke_tokens")
        self.record(self.TokensRevoked, actor, user=user, reason=reason)

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
