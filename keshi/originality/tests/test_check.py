"""The done-when: a reflection copied from a plan with light edits is flagged with its
passages; an original one is not. Through the real save → on_commit → task path."""

import io
import json

import docx
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from keshi.originality import services
from keshi.originality.models import Document, Flag
from keshi.originality.search import compare
from keshi.originality.selectors import evidence
from keshi.originality.tests.samples import COPIED, ORIGINAL, TEMPLATE
from keshi.records.services import add_attachment, update_activity

pytestmark = pytest.mark.django_db


def test_copied_reflection_is_flagged_with_its_passages(cast, template, record):
    activity = record(cast.teacher, COPIED)
    flag = Flag.objects.get(activity=activity)
    assert flag.score >= 0.5 and flag.status == Flag.Status.OPEN
    assert flag.top.corpus == template
    [shown] = evidence(cast.office, flag)
    texts = [row.mine.passage for row in shown.rows]
    assert any("围绕学校总体工作要点" in t for t in texts)
    assert all(row.theirs is not None for row in shown.rows)  # a template: readable


def test_original_reflection_is_not_flagged(cast, template, record):
    activity = record(cast.teacher, ORIGINAL)
    assert not Flag.objects.filter(activity=activity).exists()
    assert Document.objects.get(activity=activity).score == 0.0


def test_copy_from_a_colleague_is_flagged_and_own_records_are_not_compared(cast, record):
    source = record(cast.other_teacher, ORIGINAL)
    edited = ORIGINAL.replace("初二", "初一").replace("《背影》", "《春》") + "以上是我的反思。"
    copy = record(cast.teacher, edited)
    flag = Flag.objects.get(activity=copy)
    assert flag.top.activity == source
    assert not Flag.objects.filter(activity=source).exists()  # checked before the copy existed
    again = record(cast.teacher, edited)  # the same teacher reusing a text of their own
    assert Flag.objects.get(activity=again).top.activity == source


def test_other_schools_are_compared_only_when_the_district_setting_is_on(cast, record):
    record(cast.teacher, ORIGINAL)
    outside = record(cast.outsider, ORIGINAL)
    assert not Flag.objects.filter(activity=outside).exists()
    services.save_settings(org=cast.other_school, threshold=0.5, district_wide=True)
    services.check_activity(outside)
    assert Flag.objects.get(activity=outside).score > 0.9


def test_editing_the_text_rechecks_and_clears_the_flag(
    cast, template, record, django_capture_on_commit_callbacks
):
    activity = record(cast.teacher, COPIED)
    assert Flag.objects.filter(activity=activity).exists()
    with django_capture_on_commit_callbacks(execute=True):
        update_activity(activity=activity, by=cast.teacher, on=activity.date, text=ORIGINAL)
    assert not Flag.objects.filter(activity=activity).exists()


def test_threshold_is_per_org(cast, template, record):
    services.save_settings(org=cast.school, threshold=0.95, district_wide=False)
    assert not Flag.objects.filter(activity=record(cast.teacher, COPIED)).exists()


def test_uploaded_docx_is_fingerprinted(cast, template, record, django_capture_on_commit_callbacks):
    activity = record(cast.teacher, "", code="paper", title="论文")
    word = docx.Document()
    for sentence in COPIED.split("。"):
        word.add_paragraph(sentence + "。")
    buffer = io.BytesIO()
    word.save(buffer)
    with django_capture_on_commit_callbacks(execute=True):
        add_attachment(
            activity=activity,
            name="论文.docx",
            data=buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
    flag = Flag.objects.get(activity=activity)
    assert flag.document.source == Document.Source.ATTACHMENT and flag.score >= 0.5


def test_a_reviewer_accepts_a_quotation_only_with_a_reason(cast, template, record):
    flag = Flag.objects.get(activity=record(cast.teacher, COPIED))
    with pytest.raises(ValidationError):
        services.resolve_flag(flag=flag, by=cast.office, status=Flag.Status.ACCEPTED, reason=" ")
    services.resolve_flag(flag=flag, by=cast.office, status="accepted", reason="引用学校制度原文")
    flag.refresh_from_db()
    assert flag.status == Flag.Status.ACCEPTED and flag.resolved_by == cast.office


def test_corpus_texts_stay_apart_and_replace_by_name(cast, template):
    assert template.document.source == Document.Source.CORPUS
    services.add_corpus_text(org=cast.school, name=template.name, text=ORIGINAL)
    assert Document.objects.filter(source="corpus").count() == 1
    assert compare(COPIED, org=cast.school).score < 0.5
    with pytest.raises(ValidationError):
        services.add_corpus_text(org=cast.school, name="短.txt", text="太短了")


def test_district_corpus_reaches_its_schools_but_not_the_other_way(cast):
    services.add_corpus_text(org=cast.district_org, name="区范文.txt", text=TEMPLATE)
    assert compare(COPIED, org=cast.school).score >= 0.5
    services.add_corpus_text(org=cast.school, name="校范文.txt", text=ORIGINAL)
    assert compare(ORIGINAL, org=cast.other_school).score == 0.0


def test_commands_index_a_folder_and_check_a_file(cast, tmp_path, capsys):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "范文一.txt").write_text(TEMPLATE, encoding="gb18030")
    (folder / "说明.pdf").write_bytes(b"%PDF")
    call_command("originality", "index-corpus", str(folder), "--org", "demo")
    assert "1 个文件" in capsys.readouterr().out
    query = tmp_path / "反思.txt"
    query.write_text(COPIED, encoding="utf-8")
    call_command("originality", "check", str(query), "--org", "demo", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"score", "matches"} and data["score"] >= 0.5
    [match] = data["matches"]
    assert match["source"] == "范文一.txt" and match["similarity"] == data["score"]
    assert match["passages"] and {"text", "other"} == set(match["passages"][0])
    query.write_text(ORIGINAL, encoding="utf-8")
    call_command("originality", "check", str(query), "--org", "other", "--format", "json")
    assert json.loads(capsys.readouterr().out) == {"score": 0.0, "matches": []}
