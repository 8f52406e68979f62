from datetime import date

import pytest
from django.urls import reverse

from keshi.records.models import Activity
from keshi.research import services
from keshi.research.models import ResearchProject, StageDocument
from keshi.research.tests.helpers import advance, pdf, person, project


def get(client, user, url):
    client.force_login(user)
    return client.get(url)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.django_db
def test_list_scoping(client, cast):
    draft = services.create_project(
        org=cast.school, title="张老师的草稿", level="school", leader=person(cast.teacher)
    )
    public = project(cast, title="已立项课题", status_public=True)
    seen = {}
    for name in ("teacher", "other_teacher", "lead", "office", "leader", "district", "outsider"):
        html = get(client, getattr(cast, name), reverse("research:index")).content.decode()
        seen[name] = {t for t in (draft.title, public.title) if t in html}
    both = {draft.title, public.title}
    assert seen["teacher"] == both  # the leader
    assert seen["other_teacher"] == {public.title}  # never another's 申报 draft
    assert seen["office"] == seen["leader"] == seen["district"] == both
    assert seen["lead"] == both  # a group lead reads the members' work
    assert seen["outsider"] == set()
    assert "还没有课题" in get(client, cast.outsider, reverse("research:index")).content.decode()


@pytest.mark.django_db
def test_list_filters_search_and_pagination(client, cast):
    for i in range(22):
        project(cast, title=f"课题{i:02d}", level="district" if i % 2 else "school")
    client.force_login(cast.office)
    page = client.get(reverse("research:index"), {"level": "district"}).content.decode()
    assert "课题01" in page and "课题02" not in page
    assert "课题07" in client.get(reverse("research:index"), {"q": "课题07"}).content.decode()
    assert "共 22 条" in client.get(reverse("research:index")).content.decode()
    empty = client.get(reverse("research:index"), {"status": "withdrawn"}).content.decode()
    assert "没有符合条件的课题" in empty


@pytest.mark.django_db
def test_detail_access(client, cast, media):
    draft = project(cast)
    url = reverse("research:detail", args=[draft.pk])
    for user in (cast.teacher, cast.other_teacher, cast.office, cast.leader, cast.district):
        assert get(client, user, url).status_code == 200
    assert get(client, cast.outsider, url).status_code == 404
    public = project(cast, title="公开", status_public=True)
    public.memberships.exclude(person=public.leader).delete()
    doc = StageDocument.objects.filter(stage__project=public).first()
    page = get(client, cast.other_teacher, reverse("research:detail", args=[public.pk]))
    assert page.status_code == 200 and doc.name not in page.content.decode()
    assert (
        get(client, cast.other_teacher, reverse("research:document", args=[doc.pk])).status_code
        == 404
    )
    assert get(client, cast.teacher, reverse("research:document", args=[doc.pk])).status_code == 200
    assert (
        get(client, cast.outsider, reverse("research:detail", args=[public.pk])).status_code == 404
    )


@pytest.mark.django_db
def test_overdue_warning_on_detail_and_list(client, cast):
    p = project(cast, due_date=date(2020, 1, 1))
    assert (
        "已于 2020-01-01 到期"
        in get(client, cast.office, reverse("research:detail", args=[p.pk])).content.decode()
    )
    assert "逾期" in get(client, cast.office, reverse("research:index")).content.decode()


@pytest.mark.django_db
def test_teacher_declares_with_themselves_as_leader(client, cast):
    client.force_login(cast.other_teacher)
    r = client.post(
        reverse("research:create"),
        {
            "title": "作业设计研究",
            "level": "school",
            "leader": person(cast.teacher).pk,
            "members": [person(cast.teacher).pk],
            "funding": "2000",
        },
    )
    p = ResearchProject.objects.get()
    assert r.status_code == 302 and p.leader == person(cast.other_teacher)
    assert p.status == "declared" and p.stages.get().stage == "declared"
    assert set(p.memberships.values_list("role", flat=True)) == {"leader", "member"}


@pytest.mark.django_db
def test_bad_input_shows_chinese_errors_and_writes_nothing(client, cast):
    client.force_login(cast.office)
    r = client.post(
        reverse("research:create"),
        {
            "title": "",
            "level": "x",
            "funding": "-5",
            "start_date": "2026-09-01",
            "end_date": "2026-01-01",
        },
    )
    html = r.content.decode()
    assert r.status_code == 200 and not ResearchProject.objects.exists()
    for text in (
        "请填写课题名称",
        "经费不能为负数",
        "结题日期不能早于开始日期",
        "选择一个有效的选项",
    ):
        assert text in html, text


