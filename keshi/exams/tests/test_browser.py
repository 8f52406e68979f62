"""The exam in a real browser: the office creates it and its classes, the 命题人 hands in the
paper, the reviewer finalises it, the office imports a score sheet and reads the analysis, the
任课教师 hands in a 试卷分析 and the office sees who still owes one."""

from datetime import timedelta

import pytest
from django.utils import timezone

from keshi.calendar.models import SchoolYear, Term
from keshi.exams import services
from keshi.exams.models import Exam
from keshi.exams.tests.helpers import per_class_sheets, person
from keshi.tests.browser import login, screenshot

PASSWORD = "pass-keshi-123"


def _term(org) -> Term:
    today = timezone.localdate()
    year = SchoolYear.objects.create(
        org=org,
        start_year=today.year,
        start=today - timedelta(days=60),
        end=today + timedelta(days=300),
    )
    return Term.objects.create(
        school_year=year, number=1, start=today - timedelta(days=60), end=today + timedelta(days=60)
    )


def _submit(page):
    page.click("main form[novalidate] button[type=submit]")
    page.wait_for_load_state("networkidle")


@pytest.mark.browser
def test_exam_from_creation_to_analysis(
    transactional_db, cast, live_server, browser_page, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    term = _term(cast.school)
    page, base = browser_page, live_server.url
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    start = timezone.localdate() + timedelta(days=7)

    login(page, base, "office", PASSWORD)
    page.goto(f"{base}/exams/new/")
    page.select_option("select[name=term]", str(term.pk))
    page.fill("input[name=name]", "初一期中考试")
    page.select_option("select[name=kind]", "midterm")
    page.fill("input[name=grade]", "初一")
    page.fill("input[name=start_date]", start.isoformat())
    page.fill("input[name=end_date]", start.isoformat())
    page.fill("textarea[name=subjects]", "语文 150\n数学 100")
    _submit(page)
    exam = Exam.objects.get(name="初一期中考试")
    page.goto(f"{base}/exams/{exam.pk}/classes/")
    page.fill("textarea[name=names]", "初一(1)班、初一(2)班")
    _submit(page)
    assert "初一(2)班" in page.inner_text("#classes-table")
    for school_class in services.add_classes(
        org=cast.school, term=term, grade="初一", names=["初一(1)班", "初一(2)班"]
    ):
        services.set_teachers(
            school_class=school_class,
            teachers={"语文": person(cast.teacher), "数学": person(cast.other_teacher)},
        )
    paper = services.assign_paper(
        subject=exam.subjects.get(subject="语文"),
        setter=person(cast.teacher),
        reviewer=person(cast.lead),
        submit_due=start - timedelta(days=3),
    )

    page.context.clear_cookies()
    login(page, base, "teacher", PASSWORD)
    page.goto(f"{base}/exams/papers/{paper.pk}/")
    pdf = tmp_path / "语文试卷.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    page.set_input_files("input[name=v-file]", str(pdf))
    page.click("#upload-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "已提交" in page.inner_text("#paper-status")

    page.context.clear_cookies()
    login(page, base, "lead", PASSWORD)
    page.goto(f"{base}/exams/papers/{paper.pk}/")
    page.check("input[name=r-decision][value=final]")
    page.fill("textarea[name=r-comment]", "难度适中，同意定稿")
    page.click("#review-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "定稿" in page.inner_text("#paper-status")
    screenshot(page, "exams-paper")

    page.context.clear_cookies()
    login(page, base, "office", PASSWORD)
    page.goto(f"{base}/exams/{exam.pk}/import/")
    sheet = tmp_path / "成绩.xlsx"
    sheet.write_bytes(per_class_sheets())
    page.set_input_files("input[name=file]", str(sheet))
    _submit(page)
    assert "共 5 名学生" in page.inner_text("#import-summary")
    page.click("#confirm-import")
    page.wait_for_load_state("networkidle")
    assert "全年级" in page.inner_text("#class-table")
    page.wait_for_selector("#chart-classes canvas")
    screenshot(page, "exams-analysis")

    page.context.clear_cookies()
    login(page, base, "teacher", PASSWORD)
    page.goto(f"{base}/exams/{exam.pk}/paper-analyses/new/")
    for name, text in (
        ("evaluation", "覆盖全面"),
        ("results", "均分105"),
        ("problems", "作文偏弱"),
        ("measures", "加强写作训练"),
    ):
        page.fill(f"textarea[name={name}]", text)
    _submit(page)
    assert "已提交" in page.inner_text("#owed-table")  # the teacher's own row

    page.context.clear_cookies()
    login(page, base, "office", PASSWORD)
    page.goto(f"{base}/exams/{exam.pk}/paper-analyses/")
    owed = page.inner_text("#owed-table")
    assert "张老师" in owed and "已提交" in owed and "李老师" in owed and "未提交" in owed
    screenshot(page, "exams-owed")
    assert errors == []
