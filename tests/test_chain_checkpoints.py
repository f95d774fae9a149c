"""Signed checkpoints: the chain's head signed with a key kept outside the database.

Without them, someone with database rights who changes an event and recomputes every link
passes ``audit verify``. With them, that rewrite is reported as ``resigned`` at the changed
event (traced with the digests kept with the checkpoint it contradicts), by ``flask audit
verify`` (exit 1) and ``GET /api/audit/verification``;
a checkpoint whose signature does not hold is ``bad_signature``; without a key the checkpoints
are reported as unchecked.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from api import create_app, shutdown
from demo.workflow import PM
from projections.runner import Runner
from store import checkpoints
from store.chain.links import GENESIS
from store.chain.signing import generate, load_private, sign, verify_keys
from store.chain.verify import verify
from store.checkpoints import DailyCheckpoint
from tests.api.conftest import SECRET
from tests.test_audit_chain import StoredEvents, recomputed, story, verification_over_http

pytestmark = pytest.mark.backends("sqlite", "postgres")


@contextmanager
def app_on(database_url: str, **config: Any) -> Iterator[Flask]:
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": SECRET, "TESTING": True, **config})
    try:
        yield app
    finally:
        shutdown(app)


def cli(app: Flask, *args: str) -> Any:
    return app.test_cli_runner().invoke(args=["audit", *args])


@pytest.fixture
def key(tmp_path) -> Path:
    """A key pair made the way an operator makes it (``audit keygen``)."""
    path = tmp_path / "keys" / "audit.key"
    path.parent.mkdir()
    with app_on("memory://") as app:
        made = cli(app, "keygen", "--out", str(path))
    assert made.exit_code == 0, made.output
    assert "BEGIN PUBLIC KEY" in made.output and f"{path}.pub" in made.output
    return path


def meeting(tracker, project_id, day: int) -> None:
    tracker.hold_meeting(PM, project_id, date(2026, 11, day), ["hr"], [f"第{day}次協調會"])


def on_checkpoints(db: StoredEvents, statement: str) -> str:
    """``statement`` on the checkpoints table (named with its schema on PostgreSQL)."""
    return statement.replace(
        "chain_checkpoints", f'"{db.schema}".chain_checkpoints' if db.postgres else "chain_checkpoints"
    )


def relink(db: StoredEvents, recorder: Any) -> None:
    """The intruder's finish: every link recomputed from the stored events (with links.py)."""
    with db.cursor() as c:
        for position, event_digest, chained in recomputed(recorder):
            db.run(c, "UPDATE {chain} SET digest = ?, hash = ? WHERE position = ?", (event_digest, chained, position))


def test_keygen_writes_a_private_key_only_its_owner_reads_and_never_overwrites(key):
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
    assert key.read_text().startswith("-----BEGIN PRIVATE KEY-----")
    assert Path(f"{key}.pub").read_text().startswith("-----BEGIN PUBLIC KEY-----")
    before = key.read_bytes()
    with app_on("memory://") as app:
        again = cli(app, "keygen", "--out", str(key))
    assert again.exit_code != 0 and "never overwritten" in again.output
    assert key.read_bytes() == before


def test_checkpoints_are_signed_and_verified(database_url, key):
    with app_on(database_url, AUDIT_SIGNING_KEY=str(key)) as app:
        tracker = app.extensions["tracker"]
        launch = story(tracker)
        first = tracker.recorder.max_notification_id()
        taken = cli(app, "checkpoint")
        assert taken.exit_code == 0, taken.output
        head = verify(tracker.recorder).head
        assert taken.output.startswith(f"checkpoint: position {first} head {head} signed ")
        assert "nothing new to sign" in cli(app, "checkpoint").output

        meeting(tracker, launch.project_id, 26)
        assert cli(app, "checkpoint").exit_code == 0
        last = tracker.recorder.max_notification_id()

        verified = cli(app, "verify")
        assert verified.exit_code == 0, verified.output
        assert f"2 signed checkpoints hold; the last at position {last}" in verified.output
    # The auditor's side: the public key only.
    with app_on(database_url, AUDIT_VERIFY_KEY=f"{key}.pub") as app:
        body = verification_over_http(app)
        assert body["ok"] and body["problem"] is None and body["checkpoints"] == 2
        assert body["last_checkpoint"]["position"] == last and body["last_checkpoint"]["head"] == body["head"]


