"""iCalendar feeds: parsed back with icalendar; secret URLs that can be revoked."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from icalendar import Calendar

from keshi.calendar import periods
from keshi.plans import calendar_services as services
from keshi.plans.models import CalendarFeed, Plan
from keshi.plans.tests.itinerary_world import make_item


def fetch(client, feed: CalendarFeed):
    client.logout()  # the token is the credential
    return client.get(reverse("itinerary:feed", args=[feed.token]))


def events(response) -> dict[str, object]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    return {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}


def span(event) -> tuple[date, date]:
    return event.decoded("DTSTART"), event.decoded("DTEND")


def test_org_feed_publishes_items_of_published_plans(client, world):
    feed = services.create_feed(org=world.cast.school)
    resp = fetch(client, feed)
    cal = Calendar.from_ical(resp.content)
    assert str(cal["X-WR-CALNAME"]) == "示范中学行事历"
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    found = events(resp)
    month = f"（本月）{world.items['month'].title}"
    assert set(found) == {
        "教研组长会议",
        "张老师公开课",
        month,
        "李老师的课题开题",
        "语文组集体备课",
    }
    monday = periods.monday_of(world.term.start) + timedelta(weeks=1)
    assert span(found["教研组长会议"]) == (monday, monday + timedelta(days=5))  # Mon–Fri
    day = world.items["date"].date
    assert span(found["张老师公开课"]) == (day, day + timedelta(days=1))
    first = date(world.term.start.year, world.term.start.month, 1)
    assert span(found[month]) == (first, first + timedelta(days=1))
    assert str(found["教研组长会议"]["UID"]) == f"calendaritem-{world.items['week'].pk}@keshi"
    assert "负责人：王组长" in str(found["教研组长会议"]["DESCRIPTION"])


def test_uid_is_stable_and_dated_ranges_are_inclusive(client, world):
    item = world.items["date"]
    feed = services.create_feed(org=world.cast.school)
    before = str(events(fetch(client, feed))["张老师公开课"]["UID"])
    item.date = item.date + timedelta(days=1)
    item.end_date = item.date + timedelta(days=2)
    item.save()
    after = events(fetch(client, feed))["张老师公开课"]
    assert str(after["UID"]) == before
    assert span(after) == (item.date, item.date + timedelta(days=3))


def test_person_feed_has_own_and_shared_items_only(client, world):
    c = world.cast
    make_item(world.other_plan, "外校全体会议", week=3)
    feed = services.create_feed(org=c.school, person=world.people["teacher"])
    found = events(fetch(client, feed))
    month = f"（本月）{world.items['month'].title}"
    # own item; the org-wide month item; the unowned item of the 语文组 the teacher belongs to
    assert set(found) == {"张老师公开课", month, "语文组集体备课"}
    assert "李老师的课题开题" not in found and "教研组长会议" not in found
    cal = Calendar.from_ical(fetch(client, feed).content)
    assert str(cal["X-WR-CALNAME"]) == "张老师的行事历"


def test_drafts_never_reach_a_feed(client, world):
    world.plan.status = Plan.Status.DRAFT
    world.plan.save()
    feed = services.create_feed(org=world.cast.school)
    assert events(fetch(client, feed)) == {}


def test_revoked_or_unknown_token_is_404(client, world):
    feed = services.create_feed(org=world.cast.school, person=world.people["teacher"])
    assert fetch(client, feed).status_code == 200
    services.revoke_feed(feed=feed)
    assert fetch(client, feed).status_code == 404
    assert client.get(reverse("itinerary:feed", args=["nope"])).status_code == 404
    newer = services.create_feed(org=world.cast.school, person=world.people["teacher"])
    again = services.create_feed(org=world.cast.school, person=world.people["teacher"])
    assert fetch(client, newer).status_code == 404  # regenerating kills the previous URL
    assert fetch(client, again).status_code == 200


def test_feed_for_a_person_of_another_org_is_refused(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.create_feed(org=world.cast.school, person=world.cast.outsider.person)


# ---- the 订阅日历 page -----------------------------------------------------------------------

SUBSCRIBE = reverse("itinerary:subscribe")
CREATE = reverse("itinerary:feed_create")


def test_teacher_creates_and_revokes_their_feed(client, world):
    c = world.cast
    client.force_login(c.teacher)
    body = client.get(SUBSCRIBE).content.decode()
    assert "生成订阅地址" in body and "iPhone" in body and "钉钉" in body
    assert "全校行事历" not in body
    assert client.post(CREATE, {"kind": "person"}).status_code == 302
    feed = CalendarFeed.objects.get(person=world.people["teacher"], revoked_at__isnull=True)
    body = client.get(SUBSCRIBE).content.decode()
    assert f"webcal://testserver/itinerary/feed/{feed.token}.ics" in body
    assert client.post(CREATE, {"kind": "org"}).status_code == 403
    assert not CalendarFeed.objects.filter(person__isnull=True).exists()
    revoke = reverse("itinerary:feed_revoke", args=[feed.pk])
    client.force_login(c.other_teacher)
    assert client.post(revoke).status_code == 404  # another person's feed
    client.force_login(c.office)
    assert client.post(revoke).status_code == 404  # office manages the org feed, not people's
    client.force_login(c.teacher)
    assert client.post(revoke).status_code == 302
    feed.refresh_from_db()
    assert feed.revoked_at is not None
    assert feed.token not in client.get(SUBSCRIBE).content.decode()


def test_office_manages_the_org_feed(client, world):
    client.force_login(world.cast.office)
    body = client.get(SUBSCRIBE).content.decode()
    assert "示范中学全校行事历" in body
    assert client.post(CREATE, {"kind": "org", "org": "demo"}).status_code == 302
    feed = CalendarFeed.objects.get(org=world.cast.school, person__isnull=True)
    assert feed.token in client.get(SUBSCRIBE).content.decode()
    assert client.post(CREATE, {"kind": "person", "org": "demo"}).status_code == 403
    client.force_login(world.cast.teacher)
    assert client.post(reverse("itinerary:feed_revoke", args=[feed.pk])).status_code == 404
    client.force_login(world.cast.leader)
    body = client.get(SUBSCRIBE).content.decode()
    assert "您没有个人行事历" in body and feed.token not in body
