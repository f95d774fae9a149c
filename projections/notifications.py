"""Notifications as a projection with its own tracking: events → deliveries (``store/notifications.py``).

Each batch of the log is read after the projection's own position; the people, projects and
tickets it needs to find recipients are tracked from the events themselves, and the deliveries
the rules (``notify_rules.py``) call for are written with the new position in ONE transaction,
so a crash loses nothing and repeats nothing. On its first start the projection reads the whole
log to learn who is who but delivers only what happens from then on (``since``): nobody is sent
the history. The sweep (``sweep``) runs from the same process: one delivery per open ticket, due
date and stage (due soon, overdue) at most, whatever the number of sweeps, and what a running
project's assessments, rectifications and requests call for (``notify_live.py``).

Messages are rendered when the delivery is created, in the recipient's language, by ``render``
(the composition root hands over the pages' catalogs), so the log shows exactly what was sent.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID

from projections.notify_live import live_causes, stage_of
from projections.notify_rules import BY_EVENT, DUE_RULES, DUE_SOON_DAYS, RECIPIENTS, Rule
from store.decoding import EventDecoder
from store.notifications import Deliveries, create_tables, delivery_id
from store.views import ViewStore

if TYPE_CHECKING:
    from domain.application import Tracker

log = logging.getLogger(__name__)
NAME = "notifications"
DEFAULT_LANGUAGE = "zh-CN"
Render = Callable[[str, dict[str, Any], str], tuple[str, str]]
"""(message, params, language) → (subject, text)."""
TICKET_CLOSED = {"TicketAccepted": 0, "TicketCancelled": 0, "TicketReturned": 1, "RequirementRevised": 1}
TRACKED = {
    "UserAccess.AccountAdded", "UserAccess.AccountDisabled", "UserAccess.LanguageChosen", "Project.Registered",
    "Project.ProjectManagerAppointed", "Project.TicketsWithdrawn", "RequirementTicket.Issued",
    "RequirementTicket.DueRecounted", *(f"RequirementTicket.{name}" for name in TICKET_CLOSED),
}  # fmt: skip
"""The events ``track`` reads; with the rules' events, the only ones decoded (by their stored topic)."""
SWEEP_SOON = {
    "Project.KpiReportRecorded", "Project.RectificationNotified", "Project.RectificationPlanned",
    "Project.RequestRecorded",
}  # fmt: skip
"""Events that change what the sweep finds (a month failed, a rectification's owner, a due date already
near): the delivery process sweeps in its next round rather than at the next hour."""
WANTED = TRACKED | set(BY_EVENT) | SWEEP_SOON
EVENT_FACTS = ("n", "outcome", "go_live_on", "due", "month", "kind", "notice_on", "effective_on")
"""The event fields a message may name (a customer request's ``owner_department`` is its ``department``)."""


