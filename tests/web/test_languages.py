"""简体中文 first, English second: the person's own setting, then the ``lang`` cookie of the
switch, then the browser's Accept-Language, then 简体中文; dates, money and times as people read them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from demo.workflow import PM
from domain.access import UserAccess
from tests.web.conftest import Visitor
from web.i18n import format_day, format_moment, format_money

pytestmark = pytest.mark.backends()


def language_of(page) -> str:
    html = page.get_data(as_text=True)
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


def test_simplified_chinese_is_the_default(app) -> None:
    page = Visitor(app.test_client()).get("/login")
    assert language_of(page) == "zh-CN"
    for label in ("用户名", "密码", "语言", "登录"):
        assert label in page.get_data(as_text=True)


def test_the_browsers_language_is_followed(app) -> None:
    page = Visitor(app.test_client(), "en-GB,en;q=0.9").get("/login")
    assert language_of(page) == "en"
    for label in ("Username", "Password", "Language", "Sign in"):
        assert label in page.get_data(as_text=True)
    assert language_of(Visitor(app.test_client(), "zh-TW,zh;q=0.9,en;q=0.5").get("/login")) == "zh-CN"
    assert language_of(Visitor(app.test_client(), "fr-FR").get("/login")) == "zh-CN"


def test_the_switch_sets_a_cookie_that_beats_the_browser(app) -> None:
    visitor = Visitor(app.test_client(), "zh-CN")
    switched = visitor.post("/language", {"lang": "en", "next": "/login"})
    assert switched.headers["Location"] == "/login"
    assert "lang=en" in switched.headers["Set-Cookie"]
    assert language_of(visitor.get("/login")) == "en"


def test_the_language_chosen_at_sign_in_is_kept(visitor: Visitor) -> None:
    visitor.sign_in(PM.user, lang="en")
    assert "My work" in visitor.get("/").get_data(as_text=True)


def test_the_persons_own_setting_comes_first_on_any_browser(app, tracker) -> None:
    visitor = Visitor(app.test_client())
    visitor.sign_in(PM.user)
    visitor.post("/language", {"lang": "en", "next": "/"})
    chosen = list(tracker.events.get(UserAccess.create_id(PM.user)))[-1]
    assert (type(chosen).__name__, chosen.language, chosen.actor) == ("LanguageChosen", "en", PM.user)

    elsewhere = Visitor(app.test_client(), "zh-CN")
    elsewhere.client.set_cookie("lang", "zh-CN")
    elsewhere.sign_in(PM.user)
    assert language_of(elsewhere.get("/")) == "en"


def test_dates_money_and_times_read_as_in_each_language(app) -> None:
    moment = datetime(2026, 12, 18, 1, 30, tzinfo=UTC)  # 09:30 in Shanghai
    with app.test_request_context("/", headers={"Accept-Language": "zh-CN"}):
        assert format_day(date(2026, 12, 18)) == "2026年12月18日"
        assert format_money(Decimal("109946.59")) == "¥109,946.59"
        assert format_moment(moment) == "2026年12月18日 09:30"
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert format_day(date(2026, 12, 18)) == "18 Dec 2026"
        assert format_money(Decimal("109946.59")) == "¥109,946.59"
        assert format_moment(moment) == "18 Dec 2026 09:30"
