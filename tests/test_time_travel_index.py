"""The time index (``event_times``): one time per write, batched lookups, and rows from before that.

``Tracker.commit`` writes every version saved in one atomic write with the same time, the write's
first event's, so a read as of any time sees a write whole or not at all.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from demo.workflow import DIRECTOR, Launch
from domain.application import Tracker


def cancelled(tracker: Tracker) -> tuple[Launch, int]:
    """A project in implementation with two tickets, then cancelled (the tickets in the same write)."""
    launch = Launch(tracker).advance_to("implementation").issue_tickets()
    outcome = tracker.cancel_project(DIRECTOR, launch.project_id, "客戶撤回")
    return launch, outcome.version


@pytest.mark.backends()
def test_every_version_of_one_write_has_the_write_time(tracker):
    launch, version = cancelled(tracker)
    project_event = tracker.history(launch.project_id)[-1]
    ticket_events = [tracker.history(ident)[-1] for ident in launch.tickets.values()]
    assert project_event.originator_version == version
    assert {tracker.load_ticket(e.originator_id).state for e in ticket_events} == {"cancelled"}
    written = tracker.written_at(launch.project_id, version)
    assert written == min(e.timestamp for e in (project_event, *ticket_events))
    for event in ticket_events:
        assert tracker.written_at(event.originator_id, event.originator_version) == written
        assert event.timestamp >= written  # an event's own time (its history) is never before its write
    # As of the write's time — or any event's own time in it — the whole write shows.
    ids = list(launch.tickets.values())
    for moment in (written, project_event.timestamp, *(e.timestamp for e in ticket_events)):
        assert tracker.version_at(launch.project_id, moment) == version
        assert tracker.versions_at(ids, moment) == {e.originator_id: e.originator_version for e in ticket_events}
        states = {tracker.ticket_as_it_was(i, v).state for i, v in tracker.versions_at(ids, moment).items()}
        assert states == {"cancelled"}
    # Just before it, none of it.
    before = written - timedelta(microseconds=1)
    assert tracker.version_at(launch.project_id, before) == version - 1
    states = {tracker.ticket_as_it_was(i, v).state for i, v in tracker.versions_at(ids, before).items()}
    assert states == {"issued"}


@pytest.mark.backends()
def test_versions_at_leaves_out_what_did_not_exist_yet(tracker):
    launch = Launch(tracker).advance_to("implementation")
    before_tickets = tracker.history(launch.project_id)[-1].timestamp
    launch.issue_tickets()
    ids = list(launch.tickets.values())
    assert tracker.versions_at(ids, before_tickets) == {}
    assert tracker.versions_at([], before_tickets) == {}
    assert tracker.versions_at([launch.project_id, *ids], before_tickets) == {
        launch.project_id: tracker.version_at(launch.project_id, before_tickets)
    }
    assert tracker.written_at(launch.project_id, 10**6) is None


@pytest.mark.backends()
def test_rows_written_with_each_event_time_are_still_read(tracker):
    """Stores written before the write time was introduced hold each event's own time: still read
    (their multi-aggregate writes are not whole at every time in between, as they never were)."""
    launch = Launch(tracker).advance_to("implementation").issue_tickets()
    project = tracker.load_project(launch.project_id)
    tickets = tracker.tickets_of(project)
    project.cancel_project(DIRECTOR, "客戶撤回", [t.id for t in tickets])
    for ticket in tickets:
        ticket.cancel_ticket(DIRECTOR, "project cancelled")
    events = [e for a in (project, *tickets) for e in a.pending_events]
    tracker.save(project, *tickets, event_times=[(e.originator_id, e.originator_version, e.timestamp) for e in events])
    for event in events:
        assert tracker.written_at(event.originator_id, event.originator_version) == event.timestamp
        assert tracker.version_at(event.originator_id, event.timestamp) == event.originator_version
        before = event.timestamp - timedelta(microseconds=1)
        assert tracker.version_at(event.originator_id, before) == event.originator_version - 1
    ids = [t.id for t in tickets]
    last = max(e.timestamp for e in events)
    assert tracker.versions_at(ids, last) == {t.id: t.version for t in tickets}
