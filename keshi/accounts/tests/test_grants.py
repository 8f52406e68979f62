"""角色授权 without /admin/: the office grants, revokes and sets group leads; nobody else can."""

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from keshi.accounts import grants
from keshi.accounts.models import ApiToken, RoleGrant
from keshi.org.models import Membership, Person
from keshi.org.scoping import scope_for
from keshi.org.tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = reverse("roles:list")
Role = RoleGrant.Role


def person(user) -> Person:
    return Person.objects.get(user=user)


def fresh_scope(user):
    return scope_for(get_user_model().objects.get(pk=user.pk))


def test_office_grants_leader_and_the_role_takes_effect(cast, client):
    colleague = person(cast.other_teacher)
    assert cast.school.path not in fresh_scope(cast.other_teacher).read_paths
    client.force_login(cast.office)
    response = client.post(
        URL, {"grant": "1", "g-org": cast.school.pk, "g-person": colleague.pk, "g-role": "leader"}
    )
    assert response.status_code == 302
    assert cast.school.path in fresh_scope(cast.other_teacher).read_paths
    html = client.get(URL).content.decode()
    assert colleague.name in html and "学校领导（只读）" in html


def test_revoking_takes_effect_at_once_and_keeps_the_history(cast, client):
    grant = RoleGrant.objects.get(user=cast.leader)
    client.force_login(cast.office)
    assert client.post(reverse("roles:revoke", args=[grant.pk])).status_code == 302
    assert fresh_scope(cast.leader).read_paths == ()
    grant.refresh_from_db()
    assert grant.end == timezone.localdate() - timedelta(days=1)
    assert grant.history.count() == 2
    assert cast.leader.username in client.get(URL, {"show": "all"}).content.decode()


def test_a_future_grant_is_not_in_force_and_revoking_it_deletes_it(cast):
    colleague = person(cast.other_teacher)
    start = timezone.localdate() + timedelta(days=7)
    grant = grants.grant_role(
        by=cast.office, org=cast.school, person=colleague, role=Role.OFFICE, start=start
    )
    assert fresh_scope(cast.other_teacher).manage_paths == ()
    assert grants.revoke_role(by=cast.office, grant=grant) is None
    assert not RoleGrant.every.filter(pk=grant.pk).exists()


def test_granting_again_changes_the_dates_of_the_same_grant(cast):
    colleague = person(cast.other_teacher)
    first = grants.grant_role(by=cast.office, org=cast.school, person=colleague, role="leader")
    end = date(2027, 7, 31)
    again = grants.grant_role(
        by=cast.office, org=cast.school, person=colleague, role="leader", end=end
    )
    assert again.pk == first.pk and again.end == end


@pytest.mark.parametrize(
    "case, message",
    [
        ("other_org", None),
        ("outsider_person", "不属于"),
        ("no_login", "还没有登录账号"),
        ("district_role_at_school", "不能授予"),
        ("end_before_start", "结束日期早于起始日期"),
    ],
)
def test_bad_grants_are_refused(cast, case, message):
    colleague = person(cast.other_teacher)
    kwargs = {"by": cast.office, "org": cast.school, "person": colleague, "role": "leader"}
    if case == "other_org":
        kwargs["org"] = cast.other_school
    elif case == "outsider_person":
        kwargs["person"] = person(cast.outsider)
    elif case == "no_login":
        kwargs["person"] = PersonFactory(org=cast.school)
    elif case == "district_role_at_school":
        kwargs["role"] = Role.DISTRICT
    else:
        kwargs.update(start=date(2026, 9, 1), end=date(2026, 8, 1))
    expected = PermissionDenied if message is None else ValidationError
    with pytest.raises(expected) as raised:
        grants.grant_role(**kwargs)
    if message:
        assert message in str(raised.value)
    assert not RoleGrant.objects.filter(user=kwargs["person"].user_id, role=kwargs["role"]).exists()


def test_the_district_office_grants_district_roles(cast):
    district_office = UserFactory(username="qu_office")
    RoleGrant.objects.create(user=district_office, org=cast.district_org, role=Role.OFFICE)
    officer = PersonFactory(org=cast.district_org, user=UserFactory(username="jiaoyanyuan"))
    grants.grant_role(by=district_office, org=cast.district_org, person=officer, role="district")
    assert cast.school.path.startswith(fresh_scope(officer.user).read_paths[0])
    with pytest.raises(PermissionDenied):  # a school's office cannot grant at the district
        grants.grant_role(by=cast.office, org=cast.district_org, person=officer, role="district")


