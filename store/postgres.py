"""PostgreSQL pools that reconnect and fail fast: the event store's and the views'.

Each pool (psycopg-pool) pings a connection as it hands it out, dropping broken ones at once
(after a restart, or once the server ended its backends, every idle connection is broken:
the pool's own ``check`` would wait 1 s, 2 s, … between them); a request waits at most
``pool_timeout`` for a connection, and once that fails the pool's breaker answers the
following requests at once (``store.outage``). Sessions carry a statement timeout and TCP
keepalives; lost connections are replaced in the background.

Settings (environment variables, or the DATABASE_URL option in brackets), in seconds:

- ``POSTGRES_POOL_TIMEOUT`` (``pool_timeout``), default 1: how long a request waits for a connection.
- ``POSTGRES_CONNECT_TIMEOUT`` (``connect_timeout``), default 3: opening one connection.
- ``POSTGRES_STATEMENT_TIMEOUT`` (``statement_timeout``), default 5: one statement
  (the projections' batch writes get ``BATCH_STATEMENT_TIMEOUT``, 60, or more if this is more).
- ``POSTGRES_RECONNECT_TIMEOUT``, default 2: how long a lost connection is retried in the
  background before the pool gives up that slot (a request makes it grow again).
- ``POSTGRES_PROBE_INTERVAL``, default 1: during an outage, one request per interval tries the
  database; the others answer 503 at once with this as ``Retry-After``.
- ``POSTGRES_MAX_IDLE``, default 300, ``POSTGRES_CONN_MAX_AGE``, default 1800: connections are
  renewed after this long idle, or this long in all.
- ``POSTGRES_APPLICATION_NAME`` (``application_name``), default ``launch-tracker``: shown in
  ``pg_stat_activity``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import eventsourcing.postgres as library
from eventsourcing.persistence import InterfaceError, OperationalError
from eventsourcing.utils import retry
from psycopg import sql
from psycopg_pool import PoolTimeout

from store.outage import Breaker, StoreUnavailable
from store.settings import Settings

BATCH_STATEMENT_TIMEOUT = 60.0


class Pool(library.ConnectionPool):
    """A connection pool whose ``connection()`` fails fast during an outage and never hands out a broken connection."""

    def __init__(self, settings: Settings, name: str, **kwargs: Any) -> None:
        super().__init__(
            timeout=settings.pool_timeout,
            max_idle=settings.max_idle,
            max_lifetime=settings.max_lifetime,
            reconnect_timeout=settings.reconnect_timeout,
            name=name,
            open=False,
            **kwargs,
        )
        self.breaker = Breaker(name, settings.probe_interval)

    @contextmanager
    def connection(self, timeout: float | None = None) -> Iterator[Any]:
        conn = self.checkout(self.timeout if timeout is None else timeout)
        try:
            with conn:
                yield conn
        finally:
            self.putconn(conn)

    def checkout(self, timeout: float) -> Any:
        """A connection that answered a ping, within ``timeout``; ``StoreUnavailable`` otherwise."""
        self.breaker.check()
        deadline = time.monotonic() + timeout
        for _ in range((self.max_size or self.min_size) + 2):
            try:
                conn = self.getconn(max(deadline - time.monotonic(), 0.001))
            except PoolTimeout as error:
                self.breaker.trip(error)
                message = f"no database connection within {timeout:g} s"
                raise StoreUnavailable(message, self.breaker.probe_interval) from error
            try:
                self.check_connection(conn)
            except Exception:
                self.putconn(conn)  # (broken: the pool closes it and connects a new one)
                continue
            self.breaker.reset()
            return conn
        error = StoreUnavailable("every database connection was broken", self.breaker.probe_interval)
        self.breaker.trip(error)
        raise error


def adopt(datastore: library.PostgresDatastore, settings: Settings) -> None:
    """Give the library's datastore one of our pools, with the sizes it chose (before it has connected).

    The library builds its pool inline, with a 30 s wait, no statement timeout, and a
    reconnection that backs off for minutes; its recorders retry a failed read ten times.
    """
    built = datastore.pool
    datastore.pool = Pool(
        settings,
        f"events:{settings.application_name}",
        connection_class=built.connection_class,
        kwargs={**built.kwargs, **settings.session()},
        min_size=built.min_size,
        max_size=built.max_size,
        max_waiting=built.max_waiting,
        configure=datastore.after_connect_func(),
        get_password_func=built.get_password_func,
    )


class PostgresFactory(library.PostgresFactory):
    """The library's factory, with the pool of ``adopt`` (``store.database.env_for`` names it)."""

    def __init__(self, env: Any) -> None:
        super().__init__(env)
        settings = Settings.read(self.env.get)
        adopt(self.datastore, settings)
        self.datastore.pool.open(wait=True, timeout=max(settings.connect_timeout, settings.pool_timeout) + 2)


def view_pool(env: dict[str, str], get: Callable[[str], str | None]) -> Pool:
    """The views' pool (``env`` from ``store.database.env_for``), opened: autocommit, in the URL's schema."""
    settings = Settings.read(get)
    schema = env.get("POSTGRES_SCHEMA") or "public"

    def configure(conn: Any) -> None:
        conn.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(schema)))

    size = int(env.get("POSTGRES_POOL_SIZE") or get("POSTGRES_POOL_SIZE") or 5)
    overflow = int(env.get("POSTGRES_MAX_OVERFLOW") or get("POSTGRES_MAX_OVERFLOW") or 10)
    pool = Pool(
        settings,
        f"views:{settings.application_name}",
        kwargs={
            "host": env["POSTGRES_HOST"],
            "port": env["POSTGRES_PORT"],
            "user": env["POSTGRES_USER"],
            "password": env["POSTGRES_PASSWORD"],
            "dbname": env["POSTGRES_DBNAME"],
            "autocommit": True,
            **settings.session(),
        },
        min_size=1,
        max_size=max(1, size + overflow),
        configure=configure,
    )
    pool.open(wait=True, timeout=max(settings.connect_timeout, settings.pool_timeout) + 2)
    return pool


def batch_statement_timeout(get: Callable[[str], str | None]) -> float:
    return max(BATCH_STATEMENT_TIMEOUT, Settings.read(get).statement_timeout)


READ_ATTEMPTS = 2
"""Tries of a read (the library's recorders make ten, 0.2 s apart: over 2 s of a request, on top of the waits)."""


def tried(method: Callable[..., Any], attempts: int = READ_ATTEMPTS) -> Callable[..., Any]:
    """The library's recorder ``method`` without its retry decorator, retried ``attempts - 1`` times after 0.1 s.

    A broken pooled connection is already replaced at checkout, so one more try is enough;
    ``StoreUnavailable`` is never retried. Writes get one try (``attempts=1``): a write whose
    answer was lost may have been recorded, so repeating it is the client's call.
    """
    inner = getattr(method, "__wrapped__", method)
    if attempts <= 1:
        return inner
    return retry((InterfaceError, OperationalError), max_attempts=attempts, wait=0.1)(inner)
