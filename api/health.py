"""``/healthz`` (the process answers; never touches the database) and ``/readyz`` (ready to serve).

``/readyz`` answers within about the pool timeout (1 s by default): 200 when the event store
answers and every view keeps up; 503 when the store is unavailable, or when a view lags more
than ``READY_MAX_LAG_EVENTS`` events (default 1000) or its oldest unprocessed event is older than
``READY_MAX_LAG_SECONDS`` (default 30) — the projector is stopped or stuck. In-process mode
(SQLite) catches the views up on each read, so there lag is shown but never makes it unready.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from flask import Flask, current_app

from projections.views import AFTER_MAX_WAITING, AFTER_TIMEOUT
from store.outage import retry_after, unavailable
from store.view_failures import failures

LIMITS: dict[str, tuple[type, Any]] = {
    "READY_MAX_LAG_EVENTS": (int, 1000),
    "READY_MAX_LAG_SECONDS": (float, 30.0),
    "VIEWS_AFTER_TIMEOUT": (float, AFTER_TIMEOUT),
    "VIEWS_AFTER_MAX_WAITING": (int, AFTER_MAX_WAITING),
}


def limits(environ: Mapping[str, str] = os.environ) -> dict[str, Any]:
    """The readiness and ``?after=`` limits, from the environment (app config overrides them)."""
    values = {}
    for key, (kind, default) in LIMITS.items():
        text = environ.get(key)
        try:
            values[key] = kind(text) if text else default
        except ValueError:
            raise ValueError(f"{key} must be a number, not {text!r}") from None
    return values


def register_health(app: Flask) -> None:
    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    @app.get("/readyz")
    def readyz():
        views = current_app.extensions["views"]
        try:
            lag = views.lag()
        except Exception as error:
            if not unavailable(error):
                raise
            body = {"status": "unavailable", "reasons": ["store_unavailable"], "store": str(error)}
            return body, 503, {"Retry-After": str(retry_after(error))}
        config = current_app.config
        behind = lag.events
        age = (views.now() - lag.oldest_unprocessed).total_seconds() if lag.oldest_unprocessed else 0.0
        reasons = []
        if not views.in_process:
            if max(behind.values()) > config["READY_MAX_LAG_EVENTS"]:
                reasons.append(f"views_lag_events: more than {config['READY_MAX_LAG_EVENTS']} events behind")
            if age > config["READY_MAX_LAG_SECONDS"]:
                reasons.append(f"views_lag_seconds: oldest unprocessed event {age:.0f} s old")
        body = {
            "status": "lagging" if reasons else "ready",
            "store": "ok",
            "position": lag.head,
            "views": behind,
            "oldest_unprocessed_seconds": round(age, 3),
            "today": views.today().isoformat(),
            "reasons": reasons,
            "skipped_events": failures(views.store, limit=0)[0],  # events a view could not take
        }
        return (body, 503) if reasons else body
