"""A new SQLite store is private to its owner (issue 11, item 5): file 0600, new folders 0700,
whatever the umask; folders that already existed keep their mode."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from demo.workflow import Launch
from domain.application import Tracker
from store.files import private_file, private_folder


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The usual umask (022), under which a file made without care is world-readable."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_a_new_sqlite_store_and_its_new_folders_are_private(tmp_path: Path, open_umask) -> None:
    tmp_path.chmod(0o755)
    path = tmp_path / "data" / "launch" / "tracker.sqlite3"
    tracker = Tracker(f"sqlite:///{path}")
    try:
        Launch(tracker).advance_to("planning")
        files = [p for p in path.parent.iterdir() if p.name.startswith(path.name)]
        assert {path.name, f"{path.name}-wal"} <= {file.name for file in files}
        for file in files:  # the database and its -wal / -shm companions
            assert mode(file) == 0o600, file
        assert mode(tmp_path / "data") == 0o700
        assert mode(tmp_path / "data" / "launch") == 0o700
        assert mode(tmp_path) == 0o755, "a folder that was there is left as it was"
    finally:
        tracker.close()


def test_the_default_store_under_var_is_private(tmp_path: Path, monkeypatch, open_umask) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    tracker = Tracker()
    try:
        Launch(tracker).register()
        assert mode(tmp_path / "var") == 0o700
        assert mode(tmp_path / "var" / "tracker.sqlite3") == 0o600
    finally:
        tracker.close()


def test_an_existing_store_file_is_opened_as_it_is(tmp_path: Path, open_umask) -> None:
    """An operator may have chosen other modes on purpose (a backup group): reopening keeps them."""
    path = tmp_path / "shared" / "tracker.sqlite3"
    first = Tracker(f"sqlite:///{path}")
    project_id = Launch(first).register().project_id
    first.close()
    path.chmod(0o640)
    again = Tracker(f"sqlite:///{path}")
    try:
        assert again.load_project(project_id).phase == "intake"
        assert mode(path) == 0o640
    finally:
        again.close()


def test_private_file_and_folder_do_not_depend_on_the_umask(tmp_path: Path) -> None:
    previous = os.umask(0)  # umask 000: everything would be world-writable
    try:
        assert private_file(tmp_path / "a" / "b" / "key")
        assert not private_file(tmp_path / "a" / "b" / "key"), "an existing file is not made again"
        private_folder(tmp_path / "c")
    finally:
        os.umask(previous)
    assert mode(tmp_path / "a" / "b" / "key") == 0o600
    assert {mode(tmp_path / name) for name in ("a", "a/b", "c")} == {0o700}
