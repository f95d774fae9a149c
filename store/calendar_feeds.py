"""Calendar feed tokens: the secret in a feed's URL (``/calendar/<token>.ics``), kept only as its SHA-256.

A calendar application cannot send a bearer token, so the URL is the credential: 32 random
bytes, shown once when created, revocable. Only the hash is stored (like a password), so the
table read by someone else gives no working URL; its first 12 hex digits name it in lists.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from store.notifications import now_text
from store.views import ViewStore

PERSON, PROJECT = "person", "project"


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Feed:
    id: str
    kind: str
    subject: str
    created_at: str
    revoked_at: str | None


class FeedTokens:
    def __init__(self, store: ViewStore) -> None:
        self.store = store

    def create(self, kind: str, subject: str) -> str:
        """A new token for ``subject`` (a user name, or a project id); the only time it is seen."""
        token = secrets.token_urlsafe(32)
        self.store.execute(
            "INSERT INTO calendar_feeds VALUES (?, ?, ?, ?, NULL)", (digest(token), kind, subject, now_text())
        )
        return token

    def find(self, token: str) -> Feed | None:
        """The feed a token opens, if it exists and was not revoked."""
        if not 20 <= len(token) <= 100:
            return None
        rows = self.store.execute(
            "SELECT token_hash, kind, subject, created_at, revoked_at FROM calendar_feeds "
            "WHERE token_hash = ? AND revoked_at IS NULL",
            (digest(token),),
        )
        return Feed(rows[0][0][:12], *rows[0][1:]) if rows else None

    def all(self, subject: str | None = None) -> list[Feed]:
        where, params = ("WHERE subject = ?", (subject,)) if subject else ("", ())
        rows = self.store.execute(
            f"SELECT token_hash, kind, subject, created_at, revoked_at FROM calendar_feeds {where} ORDER BY created_at",
            params,
        )
        return [Feed(row[0][:12], *row[1:]) for row in rows]

    def revoke(self, feed_id: str, subject: str | None = None) -> bool:
        """Revoke the feed named by the first hex digits of its hash (``subject``: only one of theirs)."""
        if len(feed_id) != 12 or not all(c in "0123456789abcdef" for c in feed_id):
            return False
        extra, params = (" AND subject = ?", (subject,)) if subject else ("", ())
        with self.store.transaction() as cursor:
            cursor.execute(
                self.store.sql(
                    f"UPDATE calendar_feeds SET revoked_at = ? WHERE token_hash LIKE ? AND revoked_at IS NULL{extra}"
                ),
                (now_text(), f"{feed_id}%", *params),
            )
            return cursor.rowcount > 0
