"""The exam's 质量分析会: scheduled from the exam page after the scores are in, by the office
(the grade) or the 教研组长 (their subject), as a single 例会 whose attendees are the 任课教师;
the exam page shows who came and who is missing, and a teacher may not schedule one."""

import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from keshi.exams import selectors, services
from keshi.exams.models import ClassTeacher, QualityMeeting
from keshi.exams.tests.helpers import exam, per_class_sheets, person
from keshi.groupwork import services as groupwork
from keshi.groupwork.models import Meeting
from keshi.groupwork.selectors import can_manage_group, members_of
from keshi.records.models import Activity

pytestmark = pytest.mark.django_db


def scored(cast, **kwargs):
    e = exam(cast, **kwargs)
    report = services.import_scores(
        exam=e, filename="a.xlsx", data=per_class_sheets(), dry_run=False
    )
    assert report.written
    e.refresh_from_db()
    return e


def test_the_office_schedules_the_grades_meeting_and_the_exam_page_shows_attendance(client, cast):
    e = scored(cast)
    client.force_login(cast.office)
    page = client.get(f"/exams/{e.pk}/").content.decode()
    assert "还没有安排质量分析会" in page and f"/exams/{e.pk}/meeting/new/" in page
    form = client.get(f"/exams/{e.pk}/meeting/new/").content.decode()
    assert "《初一期中考试》质量分析会" in form and "全年级（全部学科）" in form
    response = client.post(
        f"/exams/{e.pk}/meeting/new/",
        {
            "subject": "*",
            "title": "《初一期中考试》质量分析会",
            "day": "2025-11-20",
            "start_time": "15:30",
            "place": "阶梯教室",
        },
    )
    assert response.status_code == 302
    meeting = QualityMeeting.objects.get(exam=e)
    session = meeting.session
    assert meeting.subject == "" and session.topic == "《初一期中考试》质量分析会"
    assert session.date == date(2025, 11, 20) and session.place == "阶梯教室"
    assert Meeting.objects.filter(group=session.group).exists()
    assert {p.name for p in members_of(session.group, session.date)} == {"张老师", "李老师"}

    groupwork.sign_in_session(session=session, person=person(cast.teacher))
    page = client.get(f"/exams/{e.pk}/").content.decode()
    table = page[page.index('id="meetings-table"') :]
    assert f"/groupwork/sessions/{session.pk}/" in table
    counts = re.search(r"<td>(\d+)</td><td>(\d+)</td>\s*<td>(\d+)", table)
    assert counts.groups() == ("2", "1", "1")  # 应到, 实到, 未到
    assert "李老师" in table and "张老师" not in table
    assert "签到中" in table
    # the whole grade is taken: nothing more for the office to schedule but subject meetings
    assert f"/exams/{e.pk}/meeting/new/" in page

    assert groupwork.close_session(session=session, by=cast.office) == 0  # a 例会: no records
    assert not Activity.objects.filter(data__session=session.pk).exists()
    assert "已结束" in client.get(f"/exams/{e.pk}/").content.decode()


