"""QR sign-in: a signed, time-limited token; only logged-in members of the right org sign in."""

import time

import pytest
from django.core import signing
from django.urls import reverse

from keshi.groupwork import services, signin
from keshi.groupwork.models import SessionAttendance, SignIn
from keshi.org.tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(kind: str, pk: int) -> str:
    return reverse("groupwork:signin", args=[signin.make_token(kind, pk)])


def test_a_member_signs_in_through_the_qr_link(client, cast, session, people):
    client.force_login(cast.teacher)
    link = url("session", session.pk)
    page = client.get(link)
    assert page.status_code == 200 and "签到" in page.text and "整本书阅读教学研讨" in page.text
    assert not SessionAttendance.objects.exists(), "looking at the page signs nobody in"
    response = client.post(link)
    assert response.status_code == 200 and "已签到" in response.text
    row = SessionAttendance.objects.get()
    assert (row.person, row.method) == (people(cast.teacher), SignIn.QR)
    client.post(link)
    assert SessionAttendance.objects.count() == 1, "signing in twice is once"


def test_login_is_required(client, session):
    response = client.get(url("session", session.pk))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_expired_token_is_refused(client, cast, session, monkeypatch):
    issued = time.time() - signin.MAX_AGE - 60
    monkeypatch.setattr(signing.time, "time", lambda: issued)
    old = url("session", session.pk)
    monkeypatch.undo()
    client.force_login(cast.teacher)
    response = client.post(old)
    assert response.status_code == 400 and "过期" in response.text
    assert not SessionAttendance.objects.exists()


def test_a_forged_token_is_refused(client, cast, session):
    client.force_login(cast.teacher)
    forged = signing.dumps({"k": "s", "id": session.pk}, salt="some other salt")
    tampered = signin.make_token("session", session.pk)[:-2] + "xx"
    for token in (forged, tampered, "not-a-token"):
        response = client.post(reverse("groupwork:signin", args=[token]))
        assert response.status_code == 400 and "无效" in response.text
    assert not SessionAttendance.objects.exists()


def test_a_non_member_of_the_group_is_refused(client, cast, session):
    user = UserFactory(username="math")
    PersonFactory(org=cast.school, user=user, name="数学老师")
    client.force_login(user)
    assert client.get(url("session", session.pk)).status_code == 403
    response = client.post(url("session", session.pk))
    assert response.status_code == 403 and "不是语文组的成员" in response.text
    assert not SessionAttendance.objects.exists()


def test_another_orgs_teacher_gets_404(client, cast, session):
    client.force_login(cast.outsider)
    assert client.post(url("session", session.pk)).status_code == 404
    assert not SessionAttendance.objects.exists()


def test_office_without_a_person_cannot_sign_in(client, cast, session):
    client.force_login(cast.office)
    assert client.post(url("session", session.pk)).status_code == 403
    assert not SessionAttendance.objects.exists()


def test_closed_session_refuses_sign_in(client, cast, session):
    services.close_session(session=session, by=cast.lead)
    client.force_login(cast.teacher)
    response = client.post(url("session", session.pk))
    assert response.status_code == 403 and "已结束" in response.text
    assert not SessionAttendance.objects.exists()


def test_qr_code_is_an_inline_svg_of_the_link(client, cast, session):
    client.force_login(cast.lead)
    page = client.get(reverse("groupwork:session", args=[session.pk]))
    assert page.status_code == 200
    assert "<svg" in page.text and 'class="segno"' in page.text
    link = page.context["qr_url"]
    assert link.startswith("http://testserver/groupwork/signin/")
    assert signin.read_token(link.rstrip("/").rsplit("/", 1)[1]).pk == session.pk
    client.force_login(cast.teacher)  # members do not get the code to pass around
    assert (
        "<svg"
        not in client.get(reverse("groupwork:session", args=[session.pk])).text.split("<main", 1)[1]
    )
