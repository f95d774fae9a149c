"""``flask --app wsgi notify add-channel|list|remove|run|deliveries`` — notification channels and the delivery process.

Channels (addresses, robot URLs, secrets) are kept in their own table, never in an event.
Settings of the process come from the app's config or the environment: ``NOTIFY_SMTP_HOST``
(``host:port``), ``NOTIFY_SMTP_FROM``, ``NOTIFY_SMTP_USER``/``_PASSWORD``/``_STARTTLS``,
``NOTIFY_BACKOFF`` (first retry after, seconds; doubled per attempt), ``NOTIFY_MAX_BACKOFF``,
``NOTIFY_SWEEP_EVERY`` (seconds between due-date sweeps).
"""

from __future__ import annotations

import os
import signal

import click
from flask import current_app
from flask.cli import AppGroup

from api.notifier import Notifier
from domain.roles import DEPARTMENTS
from projections.notifications import Notifications
from store.notifications import KINDS, Channels, Deliveries, create_tables
from store.notify_lock import Leadership

notify = AppGroup("notify", help="Notifications: channels per person or department, and the delivery process.")
LANGUAGES = ("zh-CN", "en")
SETTINGS = (
    "NOTIFY_SMTP_HOST", "NOTIFY_SMTP_FROM", "NOTIFY_SMTP_USER", "NOTIFY_SMTP_PASSWORD", "NOTIFY_SMTP_STARTTLS",
    "NOTIFY_BACKOFF", "NOTIFY_MAX_BACKOFF", "NOTIFY_SWEEP_EVERY",
)  # fmt: skip


def store():
    views_store = current_app.extensions["views"].store
    create_tables(views_store)
    return views_store


def settings() -> dict[str, object]:
    found = {key: os.environ[key] for key in SETTINGS if os.environ.get(key)}
    found.update({key: current_app.config[key] for key in SETTINGS if current_app.config.get(key) is not None})
    return found


def notifier() -> Notifier:
    app = current_app
    notifications = Notifications(app.extensions["tracker"], store(), app.extensions["notify_render"])
    views = app.extensions["views"]
    return Notifier(notifications, Leadership(app.config["DATABASE_URL"]), settings(), views.today)


@notify.command("add-channel")
@click.option("--person", help="a user name: their own channel")
@click.option("--department", type=click.Choice(DEPARTMENTS), help="a department's channel (e.g. its group robot)")
@click.option("--kind", required=True, type=click.Choice(KINDS))
@click.option("--target", required=True, help="e-mail address, or the robot's or webhook's URL")
@click.option("--secret", help="DingTalk's signing secret, or the webhook's HMAC key")
@click.option(
    "--language", type=click.Choice(LANGUAGES), help="the messages' language (default: the person's, else zh-CN)"
)
def add_channel(
    person: str | None, department: str | None, kind: str, target: str, secret: str | None, language: str | None
) -> None:
    """Add a channel for a person or a department; prints its id."""
    if bool(person) == bool(department):
        raise click.UsageError("name either --person or --department")
    if kind == "webhook" and not secret:
        raise click.UsageError("a webhook needs --secret (its HMAC-SHA256 key)")
    if kind != "email" and not target.startswith(("http://", "https://")):
        raise click.UsageError("a robot's or webhook's --target is an http(s) URL")
    owner = f"person:{person.strip()}" if person else f"department:{department}"
    channel = Channels(store()).add(owner, kind, target.strip(), secret, language)
    click.echo(f"added channel {channel.id}: {kind} for {owner}")


@notify.command("list")
def list_channels() -> None:
    """Every channel (secrets not shown)."""
    for channel in Channels(store()).all():
        signed = " (signed)" if channel.secret else ""
        click.echo(f"{channel.id}  {channel.owner}  {channel.kind}  {channel.target}{signed}  {channel.language or ''}")


@notify.command("remove")
@click.argument("channel_id")
def remove_channel(channel_id: str) -> None:
    """Remove a channel; its pending deliveries are dropped (recorded as such in the log)."""
    if not Channels(store()).remove(channel_id):
        raise click.UsageError(f"no channel {channel_id}")
    click.echo(f"removed channel {channel_id}")


@notify.command("deliveries")
@click.option("--limit", default=50, show_default=True)
def list_deliveries(limit: int) -> None:
    """The latest deliveries (the log the auditor reads at /api/notifications/deliveries)."""
    for row in Deliveries(store()).log(limit):
        click.echo(f"{row['created_at']}  {row['id']}  {row['rule']}  {row['recipient']}  {row['status']}  "
                   f"attempts {row['attempts']}  {row['last_error'] or ''}")  # fmt: skip


@notify.command("run")
@click.option("--poll", default=1.0, show_default=True, help="seconds between rounds")
def run(poll: float) -> None:
    """Deliver while this process leads (one at a time, the others stand by); stop with Ctrl-C or SIGTERM."""
    from api.cli import SignalStop

    stop = SignalStop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, stop.set)
    click.echo("notifications: delivering when this process leads, standing by otherwise", err=True)
    notifier().run_forever(stop, poll)
