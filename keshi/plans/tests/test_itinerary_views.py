"""行事历 pages with the cast: who sees which items, who may change them, and the forms."""

from datetime import timedelta

import pytest
from django.urls import reverse

from keshi.org.tests.factories import GroupFactory, PersonFactory
from keshi.plans.models import CalendarItem
from keshi.records.tests.factories import ActivityFactory, kind

INDEX = reverse("itinerary:index")
WEEKS = reverse("itinerary:weeks")
PRINT = reverse("itinerary:print")
NEW = reverse("itinerary:item_new")


def get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


@pytest.mark.parametrize("url", [INDEX, WEEKS, PRINT])
def test_views_show_published_items_to_the_org(client, world, url):
    c = world.cast
    for user in (c.teacher, c.lead, c.office, c.leader, c.district):
        body = get(client, user, url).content.decode()
        assert "教研组长会议" in body and "张老师公开课" in body and "制订教研组计划" in body
        assert "外校的安排" not in body
        assert ("草稿里的安排" in body) == (user in (c.office, c.leader, c.district))
    body = get(client, c.outsider, url).content.decode()
    assert "教研组长会议" not in body


def test_plan_and_term_parameters_are_scoped(client, world):
    c = world.cast
    assert get(client, c.outsider, INDEX, plan=world.plan.pk).status_code == 404
    assert get(client, c.teacher, INDEX, plan=world.draft.pk).status_code == 404
    assert get(client, c.teacher, INDEX, plan=world.other_plan.pk).status_code == 404
    assert get(client, c.teacher, INDEX, plan="x").status_code == 404
    assert get(client, c.outsider, INDEX, org="demo").status_code == 404
    other_term = world.other_plan.term
    assert get(client, c.teacher, INDEX, term=other_term.pk).status_code == 404
    body = get(client, c.office, INDEX, plan=world.draft.pk).content.decode()
    assert "草稿里的安排" in body and "教研组长会议" not in body
    body = get(client, c.district, WEEKS, org="other").content.decode()
    assert "外校的安排" in body and "教研组长会议" not in body


def test_filters(client, world):
    c = world.cast
    body = get(client, c.office, INDEX, group=c.group.pk).content.decode()
    assert "语文组集体备课" in body and "张老师公开课" not in body
    body = get(client, c.office, INDEX, owner=world.people["teacher"].pk).content.decode()
    assert "张老师公开课" in body and "教研组长会议" not in body
    body = get(client, c.office, INDEX, status="done").content.decode()
    assert "没有符合筛选条件的事项" in body
    body = get(client, c.office, INDEX, status="nonsense", owner="abc").content.decode()
    assert "张老师公开课" in body  # bad filter values are ignored, not an error


def test_week_view_rows_bands_and_today(client, world):
    body = get(client, world.cast.teacher, WEEKS).content.decode()
    assert 'id="week-1"' in body and "第1周" in body
    month = world.term.start.month
    assert f"{month}月（本月内）" in body
    assert body.index(f"{month}月（本月内）") < body.index('id="week-1"')
    assert 'class="itin-current" aria-current="true"' in body  # the term holds today


def test_print_view_is_a_bare_a4_table(client, world):
    body = get(client, world.cast.teacher, PRINT, plan=world.plan.pk).content.decode()
    assert "@media print" in body and "size: A4" in body
    assert "navbar" not in body
    for header in ("时间", "内容", "负责人", "状态"):
        assert f"<th>{header}</th>" in body
    assert "教科室工作计划" in body


def test_teacher_reads_an_item_but_cannot_change_it(client, world):
    c, item = world.cast, world.items["date"]
    url = reverse("itinerary:item", args=[item.pk])
    resp = get(client, c.teacher, url)
    assert resp.status_code == 200 and b'name="title"' not in resp.content
    assert client.post(url, {"title": "改了"}).status_code == 403
    assert client.post(reverse("itinerary:item_delete", args=[item.pk])).status_code == 403
    assert get(client, c.teacher, NEW).status_code == 403
    assert get(client, c.outsider, url).status_code == 404
    draft_url = reverse("itinerary:item", args=[world.items["draft"].pk])
    assert get(client, c.teacher, draft_url).status_code == 404
    item.refresh_from_db()
    assert item.title == "张老师公开课"


