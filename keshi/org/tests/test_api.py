"""The org API against the cast: who sees and changes which orgs, groups and people."""

from datetime import date

import pytest

from keshi.accounts.models import ApiToken
from keshi.org.models import Group, Membership, Person
from keshi.org.tests.factories import (
    GroupFactory,
    MembershipFactory,
    MentorshipFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client):
    """``api(user).get(url)`` etc.: the test client with that user's bearer token."""

    class As:
        def __init__(self, user):
            self.headers = {"Authorization": f"Bearer {ApiToken.issue(user)[1]}"}

        def get(self, url, **params):
            return client.get(url, params, headers=self.headers)

        def patch(self, url, data):
            return client.patch(url, data, content_type="application/json", headers=self.headers)

        def post(self, url, data):
            return client.post(url, data, content_type="application/json", headers=self.headers)

    return As


def person(user) -> Person:
    return Person.objects.get(user=user)


def names(response) -> set[str]:
    assert response.status_code == 200, response.content
    body = response.json()
    return {p["name"] for p in body.get("items", body) if isinstance(p, dict)}


# ---------------------------------------------------------------- orgs


def test_orgs_by_role(cast, api):
    codes = {
        who: {o["code"] for o in api(getattr(cast, who)).get("/api/v1/orgs").json()}
        for who in ("teacher", "office", "outsider", "district")
    }
    assert codes["teacher"] == {"demo"}
    assert codes["office"] == {"demo"}
    assert codes["outsider"] == {"other"}
    assert codes["district"] == {"district", "demo", "other"}


def test_org_detail_and_invisible_org_is_404(cast, api):
    body = api(cast.office).get("/api/v1/orgs/demo").json()
    assert body == {
        "id": cast.school.pk,
        "code": "demo",
        "name": "示范中学",
        "kind": "school",
        "parent": "district",
    }
    assert api(cast.outsider).get("/api/v1/orgs/demo").status_code == 404
    assert api(cast.office).get("/api/v1/orgs/nope").status_code == 404


# ---------------------------------------------------------------- groups


def test_groups_filters_and_pagination(cast, api):
    GroupFactory(org=cast.school, name="数学组", subject="数学")
    GroupFactory(org=cast.school, name="高一年级组", kind=Group.Kind.GRADE)
    GroupFactory(org=cast.other_school, name="英语组")
    office = api(cast.office)
    assert names(office.get("/api/v1/groups")) == {"语文组", "数学组", "高一年级组"}
    assert names(office.get("/api/v1/groups", kind="grade")) == {"高一年级组"}
    assert names(office.get("/api/v1/groups", q="数学")) == {"数学组"}
    assert names(office.get("/api/v1/groups", org="other")) == set()
    page = office.get("/api/v1/groups", page=2, page_size=2).json()
    assert page["count"] == 3 and len(page["items"]) == 1
    district = api(cast.district)
    assert names(district.get("/api/v1/groups", org="other")) == {"英语组"}
    assert names(api(cast.outsider).get("/api/v1/groups")) == {"英语组"}


def test_group_detail_members_follow_scoping(cast, api):
    url = f"/api/v1/groups/{cast.group.pk}"
    members = {
        who: {m["name"] for m in api(getattr(cast, who)).get(url).json()["members"]}
        for who in ("teacher", "lead", "office")
    }
    assert members["teacher"] == {"张老师"}
    assert members["lead"] == members["office"] == {"张老师", "李老师", "王组长"}
    assert api(cast.outsider).get(url).status_code == 404
    assert api(cast.office).get("/api/v1/groups/999999").status_code == 404


def test_bad_page_is_422_with_chinese_detail(cast, api):
    response = api(cast.office).get("/api/v1/groups", page=0)
    assert response.status_code == 422
    assert "请求参数不合法" in response.json()["detail"]
    assert "page" in response.json()["detail"]


# ---------------------------------------------------------------- people: reads


def test_people_by_role(cast, api):
    everyone_at_demo = {"张老师", "李老师", "王组长"}
    assert names(api(cast.teacher).get("/api/v1/people")) == {"张老师"}
    assert names(api(cast.lead).get("/api/v1/people")) == everyone_at_demo
    assert names(api(cast.office).get("/api/v1/people")) == everyone_at_demo
    assert names(api(cast.leader).get("/api/v1/people")) == everyone_at_demo
    assert names(api(cast.outsider).get("/api/v1/people")) == {"赵老师"}
    assert names(api(cast.district).get("/api/v1/people")) == everyone_at_demo | {"赵老师"}
    assert names(api(cast.outsider).get("/api/v1/people", org="demo")) == set()


