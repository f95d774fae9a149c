"""Working days over HTTP: tickets issued "due in N working days", and working days left in the views.

The app's clock (``CLOCK``) decides today in Shanghai, both for the issue day the count starts
from and for the views. Dates are the real mainland-China calendar's (2026 National Day:
1–7 October off, Saturday 10 October a make-up working day).
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from demo.workflow import AUDITOR, HR_LEAD, PM, TECH_LEAD, Launch, plan, requirement, stored
from tests.api.views_support import SHANGHAI, Clock, head, read, running_app


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 9, 30, 10, 0, tzinfo=SHANGHAI))


@pytest.fixture
def app(database_url, clock):
    with running_app(database_url, clock) as app:
        yield app


def approved(tracker, *requirements: dict, **plan_dates: date) -> Launch:
    return Launch(tracker).register().appoint().draft(plan(*requirements, **plan_dates)).submit_plan().approve_plan()


def issue(http, launch: Launch, **body):
    return http.post(PM, f"/api/projects/{launch.project_id}/tickets", json=body)


@pytest.mark.backends("sqlite", "postgres")
def test_tickets_due_in_working_days_across_the_national_day_holiday(http, tracker, clock):
    """Issued Wednesday 30 September 2026, 5 working days: 8, 9, Saturday 10, 12 and 13 October."""
    launch = approved(tracker)

    response = issue(http, launch, due_in_working_days=5)

    assert response.status_code == 201, response.get_json()
    items = response.get_json()["items"]
    for item in items:
        ticket = http.get(AUDITOR, f"/api/tickets/{item['id']}").get_json()
        assert (ticket["due"], ticket["due_in_working_days"], ticket["accept_by"]) == ("2026-10-13", 5, "2026-12-04")
        [issued] = http.get(AUDITOR, f"/api/tickets/{item['id']}/history").get_json()["items"]
        data = issued["data"]
        assert (data["due"], data["due_in_working_days"], data["due_counted_from"]) == ("2026-10-13", 5, "2026-09-30")
    hr = next(item["id"] for item in items if item["department"] == "hr")

    def board_entry() -> dict:
        [entry] = read(http, HR_LEAD, "/api/departments/hr/tickets")["items"]
        return entry

    def listed() -> dict:
        [entry] = read(http, AUDITOR, "/api/tickets", department="hr")["items"]
        return entry

    entry = board_entry()
    assert (entry["ticket_id"], entry["days_left"], entry["working_days_left"]) == (hr, 13, 5)
    assert listed()["working_days_left"] == 5

    clock.moment = datetime(2026, 10, 5, 9, 0, tzinfo=SHANGHAI)  # in the holiday: nothing counted yet
    assert (board_entry()["days_left"], board_entry()["working_days_left"]) == (8, 5)
    clock.moment = datetime(2026, 10, 9, 18, 0, tzinfo=SHANGHAI)  # Friday: Saturday 10, 12 and 13 left
    assert board_entry()["working_days_left"] == 3 and listed()["working_days_left"] == 3
    clock.moment = datetime(2026, 10, 13, 23, 59, tzinfo=SHANGHAI)  # due today
    assert (board_entry()["overdue"], board_entry()["working_days_left"]) == (False, 0)
    clock.moment = datetime(2026, 10, 15, 0, 30, tzinfo=SHANGHAI)  # 14 and 15 October gone
    entry = board_entry()
    assert (entry["overdue"], entry["days_left"], entry["working_days_left"]) == (True, -2, -2)
    overdue = read(http, PM, f"/api/projects/{launch.project_id}/acceptance")["overdue"]
    assert [(o["requirement_ref"], o["days_overdue"], o["working_days_left"]) for o in overdue] == [
        ("R1", 2, -2),
        ("R2", 2, -2),
    ]


@pytest.mark.parametrize("count", [0, -1, 251, "5", 2.5, True])
def test_a_count_that_is_not_1_to_250_working_days_is_422(http, tracker, app, count):
    launch = approved(tracker)
    before = head(app)

    response = issue(http, launch, due_in_working_days=count)

    assert response.status_code == 422, response.get_json()
    assert "due_in_working_days" in response.get_json()["errors"]
    assert head(app) == before


@pytest.mark.backends("sqlite", "postgres")
def test_a_count_into_a_year_no_schedule_covers_is_provisional(http, tracker, app, clock):
    """From Monday 28 December 2026, 5 working days reach 2027, which chinese-calendar 1.11 lacks and no
    schedule is recorded for: weekends only there (29–31 December, Friday 1 and Monday 4 January), provisional."""
    launch = approved(
        tracker,
        requirement("R1", "hr", complete_by=date(2027, 1, 29), accept_by=date(2027, 1, 29)),
        manual={"requirements": "call flow", "due": date(2027, 1, 29)},
        trial_start=date(2027, 2, 1),
        trial_review=date(2027, 2, 12),
        go_live=date(2027, 2, 15),
    )
    clock.moment = datetime(2026, 12, 28, 9, 0, tzinfo=SHANGHAI)

    response = issue(http, launch, due_in_working_days=5)

    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["due"], body["provisional"]) == ("2027-01-04", True)
    ticket = http.get(AUDITOR, f"/api/tickets/{body['items'][0]['id']}").get_json()
    assert (ticket["due"], ticket["due_in_working_days"], ticket["due_provisional"]) == ("2027-01-04", 5, True)


def test_a_due_date_after_the_plans_completion_date_is_409_naming_the_requirements(http, tracker, app, clock):
    """From Friday 27 November 2026, 5 working days is Friday 4 December; R2 must be complete by the 2nd."""
    launch = approved(
        tracker,
        requirement("R1", "hr", complete_by=date(2026, 12, 4)),
        requirement("R2", "technology", complete_by=date(2026, 12, 2)),
    )
    clock.moment = datetime(2026, 11, 27, 9, 0, tzinfo=SHANGHAI)
    before = head(app)

    response = issue(http, launch, due_in_working_days=5)

    assert response.status_code == 409, response.get_json()
    errors = response.get_json()["errors"]
    assert (errors["rule"], errors["requirement_refs"], errors["due"]) == ("due_within_plan", ["R2"], "2026-12-04")
    assert head(app) == before
    assert issue(http, launch, requirement_refs=["R1"], due_in_working_days=5).status_code == 201


def test_without_working_days_the_tickets_are_due_on_the_plan_dates(http, tracker):
    launch = approved(tracker)
    response = issue(http, launch)
    assert response.status_code == 201
    for item in response.get_json()["items"]:
        assert http.get(AUDITOR, f"/api/tickets/{item['id']}").get_json()["due"] == "2026-12-02"


@pytest.mark.backends("sqlite", "postgres")
def test_views_show_null_working_days_left_for_a_year_the_calendar_lacks(http, tracker, clock):
    """A ticket due in 2027 (its plan date): counting needs 2027, so the views say null, never fail or guess."""
    launch = approved(
        tracker,
        requirement("R1", "hr", complete_by=date(2027, 1, 11), accept_by=date(2027, 1, 12)),
        requirement("R2", "technology", complete_by=date(2026, 12, 30), accept_by=date(2027, 1, 12)),
        manual={"requirements": "call flow", "due": date(2027, 1, 12)},
        trial_start=date(2027, 1, 18),
        trial_review=date(2027, 1, 29),
        go_live=date(2027, 2, 1),
    )
    clock.moment = datetime(2026, 12, 28, 9, 0, tzinfo=SHANGHAI)
    launch.issue_tickets()

    [hr] = read(http, HR_LEAD, "/api/departments/hr/tickets")["items"]
    assert (hr["due"], hr["days_left"], hr["working_days_left"]) == ("2027-01-11", 14, None)
    [technology] = read(http, TECH_LEAD, "/api/departments/technology/tickets")["items"]
    assert (technology["due"], technology["working_days_left"]) == ("2026-12-30", 2)
    listed = {t["requirement_ref"]: t["working_days_left"] for t in read(http, AUDITOR, "/api/tickets")["items"]}
    assert listed == {"R1": None, "R2": 2}

    clock.moment = datetime(2027, 1, 20, 9, 0, tzinfo=SHANGHAI)
    overdue = read(http, PM, f"/api/projects/{launch.project_id}/acceptance")["overdue"]
    assert [(o["requirement_ref"], o["days_overdue"], o["working_days_left"]) for o in overdue] == [
        ("R1", 9, None),
        ("R2", 21, None),
    ]
    [hr] = read(http, HR_LEAD, "/api/departments/hr/tickets")["items"]
    assert (hr["overdue"], hr["days_left"], hr["working_days_left"]) == (True, -9, None)


def test_the_openapi_document_says_working_days_left_may_be_null(http):
    schemas = http.get(AUDITOR, "/api/openapi.json").get_json()["components"]["schemas"]
    for name in ("BoardItem", "OverdueTicket"):
        field = schemas[name]["properties"]["working_days_left"]
        assert field["type"] == "integer" and field["nullable"] is True
        assert "null when the calendar does not cover" in field["description"]
    issue_body = schemas["TicketsIssueIn"]["properties"]["due_in_working_days"]
    assert (issue_body["minimum"], issue_body["maximum"]) == (1, 250)


@pytest.mark.backends("sqlite", "postgres")
def test_improvement_and_corrective_action_due_in_working_days(http, tracker, clock):
    """An improvement recorded Thursday 10 December 2026 due in 3 working days: Friday 11, Monday 14, Tuesday 15;
    a corrective action recorded Friday 18 December due in 2: Monday 21, Tuesday 22."""
    launch = Launch(tracker).advance_to("trial_operation")
    clock.moment = datetime(2026, 12, 10, 16, 0, tzinfo=SHANGHAI)
    body = {"problem": "queue at 09:00", "measure": "two more seats at 09:00", "owner_department": "operations"}
    response = http.post(
        PM, f"/api/projects/{launch.project_id}/trial/improvements", json={**body, "due_in_working_days": 3}
    )
    assert response.status_code == 200, response.get_json()
    [improvement] = http.get(AUDITOR, f"/api/projects/{launch.project_id}").get_json()["trial"]["improvements"]
    assert improvement["due"] == "2026-12-15"

    launch.file_equipment_report().open_review().assess_all(unmet=("facilities",))
    assert launch.conclude() == "failed"
    clock.moment = datetime(2026, 12, 18, 11, 0, tzinfo=SHANGHAI)
    action = {"description": "two workstations missing", "corrective_action": "order two", "owner_department": "hr"}
    response = http.post(
        PM, f"/api/reviews/{launch.review_id}/nonconformities", json={**action, "due_in_working_days": 2}
    )
    assert response.status_code == 200, response.get_json()
    [nonconformity] = http.get(AUDITOR, f"/api/reviews/{launch.review_id}").get_json()["nonconformities"]
    assert nonconformity["due"] == "2026-12-22"
    assert tracker.history(launch.review_id)[-1].due_in_working_days == 2


@pytest.mark.backends("sqlite")
@pytest.mark.parametrize(
    ("extra", "status", "field"),
    [
        ({}, 422, "due"),
        ({"due": "2026-12-15", "due_in_working_days": 3}, 422, "due"),
        ({"due_in_working_days": 0}, 422, "due_in_working_days"),
    ],
)
def test_an_improvement_deadline_is_a_date_or_working_days_and_a_refusal_records_nothing(
    http, tracker, clock, extra, status, field
):
    launch = Launch(tracker).advance_to("trial_operation")
    clock.moment = datetime(2026, 12, 28, 9, 0, tzinfo=SHANGHAI)
    before = stored(tracker, launch.project_id)
    body = {"problem": "queue", "measure": "more seats", "owner_department": "operations", **extra}
    response = http.post(PM, f"/api/projects/{launch.project_id}/trial/improvements", json=body)
    assert response.status_code == status, response.get_json()
    errors = response.get_json()["errors"]
    assert field in errors
    assert stored(tracker, launch.project_id) == before
