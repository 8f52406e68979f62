"""Issue #19.7: a wrong old password on /accounts/password/ counts as a failed login for that
username and address, and locks the same way (HTTP 429, the Chinese lockout page)."""

import pytest
from django.test import Client
from django.urls import reverse

from keshi.tests.test_security import PASSWORD, _login

pytestmark = pytest.mark.django_db
NEW = "a-new-pass-4821"


def _change(client: Client, old: str, ip: str = "10.0.0.1"):
    return client.post(
        reverse("password_change"),
        {"old_password": old, "new_password1": NEW, "new_password2": NEW},
        REMOTE_ADDR=ip,
    )


def test_five_wrong_old_passwords_lock_like_a_login(client, cast):
    client.force_login(cast.teacher)
    for _ in range(4):
        r = _change(client, "wrong")
        assert r.status_code == 200 and "旧密码不正确" in r.text
    r = _change(client, "wrong")
    assert r.status_code == 429 and "登录已暂时锁定" in r.text and "连续 5 次密码错误" in r.text
    # Locked: even the right old password is refused, and the password is unchanged …
    assert _change(client, PASSWORD).status_code == 429
    cast.teacher.refresh_from_db()
    assert cast.teacher.check_password(PASSWORD)
    # … and the login page on that computer is locked for that account too;
    assert _login(Client(), "teacher", PASSWORD).status_code == 429
    # elsewhere the teacher still gets in.
    assert _login(Client(), "teacher", PASSWORD, ip="10.0.0.2").status_code == 302


def test_login_failures_and_password_page_failures_add_up(client, cast):
    for _ in range(3):
        _login(Client(), "teacher", "wrong")
    client.force_login(cast.teacher)
    assert _change(client, "wrong").status_code == 200
    assert _change(client, "wrong").status_code == 429


def test_the_right_old_password_changes_it_and_resets_the_count(client, cast):
    client.force_login(cast.teacher)
    for _ in range(4):
        _change(client, "wrong")
    r = _change(client, PASSWORD)
    assert r.status_code == 302 and r["Location"] == reverse("password_change_done")
    cast.teacher.refresh_from_db()
    assert cast.teacher.check_password(NEW)
    for _ in range(4):
        assert _login(Client(), "teacher", "wrong").status_code == 200
    assert _login(Client(), "teacher", NEW).status_code == 302


def test_another_account_on_the_same_computer_is_not_locked(client, cast):
    client.force_login(cast.teacher)
    for _ in range(5):
        _change(client, "wrong")
    assert _login(Client(), "other_teacher", PASSWORD).status_code == 302
