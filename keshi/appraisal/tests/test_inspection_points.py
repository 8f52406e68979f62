"""检查结果 rules: points from an inspection's results when it is completed, by level or by a
score band whose ends both count (以上/以下), idempotent over 重新打开 and completing again."""

from decimal import Decimal

import pytest
from django.urls import reverse

from keshi.accounts.models import ApiToken
from keshi.appraisal.models import PointEntry, PointRule, Source
from keshi.appraisal.services import apply_rules
from keshi.checks import services as checks
from keshi.checks.models import Inspection
from keshi.checks.tests.factories import inspection, person

pytestmark = pytest.mark.django_db


def _rubric(cast):
    return checks.save_rubric(
        org=cast.school,
        name="百分表",
        purpose="inspection",
        criteria="总体 | 100",
        levels="优秀 90、合格 60、不合格 0",
    )


def _rule(cast, name, points, **fields):
    return PointRule.objects.create(
        org=cast.school,
        name=name,
        trigger=PointRule.Trigger.INSPECTION_RESULT,
        points=Decimal(points),
        **fields,
    )


def _run(cast, ins, scores: dict):
    """Score ``{user: percent}`` and complete the inspection."""
    if ins.status == Inspection.Status.COMPLETED:
        checks.reopen_inspection(inspection=ins)
    rows = {person(u).pk: {"scores": {"c1": str(v)}} for u, v in scores.items()}
    checks.record_scores(inspection=ins, by=cast.office, rows=rows)
    checks.complete_inspection(inspection=ins)


def _points(user) -> list[Decimal]:
    return sorted(
        PointEntry.objects.filter(person=person(user), source=Source.INSPECTION).values_list(
            "points", flat=True
        )
    )


def test_level_rules_award_and_deduct_when_completed(cast):
    _rule(cast, "检查优秀", "0.5", inspection_level="优秀")
    _rule(cast, "检查不合格", "-0.5", inspection_level="不合格")
    ins = inspection(cast, rubric=_rubric(cast))
    rows = {person(cast.teacher).pk: {"scores": {"c1": "95"}}}
    checks.record_scores(inspection=ins, by=cast.office, rows=rows)
    assert not PointEntry.objects.exists()  # scored, not yet completed
    checks.record_scores(
        inspection=ins,
        by=cast.office,
        rows={person(cast.other_teacher).pk: {"scores": {"c1": "40"}}},
    )
    checks.complete_inspection(inspection=ins)
    assert _points(cast.teacher) == [Decimal("0.5")]
    assert _points(cast.other_teacher) == [Decimal("-0.5")]
    entry = PointEntry.objects.get(person=person(cast.teacher))
    assert entry.source_id == ins.pk and entry.source_key.startswith("rule")
    assert entry.reason == "期中教案检查：优秀（检查优秀）"


@pytest.mark.parametrize(
    ("percent", "high", "low"),
    [("90", True, False), ("89.99", False, False), ("60", False, True), ("60.01", False, False)],
)
def test_band_ends_count(cast, percent, high, low):
    _rule(cast, "90%以上", "0.3", percent_min=Decimal(90))
    _rule(cast, "60%以下", "-0.2", percent_max=Decimal(60))
    _rule(cast, "月查才算", "5", percent_min=Decimal(0), inspection_kind="monthly")
    ins = inspection(cast, rubric=_rubric(cast))
    _run(cast, ins, {cast.teacher: percent})
    expected = ([Decimal("-0.2")] if low else []) + ([Decimal("0.3")] if high else [])
    assert _points(cast.teacher) == expected


def test_completing_again_changes_or_removes_never_duplicates(cast):
    _rule(cast, "检查优秀", "0.5", inspection_level="优秀")
    band = _rule(cast, "80%以上", "0.2", percent_min=Decimal(80))
    ins = inspection(cast, rubric=_rubric(cast))
    _run(cast, ins, {cast.teacher: 95, cast.other_teacher: 85})
    assert _points(cast.teacher) == [Decimal("0.2"), Decimal("0.5")]
    assert _points(cast.other_teacher) == [Decimal("0.2")]
    assert apply_rules(org=cast.school).created == 0  # the button adds nothing twice
    band.points = Decimal("0.25")
    band.save()
    _run(cast, ins, {cast.teacher: 85, cast.other_teacher: 50})  # reopened, rescored
    assert _points(cast.teacher) == [Decimal("0.25")]  # 优秀 gone, band changed
    assert _points(cast.other_teacher) == []
    assert PointEntry.objects.count() == 1
    checks.reopen_inspection(inspection=ins)
    checks.complete_inspection(inspection=ins)
    assert PointEntry.objects.count() == 1


