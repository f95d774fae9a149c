"""Files as evidence over HTTP: upload, reference from a command, download by right, and the
auditor's re-hash of every referenced file (``audit verify``)."""

from __future__ import annotations

import io
from hashlib import sha256

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from api import create_app, shutdown
from demo.documents import pdf, png
from demo.workflow import AUDITOR, DIRECTOR, HR_LEAD, LEADS, PM, SYSMAINT_LEAD, TECH_LEAD, Launch, all_met, stored
from domain.gates import REVIEW_ITEMS
from tests.api.conftest import SECRET

pytestmark = pytest.mark.backends("sqlite", "postgres")
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
RECORD = pdf("Delivery record", ("recordings kept one month", "signed: zhou.qiang"))


@pytest.fixture
def app(database_url: str):
    """The views (and so which events reference a file) caught up in the web process, on PostgreSQL too."""
    app = create_app(
        {"DATABASE_URL": database_url, "SECRET_KEY": SECRET, "TESTING": True, "PROJECTIONS_IN_PROCESS": True}
    )
    yield app
    shutdown(app)


def upload(http, actor, content: bytes, name: str, **kw):
    """Multipart encoded in memory (the test client would spool a large body to a file it leaves open)."""
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(content), name)})
    return http.post(actor, "/api/files", data=body, content_type=f"multipart/form-data; boundary={boundary}", **kw)


def delivering(tracker):
    """A launch in implementation with the technology lead's ticket started."""
    launch = Launch(tracker).advance_to("implementation").issue_tickets()
    ref = next(ref for ref in launch.tickets if launch.ticket(ref).department == "technology")
    tracker.start_ticket(TECH_LEAD, launch.tickets[ref])
    return launch, launch.tickets[ref]


def test_a_lead_uploads_a_signed_record_and_submits_the_ticket_with_it(http, tracker):
    _, ticket_id = delivering(tracker)
    answer = upload(http, TECH_LEAD, RECORD, "交付記錄.pdf")
    assert answer.status_code == 201, answer.json
    assert answer.json == {
        "sha256": sha256(RECORD).hexdigest(),
        "size": len(RECORD),
        "content_type": "application/pdf",
        "name": "交付記錄.pdf",
    }
    photo = upload(http, TECH_LEAD, png(), "機房.png").json["sha256"]
    body = {"evidence": "交付記錄已簽字", "files": [answer.json["sha256"], photo]}
    submitted = http.post(TECH_LEAD, f"/api/tickets/{ticket_id}/submission", json=body)
    assert submitted.status_code == 200, submitted.json
    history = http.get(PM, f"/api/tickets/{ticket_id}/history").json["items"]
    assert history[-1]["type"] == "SubmittedForAcceptance"
    assert history[-1]["data"]["files"] == [answer.json["sha256"], photo]

    read = http.get(PM, f"/api/files/{answer.json['sha256']}")
    assert read.status_code == 200
    assert read.data == RECORD
    assert read.headers["Content-Type"] == "application/pdf"
    assert "filename*=UTF-8''%E4%BA%A4" in read.headers["Content-Disposition"]
    assert read.headers["X-Content-Type-Options"] == "nosniff"
    image = http.get(AUDITOR, f"/api/files/{photo}")
    assert (image.status_code, image.headers["Content-Type"]) == (200, "image/png")


def test_the_same_content_uploaded_twice_is_one_file(http, app):
    first = upload(http, TECH_LEAD, RECORD, "a.pdf").json
    again = upload(http, HR_LEAD, RECORD, "b.pdf").json
    assert again == first
    retried = [upload(http, HR_LEAD, RECORD, "b.pdf", headers={"Idempotency-Key": "upload-1"}) for _ in range(2)]
    assert [(answer.status_code, answer.json) for answer in retried] == [(201, first)] * 2
    assert app.extensions["files"].store.execute("SELECT COUNT(*) FROM files") == [(1,)]


def test_an_unreferenced_file_is_read_only_by_those_who_uploaded_it(http):
    sha = upload(http, TECH_LEAD, RECORD, "draft.pdf").json["sha256"]
    assert http.get(TECH_LEAD, f"/api/files/{sha}").status_code == 200
    refused = http.get(PM, f"/api/files/{sha}")
    assert refused.status_code == 403
    assert "uploader" in refused.json["message"]
    assert http.get(PM, f"/api/files/{'0' * 64}").status_code == 404
    assert http.get(PM, "/api/files/not-a-hash").status_code == 404
    assert http.get(None, f"/api/files/{sha}").status_code == 401


def test_the_auditor_only_reads(http):
    refused = upload(http, AUDITOR, RECORD, "a.pdf")
    assert refused.status_code == 403


def test_a_program_renamed_pdf_is_refused_and_nothing_is_stored(http, app):
    refused = upload(http, TECH_LEAD, EXE, "交付記錄.pdf")
    assert refused.status_code == 422
    assert list(refused.json["errors"]) == ["file"]
    assert upload(http, TECH_LEAD, b"", "empty.pdf").status_code == 422
    missing = http.post(TECH_LEAD, "/api/files", data={"other": "x"}, content_type="multipart/form-data")
    assert (missing.status_code, list(missing.json["errors"])) == (422, ["file"])
    assert app.extensions["files"].store.execute("SELECT COUNT(*) FROM files") == [(0,)]


