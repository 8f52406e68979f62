"""QR sign-in: a signed, time-limited token; only logged-in members of the right org sign in."""

import time
from datetime import date, datetime, timedelta
from datetime import time as clock

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from keshi.groupwork import services, signin
from keshi.groupwork.models import OpenClass, Session, SessionAttendance, SignIn, TrainingProject
from keshi.org.tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(session):
    """The shared session, held today without set times: its code works all day."""
    session.date, session.start_time, session.end_time = timezone.localdate(), None, None
    session.save()
    return session


def url(kind: str, obj) -> str:
    return reverse("groupwork:signin", args=[signin.make_token(kind, obj)])


def test_a_member_signs_in_through_the_qr_link(client, cast, session, people):
    client.force_login(cast.teacher)
    link = url("session", session)
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
    response = client.get(url("session", session))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_expired_token_is_refused(client, cast, session, monkeypatch):
    issued = time.time() - signin.MAX_AGE - 60
    monkeypatch.setattr(signing.time, "time", lambda: issued)
    old = url("session", session)
    monkeypatch.undo()
    client.force_login(cast.teacher)
    response = client.post(old)
    assert response.status_code == 400 and "过期" in response.text
    assert not SessionAttendance.objects.exists()


def test_a_forged_token_is_refused(client, cast, session):
    client.force_login(cast.teacher)
    forged = signing.dumps({"k": "s", "id": session.pk}, salt="some other salt")
    tampered = signin.make_token("session", session)[:-2] + "xx"
    for token in (forged, tampered, "not-a-token"):
        response = client.post(reverse("groupwork:signin", args=[token]))
        assert response.status_code == 400 and "无效" in response.text
    assert not SessionAttendance.objects.exists()


def test_a_non_member_of_the_group_is_refused(client, cast, session):
    user = UserFactory(username="math")
    PersonFactory(org=cast.school, user=user, name="数学老师")
    client.force_login(user)
    assert client.get(url("session", session)).status_code == 403
    response = client.post(url("session", session))
    assert response.status_code == 403 and "不是语文组的成员" in response.text
    assert not SessionAttendance.objects.exists()


def test_another_orgs_teacher_gets_404(client, cast, session):
    client.force_login(cast.outsider)
    assert client.post(url("session", session)).status_code == 404
    assert not SessionAttendance.objects.exists()


def test_office_without_a_person_cannot_sign_in(client, cast, session):
    client.force_login(cast.office)
    assert client.post(url("session", session)).status_code == 403
    assert not SessionAttendance.objects.exists()


def test_closed_session_refuses_sign_in(client, cast, session):
    services.close_session(session=session, by=cast.lead)
    client.force_login(cast.teacher)
    response = client.post(url("session", session))
    assert response.status_code == 403 and "已结束" in response.text
    assert not SessionAttendance.objects.exists()


def test_qr_code_is_an_inline_svg_of_the_link(client, cast, session):
    client.force_login(cast.lead)
    page = client.get(reverse("groupwork:session", args=[session.pk]))
    assert page.status_code == 200
    assert "<svg" in page.text and 'class="segno"' in page.text
    link = page.context["qr_url"]
    assert link.startswith("http://testserver/groupwork/signin/")
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert signin.target_of(token) == signin.Target("session", session.pk)
    signin.verify(token, "session", session)
    client.force_login(cast.teacher)  # members do not get the code to pass around
    assert (
        "<svg"
        not in client.get(reverse("groupwork:session", args=[session.pk])).text.split("<main", 1)[1]
    )


# ---- issue #19.4: the published key, the session's own time, the per-session secret ---------


def qr_link(client, cast, session) -> str:
    """The sign-in link a lead's session page shows (path only)."""
    client.force_login(cast.lead)
    link = client.get(reverse("groupwork:session", args=[session.pk])).context["qr_url"]
    return link.removeprefix("http://testserver")


def dated(session, day, start=None, end=None):
    session.date, session.start_time, session.end_time = day, start, end
    session.save()
    return session


def test_a_token_built_offline_with_the_published_key_is_refused(client, cast, session):
    forged = signing.dumps({"k": "s", "id": session.pk}, salt=signin.SALT, compress=True)
    client.force_login(cast.teacher)
    for method in (client.get, client.post):
        response = method(reverse("groupwork:signin", args=[forged]))
        assert response.status_code == 400 and "无效" in response.text
    assert not SessionAttendance.objects.exists()


def test_a_code_for_a_session_weeks_ahead_does_not_sign_in_today(client, cast, session):
    dated(session, timezone.localdate() + timedelta(weeks=3))
    link = qr_link(client, cast, session)
    client.force_login(cast.teacher)
    response = client.post(link)
    assert response.status_code == 400 and "尚未开始" in response.text
    assert not SessionAttendance.objects.exists()


