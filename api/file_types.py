"""What an uploaded file is, from its content (magic bytes), never from its name.

Hand-written rather than a library (``filetype``, ``puremagic``): five kinds only, and the two
that matter most to get right are containers those libraries guess at from the first bytes. Office
Open XML (.docx, .xlsx) is a zip whose parts say what it is (``[Content_Types].xml`` and ``word/``
or ``xl/``), read with the standard ``zipfile`` (names only, nothing is unpacked). The legacy binary
formats (.doc, .xls: scanned procedures are still kept in them) are OLE compound files, told apart
by the name of their main stream in the directory (UTF-16: ``WordDocument``, ``Workbook``/``Book``).
"""

from __future__ import annotations

import io
import zipfile

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOC = "application/msword"
XLS = "application/vnd.ms-excel"
ACCEPTED = (PDF, JPEG, PNG, DOCX, XLSX, DOC, XLS)
INLINE = (PDF, JPEG, PNG)
"""Shown by the browser itself (images inline on the pages, PDF in its viewer); the others are downloaded."""
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"


def content_type(content: bytes) -> str | None:
    """The accepted kind ``content`` is, or None."""
    if content.startswith(b"%PDF-"):
        return PDF
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if content.startswith(ZIP):
        return _office_open_xml(content)
    if content.startswith(OLE):
        return _ole(content)
    return None


def _office_open_xml(content: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if any(name.startswith("word/") for name in names):
        return DOCX
    if any(name.startswith("xl/") for name in names):
        return XLSX
    return None


def _ole(content: bytes) -> str | None:
    if "WordDocument".encode("utf-16-le") in content:
        return DOC
    if "Workbook".encode("utf-16-le") in content or "Book\x00".encode("utf-16-le") in content:
        return XLS
    return None
