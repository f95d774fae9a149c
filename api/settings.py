"""The signing key for tokens: from SECRET_KEY, or on the embedded SQLite default made once.

On SQLite (and the in-memory store) a key is generated once into ``var/secret_key``
(mode 0600) and reused, so tokens survive restarts. With PostgreSQL — production — the
server refuses to start without ``SECRET_KEY``: a generated key would differ per host.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

KEY_FILE = Path("var") / "secret_key"


def secret_key(configured: str | None, database_url: str | None) -> str:
    if configured:
        return configured
    if (database_url or "").startswith(("postgresql:", "postgres:")):
        raise RuntimeError("SECRET_KEY must be set when DATABASE_URL is PostgreSQL (production)")
    if KEY_FILE.exists():
        return KEY_FILE.read_text().strip()
    KEY_FILE.parent.mkdir(parents=True, exist_ok=True)
    draft = KEY_FILE.with_name(f".secret_key.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(secrets.token_urlsafe(48))
    try:
        os.link(draft, KEY_FILE)  # atomic and never overwrites: of workers starting together, one key wins
    except FileExistsError:
        pass
    finally:
        draft.unlink()
    return KEY_FILE.read_text().strip()
