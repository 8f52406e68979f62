"""Pages and API with the cast: a teacher sees their own absences, timetable and the requests
addressed to them; the office arranges; leader and district read; another school gets 404."""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from keshi.accounts.models import ApiToken
from keshi.cover import services
from keshi.cover.models import Absence, Cover, TimetableEntry
from keshi.cover.tests.factories import lesson

pytestmark = pytest.mark.django_db

MON, TUE, WED = date(2025, 11, 3), date(2025, 11, 4), date(2025, 11, 5)


@pytest.fixture
def world(cast, people, term):
    t = people["teacher"]
    entry = lesson(term, t, 1, 2)
    lesson(term, people["other"], 1, 2, class_name="高一(2)班")
    (short,) = services.set_absences(
        person=t,
        reference="dispatch:1",
        title="外出培训：写作",
        spans=[(MON, "am", TUE, "pm")],
        by=None,
    )
    cover = services.arrange_cover(
        absence=short,
        entry=entry,
        day=MON,
        cover_person=people["lead"],
        by=cast.teacher,
        by_office=False,
    )
    other_school = services.set_absences(
        person=people["outsider"],
        reference="dispatch:2",
        title="外校培训",
        spans=[(MON, "am", MON, "pm")],
        by=None,
    )[0]
    return {"short": short, "entry": entry, "cover": cover, "outsider_absence": other_school}


def login(client, user):
    client.force_login(user)
    return client


def test_absence_page_by_role(client, cast, world):
    url = reverse("cover:absence", args=[world["short"].pk])
    expected = {
        "teacher": 200,
        "lead": 200,
        "office": 200,
        "leader": 200,
        "district": 200,
        "other_teacher": 404,
        "outsider": 404,
    }
    for role, status in expected.items():
        client.force_login(getattr(cast, role))
        assert client.get(url).status_code == status, role
    client.force_login(cast.teacher)
    page = client.get(url).content.decode()
    assert "调课" in page and "王组长" in page and "待确认" in page


def test_read_only_roles_cannot_write(client, cast, world):
    absence = world["short"]
    for role in ("leader", "district", "other_teacher"):
        client.force_login(getattr(cast, role))
        assert client.get(reverse("cover:absence_new")).status_code == 403
        assert client.get(reverse("cover:timetable_import")).status_code == 403
        r = client.post(reverse("cover:cover_create", args=[absence.pk]), {"lesson": "x"})
        assert r.status_code in {403, 404}, role
    client.force_login(cast.outsider)
    assert client.post(reverse("cover:cover_cancel", args=[world["cover"].pk])).status_code == 404


def test_office_records_a_sick_leave_and_assigns_a_substitute(client, cast, people, term, world):
    login(client, cast.office)
    r = client.post(
        reverse("cover:absence_new"),
        {
            "person": people["other"].pk,
            "kind": "sick",
            "title": "病假",
            "start_date": "2025-11-10",
            "start_half": "am",
            "end_date": "2025-11-12",
            "end_half": "pm",
        },
    )
    absence = Absence.objects.get(title="病假")
    assert r.status_code == 302 and absence.reference == f"manual:{absence.pk}"
    lesson_ = lesson(term, people["other"], 3, 4)
    key = f"{lesson_.pk}-20251112"
    # The teacher is busy (teaching) at that slot? No: 张老师 has no Wednesday 4th lesson.
    r = client.post(
        reverse("cover:cover_create", args=[absence.pk]),
        {"lesson": key, "cover_person": people["teacher"].pk},
    )
    assert r.status_code == 302
    cover = Cover.objects.get(entry=lesson_)
    assert (cover.kind, cover.status) == ("substitute", "confirmed")
    # A bad end date is refused in Chinese, nothing written.
    r = client.post(
        reverse("cover:absence_new"),
        {
            "person": people["other"].pk,
            "kind": "sick",
            "title": "x",
            "start_date": "2025-11-10",
            "start_half": "pm",
            "end_date": "2025-11-10",
            "end_half": "am",
        },
    )
    assert r.status_code == 200 and "不能早于" in r.content.decode()


def test_clash_warning_needs_explicit_confirm_on_the_page(client, cast, people, term, world):
    t = people["teacher"]
    entry = lesson(term, t, 3, 2)
    (long,) = services.set_absences(
        person=t,
        reference="dispatch:9",
        title="长期培训",
        spans=[(date(2025, 11, 17), "am", date(2025, 11, 19), "pm")],
        by=None,
    )
    lesson(term, people["other"], 3, 2, class_name="高一(3)班")
    login(client, cast.office)
    key = f"{entry.pk}-20251119"
    url = reverse("cover:cover_create", args=[long.pk])
    r = client.post(url, {"lesson": key, "cover_person": people["other"].pk})
    assert r.status_code == 409
    assert "该节本人有课" in r.content.decode() and "仍然安排" in r.content.decode()
    assert not Cover.objects.filter(entry=entry).exists()
    r = client.post(
        url, {"lesson": key, "cover_person": people["other"].pk, "confirm_clashes": "on"}
    )
    assert r.status_code == 302
    assert "本人有课" in Cover.objects.get(entry=entry).warnings
    page = client.get(reverse("cover:absence", args=[long.pk])).content.decode()
    assert "该节本人有课" in page  # the overview keeps warning


