import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from keshi.checks import services
from keshi.checks.models import Inspection, InspectionResult, Rubric
from keshi.checks.selectors import inspection_results_for, results_for, rollup_by_group
from keshi.checks.tests.factories import builtin, full_marks, inspection, person
from keshi.org.tests.factories import GroupFactory, MembershipFactory, PersonFactory
from keshi.records.tests.factories import PDF


def _score_all(cast, ins, factor=1.0, findings="教案详实"):
    rows = {
        person(u).pk: {"scores": full_marks(ins, factor), "findings": findings}
        for u in (cast.teacher, cast.other_teacher, cast.lead)
    }
    return services.record_scores(inspection=ins, by=cast.office, rows=rows)


def test_plan_and_run(cast):
    ins = inspection(cast)
    assert ins.status == Inspection.Status.PLANNED and ins.rubric_data == {}
    with pytest.raises(ValidationError, match="只有进行中"):
        services.complete_inspection(inspection=ins)
    saved = _score_all(cast, ins, 0.85)
    ins.refresh_from_db()
    assert ins.status == Inspection.Status.IN_PROGRESS and ins.rubric_data["name"] == "教案检查表"
    assert len(saved) == 3
    result = InspectionResult.objects.get(inspection=ins, person=person(cast.teacher))
    assert (result.total, result.percent, result.level) == (Decimal("85"), Decimal("85.00"), "良")
    # editing the rubric afterwards does not touch a started inspection
    own = services.copy_rubric(rubric=ins.rubric, org=cast.school)
    assert own.org == cast.school and own.criteria == ins.rubric.criteria
    services.complete_inspection(inspection=ins)
    with pytest.raises(ValidationError, match="已完成"):
        _score_all(cast, ins)
    services.reopen_inspection(inspection=ins)
    assert ins.status == Inspection.Status.IN_PROGRESS


def test_frozen_rubric(cast):
    rubric = services.save_rubric(
        org=cast.school,
        name="简表",
        purpose="inspection",
        criteria="甲 | 10\n乙 | 10",
        levels="合格 60、不合格 0",
    )
    ins = inspection(cast, rubric=rubric)
    services.start_inspection(inspection=ins)
    services.save_rubric(
        org=cast.school,
        rubric=rubric,
        name="简表",
        purpose="inspection",
        criteria="甲 | 50",
        levels="",
    )
    ins.refresh_from_db()
    assert [c.name for c in ins.criteria_list()] == ["甲", "乙"]
    services.record_scores(
        inspection=ins,
        by=cast.office,
        rows={person(cast.teacher).pk: {"scores": {"c1": "6", "c2": "7"}}},
    )
    assert InspectionResult.objects.get(inspection=ins).level == "合格"


def test_invalid_grid_writes_nothing(cast):
    ins = inspection(cast)
    rows = {
        person(cast.teacher).pk: {"scores": full_marks(ins)},
        person(cast.other_teacher).pk: {"scores": {**full_marks(ins), "c1": "99"}},
        person(cast.outsider).pk: {"scores": full_marks(ins)},
    }
    with pytest.raises(ValidationError) as exc:
        services.record_scores(inspection=ins, by=cast.office, rows=rows)
    errors = exc.value.message_dict
    assert "0 到 10" in errors[str(person(cast.other_teacher).pk)][0]
    assert "不在本次检查范围内" in errors[str(person(cast.outsider).pk)][0]
    assert not InspectionResult.objects.exists()


def test_save_inspection_validation(cast):
    rubric = builtin()
    other_rubric = Rubric.objects.create(
        org=cast.other_school, name="外校", criteria=rubric.criteria
    )
    base = {"title": "x", "kind": "spot", "target": "people", "rubric": rubric}
    with pytest.raises(ValidationError, match="被检查的教师或组"):
        services.save_inspection(org=cast.school, by=cast.office, **base)
    with pytest.raises(ValidationError, match="本单位的人员"):
        services.save_inspection(
            org=cast.school, by=cast.office, people=[person(cast.outsider)], **base
        )
    with pytest.raises(ValidationError, match="内置或本单位"):
        services.save_inspection(
            org=cast.school, by=cast.office, groups=[cast.group], **{**base, "rubric": other_rubric}
        )
    with pytest.raises(ValidationError, match="不能早于"):
        services.save_inspection(
            org=cast.school,
            by=cast.office,
            groups=[cast.group],
            start=date(2025, 5, 2),
            end=date(2025, 5, 1),
            **base,
        )
    assert not Inspection.objects.exists()


