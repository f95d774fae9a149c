"""The uploaded files go with a backup: restored into an empty store (SQLite or PostgreSQL, across
them too), every referenced file is there again and ``audit verify`` re-hashes it."""

from __future__ import annotations

import pytest

from demo.documents import pdf, png
from demo.workflow import TECH_LEAD, Launch
from tests.test_backup_restore import app_on, flask, new_store, on  # noqa: F401 (the fixture)


@pytest.mark.parametrize(("source", "target"), on(("sqlite", "postgres"), ("postgres", "sqlite")))
def test_files_referenced_by_events_are_restored_with_them(source, target, new_store, tmp_path):  # noqa: F811
    file = tmp_path / "tracker.backup"
    with app_on(new_store(source)) as app:
        tracker, files = app.extensions["tracker"], app.extensions["files"]
        launch = Launch(tracker).advance_to("implementation").issue_tickets()
        ref = next(ref for ref in launch.tickets if launch.ticket(ref).department == "technology")
        record = files.add(pdf("Delivery record"), "application/pdf", "交付記錄.pdf", TECH_LEAD.user).sha256
        photo = files.add(png(), "image/png", "機房.png", TECH_LEAD.user).sha256
        tracker.start_ticket(TECH_LEAD, launch.tickets[ref])
        tracker.submit_ticket(TECH_LEAD, launch.tickets[ref], "delivery record", [record, photo])
        assert flask(app, "backup", "create", str(file)).exit_code == 0

    with app_on(new_store(target)) as app:
        restored = flask(app, "backup", "restore", str(file))
        assert restored.exit_code == 0, restored.output
        assert "restored 2 files" in restored.output
        verified = flask(app, "audit", "verify")
        assert verified.exit_code == 0, verified.output
        assert "2 referenced files re-hashed, 0 problems" in verified.output
        files = app.extensions["files"]
        assert files.meta(record).name == "交付記錄.pdf"
        assert files.uploaded_by(photo, TECH_LEAD.user)
