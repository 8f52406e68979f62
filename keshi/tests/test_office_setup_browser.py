"""The office sets up its people in a real browser on the demo school, without /admin/:
a 师徒结对, a role grant and a group lead."""

import pytest

from keshi.accounts.models import RoleGrant
from keshi.org.models import Membership, Mentorship, Person
from keshi.tests.browser import login, screenshot


def _submit(page, label: str) -> str:
    page.click(f"button:has-text('{label}')")
    page.wait_for_load_state("networkidle")
    return page.inner_text("body")


@pytest.mark.browser
def test_office_pairs_grants_and_sets_a_lead(demo_school, live_server, browser_page):
    page = browser_page
    login(page, live_server.url, "office", "demo1234")

    page.goto(f"{live_server.url}/org/mentorships/")
    screenshot(page, "mentorships")
    before = Mentorship.objects.filter(org=demo_school).count()
    people = Person.objects.filter(org=demo_school, active=True, user__isnull=False)
    mentor, mentee = people.exclude(user__username="office").order_by("-pk")[:2]
    page.click("a.btn:has-text('添加结对')")
    page.wait_for_load_state("networkidle")
    # The person pickers are searchable (static/web/pickers.js): type the name, take the match.
    page.fill("#id_mentor-ts-control", mentor.name)
    page.wait_for_function(
        "n => [...document.querySelectorAll('.ts-dropdown .option')].every("
        "o => o.textContent.includes(n))",
        arg=mentor.name,
    )
    screenshot(page, "mentorship-person-picker")
    shown = page.locator(".ts-dropdown .option").all_inner_texts()
    assert len(shown) == 1 and shown[0].startswith(mentor.name)  # 马蕾（工号）
    page.keyboard.press("Enter")
    assert page.eval_on_selector("select[name=mentor]", "s => s.value") == str(mentor.pk)
    page.fill("#id_mentee-ts-control", "不存在的名字")
    page.wait_for_selector(".ts-dropdown .no-results")
    assert "没有匹配的人员" in page.inner_text(".ts-dropdown .no-results")
    page.keyboard.press("Escape")
    page.select_option("select[name=mentee]", str(mentee.pk))
    page.fill("input[name=subject]", "物理")
    page.fill("input[name=start]", "2026-09-01")
    assert "已添加师徒结对" in _submit(page, "保存")
    page.fill("input[name=q]", mentee.name)
    _submit(page, "筛选")
    assert "物理" in page.inner_text("table")
    screenshot(page, "mentorships-added")
    assert Mentorship.objects.filter(org=demo_school).count() == before + 1

    page.goto(f"{live_server.url}/roles/")
    page.select_option("select[name=g-person]", str(mentor.pk))
    page.select_option("select[name=g-role]", "leader")
    body = _submit(page, "授予")
    screenshot(page, "role-grants-granted")
    assert f"已授予{mentor.name}" in body
    assert RoleGrant.objects.filter(user=mentor.user, role="leader").exists()
    group = mentee.memberships.first().group
    page.select_option("select[name=l-group]", str(group.pk))
    page.select_option("select[name=l-person]", str(mentee.pk))
    page.select_option("select[name=l-role]", "deputy")
    assert "副组长" in _submit(page, "保存")
    screenshot(page, "role-grants")
    assert Membership.objects.current().filter(person=mentee, group=group, role="deputy").exists()


@pytest.mark.browser
def test_new_teacher_gets_a_login_and_changes_the_password(demo_school, live_server, browser_page):
    newcomer = Person.objects.create(org=demo_school, staff_no="2026901", name="顾新来")
    page = browser_page
    login(page, live_server.url, "office", "demo1234")
    page.goto(f"{live_server.url}/logins/?q=顾新来")
    assert "顾新来" in page.inner_text("table")
    screenshot(page, "logins")
    _submit(page, "无账号的在职人员开通登录")
    assert page.url.endswith("/logins/credentials/")
    screenshot(page, "logins-credentials")
    row = page.locator("tr", has_text="顾新来")
    password = row.locator("td").nth(3).inner_text().strip()
    assert len(password) == 10

    page.context.clear_cookies()
    login(page, live_server.url, "2026901", password)
    assert page.url.endswith("/accounts/password/")
    assert "初始密码" in page.inner_text("body")
    screenshot(page, "first-login-password")
    page.fill("input[name=old_password]", password)
    page.fill("input[name=new_password1]", "Lanterns-and-7-kites")
    page.fill("input[name=new_password2]", "Lanterns-and-7-kites")
    _submit(page, "保存新密码")
    page.goto(live_server.url)
    assert "顾新来" in page.inner_text("body") and page.url.rstrip("/") == live_server.url
    newcomer.refresh_from_db()
    assert newcomer.user.check_password("Lanterns-and-7-kites")


@pytest.mark.browser
def test_hospital_office_sets_up_an_indicator(demo_school, live_server, browser_page):
    from keshi.indicators.models import Indicator

    page = browser_page
    login(page, live_server.url, "hospital_office", "demo1234")
    page.goto(f"{live_server.url}/indicators/")
    page.click("a.btn:has-text('新建指标')")
    page.select_option("select[name=group]", index=1)
    page.fill("input[name=name]", "出院患者满意度")
    page.select_option("select[name=kind]", "rate")
    page.fill("input[name=numerator_label]", "满意人数")
    page.fill("input[name=denominator_label]", "调查人数")
    page.fill("input[name=target]", "90")
    screenshot(page, "indicator-setup")
    assert "已创建指标" in _submit(page, "保存")
    indicator = Indicator.objects.get(name="出院患者满意度")
    assert indicator.is_rate and indicator.org.kind == "hospital"
    screenshot(page, "indicator-created")
