from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from keshi.contests import services
from keshi.contests.models import Assignment, Contest, Entry
from keshi.contests.tests.factories import contest, enter, full, judges, person, rubric
from keshi.org.models import Person


def advance_to(c: Contest, phase: str, by) -> None:
    while c.phase != phase:
        services.advance(contest=c, by=by)


def test_entry_code_upload_check_and_one_entry_each(cast):
    c = contest(cast)
    entry = enter(c, cast.teacher)
    assert entry.code.startswith("LW-") and len(entry.code) == 7
    with pytest.raises(ValidationError, match="已经提交过"):
        enter(c, cast.teacher)
    with pytest.raises(ValidationError, match="可执行程序"):
        services.submit_entry(
            contest=c,
            person=person(cast.other_teacher),
            title="x",
            upload_name="a.docx",
            data=b"MZ\x90\x00" * 10,
        )
    with pytest.raises(ValidationError, match="本单位"):
        enter(c, cast.outsider)
    assert Entry.objects.count() == 1


def test_only_office_creates_and_assigns(cast):
    with pytest.raises(PermissionDenied):
        services.create_contest(
            org=cast.school, by=cast.teacher, title="x", kind="paper", rubric=rubric(cast.school)
        )
    c = contest(cast)
    with pytest.raises(PermissionDenied):
        services.auto_assign(contest=c, judges=[], by=cast.lead)


def test_auto_assign_avoids_author_and_group_members(cast):
    c = contest(cast, kind=Contest.Kind.GROUP)
    group_entry = services.submit_entry(contest=c, group=cast.group, title="语文组材料")
    own = enter(c, cast.teacher)
    pool = [person(u) for u in (cast.teacher, cast.other_teacher, cast.lead)]
    pool += [person(u) for u in judges(cast, 2)]
    added = services.auto_assign(contest=c, judges=pool, per_entry=2, by=cast.office)
    assert added == 4
    group_judges = {a.judge.name for a in group_entry.assignments.all()}
    assert group_judges == {"评委一", "评委二"}  # every other candidate is a 语文组 member
    assert "张老师" not in {a.judge.name for a in own.assignments.all()}
    # a third judge per entry is impossible for the group entry
    with pytest.raises(ValidationError, match="不足"):
        services.auto_assign(contest=c, judges=pool, per_entry=3, by=cast.office)


def test_end_to_end_three_judges_trimmed_mean_ties_and_awards(cast):
    c = contest(
        cast, aggregation=Contest.Aggregation.TRIMMED, quota_first=1, quota_second=1, quota_third=1
    )
    entries = [enter(c, u) for u in (cast.teacher, cast.other_teacher, cast.lead)]
    js = judges(cast, 3)
    services.advance(contest=c, by=cast.office)  # 提交
    services.auto_assign(contest=c, judges=[person(u) for u in js], by=cast.office)
    assert Assignment.objects.count() == 9
    with pytest.raises(ValidationError, match="评审阶段"):
        a = Assignment.objects.filter(judge__user=js[0]).first()
        services.save_scores(assignment=a, by=js[0], raw=full(1))
    services.advance(contest=c, by=cast.office)  # 评审
    with pytest.raises(ValidationError, match="未完成"):
        services.advance(contest=c, by=cast.office)
    # 张: 95/80/10 → trimmed 80; 李: 80/80/80 → 80 (tie); 王: 70 each
    plan = {"张老师": [0.95, 0.8, 0.1], "李老师": [0.8, 0.8, 0.8], "王组长": [0.7, 0.7, 0.7]}
    for e in entries:
        for u, fraction in zip(js, plan[e.person.name], strict=True):
            a = Assignment.objects.get(entry=e, judge__user=u)
            with pytest.raises(PermissionDenied):
                services.save_scores(assignment=a, by=cast.teacher, raw=full(fraction))
            services.save_scores(assignment=a, by=u, raw=full(fraction))
    with pytest.raises(ValidationError, match="满分|之间"):
        services.save_scores(assignment=a, by=u, raw={"c1": "61", "c2": "1"})
    services.advance(contest=c, by=cast.office)  # 公示
    got = {e.person.name: (e.score, e.rank, e.get_award_display()) for e in Entry.objects.all()}
    assert got == {
        "张老师": (Decimal("80.00"), 1, "一等奖"),
        "李老师": (Decimal("80.00"), 1, "一等奖"),  # tie at the boundary: both get 一等奖
        "王组长": (Decimal("70.00"), 3, "三等奖"),
    }


def test_recommend_upward_copies_with_link_back(cast):
    from keshi.accounts.models import RoleGrant
    from keshi.org.tests.factories import UserFactory, grant

    c = contest(cast, quota_first=1)
    e = enter(c, cast.teacher)
    district_office = UserFactory(username="district_office")
    grant(district_office, cast.district_org, RoleGrant.Role.OFFICE)
    upper = services.create_contest(
        org=cast.district_org, by=district_office, title="区论文评比", kind="paper", rubric=c.rubric
    )
    with pytest.raises(ValidationError, match="结果发布后"):
        services.recommend(entry=e, target=upper, by=cast.office)
    Assignment.objects.create(
        entry=e, judge=Person.objects.create(org=cast.school, name="评委"), total=Decimal(90)
    )
    advance_to(c, Contest.Phase.RESULT, cast.office)
    copy = services.recommend(entry=e, target=upper, by=cast.office)
    assert copy.contest == upper and copy.recommended_from == e and copy.person == e.person
    assert copy.code != e.code and copy.document.read() == e.document.open("rb").read()
    with pytest.raises(ValidationError, match="已推荐"):
        services.recommend(entry=e, target=upper, by=cast.office)
    with pytest.raises(ValidationError, match="上级"):
        services.recommend(entry=e, target=contest(cast, title="校内另一评比"), by=cast.office)
