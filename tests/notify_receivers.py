"""Local receivers for the notification tests: an SMTP server (aiosmtpd) and an HTTP receiver that
checks DingTalk's signed URL and the webhook's HMAC, and can refuse the first tries or act on arrival."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@contextmanager
def smtp_server() -> Iterator[tuple[str, Mailbox]]:
    """``host:port`` of a local SMTP server and the mailbox it fills."""
    mailbox, port = Mailbox(), free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield f"127.0.0.1:{port}", mailbox
    finally:
        controller.stop()


def dingtalk_signed(path: str, secret: str) -> bool:
    """DingTalk's check: sign = base64(HMAC-SHA256(secret, timestamp + "\\n" + secret)), timestamp within an hour."""
    query = parse_qs(urlsplit(path).query)
    if "timestamp" not in query or "sign" not in query:
        return False
    timestamp = query["timestamp"][0]
    expected = base64.b64encode(hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest())
    fresh = abs(int(timestamp) - time.time() * 1000) < 3_600_000
    return fresh and hmac.compare_digest(expected.decode(), query["sign"][0])


class Receiver:
    """Records every request (path, headers, JSON body); answers 500 to the first ``failures`` ones."""

    def __init__(self, dingtalk_secret: str | None = None, webhook_secret: str | None = None, failures: int = 0):
        self.dingtalk_secret, self.webhook_secret, self.failures = dingtalk_secret, webhook_secret, failures
        self.requests: list[dict[str, Any]] = []
        self.on_arrival: Callable[[dict[str, Any]], None] | None = None
        self.lock = threading.Lock()

    def accepted(self, path_prefix: str = "/") -> list[dict[str, Any]]:
        return [r for r in self.requests if r["status"] == 200 and r["path"].startswith(path_prefix)]


@contextmanager
def http_receiver(receiver: Receiver) -> Iterator[str]:
    """The base URL of a local HTTP server feeding ``receiver``."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            request = {"path": self.path, "headers": dict(self.headers), "raw": raw, "body": json.loads(raw)}
            status, answer = 200, {"errcode": 0, "errmsg": "ok"}
            if self.path.startswith("/dingtalk") and not dingtalk_signed(self.path, receiver.dingtalk_secret or ""):
                status, answer = 200, {"errcode": 310000, "errmsg": "sign not match"}
            if self.path.startswith("/webhook"):
                mac = hmac.new((receiver.webhook_secret or "").encode(), raw, hashlib.sha256).hexdigest()
                if self.headers.get("X-Signature") != f"sha256={mac}":
                    status = 401
            with receiver.lock:
                if receiver.failures > 0:
                    receiver.failures -= 1
                    status = 500
                request["status"] = status if answer["errcode"] == 0 else 403
                receiver.requests.append(request)
            if receiver.on_arrival is not None:
                receiver.on_arrival(request)
            data = json.dumps(answer).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # (the sender was killed while waiting for the answer)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
