"""Browser fixtures: the app served on a free port (on the test's storage), people with accounts,
one headless Chromium per session and a fresh context (no cookies, zh-CN locale) per test.

Without ``/usr/bin/chromium`` the browser tests are skipped locally but fail with ``CI=true``:
CI must never pass without them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, sync_playwright

from api import create_app, shutdown
from domain.roles import Actor
from tests.api.conftest import SECRET
from tests.browser import support
from tests.conftest import IN_CI
from tests.web.conftest import NAMES, PASSWORD, PEOPLE, add_account


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not support.CHROMIUM.exists():
        message = f"{support.CHROMIUM} is missing (apt-get install chromium fonts-noto-cjk)"
        if IN_CI:
            pytest.fail(f"the browser tests must run in CI: {message}")
        pytest.skip(f"{message}; set CI=true to make this fatal")
    with sync_playwright() as playwright:
        browser = support.launch(playwright)
        yield browser
        browser.close()


@pytest.fixture
def app(database_url: str) -> Iterator[Flask]:
    settings = {"DATABASE_URL": database_url, "SECRET_KEY": SECRET, "TESTING": True, "PROJECTIONS_IN_PROCESS": True}
    app = create_app(settings)
    yield app
    shutdown(app)


@pytest.fixture
def tracker(app: Flask):
    return app.extensions["tracker"]


@pytest.fixture
def served(app: Flask) -> Iterator[str]:
    with support.serving(app) as url:
        yield url


@pytest.fixture
def page(browser: Browser, served: str) -> Iterator[Page]:
    """A new browser context per test (no cookies carried over), its language 简体中文."""
    context = browser.new_context(locale="zh-CN", base_url=served, viewport={"width": 1280, "height": 800})
    context.set_default_timeout(support.TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def sign_in(app: Flask) -> Callable[[Page, Actor], None]:
    """``sign_in(page, person)``: through /login, the person's account added first when missing."""
    added: set[Actor] = set()

    def sign_in(page: Page, person: Actor) -> None:
        if person not in added:
            add_account(app, person, PEOPLE.get(person) or NAMES.get(person.user, person.user))
            added.add(person)
        support.sign_in(page, person.user, PASSWORD)

    return sign_in