class Notifications:
    def __init__(self, tracker: Tracker, store: ViewStore, render: Render, batch_size: int = 500) -> None:
        self.tracker, self.store, self.render, self.batch_size = tracker, store, render, batch_size
        self.decode = EventDecoder(tracker.mapper)
        self.deliveries = Deliveries(store)
        self.sweep_soon = False
        create_tables(store)

    def position(self) -> tuple[int, int]:
        """(processed up to, delivering after); the first call starts delivering from the log's head."""
        rows = self.store.execute("SELECT position, since FROM notify_positions WHERE name = ?", (NAME,))
        if rows:
            return rows[0]
        head = self.tracker.recorder.max_notification_id() or 0
        self.store.execute("INSERT INTO notify_positions VALUES (?, 0, ?) ON CONFLICT (name) DO NOTHING", (NAME, head))
        return self.position()

    def run_once(self) -> int:
        """One batch of events; how many were read (0: caught up)."""
        position, since = self.position()
        notifications = self.tracker.recorder.select_notifications(position + 1, self.batch_size)
        if not notifications:
            return 0
        with self.store.transaction() as cursor:
            query = self._query(cursor)
            now = query("SELECT position FROM notify_positions WHERE name = ?" + self._for_update(), (NAME,))
            if now[0][0] != position:
                return len(notifications)  # (another process got there first: read again)
            for notification in notifications:
                if notification.topic.rpartition(":")[2] not in WANTED:
                    continue
                try:
                    event = self.decode(notification)
                except Exception:
                    log.exception("notifications: event at position %s not decoded; skipped", notification.id)
                    continue
                kind = type(event).__qualname__
                track(query, kind, event)
                self.sweep_soon |= kind in SWEEP_SOON and notification.id > since
                rule = BY_EVENT.get(kind)
                if rule is not None and notification.id > since:
                    context = self._context(query, event)
                    self._deliver(cursor, query, rule, f"event:{notification.id}", context)
            cursor.execute(
                self.store.sql("UPDATE notify_positions SET position = ? WHERE name = ?"), (notifications[-1].id, NAME)
            )
        return len(notifications)

    def catch_up(self) -> int:
        total = 0
        while read := self.run_once():
            total += read
        return total

    def sweep(self, today: date) -> int:
        """Deliveries for open tickets, rectifications and customer requests due within ``DUE_SOON_DAYS``
        working days or overdue, and recent months assessed failed or missing (as of ``today``)."""
        rows = self.store.execute(
            "SELECT ticket_id, due FROM notify_tickets WHERE open = 1 AND due <= ?",
            (date.fromordinal(today.toordinal() + 4 * DUE_SOON_DAYS + 14).isoformat(),),
        )
        working = self.tracker.working_days(range(today.year - 1, today.year + 2))
        projects = [self.tracker.load_project(UUID(project_id)) for (project_id,) in self.store.execute(
            "SELECT project_id FROM notify_projects", ()
        )]  # fmt: skip
        made = 0
        with self.store.transaction() as cursor:
            query = self._query(cursor)
            for ticket_id, due_text in rows:
                stage = stage_of("ticket", date.fromisoformat(due_text), today, working)
                if stage is None:
                    continue
                context = self._context(query, None, ticket_id)
                made += self._deliver(cursor, query, DUE_RULES[stage], f"{stage}:{ticket_id}:{due_text}", context)
            for project in projects:
                for rule, cause, facts in live_causes(project, today, working):
                    context = {**self._context(query, None, project_id=str(project.id)), **facts}
                    made += self._deliver(cursor, query, DUE_RULES[rule], cause, context)
        return made

    def _deliver(self, cursor: Any, query: Any, rule: Rule, cause: str, context: dict[str, Any]) -> int:
        """One delivery per channel reached (a group robot two recipients share gets the message once)."""
        rows, reached = [], set()
        for name in rule.recipients:
            for recipient in RECIPIENTS[name](query, context):
                for channel_id, language in channels_of(query, recipient):
                    if channel_id in reached:
                        continue
                    reached.add(channel_id)
                    subject, body = self.render(rule.message, context, language)
                    ident = delivery_id(cause, recipient, channel_id)
                    rows.append((ident, cause, rule.message, recipient, channel_id, language, subject, body))
        self.deliveries.create(cursor, rows)
        return len(rows)

    def _context(
        self, query: Any, event: Any, ticket_id: str | None = None, project_id: str | None = None
    ) -> dict[str, Any]:
        """What a message and its recipients need: the ticket's and the project's facts, and the event's own."""
        context: dict[str, Any] = {"project_id": project_id} if project_id else {}
        if event is not None:
            for field in EVENT_FACTS:
                if hasattr(event, field):
                    context[field] = str(getattr(event, field))
            if hasattr(event, "owner_department"):
                context["department"] = event.owner_department
            ticket_id = ticket_id or str(event.originator_id)
            context["project_id"] = str(getattr(event, "project_id", None) or event.originator_id)
        tickets = query(
            "SELECT project_id, department, ref, title, due FROM notify_tickets WHERE ticket_id = ?", (ticket_id,)
        )
        if tickets:
            project_id, department, ref, title, due = tickets[0]
            context.update(project_id=project_id, department=department, ref=ref, title=title, due=due)
        projects = query(
            "SELECT code, name, project_manager FROM notify_projects WHERE project_id = ?", (context.get("project_id"),)
        )
        if projects:
            context.update(zip(("project_code", "project_name", "project_manager"), projects[0], strict=True))
        return context

    def _query(self, cursor: Any) -> Callable[[str, tuple[Any, ...]], list[tuple]]:
        def query(statement: str, params: tuple[Any, ...]) -> list[tuple]:
            cursor.execute(self.store.sql(statement), params)
            return cursor.fetchall() if cursor.description else []

        return query

    def _for_update(self) -> str:
        return " FOR UPDATE" if self.store.postgres else ""