def form_data(**overrides):
    data = {"title": "期中教学检查", "month": "", "week": "", "date": "", "end_date": ""}
    data |= {"status": "planned", "reason": ""}
    return data | overrides


def test_office_creates_an_item(client, world):
    c = world.cast
    client.force_login(c.office)
    data = form_data(plan=world.plan.pk, week="10", owners=[world.people["teacher"].pk])
    resp = client.post(NEW, data)
    assert resp.status_code == 302, resp.content.decode()
    item = CalendarItem.objects.get(title="期中教学检查")
    assert item.plan == world.plan and item.week == 10
    assert list(item.owners.all()) == [world.people["teacher"]]


def test_bad_placement_writes_nothing(client, world):
    c = world.cast
    client.force_login(c.office)
    before = CalendarItem.objects.count()
    resp = client.post(NEW, form_data(plan=world.plan.pk))
    assert "请填写月份、教学周或日期中的至少一项" in resp.content.decode()
    day = world.term.start + timedelta(days=15)
    resp = client.post(NEW, form_data(plan=world.plan.pk, date=day.isoformat(), week="9"))
    assert "不在第9周" in resp.content.decode()
    other = (day.month % 12) + 1
    resp = client.post(NEW, form_data(plan=world.plan.pk, date=day.isoformat(), month=other))
    assert f"不在{other}月" in resp.content.decode()
    resp = client.post(NEW, form_data(plan=world.plan.pk, week="99"))
    assert "教学周应为1到" in resp.content.decode()
    resp = client.post(NEW, form_data(plan=world.other_plan.pk, week="2"))
    assert "选择一个有效的选项" in resp.content.decode() or "请选择" in resp.content.decode()
    assert CalendarItem.objects.count() == before


def test_cancel_needs_a_reason(client, world):
    c, item = world.cast, world.items["week"]
    client.force_login(c.office)
    url = reverse("itinerary:item", args=[item.pk])
    resp = client.post(url, form_data(title=item.title, week="2", status="cancelled"))
    assert "取消或延期时请填写原因" in resp.content.decode()
    item.refresh_from_db()
    assert item.status == "planned"
    resp = client.post(
        url, form_data(title=item.title, week="2", status="postponed", reason="台风停课")
    )
    assert resp.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.reason) == ("postponed", "台风停课")


def test_done_without_evidence_asks_for_confirmation(client, world):
    c, item = world.cast, world.items["week"]
    client.force_login(c.office)
    url = reverse("itinerary:item", args=[item.pk])
    data = form_data(title=item.title, week="2", status="done", group=c.group.pk)
    resp = client.post(url, data)
    assert "还没有关联佐证记录" in resp.content.decode()
    item.refresh_from_db()
    assert item.status == "planned"
    resp = client.post(url, data | {"confirm_no_evidence": "on"})
    assert resp.status_code == 302
    item.refresh_from_db()
    assert item.status == "done"


def test_done_with_evidence_needs_no_confirmation(client, world):
    c, item = world.cast, world.items["group"]
    activity = ActivityFactory(
        person=world.people["lead"], kind=kind("group_activity"), title="集体备课"
    )
    client.force_login(c.office)
    client.post(reverse("itinerary:evidence_add", args=[item.pk]), {"activity": activity.pk})
    assert list(item.evidence.all()) == [activity]
    url = reverse("itinerary:item", args=[item.pk])
    resp = client.post(url, form_data(title=item.title, week="5", status="done", group=c.group.pk))
    assert resp.status_code == 302
    item.refresh_from_db()
    assert item.status == "done"


