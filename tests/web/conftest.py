"""Page fixtures: the app on the test's storage, people with accounts, and a browser-like client.

Accounts are added the way an administrator adds them (``flask users add … --password-stdin``);
``Visitor`` signs in through ``/login`` with the form's CSRF token, as a browser would.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest
from flask import Flask
from flask.testing import FlaskClient

from api import create_app, shutdown
from demo.workflow import AUDITOR, HR_LEAD, PM, SALES
from domain.roles import Actor
from tests.api.conftest import SECRET

PASSWORD = "correct horse battery"
PEOPLE = {PM: "李雷", HR_LEAD: "孙丽", AUDITOR: "何平", SALES: "王芳"}
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def app(database_url: str) -> Iterator[Flask]:
    settings = {"DATABASE_URL": database_url, "SECRET_KEY": SECRET, "TESTING": True, "PROJECTIONS_IN_PROCESS": True}
    app = create_app(settings)
    for actor, name in PEOPLE.items():
        add_account(app, actor, name)
    yield app
    shutdown(app)


def add_account(app: Flask, actor: Actor, name: str, password: str = PASSWORD):
    args = ["users", "add", "--user", actor.user, "--role", actor.role, "--name", name, "--password-stdin"]
    if actor.department:
        args += ["--department", actor.department]
    result = app.test_cli_runner().invoke(args=[*args, "--by", "ops.admin"], input=password + "\n")
    assert result.exit_code == 0, result.output
    return result


class Visitor:
    """One browser: its cookies, its language header, and the pages it asks for."""

    def __init__(self, client: FlaskClient, accept_language: str | None = None) -> None:
        self.client = client
        self.headers = {"Accept-Language": accept_language} if accept_language else {}

    def get(self, path: str, **kw):
        return self.client.get(path, headers=self.headers, **kw)

    def csrf_token(self, path: str = "/login") -> str:
        return CSRF.search(self.get(path).get_data(as_text=True)).group(1)

    def post(self, path: str, data: dict, with_token: bool = True, **kw):
        form = {**data, "csrf_token": self.csrf_token()} if with_token else data
        return self.client.post(path, data=form, headers=self.headers, **kw)

    def sign_in(self, user: str, password: str = PASSWORD, **extra: str):
        return self.post("/login", {"username": user, "password": password, **extra})

    def sign_out(self):
        return self.post("/logout", {})


@pytest.fixture
def visitor(app: Flask) -> Visitor:
    return Visitor(app.test_client())


@pytest.fixture
def tracker(app: Flask):
    return app.extensions["tracker"]


class VisibleText(HTMLParser):
    """What a reader sees: text outside scripts and styles, and outside elements marked in another
    language (the language switch names each language in its own words)."""

    SKIP = {"script", "style"}
    VOID = {"meta", "link", "input", "br", "img", "hr"}

    def __init__(self, page_language: str) -> None:
        super().__init__()
        self.page_language = page_language
        self.stack: list[bool] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        lang = dict(attrs).get("lang")
        hidden = tag in self.SKIP or (lang is not None and tag != "html" and lang != self.page_language)
        self.stack.append(hidden or (bool(self.stack) and self.stack[-1]))

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)


def visible_text(html: str, page_language: str) -> str:
    parser = VisibleText(page_language)
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


NAMES = {"zhao.min": "赵敏", "han.mei": "韩梅", "chen.jing": "陈静", "qian.yu": "钱宇", "zhou.qiang": "周强",
         "wu.hong": "吴红", "zheng.hao": "郑浩", "ma.jun": "马骏"}  # fmt: skip


def signed_in(app: Flask, person: Actor, language: str | None = None) -> Visitor:
    """A browser signed in as ``person``; the account is added first if it is not there yet
    (the four of ``PEOPLE`` always are: adding an account costs a password hash)."""
    added = app.extensions.setdefault("test_accounts", set(PEOPLE))
    if person not in added:
        add_account(app, person, NAMES.get(person.user, person.user))
        added.add(person)
    visitor = Visitor(app.test_client(), language)
    visitor.sign_in(person.user)
    return visitor


def stored(tracker, aggregate_id) -> list[str]:
    """The aggregate's event types, to show a refused step recorded nothing."""
    return [type(event).__name__ for event in tracker.history(aggregate_id)]
