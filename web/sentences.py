"""The audit log's sentences in the reader's language: ``projections.summary``'s English sentences
are catalog entries (context ``audit``), and every code in them is a glossary word.

Pages use the page's language; the API uses ``Accept-Language`` and keeps its English (the
sentences as written, codes as they are: ``summary.PLAIN``) unless Chinese is asked for.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import get_locale, pgettext

from projections.summary import FRAGMENTS, LINE, PLAIN, SENTENCES, Words
from web import glossary
from web.i18n import format_day

CONTEXT = "audit"


class CatalogWords:
    """``Words`` from the catalog, in the locale of the request."""

    def sentence(self, template: str) -> str:
        return pgettext(CONTEXT, template)

    def word(self, group: str, code: Any) -> str:
        if group == "event":
            return str(glossary.event_name(str(code)))
        return str(glossary.word(group, code))

    def day(self, value: date) -> str:
        return format_day(value)


CATALOG = CatalogWords()


def page_words() -> Words:
    return CATALOG


def api_words() -> Words:
    """Chinese sentences when ``Accept-Language`` asks for them, else the API's English as always."""
    return CATALOG if get_locale() is not None and get_locale().language == "zh" else PLAIN


def templates() -> list[str]:
    """Every sentence and piece of one, as catalog entries (``python -m web.catalog`` adds them)."""
    return [LINE, *FRAGMENTS, *SENTENCES.values()]
