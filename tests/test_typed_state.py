"""Typed state: rules read value objects, and a snapshot stored before they existed still gives the
right state (it is upcast from its plain dicts), whether the tracker or a view reads it."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from eventsourcing.domain import Snapshot
from eventsourcing.utils import get_topic

from demo.workflow import HR_LEAD, PM
from domain import project_records, review_records, ticket_records, trial_records
from domain.loops import Verification
from domain.project_records import TicketEntry
from domain.review_records import Decision, ItemAssessment, Nonconformity
from domain.state import Value, fields_of, to_plain
from domain.ticket_records import Alternative, AlternativeDecision, Risk
from domain.trial_records import EquipmentReport, Improvement, ReviewRecord, TrialState
from store.codecs import SnapshotEncoder, decode
from store.decoding import quick_hook
from store.transcodings import ValueAsPlain
from tests.ticket_support import bring_to, launched
from tests.trial_helpers import concluded, record_improvement, record_nonconformity

pytestmark = pytest.mark.backends("memory", "sqlite", "postgres")


def old_snapshot(aggregate) -> Snapshot:
    """The snapshot the code before typed state stored: its state's parts as plain dicts, no class_version."""
    typed = type(aggregate).STATE
    state = {key: to_plain(value) if key in typed else value for key, value in vars(aggregate).items()}
    for key in ("_id", "_version", "_pending_events"):
        del state[key]
    return Snapshot(
        originator_id=aggregate.id,
        originator_version=aggregate.version,
        timestamp=Snapshot.create_timestamp(),
        topic=get_topic(type(aggregate)),
        state=state,
    )


def types_in(value):
    """The types of everything in ``value``, deep (values compare equal to their plain forms; types do not)."""
    if isinstance(value, Value):
        return type(value), types_in(fields_of(value))
    if type(value) is list:
        return [types_in(item) for item in value]
    if type(value) is dict:
        return {key: types_in(item) for key, item in value.items()}
    return type(value)


def a_long_story(tracker):
    """A failed review with counted and dated corrective actions, counted improvements, a ticket's alternatives."""
    launch = concluded(tracker, unmet=("processes",))
    record_improvement(tracker, launch, due=None, due_in_working_days=3, recorded_on=date(2026, 12, 8))
    record_improvement(tracker, launch)
    record_nonconformity(tracker, launch.review_id, due=None, due_in_working_days=2, recorded_on=date(2026, 12, 18))
    record_nonconformity(tracker, launch.review_id)
    return launch


def test_rules_read_the_state_as_values(tracker):
    launch = a_long_story(tracker)
    project, review = launch.project, launch.review
    assert isinstance(project.trial, TrialState)
    assert isinstance(project.trial.last_equipment_report, EquipmentReport)
    assert project.trial.last_equipment_report.at_version < project.version
    assert [type(e) for e in project.trial.improvements] == [Improvement, Improvement]
    assert [type(r) for r in project.reviews] == [ReviewRecord] and project.reviews[-1].outcome == "failed"
    assert all(type(t) is TicketEntry and t.active for t in project.tickets)
    assert type(review.items["processes"]) is ItemAssessment and not review.items["processes"].met
    assert [(type(n), n.n) for n in review.nonconformities] == [(Nonconformity, 1), (Nonconformity, 2)]


def test_plain_forms_keep_the_former_keys(tracker):
    """A counted entry shows its count; a dated one has no such keys (as before values)."""
    launch = a_long_story(tracker)
    counted, dated = to_plain(launch.project.trial.improvements)
    assert list(counted) == [
        "problem",
        "measure",
        "owner_department",
        "due",
        "recorded_by",
        "recorded_at",
        "due_in_working_days",
        "due_counted_from",
        "provisional",
        "n",
        "state",
        "completions",
        "verifications",
    ]
    assert "due_in_working_days" not in dated
    first, second = to_plain(launch.review.nonconformities)
    assert list(first)[:4] == ["due_in_working_days", "due_counted_from", "provisional", "n"]
    assert list(second) == [
        "n",
        "description",
        "corrective_action",
        "owner_department",
        "due",
        "recorded_by",
        "state",
        "completions",
        "verifications",
    ]


