"""Draws that create work (keshi.checks.draw_work): 推门听课 tasks, an inspection's scope, a
示范课's observers — and who may do it."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from keshi.accounts.models import RoleGrant
from keshi.checks import draw_work, services
from keshi.checks.models import Draw, Inspection
from keshi.checks.tests.factories import builtin, inspection, person
from keshi.cover.tests.factories import lesson, make_term
from keshi.groupwork.models import OpenClass, OpenClassAttendance
from keshi.groupwork.services_open import close_open_class
from keshi.notify.models import Notification
from keshi.org.tests.factories import UserFactory, grant
from keshi.records.models import ObservationAssignment
from keshi.records.services import record_activity
from keshi.records.tests.factories import kind


def revealed(cast, population, kind=Draw.Population.TEACHERS, k=None) -> Draw:
    draw = services.commit_draw(
        org=cast.school,
        title="推门听课抽签",
        population=population,
        k=k or len(population),
        by=cast.office,
        population_kind=kind,
    )
    return services.reveal_draw(draw=draw, by=cast.office)


@pytest.fixture
def teachers_draw(cast) -> Draw:
    return revealed(cast, ["张老师", "李老师"])


def week() -> tuple[date, date]:
    today = timezone.localdate()
    return today, today + timedelta(days=4)


def observe(observer, teacher, on: date):
    return record_activity(
        person=observer, kind=kind("observation"), by=observer.user, on=on, observed=teacher
    )


# ---- 推门听课 ------------------------------------------------------------------------------


def test_office_assigns_drop_in_observations_and_observers_are_told(client, cast, teachers_draw):
    lead = person(cast.lead)
    start, due = week()
    client.force_login(cast.office)
    page = client.get(reverse("checks:draw", args=[teachers_draw.pk])).content.decode()
    assert "安排推门听课" in page and "用于检查" in page
    r = client.post(
        reverse("checks:draw_observe", args=[teachers_draw.pk]),
        {"observers": [lead.pk], "start": start.isoformat(), "due": due.isoformat()},
    )
    assert r.status_code == 302
    tasks = ObservationAssignment.objects.filter(draw=teachers_draw).order_by("teacher__name")
    assert [(t.observer, t.teacher.name) for t in tasks] == [(lead, "张老师"), (lead, "李老师")]
    assert all(t.start == start and t.due == due and not t.done for t in tasks)
    notes = Notification.objects.filter(person=lead)
    assert notes.count() == 2
    assert {n.link for n in notes} == {reverse("records:assignment", args=[t.pk]) for t in tasks}
    assert "推门听课·听张老师的课" in " ".join(notes.values_list("title", flat=True))
    # again: nothing doubles
    client.post(
        reverse("checks:draw_observe", args=[teachers_draw.pk]),
        {"observers": [lead.pk], "start": start.isoformat(), "due": due.isoformat()},
    )
    assert tasks.count() == 2 and notes.count() == 2

    observe(lead, person(cast.teacher), start + timedelta(days=1))
    page = client.get(reverse("checks:draw", args=[teachers_draw.pk])).content.decode()
    assert "已完成 1，待完成 1，逾期 0" in page


def test_an_observation_in_the_window_does_it_one_outside_does_not(cast, teachers_draw):
    lead, zhang = person(cast.lead), person(cast.teacher)
    start, due = week()
    draw_work.assign_drop_in(draw=teachers_draw, observers=[lead], start=start, due=due, by=None)
    task = ObservationAssignment.objects.get(teacher=zhang)
    observe(lead, zhang, start - timedelta(days=1))  # before the window
    observe(person(cast.other_teacher), zhang, start)  # someone else
    task.refresh_from_db()
    assert not task.done
    activity = observe(lead, zhang, start)
    task.refresh_from_db()
    assert task.done and task.activity == activity
    other = ObservationAssignment.objects.get(teacher__name="李老师")
    assert not other.done and other.state(due + timedelta(days=1)) == "overdue"


def test_an_observation_recorded_before_the_assignment_counts(cast, teachers_draw):
    lead, zhang = person(cast.lead), person(cast.teacher)
    start, due = week()
    earlier = observe(lead, zhang, start)
    made = draw_work.assign_drop_in(
        draw=teachers_draw, observers=[lead], start=start, due=due, by=None
    )
    done = {t.teacher.name: t for t in made}
    assert done["张老师"].activity == earlier and done["张老师"].done
    assert not done["李老师"].done
    assert not Notification.objects.filter(person=lead, title__contains="张老师").exists()


def test_the_lesson_comes_from_the_timetable_when_the_observer_is_free(cast, teachers_draw):
    term = make_term(cast.school, 2026)
    lead, zhang = person(cast.lead), person(cast.teacher)
    start = date(2026, 12, 7)  # a Monday
    lesson(term, zhang, 1, 2, class_name="初二(3)班")  # the observer teaches then
    lesson(term, lead, 1, 2, class_name="初二(1)班", subject="数学")
    lesson(term, zhang, 3, 4, class_name="初二(5)班")
    draw_work.assign_drop_in(
        draw=teachers_draw, observers=[lead], start=start, due=start + timedelta(days=4), by=None
    )
    assert (
        ObservationAssignment.objects.get(teacher=zhang).lesson
        == "12月9日（周三）第4节 初二(5)班 语文"
    )
    assert ObservationAssignment.objects.get(teacher__name="李老师").lesson == ""


def test_drop_in_needs_a_revealed_draw_of_teachers_that_name_our_people(cast):
    lead = person(cast.lead)
    start, due = week()
    subjects = revealed(cast, ["语文", "数学"], kind=Draw.Population.SUBJECTS)
    with pytest.raises(ValidationError, match="只有抽教师"):
        draw_work.assign_drop_in(draw=subjects, observers=[lead], start=start, due=due, by=None)
    strangers = revealed(cast, ["张老师", "不存在的老师"])
    with pytest.raises(ValidationError, match="不存在的老师"):
        draw_work.assign_drop_in(draw=strangers, observers=[lead], start=start, due=due, by=None)
    pending = services.commit_draw(
        org=cast.school, title="未抽", population=["张老师", "李老师"], k=1, by=cast.office,
        population_kind=Draw.Population.TEACHERS,
    )  # fmt: skip
    with pytest.raises(ValidationError, match="尚未抽签"):
        draw_work.assign_drop_in(draw=pending, observers=[lead], start=start, due=due, by=None)
    services.redraw(draw=strangers, reason="有人调走", by=cast.office)
    with pytest.raises(ValidationError, match="已被重抽"):
        draw_work.assign_drop_in(draw=strangers, observers=[lead], start=start, due=due, by=None)
    assert not ObservationAssignment.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [("teacher", 403), ("lead", 403), ("leader", 403), ("district", 403), ("outsider", 404),
     ("other_office", 404), ("office", 200)],
)  # fmt: skip
def test_only_the_draws_office_uses_it(client, cast, teachers_draw, who, status):
    if who == "other_office":
        user = UserFactory(username="other_office")
        grant(user, cast.other_school, RoleGrant.Role.OFFICE)
    else:
        user = getattr(cast, who)
    client.force_login(user)
    start, due = week()
    for name in ("checks:draw_observe", "checks:draw_inspect", "checks:draw_open_class"):
        url = reverse(name, args=[teachers_draw.pk])
        assert client.get(url).status_code == status
        if who != "office":
            data = {"observers": [person(cast.lead).pk], "start": start, "due": due}
            assert client.post(url, data).status_code == status
    assert not ObservationAssignment.objects.exists()


def test_an_unrevealed_draw_cannot_be_used_yet(client, cast):
    pending = services.commit_draw(
        org=cast.school, title="未抽", population=["张老师", "李老师"], k=1, by=cast.office,
        population_kind=Draw.Population.TEACHERS,
    )  # fmt: skip
    client.force_login(cast.office)
    assert client.get(reverse("checks:draw_observe", args=[pending.pk])).status_code == 403
    assert (
        "安排推门听课" not in client.get(reverse("checks:draw", args=[pending.pk])).content.decode()
    )


# ---- 用于检查 ------------------------------------------------------------------------------


def test_a_subject_draw_sets_the_inspections_scope_and_tells_the_inspectors(client, cast):
    draw = revealed(cast, ["语文", "数学", "英语"], kind=Draw.Population.SUBJECTS, k=2)
    target = inspection(cast, kind=Inspection.Kind.SPOT, inspectors=[person(cast.lead)])
    target.subjects = "物理"
    target.save()
    client.force_login(cast.office)
    r = client.post(reverse("checks:draw_inspect", args=[draw.pk]), {"inspection": target.pk})
    assert r.status_code == 302 and r["Location"] == reverse("checks:inspection", args=[target.pk])
    target.refresh_from_db()
    assert target.draw == draw
    assert target.subjects == "、".join(["物理", *draw.result])
    note = Notification.objects.get(person=person(cast.lead))
    assert target.title in note.title and all(s in note.body for s in draw.result)
    assert note.link == reverse("checks:inspection", args=[target.pk])
    page = client.get(reverse("checks:draw", args=[draw.pk])).content.decode()
    assert target.title in page


def test_teacher_and_class_draws_fill_people_and_classes(cast):
    target = inspection(cast)
    teachers = revealed(cast, ["张老师", "李老师"], k=1)
    draw_work.apply_to_inspection(draw=teachers, inspection=target, by=None)
    assert list(target.people.values_list("name", flat=True)) == teachers.result
    classes = revealed(cast, ["初一(1)班", "初一(2)班"], kind=Draw.Population.CLASSES)
    draw_work.apply_to_inspection(draw=classes, inspection=target, by=None)
    target.refresh_from_db()
    assert target.classes.splitlines() == classes.result and target.draw == classes


def test_a_completed_or_foreign_inspection_is_refused(cast):
    draw = revealed(cast, ["语文", "数学"], kind=Draw.Population.SUBJECTS)
    foreign = Inspection.objects.create(
        org=cast.other_school, title="外校检查", kind="monthly", rubric=builtin()
    )
    with pytest.raises(ValidationError, match="本单位"):
        draw_work.apply_to_inspection(draw=draw, inspection=foreign, by=None)
    done = inspection(cast)
    Inspection.objects.filter(pk=done.pk).update(status=Inspection.Status.COMPLETED)
    done.refresh_from_db()
    with pytest.raises(ValidationError):
        draw_work.apply_to_inspection(draw=draw, inspection=done, by=None)
    done.refresh_from_db()
    assert done.subjects == "" and done.draw is None


# ---- 示范课 --------------------------------------------------------------------------------


def test_a_demo_lesson_draw_makes_observers_whose_tasks_close_with_attendance(client, cast):
    lead = person(cast.lead)
    demo = OpenClass.objects.create(
        org=cast.school, teacher=lead, date=timezone.localdate(), period=3,
        class_name="初二(2)班", subject="语文", topic="背影", kind="示范课",
    )  # fmt: skip
    draw = revealed(cast, ["张老师", "李老师", "王组长"])
    client.force_login(cast.office)
    r = client.post(reverse("checks:draw_open_class", args=[draw.pk]), {"open_class": demo.pk})
    assert r.status_code == 302
    assert set(demo.required_people.values_list("name", flat=True)) == {"张老师", "李老师"}
    tasks = ObservationAssignment.objects.filter(open_class=demo)
    assert tasks.count() == 2  # the open class's own teacher observes nobody
    assert {t.purpose for t in tasks} == {ObservationAssignment.Purpose.DEMO}
    assert all(t.teacher == lead and t.start == t.due == demo.date for t in tasks)
    assert "背影" in tasks.first().lesson
    OpenClassAttendance.objects.create(open_class=demo, person=person(cast.teacher), method="list")
    close_open_class(open_class=demo, by=cast.office)
    done = {t.observer.name: t.done for t in tasks.all()}
    assert done == {"张老师": True, "李老师": False}
