"""``flask --app wsgi audit verify|head|export`` — the auditor's command line."""

from __future__ import annotations

import sys
from datetime import UTC, datetime

import click
from flask import current_app
from flask.cli import AppGroup

from chain.verify import head, verify
from projections.audit_export import as_csv, as_jsonl
from projections.audit_log import audit_rows
from projections.replay_check import replay_check

audit = AppGroup("audit", help="Tamper evidence, replay check and export of the event log.")


def _tracker():
    return current_app.extensions["tracker"]


@audit.command("verify")
def audit_verify() -> None:
    """Recompute the whole hash chain; exit 1 naming the first bad position."""
    result = verify(_tracker().recorder)
    if result.ok:
        click.echo(f"verified {result.events} events, head {result.head}")
        return
    click.echo(
        f"NOT verified: {result.problem} at position {result.first_bad_position} "
        f"({result.events} events verified before it, last good head {result.head})"
    )
    sys.exit(1)


@audit.command("head")
def audit_head() -> None:
    """Print the last position and its chain hash, to write down and compare later."""
    position, chained = head(_tracker().recorder)
    click.echo(f"position {position} head {chained}")


class IsoTime(click.ParamType):
    """An ISO 8601 date or time (``2026-11-20``, ``2026-11-20T09:00:00.5+08:00``, ``…Z``)."""

    name = "time"

    def convert(self, value, param, ctx) -> datetime:
        if isinstance(value, datetime):
            return value
        try:
            moment = _aware(datetime.fromisoformat(value))
            moment.astimezone(UTC)  # (the filters compare in UTC)
        except (ValueError, OverflowError):
            self.fail(f"{value!r} is not an ISO 8601 time (for example 2026-11-20T09:00:00+08:00)", param, ctx)
        return moment


@audit.command("replay-check")
def audit_replay_check() -> None:
    """Rebuild every view from zero in a scratch store and compare with the live views."""
    views = current_app.extensions["views"]
    if views.in_process:
        views.runner.catch_up()
    position, differences = replay_check(_tracker(), views.store, views.today())
    if not differences:
        click.echo(f"views match replay (up to position {position})")
        return
    click.echo(f"views differ from replay at position {position}: {', '.join(differences)}")
    sys.exit(1)


@audit.command("export")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True)
@click.option("--project", help="only this project's events")
@click.option("--since", type=IsoTime(), help="from this time, ISO 8601 (UTC unless an offset is given)")
@click.option("--until", type=IsoTime(), help="before this time, ISO 8601 (UTC unless an offset is given)")
@click.option("--output", type=click.File("w", encoding="utf-8"), default="-", help="file (default: stdout)")
def audit_export(fmt: str, project: str | None, since: datetime | None, until: datetime | None, output) -> None:
    """The log, oldest first, as JSON lines or CSV (UTF-8 with BOM for Excel)."""
    views = current_app.extensions["views"]
    views.runner.catch_up()  # the whole log: not only as far as a projections process (if any) has got
    filters = {"project": project, "since": _aware(since), "until": _aware(until)}
    rows = list(reversed(audit_rows(views.store, filters)))
    mapper = _tracker().mapper
    if fmt == "csv":
        output.write(as_csv(mapper, rows))
    else:
        output.writelines(as_jsonl(mapper, rows))


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)
