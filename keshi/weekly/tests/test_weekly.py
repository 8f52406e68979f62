import io
from datetime import date, time

import pytest
from django.urls import reverse
from docx import Document

from keshi.calendar.models import SchoolYear, Term
from keshi.checks.models import Inspection, Rubric
from keshi.cover import services as cover_services
from keshi.groupwork.models import Session
from keshi.notify.models import Notification
from keshi.weekly import selectors, services
from keshi.weekly.tests.conftest import MON, THU, TUE, WEEK

pytestmark = pytest.mark.django_db


def _sheet(cast, term):
    schedule = selectors.schedule_of(cast.school, term, WEEK)
    return selectors.build_sheet(cast.school, term, selectors.week_of(term, WEEK), schedule)


def _day(sheet, day):
    return next(d for d in sheet.days if d.date == day)


def _texts(day):
    return [line.text for line in day.lines]


def test_sheet_shows_the_dispatch_who_is_away_and_who_covers(cast, term, trip):
    sheet = _sheet(cast, term)
    assert sheet.title == "示范中学第10周工作安排"
    [band] = [ln for ln in sheet.band if ln.kind == "dispatch"]
    assert band.text == "《长三角语文核心素养研讨会》：张老师、李老师"
    assert band.when == "11月3日—5日" and "跨省" in band.details[0]
    monday = _day(sheet, MON)
    assert "外出：张老师（外出培训·全天）" in _texts(monday)
    assert "外出：李老师（外出培训·全天）" in _texts(monday)
    line = next(ln for ln in monday.lines if "张老师" in ln.text)
    assert "第2节 初一(3)班语文：王组长代课" in line.details
    assert not line.warning
    wednesday = _day(sheet, MON.replace(day=5))
    line = next(ln for ln in wednesday.lines if "张老师" in ln.text)
    assert "第5节 初一(4)班语文：未安排" in line.details and line.warning
    assert not _day(sheet, THU).lines  # back on Thursday
    assert [d.date.isoweekday() for d in sheet.days] == [1, 2, 3, 4, 5]


def test_sick_leave_shows_as_leave_without_its_reason(cast, term):
    teacher = cast.teacher.person
    cover_services.record_absence(
        person=teacher, kind="sick", title="住院手术", span=(TUE, "pm", TUE, "pm"), by=cast.office
    )
    line = _day(_sheet(cast, term), TUE).lines[0]
    assert line.text == "请假：张老师（下午）"
    assert "住院" not in " ".join([line.text, *line.details])


def test_sessions_inspections_and_notes_are_on_their_day(cast, term):
    Session.objects.create(
        org=cast.school,
        group=cast.group,
        date=TUE,
        start_time=time(15, 30),
        place="三楼会议室",
        topic="期中试卷分析",
        host=cast.lead.person,
    )
    rubric = Rubric.objects.create(org=cast.school, name="教案检查表")
    Inspection.objects.create(
        org=cast.school, title="期中教学常规检查", kind="midterm", rubric=rubric,
        start=MON, end=THU,
    )  # fmt: skip
    services.save_notes(
        org=cast.school,
        term=term,
        week=WEEK,
        days=[MON, TUE],
        notes={TUE: "下午第三节后全体教师会议"},
        by=cast.office,
    )
    sheet = _sheet(cast, term)
    tuesday = _day(sheet, TUE)
    [session] = tuesday.lines
    assert session.text == "语文组教研活动：期中试卷分析" and session.when == "15:30"
    assert session.people == {cast.teacher.person.pk, cast.other_teacher.person.pk,
                              cast.lead.person.pk}  # fmt: skip
    assert tuesday.note == "下午第三节后全体教师会议"
    [inspection] = [ln for ln in sheet.band if ln.kind == "inspection"]
    assert inspection.when == "11月3日—6日"


def test_notes_refuse_too_long_text_and_a_day_of_another_week(cast, term):
    with pytest.raises(Exception) as err:
        services.save_notes(
            org=cast.school, term=term, week=WEEK, days=[MON], notes={MON: "很" * 501},
            by=cast.office,
        )  # fmt: skip
    assert "不能超过500字" in str(err.value)
    with pytest.raises(Exception) as err:
        services.save_notes(
            org=cast.school, term=term, week=WEEK, days=[MON], notes={THU.replace(day=20): "x"},
            by=cast.office,
        )  # fmt: skip
    assert "不在第10周" in str(err.value)


