"""Every role's home page renders in a real browser on the demo school."""

import pytest

from keshi.tests.browser import login, screenshot

ROLES = {
    "admin": "系统管理员",
    "district": "区",
    "office": "教科室",
    "leader": "示范区实验中学",
    "lead": "语文",
    "teacher": "教龄",
    "teacher2": "教龄",
}


@pytest.mark.browser
@pytest.mark.parametrize("username", ROLES)
def test_home_renders_for_role(demo_school, live_server, browser_page, username):
    errors: list[str] = []
    browser_page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(browser_page, live_server.url, username, "demo1234")
    assert browser_page.url.rstrip("/") == live_server.url, "login should land on the home page"
    body = browser_page.inner_text("body")
    screenshot(browser_page, f"home-{username}")
    assert "首页" in body
    assert ROLES[username] in body
    assert "Server Error" not in body and "Traceback" not in body
    assert errors == []
