"""``flask audit replay-check``: live views equal a replay from zero, and damage is named."""

import pytest

from api import create_app, shutdown
from demo import hotline
from demo.projects import DEMO_TODAY
from projections.replay_check import every_view


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


@pytest.mark.backends("sqlite")
def test_replay_check_compares_the_live_months_rectifications_and_requests(app):
    project_id = hotline.load(app.extensions["tracker"])
    app.extensions["views"].runner.catch_up()
    views = every_view(app.extensions["views"].store, app.extensions["tracker"].mapper, DEMO_TODAY)
    months = {m["month"]: m["outcome"] for m in views[f"assessments {project_id}"]["items"]}
    assert months == {"2026-12": "passed", "2027-01": "failed", "2027-02": "passed", "2027-03": "open"}
    assert [r["state"] for r in views[f"assessments {project_id}"]["rectifications"]] == ["closed"]
    assert [r["state"] for r in views[f"requests {project_id}"]["items"]] == ["fulfilled", "open"]

    app.extensions["views"].store.execute(
        "DELETE FROM view_aggregates WHERE kind = 'project' AND id = ?", (str(project_id),)
    )
    damaged = app.test_cli_runner().invoke(args=["audit", "replay-check"])
    assert damaged.exit_code == 1
    for view in (f"assessments {project_id}", f"requests {project_id}", f"reviews {project_id}"):
        assert view in damaged.output
