"""Files as evidence on the pages: the lead attaches the signed delivery record and a photo when
submitting a ticket; the ticket's page shows the photo inline and links the PDF; a program dressed
as a PDF is refused beside the file input and nothing is recorded."""

from __future__ import annotations

import io
import re

import pytest

from demo.documents import pdf, png
from demo.workflow import HR_LEAD, PM, Launch
from tests.web.conftest import signed_in, stored

pytestmark = pytest.mark.backends("sqlite", "postgres")
VERSION = re.compile(r'name="version" value="(\d+)"')
RECORD = pdf("Hiring list", ("28 people hired", "signed: sun.li"))


@pytest.fixture
def ticket_id(tracker):
    launch = Launch(tracker).advance_to("implementation").issue_tickets()
    tracker.start_ticket(HR_LEAD, launch.tickets["R1"])
    return launch.tickets["R1"]


def submit(visitor, ticket_id, files):
    path = f"/tickets/{ticket_id}"
    html = visitor.get(path).get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in html and 'type="file"' in html
    form = {
        "version": VERSION.search(html).group(1),
        "evidence": "录用名单 28 人",
        "csrf_token": visitor.csrf_token(),
        "files": [(io.BytesIO(content), name) for name, content in files],
    }
    return visitor.client.post(f"{path}/actions/submit_ticket", data=form, content_type="multipart/form-data")


def test_a_lead_submits_with_files_and_the_page_shows_them(app, tracker, ticket_id):
    lead = signed_in(app, HR_LEAD)
    sent = submit(lead, ticket_id, [("录用名单.pdf", RECORD), ("签字页.png", png())])
    assert sent.status_code == 302, sent.get_data(as_text=True)
    files = tracker.history(ticket_id)[-1].files
    assert len(files) == 2

    shown = signed_in(app, PM).get(sent.headers["Location"]).get_data(as_text=True)
    assert "附件" in shown and "录用名单.pdf" in shown
    assert f'<img src="/files/{files[1]}" alt="签字页.png"' in shown
    assert f'<a href="/files/{files[0]}">录用名单.pdf</a>' in shown
    opened = signed_in(app, PM).get(f"/files/{files[0]}")
    assert (opened.status_code, opened.mimetype, opened.data) == (200, "application/pdf", RECORD)


def test_a_program_named_pdf_is_refused_beside_the_file_input(app, tracker, ticket_id):
    before = stored(tracker, ticket_id)
    lead = signed_in(app, HR_LEAD)
    refused = submit(lead, ticket_id, [("录用名单.pdf", b"MZ\x90\x00" + b"\x00" * 100)])
    assert refused.status_code == 422
    assert "只接受便携文档、照片、文字处理文档或电子表格" in refused.get_data(as_text=True)
    assert stored(tracker, ticket_id) == before


def test_an_unreferenced_file_is_not_shown_to_others(app, tracker):
    upload = app.extensions["files"].add(RECORD, "application/pdf", "draft.pdf", HR_LEAD.user)
    assert signed_in(app, PM).get(f"/files/{upload.sha256}").status_code == 403
    assert signed_in(app, HR_LEAD).get(f"/files/{upload.sha256}").status_code == 200
