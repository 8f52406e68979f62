"""Plan pages with the cast: who reads, who manages, and what each page writes."""

import pytest
from django.urls import reverse

from keshi.calendar.services import create_school_year
from keshi.org.models import Person
from keshi.plans import services
from keshi.plans.models import Duty, Plan, PlanSection


@pytest.fixture
def term(cast):
    return create_school_year(org=cast.school, start_year=2025).terms.get(number=1)


@pytest.fixture
def draft(cast, term):
    plan = services.create_plan(org=cast.school, user=None, title="教科室草稿计划", term=term)
    services.add_section(plan=plan, user=None, kind="guiding", title="指导思想", body="以人为本")
    services.add_section(plan=plan, user=None, kind="goals", title="工作目标", body="提升素养")
    services.add_duty(plan=plan, user=None, person_name="xx", responsibility="负责简报")
    return plan


@pytest.fixture
def published(cast, term):
    plan = services.create_plan(org=cast.school, user=None, title="已发布的计划", term=term)
    return services.set_status(plan=plan, user=None, status=Plan.Status.PUBLISHED)


@pytest.fixture
def foreign(cast):
    term = create_school_year(org=cast.other_school, start_year=2025).terms.get(number=1)
    plan = services.create_plan(org=cast.other_school, user=None, title="外校计划", term=term)
    return services.set_status(plan=plan, user=None, status=Plan.Status.PUBLISHED)


def get(client, user, name, *args):
    client.force_login(user)
    return client.get(reverse(name, args=args))


READERS = ["office", "leader", "district"]
TEACHERS = ["teacher", "other_teacher", "lead"]


@pytest.mark.parametrize("who", READERS + TEACHERS)
def test_list_shows_published_to_all_and_drafts_to_readers(client, cast, draft, published, who):
    body = get(client, getattr(cast, who), "plans:index").content.decode()
    assert "已发布的计划" in body
    assert ("教科室草稿计划" in body) == (who in READERS)


def test_outsider_sees_only_own_school(client, cast, draft, published, foreign):
    body = get(client, cast.outsider, "plans:index").content.decode()
    assert "外校计划" in body and "已发布的计划" not in body and "教科室草稿计划" not in body


@pytest.mark.parametrize("who, code", [(w, 200) for w in READERS] + [(w, 404) for w in TEACHERS])
def test_draft_page(client, cast, draft, who, code):
    response = get(client, getattr(cast, who), "plans:detail", draft.pk)
    assert response.status_code == code
    if code == 200:
        body = response.content.decode()
        assert "指导思想" in body and "负责简报" in body and "草稿" in body
        assert f"{reverse('itinerary:index')}?plan={draft.pk}" in body


@pytest.mark.parametrize("who", READERS + TEACHERS)
def test_published_page_read_by_org(client, cast, published, who):
    assert get(client, getattr(cast, who), "plans:detail", published.pk).status_code == 200


def test_outsider_gets_404_on_every_plan_page(client, cast, draft, published):
    client.force_login(cast.outsider)
    for name in ("plans:detail", "plans:edit", "plans:history", "plans:suggestions"):
        for plan in (draft, published):
            assert client.get(reverse(name, args=[plan.pk])).status_code == 404, name


def test_list_filters_search_and_empty_state(client, cast, draft, published, term):
    client.force_login(cast.office)
    url = reverse("plans:index")
    body = client.get(url, {"status": "published"}).content.decode()
    assert "已发布的计划" in body and "教科室草稿计划" not in body
    body = client.get(url, {"q": "草稿"}).content.decode()
    assert "教科室草稿计划" in body and "已发布的计划" not in body
    assert "已发布的计划" in client.get(url, {"term": term.pk}).content.decode()
    body = client.get(url, {"q": "没有这个"}).content.decode()
    assert "没有符合条件的计划" in body


def test_empty_list_offers_new_and_import_to_office_only(client, cast):
    body = get(client, cast.office, "plans:index").content.decode()
    assert "新建计划" in body and "导入计划" in body
    body = get(client, cast.teacher, "plans:index").content.decode()
    assert "新建计划" not in body and "还没有已发布的工作计划" in body


def test_list_paginates(client, cast, term):
    for n in range(25):
        services.create_plan(org=cast.school, user=None, title=f"计划{n:02d}", term=term)
    body = get(client, cast.office, "plans:index").content.decode()
    assert "共 25 条" in body and "下一页" in body


def test_office_creates_plan(client, cast, term):
    client.force_login(cast.office)
    url = reverse("plans:new") + f"?org={cast.school.pk}"
    response = client.post(url, {"title": "新学期计划", "term": term.pk, "group": cast.group.pk})
    plan = Plan.objects.get(title="新学期计划")
    assert response.status_code == 302 and plan.status == Plan.Status.DRAFT
    assert plan.group == cast.group and plan.org == cast.school


def test_create_needs_term_or_year_and_title(client, cast, term):
    client.force_login(cast.office)
    response = client.post(reverse("plans:new"), {"title": ""})
    body = response.content.decode()
    assert "请填写计划标题。" in body and "请选择计划所属的学期或学年。" in body
    assert not Plan.objects.exists()


@pytest.mark.parametrize("who", ["leader", "district", "teacher", "lead", "outsider"])
def test_only_office_creates(client, cast, term, who):
    client.force_login(getattr(cast, who))
    response = client.post(reverse("plans:new"), {"title": "x", "term": term.pk})
    assert response.status_code == 403 and not Plan.objects.exists()


@pytest.mark.parametrize("who, code", [("leader", 403), ("teacher", 403), ("outsider", 404)])
def test_only_office_edits_published(client, cast, published, who, code):
    client.force_login(getattr(cast, who))
    assert client.get(reverse("plans:edit", args=[published.pk])).status_code == code
    response = client.post(reverse("plans:status", args=[published.pk]), {"status": "archived"})
    assert response.status_code == code
    published.refresh_from_db()
    assert published.status == Plan.Status.PUBLISHED


