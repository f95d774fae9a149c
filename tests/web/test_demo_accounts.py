"""``make serve DEMO=1``: one account per role with a printed password, so a newcomer can sign in as each."""

from __future__ import annotations

import pytest
from flask import Flask

from domain.access import UserAccess
from domain.roles import ROLES
from tests.web.conftest import Visitor
from web.demo_accounts import PEOPLE, add_demo_accounts

pytestmark = pytest.mark.backends()


def printed(app: Flask) -> dict[str, str]:
    with app.app_context():
        lines = add_demo_accounts()
    return {line.split(" as ")[1].split(" ")[0]: line.rsplit(" ", 1)[1] for line in lines}


def test_every_role_can_sign_in_with_the_printed_password(app: Flask) -> None:
    passwords = printed(app)
    assert {person.role for person in PEOPLE} == set(ROLES)
    for user, password in passwords.items():
        assert Visitor(app.test_client()).sign_in(user, password).status_code == 302, user


def test_loading_again_gives_new_passwords_and_records_no_second_account(app: Flask, tracker) -> None:
    first = printed(app)
    before = {user: len(list(tracker.events.get(UserAccess.create_id(user)))) for user in first}
    second = printed(app)
    assert all(first[user] != second[user] for user in first)
    assert {user: len(list(tracker.events.get(UserAccess.create_id(user)))) for user in first} == before
    assert Visitor(app.test_client()).sign_in("li.lei", first["li.lei"]).status_code == 401
