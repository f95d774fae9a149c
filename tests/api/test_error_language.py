"""The API's error message and the audit log's sentences follow Accept-Language: Chinese when asked
for, English otherwise (and without the header, as clients have always read them); the codes and
``errors`` stay as they are."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from api import create_app, shutdown
from demo.workflow import AUDITOR, PM, SALES, Launch, stored
from tests.api.conftest import SECRET
from tests.api.views_support import head

pytestmark = pytest.mark.backends()


@pytest.fixture
def app(database_url: str) -> Iterator[Flask]:
    """The app with its views kept in the process (the audit log is a view)."""
    settings = {"DATABASE_URL": database_url, "SECRET_KEY": SECRET, "TESTING": True, "PROJECTIONS_IN_PROCESS": True}
    app = create_app(settings)
    yield app
    shutdown(app)


@pytest.fixture
def launch(app) -> Launch:
    return Launch(app.extensions["tracker"]).advance_to("planning").draft()


def submit(http, launch: Launch, language: str | None):
    headers = {"Accept-Language": language} if language else {}
    return http.post(SALES, f"/api/projects/{launch.project_id}/plan/submission", headers=headers)


def test_a_refused_command_is_explained_in_the_language_asked_for(http, launch: Launch) -> None:
    before = stored(launch.tracker, launch.project_id)
    chinese, english, plain = (submit(http, launch, language) for language in ("zh-CN", "en", None))
    assert chinese.status_code == english.status_code == plain.status_code == 403
    assert "此操作需要：项目经理。" in chinese.get_json()["message"]
    assert english.get_json()["message"] == plain.get_json()["message"]
    assert english.get_json()["message"].startswith("a sales may not submit plan")
    assert chinese.get_json()["errors"] == english.get_json()["errors"]
    assert stored(launch.tracker, launch.project_id) == before


def test_a_rule_is_named_and_its_reason_code_stays_english(http, launch: Launch) -> None:
    launch.submit_plan().approve_plan()
    refused = http.post(PM, f"/api/projects/{launch.project_id}/plan/submission", headers={"Accept-Language": "zh-CN"})
    answer = refused.get_json()
    assert refused.status_code == 409 and answer["errors"]["reason"] in ("invalid_transition", "rule_violated")
    assert not any(c.isascii() and c.isalpha() for c in answer["message"]), answer["message"]


def test_the_audit_sentences_follow_accept_language(http, launch: Launch) -> None:
    path = f"/api/audit/events?type=Registered&after={head(http.client.application)}"
    chinese = http.get(AUDITOR, path, headers={"Accept-Language": "zh-CN"})
    plain = http.get(AUDITOR, path)
    assert "登记了项目" in chinese.get_json()["items"][0]["summary"]
    assert plain.get_json()["items"][0]["summary"].startswith("wang.fang (sales) registered project")
