"""Issue #19 item 1: a compressed bomb is no contest entry, and one stored before the check
existed is refused by the judge's download before python-docx unpacks it."""

import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from keshi.contests import services
from keshi.contests.models import Assignment, Entry
from keshi.contests.strip import strip_docx
from keshi.contests.tests.factories import contest, judges, person
from keshi.records.tests import bombs
from keshi.records.uploads import UploadLimits, UploadRejected

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_submit_refuses_a_bomb(client, cast):
    c = contest(cast)
    client.force_login(cast.other_teacher)
    bomb = SimpleUploadedFile("论文.docx", bombs.docx(padding=3 * bombs.MB))
    response = client.post(
        reverse("contests:submit", args=[c.pk]),
        {"title": "阅读教学", "document": bomb},
        follow=True,
    )
    assert "压缩比" in response.content.decode()
    assert not Entry.objects.exists()


def test_judge_download_of_a_stored_bomb_is_refused_before_parsing(client, cast):
    """An entry stored before the check (written straight to storage here)."""
    c = contest(cast)
    entry = services.submit_entry(contest=c, person=person(cast.teacher), title="t")
    entry.content_type = DOCX
    entry.document.save("document.docx", ContentFile(bombs.docx(paragraphs=400_000)))
    judge = judges(cast, 1)[0]
    services.auto_assign(contest=c, judges=[person(judge)], per_entry=1, by=cast.office)
    assignment = Assignment.objects.get(entry=entry)
    client.force_login(judge)
    started = time.monotonic()
    response = client.get(reverse("contests:judge_document", args=[assignment.pk]), follow=True)
    assert time.monotonic() - started < 5
    assert response.redirect_chain[-1][0] == reverse("contests:score", args=[assignment.pk])
    assert "无法生成评审副本" in response.content.decode()
    assert "压缩比" in response.content.decode()


def test_strip_refuses_more_paragraphs_than_the_limit():
    """Within the archive limits a document can still hold hundreds of thousands of tiny
    paragraphs; the blind copy refuses them rather than walk each in Python."""
    dense = bombs.docx(paragraphs=3000)
    limits = UploadLimits(word_blocks=2000)
    with pytest.raises(UploadRejected, match=r"段落.*上限 2000"):
        strip_docx(dense, ["张老师"], limits=limits)
    assert strip_docx(bombs.docx("张老师的论文"), ["张老师"], limits=limits)
