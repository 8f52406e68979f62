from datetime import date, timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from keshi.org.models import Person, Tag
from keshi.org.selectors import years_before
from keshi.org.tests.factories import GroupFactory, MembershipFactory, PersonFactory
from keshi.web.tests.pages import get, user_of

URL = reverse("org:people")
EXPORT = reverse("org:people_export")


def names(response) -> list[str]:
    return [p.name for p in response.context["page"].object_list]


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("lead", {"张老师", "李老师", "王组长"}),
        ("office", {"张老师", "李老师", "王组长"}),
        ("leader", {"张老师", "李老师", "王组长"}),
        ("district", {"张老师", "李老师", "王组长", "赵老师"}),
        ("admin", {"张老师", "李老师", "王组长", "赵老师"}),
    ],
)
def test_who_sees_whom(client, cast, admin_user, who, expected):
    r = get(client, user_of(cast, who, admin_user), URL)
    assert r.status_code == 200
    assert set(names(r)) == expected


@pytest.mark.parametrize("who", ["teacher", "other_teacher", "outsider"])
def test_plain_teachers_may_not_list_people(client, cast, who):
    assert get(client, getattr(cast, who), URL).status_code == 403
    assert get(client, getattr(cast, who), EXPORT).status_code == 403


def test_anonymous_goes_to_login(client, cast):
    assert client.get(URL).status_code == 302


@pytest.mark.parametrize(
    ("query", "expected"),
    [("张", {"张老师"}), ("T9", {"工号人"}), ("139001", {"手机人"}), ("物理", {"学科人"})],
)
def test_search_by_name_staff_no_phone_subject(client, cast, query, expected):
    PersonFactory(org=cast.school, name="工号人", staff_no="T9999")
    PersonFactory(org=cast.school, name="手机人", phone="13900112233")
    PersonFactory(org=cast.school, name="学科人", subject="物理")
    assert set(names(get(client, cast.office, URL, q=query))) == expected


def test_filters_group_tag_subject_active(client, cast):
    math = GroupFactory(org=cast.school, name="数学组")
    p = PersonFactory(org=cast.school, name="数学老师", subject="数学")
    MembershipFactory(person=p, group=math)
    tag = Tag.objects.create(name="骨干教师")
    p.tags.add(tag)
    PersonFactory(org=cast.school, name="退休老师", active=False)
    office = cast.office
    assert names(get(client, office, URL, group=math.pk)) == ["数学老师"]
    assert names(get(client, office, URL, tag=tag.pk)) == ["数学老师"]
    assert names(get(client, office, URL, subject="数学")) == ["数学老师"]
    assert names(get(client, office, URL, active="0")) == ["退休老师"]
    assert "退休老师" not in names(get(client, office, URL))
    assert "退休老师" in names(get(client, office, URL, active="all"))


def test_group_filter_includes_subgroups(client, cast):
    prep = GroupFactory(org=cast.school, name="初一语文", parent=cast.group)
    MembershipFactory(person=PersonFactory(org=cast.school, name="备课组员"), group=prep)
    assert "备课组员" in names(get(client, cast.office, URL, group=cast.group.pk))


def test_teaching_years_range_is_inclusive(client, cast):
    today = date.today()
    Person.objects.update(teaching_start=None)
    PersonFactory(org=cast.school, name="刚满三年", teaching_start=years_before(today, 3))
    PersonFactory(
        org=cast.school,
        name="差一天三年",
        teaching_start=years_before(today, 3) + timedelta(days=1),
    )
    PersonFactory(org=cast.school, name="十年", teaching_start=years_before(today, 10))
    office = cast.office
    assert set(names(get(client, office, URL, years_min=3))) == {"刚满三年", "十年"}
    assert set(names(get(client, office, URL, years_max=2))) == {"差一天三年"}
    assert set(names(get(client, office, URL, years_min=3, years_max=3))) == {"刚满三年"}


