"""A new installation in a real browser: the first visitor sets the school up and lands home."""

import pytest

from keshi.accounts.models import RoleGrant
from keshi.calendar.models import Term
from keshi.onboarding.tests.test_setup import FORM
from keshi.tests.browser import screenshot


@pytest.mark.browser
def test_first_visitor_sets_up_the_school(transactional_db, live_server, browser_page):
    page = browser_page
    page.goto(live_server.url)
    assert page.url == f"{live_server.url}/setup/"
    page.select_option("select[name=kind]", "school")
    for field in ("name", "code", "admin_name", "admin_username", "password", "password2"):
        page.fill(f"input[name={field}]", FORM[field])
    screenshot(page, "first-run")
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.url.rstrip("/") == live_server.url
    body = page.inner_text("body")
    screenshot(page, "first-run-home")
    assert "已创建示范中学" in body and "首页" in body
    assert RoleGrant.objects.get().user.username == "zhuren"
    assert Term.objects.count() == 2
