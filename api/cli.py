"""Flask CLI: ``users issue-token``, ``users revoke``, ``demo load``, ``serve`` (``flask --app wsgi …``)."""

from __future__ import annotations

import getpass
import signal
import time

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from api.audit_cli import audit
from api.auth import issue_token
from api.backup_cli import backup
from api.calendar_cli import calendar
from api.feeds_cli import feeds
from api.notify_cli import notify
from demo import hotline
from demo.projects import TooEarlyForTheDemo, load_all
from domain.errors import InvalidInput
from domain.project import Project
from domain.roles import DEPARTMENTS, OPERATIONS_DIRECTOR, ROLES, Actor
from projections.runner import NAMES
from store.checkpoints import DailyCheckpoint
from store.view_failures import failures

users = AppGroup("users", help="Sign-in tokens.")
demo = AppGroup("demo", help="The demo project of DOMAIN.md.")


@users.command("issue-token")
@click.option("--user", required=True, help="user name, e.g. li.lei")
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--department", type=click.Choice(DEPARTMENTS), help="required for department_lead")
@click.option("--days", type=float, default=30, show_default=True, help="days until it expires (at most 90)")
def issue_token_command(user: str, role: str, department: str | None, days: float) -> None:
    """Print a signed bearer token for a user and role."""
    try:
        actor = Actor(user, role, department)
        click.echo(issue_token(current_app.config["SECRET_KEY"], actor, days))
    except ValueError as error:
        raise click.UsageError(str(error)) from None


def operator() -> str:
    """The OS user running the command: who revokes, unless ``--by`` says otherwise."""
    try:
        return getpass.getuser()
    except Exception:  # (no login name, e.g. a container without one)
        return ""


@users.command("revoke")
@click.option("--user", required=True, help="whose tokens to revoke, e.g. li.lei")
@click.option("--reason", required=True, help="why (recorded in the history)")
@click.option("--by", default=operator, show_default="the OS user", help="who revokes (recorded)")
def revoke_command(user: str, reason: str, by: str) -> None:
    """Refuse every token of a user issued until now; tokens issued afterwards work.

    Recorded as an event by the operator (``--by``) on the operations director's authority.
    """
    if not by.strip():
        raise click.UsageError("say who revokes with --by (the OS user name is unknown)")
    try:
        outcome = current_app.extensions["tracker"].revoke_tokens(Actor(by.strip(), OPERATIONS_DIRECTOR), user, reason)
    except InvalidInput as error:
        raise click.UsageError(error.message) from None
    revoked = outcome.data["revoked_at"].isoformat()
    click.echo(f"revoked the tokens of {outcome.data['user']} issued until {revoked} (recorded by {by.strip()})")


def load_demo() -> str:
    try:
        return "\n".join(load_all(current_app.extensions["tracker"]))
    except TooEarlyForTheDemo as error:
        raise click.UsageError(str(error)) from None


@demo.command("load")
def demo_load() -> None:
    """Record the demo projects: the Shanghai hotline of DOMAIN.md live since December 2026 (a failed
    month and its rectification, requests), and a smaller campaign in implementation."""
    click.echo(load_demo())


SAMPLE_USERS = (
    hotline.PM,
    hotline.LEADS["technology"],
    Actor("he.ping", "auditor"),
)


class QuietRequestHandler(WSGIRequestHandler):
    """The development server's handler without ``Server: Werkzeug/x Python/y`` (no versions in headers)."""

    def version_string(self) -> str:
        return SERVER_NAME


SERVER_NAME = "launch-tracker"


def dev_server(app: Flask, host: str, port: int) -> BaseWSGIServer:
    """The development server ``serve`` runs (threaded; port 0: a free one, see ``server.port``)."""
    return make_server(host, port, app, threaded=True, request_handler=QuietRequestHandler)


@click.command("serve")
@click.option("--demo/--no-demo", "with_demo", default=False, help="load the demo project first")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True)
def serve(with_demo: bool, host: str, port: int) -> None:
    """Serve the API (development server) and print ready-made tokens."""
    if with_demo:
        today = current_app.extensions["tracker"].today().isoformat()
        click.echo(f"the demo lives on {today} (TRACKER_TODAY: the date the tracker takes as today)")
        click.echo(load_demo())
        for lines in current_app.extensions.get("demo_hooks", []):  # the pages' accounts, for one
            click.echo("\n".join(lines()))
    secret = current_app.config["SECRET_KEY"]
    for actor in SAMPLE_USERS:
        label = actor.role + (f" ({actor.department})" if actor.department else "")
        click.echo(f"token for {actor.user}, {label}:\n  {issue_token(secret, actor, 30)}")
    token = issue_token(secret, hotline.PM, 30)
    base = f"http://{host}:{port}"
    click.echo(f'try:\n  curl -H "Authorization: Bearer {token}" {base}/api/projects/{Project.create_id(hotline.CODE)}')
    click.echo(f"API docs: {base}/api/docs")
    server = dev_server(current_app._get_current_object(), host, port)
    server.log_startup()
    server.serve_forever()


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
    signing_key = current_app.config.get("AUDIT_SIGNING_KEY")
    verify_key = current_app.config.get("AUDIT_VERIFY_KEY")
    daily = DailyCheckpoint(runner.tracker.recorder, signing_key, verify_key) if signing_key else None
    if daily is not None:
        click.echo("signing a chain checkpoint when the last is older than 24 hours (AUDIT_SIGNING_KEY)")
    runner.run_forever(stop, poll, when_idle=daily)


@projections.command("status")
def projections_status() -> None:
    """Position and lag of each view, and the events a view skipped (the latest 20)."""
    runner = current_app.extensions["views"].runner
    positions, head = runner.store.positions(), runner.head()
    click.echo(f"log head: {head}")
    for name in NAMES:
        click.echo(f"{name}: position {positions.get(name, 0)}, lag {head - positions.get(name, 0)}")
    skipped, latest = failures(runner.store)
    click.echo(f"skipped events: {skipped}")
    for position, name, kind, error, when in latest:
        click.echo(f"  position {position} {kind}, skipped by {name} at {when}: {error}")


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
    app.cli.add_command(backup)
    app.cli.add_command(calendar)
    app.cli.add_command(notify)
    app.cli.add_command(feeds)
