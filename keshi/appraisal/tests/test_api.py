"""The ledger API: a teacher reads their own entries, a group lead their members', staff their
orgs'; other schools' rows are 404; reimbursement flags come with the rule."""

from datetime import date
from decimal import Decimal

import pytest

from keshi.accounts.models import ApiToken
from keshi.appraisal.models import PointEntry, PointRule, Source

pytestmark = pytest.mark.django_db


def get(client, user, url, **params):
    headers = {"Authorization": f"Bearer {ApiToken.issue(user)[1]}"}
    return client.get(url, params, headers=headers)


@pytest.fixture
def ledger(cast):
    rule = PointRule.objects.create(
        org=cast.school,
        name="一等奖",
        trigger=PointRule.Trigger.CONTEST_AWARD,
        award_level="first",
        points=Decimal(1),
        reimbursable=True,
        reimbursement_note="参赛费可报销",
    )
    rows = {}
    for user, points in (
        (cast.teacher, "1"),
        (cast.other_teacher, "0.5"),
        (cast.outsider, "0.2"),
    ):
        p = user.person
        rows[user.username] = PointEntry.objects.create(
            org=p.org,
            person=p,
            date=date(2026, 10, 1),
            points=Decimal(points),
            reason="评比获奖",
            source=Source.AWARD,
            rule=rule if user == cast.teacher else None,
        )
    return rows


def names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {i["person"]["name"] for i in response.json()["items"]}


def test_points_scoped_by_role(client, cast, ledger):
    assert names(get(client, cast.teacher, "/api/v1/appraisal/points")) == {"张老师"}
    assert names(get(client, cast.lead, "/api/v1/appraisal/points")) == {"张老师", "李老师"}
    assert names(get(client, cast.office, "/api/v1/appraisal/points")) == {"张老师", "李老师"}
    assert names(get(client, cast.leader, "/api/v1/appraisal/points")) == {"张老师", "李老师"}
    assert names(get(client, cast.district, "/api/v1/appraisal/points")) == {
        "张老师",
        "李老师",
        "赵老师",
    }
    assert names(get(client, cast.outsider, "/api/v1/appraisal/points")) == {"赵老师"}


def test_point_detail_404_when_invisible_and_reimbursement(client, cast, ledger):
    own = ledger["teacher"]
    body = get(client, cast.teacher, f"/api/v1/appraisal/points/{own.pk}").json()
    assert body["reimbursable"] is True and body["reimbursement_note"] == "参赛费可报销"
    other = ledger["other_teacher"]
    for user in (cast.teacher, cast.outsider):
        r = get(client, user, f"/api/v1/appraisal/points/{other.pk}")
        assert r.status_code == 404 and r.json()["detail"] == "未找到。"
    assert get(client, cast.teacher, "/api/v1/appraisal/points/99999999").status_code == 404


def test_filters_and_rules(client, cast, ledger):
    url = "/api/v1/appraisal/points"
    assert get(client, cast.office, url, source="manual").json()["count"] == 0
    assert get(client, cast.office, url, start="2026-10-02").json()["count"] == 0
    assert get(client, cast.office, url, q="李").json()["count"] == 1
    assert get(client, cast.office, url, source="nope").status_code == 422
    rules = get(client, cast.teacher, "/api/v1/appraisal/rules").json()
    assert [r["name"] for r in rules["items"]] == ["一等奖"]
    assert get(client, cast.outsider, "/api/v1/appraisal/rules").json()["count"] == 0
