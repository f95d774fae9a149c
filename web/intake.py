"""新建项目 / New project: sales registers a project — service information, requirements of the three
kinds, source documents — through the API's ``ProjectIn`` and ``Tracker.register_project``.

Only sales is offered the page and its link; a POST from anyone else still goes to the command,
which refuses it (403) and records nothing.
"""

from __future__ import annotations

import re
from typing import Any

from flask import g, redirect, render_template, request, url_for
from flask_babel import lazy_pgettext
from werkzeug.datastructures import MultiDict

from api.schemas.projects import ProjectIn
from domain.intake import CHANNELS, REQUIREMENT_KINDS, SOURCE_KINDS
from domain.roles import SALES
from web import form_rows, glossary, refusals
from web.blueprint import bp
from web.forms import Result, Step, Values, perform

CHANNEL_WORDS = {
    "inbound_hotline": lazy_pgettext("channel", "Inbound hotline"),
    "outbound": lazy_pgettext("channel", "Outbound calls"),
    "online_chat": lazy_pgettext("channel", "Online chat"),
    "email": lazy_pgettext("channel", "E-mail"),
    "social": lazy_pgettext("channel", "Social messages"),
}
SOURCE_WORDS = {
    "proposal": lazy_pgettext("source", "Proposal"),
    "tender": lazy_pgettext("source", "Tender"),
    "contract": lazy_pgettext("source", "Service contract"),
    "requirement_list": lazy_pgettext("source", "Requirement list"),
}
REQUIREMENT_ROWS = ("requirements", (("kind", "text", "source"), ("text", "source")))
SOURCE_ROWS = ("sources", (("kind", "reference"), ("reference",)))
LISTS = dict([REQUIREMENT_ROWS, SOURCE_ROWS])
SEPARATORS = re.compile(r"[,，、;；\n]+")
SERVICE_TEXT = ("daily_start", "daily_end")
SERVICE_COUNTS = ("days_per_week", "seats")


def count(text: str) -> int | str:
    """A typed whole number as a number (the schema wants one); anything else as typed, for the schema to refuse."""
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else text


def given(row: dict[str, str]) -> dict[str, str]:
    return {column: value for column, value in row.items() if value}


def intake_body(form: Values) -> dict[str, Any]:
    """``ProjectIn``'s raw body from the form (rows already renumbered, blank ones gone)."""
    body: dict[str, Any] = {key: form.get(key, "").strip() for key in ("code", "name", "customer")}
    body = {key: value for key, value in body.items() if value}
    service: dict[str, Any] = {}
    if form.getlist("service.channels"):
        service["channels"] = form.getlist("service.channels")
    for key in SERVICE_TEXT + SERVICE_COUNTS:
        value = form.get(f"service.{key}", "").strip()
        if value:
            service[key] = count(value) if key in SERVICE_COUNTS else value
    languages = [part.strip() for part in SEPARATORS.split(form.get("service.languages", "")) if part.strip()]
    if languages:
        service["languages"] = languages
    body["service"] = service
    for name, (columns, meaningful) in LISTS.items():
        body[name] = [given(row) for row in form_rows.posted_rows(form, name, columns, meaningful)]
    return body


REGISTER = Step(
    "register_project", "register_project", word="new_project", schema=ProjectIn, parse=intake_body, versioned=False
)


def choices() -> dict[str, Any]:
    return {
        "channels": {channel: CHANNEL_WORDS.get(channel, channel) for channel in CHANNELS},
        "requirement_kinds": {kind: glossary.word("review_item", f"{kind}_requirements") for kind in REQUIREMENT_KINDS},
        "source_kinds": {kind: SOURCE_WORDS.get(kind, kind) for kind in SOURCE_KINDS},
    }


def intake_page(values: Values, result: Result | None = None, status: int = 200):  # type: ignore[no-untyped-def]
    page = render_template(
        "new_project.html",
        allowed=g.person.actor.role == SALES,
        values=values,
        result=result,
        rows={name: form_rows.row_count(values, name) for name in LISTS},
        **choices(),
    )
    return page, status


@bp.route("/projects/new", methods=["GET", "POST"])
def new_project():  # type: ignore[no-untyped-def]
    if request.method == "GET":
        if g.person.actor.role != SALES:
            return intake_page(MultiDict(), Result(status=403, message=str(refusals.BY_KIND["not_allowed"])), 403)
        return intake_page(MultiDict())
    form = form_rows.renumbered(request.form, LISTS)
    result = perform(REGISTER, [], form)
    if not result.ok:
        return intake_page(form, result, result.status)
    return redirect(url_for("web.project", project_id=result.outcome.id, after=result.outcome.position))
