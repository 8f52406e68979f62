"""Logins for the roster without /admin/: open, first-login change, reset, disable, sheets."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from keshi.accounts import logins
from keshi.accounts.models import LoginEvent
from keshi.org.models import Person
from keshi.org.tests.factories import PersonFactory, UserFactory
from keshi.org.tests.test_roster_import import HEADER, ROWS
from keshi.org.tests.test_roster_parse import xlsx_bytes

pytestmark = pytest.mark.django_db
User = get_user_model()
LIST = reverse("logins:list")
NEW_PASSWORD = "Lanterns-and-7-kites"


@pytest.fixture
def staff(cast):
    """Two teachers of the demo school without a login."""
    return [
        PersonFactory(org=cast.school, staff_no="2026101", name="赵新"),
        PersonFactory(org=cast.school, staff_no="2026102", name="钱新"),
    ]


def log_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_office_opens_logins_and_the_teacher_must_change_the_password(cast, staff, client):
    client.force_login(cast.office)
    response = client.post(reverse("logins:open"), {"org": cast.school.pk})
    assert response.status_code == 302 and response.url == reverse("logins:credentials")
    page = client.get(reverse("logins:credentials"))
    items = {c.username: c for c in page.context["items"]}
    assert set(items) == {"2026101", "2026102"}
    first = items["2026101"]
    assert first.password in page.content.decode()
    zhao = Person.objects.get(staff_no="2026101")
    assert zhao.user.username == "2026101" and not zhao.user.is_staff
    assert LoginEvent.objects.get(user=zhao.user).by == cast.office

    teacher = client.__class__()
    assert log_in(teacher, "2026101", first.password).status_code == 302
    home = teacher.get(reverse("home"))
    assert home.status_code == 302 and home.url == reverse("password_change")
    form = teacher.get(reverse("password_change"))
    assert form.status_code == 200 and "初始密码" in form.content.decode()
    assert "web/base.html" in [t.name for t in form.templates]  # keshi's page, not the admin's
    teacher.post(
        reverse("password_change"),
        {"old_password": first.password, "new_password1": NEW_PASSWORD,
         "new_password2": NEW_PASSWORD},
    )  # fmt: skip
    assert teacher.get(reverse("home")).status_code == 200
    assert LoginEvent.objects.filter(user=zhao.user).first().action == "changed"
    again = client.__class__()
    log_in(again, "2026101", NEW_PASSWORD)
    assert again.get(reverse("home")).status_code == 200  # no second forced change


def test_credential_sheets_open_in_excel_and_word(cast, staff, client):
    client.force_login(cast.office)
    client.post(reverse("logins:open"), {"org": cast.school.pk})
    items = client.get(reverse("logins:credentials")).context["items"]
    sheet = load_workbook(io.BytesIO(client.get(reverse("logins:xlsx")).content)).active
    rows = [r for r in sheet.iter_rows(min_row=3, values_only=True)]
    assert {(r[2], r[3]) for r in rows} == {(c.username, c.password) for c in items}
    assert all(r[4].endswith("/accounts/login/") for r in rows)
    doc = Document(io.BytesIO(client.get(reverse("logins:docx")).content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert all(c.password in text for c in items)
    assert len(doc.inline_shapes) == len(items)  # a QR code on every slip
    client.post(reverse("logins:credentials"))  # 完成
    assert client.get(reverse("logins:xlsx")).status_code == 302  # the passwords are gone
    assert client.get(reverse("logins:credentials")).context["items"] == []


def test_an_existing_account_with_that_username_is_linked_not_reset(cast, staff):
    account = UserFactory(username="2026101")
    [linked, made] = sorted(
        logins.open_logins(by=cast.office, org=cast.school), key=lambda c: c.username
    )
    assert linked.password is None and made.password
    assert Person.objects.get(staff_no="2026101").user == account
    assert account.check_password("pass-keshi-123")  # untouched
    assert LoginEvent.objects.get(user=account).action == "linked"


def test_opening_is_all_or_nothing_with_every_problem_named(cast, staff):
    PersonFactory(org=cast.school, staff_no="", name="孙无号")
    holder = Person.objects.get(user=cast.teacher)
    holder.user.username = "2026102"
    holder.user.save()
    with pytest.raises(ValidationError) as raised:
        logins.open_logins(by=cast.office, org=cast.school)
    text = " ".join(raised.value.messages)
    assert "孙无号没有工号" in text and "账号“2026102”已属于张老师" in text
    assert not Person.objects.filter(staff_no="2026101", user__isnull=False).exists()
    assert not LoginEvent.objects.exists()


def test_district_numbers_with_the_org_code(cast, staff, settings):
    settings.KESHI_LOGIN_USERNAME = "org_staff_no"
    made = logins.open_logins(by=cast.office, org=cast.school)
    assert {c.username for c in made} == {"demo-2026101", "demo-2026102"}


def test_reset_makes_a_new_initial_password(cast, staff, client):
    [credential, _] = logins.open_logins(by=cast.office, org=cast.school)
    person = Person.objects.get(pk=credential.person_id)
    client.force_login(cast.office)
    assert client.post(reverse("logins:reset", args=[person.pk])).status_code == 302
    [new] = client.get(reverse("logins:credentials")).context["items"]
    person.user.refresh_from_db()
    assert person.user.check_password(new.password)
    assert not person.user.check_password(credential.password)
    assert LoginEvent.objects.filter(user=person.user).first().action == "reset"


def test_disabling_a_login_keeps_the_person_and_refuses_the_login(cast, client):
    teacher = Person.objects.get(user=cast.teacher)
    client.force_login(cast.office)
    client.post(reverse("logins:active", args=[teacher.pk]))
    cast.teacher.refresh_from_db()
    assert not cast.teacher.is_active and Person.objects.filter(pk=teacher.pk).exists()
    assert log_in(client.__class__(), "teacher", "pass-keshi-123").status_code == 200  # refused
    client.post(reverse("logins:active", args=[teacher.pk]), {"active": "1"})
    cast.teacher.refresh_from_db()
    assert cast.teacher.is_active
    actions = list(LoginEvent.objects.filter(user=cast.teacher).values_list("action", flat=True))
    assert actions == ["enabled", "disabled"]


def test_only_the_office_manages_logins(cast, staff, client):
    teacher = Person.objects.get(user=cast.teacher)
    for user in (cast.teacher, cast.lead, cast.leader, cast.district):
        client.force_login(user)
        assert client.get(LIST).status_code == 403
        assert client.post(reverse("logins:open"), {"org": cast.school.pk}).status_code == 403
    client.force_login(cast.outsider)
    assert client.post(reverse("logins:reset", args=[teacher.pk])).status_code in (403, 404)
    assert not Person.objects.filter(staff_no="2026101", user__isnull=False).exists()
    assert not LoginEvent.objects.exists()


def test_the_list_shows_each_state_and_searches(cast, staff, client):
    client.force_login(cast.office)
    page = client.get(LIST)
    assert page.status_code == 200 and "为示范中学无账号的在职人员开通登录" in page.content.decode()
    states = {p.name: p.login_state for p in page.context["page"]}
    assert states["赵新"] == "none" and states["张老师"] == "active"
    assert [p.name for p in client.get(LIST, {"state": "none"}).context["page"]] == ["赵新", "钱新"]
    assert [p.name for p in client.get(LIST, {"q": "2026102"}).context["page"]] == ["钱新"]


def test_roster_import_opens_logins_in_the_same_transaction(cast, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(cast.office)
    data = xlsx_bytes([HEADER, *ROWS])
    form = {"org": "demo", "file": SimpleUploadedFile("名册.xlsx", data), "create_groups": "on",
            "create_logins": "on"}  # fmt: skip
    preview = client.post(reverse("roster:import"), form).url
    done = client.post(preview)
    assert done.status_code == 302 and done.url == reverse("logins:credentials")
    items = client.get(reverse("logins:credentials")).context["items"]
    assert {c.username for c in items} == {"S01", "S02", "S03"}


def test_a_roster_whose_logins_fail_is_not_imported_either(cast, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    UserFactory(username="S02", last_name="别人")
    PersonFactory(org=cast.other_school, user=User.objects.get(username="S02"))
    client.force_login(cast.office)
    data = xlsx_bytes([HEADER, *ROWS])
    form = {"org": "demo", "file": SimpleUploadedFile("名册.xlsx", data), "create_groups": "on",
            "create_logins": "on"}  # fmt: skip
    preview = client.post(reverse("roster:import"), form).url
    response = client.post(preview)
    assert response.status_code == 200 and "账号“S02”已属于" in response.content.decode()
    assert not Person.objects.filter(staff_no__in=["S01", "S02", "S03"], org=cast.school).exists()


def test_command_imports_the_roster_with_logins_and_writes_the_sheet(cast, tmp_path, capsys):
    roster = tmp_path / "名册.xlsx"
    roster.write_bytes(xlsx_bytes([HEADER, *ROWS]))
    sheet = tmp_path / "账号.xlsx"
    call_command(
        "import-roster", str(roster), "--org", "demo", "--create-groups", "--create-logins",
        "--credentials", str(sheet),
    )  # fmt: skip
    assert "已开通 3 个登录账号" in capsys.readouterr().out
    rows = list(load_workbook(sheet).active.iter_rows(min_row=3, values_only=True))
    for _name, _no, username, password, _url in rows:
        assert User.objects.get(username=username).check_password(password)
    assert oct(sheet.stat().st_mode & 0o777) == "0o600"
