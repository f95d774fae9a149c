"""The notifications' words, from the pages' catalogs (context "notification"), in the recipient's language.

One entry per rule of ``projections/notify_rules.py``: a subject and a text with ``{field}``
places filled from the delivery's facts (ticket ``ref``, ``title``, ``department``, ``due``;
``project_code``, ``project_name``; the event's ``n``, ``outcome``, ``go_live_on``, ``month``,
``kind``, ``notice_on``, ``effective_on``; an assessment's ``report_due``). A new rule
adds its pair here, then ``python -m web.catalog`` and the msgstr in both catalogs.
Rendered outside any request (the delivery process), so the compiled catalogs are read directly.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from babel import Locale
from babel.support import Translations
from flask_babel import lazy_pgettext

from web.glossary import ASSESSMENT_OUTCOMES, DEPARTMENTS, OUTCOMES, REQUEST_KINDS
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
    "assessment_failed": (
        lazy_pgettext("notification", "{project_code}: the assessment of {month} failed"),
        lazy_pgettext(
            "notification",
            "Project {project_code} {project_name} missed its KPI targets in {month}; "
            "expect the customer's rectification notice.",
        ),
    ),
    "assessment_missing": (
        lazy_pgettext("notification", "{project_code}: no KPI report for {month}"),
        lazy_pgettext(
            "notification",
            "No KPI report of project {project_code} {project_name} covers {month}; it was due on {report_due} "
            "and the month counts as failed.",
        ),
    ),
    "rectification_notified": (
        lazy_pgettext("notification", "{project_code}: rectification {n} notified"),
        lazy_pgettext(
            "notification",
            "The customer's rectification notice {n} of project {project_code} ({month}: {outcome}) was recorded; "
            "it is due on {due}. The PM plans it, the service manager completes it.",
        ),
    ),
    "rectification_due_soon": (
        lazy_pgettext("notification", "{project_code}: rectification {n} is due on {due}"),
        lazy_pgettext(
            "notification", "Rectification {n} of project {project_code} ({month}) is due on {due} and awaits you."
        ),
    ),
    "rectification_overdue": (
        lazy_pgettext("notification", "{project_code}: rectification {n} is overdue"),
        lazy_pgettext(
            "notification", "Rectification {n} of project {project_code} ({month}) was due on {due} and awaits you."
        ),
    ),
    "request_recorded": (
        lazy_pgettext("notification", "{project_code}: customer request {n} for {department}"),
        lazy_pgettext(
            "notification", "Project {project_code} received customer request {n} ({kind}) for {department}, due {due}."
        ),
    ),
    "request_due_soon": (
        lazy_pgettext("notification", "{project_code}: customer request {n} is due on {due}"),
        lazy_pgettext(
            "notification", "Customer request {n} ({kind}) of project {project_code} ({department}) is due on {due}."
        ),
    ),
    "request_overdue": (
        lazy_pgettext("notification", "{project_code}: customer request {n} is overdue"),
        lazy_pgettext(
            "notification", "Customer request {n} ({kind}) of project {project_code} ({department}) was due on {due}."
        ),
    ),
    "termination_noticed": (
        lazy_pgettext("notification", "{project_code} ends on {effective_on}: handover"),
        lazy_pgettext(
            "notification",
            "Notice of termination of project {project_code} {project_name} was given on {notice_on}, effective "
            "{effective_on}. Each department's lead completes its handover items before the closure.",
        ),
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
    outcome = facts.get("outcome")
    if outcome in OUTCOMES:
        values["outcome"] = say(OUTCOMES[outcome])
    elif outcome in ASSESSMENT_OUTCOMES:
        values["outcome"] = say(ASSESSMENT_OUTCOMES[outcome])
    if facts.get("kind") in REQUEST_KINDS:
        values["kind"] = say(REQUEST_KINDS[facts["kind"]])
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
    "assessment_failed": lazy_pgettext("notification rule", "Assessment failed"),
    "assessment_missing": lazy_pgettext("notification rule", "KPI report missing"),
    "rectification_notified": lazy_pgettext("notification rule", "Rectification notified"),
    "rectification_due_soon": lazy_pgettext("notification rule", "Rectification due soon"),
    "rectification_overdue": lazy_pgettext("notification rule", "Rectification overdue"),
    "request_recorded": lazy_pgettext("notification rule", "Customer request recorded"),
    "request_due_soon": lazy_pgettext("notification rule", "Customer request due soon"),
    "request_overdue": lazy_pgettext("notification rule", "Customer request overdue"),
    "termination_noticed": lazy_pgettext("notification rule", "Termination noticed"),
}
"""The rules' names on the delivery log page (a rule added at a merge: its name here too)."""
STATUSES = {
    "pending": lazy_pgettext("delivery status", "Pending"),
    "sent": lazy_pgettext("delivery status", "Sent"),
    "dropped": lazy_pgettext("delivery status", "Dropped"),
}
