"""Import uploads that were never confirmed: deleted once a day old, by the daily job.

The roster, plan, records and timetable imports stash the uploaded file under
``MEDIA_ROOT/<directory>/<random token>`` between preview and confirm (the token lives in the
uploader's session); a confirm or a cancel deletes it, an abandoned preview would keep a
school's roster on disk for ever. ``keshi/ops/tests/test_stale_uploads.py`` checks that this
list matches the directories the import views use.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from django.conf import settings

log = logging.getLogger(__name__)

DIRECTORIES = ("roster-uploads", "plan-uploads", "record-uploads", "timetable-uploads")
MAX_AGE_S = 24 * 3600


def delete_stale_uploads(*, max_age_s: float = MAX_AGE_S, now: float | None = None) -> int:
    """Delete the stashed files last written more than ``max_age_s`` ago; how many went."""
    cutoff = (time.time() if now is None else now) - max_age_s
    deleted = 0
    for name in DIRECTORIES:
        directory = Path(settings.MEDIA_ROOT) / name
        if not directory.is_dir():
            continue
        for path in directory.iterdir():
            try:
                if path.is_file() and path.stat().st_mtime < cutoff:
                    path.unlink()
                    deleted += 1
            except FileNotFoundError:  # confirmed (and deleted) meanwhile
                continue
    if deleted:
        log.info("deleted %d unconfirmed import uploads", deleted)
    return deleted
