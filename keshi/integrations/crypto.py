"""App secrets encrypted at rest (Fernet: AES-128-CBC + HMAC-SHA256).

The key is ``KESHI_INTEGRATION_KEY`` (a Fernet key: 32 url-safe base64 bytes). Without it — the
demo and development — a key is derived from ``SECRET_KEY``; that ties the stored secrets to the
secret key and is documented as development-only in docs/integrations.md.
"""

from __future__ import annotations

import base64
import hashlib
import logging

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

log = logging.getLogger(__name__)


class SecretUnreadable(Exception):
    pass


def _fernet() -> Fernet:
    key = getattr(settings, "KESHI_INTEGRATION_KEY", "")
    if not key:
        digest = hashlib.sha256(f"keshi.integrations:{settings.SECRET_KEY}".encode()).digest()
        key = base64.urlsafe_b64encode(digest).decode()
    return Fernet(key)


def encrypt(plain: str) -> str:
    return _fernet().encrypt(plain.encode()).decode() if plain else ""


def decrypt(token: str) -> str:
    """The stored secret; :class:`SecretUnreadable` when the key changed since it was saved."""
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except (InvalidToken, ValueError) as exc:
        raise SecretUnreadable("已保存的密钥无法解密：KESHI_INTEGRATION_KEY 与保存时不同") from exc
