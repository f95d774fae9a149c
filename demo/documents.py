"""Small real documents made in code (no binary files in git): a one-page PDF and a PNG image.

The demo gives them as evidence (the signed acceptance record, a photo of the equipment room) so
the pages show a linked PDF and an inline image; the tests upload them.
"""

from __future__ import annotations

import struct
import zlib
from typing import Any

from domain.roles import Actor


def pdf(title: str, lines: tuple[str, ...] = ()) -> bytes:
    """A valid one-page PDF (Helvetica, ASCII text only) with ``title`` and ``lines``; offsets exact."""
    text = [f"BT /F1 18 Tf 72 760 Td ({_escape(title)}) Tj ET"]
    text += [f"BT /F1 12 Tf 72 {730 - 18 * n} Td ({_escape(line)}) Tj ET" for n, line in enumerate(lines)]
    stream = "\n".join(text).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _escape(text: str) -> str:
    return text.encode("ascii", "replace").decode().replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def png(width: int = 96, height: int = 64, seed: int = 0) -> bytes:
    """A valid RGB PNG: a red seal-like ring on white (``seed`` shifts it, so images differ)."""
    cx, cy, outer, inner = width / 2 + seed % 7, height / 2, min(width, height) * 0.42, min(width, height) * 0.32
    rows = bytearray()
    for y in range(height):
        rows.append(0)
        for x in range(width):
            distance = ((x - cx) ** 2 + (y - cy) ** 2) ** 0.5
            rows += b"\xc8\x10\x2e" if inner <= distance <= outer else b"\xff\xff\xff"
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(bytes(rows)))
        + _chunk(b"IEND", b"")
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def upload(tracker: Any, actor: Actor, name: str, content: bytes) -> list[str]:
    """Keep ``content`` where the tracker keeps files (``POST /api/files`` does the same); the
    ``files`` to reference it by, or [] when the tracker keeps none (``python -m demo``, memory tests)."""
    add = getattr(tracker.file_catalog, "add", None)
    if add is None:
        return []
    from api import file_types  # (here: ``api`` loads the demo itself, for ``demo load``)

    return [add(content, file_types.content_type(content), name, actor.user).sha256]
