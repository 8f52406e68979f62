"""The pages of issue #19 item 5, quickly: ids typed as "²", "abc" or beyond 64 bits in a query
string or a select were server errors. The full sweep of every page, parameter and form field
is keshi/tests/test_hostile_input.py; these stay fast and name the cases the issue reported."""

from __future__ import annotations

import pytest
from django.urls import reverse

from keshi.contests.tests.factories import contest
from keshi.plans.models import Plan
from keshi.tests.test_hostile_input import HUGE, FormParser

GETS = [
    "/tasks/?person=²",
    "/records/directory/?person=abc",
    "/groupwork/attendance/?org=abc&term=²",
    f"/plans/?org=²&term={HUGE}&group=²",
    "/plans/new/?org=²",
    "/plans/import/?org=²",
    "/requirements/?org=²&kind=²",
    "/requirements/exemptions/?requirement=²&org=²",
    "/requirements/new/?org=²",
    "/org/groups/?org=²",
    "/cover/timetable/?term=²&person=²",
    "/cover/counts/?term=²",
    "/itinerary/?plan=²",
    "/itinerary/?term=²",
    "/calendar/?term=²",
    "/weekly/?term=²&week=²",
]


@pytest.mark.parametrize("url", GETS)
@pytest.mark.parametrize("role", ["teacher", "lead", "office", "district"])
def test_a_malformed_id_in_the_query_string_is_no_server_error(client, cast, role, url):
    client.force_login(getattr(cast, role))
    assert client.get(url).status_code < 500


# (role, the page that shows the form, where it posts)
POSTS = [
    ("lead", "/research/new/", None),
    ("office", "/itinerary/items/new/", None),
    ("lead", "/groupwork/open-classes/new/", None),
    ("office", "/checks/inspections/new/", None),
    ("office", "/dispatch/new/", None),
    ("office", "contest", "assign"),
]


def _selects(page: str, action: str | None) -> list[str]:
    parser = FormParser()
    parser.feed(page)
    return [
        name
        for form in parser.forms
        if form.method == "post" and (action is None or form.action.endswith(action))
        for name, field in form.fields.items()
        if field.kind in ("select", "checkbox", "radio")
    ]


@pytest.mark.parametrize("role,page_url,action", POSTS)
def test_a_select_value_beyond_64_bits_is_an_invalid_choice(client, cast, role, page_url, action):
    Plan.objects.create(org=cast.school, title="工作计划")  # 行事历 items belong to a plan
    if page_url == "contest":
        pk = contest(cast).pk
        page_url, action = (
            reverse("contests:detail", args=[pk]),
            reverse(f"contests:{action}", args=[pk]),
        )
    client.force_login(getattr(cast, role))
    page = client.get(page_url)
    assert page.status_code == 200
    selects = _selects(page.content.decode(), action)
    assert selects, "the form has no select to send a huge id to"
    response = client.post(action or page_url, dict.fromkeys(selects, HUGE), follow=True)
    assert response.status_code == 200  # the form again (or the page it went back to)
    # The field's error (选择一个有效的选项…), or the message of a form posted from another page.
    assert any(word in response.content.decode() for word in ("有效的选项", "请选择"))


def test_a_next_address_that_is_not_a_path_goes_back_to_the_inbox(client, cast):
    from keshi.notify.models import Notification
    from keshi.org.models import Person

    person = Person.objects.get(user=cast.teacher)
    note = Notification.objects.create(
        org=cast.school, user=cast.teacher, person=person, title="测试"
    )
    client.force_login(cast.teacher)
    for target in ("abc", "-1", "//evil.example/"):
        response = client.post(reverse("notify:read", args=[note.pk]), {"next": target})
        assert response.status_code == 302
        assert response["Location"] == reverse("notify:inbox")
