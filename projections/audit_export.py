"""The audit log taken away: CSV for Excel (UTF-8 with BOM) or JSON lines, one event per row."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from projections.summary import describe_row

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


def as_csv(mapper: Any, rows: Iterable[dict[str, Any]]) -> str:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        item = describe_row(mapper, row)
        item["time_utc"] = item["time"].isoformat()
        writer.writerow([item[column] for column in CSV_COLUMNS])
    return out.getvalue()


def as_jsonl(mapper: Any, rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    for row in rows:
        yield json.dumps(describe_row(mapper, row), ensure_ascii=False, default=_plain) + "\n"


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)
