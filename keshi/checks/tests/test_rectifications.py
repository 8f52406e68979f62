"""整改: the 责任人 is notified, sees 我的整改 (逾期 marked), closes with a note and an evidence
file; the evidence is downloadable by the 责任人, the inspection's inspectors and the office
only."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from keshi.checks import services
from keshi.checks.models import Rectification
from keshi.checks.selectors import open_rectifications_by_person
from keshi.checks.tests.factories import builtin, inspection, person
from keshi.notify.models import Notification
from keshi.records.tests.factories import EXE, PDF, PNG


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _item(cast, ins=None, *, who=None, due=None, text="补写教学反思"):
    return services.add_rectification(
        inspection=ins or inspection(cast),
        text=text,
        responsible=person(who or cast.teacher),
        due=due or timezone.localdate() + timedelta(days=7),
    )


def _close(item, by, **kw):
    values = {"note": "已补写 3 篇", "evidence_name": "反思.pdf", "evidence": PDF}
    values.update(kw)
    return services.close_rectification(
        rectification=item, closed_on=timezone.localdate(), by=by, **values
    )


def test_adding_notifies_the_responsible_person(cast):
    item = _item(cast)
    note = Notification.objects.get(person=person(cast.teacher))
    assert note.user == cast.teacher and "补写教学反思" in note.title
    assert note.link == reverse("checks:my_rectifications") and "前完成" in note.body
    assert item.due > timezone.localdate()


def test_closing_needs_note_and_evidence(cast):
    item = _item(cast)
    with pytest.raises(ValidationError) as exc:
        _close(item, cast.office, note="", evidence=b"")
    assert set(exc.value.message_dict) == {"closure_note", "evidence"}
    for name, data, message in (
        ("a.pdf", EXE, "可执行程序"),
        ("a.pdf", PNG, "扩展名与内容不符"),
        ("a.txt", b"hello", "文件类型不支持"),
    ):
        with pytest.raises(ValidationError, match=message):
            _close(item, cast.office, evidence_name=name, evidence=data)
    item.refresh_from_db()
    assert item.closed_on is None and not item.evidence
    _close(item, cast.office, evidence_name="照片.png", evidence=PNG)
    item.refresh_from_db()
    assert item.closed_on and item.evidence_type == "image/png" and item.evidence_size == len(PNG)
    with pytest.raises(ValidationError, match="已经销号"):
        _close(item, cast.office)


def test_evidence_is_size_limited(cast, settings):
    settings.KESHI_MAX_UPLOAD_BYTES = len(PDF) - 1
    with pytest.raises(ValidationError, match="过大"):
        _close(_item(cast), cast.office)


def test_my_rectifications_page_marks_overdue_and_closes(client, cast):
    late = _item(cast, due=timezone.localdate() - timedelta(days=1), text="补交听课记录")
    _item(cast, text="完善教案")
    _item(cast, who=cast.other_teacher, text="李老师的整改")
    client.force_login(cast.teacher)
    body = client.get(reverse("checks:my_rectifications")).content.decode()
    assert "补交听课记录" in body and "完善教案" in body and "李老师的整改" not in body
    assert "逾期" in body and 'enctype="multipart/form-data"' in body
    url = reverse("checks:my_rectification_close", args=[late.pk])
    client.post(url, {"closed_on": "2026-12-01", "closure_note": "已补交"})  # no file
    late.refresh_from_db()
    assert late.closed_on is None
    bad = SimpleUploadedFile("记录.pptx", PDF)
    response = client.post(
        url, {"closed_on": "2026-12-01", "closure_note": "已补交", "evidence": bad}
    )
    late.refresh_from_db()
    assert late.closed_on is None and response.status_code == 302
    evidence = SimpleUploadedFile("听课记录.pdf", PDF)
    client.post(url, {"closed_on": "2026-12-01", "closure_note": "已补交", "evidence": evidence})
    late.refresh_from_db()
    assert late.closed_on == date(2026, 12, 1) and late.closed_by == cast.teacher
    assert late.evidence_name == "听课记录.pdf"
    overdue = client.get(reverse("checks:my_rectifications"), {"status": "overdue"})
    assert "补交听课记录" not in overdue.content.decode()


def test_refusals_for_closing_and_evidence(client, cast):
    ins = inspection(cast, inspectors=[person(cast.lead)])
    item = _item(cast, ins)
    for user in (cast.other_teacher, cast.outsider, cast.office, cast.leader):
        client.force_login(user)
        evidence = SimpleUploadedFile("a.pdf", PDF)
        response = client.post(
            reverse("checks:my_rectification_close", args=[item.pk]),
            {"closed_on": "2026-12-01", "closure_note": "x", "evidence": evidence},
        )
        assert response.status_code == 404, user
    item.refresh_from_db()
    assert item.closed_on is None
    download = reverse("checks:rectification_evidence", args=[item.pk])
    client.force_login(cast.teacher)
    assert client.get(download).status_code == 404  # nothing uploaded yet
    _close(item, cast.teacher)
    for user in (cast.teacher, cast.lead, cast.office):  # 责任人, inspector, office
        client.force_login(user)
        response = client.get(download)
        assert response.status_code == 200, user
        assert b"".join(response.streaming_content) == PDF
    for user in (cast.other_teacher, cast.leader, cast.district, cast.outsider):
        client.force_login(user)
        assert client.get(download).status_code == 404, user
    client.logout()
    assert client.get(download).status_code == 302


def test_office_sees_open_closed_overdue_with_evidence(client, cast):
    ins = inspection(cast)
    done = _item(cast, ins, text="已完成的整改")
    _close(done, cast.teacher)
    _item(cast, ins, who=cast.other_teacher, due=date(2020, 1, 1), text="逾期的整改")
    _item(cast, ins, text="进行中的整改")
    client.force_login(cast.office)
    body = client.get(reverse("checks:inspection", args=[ins.pk])).content.decode()
    assert "整改中 2 · 逾期 1 · 已销号 1" in body
    assert reverse("checks:rectification_evidence", args=[done.pk]) in body
    listing = client.get(reverse("checks:rectifications"), {"status": "overdue"}).content.decode()
    assert "逾期的整改" in listing and "进行中的整改" not in listing and "李老师" in listing
    # the office closes from the inspection page, with evidence too
    open_item = Rectification.objects.get(text="进行中的整改")
    url = reverse("checks:rectification_close", args=[ins.pk, open_item.pk])
    client.post(url, {"closed_on": "2026-12-01", "closure_note": "已查"})
    open_item.refresh_from_db()
    assert open_item.closed_on is None
    client.post(
        url,
        {
            "closed_on": "2026-12-01",
            "closure_note": "已查",
            "evidence": SimpleUploadedFile("a.pdf", PDF),
        },
    )
    open_item.refresh_from_db()
    assert open_item.closed_on == date(2026, 12, 1)
    client.force_login(cast.outsider)
    assert "逾期的整改" not in client.get(reverse("checks:rectifications")).content.decode()


def test_open_rectifications_by_person(cast):
    ins = inspection(cast)
    first = _item(cast, ins, due=date(2026, 12, 20), text="甲")
    _item(cast, ins, due=date(2026, 12, 10), text="乙")
    _close(_item(cast, ins, text="已销号"), cast.office)
    services.add_rectification(
        inspection=inspection(cast, title="月查"),
        text="丙",
        responsible=person(cast.other_teacher),
        due=date(2026, 12, 1),
    )
    elsewhere = services.save_inspection(
        org=cast.other_school,
        by=None,
        title="外校检查",
        kind="monthly",
        rubric=builtin(),
        people=[person(cast.outsider)],
    )
    _item(cast, elsewhere, who=cast.outsider, text="外校的整改")
    got = open_rectifications_by_person(cast.school)
    assert got[person(cast.teacher).pk] == [
        ("整改·乙", date(2026, 12, 10)),
        ("整改·甲", first.due),
    ]
    assert got[person(cast.other_teacher).pk] == [("整改·丙", date(2026, 12, 1))]
    assert person(cast.outsider).pk not in got
    assert open_rectifications_by_person(cast.other_school) == {
        person(cast.outsider).pk: [("整改·外校的整改", timezone.localdate() + timedelta(days=7))]
    }
