"""提交 → 通过 / 退回 with a comment → fix and resubmit."""

import pytest
from django.urls import reverse

from keshi.records.models import Activity
from keshi.records.tests.factories import ActivityFactory, kind

QUEUE = reverse("records:review")


@pytest.fixture
def paper(cast):
    return ActivityFactory(
        person=cast.teacher.person, kind=kind("paper"), title="论阅读教学", text="正文" * 10
    )


def review(client, user, activity, **data):
    client.force_login(user)
    return client.post(reverse("records:review_one", args=[activity.pk]), data)


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("office", True),
        ("lead", True),
        ("teacher", None),
        ("leader", None),
        ("district", None),
        ("other_teacher", None),
        ("outsider", None),
    ],
)
def test_queue_is_for_office_and_leads(client, cast, paper, who, sees):
    ActivityFactory(person=cast.teacher.person, kind=kind("reflection"), title="不需审核")
    client.force_login(getattr(cast, who))
    r = client.get(QUEUE)
    if sees is None:
        assert r.status_code == 403
    else:
        assert [a.title for a in r.context["page"].object_list] == ["论阅读教学"]


def test_lead_does_not_review_own_record(client, cast):
    own = ActivityFactory(person=cast.lead.person, kind=kind("paper"), title="组长的论文")
    client.force_login(cast.lead)
    assert "组长的论文" not in client.get(QUEUE).content.decode()
    r = review(client, cast.lead, own, decision="approve")
    assert r.status_code == 403
    own.refresh_from_db()
    assert own.status == Activity.Status.SUBMITTED


def test_return_needs_a_comment(client, cast, paper):
    r = review(client, cast.office, paper, decision="return", comment="  ")
    assert r.status_code == 302
    assert "退回时请填写原因" in client.get(r["Location"]).content.decode()
    paper.refresh_from_db()
    assert paper.status == Activity.Status.SUBMITTED


def test_return_fix_resubmit_approve(client, cast, paper):
    review(client, cast.lead, paper, decision="return", comment="请补充参考文献")
    paper.refresh_from_db()
    assert paper.status == Activity.Status.RETURNED and paper.reviewed_by == cast.lead
    client.force_login(cast.teacher)
    page = client.get(reverse("records:list")).content.decode()
    assert "请补充参考文献" in page
    edit = reverse("records:edit", args=[paper.pk])
    assert "请补充参考文献" in client.get(edit).content.decode()
    r = client.post(
        edit,
        {
            "date": paper.date.isoformat(),
            "quantity": "1",
            "title": paper.title,
            "text": "正文和参考文献",
        },
    )
    assert r.status_code == 302
    paper.refresh_from_db()
    assert paper.status == Activity.Status.SUBMITTED and paper.text == "正文和参考文献"
    client.force_login(cast.office)
    assert "论阅读教学" in client.get(QUEUE).content.decode()
    review(client, cast.office, paper, decision="approve")
    paper.refresh_from_db()
    assert paper.status == Activity.Status.APPROVED and paper.reviewed_by == cast.office
    history = client.get(reverse("records:detail", args=[paper.pk])).context["history"]
    assert [h.status for h in history] == ["approved", "submitted", "returned", "submitted"]


def test_leader_and_teachers_cannot_review(client, cast, paper):
    for user, status in [
        (cast.leader, 403),
        (cast.other_teacher, 404),
        (cast.outsider, 404),
        (cast.teacher, 403),
        (cast.district, 403),
    ]:
        assert review(client, user, paper, decision="approve").status_code == status
    paper.refresh_from_db()
    assert paper.status == Activity.Status.SUBMITTED


def test_kind_without_review_cannot_be_reviewed(client, cast):
    a = ActivityFactory(person=cast.teacher.person, kind=kind("reflection"))
    assert review(client, cast.office, a, decision="approve").status_code == 403


def test_already_reviewed_is_not_reviewed_twice(client, cast, paper):
    review(client, cast.office, paper, decision="approve")
    r = review(client, cast.lead, paper, decision="return", comment="晚了")
    assert "已审核过" in client.get(r["Location"]).content.decode()
    paper.refresh_from_db()
    assert paper.status == Activity.Status.APPROVED and paper.reviewed_by == cast.office
