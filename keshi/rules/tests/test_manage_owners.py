"""按组、按角色 on the manage side: the form's Chinese errors, the preview's groups, exemptions,
and the cache renewed by a role grant."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from keshi.accounts.models import RoleGrant
from keshi.calendar.services import create_school_year
from keshi.org.models import Group, Person
from keshi.org.tests.factories import GroupFactory, PersonFactory
from keshi.records.tests.factories import ActivityFactory, kind
from keshi.rules import services, standing
from keshi.rules.models import Requirement
from keshi.rules.tests.test_manage_views import as_user, form_data

pytestmark = pytest.mark.django_db
R = Requirement
NEW = reverse("requirements:new")


def group_form(**overrides) -> dict:
    return (
        form_data(
            name="教研组活动",
            kinds=[kind("group_activity").pk],
            teaching_years_max="",
            threshold="1",
            period="week",
            owner="group",
            owner_group_kind="subject",
        )
        | overrides
    )


def test_office_creates_a_group_rule_through_the_form(client, cast):
    as_user(client, cast.office)
    r = client.post(NEW, group_form())
    assert r.status_code == 302, r.content.decode()[:500]
    req = Requirement.objects.get()
    assert (req.owner, req.owner_group_kind, req.source) == ("group", "subject", "records")


def test_old_posts_without_the_new_fields_are_person_owned(client, cast):
    as_user(client, cast.office)
    assert client.post(NEW, form_data()).status_code == 302
    assert Requirement.objects.get().owner == R.Owner.PERSON


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"owner_group_kind": ""}, "按组考核请选择适用的组，或选择组类型"),
        ({"kinds": "observation group_activity"}, "二者不能同时选"),
        ({"kinds": "observation", "measure": "chars"}, "计量请选“条数”或“数量合计”"),
        ({"teaching_years_max": "2"}, "不按个人筛选，请清空“教龄上限”"),
        ({"owner": "role", "owner_group_kind": ""}, "按角色考核请选择角色"),
        ({"owner": "person"}, "组类型只用于按组考核"),
        ({"source": "inspections"}, "不能按检查统计"),
    ],
)
def test_the_form_refuses_what_the_engine_cannot_judge(client, cast, change, message):
    as_user(client, cast.office)
    if "kinds" in change:
        change = change | {"kinds": [kind(code).pk for code in change["kinds"].split()]}
    r = client.post(NEW, group_form(**change))
    assert r.status_code == 200
    assert message in r.content.decode()
    assert not Requirement.objects.exists()


def test_inspections_need_no_kinds_but_records_do(client, cast):
    as_user(client, cast.office)
    data = form_data(
        name="教研员抽查",
        kinds=[],
        teaching_years_max="",
        owner="role",
        owner_role="office",
        source="inspections",
        inspection_kind="spot",
        measure="quantity",
    )
    assert client.post(NEW, data).status_code == 302
    r = client.post(NEW, form_data(name="听课", kinds=[]))
    assert "请至少选择一种记录类型" in r.content.decode()


def test_preview_lists_the_groups_that_owe_a_group_rule(client, cast):
    create_school_year(org=cast.school, start_year=2026)
    GroupFactory(org=cast.school, name="数学组", kind=Group.Kind.SUBJECT)
    GroupFactory(org=cast.school, name="初一年级组", kind=Group.Kind.GRADE)
    as_user(client, cast.office)
    url = reverse("requirements:preview") + f"?org={cast.school.pk}"
    body = client.post(url, group_form()).content.decode()
    assert "每个教研组每周教研活动不少于1次" in body
    assert "个组" in body and "数学组" in body and "初一年级组" not in body


def test_no_exemption_from_a_group_rule(cast):
    req = services.create_requirement(
        org=cast.school,
        user=None,
        name="教研组活动",
        kinds=[kind("group_activity")],
        threshold=1,
        owner=R.Owner.GROUP,
        owner_group_kind=Group.Kind.SUBJECT,
    )
    with pytest.raises(ValidationError) as err:
        services.add_exemption(
            user=cast.office,
            person=cast.lead.person,
            requirement=req,
            start=date(2026, 9, 1),
            end=date(2026, 9, 30),
            reason="病假",
        )
    assert "不能给个人豁免" in str(err.value)


def test_a_new_grant_renews_the_holders_cached_standing(
    cast, term, django_capture_on_commit_callbacks
):
    principal = PersonFactory(org=cast.school, name="周校长", user=cast.leader)
    req = services.create_requirement(
        org=cast.school,
        user=None,
        name="校长听课",
        kinds=[kind("observation")],
        threshold=10,
        owner=R.Owner.ROLE,
        owner_role=R.HolderRole.LEADER,
    )
    ActivityFactory(person=principal, date=date(2026, 9, 10))
    standing.publish()

    def cell():
        people = Person.objects.filter(pk=principal.pk)
        result = standing.evaluate(
            term=term, at=date(2026, 12, 1), people=people, requirements=[req], history=False
        )
        return result.current(principal.pk, req.pk)

    assert cell().target == 10
    with django_capture_on_commit_callbacks(execute=True):
        grant = RoleGrant.every.get(user=cast.leader)
        grant.start = date(2026, 12, 1)
        grant.save()
    assert cell().target == 4  # 53 of 144 days held
