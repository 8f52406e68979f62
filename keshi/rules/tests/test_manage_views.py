"""Requirement pages: who may read and manage them, the form's validation (nothing written on
error), the list's search/filters/pagination and the htmx preview."""

import re

import pytest
from django.urls import reverse

from keshi.calendar.services import create_school_year
from keshi.org.models import Membership
from keshi.records.tests.factories import kind
from keshi.rules import services
from keshi.rules.models import Requirement

pytestmark = pytest.mark.django_db

READERS = ["office", "leader", "district", "lead"]
NOT_READERS = ["teacher", "other_teacher", "outsider"]
NOT_MANAGERS = ["leader", "district", "lead", "teacher"]


def make(cast, org=None, **overrides):
    values = {"name": "听课要求", "kinds": [kind("observation")], "threshold": 15} | overrides
    return services.create_requirement(org=org or cast.school, user=None, **values)


def form_data(**overrides) -> dict:
    data = {
        "name": "新教师听课",
        "source_text": "教龄不足三年者每学期听课不得少于15次",
        "kinds": [kind("observation").pk],
        "measure": "count",
        "item_min_chars": "",
        "comparator": "gte",
        "threshold": "15",
        "period": "term",
        "deadline": "period_end",
        "group_role": "",
        "teaching_years_min": "",
        "teaching_years_max": "2",
        "age_min": "",
        "age_max": "",
        "mentorship": "",
        "points": "1",
        "active": "on",
    }
    return data | overrides


def as_user(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize("role", READERS)
def test_readers_see_the_list_and_the_detail(client, cast, role):
    req = make(cast, teaching_years_max=2)
    as_user(client, getattr(cast, role))
    page = client.get(reverse("requirements:list"))
    assert page.status_code == 200
    assert "教龄不满3年的教师每学期听课不少于15节" in page.content.decode()
    assert client.get(reverse("requirements:detail", args=[req.pk])).status_code == 200


@pytest.mark.parametrize("role", NOT_READERS)
def test_teachers_and_outsiders_may_not_read(client, cast, role):
    req = make(cast)
    as_user(client, getattr(cast, role))
    assert client.get(reverse("requirements:list")).status_code == 403
    expected = 404 if role == "outsider" else 403
    assert client.get(reverse("requirements:detail", args=[req.pk])).status_code == expected


def test_anonymous_is_sent_to_login(client, cast):
    page = client.get(reverse("requirements:list"))
    assert page.status_code == 302 and "/accounts/login/" in page["Location"]


@pytest.mark.parametrize("role", NOT_MANAGERS)
def test_only_office_manages(client, cast, role):
    req = make(cast)
    as_user(client, getattr(cast, role))
    assert client.get(reverse("requirements:new")).status_code == 403
    assert client.post(reverse("requirements:new"), form_data()).status_code == 403
    assert client.get(reverse("requirements:edit", args=[req.pk])).status_code == 403
    for action in ("copy", "toggle", "delete"):
        assert client.post(reverse(f"requirements:{action}", args=[req.pk])).status_code == 403
    preview = reverse("requirements:preview") + f"?org={cast.school.pk}"
    assert client.post(preview, form_data()).status_code == 403
    assert list(Requirement.objects.all()) == [req] and req.active


def test_another_orgs_requirement_is_404_for_its_outsiders(client, cast):
    theirs = make(cast, org=cast.other_school, name="外校要求")
    as_user(client, cast.office)
    for name in ("detail", "edit"):
        assert client.get(reverse(f"requirements:{name}", args=[theirs.pk])).status_code == 404
    for action in ("copy", "toggle", "delete"):
        assert client.post(reverse(f"requirements:{action}", args=[theirs.pk])).status_code == 404
    assert "外校要求" not in client.get(reverse("requirements:list")).content.decode()
    # ?org= of another school does not let office staff create there.
    new = reverse("requirements:new") + f"?org={cast.other_school.pk}"
    assert client.post(new, form_data()).status_code == 302
    assert Requirement.objects.get(name="新教师听课").org == cast.school
    as_user(client, cast.district)
    assert "外校要求" in client.get(reverse("requirements:list")).content.decode()


def test_office_creates_through_the_form(client, cast):
    as_user(client, cast.office)
    assert client.get(reverse("requirements:new")).status_code == 200
    data = form_data(groups=[cast.group.pk], group_role=Membership.Role.LEAD)
    page = client.post(reverse("requirements:new"), data)
    req = Requirement.objects.get()
    assert page.status_code == 302 and page["Location"] == reverse(
        "requirements:detail", args=[req.pk]
    )
    assert req.teaching_years_max == 2 and req.group_role == "lead" and req.points == 1
    assert list(req.groups.all()) == [cast.group]
    assert req.history.first().history_user == cast.office
    detail = client.get(page["Location"]).content.decode()
    assert "语文组教龄不满3年的组长每学期听课不少于15节" in detail


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"teaching_years_min": "5", "teaching_years_max": "2"}, "教龄上限不能小于下限"),
        ({"age_min": "45", "age_max": "40"}, "年龄上限不能小于下限"),
        ({"threshold": "0"}, "数量必须大于 0"),
        ({"threshold": "abc"}, "请填写数字"),
        ({"threshold": ""}, "请填写数量"),
        ({"kinds": []}, "请至少选择一种记录类型"),
        ({"name": ""}, "请填写名称"),
        ({"measure": "chars"}, "没有正文"),
        ({"mentorship": "mentee_observes_mentor", "kinds": ["reflection"]}, "没有被听课人"),
        ({"teaching_years_max": "99"}, "60"),
        ({"item_min_chars": "800"}, "只适用于有正文的记录类型"),
    ],
)
def test_bad_input_shows_a_chinese_error_and_writes_nothing(client, cast, overrides, message):
    if overrides.get("kinds") == ["reflection"]:
        overrides["kinds"] = [kind("reflection").pk]
    as_user(client, cast.office)
    page = client.post(reverse("requirements:new"), form_data(**overrides))
    assert page.status_code == 200
    body = page.content.decode()
    assert message in body and "请按提示修改标红的项目" in body
    assert not Requirement.objects.exists() and not Requirement.history.exists()