@pytest.mark.django_db
def test_office_creates_and_edits_others_cannot_edit(client, cast):
    client.force_login(cast.office)
    r = client.post(
        reverse("research:create"),
        {
            "title": "校本课程开发",
            "level": "school",
            "leader": person(cast.teacher).pk,
            "core_members": [person(cast.other_teacher).pk],
            "funding": "0",
        },
    )
    p = ResearchProject.objects.get()
    assert r.status_code == 302 and p.leader == person(cast.teacher)
    assert p.memberships.get(person=person(cast.other_teacher)).role == "core"
    url = reverse("research:edit", args=[p.pk])
    r = client.post(
        url,
        {
            "title": "校本课程开发与实施",
            "level": "city",
            "leader": person(cast.teacher).pk,
            "funding": "500",
        },
    )
    p.refresh_from_db()
    assert r.status_code == 302 and p.title == "校本课程开发与实施" and p.level == "city"
    assert not p.memberships.filter(person=person(cast.other_teacher)).exists()
    for user in (cast.teacher, cast.leader, cast.district):
        assert get(client, user, url).status_code == 403
    assert get(client, cast.outsider, url).status_code == 404
    assert get(client, cast.outsider, reverse("research:create")).status_code == 200  # own org


@pytest.mark.django_db
def test_submit_and_review_pages(client, cast, media):
    p = project(cast)
    submit = reverse("research:submit", args=[p.pk])
    review = reverse("research:review", args=[p.pk])
    assert get(client, cast.other_teacher, submit).status_code == 403  # a member, not the leader
    assert get(client, cast.office, submit).status_code == 403
    client.force_login(cast.teacher)
    bad = client.post(submit, {"doc0": pdf("申报书.exe")})
    assert "扩展名与内容不符" in bad.content.decode() or "不支持" in bad.content.decode()
    assert not StageDocument.objects.exists()
    assert client.post(submit, {"doc0": pdf()}).status_code == 302
    assert StageDocument.objects.get().label == "申报书"
    assert get(client, cast.teacher, review).status_code == 403
    assert get(client, cast.district, review).status_code == 403  # 校级: the school reviews
    client.force_login(cast.office)
    r = client.post(review, {"decision": "returned", "comment": ""})
    assert "退回时请写明意见" in r.content.decode()
    assert client.post(review, {"decision": "passed", "comment": "同意立项"}).status_code == 302
    p.refresh_from_db()
    assert p.status == "approved"
    assert Activity.objects.filter(title="课题《初中语文整本书阅读教学研究》申报").count() == 2
    # The 立项 stage has no document yet: 通过 is refused with the reason, nothing changes.
    r = client.post(review, {"decision": "passed", "comment": ""})
    assert "缺少材料：立项通知书" in r.content.decode()
    p.refresh_from_db()
    assert p.status == "approved"


@pytest.mark.django_db
def test_district_reviews_district_level_projects(client, cast, media):
    p = project(cast, level="district")
    advance_url = reverse("research:review", args=[p.pk])
    assert get(client, cast.office, advance_url).status_code == 403
    assert get(client, cast.district, advance_url).status_code == 200
    advance(p, cast.district)
    assert p.status == "approved"


@pytest.mark.django_db
def test_status_page(client, cast):
    p = project(cast)
    url = reverse("research:status", args=[p.pk])
    assert get(client, cast.teacher, url).status_code == 403
    assert get(client, cast.outsider, url).status_code == 404
    client.force_login(cast.office)
    r = client.post(url, {"target": "withdrawn", "reason": ""})
    assert "这个字段是必填项" in r.content.decode()
    assert client.post(url, {"target": "withdrawn", "reason": "主持人调离"}).status_code == 302
    p.refresh_from_db()
    assert p.status == "withdrawn" and p.status_reason == "主持人调离"


@pytest.mark.django_db
def test_district_view(client, cast):
    project(cast)
    project(cast, level="district", title="区级")
    services.create_project(
        org=cast.other_school, title="外校课题", level="city", leader=person(cast.outsider)
    )
    url = reverse("research:district")
    html = get(client, cast.district, url).content.decode()
    assert "示范中学" in html and "另一所中学" in html
    for user in (cast.office, cast.teacher, cast.leader, cast.outsider):
        assert get(client, user, url).status_code == 403
