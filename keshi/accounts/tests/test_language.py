"""Each user's language (#22 item 7): Chinese unless they chose English, never the browser's."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from keshi.accounts.language import languages_of
from keshi.accounts.models import Preference
from keshi.notify.models import Notification
from keshi.org.models import Person
from keshi.records.feedback_services import notify
from keshi.tests.test_security import PASSWORD, _login

pytestmark = pytest.mark.django_db
ENGLISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


def _english(msgid: str) -> str:
    with translation.override("en"):
        return translation.gettext(msgid)


def _choose(client: Client, language: str, next_url: str = "/"):
    return client.post(reverse("set_language"), {"language": language, "next": next_url})


def test_an_english_browser_still_gets_chinese(client, cast):
    client.force_login(cast.teacher)
    r = client.get(reverse("rules:my_tasks"), **ENGLISH_BROWSER)
    assert r.status_code == 200 and r.headers["Content-Language"] == "zh-hans"
    assert '<html lang="zh-hans">' in r.text and "退出登录" in r.text


def test_a_user_who_chooses_english_keeps_it_on_every_device(client, cast):
    client.force_login(cast.teacher)
    r = _choose(client, "en", reverse("rules:my_tasks"))
    assert r.status_code == 302 and r.url == reverse("rules:my_tasks")
    assert Preference.objects.get(user=cast.teacher).language == "en"
    page = client.get(reverse("rules:my_tasks")).text
    assert '<html lang="en">' in page and _english("退出登录") in page and "退出登录" not in page
    # Another browser, a fresh login: English again, from the stored preference.
    other = Client()
    assert _login(other, "teacher", PASSWORD).status_code == 302
    assert '<html lang="en">' in other.get(reverse("rules:my_tasks")).text
    # Someone else on the same school is still spoken to in Chinese.
    client.force_login(cast.other_teacher)
    assert '<html lang="zh-hans">' in client.get(reverse("rules:my_tasks")).text


def test_switching_back_to_chinese(client, cast):
    client.force_login(cast.teacher)
    _choose(client, "en")
    _choose(client, "zh-hans")
    assert Preference.objects.get(user=cast.teacher).language == "zh-hans"
    assert "退出登录" in client.get(reverse("rules:my_tasks")).text


def test_the_login_page_switches_by_cookie_before_anyone_signs_in(client, cast):
    assert "English" in client.get(reverse("login")).text
    _choose(client, "en", reverse("login"))
    page = client.get(reverse("login")).text
    assert '<html lang="en">' in page and "简体中文" in page
    assert not Preference.objects.exists()


def test_unknown_language_and_foreign_next_change_nothing(client, cast):
    client.force_login(cast.teacher)
    r = _choose(client, "xx", "https://evil.example.com/")
    assert r.status_code == 302 and r.url == "/"
    assert not Preference.objects.exists()
    assert client.get(reverse("set_language")).status_code == 405


def test_a_notification_is_written_in_the_recipients_language(cast):
    Preference.objects.create(user=cast.teacher, language="en")
    teacher = Person.objects.get(user=cast.teacher)
    colleague = Person.objects.get(user=cast.other_teacher)
    with translation.override("zh-hans"):  # the sender works in Chinese
        notify(teacher, lambda: translation.gettext("通知"))
        notify(colleague, lambda: translation.gettext("通知"))
    assert Notification.objects.get(person=teacher).title == _english("通知")
    assert Notification.objects.get(person=colleague).title == "通知"


def test_languages_of_reads_many_users_at_once(cast, django_assert_num_queries):
    Preference.objects.create(user=cast.teacher, language="en")
    with django_assert_num_queries(1):
        found = languages_of([cast.teacher.pk, cast.other_teacher.pk, None])
    assert found == {cast.teacher.pk: "en"}
