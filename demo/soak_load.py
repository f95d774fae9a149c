"""The soak's traffic: client threads walking launches through their steps, each command followed by a view read.

Commands are demo/launch.py's sequence, each sent with an ``Idempotency-Key`` and retried with the same
key on 502/503/504 or a broken connection (waiting ``Retry-After``, at most 2 s) for up to ``retry_for``
seconds; a command that still fails abandons its launch and the thread starts a new one. After each
command one read, in turn: the project, its plan, acceptance and go-live views, the audit log's newest 50
and the project list, the views with ``?after=<the command's position>`` (read-your-writes). Every attempt
is one ``Sample``; every command ends in one ``Outcome``. Traffic goes to 127.0.0.1 only.
"""

from __future__ import annotations

import http.client
import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from demo.launch import ROUTES, launch
from domain.roles import Actor

RETRYABLE = {0, 502, 503, 504}  # 0: no answer (refused, reset, timed out)
LAG_HEADER = "X-Views-Lag"


@dataclass(frozen=True)
class Sample:
    start: float  # wall clock, seconds since the epoch
    seconds: float
    kind: str  # "command" or "read"
    name: str
    status: int  # 0: no HTTP answer
    stale: bool = False  # a view read answered with X-Views-Lag


@dataclass(frozen=True)
class Outcome:
    command: str
    step: int  # the command's place in the launch (demo/launch.py's order), 0 for the intake
    status: int  # the last attempt's
    attempts: int
    position: int | None = None
    doubtful: bool = False  # an attempt went unanswered or failed with 5xx: it may have been recorded


def retry_after(headers: Any) -> float | None:
    try:
        return float(headers.get("Retry-After"))
    except (TypeError, ValueError):
        return None


class Stop(Exception):
    """The run's time or request budget is spent."""


class Abandoned(Exception):
    """A command failed for good; its launch goes no further."""


@dataclass
class Budget:
    deadline: float
    requests: int
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self) -> None:
        with self.lock:
            if self.requests <= 0 or time.time() >= self.deadline:
                raise Stop
            self.requests -= 1


class SoakClient:
    """Shared by the threads (one keep-alive connection each); records samples and outcomes."""

    def __init__(self, port: int, tokens: dict[str, str], reader: str, retry_for: float = 30.0) -> None:
        self.port, self.tokens, self.reader, self.retry_for = port, tokens, reader, retry_for
        self.samples: list[Sample] = []
        self.outcomes: list[Outcome] = []
        self.local = threading.local()
        self.lock = threading.Lock()

    # one HTTP exchange ------------------------------------------------------------

    def request(self, method: str, path: str, token: str, body: Any = None, key: str | None = None):
        headers = {"Authorization": f"Bearer {token}"}
        payload = None
        if body is not None:
            payload = json.dumps(body, default=lambda o: o.isoformat() if isinstance(o, date) else str(o))
            headers["Content-Type"] = "application/json"
        if key:
            headers["Idempotency-Key"] = key
        started, clock = time.time(), time.perf_counter()
        try:
            conn = getattr(self.local, "conn", None)
            if conn is None:
                conn = self.local.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=35)
            conn.request(method, path, body=payload, headers=headers)
            response = conn.getresponse()
            raw = response.read()
            status, answer_headers = response.status, response.headers
        except (OSError, http.client.HTTPException):
            self.local.conn.close()
            self.local.conn = None
            return started, time.perf_counter() - clock, 0, {}, {}
        try:
            answer = json.loads(raw) if raw else {}
        except ValueError:
            answer = {}
        return started, time.perf_counter() - clock, status, answer_headers, answer

    def pace(self) -> None:
        """Each thread sends at most one request per ``self.local.gap`` seconds."""
        now = time.perf_counter()
        slot = max(getattr(self.local, "next", now), now)
        self.local.next = slot + self.local.gap
        if slot > now:
            time.sleep(slot - now)

    # the launch's client ----------------------------------------------------------

    def command(self, actor: Actor, command: str, ids: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
        self.local.budget.take()
        step = self.local.step = 0 if command == "register_project" else self.local.step + 1
        method, template = ROUTES[command]
        path, key, token = template.format(**ids), str(uuid.uuid4()), self.tokens[actor.user]
        give_up, attempts, doubtful = time.time() + self.retry_for, 0, False
        while True:
            attempts += 1
            self.pace()
            started, seconds, status, headers, answer = self.request(method, path, token, body or None, key)
            with self.lock:
                self.samples.append(Sample(started, seconds, "command", command, status))
            if status in RETRYABLE and time.time() < give_up:
                doubtful = True
                wait = retry_after(headers)
                time.sleep(min(0.5 * attempts if wait is None else wait, 2.0))
                continue
            doubtful = doubtful or status in RETRYABLE or status >= 500
            ok = 200 <= status < 300
            position = answer.get("position") if ok else None
            with self.lock:
                self.outcomes.append(Outcome(command, step, status, attempts, position, doubtful and not ok))
            if not ok:
                raise Abandoned(f"{command}: {status} {answer}")
            if command == "register_project":
                self.local.project = answer["id"]
            self.read(position)
            return answer

    def read(self, position: int | None) -> None:
        p, after = self.local.project, f"after={position}" if position else ""
        reads = (
            ("project", f"/api/projects/{p}"),
            ("plan", f"/api/projects/{p}/plan?{after}"),
            ("acceptance", f"/api/projects/{p}/acceptance?{after}"),
            ("go_live", f"/api/projects/{p}/go-live?{after}"),
            ("audit", f"/api/audit/events?limit=50&{after}"),
            ("projects", f"/api/projects?limit=20&{after}"),
        )
        self.local.turn = (getattr(self.local, "turn", -1) + 1) % len(reads)
        name, path = reads[self.local.turn]
        try:
            self.local.budget.take()
        except Stop:
            return
        self.pace()
        started, seconds, status, headers, _ = self.request("GET", path.rstrip("?&"), self.reader)
        with self.lock:
            self.samples.append(Sample(started, seconds, "read", name, status, LAG_HEADER in headers))

    # the threads ------------------------------------------------------------------

    def bind(self, budget: Budget, gap: float = 0.0, offset: float = 0.0) -> None:
        """Set the calling thread's budget and pace (seconds between its requests)."""
        self.local.budget, self.local.gap = budget, gap
        self.local.next = time.perf_counter() + offset

    def worker(self, budget: Budget, gap: float, offset: float, abandoned: list[str]) -> None:
        self.bind(budget, gap, offset)
        while True:
            try:
                launch(self.command)
            except Abandoned as why:
                abandoned.append(str(why))
            except Stop:
                return

    def run(self, threads: int, rate: float, seconds: float, max_requests: int) -> list[str]:
        """``threads`` clients sharing ``rate`` requests/s until ``seconds`` pass or ``max_requests`` are sent."""
        budget, abandoned = Budget(time.time() + seconds, max_requests), []
        gap = threads / rate
        workers = [
            threading.Thread(target=self.worker, args=(budget, gap, i * gap / threads, abandoned), daemon=True)
            for i in range(threads)
        ]
        for thread in workers:
            thread.start()
        for thread in workers:
            thread.join()
        return abandoned
