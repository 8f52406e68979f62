"""Contest awards → points: when results are published each award earns the points of the most
specific 评比获奖 rule, once, with that rule's reimbursement flag."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from keshi.appraisal import services
from keshi.appraisal.models import PointEntry, PointRule, Source
from keshi.contests import services as contests
from keshi.contests.models import Assignment, Contest
from keshi.contests.tests.factories import contest, enter

D = Decimal


def rule(cast, name, points, level="", kind="", reimbursable=False, note=""):
    return PointRule.objects.create(
        org=cast.school,
        name=name,
        trigger=PointRule.Trigger.CONTEST_AWARD,
        award_level=level,
        contest_kind=kind,
        points=D(points),
        reimbursable=reimbursable,
        reimbursement_note=note,
    )


def standard_rules(cast):
    """参赛费 reimbursable only for 一/二/三等奖."""
    return {
        "first": rule(cast, "一等奖", "1", "first", reimbursable=True, note="参赛费可报销"),
        "second": rule(cast, "二等奖", "0.5", "second", reimbursable=True, note="参赛费可报销"),
        "third": rule(cast, "三等奖", "0.3", "third", reimbursable=True, note="参赛费可报销"),
        "merit": rule(cast, "优秀奖", "0.1", "merit"),
    }


def published(cast, totals: dict, **overrides):
    """A paper contest whose entries (by user) got these totals from one judge each."""
    from keshi.org.models import Person

    fields = {"quota_first": 1, "quota_second": 1, "quota_third": 1, "quota_merit": 1}
    c = contest(cast, **{**fields, **overrides})
    judge = Person.objects.create(org=cast.school, name="评委")
    for user, total in totals.items():
        Assignment.objects.create(entry=enter(c, user), judge=judge, total=D(total))
    while c.phase != Contest.Phase.RESULT:
        contests.advance(contest=c, by=cast.office)
    return c


def test_publishing_grants_points_per_award_once_with_reimbursement(cast):
    rules = standard_rules(cast)
    c = published(cast, {cast.teacher: 90, cast.other_teacher: 80, cast.lead: 70}, result_date=None)
    got = {
        e.person.name: (e.points, e.rule.reimbursable, e.source, e.source_id)
        for e in PointEntry.objects.select_related("person", "rule")
    }
    assert got == {
        "张老师": (D("1.00"), True, Source.AWARD, c.pk),
        "李老师": (D("0.50"), True, Source.AWARD, c.pk),
        "王组长": (D("0.30"), True, Source.AWARD, c.pk),
    }
    assert "一等奖" in PointEntry.objects.get(person__name="张老师").reason
    # re-publishing / re-applying never doubles
    assert services.grant_contest_awards(c) == 0
    applied = services.apply_rules(org=cast.school)
    assert applied.created == 0 and applied.existing == 3
    assert PointEntry.objects.count() == 3
    # an award whose points went missing is caught up by apply_rules, at the rule's points now
    PointEntry.objects.filter(person__name="王组长").delete()
    rules["third"].points = D("0.4")
    rules["third"].save()
    assert services.apply_rules(org=cast.school).created == 1
    assert PointEntry.objects.get(person__name="王组长").points == D("0.4")


def test_merit_is_not_reimbursable_and_specific_rules_win(cast):
    standard_rules(cast)
    rule(cast, "论文一等奖", "2", "first", kind=Contest.Kind.PAPER, reimbursable=True)
    rule(cast, "任一奖项", "0.05")
    c = published(
        cast,
        {cast.teacher: 90, cast.other_teacher: 80, cast.lead: 70},
        quota_first=1,
        quota_second=0,
        quota_third=0,
    )
    # quotas: 一等奖 1, 优秀奖 1 → 张 一等奖, 李 优秀奖, 王 nothing
    got = {
        e.person.name: (e.points, e.rule.name, e.rule.reimbursable)
        for e in PointEntry.objects.filter(source_id=c.pk).select_related("person", "rule")
    }
    assert got == {
        "张老师": (D("2.00"), "论文一等奖", True),
        "李老师": (D("0.10"), "优秀奖", False),
    }


def test_no_rule_no_points_and_group_entries_earn_none(cast):
    c = contest(cast, kind=Contest.Kind.GROUP)
    entry = contests.submit_entry(contest=c, group=cast.group, title="语文组材料")
    from keshi.org.models import Person

    Assignment.objects.create(
        entry=entry, judge=Person.objects.create(org=cast.school, name="评委"), total=D(90)
    )
    rule(cast, "任一奖项", "1")
    while c.phase != Contest.Phase.RESULT:
        contests.advance(contest=c, by=cast.office)
    entry.refresh_from_db()
    assert entry.award == "first" and not PointEntry.objects.exists()


def test_results_wait_for_the_notice_period(cast):
    standard_rules(cast)
    today = timezone.localdate()
    c = contest(cast, notice_start=today, result_date=today + timedelta(days=5))
    from keshi.org.models import Person

    Assignment.objects.create(
        entry=enter(c, cast.teacher),
        judge=Person.objects.create(org=cast.school, name="评委"),
        total=D(90),
    )
    for _ in range(3):
        contests.advance(contest=c, by=cast.office)
    assert c.phase == Contest.Phase.NOTICE
    with pytest.raises(ValidationError, match="公示期未满"):
        contests.advance(contest=c, by=cast.office)
    assert not PointEntry.objects.exists()
    Contest.objects.filter(pk=c.pk).update(result_date=today)
    c.refresh_from_db()
    contests.advance(contest=c, by=cast.office)
    assert PointEntry.objects.get().date == today


def test_award_rule_needs_points(cast):
    r = PointRule(org=cast.school, name="x", trigger=PointRule.Trigger.CONTEST_AWARD)
    with pytest.raises(ValidationError) as info:
        r.full_clean()
    assert info.value.message_dict["points"] == ["请填写获奖加分的分值。"]
