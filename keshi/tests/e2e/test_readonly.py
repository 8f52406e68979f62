"""The read-only roles: the school leader and the district officer log in, their dashboards
(home, the compliance matrix, the schools compared) render, and no page offers a write."""

import pytest

from keshi.tests.e2e.journey import Journey

WRITE_WORDS = ("新建", "导入", "编辑", "删除", "登记", "保存", "确认导入")


def _no_write_buttons(page) -> None:
    main = page.locator("main")
    for word in WRITE_WORDS:
        found = (
            main.get_by_role("button", name=word).count()
            + main.get_by_role("link", name=word).count()
        )
        assert found == 0, f"a read-only page offers “{word}”: {page.url}"
    assert main.locator("form[method=post], form[method=POST]").count() == 0, page.url


@pytest.mark.browser
@pytest.mark.parametrize("username", ["leader", "district"])
def test_read_only_dashboards(demo_school, live_server, browser_page, username):
    j = Journey(browser_page, live_server.url, username)
    page = j.page
    j.log_in(username)
    assert "首页" in j.body()
    _no_write_buttons(page)
    j.shot("home")

    j.nav("达标情况")
    assert page.locator("table").count() > 0
    _no_write_buttons(page)
    j.shot("compliance")
    if username == "district":
        assert "示范区实验中学" in j.body() and "示范区育才中学" in j.body()

    j.nav("工作记录")
    _no_write_buttons(page)
    j.shot("records")
    j.assert_clean()
