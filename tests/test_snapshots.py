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
