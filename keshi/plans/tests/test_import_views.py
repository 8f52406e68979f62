"""Import pages: the file check by content, the preview, the all-or-nothing confirm, scoping."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from keshi.calendar.services import create_school_year
from keshi.org.tests.factories import PersonFactory
from keshi.plans.imports import MAX_BYTES, ImportRejected, file_type, read_plan
from keshi.plans.models import CalendarItem, Duty, Plan, PlanSection, Suggestion

PLAN = """2025学年第一学期教科室工作计划

一、指导思想
以课堂为主阵地，提升教师专业素养。

二、工作目标
教龄不足三年者每学期听课不少于15节；40周岁以下教师每周博客至少更新一次。
每月写一篇教学反思，不得少于800字。每学年完成73学分培训。

三、工作分工
陈刚：负责教科室日常事务和师资培训。
周明：负责课题研究。

四、行事历
9月份：
1、制定计划。
第3周：青年教师汇报课。
十月：
1、教学常规检查。
"""


@pytest.fixture
def term(cast):
    return create_school_year(org=cast.school, start_year=2025).terms.get(number=1)


def upload(client, name, data, org=None):
    url = reverse("plans:import") + (f"?org={org.pk}" if org else "")
    return client.post(url, {"file": SimpleUploadedFile(name, data)})


def docx(text: str) -> bytes:
    from docx import Document

    document = Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_file_type_by_content():
    assert file_type("a.txt", PLAN.encode("utf-8")) == "txt"
    assert file_type("a.txt", PLAN.encode("gbk")) == "txt"
    assert file_type("plan", docx(PLAN)) == "docx"  # no extension: the content decides
    assert file_type("a.txt", docx(PLAN)) == "docx"


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("a.txt", b"", "空文件"),
        ("a.docx", b"%PDF-1.4 ...", "PDF"),
        ("a.doc", b"\xd0\xcf\x11\xe0" + b"\0" * 100, ".docx"),
        ("a.txt", bytes(range(256)) * 4, "既不是"),
        ("a.docx", b"PK\x03\x04 not really a zip", "不是 Word"),
    ],
)
def test_bad_files_are_refused_in_chinese(name, data, message):
    with pytest.raises(ImportRejected, match=message):
        file_type(name, data)


def test_zip_that_is_not_word_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<x/>")
    with pytest.raises(ImportRejected, match="不是 Word"):
        file_type("表.docx", buffer.getvalue())


def test_too_large_is_refused():
    with pytest.raises(ImportRejected, match="过大"):
        file_type("a.txt", b"a" * (MAX_BYTES + 1))


def test_read_plan_title_and_horizon():
    reading = read_plan("x.txt", PLAN.encode())
    assert reading.title == "2025学年第一学期教科室工作计划"
    assert reading.horizon == "term"


def test_upload_preview_confirm(client, cast, term):
    PersonFactory(org=cast.school, name="陈刚")
    PersonFactory(org=cast.other_school, name="周明")  # same name in another school: no match
    client.force_login(cast.office)
    response = upload(client, "计划.txt", PLAN.encode("gbk"), cast.school)
    assert response.status_code == 302
    preview = client.get(response["Location"])
    body = preview.content.decode()
    for text in ("指导思想", "陈刚", "已匹配", "第3周", "10月", "每学年", "学分"):
        assert text in body, text
    assert "2025学年第一学期教科室工作计划" in body  # the title is prefilled
    assert not Plan.objects.exists()  # the preview writes nothing

    confirm = client.post(response["Location"], {"title": "本学期计划", "term": term.pk})
    plan = Plan.objects.get()
    assert confirm["Location"] == reverse("plans:suggestions", args=[plan.pk])
    assert list(plan.sections.values_list("kind", flat=True)) == [
        "guiding",
        "goals",
        "duties",
        "calendar",
    ]
    chen, zhou = plan.duties.order_by("position")
    assert chen.person.name == "陈刚" and chen.person_name == ""
    assert zhou.person is None and zhou.person_name == "周明"
    items = {i.title: i for i in CalendarItem.objects.filter(plan=plan)}
    assert items["制定计划。"].month == 9
    assert items["青年教师汇报课。"].week == 3 and items["青年教师汇报课。"].month is None
    assert items["教学常规检查。"].month == 10
    suggestions = plan.suggestions.filter(kind=Suggestion.Kind.REQUIREMENT)
    assert suggestions.count() >= 4
    blog = suggestions.get(source__contains="博客")
    assert blog.data["audience"] == {"age_max": 40} and blog.data["period"] == "week"
    # the upload is forgotten after the confirm
    assert client.get(response["Location"]).status_code == 404


def test_docx_upload_gives_the_same_plan(client, cast, term):
    client.force_login(cast.office)
    response = upload(client, "计划.docx", docx(PLAN), cast.school)
    client.post(response["Location"], {"title": "Word 计划", "term": term.pk})
    plan = Plan.objects.get()
    assert plan.source_name == "计划.docx"
    assert plan.duties.count() == 2 and plan.calendar_items.count() == 3


def test_bad_upload_shows_error_and_writes_nothing(client, cast, term):
    client.force_login(cast.office)
    response = upload(client, "计划.docx", b"%PDF-1.7 binary", cast.school)
    assert response.status_code == 200
    assert "PDF 文件" in response.content.decode()
    assert not Plan.objects.exists()


def test_confirm_with_a_foreign_term_writes_nothing(client, cast, term):
    client.force_login(cast.office)
    response = upload(client, "计划.txt", PLAN.encode(), cast.school)
    other_term = create_school_year(org=cast.other_school, start_year=2025).terms.first()
    refused = client.post(response["Location"], {"title": "x", "term": other_term.pk})
    assert refused.status_code == 200  # another school's term is not a choice
    assert not Plan.objects.exists()
    assert "请选择" in refused.content.decode() or "有效" in refused.content.decode()


def test_import_fails_halfway_writes_nothing(cast, term):
    """A calendar item the database refuses (13月) comes after the plan, its sections and its
    分工 were written: all of them are rolled back."""
    from django.core.exceptions import ValidationError

    from keshi.plans.extraction import Extraction
    from keshi.plans.imports import import_plan

    extraction = read_plan("x.txt", PLAN.encode()).extraction
    broken = Extraction(
        extraction.requirements,
        extraction.targets,
        {
            **extraction.structure,
            "calendar": [{"when": "13月", "text": "不存在的月份", "months": [13], "weeks": []}],
        },
    )
    with pytest.raises(ValidationError):
        import_plan(org=cast.school, user=None, extraction=broken, title="x", term=term)
    assert not Plan.objects.exists()
    assert not PlanSection.objects.exists() and not Duty.objects.exists()
    assert not Suggestion.objects.exists()


@pytest.mark.parametrize("who, code", [("leader", 403), ("teacher", 403), ("district", 403)])
def test_only_office_imports(client, cast, who, code):
    client.force_login(getattr(cast, who))
    assert client.get(reverse("plans:import")).status_code == code
    assert upload(client, "a.txt", PLAN.encode()).status_code == code


def test_someone_elses_upload_token_is_404(client, cast, term):
    client.force_login(cast.office)
    location = upload(client, "计划.txt", PLAN.encode(), cast.school)["Location"]
    client.force_login(cast.leader)
    assert client.get(location).status_code == 404
    client.force_login(cast.outsider)
    assert client.get(location).status_code == 404
    assert client.get(reverse("plans:import_preview", args=["..etc"])).status_code == 404


def test_outsider_cannot_import_into_demo(client, cast):
    client.force_login(cast.outsider)
    assert upload(client, "a.txt", PLAN.encode(), cast.school).status_code == 403
