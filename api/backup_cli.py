"""``flask --app wsgi backup create|restore FILE`` — the event store in one portable file (``store/``)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from api.audit_cli import audit_keys
from store import checkpoints
from store.backup import create
from store.restore import restore
from store.tables import BackupError

backup = AppGroup("backup", help="Back up the event store to one file, restore it into an empty store.")
FILE = click.Path(dir_okay=False, path_type=Path)


@backup.command("create")
@click.argument("file", type=FILE)
def backup_create(file: Path) -> None:
    """Write a consistent copy of the events, chain, time index, snapshots and checkpoints to FILE."""
    try:
        info = create(current_app.extensions["tracker"], file)
    except BackupError as refused:
        click.echo(f"backup NOT made: {refused}", err=True)
        sys.exit(1)
    click.echo(f"backup {file}: {info['events']} events, head position {info['head_position']} head {info['head']}")


@backup.command("restore")
@click.argument("file", type=FILE)
def backup_restore(file: Path) -> None:
    """Restore FILE into this EMPTY store, rebuild the views from its events and verify the chain."""
    tracker = current_app.extensions["tracker"]
    try:
        info = restore(tracker, file)
    except BackupError as refused:
        click.echo(f"restore refused: {refused}", err=True)
        sys.exit(1)
    files = current_app.extensions["files"].restore_from(file)
    rebuilt = current_app.extensions["views"].runner.rebuild()
    result = checkpoints.audit(tracker.recorder, audit_keys())
    click.echo(f"restored {info['events']} events from {file} (a {info['source']} backup of {info['created_at']})")
    if files:
        click.echo(f"restored {files} files")
    click.echo(f"views rebuilt from {rebuilt} events")
    if not result.ok or result.head != info["head"]:
        click.echo(
            f"NOT verified after restore: {result.problem or 'head differs'} at position "
            f"{result.first_bad_position or result.head_position} (backup head {info['head']}, now {result.head})",
            err=True,
        )
        sys.exit(1)
    click.echo(f"verified {result.events} events, head {result.head} (the backup's head)")
