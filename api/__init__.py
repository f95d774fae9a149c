"""HTTP API v1 (shared/API.md): thin flask-smorest blueprints over the application service.

``create_app(config)`` builds the app; configuration comes from the environment
(``DATABASE_URL``, ``SECRET_KEY``, ``TOKEN_DAYS``, ``TRACKER_TODAY``), ``config`` overrides it for tests.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable
from datetime import date
from typing import Any

from flask import Flask

import web
from api import auth, errors, files, guard, headers, health, idempotency, json
from api.cli import register_cli
from api.docs import register_docs
from api.health import register_health
from api.settings import secret_key
from domain import clock
from domain.application import Tracker
from projections.views import Views
from store import database as storage
from store.notifications import create_tables as notify_tables

MAX_BODY_BYTES = 1024 * 1024


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    app.json = json.ApiJSONProvider(app)
    app.config.update(
        DATABASE_URL=os.environ.get("DATABASE_URL"),
        SECRET_KEY=os.environ.get("SECRET_KEY"),
        AUDIT_SIGNING_KEY=os.environ.get("AUDIT_SIGNING_KEY"),  # chain checkpoints (docs/decisions/chain.md)
        AUDIT_VERIFY_KEY=os.environ.get("AUDIT_VERIFY_KEY"),
        MAX_CONTENT_LENGTH=MAX_BODY_BYTES,
        API_TITLE="Launch tracker",
        API_VERSION="1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="docs",
        OPENAPI_SWAGGER_UI_URL="/api/docs/static/",
        API_SPEC_OPTIONS={"security": [{"bearerAuth": []}]},
        **health.limits(),
    )
    app.config.update(config or {})
    app.config["SECRET_KEY"] = secret_key(app.config["SECRET_KEY"], app.config["DATABASE_URL"])
    commands_today, views_today = todays(config or {}, app.config)
    tracker = app.extensions["tracker"] = Tracker(app.config["DATABASE_URL"], today=commands_today)
    in_process = app.config.get("PROJECTIONS_IN_PROCESS")
    if in_process is None:
        in_process = not storage.is_postgres(app.config["DATABASE_URL"])
    app.extensions["views"] = Views(
        tracker,
        app.config["DATABASE_URL"],
        in_process,
        app.config.get("CLOCK", clock.now),
        after_timeout=app.config["VIEWS_AFTER_TIMEOUT"],
        after_max_waiting=app.config["VIEWS_AFTER_MAX_WAITING"],
        today=views_today,
    )
    notify_tables(app.extensions["views"].store)  # (the channels, deliveries and feeds: store/notifications.py)
    api = errors.TrackerApi(app)
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    auth.init_app(app)
    headers.init_app(app)
    files.init_app(app)  # before the body checks: uploads may be larger
    app.before_request(errors.require_json_body)  # after sign-in: 401 comes before 415
    app.before_request(guard.refuse_bad_path)
    idempotency.init_app(app)  # after sign-in and 415: the key's fingerprint names the actor
    register_docs(app)
    register_health(app)
    from api import (
        assessments,
        calendar,
        ending,
        notifications,
        operations,
        projects,
        requests,
        reviews,
        tickets,
        trial,
        views,
    )

    modules = (projects, trial, tickets, reviews, views, operations, assessments, requests, ending, calendar)
    for module in (*modules, notifications, files):
        for blueprint in module.BLUEPRINTS:
            api.register_blueprint(blueprint)
    from api.calendar_feeds import bp as calendar_feeds

    app.register_blueprint(calendar_feeds)  # /calendar/<token>.ics: not JSON, not in the OpenAPI document
    register_cli(app)
    web.init_app(app)  # the pages for people (web/): outside /api, not in the OpenAPI document
    return app


def todays(given: dict[str, Any], config: dict[str, Any]) -> tuple[Callable[[], date], Callable[[], date]]:
    """The app's "today": for the commands (the date rule) and for the views (overdue, days left, assessments).

    ``TRACKER_TODAY`` (``config``, else the environment) fixes both; otherwise both are the Shanghai
    date of the real clock. ``CLOCK`` is a test hook: given without ``TRACKER_TODAY`` it moves the
    views' today (and the day the API counts working-day deadlines from), while the commands keep the
    suite's fixed day, so a test may judge a view on any day after recording a whole launch.
    A bad date refuses to start.
    """
    fixed = given["TRACKER_TODAY"] if "TRACKER_TODAY" in given else os.environ.get("TRACKER_TODAY")
    config["TRACKER_TODAY"] = fixed
    commands = clock.today_source(fixed)
    if "CLOCK" in given and "TRACKER_TODAY" not in given:
        return commands, clock.today_source(None, given["CLOCK"])
    return commands, clock.today_source(fixed, config.get("CLOCK"))


def settle_heap() -> None:
    """Once a server process has started, move what it holds out of the cyclic collector's sight.

    Reading a long project (time travel into thousands of events) leaves tens of thousands of
    objects alive for a moment, so full collections come often; without this each of them also
    walks every object of the started app, which lengthened such reads by a third.
    """
    gc.collect()
    gc.freeze()


def shutdown(app: Flask) -> None:
    """Close the app's connections (tests, and tools that build an app for one job)."""
    app.extensions["views"].close()
    app.extensions["tracker"].close()
