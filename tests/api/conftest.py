"""HTTP fixtures: the app on the test's storage, signed tokens, and a client that acts as someone."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from api import create_app, shutdown
from api.auth import issue_token
from api.cli import dev_server
from domain.roles import Actor

SECRET = "test-secret-key-of-at-least-32-bytes"


@pytest.fixture
def app(database_url: str) -> Iterator[Flask]:
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": SECRET, "TESTING": True})
    yield app
    shutdown(app)


def token(actor: Actor, days: float = 30) -> str:
    return issue_token(SECRET, actor, days)


class Http:
    """A test client that sends each request as ``actor`` (or anonymously with ``None``)."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def call(
        self, method: str, actor: Actor | None, path: str, json: Any = None, if_match: int | str | None = None, **kw
    ):
        headers = dict(kw.pop("headers", {}))
        if actor is not None:
            headers["Authorization"] = f"Bearer {token(actor)}"
        if if_match is not None:
            headers["If-Match"] = f'"{if_match}"'
        return self.client.open(path, method=method, json=json, headers=headers, **kw)

    def get(self, actor, path, **kw):
        return self.call("GET", actor, path, **kw)

    def post(self, actor, path, json=None, **kw):
        return self.call("POST", actor, path, json=json, **kw)

    def put(self, actor, path, json=None, **kw):
        return self.call("PUT", actor, path, json=json, **kw)


@pytest.fixture
def http(app: Flask) -> Http:
    return Http(app.test_client())


@pytest.fixture
def tracker(app: Flask):
    """The app's own application service, to check what the HTTP calls recorded."""
    return app.extensions["tracker"]


@pytest.fixture
def served(app: Flask) -> Iterator[str]:
    """The development server (``flask serve``) on a free port, in a thread: its URL."""
    server = dev_server(app, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.port}"
    server.shutdown()
    server.server_close()
    thread.join(5)
