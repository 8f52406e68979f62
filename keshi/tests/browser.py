"""Headless Chromium for end-to-end tests: Debian's chromium driven by Playwright.

Tests using it skip with a clear message when /usr/bin/chromium is absent (``.ci/run`` installs
it). Screenshots go to ``test-artifacts/`` at the project root.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("KESHI_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require_chromium() -> None:
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        pytest.skip("未安装 Debian chromium（apt-get install chromium），跳过浏览器测试")


@pytest.fixture
def browser_page():
    require_chromium()
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM work in these tests
    # happens before pages are driven, and the live server answers from its own thread.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
        page = context.new_page()
        try:
            yield page
        finally:
            context.close()
            browser.close()
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def login(page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def screenshot(page, name: str) -> Path:
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
