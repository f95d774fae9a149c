"""``flask --app wsgi calendar record|show`` — the working-day schedule from the command line.

``record`` is what ``PUT /api/calendar/{year}`` does, for the operations director at the server:
the file is the PUT body (``holidays`` [{date, name}], ``makeup_days`` [dates], ``reference``),
checked by the same schema and the same command; ``--by`` names the director (the events record
them with the role operations_director).
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup
from marshmallow import ValidationError

from api.schemas.calendar import ScheduleIn
from domain.errors import DomainError, InvalidInput
from domain.roles import OPERATIONS_DIRECTOR, Actor

calendar = AppGroup("calendar", help="The working-day calendar: record or show a year's official schedule.")


@calendar.command("record")
@click.option("--year", required=True, type=int, help="e.g. 2027")
@click.option("--file", "path", required=True, type=click.File("r", encoding="utf-8"), help="the schedule (JSON)")
@click.option("--by", "user", required=True, help="the operations director's user name")
@click.option("--reason", default="", help="why (required to correct a schedule already recorded)")
def calendar_record(year: int, path: Any, user: str, reason: str) -> None:
    """Record (or correct) a year's schedule and recount the open deadlines it moves; exit 2 if refused."""
    try:
        body = ScheduleIn().load({**json.load(path), "reason": reason})
    except (ValueError, ValidationError) as error:
        fail(getattr(error, "messages", None) or str(error))
    tracker = current_app.extensions["tracker"]
    try:
        outcome = tracker.record_working_calendar(Actor(user, OPERATIONS_DIRECTOR), year, **body)
    except InvalidInput as error:
        fail(error.fields)
    except DomainError as error:
        fail(str(error))
    click.echo(f"schedule of {year} recorded (version {outcome.version}, position {outcome.position})")
    for item in outcome.data["recounted"]:
        click.echo(f"  {item['type']} {item['aggregate_id']}: {item['old_due']} → {item['new_due']}")


@calendar.command("show")
@click.option("--year", required=True, type=int)
def calendar_show(year: int) -> None:
    """The recorded schedule of a year (or where counts in it come from)."""
    recorded = current_app.extensions["tracker"].calendar_of(year)
    if recorded is None:
        click.echo(f"{year}: nothing recorded (the package's if it covers the year, else weekends only)")
        return
    click.echo(f"{year}: {recorded.reference} (version {recorded.version})")
    for holiday in recorded.holidays:
        click.echo(f"  holiday {holiday['date']} {holiday['name']}")
    for day in recorded.makeup_days:
        click.echo(f"  make-up working day {day}")


def fail(problem: Any) -> None:
    click.echo(f"refused: {problem}", err=True)
    sys.exit(2)
