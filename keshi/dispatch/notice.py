"""Verification codes of the four-part notice: a short HMAC (SECRET_KEY) of the serial, the 联
and the dispatch data printed on it, so a changed date or name no longer verifies."""

from __future__ import annotations

import base64
import hashlib
import hmac

from django.conf import settings

from keshi.dispatch.models import Dispatch, NoticePart

CODE_LENGTH = 8


def payload(dispatch: Dispatch, part: NoticePart) -> str:
    names = ",".join(m.person.name for m in dispatch.members.select_related("person"))
    return "|".join(
        [
            dispatch.serial,
            str(part.part),
            str(part.person_id or part.group_id or ""),
            dispatch.title,
            dispatch.start_date.isoformat() + dispatch.start_half,
            dispatch.end_date.isoformat() + dispatch.end_half,
            names,
        ]
    )


def code(dispatch: Dispatch, part: NoticePart) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(), payload(dispatch, part).encode(), hashlib.sha256
    ).digest()
    return base64.b32encode(digest[:5]).decode()[:CODE_LENGTH]


def parse_serial(serial: str) -> tuple[int, int] | None:
    """``2026-派-0012`` → (2026, 12)."""
    parts = serial.strip().replace("－", "-").split("-")
    if len(parts) != 3 or parts[1] != "派" or not (parts[0].isdigit() and parts[2].isdigit()):
        return None
    return int(parts[0]), int(parts[2])


def verify(dispatch: Dispatch, given: str) -> NoticePart | None:
    """The 联 of ``dispatch`` whose code is ``given``, or None."""
    given = given.strip().upper()
    for part in dispatch.notice_parts.select_related("person", "group"):
        if hmac.compare_digest(code(dispatch, part), given):
            return part
    return None
