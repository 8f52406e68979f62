import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from keshi.appraisal.models import ArchiveExport, PointEntry, Source
from keshi.records.models import Activity
from keshi.records.tests.factories import ActivityFactory, kind
from keshi.research.models import Level, ResearchProject

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(cast, term):
    t, o = cast.teacher.person, cast.other_teacher.person
    for person, pts, reason in ((t, "1.5", "区级公开课"), (o, "0.3", "李的加分")):
        PointEntry.objects.create(
            org=cast.school,
            person=person,
            date=date(2026, 10, 1),
            points=Decimal(pts),
            reason=reason,
            source=Source.MANUAL,
        )
    ActivityFactory(
        person=t,
        kind=kind("paper"),
        title="大单元教学论文",
        status=Activity.Status.APPROVED,
        data={"level": "区级", "award": "一等奖"},
    )
    ActivityFactory(
        person=t,
        kind=kind("training"),
        quantity=12,
        credits=Decimal("1.5"),
        title="暑期培训",
        data={"organiser": "区进修学校"},
    )
    ResearchProject.objects.create(
        org=cast.school, title="双减背景下的作业设计", level=Level.DISTRICT, leader=t
    )
    return cast


def get(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_ledger_is_scoped(client, data):
    url = reverse("appraisal:index") + "?year=all"
    body = get(client, data.teacher, url).content.decode()
    assert "区级公开课" in body and "李的加分" not in body
    body = get(client, data.lead, url).content.decode()
    assert "区级公开课" in body and "李的加分" in body
    body = get(client, data.outsider, url).content.decode()
    assert "区级公开课" not in body and "还没有考核分" in body
    assert get(client, data.teacher, reverse("appraisal:entry_new")).status_code == 403


def test_office_manual_entry_form(client, data):
    client.force_login(data.office)
    url = reverse("appraisal:entry_new")
    assert client.get(url).status_code == 200
    person = data.teacher.person
    r = client.post(url, {"person": person.pk, "day": "2026-10-02", "points": "2", "reason": ""})
    assert r.status_code == 200 and "这个字段是必填项" in r.content.decode()
    r = client.post(
        url, {"person": person.pk, "day": "2026-10-02", "points": "2", "reason": "获奖"}
    )
    assert r.status_code == 302
    assert PointEntry.objects.filter(reason="获奖", created_by=data.office).count() == 1


def test_archive_scoping(client, data):
    mine = reverse("appraisal:archive", args=[data.teacher.person.pk])
    assert get(client, data.teacher, mine).status_code == 200
    assert get(client, data.other_teacher, mine).status_code == 404
    assert get(client, data.outsider, mine).status_code == 404
    assert (
        get(client, data.outsider, mine.replace("/archive/", "/archive/") + "docx/").status_code
        == 404
    )
    for user in (data.lead, data.office, data.leader):
        body = get(client, user, mine).content.decode()
        assert "大单元教学论文" in body and "双减背景下的作业设计" in body and "1.5" in body


def test_table_and_xlsx(client, data):
    client.force_login(data.office)
    r = client.get(reverse("appraisal:table"))
    assert "张老师" in r.content.decode() and "李老师" in r.content.decode()
    r = client.get(reverse("appraisal:table") + "?format=xlsx&by=group")
    ws = load_workbook(io.BytesIO(r.content)).active
    assert [c.value for c in ws[2]][:4] == ["序号", "教研组", "合计", "条数"]
    assert ws.cell(3, 2).value == "语文组" and ws.cell(3, 3).value == pytest.approx(1.8)
    client.force_login(data.teacher)
    body = client.get(reverse("appraisal:table")).content.decode()
    assert "张老师" in body and "李老师" not in body


def test_archive_docx_content(client, data):
    r = get(client, data.office, reverse("appraisal:archive_docx", args=[data.teacher.person.pk]))
    doc = Document(io.BytesIO(r.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert "张老师 个人业务档案" in text and "累计考核分：1.5" in text
    assert "大单元教学论文" in cells and "区级 一等奖" in cells
    assert "双减背景下的作业设计" in cells and "主持人" in cells
    assert "12 学时" in cells and "区级公开课" in cells


def test_empty_archive_docx_says_what_there_is_none_of(client, data):
    """李老师 has only a manual point entry: no records, 课题 or inspection results."""
    r = get(
        client, data.office, reverse("appraisal:archive_docx", args=[data.other_teacher.person.pk])
    )
    texts = [p.text for p in Document(io.BytesIO(r.content)).paragraphs]
    for heading, sentence in (
        ("二、业务记录汇总", "没有登记业务记录。"),
        ("三、课题研究", "没有主持或参与的课题。"),
        ("四、检查结果", "没有检查评分结果。"),
    ):
        assert texts[texts.index(heading) + 1] == sentence
    assert "累计考核分：0.3" in texts and not any("暂无" in t for t in texts)


def test_group_zip_export_with_progress(client, data, immediate_tasks):
    client.force_login(data.teacher)
    assert client.post(reverse("appraisal:export_start", args=[data.group.pk])).status_code == 404
    client.force_login(data.lead)
    r = client.post(reverse("appraisal:export_start", args=[data.group.pk]))
    job = ArchiveExport.objects.get()
    assert r.url == reverse("appraisal:export", args=[job.pk])
    assert (job.status, job.done, job.total) == ("done", 3, 3)
    body = client.get(r.url, HTTP_HX_REQUEST="true").content.decode()
    assert "已完成 3/3" in body and "hx-trigger" not in body and "下载 zip" in body
    z = zipfile.ZipFile(
        io.BytesIO(client.get(reverse("appraisal:export_download", args=[job.pk])).getvalue())
    )
    names = z.namelist()
    assert len(names) == 3 and any("张老师" in n for n in names)
    doc = Document(io.BytesIO(z.read(next(n for n in names if "张老师" in n))))
    assert "张老师 个人业务档案" in doc.paragraphs[0].text
    client.force_login(data.office)
    assert client.get(reverse("appraisal:export", args=[job.pk])).status_code == 404


def test_pending_status_polls_every_two_seconds(client, data):
    job = ArchiveExport.objects.create(
        org=data.school,
        group=data.group,
        requested_by=data.office,
        total=3,
        done=1,
        status="running",
    )
    body = get(client, data.office, reverse("appraisal:export", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in body and "已完成 1/3" in body


@pytest.mark.skipif(not __import__("shutil").which("soffice"), reason="LibreOffice not installed")
def test_archive_pdf(client, data):
    r = get(client, data.teacher, reverse("appraisal:archive_pdf", args=[data.teacher.person.pk]))
    assert r.status_code == 200 and r.content.startswith(b"%PDF-")
