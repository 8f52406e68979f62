"""Posting to DingTalk and WeCom group robots. Pure: standard library only, no Django.

DingTalk custom robot, 加签: ``sign = urlencode(base64(HmacSHA256(key=secret,
msg=f"{timestamp}\\n{secret}")))`` with ``timestamp`` in milliseconds (within an hour of
DingTalk's clock), both appended to the webhook URL as query parameters. WeCom robot: the key is
part of the URL, there is no signing. Both answer HTTP 200 with ``{"errcode": 0, ...}`` on
success and a non-zero ``errcode`` otherwise; both allow 20 messages a minute per robot, which is
why keshi sends one summary per org and day.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable

TIMEOUT_S = 10
# WeCom rejects markdown over 4096 bytes; DingTalk's limit is larger. Stay under both.
MAX_MARKDOWN_BYTES = 4000


class WebhookError(Exception):
    pass


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """The ``sign`` parameter before URL encoding."""
    message = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def dingtalk_url(webhook_url: str, secret: str, timestamp_ms: int | None = None) -> str:
    """The webhook URL with ``timestamp`` and ``sign`` added (unchanged without a secret)."""
    if not secret:
        return webhook_url
    ts = timestamp_ms if timestamp_ms is not None else int(time.time() * 1000)
    extra = urllib.parse.urlencode({"timestamp": ts, "sign": dingtalk_sign(secret, ts)})
    return f"{webhook_url}{'&' if '?' in webhook_url else '?'}{extra}"


def truncate(text: str, limit: int = MAX_MARKDOWN_BYTES) -> str:
    """``text`` cut to ``limit`` UTF-8 bytes on a character boundary, marked with …"""
    raw = text.encode()
    if len(raw) <= limit:
        return text
    return raw[: limit - 3].decode(errors="ignore") + "…"


def dingtalk_payload(title: str, markdown: str, *, mention_all: bool = False) -> dict:
    return {
        "msgtype": "markdown",
        "markdown": {"title": title, "text": truncate(markdown)},
        "at": {"isAtAll": mention_all},
    }


def wecom_payload(markdown: str) -> dict:
    # WeCom markdown cannot @all; that needs a text message, so mention_all is DingTalk only.
    return {"msgtype": "markdown", "markdown": {"content": truncate(markdown)}}


def check_host(url: str, allowed_hosts: Iterable[str]) -> None:
    """Refuse URLs outside ``allowed_hosts``: the server must not be made to post anywhere
    an office user types (internal services, metadata endpoints)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise WebhookError(f"不支持的地址协议：{parts.scheme or '（无）'}")
    host = (parts.hostname or "").lower()
    if host not in {h.strip().lower() for h in allowed_hosts if h.strip()}:
        raise WebhookError(f"Webhook 主机 {host or '（无）'} 不在允许列表中")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        raise WebhookError(f"Webhook 返回重定向（HTTP {code}），已拒绝")


_opener = urllib.request.build_opener(_NoRedirect)


def post_json(url: str, payload: dict, *, timeout: float = TIMEOUT_S) -> dict:
    """POST ``payload`` as JSON; the robot's JSON answer, or :class:`WebhookError` for any
    failure (network, HTTP status, non-zero ``errcode``)."""
    body = json.dumps(payload, ensure_ascii=False).encode()
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
    )
    try:
        with _opener.open(request, timeout=timeout) as response:
            raw = response.read(65536)
    except urllib.error.HTTPError as exc:
        raise WebhookError(f"HTTP {exc.code} {exc.reason}") from exc
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise WebhookError(f"连接失败：{reason}") from exc
    try:
        answer = json.loads(raw or b"{}")
    except ValueError as exc:
        raise WebhookError(f"无法解析的应答：{raw[:200]!r}") from exc
    if not isinstance(answer, dict):
        raise WebhookError(f"无法解析的应答：{raw[:200]!r}")
    if answer.get("errcode", 0) != 0:
        raise WebhookError(f"errcode {answer.get('errcode')}: {answer.get('errmsg', '')}")
    return answer