def test_lead_edits_items_of_their_group_only(client, world):
    c = world.cast
    client.force_login(c.lead)
    own = reverse("itinerary:item", args=[world.items["group"].pk])
    resp = client.post(own, form_data(title="语文组集体备课（第二次）", week="6", group=c.group.pk))
    assert resp.status_code == 302
    assert CalendarItem.objects.get(pk=world.items["group"].pk).week == 6
    # An owner the lead cannot see (not in their group) is kept when the lead saves.
    stranger = PersonFactory(org=c.school, name="数学老师")
    world.items["group"].owners.add(stranger)
    client.post(own, form_data(title="语文组集体备课", week="6", group=c.group.pk))
    assert list(world.items["group"].owners.all()) == [stranger]
    other = reverse("itinerary:item", args=[world.items["date"].pk])
    assert client.post(other, form_data(title="x", week="3")).status_code == 403
    math = GroupFactory(org=c.school, name="数学组")
    resp = client.post(NEW, form_data(plan=world.plan.pk, week="7", group=math.pk))
    assert resp.status_code == 200 and not CalendarItem.objects.filter(group=math).exists()
    resp = client.post(
        NEW, form_data(plan=world.plan.pk, week="7", group=c.group.pk, title="组内赛课")
    )
    assert resp.status_code == 302 and CalendarItem.objects.get(title="组内赛课").group == c.group
    resp = client.post(
        NEW, form_data(plan=world.draft.pk, week="7", group=c.group.pk, title="草稿")
    )
    assert resp.status_code == 200 and not CalendarItem.objects.filter(title="草稿").exists()


def test_evidence_search_is_scoped(client, world):
    c, item = world.cast, world.items["group"]
    mine = ActivityFactory(
        person=world.people["teacher"], kind=kind("group_activity"), title="语文组教研"
    )
    outsider = ActivityFactory(
        person=c.outsider.person, kind=kind("group_activity"), title="外校教研"
    )
    stranger = ActivityFactory(
        org=c.school, person__org=c.school, kind=kind("group_activity"), title="数学组教研"
    )
    url = reverse("itinerary:evidence_search", args=[item.pk])
    body = get(client, c.office, url, q="教研").content.decode()
    assert "语文组教研" in body and "数学组教研" in body and "外校教研" not in body
    body = get(client, c.lead, url, q="教研").content.decode()
    assert "语文组教研" in body and "数学组教研" not in body
    add = reverse("itinerary:evidence_add", args=[item.pk])
    assert client.post(add, {"activity": stranger.pk}).status_code == 404
    assert client.post(add, {"activity": outsider.pk}).status_code == 404
    assert get(client, c.teacher, url, q="教研").status_code == 403
    assert not item.evidence.exists()
    client.force_login(c.lead)
    assert client.post(add, {"activity": mine.pk}).status_code == 302
    remove = reverse("itinerary:evidence_remove", args=[item.pk, mine.pk])
    assert client.post(remove).status_code == 302 and not item.evidence.exists()


def test_office_deletes_an_item(client, world):
    client.force_login(world.cast.office)
    pk = world.items["month"].pk
    resp = client.post(reverse("itinerary:item_delete", args=[pk]))
    assert resp.status_code == 302 and not CalendarItem.objects.filter(pk=pk).exists()


def test_empty_term_says_what_to_do(client, cast):
    body = get(client, cast.office, INDEX).content.decode()
    assert "尚未设置学期" in body


@pytest.mark.parametrize("url", [INDEX, WEEKS, PRINT])
def test_queries_do_not_grow_with_items(client, world, url, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.cast.office)
    client.get(url)  # warm the scope and session
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    people = list(world.people.values())
    for n in range(60):
        item = CalendarItem.objects.create(plan=world.plan, title=f"事项{n}", week=n % 18 + 1)
        item.owners.set(people[: n % 3 + 1])
    with django_assert_max_num_queries(len(few)):
        body = client.get(url).content.decode()
    assert "事项59" in body
