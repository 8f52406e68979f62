import pytest
from django.urls import reverse

from keshi.org.models import Group, Membership, Person
from keshi.org.tests.factories import GroupFactory, MembershipFactory, PersonFactory
from keshi.web.tests.pages import get, user_of

URL = reverse("org:groups")


def group_url(group) -> str:
    return reverse("org:group", args=[group.pk])


@pytest.fixture
def other_group(cast):
    g = GroupFactory(org=cast.other_school, name="外校数学组")
    MembershipFactory(person=Person.objects.get(name="赵老师"), group=g, role="lead")
    return g


def names(response) -> list[str]:
    return [g.name for g in response.context["page"].object_list]


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("lead", ["语文组"]),
        ("office", ["语文组"]),
        ("leader", ["语文组"]),
        ("district", ["语文组", "外校数学组"]),
        ("admin", ["语文组", "外校数学组"]),
    ],
)
def test_list_is_scoped(client, cast, other_group, admin_user, who, expected):
    r = get(client, user_of(cast, who, admin_user), URL)
    assert r.status_code == 200
    assert sorted(names(r)) == sorted(expected)


@pytest.mark.parametrize("who", ["teacher", "outsider"])
def test_plain_teachers_get_403_on_list(client, cast, who):
    assert get(client, getattr(cast, who), URL).status_code == 403


def test_list_shows_leads_and_member_counts(client, cast):
    body = get(client, cast.office, URL).content.decode()
    assert "王组长" in body
    group = get(client, cast.office, URL).context["page"].object_list[0]
    assert group.member_count == 3


def test_member_count_ignores_ended_and_inactive(client, cast):
    from datetime import date

    Membership.objects.filter(person__name="李老师").update(end=date(2001, 1, 1))
    Person.objects.filter(name="张老师").update(active=False)
    group = get(client, cast.office, URL).context["page"].object_list[0]
    assert group.member_count == 1


def test_search_kind_filter_and_pagination(client, cast):
    for i in range(30):
        GroupFactory(org=cast.school, name=f"备课组{i:02d}", kind=Group.Kind.PREP)
    r = get(client, cast.office, URL, kind="prep")
    assert len(names(r)) == 25 and "kind=prep" in r.content.decode()
    assert len(names(get(client, cast.office, URL, kind="prep", page=2))) == 5
    assert names(get(client, cast.office, URL, q="语文")) == ["语文组"]
    assert "没有符合条件的组" in get(client, cast.office, URL, q="无此组").content.decode()


@pytest.mark.parametrize(
    ("who", "status", "sees_members"),
    [
        ("teacher", 200, False),
        ("lead", 200, True),
        ("office", 200, True),
        ("leader", 200, True),
        ("district", 200, True),
        ("outsider", 404, None),
        ("admin", 200, True),
    ],
)
def test_group_page_access(client, cast, admin_user, who, status, sees_members):
    r = get(client, user_of(cast, who, admin_user), group_url(cast.group))
    assert r.status_code == status
    if status == 200:
        body = r.content.decode()
        assert ("李老师" in body) is sees_members
        assert "3 名成员" in body


def test_other_schools_group_is_404_for_office(client, cast, other_group):
    assert get(client, cast.office, group_url(other_group)).status_code == 404


def test_group_page_lists_roles_and_subgroups(client, cast):
    prep = GroupFactory(
        org=cast.school, name="初一语文备课组", kind=Group.Kind.PREP, parent=cast.group
    )
    body = get(client, cast.lead, group_url(cast.group)).content.decode()
    assert "组长" in body and "初一语文备课组" in body
    assert group_url(prep) in body
    # the lead also reads the sub-group's members
    MembershipFactory(person=PersonFactory(org=cast.school, name="备课组员"), group=prep)
    assert "备课组员" in get(client, cast.lead, group_url(prep)).content.decode()


def test_group_audit_trail_for_office_only(client, cast):
    cast.group.subject = "语文"
    cast.group.save()
    assert "变更记录" in get(client, cast.office, group_url(cast.group)).content.decode()
    assert "变更记录" not in get(client, cast.lead, group_url(cast.group)).content.decode()


def test_hostile_group_name_escaped(client, cast):
    Group.objects.filter(pk=cast.group.pk).update(name="<script>alert(1)</script>")
    for page in (URL, group_url(cast.group)):
        body = get(client, cast.office, page).content.decode()
        assert "<script>alert(1)" not in body
