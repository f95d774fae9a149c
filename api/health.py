"""``/healthz`` (the process answers) and ``/readyz`` (the event store answers)."""

from __future__ import annotations

from flask import Flask, current_app


def register_health(app: Flask) -> None:
    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    @app.get("/readyz")
    def readyz():
        tracker = current_app.extensions["tracker"]
        try:
            position = tracker.recorder.max_notification_id() or 0
        except Exception as error:
            return {"status": "unavailable", "store": str(error)}, 503
        lag = current_app.extensions["views"].runner.lag()
        return {"status": "ready", "store": "ok", "position": position, "views": lag}
