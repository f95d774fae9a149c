"""What the application needs of the event store, as typed interfaces (``store/`` implements them).

The domain names the store only here, by one topic (``STORE_SETUP``) that the library's own
``resolve_topic`` turns into the store's set-up, the way the library names its persistence
modules: so ``domain/`` imports nothing of SQL, files or the library's persistence.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any, Protocol, runtime_checkable
from uuid import UUID

from eventsourcing.utils import resolve_topic

STORE_SETUP = "store.database:StoreSetup"
"""The store's set-up (``store/database.py``): a ``StoreSetup`` made from a database URL."""


@runtime_checkable
class TimeIndex(Protocol):
    """The time index written with the events (``event_times``): versions as of a time."""

    def version_at(self, originator_id: UUID, when: datetime) -> int | None:
        """The last version written at or before ``when`` (None: none indexed then)."""

    def versions_at(self, originator_ids: Sequence[UUID], when: datetime) -> dict[str, int]:
        """``version_at`` of several aggregates in one query (id as text → version)."""

    def written_at(self, originator_id: UUID, version: int) -> str | None:
        """The indexed time of one version (fixed-width UTC text), None if it has no row."""


class StoreSetup(Protocol):
    """The event store chosen by a database URL, as the application is built on it."""

    env: dict[str, str]
    """The library's environment variables for the store (persistence module, recorder…)."""
    conflict: type[Exception]
    """What a write raises when another wrote the same aggregate version first."""

    def construct_factory(self, env: Any) -> Any:
        """The library's infrastructure factory for ``env`` (None: the library's own choice)."""

    def register_transcodings(self, transcoder: Any) -> None:
        """Add the store's transcodings (calendar dates…) to the application's transcoder."""

    def snapshot_store(self, store: Any, recorder: Any) -> Any:
        """The snapshot store, its recorder swapped where the store reads faster (PostgreSQL)."""

    def time_index(self, recorder: Any) -> TimeIndex:
        """The application recorder's time index."""

    def counts_started_between(
        self, recorder: Any, mapper: Any, starts: Mapping[str, str], earliest: date, latest: date
    ) -> list[tuple[str, UUID]]:
        """(kind, id), once each, of aggregates whose working-day count started from ``earliest`` to
        ``latest``, read from the log's events of topics ``starts`` (topic → kind)."""


def store_setup(database_url: str | None) -> StoreSetup:
    """The store's set-up for ``database_url`` (None: ``DATABASE_URL`` or the default)."""
    return resolve_topic(STORE_SETUP)(database_url)
