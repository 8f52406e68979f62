"""Accepting a plan's 例会 clause (issue 21 item 6): 行事历 items as before, and the offer to set
the meeting up in keshi.groupwork, prefilled from the clause."""

from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

from keshi.calendar.services import create_school_year
from keshi.plans.extraction import extract_text
from keshi.plans.imports import import_plan
from keshi.plans.meeting_offer import meeting_offer
from keshi.plans.models import CalendarItem, Suggestion

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("source", "period", "offer"),
    [
        ("每两周召开一次组长会", "2weeks", {"name": "组长会", "every": "2weeks"}),
        ("每月召开一次学科主任会", "month", {"name": "学科主任会", "every": "month"}),
        ("每周一召开行政碰头会", "week", {"name": "行政碰头会", "every": "week", "weekday": "0"}),
        ("各教研组每周开展一次教研活动", "week", None),  # no meeting
        ("每学期召开一次组长会", "term", None),  # not recurring within the term
    ],
)
def test_which_clauses_are_meetings(source, period, offer):
    assert meeting_offer(source, period) == offer


@pytest.fixture
def plan(cast):
    term = create_school_year(org=cast.school, start_year=2025).terms.get(number=1)
    text = "每两周召开一次组长会。\n学校每学期举办一次读书节活动。\n"
    return import_plan(org=cast.school, user=None, extraction=extract_text(text), term=term,
                       title="计划")  # fmt: skip


def _url(plan, fragment):
    suggestion = plan.suggestions.get(source__contains=fragment)
    return suggestion, reverse("plans:suggestion_accept", args=[plan.pk, suggestion.pk])


def test_accepting_a_meeting_offers_the_recurring_meeting(client, cast, plan):
    client.force_login(cast.office)
    suggestion, url = _url(plan, "组长会")
    page = client.get(url)
    assert 'id="as-meeting"' in page.text and "组长会" in page.text
    response = client.post(url, {"meeting": "1"})
    target = urlparse(response.url)
    assert target.path == reverse("groupwork:meeting_create")
    assert parse_qs(target.query) == {"name": ["组长会"], "every": ["2weeks"]}
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.ACCEPTED  # and the 行事历 items are there
    assert CalendarItem.objects.filter(plan=plan, title="每两周召开一次组长会").exists()
    form = client.get(response.url)
    assert form.status_code == 200 and 'value="组长会"' in form.text


def test_other_events_stay_calendar_only(client, cast, plan):
    client.force_login(cast.office)
    _suggestion, url = _url(plan, "读书节")
    assert 'id="as-meeting"' not in client.get(url).text
    response = client.post(url, {"meeting": "1"})
    assert response.url == reverse("plans:suggestions", args=[plan.pk])


def test_a_teacher_cannot_accept(client, cast, plan):
    client.force_login(cast.teacher)
    suggestion, url = _url(plan, "组长会")
    assert client.post(url, {"meeting": "1"}).status_code in (403, 404)
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.PENDING
