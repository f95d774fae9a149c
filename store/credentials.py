"""Passwords of the people who sign in to the pages: a table of their own, never in the events.

Events are never deleted, so a password hash recorded in one could never be rotated away; the
account itself (role, department, disabled) is in the events (``domain.access``). Hashes are
werkzeug's scrypt (``generate_password_hash``): salted, slow, and verified in constant time.
The table lives in the views' database (the same SQLite file or PostgreSQL schema as the events;
the in-memory store keeps it for the life of the process). Backups do not carry it: after a
restore, set each password again with ``users add`` / ``users password``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from werkzeug.security import check_password_hash, generate_password_hash

TABLE = "credentials"
DEFAULT_METHOD = "scrypt"
"""werkzeug's own scrypt cost (N=2^15, r=8, p=1). ``PASSWORD_HASH_METHOD`` may name another, e.g. the
test suite's cheap ``scrypt:1024:8:1``: hashes record their method, so any of them still verifies."""


def user_key(user: str) -> str:
    """Names match as ``UserAccess`` ids do: case and surrounding blanks ignored."""
    return user.strip().casefold()


class Credentials:
    def __init__(self, store: Any, method: str = DEFAULT_METHOD) -> None:
        """``store``: the views' ``ViewStore``, which creates this table with its own (``store.views.TABLES``,
        under PostgreSQL's advisory lock: processes starting together would race in CREATE TABLE)."""
        self.store = store
        self.method = method
        self.unknown = generate_password_hash("no such user: the same work is done, so timing names no one", method)

    def set_password(self, user: str, password: str) -> None:
        self.store.execute(
            f"INSERT INTO {TABLE} VALUES (?, ?, ?) ON CONFLICT (user_key) DO UPDATE "
            "SET password_hash = excluded.password_hash, changed_at = excluded.changed_at",
            (user_key(user), generate_password_hash(password, self.method), datetime.now(UTC).isoformat()),
        )

    def check_password(self, user: str, password: str) -> bool:
        rows = self.store.execute(f"SELECT password_hash FROM {TABLE} WHERE user_key = ?", (user_key(user),))
        if not rows:
            check_password_hash(self.unknown, password)
            return False
        return check_password_hash(rows[0][0], password)