def test_request_confirmed_on_my_page(client, cast, world):
    login(client, cast.lead)
    page = client.get(reverse("cover:mine")).content.decode()
    assert "外出培训：写作" in page and "同意" in page
    client.force_login(cast.other_teacher)
    assert (
        client.post(
            reverse("cover:cover_decide", args=[world["cover"].pk]), {"accept": "1"}
        ).status_code
        == 404
    )
    client.force_login(cast.lead)
    r = client.post(reverse("cover:cover_decide", args=[world["cover"].pk]), {"accept": "1"})
    assert r.status_code == 302
    assert Cover.objects.get().status == "confirmed"
    client.force_login(cast.office)
    r = client.get(reverse("cover:counts"), {"term": world["entry"].term_id})
    assert "王组长" in r.content.decode()
    r = client.get(reverse("cover:counts"), {"term": world["entry"].term_id, "format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    assert rows[2][2:6] == ("王组长", 0, 1, 1)


def test_index_and_lists(client, cast, world):
    client.force_login(cast.office)
    page = client.get(reverse("cover:index"), {"org": "demo"}).content.decode()
    assert "等我确认的请求" not in page  # office staff without a person of their own
    client.force_login(cast.lead)
    page = client.get(reverse("cover:index")).content.decode()
    assert "等我确认的请求" in page and "张老师" in page and "去回复" in page
    r = client.get(reverse("cover:absences"), {"reference": "dispatch:1"})
    assert "外出培训：写作" in r.content.decode() and "外校培训" not in r.content.decode()
    client.force_login(cast.teacher)
    r = client.get(reverse("cover:absences"))
    assert "外出培训：写作" in r.content.decode()
    client.force_login(cast.other_teacher)
    r = client.get(reverse("cover:absences"))
    assert "外出培训：写作" not in r.content.decode()
    assert client.get(reverse("cover:index")).status_code == 200


def test_timetable_pages(client, cast, people, world):
    client.force_login(cast.teacher)
    r = client.get(reverse("cover:timetable"), {"term": world["entry"].term_id})
    assert r.status_code == 200 and "高一(1)班" in r.content.decode()
    assert "高一(2)班" not in r.content.decode().split("timetable-grid")[1]
    assert client.get(reverse("cover:timetable"), {"person": people["other"].pk}).status_code == 404
    client.force_login(cast.leader)
    r = client.get(
        reverse("cover:timetable"), {"class": "高一(2)班", "term": world["entry"].term_id}
    )
    assert "李老师" in r.content.decode()
    r = client.get(reverse("cover:timetable_export"), {"term": world["entry"].term_id})
    load_workbook(io.BytesIO(r.content))


def test_import_pages_preview_then_confirm(client, cast, people, term, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    people["teacher"].staff_no = "T001"
    people["teacher"].save()
    wb = Workbook()
    wb.active.append(["工号", "星期", "节次", "班级", "学科"])
    wb.active.append(["T001", "周五", 1, "高一(9)班", "语文"])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "课表.xlsx"
    client.force_login(cast.office)
    r = client.post(reverse("cover:timetable_import"), {"term": term.pk, "file": buf})
    assert r.status_code == 302
    preview = client.get(r["Location"])
    assert "确认导入" in preview.content.decode()
    assert not TimetableEntry.objects.filter(class_name="高一(9)班").exists()
    assert client.post(r["Location"]).status_code == 302
    assert TimetableEntry.objects.filter(class_name="高一(9)班").exists()


def api(client, user, url, method="get", **data):
    headers = {"Authorization": f"Bearer {ApiToken.issue(user)[1]}"}
    if method == "post":
        return client.post(url, data, content_type="application/json", headers=headers)
    return client.get(url, data, headers=headers)


def test_api_is_scoped(client, cast, world):
    short = world["short"]
    titles = lambda r: {a["title"] for a in r.json()["items"]}  # noqa: E731
    assert titles(api(client, cast.teacher, "/api/v1/cover/absences")) == {"外出培训：写作"}
    assert titles(api(client, cast.other_teacher, "/api/v1/cover/absences")) == set()
    assert titles(api(client, cast.district, "/api/v1/cover/absences")) == {
        "外出培训：写作",
        "外校培训",
    }
    assert titles(api(client, cast.office, "/api/v1/cover/absences", reference="dispatch:1")) == {
        "外出培训：写作"
    }
    detail = api(client, cast.office, f"/api/v1/cover/absences/{short.pk}").json()
    assert detail["cover_kind"] == "swap" and detail["school_days"] == 2
    assert detail["lessons"][0]["cover"]["cover_person"] == "王组长"
    r = api(client, cast.outsider, f"/api/v1/cover/absences/{short.pk}")
    assert r.status_code == 404 and r.json()["detail"]
    mine = api(client, cast.lead, "/api/v1/cover/mine").json()["items"]
    assert [(c["status"], c["period"]) for c in mine] == [("proposed", 2)]
    assert api(client, cast.teacher, "/api/v1/cover/mine").json()["items"] == []
    url = f"/api/v1/cover/covers/{world['cover'].pk}/decision"
    assert api(client, cast.teacher, url, "post", accept=True).status_code == 403
    assert api(client, cast.outsider, url, "post", accept=True).status_code == 404
    r = api(client, cast.lead, url, "post", accept=False, note="有课")
    assert r.status_code == 200 and r.json()["status"] == "declined"
    assert api(client, cast.lead, url, "post", accept=True).status_code in {400, 422}