def test_edit_keeps_values_and_refuses_bad_input(client, cast):
    req = make(cast, name="听课要求")
    as_user(client, cast.office)
    page = client.get(reverse("requirements:edit", args=[req.pk]))
    assert page.status_code == 200 and 'value="听课要求"' in page.content.decode()
    bad = client.post(reverse("requirements:edit", args=[req.pk]), form_data(threshold="-1"))
    assert "数量必须大于 0" in bad.content.decode()
    req.refresh_from_db()
    assert req.threshold == 15 and req.name == "听课要求"
    ok = client.post(reverse("requirements:edit", args=[req.pk]), form_data(name="听课要求"))
    assert ok.status_code == 302
    req.refresh_from_db()
    assert req.teaching_years_max == 2 and req.history.first().history_user == cast.office


def test_copy_toggle_and_delete(client, cast):
    req = make(cast)
    as_user(client, cast.office)
    page = client.post(reverse("requirements:copy", args=[req.pk]))
    copy = Requirement.objects.exclude(pk=req.pk).get()
    assert page["Location"] == reverse("requirements:edit", args=[copy.pk]) and not copy.active
    client.post(reverse("requirements:toggle", args=[req.pk]))
    req.refresh_from_db()
    assert not req.active
    client.post(reverse("requirements:toggle", args=[req.pk]))
    req.refresh_from_db()
    assert req.active
    assert client.get(reverse("requirements:copy", args=[req.pk])).status_code == 405
    client.post(reverse("requirements:delete", args=[copy.pk]))
    assert not Requirement.objects.filter(pk=copy.pk).exists()


def listed(client, **params) -> list[str]:
    body = client.get(reverse("requirements:list"), params).content.decode()
    return re.findall(r'href="/requirements/\d+/">([^<]+)</a>', body)