def test_a_code_no_longer_signs_in_after_the_session(client, cast, session):
    dated(session, timezone.localdate() - timedelta(days=1), clock(8, 0), clock(9, 0))
    link = qr_link(client, cast, session)  # fresh, within MAX_AGE: only the session's time is past
    client.force_login(cast.teacher)
    response = client.post(link)
    assert response.status_code == 400 and "已过" in response.text
    assert not SessionAttendance.objects.exists()


def test_a_code_of_one_session_does_not_sign_in_to_another(client, cast, session):
    other = services.save_session(
        group=cast.group, by=cast.lead, date=session.date, place="图书馆", topic="另一次"
    )
    link = qr_link(client, cast, session)
    token = link.rstrip("/").rsplit("/", 1)[1]
    for swapped in (
        token.replace(f"s{session.pk}:", f"s{other.pk}:", 1),
        signin.make_token("session", other)[: -len(token.rsplit(":", 1)[1])]
        + token.rsplit(":", 1)[1],
    ):
        client.force_login(cast.teacher)
        response = client.post(reverse("groupwork:signin", args=[swapped]))
        assert response.status_code == 400 and "无效" in response.text
    assert not SessionAttendance.objects.exists()


def test_a_token_signed_without_the_sessions_own_key_is_refused(client, cast, session):
    """Knowing the secret key is not enough: the session's random key is part of the signing
    key, and a new key voids every code shown before."""
    value = f"s{session.pk}"
    without = signing.TimestampSigner(salt=signin.SALT).sign(value)
    old = url("session", session)
    session.signin_key = "another-key"
    session.save()
    client.force_login(cast.teacher)
    for token in (without, old.rstrip("/").rsplit("/", 1)[1]):
        response = client.post(reverse("groupwork:signin", args=[token]))
        assert response.status_code == 400 and "无效" in response.text
    assert client.post(url("session", session)).status_code == 200
    assert SessionAttendance.objects.count() == 1


def test_every_object_gets_its_own_key():
    keys = {Session().signin_key, Session().signin_key, TrainingProject().signin_key}
    assert len(keys) == 3 and all(len(k) >= 32 for k in keys)
    assert "signin_key" not in {f.name for f in Session.history.model._meta.fields}


def _at(day: date, hh: int, mm: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, clock(hh, mm)))


DAY = date(2026, 10, 14)


def test_a_sessions_window_runs_from_before_its_start_to_after_its_end():
    timed = Session(date=DAY, start_time=clock(15, 30), end_time=clock(17, 0))
    assert signin.window("session", timed) == (_at(DAY, 15), _at(DAY, 19))
    all_day = Session(date=DAY)
    assert signin.window("session", all_day) == (_at(DAY, 0), _at(DAY + timedelta(1), 0))
    started = Session(date=DAY, start_time=clock(8, 0))
    assert signin.window("session", started) == (_at(DAY, 7, 30), _at(DAY + timedelta(1), 0))


def test_training_and_open_class_windows_are_their_days():
    project = TrainingProject(start=DAY, end=DAY + timedelta(days=20))
    assert signin.window("training", project) == (_at(DAY, 0), _at(DAY + timedelta(21), 0))
    lesson = OpenClass(date=DAY, period=3)
    assert signin.window("open_class", lesson) == (_at(DAY, 0), _at(DAY + timedelta(1), 0))


@pytest.mark.parametrize(
    ("moment", "message"),
    [((14, 59), "尚未开始"), ((15, 0), None), ((18, 59), None), ((19, 0), "已过")],
)
def test_verify_accepts_only_within_the_window(moment, message):
    timed = Session(pk=7, date=DAY, start_time=clock(15, 30), end_time=clock(17, 0))
    token = signin.make_token("session", timed)
    now = _at(DAY, *moment)
    if message is None:
        signin.verify(token, "session", timed, now=now)
    else:
        with pytest.raises(signin.TokenError, match=message):
            signin.verify(token, "session", timed, now=now)


def test_the_qr_card_says_when_sign_in_opens(client, cast, session):
    dated(session, timezone.localdate() + timedelta(weeks=3), clock(15, 30), clock(17, 0))
    client.force_login(cast.lead)
    page = client.get(reverse("groupwork:session", args=[session.pk]))
    assert "扫码签到" in page.text and "开始，届时请刷新本页" in page.text
    dated(session, timezone.localdate() - timedelta(days=2), clock(15, 30), clock(17, 0))
    page = client.get(reverse("groupwork:session", args=[session.pk]))
    assert "已于" in page.text and "截止，请在下方点名登记" in page.text


def test_the_migration_gives_existing_rows_a_key_each(cast, session):
    """AddField's callable default is evaluated once for all existing rows."""
    from importlib import import_module

    from django.apps import apps

    other = services.save_session(group=cast.group, by=cast.lead, date=session.date, topic="二")
    Session.objects.update(signin_key="same-for-all")
    import_module("keshi.groupwork.migrations.0003_signin_key").give_each_row_its_own_key(
        apps, None
    )
    keys = set(Session.objects.values_list("signin_key", flat=True))
    assert len(keys) == 2 and "same-for-all" not in keys and other.pk
