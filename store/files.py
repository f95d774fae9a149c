"""Private files and folders: the event store and the signing key are readable by their owner only.

The modes are set explicitly after creating, so they do not depend on the process's umask
(a umask of 022 would otherwise leave a new SQLite file world-readable). Files and folders
that already exist are left as they are: an operator may have chosen other modes on purpose.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

FOLDER_MODE = 0o700
FILE_MODE = 0o600


def private_folder(folder: Path | str) -> Path:
    """Make ``folder`` and any missing parents, each 0700; existing ones are not changed."""
    folder = Path(folder)
    missing = []
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            break
        missing.append(candidate)
    for candidate in reversed(missing):
        try:
            os.mkdir(candidate, FOLDER_MODE)
        except FileExistsError:  # (made at the same moment by another process: its mode stands)
            continue
        os.chmod(candidate, FOLDER_MODE)
    return folder


def private_file(path: Path | str) -> bool:
    """Create ``path`` empty with mode 0600 (and its folder 0700) unless it exists; True if created now."""
    path = Path(path)
    private_folder(path.parent)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        return False
    with contextlib.closing(os.fdopen(descriptor, "wb")) as handle:
        os.fchmod(handle.fileno(), FILE_MODE)
    return True