def test_nobody_revokes_their_own_office_role(cast, client):
    grant = RoleGrant.objects.get(user=cast.office)
    client.force_login(cast.office)
    response = client.post(reverse("roles:revoke", args=[grant.pk]), follow=True)
    assert "不能撤销自己的科室管理员角色" in response.content.decode()
    assert RoleGrant.objects.filter(pk=grant.pk).exists()


def test_only_office_staff_open_the_page(cast, client):
    grant = RoleGrant.objects.get(user=cast.leader)
    for user in (cast.teacher, cast.lead, cast.leader, cast.district, cast.outsider):
        client.force_login(user)
        assert client.get(URL).status_code == 403
        assert client.post(reverse("roles:revoke", args=[grant.pk])).status_code in (403, 404)
    assert RoleGrant.objects.filter(pk=grant.pk).exists()


def test_the_page_offers_only_our_orgs_and_people(cast, client):
    client.force_login(cast.office)
    form = client.get(URL).context["grant_form"]
    assert list(form.fields["org"].queryset) == [cast.school]
    people = set(form.fields["person"].queryset)
    assert person(cast.teacher) in people and person(cast.outsider) not in people
    response = client.post(
        URL, {"grant": "1", "g-org": cast.other_school.pk, "g-person": person(cast.teacher).pk,
              "g-role": "office"},
    )  # fmt: skip
    assert response.status_code == 200 and response.context["grant_form"].errors["org"]


def test_office_makes_a_teacher_group_lead_and_back(cast, client):
    colleague = person(cast.other_teacher)
    client.force_login(cast.office)
    data = {"lead": "1", "l-group": cast.group.pk, "l-person": colleague.pk, "l-role": "lead"}
    assert client.post(URL, data).status_code == 302
    assert cast.group.pk in fresh_scope(cast.other_teacher).lead_group_ids
    tomorrow = timezone.localdate() + timedelta(days=1)
    grants.set_group_role(
        by=cast.office, group=cast.group, person=colleague, role="member", start=tomorrow
    )
    today = timezone.localdate()
    memberships = Membership.objects.filter(group=cast.group, person=colleague).order_by("pk")
    assert [(m.role, m.start, m.end) for m in memberships][1:] == [
        ("lead", today, today),
        ("member", tomorrow, None),
    ]
    assert memberships[0].end == today - timedelta(days=1)  # the membership before the lead


@pytest.fixture
def api(client):
    def call(user, method, url, data=None):
        headers = {"Authorization": f"Bearer {ApiToken.issue(user)[1]}"}
        if method == "get":
            return client.get(url, data or {}, headers=headers)
        return client.post(url, data or {}, content_type="application/json", headers=headers)

    return call


def test_api_grants_lists_and_revokes(cast, api):
    colleague = person(cast.other_teacher)
    payload = {"org": "demo", "person_id": colleague.pk, "role": "leader"}
    response = api(cast.office, "post", "/api/v1/role-grants", payload)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["username"] == cast.other_teacher.username and body["in_force"] is True
    listed = api(cast.office, "get", "/api/v1/role-grants", {"in_force": "true"}).json()
    assert {g["username"] for g in listed["items"]} >= {cast.other_teacher.username}
    revoked = api(cast.office, "post", f"/api/v1/role-grants/{body['id']}/revoke")
    assert revoked.status_code == 200 and revoked.json()["in_force"] is False


def test_api_refuses_other_orgs_and_non_office_callers(cast, api):
    colleague = person(cast.other_teacher)
    other = {"org": "other", "person_id": colleague.pk, "role": "leader"}
    assert api(cast.office, "post", "/api/v1/role-grants", other).status_code == 404
    ours = {"org": "demo", "person_id": colleague.pk, "role": "office"}
    for user in (cast.teacher, cast.leader, cast.district, cast.outsider):
        assert api(user, "post", "/api/v1/role-grants", ours).status_code == 404
        assert api(user, "get", "/api/v1/role-grants").json()["items"] == []
    grant = RoleGrant.objects.get(user=cast.leader)
    revoke = f"/api/v1/role-grants/{grant.pk}/revoke"
    assert api(cast.outsider, "post", revoke).status_code == 404
    assert not RoleGrant.objects.filter(user=cast.other_teacher).exists()
