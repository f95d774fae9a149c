"""``/healthz`` (the process answers) and ``/readyz`` (the event store answers)."""

from __future__ import annotations

from flask import Flask, current_app

from store.view_failures import failures


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
        runner = current_app.extensions["views"].runner
        skipped = failures(runner.store, limit=0)[0]  # events a view could not take (``projections status``)
        return {
            "status": "ready",
            "store": "ok",
            "position": position,
            "views": runner.lag(),
            "skipped_events": skipped,
        }
