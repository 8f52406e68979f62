"""Issue #19 item 1: text extraction for the originality check runs in a child process with a
time and a memory limit, refuses compressed bombs before python-docx unpacks them, and records
a failure as the task's status instead of taking the worker down."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tasks.signals import task_finished

from keshi.originality import extract
from keshi.originality.models import CorpusText, Document
from keshi.originality.tests.samples import TEMPLATE
from keshi.records.services import add_attachment
from keshi.records.tests import bombs
from keshi.records.uploads import UploadLimits

pytestmark = pytest.mark.django_db
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def finished():
    results = []

    def keep(sender, task_result, **kwargs):
        results.append(task_result)

    task_finished.connect(keep)
    yield results
    task_finished.disconnect(keep)


def test_stored_bomb_attachment_fails_the_task_with_the_reason(
    cast, record, finished, django_capture_on_commit_callbacks
):
    """An attachment stored before uploads were checked (add_attachment stores as it is)."""
    activity = record(cast.teacher, "", code="paper", title="论文")
    finished.clear()
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        attachment = add_attachment(
            activity=activity,
            name="论文.docx",
            data=bombs.docx(TEMPLATE, padding=3 * bombs.MB),
            content_type=DOCX,
        )
    assert time.monotonic() - started < 5
    [result] = finished
    assert result.status == "FAILED"
    assert "压缩比" in result.errors[0].traceback
    assert not Document.objects.filter(attachment=attachment).exists()


def test_extraction_runs_in_a_child_with_limits():
    text = extract.extract_text_isolated("论文.docx", bombs.docx(TEMPLATE), seconds=30)
    assert text.strip() == TEMPLATE
    assert (
        extract.extract_text_isolated("a.txt", "纯文本".encode("gb18030"), seconds=30) == "纯文本"
    )
    with pytest.raises(ValueError, match="只支持"):
        extract.extract_text_isolated("a.pdf", b"%PDF-1.4", seconds=30)


def test_extraction_over_its_time_is_killed():
    dense = bombs.docx(paragraphs=300_000)
    generous = UploadLimits(ratio=10_000, word_blocks=10_000_000)
    started = time.monotonic()
    with pytest.raises(extract.ExtractionFailed, match="超过 1 秒"):
        extract.extract_text_isolated("论文.docx", dense, limits=generous, seconds=1)
    assert time.monotonic() - started < 5


def test_extraction_over_its_memory_is_stopped():
    dense = bombs.docx(paragraphs=300_000)  # python-docx needs some 400 MB for it
    generous = UploadLimits(ratio=10_000, word_blocks=10_000_000)
    with pytest.raises(extract.ExtractionFailed, match="内存上限（100 MB）"):
        extract.extract_text_isolated(
            "论文.docx", dense, limits=generous, seconds=30, memory_bytes=100 * bombs.MB
        )


def test_corpus_upload_refuses_a_bomb(client, cast):
    client.force_login(cast.office)
    bomb = SimpleUploadedFile("范文.docx", bombs.docx(TEMPLATE, padding=3 * bombs.MB))
    response = client.post(
        reverse("originality:corpus"), {"org": cast.school.pk, "files": [bomb]}, follow=True
    )
    assert "压缩比" in response.content.decode()
    assert not CorpusText.objects.exists()
