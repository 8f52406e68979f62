"""The demo school's 七年级期中考试 (keshi.demo.exams): scores for a grade, the analysis, the
试卷分析 owed and in, and a 质量分析会 held — and in the term's 工作总结."""

from datetime import date

from keshi.demo.tests.snapshot import TODAY
from keshi.exams import selectors
from keshi.exams.analysis import GRADE
from keshi.exams.models import Exam, SchoolClass, Score, Student
from keshi.plans.summary import ConsoleUser, gather


def test_the_midterm_of_one_grade_with_scores_analyses_and_its_meeting(loaded):
    exam = Exam.objects.get(org__code="demo", name="七年级期中考试")
    assert exam.kind == Exam.Kind.MIDTERM and exam.grade == "七年级"
    assert exam.start_date == date(2026, 11, 2) and exam.scores_imported_at.date() < TODAY
    assert SchoolClass.objects.filter(term=exam.term, grade="七年级").count() == 6
    assert Student.objects.filter(term=exam.term).count() == 240
    subjects = list(exam.subjects.values_list("subject", flat=True))
    assert subjects[:3] == ["语文", "数学", "英语"]
    assert Score.objects.filter(subject__exam=exam).count() == 240 * len(subjects)
    assert Score.objects.filter(subject__exam=exam, status=Score.Status.ABSENT).exists()

    table = selectors.exam_analysis(exam).classes
    grade = table[table["class"] == GRADE]
    assert list(grade["subject"]) == subjects
    assert ((grade["mean"] > 0) & (grade["pass_rate"] > 0.3) & (grade["pass_rate"] < 1)).all()

    owed = selectors.paper_analyses(exam)
    done = sum(o.done for o in owed)
    assert owed and 0 < done < len(owed)  # most are in, a few still owed

    [held] = selectors.quality_meetings(exam)
    assert held.session.topic == "《七年级期中考试》质量分析会" and held.session.is_closed
    chair = held.session.host
    assert chair.user.username == "office"  # the 教科室主任 who scheduled it chairs it
    assert held.roll.expected == len({o.person.pk for o in owed} | {chair.pk})
    assert chair in held.roll.present
    assert len(held.roll.absent) == 2


def test_the_demo_summary_has_the_exam(loaded):
    exam = Exam.objects.get(org__code="demo", name="七年级期中考试")
    s = gather(ConsoleUser(), org=exam.org, term=exam.term, at=TODAY)
    [line] = s.exams
    assert line.exam == exam and line.students == 240
    assert [f.subject for f in line.subjects] == list(
        exam.subjects.values_list("subject", flat=True)
    )
    assert line.meetings and line.analyses_done < line.analyses_owed
