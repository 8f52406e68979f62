"""The roster pages: upload → preview → confirm, download, and who may use them."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from keshi.accounts.models import RoleGrant
from keshi.org.models import Group, Membership, Person
from keshi.org.tests.factories import UserFactory, grant
from keshi.org.tests.test_roster_import import HEADER, ROWS, snapshot
from keshi.org.tests.test_roster_parse import csv_bytes, xlsx_bytes

IMPORT = reverse("roster:import")
EXPORT = reverse("roster:export", args=["demo"])


@pytest.fixture(autouse=True)
def _web_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(client, rows, *, name="名册.xlsx", org="demo", create_groups=True, data=None):
    data = data or xlsx_bytes([HEADER, *rows], title="示范中学2025学年教师名册")
    form = {"org": org, "file": SimpleUploadedFile(name, data)}
    if create_groups:
        form["create_groups"] = "on"
    return client.post(IMPORT, form)


def uploads(settings) -> list:
    directory = settings.MEDIA_ROOT / "roster-uploads"
    return sorted(directory.iterdir()) if directory.exists() else []


def test_office_uploads_previews_and_confirms(client, cast, settings):
    client.force_login(cast.office)
    page = client.get(IMPORT)
    assert page.status_code == 200
    assert EXPORT in page.content.decode()

    before = snapshot()
    response = upload(client, ROWS)
    assert response.status_code == 302, response.context["form"].errors
    preview_url = response.url
    assert len(uploads(settings)) == 1

    preview = client.get(preview_url)
    html = preview.content.decode()
    assert preview.status_code == 200
    assert preview.context["report"].created == 3
    assert "陈一" in html and "高一语文" in html and "表头在第2行" in html
    assert "disabled" not in html.split("确认导入")[0].rsplit("<button", 1)[1]
    assert snapshot() == before  # previewing writes nothing

    done = client.post(preview_url)
    assert done.status_code == 302 and done.url == f"{IMPORT}?org=demo"
    assert Person.objects.filter(org=cast.school, staff_no__startswith="S").count() == 3
    assert Person.history.filter(staff_no="S01").latest("history_date").history_user == cast.office
    assert Group.history.filter(name="高一语文").get().history_user == cast.office
    assert uploads(settings) == []
    message = client.get(done.url).content.decode()
    assert "名册已导入：新增 3 人，更新 0 人，不变 0 人。" in message
    assert client.get(preview_url).status_code == 404  # a confirmed upload is gone


def test_preview_lists_every_error_and_confirm_writes_nothing(client, cast):
    client.force_login(cast.office)
    rows = [list(r) for r in ROWS]
    rows[1][3] = "2019-02-30"
    rows[2][1] = ""
    response = upload(client, rows, create_groups=False)
    preview = client.get(response.url)
    html = preview.content.decode()
    errors = [(e.row, e.column) for e in preview.context["report"].errors]
    assert (4, "出生年月") in errors and (5, "姓名") in errors and (3, "备课组") in errors
    assert "第4行" in html and "日期不存在：2019-02-30" in html
    assert "disabled" in html.split("确认导入")[0].rsplit("<button", 1)[1]
    before = snapshot()
    confirm = client.post(response.url)
    assert confirm.status_code == 200 and "未写入任何数据" in confirm.content.decode()
    assert snapshot() == before


def test_confirm_revalidates_against_current_data(client, cast):
    client.force_login(cast.office)
    response = upload(client, ROWS[:1], create_groups=False, data=csv_bytes(
        [["工号", "姓名", "教研组"], ["S01", "陈一", "语文组"]]), name="r.csv")  # fmt: skip
    assert client.get(response.url).context["report"].errors == []
    Membership.objects.filter(group=cast.group).delete()
    Group.objects.filter(pk=cast.group.pk).delete()  # someone removed 语文组 meanwhile
    confirm = client.post(response.url)
    assert confirm.status_code == 200
    assert [e.message for e in confirm.context["report"].errors] == ["教研组“语文组”不存在"]
    assert not Person.objects.filter(staff_no="S01").exists()


def test_upload_form_rejects_other_file_types(client, cast, settings):
    client.force_login(cast.office)
    response = upload(client, [], name="名册.xls", data=b"\xd0\xcf\x11\xe0")
    assert response.status_code == 200
    assert "不支持旧版 .xls 文件" in response.content.decode()
    assert uploads(settings) == []


def test_unreadable_upload_is_reported_in_the_preview(client, cast):
    client.force_login(cast.office)
    response = upload(client, [], name="名册.xlsx", data=b"garbage")
    report = client.get(response.url).context["report"]
    assert [(e.row, e.message) for e in report.errors] == [
        (None, "无法读取该 Excel 文件（文件损坏或不是 .xlsx 格式）")
    ]


def test_download_reimports_unchanged(client, cast):
    client.force_login(cast.office)
    response = client.get(EXPORT)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert {sheet.cell(r, 2).value for r in range(3, sheet.max_row + 1)} == {
        "张老师", "李老师", "王组长"
    }  # fmt: skip
    preview = client.get(upload(client, [], name="x.xlsx", data=response.content).url)
    report = preview.context["report"]
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)


def test_another_users_upload_is_not_found(client, cast):
    client.force_login(cast.office)
    url = upload(client, ROWS).url
    colleague = UserFactory(username="office2")
    grant(colleague, cast.school, RoleGrant.Role.OFFICE)
    client.force_login(colleague)
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert client.get(reverse("roster:preview", args=["..%2F..%2Fetc"])).status_code == 404
    assert client.get(reverse("roster:preview", args=["a" * 32])).status_code == 404


def test_admin_may_import(client, cast):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    assert client.get(IMPORT).status_code == 200
    assert client.get(EXPORT).status_code == 200


@pytest.mark.parametrize("who", ["teacher", "other_teacher", "lead", "leader", "district"])
def test_refused_to_everyone_but_office(client, cast, who):
    client.force_login(getattr(cast, who))
    before = snapshot()
    assert client.get(IMPORT).status_code == 403
    assert upload(client, ROWS).status_code == 403
    assert client.get(EXPORT).status_code == 403
    assert snapshot() == before


def test_refused_to_office_of_another_school(client, cast, settings):
    other_office = UserFactory(username="other_office")
    grant(other_office, cast.other_school, RoleGrant.Role.OFFICE)
    client.force_login(other_office)
    page = client.get(IMPORT)
    assert page.status_code == 200  # their own school…
    assert list(page.context["orgs"]) == [cast.other_school]
    assert client.get(IMPORT, {"org": "demo"}).status_code == 403  # …but not ours
    before = snapshot()
    assert upload(client, ROWS, org="demo").status_code == 403
    assert client.get(EXPORT).status_code == 403
    assert snapshot() == before and uploads(settings) == []
    # an upload made by demo's office cannot be confirmed by them either
    client.force_login(cast.office)
    url = upload(client, ROWS).url
    client.force_login(other_office)
    assert client.post(url).status_code == 404


def test_anonymous_is_sent_to_login(client, cast):
    assert client.get(IMPORT).status_code == 302
    assert client.get(EXPORT).status_code == 302
