"""Backup and restore: ``flask backup create FILE`` and ``flask backup restore FILE``.

A backup restored into an empty store gives back the same log: the same positions, the same
chain head, the signed checkpoints still holding, views rebuilt that match a replay; on
SQLite and PostgreSQL and across them (the file is a SQLite store either way). A store that
is not empty is refused and left as it was; a backup taken while commands are being written
restores to a log that verifies.
"""

from __future__ import annotations

import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
import pytest
from flask import Flask

from api import create_app, shutdown
from demo.workflow import PM, REQUIREMENTS, SALES, SERVICE, SOURCES, Launch
from store import checkpoints
from store.chain.signing import verify_keys
from store.chain.verify import verify
from store.tables import FORMAT
from tests.api.conftest import SECRET, token
from tests.test_audit_chain import story
from tests.test_chain_checkpoints import key  # noqa: F401 (the fixture)

Store = Callable[[str], str]


@pytest.fixture
def new_store(tmp_path, request) -> Iterator[Store]:
    """``new_store("sqlite"|"postgres")``: the URL of a new, empty store (a file, or a schema of its own)."""
    schemas: list[str] = []

    def make(kind: str) -> str:
        if kind == "sqlite":
            return f"sqlite:///{tmp_path / f'{uuid.uuid4().hex[:8]}.sqlite3'}"
        base = request.getfixturevalue("postgres_url")
        schema = f"test_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
        schemas.append(schema)
        return f"{base}{'&' if '?' in base else '?'}schema={schema}"

    yield make
    if schemas:
        with psycopg.connect(request.getfixturevalue("postgres_url"), autocommit=True) as conn:
            for schema in schemas:
                conn.execute(f"DROP SCHEMA {schema} CASCADE")


@contextmanager
def app_on(database_url: str, **config: Any) -> Iterator[Flask]:
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": SECRET, "TESTING": True, **config})
    try:
        yield app
    finally:
        shutdown(app)


def flask(app: Flask, *args: str) -> Any:
    return app.test_cli_runner().invoke(args=list(args))


def log_of(app: Flask) -> list[tuple]:
    """Every stored event as (position, aggregate, version, topic, bytes)."""
    recorder = app.extensions["tracker"].recorder
    return [
        (n.id, n.originator_id, n.originator_version, n.topic, n.state) for n in recorder.select_notifications(1, 10**6)
    ]


# Round trips --------------------------------------------------------------------------------------


def on(*kinds: str) -> list[Any]:
    """Parameters naming stores; those on PostgreSQL are counted as PostgreSQL tests (never skipped in CI)."""
    return [
        pytest.param(*kind, id="-to-".join(kind), marks=[pytest.mark.postgres] if "postgres" in kind else [])
        for kind in (k if isinstance(k, tuple) else (k,) for k in kinds)
    ]


PAIRS = on(("sqlite", "sqlite"), ("postgres", "postgres"), ("sqlite", "postgres"), ("postgres", "sqlite"))


