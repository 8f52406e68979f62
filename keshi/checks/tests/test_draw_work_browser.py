"""A 推门听课 draw in a real browser: the office assigns the drawn teachers to the demo teacher,
who finds the task in 我的听课任务 and opens the observation form with the teacher filled in."""

import pytest
from django.contrib.auth import get_user_model

from keshi.checks import services
from keshi.checks.draw_work import person_label
from keshi.checks.models import Draw
from keshi.org.models import Person
from keshi.records.models import ObservationAssignment
from keshi.tests.browser import login, screenshot


@pytest.mark.browser
def test_office_assigns_drop_in_and_the_observer_records(demo_school, live_server, browser_page):
    office = get_user_model().objects.get(username="office")
    observer = Person.objects.get(user__username="teacher")
    others = Person.objects.filter(org=demo_school, active=True).exclude(pk=observer.pk)
    population = [person_label(p) for p in others.order_by("pk")[:6]]
    draw = services.commit_draw(
        org=demo_school,
        title="第14周推门听课",
        population=population,
        k=2,
        by=office,
        population_kind=Draw.Population.TEACHERS,
    )
    services.reveal_draw(draw=draw, by=office)

    page = browser_page
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, live_server.url, "office", "demo1234")
    page.goto(f"{live_server.url}/checks/draws/{draw.pk}/")
    page.click("#draw-observe")
    page.select_option("#id_observers", value=str(observer.pk))
    screenshot(page, "checks-draw-observe-form")
    page.click(".card-body form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "已安排 2 项听课任务" in page.inner_text("body")
    assert "待完成 2" in page.inner_text("#task-counts")
    screenshot(page, "checks-draw-work")
    tasks = ObservationAssignment.objects.filter(draw=draw, observer=observer)
    assert tasks.count() == 2
    for action, name in (("#draw-inspect", "inspect"), ("#draw-open-class", "open-class")):
        page.goto(f"{live_server.url}/checks/draws/{draw.pk}/")
        page.click(action)
        page.wait_for_load_state("networkidle")
        assert "抽中" in page.inner_text("#draw-work-result")
        assert (name == "inspect") == (page.locator("#draw-new-inspection").count() == 1)
        screenshot(page, f"checks-draw-{name}-form")

    page.context.clear_cookies()
    login(page, live_server.url, "teacher", "demo1234")
    page.goto(f"{live_server.url}/records/assignments/")
    listing = page.inner_text("#assignment-list")
    first = tasks.order_by("due", "pk").first()
    assert f"推门听课·听{first.teacher.name}的课" in listing and "待完成" in listing
    screenshot(page, "records-assignments")
    page.goto(f"{live_server.url}/records/assignments/{first.pk}/")
    assert first.teacher.name in page.inner_text("#assignment-facts")
    screenshot(page, "records-assignment-detail")
    page.goto(f"{live_server.url}/records/assignments/")
    page.locator("#assignment-list a:has-text('去登记')").first.click()
    page.wait_for_load_state("networkidle")
    chosen = page.inner_text("#observed-chosen")
    mine = ObservationAssignment.objects.filter(observer=observer)  # the demo's draw's too
    assert any(t.teacher.name in chosen for t in mine)
    screenshot(page, "records-assignment-record-form")
    assert not errors
