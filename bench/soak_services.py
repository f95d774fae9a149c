"""The soak's server side, as README "Production" runs it: gunicorn and the projection process.

Both get ``DATABASE_URL`` (the private cluster) and a 32+ byte ``SECRET_KEY``; the web workers do not
project in process (``PROJECTIONS_IN_PROCESS=0``, as the app already defaults to on PostgreSQL).
Tokens come from ``flask --app wsgi users issue-token``.
``Watch`` samples, every few seconds, the resident memory of the gunicorn workers and of the
projector from /proc, and polls ``/readyz`` twice a second for the restart's recovery times.
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from domain.roles import Actor

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def environment(url: str) -> dict[str, str]:
    secret = secrets.token_urlsafe(48)  # 64 characters: the app wants 32 bytes or more
    return {**os.environ, "DATABASE_URL": url, "SECRET_KEY": secret, "PROJECTIONS_IN_PROCESS": "0"}


def issue_tokens(env: dict[str, str], actors: list[Actor]) -> dict[str, str]:
    """One token per user, issued in parallel (each is a process of its own)."""
    jobs = {}
    for actor in actors:
        command = [
            str(BIN / "flask"),
            "--app",
            "wsgi",
            "users",
            "issue-token",
            "--user",
            actor.user,
            "--role",
            actor.role,
        ]
        if actor.department:
            command += ["--department", actor.department]
        jobs[actor.user] = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    tokens = {}
    for user, job in jobs.items():
        out, _ = job.communicate(timeout=120)
        if job.returncode:
            raise RuntimeError(f"issue-token for {user} failed ({job.returncode})")
        tokens[user] = out.strip().splitlines()[-1]
    return tokens


def get(port: int, path: str, timeout: float = 5) -> tuple[int, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read()
        try:
            return response.status, json.loads(body) if body else {}
        except ValueError:
            return response.status, {}
    except (OSError, http.client.HTTPException):
        return 0, {}
    finally:
        conn.close()


class Services:
    """gunicorn (``workers`` gthread workers, 4 threads each) and ``flask projections run``; logs in ``logs``."""

    def __init__(self, env: dict[str, str], port: int, logs: Path, workers: int = 2) -> None:
        self.env, self.port, self.logs, self.workers = env, port, logs, workers
        self.processes: dict[str, subprocess.Popen] = {}

    def _spawn(self, name: str, command: list[str]) -> subprocess.Popen:
        log = open(self.logs / f"{name}.log", "ab")  # noqa: SIM115 - the child keeps it
        process = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        log.close()
        self.processes[name] = process
        return process

    def start(self) -> None:
        bind = f"127.0.0.1:{self.port}"
        self._spawn(
            "gunicorn",
            [str(BIN / "gunicorn"), "-w", str(self.workers), "-k", "gthread", "--threads", "4", "-b", bind, "wsgi:app"],
        )
        self._spawn("projector", [str(BIN / "flask"), "--app", "wsgi", "projections", "run"])
        for _ in range(300):
            if get(self.port, "/readyz")[0] == 200:
                return
            if self.processes["gunicorn"].poll() is not None:
                break
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not become ready; see {self.logs / 'gunicorn.log'}")

    def workers_pids(self) -> list[int]:
        master = self.processes["gunicorn"].pid
        try:
            return [int(pid) for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split()]
        except OSError:
            return []

    def exited(self) -> dict[str, int]:
        return {name: p.returncode for name, p in self.processes.items() if p.poll() is not None}

    def stop(self) -> None:
        for name in ("projector", "gunicorn"):
            process = self.processes.get(name)
            if process is None or process.poll() is not None:
                continue
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


@dataclass
class Watch:
    """RSS samples ``(time, workers' MB, projector MB, worker pids)`` and ``/readyz`` polls ``(time, status, body)``."""

    services: Services
    rss_every: float = 5.0
    rss: list[tuple[float, float, float | None, tuple[int, ...]]] = field(default_factory=list)
    ready: list[tuple[float, int, dict]] = field(default_factory=list)
    done: threading.Event = field(default_factory=threading.Event)

    def start(self) -> None:
        threading.Thread(target=self._memory, daemon=True).start()
        threading.Thread(target=self._readiness, daemon=True).start()

    def _memory(self) -> None:
        projector = self.services.processes["projector"].pid
        while not self.done.is_set():
            pids = tuple(self.services.workers_pids())
            workers = sum(rss_mb(pid) or 0 for pid in pids)
            self.rss.append((time.time(), workers, rss_mb(projector), pids))
            self.done.wait(self.rss_every)

    def _readiness(self) -> None:
        while not self.done.is_set():
            started = time.time()
            status, body = get(self.services.port, "/readyz", timeout=10)
            self.ready.append((started, status, body))
            self.done.wait(0.5)
