"""The demo's people (``make serve DEMO=1``): one account per role, each with a fresh printed password,
so a newcomer can sign in to the pages as each role in turn."""

from __future__ import annotations

import secrets

from flask import current_app

from demo import hotline, live
from domain.access import DISABLED, NO_ACCOUNT
from domain.roles import Actor

DEMO_OPERATOR = Actor("demo.loader", "operations_director")
PEOPLE = {
    hotline.SALES: "王芳",
    hotline.DIRECTOR: "赵敏",
    hotline.PM: "李雷",
    hotline.LEADS["technology"]: "周强",
    hotline.SERVICE_MANAGER: "陈静",
    live.OPS_LEAD: "马骏",
    Actor("qian.yu", "branch_head"): "钱宇",
    Actor("he.ping", "auditor"): "何平",
}


def add_demo_accounts() -> list[str]:
    """Add the accounts still missing and give every one a new password; a line per person to print."""
    lines = []
    for person, password in give_demo_passwords().items():
        label = person.role + (f" ({person.department})" if person.department else "")
        lines.append(f"sign in at /login as {person.user} ({label}) with password {password}")
    return lines


def give_demo_passwords() -> dict[Actor, str]:
    """Each demo person's new password (disabled accounts are left alone), adding missing accounts."""
    tracker, credentials = current_app.extensions["tracker"], current_app.extensions["credentials"]
    passwords = {}
    for person, name in PEOPLE.items():
        access = tracker.access_of(person.user)
        if access is not None and access.current == DISABLED:
            continue
        password = secrets.token_urlsafe(9)
        credentials.set_password(person.user, password)
        if access is None or access.current == NO_ACCOUNT:
            tracker.add_account(DEMO_OPERATOR, person, name)
        passwords[person] = password
    return passwords
