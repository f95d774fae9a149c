"""Who is signed in to the pages: the session cookie, the account behind it, and the sign-in throttle.

The session is Flask's signed cookie (SECRET_KEY): ``HttpOnly``, ``SameSite=Lax``, ``Secure`` when
the request came over HTTPS (or ``SESSION_COOKIE_SECURE`` is set), and it ends after a working day
(8 h) without a request: each answer renews it, the signature's age is checked on reading. Every
page request reads the person's access record (one store read, as a token does), so disabling an
account ends their sessions at once.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from flask import Flask, current_app, g, request, session
from flask.sessions import SecureCookieSessionInterface

from domain.roles import Actor

WORKING_DAY = timedelta(hours=8)
MAX_FAILURES = 5
FAILURE_WINDOW = 15 * 60


@dataclass(frozen=True)
class Person:
    actor: Actor
    name: str | None
    language: str | None


class SessionCookies(SecureCookieSessionInterface):
    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


class Throttle:
    """Failed sign-ins per user and per address: at most ``limit`` in ``window`` seconds each.

    Kept in the memory of each server process (a restart forgets them; with N processes an
    attacker gets N times the tries): enough to stop guessing at a human pace, documented as such.
    """

    def __init__(self, limit: int = MAX_FAILURES, window: float = FAILURE_WINDOW, clock: Callable = time.monotonic):
        self.limit, self.window, self.clock = limit, window, clock
        self.failures: dict[tuple[str, str], deque[float]] = {}
        self.lock = threading.Lock()

    def _recent(self, key: tuple[str, str]) -> deque[float]:
        times = self.failures.setdefault(key, deque())
        while times and times[0] <= self.clock() - self.window:
            times.popleft()
        return times

    def blocked(self, *keys: tuple[str, str]) -> bool:
        with self.lock:
            counts = [len(self._recent(key)) for key in keys]
            for key, count in zip(keys, counts, strict=True):
                if not count:  # forget names and addresses whose failures are all old
                    self.failures.pop(key, None)
            return any(count >= self.limit for count in counts)

    def failed(self, *keys: tuple[str, str]) -> None:
        with self.lock:
            for key in keys:
                self._recent(key).append(self.clock())


def tracker():
    return current_app.extensions["tracker"]


def person_named(user: str) -> Person | None:
    """The person an active account names, or None (no account, or disabled)."""
    access = tracker().access_of(user)
    holder = access.holder() if access is not None else None
    return Person(holder, access.account["name"], access.language) if holder is not None else None


def load_person() -> None:
    """Before each page: ``g.person`` is the signed-in person, or None (the session is dropped if
    their account is gone or disabled)."""
    user = session.get("user")
    g.person = person_named(user) if isinstance(user, str) else None
    if user is not None and g.person is None:
        session.clear()


def sign_in(person: Person) -> None:
    session.clear()
    session["user"] = person.actor.user
    session.permanent = True


def init_app(app: Flask) -> None:
    app.session_interface = SessionCookies()
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=app.config.get("SESSION_LIFETIME", WORKING_DAY),
        SESSION_REFRESH_EACH_REQUEST=True,
    )
    app.extensions["sign_in_throttle"] = Throttle()
