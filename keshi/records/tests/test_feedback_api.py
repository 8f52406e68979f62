"""API for 听课反馈: GET /api/v1/feedback (what the caller received), one observation's feedback,
POST acknowledge / reply — allowed and refused, with Chinese 4xx."""

import pytest

from keshi.accounts.models import ApiToken
from keshi.records import feedback_services
from keshi.records.models import Feedback
from keshi.records.tests.feedback_world import make_world, observation_rubric

BASE = "/api/v1/feedback"


@pytest.fixture
def world(cast):
    world = make_world(cast)
    rubric = observation_rubric()
    feedback_services.save_observation_feedback(
        activity=world.observation,
        by=world.observer,
        rubric=rubric,
        raw_scores={c.key: c.max for c in rubric.criteria_list()},
        private_notes="不给对方看",
    )
    return world


def api(client, user, url, method="get", data=None):
    headers = {"Authorization": f"Bearer {ApiToken.issue(user)[1]}"}
    if method == "post":
        return client.post(url, data or {}, content_type="application/json", headers=headers)
    return client.get(url, data or {}, headers=headers)


def test_the_observed_teacher_lists_received_feedback(client, cast, world):
    r = api(client, cast.teacher, BASE)
    assert r.status_code == 200
    body = r.json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["id"] == world.observation.pk
    assert item["observer"] == "孙老师" and item["observed"] == "张老师"
    assert item["comments"].startswith("细节描写") and item["class_name"] == "初二(3)班"
    assert item["instrument"] == "课堂观察量表（提问层次）" and item["level"] == "优"
    assert float(item["percent"]) == 100 and len(item["scores"]) == 7
    assert item["acknowledged_at"] is None
    assert "不给对方看" not in r.content.decode()
    assert api(client, cast.teacher, BASE, data={"state": "read"}).json()["count"] == 0
    assert api(client, cast.other_teacher, BASE).json()["count"] == 0
    assert api(client, world.observer, BASE).json()["count"] == 0  # given, not received


@pytest.mark.parametrize(
    ("who", "status"),
    [("teacher", 200), ("observer", 200), ("lead", 200), ("office", 200), ("leader", 200),
     ("district", 200), ("math_lead", 404), ("other_teacher", 404), ("outsider", 404)],
)  # fmt: skip
def test_one_feedback_is_for_the_circle_only(client, cast, world, who, status):
    user = {"observer": world.observer, "math_lead": world.math_lead}.get(who) or getattr(cast, who)
    r = api(client, user, f"{BASE}/{world.observation.pk}")
    assert r.status_code == status
    if status == 404:
        assert r.json()["detail"] == "未找到。"
    else:
        assert "不给对方看" not in r.content.decode()


def test_acknowledge_and_reply(client, cast, world):
    pk = world.observation.pk
    r = api(client, cast.teacher, f"{BASE}/{pk}/acknowledge", "post")
    assert r.status_code == 200 and r.json()["acknowledged_at"]
    r = api(client, cast.teacher, f"{BASE}/{pk}/reply", "post", {"reply": "  收到，谢谢！ "})
    assert r.status_code == 200 and r.json()["reply"] == "收到，谢谢！"
    assert Feedback.objects.get(activity_id=pk).reply == "收到，谢谢！"
    assert api(client, cast.teacher, BASE, data={"state": "read"}).json()["count"] == 1


@pytest.mark.parametrize(
    ("who", "status"),
    [("observer", 403), ("lead", 403), ("office", 403), ("other_teacher", 404), ("outsider", 404)],
)
def test_only_the_observed_teacher_may_acknowledge_or_reply(client, cast, world, who, status):
    user = world.observer if who == "observer" else getattr(cast, who)
    pk = world.observation.pk
    for r in (
        api(client, user, f"{BASE}/{pk}/acknowledge", "post"),
        api(client, user, f"{BASE}/{pk}/reply", "post", {"reply": "代回复"}),
    ):
        assert r.status_code == status
        if status == 403:
            assert r.json()["detail"] == "只有被听课教师本人可以标记已阅或回复。"
    feedback = Feedback.objects.get(activity_id=pk)
    assert feedback.acknowledged_at is None and feedback.reply == ""


def test_bad_input_answers_in_chinese(client, cast, world):
    pk = world.observation.pk
    empty = api(client, cast.teacher, f"{BASE}/{pk}/reply", "post", {"reply": "   "})
    assert empty.status_code == 422 and empty.json()["detail"] == "请填写回复内容。"
    missing = api(client, cast.teacher, f"{BASE}/{pk}/reply", "post", {})
    assert missing.status_code == 422 and "reply" in missing.json()["detail"]
    long = api(client, cast.teacher, f"{BASE}/{pk}/reply", "post", {"reply": "长" * 2001})
    assert long.status_code == 422 and "请求参数不合法" in long.json()["detail"]
    assert api(client, cast.teacher, f"{BASE}/0/acknowledge", "post").status_code == 422
    assert api(client, cast.teacher, f"{BASE}/999999/acknowledge", "post").status_code == 404
    bad_state = api(client, cast.teacher, BASE, data={"state": "all"})
    assert bad_state.status_code == 422 and "state" in bad_state.json()["detail"]
    assert client.get(BASE).status_code == 401
    assert Feedback.objects.get(activity_id=pk).reply == ""
