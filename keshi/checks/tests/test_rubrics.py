import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from keshi.checks import services
from keshi.checks.models import Rubric
from keshi.checks.tests.factories import builtin


def test_builtins_shipped_by_migration(db):
    names = set(Rubric.objects.filter(org=None).values_list("name", flat=True))
    assert {"教案检查表", "作业检查表", "课堂观察量表（提问层次）", "优秀教研组评估表"} <= names


def test_builtin_is_read_only(cast):
    with pytest.raises(ValidationError, match="内置评分表不能修改"):
        services.save_rubric(
            org=cast.school, rubric=builtin(), name="x", purpose="inspection", criteria="甲 | 1"
        )


def test_rubric_pages_by_role(client, cast):
    own = services.save_rubric(
        org=cast.school, name="本校听课表", purpose="observation", criteria="提问 | 10 | | 四个层次"
    )
    other = services.save_rubric(
        org=cast.other_school, name="外校评分表", purpose="inspection", criteria="甲 | 10"
    )
    for user in (cast.teacher, cast.lead, cast.office, cast.leader):
        client.force_login(user)
        body = client.get(reverse("checks:rubrics")).content.decode()
        assert "本校听课表" in body and "教案检查表" in body and "外校评分表" not in body
        assert client.get(reverse("checks:rubric", args=[other.pk])).status_code == 404
    client.force_login(cast.outsider)
    assert client.get(reverse("checks:rubric", args=[own.pk])).status_code == 404
    assert client.get(reverse("checks:rubric", args=[other.pk])).status_code == 200
    client.force_login(cast.teacher)
    assert client.get(reverse("checks:rubric_edit", args=[own.pk])).status_code == 403
    assert client.get(reverse("checks:rubric_new")).status_code == 403


def test_office_edits_and_copies(client, cast):
    client.force_login(cast.office)
    bad = client.post(
        reverse("checks:rubric_new"),
        {
            "name": "新表",
            "purpose": "inspection",
            "criteria": "甲 | 十",
            "levels": "优 90",
            "active": "on",
        },
    )
    assert "不是数字" in bad.content.decode() and not Rubric.objects.filter(name="新表").exists()
    ok = client.post(
        reverse("checks:rubric_new"),
        {
            "name": "新表",
            "purpose": "inspection",
            "criteria": "甲 | 10 | 2\n乙 | 20",
            "levels": "优 90、合格 60",
            "active": "on",
        },
    )
    rubric = Rubric.objects.get(name="新表")
    assert ok.url == reverse("checks:rubric", args=[rubric.pk]) and rubric.org == cast.school
    assert rubric.criteria[0] == {"key": "c1", "name": "甲", "max": "10", "weight": "2", "note": ""}
    page = client.get(reverse("checks:rubric_edit", args=[rubric.pk])).content.decode()
    assert "甲 | 10 | 2" in page
    assert client.get(reverse("checks:rubric_edit", args=[builtin().pk])).status_code == 403
    copy = client.post(reverse("checks:rubric_copy", args=[builtin().pk]))
    copied = Rubric.objects.get(org=cast.school, name="教案检查表")
    assert copy.url == reverse("checks:rubric_edit", args=[copied.pk])
    search = client.get(reverse("checks:rubrics"), {"q": "作业"}).content.decode()
    assert "作业检查表" in search and "教案检查表" not in search
