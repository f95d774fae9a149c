"""What every handler needs: the tracker, the actor, If-Match, and the command answer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID

from flask import current_app, request
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from marshmallow import Schema

from api import idempotency
from api.auth import current_actor
from api.schemas.common import AsOfQuery, CommandResult, History
from domain import reading_rights
from domain.application import Outcome, Tracker


def tracker() -> Tracker:
    return current_app.extensions["tracker"]


def expected_version() -> int | None:
    """``If-Match: <version>`` (quotes and W/ tolerated) → the version the client last saw."""
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return None
    value = header.strip().removeprefix("W/").strip('"')
    if not (value.isascii() and value.isdigit()) or len(value) > 18:
        abort(422, message="If-Match must be the version number you read", errors={"If-Match": [header]})
    return int(value)


def run(command: Callable[..., Outcome], *args: Any, versioned: bool = True, **body: Any) -> dict[str, Any]:
    """Call a command as the signed-in actor; answer id, new version, log position and extras.

    ``versioned``: the command acts on an existing aggregate, so If-Match applies.
    ``Idempotency-Key``: a retry of a recorded command answers its first answer (``api.idempotency``).
    """

    def call() -> dict[str, Any]:
        if versioned:
            body["expected_version"] = expected_version()
        outcome = command(current_actor(), *args, **body)
        return {"id": outcome.id, "version": outcome.version, "position": outcome.position, **outcome.data}

    return idempotency.once(call)


def add_command(
    blp: Blueprint,
    rule: str,
    schema: type[Schema] | None,
    method: str,
    doc: str,
    *,
    id_arg: str,
    status: int = 200,
    verb: str = "post",
    extra_args: tuple[str, ...] = (),
    body_as: str | None = None,
    today_as: str | None = None,
) -> None:
    """Register one command endpoint: path ids (+ parsed body) → the application-service method.

    ``body_as``: pass the whole body as this one argument (the plan draft) instead of as fields.
    ``today_as``: pass today in Shanghai by the app's clock (the views' clock) as this argument,
    the day a deadline in working days counts from.
    """

    def handler(self, *parsed: dict[str, Any], **path: Any) -> dict[str, Any]:
        body = parsed[0] if parsed else {}
        if body_as is not None:
            body = {body_as: body}
        if today_as is not None:
            body = {**body, today_as: current_app.extensions["views"].today()}
        ids = [path[id_arg], *(path[name] for name in extra_args)]
        return run(getattr(tracker(), method), *ids, **body)

    handler.__doc__ = doc
    decorated = blp.doc(parameters=[idempotency.PARAMETER])(blp.response(status, CommandResult)(handler))
    if schema is not None:
        decorated = blp.arguments(schema)(decorated)
    blp.route(rule)(type(f"{method}_endpoint", (MethodView,), {verb: decorated}))


def commands_on(blp: Blueprint, id_arg: str, prefix: str = "") -> Callable[..., None]:
    """``add_command`` for one blueprint: its commands act on the aggregate ``id_arg`` names,
    and their rules start with ``prefix``."""

    def command(rule: str, schema: type[Schema] | None, method: str, doc: str, **options: Any) -> None:
        add_command(blp, prefix + rule, schema, method, doc, id_arg=id_arg, **options)

    return command


def add_reads(
    blp: Blueprint,
    one: str,
    kind: str,
    schema: type[Schema],
    answer: Callable[[Any, dict[str, Any]], Any],
    noun: str | None = None,
    guard: Callable[[Any], None] | None = None,
) -> None:
    """Register ``GET one`` (now, or as it was at ``version`` / ``as_of``, with its ETag) and
    ``GET one/history`` for the ``kind`` of aggregate whose id is ``<kind>_id`` in the path and
    whose reads are ``Tracker.<kind>_as_it_was``; ``answer(aggregate, query)`` renders it.
    ``guard(aggregate)`` refuses a reader who may not read it at all
    (``domain.reading_rights``, 403); the history leaves out the data of the events the reader may
    not read."""
    id_arg, as_it_was, noun = f"{kind}_id", f"{kind}_as_it_was", noun or kind
    name = noun.title().replace(" ", "")

    def get_one(self, args: dict[str, Any], **path: Any) -> tuple[Any, dict[str, str]]:
        aggregate = read(getattr(tracker(), as_it_was), path[id_arg], args, noun)
        if guard is not None:
            guard(aggregate)
        return with_etag(aggregate, answer(aggregate, args))

    def get_history(self, **path: Any) -> dict[str, Any]:
        aggregate = getattr(tracker(), as_it_was)(path[id_arg], None)
        if guard is not None:
            guard(aggregate)
        return history(aggregate.id, aggregate)

    get_one.__doc__ = f"The {noun}, now or as it was (``version`` / ``as_of``)."
    get_history.__doc__ = f"Every event of the {noun}, oldest first."
    get_one = blp.arguments(AsOfQuery, location="query")(blp.response(200, schema)(get_one))
    blp.route(one)(type(f"One{name}", (MethodView,), {"get": get_one}))
    blp.route(f"{one}/history")(type(f"{name}History", (MethodView,), {"get": blp.response(200, History)(get_history)}))


def read(load: Callable[[UUID, int | None], Any], ident: UUID, args: dict[str, Any], what: str) -> Any:
    """An aggregate (``what``: how a 404 names it) as it is, or as it was at ``version`` / ``as_of``."""
    version = args.get("version")
    as_of: datetime | None = args.get("as_of")
    if version is not None and as_of is not None:
        abort(422, message="ask for a version or a time, not both", errors={"as_of": ["not with version"]})
    if as_of is not None:
        version = tracker().version_at(ident, as_of, what)
    return load(ident, version)


def with_etag(aggregate: Any, payload: Any) -> tuple[Any, dict[str, str]]:
    return payload, {"ETag": f'"{aggregate.version}"'}


def history(ident: UUID, project: Any = None) -> dict[str, Any]:
    """Every event of one aggregate; an event carrying figures the reader may not read (the
    project's contract terms, say, for a technology lead) keeps its type, time and author and
    says ``redacted``, its data left out (``domain.reading_rights.may_read_event``)."""
    actor = current_actor()
    return {
        "items": [
            describe(event, redacted=not reading_rights.may_read_event(actor, event, project))
            for event in tracker().history(ident)
        ]
    }


BASE_FIELDS = {
    "originator_id",
    "originator_version",
    "timestamp",
    "originator_topic",
    "actor",
    "role",
    "actor_department",
}


def describe(event: Any, redacted: bool = False) -> dict[str, Any]:
    """One stored event as an auditor reads it: type, version, time, who, and its data (none when ``redacted``)."""
    return {
        "type": type(event).__name__,
        "version": event.originator_version,
        "time": event.timestamp,
        "actor": event.actor,
        "role": event.role,
        "department": event.actor_department,
        "data": {} if redacted else {k: v for k, v in vars(event).items() if k not in BASE_FIELDS},
        "redacted": redacted,
    }
