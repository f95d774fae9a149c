"""Calendar feeds: a project's and a person's ``.ics``, parsed back by the same library, and revoked."""

from __future__ import annotations

from datetime import date

import pytest
from icalendar import Calendar

from demo.workflow import DIRECTOR, TECH_LEAD, Launch


def events(answer) -> dict[str, date]:
    assert answer.status_code == 200 and answer.mimetype == "text/calendar"
    calendar = Calendar.from_ical(answer.data)
    return {str(event["summary"]): event.decoded("dtstart") for event in calendar.walk("VEVENT")}


def feed_path(app, *args: str) -> str:
    answer = app.test_cli_runner().invoke(args=["feeds", "create", *args])
    assert answer.exit_code == 0, answer.output
    return answer.output.strip()


@pytest.mark.backends("sqlite", "postgres")
def test_a_project_feed_and_a_lead_s_feed_carry_the_milestones_and_due_dates(app):
    tracker = app.extensions["tracker"]
    Launch(tracker).advance_to("trial_review")
    Launch(tracker, code="SH-SECOND").advance_to("implementation").issue_tickets()
    tracker.add_account(DIRECTOR, TECH_LEAD)
    app.extensions["views"].runner.catch_up()
    client = app.test_client()

    project = events(client.get(feed_path(app, "--project", "SH-HOTLINE")))
    assert project == {
        "SH-HOTLINE Trial start": date(2026, 12, 7),
        "SH-HOTLINE Trial review": date(2026, 12, 18),
        "SH-HOTLINE Go-live (planned)": date(2026, 12, 21),
        "SH-HOTLINE Operations manual due": date(2026, 12, 4),
    }
    lead_path = feed_path(app, "--person", TECH_LEAD.user)
    lead = events(client.get(lead_path))
    assert lead["SH-SECOND R2 due: requirement R2"] == date(2026, 12, 2)
    assert lead["SH-SECOND Go-live (planned)"] == date(2026, 12, 21)
    assert lead["SH-HOTLINE Trial review"] == date(2026, 12, 18)  # a project the department works in
    assert not any(summary.startswith("SH-HOTLINE R") for summary in lead)  # whose tickets are all accepted

    [listed] = [
        line for line in app.test_cli_runner().invoke(args=["feeds", "list"]).output.splitlines() if "person" in line
    ]
    assert lead_path.split("/")[-1].removesuffix(".ics") not in listed  # the token is never shown again
    revoked = app.test_cli_runner().invoke(args=["feeds", "revoke", listed.split()[0]])
    assert revoked.exit_code == 0, revoked.output
    assert client.get(lead_path).status_code == 404
    assert client.get("/calendar/not-a-token-of-ours-at-all-xxxxxxxx.ics").status_code == 404
    assert client.get(f"/calendar/{'x' * 5000}.ics").status_code == 404
    assert client.get("/calendar/%00%ff.ics").status_code in (404, 422)  # hostile text: never a 500
