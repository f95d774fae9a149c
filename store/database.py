"""One ``DATABASE_URL`` chooses the event store, mapped onto the library's own modules.

- ``sqlite:///var/tracker.sqlite3`` (the default: three slashes, a path relative to
  the working directory; four slashes for an absolute path; the file and its folder are
  created private to the owner, 0600 and 0700, by ``store.sqlite``)
- ``postgresql://user[:password]@host[:port]/db[?schema=s&pool_size=n&max_overflow=n]``
  (also ``pool_timeout``, ``connect_timeout``, ``statement_timeout`` in seconds and
  ``application_name``: see ``store/postgres.py``)
- ``memory://`` (the library's in-memory store, for fast tests; ``store.chain.memory`` adds the chain)

Schemes are judged case-insensitively (as URLs define them): ``POSTGRESQL://…`` is PostgreSQL.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import resolve_topic

from domain import ending_records, project_records, request_records, review_records, ticket_records, trial_records
from domain.ports import TimeIndex
from store.chain.recorders import ChainedPostgresRecorder
from store.transcodings import DateAsISO, ValueAsPlain, ValueAsRow
from store.working_day_counts import counts_started_between

DEFAULT_URL = "sqlite:///var/tracker.sqlite3"
POSTGRES_SCHEMES = ("postgresql", "postgres")
SQLITE_FACTORY = "store.sqlite:PrivateSQLiteFactory"
"""The library's SQLite factory creating the database file private (named by topic: no import)."""
POOL_OPTIONS = {
    "pool_size": "POSTGRES_POOL_SIZE",
    "max_overflow": "POSTGRES_MAX_OVERFLOW",
    "connect_timeout": "POSTGRES_CONNECT_TIMEOUT",
    "lock_timeout": "POSTGRES_LOCK_TIMEOUT",
    "schema": "POSTGRES_SCHEMA",
    "pool_timeout": "POSTGRES_POOL_TIMEOUT",
    "statement_timeout": "POSTGRES_STATEMENT_TIMEOUT",
    "application_name": "POSTGRES_APPLICATION_NAME",
}
FACTORY_TOPIC = "STORE_FACTORY_TOPIC"
"""The infrastructure factory a store names by topic (``StoreSetup.construct_factory``)."""


def chained(recorder: str) -> dict[str, str]:
    """Every store records through a recorder that also writes the tamper-evident chain
    (``store.chain.recorders``, named by topic: the library's ``APPLICATION_RECORDER_TOPIC``)."""
    return {"APPLICATION_RECORDER_TOPIC": f"store.chain.recorders:{recorder}"}


def scheme_of(url: str | None) -> str:
    """The URL's scheme in lower case (``sqlite`` for the default)."""
    return urlsplit(url or os.environ.get("DATABASE_URL") or DEFAULT_URL).scheme


def is_postgres(url: str | None) -> bool:
    return scheme_of(url) in POSTGRES_SCHEMES


def env_for(url: str | None = None) -> dict[str, str]:
    """The eventsourcing environment variables for a database URL."""
    url = url or os.environ.get("DATABASE_URL") or DEFAULT_URL
    parts = urlsplit(url)
    if parts.scheme == "memory":
        return {"PERSISTENCE_MODULE": "store.chain.memory"}
    if parts.scheme == "sqlite":
        prefix = url[: len("sqlite:///")]
        path = unquote(url[len(prefix) :])
        if path in ("", ":memory:") or prefix.lower() != "sqlite:///":
            raise ValueError("use memory:// for an in-memory store; sqlite:/// needs a file path")
        return {
            "PERSISTENCE_MODULE": SQLITE_FACTORY,
            "SQLITE_DBNAME": path,
            "SQLITE_LOCK_TIMEOUT": "10",
            **chained("ChainedSQLiteRecorder"),
        }
    if parts.scheme in POSTGRES_SCHEMES:
        env = {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": parts.path.lstrip("/") or "postgres",
            "POSTGRES_HOST": parts.hostname or "127.0.0.1",
            "POSTGRES_PORT": str(parts.port or 5432),
            "POSTGRES_USER": unquote(parts.username or "postgres"),
            "POSTGRES_PASSWORD": unquote(parts.password or ""),
            **chained("ChainedPostgresRecorder"),
            FACTORY_TOPIC: "store.postgres:PostgresFactory",  # pools that reconnect and fail fast
        }
        for option, values in parse_qs(parts.query).items():
            if option not in POOL_OPTIONS:
                raise ValueError(f"unknown DATABASE_URL option {option!r}; known: {', '.join(POOL_OPTIONS)}")
            env[POOL_OPTIONS[option]] = values[-1]
        return env
    raise ValueError(f"DATABASE_URL must start with sqlite://, postgresql:// or memory://, not {url!r}")


class StoreSetup:
    """``domain.ports.StoreSetup``: what the application is built on, from one database URL."""

    conflict = IntegrityError
    counts_started_between = staticmethod(counts_started_between)

    def __init__(self, database_url: str | None = None) -> None:
        self.env = {**env_for(database_url), "MAPPER_TOPIC": "store.decoding:QuickMapper"}

    def construct_factory(self, env: Any) -> Any:
        """The store's own factory where ``env_for`` names one (PostgreSQL: bounded waits, reconnection)."""
        topic = env.get(FACTORY_TOPIC)
        return resolve_topic(topic)(env) if topic else None

    def register_transcodings(self, transcoder: Any) -> None:
        transcoder.register(DateAsISO())
        for cls in (
            *project_records.VALUES,
            *trial_records.VALUES,
            *ticket_records.VALUES,
            *review_records.VALUES,
            *ending_records.VALUES,
            *request_records.VALUES,
        ):
            transcoder.register(ValueAsPlain(cls))  # (read only: snapshots taken before rows)
            transcoder.register(ValueAsRow(cls))  # (registered last: values are written as rows)

    def snapshot_store(self, store: Any, recorder: Any) -> Any:
        """The library's snapshot store, its recorder swapped for the application recorder's
        ``snapshot_recorder`` where it offers one (PostgreSQL: snapshots fetched in binary)."""
        if isinstance(recorder, ChainedPostgresRecorder):
            store.recorder = recorder.snapshot_recorder(store.recorder)
        return store

    def time_index(self, recorder: Any) -> TimeIndex:
        if not isinstance(recorder, TimeIndex):
            raise TypeError(f"{type(recorder).__name__} keeps no time index (a recorder of store.chain does)")
        return recorder
