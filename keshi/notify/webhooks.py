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
import re
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


# Markup of the robots' markdown (CommonMark-ish; both also take <font> tags): quoted with a
# backslash, < > & as entities (a backslash does not stop HTML in every client). List markers
# only mean something at the start of a line.
_MARKUP = re.compile(r"([\\`*_\[\]()#!|~])")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_BREAKS = re.compile(r"[\r\n\t\v\f\u2028\u2029]+")
_LIST_MARKER = re.compile(r"^(\s*)(\d*)([-+.)])(?=\s|$)")


def escape_markdown(value: object) -> str:
    """``value`` as literal text inside a robot's markdown message: a name or a title can
    neither add markup (bold, links, images, headings, <font>) nor start a line of its own.
    For values only, never for the message's own markup."""
    text = _BREAKS.sub(" ", str(value))
    text = "".join(_ENTITIES.get(c, c) for c in text)
    text = _MARKUP.sub(r"\\\1", text)
    return _LIST_MARKER.sub(r"\1\2\\\3", text, count=1)


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


def markdown_url(url: str) -> str:
    """``url`` as a markdown link target: what would end or break ``(...)`` percent-encoded."""
    return "".join(f"%{ord(c):02X}" if c in " ()<>\\[]`\"'" or ord(c) < 0x21 else c for c in url)


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


DEFAULT_PORTS = {"https": 443, "http": 80}


def _endpoint(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of ``url``; ValueError for a port that is not a number in range."""
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port  # raises ValueError when out of range or not a number
    return (
        scheme,
        (parts.hostname or "").lower(),
        DEFAULT_PORTS.get(scheme, 0) if port is None else port,
    )


def _allowed(entries: Iterable[str]) -> set[tuple[str, str, int]]:
    """Allow-list entries are a host name (https on port 443) or, to name another scheme or
    port explicitly, a URL prefix such as ``http://127.0.0.1:8199``."""
    found = set()
    for entry in entries:
        entry = entry.strip()
        if entry:
            found.add(_endpoint(entry if "://" in entry else f"https://{entry}"))
    return found


def check_url(url: str, allowed_hosts: Iterable[str]) -> None:
    """Refuse webhook URLs that could make the server post anywhere an office user chooses
    (internal services, metadata endpoints): only https to an allowed host on its default port
    (or exactly a scheme and port the allow-list names), no user-info (``a@host``, and
    ``http://127.0.0.1:8199\\@oapi.dingtalk.com/`` which other URL parsers read as
    127.0.0.1), no backslashes, spaces or control characters anywhere."""
    if any(c == "\\" or ord(c) <= 0x20 or ord(c) == 0x7F for c in url):
        raise WebhookError("Webhook 地址不能含反斜杠、空格或控制字符")
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.lower() not in DEFAULT_PORTS:
        raise WebhookError(f"不支持的地址协议：{parts.scheme or '（无）'}")
    if "@" in parts.netloc:
        raise WebhookError("Webhook 地址不能含用户名或密码（@）")
    try:
        scheme, host, port = _endpoint(url)
    except ValueError:
        raise WebhookError("Webhook 地址的端口无效") from None
    allowed = _allowed(allowed_hosts)
    if (scheme, host, port) in allowed:
        return
    schemes = {s for s, h, _p in allowed if h == host}
    if not schemes:
        raise WebhookError(f"Webhook 主机 {host or '（无）'} 不在允许列表中")
    if scheme not in schemes:
        raise WebhookError("Webhook 地址必须以 https:// 开头")
    raise WebhookError(f"Webhook 地址不能指定端口 {port}（只允许默认端口）")


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