def test_people_filters(cast, api):
    maths = GroupFactory(org=cast.school, name="数学组")
    MembershipFactory(group=maths, person=PersonFactory(org=cast.school, name="钱老师"))
    PersonFactory(org=cast.school, name="孙老师", subject="物理", staff_no="P0099", active=False)
    office = api(cast.office)
    assert names(office.get("/api/v1/people", group=maths.pk)) == {"钱老师"}
    assert names(office.get("/api/v1/people", q="物理")) == {"孙老师"}
    assert names(office.get("/api/v1/people", q="P0099")) == {"孙老师"}
    assert names(office.get("/api/v1/people", q="张")) == {"张老师"}
    assert names(office.get("/api/v1/people", active="false")) == {"孙老师"}
    assert "孙老师" not in names(office.get("/api/v1/people", active="true"))
    # a group of another school filters to nobody rather than leaking its members
    assert names(api(cast.outsider).get("/api/v1/people", group=cast.group.pk)) == set()


def test_org_and_group_filters_include_what_lies_below(cast, api):
    prep = GroupFactory(
        org=cast.school, name="高一语文备课组", kind=Group.Kind.PREP, parent=cast.group
    )
    MembershipFactory(group=prep, person=PersonFactory(org=cast.school, name="吴老师"))
    district = api(cast.district)
    assert names(district.get("/api/v1/people", org="district")) == {
        "张老师",
        "李老师",
        "王组长",
        "赵老师",
        "吴老师",
    }
    assert "吴老师" in names(district.get("/api/v1/people", group=cast.group.pk))
    assert names(district.get("/api/v1/groups", org="district")) == {"语文组", "高一语文备课组"}
    # a filter naming an org the caller cannot see yields nothing, not everything
    assert names(api(cast.office).get("/api/v1/people", org="district")) == set()
    assert names(api(cast.office).get("/api/v1/groups", org="other")) == set()


def test_people_list_paginates(cast, api):
    for n in range(5):
        PersonFactory(org=cast.school, name=f"新教师{n}")
    page = api(cast.office).get("/api/v1/people", page_size=3, page=3).json()
    assert page["count"] == 8
    assert len(page["items"]) == 2


def test_person_detail_with_ages_memberships_and_mentorships(cast, api):
    me = person(cast.teacher)
    me.birth_date, me.teaching_start = date(1988, 2, 29), date(2010, 9, 1)
    me.save()
    mentor = person(cast.other_teacher)
    MentorshipFactory(org=cast.school, mentor=mentor, mentee=me)
    body = api(cast.teacher).get(f"/api/v1/people/{me.pk}", at="2026-02-28").json()
    assert body["at"] == "2026-02-28"
    assert body["age"] == 37  # born 29 Feb: 38 only on 1 March in a common year
    assert body["teaching_years"] == 15
    assert body["phone"] == "13800000000"
    assert body["birth_date"] == "1988-02-29"
    assert body["memberships"] == [
        {"group_id": cast.group.pk, "group": "语文组", "role": "member", "start": None, "end": None}
    ]
    [pair] = body["mentorships"]
    assert (pair["mentor"]["name"], pair["mentee"]["name"]) == ("李老师", "张老师")
    assert api(cast.teacher).get(f"/api/v1/people/{me.pk}", at="2026-03-01").json()["age"] == 38


def test_person_detail_defaults_to_today(cast, api):
    me = person(cast.teacher)
    body = api(cast.teacher).get(f"/api/v1/people/{me.pk}").json()
    assert body["at"] == date.today().isoformat()
    assert body["age"] == me.age()


def test_invisible_person_is_404_never_403(cast, api):
    other = person(cast.other_teacher)
    url = f"/api/v1/people/{other.pk}"
    assert api(cast.teacher).get(url).status_code == 404
    assert api(cast.outsider).get(url).status_code == 404
    assert api(cast.lead).get(url).status_code == 200
    assert api(cast.office).get(url).status_code == 200
    assert api(cast.district).get(url).status_code == 200
    missing = api(cast.office).get("/api/v1/people/987654321")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "未找到。"}


def test_former_group_member_is_hidden_from_the_lead(cast, api):
    former = PersonFactory(org=cast.school, name="周老师")
    MembershipFactory(person=former, group=cast.group, end=date(2020, 1, 1))
    assert api(cast.lead).get(f"/api/v1/people/{former.pk}").status_code == 404


