"""登录 / 退出: a person signs in at /login with their username and password, gets a session
cookie a script cannot read, and signs out; wrong passwords are refused and guessing is throttled."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest
from itsdangerous import TimestampSigner

from demo.workflow import PM
from tests.web.conftest import PASSWORD, Visitor

pytestmark = pytest.mark.backends()


def session_cookie(response) -> str:
    return next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))


def test_a_person_signs_in_lands_on_my_work_and_signs_out(visitor: Visitor) -> None:
    assert visitor.get("/").headers["Location"] == "/login?next=/"
    answer = visitor.sign_in(PM.user, next="/projects")
    assert answer.status_code == 302 and answer.headers["Location"] == "/projects"
    page = visitor.get("/").get_data(as_text=True)
    assert "我的工作" in page and "李雷" in page and "项目经理" in page
    assert visitor.sign_out().headers["Location"] == "/login"
    assert visitor.get("/").status_code == 302


def test_the_session_cookie_is_httponly_lax_and_lasts_a_working_day(visitor: Visitor) -> None:
    cookie = session_cookie(visitor.sign_in(PM.user))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    expires = parsedate_to_datetime(cookie.split("Expires=")[1].split(";")[0])
    assert abs(expires - (datetime.now(UTC) + timedelta(hours=8))) < timedelta(minutes=1)


def test_over_https_the_session_cookie_is_secure(app) -> None:
    visitor = Visitor(app.test_client())
    token = visitor.csrf_token()
    form = {"username": PM.user, "password": PASSWORD, "csrf_token": token}
    answer = visitor.client.post("/login", data=form, base_url="https://tracker.example")
    assert "Secure" in session_cookie(answer)


def test_a_wrong_password_or_unknown_user_is_refused_alike(visitor: Visitor) -> None:
    wrong = visitor.sign_in(PM.user, "not the password")
    unknown = visitor.sign_in("nobody", "not the password")
    for answer in (wrong, unknown):
        assert answer.status_code == 401
        assert "用户名或密码错误。" in answer.get_data(as_text=True)
    assert visitor.get("/").status_code == 302


def test_a_next_address_off_the_site_is_ignored(visitor: Visitor) -> None:
    assert visitor.sign_in(PM.user, next="//evil.example/").headers["Location"] == "/"


def test_five_failures_block_the_user_for_a_while_even_with_the_right_password(app) -> None:
    guesser = Visitor(app.test_client())
    for _ in range(5):
        assert guesser.sign_in(PM.user, "guess").status_code == 401
    refused = Visitor(app.test_client()).sign_in(PM.user)
    assert refused.status_code == 429
    assert "登录失败次数过多" in refused.get_data(as_text=True)


def test_five_failures_from_one_address_block_it_for_other_users_too(app) -> None:
    guesser = Visitor(app.test_client())
    address = {"environ_base": {"REMOTE_ADDR": "203.0.113.9"}}
    for user in ("a", "b", "c", "d", "e"):
        assert guesser.post("/login", {"username": user, "password": "guess"}, **address).status_code == 401
    assert guesser.post("/login", {"username": PM.user, "password": PASSWORD}, **address).status_code == 429
    assert Visitor(app.test_client()).sign_in(PM.user).status_code == 302  # another address is not blocked


def later(monkeypatch, hours: float) -> None:
    """Move the session signatures' clock ``hours`` ahead of now (the cookie's age is checked by it)."""
    now = time.time()
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(now + hours * 3600))


def test_a_working_day_without_a_request_ends_the_session(visitor: Visitor, monkeypatch) -> None:
    visitor.sign_in(PM.user)
    later(monkeypatch, 7)
    assert visitor.get("/").status_code == 200  # still in the working day, and renewed
    later(monkeypatch, 14)
    assert visitor.get("/").status_code == 200  # 7 hours after the last request
    later(monkeypatch, 22.5)
    assert visitor.get("/").headers["Location"] == "/login?next=/"


def test_pages_have_their_own_security_headers_and_a_local_htmx(visitor: Visitor) -> None:
    page = visitor.get("/login")
    policy = page.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert page.headers["X-Frame-Options"] == "DENY" and page.headers["Cache-Control"] == "no-store"
    assert '<script src="/assets/htmx.min.js" defer></script>' in page.get_data(as_text=True)
    script = visitor.get("/assets/htmx.min.js")
    assert script.status_code == 200 and b"htmx" in script.data
    script.close()


@pytest.mark.parametrize("user", ["li.lei\x00", "\x07", "x" * 5000])
def test_a_user_name_no_account_could_have_is_just_a_wrong_sign_in(visitor: Visitor, user: str) -> None:
    assert visitor.sign_in(user).status_code == 401
    assert visitor.sign_in(PM.user, next="/projects\x00").headers["Location"] == "/"


def test_a_blocked_name_from_a_new_address_is_still_refused(app) -> None:
    for n in range(5):
        Visitor(app.test_client()).post(
            "/login", {"username": PM.user, "password": "guess"}, environ_base={"REMOTE_ADDR": f"192.0.2.{n}"}
        )
    fresh_address = {"environ_base": {"REMOTE_ADDR": "192.0.2.200"}}
    assert (
        Visitor(app.test_client()).post("/login", {"username": PM.user, "password": "x"}, **fresh_address).status_code
        == 429
    )
