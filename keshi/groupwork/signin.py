"""Sign-in tokens behind the QR codes, and the QR codes themselves (SVG, segno).

A token names what one signs in to (a session, a 校本研修 project or an open class) and when it
was issued: ``s12:<timestamp>:<signature>``. The signature is keyed by the project's secret key
*and* the object's own random ``signin_key``, so a token cannot be built offline even by
someone who knows the secret key (the demo one is published), cannot be altered to name
another object, and one leaked from one session is useless for any other.

A token is accepted only while it is fresh (``MAX_AGE`` after it was shown) and only around the
object's own time (:func:`window`): a code shown today does not sign anyone in to a session
weeks ahead, nor to yesterday's. Who may sign in is decided by the services, not by the token.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import segno
from django.core import signing
from django.utils import timezone

SALT = "keshi.groupwork.signin"
MAX_AGE = 3 * 60 * 60  # a session lasts an afternoon at most
EARLY = timedelta(minutes=30)  # a session's code works from half an hour before its start …
LATE = timedelta(hours=2)  # … to two hours after its end
KINDS = {"s": "session", "t": "training", "o": "open_class"}
CODES = {v: k for k, v in KINDS.items()}


class TokenError(ValueError):
    """The message is Chinese and meant for the user."""


@dataclass(frozen=True)
class Target:
    kind: str  # one of KINDS' values
    pk: int


def _signer(obj) -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=f"{SALT}:{obj.signin_key}")


def make_token(kind: str, obj) -> str:
    """A fresh token for ``obj`` (a Session, TrainingProject or OpenClass)."""
    return _signer(obj).sign(f"{CODES[kind]}{obj.pk}")


def target_of(token: str) -> Target:
    """What ``token`` claims to name, before its signature is checked (that needs the object's
    key: :func:`verify`)."""
    value = token.split(":", 1)[0]
    if len(value) < 2 or value[0] not in KINDS or not value[1:].isdigit():
        raise TokenError("签到二维码无效（可能被改动过），请重新扫码。")
    return Target(KINDS[value[0]], int(value[1:]))


def verify(token: str, kind: str, obj, *, now: datetime | None = None) -> None:
    """Raise :class:`TokenError` unless ``token`` was issued for ``obj``, is fresh and is used
    within the object's sign-in window."""
    try:
        value = _signer(obj).unsign(token, max_age=MAX_AGE)
    except signing.SignatureExpired:
        raise TokenError("签到二维码已过期，请让组长刷新二维码后重新扫码。") from None
    except signing.BadSignature:
        raise TokenError("签到二维码无效（可能被改动过），请重新扫码。") from None
    if value != f"{CODES[kind]}{obj.pk}":
        raise TokenError("签到二维码无效（可能被改动过），请重新扫码。")
    opens, closes = window(kind, obj)
    now = now or timezone.now()
    if now < opens:
        raise TokenError(f"签到尚未开始：{_when(opens)} 起可以扫码签到。")
    if now >= closes:
        raise TokenError(f"签到时间已过（{_when(closes)} 截止），请联系组长补登。")


def window(kind: str, obj) -> tuple[datetime, datetime]:
    """When a code for ``obj`` signs in (aware datetimes, [opens, closes)): a session from
    ``EARLY`` before its start to ``LATE`` after its end (its whole day where a time is not
    set); a 校本研修 project from its first to its last day; an open class its day."""
    if kind == "session":
        day = obj.date
        opens = _at(day, obj.start_time) - EARLY if obj.start_time else _at(day)
        closes = _at(day, obj.end_time) + LATE if obj.end_time else _at(day + timedelta(1))
        return opens, max(closes, opens)
    if kind == "training":
        return _at(obj.start), _at(obj.end + timedelta(1))
    return _at(obj.date), _at(obj.date + timedelta(1))


def expires(kind: str, obj, *, now: datetime | None = None) -> datetime:
    """When a token shown now stops working: MAX_AGE later, or at the window's close."""
    now = now or timezone.now()
    return min(now + timedelta(seconds=MAX_AGE), window(kind, obj)[1])


def _at(day: date, at: time = time(0)) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def _when(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return f"{local.month}月{local.day}日 {local:%H:%M}"


def qr_svg(url: str) -> str:
    """An inline SVG of ``url`` (no XML declaration, scalable through its viewBox)."""
    qr = segno.make(url, error="m")
    return qr.svg_inline(scale=6, border=2, dark="#000", light="#fff", title="签到二维码")
