"""A rebuild in many batches gives the view tables the live runner built, on every storage.

The rebuild overlaps batches (batch N committed by a helper thread while batch N+1 is
applied, with the states batch N left carried over), which a log shorter than one batch
never exercises; here the batches are a handful of events. Rebuilding one view leaves the
other where it is: its position never goes back.
"""

from __future__ import annotations

import pytest

from demo.launch import direct_client, launch
from domain.application import Tracker
from projections.runner import NAMES, Runner
from store.views import ViewStore
from tests.projection_support import view_rows


@pytest.mark.backends()
def test_a_rebuild_in_small_batches_builds_the_live_views(database_url: str) -> None:
    tracker, store = Tracker(database_url), ViewStore(database_url)
    try:
        for _ in range(3):
            launch(direct_client(tracker))
        head = tracker.recorder.max_notification_id()
        assert Runner(tracker, store, batch_size=25).catch_up() == head
        live = view_rows(store, tracker.mapper)
        assert len(live["audit"]) == head

        for batch_size in (1, 7, 50, 10_000):
            assert Runner(tracker, store).rebuild(batch_size=batch_size) == head
            assert store.positions() == dict.fromkeys(NAMES, head)
            assert view_rows(store, tracker.mapper) == live, f"batches of {batch_size}"

        for name in NAMES:
            assert Runner(tracker, store).rebuild((name,), batch_size=7) == head
            assert store.positions() == dict.fromkeys(NAMES, head)
            assert view_rows(store, tracker.mapper) == live, f"{name} rebuilt alone"
    finally:
        store.close()
        tracker.close()