def test_the_subject_lead_schedules_their_subjects_meeting_only(client, cast):
    e = scored(cast)
    client.force_login(cast.lead)
    form = client.get(f"/exams/{e.pk}/meeting/new/").content.decode()
    assert "《初一期中考试》语文质量分析会" in form
    assert "全年级" not in form and 'value="数学"' not in form
    bad = client.post(f"/exams/{e.pk}/meeting/new/", {"subject": "数学", "day": "2025-11-21"})
    assert bad.status_code == 200 and not QualityMeeting.objects.exists()
    ok = client.post(f"/exams/{e.pk}/meeting/new/", {"subject": "语文", "day": "2025-11-21"})
    assert ok.status_code == 302
    meeting = QualityMeeting.objects.get(exam=e, subject="语文")
    session = meeting.session
    assert session.topic == "《初一期中考试》语文质量分析会"
    # the subject's 任课教师, and the lead who chairs it
    assert {p.name for p in members_of(session.group, session.date)} == {"张老师", "王组长"}
    assert session.host == person(cast.lead)
    assert can_manage_group(cast.lead, session.group)
    page = client.get(f"/groupwork/sessions/{session.pk}/").content.decode()
    assert (
        "《初一期中考试》语文质量分析会" in page
        and f"/groupwork/sessions/{session.pk}/attendance/" in page
    )
    client.force_login(cast.teacher)  # an attendee reads it, and may sign in there
    assert client.get(f"/groupwork/sessions/{session.pk}/").status_code == 200
    client.force_login(cast.lead)
    # the lead's only subject is taken: no second one
    assert selectors.meeting_subjects(cast.lead, e) == ["语文"]
    again = client.get(f"/exams/{e.pk}/meeting/new/")
    assert again.status_code == 302 and QualityMeeting.objects.count() == 1
    # the exam page lists it for the lead, with its attendance
    page = client.get(f"/exams/{e.pk}/").content.decode()
    assert "《初一期中考试》语文质量分析会" in page and "还没有安排质量分析会" not in page


@pytest.mark.parametrize("who", ["teacher", "other_teacher", "leader", "district"])
def test_others_may_not_schedule_one(client, cast, who):
    e = scored(cast)
    client.force_login(getattr(cast, who))
    assert client.get(f"/exams/{e.pk}/meeting/new/").status_code == 403
    post = client.post(f"/exams/{e.pk}/meeting/new/", {"subject": "*", "day": "2025-11-20"})
    assert post.status_code == 403
    assert not QualityMeeting.objects.exists()
    assert f"/exams/{e.pk}/meeting/new/" not in client.get(f"/exams/{e.pk}/").content.decode()


def test_an_outsider_gets_404(client, cast):
    e = scored(cast)
    client.force_login(cast.outsider)
    assert client.get(f"/exams/{e.pk}/meeting/new/").status_code == 404


def test_not_before_the_scores_are_in(client, cast):
    e = exam(cast)
    client.force_login(cast.office)
    page = client.get(f"/exams/{e.pk}/").content.decode()
    assert "成绩导入后，教务处（教科室）或教研组长可在这里安排" in page
    assert f"/exams/{e.pk}/meeting/new/" not in page
    response = client.get(f"/exams/{e.pk}/meeting/new/", follow=True)
    assert "请先导入成绩" in response.content.decode()
    with pytest.raises(ValidationError, match="请先导入成绩"):
        services.schedule_quality_meeting(exam=e, day=date(2025, 11, 20), by=cast.office)
    assert not QualityMeeting.objects.exists()


def test_once_per_exam_and_subject_and_not_without_teachers(cast):
    e = scored(cast)
    services.schedule_quality_meeting(exam=e, day=date(2025, 11, 20), by=cast.office)
    with pytest.raises(ValidationError, match="已经安排"):
        services.schedule_quality_meeting(exam=e, day=date(2025, 11, 21), by=cast.office)
    ClassTeacher.objects.filter(subject="数学").delete()
    with pytest.raises(ValidationError, match="还没有任课教师"):
        services.schedule_quality_meeting(
            exam=e, subject="数学", day=date(2025, 11, 20), by=cast.office
        )
    assert QualityMeeting.objects.count() == 1


def test_a_second_meeting_of_the_same_name_gets_its_own_group(cast):
    first = scored(cast)
    m1 = services.schedule_quality_meeting(exam=first, day=date(2025, 11, 20), by=cast.office)
    m2 = services.schedule_quality_meeting(
        exam=first, subject="数学", title=m1.session.topic, day=date(2025, 11, 22), by=cast.office
    )
    assert m1.session.group != m2.session.group
    assert m2.session.group.name == "《初一期中考试》质量分析会（2025-11-22）"
    assert {p.name for p in members_of(m2.session.group, m2.session.date)} == {"李老师"}
