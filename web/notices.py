"""The notifications' words, from the pages' catalogs (context "notification"), in the recipient's language.

One entry per rule of ``projections/notify_rules.py``: a subject and a text with ``{field}``
places filled from the delivery's facts (ticket ``ref``, ``title``, ``department``, ``due``;
``project_code``, ``project_name``; the event's ``n``, ``outcome``, ``go_live_on``). A new rule
adds its pair here, then ``python -m web.catalog`` and the msgstr in both catalogs.
Rendered outside any request (the delivery process), so the compiled catalogs are read directly.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from babel import Locale
from babel.support import Translations
from flask_babel import lazy_pgettext

from web.glossary import DEPARTMENTS, OUTCOMES
from web.i18n import LANGUAGES, TRANSLATIONS

CONTEXT = "notification"
MESSAGES = {
    "ticket_issued": (
        lazy_pgettext("notification", "New ticket {ref} for {department}"),
        lazy_pgettext(
            "notification", 'Project {project_code} issued ticket {ref} "{title}" to {department}, due {due}.'
        ),
    ),
    "ticket_due_soon": (
        lazy_pgettext("notification", "Ticket {ref} is due on {due}"),
        lazy_pgettext(
            "notification", 'Ticket {ref} "{title}" of project {project_code} ({department}) is due on {due}.'
        ),
    ),
    "ticket_overdue": (
        lazy_pgettext("notification", "Ticket {ref} is overdue"),
        lazy_pgettext(
            "notification", 'Ticket {ref} "{title}" of project {project_code} ({department}) was due on {due}.'
        ),
    ),
    "alternative_escalated": (
        lazy_pgettext("notification", "Alternative {n} of ticket {ref} escalated to you"),
        lazy_pgettext(
            "notification",
            'Alternative {n} of ticket {ref} "{title}" (project {project_code}) awaits the branch head\'s decision.',
        ),
    ),
    "alternative_awaiting_pm": (
        lazy_pgettext("notification", "Alternative {n} of ticket {ref} awaits you"),
        lazy_pgettext(
            "notification",
            '{department} proposed alternative {n} for ticket {ref} "{title}" (project {project_code}); '
            "it awaits the PM.",
        ),
    ),
    "review_concluded": (
        lazy_pgettext("notification", "Trial review of {project_code} concluded"),
        lazy_pgettext(
            "notification", "The trial review of project {project_code} {project_name} concluded: {outcome}."
        ),
    ),
    "went_live": (
        lazy_pgettext("notification", "{project_code} goes live on {go_live_on}"),
        lazy_pgettext("notification", "Go-live of project {project_code} {project_name} was decided for {go_live_on}."),
    ),
}


class Blank(dict):
    """A fact a message names but the delivery lacks reads as empty rather than failing the delivery."""

    def __missing__(self, key: str) -> str:
        return ""


@cache
def translations(language: str) -> Translations:
    return Translations.load(str(TRANSLATIONS), [Locale.parse(LANGUAGES.get(language, LANGUAGES["zh-CN"]))])


def render(message: str, facts: dict[str, Any], language: str) -> tuple[str, str]:
    """(subject, text) of ``message`` in ``language`` (zh-CN or en), departments and outcomes in its words."""
    words = translations(language)

    def say(lazy: Any) -> str:
        context, msgid = lazy._args
        return words.pgettext(context, msgid)

    values = Blank(facts)
    if facts.get("department") in DEPARTMENTS:
        values["department"] = say(DEPARTMENTS[facts["department"]])
    if facts.get("outcome") in OUTCOMES:
        values["outcome"] = say(OUTCOMES[facts["outcome"]])
    subject, text = MESSAGES[message]
    return say(subject).format_map(values), say(text).format_map(values)


RULE_NAMES = {
    "ticket_issued": lazy_pgettext("notification rule", "Ticket issued"),
    "ticket_due_soon": lazy_pgettext("notification rule", "Ticket due soon"),
    "ticket_overdue": lazy_pgettext("notification rule", "Ticket overdue"),
    "alternative_escalated": lazy_pgettext("notification rule", "Alternative escalated"),
    "alternative_awaiting_pm": lazy_pgettext("notification rule", "Alternative awaiting the PM"),
    "review_concluded": lazy_pgettext("notification rule", "Trial review concluded"),
    "went_live": lazy_pgettext("notification rule", "Go-live decided"),
}
"""The rules' names on the delivery log page (a rule added at a merge: its name here too)."""
STATUSES = {
    "pending": lazy_pgettext("delivery status", "Pending"),
    "sent": lazy_pgettext("delivery status", "Sent"),
    "dropped": lazy_pgettext("delivery status", "Dropped"),
}
