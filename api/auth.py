"""Bearer tokens: signed (itsdangerous, SECRET_KEY) and expiring, naming user, role, department.

Every ``/api`` request except the OpenAPI document and its docs page must carry one.
No token, a forged one or an expired one → 401. The auditor may read and nothing
else (403 on any write); all finer rights are the domain's (``domain.rights``).
"""

from __future__ import annotations

import time

from flask import Flask, current_app, g, request
from flask_smorest import abort
from itsdangerous import BadSignature, URLSafeSerializer

from domain.roles import AUDITOR, Actor

SALT = "launch-tracker-token-v1"
PUBLIC_PREFIXES = ("/api/openapi.json", "/api/docs")
READS = ("GET", "HEAD", "OPTIONS")


def _serializer(secret: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt=SALT)


def issue_token(secret: str, actor: Actor, days: float = 30, now: float | None = None) -> str:
    """A token for ``actor`` valid for ``days`` from ``now``."""
    if days <= 0:
        raise ValueError("a token must be valid for a positive number of days")
    expires = int((now if now is not None else time.time()) + days * 86400)
    return _serializer(secret).dumps({"u": actor.user, "r": actor.role, "d": actor.department, "exp": expires})


def read_token(secret: str, token: str, now: float | None = None) -> Actor:
    """The actor a token names; ValueError says why it is not acceptable."""
    try:
        claims = _serializer(secret).loads(token)
    except BadSignature:
        raise ValueError("the token is not valid (bad signature)") from None
    if not isinstance(claims, dict) or not {"u", "r", "exp"} <= claims.keys():
        raise ValueError("the token is not valid (missing claims)")
    if isinstance(claims["exp"], bool) or not isinstance(claims["exp"], int | float):
        raise ValueError("the token is not valid (bad expiry)")
    if not isinstance(claims["u"], str):
        raise ValueError("the token is not valid (bad user)")
    if claims["exp"] <= (now if now is not None else time.time()):
        raise ValueError("the token has expired; ask for a new one")
    try:
        return Actor(claims["u"], claims["r"], claims.get("d"))
    except (TypeError, ValueError) as error:
        raise ValueError(f"the token is not valid ({error})") from None


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
        g.actor = read_token(current_app.config["SECRET_KEY"], token.strip())
    except ValueError as error:
        abort(401, message=str(error), headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
    if g.actor.role == AUDITOR and request.method not in READS:
        abort(403, message="an auditor reads everything and changes nothing", errors={"role": AUDITOR})


def init_app(app: Flask) -> None:
    app.before_request(_authenticate)
