"""Sending one delivery over its channel: e-mail (SMTP), DingTalk and WeCom group robots, a signed webhook.

Every channel carries the delivery id (a ``Message-ID`` and ``X-Delivery-Id`` header, the
webhook's ``X-Delivery-Id``, the robots' text ends with it), so a receiver can drop a repeat:
a sender that died between sending and recording sends again with the same id. A channel
answers by returning (acknowledged) or raising ``SendFailed`` (tried again later).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import smtplib
import time
import urllib.parse
import urllib.request
from email.message import EmailMessage
from typing import Any

from store.notifications import Channel, Delivery

TIMEOUT = 10.0


class SendFailed(Exception):
    """Not acknowledged: the receiver refused, could not be reached, or answered an error."""


def send(channel: Channel, delivery: Delivery, settings: dict[str, Any]) -> None:
    try:
        SENDERS[channel.kind](channel, delivery, settings)
    except SendFailed:
        raise
    except (OSError, smtplib.SMTPException, ValueError) as error:
        raise SendFailed(f"{type(error).__name__}: {error}") from error


def email(channel: Channel, delivery: Delivery, settings: dict[str, Any]) -> None:
    """``settings``: ``NOTIFY_SMTP_HOST`` (``host:port``), ``NOTIFY_SMTP_FROM``, optional user and password."""
    message = EmailMessage()
    message["From"] = settings.get("NOTIFY_SMTP_FROM") or "tracker@localhost"
    message["To"] = channel.target
    message["Subject"] = delivery.subject
    message["Message-ID"] = f"<{delivery.id}@launch-tracker>"
    message["X-Delivery-Id"] = delivery.id
    message.set_content(delivery.body)
    host, _, port = (settings.get("NOTIFY_SMTP_HOST") or "localhost:25").rpartition(":")
    with smtplib.SMTP(host, int(port), timeout=TIMEOUT) as smtp:
        if settings.get("NOTIFY_SMTP_STARTTLS"):
            smtp.starttls()
        if settings.get("NOTIFY_SMTP_USER"):
            smtp.login(settings["NOTIFY_SMTP_USER"], settings.get("NOTIFY_SMTP_PASSWORD") or "")
        smtp.send_message(message)


def robot_text(delivery: Delivery) -> str:
    return f"{delivery.subject}\n{delivery.body}\n[{delivery.id}]"


def dingtalk_url(url: str, secret: str | None, now_ms: int | None = None) -> str:
    """DingTalk's signed URL: ``timestamp`` (ms) and
    ``sign`` = base64(HMAC-SHA256(secret, timestamp + "\\n" + secret)), both in the query."""
    if not secret:
        return url
    timestamp = str(now_ms if now_ms is not None else int(time.time() * 1000))
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    return f"{url}{'&' if '?' in url else '?'}timestamp={timestamp}&sign={sign}"


def dingtalk(channel: Channel, delivery: Delivery, settings: dict[str, Any]) -> None:
    body = {"msgtype": "text", "text": {"content": robot_text(delivery)}}
    robot_answer(post(dingtalk_url(channel.target, channel.secret), body, {"X-Delivery-Id": delivery.id}))


def wecom(channel: Channel, delivery: Delivery, settings: dict[str, Any]) -> None:
    body = {"msgtype": "text", "text": {"content": robot_text(delivery)}}
    robot_answer(post(channel.target, body, {"X-Delivery-Id": delivery.id}))


def webhook(channel: Channel, delivery: Delivery, settings: dict[str, Any]) -> None:
    """JSON with the delivery; ``X-Signature: sha256=<hex HMAC-SHA256 of the body with the channel's secret>``."""
    body = {
        "delivery_id": delivery.id,
        "rule": delivery.rule,
        "recipient": delivery.recipient,
        "language": delivery.language,
        "subject": delivery.subject,
        "text": delivery.body,
    }
    data = json.dumps(body, ensure_ascii=False, sort_keys=True).encode()
    signature = hmac.new((channel.secret or "").encode(), data, hashlib.sha256).hexdigest()
    post(channel.target, data, {"X-Delivery-Id": delivery.id, "X-Signature": f"sha256={signature}"})


def post(url: str, body: Any, headers: dict[str, str]) -> bytes:
    if not url.startswith(("http://", "https://")):
        raise SendFailed("the channel's URL is not http(s)")
    data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
    request = urllib.request.Request(url, data, {"Content-Type": "application/json; charset=utf-8", **headers})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:
            return answer.read()
    except urllib.error.HTTPError as error:
        raise SendFailed(f"HTTP {error.code}") from error


def robot_answer(answer: bytes) -> None:
    """The robots answer 200 with ``errcode`` 0 when they took the message."""
    try:
        code = json.loads(answer or b"{}").get("errcode", 0)
    except (ValueError, AttributeError):
        code = 0
    if code:
        raise SendFailed(f"robot errcode {code}")


SENDERS = {"email": email, "dingtalk": dingtalk, "wecom": wecom, "webhook": webhook}
