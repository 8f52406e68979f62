"""工作分工 and owned 行事历 items on the person page (the ``person_duties`` tag)."""

from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from keshi.plans.models import Duty, Plan


def page(client, user, person):
    client.force_login(user)
    resp = client.get(reverse("org:person", args=[person.pk]))
    assert resp.status_code == 200
    return resp.content.decode()


def test_person_page_shows_duties_and_owned_items(client, world):
    teacher = world.people["teacher"]
    for user in (world.cast.teacher, world.cast.lead, world.cast.office):
        body = page(client, user, teacher)
        assert "工作分工与行事历" in body
        assert "负责青年教师培训" in body and "张老师公开课" in body
        assert "草稿里的分工" not in body
        assert "李老师的课题开题" not in body
    assert "订阅到手机日历" in page(client, world.cast.teacher, teacher)


def test_person_without_duties_gets_a_hint(client, world):
    body = page(client, world.cast.other_teacher, world.people["other_teacher"])
    assert "本学期已发布的计划中没有分配给此人的分工" in body
    assert "李老师的课题开题" in body


def test_archived_plan_duties_are_not_current(client, world):
    world.plan.status = Plan.Status.ARCHIVED
    world.plan.save()
    body = page(client, world.cast.teacher, world.people["teacher"])
    assert "负责青年教师培训" not in body


def test_tag_without_a_term(cast):
    from keshi.org.models import Person

    person = Person.objects.get(user=cast.teacher)
    request = RequestFactory().get("/")
    request.user = cast.teacher
    html = Template("{% load plans_tags %}{% person_duties person %}").render(
        Context({"person": person, "request": request})
    )
    assert "尚未设置本学期" in html


def test_plan_duties_partial_links_people(world):
    Duty.objects.create(plan=world.plan, person_name="教务处", responsibility="排课")
    html = Template('{% include "plans/duties_plan.html" %}').render(
        Context({"duties": world.plan.duties.select_related("person")})
    )
    assert reverse("org:person", args=[world.people["teacher"].pk]) in html
    assert "教务处" in html and "未关联" in html
