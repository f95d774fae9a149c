"""``users add`` / ``users disable``: a person's account is recorded (who, when, why), their password
is kept apart from the events, and disabling ends their pages and their API tokens at once."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask import Flask

from api.auth import issue_token
from demo.workflow import HR_LEAD, PM
from domain.access import UserAccess
from domain.roles import Actor
from projections.audit_log import audit_rows
from projections.replay_check import replay_check
from projections.summary import describe_row
from tests.api.conftest import SECRET
from tests.web.conftest import PASSWORD, Visitor

pytestmark = pytest.mark.backends()


def disable(app: Flask, user: str, *reason: str):
    return app.test_cli_runner().invoke(args=["users", "disable", "--user", user, *reason, "--by", "ops.admin"])


def history(tracker, user: str) -> list:
    return list(tracker.events.get(UserAccess.create_id(user)))


def test_adding_an_account_records_who_and_what_but_never_the_password(app, tracker) -> None:
    events = history(tracker, PM.user)
    added = events[-1]
    assert type(added).__name__ == "AccountAdded"
    assert (added.actor, added.role) == ("ops.admin", "operations_director")
    assert (added.user, added.account_role, added.name) == (PM.user, PM.role, "李雷")
    stored = b"".join(item.state for item in tracker.recorder.select_events(UserAccess.create_id(PM.user)))
    assert PASSWORD.encode() not in stored and b"scrypt" not in stored


def test_an_account_cannot_be_added_twice_and_its_password_stays(app, tracker) -> None:
    before = history(tracker, PM.user)
    again = app.test_cli_runner().invoke(
        args=["users", "add", "--user", PM.user, "--role", PM.role, "--password-stdin"], input="another password\n"
    )
    assert again.exit_code != 0 and "already has an account" in again.output
    assert len(history(tracker, PM.user)) == len(before)
    assert Visitor(app.test_client()).sign_in(PM.user).status_code == 302


def test_a_short_password_is_refused_and_nothing_recorded(app, tracker) -> None:
    result = app.test_cli_runner().invoke(
        args=["users", "add", "--user", "new.person", "--role", "sales", "--password-stdin"], input="short\n"
    )
    assert result.exit_code != 0 and "at least 10 characters" in result.output
    assert history(tracker, "new.person") == []


def test_a_lead_needs_a_department(app, tracker) -> None:
    result = app.test_cli_runner().invoke(
        args=["users", "add", "--user", "lead.x", "--role", "department_lead", "--password-stdin"],
        input=PASSWORD + "\n",
    )
    assert result.exit_code != 0 and "department" in result.output
    assert history(tracker, "lead.x") == []


def test_disabling_ends_the_session_the_sign_in_and_the_tokens_at_once(app, tracker) -> None:
    visitor = Visitor(app.test_client())
    visitor.sign_in(HR_LEAD.user)
    token = issue_token(SECRET, HR_LEAD)
    api = app.test_client()
    assert api.get("/api/projects", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert visitor.get("/").status_code == 200

    result = disable(app, HR_LEAD.user, "--reason", "left the company")
    assert result.exit_code == 0, result.output
    assert history(tracker, HR_LEAD.user)[-1].reason == "left the company"

    assert visitor.get("/").headers["Location"] == "/login?next=/"
    assert Visitor(app.test_client()).sign_in(HR_LEAD.user).status_code == 401
    refused = api.get("/api/projects", headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 401
    fresh = issue_token(SECRET, HR_LEAD)
    assert api.get("/api/projects", headers={"Authorization": f"Bearer {fresh}"}).status_code == 401


def test_disabling_needs_a_reason_and_an_account(app, tracker) -> None:
    before = history(tracker, PM.user)
    assert disable(app, PM.user, "--reason", "  ").exit_code != 0
    assert history(tracker, PM.user) == before
    assert disable(app, "nobody", "--reason", "typo").exit_code != 0
    assert history(tracker, "nobody") == []
    assert Visitor(app.test_client()).sign_in(PM.user).status_code == 302


def test_a_new_password_replaces_the_old_one(app) -> None:
    result = app.test_cli_runner().invoke(
        args=["users", "password", "--user", PM.user, "--password-stdin"], input="a brand new secret\n"
    )
    assert result.exit_code == 0, result.output
    assert Visitor(app.test_client()).sign_in(PM.user).status_code == 401
    assert Visitor(app.test_client()).sign_in(PM.user, "a brand new secret").status_code == 302


def test_a_token_user_without_an_account_keeps_working(app) -> None:
    token = issue_token(SECRET, Actor("api.only", "sales"))  # API users need no account
    assert app.test_client().get("/api/projects", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_the_audit_log_tells_account_changes_and_the_views_replay_them(app, tracker) -> None:
    visitor = Visitor(app.test_client())
    visitor.sign_in(PM.user)
    visitor.post("/language", {"lang": "en", "next": "/"})
    assert disable(app, HR_LEAD.user, "--reason", "moved to another company").exit_code == 0
    views = app.extensions["views"]
    views.ready(None)
    rows = [describe_row(tracker.mapper, row) for row in audit_rows(views.store, {}, 50)]
    summaries = {row["summary"] for row in rows}
    assert "ops.admin (operations_director) added an account for li.lei as project_manager" in summaries
    assert "ops.admin (operations_director) disabled the account of sun.li: moved to another company" in summaries
    assert "li.lei (project_manager) chose en as the pages' language of li.lei" in summaries
    assert all(row["project_id"] is None for row in rows)
    views.runner.catch_up()
    position, differences = replay_check(tracker, views.store, datetime.now(UTC).date())
    assert differences == [] and position == tracker.recorder.max_notification_id()


@pytest.mark.backends("sqlite")
def test_a_server_without_a_chosen_method_keeps_passwords_with_werkzeugs_full_scrypt_cost(database_url) -> None:
    """The suite's cheap hashes (tests/conftest.py) must not be what a real server gets."""
    from api import create_app, shutdown

    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": SECRET, "PASSWORD_HASH_METHOD": None})
    try:
        app.extensions["credentials"].set_password("new.person", PASSWORD)
        stored = app.extensions["views"].store.execute("SELECT password_hash FROM credentials")[0][0]
        assert stored.startswith("scrypt:32768:8:1$")
        assert app.extensions["credentials"].check_password("new.person", PASSWORD)
    finally:
        shutdown(app)
