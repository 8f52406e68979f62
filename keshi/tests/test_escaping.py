"""Hostile names and texts are shown as text, never as markup, on the main pages."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from keshi.org.models import Person
from keshi.records.models import Activity, ActivityKind

NAME = "<script>alert(1)</script>"
TEXT = "<img src=x onerror=alert(1)>"
RAW = (NAME, TEXT, "<script>alert", "<img src=x")


@pytest.fixture
def hostile(db):
    call_command("demo-data", verbosity=0)
    teacher = Person.objects.get(user__username="teacher")
    teacher.name = NAME
    teacher.save()
    reflection = Activity.objects.create(
        org=teacher.org,
        person=teacher,
        kind=ActivityKind.objects.get(org=None, code="reflection"),
        date=Activity.objects.filter(person=teacher).latest("date").date,
        quantity=1,
        text=f"反思正文 {TEXT} 结束",
        data={"title": TEXT},
    )
    return teacher, reflection


def _get(username: str, url: str) -> str:
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    r = client.get(url)
    assert r.status_code == 200, url
    return r.content.decode()


def _pages(teacher, reflection):
    return [
        ("office", reverse("org:people") + "?q=script"),
        ("office", reverse("org:person", kwargs={"pk": teacher.pk})),
        ("office", reverse("records:list") + f"?person={teacher.pk}"),
        ("teacher", reverse("records:list")),
        ("teacher", reverse("records:detail", kwargs={"pk": reflection.pk})),
        ("office", reverse("records:detail", kwargs={"pk": reflection.pk})),
        ("teacher", reverse("rules:my_tasks")),
        ("office", reverse("rules:compliance")),
        ("lead", reverse("rules:compliance")),
    ]


def test_hostile_name_and_text_are_escaped(hostile):
    teacher, reflection = hostile
    for username, url in _pages(teacher, reflection):
        page = _get(username, url)
        for raw in RAW:
            assert raw not in page, f"unescaped {raw!r} on {url} as {username}"


def test_the_hostile_strings_are_really_on_those_pages(hostile):
    """Without this the test above could pass because the name was never shown."""
    teacher, reflection = hostile
    escaped_name = "&lt;script&gt;alert(1)&lt;/script&gt;"
    for username, url in _pages(teacher, reflection):
        page = _get(username, url)
        shown = escaped_name in page or "\\u003Cscript\\u003Ealert(1)" in page
        if url.startswith(reverse("records:detail", kwargs={"pk": reflection.pk})):
            assert "&lt;img src=x onerror=alert(1)&gt;" in page, url
        elif username == "teacher" and url == reverse("rules:my_tasks"):
            continue  # 我的任务 shows the teacher's own tasks, not necessarily the name
        assert shown or username == "teacher", f"name not shown on {url} as {username}"
