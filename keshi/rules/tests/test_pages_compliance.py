"""The matrix, its drill-down and trend data, and the schools compared — scoped by the cast."""

from datetime import date

import pytest
from django.urls import reverse

from keshi.calendar.services import create_school_year
from keshi.org.tests.factories import GroupFactory, MembershipFactory, PersonFactory
from keshi.records.tests.factories import ActivityFactory, kind
from keshi.rules.models import Requirement
from keshi.rules.tests.factories import RequirementFactory
from keshi.web.tests.pages import get, user_of

pytestmark = pytest.mark.django_db
URL = reverse("rules:compliance")
CELL = reverse("rules:compliance_cell")
TREND = reverse("rules:compliance_trend")
AT = "2026-11-26"


@pytest.fixture
def school(cast):
    for org in (cast.school, cast.other_school):
        create_school_year(
            org=org, start_year=2026, first_start=date(2026, 9, 1), first_end=date(2027, 1, 22)
        )
    obs = RequirementFactory(org=cast.school, name="听课", threshold=2, kinds=[kind("observation")])
    RequirementFactory(org=cast.other_school, name="听课", threshold=2, kinds=[kind("observation")])
    maths = PersonFactory(org=cast.school, name="数学老师")
    MembershipFactory(person=maths, group=GroupFactory(org=cast.school, name="数学组"))
    ActivityFactory(person=cast.teacher.person, date=date(2026, 9, 8), title="张的听课")
    ActivityFactory(person=maths, date=date(2026, 9, 9), title="数学的听课")
    ActivityFactory(person=cast.outsider.person, date=date(2026, 9, 9), title="赵的听课")
    return obs, maths


def rows(response) -> set[str]:
    return {row.person.name for row in response.context["matrix"].rows}


SCHOOL = {"张老师", "李老师", "王组长", "数学老师"}


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("office", SCHOOL),
        ("leader", SCHOOL),
        ("admin", SCHOOL),
        ("lead", {"张老师", "李老师", "王组长"}),
    ],
)
def test_who_sees_whom_in_the_matrix(client, cast, admin_user, school, who, expected):
    user = user_of(cast, who, admin_user)
    r = get(client, user, URL, org=cast.school.pk, at=AT)
    assert r.status_code == 200
    assert rows(r) == expected
    assert "赵老师" not in r.content.decode()


def test_office_matrix_shows_colour_value_and_target(client, cast, school):
    r = get(client, cast.office, URL, at=AT)  # one school: no need to pick it
    body = r.content.decode()
    assert r.context["org"] == cast.school
    assert "st st-on_track" in body and "1/2" in body
    assert 'data-chart="trend"' in body and "vendor/echarts.min.js" in body


@pytest.mark.parametrize("who", ["teacher", "other_teacher"])
def test_plain_teachers_go_to_their_tasks(client, cast, school, who):
    r = get(client, getattr(cast, who), URL)
    assert r.status_code == 302 and r.url == reverse("rules:my_tasks")


@pytest.mark.parametrize("who", ["outsider", "teacher", "lead"])
def test_no_one_reads_another_orgs_matrix(client, cast, school, who):
    org = cast.other_school if who == "lead" else cast.school
    assert get(client, getattr(cast, who), URL, org=org.pk).status_code == 404
    assert get(client, getattr(cast, who), TREND, org=org.pk).status_code == 404


def test_district_compares_schools_then_opens_one(client, cast, school):
    r = get(client, cast.district, URL, at=AT)
    assert r.status_code == 200
    body = r.content.decode()
    assert "各校达标情况对比" in body and "示范中学" in body and "另一所中学" in body
    assert [x["row"].org for x in r.context["rows"]] == [cast.school, cast.other_school]
    assert 'data-chart="schools"' in body
    r = get(client, cast.district, URL, org=cast.other_school.pk, at=AT)
    assert rows(r) == {"赵老师"}


def test_office_of_one_school_never_gets_the_comparison(client, cast, school):
    assert get(client, cast.office, URL, org=cast.other_school.pk).status_code == 404


def test_filters_and_pagination(client, cast, school):
    r = get(client, cast.office, URL, at=AT, group=cast.group.pk)
    assert rows(r) == {"张老师", "李老师", "王组长"}
    assert rows(get(client, cast.office, URL, at=AT, q="数学")) == {"数学老师"}
    r = get(client, cast.office, URL, at=AT, status="behind")
    assert rows(r) == {"李老师", "王组长"}
    # A group of another school is not a valid choice: the filter is dropped.
    other = GroupFactory(org=cast.other_school, name="外校组")
    assert rows(get(client, cast.office, URL, at=AT, group=other.pk)) == SCHOOL
    for i in range(35):
        PersonFactory(org=cast.school, name=f"补充{i:02d}")
    r = get(client, cast.office, URL, at=AT)
    assert len(r.context["page"].object_list) == 30 and r.context["page"].paginator.count == 39


