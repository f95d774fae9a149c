"""One error body everywhere: ``{code, status, message, errors}``.

Domain errors map to status codes here and nowhere else; Flask's and webargs' own
errors (404 routes, 405, 413, malformed JSON, validation) get the same shape, with
validation errors flattened to ``{"field.path": ["why", ...]}``.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from flask import current_app, request
from flask_babel import get_locale
from flask_smorest import Api
from marshmallow import Schema, fields
from werkzeug.exceptions import HTTPException, InternalServerError, UnsupportedMediaType

from domain.errors import (
    ConcurrentUpdate,
    DomainError,
    InvalidInput,
    InvalidTransition,
    NotAllowed,
    NotFound,
    RuleViolated,
)
from store import outage

STATUS_OF = {
    InvalidInput: 422,
    NotFound: 404,
    NotAllowed: 403,
    InvalidTransition: 409,
    RuleViolated: 409,
    ConcurrentUpdate: 409,
}
BODY_METHODS = ("POST", "PUT", "PATCH")
LOCATIONS = ("json", "query", "path", "headers", "form", "files")
"""webargs' outermost keys of its errors: where the fields were (a body field may be named ``files`` too)."""
UPLOADS = frozenset({"/api/files"})
"""Paths that take multipart/form-data (``api.files``) rather than JSON."""
log = logging.getLogger(__name__)


def body(code: int, message: str, errors: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"code": code, "status": HTTPStatus(code).phrase, "message": message, "errors": errors or {}}


def flatten(messages: Any, prefix: str = "", top: bool = True) -> dict[str, Any]:
    """webargs nests errors by location and field; clients want one flat map of field paths."""
    if not isinstance(messages, dict):
        return {prefix or "body": messages}
    flat: dict[str, Any] = {}
    for key, value in messages.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        if top and key in LOCATIONS:
            path = ""
        if isinstance(value, dict):
            flat.update(flatten(value, path, top=False))
        else:
            flat[path or "body"] = value
    return flat


class Error(Schema):
    """The error body as documented in OpenAPI (``body()`` builds it): every field is always there."""

    code = fields.Integer(required=True, metadata={"description": "the HTTP status code"})
    status = fields.String(required=True, metadata={"description": "its reason phrase"})
    message = fields.String(required=True, metadata={"description": "what went wrong, in a sentence"})
    errors = fields.Dict(required=True, metadata={"description": "bad fields and why; for 409 the reason"})


class TrackerApi(Api):
    ERROR_SCHEMA = Error

    def _register_error_handlers(self) -> None:
        self._app.register_error_handler(HTTPException, self.handle_http_exception)
        self._app.register_error_handler(DomainError, handle_domain_error)
        self._app.register_error_handler(Exception, handle_unexpected)

    def handle_http_exception(self, error: HTTPException):
        data = getattr(error, "data", None) or {}
        code = error.code or 500
        errors = data.get("errors")
        if errors is None and "messages" in data:
            errors = flatten(data["messages"])
        message = data.get("message") or _message_for(code, errors, error)
        headers = data.get("headers") or {}
        if code == 405 and error.get_response().headers.get("Allow"):
            headers = {**headers, "Allow": error.get_response().headers["Allow"]}
        return body(code, message, errors), code, headers


def _message_for(code: int, errors: dict[str, Any] | None, error: HTTPException) -> str:
    if code == 422 and errors:
        return "the request does not validate: " + ", ".join(sorted(errors))
    if code == 400 and errors:
        return "the request body is not valid JSON"
    return error.description or HTTPStatus(code).phrase


def handle_domain_error(error: DomainError):
    """The message follows ``Accept-Language``: Chinese when asked for (the pages' own words for the
    refusal, which the pages register as ``refusal_text``), else the domain's English; the codes and
    ``errors`` stay as they are."""
    code = next((STATUS_OF[kind] for kind in type(error).__mro__ if kind in STATUS_OF), 409)
    explain = current_app.extensions.get("refusal_text")
    chinese = explain is not None and get_locale() is not None and get_locale().language == "zh"
    message = explain(error) if chinese else error.message
    return body(code, message, dict(error.details)), code


def handle_unexpected(error: Exception):
    if isinstance(error, HTTPException):
        raise error
    if outage.unavailable(error):
        return store_unavailable(error)
    log.exception("unexpected error on %s %s", request.method, request.path)
    server_error = InternalServerError()
    return body(500, "something went wrong on our side; check the history before retrying"), server_error.code


def store_unavailable(error: Exception):
    """503 with ``errors.reason = "store_unavailable"`` and ``Retry-After``: the database is down, busy or timing out.

    Every such error of the libraries (psycopg's operational and interface errors, pool
    timeouts, the event-sourcing library's wrappers of them, SQLite's locked database) is
    recognised by ``store.outage.unavailable``, here, for commands and views alike.
    """
    log.debug("store unavailable on %s %s: %s", request.method, request.path, error)  # (the pool logs the outage once)
    message = "the database is unavailable right now; retry shortly (check the history before repeating a command)"
    return body(503, message, {"reason": "store_unavailable"}), 503, {"Retry-After": str(outage.retry_after(error))}


def require_json_body() -> None:
    """Commands take JSON; any other body type is refused before it is parsed."""
    has_body = request.method in BODY_METHODS and bool(request.content_length)
    if has_body and request.path.startswith("/api/") and request.path not in UPLOADS and not request.is_json:
        raise UnsupportedMediaType("send the body as application/json")
