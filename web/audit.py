"""审计日志 / Audit log: every event, newest first, filtered like the API's audit endpoint (actor, role,
department, event type, time), each a sentence in the page's language; the chain's verification on
request; the CSV of the same rows with headers in the page's language (auditor, operations director).
"""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, g, render_template, request
from flask_babel import lazy_gettext
from marshmallow import ValidationError

from api.audit_cli import audit_keys
from api.schemas.views import AuditQuery
from domain.roles import AUDITOR, OPERATIONS_DIRECTOR, ROLES
from projections.audit_export import CSV_COLUMNS, as_csv
from projections.audit_log import audit_rows
from projections.summary import SENTENCES, describe_row
from store import checkpoints
from web import glossary
from web.blueprint import bp
from web.home import views
from web.moments import typed_moment
from web.sentences import page_words

PAGE_SIZE = 50
READERS = (AUDITOR, OPERATIONS_DIRECTOR)
TEXT_FILTERS = ("actor", "role", "department", "type")
CSV_HEADERS = {
    "position": lazy_gettext("Position"), "time_shanghai": lazy_gettext("Time (Shanghai)"),
    "time_utc": lazy_gettext("Time (UTC)"), "actor": lazy_gettext("Who"), "role": lazy_gettext("Role"),
    "department": lazy_gettext("Department"), "project_id": lazy_gettext("Project id"),
    "aggregate_id": lazy_gettext("Record id"), "type": lazy_gettext("Event type"), "summary": lazy_gettext("What"),
}  # fmt: skip


def refused() -> tuple[str, int]:
    return render_template("message.html", message_key="forbidden"), 403


def filters() -> tuple[dict[str, Any], dict[str, str], bool]:
    """The filters asked for, loaded by the API's own query schema; what was typed; whether it was all readable."""
    typed = {name: request.args.get(name, "").strip() for name in (*TEXT_FILTERS, "since", "until")}
    raw: dict[str, Any] = {name: typed[name] for name in TEXT_FILTERS if typed[name]}
    since, until = typed_moment(typed["since"], False), typed_moment(typed["until"], True)
    readable = (since is not None or not typed["since"]) and (until is not None or not typed["until"])
    raw.update({name: moment.isoformat() for name, moment in (("since", since), ("until", until)) if moment})
    try:
        loaded = AuditQuery().load(raw)
    except ValidationError:
        return {}, typed, False
    return {name: loaded[name] for name in (*TEXT_FILTERS, "since", "until") if name in loaded}, typed, readable


def cursor() -> int | None:
    before = request.args.get("before", "")
    return int(before) if before.isascii() and before.isdigit() and len(before) < 19 else None


@bp.route("/audit")
def audit():  # type: ignore[no-untyped-def]
    if g.person.actor.role not in READERS:
        return refused()
    chosen, typed, readable = filters()
    rows = audit_rows(views().store, chosen, PAGE_SIZE + 1, cursor()) if readable else []
    mapper, words = current_app.extensions["tracker"].mapper, page_words()
    items = [describe_row(mapper, row, words) for row in rows[:PAGE_SIZE]]
    verification = None
    if request.args.get("verify"):
        verification = checkpoints.audit(current_app.extensions["tracker"].recorder, audit_keys())
    return render_template(
        "audit.html",
        items=items,
        typed=typed,
        readable=readable,
        next_before=rows[PAGE_SIZE - 1]["position"] if len(rows) > PAGE_SIZE else None,
        roles=ROLES,
        departments=list(glossary.DEPARTMENTS),
        types=sorted(SENTENCES, key=lambda kind: str(glossary.event_name(kind))),
        verification=verification,
        query={name: value for name, value in typed.items() if value},
    )


@bp.route("/audit/export")
def export_csv():  # type: ignore[no-untyped-def]
    """The CSV of every row the filters match (as the API's ``?format=csv``), in the page's language."""
    if g.person.actor.role not in READERS:
        return refused()
    chosen, _typed, readable = filters()
    rows = audit_rows(views().store, chosen) if readable else []
    headers = [str(CSV_HEADERS[column]) for column in CSV_COLUMNS]
    text = as_csv(current_app.extensions["tracker"].mapper, rows, page_words(), headers)
    disposition = {"Content-Disposition": "attachment; filename=audit-log.csv"}
    return Response(text.encode("utf-8"), mimetype="text/csv", headers=disposition)
