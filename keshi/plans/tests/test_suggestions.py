"""Suggestions → requirements: the mapping, the review page, 采纳, 忽略, 全部采纳可识别项."""

from decimal import Decimal

import pytest
from django.urls import reverse

from keshi.calendar.services import create_school_year
from keshi.org.models import Tag
from keshi.plans import services
from keshi.plans.extraction import extract_text
from keshi.plans.imports import Lookup, import_plan, propose
from keshi.plans.models import CalendarItem, Suggestion
from keshi.rules.models import Requirement as R

PLAN = """教科室工作计划
一、工作目标
教龄不足三年者每学期听课不少于15节。
40周岁以下教师每周博客至少更新一次。
骨干教师每学期至少上一节公开课。
组长每学期听课两到三次。
徒弟每周至少听师傅4节课。
每学年完成73学分培训。
每月写一篇教学反思。
每期随机抽查两次。
每位教师每季度参加不少于2次培训。
床位使用率达到85%以上。
"""


@pytest.fixture
def plan(cast):
    term = create_school_year(org=cast.school, start_year=2025).terms.get(number=1)
    return import_plan(
        org=cast.school, user=None, extraction=extract_text(PLAN), title="计划", term=term
    )


def proposal_for(plan, fragment):
    s = plan.suggestions.get(source__contains=fragment)
    return propose(s.data, lookup=Lookup.for_org(plan.org), org=plan.org)


def test_mapping(cast, plan):
    young = proposal_for(plan, "教龄不足三年")
    assert not young.problems
    assert young.values["teaching_years_max"] == 2
    assert young.values["measure"] == R.Measure.QUANTITY  # 节 of observations: their quantity
    assert young.values["threshold"] == 15 and young.values["comparator"] == R.Comparator.GTE
    assert young.values["kinds"][0].code == "observation"

    lead = proposal_for(plan, "组长")
    assert lead.values["group_role"] == "lead"
    assert lead.values["threshold"] == 2 and lead.values["comparator"] == R.Comparator.GTE
    assert any("范围 2–3" in n for n in lead.notes)

    mentee = proposal_for(plan, "徒弟")
    assert mentee.values["mentorship"] == R.Mentorship.MENTEE_OBSERVES_MENTOR
    assert mentee.values["period"] == R.Period.WEEK

    credits = proposal_for(plan, "73学分")
    assert credits.values["measure"] == R.Measure.CREDITS
    assert credits.values["period"] == R.Period.SCHOOL_YEAR
    assert credits.values["kinds"][0].code == "training"

    reflection = proposal_for(plan, "教学反思")
    assert reflection.values["measure"] == R.Measure.COUNT
    assert any("不少于" in n for n in reflection.notes)

    inspection = proposal_for(plan, "抽查")  # the office's spot checks: an event, no quota
    assert inspection.event and not inspection.values

    quarter = proposal_for(plan, "每季度")
    assert any("季度" in p for p in quarter.problems)

    blog = proposal_for(plan, "博客")
    assert blog.values["age_max"] == 40 and blog.values["period"] == R.Period.WEEK

    backbone = proposal_for(plan, "骨干教师")
    assert any("骨干教师" in p for p in backbone.problems)  # no such tag yet
    Tag.objects.create(name="骨干教师")
    backbone = proposal_for(plan, "骨干教师")
    assert not backbone.problems and [t.name for t in backbone.values["tags"]] == ["骨干教师"]


def test_targets_are_kept_apart(plan):
    target = plan.suggestions.get(kind=Suggestion.Kind.TARGET)
    assert "床位使用率" in target.source and target.data["value"] == 85


@pytest.mark.parametrize(
    "who, code", [("office", 200), ("leader", 200), ("district", 200), ("teacher", 404)]
)
def test_review_page_readers(client, cast, plan, who, code):
    client.force_login(getattr(cast, who))
    response = client.get(reverse("plans:suggestions", args=[plan.pk]))
    assert response.status_code == code
    if code == 200:
        body = response.content.decode()
        assert "<mark" in body and "教龄不足三年者每学期听课不少于15节" in body
        assert "床位使用率" in body
        assert ("全部采纳可识别项" in body) == (who == "office")


