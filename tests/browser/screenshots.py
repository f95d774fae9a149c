"""``make screenshots`` (``python -m tests.browser.screenshots``): the main pages in both languages,
as the right person sees them, written to ``docs/screenshots/<page>-<language>.png``.

The app runs with the demo loaded (``demo load``: the hotline live since December 2026, the campaign in
implementation) on a temporary SQLite file; each person signs in with the password the demo gives
them. A page not built yet (404) is skipped with a note: add pages to ``PAGES`` as they come.
"""

from __future__ import annotations

import logging
import os
import secrets
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from playwright.sync_api import Browser, sync_playwright

from api import create_app, shutdown
from demo import hotline, outbound
from demo.projects import DEMO_TODAY, load_all
from domain.project import Project
from domain.roles import Actor
from tests.browser import support
from web.demo_accounts import give_demo_passwords

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
LANGUAGES = ("zh-CN", "en")
VIEWPORT = {"width": 1280, "height": 600}  # the shots are full pages: as tall as their content
PM, TECH_LEAD, BRANCH_HEAD, SALES = hotline.PM, outbound.TECH_LEAD, outbound.BRANCH_HEAD, hotline.SALES
AUDITOR = Actor("he.ping", "auditor")


@dataclass(frozen=True)
class Shot:
    """One main page: its file name, who looks at it (None: signed out), its path (``{ids}`` filled)."""

    name: str
    person: Actor | None
    path: str


PAGES = (
    Shot("login", None, "/login"),
    Shot("home", PM, "/"),
    Shot("home-lead", TECH_LEAD, "/"),
    Shot("home-branch-head", BRANCH_HEAD, "/"),
    Shot("projects", PM, "/projects"),
    Shot("new-project", SALES, "/projects/new"),
    Shot("project", PM, "/projects/{hotline}"),
    Shot("plan", PM, "/projects/{hotline}/plan"),
    Shot("tickets", PM, "/projects/{campaign}/tickets"),
    Shot("ticket", BRANCH_HEAD, "/tickets/{escalated}"),
    Shot("department", TECH_LEAD, "/departments/technology"),
    Shot("review", PM, "/reviews/{review}"),
    Shot("contract", PM, "/projects/{hotline}/contract"),
    Shot("audit", AUDITOR, "/audit"),
    Shot("history", AUDITOR, "/projects/{hotline}/history"),
)


def demo_app(folder: Path) -> tuple[Flask, dict[str, str], dict[Actor, str]]:
    """The app on a fresh SQLite file with the demo loaded: the ids the paths need, the passwords."""
    settings = {
        "DATABASE_URL": f"sqlite:///{folder / 'demo.sqlite3'}",
        "SECRET_KEY": secrets.token_hex(32),
        "PROJECTIONS_IN_PROCESS": True,
        "TRACKER_TODAY": os.environ.get("TRACKER_TODAY") or DEMO_TODAY.isoformat(),  # as make serve DEMO=1
    }
    app = create_app(settings)
    tracker = app.extensions["tracker"]
    with app.app_context():
        load_all(tracker)
        passwords = give_demo_passwords()
    project = tracker.load_project(Project.create_id(hotline.CODE))
    campaign = tracker.load_project(Project.create_id(outbound.CODE))
    escalated = next(t for t in tracker.tickets_of(campaign) if t.state == "alternative_escalated")
    ids = {
        "hotline": str(project.id),
        "campaign": str(campaign.id),
        "escalated": str(escalated.id),
        "review": str(project.reviews[-1]["review_id"]),
    }
    return app, ids, passwords


def take(browser: Browser, url: str, ids: dict[str, str], passwords: dict[Actor, str]) -> list[str]:
    """Every page of ``PAGES`` in both languages; the notes on the pages skipped."""
    notes = []
    people = {shot.person for shot in PAGES}
    for person in sorted(people, key=lambda p: (p is not None, p and p.user)):
        context = browser.new_context(locale="zh-CN", base_url=url, viewport=VIEWPORT)
        context.set_default_timeout(support.TIMEOUT_MS)
        page = context.new_page()
        if person is not None:
            support.sign_in(page, person.user, passwords[person])
        for language in LANGUAGES:
            context.add_cookies([{"name": "lang", "value": language, "url": url}])
            for shot in (shot for shot in PAGES if shot.person == person):
                path = shot.path.format(**ids)
                response = page.goto(path)
                if response is None or response.status == 404:
                    if language == LANGUAGES[0]:
                        notes.append(f"skipped {shot.name}: {path} is not there yet")
                    continue
                file = OUT / f"{shot.name}-{language}.png"
                page.screenshot(path=str(file), full_page=True)
                print(f"wrote {file.relative_to(OUT.parent.parent)} ({response.status})")
        context.close()
    return notes


def main() -> int:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        app, ids, passwords = demo_app(Path(folder))
        try:
            with support.serving(app) as url, sync_playwright() as playwright:
                browser = support.launch(playwright)
                notes = take(browser, url, ids, passwords)
                browser.close()
        finally:
            shutdown(app)
    print("\n".join(notes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
