"""Flask CLI: ``users issue-token``, ``demo load``, ``serve`` (``flask --app wsgi …``)."""

from __future__ import annotations

import signal
import time

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from werkzeug.serving import run_simple

from api.audit_cli import audit
from api.auth import issue_token
from demo import hotline
from domain.errors import RuleViolated
from domain.project import Project
from domain.roles import DEPARTMENTS, ROLES, Actor
from projections.runner import NAMES

users = AppGroup("users", help="Sign-in tokens.")
demo = AppGroup("demo", help="The demo project of DOMAIN.md.")


@users.command("issue-token")
@click.option("--user", required=True, help="user name, e.g. li.lei")
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--department", type=click.Choice(DEPARTMENTS), help="required for department_lead")
@click.option("--days", type=float, default=30, show_default=True, help="days until it expires")
def issue_token_command(user: str, role: str, department: str | None, days: float) -> None:
    """Print a signed bearer token for a user and role."""
    try:
        actor = Actor(user, role, department)
        click.echo(issue_token(current_app.config["SECRET_KEY"], actor, days))
    except ValueError as error:
        raise click.UsageError(str(error)) from None


def load_demo() -> str:
    tracker = current_app.extensions["tracker"]
    try:
        project_id = hotline.load(tracker)
        return f"demo project {hotline.CODE} loaded: {project_id}"
    except RuleViolated as error:
        if error.rule != "code_unique":
            raise
        return f"demo project {hotline.CODE} was already loaded: {Project.create_id(hotline.CODE)}"


@demo.command("load")
def demo_load() -> None:
    """Record the Shanghai hotline of DOMAIN.md up to its trial review."""
    click.echo(load_demo())


SAMPLE_USERS = (
    hotline.PM,
    hotline.LEADS["technology"],
    Actor("he.ping", "auditor"),
)


@click.command("serve")
@click.option("--demo/--no-demo", "with_demo", default=False, help="load the demo project first")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True)
def serve(with_demo: bool, host: str, port: int) -> None:
    """Serve the API (development server) and print ready-made tokens."""
    if with_demo:
        click.echo(load_demo())
    secret = current_app.config["SECRET_KEY"]
    for actor in SAMPLE_USERS:
        label = actor.role + (f" ({actor.department})" if actor.department else "")
        click.echo(f"token for {actor.user}, {label}:\n  {issue_token(secret, actor, 30)}")
    token = issue_token(secret, hotline.PM, 30)
    base = f"http://{host}:{port}"
    click.echo(f'try:\n  curl -H "Authorization: Bearer {token}" {base}/api/projects/{Project.create_id(hotline.CODE)}')
    click.echo(f"API docs: {base}/api/docs")
    run_simple(host, port, current_app._get_current_object(), threaded=True)


projections = AppGroup("projections", help="The views built from events.")


class SignalStop:
    """A stop flag that a signal handler may set.

    ``threading.Event.set`` takes the event's lock, which the interrupted main thread may be
    holding (inside its own ``wait``): a SIGTERM landing there hung the process for good.
    """

    def __init__(self) -> None:
        self.stopped = False

    def set(self, *_: object) -> None:
        self.stopped = True

    def is_set(self) -> bool:
        return self.stopped

    def wait(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while not self.stopped and (left := deadline - time.monotonic()) > 0:
            time.sleep(min(left, 0.1))  # (a signal does not cut a sleep short: SIGTERM is seen within 0.1 s)
        return self.stopped


@projections.command("run")
@click.option("--poll", default=0.2, show_default=True, help="seconds to wait when caught up")
def projections_run(poll: float) -> None:
    """Keep every view up to date (a process of its own in production); stop with Ctrl-C or SIGTERM."""
    runner = current_app.extensions["views"].runner
    stop = SignalStop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, stop.set)
    click.echo(f"projections running from positions {runner.store.positions() or 'none (from the start)'}")
    runner.run_forever(stop, poll)


@projections.command("status")
def projections_status() -> None:
    """Position and lag of each view."""
    runner = current_app.extensions["views"].runner
    positions, head = runner.store.positions(), runner.head()
    click.echo(f"log head: {head}")
    for name in NAMES:
        click.echo(f"{name}: position {positions.get(name, 0)}, lag {head - positions.get(name, 0)}")


@projections.command("rebuild")
@click.argument("name", required=False, type=click.Choice(NAMES))
def projections_rebuild(name: str | None) -> None:
    """Drop a view (or all) and replay it from the first event."""
    runner = current_app.extensions["views"].runner
    names = (name,) if name else NAMES
    click.echo(f"rebuilt {', '.join(names)} from {runner.rebuild(names)} events")


def register_cli(app: Flask) -> None:
    app.cli.add_command(users)
    app.cli.add_command(demo)
    app.cli.add_command(serve)
    app.cli.add_command(projections)
    app.cli.add_command(audit)
