"""The library's SQLite persistence, with the database file created private (0600, folder 0700).

SQLite gives its ``-wal`` and ``-shm`` files the mode of the database file, so making the
database file first, with the mode set, keeps all three private whatever the umask.
Named by topic in ``store.database`` (the library's ``PERSISTENCE_MODULE``).
"""

from __future__ import annotations

from typing import Any

from eventsourcing import sqlite

from store.files import private_file

TOPIC = "store.sqlite:PrivateSQLiteFactory"


class PrivateSQLiteFactory(sqlite.Factory):
    def __init__(self, env: Any) -> None:
        name = (env.get(self.SQLITE_DBNAME) if env is not None else None) or ""
        if name and name != ":memory:" and not name.startswith("file:"):
            private_file(name)
        super().__init__(env)
