"""The soak's client retries a command with its Idempotency-Key while the service is unavailable.

Today's service never answers 503, so a soak run does not exercise this path; here a small stand-in
server on 127.0.0.1 answers the way the service will during an outage.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from demo.launch import PM, SALES
from demo.soak_load import Abandoned, Budget, Sample, SoakClient, Stop
from demo.soak_report import Timeline


class Outage(BaseHTTPRequestHandler):
    """Commands: per Idempotency-Key, the first ``failures`` attempts fail ('503' or 'drop'), then 201."""

    failures: list[str] = []
    seen: list[tuple[str, str]] = []

    def do_POST(self) -> None:
        key = self.headers.get("Idempotency-Key", "")
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        attempt = sum(k == key for _, k in self.seen)
        self.seen.append((self.path, key))
        if attempt < len(self.failures):
            if self.failures[attempt] == "drop":
                self.close_connection = True
                return
            self.answer(503, {"code": "store_unavailable"}, {"Retry-After": "0"})
            return
        self.answer(201, {"id": "6d7b1a52-58a1-4c5e-9c2b-0d1f7f2a0a11", "position": len(self.seen)})

    def do_GET(self) -> None:
        self.answer(200, {"items": []})

    def answer(self, status: int, body: dict, headers: dict | None = None) -> None:
        raw = json.dumps(body).encode()
        self.send_response(status)
        for name, value in {"Content-Type": "application/json", **(headers or {})}.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def service():
    Outage.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Outage)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def client_for(server, retry_for: float = 5.0) -> SoakClient:
    client = SoakClient(server.server_address[1], {SALES.user: "t", PM.user: "t"}, "t", retry_for)
    client.bind(Budget(time.time() + 60, 100))
    return client


def test_a_command_refused_while_the_store_is_down_is_sent_again_with_the_same_key(service):
    Outage.failures = ["503", "drop", "503"]
    client = client_for(service)

    answer = client.command(SALES, "register_project", {}, {"code": "X"})

    keys = [key for path, key in Outage.seen if path == "/api/projects"]
    assert len(keys) == 4 and len(set(keys)) == 1 and keys[0]
    assert [s.status for s in client.samples if s.kind == "command"] == [503, 0, 503, 201]
    (outcome,) = client.outcomes
    assert (outcome.status, outcome.attempts, outcome.position, outcome.doubtful) == (201, 4, answer["position"], False)
    assert [s.kind for s in client.samples][-1] == "read"  # the view read that follows every command


def test_a_command_still_refused_when_its_retry_time_is_over_abandons_the_launch_and_may_have_been_recorded(service):
    Outage.failures = ["503"] * 1000
    client = client_for(service, retry_for=0.3)

    with pytest.raises(Abandoned):
        client.command(SALES, "register_project", {}, {"code": "X"})

    (outcome,) = client.outcomes
    assert outcome.status == 503 and outcome.attempts > 1 and outcome.doubtful


def test_the_budget_stops_new_commands_but_not_a_retry_under_way(service):
    Outage.failures = ["503"]
    client = SoakClient(service.server_address[1], {SALES.user: "t"}, "t", 5.0)
    client.bind(Budget(time.time() + 60, 1))

    client.command(SALES, "register_project", {}, {"code": "X"})  # its retry and its read need no budget
    with pytest.raises(Stop):
        client.command(SALES, "register_project", {}, {"code": "Y"})

    assert [s.status for s in client.samples if s.kind == "command"] == [503, 201]


def test_requests_overlapping_the_outage_and_its_grace_are_inside_the_cut():
    timeline = Timeline(start=0, end=100, cut_began=50, db_up=60, ready_again=62, grace=2)

    def sample(start: float, seconds: float = 0.01) -> Sample:
        return Sample(start, seconds, "read", "plan", 200)

    assert not timeline.in_cut(sample(49.0))
    assert timeline.in_cut(sample(49.9, 0.5))  # answered after the stop began
    assert timeline.in_cut(sample(63.9))
    assert not timeline.in_cut(sample(64.1))
    assert [timeline.quarter(t) for t in (0, 24.9, 25, 75, 100)] == [0, 0, 1, 3, 3]
