"""``TRACKER_TODAY`` over HTTP: /readyz shows it, and the API refuses a date of something that
happened after it (422 naming the field, nothing recorded)."""

from __future__ import annotations

import pytest

from api import create_app, shutdown
from demo.workflow import PM, Launch
from tests.api.conftest import SECRET, Http
from tests.web.conftest import stored


@pytest.mark.backends("sqlite", "postgres")
def test_the_environments_tracker_today_is_today_for_readyz_and_the_date_rule(database_url, monkeypatch):
    monkeypatch.setenv("TRACKER_TODAY", "2027-01-10")
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": SECRET, "TESTING": True})
    try:
        http, tracker = Http(app.test_client()), app.extensions["tracker"]
        assert http.get(None, "/readyz").get_json()["today"] == "2027-01-10"
        pid = Launch(tracker).advance_to("implementation").project_id
        before = stored(tracker, pid)
        body = {"held_on": "2027-01-11", "participants": ["hr"], "decisions": ["later"]}
        refused = http.post(PM, f"/api/projects/{pid}/meetings", json=body)
        assert refused.status_code == 422, refused.get_json()
        assert list(refused.get_json()["errors"]) == ["held_on"]
        assert stored(tracker, pid) == before
        assert http.post(PM, f"/api/projects/{pid}/meetings", json={**body, "held_on": "2027-01-10"}).status_code == 200
    finally:
        shutdown(app)


def test_a_bad_tracker_today_refuses_to_start(monkeypatch, tmp_path):
    monkeypatch.setenv("TRACKER_TODAY", "tomorrow")
    with pytest.raises(ValueError, match="TRACKER_TODAY"):
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 't.sqlite3'}", "SECRET_KEY": SECRET, "TESTING": True})


def test_the_demo_asks_for_a_today_after_its_last_recorded_day(tmp_path):
    settings = {"DATABASE_URL": f"sqlite:///{tmp_path / 't.sqlite3'}", "SECRET_KEY": SECRET, "TESTING": True}
    app = create_app({**settings, "TRACKER_TODAY": "2026-12-01"})
    try:
        result = app.test_cli_runner().invoke(args=["demo", "load"])
        assert result.exit_code != 0 and "TRACKER_TODAY=2027-03-15" in result.output
        assert app.extensions["tracker"].recorder.max_notification_id() in (None, 0)
    finally:
        shutdown(app)
