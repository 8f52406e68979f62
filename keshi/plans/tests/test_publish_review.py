"""The publish page (发布前核对): per draft rule its clause, the live rules it duplicates or
overlaps with a choice per pair, and its impact by 教研组; nothing changes until the office
confirms, and publishing is all or nothing.

The small school: 语文组 (张老师, 李老师, 王组长), 数学组 (孙老师) and 周老师 in no group.
The plan is for a term already over (2024—2025 first term, judged whole), so who is behind
does not depend on today's date: whoever has not met a term rule has missed it.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from keshi.accounts.models import RoleGrant
from keshi.calendar.services import create_school_year
from keshi.org.tests.factories import (
    GroupFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
    grant,
)
from keshi.plans import services_publish
from keshi.plans.models import Plan
from keshi.plans.selectors_publish import MERGE, REPLACE, pair_key, publish_review
from keshi.records.tests.factories import ActivityFactory, kind
from keshi.rules import services as rules
from keshi.rules.engine import evaluate
from keshi.rules.impact import NOT_MET, impacts
from keshi.rules.models import Requirement
from keshi.rules.status import Status

pytestmark = pytest.mark.django_db
OBSERVATION = "每位教师每学期听课不少于20节"
REFLECTION = "每月写一篇教学反思"


@pytest.fixture
def term(cast):
    return create_school_year(org=cast.school, start_year=2024).terms.get(number=1)


@pytest.fixture
def school(cast, term):
    math = GroupFactory(org=cast.school, name="数学组")
    sun = PersonFactory(org=cast.school, name="孙老师")
    MembershipFactory(person=sun, group=math)
    zhou = PersonFactory(org=cast.school, name="周老师")
    day = term.start + timedelta(days=30)
    for person, n in ((cast.teacher.person, 2), (cast.other_teacher.person, 1), (zhou, 2)):
        for _ in range(n):
            ActivityFactory(person=person, date=day, kind=kind("observation"))
    return {"math": math, "sun": sun, "zhou": zhou}


def create(cast, plan=None, **values) -> Requirement:
    values.setdefault("kinds", [kind("observation")])
    values.setdefault("threshold", 15)
    return rules.create_requirement(org=cast.school, user=cast.office, plan=plan, **values)


@pytest.fixture
def plan(cast, term, school):
    return Plan.objects.create(org=cast.school, title="教科室工作计划", term=term)


@pytest.fixture
def live(cast):
    """Rules already in force: 听课 15 节 a term, 教学反思 one a month (no clause recorded)."""
    return {
        "observation": create(cast, name="教师听课", source_text="每学期听课不少于15节"),
        "reflection": create(
            cast, name="教学反思", kinds=[kind("reflection")], threshold=1, period="month"
        ),
    }


@pytest.fixture
def drafts(cast, plan, live):
    return {
        "observation": create(
            cast, plan, name="听课（计划）", threshold=2, source_text=OBSERVATION
        ),
        "reflection": create(
            cast,
            plan,
            name="反思（计划）",
            kinds=[kind("reflection")],
            threshold=1,
            period="month",
            source_text=REFLECTION,
        ),
    }


def page(client, user, plan):
    client.force_login(user)
    return client.get(reverse("plans:publish", args=[plan.pk]))


def post(client, user, plan, data):
    client.force_login(user)
    return client.post(reverse("plans:publish", args=[plan.pk]), data)


def all_pairs(plan, **chosen) -> dict:
    """Every pair of the review with its default, overridden by ``chosen`` (key → choice)."""
    return {p.key: chosen.get(p.key, p.default) for p in publish_review(plan).pairs}


def test_the_page_shows_clause_duplicates_overlaps_and_impact(client, cast, plan, drafts, live):
    response = page(client, cast.office, plan)
    assert response.status_code == 200
    body = response.content.decode()
    assert OBSERVATION in body and REFLECTION in body
    assert "重复" in body and "重叠" in body
    assert "数量不同：现有 15 节，新规则 2 节" in body
    assert "两条完全相同" in body
    review = response.context["review"]
    [obs, refl] = review.rules
    assert [p.match.existing for p in obs.pairs] == [live["observation"]]
    assert [(p.match.duplicate, p.chosen) for p in obs.pairs] == [(False, "keep")]
    assert [(p.match.duplicate, p.chosen) for p in refl.pairs] == [(True, "merge")]
    assert "数学组" in body and "未分组" in body and "适用 5 人" in body
    # nothing changed by looking
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT
    assert all(r.active for r in live.values())


def test_impact_by_group_agrees_with_the_engine(cast, term, plan, drafts):
    rule = drafts["observation"]  # 2 节: 张老师 and 周老师 have met it
    found = impacts([rule], org=cast.school, term=term)[rule.pk]
    rows = {r.label: (r.covered, r.not_met, r.behind) for r in found.rows}
    assert rows == {"语文组": (3, 2, 2), "数学组": (1, 1, 1), "未分组": (1, 0, 0)}
    assert (found.total.covered, found.total.not_met, found.total.behind) == (5, 3, 3)
    result = evaluate(term=term, at=timezone.localdate(), requirements=[rule], history=False)
    cells = [result.current(pid, rule.pk) for pid, _rid in result.cells]
    assert found.total.covered == len(cells)
    assert found.total.not_met == sum(c.status in NOT_MET for c in cells)
    assert found.rows[-1].label == "未分组"


def test_a_group_owned_rule_lists_its_groups(cast, term, plan, school):
    rule = create(
        cast,
        plan,
        name="教研组活动",
        kinds=[kind("group_activity")],
        threshold=1,
        owner="group",
        owner_group_kind="subject",
    )
    found = impacts([rule], org=cast.school, term=term)[rule.pk]
    assert found.unit == "个组"
    assert [(r.label, r.status) for r in found.rows] == [("数学组", "未完成"), ("语文组", "未完成")]
    assert found.total.not_met == 2


def test_replace_disables_the_existing_rule_and_publishes_the_new(client, cast, plan, drafts, live):
    key = pair_key(drafts["observation"].pk, live["observation"].pk)
    response = post(client, cast.office, plan, all_pairs(plan, **{key: REPLACE}))
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == Plan.Status.PUBLISHED
    live["observation"].refresh_from_db()
    assert live["observation"].active is False
    in_force = set(
        Requirement.objects.live().filter(org=cast.school).values_list("name", flat=True)
    )
    assert in_force == {"听课（计划）", "教学反思"}  # the duplicate reflection was merged
    assert live["observation"].history.first().history_user == cast.office


def test_merge_keeps_the_existing_rule_and_records_the_clause(client, cast, plan, drafts, live):
    key = pair_key(drafts["reflection"].pk, live["reflection"].pk)
    assert post(client, cast.office, plan, all_pairs(plan, **{key: MERGE})).status_code == 302
    for rule in (*drafts.values(), *live.values()):
        rule.refresh_from_db()
    assert drafts["reflection"].active is False  # not published
    assert live["reflection"].active is True
    assert live["reflection"].source_text == REFLECTION  # it had none
    assert live["observation"].source_text == "每学期听课不少于15节"  # kept both: untouched
    assert live["observation"].active and drafts["observation"].active


def test_a_failure_midway_publishes_nothing(client, cast, plan, drafts, live):
    """A rule that fails validation while publishing (here: a threshold no form lets through)
    stops everything: the plan stays a draft and the replaced rule stays in force."""
    broken = create(cast, plan, name="坏规则", kinds=[kind("paper")], threshold=1)
    Requirement.objects.filter(pk=broken.pk).update(threshold=-1, effective_from=None)
    key = pair_key(drafts["observation"].pk, live["observation"].pk)
    response = post(client, cast.office, plan, all_pairs(plan, **{key: REPLACE}))
    assert response.status_code == 200
    assert "数量必须大于 0" in response.content.decode()
    plan.refresh_from_db()
    live["observation"].refresh_from_db()
    assert plan.status == Plan.Status.DRAFT
    assert live["observation"].active is True
    assert Requirement.objects.get(pk=drafts["reflection"].pk).active is True
    with pytest.raises(ValidationError):
        services_publish.publish_plan(plan=plan, user=cast.office, choices={key: REPLACE})
    assert Requirement.objects.get(pk=live["observation"].pk).active is True


def test_contradictory_choices_are_refused(cast, plan, drafts, live):
    twin = create(cast, plan, name="听课又一条", threshold=15)  # duplicates 教师听课
    choices = {
        pair_key(drafts["observation"].pk, live["observation"].pk): REPLACE,
        pair_key(twin.pk, live["observation"].pk): MERGE,
    }
    with pytest.raises(ValidationError, match="不能再把"):
        services_publish.publish_plan(plan=plan, user=cast.office, choices=choices)
    with pytest.raises(ValidationError, match="无法识别"):
        odd = {pair_key(twin.pk, live["observation"].pk): "x"}
        services_publish.publish_plan(plan=plan, user=cast.office, choices=odd)
    assert Plan.objects.get(pk=plan.pk).status == Plan.Status.DRAFT


def test_a_review_gone_stale_is_not_confirmed(client, cast, plan, drafts, live):
    """A pair the office has not seen (a rule that went live after the page was shown) stops
    the confirmation: the page is shown again."""
    response = post(client, cast.office, plan, {})
    assert response.status_code == 200 and "请重新核对" in response.content.decode()
    assert Plan.objects.get(pk=plan.pk).status == Plan.Status.DRAFT


def test_a_plan_without_rules_publishes_with_a_plain_confirm(client, cast, plan):
    response = page(client, cast.office, plan)
    assert "本计划没有待发布的量化要求" in response.content.decode()
    assert post(client, cast.office, plan, {}).status_code == 302
    assert Plan.objects.get(pk=plan.pk).status == Plan.Status.PUBLISHED
    assert page(client, cast.office, plan).status_code == 302  # nothing left to publish


def test_the_plan_page_leads_to_the_review(client, cast, plan):
    client.force_login(cast.office)
    body = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert reverse("plans:publish", args=[plan.pk]) in body


@pytest.mark.parametrize("who, code", [("teacher", 404), ("lead", 404), ("leader", 403)])
def test_only_the_office_opens_or_confirms(client, cast, plan, drafts, who, code):
    client.force_login(getattr(cast, who))
    url = reverse("plans:publish", args=[plan.pk])
    assert client.get(url).status_code == code
    assert client.post(url, all_pairs(plan)).status_code == code
    assert Plan.objects.get(pk=plan.pk).status == Plan.Status.DRAFT


def test_a_teacher_is_refused_on_a_published_plan_too(client, cast, plan):
    plan.status = Plan.Status.PUBLISHED
    plan.save()
    assert page(client, cast.teacher, plan).status_code == 403


def test_another_orgs_office_gets_404(client, cast, plan, drafts):
    foreign = UserFactory(username="office2")
    grant(foreign, cast.other_school, RoleGrant.Role.OFFICE)
    assert page(client, foreign, plan).status_code == 404
    assert page(client, cast.outsider, plan).status_code == 404


def test_statuses_of_unmet_cells_are_the_engines(cast, plan, drafts, term):
    """Past term: every unmet term cell is missed, which the page counts as behind."""
    rule = drafts["observation"]
    result = evaluate(term=term, at=timezone.localdate(), requirements=[rule], history=False)
    statuses = {result.current(pid, rule.pk).status for pid, _ in result.cells}
    assert statuses == {Status.MET, Status.MISSED}


def test_two_drafts_of_the_plan_are_compared_with_each_other(client, cast, plan, drafts, live):
    """The plan says 听课 twice (a 教研组 section repeats the 教科室's clause): the second draft
    is shown against the first, 合并 by default, so publishing gives one rule, not a double task."""
    twin = create(cast, plan, name="听课（教研组部分）", threshold=2, source_text=OBSERVATION)
    review = publish_review(plan)
    [pair] = [p for p in review.pairs if p.key == pair_key(twin.pk, drafts["observation"].pk)]
    assert pair.sibling and pair.match.duplicate and pair.default == MERGE
    assert "本计划中的另一条" in page(client, cast.office, plan).content.decode()

    assert post(client, cast.office, plan, all_pairs(plan)).status_code == 302
    twin.refresh_from_db()
    drafts["observation"].refresh_from_db()
    assert twin.active is False and drafts["observation"].active is True


def test_a_later_draft_can_replace_an_earlier_one(cast, plan, drafts, live):
    better = create(cast, plan, name="听课（修订）", threshold=3, source_text=OBSERVATION)
    key = pair_key(better.pk, drafts["observation"].pk)
    choices = all_pairs(plan, **{key: REPLACE})
    result = services_publish.publish_plan(plan=plan, user=cast.office, choices=choices)
    assert drafts["observation"].pk in {r.pk for r in result.merged}
    in_force = set(
        Requirement.objects.live().filter(org=cast.school).values_list("name", flat=True)
    )
    assert "听课（修订）" in in_force and "听课（计划）" not in in_force
    assert live["observation"].name in in_force  # 保留两条 with the live rule, by default
