"""Calendar feeds (iCalendar, RFC 5545, written by the ``icalendar`` library), read from the views.

A project's feed: its milestones (trial start, trial review, go-live: planned, and the actual day
once known), the manual's due date, and each open ticket's due date. A person's feed: the tickets
they answer for (a department lead: their department's open tickets; a PM: their projects'), and
the reviews and go-live days of the projects concerned; the other roles (director, branch head,
service manager, sales, auditor) follow every project not yet live. Every entry is an all-day
event with a stable UID, so a subscribed calendar updates it in place when a date moves.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from icalendar import Calendar, Event

from domain.roles import DEPARTMENT_LEAD, PROJECT_MANAGER, Actor
from domain.ticket import OPEN_STATES
from projections.reading import Reader

PRODUCT = "-//launch-tracker//calendar feed//EN"
MILESTONES = {"trial_start": "Trial start", "trial_review": "Trial review", "go_live": "Go-live"}


def project_feed(reader: Reader, project_id: str) -> bytes:
    project = reader.one("project", project_id)
    calendar = new_calendar(f"{project.code} {project.name}")
    for entry in project_entries(reader, project, with_tickets=True):
        calendar.add_component(entry)
    return calendar.to_ical()


def person_feed(reader: Reader, person: Actor) -> bytes:
    calendar = new_calendar(person.user)
    projects: dict[str, Any] = {}
    tickets: list[Any] = []
    if person.role == DEPARTMENT_LEAD:
        tickets = reader.where("ticket", [("department = ?", (person.department,))])
        for project_id in {str(t.project_id) for t in tickets}:
            projects[project_id] = reader.one("project", project_id)
    elif person.role == PROJECT_MANAGER:
        for project in reader.where("project", [("project_manager = ?", (person.user,))]):
            projects[str(project.id)] = project
            tickets += reader.where("ticket", [("project_id = ?", (str(project.id),))])
    else:
        for project in reader.where("project", [("state <> ?", ("live",))]):
            projects[str(project.id)] = project
    codes = {project_id: project.code for project_id, project in projects.items()}
    for ticket in tickets:
        if ticket.state in OPEN_STATES:
            calendar.add_component(ticket_entry(ticket, codes.get(str(ticket.project_id), "")))
    for project in projects.values():
        for entry in project_entries(reader, project, with_tickets=False):
            calendar.add_component(entry)
    return calendar.to_ical()


def new_calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    return calendar


def project_entries(reader: Reader, project: Any, with_tickets: bool) -> list[Event]:
    plan = project.current_plan or {}
    held = [review.held_on for review in project.reviews]
    actual = {
        "trial_start": project.trial.start if project.trial else None,
        "trial_review": held[-1] if held else None,
        "go_live": project.went_live_on,
    }
    entries = []
    for name, label in MILESTONES.items():
        day = actual[name] or plan.get(name)
        if day is not None:
            planned = "" if actual[name] else " (planned)"
            entries.append(all_day(f"{project.id}-{name}", day, f"{project.code} {label}{planned}", project.name))
    manual = (plan.get("manual") or {}).get("due")
    if manual is not None:
        entries.append(all_day(f"{project.id}-manual", manual, f"{project.code} Operations manual due", project.name))
    if with_tickets:
        for ticket in reader.where("ticket", [("project_id = ?", (str(project.id),))]):
            if ticket.state in OPEN_STATES:
                entries.append(ticket_entry(ticket, project.code))
    return entries


def ticket_entry(ticket: Any, code: str) -> Event:
    summary = f"{code} {ticket.requirement_ref} due: {ticket.title}"
    return all_day(f"ticket-{ticket.id}-due", ticket.due, summary, f"{ticket.department}, state {ticket.state}")


def all_day(uid: str, day: date, summary: str, description: str) -> Event:
    event = Event()
    event.add("uid", f"{uid}@launch-tracker")
    event.add("dtstamp", datetime.now(UTC))
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    return event
