import io
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from keshi.dispatch import notice, rules, services, states
from keshi.dispatch.models import Dispatch
from keshi.dispatch.tests.helpers import dispatch, fields, school_year

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_list_shows_own_dispatches_only_and_searches(cast):
    mine = dispatch(cast)
    theirs = dispatch(cast, cast.other_teacher, title="省级班主任培训", cross_province=False)
    page = _client(cast.teacher).get(reverse("dispatch:index")).content.decode()
    assert mine.title in page and theirs.title not in page
    page = _client(cast.office).get(reverse("dispatch:index"), {"q": "班主任"}).content.decode()
    assert theirs.title in page and mine.title not in page
    page = _client(cast.office).get(reverse("dispatch:index"), {"state": "reimbursed"})
    assert "没有符合条件的派遣" in page.content.decode()
    page = _client(cast.outsider).get(reverse("dispatch:index")).content.decode()
    assert "您还没有外出培训" in page


def test_search_by_a_teachers_name_lists_each_dispatch_once(cast):
    both = dispatch(cast, cast.teacher, cast.other_teacher, title="市级骨干教师研修")
    dispatch(
        cast,
        cast.other_teacher,
        title="省级班主任培训",
        start_date=date(2026, 11, 16),
        end_date=date(2026, 11, 17),
    )
    response = _client(cast.office).get(reverse("dispatch:index"), {"q": "张老师"})
    assert [d.pk for d in response.context["page"].object_list] == [both.pk]
    response = _client(cast.office).get(reverse("dispatch:index"), {"q": "李老师", "state": "²"})
    assert response.context["page"].paginator.count == 2  # a state it cannot use is dropped


def test_detail_access(cast):
    d = dispatch(cast)
    url = reverse("dispatch:detail", args=[d.pk])
    for user in (cast.teacher, cast.lead, cast.office, cast.leader, cast.district):
        assert _client(user).get(url).status_code == 200, user
    for user in (cast.other_teacher, cast.outsider):
        assert _client(user).get(url).status_code == 404, user
    page = _client(cast.office).get(url).content.decode()
    assert f"{reverse('cover:absences')}?reference=dispatch:{d.pk}" in page
    edit = reverse("dispatch:edit", args=[d.pk])
    assert _client(cast.office).get(edit).status_code == 200
    for user in (cast.leader, cast.district, cast.teacher):
        assert _client(user).get(edit).status_code == 403, user
    assert _client(cast.leader).get(reverse("dispatch:create")).status_code == 403
    assert _client(cast.leader).get(reverse("dispatch:request_create")).status_code == 403


def test_teacher_requests_office_returns_then_approves(cast):
    school_year(cast.school)
    data = {k: v for k, v in fields(request_comment="请批准").items() if v is not False}
    response = _client(cast.teacher).post(reverse("dispatch:request_create"), data)
    d = Dispatch.objects.get()
    assert response.status_code == 302 and d.state == states.REQUESTED
    bad = dict(data, end_date="2026-10-30")
    response = _client(cast.teacher).post(reverse("dispatch:request_create"), bad)
    assert "不能早于开始日期" in response.content.decode()
    url = reverse("dispatch:transition", args=[d.pk])
    assert _client(cast.teacher).post(url, {"target": "dispatched"}).status_code == 403
    assert _client(cast.leader).post(url, {"target": "dispatched"}).status_code == 403
    response = _client(cast.office).post(url, {"target": "returned_for_changes"}, follow=True)
    assert "退回申请时请填写退回意见" in response.content.decode()
    _client(cast.office).post(url, {"target": "returned_for_changes", "comment": "补充通知"})
    _client(cast.teacher).post(url, {"target": "requested"})
    _client(cast.office).post(url, {"target": "dispatched"})
    d.refresh_from_db()
    assert d.state == states.DISPATCHED
    page = _client(cast.teacher).get(reverse("dispatch:detail", args=[d.pk])).content.decode()
    assert "补充通知" in page and "批准派遣" not in page  # the transition log keeps the comment


def test_office_creates_directly(cast):
    school_year(cast.school)
    data = {k: v for k, v in fields().items() if v is not False}
    data["teachers"] = [cast.teacher.person.pk, cast.other_teacher.person.pk]
    response = _client(cast.office).post(reverse("dispatch:create"), data)
    d = Dispatch.objects.get()
    assert response.status_code == 302 and d.state == states.DISPATCHED
    assert d.members.count() == 2 and d.notice_parts.count() == 5  # 2 × 第一联 + 3


def test_notice_docx_has_four_pages_with_serial_and_codes(cast):
    d = dispatch(cast)
    response = _client(cast.office).get(reverse("dispatch:notice_docx", args=[d.pk]))
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.content))
    body = "\n".join(p.text for p in doc.paragraphs)
    assert body.count("2026-派-0001") == 4
    for label in ("第一联", "第二联", "第三联", "第四联"):
        assert label in body
    breaks = sum(
        1
        for p in doc.paragraphs
        for r in p.runs
        if 'w:br w:type="page"' in r._r.xml or 'w:type="page"' in r._r.xml
    )
    assert breaks == 3  # four pages
    for part in d.notice_parts.all():
        assert notice.code(d, part) in body
    # the teacher may not take the whole notice, only see their own 联
    assert (
        _client(cast.teacher).get(reverse("dispatch:notice_docx", args=[d.pk])).status_code == 403
    )
    page = _client(cast.teacher).get(reverse("dispatch:notice", args=[d.pk])).content.decode()
    assert "第一联" in page and "第二联" not in page