def test_group_target_and_rollups(cast):
    math = GroupFactory(org=cast.school, name="数学组")
    MembershipFactory(group=math, person=PersonFactory(org=cast.school, name="钱老师"))
    ins = inspection(
        cast, target="groups", groups=[cast.group, math], rubric=builtin("group-appraisal")
    )
    services.record_scores(
        inspection=ins,
        by=cast.office,
        rows={
            cast.group.pk: {"scores": {"c1": 20, "c2": 18, "c3": 25, "c4": 15, "c5": 20}},
            math.pk: {"scores": {"c1": 10, "c2": 10, "c3": 10, "c4": 5, "c5": 10}},
        },
    )
    rollup = {r.name: r for r in rollup_by_group(ins.results.all())}
    assert rollup["语文组"].mean_percent == Decimal("98.00") and rollup["语文组"].levels == {
        "优": 1
    }
    assert rollup["数学组"].levels == {"差": 1}
    # a lead reads their own group's result, not the other group's
    lead_results = results_for(cast.lead, inspection=ins)
    assert [r.group for r in lead_results] == [cast.group]
    assert not results_for(cast.teacher, inspection=ins).exists()


def test_results_scoping(cast):
    ins = inspection(cast)
    _score_all(cast, ins)
    other = PersonFactory(org=cast.school, name="外组老师")
    ins2 = inspection(cast, title="抽查", groups=[], people=[other])
    services.record_scores(
        inspection=ins2, by=cast.office, rows={other.pk: {"scores": full_marks(ins2)}}
    )

    def names(user):
        return sorted(r.person.name for r in results_for(user))

    assert names(cast.teacher) == ["张老师"]
    assert names(cast.lead) == ["张老师", "李老师", "王组长"]
    assert (
        names(cast.office)
        == names(cast.leader)
        == names(cast.district)
        == ["外组老师", "张老师", "李老师", "王组长"]
    )
    assert names(cast.outsider) == []
    assert [r.inspection for r in inspection_results_for(person(cast.teacher))] == [ins]
    assert not inspection_results_for(person(cast.teacher), user=cast.other_teacher).exists()


