"""``users add`` and ``users disable`` (``flask --app wsgi users …``): who may sign in to the pages."""

from __future__ import annotations

import sys

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from api.cli import operator, users
from domain.access import NO_ACCOUNT
from domain.errors import DomainError
from domain.roles import DEPARTMENTS, OPERATIONS_DIRECTOR, ROLES, Actor

MIN_PASSWORD = 10


def by_operator(by: str) -> Actor:
    if not by or not by.strip():
        raise click.UsageError("say who acts with --by (the OS user name is unknown)")
    return Actor(by.strip(), OPERATIONS_DIRECTOR)


def read_password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("password", hide_input=True, confirmation_prompt=True)
    if len(password) < MIN_PASSWORD:
        raise click.UsageError(f"a password has at least {MIN_PASSWORD} characters")
    return password


@click.command("add")
@with_appcontext
@click.option("--user", required=True, help="user name, e.g. li.lei")
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--department", type=click.Choice(DEPARTMENTS), help="required for department_lead")
@click.option("--name", help="the person's name as shown on the pages, e.g. 李雷")
@click.option("--password-stdin", is_flag=True, help="read the password from the first line of stdin")
@click.option("--by", default=operator, show_default="the OS user", help="who adds the account (recorded)")
def add_command(user: str, role: str, department: str | None, name: str | None, password_stdin: bool, by: str) -> None:
    """Add a person who signs in to the pages with a password (hashed, never recorded in the events)."""
    try:
        account = Actor(user.strip(), role, department)
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    actor = by_operator(by)
    existing = current_app.extensions["tracker"].access_of(account.user)
    if existing is not None and existing.current != NO_ACCOUNT:
        raise click.ClickException(f"{account.user} already has an account (a new password: users password)")
    password = read_password(password_stdin)
    current_app.extensions["credentials"].set_password(account.user, password)
    try:
        current_app.extensions["tracker"].add_account(actor, account, name)
    except DomainError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"added {account.user} ({role}{', ' + department if department else ''})")


@click.command("password")
@with_appcontext
@click.option("--user", required=True, help="whose password to set, e.g. li.lei")
@click.option("--password-stdin", is_flag=True, help="read the password from the first line of stdin")
def password_command(user: str, password_stdin: bool) -> None:
    """Set a new password for an active account (the old one stops working at once)."""
    access = current_app.extensions["tracker"].access_of(user.strip())
    if access is None or access.holder() is None:
        raise click.ClickException(f"no active account named {user.strip()!r}")
    current_app.extensions["credentials"].set_password(access.user, read_password(password_stdin))
    click.echo(f"new password set for {access.user}")


@click.command("disable")
@with_appcontext
@click.option("--user", required=True, help="whose access ends, e.g. li.lei")
@click.option("--reason", required=True, help="why (recorded in the history)")
@click.option("--by", default=operator, show_default="the OS user", help="who disables (recorded)")
def disable_command(user: str, reason: str, by: str) -> None:
    """End a person's access at once: their sign-in, open sessions and API tokens are refused."""
    try:
        current_app.extensions["tracker"].disable_account(by_operator(by), user, reason)
    except DomainError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"disabled {user.strip()}: pages and tokens are refused from now on")


def register(app: Flask) -> None:
    users.add_command(add_command)
    users.add_command(password_command)
    users.add_command(disable_command)
