from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from keshi.appraisal.models import PointEntry, Source
from keshi.org.models import Person
from keshi.tests.browser import login, screenshot


@pytest.mark.browser
def test_archive_page_in_browser(demo_school, live_server, browser_page):
    person = Person.objects.get(user__username="teacher")
    PointEntry.objects.create(
        org=person.org,
        person=person,
        date=date.today(),
        points=Decimal("0.5"),
        reason="区级优质课二等奖",
        source=Source.AWARD,
    )
    errors: list[str] = []
    browser_page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(browser_page, live_server.url, "teacher", "demo1234")
    browser_page.goto(live_server.url + reverse("appraisal:my_archive"))
    body = browser_page.inner_text("body")
    screenshot(browser_page, "appraisal-archive")
    assert "个人档案" in body and "区级优质课二等奖" in body and "下载 Word" in body
    assert "业务记录汇总" in body
    assert errors == []
