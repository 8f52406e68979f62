"""Exemption pages: office adds and ends them; readers list them within their scope."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from keshi.org.tests.factories import PersonFactory
from keshi.records.tests.factories import kind
from keshi.rules import services
from keshi.rules.models import Exemption

pytestmark = pytest.mark.django_db


def exempt(person, *, start=date(2026, 9, 1), end=date(2026, 9, 30), reason="病假", **kw):
    return services.add_exemption(
        user=None, person=person, start=start, end=end, reason=reason, **kw
    )


def listed(client, **params) -> list[str]:
    body = client.get(reverse("requirements:exemptions"), params).content.decode()
    return re.findall(r'<td><a href="/org/people/\d+/">([^<]+)</a>', body)


def test_access(client, cast):
    exempt(cast.teacher.person)
    exempt(PersonFactory(org=cast.other_school, name="外校老师"))
    expected = {
        "office": ["张老师"],
        "leader": ["张老师"],
        "lead": ["张老师"],
        "district": ["外校老师", "张老师"],
    }
    for role, names in expected.items():
        client.force_login(getattr(cast, role))
        assert sorted(listed(client)) == sorted(names), role
    for role in ("teacher", "outsider"):
        client.force_login(getattr(cast, role))
        assert client.get(reverse("requirements:exemptions")).status_code == 403
    for role in ("leader", "district", "lead", "teacher"):
        client.force_login(getattr(cast, role))
        assert client.get(reverse("requirements:exemption_new")).status_code == 403


def test_office_adds_an_exemption_through_the_form(client, cast):
    req = services.create_requirement(
        org=cast.school, user=None, name="听课", kinds=[kind("observation")], threshold=8
    )
    client.force_login(cast.office)
    url = reverse("requirements:exemption_new") + f"?requirement={req.pk}"
    page = client.get(url)
    assert page.status_code == 200 and "外出学习" in page.content.decode()
    data = {
        "person": cast.teacher.person.pk,
        "requirement": req.pk,
        "start": "2026-09-01",
        "end": "2026-09-30",
        "reason": "外出学习",
    }
    assert client.post(url, data).status_code == 302
    ex = Exemption.objects.get()
    assert ex.requirement == req and ex.history.get().history_user == cast.office


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"end": "2026-08-01"}, "结束日期不能早于起始日期"),
        ({"start": "2026/13/01"}, "日期格式应为"),
        ({"reason": ""}, "请填写豁免原因"),
        ({"person": ""}, "请选择人员"),
    ],
)
def test_bad_exemption_input_writes_nothing(client, cast, overrides, message):
    client.force_login(cast.office)
    data = {
        "person": cast.teacher.person.pk,
        "start": "2026-09-01",
        "end": "2026-09-30",
        "reason": "病假",
    } | overrides
    page = client.post(reverse("requirements:exemption_new"), data)
    assert page.status_code == 200 and message in page.content.decode()
    assert not Exemption.objects.exists()


def test_outsiders_person_cannot_be_picked(client, cast):
    client.force_login(cast.office)
    data = {
        "person": cast.outsider.person.pk,
        "start": "2026-09-01",
        "end": "2026-09-30",
        "reason": "病假",
    }
    page = client.post(reverse("requirements:exemption_new"), data)
    assert page.status_code == 200 and not Exemption.objects.exists()


def test_end_an_exemption_today(client, cast):
    today = timezone.localdate()
    ex = exempt(
        cast.teacher.person, start=today - timedelta(days=3), end=today + timedelta(days=30)
    )
    client.force_login(cast.leader)
    assert client.post(reverse("requirements:exemption_end", args=[ex.pk])).status_code == 403
    client.force_login(cast.outsider)
    assert client.post(reverse("requirements:exemption_end", args=[ex.pk])).status_code == 404
    client.force_login(cast.office)
    assert "今天结束（返岗）" in client.get(reverse("requirements:exemptions")).content.decode()
    page = client.post(reverse("requirements:exemption_end", args=[ex.pk]))
    assert page.status_code == 302
    ex.refresh_from_db()
    assert ex.end == today


def test_filters(client, cast):
    req = services.create_requirement(
        org=cast.school, user=None, name="听课", kinds=[kind("observation")], threshold=8
    )
    today = timezone.localdate()
    exempt(cast.teacher.person, reason="产假", start=today, end=today + timedelta(days=90))
    exempt(cast.other_teacher.person, requirement=req, reason="兼职")
    exempt(cast.lead.person, reason="病假", start=date(2020, 1, 1), end=date(2020, 1, 31))
    client.force_login(cast.office)
    assert listed(client, q="李") == ["李老师"]
    assert listed(client, reason="产假") == ["张老师"]
    assert sorted(listed(client, requirement=req.pk)) == ["张老师", "李老师", "王组长"]
    assert listed(client, current="1") == ["张老师"]
    body = client.get(reverse("requirements:exemptions"), {"q": "无此人"}).content.decode()
    assert "没有符合条件的豁免" in body
