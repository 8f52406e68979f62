"""The office's path through the pages: create an exam, classes from the timetable, import a
score sheet (preview, confirm, all-or-nothing), the analysis page, Word and Excel, the
试卷分析 owed, and a delete that asks for confirmation and is audited."""

import io
import time
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from docx import Document
from openpyxl import load_workbook

from keshi.cover.tests.factories import lesson, make_term
from keshi.exams import selectors
from keshi.exams.models import ClassTeacher, Exam, Score, Student
from keshi.exams.tests.helpers import CLASSES, class_column_sheet, exam, per_class_sheets, person
from keshi.notify.deadlines import by_person

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(client, e, data: bytes, name="成绩.xlsx"):
    response = client.post(
        f"/exams/{e.pk}/import/", {"file": SimpleUploadedFile(name, data, content_type=XLSX)}
    )
    assert response.status_code == 302, response.content.decode()
    return response["Location"]


def test_office_creates_an_exam_with_classes_from_the_timetable(client, cast):
    term = make_term(cast.school)
    lesson(term, person(cast.teacher), 1, 1, class_name="初一(1)班", subject="语文")
    lesson(term, person(cast.teacher), 1, 2, class_name="初一(1)班", subject="语文")
    lesson(term, person(cast.other_teacher), 2, 1, class_name="初一(1)班", subject="语文")
    lesson(term, person(cast.other_teacher), 2, 2, class_name="初一(2)班", subject="数学")
    lesson(term, person(cast.lead), 2, 3, class_name="高一(1)班", subject="语文")
    client.force_login(cast.office)
    bad = client.post(
        "/exams/new/",
        {
            "term": term.pk,
            "name": "期中",
            "kind": "midterm",
            "grade": "初一",
            "start_date": "2025-11-10",
            "end_date": "2025-11-09",
            "subjects": "语文 abc",
        },
    )
    body = bad.content.decode()
    assert "结束日期不能早于开考日期" in body and "第1行应为“科目名 满分”" in body
    response = client.post(
        "/exams/new/",
        {
            "term": term.pk,
            "name": "初一期中",
            "kind": "midterm",
            "grade": "初一",
            "start_date": "2025-11-10",
            "end_date": "2025-11-11",
            "subjects": "语文 150\n数学：120\n英语",
        },
    )
    e = Exam.objects.get(name="初一期中")
    assert response["Location"] == f"/exams/{e.pk}/"
    assert [(s.subject, s.full_mark) for s in e.subjects.all()] == [
        ("语文", 150),
        ("数学", 120),
        ("英语", 100),
    ]
    client.post(f"/exams/{e.pk}/classes/", {"from_timetable": "1"})
    teachers = set(
        ClassTeacher.objects.values_list("school_class__name", "subject", "person__name")
    )
    assert teachers == {("初一(1)班", "语文", "张老师"), ("初一(2)班", "数学", "李老师")}
    client.force_login(cast.teacher)
    assert client.get("/exams/new/").status_code == 403
    assert client.get(f"/exams/{e.pk}/").status_code == 200  # public in the school
    client.force_login(cast.outsider)
    assert client.get(f"/exams/{e.pk}/").status_code == 404


