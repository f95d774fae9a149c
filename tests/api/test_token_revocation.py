"""Revoking a user's tokens (issue 11, item 5): ``flask users revoke --user U --reason "…"``.

The revocation is an event (who, when, why) of the user's access record; from then on the
user's tokens issued before it answer 401 saying they were revoked, tokens issued after it
work, and other users are untouched. A revocation without a reason is refused and records
nothing. The audit log and the views' replay cope with the new events.
"""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from flask import Flask

from api import create_app, shutdown
from api.auth import issue_token
from demo.workflow import AUDITOR, PM, SALES, Launch
from domain.access import UserAccess
from domain.errors import NotAllowed
from domain.roles import Actor
from projections.replay_check import replay_check
from tests.api.conftest import SECRET

pytestmark = pytest.mark.backends()
OPERATOR = "ops.admin"


@pytest.fixture
def app(database_url: str) -> Iterator[Flask]:
    settings = {"DATABASE_URL": database_url, "SECRET_KEY": SECRET, "TESTING": True, "PROJECTIONS_IN_PROCESS": True}
    app = create_app(settings)
    yield app
    shutdown(app)


def revoke(app: Flask, *args: str):
    return app.test_cli_runner().invoke(args=["users", "revoke", *args])


def read(app: Flask, token: str, path: str):
    return app.test_client().get(path, headers={"Authorization": f"Bearer {token}"})


def test_a_revocation_refuses_the_users_earlier_tokens_and_later_ones_work(app: Flask, tracker) -> None:
    project = f"/api/projects/{Launch(tracker).advance_to('planning').project_id}"
    earlier = [issue_token(SECRET, PM), issue_token(SECRET, PM, days=90)]
    colleague = issue_token(SECRET, SALES)
    assert all(read(app, token, project).status_code == 200 for token in earlier)

    result = revoke(app, "--user", PM.user, "--reason", "laptop stolen on the metro", "--by", OPERATOR)
    assert result.exit_code == 0, result.output
    assert f"revoked the tokens of {PM.user}" in result.output

    for token in earlier:
        refused = read(app, token, project)
        assert refused.status_code == 401
        assert "revoked" in refused.get_json()["message"]
        assert refused.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'
    assert read(app, issue_token(SECRET, PM), project).status_code == 200, "a token issued afterwards works"
    assert read(app, colleague, project).status_code == 200, "other users keep their tokens"


def test_the_revocation_is_in_the_history_with_who_when_and_why(app: Flask, tracker) -> None:
    before = datetime.now(UTC)
    assert revoke(app, "--user", PM.user, "--reason", "left the company", "--by", OPERATOR).exit_code == 0
    after = datetime.now(UTC)

    revoked = tracker.history(UserAccess.create_id(PM.user))[-1]
    assert type(revoked).__name__ == "TokensRevoked"
    assert (revoked.actor, revoked.role) == (OPERATOR, "operations_director")
    assert (revoked.user, revoked.reason) == (PM.user, "left the company")
    assert before <= revoked.timestamp <= after

    audit = issue_token(SECRET, AUDITOR)
    log = read(app, audit, "/api/audit/events?type=TokensRevoked").get_json()["items"]
    assert [(e["actor"], e["role"], e["project_id"]) for e in log] == [(OPERATOR, "operations_director", None)]
    assert (
        log[0]["summary"]
        == f"{OPERATOR} (operations_director) revoked every token of {PM.user} issued until then: left the company"
    )
    csv = read(app, audit, "/api/audit/events?format=csv&type=TokensRevoked").get_data(as_text=True)
    assert "left the company" in csv


def test_a_second_revocation_moves_the_line_again(app: Flask, tracker) -> None:
    project = f"/api/projects/{Launch(tracker).advance_to('planning').project_id}"
    assert revoke(app, "--user", PM.user, "--reason", "first", "--by", OPERATOR).exit_code == 0
    between = issue_token(SECRET, PM)
    assert read(app, between, project).status_code == 200
    assert revoke(app, "--user", PM.user, "--reason", "second", "--by", OPERATOR).exit_code == 0
    assert read(app, between, project).status_code == 401
    assert [e.reason for e in tracker.history(UserAccess.create_id(PM.user))[1:]] == ["first", "second"]


def test_the_operator_defaults_to_the_os_user(app: Flask, tracker) -> None:
    assert revoke(app, "--user", PM.user, "--reason", "rotation").exit_code == 0
    assert tracker.history(UserAccess.create_id(PM.user))[-1].actor == getpass.getuser()


@pytest.mark.parametrize(
    "args",
    [("--user", PM.user), ("--user", PM.user, "--reason", "   "), ("--user", " ", "--reason", "why"), ()],
    ids=["no reason", "blank reason", "blank user", "nothing"],
)
def test_a_refused_revocation_records_nothing_and_tokens_keep_working(app: Flask, tracker, args) -> None:
    project = f"/api/projects/{Launch(tracker).advance_to('planning').project_id}"
    token = issue_token(SECRET, PM)
    position = tracker.recorder.max_notification_id()
    result = revoke(app, *args, "--by", OPERATOR)
    assert result.exit_code == 2, result.output
    assert "Error" in result.output and "Traceback" not in result.output
    assert tracker.recorder.max_notification_id() == position
    assert tracker.access_of(PM.user) is None
    assert read(app, token, project).status_code == 200


def test_only_the_operations_director_may_revoke(tracker) -> None:
    position = tracker.recorder.max_notification_id()
    with pytest.raises(NotAllowed):
        tracker.revoke_tokens(Actor("li.lei", "project_manager"), SALES.user, "dislike")
    assert tracker.recorder.max_notification_id() == position


def test_the_views_replay_the_same_with_revocations_in_the_log(app: Flask, tracker) -> None:
    launch = Launch(tracker).advance_to("planning")
    assert revoke(app, "--user", PM.user, "--reason", "rotation", "--by", OPERATOR).exit_code == 0
    launch.draft()
    launch.submit_plan()
    launch.approve_plan()
    launch.issue_tickets()
    assert revoke(app, "--user", PM.user, "--reason", "again", "--by", OPERATOR).exit_code == 0
    views = app.extensions["views"]
    views.runner.catch_up()
    position, differences = replay_check(tracker, views.store, datetime.now(UTC).date())
    assert position == tracker.recorder.max_notification_id()
    assert differences == []
    assert views.runner.rebuild() == position


def test_a_token_is_checked_with_one_read_of_the_users_access(app: Flask, tracker, monkeypatch) -> None:
    """Sign-in reads the access record once per request, and no more (no snapshot look-up)."""
    project = f"/api/projects/{Launch(tracker).advance_to('planning').project_id}"
    assert revoke(app, "--user", PM.user, "--reason", "rotation", "--by", OPERATOR).exit_code == 0
    token = issue_token(SECRET, PM)
    reads: list[object] = []
    select = tracker.events.recorder.select_events
    access_id = UserAccess.create_id(PM.user)

    def counted(originator_id, *args, **kwargs):
        if originator_id == access_id:
            reads.append(originator_id)
        return select(originator_id, *args, **kwargs)

    monkeypatch.setattr(tracker.events.recorder, "select_events", counted)
    assert read(app, token, project).status_code == 200
    assert len(reads) == 1