@pytest.mark.parametrize(("source", "target"), PAIRS)
def test_a_backup_restores_into_an_empty_store_with_the_same_log(source, target, new_store, key, tmp_path):  # noqa: F811
    file = tmp_path / "tracker.backup"
    signing = {"AUDIT_SIGNING_KEY": str(key)}
    with app_on(new_store(source), **signing) as app:
        tracker = app.extensions["tracker"]
        launch = story(tracker)
        assert flask(app, "audit", "checkpoint").exit_code == 0
        tracker.hold_meeting(PM, launch.project_id, date(2026, 11, 26), ["hr"], ["備份前的會議"])
        written = log_of(app)
        before = verify(tracker.recorder)
        made = flask(app, "backup", "create", str(file))
        assert made.exit_code == 0, made.output
        assert made.output == (
            f"backup {file}: {len(written)} events, head position {before.head_position} head {before.head}\n"
        )
    assert not Path(f"{file}.partial").exists()
    with closing(sqlite3.connect(file)) as backup:  # one SQLite file, without the views
        tables = {row[0] for row in backup.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert dict(backup.execute("SELECT key, value FROM backup_info"))["format"] == FORMAT
    assert not any(name.startswith("view_") for name in tables)

    with app_on(new_store(target), AUDIT_VERIFY_KEY=f"{key}.pub") as app:
        restored = flask(app, "backup", "restore", str(file))
        assert restored.exit_code == 0, restored.output
        assert f"restored {len(written)} events from {file}" in restored.output
        assert f"verified {len(written)} events, head {before.head} (the backup's head)" in restored.output
        assert log_of(app) == written  # same positions, same bytes
        tracker = app.extensions["tracker"]
        after = checkpoints.audit(tracker.recorder, verify_keys(f"{key}.pub", None))
        assert after.ok and after.head == before.head and after.checkpoints == 1

        replayed = flask(app, "audit", "replay-check")
        assert replayed.exit_code == 0 and "views match replay" in replayed.output
        project = tracker.load_project(launch.project_id)
        assert project.version == written[-1][2]

        # The store goes on from there: the next event takes the next position, the chain grows.
        tracker.hold_meeting(PM, launch.project_id, date(2026, 11, 27), ["hr"], ["還原後的會議"])
        assert tracker.recorder.max_notification_id() == written[-1][0] + 1
        assert flask(app, "audit", "verify").exit_code == 0


# Refusals -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("target", on("sqlite", "postgres"))
def test_a_restore_into_a_store_that_is_not_empty_is_refused_and_changes_nothing(target, new_store, tmp_path):
    file = tmp_path / "tracker.backup"
    with app_on(new_store("sqlite")) as app:
        story(app.extensions["tracker"])
        assert flask(app, "backup", "create", str(file)).exit_code == 0
    with app_on(new_store(target)) as app:
        Launch(app.extensions["tracker"], code="KEEP").register()
        kept = log_of(app)
        refused = flask(app, "backup", "restore", str(file))
        assert refused.exit_code == 1
        assert "restore refused: the store is not empty" in refused.output
        assert "restore only into an empty store" in refused.output
        assert log_of(app) == kept
        assert flask(app, "audit", "verify").exit_code == 0


def test_a_backup_never_overwrites_and_only_a_backup_is_restored(new_store, tmp_path):
    existing = tmp_path / "exists.backup"
    existing.write_bytes(b"keep me")
    with app_on(new_store("sqlite")) as app:
        story(app.extensions["tracker"])
        refused = flask(app, "backup", "create", str(existing))
        assert refused.exit_code == 1 and "exists already" in refused.output
        assert existing.read_bytes() == b"keep me"
    with app_on(new_store("sqlite")) as app:
        for bad in (existing, tmp_path / "absent.backup"):
            refused = flask(app, "backup", "restore", str(bad))
            assert refused.exit_code == 1 and "restore refused" in refused.output
        assert log_of(app) == []
    with app_on("memory://") as app:
        refused = flask(app, "backup", "create", str(tmp_path / "memory.backup"))
        assert refused.exit_code == 1 and "nothing to back up" in refused.output


# Taken while the store is being written ---------------------------------------------------------


@pytest.mark.parametrize("source", on("sqlite", "postgres"))
def test_a_backup_taken_while_commands_are_written_restores_to_a_log_that_verifies(source, new_store, tmp_path):
    file = tmp_path / "busy.backup"
    with app_on(new_store(source)) as app:
        tracker = app.extensions["tracker"]
        story(tracker)
        stop, errors = threading.Event(), []

        def write(name: str) -> None:
            try:
                i = 0
                while not stop.is_set() or i < 3:
                    tracker.register_project(
                        SALES, f"{name}-{i}", f"項目 {name}-{i}", "客戶", SERVICE, REQUIREMENTS, SOURCES
                    )
                    i += 1
            except BaseException as error:
                errors.append(error)

        writers = [threading.Thread(target=write, args=(f"W{n}",)) for n in range(2)]
        for writer in writers:
            writer.start()
        try:
            made = flask(app, "backup", "create", str(file))
        finally:
            stop.set()
            for writer in writers:
                writer.join()
        assert not errors, errors
        assert made.exit_code == 0, made.output
        assert verify(tracker.recorder).ok
    with app_on(new_store("sqlite")) as app:
        restored = flask(app, "backup", "restore", str(file))
        assert restored.exit_code == 0, restored.output
        assert "(the backup's head)" in restored.output
        assert flask(app, "audit", "replay-check").exit_code == 0


# The idempotency keys travel with the events ------------------------------------------------


@pytest.mark.parametrize(("source", "target"), on(("postgres", "sqlite"), ("sqlite", "postgres")))
def test_a_retry_after_a_restore_still_answers_the_first_answer(source, target, new_store, tmp_path):
    """A client that retries a command after the store was restored elsewhere is answered what was
    committed before the backup, and nothing is recorded twice."""
    file, source_url, target_url = tmp_path / "keys.backup", new_store(source), new_store(target)
    body = {"code": "SH-KEYS", "name": "上海應急熱線", "customer": "上海市應急管理服務中心", "service": SERVICE}
    headers = {"Authorization": f"Bearer {token(SALES)}", "Idempotency-Key": "retry-after-restore-1"}
    with app_on(source_url) as app:
        first = app.test_client().post("/api/projects", json=body, headers=headers)
        assert first.status_code == 201, first.get_json()
        assert flask(app, "backup", "create", str(file)).exit_code == 0
    with app_on(target_url) as app:
        restored = flask(app, "backup", "restore", str(file))
        assert restored.exit_code == 0, restored.output
        end = app.extensions["tracker"].recorder.max_notification_id()
        retry = app.test_client().post("/api/projects", json=body, headers=headers)
        assert app.extensions["tracker"].recorder.max_notification_id() == end
    assert (retry.status_code, retry.get_json()) == (201, first.get_json())
