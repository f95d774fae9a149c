"""The audit log taken away: CSV for Excel (UTF-8 with BOM) or JSON lines, one event per row."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from projections.summary import PLAIN, Words, describe_row

CSV_COLUMNS = (
    "position",
    "time_shanghai",
    "time_utc",
    "actor",
    "role",
    "department",
    "project_id",
    "aggregate_id",
    "type",
    "summary",
)


def as_csv(
    mapper: Any, rows: Iterable[dict[str, Any]], words: Words = PLAIN, headers: Iterable[str] = CSV_COLUMNS
) -> str:
    """``words``: the sentences' language; ``headers``: the header row (the pages name the columns in theirs)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(headers)
    for row in rows:
        item = describe_row(mapper, row, words)
        item["time_utc"] = item["time"].isoformat()
        writer.writerow([item[column] for column in CSV_COLUMNS])
    return out.getvalue()


def as_jsonl(mapper: Any, rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    for row in rows:
        yield json.dumps(describe_row(mapper, row), ensure_ascii=False, default=_plain) + "\n"


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)
