"""Every page form carries a CSRF token: a POST without it (a form sent from another site) is
refused, and nothing is recorded."""

from __future__ import annotations

import pytest

from demo.workflow import PM
from domain.access import UserAccess
from tests.web.conftest import PASSWORD, Visitor

pytestmark = pytest.mark.backends()


def test_a_language_switch_without_the_token_is_refused_and_records_nothing(visitor: Visitor, tracker) -> None:
    visitor.sign_in(PM.user)
    before = list(tracker.events.get(UserAccess.create_id(PM.user)))
    refused = visitor.post("/language", {"lang": "en", "next": "/"}, with_token=False)
    assert refused.status_code == 400
    assert "未记录任何内容" in refused.get_data(as_text=True)
    assert "lang=" not in refused.headers.get("Set-Cookie", "")
    assert list(tracker.events.get(UserAccess.create_id(PM.user))) == before


def test_a_sign_out_without_the_token_is_refused_and_the_session_stays(visitor: Visitor) -> None:
    visitor.sign_in(PM.user)
    assert visitor.post("/logout", {}, with_token=False).status_code == 400
    assert visitor.get("/").status_code == 200


def test_a_sign_in_without_the_token_is_refused(visitor: Visitor) -> None:
    answer = visitor.post("/login", {"username": PM.user, "password": PASSWORD}, with_token=False)
    assert answer.status_code == 400
    assert visitor.get("/").status_code == 302


def test_a_token_from_another_session_is_refused(app, tracker) -> None:
    stranger = Visitor(app.test_client())
    token = stranger.csrf_token()
    victim = Visitor(app.test_client())
    victim.sign_in(PM.user)
    before = list(tracker.events.get(UserAccess.create_id(PM.user)))
    answer = victim.client.post("/language", data={"lang": "en", "csrf_token": token})
    assert answer.status_code == 400
    assert list(tracker.events.get(UserAccess.create_id(PM.user))) == before
