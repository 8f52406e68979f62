"""Pages of 学年与学期的更替: who may open them, the two steps, nothing written before confirm."""

from datetime import date

import pytest
from django.urls import reverse

from keshi.calendar import services as calendar_services
from keshi.calendar.models import SchoolYear, Term
from keshi.org.models import Group, Membership
from keshi.org.tests.factories import (
    GroupFactory,
    MembershipFactory,
    MentorshipFactory,
    PersonFactory,
)
from keshi.records.tests.factories import kind
from keshi.rules.tests.factories import RequirementFactory

NEXT = reverse("calendar:next")


@pytest.fixture
def year(cast):
    """2026—2027: today (December 2026) lies in its first term, so the next is 第二学期."""
    return calendar_services.create_school_year(org=cast.school, start_year=2026)


@pytest.fixture
def first(year):
    return year.terms.get(number=1)


@pytest.fixture
def second(year):
    return year.terms.get(number=2)


def as_user(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize("who", ["teacher", "lead", "leader", "district"])
def test_readers_of_the_org_get_403(client, cast, first, who):
    c = as_user(client, getattr(cast, who))
    assert c.get(NEXT, {"org": "demo"}).status_code == 403
    assert (
        c.post(NEXT + "?org=demo", {"start": "2027-03-01", "end": "2027-07-04"}).status_code == 403
    )
    assert c.get(reverse("calendar:close", args=[first.pk])).status_code == 403
    assert c.post(reverse("calendar:close", args=[first.pk])).status_code == 403
    assert c.post(reverse("calendar:reopen", args=[first.pk])).status_code == 403
    first.refresh_from_db()
    assert not first.is_closed


def test_another_school_gets_404(client, cast, first):
    c = as_user(client, cast.outsider)
    assert c.get(NEXT, {"org": "demo"}).status_code == 404
    assert c.get(reverse("calendar:close", args=[first.pk])).status_code == 404
    assert c.post(reverse("calendar:close", args=[first.pk])).status_code == 404


def test_the_menu_offers_the_rollover_to_the_office_only(client, cast, first):
    body = as_user(client, cast.office).get(reverse("calendar:term")).content.decode()
    assert NEXT in body and reverse("calendar:close", args=[first.pk]) in body
    body = as_user(client, cast.teacher).get(reverse("calendar:term")).content.decode()
    assert NEXT not in body and "关闭学期" not in body


def test_the_form_proposes_the_next_terms_dates(client, cast, second):
    r = as_user(client, cast.office).get(NEXT)
    assert r.status_code == 200
    body = r.content.decode()
    assert "2026—2027学年第二学期" in body and second.start.isoformat() in body


def test_review_writes_nothing_and_confirm_writes_once(client, cast, first, second):
    rule = RequirementFactory(org=cast.school, name="每学期听课", kinds=[kind("observation")])
    mentor, mentee = PersonFactory(org=cast.school), PersonFactory(org=cast.school)
    pair = MentorshipFactory(mentor=mentor, mentee=mentee, end=date(2027, 3, 31))
    c = as_user(client, cast.office)
    dates = {"start": second.start.isoformat(), "end": second.end.isoformat()}
    r = c.post(NEXT + "?org=demo", {**dates, "stage": "review"})
    assert r.status_code == 200
    body = r.content.decode()
    assert (
        "每学期听课" in body and "在下学期中途结束" in body and "保留 1，修改 0，不再沿用 0" in body
    )
    decisions = {f"rules-{rule.pk}": "drop", f"pairs-{pair.pk}": "keep"}
    r = c.post(NEXT + "?org=demo", {**dates, **decisions, "stage": "review"})
    assert "不再沿用 1" in r.content.decode()
    rule.refresh_from_db()
    pair.refresh_from_db()
    assert rule.active and pair.end == date(2027, 3, 31)  # nothing written yet
    r = c.post(NEXT + "?org=demo", {**dates, **decisions, "stage": "confirm"})
    assert r.status_code == 200 and "已更新2026—2027学年第二学期" in r.content.decode()
    rule.refresh_from_db()
    pair.refresh_from_db()
    assert not rule.active and pair.end == second.end


def test_a_new_school_year_from_the_second_term(client, cast, first, second):
    group = GroupFactory(org=cast.school, name="七年级组", kind=Group.Kind.GRADE)
    MembershipFactory(group=group, person=PersonFactory(org=cast.school), start=date(2026, 9, 1))
    # move "today" past the first term by closing nothing: ask from the second term directly
    first.delete()
    c = as_user(client, cast.office)
    r = c.get(NEXT)
    assert "2027—2028学年第一学期" in r.content.decode()
    form = r.context["form"]
    dates = {k: v.isoformat() for k, v in form.initial.items()}
    r = c.post(NEXT + "?org=demo", {**dates, "stage": "review"})
    assert "七年级组" in r.content.decode()
    r = c.post(NEXT + "?org=demo", {**dates, f"groups-{group.pk}": "keep", "stage": "confirm"})
    assert r.status_code == 200 and "已建立2027—2028学年第一学期" in r.content.decode()
    assert SchoolYear.objects.get(org=cast.school, start_year=2027).terms.count() == 2
    assert Membership.objects.filter(group=group, start=date(2027, 9, 1)).count() == 1


def test_overlapping_dates_are_refused_on_the_form(client, cast, first, second):
    second.delete()
    c = as_user(client, cast.office)
    r = c.post(NEXT + "?org=demo", {"start": first.end.isoformat(), "end": "2027-07-04"})
    assert r.status_code == 400 and "的日期重叠" in r.content.decode()
    assert not Term.objects.filter(number=2).exists()


def test_a_bad_number_keeps_the_review_open(client, cast, second):
    rule = RequirementFactory(org=cast.school, kinds=[kind("observation")])
    c = as_user(client, cast.office)
    data = {"start": second.start.isoformat(), "end": second.end.isoformat()}
    data |= {f"rules-{rule.pk}": "change", f"rules-{rule.pk}-threshold": "很多", "stage": "confirm"}
    r = c.post(NEXT + "?org=demo", data)
    assert r.status_code == 400 and "数量和分值须是数字" in r.content.decode()


def test_close_and_reopen_pages(client, cast, first):
    c = as_user(client, cast.office)
    r = c.get(reverse("calendar:close", args=[first.pk]))
    assert r.status_code == 200 and "确认关闭学期" in r.content.decode()
    r = c.post(reverse("calendar:close", args=[first.pk]))
    assert r.status_code == 302
    first.refresh_from_db()
    assert first.is_closed
    r = c.get(reverse("calendar:reopen", args=[first.pk]))
    assert "关闭学期" in r.content.decode() and "office" in r.content.decode()  # the audit list
    r = c.post(reverse("calendar:reopen", args=[first.pk]), {"reason": "补录"})
    assert r.status_code == 302
    first.refresh_from_db()
    assert not first.is_closed and first.history.first().history_change_reason == "重新开放：补录"
