"""Rules are published with their plan, never before: accepted suggestions wait in the draft
plan, publishing puts them in force from today (or a future term's first day), and withdrawing
the plan to draft takes them back."""

import pytest
from django.urls import reverse
from django.utils import timezone

from keshi.calendar.services import create_school_year
from keshi.plans import services
from keshi.plans.extraction import extract_text
from keshi.plans.imports import import_plan
from keshi.plans.models import Plan
from keshi.rules.engine import evaluate
from keshi.rules.models import Requirement

pytestmark = pytest.mark.django_db
TEXT = "教科室工作计划\n一、工作目标\n每月写一篇教学反思。\n每位教师每学期听课不少于15节。\n"


@pytest.fixture
def terms(cast):
    today = timezone.localdate()
    year = create_school_year(org=cast.school, start_year=today.year if today.month >= 9
                              else today.year - 1)  # fmt: skip
    return year.terms.get(number=1), year.terms.get(number=2)


def _plan(cast, term, title="计划") -> Plan:
    plan = import_plan(org=cast.school, user=None, extraction=extract_text(TEXT), title=title,
                       term=term)  # fmt: skip
    accepted = services.accept_all(plan=plan, user=cast.office).accepted
    assert len(accepted) == 2
    return plan


def _in_force(term, cast) -> set[str]:
    result = evaluate(term=term, at=timezone.localdate())
    return {r.name for r in result.requirements}


def _task_names(client) -> set[str]:
    tasks = client.get(reverse("rules:my_tasks")).context["tasks"]
    return {t.requirement.name for t in tasks.items} if tasks else set()


def test_a_draft_plans_rules_wait_until_it_is_published(cast, terms):
    now, _later = terms
    plan = _plan(cast, now)
    assert _in_force(now, cast) == set()
    assert not Requirement.objects.live().filter(plan=plan).exists()

    services.set_status(plan=plan, user=cast.office, status=Plan.Status.PUBLISHED)
    rules = list(plan.requirements.all())
    assert _in_force(now, cast) == {r.name for r in rules}
    assert {r.effective_from for r in rules} == {timezone.localdate()}

    services.set_status(plan=plan, user=cast.office, status=Plan.Status.DRAFT)
    assert _in_force(now, cast) == set()
    assert plan.requirements.count() == 2  # taken back, not deleted


def test_a_future_terms_plan_starts_with_its_term(cast, terms):
    _now, later = terms
    plan = _plan(cast, later, title="下学期计划")
    services.set_status(plan=plan, user=cast.office, status=Plan.Status.PUBLISHED)
    assert {r.effective_from for r in plan.requirements.all()} == {later.start}


def test_the_teacher_sees_the_rule_only_after_publishing(client, cast, terms):
    now, _later = terms
    plan = _plan(cast, now)
    client.force_login(cast.teacher)
    assert _task_names(client) == set()
    client.force_login(cast.office)
    response = client.post(reverse("plans:publish", args=[plan.pk]))
    assert response.status_code == 302
    client.force_login(cast.teacher)
    assert _task_names(client) == set(plan.requirements.values_list("name", flat=True))
    assert "未达标" not in client.get(reverse("rules:my_tasks")).content.decode()
    client.force_login(cast.office)
    page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "撤回为草稿" in page


def test_a_past_terms_plan_is_judged_whole(cast):
    """A plan of a term already over (entered for the record) starts with that term."""
    past = create_school_year(org=cast.school, start_year=2024).terms.get(number=1)
    plan = _plan(cast, past, title="往年计划")
    services.set_status(plan=plan, user=cast.office, status=Plan.Status.PUBLISHED)
    assert {r.effective_from for r in plan.requirements.all()} == {past.start}
