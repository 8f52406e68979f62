"""Helpers for the per-role journeys: log in through the form, a numbered screenshot per step
under test-artifacts/e2e/<role>/, and a watch on page errors."""

from __future__ import annotations

import re
from pathlib import Path

from keshi.tests.browser import ARTIFACTS

PASSWORD = "demo1234"


class Journey:
    def __init__(self, page, base_url: str, role: str) -> None:
        self.page, self.url, self.role = page, base_url, role
        self.step = 0
        self.errors: list[str] = []
        self.folder = ARTIFACTS / "e2e" / role
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.folder.glob("*.png"):
            old.unlink()
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    def shot(self, name: str) -> Path:
        self.step += 1
        path = self.folder / f"{self.step:02d}-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def log_in(self, username: str) -> None:
        """Through the login form, by its Chinese labels, as a user would."""
        page = self.page
        page.context.clear_cookies()
        page.goto(f"{self.url}/accounts/login/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_load_state("networkidle")
        assert page.url.rstrip("/") == self.url, f"{username} should land on the home page"

    def nav(self, label: str) -> None:
        """Follow a link of the top navigation (opening its dropdown when it sits in one)."""
        page = self.page
        text = re.compile(f"^\\s*{re.escape(label)}\\s*$")
        link = page.locator("nav a.nav-link, nav a.dropdown-item").filter(has_text=text)
        if not link.first.is_visible():
            item = page.locator("a.dropdown-item").filter(has_text=text)
            menu = page.locator("nav li.dropdown").filter(has=item)
            menu.locator("a.dropdown-toggle").click()
        link.first.click()
        page.wait_for_load_state("networkidle")

    def body(self) -> str:
        return self.page.inner_text("body")

    def assert_clean(self) -> None:
        body = self.body()
        assert "Server Error" not in body and "Traceback" not in body
        assert self.errors == [], self.errors