def test_outsider_404_and_teacher_of_published_403(client, cast, plan):
    client.force_login(cast.outsider)
    assert client.get(reverse("plans:suggestions", args=[plan.pk])).status_code == 404
    services.set_status(plan=plan, user=None, status="published")
    client.force_login(cast.teacher)
    assert client.get(reverse("plans:suggestions", args=[plan.pk])).status_code == 403


def test_accept_opens_prefilled_form_and_saves(client, cast, plan):
    client.force_login(cast.office)
    s = plan.suggestions.get(source__contains="教龄不足三年")
    url = reverse("plans:suggestion_accept", args=[plan.pk, s.pk])
    form = client.get(url).context["form"]
    assert form.initial["teaching_years_max"] == 2 and form.initial["threshold"] == 15
    data = {
        "name": "新教师听课",
        "source_text": s.source,
        "kinds": [k.pk for k in form.initial["kinds"]],
        "measure": "quantity",
        "comparator": "gte",
        "threshold": "15",
        "period": "term",
        "deadline": "period_end",
        "teaching_years_max": "2",
        "points": "0",
        "active": "on",
    }
    response = client.post(url, data | {"threshold": "0"})
    assert "数量必须大于 0。" in response.content.decode()
    assert not R.objects.exists()
    response = client.post(url, data)
    assert response.status_code == 302
    requirement = R.objects.get(name="新教师听课")
    assert requirement.plan == plan and requirement.threshold == Decimal(15)
    assert requirement.history.first().history_user == cast.office
    s.refresh_from_db()
    assert s.status == Suggestion.Status.ACCEPTED and s.requirement == requirement
    # the plan page shows it with its sentence
    body = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "教龄不满3年的教师每学期听课不少于15节" in body
    # a second accept is refused
    assert client.post(url, data | {"name": "again"}).status_code == 302
    assert R.objects.count() == 1


def test_dismiss_with_note(client, cast, plan):
    client.force_login(cast.office)
    s = plan.suggestions.get(source__contains="每月写一篇")
    client.post(reverse("plans:suggestion_dismiss", args=[plan.pk, s.pk]), {"note": "已在别处"})
    s.refresh_from_db()
    assert s.status == Suggestion.Status.DISMISSED
    assert s.data["review"]["note"] == "已在别处" and s.data["review"]["by"] == "office"
    assert s.data["source"] == s.source  # the extraction is kept


@pytest.mark.parametrize("who, code", [("leader", 403), ("teacher", 404), ("outsider", 404)])
def test_only_office_answers(client, cast, plan, who, code):
    client.force_login(getattr(cast, who))
    s = plan.suggestions.first()
    assert (
        client.post(reverse("plans:suggestion_dismiss", args=[plan.pk, s.pk])).status_code == code
    )
    assert client.get(reverse("plans:suggestion_accept", args=[plan.pk, s.pk])).status_code == code
    response = client.post(reverse("plans:suggestions_accept_all", args=[plan.pk]))
    assert response.status_code == code
    assert not R.objects.exists()
    assert not plan.suggestions.exclude(status="pending").exists()


def test_accept_all_takes_the_clean_ones_and_reports_the_rest(client, cast, plan):
    client.force_login(cast.office)
    response = client.post(reverse("plans:suggestions_accept_all", args=[plan.pk]), follow=True)
    body = response.content.decode()
    # the office's own spot checks (每期随机抽查两次) go to the 行事历, every other one is a rule
    accepted = plan.suggestions.filter(status="accepted").exclude(data__owner="org")
    assert plan.suggestions.get(source__contains="抽查", status="accepted").data["owner"] == "org"
    assert CalendarItem.objects.filter(plan=plan).exists()
    assert accepted.count() == R.objects.filter(plan=plan).count() >= 5
    names = set(R.objects.values_list("name", flat=True))
    assert len(names) == accepted.count()  # unique names
    for fragment in ("每季度", "骨干教师"):
        s = plan.suggestions.get(source__contains=fragment)
        assert s.status == "pending" and s.data["review"]["needs"], fragment
    assert "需要人工确认" in body
    assert plan.suggestions.get(kind="target").status == "pending"
    # running it again accepts nothing new
    services.accept_all(plan=plan, user=cast.office)
    assert R.objects.filter(plan=plan).count() == accepted.count()
