import pytest
from django.test import Client

from keshi.dispatch.models import Dispatch
from keshi.dispatch.tests.helpers import dispatch, fields, school_year

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_list_and_detail_are_scoped(cast):
    d = dispatch(cast)
    other = dispatch(cast, cast.other_teacher)
    ids = lambda user: {r["id"] for r in _client(user).get("/api/v1/dispatches").json()["items"]}  # noqa: E731
    assert ids(cast.teacher) == {d.pk}
    assert ids(cast.office) == ids(cast.leader) == ids(cast.district) == {d.pk, other.pk}
    assert ids(cast.lead) == {d.pk, other.pk}  # the 语文组 lead reads the members'
    assert ids(cast.outsider) == set()
    detail = _client(cast.teacher).get(f"/api/v1/dispatches/{d.pk}").json()
    assert detail["serial"] == d.serial and len(detail["obligations"]) == 7
    assert [t["name"] for t in detail["teachers"]] == ["张老师"]
    for user in (cast.other_teacher, cast.outsider):
        response = _client(user).get(f"/api/v1/dispatches/{d.pk}")
        assert response.status_code == 404 and response.json()["detail"] == "未找到。"


def test_teacher_requests_and_sees_own_obligations(cast):
    school_year(cast.school)
    body = {
        k: str(v)
        for k, v in fields().items()
        if k not in ("cross_province", "professional", "reimbursable")
    }
    response = _client(cast.teacher).post(
        "/api/v1/dispatch-requests", body, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    created = Dispatch.objects.get(pk=response.json()["id"])
    assert created.state == "requested" and created.requested_by.user == cast.teacher
    bad = dict(body, end_date="2026-10-01")
    response = _client(cast.teacher).post(
        "/api/v1/dispatch-requests", bad, content_type="application/json"
    )
    assert response.status_code == 422 and "早于" in response.json()["detail"]
    response = _client(cast.office).post(
        "/api/v1/dispatch-requests", body, content_type="application/json"
    )
    assert response.status_code == 403
    response = _client(cast.teacher).get("/api/v1/dispatch-obligations")
    assert response.json()["count"] == 0  # a request brings no obligations yet


def test_obligations_endpoint_lists_only_mine(cast):
    dispatch(cast)
    dispatch(cast, cast.other_teacher)
    mine = _client(cast.teacher).get("/api/v1/dispatch-obligations").json()
    assert mine["count"] == 7
    assert {o["person_id"] for o in mine["items"]} == {cast.teacher.person.pk}
    assert _client(cast.teacher).get("/api/v1/dispatch-obligations?open=true").json()["count"] == 0


def test_notice_parts_listed_per_receiver_and_acknowledged(cast):
    d = dispatch(cast)
    parts = lambda user, q="": _client(user).get(f"/api/v1/dispatch-notices{q}").json()["items"]  # noqa: E731
    mine = parts(cast.teacher)
    assert [p["part"] for p in mine] == [1]
    assert mine[0]["receiver"] == "张老师" and mine[0]["may_acknowledge"]
    assert len(mine[0]["code"]) == 8 and mine[0]["serial"] == d.serial
    assert [p["part"] for p in parts(cast.office)] == [1, 2, 3, 4]
    assert parts(cast.other_teacher) == parts(cast.outsider) == []
    assert [p["part"] for p in parts(cast.office, "?pending=true")] == [2, 3, 4]

    url = f"/api/v1/dispatch-notices/{mine[0]['id']}/acknowledge"
    assert _client(cast.outsider).post(url).status_code == 404
    assert _client(cast.office).post(url).status_code == 403  # the 第一联 is the teacher's
    response = _client(cast.teacher).post(url)
    assert response.status_code == 200 and response.json()["acknowledged_at"]
    again = _client(cast.teacher).post(url)
    assert again.status_code == 403 and "已经签收" in again.json()["detail"]