def test_receivers_acknowledge_their_own_part(cast):
    d = dispatch(cast)
    first = d.notice_parts.get(part=1)
    second = d.notice_parts.get(part=2)
    assert (
        _client(cast.other_teacher)
        .post(reverse("dispatch:acknowledge", args=[first.pk]))
        .status_code
        == 404
    )
    assert (
        _client(cast.teacher).post(reverse("dispatch:acknowledge", args=[second.pk])).status_code
        == 404
    )
    assert (
        _client(cast.leader).post(reverse("dispatch:acknowledge", args=[second.pk])).status_code
        == 403
    )
    _client(cast.teacher).post(reverse("dispatch:acknowledge", args=[first.pk]))
    _client(cast.office).post(reverse("dispatch:acknowledge", args=[second.pk]))
    first.refresh_from_db(), second.refresh_from_db()
    assert first.acknowledged_by == cast.teacher and second.acknowledged_by == cast.office


def test_verify_page(cast):
    d = dispatch(cast)
    part = d.notice_parts.get(part=2)
    url = reverse("dispatch:verify")
    good = _client(cast.office).get(url, {"serial": d.serial, "code": notice.code(d, part)})
    assert "真实有效" in good.content.decode() and "第二联" in good.content.decode()
    bad = _client(cast.office).get(url, {"serial": d.serial, "code": "AAAAAAAA"})
    assert "编号与验证码不符" in bad.content.decode()
    # changing the printed dates changes the code
    code = notice.code(d, part)
    Dispatch.objects.filter(pk=d.pk).update(end_date=date(2026, 11, 5))
    d.refresh_from_db()
    assert notice.code(d, part) != code


def test_record_docx_and_attendance(cast):
    d = dispatch(cast)
    m = d.members.get()
    url = reverse("dispatch:record_docx", args=[m.pk])
    assert _client(cast.other_teacher).get(url).status_code == 404
    doc = Document(io.BytesIO(_client(cast.teacher).get(url).content))
    text = "\n".join(p.text for p in doc.paragraphs) + "".join(
        c.text for t in doc.tables for row in t.rows for c in row.cells
    )
    assert "教师专业发展培训记录表" in text and "张老师" in text and d.serial in text
    attend = reverse("dispatch:confirm_attendance", args=[m.pk])
    assert _client(cast.teacher).post(attend).status_code == 403
    _client(cast.teacher).post(reverse("dispatch:mark_returned", args=[m.pk]))
    _client(cast.office).post(attend)
    _client(cast.office).post(attend)
    m.refresh_from_db()
    assert m.training_record is not None


def test_reimbursement_list_moves_from_blocked_to_cleared(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    d = dispatch(cast, cross_province=False)
    url = reverse("dispatch:reimbursement")
    assert _client(cast.teacher).get(url).status_code == 403
    page = _client(cast.office).get(url).content.decode()
    assert "暂缓报销" in page and "未返校" in page
    m = d.members.get()
    services.mark_returned(member=m, by=cast.teacher)
    for ob in d.obligations.all():
        if ob.kind == rules.REPORT:
            services.confirm_obligation(obligation=ob, by=cast.office, note="已汇报")
        else:
            services.meet_with_file(
                obligation=ob, name="a.pdf", content=b"%PDF-1.4", by=cast.teacher
            )
    d.refresh_from_db()
    assert d.state == states.REIMBURSABLE
    response = _client(cast.leader).get(reverse("dispatch:reimbursement_xlsx"))
    ws = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in ws[2]][2:3] == ["张老师"] and ws.cell(2, 7).value == "可报销"


def test_obligation_upload_and_link(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    d = dispatch(cast)
    ob = d.obligations.get(kind=rules.NEWS)
    url = reverse("dispatch:obligation_edit", args=[ob.pk])
    assert _client(cast.other_teacher).get(url).status_code == 404
    assert _client(cast.leader).get(url).status_code == 403
    services.mark_returned(member=d.members.get(), by=cast.teacher)
    from django.core.files.uploadedfile import SimpleUploadedFile

    exe = SimpleUploadedFile("news.pdf", b"MZ\x90\x00" + b"\x00" * 50)
    response = _client(cast.teacher).post(url, {"how": "upload", "file": exe})
    assert "不能作为附件上传" in response.content.decode()
    pdf = SimpleUploadedFile("news.pdf", b"%PDF-1.4\n%%EOF\n")
    response = _client(cast.teacher).post(url, {"how": "upload", "file": pdf})
    assert response.status_code == 302
    ob.refresh_from_db()
    assert ob.is_met and ob.file_name == "news.pdf"
    assert (
        _client(cast.office).get(reverse("dispatch:obligation_file", args=[ob.pk])).status_code
        == 200
    )


def test_overdue_list(cast):
    d = dispatch(cast)
    services.mark_returned(member=d.members.get(), by=cast.teacher)
    response = _client(cast.office).get(reverse("dispatch:overdue"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "返校汇报" in page  # 2026-11-11 is past for every run of this suite after that day
    assert _client(cast.teacher).get(reverse("dispatch:overdue")).status_code == 403


def test_return_is_offered_only_once_the_training_has_started(cast):
    ahead = dispatch(cast, start_date=date(2027, 1, 11), end_date=date(2027, 1, 12))
    member = ahead.members.get()
    client = _client(cast.teacher)
    page = client.get(reverse("dispatch:detail", args=[ahead.pk])).content.decode()
    assert "培训开始后登记返校" in page
    assert reverse("dispatch:mark_returned", args=[member.pk]) not in page
    response = client.post(reverse("dispatch:mark_returned", args=[member.pk]), follow=True)
    assert "还不能登记返校" in response.content.decode()
    member.refresh_from_db()
    assert member.returned_at is None
