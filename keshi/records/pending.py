"""Attachments that survive a validation error: a browser cannot put a file back into a file
input, so files that passed the upload checks are kept in storage under ``pending/<user>/`` and
the re-rendered form carries a signed token naming them; the next submission takes them back.

The token is signed with the user's id (another user's token, or a forged path, gives nothing)
and lives a day; stashed files older than that are removed when the user next stashes.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

SALT = "keshi.records.pending"
MAX_AGE = timedelta(days=1)

Upload = tuple[str, bytes, str]  # (name, content, content type), as the form's files field gives


def _folder(user) -> str:
    return f"pending/{user.pk}/"


def stash(user, files: list[Upload]) -> str:
    """Store ``files`` for ``user``; the token to put in the form ("" for none)."""
    if not files:
        return ""
    _purge(user)
    entries = []
    for name, content, content_type in files:
        path = default_storage.save(f"{_folder(user)}{uuid.uuid4().hex}", ContentFile(content))
        entries.append({"path": path, "name": name, "type": content_type})
    return signing.dumps({"user": user.pk, "files": entries}, salt=SALT, compress=True)


def unstash(user, token: str) -> list[Upload]:
    """The files a token names, read back; nothing for a bad, old or foreign token."""
    entries = names(user, token, full=True)
    found = []
    for entry in entries:
        try:
            with default_storage.open(entry["path"], "rb") as handle:
                found.append((entry["name"], handle.read(), entry["type"]))
        except OSError:
            continue  # removed meanwhile: the user uploads it again
    return found


def names(user, token: str, *, full: bool = False) -> list:
    """The file names a token carries (or its whole entries), for the re-rendered form."""
    if not token:
        return []
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return []
    if data.get("user") != user.pk:
        return []
    entries = [e for e in data.get("files", []) if str(e.get("path", "")).startswith(_folder(user))]
    return entries if full else [e["name"] for e in entries]


def _purge(user) -> None:
    cutoff = timezone.now() - MAX_AGE
    try:
        _dirs, files = default_storage.listdir(_folder(user))
    except (FileNotFoundError, NotImplementedError):
        return
    for name in files:
        path = _folder(user) + name
        try:
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
        except (OSError, NotImplementedError):
            continue
