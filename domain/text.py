"""Which text may be recorded: one rule for every command's text, from HTTP or the command line.

Refused: the C0 control characters except tab, line feed and carriage return (pasted
Windows text carries CR LF; all three are harmless in storage, views and the CSV export),
DEL and the C1 controls (U+007F–U+009F: never typed, invisible, and some act on terminals),
and unpaired surrogates (JSON may escape half a pair; such text cannot be stored as UTF-8).
NUL in particular cannot be stored in a PostgreSQL text column.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def text_problem(value: str) -> str | None:
    """Why ``value`` may not be recorded, or None."""
    found = REFUSED.search(value)
    if found is None:
        return None
    char = ord(found.group())
    if 0xD800 <= char <= 0xDFFF:
        return "not valid Unicode text (an unpaired surrogate escape such as \\ud800)"
    return f"contains the control character U+{char:04X} (only tab, line feed and carriage return are allowed)"


def bad_texts(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """(field path, why) for every piece of text in ``value`` (keys included) that may not be recorded."""
    if isinstance(value, str):
        problem = text_problem(value)
        if problem is not None:
            yield path or "body", problem
    elif isinstance(value, dict):
        for key, item in value.items():
            key_problem = text_problem(key) if isinstance(key, str) else None
            if key_problem is not None:
                yield path or "body", f"a field name {key_problem}"
                continue
            yield from bad_texts(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            yield from bad_texts(item, f"{path}.{i}" if path else str(i))
