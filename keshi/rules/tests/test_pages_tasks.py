"""我的任务: each person sees their own; staff may look at others they can read, and at a date."""

from datetime import date

import pytest
from django.urls import reverse

from keshi.calendar.services import create_school_year
from keshi.records.tests.factories import ActivityFactory, kind
from keshi.rules.models import Requirement
from keshi.rules.tests.factories import RequirementFactory
from keshi.web.tests.pages import get

pytestmark = pytest.mark.django_db
URL = reverse("rules:my_tasks")


@pytest.fixture
def reqs(cast, term):
    obs = RequirementFactory(
        org=cast.school, name="听课", threshold=15, kinds=[kind("observation")]
    )
    refl = RequirementFactory(
        org=cast.school, name="每月反思", threshold=1, period=Requirement.Period.MONTH,
        kinds=[kind("reflection")],
    )  # fmt: skip
    ActivityFactory(person=cast.teacher.person, date=date(2026, 9, 7))
    return obs, refl


def names(response) -> list[str]:
    return [t.requirement.name for t in response.context["tasks"].items]


@pytest.fixture
def year_now(cast):
    """A school year whose two terms cover today, whatever today is."""
    today = date.today()
    y = today.year if today.month >= 9 else today.year - 1
    create_school_year(
        org=cast.school, start_year=y, first_start=date(y, 9, 1), first_end=date(y + 1, 1, 31),
        second_start=date(y + 1, 2, 1), second_end=date(y + 1, 8, 31),
    )  # fmt: skip


def test_teacher_sees_own_tasks_with_deadline_and_record_link(client, cast, year_now):
    RequirementFactory(org=cast.school, name="听课", threshold=15, kinds=[kind("observation")])
    r = get(client, cast.teacher, URL, at="2020-01-01")  # a teacher's ?at is ignored: today
    assert r.status_code == 200
    tasks = r.context["tasks"]
    assert tasks.person == cast.teacher.person and tasks.at == date.today()
    body = r.content.decode()
    assert "我的任务" in body and "听课" in body and "张老师的任务" not in body
    assert f"{reverse('records:create')}?kind=observation" in body
    assert "去登记" in body


def test_office_checks_a_teacher_at_a_date(client, cast, reqs):
    r = get(client, cast.office, URL, person=cast.teacher.person.pk, at="2026-11-26")
    assert r.status_code == 200
    assert r.context["at"] == date(2026, 11, 26)
    assert names(r) == ["听课", "每月反思"]  # behind (1 of 15 by 11-26) before on track
    body = r.content.decode()
    assert "张老师的任务" in body and "11月30日 星期一" in body and "还有4天" in body
    assert "去登记" not in body  # only the person records their own work here
    cell = r.context["tasks"].items[0].cell
    assert (cell.value, cell.target) == (1, 15)


def test_overdue_month_shows_as_overdue(client, cast, term):
    RequirementFactory(
        org=cast.school, name="每月反思", threshold=1, period=Requirement.Period.MONTH,
        deadline=Requirement.Deadline.LAST_FRIDAY, kinds=[kind("reflection")],
    )  # fmt: skip
    r = get(client, cast.office, URL, person=cast.teacher.person.pk, at="2026-11-28")
    assert "已逾期" in r.content.decode()  # due Friday 11-27


@pytest.mark.parametrize(
    ("who", "whose", "status"),
    [
        ("teacher", "other_teacher", 404),
        ("other_teacher", "teacher", 404),
        ("outsider", "teacher", 404),
        ("lead", "teacher", 200),
        ("leader", "teacher", 200),
        ("district", "teacher", 200),
        ("office", "outsider", 404),
    ],
)
def test_whose_tasks_one_may_see(client, cast, reqs, who, whose, status):
    person = getattr(cast, whose).person
    assert get(client, getattr(cast, who), URL, person=person.pk).status_code == status


def test_empty_state_when_no_requirements(client, cast, term):
    body = get(client, cast.teacher, URL).content.decode()
    assert "教科室还没有设置量化要求" in body


def test_staff_without_a_person_are_pointed_to_the_matrix(client, cast):
    body = get(client, cast.office, URL).content.decode()
    assert "没有关联教师档案" in body and reverse("rules:compliance") in body


def test_bad_date_is_reported(client, cast, reqs):
    r = get(client, cast.office, URL, person=cast.teacher.person.pk, at="2026-13-40")
    assert r.status_code == 200 and "日期格式应为" in r.content.decode()


def test_anonymous_goes_to_login(client, cast):
    assert client.get(URL).status_code == 302


def test_home_shows_the_most_urgent_tasks(client, cast, year_now):
    RequirementFactory(org=cast.school, name="听课", threshold=500, kinds=[kind("observation")])
    RequirementFactory(org=cast.school, name="无人完成的要求", threshold=0, kinds=[kind("paper")])
    body = get(client, cast.teacher, reverse("home")).content.decode()
    assert "接下来要做" in body and "听课" in body and "无人完成的要求" not in body  # met
    assert reverse("rules:my_tasks") in body
