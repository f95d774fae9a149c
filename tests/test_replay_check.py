"""``flask audit replay-check``: live views equal a replay from zero, and damage is named."""

import pytest

from api import create_app, shutdown
from demo import hotline


@pytest.fixture
def app(database_url):
    app = create_app(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": "replay-check-secret-key-of-32-bytes",
            "PROJECTIONS_IN_PROCESS": True,
        }
    )
    yield app
    shutdown(app)


@pytest.mark.backends("sqlite", "postgres")
def test_replay_check_matches_then_names_the_views_a_damaged_row_breaks(app):
    project_id = hotline.load(app.extensions["tracker"])
    cli = app.test_cli_runner()

    clean = cli.invoke(args=["audit", "replay-check"])
    assert clean.exit_code == 0, clean.output
    head = app.extensions["tracker"].recorder.max_notification_id()
    assert f"views match replay (up to position {head})" in clean.output

    app.extensions["views"].store.execute("DELETE FROM view_aggregates WHERE kind = 'ticket' AND code = 'R2'")
    damaged = cli.invoke(args=["audit", "replay-check"])
    assert damaged.exit_code == 1
    for view in (f"plan {project_id}", f"acceptance {project_id}", f"go-live {project_id}", "tickets all"):
        assert view in damaged.output

    rebuilt = cli.invoke(args=["projections", "rebuild"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert cli.invoke(args=["audit", "replay-check"]).exit_code == 0
