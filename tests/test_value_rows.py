"""Values in snapshots as rows (``store.transcodings.ValueAsRow``) and their plain forms written per class
(``domain.value_fields``): what a read as it was shows is the same state and the same answer as before,
a snapshot taken before rows still loads, and a row's layout changes only by growing at its end."""

from __future__ import annotations

import json
import typing
from dataclasses import fields
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import StoredEvent

from domain.loops import Verification
from domain.state import Value, fields_of, to_plain
from store.transcodings import ValueAsRow
from tests.snapshot_forms import before_rows
from tests.test_typed_state import a_long_story, types_in

GOLDEN = Path(__file__).parent / "golden" / "value_rows.json"
AT = datetime(2026, 12, 3, 4, 5, 6, 789, tzinfo=UTC)
ON = date(2026, 12, 3)


def row_transcodings(tracker) -> dict[str, ValueAsRow]:
    names = tracker.mapper.transcoder.names
    return {name: t for name, t in names.items() if type(t) is ValueAsRow}


def sample(cls: type[Value], empty: bool = False) -> Value:
    """A value of ``cls`` with every field filled by its annotation (``empty``: optional fields None)."""
    hints = typing.get_type_hints(cls)
    return cls(**{f.name: _sample(hints[f.name], empty) for f in fields(cls)})


def _sample(hint: Any, empty: bool) -> Any:
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    if type(None) in typing.get_args(hint):
        return None if empty else _sample(args[0], empty)
    if isinstance(hint, type) and issubclass(hint, Value):
        return sample(hint, empty)
    if typing.get_origin(hint) is list:
        return [_sample(args[0], empty), _sample(args[0], empty)]
    if typing.get_origin(hint) is dict and args[1] is not Any:
        return {"operations": _sample(args[1], empty)}
    simple = {str: "text 文本", int: 7, bool: True, float: 1.5, datetime: AT, date: ON, UUID: UUID(int=12345)}
    return simple.get(hint, {"when": ON, "at": AT, "items": [1, "x", {"n": 2}]})


def deep_plain(value: Any) -> Any:
    """The plain form the generic way (``Value.plain`` one level, then each part): what the API showed."""
    if isinstance(value, Value):
        return {key: deep_plain(item) for key, item in value.plain().items()}
    if type(value) is list:
        return [deep_plain(item) for item in value]
    if type(value) is dict:
        return {key: deep_plain(item) for key, item in value.items()}
    return value


def values_in(value: Any) -> list[Value]:
    if isinstance(value, Value):
        return [value, *values_in(fields_of(value))]
    items = value.values() if type(value) is dict else value if type(value) is list else ()
    return [found for item in items for found in values_in(item)]


@pytest.mark.backends("memory")
def test_every_value_comes_back_from_its_row_the_same(tracker):
    """Times, dates and ids are written as text in a row and read back as what the field holds."""
    transcoder = tracker.mapper.transcoder
    for transcoding in row_transcodings(tracker).values():
        for value in (sample(transcoding.cls), sample(transcoding.cls, empty=True)):
            stored = transcoder.encode({"value": value})
            assert stored.startswith(b'{"value":{"_type_":"' + transcoding.name.encode() + b'","_data_":[')
            back = transcoder.decode(stored)["value"]
            assert back == value and types_in(back) == types_in(value), transcoding.name
            quick = tracker.mapper.quick.scan(stored.decode(), 0)[0]["value"]
            assert quick == value and types_in(quick) == types_in(value), transcoding.name


@pytest.mark.backends("memory")
def test_plain_forms_written_per_class_are_the_plain_forms_the_api_showed(tracker):
    launch = a_long_story(tracker)
    found = [v for a in (launch.project, launch.review) for v in values_in([getattr(a, k) for k in type(a).STATE])]
    samples = [sample(t.cls, empty) for t in row_transcodings(tracker).values() for empty in (False, True)]
    assert len({type(v) for v in found}) >= 10
    for value in (*found, *samples):
        plain = to_plain(value)
        assert plain == deep_plain(value) and list(plain) == list(deep_plain(value)), type(value).__name__
        assert json.dumps(plain, default=str) == json.dumps(deep_plain(value), default=str)


@pytest.mark.backends("memory", "sqlite", "postgres")
def test_a_snapshot_taken_before_rows_loads_to_the_same_state(make_tracker):
    """Snapshots (and view rows) written while values were stored as plain forms stay readable."""
    tracker = make_tracker(IS_SNAPSHOTTING_ENABLED="y", SNAPSHOT_INTERVAL="0")
    launch = a_long_story(tracker)
    ids = (launch.project_id, launch.review_id, launch.tickets["R1"])
    replayed = {ident: tracker.repository.get(ident) for ident in ids}
    mapper = before_rows(tracker)
    for ident, aggregate in replayed.items():
        snapshot = type(aggregate).Snapshot.take(aggregate)
        stored = mapper.to_stored_event(snapshot)
        assert b"_row" not in stored.state and b'"_type_":"' in stored.state
        tracker.snapshots.recorder.insert_events([StoredEvent(*vars(stored).values())])
        [taken] = tracker.snapshots.recorder.select_events(ident, desc=True, limit=1)
        assert taken.state == stored.state
        loaded = tracker.repository.get(ident)
        assert vars(loaded) == vars(aggregate) and types_in(vars(loaded)) == types_in(vars(aggregate))


@pytest.mark.backends("memory")
def test_a_row_written_before_a_field_was_added_at_its_end_takes_the_default(tracker):
    transcoding = row_transcodings(tracker)["verification_row"]
    [*before, _] = transcoding.encode(Verification(effective=False, comments="not yet", by="li.lei", at=AT))
    decoded = transcoding.decode(before)
    assert type(decoded) is Verification and decoded.new_due is None and decoded.at == AT
    with pytest.raises(ValueError, match="Verification row of 6 items"):
        transcoding.decode([*before, None, "one too many"])


@pytest.mark.backends("memory")
def test_a_row_layout_only_grows_at_its_end(tracker):
    """What rows already stored mean: each class's fields in order. A field may be added at the end (with a
    default); removing, renaming or moving one would misread stored rows: give the row a new name instead.
    After adding a field at the end, add it to tests/golden/value_rows.json."""
    layouts = {name: [f.name for f in t.fields] for name, t in row_transcodings(tracker).items()}
    golden = json.loads(GOLDEN.read_text())
    for name, stored in golden.items():
        assert layouts.get(name, [])[: len(stored)] == stored, f"{name}: stored rows are {stored}"
    assert layouts == golden, "a new value class or a field added at the end: update tests/golden/value_rows.json"
