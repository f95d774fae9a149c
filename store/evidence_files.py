"""Uploaded files, content-addressed by SHA-256, in the events' own database (``files``).

The table sits beside the events (the same SQLite file or PostgreSQL schema; the in-memory store
keeps it for the life of the process) and is created with the view tables (``store.views.TABLES``,
under PostgreSQL's advisory lock). It is not a view: never emptied, never rebuilt. The same
content uploaded twice is one row (the first upload's name and time are kept); everyone who
uploaded it is in ``file_uploaders``, as an unreferenced file is readable only by them. Which
events reference a file is the ``audit`` projection's ``view_file_references``.

``check`` is the file half of ``audit verify``: every file an event references is read back and
re-hashed; a row gone is ``missing``, content that no longer hashes to its name ``changed``.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import closing
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from eventsourcing.utils import resolve_topic

from domain.evidence import files_of
from store.views import ViewStore, select_in

PAGE = 5000
META = "sha256, size, content_type, name, uploaded_by, uploaded_at"


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int
    content_type: str
    name: str
    uploaded_by: str
    uploaded_at: str

    def as_dict(self) -> dict[str, Any]:
        return {"sha256": self.sha256, "size": self.size, "content_type": self.content_type, "name": self.name}


@dataclass(frozen=True)
class Reference:
    """An event that references a file: where it is, and which aggregate (and project) it is evidence of."""

    sha256: str
    position: int
    aggregate_id: str
    project_id: str | None
    type: str
    department: str | None = None
    """The department of the event's actor (the lead who recorded it), as the audit log has it."""


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def uploader_key(user: str) -> str:
    """Names match as ``UserAccess`` ids do: case and surrounding blanks ignored."""
    return user.strip().casefold()


class FileStore:
    """The uploaded files (``domain.evidence.FileCatalog`` for the commands)."""

    def __init__(self, store: ViewStore) -> None:
        self.store = store

    def add(self, content: bytes, content_type: str, name: str, user: str) -> StoredFile:
        """Store the file (once per content) and who uploaded it; answer what the catalog holds."""
        sha = sha256_of(content)
        now = datetime.now(UTC).isoformat()
        with self.store.transaction() as cursor:
            cursor.execute(
                self.store.sql("INSERT INTO files VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING"),
                (sha, len(content), content_type, name, user, now, content),
            )
            cursor.execute(
                self.store.sql("INSERT INTO file_uploaders VALUES (?, ?) ON CONFLICT (sha256, user_key) DO NOTHING"),
                (sha, uploader_key(user)),
            )
        stored = self.meta(sha)
        assert stored is not None
        return stored

    def unknown(self, hashes: Sequence[str]) -> list[str]:
        known = {row[0] for row in select_in(self.store, "SELECT sha256 FROM files", "sha256", list(hashes))}
        return [sha for sha in hashes if sha not in known]

    def meta(self, sha: str) -> StoredFile | None:
        rows = self.store.execute(f"SELECT {META} FROM files WHERE sha256 = ?", (sha,))
        return StoredFile(*rows[0]) if rows else None

    def metas(self, hashes: Sequence[str]) -> dict[str, StoredFile]:
        rows = select_in(self.store, f"SELECT {META} FROM files", "sha256", list(hashes))
        return {row[0]: StoredFile(*row) for row in rows}

    def content(self, sha: str) -> bytes | None:
        rows = self.store.execute("SELECT content FROM files WHERE sha256 = ?", (sha,))
        return bytes(rows[0][0]) if rows else None

    def uploaded_by(self, sha: str, user: str) -> bool:
        rows = self.store.execute(
            "SELECT 1 FROM file_uploaders WHERE sha256 = ? AND user_key = ?", (sha, uploader_key(user))
        )
        return bool(rows)

    def references(self, sha: str) -> list[Reference]:
        rows = self.store.execute(
            "SELECT r.sha256, r.position, r.aggregate_id, r.project_id, r.type, a.department "
            "FROM view_file_references r LEFT JOIN view_audit a ON a.position = r.position "
            "WHERE r.sha256 = ? ORDER BY r.position",
            (sha,),
        )
        return [Reference(*row) for row in rows]

    def evidence_of(self, aggregate_id: str) -> list[tuple[Reference, StoredFile | None]]:
        """The files the aggregate's events reference, oldest first, each with what the catalog says of it."""
        rows = self.store.execute(
            "SELECT sha256, position, aggregate_id, project_id, type FROM view_file_references "
            "WHERE aggregate_id = ? ORDER BY position, sha256",
            (aggregate_id,),
        )
        references = [Reference(*row) for row in rows]
        metas = self.metas(sorted({ref.sha256 for ref in references}))
        return [(ref, metas.get(ref.sha256)) for ref in references]

    def restore_from(self, backup: str | Path) -> int:
        """Put back the files of a backup file (``store.backup``) into this store; how many it holds."""
        with closing(sqlite3.connect(backup)) as source:
            tables = {row[0] for row in source.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "files" not in tables:
                return 0
            with self.store.transaction() as cursor:
                rows = source.execute(f"SELECT {META}, content FROM files")
                insert = "INSERT INTO files VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING"
                while page := rows.fetchmany(100):
                    cursor.executemany(self.store.sql(insert), page)
                if "file_uploaders" in tables:
                    rows = source.execute("SELECT sha256, user_key FROM file_uploaders")
                    insert = "INSERT INTO file_uploaders VALUES (?, ?) ON CONFLICT (sha256, user_key) DO NOTHING"
                    while page := rows.fetchmany(1000):
                        cursor.executemany(self.store.sql(insert), page)
            return source.execute("SELECT COUNT(*) FROM files").fetchone()[0]

    def check(self, recorder: Any, mapper: Any) -> FileCheck:
        """Re-hash every file an event references (each once)."""
        referenced = dict.fromkeys(sha for event in _events_with_files(recorder, mapper) for sha in files_of(event))
        problems = []
        for sha in referenced:
            content = self.content(sha)
            if content is None:
                problems.append({"sha256": sha, "problem": "missing"})
            elif sha256_of(content) != sha:
                problems.append({"sha256": sha, "problem": "changed"})
        return FileCheck(len(referenced), problems)


@dataclass(frozen=True)
class FileCheck:
    checked: int
    problems: list[dict[str, str]]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _events_with_files(recorder: Any, mapper: Any) -> Iterator[Any]:
    """The log's events of classes that can reference files (only those are decoded)."""
    can_reference: dict[str, bool] = {}
    start = 1
    while page := recorder.select_notifications(start, PAGE):
        for notification in page:
            topic = notification.topic
            if topic not in can_reference:
                fields = getattr(resolve_topic(topic), "__dataclass_fields__", {})
                can_reference[topic] = "files" in fields
            if can_reference[topic]:
                yield mapper.to_domain_event(notification)
        start = page[-1].id + 1
