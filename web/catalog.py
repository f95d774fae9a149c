"""``python -m web.catalog``: bring both catalogs up to what the code and templates use.

Extracts every message (``_``, ``gettext``, ``lazy_gettext``, ``lazy_pgettext`` with its context)
from ``web/`` and, if given, other folders (``python -m web.catalog api projections``), adds the new
ones to both ``messages.po`` (sorted, so parallel changes merge) with the English msgstr the
msgid. Entries are never dropped: some are looked up by text the domain makes (the gates' reasons).
The Chinese msgstr of a new entry stays empty until a person writes it: ``tests/web/test_catalog.py`` fails until then.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).parent.parent
TRANSLATIONS = Path(__file__).parent / "translations"
KEYWORDS = {
    "_": None, "gettext": None, "lazy_gettext": None, "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2), "lazy_pgettext": ((1, "c"), 2),
}  # fmt: skip
METHODS = [("**/templates/**.html", "jinja2"), ("**.py", "python")]


def used(folders: list[str]) -> Catalog:
    template = Catalog()
    for folder in folders:
        for _file, _line, message, _comments, context in extract_from_dir(ROOT / folder, METHODS, keywords=KEYWORDS):
            template.add(message, None, context=context)
    from web import glossary, sentences  # their words are made by a helper, out of the extractor's sight

    groups = [*glossary.GROUPS.values(), glossary.EVENTS, {"other": glossary.OTHER_EVENT}]
    for group in groups:
        for lazy in group.values():
            context, message = lazy._args
            template.add(message, None, [], context=context)
    for message in sentences.templates():
        template.add(message, None, [], context=sentences.CONTEXT)
    return template


def update(folders: list[str]) -> None:
    template = used(folders)
    for po in sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po")):
        with po.open("rb") as source:
            catalog = read_po(source)
        english = catalog.locale is not None and catalog.locale.language == "en"
        for message in template:
            if message.id and catalog.get(message.id, message.context) is None:
                catalog.add(message.id, message.id if english else "", context=message.context)
        with po.open("wb") as target:
            write_po(target, catalog, sort_output=True, omit_header=False, no_location=True, width=120)


if __name__ == "__main__":
    update(["web", *sys.argv[1:]])
