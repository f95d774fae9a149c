"""历史记录 / History: one aggregate's events (who, role, when, what, why), and 按时间查看 / As of: the
aggregate as it was at a chosen date or time, read from the events (``Tracker``'s time travel).

Kinds are the API's (``projects``, ``tickets``, ``reviews``), read as in the API: a department lead
reads only their own department's tickets (403 otherwise), and an event carrying figures the reader
may not read (``domain.reading_rights``) shows who and when but not what. A project as of a time
shows its phase, the plan in force and the go-live gates then.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import current_app, g, render_template, request
from flask_babel import gettext

from domain import gates, reading_rights
from domain.errors import NotFound, NotYetCreated
from projections.summary import event_data, summary
from web.blueprint import bp
from web.home import offset_asked
from web.moments import typed_moment
from web.sentences import page_words

KINDS = {"projects": "project", "tickets": "ticket", "reviews": "trial review"}
WHY_FIELDS = ("reason", "comments", "why", "description", "summary")
PAGE_SIZE = 50


def tracker() -> Any:
    return current_app.extensions["tracker"]


def why(event: Any) -> str:
    """What the person gave as the reason, when the event carries one (their own words)."""
    data = event_data(event)
    return next((str(data[name]) for name in WHY_FIELDS if isinstance(data.get(name), str) and data[name]), "")


def timeline(aggregate_id: UUID, after: int, current: Any) -> list[dict[str, Any]]:
    """A page of the events after version ``after`` (one more than shown: whether a next page exists);
    what an event says and why are withheld from a reader who may not read its figures."""
    words, actor = page_words(), g.person.actor
    withheld = gettext("Withheld: figures your role may not read.")
    rows = []
    for event in tracker().history(aggregate_id, after, PAGE_SIZE + 1):
        shown = reading_rights.may_read_event(actor, event, current)
        rows.append(
            {
                "time": event.timestamp,
                "actor": event.actor,
                "role": event.role,
                "type": type(event).__name__,
                "what": summary(event, words) if shown else withheld,
                "why": why(event) if shown else "",
                "version": event.originator_version,
            }
        )
    return rows


def project_then(project_id: UUID, when: Any) -> dict[str, Any]:
    project = tracker().project_at(project_id, when)
    by_id = tracker().ticket_states(project, as_of=when)
    states = {entry.requirement_ref: by_id[entry.id] for entry in project.tickets if entry.active and entry.id in by_id}
    plan = tracker().plan_in_force(project_id, when)
    reviews = tracker().reviews_at(project, when)
    return {"aggregate": project, "gates": gates.go_live_readiness(project, states, reviews), "plan": plan}


def as_it_was(kind: str, aggregate_id: UUID, when: Any) -> dict[str, Any]:
    if kind == "projects":
        return project_then(aggregate_id, when)
    if kind == "tickets":
        return {"aggregate": tracker().ticket_as_it_was(aggregate_id, tracker().version_at(aggregate_id, when))}
    return {"aggregate": tracker().review_as_it_was(aggregate_id, tracker().version_at(aggregate_id, when))}


def now(kind: str, aggregate_id: UUID) -> Any:
    load = {"projects": "project_as_it_was", "tickets": "ticket_as_it_was", "reviews": "review_as_it_was"}[kind]
    return getattr(tracker(), load)(aggregate_id, None)


@bp.route("/<any(projects, tickets, reviews):kind>/<uuid:aggregate_id>/history")
def history(kind: str, aggregate_id: UUID):  # type: ignore[no-untyped-def]
    current = now(kind, aggregate_id)  # NotFound → the 404 page
    if kind == "tickets" and not reading_rights.may_read(g.person.actor, "tickets", department=current.department):
        return render_template("message.html", message_key="forbidden"), 403
    day, at = request.args.get("as_of", "").strip(), request.args.get("at", "").strip()
    asked = f"{day}T{at}" if day and at else day
    when = typed_moment(asked, end_of_day=True) if asked else None
    then, status, problem = None, 200, None
    if asked and when is None:
        status, problem = 422, "unreadable"
    elif when is not None:
        try:
            then = as_it_was(kind, aggregate_id, when)
        except NotYetCreated:
            status, problem = 404, "not_yet"
        except NotFound:
            status, problem = 404, "not_yet"
    after = offset_asked()
    events = timeline(aggregate_id, after, current)
    page = render_template(
        "history.html",
        kind=kind,
        current=current,
        events=events[:PAGE_SIZE],
        next_offset=after + PAGE_SIZE if len(events) > PAGE_SIZE else None,
        then=then,
        when=when,
        typed={"as_of": day, "at": at},
        problem=problem,
    )
    return page, status
