"""Button and text colours as the browser renders them: at least 4.5:1 against the page
(WCAG AA), for every Bootstrap button variant the templates use (issue #22 item 6: the yellow
重抽 button was 1.6:1)."""

import pytest

from keshi.web.tests.contrast import contrast, parse_rgb

VARIANTS = [
    "btn btn-primary",
    "btn btn-outline-primary",
    "btn btn-outline-secondary",
    "btn btn-outline-success",
    "btn btn-outline-danger",
    "btn btn-outline-warning",
    "btn btn-warning",
    "btn btn-success",
    "btn btn-danger",
    "btn btn-link",
    "badge text-bg-warning",
    "text-warning",
    "text-secondary",
]
RENDER = """(classes) => {
  const main = document.querySelector('main') || document.body;
  return classes.map((cls) => {
    const el = document.createElement(cls.startsWith('btn') ? 'button' : 'span');
    el.className = cls; el.textContent = '重抽'; main.appendChild(el);
    const style = getComputedStyle(el);
    let bg = style.backgroundColor;
    for (let p = el; bg === 'rgba(0, 0, 0, 0)' && p; p = p.parentElement) {
      bg = getComputedStyle(p).backgroundColor;
    }
    if (bg === 'rgba(0, 0, 0, 0)') bg = 'rgb(255, 255, 255)';
    return [cls, style.color, bg];
  });
}"""


@pytest.mark.browser
def test_buttons_and_text_have_enough_contrast(live_server, browser_page, db):
    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    low = []
    for cls, fg, bg in page.evaluate(RENDER, VARIANTS):
        ratio = contrast(parse_rgb(fg), parse_rgb(bg))
        if ratio < 4.5:
            low.append(f"{cls}: {fg} on {bg} = {ratio:.2f}:1")
    assert low == []


def test_contrast_of_bootstrap_yellow_on_white_is_the_reported_1_6():
    assert round(contrast(parse_rgb("rgb(255, 193, 7)"), (255, 255, 255)), 1) == 1.6
    assert round(contrast((0, 0, 0), (255, 255, 255))) == 21
