from datetime import date, timedelta

import pytest
from django.urls import reverse

from keshi.calendar.models import SchoolYear, Term
from keshi.calendar.services import create_school_year
from keshi.org.models import Group, Org, Person
from keshi.org.tests.factories import (
    GroupFactory,
    MembershipFactory,
    MentorshipFactory,
    OrgFactory,
    PersonFactory,
    UserFactory,
)
from keshi.records.tests.factories import kind
from keshi.rules.models import Requirement
from keshi.rules.tests.factories import RequirementFactory

URL = reverse("home")


def home(client, user) -> str:
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def test_anonymous_is_sent_to_login(client, cast):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_user_without_role_or_person_is_told_to_contact_office(client, cast):
    body = home(client, UserFactory(username="nobody"))
    assert "请联系本校教科室" in body
    assert "示范中学" not in body


def test_teacher_sees_own_info_groups_and_mentor(client, cast):
    me = Person.objects.get(user=cast.teacher)
    me.teaching_start = date(2000, 9, 1)
    me.save()
    mentor = Person.objects.get(user=cast.lead)
    MentorshipFactory(mentor=mentor, mentee=me)
    body = home(client, cast.teacher)
    assert "张老师" in body
    assert "教龄" in body and "周岁" in body
    assert f"{me.teaching_years()} 年" in body
    assert "语文组" in body
    assert "我的师傅" in body and "王组长" in body
    assert "教科室把本学期工作计划中的量化要求" in body
    # nobody else's private data
    assert "李老师" not in body
    assert "13800000000" not in body


def test_teacher_sees_current_term_and_week(client, cast):
    today = date.today()
    year = SchoolYear.objects.create(
        org=cast.school,
        start_year=today.year,
        start=today - timedelta(days=60),
        end=today + timedelta(days=300),
    )
    monday = today - timedelta(days=today.weekday())
    Term.objects.create(
        school_year=year,
        number=1,
        start=monday - timedelta(weeks=2),
        end=today + timedelta(days=60),
    )
    body = home(client, cast.teacher)
    assert "第3周" in body


def test_teacher_without_term_is_told_so(client, cast):
    body = home(client, cast.teacher)
    assert "尚未设置当前学期" in body


def test_lead_sees_led_groups_with_member_counts(client, cast):
    GroupFactory(org=cast.school, name="初一语文备课组", kind=Group.Kind.PREP, parent=cast.group)
    body = home(client, cast.lead)
    assert "我负责的组" in body
    assert reverse("org:group", args=[cast.group.pk]) in body
    assert "3 名成员" in body
    assert "初一语文备课组" in body


def test_plain_teacher_has_no_lead_section(client, cast):
    assert "我负责的组" not in home(client, cast.teacher)


def test_office_sees_counts_links_and_missing_data(client, cast):
    PersonFactory(org=cast.school, name="缺生日", birth_date=None)
    PersonFactory(org=cast.school, name="缺教龄", teaching_start=None, work_start=None)
    PersonFactory(org=cast.school, name="有参工", teaching_start=None, work_start=date(2010, 9, 1))
    PersonFactory(org=cast.other_school, name="外校缺生日", birth_date=None)
    body = home(client, cast.office)
    assert "教科室工作台" in body
    assert reverse("roster:import") in body
    assert reverse("calendar:term") in body
    assert "2 名在职人员缺出生日期或任教起始日期" in body
    assert "缺生日" in body and "缺教龄" in body
    assert "有参工" not in body
    assert "外校缺生日" not in body


def test_office_counts_are_scoped_to_school(client, cast):
    body = home(client, cast.office)
    # 3 people, 3 active, 1 group, 0 mentor pairs in demo; the outsider is not counted
    assert body.count('<div class="display-6">3</div>') == 2
    assert "教研组 1" in body


def test_leader_sees_read_only_overview(client, cast):
    body = home(client, cast.leader)
    assert "学校概况（只读）" in body
    assert "示范中学" in body
    assert reverse("roster:import") not in body


def test_district_sees_schools_side_by_side_by_kind_of_work(client, cast):
    for org in (cast.school, cast.other_school):
        create_school_year(
            org=org, start_year=2026, first_start=date(2026, 9, 1), first_end=date(2027, 1, 22)
        )
    # each school names its 听课 rule its own way; they line up as one column
    RequirementFactory(org=cast.school, name="新教师听课", kinds=[kind("observation")])
    RequirementFactory(org=cast.other_school, name="推门听课", kinds=[kind("observation")])
    RequirementFactory(
        org=cast.other_school, name="每学年学分", kinds=[kind("training")],
        measure=Requirement.Measure.CREDITS,
    )  # fmt: skip
    OrgFactory(code="ward", name="心内科", kind=Org.Kind.HOSPITAL, parent=cast.school.parent)
    body = home(client, cast.district)
    assert "各校工作进展" in body
    assert "示范中学" in body and "另一所中学" in body
    table = body.split('id="district-schools"')[1].split("医院科室")[0]
    assert table.count(">听课<") == 1 and "培训学分" in table
    assert "新教师听课" not in table and "推门听课" not in table
    assert "心内科" not in table and "心内科" in body.split("医院科室")[1]


def test_admin_sees_all_orgs(client, cast, admin_user):
    body = home(client, admin_user)
    assert "系统管理员" in body
    for name in ("示范区教科室", "示范中学", "另一所中学"):
        assert name in body


def test_outsider_sees_nothing_of_demo(client, cast):
    body = home(client, cast.outsider)
    assert "赵老师" in body
    assert "示范中学" not in body
    assert "语文组" not in body


@pytest.mark.parametrize("who", ["teacher", "lead", "office", "leader"])
def test_hostile_names_are_escaped(client, cast, who):
    evil = "<script>alert(1)</script>"
    g = GroupFactory(org=cast.school, name=evil + "组")
    person = Person.objects.get(user=cast.lead)
    MembershipFactory(person=person, group=g, role="lead")
    MembershipFactory(person=Person.objects.get(user=cast.teacher), group=g)
    PersonFactory(org=cast.school, name=evil, birth_date=None)
    body = home(client, getattr(cast, who))
    assert "<script>alert" not in body


def test_greeting_uses_chinese_name_order(client, cast):
    cast.office.first_name, cast.office.last_name = "莉妍", "崔"
    cast.office.save()
    assert "崔莉妍，您好" in home(client, cast.office)


def test_lead_sees_directly_led_group_before_subgroups(client, cast):
    GroupFactory(org=cast.school, name="初一语文备课组", kind=Group.Kind.PREP, parent=cast.group)
    body = home(client, cast.lead)
    section = body.split("我负责的组", 1)[1]
    assert section.index("语文组") < section.index("初一语文备课组")


def test_leader_sees_subject_groups_with_leads(client, cast):
    body = home(client, cast.leader)
    section = body.split("教研组一览", 1)[1]
    assert "语文组" in section and "王组长" in section