def test_rule_added_after_completion_applies_with_the_button(cast):
    ins = inspection(cast, rubric=_rubric(cast))
    _run(cast, ins, {cast.teacher: 92})
    _rule(cast, "检查优秀", "0.5", inspection_level="优秀")
    assert apply_rules(org=cast.school).created == 1
    assert apply_rules(org=cast.school).created == 0
    assert _points(cast.teacher) == [Decimal("0.5")]


def test_group_result_gives_each_current_member(cast):
    _rule(cast, "集体备课优秀", "0.4", inspection_level="优秀")
    ins = inspection(cast, rubric=_rubric(cast), target=Inspection.Target.GROUPS)
    checks.record_scores(
        inspection=ins, by=cast.office, rows={cast.group.pk: {"scores": {"c1": "91"}}}
    )
    checks.complete_inspection(inspection=ins)
    members = {cast.teacher, cast.other_teacher, cast.lead}
    assert {e.person.user for e in PointEntry.objects.all()} == members
    assert all(_points(u) == [Decimal("0.4")] for u in members)
    assert _points(cast.outsider) == []


def test_rule_form_errors_in_chinese(client, cast):
    client.force_login(cast.office)
    url = reverse("appraisal:rule_new")
    base = {"name": "检查规则", "trigger": "inspection_result", "points": "0.5", "active": "on"}
    body = client.post(url, base).content.decode()
    assert "请填写检查等级，或填写得分率区间。" in body
    body = client.post(url, {**base, "inspection_level": "优秀", "percent_min": "90"})
    assert "检查等级和得分率区间只能二选一。" in body.content.decode()
    body = client.post(url, {**base, "percent_min": "90", "percent_max": "80"}).content.decode()
    assert "得分率的上限不能低于下限。" in body
    body = client.post(url, {**base, "percent_min": "120"}).content.decode()
    assert "100" in body and not PointRule.objects.exists()
    assert "以上" in client.get(url).content.decode()  # the help says ends count
    ok = client.post(url, {**base, "percent_min": "90", "inspection_kind": "midterm"})
    assert ok.status_code == 302
    rule = PointRule.objects.get()
    assert (rule.percent_min, rule.inspection_kind, rule.inspection_level) == (90, "midterm", "")
    assert "得分率 90% 以上" in client.get(reverse("appraisal:rules")).content.decode()
    client.force_login(cast.teacher)
    assert client.post(url, {**base, "inspection_level": "优秀"}).status_code == 403


def test_points_page_links_the_inspection(client, cast):
    _rule(cast, "检查优秀", "0.5", inspection_level="优秀")
    ins = inspection(cast, rubric=_rubric(cast))
    _run(cast, ins, {cast.teacher: 95})
    client.force_login(cast.office)
    body = client.get(reverse("appraisal:index"), {"year": "all"}).content.decode()
    assert f'href="{reverse("checks:inspection", args=[ins.pk])}">检查结果</a>' in body
    client.force_login(cast.teacher)  # the teacher reads their results on the checks index
    body = client.get(reverse("appraisal:index"), {"year": "all"}).content.decode()
    assert f'href="{reverse("checks:index")}">检查结果</a>' in body and "0.5" in body
    client.force_login(cast.other_teacher)
    body = client.get(reverse("appraisal:index"), {"year": "all"}).content.decode()
    assert "期中教案检查" not in body


def test_api_rules_and_points_scoped(client, cast):
    _rule(cast, "检查优秀", "0.5", inspection_level="优秀", inspection_kind="midterm")
    ins = inspection(cast, rubric=_rubric(cast))
    _run(cast, ins, {cast.teacher: 95})

    def get(user, url, **params):
        headers = {"Authorization": f"Bearer {ApiToken.issue(user)[1]}"}
        return client.get(url, params, headers=headers)

    rules = get(cast.office, "/api/v1/appraisal/rules").json()["items"]
    assert rules[0]["trigger"] == "inspection_result"
    assert (rules[0]["inspection_level"], rules[0]["inspection_kind"]) == ("优秀", "midterm")
    mine = get(cast.teacher, "/api/v1/appraisal/points", source="inspection").json()["items"]
    assert [(p["source"], p["points"]) for p in mine] == [("inspection", "0.50")]
    entry = PointEntry.objects.get()
    for user in (cast.other_teacher, cast.outsider):
        assert get(user, "/api/v1/appraisal/points", source="inspection").json()["items"] == []
        assert get(user, f"/api/v1/appraisal/points/{entry.pk}").status_code == 404
