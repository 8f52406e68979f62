from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from keshi.accounts.models import RoleGrant
from keshi.calendar.models import SchoolYear
from keshi.calendar.selectors import current_term
from keshi.onboarding.services import school_year_of
from keshi.org.models import Org

pytestmark = pytest.mark.django_db
PASSWORD = "Kx-7vq2-lantern"
ARGS = ["--type", "school", "--name", "示范中学", "--code", "xhzx", "--admin", "zhuren"]


@pytest.fixture
def setup_password(monkeypatch):
    monkeypatch.setenv("KESHI_SETUP_PASSWORD", PASSWORD)


def test_command_creates_the_org_its_office_admin_and_the_school_year(setup_password, client):
    call_command("setup", *ARGS, "--admin-name", "陈主任", "--year", "2026")
    org = Org.objects.get()
    assert (org.code, org.name, org.kind) == ("xhzx", "示范中学", Org.Kind.SCHOOL)
    admin = get_user_model().objects.get(username="zhuren")
    assert not admin.is_superuser and not admin.is_staff
    assert list(RoleGrant.objects.values_list("user", "org", "role")) == [
        (admin.pk, org.pk, RoleGrant.Role.OFFICE)
    ]
    year = SchoolYear.objects.get(org=org)
    assert year.start_year == 2026 and year.terms.count() == 2
    assert current_term(org, date(2026, 10, 12)).number == 1

    assert client.login(username="zhuren", password=PASSWORD)
    assert client.get(reverse("home")).status_code == 200


def test_a_hospital_is_set_up_with_its_calendar_year(setup_password, capsys, client):
    call_command("setup", "--type", "hospital", "--name", "人民医院心内科", "--code", "xnk",
                 "--admin", "kzr", "--year", "2026")  # fmt: skip
    org = Org.objects.get()
    assert org.kind == Org.Kind.HOSPITAL
    year = SchoolYear.objects.get(org=org)
    assert (year.start, year.end) == (date(2026, 1, 1), date(2026, 12, 31))
    [term] = year.terms.all()
    assert (term.start, term.end) == (year.start, year.end) and str(term) == "2026年度"
    out = capsys.readouterr().out
    assert "年度：2026年度：2026-01-01 至 2026-12-31" in out and "工作日历" in out
    assert "学期" not in out and "学年" not in out and "校历" not in out
    assert client.login(username="kzr", password=PASSWORD)
    home = client.get(reverse("home")).content.decode()
    assert "2026年度" in home and "第一期" not in home


def test_a_hospital_set_up_today_gets_this_calendar_year(setup_password):
    call_command("setup", "--type", "hospital", "--name", "人民医院", "--code", "rmyy",
                 "--admin", "kzr")  # fmt: skip
    year = SchoolYear.objects.get()
    assert year.start_year == timezone.localdate().year and year.is_calendar_year


def test_a_district_is_set_up_the_same_way_as_a_school(setup_password):
    call_command("setup", "--type", "district", "--name", "示范区教科室", "--code", "qjks",
                 "--admin", "qu")  # fmt: skip
    assert Org.objects.get().kind == Org.Kind.DISTRICT
    assert SchoolYear.objects.get().terms.count() == 2


def test_command_refuses_a_second_run(setup_password):
    call_command("setup", *ARGS)
    with pytest.raises(CommandError, match="已完成初始设置"):
        call_command("setup", "--type", "school", "--name", "二中", "--code", "ez", "--admin", "x")
    assert Org.objects.count() == 1


def test_a_weak_password_is_refused_and_nothing_is_written(monkeypatch):
    monkeypatch.setenv("KESHI_SETUP_PASSWORD", "12345678")
    with pytest.raises(CommandError, match="密码"):
        call_command("setup", *ARGS)
    assert not Org.objects.exists() and not get_user_model().objects.exists()


def test_without_a_terminal_every_missing_value_is_named(monkeypatch, setup_password):
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    with pytest.raises(CommandError, match="--code"):
        call_command("setup", "--type", "school", "--name", "示范中学", "--admin", "zhuren")
    monkeypatch.delenv("KESHI_SETUP_PASSWORD")
    with pytest.raises(CommandError, match="KESHI_SETUP_PASSWORD"):
        call_command("setup", *ARGS)
    assert not Org.objects.exists()


def test_a_bad_code_is_explained(setup_password):
    with pytest.raises(CommandError, match="单位代码|字母"):
        call_command("setup", "--type", "school", "--name", "示范中学", "--code", "示范 中学",
                     "--admin", "zhuren")  # fmt: skip
    assert not Org.objects.exists()


@pytest.mark.parametrize(
    "day, start_year",
    [(date(2026, 9, 1), 2026), (date(2026, 8, 31), 2025), (date(2027, 1, 15), 2026)],
)
def test_the_school_year_is_the_one_containing_the_day(day, start_year):
    assert school_year_of(day) == start_year


FORM = {
    "kind": "school",
    "name": "示范中学",
    "code": "xhzx",
    "admin_name": "陈主任",
    "admin_username": "zhuren",
    "password": PASSWORD,
    "password2": PASSWORD,
}


def test_first_run_page_sets_up_and_logs_the_admin_in(client):
    url = reverse("onboarding:first_run")
    page = client.get(url)
    assert page.status_code == 200 and "初始设置" in page.content.decode()
    response = client.post(url, FORM)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert RoleGrant.objects.get().role == RoleGrant.Role.OFFICE
    home = client.get(reverse("home"))
    assert home.status_code == 200 and "已创建示范中学" in home.content.decode()
    assert client.get(url).status_code == 404  # once, never again


def test_first_run_page_sets_up_a_hospital_with_its_calendar_year(client):
    response = client.post(
        reverse("onboarding:first_run"),
        {**FORM, "kind": "hospital", "name": "人民医院", "code": "rmyy"},
    )
    assert response.status_code == 302
    year = SchoolYear.objects.get()
    assert year.is_calendar_year and year.terms.count() == 1
    home = client.get(reverse("home")).content.decode()
    assert f"已创建人民医院和{year.start_year}年度" in home


def test_first_run_page_shows_field_errors_in_chinese_and_writes_nothing(client):
    url = reverse("onboarding:first_run")
    response = client.post(url, {**FORM, "code": "示范 中学", "password2": "other"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "两次输入的密码不一致" in html and "is-invalid" in html
    response = client.post(url, {**FORM, "password": "12345678", "password2": "12345678"})
    assert "密码" in response.context["form"].errors["password"][0]
    assert not Org.objects.exists() and not get_user_model().objects.exists()


def test_first_run_page_is_gone_once_an_org_exists(cast, client):
    assert client.get(reverse("onboarding:first_run")).status_code == 404
    assert client.post(reverse("onboarding:first_run"), FORM).status_code == 404
    assert not Org.objects.filter(code="xhzx").exists()


def test_an_empty_installation_opens_on_the_first_run_page(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("onboarding:first_run")
