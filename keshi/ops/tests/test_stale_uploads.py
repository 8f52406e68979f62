"""Issue #19.8: import uploads (roster, plan, records, timetable) that were never confirmed are
deleted by the daily job once a day old; fresher ones wait for their confirm."""

import os
import time
from pathlib import Path

import pytest

from keshi.notify import daily

pytestmark = pytest.mark.django_db

DIRS = ("roster-uploads", "plan-uploads", "record-uploads", "timetable-uploads")
HOUR = 3600


def _stash(media: Path, directory: str, name: str, age_s: float) -> Path:
    path = media / directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"PK\x03\x04 an upload")
    stamp = time.time() - age_s
    os.utime(path, (stamp, stamp))
    return path


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_the_daily_job_deletes_unconfirmed_uploads_older_than_a_day(media):
    old = [_stash(media, d, "a" * 32, 25 * HOUR) for d in DIRS]
    fresh = [_stash(media, d, "b" * 32, 23 * HOUR) for d in DIRS]
    attachment = _stash(media, "attachments", "old.pdf", 400 * 24 * HOUR)
    daily.send_daily_reminders()
    assert [p for p in old if p.exists()] == []
    assert all(p.exists() for p in fresh), "an upload of this morning still awaits its confirm"
    assert attachment.exists(), "only the import stashes are swept"


def test_a_dry_run_deletes_nothing(media):
    old = _stash(media, "roster-uploads", "c" * 32, 48 * HOUR)
    daily.send_daily_reminders(dry_run=True)
    assert old.exists()


def test_no_upload_directory_yet_is_fine(media):
    daily.send_daily_reminders()
    assert not media.exists() or not any(media.iterdir())


def test_every_import_stash_is_swept(settings):
    """The directories the import views stash into are the ones the sweep knows."""
    from keshi.cover import views_timetable
    from keshi.ops import stale_uploads
    from keshi.org import views_roster
    from keshi.plans import views_import
    from keshi.records import views_manage

    stashes = {
        m._upload_dir().relative_to(settings.MEDIA_ROOT).as_posix()
        for m in (views_roster, views_import, views_manage, views_timetable)
    }
    assert stashes == set(stale_uploads.DIRECTORIES)
