"""Once judging starts the contest's rubric is frozen: later edits of the shared rubric do not
reach the judges, and the contest refuses another rubric (in the service, in Chinese)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from keshi.checks.models import Rubric
from keshi.contests import services
from keshi.contests.models import Assignment, Contest
from keshi.contests.tests.factories import contest, enter, full, judges, person, rubric


def _review(cast):
    c = contest(cast)
    enter(c, cast.teacher)
    js = judges(cast, 1)
    services.advance(contest=c, by=cast.office)
    services.auto_assign(contest=c, judges=[person(js[0])], per_entry=1, by=cast.office)
    return c, js[0]


def test_rubric_can_change_before_judging_not_after(cast):
    c, judge = _review(cast)
    other = rubric(cast.school)
    services.update_contest(contest=c, by=cast.office, rubric=other, title="改名")
    c.refresh_from_db()
    assert c.rubric == other and not c.rubric_frozen
    services.advance(contest=c, by=cast.office)  # 评审
    c.refresh_from_db()
    assert c.rubric_frozen and [k.key for k in c.criteria_list()] == ["c1", "c2"]
    with pytest.raises(ValidationError, match="评分表已冻结"):
        services.update_contest(contest=c, by=cast.office, rubric=rubric(cast.school))
    # other fields still change; the same rubric is no change
    services.update_contest(contest=c, by=cast.office, rubric=c.rubric, title="又改名")


def test_editing_the_shared_rubric_after_the_first_score_does_not_reach_the_contest(cast):
    c, judge = _review(cast)
    services.advance(contest=c, by=cast.office)
    a = Assignment.objects.get()
    services.save_scores(assignment=a, by=judge, raw=full(0.5))
    shared = Rubric.objects.get(pk=c.rubric_id)
    shared.criteria = [{"key": "x", "name": "新项目", "max": "10"}]
    shared.save()
    c = Contest.objects.get(pk=c.pk)
    assert [k.name for k in c.criteria_list()] == ["选题与观点", "结构与表达"]
    services.save_scores(assignment=a, by=judge, raw=full(1))
    a.refresh_from_db()
    assert a.total == 100


def test_a_contest_already_in_review_freezes_on_its_first_score(cast):
    c, judge = _review(cast)
    Contest.objects.filter(pk=c.pk).update(phase=Contest.Phase.REVIEW)  # as before freezing
    services.save_scores(assignment=Assignment.objects.get(), by=judge, raw=full(0.5))
    c.refresh_from_db()
    assert c.rubric_frozen
    with pytest.raises(ValidationError, match="冻结"):
        services.update_contest(contest=c, by=cast.office, rubric=rubric(cast.school))


def test_quotas_fixed_once_published(cast):
    c, judge = _review(cast)
    services.advance(contest=c, by=cast.office)
    services.save_scores(assignment=Assignment.objects.get(), by=judge, raw=full(0.5))
    services.advance(contest=c, by=cast.office)  # 公示
    with pytest.raises(ValidationError, match="结果已公示"):
        services.update_contest(contest=c, by=cast.office, quota_first=5)


def test_edit_page_shows_the_refusal(client, cast):
    c, _ = _review(cast)
    services.advance(contest=c, by=cast.office)
    client.force_login(cast.teacher)
    assert client.get(reverse("contests:edit", args=[c.pk])).status_code == 403
    client.force_login(cast.office)
    page = client.get(reverse("contests:edit", args=[c.pk])).content.decode()
    assert 'id="frozen-note"' in page
    other = rubric(cast.school)
    response = client.post(
        reverse("contests:edit", args=[c.pk]),
        {
            "title": c.title,
            "rubric": other.pk,
            "aggregation": "mean",
            "judges_per_entry": 3,
            "quota_first": 1,
            "quota_second": 2,
            "quota_third": 3,
            "quota_merit": 0,
        },
    )
    assert response.status_code == 200
    assert "评审已开始，评分表已冻结" in response.content.decode()
    c.refresh_from_db()
    assert c.rubric_id != other.pk
