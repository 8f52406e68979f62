"""The QR sign-in end to end in headless Chromium on the demo school: the lead opens a session,
a member signs in on a phone through the QR link, the lead closes the session, the record is
there. Screenshots: the session with its QR code, the phone sign-in page, the 六个一 checklist."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from keshi.groupwork import services, services_training
from keshi.groupwork.models import Material
from keshi.org.models import Group, Person
from keshi.records.models import Activity
from keshi.records.tests.factories import PDF
from keshi.tests.browser import ARTIFACTS, login, screenshot

PHONE = {"width": 390, "height": 844}


@pytest.mark.browser
def test_qr_sign_in_end_to_end(demo_school, live_server, browser_page):
    lead_user = Person.objects.get(user__username="lead")
    member = Person.objects.get(user__username="teacher")
    group = Group.objects.get(org=demo_school, memberships__person=lead_user, kind="subject")
    today = timezone.localdate()  # the code signs in on the session's own day only
    session = services.save_session(
        group=group,
        by=lead_user.user,
        date=today,
        place="行政楼三楼会议室",
        topic="新课标背景下的整本书阅读",
        host=lead_user,
    )
    errors: list[str] = []
    page = browser_page
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, live_server.url, "lead", "demo1234")
    page.goto(live_server.url + reverse("groupwork:session", args=[session.pk]))
    assert page.locator("#qr-card svg").is_visible()
    screenshot(page, "groupwork-session-qr")
    link = page.input_value("#qr-url")

    phone = page.context.browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True)
    mobile = phone.new_page()
    mobile.on("pageerror", lambda exc: errors.append(str(exc)))
    mobile.goto(link)  # not logged in yet: the login page, then back to the sign-in page
    mobile.fill("input[name=username]", "teacher")
    mobile.fill("input[name=password]", "demo1234")
    mobile.click("button[type=submit]")
    mobile.wait_for_selector("#signin-button")
    button = mobile.locator("#signin-button").bounding_box()
    assert button["width"] > PHONE["width"] * 0.7 and button["height"] >= 60, "a big button"
    screenshot(mobile, "groupwork-signin-phone")
    mobile.click("#signin-button")
    mobile.wait_for_selector("#signin-done")
    screenshot(mobile, "groupwork-signin-phone-done")
    phone.close()

    page.reload()
    assert member.name in page.inner_text("#attendance-form")
    page.click("#close-session")
    page.wait_for_load_state("networkidle")
    assert "已结束" in page.inner_text("h1")
    record = Activity.objects.get(person=member, kind__code="group_activity", date=today)
    assert record.title == "新课标背景下的整本书阅读"
    assert errors == []


@pytest.mark.browser
def test_training_checklist_page(demo_school, live_server, browser_page):
    office = Person.objects.filter(org=demo_school).first()
    from django.contrib.auth import get_user_model

    by = get_user_model().objects.get(username="office")
    project = services_training.save_project(
        org=demo_school,
        by=by,
        title="大单元教学设计与实施",
        start=date(2026, 11, 4),
        end=date(2026, 11, 4),
        hours=Decimal("3"),
        credits=Decimal("0.5"),
        organiser="教科室",
    )
    for item in (Material.PLAN, Material.SIGNIN, Material.RECORD, Material.HOMEWORK):
        services_training.attach_material(
            project=project, item=item, by=by, upload=(f"{item.label}.pdf", PDF, "application/pdf")
        )
    services_training.set_training_attendance(
        project=project, people=list(Person.objects.filter(org=demo_school)[:12]), by=by
    )
    assert office is not None
    login(browser_page, live_server.url, "office", "demo1234")
    browser_page.goto(live_server.url + reverse("groupwork:training", args=[project.pk]))
    checklist = browser_page.inner_text("#checklist")
    assert "新闻报道" in checklist and "未提交" in checklist
    screenshot(browser_page, "groupwork-training-checklist")
    browser_page.goto(live_server.url + reverse("groupwork:training_list"))
    assert "缺2项" in browser_page.inner_text("#training-table")
    screenshot(browser_page, "groupwork-training-list")
    assert ARTIFACTS.exists()
