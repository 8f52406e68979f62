"""Each module's deadlines reach the daily digest of the person who owes them (see conftest for
the day: Friday 2026-09-25, reminders 3 days ahead)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from keshi.checks.tests import factories as checks
from keshi.contests import services as contest_services
from keshi.contests.models import Contest
from keshi.contests.tests import factories as contests
from keshi.indicators.models import Actual
from keshi.indicators.tests.conftest import hospital  # noqa: F401 (fixture)
from keshi.notify import daily, deadlines
from keshi.notify.tests.conftest import DAY
from keshi.org.models import Person
from keshi.research.tests.helpers import project

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 7, 9, tzinfo=ZoneInfo("Asia/Shanghai"))


def digest_of(org, term, name: str) -> str:
    recipients, _ = daily.plan(org, term, DAY, 3)
    by_name = {r.name: r for r in recipients}
    assert name in by_name, f"{name} gets no digest"
    r = by_name[name]
    return daily.D.person_message(r.standing, at=DAY, days_ahead=3).text


def test_an_inspection_not_completed_reminds_its_inspectors(cast, term):
    inspector = Person.objects.get(user=cast.lead)
    checks.inspection(
        cast, title="期中教案检查", inspectors=[inspector], end=DAY + timedelta(days=2)
    )
    checks.inspection(
        cast, title="下月作业检查", inspectors=[inspector], end=DAY + timedelta(days=9)
    )
    text = digest_of(cast.school, term, "王组长")
    assert "检查《期中教案检查》·评分：未完成，截止 9月27日（周日）" in text
    assert "下月作业检查" not in text  # beyond the 3-day window


def test_a_research_stage_reminds_its_leader_until_handed_in(cast, term):
    p = project(cast, title="整本书阅读")
    stage = p.stages.get()
    stage.due_date = DAY - timedelta(days=1)
    stage.save()
    text = digest_of(cast.school, term, "张老师")
    assert "已逾期" in text and "课题《整本书阅读》·申报" in text

    stage.submitted_at = stage.project.created_at
    stage.save()
    assert "整本书阅读" not in str(deadlines.by_person(cast.school, DAY))  # the reviewer's turn now
    stage.decision = stage.Decision.RETURNED
    stage.save()
    assert "整本书阅读" in str(deadlines.by_person(cast.school, DAY))  # returned: owed again


def test_contest_entries_without_a_file_and_unscored_judging_remind(cast, term):
    paper = contests.contest(cast, title="论文评比", review_start=DAY + timedelta(days=2))
    teacher = Person.objects.get(user=cast.teacher)
    contest_services.submit_entry(contest=paper, person=teacher, title="浅谈作文")
    assert "评比《论文评比》·提交作品：未完成，截止 9月26日（周六）" in digest_of(
        cast.school, term, "张老师"
    )

    lesson = contests.contest(
        cast, title="优质课评比", kind=Contest.Kind.LESSON, notice_start=DAY + timedelta(days=1)
    )
    contests.enter(lesson, cast.teacher)
    contests.enter(lesson, cast.other_teacher)
    judge = contests.person(contests.judges(cast, 1)[0])
    contest_services.auto_assign(contest=lesson, judges=[judge], by=cast.office, per_entry=1)
    contest_services.advance(contest=lesson, by=cast.office)
    contest_services.advance(contest=lesson, by=cast.office)
    lesson.refresh_from_db()
    assert lesson.phase == Contest.Phase.REVIEW
    owed = deadlines.by_person(cast.school, DAY)[judge.pk]
    assert owed == [("评比《优质课评比》·评审2件作品", DAY)]


def test_missing_monthly_figures_remind_the_department_lead(cast, hospital):  # noqa: F811
    at = date(2026, 12, 7)
    head = Person.objects.get(user=hospital.head)
    owed = deadlines.by_person(hospital.org, at)
    assert owed[head.pk] == [("科室指标·神经内科·11月数据（3项未填报）", date(2026, 12, 10))]
    assert Person.objects.get(user=hospital.staff).pk not in owed  # the lead enters, not staff

    for indicator in (hospital.stay, hospital.visits):
        Actual.objects.create(
            indicator=indicator, year=2026, month=11, value=5, entered_at=NOW, entered_by=None
        )
    Actual.objects.create(
        indicator=hospital.occupancy, year=2026, month=11, numerator=80, denominator=None,
        entered_at=NOW,
    )  # fmt: skip
    assert deadlines.by_person(hospital.org, at)[head.pk][0][0].endswith("（1项未填报）")


def test_an_open_rectification_reminds_its_owner_until_closed(cast, term):
    from keshi.checks import services as check_services

    inspection = checks.inspection(cast)
    owner = Person.objects.get(user=cast.other_teacher)
    item = check_services.add_rectification(
        inspection=inspection, text="补齐第三单元教案", responsible=owner, due=DAY
    )
    assert "整改·补齐第三单元教案：未完成，截止 9月25日（周五）" in digest_of(
        cast.school, term, "李老师"
    )
    item.closed_on = DAY
    item.save()
    assert owner.pk not in deadlines.by_person(cast.school, DAY)


def test_an_assigned_observation_reminds_its_observer(cast, term):
    from keshi.records.models import ObservationAssignment

    observer = Person.objects.get(user=cast.lead)
    teacher = Person.objects.get(user=cast.teacher)
    ObservationAssignment.objects.create(
        org=cast.school, observer=observer, teacher=teacher, start=DAY, due=DAY + timedelta(days=1)
    )
    text = digest_of(cast.school, term, "王组长")
    assert "推门听课·听张老师的课：未完成，截止 9月26日（周六）" in text
