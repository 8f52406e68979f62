"""Duplicates and overlaps of a rule about to go live (keshi.rules.overlaps)."""

import pytest

from keshi.org.models import Group
from keshi.org.tests.factories import GroupFactory
from keshi.plans.models import Plan
from keshi.records.tests.factories import kind
from keshi.rules import overlaps
from keshi.rules.models import Requirement as R
from keshi.rules.overlaps import DUPLICATE, OVERLAP, compare, live_matches, shape_of
from keshi.rules.tests.factories import RequirementFactory

pytestmark = pytest.mark.django_db


def rule(org, kinds=("observation",), **values) -> R:
    values.setdefault("threshold", 15)
    m2m = {name: values.pop(name) for name in ("groups", "tags") if name in values}
    rule = RequirementFactory(org=org, kinds=[kind(k) for k in kinds], **values)
    for name, items in m2m.items():
        getattr(rule, name).set(items)
    return rule


def values(**extra) -> dict:
    return {"kinds": [kind("observation")], "threshold": 15, "period": "term"} | extra


def test_the_same_rule_again_is_a_duplicate(cast):
    existing = rule(cast.school, name="听课")
    [match] = live_matches(values(name="听课（计划）"), org=cast.school)
    assert match.existing == existing
    assert match.relation == DUPLICATE and match.duplicate
    assert match.differences == ()
    assert match.sentence == "每学期听课不少于15节"


def test_a_different_threshold_overlaps_and_says_so(cast):
    rule(cast.school)
    [match] = live_matches(values(threshold=20), org=cast.school)
    assert match.relation == OVERLAP
    assert match.differences == ("数量不同：现有 15 节，新规则 20 节",)


def test_an_audience_subset_overlaps_with_both_audiences_named(cast):
    everyone = rule(cast.school)
    [match] = live_matches(values(teaching_years_max=2), org=cast.school)
    assert match.relation == OVERLAP
    assert match.differences == (
        "适用对象：现有为全体教师，新规则为教龄不满3年的教师（新规则的对象是现有规则对象的一部分）",
    )
    # and the other way round
    narrow = rule(cast.school, name="新教师", teaching_years_max=2)
    found = live_matches(values(), org=cast.school, exclude=[everyone.pk])
    assert [m.existing for m in found] == [narrow]
    assert "现有规则的对象是新规则对象的一部分" in found[0].differences[0]


def test_crossing_ranges_overlap_and_disjoint_ranges_do_not(cast):
    rule(cast.school, teaching_years_max=2)
    assert live_matches(values(teaching_years_min=1, teaching_years_max=5), org=cast.school)
    assert live_matches(values(teaching_years_min=3), org=cast.school) == []


def test_other_kinds_periods_owners_and_sources_never_overlap(cast):
    rule(cast.school)
    assert live_matches(values(kinds=[kind("reflection")]), org=cast.school) == []
    assert live_matches(values(period=R.Period.MONTH), org=cast.school) == []
    assert live_matches(values(owner="role", owner_role="leader"), org=cast.school) == []
    assert live_matches(values(kinds=[], source="inspections"), org=cast.school) == []


def test_a_shared_kind_is_enough_and_the_kinds_are_named(cast):
    rule(cast.school)
    both = values(kinds=[kind("observation"), kind("open_class")])
    [match] = live_matches(both, org=cast.school)
    assert match.relation == OVERLAP
    assert match.differences[0].startswith("记录类型不同：现有为听课，新规则为听课、")


def test_disjoint_groups_tags_roles_and_mentorship_sides_share_nobody(cast):
    math = GroupFactory(org=cast.school, name="数学组")
    rule(cast.school, groups=[cast.group])
    assert live_matches(values(groups=[math]), org=cast.school) == []
    assert live_matches(values(groups=[cast.group, math]), org=cast.school)
    lead = rule(cast.school, name="组长", kinds=("reflection",), group_role="lead")
    assert (
        live_matches(values(kinds=[kind("reflection")], group_role="member"), org=cast.school) == []
    )
    assert live_matches(values(kinds=[kind("reflection")]), org=cast.school)[0].existing == lead
    rule(cast.school, name="徒弟", kinds=("paper",), mentorship="mentees")
    assert live_matches(values(kinds=[kind("paper")], mentorship="mentors"), org=cast.school) == []
    [match] = live_matches(
        values(kinds=[kind("paper")], mentorship="mentee_observes_mentor"), org=cast.school
    )
    assert "师徒结对：现有为所有徒弟，新规则为徒弟听师傅的课" in match.differences


def test_group_owned_rules_meet_by_group_or_group_kind(cast):
    activity = [kind("group_activity")]
    weekly = {"threshold": 1, "period": "week", "owner": "group"}
    rule(cast.school, kinds=("group_activity",), owner_group_kind="subject", **weekly)
    named = values(kinds=activity, groups=[cast.group], **weekly)  # 语文组 is a 教研组
    [match] = live_matches(named, org=cast.school)
    assert "新规则的对象是现有规则对象的一部分" in match.differences[0]
    grade = GroupFactory(org=cast.school, name="初一年级组", kind=Group.Kind.GRADE)
    assert live_matches(values(kinds=activity, groups=[grade], **weekly), org=cast.school) == []
    kind_only = values(kinds=activity, owner_group_kind="subject", **weekly)
    assert live_matches(kind_only, org=cast.school)[0].relation == DUPLICATE


def test_every_difference_is_spelled_out(cast):
    rule(cast.school, kinds=("reflection",), threshold=1, period="month")
    new = values(
        kinds=[kind("reflection")],
        period="month",
        threshold=2,
        measure="chars",
        comparator="lte",
        item_min_chars=800,
        deadline="last_friday",
    )
    [match] = live_matches(new, org=cast.school)
    assert match.differences == (
        "计量不同：现有按条数，新规则按字数",
        "比较不同：现有为不少于，新规则为不超过",
        "数量不同：现有 1 篇，新规则 2 字",
        "单篇字数不同：现有为不限，新规则为每篇不少于800字",
        "截止不同：现有为周期最后一天，新规则为周期最后一个星期五",
    )


def test_only_live_rules_of_the_org_are_read(cast):
    rule(cast.other_school)
    rule(cast.school, name="停用", active=False)
    draft = Plan.objects.create(org=cast.school, title="草稿", term=None)
    rule(cast.school, name="草稿里的", plan=draft)
    assert live_matches(values(), org=cast.school) == []


def test_a_saved_rule_does_not_match_itself_and_reads_its_own_fields(cast):
    existing = rule(cast.school, teaching_years_max=2)
    assert live_matches(existing, org=cast.school) == []
    twin = rule(cast.school, name="又一条", teaching_years_max=2)
    assert [m.existing for m in live_matches(twin, org=cast.school)] == [existing]
    assert compare(shape_of(existing), shape_of(twin)).relation == DUPLICATE
    assert overlaps.differences(shape_of(existing), shape_of(twin)) == []


def test_a_cap_inside_the_rule_is_a_difference(cast):
    from decimal import Decimal

    from keshi.rules.models import KindCap

    existing = rule(cast.school, kinds=("reflection", "reading"), threshold=3)
    KindCap.objects.create(requirement=existing, kind=kind("reading"), limit=Decimal(1))
    same = values(kinds=[kind("reflection"), kind("reading")], threshold=3)
    [match] = live_matches(same | {"kind_caps": [(kind("reading"), Decimal(1))]}, org=cast.school)
    assert match.duplicate
    [match] = live_matches(same, org=cast.school)
    assert match.relation == OVERLAP
    assert match.differences == ("计入上限不同：现有为读书笔记最多计1篇，新规则为不设",)