def test_status_transitions(client, cast, draft):
    client.force_login(cast.office)
    url = reverse("plans:status", args=[draft.pk])
    client.post(url, {"status": "archived"})  # no skipping
    draft.refresh_from_db()
    assert draft.status == Plan.Status.DRAFT
    publish = reverse("plans:publish", args=[draft.pk])
    assert client.post(url, {"status": "published"}).url == publish  # 发布 goes via the review
    client.post(publish)
    draft.refresh_from_db()
    assert draft.status == Plan.Status.PUBLISHED
    client.post(url, {"status": "draft"})  # 撤回: its rules wait again
    draft.refresh_from_db()
    assert draft.status == Plan.Status.DRAFT
    client.post(publish)
    client.post(url, {"status": "archived"})
    draft.refresh_from_db()
    assert draft.status == Plan.Status.ARCHIVED
    response = client.post(
        reverse("plans:section_new", args=[draft.pk]), {"kind": "other", "title": "x"}
    )
    assert "计划已归档" in response.content.decode()
    assert draft.sections.count() == 2


def test_edit_plan(client, cast, draft, term):
    client.force_login(cast.office)
    response = client.post(
        reverse("plans:edit", args=[draft.pk]), {"title": "改过的标题", "term": term.pk}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "改过的标题"


def test_sections_add_edit_reorder_delete(client, cast, draft):
    client.force_login(cast.office)
    client.post(
        reverse("plans:section_new", args=[draft.pk]),
        {"kind": "calendar", "title": "活动安排", "body": ""},
    )
    titles = lambda: list(draft.sections.values_list("title", flat=True))  # noqa: E731
    assert titles() == ["指导思想", "工作目标", "活动安排"]
    last = draft.sections.get(title="活动安排")
    client.post(reverse("plans:section_move", args=[draft.pk, last.pk]), {"direction": "up"})
    assert titles() == ["指导思想", "活动安排", "工作目标"]
    client.post(reverse("plans:section_move", args=[draft.pk, last.pk]), {"direction": "up"})
    client.post(reverse("plans:section_move", args=[draft.pk, last.pk]), {"direction": "up"})
    assert titles() == ["活动安排", "指导思想", "工作目标"]
    goals = draft.sections.get(title="工作目标")
    client.post(
        reverse("plans:section_edit", args=[draft.pk, goals.pk]),
        {"kind": "goals", "title": "工作目标", "body": "提升教师专业素养"},
    )
    goals.refresh_from_db()
    assert goals.body == "提升教师专业素养"
    client.post(reverse("plans:section_delete", args=[draft.pk, goals.pk]))
    assert titles() == ["活动安排", "指导思想"]
    response = client.post(reverse("plans:section_new", args=[draft.pk]), {"kind": "other"})
    assert "请填写章节标题。" in response.content.decode()


def test_section_of_another_plan_is_404(client, cast, draft, published):
    client.force_login(cast.office)
    section = draft.sections.first()
    url = reverse("plans:section_edit", args=[published.pk, section.pk])
    assert client.get(url).status_code == 404


def test_duties_person_from_org_or_free_name(client, cast, draft):
    client.force_login(cast.office)
    teacher = Person.objects.get(user=cast.teacher)
    outsider = Person.objects.get(user=cast.outsider)
    url = reverse("plans:duty_new", args=[draft.pk])
    client.post(url, {"person": teacher.pk, "responsibility": "负责课题研究"})
    assert Duty.objects.get(responsibility="负责课题研究").person == teacher
    response = client.post(url, {"person": outsider.pk, "responsibility": "外校"})
    assert "选择有效的" in response.content.decode() or "有效" in response.content.decode()
    response = client.post(url, {"responsibility": "没人"})
    assert "请选择负责人，或填写负责人姓名。" in response.content.decode()
    assert draft.duties.count() == 2
    duty = draft.duties.get(person_name="xx")
    client.post(
        reverse("plans:duty_edit", args=[draft.pk, duty.pk]),
        {"person": teacher.pk, "person_name": "", "responsibility": "负责简报编辑"},
    )
    duty.refresh_from_db()
    assert duty.person == teacher and duty.person_name == ""
    client.post(reverse("plans:duty_delete", args=[draft.pk, duty.pk]))
    assert draft.duties.count() == 1
    body = client.get(reverse("plans:detail", args=[draft.pk])).content.decode()
    assert "负责课题研究" in body and "张老师" in body


def test_history_shows_who_changed_what(client, cast, draft):
    client.force_login(cast.office)
    section = draft.sections.get(title="指导思想")
    long_body = "以人为本，" * 30
    client.post(
        reverse("plans:section_edit", args=[draft.pk, section.pk]),
        {"kind": "guiding", "title": "指导思想", "body": long_body + "相伴同行。"},
    )
    client.post(
        reverse("plans:section_delete", args=[draft.pk, draft.sections.get(title="工作目标").pk])
    )
    response = client.get(reverse("plans:history", args=[draft.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "office" in body and "删除" in body and "修改" in body and "新建" in body
    assert "<ins" in body and "相伴同行" in body
    assert PlanSection.history.filter(plan_id=draft.pk, history_type="-").count() == 1


@pytest.mark.parametrize("who, code", [("leader", 200), ("district", 200), ("teacher", 404)])
def test_history_readers(client, cast, draft, who, code):
    assert get(client, getattr(cast, who), "plans:history", draft.pk).status_code == code


def test_teacher_cannot_read_history_of_published(client, cast, published):
    assert get(client, cast.teacher, "plans:history", published.pk).status_code == 403
