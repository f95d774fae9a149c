"""The signing key for tokens: from SECRET_KEY, or on the embedded SQLite default made once.

On SQLite (and the in-memory store) a key is generated once into ``var/secret_key``
(mode 0600, folder 0700) and reused, so tokens survive restarts. With PostgreSQL —
production — the server refuses to start without ``SECRET_KEY``: a generated key would
differ per host. Any key, configured or read from the file, must have at least
``MIN_KEY_BYTES``: a short key can be guessed, and then anyone can sign tokens.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from store import database as storage
from store.files import FILE_MODE, private_folder

KEY_FILE = Path("var") / "secret_key"
MIN_KEY_BYTES = 32


class KeyRefused(RuntimeError):
    """The signing key is missing or too short: the app refuses to start."""


def secret_key(configured: str | None, database_url: str | None) -> str:
    if configured:
        return _long_enough(configured, "SECRET_KEY")
    if storage.is_postgres(database_url):
        raise KeyRefused("SECRET_KEY must be set when DATABASE_URL is PostgreSQL (production)")
    if KEY_FILE.exists():
        return _long_enough(KEY_FILE.read_text().strip(), str(KEY_FILE))
    private_folder(KEY_FILE.parent)
    draft = KEY_FILE.with_name(f".secret_key.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    with os.fdopen(descriptor, "w") as handle:
        os.fchmod(handle.fileno(), FILE_MODE)
        handle.write(secrets.token_urlsafe(48))
    try:
        os.link(draft, KEY_FILE)  # atomic and never overwrites: of workers starting together, one key wins
    except FileExistsError:
        pass
    finally:
        draft.unlink()
    return _long_enough(KEY_FILE.read_text().strip(), str(KEY_FILE))


def _long_enough(key: str, source: str) -> str:
    size = len(key.encode("utf-8"))
    if size >= MIN_KEY_BYTES:
        return key
    if source == "SECRET_KEY":
        fix = "set a longer one, e.g. python -c 'import secrets; print(secrets.token_urlsafe(48))'"
    else:
        fix = f"delete {source} to have a new key generated (tokens signed with the old one stop working)"
    raise KeyRefused(f"the signing key in {source} has {size} bytes, at least {MIN_KEY_BYTES} are needed: {fix}")