def test_me(cast, api):
    body = api(cast.lead).get("/api/v1/me").json()
    assert body["username"] == "lead"
    assert body["roles"] == ["lead", "teacher"]
    assert body["person"]["name"] == "王组长"
    office = api(cast.office).get("/api/v1/me").json()
    assert office == {"username": "office", "roles": ["office"], "person": None}


# ---------------------------------------------------------------- people: writes


def test_office_patches_a_teacher(cast, api):
    other = person(cast.other_teacher)
    response = api(cast.office).patch(
        f"/api/v1/people/{other.pk}",
        {"title": "一级教师", "subject": "语文", "tags": ["骨干教师", "新教师"], "active": False},
    )
    assert response.status_code == 200, response.content
    other.refresh_from_db()
    assert (other.title, other.active) == ("一级教师", False)
    assert sorted(response.json()["tags"]) == ["新教师", "骨干教师"]
    assert other.history.count() >= 2  # the audit trail saw the change


def test_teacher_patches_only_own_phone(cast, api):
    me = person(cast.teacher)
    teacher = api(cast.teacher)
    response = teacher.patch(f"/api/v1/people/{me.pk}", {"phone": "13900000001"})
    assert response.status_code == 200
    assert response.json()["phone"] == "13900000001"
    response = teacher.patch(f"/api/v1/people/{me.pk}", {"title": "高级教师"})
    assert response.status_code == 403
    assert response.json()["detail"] == "教师只能修改自己的手机号。"
    me.refresh_from_db()
    assert me.title == ""


def test_teacher_cannot_patch_another_teacher(cast, api):
    other = person(cast.other_teacher)
    response = api(cast.teacher).patch(f"/api/v1/people/{other.pk}", {"phone": "1"})
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.phone == "13800000000"


@pytest.mark.parametrize("who", ["lead", "leader", "district"])
def test_readers_cannot_patch(cast, api, who):
    other = person(cast.other_teacher)
    response = api(getattr(cast, who)).patch(f"/api/v1/people/{other.pk}", {"phone": "1"})
    assert response.status_code == 403
    assert response.json()["detail"]


def test_outsider_office_cannot_patch_demo(cast, api):
    other = person(cast.other_teacher)
    assert api(cast.outsider).patch(f"/api/v1/people/{other.pk}", {}).status_code == 404


def test_patch_validation_is_chinese_4xx(cast, api):
    other = person(cast.other_teacher)
    response = api(cast.office).patch(f"/api/v1/people/{other.pk}", {"phone": "1" * 31})
    assert response.status_code == 422
    assert response.json()["detail"].startswith("请求参数不合法")
    response = api(cast.office).patch(f"/api/v1/people/{other.pk}", {"tags": [""]})
    assert response.status_code == 422


def test_office_creates_a_person(cast, api):
    response = api(cast.office).post(
        "/api/v1/people",
        {
            "org": "demo",
            "name": "新老师",
            "staff_no": "N001",
            "gender": "F",
            "birth_date": "1999-02-28",
            "teaching_start": "2024-09-01",
            "subject": "英语",
            "tags": ["新教师"],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["org"], body["name"], body["tags"]) == ("demo", "新老师", ["新教师"])
    created = Person.objects.get(pk=body["id"])
    assert created.org == cast.school and created.staff_no == "N001"


def test_duplicate_staff_no_is_422_not_500(cast, api):
    PersonFactory(org=cast.school, staff_no="DUP1")
    response = api(cast.office).post(
        "/api/v1/people", {"org": "demo", "name": "甲", "staff_no": "DUP1"}
    )
    assert response.status_code == 422
    assert "工号" in response.json()["detail"]


def test_future_birth_date_is_rejected(cast, api):
    response = api(cast.office).post(
        "/api/v1/people", {"org": "demo", "name": "甲", "birth_date": "2999-01-01"}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {"birth_date": ["日期不能晚于今天。"]}


@pytest.mark.parametrize("who", ["teacher", "lead", "leader", "district", "outsider"])
def test_only_office_creates_people(cast, api, who):
    before = Person.objects.count()
    response = api(getattr(cast, who)).post("/api/v1/people", {"org": "demo", "name": "甲"})
    assert response.status_code == 403
    assert Person.objects.count() == before


def test_office_cannot_create_in_another_school(cast, api):
    response = api(cast.office).post("/api/v1/people", {"org": "other", "name": "甲"})
    assert response.status_code == 403
    assert not Person.objects.filter(name="甲").exists()


def test_lead_role_needs_a_current_membership(cast, api):
    Membership.objects.filter(person__user=cast.lead).update(end=date(2020, 1, 1))
    assert names(api(cast.lead).get("/api/v1/people")) == {"王组长"}
