"""The contests API with the cast: scoped lists, 404 for other schools, authors only for the office
(and for everyone once published), a judge's tasks blind and paginated."""

import pytest

from keshi.accounts.models import ApiToken
from keshi.contests import services
from keshi.contests.models import Assignment
from keshi.contests.tests.factories import contest, enter, full, judges, person

pytestmark = pytest.mark.django_db


def get(client, user, url, **params):
    headers = {"Authorization": f"Bearer {ApiToken.issue(user)[1]}"}
    return client.get(url, params, headers=headers)


@pytest.fixture
def judged(cast):
    c = contest(cast)
    entry = enter(c, cast.teacher, title="浅谈作文教学")
    enter(c, cast.other_teacher, title="阅读教学")
    (judge,) = judges(cast, 1)
    services.advance(contest=c, by=cast.office)
    services.auto_assign(contest=c, judges=[person(judge)], per_entry=1, by=cast.office)
    services.advance(contest=c, by=cast.office)
    return c, entry, judge


def test_lists_are_scoped_and_paginated(client, cast, judged):
    c, _, _ = judged
    for user in (cast.teacher, cast.office, cast.leader, cast.district):
        body = get(client, user, "/api/v1/contests").json()
        assert body["count"] == 1 and body["items"][0]["id"] == c.pk, user
    assert get(client, cast.outsider, "/api/v1/contests").json() == {"items": [], "count": 0}
    r = get(client, cast.outsider, f"/api/v1/contests/{c.pk}")
    assert r.status_code == 404 and r.json()["detail"] == "未找到。"
    assert get(client, cast.teacher, "/api/v1/contests", phase="result").json()["count"] == 0
    assert get(client, cast.teacher, "/api/v1/contests", page="abc").status_code == 422


def test_entries_with_authors_for_office_only_until_published(client, cast, judged):
    c, entry, judge = judged
    assert get(client, cast.teacher, f"/api/v1/contests/{c.pk}").json()["entries"] is None
    assert get(client, judge, f"/api/v1/contests/{c.pk}").json()["entries"] is None
    office = get(client, cast.office, f"/api/v1/contests/{c.pk}").json()
    assert {e["author"] for e in office["entries"]} == {"张老师", "李老师"}
    assert office["rubric_frozen"] is True
    for a in Assignment.objects.all():
        services.save_scores(assignment=a, by=judge, raw=full(0.9))
    services.advance(contest=c, by=cast.office)
    body = get(client, cast.other_teacher, f"/api/v1/contests/{c.pk}").json()
    assert {(e["author"], e["award"], e["award_label"]) for e in body["entries"]} == {
        ("张老师", "first", "一等奖"),
        ("李老师", "first", "一等奖"),
    }


def test_judging_is_blind_and_own(client, cast, judged):
    c, entry, judge = judged
    body = get(client, judge, "/api/v1/judging").json()
    assert body["count"] == 2
    assert {i["entry_code"] for i in body["items"]} == set(c.entries.values_list("code", flat=True))
    assert "张老师" not in str(body) and "浅谈作文教学" not in str(body)
    a = Assignment.objects.get(entry=entry)
    detail = get(client, judge, f"/api/v1/judging/{a.pk}").json()
    assert [k["key"] for k in detail["criteria"]] == ["c1", "c2"]
    assert detail["document_url"] == f"/contests/score/{a.pk}/document/"
    for user in (cast.teacher, cast.office, cast.lead, cast.outsider):
        assert get(client, user, "/api/v1/judging").json()["count"] == 0
        assert get(client, user, f"/api/v1/judging/{a.pk}").status_code == 404
    assert get(client, judge, "/api/v1/judging", pending=True).json()["count"] == 2
    services.save_scores(assignment=a, by=judge, raw=full(0.5))
    assert get(client, judge, "/api/v1/judging", pending=True).json()["count"] == 1