def test_rectifications(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ins = inspection(cast)
    with pytest.raises(ValidationError):
        services.add_rectification(
            inspection=ins, text="补写反思", responsible=person(cast.outsider), due=date(2025, 5, 1)
        )
    item = services.add_rectification(
        inspection=ins, text="补写反思", responsible=person(cast.teacher), due=date(2025, 5, 1)
    )
    with pytest.raises(ValidationError, match="整改情况"):
        services.close_rectification(
            rectification=item, closed_on=date(2025, 4, 30), note="", by=cast.office
        )
    services.close_rectification(
        rectification=item,
        closed_on=date(2025, 4, 30),
        note="已补齐 3 篇",
        by=cast.office,
        evidence_name="反思.pdf",
        evidence=PDF,
    )
    item.refresh_from_db()
    assert item.closed_on == date(2025, 4, 30) and item.closed_by == cast.office


# ---- pages -----------------------------------------------------------------------------------


def test_index_by_role(client, cast):
    ins = inspection(cast)
    _score_all(cast, ins, findings="反思不够具体")
    for user in (cast.office, cast.leader, cast.district):
        client.force_login(user)
        assert "期中教案检查" in client.get(reverse("checks:index")).content.decode()
        assert client.get(reverse("checks:inspection", args=[ins.pk])).status_code == 200
    client.force_login(cast.teacher)
    body = client.get(reverse("checks:index")).content.decode()
    assert "张老师" in body and "反思不够具体" in body and "李老师" not in body
    assert client.get(reverse("checks:inspection", args=[ins.pk])).status_code == 404
    client.force_login(cast.lead)
    body = client.get(reverse("checks:index")).content.decode()
    assert "张老师" in body and "李老师" in body
    client.force_login(cast.outsider)
    body = client.get(reverse("checks:index")).content.decode()
    assert "期中教案检查" not in body and "还没有您的检查结果" in body
    for name in ("inspection", "inspection_export", "inspection_score"):
        assert client.get(reverse(f"checks:{name}", args=[ins.pk])).status_code == 404


def test_office_creates_and_scores_through_pages(client, cast):
    client.force_login(cast.office)
    assert "还没有检查" in client.get(reverse("checks:index")).content.decode()
    rubric = builtin("homework")
    bad = client.post(
        reverse("checks:inspection_new"),
        {"title": "", "kind": "homework", "target": "people", "rubric": rubric.pk},
    )
    assert "这个字段是必填项" in bad.content.decode() and not Inspection.objects.exists()
    response = client.post(
        reverse("checks:inspection_new"),
        {
            "title": "三月作业检查",
            "kind": "homework",
            "target": "people",
            "rubric": rubric.pk,
            "groups": [cast.group.pk],
            "inspectors": [person(cast.lead).pk],
            "classes": "初一(1)班",
            "subjects": "语文",
        },
    )
    ins = Inspection.objects.get()
    assert response.url == reverse("checks:inspection", args=[ins.pk])
    grid = client.get(reverse("checks:inspection_score", args=[ins.pk])).content.decode()
    teacher = person(cast.teacher)
    assert f'name="s-{teacher.pk}-c1"' in grid and "王组长" in grid
    data = {f"s-{teacher.pk}-c{i}": "10" for i in range(1, 7)}
    data[f"s-{teacher.pk}-c1"] = "30"
    page = client.post(reverse("checks:inspection_score", args=[ins.pk]), data)
    assert "未保存任何分数" in page.content.decode() and "0 到 20" in page.content.decode()
    data[f"s-{teacher.pk}-c1"] = "18"
    data[f"f-{teacher.pk}"] = "批改及时"
    assert client.post(reverse("checks:inspection_score", args=[ins.pk]), data).status_code == 302
    result = InspectionResult.objects.get()
    assert (
        result.total == Decimal("68") and result.level == "中" and result.scored_by == cast.office
    )
    client.post(
        reverse("checks:rectification_add", args=[ins.pk]),
        {"text": "加强二次批改", "responsible": teacher.pk, "due": "2025-06-01"},
    )
    assert ins.rectifications.count() == 1
    client.post(reverse("checks:inspection_transition", args=[ins.pk, "complete"]))
    ins.refresh_from_db()
    assert ins.status == "completed"
    export = client.get(reverse("checks:inspection_export", args=[ins.pk]))
    book = load_workbook(io.BytesIO(export.content))
    assert book.sheetnames == ["评分结果", "按组汇总", "按教师汇总", "整改"]
    sheet = book["评分结果"]
    assert sheet["A3"].value == "张老师" and sheet.cell(3, 8).value == 68
    # the inspector (a teacher) may score while it is open, others may not
    client.post(reverse("checks:inspection_transition", args=[ins.pk, "reopen"]))
    client.force_login(cast.lead)
    assert client.get(reverse("checks:inspection_score", args=[ins.pk])).status_code == 200
    client.force_login(cast.other_teacher)
    assert client.get(reverse("checks:inspection_score", args=[ins.pk])).status_code == 404
    client.force_login(cast.leader)
    assert client.get(reverse("checks:inspection_score", args=[ins.pk])).status_code == 403
    assert (
        client.post(reverse("checks:inspection_transition", args=[ins.pk, "complete"])).status_code
        == 403
    )


def test_search_and_pagination(client, cast):
    for i in range(23):
        inspection(cast, title=f"月查{i:02d}", kind="monthly")
    inspection(cast, title="期末检查", kind="final")
    client.force_login(cast.office)
    first = client.get(reverse("checks:index")).content.decode()
    assert "共 24 条" in first and "下一页" in first
    found = client.get(reverse("checks:index"), {"q": "期末"}).content.decode()
    assert "期末检查" in found and "月查01" not in found
    by_kind = client.get(reverse("checks:index"), {"kind": "monthly"}).content.decode()
    assert "期末检查" not in by_kind
    none = client.get(reverse("checks:index"), {"q": "不存在"}).content.decode()
    assert "没有符合条件的检查" in none