def test_uploads_up_to_20_mb_and_json_bodies_still_up_to_1_mb(http, tracker):
    most = b"%PDF-1.4\n" + b"0" * (20 * 1024 * 1024 - 9)
    assert upload(http, TECH_LEAD, most, "twenty-mb.pdf").status_code == 201
    for big in (most + b"0", most + b"0" * (1024 * 1024)):  # one byte over (the form still fits), and far over
        too_big = upload(http, TECH_LEAD, big, "big.pdf")
        assert too_big.status_code == 413
        assert set(too_big.json) == {"code", "status", "message", "errors"}
    _, ticket_id = delivering(tracker)
    bulky = http.post(TECH_LEAD, f"/api/tickets/{ticket_id}/submission", json={"evidence": "x" * (1024 * 1024 + 1)})
    assert bulky.status_code == 413


def test_a_command_naming_a_file_nobody_uploaded_is_refused_and_records_nothing(http, tracker):
    _, ticket_id = delivering(tracker)
    before = stored(tracker, ticket_id)
    unknown = "ab" * 32
    body = {"evidence": "交付記錄", "files": [unknown]}
    refused = http.post(TECH_LEAD, f"/api/tickets/{ticket_id}/submission", json=body)
    assert refused.status_code == 422
    assert unknown in refused.json["errors"]["files"]
    malformed = http.post(TECH_LEAD, f"/api/tickets/{ticket_id}/submission", json={"evidence": "x", "files": ["x"]})
    assert (malformed.status_code, list(malformed.json["errors"])) == (422, ["files.0"])
    assert stored(tracker, ticket_id) == before


def test_every_evidence_command_takes_files(http, tracker):
    """Appointment letter, acceptance, equipment report and review items: the hashes are in the events."""
    letter = upload(http, DIRECTOR, pdf("Appointment letter RM-2026-045"), "任命書.pdf").json["sha256"]
    launch = Launch(tracker).register()
    appointment = {"project_manager": PM.user, "letter_reference": "任命書 RM-2026-045", "files": [letter]}
    assert http.post(DIRECTOR, f"/api/projects/{launch.project_id}/appointment", json=appointment).status_code == 200
    assert tracker.history(launch.project_id)[-1].files == [letter]

    launch.draft().submit_plan().approve_plan().issue_tickets()
    signed = upload(http, PM, pdf("Acceptance record"), "驗收記錄.pdf").json["sha256"]
    for ref, ticket_id in launch.tickets.items():
        lead = LEADS[launch.ticket(ref).department]
        tracker.start_ticket(lead, ticket_id)
        tracker.submit_ticket(lead, ticket_id, "delivery record")
        body = {"outcome": "accepted", "criteria": all_met(launch.ticket(ref)), "files": [signed]}
        assert http.post(PM, f"/api/tickets/{ticket_id}/acceptance", json=body).status_code == 200
        assert tracker.history(ticket_id)[-1].files == [signed]
    launch.approve_manual().start_trial()

    photo = upload(http, SYSMAINT_LEAD, png(), "機房.png").json["sha256"]
    report = {"period_start": "2026-12-07", "period_end": "2026-12-17", "summary": "no outage", "files": [photo]}
    filed = http.post(SYSMAINT_LEAD, f"/api/projects/{launch.project_id}/trial/equipment-report", json=report)
    assert filed.status_code == 200, filed.json
    assert tracker.history(launch.project_id)[-1].files == [photo]

    launch.open_review()
    item = {"met": True, "evidence": "signed review record", "files": [signed, photo]}
    assessed = http.put(PM, f"/api/reviews/{launch.review_id}/items/{REVIEW_ITEMS[0]}", json=item)
    assert assessed.status_code == 200, assessed.json
    assert tracker.history(launch.review_id)[-1].files == [signed, photo]
    verified = http.get(AUDITOR, "/api/audit/verification").json
    assert (verified["ok"], verified["files"]["checked"]) == (True, 3)


def test_audit_verify_names_a_changed_and_a_missing_file(http, tracker, app):
    _, ticket_id = delivering(tracker)
    record = upload(http, TECH_LEAD, RECORD, "交付記錄.pdf").json["sha256"]
    photo = upload(http, TECH_LEAD, png(), "機房.png").json["sha256"]
    http.post(TECH_LEAD, f"/api/tickets/{ticket_id}/submission", json={"evidence": "x", "files": [record, photo]})
    good = http.get(AUDITOR, "/api/audit/verification").json
    assert (good["ok"], good["files"]) == (True, {"checked": 2, "problems": []})

    table = app.extensions["files"].store
    table.execute("UPDATE files SET content = ? WHERE sha256 = ?", (pdf("Forged record"), record))
    table.execute("DELETE FROM files WHERE sha256 = ?", (photo,))
    bad = http.get(AUDITOR, "/api/audit/verification").json
    assert bad["ok"] is False
    assert bad["problem"] is None  # the chain itself holds
    assert bad["files"] == {
        "checked": 2,
        "problems": [{"sha256": record, "problem": "changed"}, {"sha256": photo, "problem": "missing"}],
    }
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"file {record} changed" in result.output
    assert f"file {photo} missing" in result.output


def test_a_file_is_read_by_the_readers_of_what_it_is_evidence_of(http, tracker):
    """DOMAIN.md "Who may read what": a ticket's record is for its readers (a lead: their own department's);
    a rectification's evidence for the readers of assessments; a file the event never names, nobody new."""
    _, ticket_id = delivering(tracker)
    record = upload(http, TECH_LEAD, RECORD, "交付記錄.pdf").json["sha256"]
    body = {"evidence": "簽字", "files": [record]}
    submitted = http.post(TECH_LEAD, f"/api/tickets/{ticket_id}/submission", json=body)
    assert submitted.status_code == 200, submitted.json
    for reader in (TECH_LEAD, PM, DIRECTOR, AUDITOR):
        assert http.get(reader, f"/api/files/{record}").status_code == 200, reader
    refused = http.get(HR_LEAD, f"/api/files/{record}")
    assert refused.status_code == 403, refused.json
    assert "may not read file" in refused.json["message"]
