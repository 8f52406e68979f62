"""Caps inside a requirement (其中读书心得最多算一次): read onto the requirement they limit, never
a rule of their own; accepted as a rule with a cap inside it."""

from decimal import Decimal

import pytest
from django.urls import reverse

from keshi.calendar.services import create_school_year
from keshi.plans import services
from keshi.plans.extraction import extract_text
from keshi.plans.extraction.caps import cap_phrase
from keshi.plans.imports import Lookup, import_plan, propose
from keshi.records.tests.factories import kind
from keshi.rules.models import Requirement as R


def read(text: str) -> list[dict]:
    return extract_text(text).to_dict()["requirements"]


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("其中读书心得最多算一次", 1, "次"),
        ("其中外出听课最多计5节", 5, "节"),
        ("网络培训学时最多折算20学时", 20, "学时"),
        ("读书笔记不超过2篇计入", 2, "篇"),
        ("读书笔记最多两篇可计入", 2, "篇"),
        ("论文至多只能算一篇", 1, "篇"),
    ],
)
def test_cap_phrases(text, value, unit):
    assert cap_phrase(text) == (value, unit)


@pytest.mark.parametrize(
    "text",
    ["教师外出学习每学期不超过一次", "每学期听课不少于15节", "最多不少于3篇", "其中最多"],
)
def test_not_cap_phrases(text):
    assert cap_phrase(text) is None


def test_a_cap_in_the_same_sentence_joins_the_requirement():
    found = read("教师每学期撰写教学反思不少于10篇，其中读书心得最多算一次。")
    assert len(found) == 1
    (item,) = found
    assert (item["kind"], item["value"], item["op"]) == ("reflection", 10, ">=")
    assert item["caps"] == [{"kind": "reading", "value": 1, "source": "其中读书心得最多算一次"}]


def test_a_cap_in_the_next_sentence_joins_the_requirement_before_it():
    found = read("每学期撰写教学反思不少于10篇。读书心得最多算一篇。")
    assert [(r["kind"], [c["kind"] for c in r["caps"]]) for r in found] == [
        ("reflection", ["reading"])
    ]


def test_two_caps_join_one_requirement():
    found = read("每学年培训不少于72学时，其中网络培训最多折算20学时，读书笔记最多计2篇。")
    assert len(found) == 1
    assert [c["value"] for c in found[0]["caps"]] == [20, 2]


def test_a_limit_of_its_own_stays_a_rule():
    """Not a cap phrase (nothing is 算/计入): a 不超过 rule, as read."""
    found = read("教师外出学习每学期不超过一次。")
    assert len(found) == 1 and found[0]["op"] == "<=" and "caps" not in found[0]


def test_a_cap_far_from_any_requirement_stays_as_read():
    found = read(
        "每学期撰写教学反思不少于10篇。\n二、工作措施\n加强教学管理。\n读书心得最多算一篇。"
    )
    assert len(found) == 2 and "caps" not in found[0]


def test_requirements_without_caps_are_unchanged():
    found = read("每学期听课不少于15节。每月写一篇教学反思。")
    assert [r["kind"] for r in found] == ["observation", "reflection"]
    assert all("caps" not in r for r in found)


PLAN = """教科室工作计划
一、工作要求
教师每学期撰写教学反思不少于10篇，其中读书笔记最多算一次。
每学期听课不少于15节，其中外出听课最多计5节。
"""


@pytest.fixture
def plan(cast):
    term = create_school_year(org=cast.school, start_year=2025).terms.get(number=1)
    return import_plan(
        org=cast.school, user=None, extraction=extract_text(PLAN), title="计划", term=term
    )


@pytest.mark.django_db
def test_proposal_carries_the_cap_and_its_kind(cast, plan):
    suggestions = plan.suggestions.filter(kind="requirement")
    assert suggestions.count() == 2  # the caps made no suggestion of their own
    s = suggestions.get(source__contains="教学反思")
    proposal = propose(s.data, lookup=Lookup.for_org(plan.org), org=plan.org)
    values = proposal.values
    assert sorted(k.code for k in values["kinds"]) == ["reading", "reflection"]
    assert [(k.code, limit) for k, limit in values["kind_caps"]] == [("reading", Decimal(1))]
    assert "其中读书笔记最多算一次" in values["source_text"]
    assert proposal.sentence.endswith("其中读书笔记最多计1篇")
    requirement = services.accept_suggestion(suggestion=s, user=cast.office, **values)
    assert [(c.kind.code, c.limit) for c in requirement.kind_caps.all()] == [("reading", 1)]


@pytest.mark.django_db
def test_a_cap_on_the_rules_own_kind_is_left_to_the_office(cast, plan):
    s = plan.suggestions.get(source__contains="听课不少于15节")
    proposal = propose(s.data, lookup=Lookup.for_org(plan.org), org=plan.org)
    assert "kind_caps" not in proposal.values
    assert [k.code for k in proposal.values["kinds"]] == ["observation"]
    assert any("外出听课" in note for note in proposal.notes)
    assert not proposal.problems or all("外出听课" not in p for p in proposal.problems)


@pytest.mark.django_db
def test_accept_all_makes_one_rule_with_its_cap(cast, plan):
    services.accept_all(plan=plan, user=cast.office)
    rules = R.objects.filter(plan=plan)
    assert rules.count() == 2
    assert not rules.filter(comparator=R.Comparator.LTE).exists()
    capped = rules.get(kinds__code="reading")
    assert [(c.kind.code, c.limit) for c in capped.kind_caps.all()] == [("reading", 1)]


@pytest.mark.django_db
def test_the_accept_page_prefills_the_cap(client, cast, plan):
    s = plan.suggestions.get(source__contains="教学反思")
    client.force_login(cast.office)
    r = client.get(reverse("plans:suggestion_accept", args=[plan.pk, s.pk]))
    assert r.status_code == 200
    form = r.context["form"]
    assert form.initial["cap_kind_1"] == kind("reading").pk
    assert form.initial["cap_limit_1"] == Decimal(1)
    client.force_login(cast.teacher)
    r = client.get(reverse("plans:suggestion_accept", args=[plan.pk, s.pk]))
    assert r.status_code in (403, 404)
