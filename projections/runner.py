"""Runs the projections over the application's notification log, in batches.

Each batch: read notifications after the lowest position, decode each event once,
let every projection that has not yet seen it apply it, then write all rows and the
new positions in ONE transaction. Another runner that got there first makes the
transaction back out (positions are re-read under a lock), so nothing is applied twice.
A crash before commit loses nothing: the batch is read again next time.

The library's own ProjectionRunner commits per event and SQLite cannot subscribe, so
both stores are polled here, in batches, through ``select_notifications``.

Speed (``bench/rebuild.py``): before a batch is applied each projection fetches, in one
query, the rows it will need for the aggregates the batch continues (instead of one query
per event); on PostgreSQL the rows go in by binary COPY; the cyclic garbage collector is
paused while a batch is in hand (it would otherwise traverse the batch's many live objects
again and again, and a batch makes no cyclic garbage). A rebuild reads batches of
``rebuild_batch_size``, so that most aggregates are loaded and written once per batch, and
overlaps the database's work with Python's: while batch N is applied and batch N+1 read,
batch N-1 is committed by a helper thread (each batch still in one transaction with its
positions, committed in order; the collector stays paused until the rebuild is done). (A
second helper reading ahead cost more in switching the GIL than it saved in waiting.)
Events are decoded by ``EventDecoder`` (``store/decoding.py``) and the states encoded by
``SnapshotEncoder`` (``store/codecs.py``):
the library's objects and bytes, without its generic path's per-call costs, which were most of
the rebuild's own CPU; the events' times go into the rows as the text they are stored as
(``store.codecs.TimeTexts``) rather than being formatted again.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Protocol

from projections.aggregates import AggregateStates
from projections.audit_log import AuditLog
from projections.failures import Failures
from projections.trouble import Trouble
from store.codecs import IdTexts, TimeTexts
from store.decoding import EventDecoder
from store.view_failures import blames_event, forget
from store.views import ViewStore, continued

if TYPE_CHECKING:  # (the application service, named for readers; imported at run time by api/)
    from domain.application import Tracker

log = logging.getLogger(__name__)
PROJECTIONS = (AggregateStates, AuditLog)
NAMES = tuple(p.name for p in PROJECTIONS)
REBUILD_BATCH_SIZE = 20_000
"""Notifications per batch when rebuilding: a few tens of MB in hand, and most aggregates loaded once."""
MAX_BACKOFF = 2.0
"""Longest wait between two tries of the projector while the store fails (seconds)."""


class Stop(Protocol):
    """What ``run_forever`` stops on: a ``threading.Event``, or a flag a signal handler sets."""

    def is_set(self) -> bool: ...

    def wait(self, timeout: float) -> bool: ...


class Overtaken(Exception):
    """Another runner committed this batch first."""


class Runner:
    rebuild_batch_size = REBUILD_BATCH_SIZE

    def __init__(self, tracker: Tracker, store: ViewStore, batch_size: int = 1000) -> None:
        self.tracker, self.store, self.batch_size = tracker, store, batch_size
        self.projections = [cls(store, tracker.mapper) for cls in PROJECTIONS]
        self.decode = EventDecoder(tracker.mapper)
        ids, times = IdTexts(), TimeTexts()  # (one for all: each id and time is turned into text once per batch)
        for projection in self.projections:
            projection.ids, projection.times = ids, times
        self.lock = threading.Lock()
        self.failures = Failures(store)
        self.narrowed = (
            0,
            0,
        )  # (a batch the database refused, read again in smaller batches: up to here, of this size)

    def head(self) -> int:
        return self.tracker.recorder.max_notification_id() or 0

    def lag(self) -> dict[str, int]:
        head, positions = self.head(), self.store.positions()
        return {name: head - positions.get(name, 0) for name in NAMES}

    def run_once(self, limit: int | None = None) -> int:
        """Process one batch; returns how many notifications were read (0: caught up).

        A batch that fails as a whole (its rows refused by the database, say) through an event's fault
        (``store.view_failures.blames_event``) is read again in halves, and so on (the following reads stay that
        small up to its end); a single event whose rows are still refused is skipped by the view refusing them.
        """
        with self.lock, paused_gc():
            positions = self.store.positions()
            seen = {p.name: positions.get(p.name, 0) for p in self.projections}
            start = min(seen.values()) + 1
            size = limit or self.batch_size
            if start <= self.narrowed[0]:
                size = min(size, self.narrowed[1])
            while True:
                notifications = self.tracker.recorder.select_notifications(start, size)
                if not notifications:
                    return 0
                try:
                    self._apply(notifications, seen)
                    writes = [projection.flush for projection in self.projections]
                    self._commit(seen, notifications[-1].id, [*writes, self.failures.writer()])
                    return len(notifications)
                except Overtaken:
                    log.info("another runner committed positions %s first", seen)
                    return len(notifications)
                except Exception as error:
                    if not blames_event(error):
                        raise
                    if len(notifications) == 1:
                        self._skip_refused(notifications[0], seen, error)
                        return 1
                    size = len(notifications) // 2
                    self.narrowed = (max(self.narrowed[0], notifications[-1].id), size)
                    log.warning(
                        "a batch of %s events failed (%s); reading it again in halves", len(notifications), error
                    )
                finally:
                    self.failures.clear()
                    for projection in self.projections:
                        projection.reset()

    def _skip_refused(self, notification: Any, seen: dict[str, int], error: Exception) -> None:
        """One event's rows were refused: each view commits it alone, and the one whose rows are refused skips it."""
        log.warning(
            "the rows of the event at position %s were refused (%s); views commit it one by one", notification.id, error
        )
        for projection in self.projections:
            name = projection.name
            if seen[name] >= notification.id:
                continue
            try:
                try:
                    self._commit({name: seen[name]}, notification.id, [projection.flush, self.failures.writer([name])])
                except Exception as refusal:
                    if not blames_event(refusal):
                        raise
                    self.failures.record(notification, [name], refusal)
                    self._commit({name: seen[name]}, notification.id, [self.failures.writer([name])])
            except Overtaken:
                log.info("another runner committed position %s of %s first", seen[name], name)

    def _apply(self, notifications: Any, seen: dict[str, int]) -> None:
        self._prefetch(notifications, seen)
        self._process(notifications, seen)

    def _prefetch(self, notifications: Any, seen: dict[str, int]) -> None:
        """Let each projection fetch at once the rows it will need for the notifications it has not seen."""
        first, keys = notifications[0].id, {}
        for projection in self.projections:
            if (prefetch := getattr(projection, "prefetch", None)) is not None:
                after = max(seen[projection.name], first - 1)
                if after not in keys:
                    keys[after] = continued(
                        [n for n in notifications if n.id > after] if after >= first else notifications
                    )
                prefetch(keys[after])

    def _process(self, notifications: Any, seen: dict[str, int]) -> None:
        """Apply each event to each view that has not seen it; one that fails is skipped by that view (``failures``)."""
        decode, record = self.decode, self.failures.record
        first = notifications[0].id
        if all(seen[projection.name] < first for projection in self.projections):
            processes = [(projection.name, projection.process) for projection in self.projections]
            for notification in notifications:
                try:
                    event = decode(notification)
                except Exception as error:
                    record(notification, [name for name, _ in processes], error)
                    continue
                for name, process in processes:
                    try:
                        process(event, notification)
                    except Exception as error:
                        record(notification, [name], error)
            return
        for notification in notifications:
            event = None
            for projection in self.projections:
                if notification.id > seen[projection.name]:
                    try:
                        event = event or decode(notification)
                        projection.process(event, notification)
                    except Exception as error:
                        record(notification, [projection.name], error)

    def _commit(self, seen: dict[str, int], last: int, writes: list[Callable[[Any], None]]) -> None:
        """Write the batch's rows (``writes``, each given the cursor) and advance the positions, in one transaction.

        A position only moves forward: a view ahead of the batch (the other one being rebuilt) keeps its own.
        """
        with self.store.transaction() as cursor:
            if self.store.postgres:
                cursor.execute("LOCK TABLE view_positions IN EXCLUSIVE MODE")
            cursor.execute("SELECT name, position FROM view_positions")
            now = dict(cursor.fetchall())
            if any(now.get(name, 0) != position for name, position in seen.items()):
                raise Overtaken
            for write in writes:
                write(cursor)
            upsert = self.store.sql(
                "INSERT INTO view_positions VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET position = excluded.position"
            )
            cursor.executemany(upsert, [(name, max(position, last)) for name, position in seen.items()])

    def catch_up(self, batch_size: int | None = None) -> int:
        total = 0
        while processed := self.run_once(batch_size):
            total += processed
        return total

    def wait_for(self, position: int, timeout: float = 5.0, in_process: bool = False) -> bool:
        """Until every view has processed ``position``; False if still behind after ``timeout``."""
        deadline = time.monotonic() + timeout
        while True:
            positions = self.store.positions()
            if all(positions.get(name, 0) >= position for name in NAMES):
                return True
            if in_process and self.run_once():
                continue
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.02)

    def rebuild(self, names: tuple[str, ...] = NAMES, batch_size: int | None = None) -> int:
        tables = [t for p in self.projections if p.name in names for t in p.tables]
        self.store.drop(tables, names)
        forget(self.store, names)
        return self.catch_up_overlapped(batch_size or self.rebuild_batch_size)

    def catch_up_overlapped(self, batch_size: int | None = None) -> int:
        """``catch_up``, with batch N-1 committed by a helper thread while batch N is applied and N+1 read.

        Batch N+1's rows are fetched before batch N is committed, so the states batch N leaves
        are kept in hand for it (``reset(carry=True)``); everything older is committed by then.
        Each batch is still committed in one transaction with its positions, in order; if another
        runner got there first, what is in hand is dropped and the plain ``catch_up`` takes over.
        """
        batch_size = batch_size or self.batch_size
        read = self.tracker.recorder.select_notifications
        done, overtaken = 0, False
        with self.lock, paused_gc(), ThreadPoolExecutor(1, thread_name_prefix="views-commit") as committer:
            positions = self.store.positions()
            seen = {p.name: positions.get(p.name, 0) for p in self.projections}
            notifications = read(min(seen.values()) + 1, batch_size)
            committing: tuple[Future[None], int] | None = None  # and the batch's size
            try:
                if notifications:
                    self._prefetch(notifications, seen)
                while notifications:
                    last = notifications[-1].id
                    self._process(notifications, seen)
                    writes = [*(projection.prepared() for projection in self.projections), self.failures.writer()]
                    self.failures.clear()
                    for projection in self.projections:
                        projection.reset(carry=True)
                    following = read(last + 1, batch_size)
                    if committing is not None:
                        committing[0].result()
                        done += committing[1]
                    after = {name: max(position, last) for name, position in seen.items()}
                    if following:
                        self._prefetch(following, after)
                    committing = committer.submit(self._commit, seen, last, writes), len(notifications)
                    seen, notifications = after, following
                if committing is not None:
                    committing[0].result()
                    done += committing[1]
            except Overtaken:
                log.info("another runner committed first; catching up batch by batch")
                overtaken = True
            except Exception as error:
                if not blames_event(error):
                    raise
                log.warning("a rebuild batch failed (%s); carrying on batch by batch", error)
                overtaken = True
            finally:
                self.failures.clear()
                for projection in self.projections:
                    projection.reset()
        return done + self.catch_up(batch_size) if overtaken else done

    def run_forever(
        self,
        stop: Stop,
        poll: float = 0.2,
        max_backoff: float = MAX_BACKOFF,
        when_idle: Callable[[], Any] | None = None,
    ) -> None:
        """Keep the views up to date until ``stop``; a failing batch is retried with backoff, not given up.

        While the store is unavailable the wait doubles from ``poll`` up to ``max_backoff``, and the
        outage is logged once when it starts and once when it ends; every batch starts again from
        the positions stored with the views, so nothing is skipped or applied twice. ``when_idle``
        (the daily chain checkpoint, which logs its own failures) is called whenever caught up.
        """
        trouble = Trouble()
        while not stop.is_set():
            try:
                processed = self.run_once()
            except Exception as error:
                stop.wait(trouble.failed(error, poll, max_backoff))
                continue
            trouble.over(self.store)
            if not processed:
                if when_idle is not None:
                    when_idle()
                stop.wait(poll)


_gc_lock = threading.Lock()
_gc_pauses = 0
_gc_was_enabled = False


@contextmanager
def paused_gc() -> Iterator[None]:
    """No automatic cyclic garbage collection inside (nested or from several threads: until the last one leaves)."""
    global _gc_pauses, _gc_was_enabled
    with _gc_lock:
        if _gc_pauses == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pauses += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0 and _gc_was_enabled:
                gc.enable()
