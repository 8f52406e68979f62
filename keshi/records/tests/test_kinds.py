"""Office staff manage their org's own kinds; built-ins are read-only."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from keshi.records.forms import format_field_lines, parse_field_lines
from keshi.records.models import ActivityKind
from keshi.records.selectors import kinds_for_org
from keshi.records.tests.factories import kind

LIST = reverse("records:kinds")
NEW = reverse("records:kind_create")
FIELDS = "student|学生|text|必填\nlevel|级别|choice||校级、区级"


def data(**extra):
    return {
        "label": "家访",
        "code": "home_visit",
        "unit": "次",
        "fields_text": FIELDS,
        "position": "100",
        "active": "on",
        **extra,
    }


def test_office_adds_edits_and_deactivates_a_kind(client, cast):
    client.force_login(cast.office)
    assert client.post(NEW, data()).status_code == 302
    k = ActivityKind.objects.get(code="home_visit")
    assert k.org == cast.school
    assert k.fields == [
        {"name": "student", "label": "学生", "type": "text", "required": True},
        {"name": "level", "label": "级别", "type": "choice", "choices": ["校级", "区级"]},
    ]
    edit = reverse("records:kind_edit", args=[k.pk])
    assert format_field_lines(k.fields) in client.get(edit).content.decode()
    client.post(edit, data(label="家访记录", active=""))
    k.refresh_from_db()
    assert k.label == "家访记录" and not k.active
    assert k not in kinds_for_org(cast.school)
    assert "家访记录" in client.get(LIST).content.decode()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"code": "Home Visit"}, "代码须为小写英文字母开头"),
        ({"label": ""}, "这个字段是必填项"),
        ({"fields_text": "student|学生|colour"}, "第1行：类型应为"),
        ({"fields_text": "1abc|学生"}, "第1行：字段名须为小写英文字母开头"),
        ({"fields_text": "a|甲\na|乙"}, "第2行：字段名“a”重复"),
        ({"fields_text": "level|级别|choice"}, "第1行：选择类型须列出选项"),
        ({"unit": "斤"}, "选择一个有效的选项"),
    ],
)
def test_bad_kind_input_writes_nothing(client, cast, extra, message):
    client.force_login(cast.office)
    r = client.post(NEW, data(**extra))
    assert r.status_code == 200 and message in r.content.decode()
    assert not ActivityKind.objects.filter(org__isnull=False).exists()


def test_code_unique_within_org(client, cast):
    ActivityKind.objects.create(org=cast.school, code="home_visit", label="家访")
    client.force_login(cast.office)
    r = client.post(NEW, data())
    assert "本单位已有该代码的记录类型" in r.content.decode()
    assert ActivityKind.objects.filter(code="home_visit").count() == 1


def test_builtin_kinds_are_read_only(client, cast):
    client.force_login(cast.office)
    builtin = kind("observation")
    assert client.get(reverse("records:kind_edit", args=[builtin.pk])).status_code == 404
    assert client.post(reverse("records:kind_edit", args=[builtin.pk]), data()).status_code == 404
    assert "听课/听评课" in client.get(LIST).content.decode()


def test_org_kind_replaces_builtin_with_same_code(cast):
    own = ActivityKind.objects.create(org=cast.school, code="observation", label="听评课（本校）")
    codes = {k.code: k for k in kinds_for_org(cast.school)}
    assert codes["observation"] == own
    assert kinds_for_org(cast.other_school).get(code="observation").org is None


@pytest.mark.parametrize("who", ["teacher", "lead", "leader", "district", "outsider"])
def test_only_office_manages_kinds(client, cast, who):
    other = ActivityKind.objects.create(org=cast.school, code="visit", label="家访")
    client.force_login(getattr(cast, who))
    assert client.get(LIST).status_code == 403
    assert client.post(NEW, data()).status_code == 403
    assert client.get(reverse("records:kind_edit", args=[other.pk])).status_code == 403


def test_other_schools_office_cannot_edit(client, cast):
    from keshi.accounts.models import RoleGrant
    from keshi.org.tests.factories import UserFactory, grant

    other_office = UserFactory(username="other_office")
    grant(other_office, cast.other_school, RoleGrant.Role.OFFICE)
    k = ActivityKind.objects.create(org=cast.school, code="visit", label="家访")
    client.force_login(other_office)
    assert client.get(reverse("records:kind_edit", args=[k.pk])).status_code == 404


def test_parse_field_lines_round_trip():
    fields = parse_field_lines("book|书名|text|必填\n\npages|页数|int\nlevel|级别|choice||甲,乙")
    assert parse_field_lines(format_field_lines(fields)) == fields
    with pytest.raises(ValidationError):
        parse_field_lines("x|y|z")