def test_a_rewritten_history_with_every_link_recomputed_is_caught_as_resigned(database_url, key):
    with app_on(database_url, AUDIT_SIGNING_KEY=str(key)) as app:
        tracker = app.extensions["tracker"]
        launch = story(tracker)
        checkpoints.take(tracker.recorder, str(key))
        good = verify(tracker.recorder)
        for day in (26, 27, 28):
            meeting(tracker, launch.project_id, day)
        second = checkpoints.take(tracker.recorder, str(key))
        chain = tracker.recorder.chain(1, 100_000)
        changed = good.head_position + 2  # one of the meetings after the first checkpoint

        db = StoredEvents(database_url)
        db.change_one_byte(changed)
        relink(db, tracker.recorder)
        assert verify(tracker.recorder).ok  # the links alone no longer tell

        keys = verify_keys(None, str(key))
        result = checkpoints.audit(tracker.recorder, keys)
        # Found at the second checkpoint, traced to the event changed; what holds is everything before it.
        assert second.position > changed
        assert (result.ok, result.problem, result.first_bad_position) == (False, "resigned", changed)
        assert (result.events, result.head, result.head_position) == (changed - 1, chain[changed - 2][2], changed - 1)
        assert result.checkpoints == 1 and result.last_checkpoint["position"] == good.head_position

        verified = cli(app, "verify")
        assert verified.exit_code == 1
        assert verified.output.startswith(f"NOT verified: resigned at position {changed} ")
        body = verification_over_http(app)
        assert (body["ok"], body["problem"], body["first_bad_position"]) == (False, "resigned", changed)
        assert body["head"] == result.head
        # And a rewrite must not be signed over.
        refused = cli(app, "checkpoint")
        assert refused.exit_code == 1 and "NOT signed" in refused.output


def test_a_rewrite_is_traced_through_the_first_checkpoint_and_without_its_digests_named_by_it(database_url, key):
    with app_on(database_url, AUDIT_SIGNING_KEY=str(key)) as app:
        tracker = app.extensions["tracker"]
        story(tracker)
        only = checkpoints.take(tracker.recorder, str(key))
        chain = tracker.recorder.chain(1, 100_000)
        db = StoredEvents(database_url)
        db.change_one_byte(3)
        relink(db, tracker.recorder)
        keys = verify_keys(None, str(key))
        result = checkpoints.audit(tracker.recorder, keys)
        assert (result.problem, result.first_bad_position) == ("resigned", 3)
        assert (result.events, result.head, result.head_position, result.checkpoints) == (2, chain[1][2], 2, 0)

        # The digests kept with the checkpoint altered too: they no longer match what was signed,
        # so the rewrite is named by the checkpoint it contradicts, and nothing is vouched for.
        with db.cursor() as c:
            db.run(c, on_checkpoints(db, "UPDATE chain_checkpoints SET digests = ?"), (b"\0" * 40,))
        result = checkpoints.audit(tracker.recorder, keys)
        assert (result.problem, result.first_bad_position) == ("resigned", only.position)
        assert (result.events, result.head, result.head_position) == (0, GENESIS, 0)


def test_a_forged_or_tampered_checkpoint_is_a_bad_signature(database_url, key, tmp_path):
    with app_on(database_url, AUDIT_VERIFY_KEY=f"{key}.pub") as app:
        tracker = app.extensions["tracker"]
        story(tracker)
        taken = checkpoints.take(tracker.recorder, str(key))
        db = StoredEvents(database_url)
        flipped = ("0" if taken.signature[0] != "0" else "1") + taken.signature[1:]
        with db.cursor() as c:
            db.run(
                c,
                on_checkpoints(db, "UPDATE chain_checkpoints SET signature = ? WHERE position = ?"),
                (flipped, taken.position),
            )
        verified = cli(app, "verify")
        assert verified.exit_code == 1
        assert f"bad_signature at position {taken.position}" in verified.output
        body = verification_over_http(app)
        assert (body["problem"], body["first_bad_position"]) == ("bad_signature", taken.position)

        # The intruder's own key, over the true head: not a key the auditor trusts.
        generate(tmp_path / "intruder.key")
        digests = checkpoints.digests_at(tracker.recorder, taken.position)
        with db.cursor() as c:
            db.run(c, on_checkpoints(db, "DELETE FROM chain_checkpoints"))
        forged = sign(load_private(tmp_path / "intruder.key"), taken.position, taken.head, taken.signed_at, digests)
        checkpoints.record(tracker.recorder, forged, digests)
        assert cli(app, "verify").exit_code == 1
        assert verification_over_http(app)["problem"] == "bad_signature"


