"""Login throttling, production security headers and CSRF on every URL."""

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

PASSWORD = "pass-keshi-123"  # keshi/org/tests/factories.py UserFactory


def _login(client: Client, username: str, password: str, ip: str = "10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_right_password_logs_in(client, cast):
    r = _login(client, "teacher", PASSWORD)
    assert r.status_code == 302
    assert client.get(reverse("rules:my_tasks")).status_code == 200


def test_five_bad_passwords_lock_the_account_on_that_address(client, cast):
    for _ in range(4):
        r = _login(client, "teacher", "wrong")
        assert r.status_code == 200  # the form again, with its error
        assert "和密码。注意，两者都区分大小写" in r.content.decode()
    r = _login(client, "teacher", "wrong")
    assert r.status_code == 429
    page = r.content.decode()
    assert "登录已暂时锁定" in page
    assert "连续 5 次密码错误" in page
    assert "15 分钟后再试" in page
    # Even the right password is refused while locked …
    r = _login(client, "teacher", PASSWORD)
    assert r.status_code == 429
    assert "_auth_user_id" not in client.session
    # … from that address only: the teacher at another computer still gets in,
    assert _login(Client(), "teacher", PASSWORD, ip="10.0.0.2").status_code == 302
    # and another account on the same computer is not affected.
    assert _login(Client(), "other_teacher", PASSWORD).status_code == 302


def test_a_success_resets_the_count(client, cast):
    for _ in range(4):
        _login(client, "teacher", "wrong")
    assert _login(client, "teacher", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert _login(client, "teacher", "wrong").status_code == 200


def test_lockout_expires_after_the_cool_off(client, cast, settings):
    import datetime as dt

    from axes.models import AccessAttempt

    for _ in range(5):
        _login(client, "teacher", "wrong")
    assert _login(client, "teacher", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    assert _login(client, "teacher", PASSWORD).status_code == 302


def test_force_login_and_api_tokens_are_not_throttled(client, cast):
    from keshi.accounts.models import ApiToken

    for _ in range(6):
        _login(Client(), "teacher", "wrong")
    client.force_login(cast.teacher)
    assert client.get(reverse("rules:my_tasks")).status_code == 200
    _, raw = ApiToken.issue(cast.teacher, name="t")
    r = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert r.status_code == 200


NAMES = (
    "SECURE_HSTS_SECONDS",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "X_FRAME_OPTIONS",
    "SECURE_REFERRER_POLICY",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "CONTENT_SECURITY_POLICY",
    "SECURE_PROXY_SSL_HEADER",
)


def _settings_with(env: dict[str, str]) -> dict:
    """keshi/settings.py evaluated under ``env`` (the module is reloaded back afterwards)."""
    import importlib
    import os

    import keshi.settings as module

    old = dict(os.environ)
    os.environ.update(env)
    try:
        importlib.reload(module)
        return {name: getattr(module, name, None) for name in NAMES}
    finally:
        os.environ.clear()
        os.environ.update(old)
        importlib.reload(module)


PRODUCTION_ENV = {
    "KESHI_ALLOWED_HOSTS": "keshi.example.edu.cn",
    "KESHI_DEBUG": "0",
    "KESHI_SECRET_KEY": "a-production-key-" + "k" * 40,  # the published fallback is refused
}


def _production_settings(settings):
    for name, value in _settings_with(PRODUCTION_ENV).items():
        setattr(settings, name, value)


def test_production_settings_are_strict():
    prod = _settings_with(PRODUCTION_ENV)
    assert prod["SESSION_COOKIE_SECURE"] and prod["CSRF_COOKIE_SECURE"]
    assert prod["SECURE_HSTS_SECONDS"] >= 31536000
    assert prod["CONTENT_SECURITY_POLICY"] is not None
    relaxed = _settings_with(
        {**PRODUCTION_ENV, "KESHI_HSTS_SECONDS": "0", "KESHI_SECURE_COOKIES": "0", "KESHI_CSP": "0"}
    )
    assert relaxed["SECURE_HSTS_SECONDS"] == 0
    assert not relaxed["SESSION_COOKIE_SECURE"]
    assert relaxed["CONTENT_SECURITY_POLICY"] is None
    local = _settings_with({"KESHI_DEBUG": "1"})
    assert local["SECURE_HSTS_SECONDS"] == 0  # the local demo over plain http stays usable
    assert not local["SESSION_COOKIE_SECURE"]


def test_production_headers_on_a_page(client, cast, settings):
    _production_settings(settings)
    client.force_login(cast.teacher)
    r = client.get(reverse("rules:my_tasks"), headers={"X-Forwarded-Proto": "https"})
    assert r.status_code == 200
    assert r["Strict-Transport-Security"].startswith("max-age=31536000")
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["X-Frame-Options"] == "DENY"
    assert r["Referrer-Policy"] == "same-origin"
    csp = r["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ):
        assert directive in csp
    assert "http:" not in csp and "*" not in csp


def test_production_cookies_are_secure(cast, settings):
    _production_settings(settings)
    client = Client()
    r = client.post(reverse("login"), {"username": "teacher", "password": PASSWORD}, secure=True)
    assert r.status_code == 302
    session = r.cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"] and session["httponly"]
    assert session["samesite"] == "Lax"
    r = client.get(reverse("login"), secure=True)
    csrf = client.cookies.get(settings.CSRF_COOKIE_NAME)
    assert csrf is None or csrf["secure"]


def _csrf_targets():
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(resolver, prefix, namespace):
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                ns = p.namespace
                full = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
                yield from walk(p, prefix + str(p.pattern), full)
            elif isinstance(p, URLPattern) and p.name:
                name = f"{namespace}:{p.name}" if namespace else p.name
                yield prefix + str(p.pattern), name, p.pattern.converters, p.pattern.regex.groups

    dummy = {"IntConverter": 999999, "SlugConverter": "x", "StringConverter": "x"}
    seen = set()
    for route, name, converters, groups in walk(get_resolver(), "", None):
        if route.startswith("api/") or name in seen:
            continue
        seen.add(name)
        kwargs = {k: dummy.get(type(c).__name__, "x") for k, c in converters.items()}
        try:
            if kwargs or not groups:
                yield name, reverse(name, kwargs=kwargs or None)
            else:  # admin's regex patterns take positional arguments
                yield name, reverse(name, args=["1"] * groups)
        except NoReverseMatch:
            assert route.startswith("admin/"), f"cannot build a URL for {name} ({route})"


CSRF_EXEMPT: set[str] = set()


@pytest.mark.parametrize("role", ["anonymous", "office"])
def test_every_url_refuses_a_post_without_csrf_token(cast, role):
    client = Client(enforce_csrf_checks=True)
    if role == "office":
        client.force_login(cast.office)
    targets = list(_csrf_targets())
    assert len(targets) > 150  # the walk really covers the site
    accepted = []
    for name, url in targets:
        if name in CSRF_EXEMPT:
            continue
        r = client.post(url, {"x": "1"})
        if r.status_code != 403:
            accepted.append(f"{name} {url} → {r.status_code}")
    assert not accepted, "POST without CSRF token not refused:\n" + "\n".join(accepted)


@pytest.mark.browser
def test_lockout_page_in_a_browser(cast, live_server, browser_page):
    from keshi.tests.browser import screenshot

    for _ in range(5):
        browser_page.goto(live_server.url + reverse("login"))
        browser_page.fill("input[name=username]", "teacher")
        browser_page.fill("input[name=password]", "wrong")
        browser_page.click("button[type=submit]")
        browser_page.wait_for_load_state()
    body = browser_page.inner_text("body")
    screenshot(browser_page, "login-locked")
    assert "登录已暂时锁定" in body and "15 分钟后再试" in body
