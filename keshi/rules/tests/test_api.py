"""The requirements API and a group's standing: office staff write with Chinese 422 errors,
readers read, teachers are refused, another school gets 404."""

import json
from decimal import Decimal

import pytest

from keshi.accounts.models import ApiToken
from keshi.org.models import Group
from keshi.org.tests.factories import GroupFactory
from keshi.records.tests.factories import kind
from keshi.rules.models import Requirement
from keshi.rules.tests.factories import RequirementFactory
from keshi.rules.tests.test_pages_groups import setup  # noqa: F401 -- a fixture

pytestmark = pytest.mark.django_db
URL = "/api/v1/requirements"


def call(client, user, method: str, url: str, body=None, **params):
    headers = {"Authorization": f"Bearer {ApiToken.issue(user)[1]}"}
    if method == "get":
        return client.get(url, params, headers=headers)
    if params:
        url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    return getattr(client, method)(
        url, json.dumps(body), content_type="application/json", headers=headers
    )


GROUP_RULE = {
    "name": "教研组活动",
    "owner": "group",
    "owner_group_kind": "subject",
    "kinds": ["group_activity"],
    "threshold": 1,
    "period": "week",
}


def test_office_creates_a_group_rule(client, cast):
    r = call(client, cast.office, "post", URL, GROUP_RULE, org="demo")
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["owner"] == "group" and body["owner_group_kind"] == "subject"
    assert body["sentence"] == "每个教研组每周教研活动不少于1次"
    assert Requirement.objects.get(pk=body["id"]).owner == Requirement.Owner.GROUP


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"owner_group_kind": ""}, "owner_group_kind", "按组考核请选择适用的组"),
        ({"kinds": ["observation", "group_activity"]}, "kinds", "二者不能同时选"),
        ({"kinds": ["observation"], "measure": "chars"}, "measure", "“条数”或“数量合计”"),
        ({"group_role": "lead"}, "group_role", "不按个人筛选"),
        ({"measure": "quantity"}, "measure", "计量请选“条数”"),
        ({"source": "inspections", "kinds": []}, "source", "不能按检查统计"),
        ({"owner": "role", "owner_group_kind": ""}, "owner_role", "请选择角色"),
        ({"kinds": ["nope"]}, "kinds", "未知的记录类型"),
    ],
)
def test_bad_owner_values_are_422_in_chinese(client, cast, change, field, message):
    r = call(client, cast.office, "post", URL, GROUP_RULE | change, org="demo")
    assert r.status_code == 422, r.content
    assert any(message in m for m in r.json()["errors"][field])
    assert not Requirement.objects.exists()


def test_unknown_choice_is_422_not_500(client, cast):
    r = call(client, cast.office, "post", URL, GROUP_RULE | {"owner": "team"}, org="demo")
    assert r.status_code == 422 and "owner" in r.json()["detail"]


def test_office_creates_a_role_rule_over_inspections(client, cast):
    body = {
        "name": "教研员抽查备课笔记",
        "owner": "role",
        "owner_role": "office",
        "source": "inspections",
        "inspection_kind": "spot",
        "measure": "quantity",
        "threshold": 2,
        "period": "week",
    }
    r = call(client, cast.office, "post", URL, body, org="demo")
    assert r.status_code == 201, r.content
    assert r.json()["sentence"] == "教科室人员每周完成抽查不少于2人次"
    r = call(client, cast.office, "patch", f"{URL}/{r.json()['id']}", {"kinds": ["observation"]})
    assert r.status_code == 422 and "不选记录类型" in r.json()["detail"]


def test_who_may_read_and_write(client, cast):
    req = RequirementFactory(org=cast.school, name="听课", kinds=[kind("observation")])
    theirs = RequirementFactory(org=cast.other_school, name="他校听课", kinds=[kind("observation")])
    names = {i["name"] for i in call(client, cast.lead, "get", URL).json()["items"]}
    assert names == {"听课"}
    assert call(client, cast.teacher, "get", URL).status_code == 403
    assert call(client, cast.office, "get", f"{URL}/{theirs.pk}").status_code == 404
    r = call(client, cast.lead, "patch", f"{URL}/{req.pk}", {"threshold": 5})
    assert r.status_code == 403
    r = call(client, cast.outsider, "patch", f"{URL}/{req.pk}", {"threshold": 5})
    assert r.status_code == 404
    r = call(
        client, cast.office, "patch", f"{URL}/{req.pk}", {"owner": "role", "owner_role": "leader"}
    )
    assert r.status_code == 200 and r.json()["owner_role"] == "leader"
    assert call(client, cast.teacher, "post", URL, GROUP_RULE, org="demo").status_code == 403


def test_group_standing_allowed_and_refused(client, cast, setup):  # noqa: F811
    _req, maths = setup
    url = f"/api/v1/groups/{cast.group.pk}/standing"
    r = call(client, cast.lead, "get", url)
    assert r.status_code == 200, r.content
    [row] = r.json()["requirements"]
    assert row["name"] == "读书活动" and row["status"] == "met"
    assert Decimal(row["value"]) == Decimal(row["target"]) == 3
    assert call(client, cast.office, "get", url).status_code == 200
    assert call(client, cast.teacher, "get", url).status_code == 403
    assert call(client, cast.outsider, "get", url).status_code == 404
    assert call(client, cast.lead, "get", f"/api/v1/groups/{maths.pk}/standing").status_code == 403
    theirs = GroupFactory(org=cast.other_school, name="他校语文组", kind=Group.Kind.SUBJECT)
    assert call(client, cast.lead, "get", f"/api/v1/groups/{theirs.pk}/standing").status_code == 404