def test_without_a_key_checkpoints_are_reported_unchecked(database_url, key):
    with app_on(database_url) as app:
        tracker = app.extensions["tracker"]
        story(tracker)
        checkpoints.take(tracker.recorder, str(key))
        verified = cli(app, "verify")
        assert verified.exit_code == 0
        assert "1 signed checkpoints NOT checked: set AUDIT_VERIFY_KEY" in verified.output
        body = verification_over_http(app)
        assert body["ok"] and body["checkpoints"] == 0 and body["checkpoints_unchecked"] == 1
        assert body["last_checkpoint"] is None
        refused = cli(app, "checkpoint")
        assert refused.exit_code != 0 and "AUDIT_SIGNING_KEY" in refused.output


def test_the_tail_cut_off_with_its_links_is_missing_under_a_checkpoint(database_url, key):
    with app_on(database_url, AUDIT_VERIFY_KEY=f"{key}.pub") as app:
        tracker = app.extensions["tracker"]
        story(tracker)
        taken = checkpoints.take(tracker.recorder, str(key))
        db = StoredEvents(database_url)
        db.delete(taken.position)
        db.delete_link(taken.position)
        body = verification_over_http(app)
        assert (body["ok"], body["problem"], body["first_bad_position"]) == (False, "missing", taken.position)


class IdleOnce:
    """A stop flag for ``run_forever`` that stops at the first idle wait."""

    def __init__(self) -> None:
        self.stopped = False

    def is_set(self) -> bool:
        return self.stopped

    def wait(self, timeout: float) -> bool:
        self.stopped = True
        return True


def test_the_projector_signs_a_checkpoint_when_the_last_is_a_day_old(database_url, key):
    with app_on(database_url) as app:
        tracker = app.extensions["tracker"]
        launch = story(tracker)
        runner: Runner = app.extensions["views"].runner
        daily = DailyCheckpoint(tracker.recorder, str(key), look_every=0)
        runner.run_forever(IdleOnce(), poll=0, when_idle=daily)
        known = checkpoints.read(tracker.recorder)
        assert [c.position for c in known] == [tracker.recorder.max_notification_id()]

        meeting(tracker, launch.project_id, 26)
        assert daily() is None  # the last one is fresh
        # As if the last had been signed a day ago.
        db, first = StoredEvents(database_url), known[0]
        digests = checkpoints.digests_at(tracker.recorder, first.position)
        with db.cursor() as c:
            db.run(c, on_checkpoints(db, "DELETE FROM chain_checkpoints"))
        yesterday = (datetime.now(UTC) - timedelta(hours=25)).isoformat(timespec="seconds")
        old = sign(load_private(key), first.position, first.head, yesterday, digests)
        checkpoints.record(tracker.recorder, old, digests)
        taken = daily()
        assert taken is not None and taken.position == tracker.recorder.max_notification_id()
        assert len(checkpoints.read(tracker.recorder)) == 2


@pytest.mark.backends("memory")
def test_the_memory_store_keeps_checkpoints_too(database_url, key):
    with app_on(database_url, AUDIT_SIGNING_KEY=str(key)) as app:
        tracker = app.extensions["tracker"]
        story(tracker)
        assert cli(app, "checkpoint").exit_code == 0
        verified = cli(app, "verify")
        assert verified.exit_code == 0 and "1 signed checkpoints hold" in verified.output
        assert checkpoints.digests_at(tracker.recorder, tracker.recorder.max_notification_id())


def test_after_a_key_rotation_the_old_public_key_keeps_old_checkpoints_valid(database_url, key, tmp_path):
    new = tmp_path / "keys" / "audit-2027.key"
    generate(new)
    both = f"{key}.pub{os.pathsep}{new}.pub"
    with app_on(database_url, AUDIT_SIGNING_KEY=str(key)) as app:
        tracker = app.extensions["tracker"]
        launch = story(tracker)
        assert cli(app, "checkpoint").exit_code == 0
        meeting(tracker, launch.project_id, 26)
    with app_on(database_url, AUDIT_SIGNING_KEY=str(new)) as app:  # the old key not kept: refused
        refused = cli(app, "checkpoint")
        assert refused.exit_code == 1 and "NOT signed: the chain does not verify (bad_signature" in refused.output
    with app_on(database_url, AUDIT_SIGNING_KEY=str(new), AUDIT_VERIFY_KEY=both) as app:
        assert cli(app, "checkpoint").exit_code == 0
        verified = cli(app, "verify")
        assert verified.exit_code == 0 and "2 signed checkpoints hold" in verified.output
