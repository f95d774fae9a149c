"""A private PostgreSQL cluster for the soak benchmark, so its restart never touches a shared server.

``initdb`` into a temporary directory, ``pg_ctl start`` on its own port with its unix socket in
that directory and trust authentication on 127.0.0.1 only; ``stop("fast")`` (sessions ended, as
in a failover or a restart for maintenance) and ``start()`` make the soak's outage.
``close()`` stops it and removes the directory; it is safe to call twice and from ``atexit``.
Run as root, the server runs as the ``postgres`` system user (PostgreSQL refuses root).
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
DATABASE = "soak"


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port(preferred: int = 0) -> int:
    if preferred and port_is_free(preferred):
        return preferred
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivateCluster:
    def __init__(self, port: int = 55432, user: str = "postgres") -> None:
        self.port = free_port(port)
        self.as_user = user if os.geteuid() == 0 else None
        self.dir = Path(tempfile.mkdtemp(prefix="soak-pg-"))
        self.data, self.socket_dir = self.dir / "data", self.dir / "run"
        self.socket_dir.mkdir()
        if self.as_user:
            entry = pwd.getpwnam(self.as_user)
            for path in (self.dir, self.socket_dir):
                os.chown(path, entry.pw_uid, entry.pw_gid)
        self.running = False

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{DATABASE}"

    def _run(self, *command: str, check: bool = True) -> subprocess.CompletedProcess:
        prefix = ["runuser", "-u", self.as_user, "--"] if self.as_user else []
        return subprocess.run([*prefix, *command], check=check, capture_output=True, text=True, cwd=self.dir)

    def create(self) -> None:
        self._run(
            str(BIN / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8" if Path("/usr/lib/locale/C.utf8").exists() else "--locale=C",
        )
        self.start()
        self._run(str(BIN / "createdb"), "-h", str(self.socket_dir), "-p", str(self.port), "-U", "postgres", DATABASE)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1"
        log = str(self.dir / "server.log")
        self._run(str(BIN / "pg_ctl"), "start", "-w", "-t", "60", "-D", str(self.data), "-l", log, "-o", options)
        self.running = True

    def stop(self, mode: str = "fast") -> None:
        self._run(str(BIN / "pg_ctl"), "stop", "-w", "-t", "60", "-D", str(self.data), "-m", mode, check=False)
        self.running = False

    def log_tail(self, lines: int = 20) -> str:
        path = self.dir / "server.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""

    def close(self) -> None:
        if self.dir.exists():
            if (self.data / "postmaster.pid").exists():
                self.stop("immediate")
            shutil.rmtree(self.dir, ignore_errors=True)
