"""``Idempotency-Key`` on every command: a retry answers the first answer and records nothing.

Before a command (any POST/PUT/PATCH/DELETE under ``/api``, after sign-in) the key is checked
(1–255 printable ASCII characters, else 422 naming the header) and looked up: recorded for the
same actor, method, path and body → the handler answers the stored answer (``run``); recorded
for another request → 422 ``idempotency_key_reused``. Otherwise ``once`` runs the command with
the key claimed, so the recorder stores the answer in the events' transaction. A refused command
stores no key. Keys older than ``IDEMPOTENCY_RETENTION_HOURS`` (default 48, at least 24) are
deleted by the process that writes, at most once an hour.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app, g, request
from flask_smorest import abort

from api.auth import current_actor
from domain.errors import DomainError
from store import idempotency
from store.idempotency import Claim

HEADER = "Idempotency-Key"
MAX_LENGTH = 255
COMMAND_METHODS = ("POST", "PUT", "PATCH", "DELETE")
CLEANUP_EVERY_SECONDS = 3600
PARAMETER = {
    "in": "header",
    "name": HEADER,
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_LENGTH, "pattern": "^[ -~]+$"},
    "description": (
        "Any unique text (1–255 printable ASCII characters; a UUID is a good choice) that makes a "
        "retry of this command safe: the same key with the same body, from the same user to the same "
        "path, answers the first answer again (same status and body, `position` included) and records "
        "nothing, even when the first attempt was committed after the client gave up waiting. The "
        "same key with another body, user or path is refused (422, `errors.reason` "
        "`idempotency_key_reused`). A refused command (4xx) keeps no key, so a corrected retry may "
        "reuse it. Keys are kept at least 24 hours (48 by default)."
    ),
}
log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    """Read the retention (``IDEMPOTENCY_RETENTION_HOURS``) and check keys before every command."""
    hours = app.config.get("IDEMPOTENCY_RETENTION_HOURS", os.environ.get("IDEMPOTENCY_RETENTION_HOURS"))
    app.extensions["idempotency"] = {"retention": idempotency.retention_from(hours), "cleaned": None}
    app.before_request(check_key)


def check_key() -> None:
    """Validate the key, refuse it if it was used for another request, and note what to answer."""
    if request.method not in COMMAND_METHODS or not request.path.startswith("/api/") or request.url_rule is None:
        return
    key = request.headers.get(HEADER)
    if key is None:
        return
    if not 1 <= len(key) <= MAX_LENGTH or not all(" " <= char <= "~" for char in key):
        abort(422, message=f"{HEADER} must be 1 to {MAX_LENGTH} printable ASCII characters", errors={HEADER: [key]})
    claim = Claim(key, fingerprint())
    g.idempotency = (claim, answer_recorded_for(claim))


def fingerprint() -> str:
    """Who asked what: the actor, the method, the path and the body (as JSON, key order ignored)."""
    actor = current_actor()
    try:
        body = request.get_json(silent=True)
    except RecursionError:
        body = None
    if body is None:
        body = {"raw": request.get_data().hex()}
    return idempotency.fingerprint([actor.user, actor.role, actor.department], request.method, request.path, body)


def answer_recorded_for(claim: Claim) -> dict[str, Any] | None:
    """The answer stored under the claim's key for the same request; 422 if for another."""
    found = current_app.extensions["tracker"].recorder.recorded_answer(claim.key)
    if found is None:
        return None
    if found.fingerprint != claim.fingerprint:
        abort(
            422,
            message=f"this {HEADER} was already used for another request (another body, path or user)",
            errors={HEADER: [claim.key], "reason": "idempotency_key_reused"},
        )
    return found.answer


def once(command: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """Run ``command`` with the request's key claimed, or answer what its first run answered.

    A refusal (a domain error) is looked up once more: a concurrent request with the same key
    may have just recorded (the refusal is then its version clash), and this one answers as it did.
    """
    pending = g.get("idempotency")
    if pending is None:
        answer = command()
    elif pending[1] is not None:
        return pending[1]
    else:
        try:
            with idempotency.claiming(pending[0]):
                answer = command()
        except DomainError:
            answer = answer_recorded_for(pending[0])
            if answer is None:
                raise
            return answer
    forget_expired_now_and_then()
    return answer


def forget_expired_now_and_then() -> None:
    """Delete the keys past the retention, at most once an hour per process, after a command that
    recorded (so never while the store is down); a failure is logged and waits its next turn."""
    state = current_app.extensions["idempotency"]
    if state["cleaned"] is not None and time.monotonic() - state["cleaned"] < CLEANUP_EVERY_SECONDS:
        return
    state["cleaned"] = time.monotonic()
    try:
        idempotency.forget_expired(current_app.extensions["tracker"].recorder, state["retention"])
    except Exception:
        log.warning("could not delete expired idempotency keys; will try again in an hour", exc_info=True)