def test_teachers_see_the_week_only_once_published_and_are_notified(client, cast, term, trip):
    url = reverse("weekly:week", args=[term.pk, WEEK])
    client.force_login(cast.other_teacher)
    page = client.get(url).content.decode()
    assert "本周工作安排尚未发布" in page and "外出：张老师" not in page
    assert client.get(reverse("weekly:docx", args=[term.pk, WEEK])).status_code == 404
    client.force_login(cast.office)
    assert "外出：张老师" in client.get(url).content.decode()  # the office sees the draft
    response = client.post(reverse("weekly:publish", args=[term.pk, WEEK]), {"action": "publish"})
    assert response.status_code == 302
    assert Notification.objects.filter(
        person=cast.other_teacher.person, title="第10周工作安排已发布"
    ).exists()
    client.force_login(cast.other_teacher)
    page = client.get(url).content.decode()
    assert "外出：张老师（外出培训·全天）" in page and "王组长代课" in page
    assert f'href="/dispatch/{trip.pk}/"' not in page  # no links a teacher cannot open


def test_other_school_and_write_refusals(client, cast, term, trip):
    url = reverse("weekly:week", args=[term.pk, WEEK])
    client.force_login(cast.outsider)
    assert client.get(url).status_code == 404
    assert client.post(reverse("weekly:publish", args=[term.pk, WEEK])).status_code == 404
    client.force_login(cast.leader)
    assert client.get(url).status_code == 200
    assert client.post(reverse("weekly:publish", args=[term.pk, WEEK])).status_code == 403
    assert client.get(reverse("weekly:notes", args=[term.pk, WEEK])).status_code == 403
    client.force_login(cast.office)
    assert client.get(reverse("weekly:week", args=[term.pk, 99])).status_code == 404


def test_notes_form_shows_chinese_field_errors_and_saves(client, cast, term):
    client.force_login(cast.office)
    url = reverse("weekly:notes", args=[term.pk, WEEK])
    response = client.post(url, {MON.isoformat(): "很" * 501})
    assert response.status_code == 200 and "备注不能超过500字" in response.content.decode()
    response = client.post(url, {MON.isoformat(): "升旗仪式（操场）"})
    assert response.status_code == 302
    page = client.get(reverse("weekly:week", args=[term.pk, WEEK])).content.decode()
    assert "升旗仪式（操场）" in page


def test_word_document_and_print_view(client, cast, term, trip):
    client.force_login(cast.office)
    response = client.get(reverse("weekly:docx", args=[term.pk, WEEK]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert "示范中学第10周工作安排" in text
    assert "外出：张老师（外出培训·全天）" in cells and "第2节 初一(3)班语文：王组长代课" in cells
    assert "11月3日\n星期一" in cells
    page = client.get(reverse("weekly:print", args=[term.pk, WEEK])).content.decode()
    assert "王组长代课" in page and "window.print()" in page


def test_index_opens_the_requested_or_current_week(client, cast, term):
    client.force_login(cast.teacher)
    response = client.get(reverse("weekly:index"), {"term": term.pk, "week": WEEK})
    assert response.url == reverse("weekly:week", args=[term.pk, WEEK])
    assert client.get(reverse("weekly:index"), {"week": "x"}).status_code == 404


def test_first_week_lists_the_days_before_the_term_starts(cast):
    year = SchoolYear.objects.create(
        org=cast.school, start_year=2026, start=date(2026, 9, 1), end=date(2027, 8, 31)
    )
    term = Term.objects.create(
        school_year=year, number=1, start=date(2026, 9, 2), end=date(2027, 1, 22)
    )  # a Wednesday
    sheet = selectors.build_sheet(cast.school, term, selectors.week_of(term, 1), None)
    assert [d.date.day for d in sheet.days] == [31, 1, 2, 3, 4]  # Monday 31 Aug on
    assert all(d.is_workday for d in sheet.days)
