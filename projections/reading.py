"""Reading the view tables back: aggregate states as objects, pages of rows."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from domain.errors import InvalidInput, NotFound
from domain.working_days import WorkingDays
from store.codecs import decode

COLUMNS = "id, version, topic, doc"
MAX_OFFSET = 2**62
"""Far beyond any list, and still an OFFSET both databases take (with the page's LIMIT added)."""


class Reader:
    def __init__(self, store: Any, mapper: Any) -> None:
        self.store, self.mapper = store, mapper

    def one(self, kind: str, ident: UUID | str) -> Any:
        rows = self.store.execute(
            f"SELECT {COLUMNS} FROM view_aggregates WHERE id = ? AND kind = ?", (str(ident), kind)
        )
        if not rows:
            raise NotFound(kind, ident)
        return decode(self.mapper, rows[0])

    def where(self, kind: str, clauses: Sequence[tuple[str, tuple]] = (), order: str = "id") -> list[Any]:
        sql, params = self.query(kind, clauses, order)
        return [decode(self.mapper, row) for row in self.store.execute(sql, params)]

    def page(
        self, kind: str, clauses: Sequence[tuple[str, tuple]], order: str, limit: int, cursor: str | None
    ) -> tuple[list[Any], str | None]:
        """One page and the cursor of the next (None on the last page)."""
        offset = decode_cursor(cursor)
        sql, params = self.query(kind, clauses, order)
        rows = self.store.execute(f"{sql} LIMIT ? OFFSET ?", (*params, limit + 1, offset))
        more = len(rows) > limit
        items = [decode(self.mapper, row) for row in rows[:limit]]
        return items, encode_cursor(offset + limit) if more else None

    @staticmethod
    def query(kind: str, clauses: Sequence[tuple[str, tuple]], order: str) -> tuple[str, list[Any]]:
        """``clauses``: (SQL condition with ``?``, its parameters), all ANDed."""
        where = ["kind = ?", *(clause for clause, _ in clauses)]
        params = [kind, *(value for _, values in clauses for value in values)]
        return f"SELECT {COLUMNS} FROM view_aggregates WHERE {' AND '.join(where)} ORDER BY {order}", params

    def working_days(self) -> WorkingDays:
        """The calendar with every schedule recorded so far (as these views have them)."""
        return WorkingDays({c.year: c.schedule() for c in self.where("calendar")})

    def project_codes(self, project_ids: set[str]) -> dict[str, str]:
        if not project_ids:
            return {}
        marks = ", ".join("?" for _ in project_ids)
        rows = self.store.execute(f"SELECT id, code FROM view_aggregates WHERE id IN ({marks})", tuple(project_ids))
        return dict(rows)

    def project_phases(self, project_ids: set[str]) -> dict[str, str]:
        if not project_ids:
            return {}
        marks = ", ".join("?" for _ in project_ids)
        sql = f"SELECT id, state FROM view_aggregates WHERE kind = 'project' AND id IN ({marks})"
        return dict(self.store.execute(sql, tuple(project_ids)))


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o:{offset}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, _, value = text.partition(":")
        if kind != "o" or not (value.isascii() and value.isdigit()) or int(value) > MAX_OFFSET:
            raise ValueError(cursor)
        return int(value)
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput({"cursor": "not a cursor this API gave out"}) from None