def channels_of(query: Any, recipient: str) -> list[tuple[str, str]]:
    """(channel id, language) reaching ``recipient``: its own channels; else a person's department's,
    or a department's leads' own. The language: the channel's, else the person's, else zh-CN."""
    kind, name = recipient.split(":", 1)
    person = (
        query("SELECT department, language FROM notify_people WHERE user_name = ?", (name,)) if kind == "person" else []
    )
    language = (person[0][1] if person else None) or DEFAULT_LANGUAGE
    own = query("SELECT id, language FROM notify_channels WHERE owner = ? ORDER BY id", (recipient,))
    if not own and kind == "person" and person and person[0][0]:
        own = query(
            "SELECT id, language FROM notify_channels WHERE owner = ? ORDER BY id", (f"department:{person[0][0]}",)
        )
    if not own and kind == "department":
        own = query(
            "SELECT c.id, COALESCE(c.language, p.language) FROM notify_channels c JOIN notify_people p "
            "ON c.owner = 'person:' || p.user_name WHERE p.role = 'department_lead' AND p.department = ? "
            "AND p.active = 1 ORDER BY c.id",
            (name,),
        )
    return [(channel_id, channel_language or language) for channel_id, channel_language in own]


def track(query: Any, kind: str, event: Any) -> None:
    """Keep the people, projects and tickets the rules look up."""
    short = kind.rsplit(".", 1)[-1]
    if kind == "UserAccess.AccountAdded":
        query(
            "INSERT INTO notify_people VALUES (?, ?, ?, NULL, 1) ON CONFLICT (user_name) DO UPDATE "
            "SET role = excluded.role, department = excluded.department, active = 1",
            (event.user, event.account_role, event.department),
        )
    elif kind == "UserAccess.AccountDisabled":
        query("UPDATE notify_people SET active = 0 WHERE user_name = ?", (event.user,))
    elif kind == "UserAccess.LanguageChosen":
        query("UPDATE notify_people SET language = ? WHERE user_name = ?", (event.language, event.user))
    elif kind == "Project.Registered":
        query(
            "INSERT INTO notify_projects VALUES (?, ?, ?, NULL) ON CONFLICT (project_id) DO NOTHING",
            (str(event.originator_id), event.code, event.name),
        )
    elif kind == "Project.ProjectManagerAppointed":
        query(
            "UPDATE notify_projects SET project_manager = ? WHERE project_id = ?",
            (event.project_manager, str(event.originator_id)),
        )
    elif kind == "RequirementTicket.Issued":
        query(
            "INSERT INTO notify_tickets VALUES (?, ?, ?, ?, ?, ?, 1) ON CONFLICT (ticket_id) DO NOTHING",
            (str(event.originator_id), str(event.project_id), event.department, event.requirement_ref, event.title,
             event.due.isoformat()),
        )  # fmt: skip
    elif kind == "RequirementTicket.DueRecounted":
        query(
            "UPDATE notify_tickets SET due = ? WHERE ticket_id = ?",
            (event.new_due.isoformat(), str(event.originator_id)),
        )
    elif kind == "Project.TicketsWithdrawn":
        for ticket_id in event.ticket_ids:
            query("UPDATE notify_tickets SET open = 0 WHERE ticket_id = ?", (str(ticket_id),))
    elif kind.startswith("RequirementTicket.") and short in TICKET_CLOSED:
        if short == "RequirementRevised":
            query(
                "UPDATE notify_tickets SET due = ?, title = ?, department = ? WHERE ticket_id = ?",
                (event.due.isoformat(), event.title, event.department, str(event.originator_id)),
            )
        query(
            "UPDATE notify_tickets SET open = ? WHERE ticket_id = ?", (TICKET_CLOSED[short], str(event.originator_id))
        )
