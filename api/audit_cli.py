"""``flask --app wsgi audit verify|head|export|keygen|checkpoint`` — the auditor's command line."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup

from projections.audit_export import as_csv, as_jsonl
from projections.audit_log import audit_rows
from projections.replay_check import replay_check
from store import checkpoints
from store.chain.signing import generate, key_id, public_pem, verify_keys
from store.chain.verify import Verification, head
from store.evidence_files import FileCheck

audit = AppGroup("audit", help="Tamper evidence, replay check and export of the event log.")


def _tracker():
    return current_app.extensions["tracker"]


def audit_keys() -> dict[str, Any] | None:
    """The public keys checkpoints are checked with (``AUDIT_VERIFY_KEY``, else derived from
    ``AUDIT_SIGNING_KEY``); None when neither is set. Read once, when first needed."""
    if "audit_keys" not in current_app.extensions:
        config = current_app.config
        keys = verify_keys(config.get("AUDIT_VERIFY_KEY"), config.get("AUDIT_SIGNING_KEY"))
        current_app.extensions["audit_keys"] = keys
    return current_app.extensions["audit_keys"]


def verification() -> tuple[Verification, FileCheck]:
    """The whole check: the chain and its checkpoints, then every file an event references, re-hashed."""
    tracker = _tracker()
    result = checkpoints.audit(tracker.recorder, audit_keys())
    return result, current_app.extensions["files"].check(tracker.recorder, tracker.mapper)


@audit.command("verify")
def audit_verify() -> None:
    """Recompute the whole hash chain, check the signed checkpoints and re-hash every referenced file;
    exit 1 naming the first bad position or each missing or changed file."""
    result, files = verification()
    if result.ok:
        click.echo(f"verified {result.events} events, head {result.head}")
    else:
        click.echo(
            f"NOT verified: {result.problem} at position {result.first_bad_position} "
            f"({result.events} events verified before it, last good head {result.head})"
        )
    _echo_checkpoints(result)
    if files.checked:
        click.echo(f"{files.checked} referenced files re-hashed, {len(files.problems)} problems")
    for problem in files.problems:
        click.echo(f"NOT verified: file {problem['sha256']} {problem['problem']}")
    if not result.ok or files.problems:
        sys.exit(1)


def _echo_checkpoints(result: Verification) -> None:
    if result.checkpoints_unchecked:
        click.echo(
            f"{result.checkpoints_unchecked} signed checkpoints NOT checked: "
            "set AUDIT_VERIFY_KEY (the public key file) to check them"
        )
    if result.last_checkpoint:
        last = result.last_checkpoint
        click.echo(
            f"{result.checkpoints} signed checkpoints hold; the last at position {last['position']}, "
            f"signed {last['signed_at']} with key {last['key_id']}"
        )


@audit.command("keygen")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="private key file")
def audit_keygen(out: Path) -> None:
    """Make an Ed25519 key pair for checkpoints: OUT (private, mode 0600) and OUT.pub."""
    if out.exists() or Path(f"{out}.pub").exists():
        raise click.UsageError(f"{out} or {out}.pub exists already; a key is never overwritten")
    public = generate(out)
    click.echo(f"private key: {out} (mode 0600; set AUDIT_SIGNING_KEY={out} for the projector only)")
    click.echo(f"public key: {out}.pub (AUDIT_VERIFY_KEY for auditors), key id {key_id(public)}")
    click.echo(public_pem(public).decode(), nl=False)


@audit.command("checkpoint")
def audit_checkpoint() -> None:
    """Verify the chain, then sign its head with AUDIT_SIGNING_KEY and record the checkpoint."""
    signing_key = current_app.config.get("AUDIT_SIGNING_KEY")
    if not signing_key:
        raise click.UsageError("set AUDIT_SIGNING_KEY to the private key file (made by `audit keygen`)")
    try:
        taken = checkpoints.take(_tracker().recorder, signing_key, current_app.config.get("AUDIT_VERIFY_KEY"))
    except checkpoints.NotSigned as refused:
        click.echo(f"NOT signed: the chain does not verify ({refused})")
        sys.exit(1)
    if taken is None:
        click.echo("nothing new to sign: the head is already checkpointed (or the log is empty)")
        return
    click.echo(f"checkpoint: position {taken.position} head {taken.head} signed {taken.signed_at} key {taken.key_id}")


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
