"""登录账号 and 角色授权 on the list component: pages, search, empty state, hostile params."""

import pytest
from django.urls import reverse

from keshi.accounts.models import RoleGrant
from keshi.org.tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db
LOGINS = reverse("logins:list")
ROLES = reverse("roles:list")
HOSTILE = [
    {"page": "x"},
    {"state": "zzz"},
    {"show": "zzz"},
    {"role": "zzz"},
    {"org": "²"},
    {"page": "9" * 30},
    {"q": "x" * 500},
]


def names(response) -> list[str]:
    return [p.name for p in response.context["page"].object_list]


def test_logins_paginate_and_search(cast, client):
    for i in range(30):
        PersonFactory(org=cast.school, name=f"分页{i:02d}", staff_no=f"90{i:03d}")
    client.force_login(cast.office)
    first = client.get(LOGINS)
    assert first.status_code == 200
    page = first.context["page"]
    assert page.paginator.num_pages >= 2 and len(page.object_list) == 25
    assert "list-table" in first.content.decode()
    assert client.get(LOGINS, {"page": 2}).context["page"].number == 2
    assert names(client.get(LOGINS, {"q": "分页07"})) == ["分页07"]
    assert client.get(LOGINS, {"q": "90", "state": "none"}).context["page"].paginator.count == 30


def test_logins_empty_state_says_what_to_do(cast, client):
    client.force_login(cast.office)
    body = client.get(LOGINS, {"q": "没有这个人"}).content.decode()
    assert "没有符合条件的人员" in body and "清除筛选" in body


@pytest.mark.parametrize("params", HOSTILE)
def test_hostile_parameters_are_ignored(cast, client, params):
    client.force_login(cast.office)
    for url in (LOGINS, ROLES):
        response = client.get(url, params)
        assert response.status_code == 200, (url, params)
    full = client.get(LOGINS)
    if "q" not in params:
        assert len(client.get(LOGINS, params).context["page"].object_list) == len(
            full.context["page"].object_list
        )


def test_logins_stay_office_only(cast, client):
    for user in (cast.teacher, cast.lead, cast.district):
        client.force_login(user)
        assert client.get(LOGINS).status_code == 403


def test_grants_paginate_search_and_filter_by_role(cast, client):
    for i in range(30):
        user = UserFactory(username=f"grant{i:02d}")
        PersonFactory(org=cast.school, user=user, name=f"授权{i:02d}")
        RoleGrant.objects.create(user=user, org=cast.school, role=RoleGrant.Role.LEADER)
    client.force_login(cast.office)
    response = client.get(ROLES)
    assert response.status_code == 200
    assert response.context["page"].paginator.num_pages >= 2
    assert "当前的组长与副组长" in response.content.decode()
    found = client.get(ROLES, {"q": "grant07"}).context["page"].object_list
    assert [g.user.username for g in found] == ["grant07"]
    roles = {
        g.role for g in client.get(ROLES, {"role": "leader"}).context["page"].paginator.object_list
    }
    assert roles == {RoleGrant.Role.LEADER}
    body = client.get(ROLES, {"q": "nobody-here"}).content.decode()
    assert "没有符合条件的角色授权" in body


def test_grants_stay_for_managers(cast, client):
    client.force_login(cast.teacher)
    assert client.get(ROLES).status_code == 403
