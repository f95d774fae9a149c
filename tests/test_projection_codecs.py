"""The rebuild's own event decoder and snapshot encoder give what the library's mapper gives.

The live-vs-rebuild tests run both sides through these fast paths, so they are checked here
against the library itself, on a whole launch's log (every event type a launch makes, the
contract records included), with Chinese text, dates, times with offsets and ids.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from eventsourcing.persistence import StoredEvent

from demo.workflow import PM, SALES, SERVICE_MANAGER, SYSMAINT_LEAD, Launch
from store.codecs import SnapshotEncoder
from store.decoding import EventDecoder
from tests.contract_support import HOTLINE_TERMS, amendment

pytestmark = pytest.mark.backends("sqlite")
BEIJING = timezone(timedelta(hours=8))


@pytest.fixture
def launched(tracker) -> Launch:
    launch = Launch(tracker).advance_to("trial_operation")
    tracker.record_contract_terms(SALES, launch.project_id, HOTLINE_TERMS)
    tracker.record_kpi_report(
        SERVICE_MANAGER, launch.project_id, date(2026, 12, 7), date(2026, 12, 13), {"answer_rate": 96}
    )
    start = datetime(2026, 12, 9, 10, tzinfo=BEIJING)
    tracker.record_outage(SYSMAINT_LEAD, launch.project_id, start, start + timedelta(minutes=45), True, "交换机故障")
    tracker.record_volumes(SERVICE_MANAGER, launch.project_id, "2026-12", 41000, 1200, 2200)
    tracker.record_contract_terms(PM, launch.project_id, amendment())
    launch.file_equipment_report().open_review().assess_all().conclude()
    return launch.go_live()


def test_the_fast_decoder_gives_the_librarys_events_for_a_whole_launch(tracker, launched):
    decode = EventDecoder(tracker.mapper)
    notifications = tracker.recorder.select_notifications(1, 10_000)
    assert len(notifications) > 30
    for notification in notifications:
        ours, library = decode(notification), tracker.mapper.to_domain_event(notification)
        assert type(ours) is type(library)
        assert vars(ours) == vars(library), type(library).__name__


def test_the_fast_snapshot_encoding_reads_back_as_the_same_aggregate(tracker, launched):
    encode = SnapshotEncoder(tracker.mapper)
    encode.stamp()
    aggregates = [launched.project, *(tracker.load_ticket(t) for t in launched.tickets.values()), launched.review]
    for aggregate in aggregates:
        topic, state = encode(aggregate)
        library = tracker.mapper.to_stored_event(type(aggregate).Snapshot.take(aggregate))
        assert topic == library.topic
        assert encode.classes[type(aggregate)] is not None, "the application's mapper takes the quick path"
        snapshot = tracker.mapper.to_domain_event(StoredEvent(aggregate.id, aggregate.version, topic, state))
        restored = snapshot.mutate(None)
        assert {k: v for k, v in vars(restored).items() if k != "_pending_events"} == {
            k: v for k, v in vars(aggregate).items() if k != "_pending_events"
        }
