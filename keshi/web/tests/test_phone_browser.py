"""Every menu page of every demo role at 390×844 (a phone) and 1440×900 (an office screen):
no 4xx/5xx and nothing wider than the screen (issue #22 item 2). Each role's home is kept as a
screenshot at both sizes in test-artifacts/ (home-<role>-phone.png, home-<role>-desktop.png).

One demo load and one browser for the whole run: each page is loaded once at 1440 px, measured,
then the viewport narrows to 390 px and the page is measured again (the layout follows the
media queries without a reload)."""

import pytest
from django.contrib.auth import get_user_model

from keshi.tests.browser import login, screenshot
from keshi.web.tests.test_menu_links import DEMO_ROLES, menu_urls

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}
# What is wider than the page, for the failure message.
WIDEST = """() => {
  const w = window.innerWidth, out = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.right > w + 1 && getComputedStyle(el).position !== 'fixed') {
      let inScroller = false;
      for (let p = el.parentElement; p; p = p.parentElement) {
        const o = getComputedStyle(p).overflowX;
        if (o === 'auto' || o === 'scroll' || o === 'hidden') { inScroller = true; break; }
      }
      if (!inScroller) out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
        (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').slice(0, 2).join('.') : ''));
    }
  }
  return out.slice(0, 5);
}"""
# List pages kept as phone screenshots too (office's view): rows as cards, the matrix's hint.
LIST_SHOTS = {"/records/": "records", "/org/people/": "people", "/compliance/": "compliance"}
OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"


# The page's resize handlers (charts) run before the next frames: measure after them.
SETTLED = "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"


def _overflow(page, size: str, label: str, url: str, failures: list[str]) -> None:
    page.evaluate(SETTLED)
    extra = page.evaluate(OVERFLOW)
    if extra > 0:
        failures.append(f"{size} {label} {url}: {extra}px too wide ({page.evaluate(WIDEST)})")


@pytest.mark.browser
@pytest.mark.slow
def test_every_menu_page_fits_a_phone_and_a_desktop(demo_school, live_server, browser_page):
    page = browser_page
    failures: list[str] = []
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"{page.url}: {exc}"))
    users = get_user_model().objects
    for username in DEMO_ROLES:
        page.context.clear_cookies()
        page.set_viewport_size(DESKTOP)
        login(page, live_server.url, username, "demo1234")
        for label, url in menu_urls(users.get(username=username)):
            page.set_viewport_size(DESKTOP)
            response = page.goto(f"{live_server.url}{url}", wait_until="load")
            if response is None or response.status >= 400:
                failures.append(f"{username}: {label} {url} → {response and response.status}")
                continue
            _overflow(page, f"1440 {username}", label, url, failures)
            if url == "/":
                screenshot(page, f"home-{username}-desktop")
            page.set_viewport_size(PHONE)
            _overflow(page, f"390 {username}", label, url, failures)
            if url == "/":
                screenshot(page, f"home-{username}-phone")
            elif username == "office" and url in LIST_SHOTS:
                screenshot(page, f"list-{LIST_SHOTS[url]}-phone")
    assert failures == []
    assert errors == []