def test_import_is_all_or_nothing_then_preview_confirm_and_analysis(client, cast):
    e = exam(cast)
    client.force_login(cast.office)
    bad = class_column_sheet([[CLASSES[0], "1001", "甲", 151, 80, None]])
    page = client.get(upload(client, e, bad)).content.decode()
    assert "工作表“成绩”第2行D列：语文：分数 151 超过满分 150" in page
    assert client.post(upload(client, e, bad)).status_code == 200  # a confirm writes nothing
    assert not Student.objects.exists() and not Score.objects.exists()
    preview = upload(client, e, per_class_sheets())
    page = client.get(preview).content.decode()
    assert "共 5 名学生" in page and not Score.objects.exists()
    other = Client()  # another user cannot confirm the office's upload
    other.force_login(cast.other_teacher)
    assert other.post(preview).status_code == 404
    assert client.post(preview)["Location"] == f"/exams/{e.pk}/analysis/"
    assert Score.objects.filter(subject__exam=e).count() == 10
    e.refresh_from_db()
    assert e.scores_imported_at is not None
    started = time.perf_counter()
    page = client.get(f"/exams/{e.pk}/analysis/?subject=语文")
    assert time.perf_counter() - started < 2  # the budget is 300 ms; a loaded CI box is slower
    body = page.content.decode()
    assert "全年级" in body and "105.0" in body  # 初一(1)班 语文: (120 + 90) / 2
    assert "张老师" in body
    report = client.get(f"/exams/{e.pk}/report.docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(report.content)).paragraphs)
    assert "初一期中考试质量分析报告" in text and "年级概况" in text
    tables = load_workbook(io.BytesIO(client.get(f"/exams/{e.pk}/tables.xlsx").content))
    assert tables.sheetnames == ["各班统计", "分数段", "任课教师"]
    assert tables["各班统计"]["B2"].value == CLASSES[0]
    client.force_login(cast.teacher)  # a 任课教师 of the exam reads the analysis
    assert client.get(f"/exams/{e.pk}/analysis/").status_code == 200
    client.force_login(cast.lead)  # not teaching this grade
    assert client.get(f"/exams/{e.pk}/analysis/").status_code == 403


def test_progress_against_the_previous_exam_of_the_grade(client, cast):
    first = exam(cast, start=date(2025, 10, 10), name="十月月考", kind="monthly")
    from keshi.exams import services

    services.import_scores(exam=first, filename="a.xlsx", data=per_class_sheets(), dry_run=False)
    second = exam(cast, classes=False)
    swapped = class_column_sheet(
        [[CLASSES[1], "1001", "甲", 150, 90, None], [CLASSES[0], "2001", "丁", 10, 90, None]]
    )
    # 1001 sat in 初一(1)班 this term: a student in two classes is refused …
    report = services.import_scores(exam=second, filename="b.xlsx", data=swapped, dry_run=False)
    assert [str(x) for x in report.errors][0].startswith("工作表“成绩”第2行B列：学生同时在两个班级")
    ok = class_column_sheet(
        [[CLASSES[0], "1001", "甲", 10, 90, None], [CLASSES[1], "2001", "丁", 150, 90, None]]
    )
    assert services.import_scores(exam=second, filename="b.xlsx", data=ok, dry_run=False).written
    assert selectors.previous_exam(second) == first
    table = selectors.exam_analysis(second).classes
    one = table[(table["subject"] == "语文") & (table["class"] == CLASSES[0])].iloc[0]
    assert (one["rank"], one.prev_rank, one.rank_change) == (2, 1, -1)
    two = table[(table["subject"] == "语文") & (table["class"] == CLASSES[1])].iloc[0]
    assert two.diff_change > 0


def test_paper_analysis_owed_recorded_and_reminded(client, cast):
    e = exam(cast)
    from keshi.exams import services

    services.import_scores(exam=e, filename="a.xlsx", data=per_class_sheets(), dry_run=False)
    owed = {(o.person.name, o.subject): o.done for o in selectors.paper_analyses(e)}
    assert owed == {("张老师", "语文"): False, ("李老师", "数学"): False}
    due = selectors.paper_analysis_due(e)
    assert ("试卷分析·初一期中考试·语文", due) in by_person(cast.school, date.today())[
        person(cast.teacher).pk
    ]
    client.force_login(cast.teacher)
    missing = client.post(f"/exams/{e.pk}/paper-analyses/new/", {"subject": "语文"})
    assert "请填写试卷评价" in missing.content.decode()
    client.post(
        f"/exams/{e.pk}/paper-analyses/new/",
        {
            "subject": "语文",
            "evaluation": "难度适中",
            "results": "均分105",
            "problems": "作文偏弱",
            "measures": "加强写作",
        },
    )
    owed = {(o.person.name, o.subject): o.done for o in selectors.paper_analyses(e)}
    assert owed == {("张老师", "语文"): True, ("李老师", "数学"): False}
    client.force_login(cast.office)
    page = client.get(f"/exams/{e.pk}/paper-analyses/").content.decode()
    assert "已提交" in page and "未提交" in page
    client.force_login(cast.teacher)
    mine = client.get(f"/exams/{e.pk}/paper-analyses/").content.decode()
    assert "张老师" in mine and "李老师" not in mine  # a teacher sees their own rows
    client.force_login(cast.lead)  # teaches nothing in the exam
    assert client.get(f"/exams/{e.pk}/paper-analyses/new/").status_code == 403


def test_deleting_an_exam_with_scores_asks_for_its_name_and_is_audited(client, cast):
    e = exam(cast)
    from keshi.exams import services

    services.import_scores(exam=e, filename="a.xlsx", data=per_class_sheets(), dry_run=False)
    client.force_login(cast.leader)
    assert client.post(f"/exams/{e.pk}/delete/", {"confirm": e.name}).status_code == 403
    client.force_login(cast.office)
    response = client.post(f"/exams/{e.pk}/delete/", {"confirm": "不对"})
    assert "考试名称不一致" in response.content.decode() and Exam.objects.filter(pk=e.pk).exists()
    client.post(f"/exams/{e.pk}/delete/", {"confirm": e.name})
    assert not Exam.objects.filter(pk=e.pk).exists() and not Score.objects.exists()
    deleted = Exam.history.filter(id=e.pk, history_type="-").get()
    assert deleted.history_user == cast.office