def test_years_before_handles_29_february():
    assert years_before(date(2024, 2, 29), 1) == date(2023, 2, 28)
    assert years_before(date(2025, 3, 1), 1) == date(2024, 3, 1)


def test_missing_data_filter(client, cast):
    PersonFactory(org=cast.school, name="缺生日", birth_date=None)
    PersonFactory(org=cast.school, name="缺任教", teaching_start=None, work_start=None)
    assert set(names(get(client, cast.office, URL, missing="on"))) == {"缺生日", "缺任教"}


def test_sort_by_teaching_years(client, cast):
    Person.objects.filter(name="张老师").update(teaching_start=date(2001, 9, 1))
    Person.objects.filter(name="李老师").update(teaching_start=date(2011, 9, 1))
    Person.objects.filter(name="王组长").update(teaching_start=None, work_start=None)
    assert names(get(client, cast.office, URL, sort="-years")) == ["张老师", "李老师", "王组长"]
    assert names(get(client, cast.office, URL, sort="years")) == ["李老师", "张老师", "王组长"]


def test_invalid_filter_values_do_not_break_the_page(client, cast):
    r = get(client, cast.office, URL, years_min="abc", group="999999", sort="drop table", page="x")
    assert r.status_code == 200
    assert len(names(r)) == 3


def test_pagination_keeps_filters(client, cast):
    for i in range(30):
        PersonFactory(org=cast.school, name=f"物理{i:02d}", subject="物理")
    r = get(client, cast.office, URL, subject="物理")
    assert len(names(r)) == 25
    body = r.content.decode()
    assert "page=2" in body and "subject=%E7%89%A9%E7%90%86" in body
    r2 = get(client, cast.office, URL, subject="物理", page=2)
    assert len(names(r2)) == 5


def test_columns_show_subject_group_and_years(client, cast):
    Person.objects.filter(name="张老师").update(teaching_start=date(2001, 9, 1), title="一级教师")
    Person.objects.get(name="张老师").tags.add(Tag.objects.create(name="学科带头人"))
    body = get(client, cast.office, URL, q="张老师").content.decode()
    for text in (
        "语文组",
        "一级教师",
        "学科带头人",
        str(Person.objects.get(name="张老师").teaching_years()),
    ):
        assert text in body


def test_lead_does_not_see_private_phone_in_list(client, cast):
    # phone is never a column, even for those who may read it
    assert "13800000000" not in get(client, cast.lead, URL).content.decode()


def test_empty_state_for_office_points_to_roster_import(client, cast):
    Person.objects.all().delete()
    body = get(client, cast.office, URL).content.decode()
    assert "还没有人员" in body
    assert reverse("roster:import") in body


def test_empty_search_says_so(client, cast):
    body = get(client, cast.office, URL, q="不存在的人").content.decode()
    assert "没有符合条件的人员" in body


def test_hostile_name_is_escaped(client, cast):
    PersonFactory(org=cast.school, name="<script>alert(1)</script>")
    body = get(client, cast.office, URL).content.decode()
    assert "<script>alert(1)" not in body
    assert "&lt;script&gt;alert(1)" in body


def test_district_may_filter_by_school(client, cast):
    r = get(client, cast.district, URL, org=cast.other_school.pk)
    assert names(r) == ["赵老师"]


def test_office_cannot_reach_other_school_through_org_filter(client, cast):
    r = get(client, cast.office, URL, org=cast.other_school.pk)
    assert "赵老师" not in names(r)


def test_export_is_the_filtered_scoped_list(client, cast):
    r = get(client, cast.office, EXPORT, q="老师")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:3] == ("单位", "工号", "姓名")
    assert sorted(row[2] for row in rows[1:]) == ["张老师", "李老师"]


def test_teaching_years_zero_is_a_filter(client, cast):
    Person.objects.update(teaching_start=date(2000, 9, 1))
    PersonFactory(org=cast.school, name="新教师", teaching_start=date.today())
    assert names(get(client, cast.office, URL, years_max=0)) == ["新教师"]
