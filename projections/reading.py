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
SUMMARY = "id, code, name, customer, state, project_manager, department, due, project_id, version"
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

    def where(
        self,
        kind: str,
        clauses: Sequence[tuple[str, tuple]] = (),
        order: str = "id",
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Any]:
        """The matching aggregates' states; ``limit``/``offset``: one page of them."""
        sql, params = self.query(kind, clauses, order)
        if limit is not None:
            sql, params = f"{sql} LIMIT ? OFFSET ?", [*params, limit, offset]
        return [decode(self.mapper, row) for row in self.store.execute(sql, params)]

    def ids(self, kind: str, clauses: Sequence[tuple[str, tuple]] = ()) -> list[str]:
        """The ids matching, without decoding any state (lists of ids for further queries)."""
        where, params = conditions(kind, clauses)
        return [row[0] for row in self.store.execute(f"SELECT id FROM view_aggregates WHERE {where}", params)]

    def summaries(
        self, kind: str, clauses: Sequence[tuple[str, tuple]], order: str, limit: int, offset: int = 0
    ) -> tuple[list[dict[str, Any]], bool]:
        """One page of the view's columns only (no state decoded: a project's state holds its whole
        history of meetings and changes), and whether more follow. Projects: ``phase`` is the state."""
        where, params = conditions(kind, clauses)
        rows = self.store.execute(
            f"SELECT {SUMMARY} FROM view_aggregates WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?",
            [*params, limit + 1, offset],
        )
        names = SUMMARY.split(", ")
        found = [dict(zip(names, row, strict=True)) for row in rows[:limit]]
        for item in found:
            item["phase"] = item["state"]
        return found, len(rows) > limit

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
        where, params = conditions(kind, clauses)
        return f"SELECT {COLUMNS} FROM view_aggregates WHERE {where} ORDER BY {order}", params

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


def conditions(kind: str, clauses: Sequence[tuple[str, tuple]]) -> tuple[str, list[Any]]:
    """``clauses``: (SQL condition with ``?``, its parameters), all ANDed with the kind's."""
    where = ["kind = ?", *(clause for clause, _ in clauses)]
    return " AND ".join(where), [kind, *(value for _, values in clauses for value in values)]


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
