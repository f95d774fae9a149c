"""Files as evidence: commands that take evidence take, beside the text, the SHA-256 of uploaded files.

The event records the hashes (``files``), so the hash chain covers the files' content: a file
swapped later no longer hashes to what the event says, and ``audit verify`` names it. The files
themselves are kept content-addressed by the store (``FileCatalog``); a command naming a file
nobody uploaded is refused (422 naming ``files``) and records nothing.

Events made before files existed have no ``files`` in their stored state: the event classes'
``files`` field defaults to ``()``, so they decode unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from domain import reading_rights, rights
from domain.errors import InvalidInput, NotAllowed
from domain.roles import AUDITOR, ROLES, Actor

SHA256 = re.compile(r"[0-9a-f]{64}")
MAX_FILES = 20
"""Files one command may reference."""


class FileCatalog(Protocol):
    """The uploaded files, by SHA-256 (``store.evidence_files.FileStore``)."""

    def unknown(self, hashes: Sequence[str]) -> list[str]:
        """Those of ``hashes`` that no one uploaded."""


class NoFiles:
    """The catalog of a tracker without file storage: every file is unknown."""

    def unknown(self, hashes: Sequence[str]) -> list[str]:
        return list(hashes)


def referenced(catalog: FileCatalog, files: Sequence[str] | None) -> list[str]:
    """The files a command references, each once, in order; refused unless each was uploaded."""
    refs = list(dict.fromkeys(files or ()))
    malformed = [ref for ref in refs if not (isinstance(ref, str) and SHA256.fullmatch(ref))]
    if malformed:
        raise InvalidInput({"files": f"not the SHA-256 of an uploaded file: {str(malformed[0])[:80]}"})
    if len(refs) > MAX_FILES:
        raise InvalidInput({"files": f"at most {MAX_FILES} files"})
    missing = catalog.unknown(refs) if refs else []
    if missing:
        raise InvalidInput({"files": f"no file was uploaded with sha256 {', '.join(missing)}"})
    return refs


def files_field(files: Sequence[str]) -> dict[str, Any]:
    """The event's ``files`` data: left out when there are none (the field's default), so an event
    without files is stored exactly as before."""
    return {"files": list(files)} if files else {}


def files_of(event: Any) -> list[str]:
    """The files an event references (none for events of classes without the field)."""
    return list(getattr(event, "files", ()) or ())


EVIDENCE_ROLES = tuple(role for role in ROLES if role != AUDITOR)
"""Who may upload: every role that records evidence (the auditor only reads)."""


def require_may_upload(actor: Actor) -> None:
    rights.require_role(actor, "upload_file", *EVIDENCE_ROLES)


SCOPED_EVENTS = {"HandoverItemCompleted": "handover_items", "RequestFulfilled": "requests"}
"""Evidence events whose information is kept to a department (DOMAIN.md "Who may read what")."""


@dataclass(frozen=True)
class EvidenceOf:
    """What one event referencing a file is evidence of, as the reading rights ask it."""

    event_type: str
    project: Any = None
    """The project (anything with a ``project_manager``), None when the event is of none."""
    department: str | None = None
    """The ticket's, handover item's or request's department (for department-scoped kinds)."""
    on_ticket: bool = False


def may_read_evidence(actor: Actor, of: EvidenceOf) -> bool:
    """A file is read as what it is evidence of (``domain.reading_rights``): a ticket's by its readers (a
    lead: their own department's), a rectification's by the readers of assessments, a handover item's or a
    request's fulfilment by that department's; anything else by every signed-in role."""
    kind = reading_rights.EVENT_KINDS.get(of.event_type)
    kind = kind or ("tickets" if of.on_ticket else SCOPED_EVENTS.get(of.event_type))
    if kind is None:
        return actor.role in ROLES
    return reading_rights.may_read(actor, kind, of.project, of.department)


def require_may_read_file(actor: Actor, sha256: str, evidence: Sequence[EvidenceOf], uploaded: bool) -> None:
    """Reading a file follows the rights of what it is evidence of: readable by whoever may read a
    project (or other aggregate) whose events reference it; a file no event references yet only by
    whoever uploaded it. The one place this is decided."""
    if any(may_read_evidence(actor, of) for of in evidence):
        return
    if not evidence and uploaded:
        return
    why = "not evidence of anything they may read" if evidence else "only its uploader may, until it is referenced"
    raise NotAllowed(f"{actor.user} may not read file {sha256}: {why}", step="read_file")
