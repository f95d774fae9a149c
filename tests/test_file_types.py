"""Uploads are recognised by their content, never their name: the five accepted kinds, Office files
old and new, and what only looks like one."""

from __future__ import annotations

import io
import zipfile

import pytest

from api import file_types
from demo.documents import pdf, png
from domain.errors import InvalidInput
from domain.evidence import NoFiles, referenced


def office_open(*parts: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for part in ("[Content_Types].xml", *parts):
            archive.writestr(part, "<xml/>")
    return buffer.getvalue()


def ole(stream: str) -> bytes:
    """The start of an OLE compound file with a directory entry named ``stream`` (UTF-16)."""
    return file_types.OLE + b"\x00" * 504 + stream.encode("utf-16-le") + b"\x00" * 64


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (pdf("Acceptance record"), file_types.PDF),
        (png(), file_types.PNG),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32, file_types.JPEG),
        (office_open("word/document.xml"), file_types.DOCX),
        (office_open("xl/workbook.xml"), file_types.XLSX),
        (ole("WordDocument"), file_types.DOC),
        (ole("Workbook"), file_types.XLS),
    ],
)
def test_each_accepted_kind_is_recognised_by_its_content(content, kind):
    assert file_types.content_type(content) == kind


@pytest.mark.parametrize(
    "content",
    [
        b"MZ\x90\x00\x03" + b"\x00" * 100,  # a Windows program, whatever its name
        b"",
        b"plain text that says %PDF- later",
        office_open("ppt/presentation.xml"),  # Office, but neither Word nor Excel
        b"PK\x03\x04 not really a zip",
        ole("PowerPoint Document"),
        b"<html><script>alert(1)</script></html>",
    ],
)
def test_anything_else_is_refused(content):
    assert file_types.content_type(content) is None


def test_a_command_referencing_files_names_the_unknown_or_malformed_one():
    with pytest.raises(InvalidInput) as unknown:
        referenced(NoFiles(), ["ab" * 32])
    assert "ab" * 32 in unknown.value.fields["files"]
    with pytest.raises(InvalidInput):
        referenced(NoFiles(), ["AB" * 32])
    assert referenced(NoFiles(), []) == []