def test_matrix_query_count_does_not_grow_with_people(
    client, cast, school, django_assert_max_num_queries
):
    client.force_login(cast.office)
    with django_assert_max_num_queries(45):
        client.get(URL, {"at": AT})
    for i in range(40):
        p = PersonFactory(org=cast.school, name=f"补充{i:02d}")
        ActivityFactory(person=p, date=date(2026, 10, 1))
    with django_assert_max_num_queries(45):
        client.get(URL, {"at": AT})


def test_cell_lists_the_records_behind_it(client, cast, school):
    obs, maths = school
    params = {"org": cast.school.pk, "at": AT, "person": maths.pk, "requirement": obs.pk}
    r = get(client, cast.office, CELL, **params)
    assert r.status_code == 200
    body = r.content.decode()
    assert "数学的听课" in body and "张的听课" not in body and "<html" in body
    r = client.get(CELL, params, headers={"HX-Request": "true"})
    assert "<html" not in r.content.decode() and "数学的听课" in r.content.decode()


@pytest.mark.parametrize(
    ("who", "whose", "status"),
    [
        ("lead", "teacher", 200),
        ("lead", "maths", 404),  # not in the lead's group
        ("leader", "maths", 200),
        ("teacher", "teacher", 404),  # plain teachers use 我的任务
        ("outsider", "teacher", 404),
    ],
)
def test_cell_is_scoped(client, cast, school, who, whose, status):
    obs, maths = school
    person = maths if whose == "maths" else getattr(cast, whose).person
    params = {"org": cast.school.pk, "at": AT, "person": person.pk, "requirement": obs.pk}
    assert get(client, getattr(cast, who), CELL, **params).status_code == status


def test_cell_rejects_a_requirement_of_another_org(client, cast, school):
    foreign = RequirementFactory(org=cast.other_school, kinds=[kind("observation")])
    params = {
        "org": cast.school.pk, "person": cast.teacher.person.pk, "requirement": foreign.pk,
    }  # fmt: skip
    assert get(client, cast.office, CELL, **params).status_code == 404


def test_trend_json(client, cast, school):
    obs, _maths = school
    monthly = RequirementFactory(
        org=cast.school, name="每月听课", threshold=1, period=Requirement.Period.MONTH,
        kinds=[kind("observation")],
    )  # fmt: skip
    data = get(client, cast.office, TREND, org=cast.school.pk, at=AT).json()
    assert data["requirements"] == [
        {"id": obs.pk, "name": "听课"},
        {"id": monthly.pk, "name": "每月听课"},
    ]
    # By default the rules with a period over: the term's rule has none yet.
    assert data["selected"] == [monthly.pk] and data["limit"] == 6
    (month_rule,) = data["series"]
    assert month_rule["name"] == "每月听课（每月）"
    # September: 张老师 and 数学老师 heard a lesson, of 4 people; October: nobody.
    assert month_rule["data"] == [["2026-09-30", 50.0], ["2026-10-31", 0.0]]
    lead = get(client, cast.lead, TREND, org=cast.school.pk, at=AT).json()
    assert lead["series"][0]["data"][0] == ["2026-09-30", round(100 / 3, 1)]  # 语文组: 3
    # Ticked lines (hostile ids ignored), at most six; a ticked rule with nothing over yet
    # is drawn empty.
    one = get(client, cast.office, TREND, org=cast.school.pk, at=AT, line=[obs.pk, "²"]).json()
    assert one["series"] == [{"id": obs.pk, "name": "听课（每学期）", "data": []}]
    for n in range(7):
        RequirementFactory(org=cast.school, name=f"要求{n}", kinds=[kind("observation")])
    offered = get(client, cast.office, TREND, org=cast.school.pk, at=AT).json()["requirements"]
    assert len(offered) == 9
    every = [r["id"] for r in offered]
    many = get(client, cast.office, TREND, org=cast.school.pk, at=AT, line=every).json()
    assert len(many["series"]) == 6 == len(many["selected"])
    other = get(client, cast.office, TREND, org=cast.other_school.pk, at=AT)
    assert other.status_code == 404
