"""The delivery process (``flask --app wsgi notify run``): project, sweep, send — while it leads.

Each round: if this process holds the leadership (``store/notify_lock.py``), the projection turns
new events into deliveries, the due-date sweep runs (at most every ``sweep_every`` seconds), and
every delivery due is sent; otherwise it stands by and tries again after ``poll``.

A delivery is recorded as sent only AFTER its channel acknowledged it. A process killed between
the two leaves it pending: the next leader sends it again, with the same delivery id, and records
it then; the row (keyed by that id) is never duplicated. A failure is recorded with the next try
after ``backoff`` doubled per attempt up to ``max_backoff``; deliveries are retried until acknowledged.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Callable
from datetime import date
from typing import Any

from api.notify_send import SendFailed, send
from projections.notifications import Notifications
from store.notifications import Channels, Deliveries
from store.notify_lock import Leadership

log = logging.getLogger(__name__)


class Notifier:
    def __init__(
        self,
        notifications: Notifications,
        leadership: Leadership,
        settings: dict[str, Any],
        today: Callable[[], date],
    ) -> None:
        self.notifications, self.leadership, self.settings, self.today = notifications, leadership, settings, today
        store = notifications.store
        self.channels, self.deliveries = Channels(store), Deliveries(store)
        self.backoff = float(settings.get("NOTIFY_BACKOFF", 5.0))
        self.max_backoff = float(settings.get("NOTIFY_MAX_BACKOFF", 3600.0))
        self.sweep_every = float(settings.get("NOTIFY_SWEEP_EVERY", 3600.0))
        self.swept_at = float("-inf")
        self.me = f"{socket.gethostname()}:{os.getpid()}"

    def round(self) -> bool:
        """One round; False when standing by (another process delivers)."""
        if not self.leadership.hold():
            return False
        self.notifications.catch_up()
        if self.notifications.sweep_soon or time.monotonic() - self.swept_at >= self.sweep_every:
            self.notifications.sweep_soon = False
            self.notifications.sweep(self.today())
            self.swept_at = time.monotonic()
        self.send_due()
        return True

    def send_due(self) -> int:
        sent = 0
        for delivery in self.deliveries.due():
            channel = self.channels.get(delivery.channel_id)
            if channel is None:
                self.deliveries.dropped(delivery, "the channel was removed")
                continue
            try:
                send(channel, delivery, self.settings)
            except SendFailed as error:
                log.warning("notifications: delivery %s over %s failed: %s", delivery.id, channel.kind, error)
                self.deliveries.failed(delivery, str(error), self.backoff, self.max_backoff)
                continue
            self.deliveries.sent(delivery, self.me)
            sent += 1
        return sent

    def run_forever(self, stop: Any, poll: float = 1.0) -> None:
        """Until ``stop``: a round, then wait ``poll``; a failing store is logged and tried again."""
        try:
            while not stop.is_set():
                try:
                    self.round()
                except Exception:
                    log.exception("notifications: a round failed; trying again")
                    self.leadership.release()
                stop.wait(poll)
        finally:
            self.leadership.release()
