"""Time-limited sign-in tokens behind the QR codes, and the QR codes themselves (SVG, segno).

A token names what one signs in to (a session, a 校本研修 project or an open class) and when it
was issued; it is signed with the project's secret key, so a forged or altered token fails, and
it expires after ``MAX_AGE`` seconds, so a photo of last week's code does not sign anyone in.
Who may sign in is decided by the services, not by the token.
"""

from __future__ import annotations

from dataclasses import dataclass

import segno
from django.core import signing

SALT = "keshi.groupwork.signin"
MAX_AGE = 3 * 60 * 60  # a session lasts an afternoon at most
KINDS = {"s": "session", "t": "training", "o": "open_class"}


class TokenError(ValueError):
    """The message is Chinese and meant for the user."""


@dataclass(frozen=True)
class Target:
    kind: str  # one of KINDS' values
    pk: int


def make_token(kind: str, pk: int) -> str:
    code = next(k for k, v in KINDS.items() if v == kind)
    return signing.dumps({"k": code, "id": pk}, salt=SALT, compress=True)


def read_token(token: str) -> Target:
    try:
        payload = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.SignatureExpired:
        raise TokenError("签到二维码已过期，请让组长刷新二维码后重新扫码。") from None
    except signing.BadSignature:
        raise TokenError("签到二维码无效（可能被改动过），请重新扫码。") from None
    if not isinstance(payload, dict) or payload.get("k") not in KINDS:
        raise TokenError("签到二维码无效，请重新扫码。")
    try:
        return Target(KINDS[payload["k"]], int(payload["id"]))
    except (KeyError, TypeError, ValueError):
        raise TokenError("签到二维码无效，请重新扫码。") from None


def qr_svg(url: str) -> str:
    """An inline SVG of ``url`` (no XML declaration, scalable through its viewBox)."""
    qr = segno.make(url, error="m")
    return qr.svg_inline(scale=6, border=2, dark="#000", light="#fff", title="签到二维码")
