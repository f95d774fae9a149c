"""Long-lived projects are read from snapshots; the state must equal a full replay."""

from datetime import date

import pytest

from demo.workflow import PM, SALES, Launch

pytestmark = pytest.mark.backends("sqlite", "postgres")


def test_project_read_from_snapshots_equals_full_replay(make_tracker):
    with_snapshots = make_tracker(SNAPSHOT_INTERVAL="5")
    launch = Launch(with_snapshots).advance_to("implementation").issue_tickets()
    pid = launch.project_id
    for i in range(12):
        with_snapshots.record_requirement_change(SALES, pid, f"change {i}", "accepted", f"BG-{i}")
        with_snapshots.hold_meeting(PM, pid, date(2026, 11, 25), ["hr"], [f"decision {i}"])
    with_snapshots.record_requirement_change(SALES, pid, "one after the last snapshot", "rejected", "BG-99")
    snapshots = list(with_snapshots.snapshots.get(pid))
    assert [s.originator_version for s in snapshots] == [5, 10, 15, 20, 25, 30]

    without_snapshots = make_tracker(IS_SNAPSHOTTING_ENABLED="n")
    from_snapshot = with_snapshots.load_project(pid)
    replayed = without_snapshots.load_project(pid)
    assert from_snapshot.version == replayed.version == 31
    assert vars(from_snapshot) == vars(replayed)
    assert from_snapshot.current_plan == replayed.current_plan


def test_an_ended_project_read_from_snapshots_equals_full_replay(make_tracker):
    """The termination with its handover and the closure survive a snapshot (typed state)."""
    with_snapshots = make_tracker(SNAPSHOT_INTERVAL="2")
    launch = Launch(with_snapshots).advance_to("closed")
    assert max(s.originator_version for s in with_snapshots.snapshots.get(launch.project_id)) == 20  # the closure
    replayed = make_tracker(IS_SNAPSHOTTING_ENABLED="n").load_project(launch.project_id)
    from_snapshot = with_snapshots.load_project(launch.project_id)
    assert vars(from_snapshot) == vars(replayed)
    assert from_snapshot.termination.handover["final_settlement"].evidence == "signed receipt for final_settlement"
    assert from_snapshot.closure.summary == "service handed back"