def test_list_search_filters_and_pagination(client, cast):
    for i in range(27):
        make(cast, name=f"听课{i:02d}")
    make(cast, name="反思", kinds=[kind("reflection")], period="month", item_min_chars=800)
    make(cast, name="博客", kinds=[kind("blog")], period="week", active=False)
    as_user(client, cast.office)
    first = client.get(reverse("requirements:list")).content.decode()
    assert "第 1–25 条，共 29 条" in first
    assert listed(client)[:2] == ["听课00", "听课01"] and len(listed(client)) == 25
    assert listed(client, page=2) == ["听课25", "听课26", "反思", "博客"]  # inactive last
    assert listed(client, q="反思") == ["反思"]
    assert listed(client, q="听课2") == [
        "听课20",
        "听课21",
        "听课22",
        "听课23",
        "听课24",
        "听课25",
        "听课26",
    ]
    assert listed(client, kind=kind("reflection").pk) == ["反思"]
    by_kind = client.get(reverse("requirements:list"), {"kind": kind("reflection").pk})
    assert "每月教学反思不少于15篇（每篇不少于800字）" in by_kind.content.decode()
    assert listed(client, period="week") == ["博客"]
    assert listed(client, active="0") == ["博客"]
    assert len(listed(client, active="1", page=2)) == 3
    none = client.get(reverse("requirements:list"), {"q": "不存在"}).content.decode()
    assert "没有符合条件的量化要求" in none


def test_empty_list_points_office_to_create(client, cast):
    as_user(client, cast.office)
    body = client.get(reverse("requirements:list")).content.decode()
    assert "还没有量化要求" in body and reverse("requirements:new") in body
    as_user(client, cast.leader)
    body = client.get(reverse("requirements:list")).content.decode()
    assert "还没有量化要求" in body and reverse("requirements:new") not in body


def test_preview_shows_the_sentence_and_the_audience(client, cast):
    create_school_year(org=cast.school, start_year=2026)
    as_user(client, cast.office)
    url = reverse("requirements:preview") + f"?org={cast.school.pk}"
    data = form_data(teaching_years_max="", groups=[cast.group.pk], group_role="lead")
    page = client.post(url, data)
    body = page.content.decode()
    assert page.status_code == 200
    assert "语文组组长每学期听课不少于15节" in body and "王组长" in body and "张老师" not in body
    half = client.post(
        url, form_data(name="", threshold="", teaching_years_min="9", teaching_years_max="3")
    )
    body = half.content.decode()
    assert "教龄上限不能小于下限" in body and "请填写名称" not in body
    assert not Requirement.objects.exists()


def test_preview_without_a_term_says_what_to_do(client, cast):
    as_user(client, cast.office)
    url = reverse("requirements:preview") + f"?org={cast.school.pk}"
    assert "还没有当前学期的校历" in client.post(url, form_data()).content.decode()


def test_detail_shows_history_to_office_only(client, cast):
    req = services.create_requirement(
        org=cast.school, user=cast.office, name="听课", kinds=[kind("observation")], threshold=4
    )
    services.update_requirement(requirement=req, user=cast.office, threshold=6)
    as_user(client, cast.office)
    body = client.get(reverse("requirements:detail", args=[req.pk])).content.decode()
    assert "变更记录" in body and "修改" in body
    as_user(client, cast.leader)
    body = client.get(reverse("requirements:detail", args=[req.pk])).content.decode()
    assert "变更记录" not in body and reverse("requirements:edit", args=[req.pk]) not in body


def test_superuser_creates_in_the_org_chosen_on_the_list(client, cast, admin_user):
    client.force_login(admin_user)
    assert (
        reverse("requirements:new") not in client.get(reverse("requirements:list")).content.decode()
    )
    page = client.get(reverse("requirements:list"), {"org": cast.other_school.pk}).content.decode()
    new = reverse("requirements:new") + f"?org={cast.other_school.pk}"
    assert new in page
    assert client.get(reverse("requirements:new")).status_code == 403  # no org of their own
    assert client.post(new, form_data()).status_code == 302
    assert Requirement.objects.get().org == cast.other_school
