"""Two application instances on one PostgreSQL database: one write wins, the other is told.

This is what two web workers do when two PMs press a button on the same project.
"""

import threading
from datetime import date

import pytest

from demo.workflow import PM, SALES, Launch, stored
from domain.errors import ConcurrentUpdate

pytestmark = pytest.mark.backends("postgres")


def test_second_instance_writing_a_stale_project_gets_concurrent_update(make_tracker):
    first, second = make_tracker(), make_tracker()
    launch = Launch(first).advance_to("planning")
    pid = launch.project_id
    seen_by_first, seen_by_second = first.load_project(pid), second.load_project(pid)

    seen_by_first.hold_meeting(PM, date(2026, 11, 25), ["hr"], ["kick-off"])
    first.commit(seen_by_first)
    seen_by_second.record_requirement_change(SALES, "weekend hours", "accepted", "BG-01")
    before = stored(second, pid)
    with pytest.raises(ConcurrentUpdate):
        second.commit(seen_by_second)

    assert stored(second, pid) == before
    events = second.history(pid)
    assert [type(e).__name__ for e in events][-1] == "MeetingHeld"
    assert [e.originator_version for e in events] == list(range(1, len(events) + 1))


def test_stale_expected_version_is_refused_by_the_other_instance(make_tracker):
    first, second = make_tracker(), make_tracker()
    pid = Launch(first).advance_to("planning").project_id
    version = second.load_project(pid).version
    first.record_requirement_change(SALES, pid, "weekend hours", "accepted", "BG-01", expected_version=version)
    before = stored(second, pid)
    with pytest.raises(ConcurrentUpdate) as refused:
        second.record_requirement_change(SALES, pid, "night shift", "accepted", "BG-02", expected_version=version)
    assert refused.value.details["current_version"] == version + 1
    assert stored(second, pid) == before


def test_racing_commands_from_two_instances_lose_or_duplicate_nothing(make_tracker):
    trackers = [make_tracker(), make_tracker()]
    pid = Launch(trackers[0]).advance_to("planning").project_id
    start_version = trackers[0].load_project(pid).version
    barrier = threading.Barrier(8)
    outcomes: list[str] = []
    lock = threading.Lock()

    def change(i: int) -> None:
        tracker = trackers[i % 2]
        project = tracker.load_project(pid)
        project.record_requirement_change(SALES, f"change {i}", "accepted", f"BG-{i}")
        barrier.wait()
        try:
            tracker.commit(project)
            result = f"ok {i}"
        except ConcurrentUpdate:
            result = "conflict"
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=change, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    winners = [o for o in outcomes if o.startswith("ok")]
    assert len(winners) == 1
    assert outcomes.count("conflict") == 7
    project = trackers[1].load_project(pid)
    assert project.version == start_version + 1
    assert [c["description"] for c in project.requirement_changes] == [f"change {winners[0].split()[1]}"]
    versions = [e.originator_version for e in trackers[1].history(pid)]
    assert versions == list(range(1, start_version + 2))


def test_workers_booting_together_on_an_empty_database_all_start(database_url):
    """Several web workers start at once on a new database: each creates the tables if missing,
    and every one of them comes up and can write."""
    from domain.application import Tracker

    barrier = threading.Barrier(6)
    started: list[Tracker] = []
    failures: list[BaseException] = []

    def boot() -> None:
        barrier.wait()
        try:
            started.append(Tracker(database_url))
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=boot) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert failures == []
        pid = Launch(started[0]).advance_to("planning").project_id
        assert started[-1].load_project(pid).phase == "planning"
    finally:
        for tracker in started:
            tracker.close()
