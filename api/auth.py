"""Bearer tokens: signed (itsdangerous, SECRET_KEY) and expiring, naming user, role, department.

Every ``/api`` request except the OpenAPI document and its docs page must carry one.
No token, a forged one, an expired one or a revoked one → 401. The auditor may read and
nothing else (403 on any write); all finer rights are the domain's (``domain.rights``).

A token lives at most ``MAX_DAYS`` and carries its id (``jti``) and issue time (``iat``):
a revocation (``domain.access``) refuses the user's tokens issued until then, so each
request reads the user's access record once. Tokens without ``jti``/``iat`` (issued before
they were added) are refused: they could have been issued for any length of time.
"""

from __future__ import annotations

import math
import time
import uuid
from dataclasses import dataclass
from datetime import datetime

from flask import Flask, current_app, g, request
from flask_smorest import abort
from itsdangerous import BadSignature, URLSafeSerializer

from domain.roles import AUDITOR, Actor

SALT = "launch-tracker-token-v1"
PUBLIC_PREFIXES = ("/api/openapi.json", "/api/docs")
READS = ("GET", "HEAD", "OPTIONS")
MAX_DAYS = 90
DAY = 86400
REQUIRED_CLAIMS = {"u", "r", "exp", "iat", "jti"}


@dataclass(frozen=True)
class Token:
    """What a valid token says: who, its id, when it was issued and when it expires (POSIX seconds)."""

    actor: Actor
    token_id: str
    issued_at: float
    expires: float


def _serializer(secret: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt=SALT)


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def check_days(days: object) -> float:
    """A token's lifetime in days: more than 0, at most ``MAX_DAYS`` (ValueError says why not)."""
    if not _number(days) or days <= 0:
        raise ValueError(f"a token's lifetime (--days) must be above 0 and at most {MAX_DAYS} days, not {days!r}")
    if days > MAX_DAYS:
        raise ValueError(f"a token may live at most {MAX_DAYS} days (asked: {days:g}); issue a new one when it expires")
    return float(days)


def issue_token(secret: str, actor: Actor, days: float = 30, now: float | None = None) -> str:
    """A token for ``actor`` valid for ``days`` (at most ``MAX_DAYS``) from ``now``."""
    days = check_days(days)
    issued = time.time() if now is None else now
    claims = {
        "u": actor.user,
        "r": actor.role,
        "d": actor.department,
        "exp": int(issued + days * DAY),
        "iat": round(issued, 6),
        "jti": uuid.uuid4().hex,
    }
    return _serializer(secret).dumps(claims)


def read_claims(secret: str, token: str, now: float | None = None) -> Token:
    """What a token says; ValueError says why it is not acceptable (revocation is checked elsewhere)."""
    try:
        claims = _serializer(secret).loads(token)
    except BadSignature:
        raise ValueError("the token is not valid (bad signature)") from None
    if not isinstance(claims, dict) or not claims.keys() >= REQUIRED_CLAIMS:
        raise ValueError("the token is not valid (missing claims)")
    if not _number(claims["exp"]):
        raise ValueError("the token is not valid (bad expiry)")
    if not _number(claims["iat"]) or not isinstance(claims["jti"], str) or not claims["jti"]:
        raise ValueError("the token is not valid (bad issue time or id)")
    if not isinstance(claims["u"], str):
        raise ValueError("the token is not valid (bad user)")
    if claims["exp"] <= (now if now is not None else time.time()):
        raise ValueError("the token has expired; ask for a new one")
    if claims["exp"] - claims["iat"] > MAX_DAYS * DAY + 1:
        raise ValueError(f"the token is not valid (it lives longer than {MAX_DAYS} days)")
    try:
        actor = Actor(claims["u"], claims["r"], claims.get("d"))
    except (TypeError, ValueError) as error:
        raise ValueError(f"the token is not valid ({error})") from None
    return Token(actor, claims["jti"], float(claims["iat"]), float(claims["exp"]))


def read_token(secret: str, token: str, now: float | None = None) -> Actor:
    """The actor a token names; ValueError says why it is not acceptable."""
    return read_claims(secret, token, now).actor


def revoked_at(token: Token) -> datetime | None:
    """When the token's user had their tokens revoked (or their account disabled), if this token is
    one of them (one store read)."""
    access = current_app.extensions["tracker"].access_of(token.actor.user)
    if access is not None and getattr(access, "disabled", None) is not None:
        return access.disabled["at"]
    return access.refuses(token.issued_at) if access is not None else None


def current_actor() -> Actor:
    return g.actor


def _authenticate() -> None:
    if not request.path.startswith("/api/") or request.path.startswith(PUBLIC_PREFIXES):
        return
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        abort(401, message="sign in: send 'Authorization: Bearer <token>'", headers={"WWW-Authenticate": "Bearer"})
    try:
        claims = read_claims(current_app.config["SECRET_KEY"], token.strip())
    except ValueError as error:
        abort(401, message=str(error), headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
    revoked = revoked_at(claims)
    if revoked is not None:
        message = f"the token was revoked at {revoked.isoformat()}; ask for a new one"
        abort(401, message=message, headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
    g.actor = claims.actor
    if g.actor.role == AUDITOR and request.method not in READS:
        abort(403, message="an auditor reads everything and changes nothing", errors={"role": AUDITOR})


def init_app(app: Flask) -> None:
    app.before_request(_authenticate)
