"""Whatever text the event store holds, the views take it, and one event a view cannot take stops nothing.

The events here are written through the library (the API would refuse their text): a NUL in
the customer, name, code, project manager and a requirement ref, which PostgreSQL's text
columns cannot hold; and an event whose class no longer exists. The views catch up and
rebuild past both, on every storage, and answer; the event they skip is counted and named.
"""

from __future__ import annotations

import pytest
from eventsourcing.persistence import StoredEvent

from demo.workflow import DIRECTOR, REQUIREMENTS, SALES, SERVICE, SOURCES, Launch, plan, requirement
from domain.application import Tracker
from projections import project_list, ticket_list
from projections.audit_log import audit_rows
from projections.reading import Reader
from projections.runner import NAMES, Runner
from store.view_failures import failures
from store.views import ViewStore
from tests.projection_support import TODAY, view_rows

NUL_REF = "R\x001"


def launch_with_nul_text(tracker: Tracker) -> Launch:
    """A project whose texts carry NUL, planned and with its tickets issued; and one more project appointed a PM."""
    launch = Launch(tracker, code="NUL\x00CODE")
    launch.project_id = tracker.register_project(
        SALES, launch.code, "name\x00here", "c\x00x", SERVICE, REQUIREMENTS, SOURCES
    ).id
    launch.appoint().draft(plan(requirement(NUL_REF, "hr"), requirement("R2", "technology"))).submit_plan()
    launch.approve_plan().issue_tickets()
    other = tracker.register_project(SALES, "OTHER", "other", "plain", SERVICE, REQUIREMENTS, SOURCES).id
    tracker.appoint_project_manager(DIRECTOR, other, "p\x00m", "letter\x00ref")
    return launch


def answers(store: ViewStore, tracker: Tracker) -> dict:
    reader = Reader(store, tracker.mapper)
    return {
        "projects": project_list.project_list(reader, {}, 50, None)["items"],
        "tickets": ticket_list.ticket_list(reader, {}, TODAY, 50, None)["items"],
        "audit": len(audit_rows(store, {})),
    }


@pytest.mark.backends()
def test_text_with_nul_is_projected_caught_up_and_rebuilt(database_url: str) -> None:
    tracker, store = Tracker(database_url), ViewStore(database_url)
    try:
        launch = launch_with_nul_text(tracker)
        head = tracker.recorder.max_notification_id()
        runner = Runner(tracker, store)

        assert runner.catch_up() == head
        live = answers(store, tracker)
        by_code = {p["code"]: p for p in live["projects"]}
        assert by_code["NUL\x00CODE"]["customer"] == "c\x00x"  # the state is exact; only filter columns escape NUL
        assert by_code["NUL\x00CODE"]["name"] == "name\x00here"
        assert by_code["OTHER"]["project_manager"] == "p\x00m"
        assert sorted(t["requirement_ref"] for t in live["tickets"]) == [NUL_REF, "R2"]
        assert live["audit"] == head
        assert store.positions() == dict.fromkeys(NAMES, head)
        assert failures(store)[0] == 0
        assert launch.project.customer == "c\x00x"

        rows = view_rows(store, tracker.mapper)
        assert runner.rebuild() == head
        assert answers(store, tracker) == live
        assert view_rows(store, tracker.mapper) == rows
        assert failures(store)[0] == 0
    finally:
        store.close()
        tracker.close()


