"""The demo school's 期中考试 of 七年级 (keshi.exams), written through the services the office's
pages call: the exam in the term's 10th week with its subjects, six classes with their 任课教师
(from the 七年级组, as the demo timetable assigns them), a 成绩表 of every student imported from
an .xlsx (a few 缺考), most teachers' 试卷分析, and the grade's 质量分析会 the week after with
its sign-in — each step only when its day is before ``today``.

Deterministic (seeded scores and names, dates from the term) and idempotent by the exam's name
(an exam that exists is left as it is); only school ``demo``."""

from __future__ import annotations

import io
import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.utils import timezone
from openpyxl import Workbook

from keshi.calendar.periods import monday_of
from keshi.demo.activity import demo_term
from keshi.demo.names import NameGenerator
from keshi.exams import selectors, services
from keshi.exams.models import Exam
from keshi.groupwork import services as groupwork
from keshi.org.models import Group, Membership, Org, Person
from keshi.rules.models import Exemption

if TYPE_CHECKING:
    from keshi.demo.services import _Writer

SEED = "keshi-demo-exams"
GRADE = "七年级"
NAME = "七年级期中考试"
CLASSES = 6
STUDENTS = 40  # a class
FULL_MARKS = {"语文": 120, "数学": 120, "英语": 120, "道德与法治": 100, "历史": 100, "地理": 100}
FULL_MARKS |= {"生物": 100}
ANALYSIS = {
    "evaluation": "试题覆盖本学期前半段重点，难度适中，个别题目区分度不足。",
    "results": "年级平均分与上次相当，各班差距不大，高分段人数略有增加。",
    "problems": "基础题失分偏多，审题不清、书写不规范的现象仍然存在。",
    "measures": "加强基础知识的落实与订正，分层布置作业，关注学困生的个别辅导。",
}


def write(w: _Writer, org: Org, today: date) -> None:
    term = demo_term(org, today)
    if term is None or org.code != "demo" or Exam.objects.filter(org=org, name=NAME).exists():
        return
    start = monday_of(term.start) + timedelta(weeks=9)  # 第10周 Monday and Tuesday
    end = start + timedelta(days=1)
    teachers = _teachers(org, start)
    subjects = [(s, Decimal(full)) for s, full in FULL_MARKS.items() if s in teachers]
    if end >= today or not subjects:
        return
    office = get_user_model().objects.get(username="office")
    exam = services.create_exam(
        org=org, term=term, name=NAME, kind=Exam.Kind.MIDTERM, grade=GRADE,
        start_date=start, end_date=end, subjects=subjects,
    )  # fmt: skip
    names = [f"{GRADE}({i})班" for i in range(1, CLASSES + 1)]
    classes = services.add_classes(org=org, term=term, grade=GRADE, names=names)
    for i, school_class in enumerate(classes):
        services.set_teachers(
            school_class=school_class,
            teachers={s: teachers[s][i % len(teachers[s])] for s, _ in subjects},
        )
    w.created["exam"] += 1
    w.created["schoolclass"] += len(classes)
    rng = random.Random(SEED)
    imported = end + timedelta(days=3)
    if imported >= today:
        return
    report = services.import_scores(
        exam=exam, filename="七年级期中成绩.xlsx", data=_sheet(rng, names, subjects),
        dry_run=False, by=office,
    )  # fmt: skip
    at = timezone.make_aware(datetime.combine(imported, time(16, 0)))
    Exam.objects.filter(pk=exam.pk).update(scores_imported_at=at)  # the day the office did it
    exam.refresh_from_db()
    w.created["score"] += report.scores
    _analyses(w, exam, rng, imported, today)
    _meeting(w, exam, rng, imported + timedelta(days=4), today, office)


def _teachers(org: Org, on: date) -> dict[str, list[Person]]:
    """The 七年级组's teachers by subject, in 工号 order (as keshi.demo.cover assigns classes),
    but not those on leave on ``on`` (their classes go to a colleague)."""
    grade = Group.objects.filter(org=org, kind=Group.Kind.GRADE, name=f"{GRADE}组").first()
    found: dict[str, list[Person]] = {}
    if grade is None:
        return found
    away = Exemption.objects.filter(requirement__isnull=True, start__lte=on, end__gte=on)
    rows = (
        Membership.objects.filter(group=grade, person__active=True)
        .exclude(person_id__in=away.values("person_id"))
        .select_related("person")
        .order_by("person__staff_no")
    )
    for m in rows:
        if m.person.subject:
            found.setdefault(m.person.subject, []).append(m.person)
    return found


def _sheet(rng: random.Random, classes: list[str], subjects: list) -> bytes:
    """One sheet per class, as schools export them: 学号, 姓名, a column per subject, 总分."""
    names = NameGenerator(random.Random(f"{SEED}:names"))
    book = Workbook()
    book.remove(book.active)
    for c, class_name in enumerate(classes, start=1):
        sheet = book.create_sheet(class_name)
        sheet.append([f"{class_name}期中考试成绩"])
        sheet.append(["学号", "姓名", *[s for s, _ in subjects], "总分"])
        level = rng.gauss(0, 0.03)  # classes differ a little
        for n in range(1, STUDENTS + 1):
            ability = rng.gauss(0.74 + level, 0.12)
            row, total = [f"2026{c:02d}{n:02d}", names.take(rng.choice("MF")).full], 0.0
            for _subject, full in subjects:
                if rng.random() < 0.01:
                    row.append("缺考")
                    continue
                ratio = min(max(rng.gauss(ability, 0.08), 0.05), 1.0)
                score = round(float(full) * ratio * 2) / 2
                row.append(score)
                total += score
            sheet.append([*row, total])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _analyses(w: _Writer, exam: Exam, rng: random.Random, imported: date, today: date) -> None:
    """Most 任课教师 hand in their 试卷分析 within the week; a few are still owed."""
    for owed in selectors.paper_analyses(exam):
        if rng.random() < 0.2:
            continue
        on = imported + timedelta(days=rng.randint(1, 6))
        if on >= today:
            continue
        services.record_paper_analysis(
            person=owed.person, exam=exam, subject=owed.subject, sections=ANALYSIS,
            by=owed.person.user or get_user_model().objects.get(username="office"), on=on,
        )  # fmt: skip
        w.created["paper_analysis"] += 1


def _meeting(w: _Writer, exam: Exam, rng: random.Random, day: date, today: date, by) -> None:
    """The grade's 质量分析会; held (signed in, closed) when its day has passed."""
    held = services.schedule_quality_meeting(
        exam=exam, day=day, start_time=time(15, 40), end_time=time(17, 0), place="三楼会议室",
        chair=Person.objects.filter(user=by).first(), by=by,
    )  # fmt: skip
    w.created["quality_meeting"] += 1
    if day >= today:
        return
    people = selectors.roll_of(held.session).absent  # nobody has signed in yet: everyone
    chair = held.session.host
    absent = set(rng.sample([i for i, p in enumerate(people) if p != chair], 2))
    present = [p for i, p in enumerate(people) if i not in absent]
    groupwork.set_session_attendance(session=held.session, people=present, by=by)
    groupwork.close_session(session=held.session, by=by)
    w.created["attendance"] += len(present)
