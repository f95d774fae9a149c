"""One DATABASE_URL picks the store; a wrong one is refused with a clear message."""

import pytest

from demo.workflow import Launch
from domain.application import Tracker
from store import database as storage


def test_default_is_an_sqlite_file_under_var(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    env = storage.env_for()
    assert env == {
        "PERSISTENCE_MODULE": "store.sqlite:PrivateSQLiteFactory",
        "SQLITE_DBNAME": "var/tracker.sqlite3",
        "SQLITE_LOCK_TIMEOUT": "10",
        "APPLICATION_RECORDER_TOPIC": "store.chain.recorders:ChainedSQLiteRecorder",
    }
    Tracker().close()
    assert (tmp_path / "var" / "tracker.sqlite3").is_file()


def test_four_slashes_give_an_absolute_sqlite_path(tmp_path):
    env = storage.env_for(f"sqlite:///{tmp_path}/data/t.sqlite3")
    assert env["SQLITE_DBNAME"] == f"{tmp_path}/data/t.sqlite3"


def test_postgres_url_maps_to_the_library_settings():
    env = storage.env_for("postgresql://tracker:s%40cret@db.local:6543/launch?schema=app&pool_size=8&max_overflow=4")
    assert env == {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": "launch",
        "POSTGRES_HOST": "db.local",
        "POSTGRES_PORT": "6543",
        "POSTGRES_USER": "tracker",
        "POSTGRES_PASSWORD": "s@cret",
        "POSTGRES_SCHEMA": "app",
        "POSTGRES_POOL_SIZE": "8",
        "POSTGRES_MAX_OVERFLOW": "4",
        "APPLICATION_RECORDER_TOPIC": "store.chain.recorders:ChainedPostgresRecorder",
        "STORE_FACTORY_TOPIC": "store.postgres:PostgresFactory",
    }


@pytest.mark.parametrize(
    "url", ["mysql://root@localhost/db", "sqlite://", "sqlite:///:memory:", "postgresql://u@h/db?colour=red"]
)
def test_unusable_database_url_is_refused(url):
    with pytest.raises(ValueError):
        storage.env_for(url)


@pytest.mark.backends("sqlite", "postgres")
def test_store_keeps_the_project_across_restarts(database_url):
    first = Tracker(database_url)
    pid = Launch(first).advance_to("plan_review").project_id
    first.close()
    reopened = Tracker(database_url)
    try:
        assert reopened.load_project(pid).phase == "plan_review"
    finally:
        reopened.close()
