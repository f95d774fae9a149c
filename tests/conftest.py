"""Shared fixtures: a Tracker on each storage (memory, SQLite file, PostgreSQL schema).

PostgreSQL tests use a fresh schema per test on ``TEST_POSTGRES_URL`` (default: the
local server's ``test`` database). Without a server they are skipped locally, but
with ``CI=true`` they fail: CI must never pass without them.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import psycopg
import pytest

from domain.application import Tracker

# Every app the suite builds (and every server process it starts) hashes passwords with a cheap scrypt:
# werkzeug's cost (N=2^15, 32 MB a hash) made signing people in most of the pages' tests' time.
# The product's default is tested in tests/web/test_accounts.py.
os.environ.setdefault("PASSWORD_HASH_METHOD", "scrypt:1024:8:1")

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
BACKENDS = ["memory", "sqlite", "postgres"]
TODAY = "2027-06-30"
"""The suite's today (``TRACKER_TODAY``): after every date the sample launches record, so the rule
that things happened by today holds whatever day the suite runs; a test that gives the app its own
``CLOCK`` judges today by that clock instead."""
os.environ.setdefault("TRACKER_TODAY", TODAY)


def _postgres_problem() -> str | None:
    try:
        with psycopg.connect(POSTGRES_URL, connect_timeout=5):
            return None
    except psycopg.Error as error:
        return str(error)


@pytest.fixture(scope="session")
def postgres_url() -> str:
    problem = _postgres_problem()
    if problem:
        if IN_CI:
            pytest.fail(f"PostgreSQL is required in CI and not reachable at {POSTGRES_URL}: {problem}")
        pytest.skip(f"PostgreSQL not reachable (set CI=true to make this fatal): {problem}")
    return POSTGRES_URL


@pytest.fixture
def postgres_schema_url(postgres_url: str) -> Iterator[str]:
    """A database URL whose tables live in a schema of their own, dropped afterwards."""
    schema = f"test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in postgres_url else "?"
    yield f"{postgres_url}{separator}schema={schema}"
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path) -> str:
    """The URL for the backend the test is parametrized with (default memory)."""
    backend = getattr(request, "param", "memory")
    if backend == "memory":
        return "memory://"
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'tracker.sqlite3'}"
    return request.getfixturevalue("postgres_schema_url")


@pytest.fixture
def make_tracker(database_url: str) -> Iterator:
    """Build Trackers on the test's database (several share it, except on memory)."""
    made: list[Tracker] = []

    def make(**env: str) -> Tracker:
        tracker = Tracker(database_url, env=env)
        made.append(tracker)
        return tracker

    yield make
    for tracker in made:
        tracker.close()


@pytest.fixture
def tracker(make_tracker) -> Tracker:
    return make_tracker()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """``@pytest.mark.backends`` (no args: all three) runs a test on each storage."""
    marker = metafunc.definition.get_closest_marker("backends")
    if marker is not None and "database_url" in metafunc.fixturenames:
        backends = list(marker.args) or BACKENDS
        metafunc.parametrize("database_url", backends, indirect=True)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is not None and callspec.params.get("database_url") == "postgres":
            item.add_marker(pytest.mark.postgres)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "backends(*names): run on these storages (default all)")


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    counts = {"passed": 0, "failed": 0, "skipped": 0}
    for outcome in counts:
        for report in terminalreporter.stats.get(outcome, []):
            on_postgres = "postgres" in getattr(report, "keywords", {})
            counted_phase = report.when == "call" or (outcome != "passed" and report.when == "setup")
            if on_postgres and counted_phase:
                counts[outcome] += 1
    terminalreporter.write_line(
        f"PostgreSQL tests: {counts['passed']} passed, {counts['failed']} failed, {counts['skipped']} skipped"
    )
    if IN_CI and counts["skipped"]:
        terminalreporter.write_line("CI=true but PostgreSQL tests were skipped: this run is not valid")
