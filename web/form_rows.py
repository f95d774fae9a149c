"""Repeated rows of a form (a project's requirements and sources, a plan's requirements).

A page offers a few rows named ``<list>.<n>.<column>``; rows left blank are not sent, and the rest
are numbered again from 0 — the numbering the command's errors use (``requirements.0.text``) — so a
refused form is shown again with each message beside the row it is about.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from werkzeug.datastructures import MultiDict

SPARE_ROWS = 2
"""Blank rows offered below the filled ones."""


def posted_rows(
    form: Mapping[str, Any], name: str, columns: tuple[str, ...], meaningful: tuple[str, ...]
) -> list[dict[str, str]]:
    """The rows of list ``name`` in the order offered, those whose ``meaningful`` columns are all blank left out."""
    numbers = sorted(
        {int(key.split(".")[1]) for key in form if key.startswith(f"{name}.") and key.split(".")[1].isdigit()}
    )
    rows = []
    for number in numbers[:500]:
        row = {column: str(form.get(f"{name}.{number}.{column}", "")).strip() for column in columns}
        if any(row[column] for column in meaningful):
            rows.append(row)
    return rows


def renumbered(form: MultiDict, lists: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]]) -> MultiDict:
    """The posted form with each list's blank rows dropped and the others numbered from 0.

    ``lists``: list name → (its columns, the columns whose text makes a row not blank).
    """
    kept = MultiDict([(key, value) for key, value in form.items(multi=True) if key.split(".")[0] not in lists])
    for name, (columns, meaningful) in lists.items():
        for number, row in enumerate(posted_rows(form, name, columns, meaningful)):
            for column, value in row.items():
                kept.add(f"{name}.{number}.{column}", value)
    return kept


def row_count(values: Mapping[str, Any], name: str) -> int:
    """How many rows of ``name`` the page shows: the filled ones and ``SPARE_ROWS`` blank ones."""
    numbers = [int(key.split(".")[1]) for key in values if key.startswith(f"{name}.") and key.split(".")[1].isdigit()]
    return (max(numbers) + 1 if numbers else 0) + SPARE_ROWS