def test_a_snapshot_stored_before_values_is_upcast_to_the_same_state(make_tracker):
    tracker = make_tracker(IS_SNAPSHOTTING_ENABLED="y", SNAPSHOT_INTERVAL="0")
    launch = a_long_story(tracker)
    tid = launch.tickets["R1"]
    ids = (launch.project_id, launch.review_id, tid)
    replayed = {ident: tracker.repository.get(ident) for ident in ids}
    assert not any(list(tracker.snapshots.get(ident)) for ident in ids)

    tracker.snapshots.put([old_snapshot(aggregate) for aggregate in replayed.values()])
    for ident in ids:
        [stored] = tracker.snapshots.get(ident)
        assert "class_version" not in stored.state
        loaded = tracker.repository.get(ident)
        assert vars(loaded) == vars(replayed[ident])
        assert types_in(vars(loaded)) == types_in(vars(replayed[ident]))

    project = tracker.load_project(launch.project_id)
    assert isinstance(project.trial, TrialState) and isinstance(project.manual.revisions[-1].review.outcome, str)
    tracker.record_improvement(PM, launch.project_id, "queues", "more seats", "operations", date(2026, 12, 20))
    assert len(tracker.load_project(launch.project_id).trial.improvements) == 3


def test_a_ticket_snapshot_stored_before_values_keeps_its_alternatives(make_tracker):
    tracker = make_tracker(IS_SNAPSHOTTING_ENABLED="y", SNAPSHOT_INTERVAL="0")
    launch = launched(tracker)
    tid = bring_to(launch, "in_progress")
    tracker.flag_risk(HR_LEAD, tid, "only 20 of 28 hired")
    tracker.propose_alternative(HR_LEAD, tid, "hire through an agency", True, date(2026, 12, 4))
    tracker.confirm_alternative(PM, tid, 1)
    ticket = tracker.load_ticket(tid)
    assert [type(r) for r in ticket.risks] == [Risk]
    [alternative] = ticket.alternatives
    assert type(alternative) is Alternative and alternative.status == "confirmed"
    assert [type(d) for d in alternative.decisions] == [AlternativeDecision]

    tracker.snapshots.put([old_snapshot(ticket)])
    from_old = tracker.load_ticket(tid)
    assert vars(from_old) == vars(ticket) and types_in(vars(from_old)) == types_in(vars(ticket))
    tracker.submit_ticket(HR_LEAD, tid, "28 agents hired")
    assert tracker.load_ticket(tid).submissions[0].evidence == "28 agents hired"


def test_an_old_view_row_decodes_to_values_and_a_new_one_to_the_same(tracker):
    """``view_aggregates`` rows written before values (plain dicts) are upcast when read back."""
    launch = a_long_story(tracker)
    for aggregate in (launch.project, launch.review):
        old = tracker.mapper.to_stored_event(old_snapshot(aggregate))
        from_old = decode(tracker.mapper, (old.originator_id, old.originator_version, old.topic, old.state))
        topic, doc = SnapshotEncoder(tracker.mapper)(aggregate)
        from_new = decode(tracker.mapper, (aggregate.id, aggregate.version, topic, doc))
        assert vars(from_old) == vars(from_new) == vars(aggregate)
        assert types_in(vars(from_old)) == types_in(vars(from_new)) == types_in(vars(aggregate))
        assert b'"class_version":2' in doc and b'"class_version"' not in old.state
    assert isinstance(from_old.decision, Decision | type(None)) and isinstance(from_old.nonconformities[0], Value)


def test_each_value_is_one_object_and_decodes_a_form_without_a_later_field():
    """A read as it was builds hundreds of values: each is one object (slots, no ``__dict__`` beside it, which
    the collector would count too), and a plain form stored before a defaulted field existed gets its default,
    through the transcoding and through the quick decoder's hook alike."""
    for cls in (*project_records.VALUES, *trial_records.VALUES, *ticket_records.VALUES, *review_records.VALUES):
        assert not hasattr(cls.__new__(cls), "__dict__"), cls.__name__
    at = datetime(2026, 12, 3, tzinfo=UTC)
    before = {"effective": False, "comments": "not yet", "by": "li.lei", "at": at}  # (no new_due then)
    transcoding = ValueAsPlain(Verification)
    hook = quick_hook({}, {transcoding.name: Verification}, lambda obj: obj)
    for decoded in (transcoding.decode(dict(before)), hook({"_type_": transcoding.name, "_data_": dict(before)})):
        assert type(decoded) is Verification and decoded.new_due is None and decoded["comments"] == "not yet"
        assert fields_of(decoded) == {**before, "new_due": None} and transcoding.encode(decoded) == fields_of(decoded)
