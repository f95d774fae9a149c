"""``flask --app wsgi feeds create|list|revoke`` — calendar feed URLs for a person or a project.

The token is printed once (only its hash is kept); give the URL to the person, who subscribes to
it in Outlook, DingTalk or a phone's calendar. ``revoke`` ends it at once.
"""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from projections.reading import Reader
from store.calendar_feeds import PERSON, PROJECT, FeedTokens

feeds = AppGroup("feeds", help="Calendar feeds (/calendar/<token>.ics): create, list, revoke.")


def tokens() -> FeedTokens:
    return FeedTokens(current_app.extensions["views"].store)


@feeds.command("create")
@click.option("--person", help="a user name: their due dates, reviews and go-live days")
@click.option("--project", help="a project code: its milestones and open tickets' due dates")
@click.option("--base-url", default="", help="the server's address, to print the whole URL")
def create(person: str | None, project: str | None, base_url: str) -> None:
    """Make a feed URL (printed once)."""
    if bool(person) == bool(project):
        raise click.UsageError("name either --person or --project")
    if person:
        access = current_app.extensions["tracker"].access_of(person.strip())
        if access is None or access.holder() is None:
            raise click.UsageError(f"{person} has no active account")
        kind, subject = PERSON, access.user
    else:
        store = current_app.extensions["views"].store
        ids = Reader(store, current_app.extensions["tracker"].mapper).ids("project", [("code = ?", (project,))])
        if not ids:
            raise click.UsageError(f"no project {project}")
        kind, subject = PROJECT, ids[0]
    token = tokens().create(kind, subject)
    click.echo(f"{base_url.rstrip('/')}/calendar/{token}.ics")


@feeds.command("list")
def list_feeds() -> None:
    """Every feed (its id, whose, since when, revoked when); never the token."""
    for feed in tokens().all():
        revoked = f"  revoked {feed.revoked_at}" if feed.revoked_at else ""
        click.echo(f"{feed.id}  {feed.kind}  {feed.subject}  created {feed.created_at}{revoked}")


@feeds.command("revoke")
@click.argument("feed_id")
def revoke(feed_id: str) -> None:
    """End a feed (its id from ``feeds list``)."""
    if not tokens().revoke(feed_id):
        raise click.UsageError(f"no feed {feed_id} to revoke")
    click.echo(f"revoked feed {feed_id}")