@pytest.mark.backends()
def test_an_event_no_view_can_take_is_skipped_counted_and_met_again_by_a_rebuild(database_url: str) -> None:
    tracker, store = Tracker(database_url), ViewStore(database_url)
    try:
        first = tracker.register_project(SALES, "FIRST", "first", "a", SERVICE, REQUIREMENTS, SOURCES).id
        gone = tracker.register_project(SALES, "GONE", "gone", "b", SERVICE, REQUIREMENTS, SOURCES).id
        stored = tracker.recorder.select_notifications(tracker.recorder.max_notification_id(), 1)[0]
        unknown = StoredEvent(gone, 2, "domain.project:Project.NoLongerExists", stored.state)
        tracker.recorder.insert_events([unknown])
        bad_position = tracker.recorder.max_notification_id()
        tracker.appoint_project_manager(DIRECTOR, first, "li.lei", "letter")
        head = tracker.recorder.max_notification_id()
        runner = Runner(tracker, store)

        for attempt in ("caught up", "rebuilt"):
            done = runner.catch_up() if attempt == "caught up" else runner.rebuild()
            assert done == head, attempt
            assert store.positions() == dict.fromkeys(NAMES, head), attempt
            count, latest = failures(store)
            assert count == len(NAMES), attempt
            assert {(row[0], row[1], row[2]) for row in latest} == {
                (bad_position, name, "Project.NoLongerExists") for name in NAMES
            }
            projects = {p["code"]: p for p in answers(store, tracker)["projects"]}
            assert projects["FIRST"]["project_manager"] == "li.lei", attempt  # the events after it are projected
            assert projects["GONE"]["version"] == 1, attempt
    finally:
        store.close()
        tracker.close()


class RefusingView:
    """A view of the test's own whose table refuses one actor's rows (a CHECK constraint): the database's refusal."""

    name = "refusing"
    tables = ("test_refusing",)

    def __init__(self, store: ViewStore) -> None:
        self.store, self.rows = store, []
        store.execute(
            "CREATE TABLE IF NOT EXISTS test_refusing (position BIGINT, actor TEXT CHECK (actor <> 'zhao.min'))"
        )

    def reset(self, carry: bool = False) -> None:
        self.rows = []

    def process(self, event, notification) -> None:
        self.rows.append((notification.id, event.actor))

    def prepared(self):
        rows = list(self.rows)
        return lambda cursor: cursor.executemany(self.store.sql("INSERT INTO test_refusing VALUES (?, ?)"), rows)

    def flush(self, cursor) -> None:
        self.prepared()(cursor)


@pytest.mark.backends()
@pytest.mark.parametrize("how", ["catch_up", "rebuild"])
def test_rows_the_database_refuses_are_skipped_by_their_view_alone(database_url: str, how: str) -> None:
    tracker, store = Tracker(database_url), ViewStore(database_url)
    try:
        for n in range(5):
            launch = Launch(tracker, code=f"P{n}").register()
        launch.appoint()  # by the operations director: the one row the refusing view's table refuses
        appointed = tracker.recorder.max_notification_id()
        for n in range(5, 10):
            Launch(tracker, code=f"P{n}").register()
        head = tracker.recorder.max_notification_id()
        runner = Runner(tracker, store, batch_size=8)
        runner.projections.append(RefusingView(store))

        assert getattr(runner, how)() == head
        assert store.positions() == {**dict.fromkeys(NAMES, head), "refusing": head}
        count, latest = failures(store)
        assert (count, [row[:3] for row in latest]) == (1, [(appointed, "refusing", "Project.ProjectManagerAppointed")])
        refused = store.execute("SELECT position FROM test_refusing ORDER BY position")
        assert [row[0] for row in refused] == [p for p in range(1, head + 1) if p != appointed]
        assert len(audit_rows(store, {})) == head  # the other views took the event
        projects = answers(store, tracker)["projects"]
        assert [p["project_manager"] for p in projects if p["code"] == "P4"] == ["li.lei"]
    finally:
        store.close()
        tracker.close()


@pytest.mark.backends()
def test_a_database_fault_is_not_blamed_on_an_event(database_url: str) -> None:
    """A table gone (or a connection lost) stops the batch, which is read again later; no event is skipped."""
    tracker, store = Tracker(database_url), ViewStore(database_url)
    try:
        for n in range(3):
            Launch(tracker, code=f"P{n}").register()
        runner = Runner(tracker, store)
        store.execute("DROP TABLE view_owners")
        with pytest.raises(Exception, match="view_owners"):
            runner.catch_up()
        assert store.positions() == {}

        store.create_tables()
        assert runner.catch_up() == tracker.recorder.max_notification_id() == 3
        assert failures(store)[0] == 0
        assert len(answers(store, tracker)["projects"]) == 3
    finally:
        store.close()
        tracker.close()
