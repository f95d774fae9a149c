"""Snapshots as earlier code wrote them, for tests that old snapshots still load."""

from __future__ import annotations

from eventsourcing.persistence import DatetimeAsISO, DecimalAsStr, JSONTranscoder, Mapper, UUIDAsHex

from store.transcodings import DateAsISO, ValueAsPlain, ValueAsRow


def before_rows(tracker) -> Mapper:
    """A mapper writing values as their plain forms (``ValueAsPlain``), as snapshots were written before rows."""
    transcoder = JSONTranscoder()
    for basic in (UUIDAsHex(), DecimalAsStr(), DatetimeAsISO(), DateAsISO()):
        transcoder.register(basic)
    for transcoding in tracker.mapper.transcoder.names.values():
        if type(transcoding) is ValueAsRow:
            transcoder.register(ValueAsPlain(transcoding.cls))
    return Mapper(transcoder=transcoder)
