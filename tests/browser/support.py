"""What the browser tests and the screenshot script share: Debian's Chromium driven by Playwright,
the app served on a free port, and signing in through ``/login`` as a person would.

Playwright's own browser download cannot run here; ``.ci/run`` installs ``chromium`` and
``fonts-noto-cjk`` with apt-get instead, and the browser is launched from ``/usr/bin/chromium``.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from playwright.sync_api import Browser, Page, Playwright, expect

from api.cli import dev_server

CHROMIUM = Path("/usr/bin/chromium")
# As root (CI, this machine) Chromium refuses to start sandboxed; /dev/shm may be small in containers.
ARGUMENTS = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"]
TIMEOUT_MS = 10_000
LOGIN = re.compile(r"/login(\?|$)")


def launch(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGUMENTS)


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    """The development server (``flask serve``) for ``app`` on a free port, in a thread: its URL."""
    server = dev_server(app, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def sign_in(page: Page, user: str, password: str) -> None:
    """Sign in through ``/login`` by the labels 用户名 / 密码 and the button 登录, and land on a page."""
    page.goto("/login")
    page.get_by_label("用户名").fill(user)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page).not_to_have_url(LOGIN)
