"""Views made by an older release gain the columns a newer one reads, by rebuilding themselves
from the log: nobody runs a migration, and the project search finds names at once."""

from __future__ import annotations

import pytest

from api import create_app, shutdown
from demo.workflow import SALES, Launch
from tests.api.conftest import SECRET
from tests.web.conftest import add_account, signed_in

pytestmark = pytest.mark.backends("sqlite", "postgres")


def app_on(database_url: str):
    settings = {"DATABASE_URL": database_url, "SECRET_KEY": SECRET, "TESTING": True, "PROJECTIONS_IN_PROCESS": True}
    return create_app(settings)


def test_views_without_the_name_column_are_rebuilt_and_found_by_name(database_url: str) -> None:
    before = app_on(database_url)
    launch = Launch(before.extensions["tracker"]).advance_to("implementation")
    add_account(before, SALES, "王芳")
    views = before.extensions["views"]
    views.ready(None)
    views.store.execute("ALTER TABLE view_aggregates DROP COLUMN name")  # as an older release left it
    shutdown(before)

    after = app_on(database_url)
    try:
        found = signed_in(after, SALES).get("/projects?q=應急熱線").get_data(as_text=True)
        assert launch.code in found and "项目实施" in found
    finally:
        shutdown(after)
