"""Pages and their scoping, with the cast (healthchecks-style: every view checks access)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from keshi.groupwork import services, services_open, services_training
from keshi.groupwork.models import Schedule, Session, SessionAttendance, SessionFile
from keshi.groupwork.tests.conftest import records_of
from keshi.org.tests.factories import GroupFactory, PersonFactory, UserFactory
from keshi.records.tests.factories import EXE, PDF

pytestmark = pytest.mark.django_db
READERS = ("teacher", "other_teacher", "lead", "office", "leader", "district")


def as_(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize("who", [*READERS, "outsider"])
def test_index_renders_for_every_role(client, cast, term, session, who):
    page = as_(client, getattr(cast, who)).get(reverse("groupwork:index"))
    assert page.status_code == 200
    assert "教研活动与校本研修" in page.text


@pytest.mark.parametrize("who", READERS)
def test_session_page_readable_by_its_circle(client, cast, session, who):
    page = as_(client, getattr(cast, who)).get(reverse("groupwork:session", args=[session.pk]))
    assert page.status_code == 200 and "整本书阅读教学研讨" in page.text
    manages = who in ("lead", "office")
    assert ('id="attendance-form"' in page.text) is manages
    assert ("<svg" in page.text.split("<main", 1)[1]) is manages


def test_session_hidden_from_outsider_and_other_groups_teachers(client, cast, session):
    assert (
        as_(client, cast.outsider).get(reverse("groupwork:session", args=[session.pk])).status_code
        == 404
    )
    user = UserFactory(username="math")
    PersonFactory(org=cast.school, user=user)
    assert as_(client, user).get(reverse("groupwork:session", args=[session.pk])).status_code == 404
    listed = as_(client, user).get(reverse("groupwork:sessions"))
    assert "整本书阅读教学研讨" not in listed.text and "还没有您所在组的教研活动" in listed.text


@pytest.mark.parametrize("who", ["teacher", "leader", "district"])
def test_readers_cannot_manage(client, cast, session, people, who):
    c = as_(client, getattr(cast, who))
    assert c.get(reverse("groupwork:session_edit", args=[session.pk])).status_code == 403
    teacher = people(cast.teacher)
    post = c.post(
        reverse("groupwork:session_attendance", args=[session.pk]), {"people": [teacher.pk]}
    )
    assert post.status_code == 403
    assert c.post(reverse("groupwork:session_close", args=[session.pk])).status_code == 403
    assert not SessionAttendance.objects.exists() and Session.objects.get().closed_at is None


def test_lead_ticks_the_list_and_closes(client, cast, session, people):
    c = as_(client, cast.lead)
    teacher = people(cast.teacher)
    c.post(reverse("groupwork:session_attendance", args=[session.pk]), {"people": [teacher.pk]})
    c.post(reverse("groupwork:session_close", args=[session.pk]))
    assert records_of(teacher, "group_activity").count() == 1
    page = c.get(reverse("groupwork:session", args=[session.pk]))
    assert "已结束" in page.text and "缺勤：" in page.text and "李老师" in page.text


def test_lead_of_another_group_cannot_manage(client, cast, session):
    other_group = GroupFactory(org=cast.school, name="数学组")
    user = UserFactory(username="mathlead")
    person = PersonFactory(org=cast.school, user=user)
    from keshi.org.models import Membership

    Membership.objects.create(person=person, group=other_group, role=Membership.Role.LEAD)
    assert (
        as_(client, user).get(reverse("groupwork:session_edit", args=[session.pk])).status_code
        == 404
    )


def test_schedule_form_errors_in_chinese_and_nothing_written(client, cast, term):
    page = as_(client, cast.lead).post(
        reverse("groupwork:schedule_create"),
        {
            "group": cast.group.pk,
            "term": term.pk,
            "weekday": 2,
            "start_time": "17:00",
            "end_time": "15:00",
            "place": "",
        },
    )
    assert page.status_code == 200
    assert "结束时间必须晚于开始时间" in page.text and "这个字段是必填项" in page.text
    assert not Schedule.objects.exists()


def test_schedule_form_for_lead(client, cast, term):
    response = as_(client, cast.lead).post(
        reverse("groupwork:schedule_create"),
        {
            "group": cast.group.pk,
            "term": term.pk,
            "weekday": 2,
            "start_time": "15:30",
            "end_time": "17:00",
            "place": "语文组办公室",
        },
    )
    schedule = Schedule.objects.get()
    assert response.status_code == 302 and schedule.sessions.count() > 15
    assert as_(client, cast.teacher).get(reverse("groupwork:schedule_create")).status_code == 403


def test_session_files_checked_and_scoped(client, cast, session):
    c = as_(client, cast.lead)
    url = reverse("groupwork:session_files", args=[session.pk])
    c.post(url, {"files": SimpleUploadedFile("virus.pdf", EXE)})
    assert not SessionFile.objects.exists()
    c.post(url, {"files": SimpleUploadedFile("方案.pdf", PDF)})
    row = SessionFile.objects.get()
    assert (
        as_(client, cast.teacher).get(reverse("groupwork:session_file", args=[row.pk])).status_code
        == 200
    )
    assert (
        as_(client, cast.outsider).get(reverse("groupwork:session_file", args=[row.pk])).status_code
        == 404
    )


def test_sessions_list_searches(client, cast, session):
    services.save_session(group=cast.group, by=cast.lead, date=date(2025, 10, 22), topic="作文教学")
    page = as_(client, cast.office).get(reverse("groupwork:sessions"), {"q": "作文"})
    assert "作文教学" in page.text and "整本书阅读" not in page.text


@pytest.mark.parametrize(
    "who,status",
    [("teacher", 200), ("lead", 200), ("office", 200), ("leader", 200), ("outsider", 200)],
)
def test_attendance_statistics_access(client, cast, term, session, who, status):
    services.close_session(session=session, by=cast.lead)
    page = as_(client, getattr(cast, who)).get(reverse("groupwork:stats"), {"term": term.pk})
    assert page.status_code == status
    if who in ("lead", "office", "leader"):
        assert "出勤率" in page.text and "李老师" in page.text
    elif who == "teacher":  # their own row, nobody else's
        assert "张老师的出勤" in page.text and "李老师" not in page.text
        assert "缺勤" in page.text
    else:
        assert "语文组" not in page.text


# ---- 校本研修 ------------------------------------------------------------------------------


@pytest.fixture
def project(cast):
    project = services_training.save_project(
        org=cast.school,
        by=cast.office,
        title="大单元教学",
        start=date(2025, 11, 5),
        end=date(2025, 11, 5),
        hours=Decimal("3"),
        credits=Decimal("0.5"),
        organiser="教科室",
    )
    services_training.attach_material(
        project=project, item="plan", by=cast.office, upload=("方案.pdf", PDF, "application/pdf")
    )
    return project


def test_training_list_flags_missing_materials(client, cast, project):
    page = as_(client, cast.teacher).get(reverse("groupwork:training_list"))
    assert page.status_code == 200 and "大单元教学" in page.text
    assert "缺5项" in page.text and page.text.count("✓") >= 1 and page.text.count("✗") >= 5
    assert (
        "大单元教学" not in as_(client, cast.outsider).get(reverse("groupwork:training_list")).text
    )


def test_training_detail_scoping(client, cast, project):
    url = reverse("groupwork:training", args=[project.pk])
    assert as_(client, cast.outsider).get(url).status_code == 404
    page = as_(client, cast.leader).get(url)
    assert page.status_code == 200 and 'id="grant"' not in page.text
    assert 'id="grant"' in as_(client, cast.office).get(url).text
    assert (
        as_(client, cast.teacher)
        .post(reverse("groupwork:training_grant", args=[project.pk]))
        .status_code
        == 403
    )


def test_grant_through_the_page(client, cast, project, people):
    c = as_(client, cast.office)
    teacher = people(cast.teacher)
    c.post(reverse("groupwork:training_attendance", args=[project.pk]), {"people": [teacher.pk]})
    page = c.post(reverse("groupwork:training_grant", args=[project.pk]), follow=True)
    assert "缺5项" in page.text and not records_of(teacher, "training").exists()
    c.post(
        reverse("groupwork:training_grant", args=[project.pk]), {"override_reason": "区里统一认定"}
    )
    assert records_of(teacher, "training").count() == 1


def test_material_upload_through_the_page(client, cast, project):
    c = as_(client, cast.office)
    url = reverse("groupwork:training_material", args=[project.pk])
    c.post(url, {"item": "news", "file": SimpleUploadedFile("新闻.pdf", PDF)})
    page = c.post(url, {"item": "record"}, follow=True)
    assert "二选一" in page.text
    assert "缺4项" in c.get(reverse("groupwork:training_list")).text


# ---- open classes -------------------------------------------------------------------------


@pytest.fixture
def open_class(cast, people):
    return services_open.save_open_class(
        org=cast.school,
        by=cast.office,
        teacher=people(cast.teacher),
        date=date(2025, 10, 16),
        period=3,
        class_name="初二(3)班",
        topic="背影",
        kind="公开课",
        required_groups=[cast.group],
    )


def test_open_class_pages_and_absences(client, cast, term, open_class, people, settings):
    c = as_(client, cast.lead)  # the teacher's group lead manages it
    c.post(
        reverse("groupwork:open_class_attendance", args=[open_class.pk]),
        {"people": [people(cast.other_teacher).pk]},
    )
    c.post(reverse("groupwork:open_class_close", args=[open_class.pk]))
    assert records_of(people(cast.other_teacher), "observation").count() == 1
    detail = c.get(reverse("groupwork:open_class", args=[open_class.pk]))
    assert 'id="absent"' in detail.text and "王组长" in detail.text
    assert (
        as_(client, cast.outsider)
        .get(reverse("groupwork:open_class", args=[open_class.pk]))
        .status_code
        == 404
    )
    assert (
        as_(client, cast.teacher)
        .post(reverse("groupwork:open_class_close", args=[open_class.pk]))
        .status_code
        == 403
    )


def test_open_class_form_in_chinese(client, cast, people):
    page = as_(client, cast.office).post(
        reverse("groupwork:open_class_create"), {"teacher": people(cast.teacher).pk, "period": 20}
    )
    assert page.status_code == 200 and "节次应在1到12之间" in page.text
    assert as_(client, cast.teacher).get(reverse("groupwork:open_class_create")).status_code == 403


def test_index_with_a_current_term_for_every_reader(client, cast, people):
    from django.utils import timezone

    from keshi.calendar.services import create_school_year

    today = timezone.localdate()
    year = create_school_year(
        org=cast.school, start_year=today.year if today.month >= 9 else today.year - 1
    )
    term = year.terms.filter(start__lte=today, end__gte=today).first() or year.terms.first()
    s = services.save_session(group=cast.group, by=cast.lead, date=term.start, topic="开学第一课")
    services.set_session_attendance(session=s, people=[people(cast.teacher)], by=cast.lead)
    services.close_session(session=s, by=cast.lead)
    for who in READERS:
        page = as_(client, getattr(cast, who)).get(reverse("groupwork:index"))
        assert page.status_code == 200, who
    office = as_(client, cast.office).get(reverse("groupwork:index"))
    assert "本学期出勤" in office.text
    mine = as_(client, cast.other_teacher).get(reverse("groupwork:index"))
    assert 'id="my-attendance"' in mine.text and "本学期出勤" not in mine.text


def test_open_class_absence_panel_for_office_not_teachers(client, cast, people):
    from django.utils import timezone

    from keshi.calendar.services import create_school_year

    today = timezone.localdate()
    from keshi.calendar.selectors import current_term

    create_school_year(
        org=cast.school, start_year=today.year if today.month >= 9 else today.year - 1
    )
    term = current_term(cast.school)
    oc = services_open.save_open_class(
        org=cast.school,
        by=cast.office,
        teacher=people(cast.teacher),
        date=term.start,
        period=1,
        class_name="初一(2)班",
        topic="春",
        required_groups=[cast.group],
    )
    services_open.close_open_class(open_class=oc, by=cast.office)
    office = as_(client, cast.office).get(reverse("groupwork:open_classes"))
    assert 'id="absences"' in office.text
    assert "李老师" in office.text and "计旷课 1 节" in office.text
    teacher = as_(client, cast.teacher).get(reverse("groupwork:open_classes"))
    assert 'id="absences"' not in teacher.text


def test_material_removed_by_office_only(client, cast, project):
    row = project.materials.get()
    assert (
        as_(client, cast.teacher).get(reverse("groupwork:material_file", args=[row.pk])).status_code
        == 200
    )
    assert (
        as_(client, cast.teacher)
        .post(reverse("groupwork:material_file", args=[row.pk]))
        .status_code
        == 403
    )
    assert (
        as_(client, cast.outsider)
        .get(reverse("groupwork:material_file", args=[row.pk]))
        .status_code
        == 404
    )
    as_(client, cast.office).post(reverse("groupwork:material_file", args=[row.pk]))
    assert not project.materials.exists()
