"""Helpers for the view tests: a clock the test moves, an app on it, reads that wait for the views.

On PostgreSQL the app does not run the projections itself (``PROJECTIONS_IN_PROCESS``
defaults to False there), so ``running_app`` keeps them up to date the way production
does, with the app's own runner in a thread, and ``read`` asks each view with
``?after=<head of the log>`` so that it answers with every event written so far.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from flask import Flask

from api import create_app, shutdown
from domain.clock import SHANGHAI
from tests.api.conftest import SECRET

__all__ = ["SHANGHAI", "UTC", "Clock", "head", "read", "running_app"]


class Clock:
    """``CLOCK`` for the app: returns ``moment``, which the test sets."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


@contextmanager
def running_app(database_url: str, clock: Clock | None = None, runner: bool = True, **config: Any) -> Iterator[Flask]:
    """An app on ``database_url``; when it does not project in-process, its runner in a thread."""
    settings = {"DATABASE_URL": database_url, "SECRET_KEY": SECRET, "TESTING": True, **config}
    if clock is not None:
        settings["CLOCK"] = clock
    app = create_app(settings)
    views = app.extensions["views"]
    stop = threading.Event()
    thread = None
    if runner and not views.in_process:
        thread = threading.Thread(target=views.runner.run_forever, args=(stop, 0.02), daemon=True)
        thread.start()
    try:
        yield app
    finally:
        stop.set()
        if thread is not None:
            thread.join(10)
        shutdown(app)


def head(app: Flask) -> int:
    """The position of the last event in the app's log."""
    return app.extensions["tracker"].recorder.max_notification_id() or 0


def read(http: Any, who: Any, path: str, /, **params: Any) -> Any:
    """GET a view as ``who`` once it includes every event so far: 200, no lag; the JSON body.

    ``params`` are the query's (filters such as ``actor=`` included)."""
    app = http.client.application
    query = urlencode({"after": head(app), **params})
    response = http.get(who, f"{path}{'&' if '?' in path else '?'}{query}")
    assert response.status_code == 200, response.get_json()
    assert "X-Views-Lag" not in response.headers
    return response.get_json()
