"""Files as evidence for the later evidence commands (issue 15): a handover item done, a rectification
completed, a customer request fulfilled each take ``files`` beside the text; the hashes are in the
event, the files open for the project's readers, ``audit verify`` re-hashes them, and an unknown
hash is refused (422 naming ``files``) with nothing recorded."""

from __future__ import annotations

from datetime import date

import pytest

from demo.documents import pdf, png
from demo.workflow import AUDITOR, HR_LEAD, OPS_LEAD, PM, SALES, SERVICE_MANAGER, TECH_LEAD, stored
from tests.api.test_files_http import delivering, upload
from tests.api.views_support import running_app
from tests.assessment_support import MISSED, live_hotline, report

pytestmark = pytest.mark.backends("sqlite", "postgres")
UNKNOWN = "ab" * 32


@pytest.fixture
def app(database_url):
    """Today 31 May 2027; the views (which events reference a file) caught up in the web process."""
    with running_app(database_url, TRACKER_TODAY="2027-05-31", PROJECTIONS_IN_PROCESS=True) as app:
        yield app


def handover(tracker, launch) -> tuple:
    tracker.record_termination(
        SALES, launch.project_id, "customer", "kpi_failures", date(2027, 5, 4), date(2027, 6, 30)
    )
    path = f"/api/projects/{launch.project_id}/handover/customer_data_returned"
    return TECH_LEAD, path, {"evidence": "客户资料移交清单 D-1"}, "HandoverItemCompleted"


def rectification(tracker, launch) -> tuple:
    report(tracker, launch, "2027-01", MISSED)
    tracker.notify_rectification(SALES, launch.project_id, "2027-01", "整改通知 ZG-01", date(2027, 5, 10))
    tracker.plan_rectification(PM, launch.project_id, 1, ["加派坐席"])
    path = f"/api/projects/{launch.project_id}/rectifications/1/completion"
    return SERVICE_MANAGER, path, {"evidence": "接通率 96%"}, "RectificationCompleted"


def request(tracker, launch) -> tuple:
    tracker.record_customer_request(
        SALES, launch.project_id, "extra_training", date(2027, 5, 20), "追加培训", "函 2027-031"
    )
    path = f"/api/projects/{launch.project_id}/requests/1/fulfilment"
    return OPS_LEAD, path, {"evidence": "签到表 T-7"}, "RequestFulfilled"


STEPS = pytest.mark.parametrize("step", [handover, rectification, request], ids=lambda step: step.__name__)


@STEPS
def test_the_evidence_command_takes_uploaded_files_and_they_open_for_the_projects_readers(http, tracker, step):
    launch = live_hotline(tracker)
    who, path, body, event = step(tracker, launch)
    record = pdf("Signed record", ("signed: zhou.qiang",))
    signed = upload(http, who, record, "签字记录.pdf").json["sha256"]
    photo = upload(http, who, png(), "现场.png").json["sha256"]

    answer = http.post(who, path, json={**body, "files": [signed, photo]})

    assert answer.status_code == 200, answer.get_json()
    history = http.get(AUDITOR, f"/api/projects/{launch.project_id}/history").get_json()["items"]
    assert (history[-1]["type"], history[-1]["data"]["files"]) == (event, [signed, photo])
    opened = http.get(AUDITOR, f"/api/files/{signed}")
    assert (opened.status_code, opened.data) == (200, record)
    assert http.get(PM, f"/api/files/{photo}").headers["Content-Type"] == "image/png"
    verified = http.get(AUDITOR, "/api/audit/verification").get_json()
    assert (verified["ok"], verified["files"]) == (True, {"checked": 2, "problems": []})
    outsider = HR_LEAD  # another department's lead: not the department's item, not an assessment's reader
    assert http.get(outsider, f"/api/files/{signed}").status_code == 403


@STEPS
def test_an_unknown_file_is_refused_naming_files_and_records_nothing(http, tracker, step):
    launch = live_hotline(tracker)
    who, path, body, _ = step(tracker, launch)
    before = stored(tracker, launch.project_id)

    refused = http.post(who, path, json={**body, "files": [UNKNOWN]})

    assert refused.status_code == 422, refused.get_json()
    assert UNKNOWN in refused.get_json()["errors"]["files"]
    assert stored(tracker, launch.project_id) == before


@STEPS
def test_without_files_the_event_is_stored_as_before(http, tracker, step):
    launch = live_hotline(tracker)
    who, path, body, _ = step(tracker, launch)

    assert http.post(who, path, json=body).status_code == 200

    [last] = tracker.recorder.select_events(launch.project_id, desc=True, limit=1)
    assert b"files" not in last.state
    assert tracker.history(launch.project_id)[-1].files == ()


def test_a_ticket_submitted_without_files_is_stored_as_before_files_existed(tracker):
    """The same for the first evidence events (their ``files`` field once stored an empty list)."""
    _, ticket_id = delivering(tracker)

    tracker.submit_ticket(TECH_LEAD, ticket_id, "交付记录")

    [last] = tracker.recorder.select_events(ticket_id, desc=True, limit=1)
    assert last.topic.endswith("SubmittedForAcceptance") and b"files" not in last.state
